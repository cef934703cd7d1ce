// The per-layer mapping space: spatial unrollings allowed by the dataflow and array size, the
// ordered factorizations of each dimension over the temporal levels, point ids, check/verify,
// and searchLayer(), which ranks the spatial choices and runs one algorithm per choice in
// parallel (oneTBB), reducing on (score, id) so the result does not depend on the thread count.
// Cost: spatial enumeration is O(product of divisor counts) bounded by the array size. An array
// with a fixed spatial mapping (the design's spatial_mapping) has that one choice, whose factors
// need not divide the bounds: its temporal factors cover ceil(bound / spatial) (temporalBound).

#include "dnnchip/search/MappingSpace.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <tbb/parallel_for.h>

#include "dnnchip/search/Rng.h"

namespace dnnchip::search {

using workload::kNumDims;

double LayerObjective::score(const MappingCost& c) const {
  if (!c.ok()) return std::numeric_limits<double>::infinity();
  return wLatency * std::log(std::max(c.cycles, 1e-30)) + wEnergy * std::log(std::max(c.energyPj, 1e-30));
}

void LayerSearchResult::merge(const LayerSearchResult& o) {
  if (o.found && (!found || o.score < score || (o.score == score && o.id < id))) {
    found = true;
    best = o.best;
    cost = o.cost;
    score = o.score;
    id = o.id;
  }
  evaluated += o.evaluated;
  pruned += o.pruned;
  for (size_t i = 0; i < invalid.size(); ++i) invalid[i] += o.invalid[i];
  truncated = truncated || o.truncated;
}

void LayerSearchResult::append(const LayerSearchResult& o) {
  const int64_t offset = evaluated;
  for (const SearchImprovement& i : o.trace)
    if (trace.empty() || i.score < trace.back().score || (i.score == trace.back().score && i.id < trace.back().id))
      trace.push_back({i.evaluated + offset, i.score, i.id, i.mapping});
  merge(o);
}

const SearchImprovement* LayerSearchResult::bestAfter(int64_t evaluations) const {
  auto it = std::upper_bound(trace.begin(), trace.end(), evaluations,
                             [](int64_t n, const SearchImprovement& i) { return n < i.evaluated; });
  return it == trace.begin() ? nullptr : &*(it - 1);
}

int64_t MappingSpace::temporalBound(int d, int64_t x, int64_t y) const {
  const int64_t spatial = x * y;
  return (nest_.bound[d] + spatial - 1) / spatial;
}

MappingSpace::MappingSpace(const LayerEvaluator& eval)
    : eval_(&eval), nest_(eval.nest()), levels_(std::min(eval.hierarchy().numLevels(), kMaxLevels)) {}

bool MappingSpace::fits(const LoopMapping& m) const {
  const mapping::Hierarchy& h = hierarchy();
  mapping::Mapping full = m.toMapping(h);
  for (int lv = 0; lv < levels_; ++lv) {
    const mapping::MemoryLevel& ml = h.levels[lv];
    if (ml.isDram || ml.capacityBits == 0) continue;
    if (mapping::levelTileBits(h, nest_, full, lv) > ml.capacityBits) return false;
  }
  return true;
}

namespace {

std::vector<int32_t> divisors(int64_t n) {
  std::vector<int32_t> d;
  for (int64_t i = 1; i * i <= n; ++i)
    if (n % i == 0) {
      d.push_back(static_cast<int32_t>(i));
      if (i != n / i) d.push_back(static_cast<int32_t>(n / i));
    }
  std::sort(d.begin(), d.end());
  return d;
}

// All factor vectors over `allow`ed dims with product <= limit, each factor dividing rem[d].
void axisChoices(const std::array<bool, kNumDims>& allow, const DimFactors& rem, int64_t limit,
                 int d, DimFactors& cur, int64_t prod, std::vector<DimFactors>& out) {
  if (d == kNumDims) {
    out.push_back(cur);
    return;
  }
  if (!allow[d] || rem[d] == 1) {
    cur[d] = 1;
    axisChoices(allow, rem, limit, d + 1, cur, prod, out);
    return;
  }
  for (int32_t f : divisors(rem[d])) {
    if (prod * f > limit) break;
    cur[d] = f;
    axisChoices(allow, rem, limit, d + 1, cur, prod * f, out);
  }
  cur[d] = 1;
}

void splits(int64_t n, int levels, int lv, std::array<int32_t, kMaxLevels>& cur,
            std::vector<std::array<int32_t, kMaxLevels>>& out) {
  if (lv == levels - 1) {
    cur[lv] = static_cast<int32_t>(n);
    out.push_back(cur);
    return;
  }
  for (int32_t f : divisors(n)) {
    cur[lv] = f;
    splits(n / f, levels, lv + 1, cur, out);
  }
}

// A row-stationary PE set (Eyeriss, JSSC'17 Sec. IV): a filter row stays in one PE and slides
// over an ifmap row, so the filter width S never spreads over PEs; the filter's rows R go down a
// column of PEs (whole, when they fit the rows) and output rows P across the columns, never the
// output columns Q. Sets are replicated over the other dimensions the axes allow (C, K, N, G).
bool isPeSet(const DimFactors& x, const DimFactors& y, const DimFactors& bound, int64_t meshY) {
  using workload::Dim;
  if (x[Dim::S] != 1 || y[Dim::S] != 1 || x[Dim::Q] != 1) return false;
  return bound[Dim::R] > meshY || y[Dim::R] == bound[Dim::R];
}

}  // namespace

std::vector<SpatialChoice> MappingSpace::spatialChoices(size_t limit, double minShare) const {
  if (auto f = mapping::fixedSpatialFactors(hierarchy().array, nest_.bound)) {
    // The design's fixed spatial mapping: the one choice, whatever the dataflow would allow.
    SpatialChoice s;
    for (int d = 0; d < kNumDims; ++d) {
      s.x[d] = static_cast<int32_t>(f->x[d]);
      s.y[d] = static_cast<int32_t>(f->y[d]);
      s.pes *= f->x[d] * f->y[d];
    }
    if (limit == 0) return {};
    return {s};
  }
  DimFactors all{};
  for (int d = 0; d < kNumDims; ++d) all[d] = static_cast<int32_t>(nest_.bound[d]);
  std::vector<DimFactors> xs;
  DimFactors cur{};
  cur.fill(1);
  const mapping::ComputeArray& arr = hierarchy().array;
  axisChoices(arr.allowX, all, arr.meshX, 0, cur, 1, xs);
  std::vector<SpatialChoice> out;
  for (const DimFactors& x : xs) {
    DimFactors rem{};
    int64_t px = 1;
    for (int d = 0; d < kNumDims; ++d) {
      rem[d] = all[d] / x[d];
      px *= x[d];
    }
    std::vector<DimFactors> ys;
    cur.fill(1);
    axisChoices(arr.allowY, rem, arr.meshY, 0, cur, 1, ys);
    for (const DimFactors& y : ys) {
      if (arr.peSets && !isPeSet(x, y, all, arr.meshY)) continue;
      SpatialChoice s{x, y, px};
      for (int d = 0; d < kNumDims; ++d) s.pes *= y[d];
      out.push_back(s);
    }
  }
  std::sort(out.begin(), out.end(), [](const SpatialChoice& a, const SpatialChoice& b) {
    if (a.pes != b.pes) return a.pes > b.pes;
    if (a.x != b.x) return a.x > b.x;
    return a.y > b.y;
  });
  if (!out.empty()) {
    int64_t best = out.front().pes;
    auto cut = std::find_if(out.begin(), out.end(), [&](const SpatialChoice& s) {
      return static_cast<double>(s.pes) < minShare * static_cast<double>(best);
    });
    out.erase(cut, out.end());
  }
  if (out.size() > limit) out.resize(limit);
  return out;
}

std::vector<std::vector<std::array<int32_t, kMaxLevels>>> MappingSpace::temporalSplits(const SpatialChoice& s) const {
  std::vector<std::vector<std::array<int32_t, kMaxLevels>>> out(kNumDims);
  for (int d = 0; d < kNumDims; ++d) {
    std::array<int32_t, kMaxLevels> cur{1, 1, 1, 1};
    splits(temporalBound(d, s.x[d], s.y[d]), levels_, 0, cur, out[d]);
  }
  return out;
}

int64_t MappingSpace::temporalCount(const SpatialChoice& s) const {
  constexpr int64_t kCap = int64_t{1} << 62;
  int64_t n = 1;
  auto sp = temporalSplits(s);
  for (auto& v : sp) n = static_cast<int64_t>(std::min<double>(static_cast<double>(n) * v.size(), kCap));
  for (int i = 0; i < orderLevels(); ++i) n = std::min(n * 3, kCap);
  return n;
}

bool MappingSpace::check(const LoopMapping& m) const {
  for (int d = 0; d < kNumDims; ++d) {
    int64_t p = int64_t{m.spatialX[d]} * m.spatialY[d];
    if (m.spatialX[d] < 1 || m.spatialY[d] < 1) return false;
    for (int lv = 0; lv < levels_; ++lv) {
      if (m.temporal[lv][d] < 1) return false;
      p *= m.temporal[lv][d];
    }
    for (int lv = levels_; lv < kMaxLevels; ++lv)
      if (m.temporal[lv][d] != 1) return false;
    if (p != int64_t{m.spatialX[d]} * m.spatialY[d] * temporalBound(d, m.spatialX[d], m.spatialY[d])) return false;
  }
  for (int lv = 0; lv < kMaxLevels; ++lv)
    if (m.stationary[lv] >= kNumTensors) return false;
  return true;
}

uint64_t MappingSpace::pointId(const LoopMapping& m) {
  uint64_t h = 0x243f6a8885a308d3ULL;
  auto mix = [&](uint64_t v) { h = splitMix64(h ^ v); };
  for (auto& lv : m.temporal)
    for (int32_t f : lv) mix(static_cast<uint64_t>(f));
  for (int32_t f : m.spatialX) mix(static_cast<uint64_t>(f) + 0x1000);
  for (int32_t f : m.spatialY) mix(static_cast<uint64_t>(f) + 0x2000);
  for (uint8_t s : m.stationary) mix(s + 0x3000u);
  return h;
}

LoopMapping MappingSpace::outermost(const SpatialChoice& s) const {
  LoopMapping m = LoopMapping::ones();
  m.spatialX = s.x;
  m.spatialY = s.y;
  for (int d = 0; d < kNumDims; ++d)
    m.temporal[0][d] = static_cast<int32_t>(temporalBound(d, s.x[d], s.y[d]));
  return m;
}

std::optional<LoopMapping> MappingSpace::adapt(const LoopMapping& from) const {
  return adapt(from, spatialChoices(24, 0.5));
}

std::optional<LoopMapping> MappingSpace::adapt(const LoopMapping& from, const std::vector<SpatialChoice>& choices) const {
  LoopMapping m = LoopMapping::ones();
  bool choice = false;
  for (const SpatialChoice& s : choices)
    if (s.x == from.spatialX && s.y == from.spatialY) choice = true;
  if (!choice) return std::nullopt;
  m.spatialX = from.spatialX;
  m.spatialY = from.spatialY;
  m.stationary = from.stationary;
  for (int d = 0; d < kNumDims; ++d) {
    int64_t left = temporalBound(d, m.spatialX[d], m.spatialY[d]);
    for (int lv = levels_ - 1; lv >= 1; --lv) {
      const int64_t f = std::gcd(left, static_cast<int64_t>(from.temporal[lv][d]));
      m.temporal[lv][d] = static_cast<int32_t>(f);
      left /= f;
    }
    m.temporal[0][d] = static_cast<int32_t>(left);
  }
  if (!check(m) || !fits(m)) return std::nullopt;
  return m;
}

LayerSearchResult adaptFromSimilar(const MappingSpace& space, const LayerObjective& obj,
                                   const std::vector<const LoopMapping*>& candidates) {
  LayerSearchResult r;
  if (candidates.empty()) return r;
  const auto choices = space.spatialChoices(24, 0.5);
  for (const LoopMapping* from : candidates) {
    auto m = space.adapt(*from, choices);
    if (!m) continue;
    MappingCost c = space.verify(*m);
    ++r.evaluated;
    if (!c.ok()) {
      ++r.invalid[static_cast<int>(c.failure)];
      continue;
    }
    const double score = obj.score(c);
    const uint64_t id = MappingSpace::pointId(*m);
    if (!r.found || score < r.score || (score == r.score && id < r.id)) {
      r.found = true;
      r.best = *m;
      r.cost = c;
      r.score = score;
      r.id = id;
      r.recordBest();
    }
  }
  return r;
}

namespace {

// The spatial choices of `space` in the order of their lower bounds (compute bound: the layer's
// iterations over the choice's PEs, LayerEvaluator::lowerBound), ties in spatialChoices' order.
struct RankedChoice {
  SpatialChoice s;
  double bound;  // score of the lower bound
  size_t index;  // position in spatialChoices' order (the random stream follows it)
};
std::vector<RankedChoice> rankByBound(const MappingSpace& space, const LayerObjective& obj,
                                      std::vector<SpatialChoice> choices) {
  double iterations = 1;
  for (int d = 0; d < kNumDims; ++d) iterations *= static_cast<double>(space.nest().bound[d]);
  std::vector<RankedChoice> out;
  for (size_t i = 0; i < choices.size(); ++i)
    out.push_back({choices[i], obj.score(space.lowerBound(iterations / static_cast<double>(choices[i].pes))), i});
  std::stable_sort(out.begin(), out.end(), [](const RankedChoice& a, const RankedChoice& b) { return a.bound < b.bound; });
  return out;
}

}  // namespace

LayerSearchResult searchLayer(const MappingSpace& space, const LayerObjective& obj, int64_t budget,
                              uint64_t seed, uint64_t streamId, const LayerSearchResult* prior,
                              io::StopToken stop) {
  // Up to 24 spatial choices using at least half the best PE count, in waves of 4 (parallel
  // within a wave) in the order of their lower bounds. Before each wave the choices whose bound
  // exceeds the best score so far are dropped (counted as pruned subtrees) and the budget left is
  // shared evenly by the choices still open, so the budget of a hopeless choice goes to the
  // others. Deterministic: waves and shares depend only on earlier waves' results.
  const auto ranked = rankByBound(space, obj, space.spatialChoices(24, 0.5));
  LayerSearchResult total;
  if (prior && prior->found) {  // the incumbent from the start, at no evaluations of this search
    total.found = true;
    total.best = prior->best;
    total.cost = prior->cost;
    total.score = prior->score;
    total.id = prior->id;
    total.recordBest();
  }
  auto startOf = [&](const SpatialChoice& s) -> const LoopMapping* {
    return prior && prior->found && prior->best.spatialX == s.x && prior->best.spatialY == s.y ? &prior->best : nullptr;
  };
  constexpr size_t kWave = 4;
  int64_t left = budget;
  size_t next = 0, end = ranked.size();
  while (next < ranked.size() && !stop.stopRequested()) {
    // bounds ascend, so the choices still open are a prefix of the rest; the others never open
    end = next;
    while (end < ranked.size() && !(total.found && ranked[end].bound > total.score)) ++end;
    if (end == next) break;
    const size_t wave = std::min(kWave, end - next);
    const int64_t share = std::max<int64_t>(left / static_cast<int64_t>(end - next), 64);
    std::vector<LayerSearchResult> parts(wave);
    tbb::parallel_for(size_t{0}, wave, [&](size_t w) {
      const RankedChoice& c = ranked[next + w];
      const uint64_t stream = splitMix64(streamId) ^ (c.index + 1);
      const MappingSearcher& algo = space.temporalCount(c.s) <= share ? exhaustiveMapper() : annealingMapper();
      parts[w] = algo.search(space, c.s, obj, share, seed, stream, startOf(c.s), stop);
    });
    for (const auto& p : parts) {
      total.append(p);
      left -= p.evaluated;
    }
    next += wave;
    if (left <= 0 && next < end) {  // the budget ran out with choices still open
      total.truncated = true;
      break;
    }
  }
  if (stop.stopRequested() && next < ranked.size()) {  // stopped with choices never opened
    total.truncated = true;
    return total;
  }
  total.pruned += static_cast<int64_t>(ranked.size() - std::max(next, end));  // cut by their bound
  return total;
}

LayerSearchResult searchLayerExhaustive(const MappingSpace& space, const LayerObjective& obj) {
  // Every spatial choice, in the order of their lower bounds; each enumerated completely unless
  // its bound already exceeds the best score found (then no mapping of it can win, ties included,
  // since ties resolve on the id only between equal scores).
  const auto ranked = rankByBound(space, obj, space.spatialChoices(SIZE_MAX, 0.0));
  LayerSearchResult total;
  for (const RankedChoice& c : ranked) {
    if (total.found && c.bound > total.score) {
      ++total.pruned;
      continue;
    }
    total.append(exhaustiveMapper().search(space, c.s, obj, INT64_MAX, 0, 0));
  }
  return total;
}

}  // namespace dnnchip::search
