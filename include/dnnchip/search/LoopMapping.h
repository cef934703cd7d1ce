#pragma once
/// \file
/// The search's genotype of one layer's mapping: per memory level the temporal factor of every
/// loop dimension and which tensor that level's loop order keeps stationary, plus the spatial
/// factors on the array's X and Y axes. Factors of each dimension multiply to the layer's bound
/// exactly (divisors only), except under an array's fixed spatial mapping, whose factors need
/// not divide it: there the temporal factors cover ceil(bound / spatial) and the last pass is
/// partial (MappingSpace::temporalBound). It expands to a mapping::Mapping (toMapping) for evaluation; the
/// stationary choice becomes a loop order with the tensor's irrelevant loops innermost.

#include <array>
#include <cstdint>

#include "dnnchip/mapping/Hierarchy.h"
#include "dnnchip/mapping/Mapping.h"
#include "dnnchip/workload/Layer.h"

namespace dnnchip::search {

constexpr int kNumTensors = mapping::kNumTensors;
constexpr int kMaxLevels = mapping::kMaxLevels;
using DimFactors = std::array<int32_t, workload::kNumDims>;

struct LoopMapping {
  std::array<DimFactors, kMaxLevels> temporal{};  ///< [level][dim], level 0 outermost (DRAM)
  DimFactors spatialX{}, spatialY{};
  /// Per level, the tensor whose irrelevant loops run innermost (0 input, 1 weight, 2 output).
  std::array<uint8_t, kMaxLevels> stationary{};

  /// All factors 1 and output-stationary orders.
  static LoopMapping ones();
  /// The loop order at `level`, outermost first.
  mapping::DimOrder order(int level) const;
  int64_t activePes() const;
  /// The full mapping on `h` (keeps = what each level can keep).
  mapping::Mapping toMapping(const mapping::Hierarchy& h) const;
  bool operator==(const LoopMapping& o) const = default;
};

}  // namespace dnnchip::search
