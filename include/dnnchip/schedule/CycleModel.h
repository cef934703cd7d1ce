#pragma once
/// \file
/// The exact cycle model of the engine: a replay of the controller's and the DMA's state machines
/// over the tile loops of each descriptor (docs/engine.md#cycle-behaviour). For a generated
/// design run against the generated testbench's DRAM model, the RTL's per-layer cycle counts equal
/// these numbers exactly (tested by tests/rtl/templates/engine_cycles).

#include <array>
#include <cstdint>
#include <vector>

#include "dnnchip/schedule/EngineConfig.h"
#include "dnnchip/schedule/Program.h"

namespace dnnchip::schedule {

/// Cycles of one layer split by phase. The engine runs phases one after another except where
/// DOUBLE_BUFFER overlaps a weight load with compute; `stall` holds the part of an overlapped
/// load that compute did not hide. total = sum of all fields.
struct LayerCycles {
  int layerIndex = -1;
  uint64_t overhead = 0;    ///< descriptor fetch, loop bookkeeping, layer_done
  uint64_t load = 0;        ///< DMA reads not hidden behind compute (activations, weights, bias)
  uint64_t compute = 0;     ///< systolic array (GEMM) or accumulate pass (pool, add)
  uint64_t vector = 0;      ///< requantization pass over the accumulator buffer
  uint64_t store = 0;       ///< DMA writes of the output
  uint64_t stall = 0;       ///< overlapped weight loads longer than the compute they overlap
  /// Bytes moved over the AXI port (whole beats), per tensor: [0] activations read (im2col
  /// gathers, both add operands), [1] weights and biases read, [2] outputs written. Not cycles.
  std::array<uint64_t, 3> dramBytes{};
  uint64_t total() const { return overhead + load + compute + vector + store + stall; }
};

/// Per-descriptor cycles, in program order. The engine's total from `start` to `done` is the sum
/// of the layers' totals plus kEndCycles.
std::vector<LayerCycles> predictCycles(const Program& p, const EngineConfig& cfg);

/// The same per-descriptor cycles in closed form (CycleEstimate.cpp): no walk over pixels and
/// tiles, DMA costs averaged over address alignments. For the coarse predictor and the search,
/// where predictCycles' pixel walk is too slow; its error against predictCycles is measured in
/// docs/predictor.md#generated-engines.
std::vector<LayerCycles> estimateCycles(const Program& p, const EngineConfig& cfg);

/// Cycles from the End descriptor's fetch to `done` (fetch, decode, done; not attributed to a layer).
constexpr uint64_t kEndCycles = 3;

}  // namespace dnnchip::schedule
