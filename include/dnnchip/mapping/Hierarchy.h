#pragma once
/// \file
/// The mapping's view of one compute engine of an accelerator graph: its memory levels, outermost
/// (DRAM) first, and the compute array below one of them. Built from the graph (HierarchyFromGraph)
/// or written directly in tests. It holds structure only (capacities, widths, instances,
/// bandwidths, which tensors a level may hold); energies live in the predictor's cost tables.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dnnchip/workload/Layer.h"

namespace dnnchip::mapping {

constexpr int kNumTensors = 3;   ///< workload::TensorRole Input, Weight, Output
constexpr int kMaxLevels = 8;    ///< memory levels of one engine, DRAM included

using DimArray = std::array<int64_t, workload::kNumDims>;
using TensorFlags = std::array<bool, kNumTensors>;

/// One memory level of the engine.
struct MemoryLevel {
  std::string name;                      ///< graph node name ("DRAM", "GLB", "psum_spad", ...)
  bool isDram = false;                   ///< off-chip: unlimited capacity, keeps every tensor
  TensorFlags canKeep{true, true, true}; ///< tensors this level can hold (the rest bypass it)
  /// Capacity of one instance in bits, shared by the tensors it keeps; 0 = unlimited.
  int64_t capacityBits = 0;
  int64_t instances = 1;                 ///< copies (one per PE below the array)
  int accessWidthBits = 64;              ///< bits moved by one access (per-access energy unit)
  /// Bits one instance can read plus write per cycle; 0 = unlimited.
  double bandwidthBitsPerCycle = 0;
  bool doubleBuffered = false;           ///< fills of the next tile overlap compute on this tile
};

/// The compute engine below the memory levels.
struct ComputeArray {
  std::string name;                      ///< graph node name of the compute node
  int64_t meshX = 1, meshY = 1;          ///< PEs on each axis
  /// Dimensions each axis may unroll (the dataflow), indexed by workload::Dim.
  std::array<bool, workload::kNumDims> allowX{}, allowY{};
  /// Preferred unrolling order per axis (the dataflow's favourite dims first), kNumDims = end.
  std::array<int, workload::kNumDims> preferX{}, preferY{};
  int numPreferX = 0, numPreferY = 0;
  bool systolic = false;                 ///< operands skew through the array: fill/drain latency
  /// Row-stationary PE sets (Eyeriss): spatial choices carry the whole filter height R on Y (when
  /// it fits), no filter width S on either axis and no output columns Q on X.
  bool peSets = false;
  /// A fixed spatial mapping (the design's "spatial_mapping", graph::FixedSpatialMapping): the
  /// factors every layer gets on X and Y (fixedDepthwise: others for depthwise layers), capped
  /// at each layer's bounds (fixedSpatialFactors). false: the mapper chooses.
  bool fixedSpatial = false;
  DimArray fixedX{1, 1, 1, 1, 1, 1, 1, 1}, fixedY{1, 1, 1, 1, 1, 1, 1, 1};
  bool fixedDepthwise = false;
  DimArray fixedDwX{1, 1, 1, 1, 1, 1, 1, 1}, fixedDwY{1, 1, 1, 1, 1, 1, 1, 1};
  int macLatencyCycles = 1;              ///< MAC pipeline depth
};

/// Spatial factors on the two axes of an array.
struct SpatialFactors {
  DimArray x{1, 1, 1, 1, 1, 1, 1, 1}, y{1, 1, 1, 1, 1, 1, 1, 1};
  bool operator==(const SpatialFactors& o) const = default;
};

/// The factors an array's fixed spatial mapping gives a layer with loop bounds `bound`: each
/// declared factor capped at the bound (a smaller layer leaves the rest of the axis idle); the
/// depthwise factors when the array has them and the layer is depthwise (several groups, one
/// input channel each). nullopt when the array has no fixed mapping.
std::optional<SpatialFactors> fixedSpatialFactors(const ComputeArray& a, const DimArray& bound);

/// Memory levels (outermost first) and the array below `levels[firstPerPeLevel - 1]`; levels at
/// index >= firstPerPeLevel are private to each PE.
struct Hierarchy {
  std::vector<MemoryLevel> levels;
  int firstPerPeLevel = 0;               ///< == levels.size() when no level is per PE
  ComputeArray array;
  /// Data word width of each tensor (activation, weight, output) and of partial sums.
  int inputBits = 8, weightBits = 8, outputBits = 8, partialSumBits = 32;

  int numLevels() const { return static_cast<int>(levels.size()); }
  int64_t totalPes() const { return array.meshX * array.meshY; }
  /// Index of the level called `name`, -1 if none.
  int findLevel(const std::string& name) const;
};

}  // namespace dnnchip::mapping
