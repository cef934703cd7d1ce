#pragma once
/// \file
/// Coarse mode for one compute layer: closed-form reuse analysis per memory level and tensor, in
/// the style of Timeloop's analytical model, with partial last tiles counted exactly.
///
/// Use: PreparedLayer p(engine, nest, name); then p.evaluate(mapping) as often as you like. The
/// evaluation touches no heap (the search calls it millions of times) and never throws; an
/// invalid mapping gives a result whose check.failure says why (describe() makes the message).
///
/// Model (docs/predictor.md has the equations). Level l keeps the tile spanned by its own loops
/// and everything below. A keeping level is refilled once per iteration of the loops above it,
/// except the innermost run of temporal loops irrelevant to the tensor (stationarity). Below the
/// array every PE holds its own copy: fills count every instance; the parent reads distinct data
/// once (multicast over spatial dims irrelevant to the tensor) and outputs are reduced spatially
/// before they reach the parent. Outputs: the innermost level takes one update per MAC (after
/// spatial reduction) and reads back every partial sum but the first of each element; a revisited
/// output tile is refilled from its parent with its partial sums. Energy = accesses x per-access
/// energy / words per access + MACs x MAC energy + bits x path energy. Latency = max(compute
/// cycles, every level's and path's transfer cycles) + array fill/drain + fills of levels that are
/// not double-buffered + controller overheads.

#include <array>
#include <cstdint>
#include <string>

#include "dnnchip/mapping/Mapping.h"
#include "dnnchip/mapping/MappingCheck.h"
#include "dnnchip/predict/EngineModel.h"
#include "dnnchip/workload/Layer.h"

namespace dnnchip::predict {

/// What bounds a layer's latency.
enum class BoundKind : uint8_t { Compute, Level, Path, Invalid };

/// The result of one coarse evaluation (fixed size, no heap).
struct LayerEval {
  mapping::CheckResult check;            ///< failure class; the rest is meaningful only if ok()
  int64_t macs = 0;
  int64_t activePes = 0;                 ///< product of the spatial factors
  double utilization = 0;                ///< MACs / (cycles x total PEs)
  double computeCycles = 0;              ///< real temporal iterations
  std::array<double, kMaxLevels> levelCycles{};  ///< transfer cycles of each level's ports
  std::array<double, 2 * kMaxLevels> pathCycles{};  ///< transfer cycles of each PathLimit
  double fillDrainCycles = 0;            ///< systolic array fill and drain
  double exposedFillCycles = 0;          ///< fills of levels without double buffering
  double overheadCycles = 0;             ///< controller per-tile and per-layer overheads
  double cycles = 0;                     ///< total latency of the layer
  BoundKind bound = BoundKind::Invalid;
  int boundIndex = -1;                   ///< level or path index when not compute-bound
  /// Accesses in words, all instances: reads, fills (writes from the parent), updates (writes
  /// from the child side: MAC results and drained partial sums). [level][tensor].
  std::array<std::array<double, kNumTensors>, kMaxLevels> reads{}, fills{}, updates{};
  std::array<double, kMaxLevels> levelEnergyPj{};  ///< per memory level (all instances)
  std::array<double, kNumTensors> tensorEnergyPj{};///< per tensor over all levels and paths
  double macEnergyPj = 0;
  double pathEnergyPj = 0;
  double controllerEnergyPj = 0;
  double clockEnergyPj = 0;              ///< the array's per-cycle clock and control (cycles x clockPjPerCycle)
  /// Reads of weights at the innermost level that holds them (the operand reads the MACs consume),
  /// in pJ; what a data-gated PE skips with the MAC on a zero input, and that level's index (-1: none).
  double weightOperandReadPj = 0;
  int weightOperandLevel = -1;
  double energyPj = 0;                   ///< total
  bool ok() const { return check.ok(); }
};

/// Energy of one word of `wordBits` at a level whose accesses are `accessWidthBits` wide and cost
/// `accessPj`: an access carries max(1, width / word) words.
inline double perWordPj(double accessPj, int64_t accessWidthBits, double wordBits) {
  const double wordsPerAccess = double(accessWidthBits) / wordBits;
  return accessPj / (wordsPerAccess > 1.0 ? wordsPerAccess : 1.0);
}

/// One compute layer on one engine, resolved for repeated evaluation.
class PreparedLayer {
 public:
  /// Refers to `engine` (not owned: one of a DesignModel's engines, which must outlive the
  /// prepared layer; copying the DesignModel does not move it), so a temporary is rejected.
  PreparedLayer(const EngineModel& engine, const workload::LoopNest& nest);
  PreparedLayer(const EngineModel&& engine, const workload::LoopNest& nest) = delete;
  /// Coarse evaluation of `m`. Allocation-free, noexcept.
  LayerEval evaluate(const mapping::Mapping& m) const noexcept;
  const EngineModel& engine() const { return *engine_; }
  const workload::LoopNest& nest() const { return nest_; }

 private:
  /// Word kinds of the per-word energies: TensorRole 0..2, then output words held as partial sums.
  static constexpr int kPartialSum = kNumTensors;
  const EngineModel* engine_;  ///< not owned
  workload::LoopNest nest_;
  int64_t macs_;
  /// Per level and word kind: energy of reading / writing one word (per-access energy divided by
  /// the words one access carries), resolved once instead of divided on every evaluation.
  std::array<std::array<double, kPartialSum + 1>, kMaxLevels> readPjPerWord_{}, writePjPerWord_{};
};

/// Report name of what bounds a layer: "compute", a level name, or a path name.
std::string boundName(const EngineModel& e, const LayerEval& r);

}  // namespace dnnchip::predict
