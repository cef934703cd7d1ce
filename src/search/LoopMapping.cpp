// The compact mapping's helpers: the all-ones mapping, loop orders from the stationary tensor
// per level, and the active PE count (product of the spatial factors). O(dims).

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

std::array<Dim, kNumDims> LoopMapping::order(int level) const {
  // Relevant dims of the stationary tensor go outside, irrelevant ones inside, so the
  // stationary tensor's tile does not change across the innermost loops.
  auto t = static_cast<workload::TensorRole>(stationary[level] % kNumTensors);
  std::array<Dim, kNumDims> out{};
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

}  // namespace dnnchip::search
