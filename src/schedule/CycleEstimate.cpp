// estimateCycles: the engine's cycle count in closed form, for the coarse predictor and the search.
// Same phases and pass lengths as predictCycles (CycleModel.cpp), but the sums over tiles and
// pixels are taken in closed form: an M tile's pixel costs add up to the layer's pixel costs, the
// in-bounds pixel count of a window offset is (valid rows) x (valid columns), and a DMA transfer's
// cost is averaged over the start alignments its address stride produces. What it leaves out: the
// extra burst where a transfer crosses a 4 KiB boundary (AXI forbids it) beyond the first blocks
// sampled, and for back-to-back WS passes (DOUBLE_BUFFER) the blocks' costs beyond the first 8
// reduction tiles (their span is WsPasses.h's recurrence over those tiles' blocks, averaged).
// Cost O(R*P + S*Q + 8 * tiles of one reduction) per layer, no allocation; the accuracy
// against predictCycles is measured in tests/unit/schedule and docs/predictor.md.

#include <algorithm>
#include <numeric>

#include "dnnchip/schedule/CycleModel.h"
#include "DramCost.h"
#include "WsPasses.h"

namespace dnnchip::schedule {

using detail::Dram;
using detail::kCommand;

namespace {

/// Mean of dram.bursts(base + i * stride, n, perBurst) over the alignments i = 0.. takes (at most
/// bytes / gcd(stride, bytes) distinct ones, all equally often over a long run of pixels).
double meanBursts(const Dram& dram, uint64_t base, uint64_t stride, uint64_t n, uint64_t perBurst) {
  const uint64_t b = dram.bytes;
  const uint64_t period = b / std::gcd(stride % b == 0 ? b : stride % b, b);
  uint64_t sum = 0;
  for (uint64_t i = 0; i < period; ++i) sum += dram.bursts((base + i * stride) % 4096, n, perBurst);
  return double(sum) / double(period);
}

/// Mean beats of a transfer of `n` bytes at base + i * stride over the same alignments.
double meanBeats(const Dram& dram, uint64_t base, uint64_t stride, uint64_t n) {
  const uint64_t b = dram.bytes;
  const uint64_t period = b / std::gcd(stride % b == 0 ? b : stride % b, b);
  uint64_t sum = 0;
  for (uint64_t i = 0; i < period; ++i) sum += dram.beats(base + i * stride, n);
  return double(sum) / double(period);
}

/// Output positions p in [0, P) whose input row p*stride + off - pad lies inside [0, in).
uint64_t validPositions(uint64_t P, uint64_t stride, int64_t off, int64_t pad, int64_t in) {
  uint64_t n = 0;
  for (uint64_t p = 0; p < P; ++p) {
    const int64_t h = int64_t(p * stride) + off - pad;
    n += (h >= 0 && h < in) ? 1 : 0;
  }
  return n;
}

}  // namespace

std::vector<LayerCycles> estimateCycles(const Program& p, const EngineConfig& cfg) {
  const Dram dram(cfg);
  const uint64_t R = uint64_t(cfg.rows), C = uint64_t(cfg.cols);
  const uint64_t rowBytes = dram.roundUp(C), biasBytes = dram.roundUp(4 * C);
  std::vector<LayerCycles> out;
  out.reserve(p.descriptors.size());

  for (const auto& d : p.descriptors) {
    LayerCycles lc;
    lc.layerIndex = d.layerIndex;
    const detail::Loops loops(d);
    const bool gemm = loops.gemm, add = loops.add;
    const uint64_t G = loops.G, M = loops.M, nK = loops.nK, nJ = loops.nJ;
    const uint64_t nN = d.numNTiles;
    const uint64_t k = loops.k;
    const uint64_t blockBytes = k * rowBytes;
    const uint64_t nMT = d.numMTiles();
    if (nMT == 0) {
      out.push_back(lc);
      continue;
    }
    const uint64_t mFull = d.mTile, mLast = M - (nMT - 1) * d.mTile;

    lc.overhead = 4 + G * (1 + nMT * (2 + nK + 2 * nJ));

    // LOAD_A: per (g, M tile, r, s, c tile) one command, per pixel 1 (padding) or 2 + its read.
    for (uint64_t r = 0; r < d.kernelR; ++r)
      for (uint64_t s = 0; s < d.kernelS; ++s) {
        const int64_t roff = add ? 0 : int64_t(r * d.dilationH);
        const int64_t soff = int64_t(s * d.dilationW);
        const uint64_t inside = uint64_t(d.batch) *
                                validPositions(d.outP, d.strideH, roff, d.padTop, d.inH) *
                                validPositions(d.outQ, d.strideW, soff, d.padLeft, d.inW);
        const uint64_t base = (add && r == 1) ? d.in2Base : d.inBase;
        for (uint64_t ct = 0; ct < d.numCTiles; ++ct) {
          const uint64_t coff = ct * k;
          const uint64_t cnt = std::min<uint64_t>(k, d.cg - coff);
          double perPixel = 0, beats = 0;  // means over the groups' channel offsets
          const uint64_t gs = std::min<uint64_t>(G, 8);
          for (uint64_t g = 0; g < gs; ++g) {
            perPixel += meanBursts(dram, base + g * d.cg + coff, d.inChannelStride, cnt, dram.rdLat);
            beats += meanBeats(dram, base + g * d.cg + coff, d.inChannelStride, cnt);
          }
          perPixel /= double(gs);
          beats /= double(gs);
          lc.load += uint64_t(double(G) * (double(M - inside) + double(inside) * (2.0 + perPixel)) + 0.5);
          lc.dramBytes[0] += uint64_t(double(G) * double(inside) * beats * double(dram.bytes) + 0.5);
        }
      }
    lc.load += G * nMT * nK * kCommand;

    if (gemm) {
      // Weight blocks: mean cost over the first blocks (their 4 KiB crossings), then per tile.
      const uint64_t blocks = std::max<uint64_t>(1, G * nK * nN);
      const uint64_t sample = std::min<uint64_t>(blocks, 16);
      double lwSum = 0;
      for (uint64_t i = 0; i < sample; ++i) lwSum += double(kCommand + dram.bursts(d.weightBase + i * blockBytes, blockBytes, dram.rdLat));
      const double lw = lwSum / double(sample);
      auto pass = [&](uint64_t mt) {
        return (cfg.dataflow == Dataflow::WeightStationary ? k + mt + R + C + 1
                                                            : (mt + R - 1) / R * (3 * R + C + k)) + 1;
      };
      const double cpFull = double(pass(mFull)), cpLast = double(pass(mLast));
      const double tilesFull = double(G * nK * (nMT - 1)), tilesLast = double(G * nK);
      lc.compute = uint64_t(double(nN) * (tilesFull * cpFull + tilesLast * cpLast) + 0.5);
      if (cfg.doubleBuffer && cfg.dataflow == Dataflow::WeightStationary) {
        // back-to-back passes: the reduction tile's span replayed with the costs of the blocks of
        // its first (up to 8) reduction tiles, whose 4 KiB crossings repeat along the weights
        const uint64_t lat = R + C - 1;
        const uint64_t tilesSampled = std::min<uint64_t>(G * nK, 8);
        auto blockCost = [&](uint64_t i) {
          return double(kCommand + dram.bursts(d.weightBase + i * blockBytes, blockBytes, dram.rdLat));
        };
        auto meanSpan = [&](uint64_t mt) {
          double sum = 0;
          for (uint64_t t = 0; t < tilesSampled; ++t)
            sum += detail::wsPassesSpan<double>(k, mt, lat, nN, [&](uint64_t n) { return blockCost(t * nN + n); });
          return sum / double(tilesSampled);
        };
        auto bare = [&](uint64_t mt) {
          return detail::wsPassesSpan<double>(k, mt, lat, nN, [](uint64_t) { return 0.0; });
        };
        const double bareFull = bare(mFull), bareLast = bare(mLast);
        lc.load += uint64_t(double(G * nMT * nK) * lw + 0.5);  // the first block of each reduction tile
        lc.compute = uint64_t(tilesFull * bareFull + tilesLast * bareLast + 0.5);
        lc.stall = uint64_t(std::max(0.0, tilesFull * (meanSpan(mFull) - bareFull) +
                                              tilesLast * (meanSpan(mLast) - bareLast)) + 0.5);
      } else if (cfg.doubleBuffer) {
        lc.load += uint64_t(double(G * nMT * nK) * lw + 0.5);  // the first block of each reduction tile
        const double over = double(nN - 1);
        lc.stall = uint64_t(over * (tilesFull * std::max(0.0, lw - cpFull) + tilesLast * std::max(0.0, lw - cpLast)) + 0.5);
      } else {
        lc.load += uint64_t(double(G * nMT * nK * nN) * lw + 0.5);
      }
      lc.dramBytes[1] = G * nMT * nK * nN * blockBytes;  // every block once per M tile
      if (d.biasEnable) {
        lc.load += G * nMT * nJ * (kCommand + dram.bursts(d.biasBase, biasBytes, dram.rdLat));
        lc.dramBytes[1] += G * nMT * nJ * biasBytes;
      }
    } else {
      lc.compute = G * nK * (M + 3 * nMT);
    }

    // VEC and STORE per (g, M tile, output tile): one command, per pixel 1 + its write.
    lc.vector = G * nJ * (M + 4 * nMT);
    double store = 0, outBytes = 0;
    for (uint64_t j = 0; j < nJ; ++j) {
      const uint64_t cnt = std::min<uint64_t>(d.nChunk, d.kg - j * d.nChunk);
      double perPixel = 0, beats = 0;
      const uint64_t gs = std::min<uint64_t>(G, 8);
      for (uint64_t g = 0; g < gs; ++g) {
        perPixel += meanBursts(dram, d.outBase + g * d.kg + j * d.nChunk, d.outChannelStride, cnt, 1 + dram.wrLat);
        beats += meanBeats(dram, d.outBase + g * d.kg + j * d.nChunk, d.outChannelStride, cnt);
      }
      store += double(G) * double(M) * (1.0 + perPixel / double(gs));
      outBytes += double(G) * double(M) * beats / double(gs) * double(dram.bytes);
    }
    lc.store = uint64_t(store + 0.5) + G * nMT * nJ * kCommand;
    lc.dramBytes[2] = uint64_t(outBytes + 0.5);
    out.push_back(lc);
  }
  return out;
}

}  // namespace dnnchip::schedule
