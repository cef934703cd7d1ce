// estimateCycles: the engine's cycle count without walking every pixel, for the coarse predictor
// and the search. Same phases and pass lengths as predictCycles (CycleModel.cpp); the DMA commands
// are sampled with the same event model (DramCost.h): a gather's cost is the read stream of nine
// representative in-image output rows replayed exactly, the mean row increment standing for every
// in-image row and the rest for each command's fill and latency tail, padded rows at one pixel per
// cycle (commands of at most eight rows: up to nine of them replayed exactly, spread evenly); a
// store's first and last M tiles are replayed exactly and the first stands for the others; weight
// blocks are averaged over the first 16 (their 4 KiB splits). Back-to-back WS passes
// (DOUBLE_BUFFER): a reduction tile's span is WsPasses.h's recurrence over the LOAD_W costs
// (Dram::linearRead) of the blocks of the first 8 reduction tiles, averaged; there the gathers of
// reduction tiles after the first overlap the previous tile's passes, and only the mean command's
// excess over the mean span (from the DMA's free cycle on) counts. What it leaves out:
// tiles that start mid-row, the padded rows' interplay with the reads in flight, and the blocks'
// costs beyond the first 8 reduction tiles. A wide gather (ctGroup > 1) is one command per group
// of channel tiles (chunked pixels and padded pixels of one cycle per word as in DramCost.h), the
// group's other tiles one C_LA cycle each: fewer, longer commands to replay. Cost O(R*S*ctiles*Q + nJ*mt + 8 * tiles of one
// reduction) per layer, no allocation; the accuracy against predictCycles is measured in
// tests/unit/schedule and docs/predictor.md. A layer on the depthwise unit takes the exact model.

#include <algorithm>
#include <array>
#include <numeric>

#include "dnnchip/schedule/CycleModel.h"
#include "dnnchip/schedule/SoftmaxUnit.h"
#include "DramCost.h"
#include "WsPasses.h"

