// Seeded simulated annealing over one layer's temporal mapping, for a fixed spatial choice, used
// when the space is too large to enumerate. A move takes one prime factor of a dimension from one
// temporal level to another (80%) or changes one level's loop order (20%). Metropolis acceptance
// on the log-score with a geometric temperature schedule from 1.0 to 0.001 over the budget. It
// starts from a greedy descent (factors moved inward while the score improves). The random
// stream comes from (seed, stream id) only. A warm start (the best mapping an earlier search of
// the layer found) replaces the outermost starting point. Moves whose tiles overflow a level are
// cut by the capacity check and drawn again without spending an evaluation (measured with
// `dnnchip map` at 3,000 evaluations per shape, 4 seeds, 4 winning designs: the sum of the
// layers' log-scores 90.03 -> 89.88). Cost: one reuse-model evaluation per step; no heap
// use in the loop except to record a new best in the convergence trace.
//
// Coordinate descent around the annealing, when one sweep of it fits the budget: a sweep tries,
// per dimension, every split of its temporal bound over the levels (MappingSpace::temporalSplits,
// the others held) and keeps the best, then every stationary tensor per ordered level; sweeps
// repeat until none improves. It runs after the greedy descent (up to half the budget) and on the
// annealing's best (the last fifth). Prime-factor moves need many steps to carry a whole factor
// across levels through worse intermediate points (the iCE40 2x2 engine leaves layers with
// temporal bounds in the hundreds); one split move does it at once. Measured with `dnnchip map`
// at the default explore's budget per shape on the iCE40 winners, 3 seeds (EDP, s x mJ; 50x
// budget in brackets): ResNet-50 42.6-47.1 -> 27.3-27.6 (26.8), MobileNet-v2 0.314-0.378 ->
// 0.261-0.295 (0.225), BERT 1.71-2.04 -> 1.26 (1.25), AlexNet 1.43-1.77 -> 1.16-1.47 (1.07).
// Where a sweep costs more than the budget (most shares on the ASIC spatial arrays: 5 levels,
// ~500 splits per sweep against 64-384 evaluations) it would spend the budget on the first
// dimensions' splits, and BERT/asic_65nm's EDP got worse with it, so there the annealing runs as
// before.

#include <cmath>

#include "dnnchip/search/MappingSpace.h"
#include "dnnchip/search/Rng.h"

namespace dnnchip::search {

using workload::kNumDims;

namespace {

int32_t smallestPrimeFactor(int32_t n) {
  for (int32_t p = 2; p * p <= n; ++p)
    if (n % p == 0) return p;
  return n;
}

// A random prime factor of n (n > 1): pick among its prime factors with multiplicity.
int32_t randomPrimeFactor(int32_t n, Rng& rng) {
  int32_t primes[32];
  int k = 0;
  while (n > 1 && k < 32) {
    int32_t p = smallestPrimeFactor(n);
    primes[k++] = p;
    n /= p;
  }
  return primes[rng.below(static_cast<uint64_t>(k))];
}

class AnnealingMapper final : public MappingSearcher {
 public:
  const char* name() const override { return "annealing"; }

