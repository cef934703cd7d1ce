#pragma once
/// \file
/// Internal: used inside the library, its tools and tests; not installed (docs/api.md).
/// The key of a memo of the engine's closed-form cycle estimate of one descriptor: every input of
/// estimateCycles for it — all EngineConfig fields, the encoded descriptor and the three fields
/// encode() leaves out that packing and the estimate read. Shared by the lowering's memo
/// (src/schedule/Program.cpp) and the explore's (search::EstimateMemo).

#include <array>
#include <cstdint>

#include "dnnchip/schedule/EngineConfig.h"
#include "dnnchip/schedule/LayerDescriptor.h"

namespace dnnchip::schedule {

constexpr size_t kEstimateConfigWords = 22;
constexpr size_t kEstimateKeyWords = kEstimateConfigWords + kDescriptorWords + 4;
using EstimateKeyWords = std::array<uint32_t, kEstimateKeyWords>;

// sizeof alone misses a bool that fits the padding (wideGather did): count the fields when adding one
// requantBits is not in the key: RQ_W changes no cycle (the vector unit keeps its 3 stages)
static_assert(sizeof(EngineConfig) == 88, "EngineConfig gained a field: add it to estimateKey()");
// storeTileStride is encoded (w23); packsWeights is not read by the estimate
static_assert(sizeof(LayerDescriptor) == 240,  // fusePool, mul, broadcastSkip, dwSTaps, dwRowFirst are encoded; fusedPoolIndex, mulOperandA are not read by the estimate
              "LayerDescriptor gained a field: add it to estimateKey() if the estimate may read it");

inline EstimateKeyWords estimateKey(const LayerDescriptor& d, const EngineConfig& c) {
  EstimateKeyWords k{};
  const std::array<uint32_t, kEstimateConfigWords> cw = {
      uint32_t(c.rows), uint32_t(c.cols), uint32_t(c.dataflow), uint32_t(c.actBufferWords),
      uint32_t(c.accBufferWords), uint32_t(c.doubleBuffer), uint32_t(c.pack), uint32_t(c.axiDataBits),
      uint32_t(c.axiAddrBits), uint32_t(c.burstMaxBeats), uint32_t(c.progDepth), uint32_t(c.dramReadLatencyCycles),
      uint32_t(c.dramWriteLatencyCycles), uint32_t(c.readOutstanding), uint32_t(c.writeOutstanding),
      uint32_t(c.fuseResidualAdd), uint32_t(c.wideGather), uint32_t(c.weightGroup), uint32_t(c.poolLineWords),
      uint32_t(c.depthwiseUnit), uint32_t(c.depthwiseLineBits), uint32_t(c.weightSkew)};
  size_t i = 0;
  for (uint32_t w : cw) k[i++] = w;
  for (uint32_t w : d.encode()) k[i++] = w;
  k[i++] = uint32_t(d.lowering);
  k[i++] = d.foldedS;
  k[i++] = d.foldedR;
  k[i++] = uint32_t(d.fusedOutputIsB);
  return k;
}

}  // namespace dnnchip::schedule
