#pragma once
// The DMA's cost of its AXI transfers as the RTL spends them (templates/dma_axi.v against the DRAM
// timing of docs/engine.md) and the controller's loop bounds of a descriptor, shared by the exact
// cycle model (CycleModel.cpp) and its closed form (CycleEstimate.cpp). Internal to the schedule
// module: not installed.
//
// ReadStream / WriteStream are event models of one DMA command, O(1) per burst, no loop over idle
// cycles. Cycle 0 is the DMA's start cycle (the controller's issue cycle is the one before). Reads:
// entries (an AR burst, or a padded pixel that needs none) are pushed in issue order when fewer than
// N = RD_OUT are in flight (push cycle >= pop cycle of entry k-N, + 1); a burst's first beat comes
// at max(AR cycle + L_RD, previous pop + 1), its beats back to back, and it pops at its last beat;
// a padded pixel pops at max(push + 1, previous pop + 1). A wide gather (chunks of `chunk` bytes,
// one buffer word each) holds a beat one cycle for each chunk that ends in it while bytes of the
// next chunk follow in the same beat, and a padded pixel takes one cycle per chunk. Writes: an AW waits until fewer than
// N = WR_OUT bursts await their B (B of burst k at its wlast cycle + L_WR), W beats follow the AW
// one per cycle. A command ends with a drain state that waits for the last pop / B, then done.

#include <algorithm>
#include <array>
#include <cstdint>

#include "dnnchip/schedule/EngineConfig.h"
#include "dnnchip/schedule/LayerDescriptor.h"

namespace dnnchip::schedule::detail {

struct Dram {
  uint64_t rdLat, wrLat, bytes, burstMax;
  int rdOut, wrOut;  ///< RD_OUT, WR_OUT: bursts in flight

  explicit Dram(const EngineConfig& cfg)
      : rdLat(uint64_t(cfg.dramReadLatencyCycles)), wrLat(uint64_t(cfg.dramWriteLatencyCycles)),
        bytes(uint64_t(cfg.axiBytes())), burstMax(uint64_t(cfg.burstMaxBeats)),
        rdOut(std::clamp(cfg.readOutstanding, 1, 16)), wrOut(std::clamp(cfg.writeOutstanding, 1, 16)) {}
  /// Cycles of a linear read command (WEIGHTS, BIAS) of `n` bytes at `addr`, issue to done.
  uint64_t linearRead(uint64_t addr, uint64_t n) const;
  /// A weight stream: a linear read of `blocks` blocks of `blockBytes` at `addr`; returns its
  /// cycles (issue to done) and writes to in[j] the cycle, counted from the issue cycle, from
  /// which the controller sees block j complete in the weight buffer (its last row's buffer write
  /// counted: the last beat's cycle + kBlockSeen).
  uint64_t weightStream(uint64_t addr, uint64_t blocks, uint64_t blockBytes, uint64_t* in) const;

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
  /// Calls f(beats) for each burst of a transfer of `n` bytes at `addr`, in order.
  template <class F>
  void forBursts(uint64_t addr, uint64_t n, F f) const {
    uint64_t a = addr / bytes * bytes;
    uint64_t rem = ((addr % bytes) + n + bytes - 1) / bytes;
    while (rem > 0) {
      uint64_t len = std::min({rem, burstMax, (4096 - (a % 4096)) / bytes});
      f(len);
      rem -= len;
      a += len * bytes;
    }
  }
};

constexpr int kMaxOutstanding = 16;  ///< RD_OUT / WR_OUT at most (dma_axi.v)

/// One read command (GATHER, WEIGHTS, BIAS) of dma_axi.v, cycle by event.
class ReadStream {
 public:
  ReadStream(const Dram& d, int outstanding) : d_(d), n_(uint64_t(outstanding)) {}
  /// A padded gather pixel: one PIX cycle that pushes a tag; the return side writes its `words`
  /// buffer words one per cycle.
  void pad(uint64_t words = 1) {
    const uint64_t push = slot(t_);
    popAt(std::max(push + 1, ret_ + 1) + words - 1);
    t_ = push + 1;
  }
  /// An in-image gather pixel: the AR bursts of its `n` bytes at `addr`, the first one from the
  /// pixel's address cycle.
  void pixel(uint64_t addr, uint64_t n) { linear(addr, n); }
  /// A wide gather's pixel: its run of `n` bytes split into buffer words of `chunk` bytes. Chunk c
  /// (c >= 1) starts at run byte c*chunk; if that byte is not the first of its beat, the beat
  /// holding the end of chunk c-1 is held one cycle (holdBeats gives each hold's beat index).
  void pixel(uint64_t addr, uint64_t n, uint64_t chunk) {
    if (chunk >= n) return linear(addr, n);
    const uint64_t off = addr % d_.bytes;
    uint64_t c = 1, beat0 = 0;  // next chunk start to test; first beat of the burst
    d_.forBursts(addr, n, [&](uint64_t len) {
      uint64_t holds = 0;
      for (; c * chunk < n && (off + c * chunk - 1) / d_.bytes < beat0 + len; ++c)
        holds += (off + c * chunk) % d_.bytes != 0 ? 1 : 0;
      const uint64_t ar = slot(t_);
      const uint64_t first = std::max(ar + d_.rdLat, ret_ + 1);
      popAt(first + len - 1 + holds);
      t_ = ar + 1;
      beat0 += len;
    });
  }
  /// The AR bursts of `n` bytes at `addr` (WEIGHTS, BIAS; and a gather pixel's run);
  /// onBurst(first beat index, beats, cycle of its first beat) for each.
  template <class F>
  void linear(uint64_t addr, uint64_t n, F&& onBurst) {
    uint64_t beat0 = 0;
    d_.forBursts(addr, n, [&](uint64_t len) {
      const uint64_t ar = slot(t_);
      const uint64_t first = std::max(ar + d_.rdLat, ret_ + 1);
      popAt(first + len - 1);
      t_ = ar + 1;
      onBurst(beat0, len, first);
      beat0 += len;
    });
  }
  void linear(uint64_t addr, uint64_t n) {
    linear(addr, n, [](uint64_t, uint64_t, uint64_t) {});
  }
  /// Cycles of the command: controller issue, DMA start .. done (drain, done state).
  uint64_t cycles() const { return std::max(t_, ret_ + 1) + 1 + 2; }

