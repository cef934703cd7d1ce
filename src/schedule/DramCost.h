#pragma once
// The DMA's cost of one AXI transfer as the RTL spends it (templates/dma_axi.v) and the
// controller's loop bounds of a descriptor, shared by the
// exact cycle model (CycleModel.cpp) and its closed form (CycleEstimate.cpp). Internal to the
// schedule module: not installed.

#include <algorithm>
#include <cstdint>

#include "dnnchip/schedule/EngineConfig.h"
#include "dnnchip/schedule/LayerDescriptor.h"

namespace dnnchip::schedule::detail {

struct Dram {
  uint64_t rdLat, wrLat, bytes, burstMax;

  explicit Dram(const EngineConfig& cfg)
      : rdLat(uint64_t(cfg.dramReadLatencyCycles)), wrLat(uint64_t(cfg.dramWriteLatencyCycles)),
        bytes(uint64_t(cfg.axiBytes())), burstMax(uint64_t(cfg.burstMaxBeats)) {}

  /// Sum over the bursts of a transfer of `n` bytes at `addr` of (perBurst + beats): bursts of at
  /// most burstMax beats that never cross a 4 KiB boundary (AXI4).
  uint64_t bursts(uint64_t addr, uint64_t n, uint64_t perBurst) const {
    uint64_t a = addr / bytes * bytes;
    uint64_t rem = ((addr % bytes) + n + bytes - 1) / bytes;
    uint64_t cost = 0;
    while (rem > 0) {
      uint64_t to4k = (4096 - (a % 4096)) / bytes;
      uint64_t len = std::min({rem, burstMax, to4k});
      cost += perBurst + len;
      rem -= len;
      a += len * bytes;
    }
    return cost;
  }
  /// Beats of a transfer of `n` bytes at `addr` (the bus moves whole beats).
  uint64_t beats(uint64_t addr, uint64_t n) const { return ((addr % bytes) + n + bytes - 1) / bytes; }
  uint64_t read(uint64_t addr, uint64_t n) const { return bursts(addr, n, rdLat); }
  uint64_t write(uint64_t addr, uint64_t n) const { return bursts(addr, n, 1 + wrLat); }
  /// Bytes of one row of the weight block (COLS bytes, whole beats) and of one bias block.
  uint64_t roundUp(uint64_t n) const { return (n + bytes - 1) / bytes * bytes; }
};

constexpr uint64_t kCommand = 3;  // controller issue cycle, DMA start cycle, DMA done cycle

/// The controller's loop bounds for one descriptor (docs/engine.md#cycle-behaviour).
struct Loops {
  bool gemm, add;
  uint64_t G;   ///< groups the array runs one after another (1 for pool/add)
  uint64_t M;   ///< output pixels
  uint64_t nK;  ///< reduction tiles per M tile: R x S x channel tiles
  uint64_t nJ;  ///< output tiles per M tile
  uint64_t k;   ///< channels per reduction tile
  explicit Loops(const LayerDescriptor& d)
      : gemm(d.op == EngineOp::Gemm), add(d.op == EngineOp::Add), G(gemm ? d.groups : 1), M(d.pixels()),
        nK(uint64_t(d.kernelR) * d.kernelS * d.numCTiles), nJ(gemm ? d.numNTiles : d.numCTiles), k(d.kChunk) {}
};

}  // namespace dnnchip::schedule::detail