namespace dnnchip::schedule {

using detail::Dram;
using detail::kCommand;
using detail::ReadStream;
using detail::WriteStream;

namespace {

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

/// Cycles of one LOAD_A command, exactly: pixels m0 .. m0 + mt - 1 (NHWC order) of the tap.
double gatherTile(const Dram& dram, const LayerDescriptor& d, uint64_t at, int64_t roff, int64_t soff,
                  uint64_t cnt, uint64_t m0, uint64_t mt) {
  const uint64_t k = d.kChunk, words = (cnt + k - 1) / k;
  const uint64_t P = d.outP, Q = d.outQ;
  ReadStream rs(dram, dram.rdOut);
  uint64_t n = m0 / (P * Q), rest = m0 % (P * Q), pp = rest / Q, qq = rest % Q;
  for (uint64_t i = 0; i < mt; ++i) {
    const int64_t h = int64_t(pp * d.strideH) + roff - int64_t(d.padTop);
    const int64_t w = int64_t(qq * d.strideW) + soff - int64_t(d.padLeft);
    if (h < 0 || w < 0 || h >= int64_t(d.inH) || w >= int64_t(d.inW)) rs.pad(words);
    else rs.pixel(uint32_t(at + ((n * d.inH + uint64_t(h)) * d.inW + uint64_t(w)) * d.inChannelStride), cnt, k);
    if (++qq == Q) { qq = 0; if (++pp == P) { pp = 0; ++n; } }
  }
  return double(rs.cycles());
}

/// Overlapped gathers (WS, DOUBLE_BUFFER): a group's gather is issued in `pieces` commands (one per
/// tile of the group before it) of `piece` pixels each, the last taking the rest, each `free`
/// cycles into its tile's passes, which take `span` cycles; it costs only what outlasts them,
/// and at least C_LA's cycle in a tile inside a group (docs/engine.md#wide-gather).
/// With the block-0 prefetch (`b0`, tile overlap,
/// docs/engine.md#block-0-prefetch-ws-double_buffer--1-wide_gather--1) each piece's tile also
/// loads the next tile's block 0 (`lwb` cycles) once its passes have their rows (`loaded`) and its
/// piece is done, if that is two cycles before it leaves C_CP; the piece's cost then includes what
/// of that load shows after the tile (at least C_LW's two cycles), else the whole load, and C_LW_W's
/// wait for PE bank 0 after it. lastPieceB0 false: the last piece's tile is its M tile's last.
struct Overlap {
  double freeFull, spanFull, freeLast, spanLast;  // cycles; full M tiles and the last one
  uint64_t pieces = 1, piece = 0;
  bool b0 = false, lastPieceB0 = true;
  double loadedFull = 0, loadedLast = 0, lwb = 0;
  double bank0Full = 0, bank0Last = 0;  // the cycle PE bank 0 is free for the next tile's passes
  /// Block 0's visible load after a tile whose DMA is free from cycle `at` on and whose gather
  /// shows `e` cycles past its span, and C_LW_W's wait for PE bank 0 after it.
  double block0(double at, double e, bool lastM) const {
    const double span = lastM ? spanLast : spanFull;
    const double go = std::max(lastM ? loadedLast : loadedFull, at), lwAt = span + 1 + e;
    const double lw0 = go + 2 <= span ? std::max(2.0, go + lwb - lwAt) : lwb;
    return lw0 + std::max(0.0, (lastM ? bank0Last : bank0Full) - (lwAt + lw0));
  }
  double exposed(double c, bool lastM, bool lastPiece) const {
    const double free = lastM ? freeLast : freeFull;
    const double e = std::max(lastPiece ? 0.0 : 1.0, free - (lastM ? spanLast : spanFull) + c - 1);
    return e + (b0 && (lastPieceB0 || !lastPiece) ? block0(free + c, e, lastM) : 0.0);
  }
  /// The sum over the pieces of the command of pixels m0 .. m0 + mt - 1; cost(i0, n) gives a
  /// piece's cycles.
  template <class Cost>
  double command(uint64_t mt, bool lastM, Cost&& cost) const {
    double sum = 0;
    for (uint64_t i = 0; i < pieces; ++i) {
      const bool last = i + 1 == pieces;
      const uint64_t at = i * piece, left = mt > at ? mt - at : 0, n = last ? left : std::min(piece, left);
      if (n) {
        sum += exposed(cost(at, n), lastM, last);
        continue;
      }
      const double e = last ? 0.0 : 1.0;  // no piece: C_LA's cycle; the DMA is free at F
      sum += e + (b0 && (lastPieceB0 || !last) ? block0(lastM ? freeLast : freeFull, e, lastM) : 0.0);
    }
    return sum;
  }
};

/// The LOAD_A commands of one (group, tap, channel tile) over the layer. Commands of at most eight
/// output rows: the mean of up to four commands replayed exactly (first, last and two between).
/// Longer ones: the read stream (ReadStream, exact) of nine consecutive in-image output rows of
/// image 0 gives the
/// steady-state cycles per row (the mean increment of rows 2 and 3) and the per-command rest
/// (fill, latency tail, issue/start/done); rows outside the input are padded pixels at one per cycle (two with
/// one entry in flight). `at` = the tap's base + the group's and channel tile's offset. With `ov`:
/// the sum of the commands' exposed parts (Overlap) instead of their costs.
double gatherCost(const Dram& dram, const LayerDescriptor& d, uint64_t at, int64_t roff, int64_t soff,
                  uint64_t cnt, uint64_t commands, const Overlap* ov = nullptr) {
  const uint64_t P = d.outP, Q = d.outQ, M = d.pixels(), mFull = d.mTile;
  if (mFull <= 8 * Q) {
    const uint64_t last = commands - 1, picks = std::min<uint64_t>(last, 8);
    auto tile = [&](uint64_t m0, uint64_t mt, bool lastM) {
      if (!ov) return gatherTile(dram, d, at, roff, soff, cnt, m0, mt);
      return ov->command(mt, lastM, [&](uint64_t i0, uint64_t n) {
        return gatherTile(dram, d, at, roff, soff, cnt, m0 + i0, n);
      });
    };
    double full = 0;
    for (uint64_t i = 0; i < picks; ++i)  // evenly spread over the full tiles
      full += tile((i * last / picks) * mFull, mFull, false);
    const uint64_t nFull = picks;
    const double lastCost = tile(last * mFull, M - last * mFull, true);
    return (nFull ? full / double(nFull) * double(last) : 0.0) + lastCost;
  }
  constexpr size_t kRows = 9;
  std::array<uint64_t, kRows> rows{};  // up to nine consecutive in-image output rows
  size_t nRows = 0;
  for (uint64_t p = 0; p < P && nRows < kRows; ++p) {
    const int64_t h = int64_t(p * d.strideH) + roff - int64_t(d.padTop);
    if (h >= 0 && h < int64_t(d.inH)) rows[nRows++] = p;
    else if (nRows > 0) break;
  }
  const uint64_t k = d.kChunk, words = (cnt + k - 1) / k;
  const double padPixel = double(words) + (dram.rdOut == 1 ? 1.0 : 0.0);
  const uint64_t valid = validPositions(P, d.strideH, roff, d.padTop, d.inH);
  if (nRows == 0) return double(commands) * 3.0 + double(d.batch * P * Q) * padPixel;
  ReadStream rs(dram, dram.rdOut);
  double first = 0, final = 0;
  for (size_t i = 0; i < kRows; ++i) {  // fewer valid rows: the last one again (the next image's)
    const int64_t h = int64_t(rows[std::min(i, nRows - 1)] * d.strideH) + roff - int64_t(d.padTop);
    for (uint64_t q = 0; q < Q; ++q) {
      const int64_t w = int64_t(q * d.strideW) + soff - int64_t(d.padLeft);
      if (w < 0 || w >= int64_t(d.inW)) rs.pad(words);
      else rs.pixel(uint32_t(at + (uint64_t(h) * d.inW + uint64_t(w)) * d.inChannelStride), cnt, k);
    }
    (i == 0 ? first : final) = double(rs.cycles());
  }
  // the latency tail's phase varies from row to row: the mean of eight rows' increments
  const double perRow = (final - first) / double(kRows - 1);
  const double rest = first - perRow;
  if (ov) {
    // overlapped gathers: each command's cost from its in-image and padded output rows
    double exposed = 0;
    for (uint64_t c = 0, m0 = 0; c < commands; ++c, m0 += mFull) {
      const uint64_t mt = std::min<uint64_t>(mFull, M - m0);
      exposed += ov->command(mt, c + 1 == commands, [&](uint64_t i0, uint64_t n) {
        double cost = rest;
        for (uint64_t i = m0 + i0; i < m0 + i0 + n;) {  // row by row
          const uint64_t pp = (i / Q) % P, run = std::min<uint64_t>(Q - i % Q, m0 + i0 + n - i);
          const int64_t h = int64_t(pp * d.strideH) + roff - int64_t(d.padTop);
          cost += (h >= 0 && h < int64_t(d.inH)) ? perRow * double(run) / double(Q) : double(run) * padPixel;
          i += run;
        }
        return cost;
      });
    }
    return exposed;
  }
  return double(d.batch) * (double(valid) * perRow + double(P - valid) * double(Q) * padPixel) +
         double(commands) * rest;
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
    if (d.lowering == WeightLowering::DepthwiseUnit) {
      // the depthwise unit: its gathers are one per new input row (a few per output row), so the
      // exact model is about as cheap as a sampled one: take it (O(pixels) per layer)
      Program one;
      one.descriptors.push_back(d);
      out.push_back(predictCycles(one, cfg).front());
      continue;
    }
    const uint64_t cgp = std::max<uint64_t>(1, d.ctGroup);  // channel tiles per gather
    const uint64_t mFull = d.mTile, mLast = M - (nMT - 1) * d.mTile;

    lc.overhead = 4 + G * (1 + nMT * (2 + nK + 2 * nJ));

    // Back-to-back WS passes (DOUBLE_BUFFER): a reduction tile's mean span and the mean cycle the
    // DMA becomes free for the next tile's overlapped gather, over the blocks of its first (up to
    // 8) reduction tiles, whose 4 KiB crossings repeat along the weights.
    const bool wsDb = gemm && cfg.doubleBuffer && cfg.dataflow == Dataflow::WeightStationary;
    const uint64_t lat = wsArrayLatency(cfg), blat = wsBankLatency(cfg);
    const uint64_t tilesSampled = std::min<uint64_t>(G * nK, 8);
    const uint64_t wg = uint64_t(cfg.weightGroup);
    auto groupCost = [&](uint64_t i, uint64_t n, uint64_t* in) {  // a weight stream of n blocks from block i
      return double(dram.weightStream(d.weightBase + i * blockBytes, n, blockBytes, in));
    };
    // tile overlap (wide-gather engines, docs/engine.md#tile-overlap): every reduction tile but
    // an M tile's last leaves its passes at E + 3, without the drain; the next tile's passes wait
    // for PE bank 0 after block 0 (C_LW_W) and its pass 1 for bank 1. Per sampled tile: its span s1 as the M tile's
    // first, the wait w after it and its span s2 behind a tile like itself; an M tile of nK tiles
    // then takes s1 + (nK - 2) s2 + (nK - 1) w + (s2 + LAT + 1) (the last tile drains)
    const bool tileOvl = wsDb && cfg.wideGather;
    // (meanKn: the mean span of the tiles that issue a gather, those before the M tile's last,
    // against which a gather's exposure counts)
    // (meanLoaded: the mean cycle, from the tile's start, at which every pass of a tile before the
    // M tile's last has its weight rows, averaged like meanKn; meanLwb: block 0's mean load)
    struct Means {
      double span = 0, free = 0, kn = 0, loaded = 0, lwb = 0, bank0 = 0;
      double tailSpan = 0, tailLoaded = 0;  // the M tile's last tile (drained): span, rows loaded
    };
    // (a gather piece's mean cost, for the block-0 prefetch's effect on the next tile's start: the
    // middle tap's first piece of the M tile at m0, its typical padding)
    auto meanPiece = [&](uint64_t m0, uint64_t mt) {
      const uint64_t cnt0 = std::min<uint64_t>(cgp * k, d.cg), pc = (d.mTile + cgp - 1) / cgp;
      const int64_t roff0 = int64_t(d.kernelR / 2 * d.dilationH), soff0 = int64_t(d.kernelS / 2 * d.dilationW);
      return gatherTile(dram, d, d.inBase, roff0, soff0, cnt0, m0, std::min(pc, mt));
    };
    auto meanSpan = [&](uint64_t m0, uint64_t mt) {
      Means m;
      for (uint64_t t = 0; t < tilesSampled; ++t) {
        double f = 0;
        auto lwg = [&](uint64_t b, uint64_t n, uint64_t* in) { return groupCost(t * nN + b, n, in); };
        if (!tileOvl || nK < 2) {
          double l = 0;
          const double sp = detail::wsPassesSpan<double>(k, mt, lat, blat, nN, wg, lwg, &f, 0.0, false, nullptr, nullptr, &l);
          m.tailSpan += sp;
          m.tailLoaded += l;
          m.span += sp;
          m.kn += sp;
          m.free += f;
          continue;
        }
        double e0 = 0, e1 = 0, l1 = 0, l2 = 0, e02 = 0;
        const double s1 = detail::wsPassesSpan<double>(k, mt, lat, blat, nN, wg, lwg, &f, 0.0, true, &e0, &e1, &l1);
        const double lwb = double(dram.linearRead(d.weightBase + (t + 1) * nN * blockBytes, blockBytes));
        // (block 0 as the prefetch of a tile like s1 leaves it: free once the passes have their
        // rows and the DMA is done with the mean piece, see Overlap::block0; s1 stands for the span)
        const Overlap o1{f, s1, f, s1, 1, 0, true, true, l1, l1, lwb, 0, 0};
        const double lw0 = o1.block0(f + meanPiece(m0, mt), 1.0, false);
        const double w = std::max(0.0, e0 + double(blat) - 1 - (s1 + 1 + lw0));
        const double b1 = nN > 1 ? std::max(0.0, e1 + double(blat) - 1 - (s1 + 1 + w + lw0)) : 0.0;
        const double s2 = detail::wsPassesSpan<double>(k, mt, lat, blat, nN, wg, lwg, nullptr, b1, true, &e02,
                                                       nullptr, &l2);
        // (the waits w for PE bank 0 count per tile with the block-0 prefetch, Overlap::block0)
        m.span += (s1 + double(nK - 2) * s2 + s2 + double(lat + 1)) / double(nK);
        m.bank0 += (e0 + double(nK - 2) * e02) / double(nK - 1) + double(blat) - 1;
        m.kn += (s1 + double(nK - 2) * s2) / double(nK - 1);
        m.loaded += (l1 + double(nK - 2) * l2) / double(nK - 1);
        m.tailSpan += s2 + double(lat + 1);
        m.tailLoaded += l2;
        m.lwb += lwb;
        m.free += f;
      }
      const double n = double(tilesSampled);
      return Means{m.span / n, m.free / n, m.kn / n, m.loaded / n, m.lwb / n, m.bank0 / n, m.tailSpan / n, m.tailLoaded / n};
    };
    // tile overlap (wide-gather engines): every reduction tile but an M tile's last leaves its
    // passes without the drain: LAT + 1 cycles less of the array's own span (compute, exact)
    const double drainCut = (wsDb && cfg.wideGather && nK > 0) ? double(lat + 1) * double(nK - 1) / double(nK) : 0.0;
    Means full, lastM;
    if (wsDb) {
      full = meanSpan(nMT > 1 ? mFull : 0, mFull);
      lastM = meanSpan((nMT - 1) * mFull, mLast);
    }
    const double freeFull = full.free, freeLast = lastM.free, spanFull = full.span, spanLast = lastM.span;
    const double knFull = full.kn, knLast = lastM.kn;
    const uint64_t lastGroup = (d.numCTiles - 1) / cgp * cgp;  // first channel tile of a tap's last group
    const bool b0 = tileOvl && nK >= 2;  // block-0 prefetch
    const Overlap ov{freeFull, knFull, freeLast, knLast, 1, (d.mTile + cgp - 1) / cgp,
                     b0, true, full.loaded, lastM.loaded, (full.lwb + lastM.lwb) / 2, full.bank0, lastM.bank0};

    // LOAD_A: per (g, M tile, r, s, c tile) one command (gatherCost).
    for (uint64_t r = 0; r < d.kernelR; ++r)
      for (uint64_t s = 0; s < d.kernelS; ++s) {
        const int64_t roff = add ? 0 : int64_t(r * d.dilationH);
        const int64_t soff = int64_t(s * d.dilationW);
        const uint64_t inside = uint64_t(d.batch) *
                                validPositions(d.outP, d.strideH, roff, d.padTop, d.inH) *
                                validPositions(d.outQ, d.strideW, soff, d.padLeft, d.inW);
        const uint64_t base = (add && r == 1) ? d.in2Base : d.inBase;
        for (uint64_t ct = 0; ct < d.numCTiles; ++ct) {
          if (ct % cgp != 0) {
            // a wide gather's later tile: one C_LA cycle; overlapped, counted with the pieces of
            // the next group's gather, but for the M tile's last group
            if (!wsDb || (r + 1 == d.kernelR && s + 1 == d.kernelS && ct >= lastGroup)) lc.load += G * nMT;
            continue;
          }
          const uint64_t coff = ct * k;
          const uint64_t cnt = std::min<uint64_t>(cgp * k, d.cg - coff);
          double beats = 0, cost = 0;  // means over the groups' channel offsets
          const uint64_t gs = std::min<uint64_t>(G, 8);
          for (uint64_t g = 0; g < gs; ++g) {
            const uint64_t at = base + g * d.cg + coff;
            beats += meanBeats(dram, at, d.inChannelStride, cnt);
            cost += gatherCost(dram, d, at, roff, soff, cnt, nMT);
          }
          if (wsDb && (r != 0 || s != 0 || ct != 0)) {
            // overlapped gather: in pieces, one per tile of the previous group, only what outlasts
            // each tile's passes, per M tile with the mean passes (the last M tile's are shorter)
            Overlap ovg = ov;
            ovg.pieces = ct == 0 ? d.numCTiles - lastGroup : cgp;
            double exposed = 0;
            for (uint64_t g = 0; g < gs; ++g)
              exposed += gatherCost(dram, d, base + g * d.cg + coff, roff, soff, cnt, nMT, &ovg);
            lc.load += uint64_t(double(G) * exposed / double(gs) + 0.5);
          } else if (tileOvl && nMT > 1 && r == 0 && s == 0 && ct == 0) {
            // M tile prefetch: the first group of every M tile after a group g's first comes in
            // pieces with the previous M tile's last group (its tiles' exposure as the other
            // overlapped gathers'), and costs its C_LA cycle
            Overlap ovp = ov;
            ovp.pieces = d.numCTiles - lastGroup;
            ovp.lastPieceB0 = false;  // (the last piece's tile is its M tile's last)
            double exposed = 0;
            for (uint64_t g = 0; g < gs; ++g)
              exposed += gatherCost(dram, d, base + g * d.cg + coff, roff, soff, cnt, nMT, &ovp);
            const double later = double(nMT - 1) / double(nMT);
            lc.load += uint64_t(double(G) * ((cost / double(nMT) + later * exposed) / double(gs) + double(nMT - 1)) + 0.5);
          } else {
            lc.load += uint64_t(double(G) * cost / double(gs) + 0.5);
          }
          lc.dramBytes[0] += uint64_t(double(G) * double(inside) * beats / double(gs) * double(dram.bytes) + 0.5);
        }
      }

    if (gemm) {
      // Weight blocks: mean cost over the first blocks (their 4 KiB crossings), then per tile.
      const uint64_t blocks = std::max<uint64_t>(1, G * nK * nN);
      const uint64_t sample = std::min<uint64_t>(blocks, 16);
      double lwSum = 0;
      for (uint64_t i = 0; i < sample; ++i) lwSum += double(dram.linearRead(d.weightBase + i * blockBytes, blockBytes));
      const double lw = lwSum / double(sample);
      auto pass = [&](uint64_t mt) {
        return (cfg.dataflow == Dataflow::WeightStationary ? k + mt + wsArrayLatency(cfg) + 2
                                                            : (mt + R - 1) / R * (3 * R + C + k)) + 1;
      };
      const double cpFull = double(pass(mFull)), cpLast = double(pass(mLast));
      const double tilesFull = double(G * nK * (nMT - 1)), tilesLast = double(G * nK);
      lc.compute = uint64_t(double(nN) * (tilesFull * cpFull + tilesLast * cpLast) + 0.5);
      if (cfg.doubleBuffer && cfg.dataflow == Dataflow::WeightStationary) {
        // back-to-back passes: the reduction tile's span (meanSpan above) against the array's own
        auto bare = [&](uint64_t mt) {
          return detail::wsPassesSpan<double>(k, mt, lat, blat, nN, wg, [](uint64_t, uint64_t, uint64_t*) { return 0.0; });
        };
        const double bareFull = bare(mFull) - drainCut, bareLast = bare(mLast) - drainCut;
        if (b0) {
          // block 0: an M tile's first tile loads it; a tile with a gather piece prefetches the next
          // one's (counted with the pieces above); the last M tile's last group has no pieces: its
          // tiles but the last prefetch with the DMA free at F (and their C_LA cycle)
          const double noPiece = ov.block0(freeLast, 1.0, true);
          lc.load += uint64_t(double(G) * (double(nMT) * lw + double(d.numCTiles - lastGroup - 1) * noPiece) + 0.5);
        } else {
          lc.load += uint64_t(double(G * nMT * nK) * lw + 0.5);  // the first block of each reduction tile
        }
        lc.compute = uint64_t(tilesFull * bareFull + tilesLast * bareLast + 0.5);
        lc.stall = uint64_t(std::max(0.0, tilesFull * (spanFull - bareFull) +
                                              tilesLast * (spanLast - bareLast)) + 0.5);
      } else if (cfg.doubleBuffer) {
        lc.load += uint64_t(double(G * nMT * nK) * lw + 0.5);  // the first block of each reduction tile
        const double over = double(nN - 1);
        lc.stall = uint64_t(over * (tilesFull * std::max(0.0, lw - cpFull) + tilesLast * std::max(0.0, lw - cpLast)) + 0.5);
      } else {
        lc.load += uint64_t(double(G * nMT * nK * nN) * lw + 0.5);
      }
      lc.dramBytes[1] = G * nMT * nK * nN * blockBytes;  // every block once per M tile
      if (d.biasEnable) {
        lc.load += G * nMT * nJ * dram.linearRead(d.biasBase + (d.lutEnable ? kActivationTableBytes : 0), biasBytes);
        lc.dramBytes[1] += G * nMT * nJ * biasBytes;
      }
    } else {
      lc.compute = G * nK * (M + detail::kAccumulateStages * nMT);
    }

    // VEC and STORE per (g, M tile, output tile): one command, its write stream.
    lc.vector = G * nJ *
                (M + (4 + (d.readsSkip() ? detail::kFusedAddStages : 0) + (d.fusePool ? detail::kFusedPoolStages : 0) +
                      (d.lutEnable ? detail::kTableStages : 0)) * nMT);
    if (d.op == EngineOp::Softmax)  // the rows through softmax_unit (exact: no DRAM involved)
      lc.vector += M * (d.numCTiles + 2 + uint64_t(softmaxUnitCycles(d.cg, d.kChunk)));
    if (d.lutEnable) {  // LOAD_T once per layer
      lc.load += dram.linearRead(d.biasBase, kActivationTableBytes);
      lc.dramBytes[1] += kActivationTableBytes;
    }
    if (d.readsSkip()) {
      const uint64_t step = d.broadcastSkip ? 0 : d.outChannelStride;  // a broadcast Mul operand: stride 0
      // the skip operand's tiles (LOAD_S): the first and last M tiles replayed exactly, as stores
      double skip = 0, skipBytes = 0;
      const uint64_t gs = std::min<uint64_t>(G, 8);
      // skip prefetch (tile overlap, docs/engine.md#skip-prefetch): output tile 0's skip is read
      // in the M tile's last tile once the DMA is free (after the M tile prefetch's last piece, of
      // mean cost `piece`), if that is in C_CP; then C_OUT waits for what outlasts the tile and
      // C_LS takes one cycle
      const bool skipPf = tileOvl && gemm;
      auto skipCost = [&](double c, const Means& m, double piece) {
        const double at = std::max(m.tailLoaded, m.free + piece);
        return at + 2 <= m.tailSpan ? 1.0 + std::max(0.0, at + c - 1 - (m.tailSpan + 1)) : c;
      };
      const double pieceFull = skipPf && nMT > 1 ? meanPiece(mFull, mFull) : 0.0;
      for (uint64_t j = 0; j < nJ; ++j) {
        const uint64_t cnt = std::min<uint64_t>(d.nChunk, d.kg - j * d.nChunk);
        for (uint64_t g = 0; g < gs; ++g) {
          const uint64_t at = d.in2Base + g * d.kg + j * d.nChunk;
          auto tile = [&](uint64_t m0, uint64_t mt) {
            ReadStream rs(dram, dram.rdOut);
            for (uint64_t i = 0; i < mt; ++i) rs.pixel(uint32_t(at + (m0 + i) * step), cnt);
            return double(rs.cycles());
          };
          const double cFull = nMT > 1 ? tile(0, mFull) : 0.0, cLast = tile((nMT - 1) * mFull, mLast);
          if (skipPf && j == 0)
            skip += double(G) / double(gs) *
                    (double(nMT - 1) * (nMT > 1 ? skipCost(cFull, full, pieceFull) : 0.0) + skipCost(cLast, lastM, 0.0));
          else
            skip += double(G) / double(gs) * (double(nMT - 1) * cFull + cLast);
          skipBytes += double(G) / double(gs) * double(M) * meanBeats(dram, at, step, cnt) *
                       double(dram.bytes);
        }
      }
      lc.load += uint64_t(skip + 0.5);
      lc.dramBytes[0] += uint64_t(skipBytes + 0.5);
    }
    double store = 0, outBytes = 0;
    for (uint64_t j = 0; j < nJ; ++j) {
      const uint64_t cnt = std::min<uint64_t>(d.nChunk, d.kg - j * d.nChunk);
      double beats = 0, cycles = 0;
      const uint64_t gs = std::min<uint64_t>(G, 8);
      for (uint64_t g = 0; g < gs; ++g) {
        const uint64_t at = d.outBase + g * d.kg + j * d.nChunk;
        beats += meanBeats(dram, at, d.outChannelStride, cnt);
        // the first M tile and the last one, replayed exactly (WriteStream)
        // (a fused pool stores the tile's mt / 4 pool pixels from m0 / 4 on)
        auto tile = [&](uint64_t m0, uint64_t mt) {
          WriteStream ws(dram, dram.wrOut);
          const uint64_t s0 = d.storedPixels(uint32_t(m0)), n = d.storedPixels(uint32_t(mt));
          for (uint64_t i = 0; i < n; ++i) ws.pixel(uint32_t(at + (s0 + i) * d.outChannelStride), cnt);
          return double(ws.cycles());
        };
        cycles += double(nMT - 1) * (nMT > 1 ? tile(0, mFull) : 0.0) + tile((nMT - 1) * mFull, mLast);
      }
      beats /= double(gs);
      const double px = double(G) * double(d.storedPixels(uint32_t(M)));
      store += double(G) * cycles / double(gs);
      outBytes += px * beats * double(dram.bytes);
    }
    lc.store = uint64_t(store + 0.5);
    lc.dramBytes[2] = uint64_t(outBytes + 0.5);
    out.push_back(lc);
  }
  return out;
}

}  // namespace dnnchip::schedule
