#pragma once
/// \file
/// The mapping of one layer onto a Hierarchy: per memory level the temporal factor of every loop
/// dimension and the loop order, the spatial factors on the array's X and Y axes, and which
/// tensors each level keeps (bypass). Fixed-size (no heap), cheap to copy: the search builds
/// millions of them. JSON form: docs/mapping.md (MappingJson.h).
///
/// Semantics. For each dimension the factors form a mixed-radix index, innermost first: the
/// per-PE levels (deepest first), spatial X, spatial Y, then the levels above the array (deepest
/// first). Index i = sum digit_k * stride_k. Factors are ceilings: their product may exceed the
/// bound, and iterations with i >= bound do not run (partial last tiles, counted exactly).

#include <array>
#include <cstdint>

#include "dnnchip/mapping/Hierarchy.h"
#include "dnnchip/workload/Layer.h"

namespace dnnchip::mapping {

using DimOrder = std::array<workload::Dim, workload::kNumDims>;

/// The canonical order G N K C P Q R S (outermost first).
DimOrder canonicalOrder();

/// Loops of one memory level.
struct LevelLoops {
  DimArray factor{1, 1, 1, 1, 1, 1, 1, 1};  ///< temporal trip count per dimension
  DimOrder order = canonicalOrder();         ///< loop order at this level, outermost first
  TensorFlags keeps{true, true, true};       ///< tensors kept here (subset of canKeep)
  bool operator==(const LevelLoops& o) const = default;
};

struct Mapping {
  int numLevels = 0;                         ///< == Hierarchy::numLevels()
  std::array<LevelLoops, kMaxLevels> levels; ///< [0] = DRAM (outermost)
  DimArray spatialX{1, 1, 1, 1, 1, 1, 1, 1};
  DimArray spatialY{1, 1, 1, 1, 1, 1, 1, 1};

  /// All factors 1 and keeps = canKeep of each level.
  static Mapping trivial(const Hierarchy& h);
  /// PEs the mapping uses: product of all spatial factors.
  int64_t activePes() const {
    int64_t p = 1;
    for (int d = 0; d < workload::kNumDims; ++d) p *= spatialX[d] * spatialY[d];
    return p;
  }
  /// Product of every factor (temporal and spatial) of dimension d.
  int64_t product(workload::Dim d) const {
    int64_t p = spatialX[d] * spatialY[d];
    for (int l = 0; l < numLevels; ++l) p *= levels[l].factor[d];
    return p;
  }
  bool operator==(const Mapping& o) const = default;
};

}  // namespace dnnchip::mapping
