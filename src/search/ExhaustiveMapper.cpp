// Exhaustive mapping search with capacity pruning, for a fixed spatial choice. Depth-first over
// the loop dimensions; at each depth it tries every split of the dimension over the temporal
// levels and cuts the subtree as soon as a level's tile (with the dimensions not yet assigned
// kept outermost, their smallest footprint) overflows: footprints only grow as factors move
// inward, so the cut loses nothing. Complete points try every loop-order choice. Deterministic:
// the visiting order is fixed; ties resolve on (score, id). Stops after `budget` evaluations, or
// at the next point once a stop is requested (Ctrl-C: one relaxed atomic load per point).

#include <algorithm>
#include <cmath>

#include "dnnchip/search/MappingSpace.h"

namespace dnnchip::search {

using workload::kNumDims;

namespace {

class ExhaustiveMapper final : public MappingSearcher {
 public:
  const char* name() const override { return "exhaustive"; }

  LayerSearchResult search(const MappingSpace& space, const SpatialChoice& s, const LayerObjective& obj,
                           int64_t budget, uint64_t, uint64_t, const LoopMapping*,
                           io::StopToken stop) const override {
    State st{space, s, obj, budget, stop, space.temporalSplits(s), {}, space.outermost(s)};
    st.dims.clear();
    for (int d = 0; d < kNumDims; ++d)
      if (st.splits[d].size() > 1) st.dims.push_back(d);
    // Most constrained (most options) first prunes earliest.
    std::stable_sort(st.dims.begin(), st.dims.end(),
                     [&](int a, int b) { return st.splits[a].size() > st.splits[b].size(); });
    recurse(st, 0);
    return st.result;
  }

 private:
  struct State {
    const MappingSpace& space;
    const SpatialChoice& s;
    const LayerObjective& obj;
    int64_t budget;
    io::StopToken stop;
    std::vector<std::vector<std::array<int32_t, kMaxLevels>>> splits;
    std::vector<int> dims;
    LoopMapping cur;
    LayerSearchResult result{};
  };

  static bool fits(const State& st) { return st.space.fits(st.cur); }

  static void evaluateOrders(State& st, int lv) {
    if (st.result.evaluated >= st.budget || st.stop.stopRequested()) {
      st.result.truncated = true;
      return;
    }
    if (lv == st.space.orderLevels()) {
      MappingCost c = st.space.verify(st.cur);
      ++st.result.evaluated;
      if (!c.ok()) {
        ++st.result.invalid[static_cast<int>(c.failure)];
        return;
      }
      double score = st.obj.score(c);
      uint64_t id = MappingSpace::pointId(st.cur);
      LayerSearchResult& r = st.result;
      if (!r.found || score < r.score || (score == r.score && id < r.id)) {
        r.found = true;
        r.best = st.cur;
        r.cost = c;
        r.score = score;
        r.id = id;
        r.recordBest();
      }
      return;
    }
    // Orders only matter at levels with at least two non-unit loops; otherwise try one.
    int nonUnit = 0;
    for (int d = 0; d < kNumDims; ++d) nonUnit += st.cur.temporal[lv][d] > 1;
    int choices = nonUnit >= 2 ? kNumTensors : 1;
    for (int t = 0; t < choices; ++t) {
      st.cur.stationary[lv] = static_cast<uint8_t>(choices == 1 ? 2 : t);
      evaluateOrders(st, lv + 1);
    }
  }

  static void recurse(State& st, size_t depth) {
    if (st.result.evaluated >= st.budget || st.stop.stopRequested()) {
      st.result.truncated = true;
      return;
    }
    if (depth == st.dims.size()) {
      evaluateOrders(st, 0);
      return;
    }
    int d = st.dims[depth];
    const int L = st.space.levels();
    for (const auto& split : st.splits[d]) {
      for (int lv = 0; lv < L; ++lv) st.cur.temporal[lv][d] = split[lv];
      if (!fits(st)) {
        ++st.result.pruned;
        continue;
      }
      recurse(st, depth + 1);
    }
    // Restore the outermost assignment for this dimension.
    const auto& first = st.splits[d].back();
    int64_t all = 1;
    for (int lv = 0; lv < L; ++lv) all *= first[lv];
    for (int lv = 0; lv < L; ++lv) st.cur.temporal[lv][d] = lv == 0 ? static_cast<int32_t>(all) : 1;
  }
};

}  // namespace

const MappingSearcher& exhaustiveMapper() {
  static const ExhaustiveMapper m;
  return m;
}

}  // namespace dnnchip::search
