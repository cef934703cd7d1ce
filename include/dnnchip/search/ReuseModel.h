#pragma once
/// \file
/// The search's inner-loop cost of one (layer, mapping) on an ArchSpec: a closed-form reuse
/// analysis in the manner of Timeloop's, allocation-free and a few hundred nanoseconds per call.
/// It is the coarse estimate the search culls with; the predictor module confirms the winners.
///
/// Model. A level keeps the footprint of all loops at and below it. A keeping level is refilled
/// once per iteration of the loops above it, except that the innermost run of loops irrelevant
/// to the tensor (stationarity) does not refill it. Below the PE array each PE holds its own copy;
/// the parent reads the distinct data once (multicast) and outputs are reduced spatially before
/// they go up. Partial sums revisited after their first visit are read back from the parent.
/// Latency is the largest of the compute cycles (product of temporal factors) and every level's
/// traffic over its bandwidth; energy is accesses times per-word energy plus MACs times MAC energy.

#include <array>
#include <cstdint>

#include "dnnchip/search/ArchSpec.h"
#include "dnnchip/search/LoopMapping.h"
#include "dnnchip/workload/Layer.h"

namespace dnnchip::search {

/// Why a mapping is invalid (counted per class by the search; Timeloop's EvalStatus).
enum class MappingFailure : int {
  None = 0,
  FactorProduct,    ///< factors of a dimension do not multiply to its bound
  SpatialFanout,    ///< more PEs than the array has on an axis
  SpatialDim,       ///< a dimension the dataflow does not unroll on that axis
  Capacity,         ///< a tile does not fit a level
  kCount
};
const char* failureName(MappingFailure f);

struct MappingCost {
  MappingFailure failure = MappingFailure::None;
  int failedLevel = -1;           ///< for Capacity: which level overflowed
  double cycles = 0;
  double energyPj = 0;
  double computeCycles = 0;
  int boundLevel = -1;            ///< -1 compute-bound, else the level whose bandwidth bounds it
  int64_t activePes = 0;
  std::array<std::array<double, kNumTensors>, kMaxLevels> reads{}, writes{};  ///< words, all instances
  bool ok() const { return failure == MappingFailure::None; }
};

/// Evaluates `m` for the loop nest `nest` on `arch`. Never allocates, never throws.
MappingCost evaluateMapping(const ArchSpec& arch, const workload::LoopNest& nest, const LoopMapping& m) noexcept;

/// Footprint in words of tensor `t` over per-dimension extents `e` (input: sliding window).
int64_t footprint(const workload::LoopNest& nest, int t, const DimFactors& e) noexcept;

}  // namespace dnnchip::search
