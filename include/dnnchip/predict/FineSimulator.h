#pragma once
/// \file
/// Internal: used inside the library, its tools and tests; not installed (docs/api.md).
/// Fine mode for one compute layer: a cycle-level simulation at tile granularity that executes
/// the tile schedule of a mapping. The loops at the DRAM level are stepped one tile at a time;
/// for each tile the DMA loads the tensors whose tile changed (exact partial extents), sharing
/// DRAM bandwidth with the write-back of finished output tiles; the array computes the tile
/// (its real temporal iterations, or the on-chip transfer time if longer) after the controller's
/// per-tile overhead and, for systolic arrays, fill and drain; with double buffering the next
/// load overlaps compute, without it load, compute and store run in sequence. Each node is busy,
/// idle or stalled; stalls are reported per node. Cost O(tiles x dims); no allocation per tile.

#include <cstdint>

#include "dnnchip/mapping/Mapping.h"
#include "dnnchip/predict/EngineModel.h"
#include "dnnchip/predict/ReuseAnalysis.h"
#include "dnnchip/workload/Layer.h"

namespace dnnchip::predict {

struct FineResult {
  double cycles = 0;
  double computeBusyCycles = 0;   ///< array computing
  double computeStallCycles = 0;  ///< array waiting for a load or a free output buffer
  double dmaBusyCycles = 0;       ///< DRAM transferring
  double dmaStallCycles = 0;      ///< DMA waiting for a buffer to free up
  int64_t tiles = 0;
};

/// Simulates `m` (which must pass checkMapping) given its coarse evaluation `coarse`.
/// `dramBitsPerCycle` 0 = unlimited.
FineResult simulateLayer(const EngineModel& e, const workload::LoopNest& nest, const mapping::Mapping& m,
                         const LayerEval& coarse, double dramBitsPerCycle);

}  // namespace dnnchip::predict
