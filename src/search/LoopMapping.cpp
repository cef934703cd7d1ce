// The search genotype's helpers: the all-ones point, loop orders from the stationary tensor per
// level, the active PE count, and expansion to a mapping::Mapping. O(levels * dims), no heap.

#include "dnnchip/search/LoopMapping.h"

namespace dnnchip::search {

using workload::Dim;
using workload::kNumDims;

LoopMapping LoopMapping::ones() {
  LoopMapping m;
  for (auto& lv : m.temporal) lv.fill(1);
  m.spatialX.fill(1);
  m.spatialY.fill(1);
  m.stationary.fill(2);
  return m;
}

mapping::DimOrder LoopMapping::order(int level) const {
  // Relevant dims of the stationary tensor outside, irrelevant ones inside, so its tile does
  // not change across the innermost loops.
  auto t = static_cast<workload::TensorRole>(stationary[level] % kNumTensors);
  mapping::DimOrder out{};
  int n = 0;
  for (int d = 0; d < kNumDims; ++d)
    if (workload::LoopNest::relevant(t, static_cast<Dim>(d))) out[n++] = static_cast<Dim>(d);
  for (int d = 0; d < kNumDims; ++d)
    if (!workload::LoopNest::relevant(t, static_cast<Dim>(d))) out[n++] = static_cast<Dim>(d);
  return out;
}

int64_t LoopMapping::activePes() const {
  int64_t n = 1;
  for (int d = 0; d < kNumDims; ++d) n *= int64_t{spatialX[d]} * spatialY[d];
  return n;
}

mapping::Mapping LoopMapping::toMapping(const mapping::Hierarchy& h) const {
  mapping::Mapping m;
  m.numLevels = h.numLevels();
  for (int lv = 0; lv < m.numLevels && lv < kMaxLevels; ++lv) {
    for (int d = 0; d < kNumDims; ++d) m.levels[lv].factor[d] = temporal[lv][d];
    m.levels[lv].order = order(lv);
    m.levels[lv].keeps = h.levels[lv].canKeep;
  }
  for (int d = 0; d < kNumDims; ++d) {
    m.spatialX[d] = spatialX[d];
    m.spatialY[d] = spatialY[d];
  }
  return m;
}

}  // namespace dnnchip::search