 private:
  uint64_t slot(uint64_t t) const { return k_ >= n_ ? std::max(t, pops_[(k_ - n_) % kMaxOutstanding] + 1) : t; }
  void popAt(uint64_t c) {
    pops_[k_ % kMaxOutstanding] = c;
    ret_ = c;
    ++k_;
  }
  const Dram& d_;
  uint64_t n_;
  uint64_t t_ = 1;    ///< the issue side's next cycle
  uint64_t ret_ = 0;  ///< cycle of the last pop (0: none yet; every pop is at cycle >= 2)
  uint64_t k_ = 0;    ///< entries pushed
  std::array<uint64_t, kMaxOutstanding> pops_{};
};

/// One STORE command of dma_axi.v: posted write bursts, cycle by event.
class WriteStream {
 public:
  WriteStream(const Dram& d, int outstanding) : d_(d), n_(uint64_t(outstanding)) {}
  /// A pixel: a WPIX cycle, then per burst an AW cycle (once a B slot is free) and its W beats.
  void pixel(uint64_t addr, uint64_t n) {
    t_ += 1;
    d_.forBursts(addr, n, [&](uint64_t len) {
      const uint64_t aw = k_ >= n_ ? std::max(t_, bs_[(k_ - n_) % kMaxOutstanding] + 1) : t_;
      const uint64_t wlast = aw + len;
      lastB_ = bs_[k_ % kMaxOutstanding] = wlast + d_.wrLat;
      ++k_;
      t_ = wlast + 1;
    });
  }
  /// Cycles of the command: controller issue, DMA start .. done (B drain, done state).
  uint64_t cycles() const { return std::max(t_, lastB_ + 1) + 1 + 2; }

 private:
  const Dram& d_;
  uint64_t n_;
  uint64_t t_ = 1;
  uint64_t lastB_ = 0;
  uint64_t k_ = 0;
  std::array<uint64_t, kMaxOutstanding> bs_{};
};

inline uint64_t Dram::linearRead(uint64_t addr, uint64_t n) const {
  ReadStream r(*this, rdOut);
  r.linear(addr, n);
  return r.cycles();
}

/// From a weight row's last beat (DMA cycle x, the controller's x + 1 after its issue cycle) to
/// the first controller cycle that counts its block complete: wb_we in the next cycle, counted at
/// its end (templates/dma_axi.v, controller.v w_in_b).
constexpr uint64_t kBlockSeen = 3;

inline uint64_t Dram::weightStream(uint64_t addr, uint64_t blocks, uint64_t blockBytes, uint64_t* in) const {
  ReadStream r(*this, rdOut);
  uint64_t j = 0;  // next block whose last beat is awaited
  r.linear(addr, blocks * blockBytes, [&](uint64_t beat0, uint64_t len, uint64_t first) {
    for (; j < blocks; ++j) {
      const uint64_t last = beats(addr, (j + 1) * blockBytes) - 1;  // the block's last beat
      if (last >= beat0 + len) break;
      in[j] = first + (last - beat0) + kBlockSeen;
    }
  });
  return r.cycles();
}

/// Extra cycles of the requantization pass of a descriptor with a fused residual add: the
/// residual_add stages (templates/residual_add.v) behind the vector unit.
constexpr uint64_t kFusedAddStages = 3;
/// Cycles of an accumulate pass (pool, add) beyond its mt pixels: the activation read, the vector
/// unit's operand and product registers (templates/vector_unit.v) and the accumulator write.
constexpr uint64_t kAccumulateStages = 4;
/// Cycles of a depthwise-unit pass beyond outQ*R*S: C_DW's start cycle, the unit's start cycle
/// and its 3 pipeline stages to the last column's sum (templates/dw_unit.v).
constexpr uint64_t kDepthwisePassExtra = 5;
/// Extra cycles of the requantization pass of a descriptor with an activation table: the table
/// read stage behind the clamp (templates/vector_unit.v, ACT = 2).
constexpr uint64_t kTableStages = 1;
/// Vector-pass cycles a fused max pool adds (docs/engine.md#fused-max-pool): pool_unit's two
/// stages (line buffer read, column and row max) behind the vector unit (templates/pool_unit.v).
constexpr uint64_t kFusedPoolStages = 2;

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
