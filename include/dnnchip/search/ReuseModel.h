#pragma once
/// \file
/// A closed-form reuse model in the manner of Timeloop's, implementing LayerEvaluator on a
/// mapping::Hierarchy plus a per-access energy table given directly (EnergyTable) — for tests,
/// for reproducing published per-access tables, and as the search's cost model when no
/// predictor cost tables are at hand. The predictor module remains the reference.
///
/// Model. A level keeps the footprint of all loops at and below it. A keeping level is refilled
/// once per iteration of the loops above it, except that the innermost run of loops irrelevant
/// to the tensor (stationarity) does not refill it. Below the PE array each PE holds its own copy;
/// the parent reads the distinct data once (multicast) and outputs are reduced spatially before
/// they go up. Partial sums revisited after their first visit are read back from the parent.
/// Latency is the largest of the compute cycles (product of the temporal factors) and every
/// level's traffic over its bandwidth; energy is accesses times per-word energy plus MACs times
/// MAC energy. Limits: factors are taken as exact (ceilings are treated as padded loops); input
/// halo overlap between consecutive tiles is not reused; network energy is not modelled.

#include <array>
#include <cstdint>

#include "dnnchip/search/LayerEvaluator.h"
#include "dnnchip/search/LoopMapping.h"

namespace dnnchip::search {

/// Per-access energies of each level (one access of the level's accessWidthBits) and of a MAC.
struct EnergyTable {
  std::array<double, mapping::kMaxLevels> readPj{};
  std::array<double, mapping::kMaxLevels> writePj{};
  double macPj = 0;
};

/// Access counts of one evaluation (data words, all instances), for reports and tests.
struct ReuseCounts {
  std::array<std::array<double, kNumTensors>, mapping::kMaxLevels> reads{}, writes{};
  double computeCycles = 0;
  int boundLevel = -1;  ///< -1: compute-bound; else the level whose bandwidth bounds latency
};

class ReuseModel final : public LayerEvaluator {
 public:
  ReuseModel(const mapping::Hierarchy& h, const workload::LoopNest& nest, const EnergyTable& e)
      : h_(h), nest_(nest), e_(e) {}
  const mapping::Hierarchy& hierarchy() const override { return h_; }
  const workload::LoopNest& nest() const override { return nest_; }
  MappingCost evaluate(const mapping::Mapping& m) const noexcept override;
  /// evaluate() that also returns the access counts.
  MappingCost evaluate(const mapping::Mapping& m, ReuseCounts& counts) const noexcept;

 private:
  const mapping::Hierarchy& h_;
  workload::LoopNest nest_;
  EnergyTable e_;
};

}  // namespace dnnchip::search
