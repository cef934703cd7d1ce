#pragma once
/// \file
/// The search's compact, fixed-size form of one layer's mapping (no heap, cheap to copy, so the
/// inner loop allocates nothing): per memory level the temporal factor of every loop dimension
/// and which tensor that level's loop order keeps stationary, plus the spatial factors on the
/// array's X and Y axes. Factors of each dimension multiply to the layer's bound exactly.
/// It converts to the predictor's mapping format at the boundary (MappingFile.h).

#include <array>
#include <cstdint>

#include "dnnchip/search/ArchSpec.h"
#include "dnnchip/workload/Layer.h"

namespace dnnchip::search {

using DimFactors = std::array<int32_t, workload::kNumDims>;

struct LoopMapping {
  std::array<DimFactors, kMaxLevels> temporal{};  ///< [level][dim], level 0 outermost
  DimFactors spatialX{}, spatialY{};
  /// Per level, the tensor whose irrelevant loops run innermost at that level (so it stays put):
  /// 0 input, 1 weight, 2 output. The order within a group follows the dimension index.
  std::array<uint8_t, kMaxLevels> stationary{};

  /// All factors 1 (temporal, spatial) and output-stationary orders.
  static LoopMapping ones();
  /// The order of loop dimensions at `level`, outermost first.
  std::array<workload::Dim, workload::kNumDims> order(int level) const;
  int64_t activePes() const;
  bool operator==(const LoopMapping& o) const = default;
};

}  // namespace dnnchip::search