  LayerSearchResult search(const MappingSpace& space, const SpatialChoice& s, const LayerObjective& obj,
                           int64_t budget, uint64_t seed, uint64_t streamId, const LoopMapping* start,
                           io::StopToken stop) const override {
    LayerSearchResult r;
    Rng rng(seed, streamId);
    const int L = space.levels();
    LoopMapping cur = start ? *start : space.outermost(s);
    auto eval = [&](const LoopMapping& m, double& score) {
      MappingCost c = space.verify(m);
      ++r.evaluated;
      if (!c.ok()) {
        ++r.invalid[static_cast<int>(c.failure)];
        return false;
      }
      score = obj.score(c);
      uint64_t id = MappingSpace::pointId(m);
      if (!r.found || score < r.score || (score == r.score && id < r.id)) {
        r.found = true;
        r.best = m;
        r.cost = c;
        r.score = score;
        r.id = id;
        r.recordBest();
      }
      return true;
    };
    double curScore = 0;
    if (!eval(cur, curScore)) {
      if (!start) return r;  // the outermost point fails only on fan-out/dataflow
      cur = space.outermost(s);
      if (!eval(cur, curScore)) return r;
    }
    if (L < 2) return r;

    // A descent's candidate: one that overflows a level is cut (pruned, not evaluated, as in the
    // annealing below); else it is scored into sc, and true when it beats `score`.
    auto improves = [&](const LoopMapping& next, double score, double& sc) {
      if (!space.fits(next)) {
        ++r.pruned;
        return false;
      }
      return eval(next, sc) && sc < score;
    };

    // Greedy descent: move the smallest prime of each dimension one level inward while it helps.
    for (bool improved = true; improved && r.evaluated < budget / 4 && !stop.stopRequested();) {
      improved = false;
      for (int d = 0; d < kNumDims && r.evaluated < budget / 4; ++d)
        for (int lv = 0; lv + 1 < L; ++lv) {
          if (cur.temporal[lv][d] == 1) continue;
          LoopMapping next = cur;
          int32_t p = smallestPrimeFactor(next.temporal[lv][d]);
          next.temporal[lv][d] /= p;
          next.temporal[lv + 1][d] *= p;
          double sc;
          if (improves(next, curScore, sc)) {
            cur = next;
            curScore = sc;
            improved = true;
          }
        }
    }

    // Coordinate descent (see the file comment) when one sweep fits the budget.
    const auto splits = space.temporalSplits(s);
    int64_t sweep = space.orderLevels() * (kNumTensors - 1);
    for (const auto& v : splits) sweep += static_cast<int64_t>(v.size()) - 1;
    const bool descend = sweep <= budget;
    auto coordinateDescent = [&](LoopMapping& m, double& score, int64_t until) {
      for (bool improved = true; improved && r.evaluated < until && !stop.stopRequested();) {
        improved = false;
        for (int d = 0; d < kNumDims && r.evaluated < until; ++d) {
          if (splits[d].size() < 2) continue;
          LoopMapping best = m;
          for (const auto& sp : splits[d]) {
            if (r.evaluated >= until) break;
            LoopMapping next = m;
            for (int lv = 0; lv < L; ++lv) next.temporal[lv][d] = sp[lv];
            if (next.temporal == m.temporal) continue;
            double sc;
            if (improves(next, score, sc)) {
              score = sc;
              best = next;
              improved = true;
            }
          }
          m = best;
        }
        for (int lv = 0; lv < space.orderLevels() && r.evaluated < until; ++lv)
          for (uint8_t t = 0; t < kNumTensors && r.evaluated < until; ++t) {
            if (m.stationary[lv] == t) continue;
            LoopMapping next = m;
            next.stationary[lv] = t;
            double sc;
            if (eval(next, sc) && sc < score) {
              score = sc;
              m = next;
              improved = true;
            }
          }
      }
    };
    if (descend) coordinateDescent(cur, curScore, budget / 2);

    const double t0 = 1.0, t1 = 1e-3;
    const int64_t annealUntil = descend ? budget - budget / 5 : budget;
    const int64_t steps = std::max<int64_t>(annealUntil - r.evaluated, 0);
    const double decay = steps > 0 ? std::pow(t1 / t0, 1.0 / static_cast<double>(steps)) : 1.0;
    double temp = t0;
    int dimsWithFactors[kNumDims];
    for (int64_t step = 0; step < steps; ++step, temp *= decay) {
      if (stop.stopRequested()) break;  // Ctrl-C: keep the best found so far
      LoopMapping next = cur;
      if (rng.below(5) == 0 && space.orderLevels() > 0) {
        int lv = static_cast<int>(rng.below(static_cast<uint64_t>(space.orderLevels())));
        next.stationary[lv] = static_cast<uint8_t>((next.stationary[lv] + 1 + rng.below(2)) % kNumTensors);
      } else {
        int n = 0;
        for (int d = 0; d < kNumDims; ++d) {
          int64_t rem = 1;
          for (int lv = 0; lv < L; ++lv) rem *= cur.temporal[lv][d];
          if (rem > 1) dimsWithFactors[n++] = d;
        }
        if (n == 0) break;
        int d = dimsWithFactors[rng.below(static_cast<uint64_t>(n))];
        int from;
        do from = static_cast<int>(rng.below(static_cast<uint64_t>(L)));
        while (next.temporal[from][d] == 1);
        int to = static_cast<int>(rng.below(static_cast<uint64_t>(L - 1)));
        if (to >= from) ++to;
        int32_t p = randomPrimeFactor(next.temporal[from][d], rng);
        next.temporal[from][d] /= p;
        next.temporal[to][d] *= p;
      }
      // A move whose tiles overflow a level is cut before the reuse model (counted as pruned, as
      // the exhaustive mapper counts its capacity cuts) and the step is drawn again, up to 4x the
      // budget in all, so the budget buys evaluations of mappings that fit.
      if (!space.fits(next)) {
        ++r.pruned;
        if (r.pruned < 4 * budget) {
          --step;
          temp /= decay;
        }
        continue;
      }
      double sc;
      if (!eval(next, sc)) continue;
      if (sc <= curScore || rng.uniform() < std::exp((curScore - sc) / temp)) {
        cur = next;
        curScore = sc;
      }
    }
    if (descend && r.found) {  // the annealing's best, down to a coordinate-wise local optimum
      LoopMapping m = r.best;
      double score = r.score;
      coordinateDescent(m, score, budget);
    }
    r.truncated = true;
    return r;
  }
};

}  // namespace

const MappingSearcher& annealingMapper() {
  static const AnnealingMapper m;
  return m;
}

}  // namespace dnnchip::search
