// predictCycles: the exact cycle count of every descriptor on dnnchip_engine, by replaying the
// controller's loops (g, M tile, reduction tile, output tile) and each DMA command as an event
// model of its bursts in flight (detail::ReadStream / WriteStream in DramCost.h,
// docs/engine.md#cycle-behaviour). Pass lengths are closed forms; DMA costs depend on addresses
// (alignment, 4 KiB splits, padding) and on the bursts before them, so gathers and stores are
// walked pixel by pixel and burst by burst. WS passes with DOUBLE_BUFFER run back to back within a
// reduction tile; their span is the max-plus recurrence of WsPasses.h, replayed once with the
// weight streams' LOAD_W costs (Dram::linearRead of up to weightGroup blocks, in block order as
// the controller issues them) and once without (compute = the array's own span, stall =
// the rest). A fused residual add (fuseAdd) reads the skip operand's tile after the bias, pixel
// by pixel at the store's addresses (a ReadStream), and its vector pass is kFusedAddStages longer;
// so does an elementwise Mul (mul), whose broadcast operand is read at stride 0.
// A fused max pool (fusePool) makes the vector pass kFusedPoolStages longer and stores the M tile's
// mt / 4 pool pixels at the pool's addresses (m0 / 4 on).
// An activation table (lutEnable) is one linear read of 256 bytes at biasBase per layer (LOAD_T)
// and kTableStages more per vector pass.
// There the gather of reduction tile kt+1 (kt+1 > 0 within an M tile) overlaps tile
// kt's passes: it is issued once kt's last weight block has arrived (WsPasses.h dmaFree) and only
// the part of it that outlasts the passes counts (load). A wide gather (ctGroup > 1) reads the run
// of ctGroup channel tiles of a tap once, at the group's first tile; the group's later tiles cost
// one C_LA cycle instead of a gather. Overlapped, the next group's gather is issued in pieces of
// ceil(m_tile / ctGroup) pixels, one per tile of the current group (the last tile takes the rest).
// Cost O(G * M * (R*S*ctiles + ntiles) + bursts) per layer, no allocation.
// Weight streams (cfg.weightGroup > 1): blocks 1.. of a reduction tile in commands of up to
// weightGroup blocks, each pass waiting for its own block (Dram::weightStream gives each block's
// arrival; docs/engine.md#weight-streams).
// A depthwise layer on the depthwise unit (WeightLowering::DepthwiseUnit, op 5): per group one
// LOAD_W of R*S rows into the unit; per M tile (one output row) the gathers of the window rows
// not yet in its line buffer (taps r >= rf, s in padLeft .. padLeft + dwSTaps - 1; every other
// tap one C_LA cycle), the unit's pass of outQ*R*S + 5 cycles, then the GEMM's output path.
// A softmax (op 6) accumulates its rows like a 1x1 pool, then per row of the M tile reads its
// n_ctiles words into softmax_unit (C_RL, n_ctiles + 2 cycles) and runs the unit (C_RG,
// softmaxUnitCycles), before the output tiles.
// Invariant: keep this file, WsPasses.h and templates/controller.v + dma_axi.v in step; the rtl test
// engine_cycles compares them cycle for cycle.

#include <algorithm>

#include "dnnchip/schedule/CycleModel.h"
#include "dnnchip/schedule/SoftmaxUnit.h"
#include "DramCost.h"
#include "WsPasses.h"

namespace dnnchip::schedule {

using detail::Dram;
using detail::ReadStream;
using detail::WriteStream;

std::vector<LayerCycles> predictCycles(const Program& p, const EngineConfig& cfg) {
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
    const uint64_t k = loops.k;
    const uint64_t blockBytes = k * rowBytes;
    const uint64_t P = d.outP, Q = d.outQ;
    const uint64_t cgp = std::max<uint64_t>(1, d.ctGroup);  // channel tiles per gather

    lc.overhead = 3 + 1;  // fetch, decode, setup; layer_done
    uint64_t wptr = d.weightBase, bptr = d.biasBase;
    if (d.lutEnable) {  // LOAD_T: the activation table, once per layer; the bias blocks follow it
      lc.load += dram.linearRead(d.biasBase, kActivationTableBytes);
      lc.dramBytes[1] += kActivationTableBytes;
      bptr += kActivationTableBytes;
    }
    const bool dwu = d.lowering == WeightLowering::DepthwiseUnit;
    for (uint64_t g = 0; g < G; ++g) {
      lc.overhead += 1;  // next group
      if (dwu) {  // C_DWL: the group's R*S weight rows into the unit
        const uint64_t bytes = uint64_t(d.kernelR) * d.kernelS * rowBytes;
        lc.load += dram.linearRead(wptr, bytes);
        lc.dramBytes[1] += bytes;
        wptr += bytes;
      }
      const uint64_t wptrG = wptr, bptrG = bptr;
      bool prefetchNext = false;  // M tile prefetch: the next M tile's first group is gathered
      for (uint64_t m0 = 0; m0 < M; m0 += d.mTile) {
        const uint64_t mt = std::min<uint64_t>(d.mTile, M - m0);
        lc.overhead += 2 + nK + 2 * nJ;  // M tile start/next, per reduction tile, per output tile
        wptr = wptrG;
        bptr = bptrG;
        // LOAD_A of tile (r, s, ct): the read stream of pixels m0 + i0 .. m0 + i0 + count - 1 of the
        // run of min(cgp * k, cg - ct * k) channels (wide: cut into k-byte words on return)
        auto gather = [&](uint64_t r, uint64_t s, uint64_t ct, uint64_t i0, uint64_t count, uint64_t mBase) {
          const uint64_t base = (add && r == 1) ? d.in2Base : d.inBase;
          const int64_t roff = add ? 0 : int64_t(r * d.dilationH);
          const int64_t soff = int64_t(s * d.dilationW);
          const uint64_t coff = ct * k;
          const uint64_t cnt = std::min<uint64_t>(cgp * k, d.cg - coff);
          const uint64_t words = (cnt + k - 1) / k;
          const uint64_t chanOff = g * d.cg + coff;
          ReadStream rs(dram, dram.rdOut);
          const uint64_t mi = mBase + i0;
          uint64_t n = mi / (P * Q), rest = mi % (P * Q), pp = rest / Q, qq = rest % Q;
          for (uint64_t i = 0; i < count; ++i) {
            int64_t h = int64_t(pp * d.strideH) + roff - int64_t(d.padTop);
            int64_t w = int64_t(qq * d.strideW) + soff - int64_t(d.padLeft);
            if (h < 0 || w < 0 || h >= int64_t(d.inH) || w >= int64_t(d.inW)) {
              rs.pad(words);
            } else {
              uint64_t addr = base + ((n * d.inH + uint64_t(h)) * d.inW + uint64_t(w)) *
                                         d.inChannelStride + chanOff;
              rs.pixel(uint32_t(addr), cnt, k);
              lc.dramBytes[0] += dram.beats(uint32_t(addr), cnt) * dram.bytes;
            }
            if (++qq == Q) { qq = 0; if (++pp == P) { pp = 0; ++n; } }
          }
          return rs.cycles();
        };
        const bool overlapped = gemm && !dwu && cfg.doubleBuffer && cfg.dataflow == Dataflow::WeightStationary;

        const uint64_t piece = (d.mTile + cgp - 1) / cgp;  // pixels of one overlapped piece
        // tile overlap (WS, DOUBLE_BUFFER, wide-gather engines): a reduction tile before the M
        // tile's last leaves its passes once its last pixel is decided; the next tile's passes
        // start once block 0 is in and PE bank 0 is free (C_LW_W), its pass 1 loads once bank 1
        // is. Carried from the previous tile, relative to its first C_CP cycle: the cycle C_LW is
        // entered, bank 0 free, E of its last bank-1 pass.
        const bool tileOverlap = overlapped && cfg.wideGather;
        const bool prefetched = prefetchNext;  // this M tile's first group came with the last one's
        prefetchNext = false;
        bool carry = false, carryHas1 = false;
        int64_t carryLw = 0, carryFree0 = 0, carryE1 = 0;
        bool carryB0 = false;     // the previous tile prefetched this tile's block 0 ...
        int64_t carryB0Done = 0;  // ... seen from this cycle on (its done pulse + 1)
        // skip prefetch (fused add, tile overlap): the M tile's last tile issues output tile 0's
        // skip read at skipAt (from its first C_CP cycle); C_OUT is entered at skipOut
        bool skipPf = false;
        uint64_t skipAt = 0, skipOut = 0;
        if (dwu) {
          // the window rows this output row gathers; the others' taps cost C_LA's cycle
          const uint64_t rf = (m0 / Q) % P == 0 ? 0 : d.dwRowFirst;
          for (uint64_t r = 0; r < d.kernelR; ++r)
            for (uint64_t s = 0; s < d.kernelS; ++s)
              lc.load += (r >= rf && s >= d.padLeft && s < d.padLeft + d.dwSTaps) ? gather(r, s, 0, 0, mt, m0) : 1;
          lc.compute += mt * d.kernelR * d.kernelS + detail::kDepthwisePassExtra;
        }
        for (uint64_t r = 0; r < (dwu ? 0 : d.kernelR); ++r)
          for (uint64_t s = 0; s < d.kernelS; ++s)
            for (uint64_t ct = 0; ct < d.numCTiles; ++ct) {
              const uint64_t gi = ct % cgp;  // the tile's index in its channel group
              const bool gLast = ct + 1 == d.numCTiles || gi + 1 == cgp;
              // LOAD_A: the group's first tile gathers (overlapped: only the M tile's first
              // group here, the others in pieces below); later tiles find their words (C_LA, 1)
              if (!overlapped || (r == 0 && s == 0 && ct == 0))
                lc.load += (gi == 0 && !prefetched) ? gather(r, s, ct, 0, mt, m0) : 1;
              if (!gemm) {
                lc.compute += mt + detail::kAccumulateStages;
                continue;
              }
              const uint64_t pass =
                  (cfg.dataflow == Dataflow::WeightStationary)
                      ? k + mt + wsArrayLatency(cfg) + 2
                      : (mt + R - 1) / R * (3 * R + C + k);
              const uint64_t cp = pass + 1;
              if (overlapped) {
                // back-to-back passes: block 0 loads before them, the others in weight streams of
                // up to weightGroup blocks (one while the previous group's first pass loads)
                uint64_t lw0 = dram.linearRead(wptr, blockBytes);
                // block-0 prefetch: issued in the previous tile; C_LW then issues nothing, and
                // C_LW_W sees its done (the passes start at C_LW + 2 at the earliest)
                if (carry && carryB0) lw0 = uint64_t(std::max(carryLw + 2, carryB0Done) - carryLw);
                lc.load += lw0;
                lc.dramBytes[1] += d.numNTiles * blockBytes;
                const uint64_t lat = wsArrayLatency(cfg), blat = wsBankLatency(cfg);
                uint64_t bank1Free = 0;  // pass 1's earliest load decision (previous tile's bank 1)
                if (carry) {
                  const int64_t cp0 = std::max(carryLw + int64_t(lw0), carryFree0);
                  lc.stall += uint64_t(cp0 - carryLw - int64_t(lw0));  // C_LW_W waits for PE bank 0
                  if (carryHas1 && carryE1 + int64_t(blat) - 1 > cp0) bank1Free = uint64_t(carryE1 + int64_t(blat) - 1 - cp0);
                }
                const bool lastTile = r + 1 == d.kernelR && s + 1 == d.kernelS && ct + 1 == d.numCTiles;
                const bool drainOvl = tileOverlap && !lastTile;
                const uint64_t w0 = wptr;
                wptr += d.numNTiles * blockBytes;
                uint64_t issue = 0;  // F: the DMA is free for the gather's piece
                uint64_t e0 = 0, e1 = 0, loaded = 0;
                const uint64_t wg = uint64_t(cfg.weightGroup);
                const uint64_t span = detail::wsPassesSpan<uint64_t>(
                    k, mt, lat, blat, d.numNTiles, wg,
                    [&](uint64_t b, uint64_t n, uint64_t* in) {
                      return dram.weightStream(w0 + b * blockBytes, n, blockBytes, in);
                    },
                    &issue, bank1Free, drainOvl, &e0, &e1, &loaded);
                // (the array's own span: the bank waits the previous tile imposes count as stall)
                const uint64_t bare = detail::wsPassesSpan<uint64_t>(
                    k, mt, lat, blat, d.numNTiles, wg, [](uint64_t, uint64_t, uint64_t*) { return 0; }, nullptr, 0,
                    drainOvl);
                lc.compute += bare;
                lc.stall += span - bare;
                // overlapped gather: tile gi of this group gathers piece gi of the next group's
                // (pixels gi * piece .., the group's last tile up to mt), issued at F, done
                // F + g - 1; C_KN waits for the rest, and a tile inside the group then spends
                // C_LA's cycle (1 at least), the group's last goes straight to block 0
                const uint64_t ct0 = ct - gi;
                const bool ngTap = ct0 + cgp >= d.numCTiles;  // the next group is the next tap's
                const bool lastTap = r + 1 == d.kernelR && s + 1 == d.kernelS;
                // M tile prefetch (tile overlap): the last group's tiles gather the next M tile's
                // first group (tap (0, 0), channel 0) in pieces of its mtNext pixels
                const bool pm = tileOverlap && ngTap && lastTap && m0 + mt < M;
                const uint64_t mtNext = std::min<uint64_t>(d.mTile, M - m0 - mt);
                const uint64_t tgt = pm ? mtNext : mt;
                const uint64_t pstart = gi * piece, left = tgt > pstart ? tgt - pstart : 0;
                const uint64_t count = gLast ? left : std::min(piece, left);
                uint64_t exposed = gLast ? 0 : 1;
                uint64_t pieceDone = 0;  // the piece's done pulse (0: no piece)
                if ((!(ngTap && lastTap) || pm) && count > 0) {
                  const uint64_t nr = pm ? 0 : ngTap ? (s + 1 == d.kernelS ? r + 1 : r) : r;
                  const uint64_t ns = pm ? 0 : ngTap ? (s + 1 == d.kernelS ? 0 : s + 1) : s;
                  const uint64_t nct = (pm || ngTap) ? 0 : ct0 + cgp;
                  const uint64_t done = issue + gather(nr, ns, nct, pstart, count, pm ? m0 + mt : m0) - 1;
                  if (done > span) exposed = std::max(exposed, done - span);
                  if (pm) prefetchNext = true;
                  pieceDone = done;
                }
                lc.load += exposed;
                // block-0 prefetch (tile overlap, not the M tile's last tile): once every pass has
                // its rows (loaded) and the DMA is free (after the piece's done, else at F), while
                // the controller is still in C_CP (at most E_{N-1} + 1 = span - 2)
                const uint64_t b0At = std::max(loaded, pieceDone ? pieceDone + 1 : issue);
                carryB0 = drainOvl && b0At + 2 <= span;
                // skip prefetch: the M tile's last tile reads output tile 0's skip operand into
                // staging at the same point, if still in C_CP; C_OUT follows C_KN (no C_PF_W wait:
                // the piece is done)
                skipPf = tileOverlap && lastTile && d.readsSkip() && b0At + 2 <= span;
                skipAt = b0At;
                skipOut = span + 1;
                if (carryB0) carryB0Done = int64_t(b0At + dram.linearRead(wptr, blockBytes));
                carry = drainOvl;
                carryLw = int64_t(span + 1 + exposed);  // C_KN, then the exposed gather
                carryFree0 = int64_t(e0 + blat - 1);
                carryHas1 = d.numNTiles > 1;
                carryE1 = int64_t(e1);
                continue;
              }
              for (uint64_t nt = 0; nt < d.numNTiles; ++nt) {
                if (!cfg.doubleBuffer || nt == 0) {
                  lc.load += dram.linearRead(wptr, blockBytes);
                  lc.dramBytes[1] += blockBytes;
                  wptr += blockBytes;
                }
                if (cfg.doubleBuffer && nt + 1 < d.numNTiles) {
                  uint64_t lw = dram.linearRead(wptr, blockBytes);
                  lc.dramBytes[1] += blockBytes;
                  wptr += blockBytes;
                  lc.compute += cp;
                  if (lw > cp) lc.stall += lw - cp;
                } else {
                  lc.compute += cp;
                }
              }
            }
        if (d.op == EngineOp::Softmax)  // per row: C_RL (its nct words into the unit, + 2), C_RG (the unit)
          lc.vector += mt * (d.numCTiles + 2 + uint64_t(softmaxUnitCycles(d.cg, k)));
        for (uint64_t j = 0; j < nJ; ++j) {
          if (gemm && d.biasEnable) {
            lc.load += dram.linearRead(bptr, biasBytes);
            lc.dramBytes[1] += biasBytes;
            bptr += biasBytes;
          }
          const uint64_t cnt = std::min<uint64_t>(d.nChunk, d.kg - j * d.nChunk);
          if (d.readsSkip()) {
            // LOAD_S: the skip operand's tile, pixel runs at the store's addresses into staging
            // (a broadcast Mul operand: the one pixel's run, mt times at stride 0)
            ReadStream skip(dram, dram.rdOut);
            const uint64_t step = d.broadcastSkip ? 0 : d.outChannelStride;
            uint64_t a = d.in2Base + m0 * step + g * d.kg + j * d.nChunk;
            for (uint64_t i = 0; i < mt; ++i, a += step) {
              skip.pixel(uint32_t(a), cnt);
              lc.dramBytes[0] += dram.beats(uint32_t(a), cnt) * dram.bytes;
            }
            if (skipPf && j == 0) {
              // prefetched: C_OUT waits for its done pulse (at skipAt + cycles - 1), C_LS is one cycle
              const uint64_t done = skipAt + skip.cycles() - 1;
              lc.load += 1 + (done > skipOut ? done - skipOut : 0);
            } else {
              lc.load += skip.cycles();
            }
          }
          lc.vector += mt + 4 + (d.readsSkip() ? detail::kFusedAddStages : 0) +
                       (d.fusePool ? detail::kFusedPoolStages : 0) + (d.lutEnable ? detail::kTableStages : 0);
          WriteStream store(dram, dram.wrOut);
          const uint64_t stored = d.storedPixels(uint32_t(mt));
          const uint64_t tile0 = d.storeTileStride ? uint64_t(m0 / d.mTile) * d.storeTileStride
                                                   : d.storedPixels(uint32_t(m0)) * uint64_t(d.outChannelStride);
          uint64_t addr = d.outBase + tile0 + g * d.kg + j * d.nChunk;
          for (uint64_t i = 0; i < stored; ++i, addr += d.outChannelStride) {
            store.pixel(uint32_t(addr), cnt);
            lc.dramBytes[2] += dram.beats(uint32_t(addr), cnt) * dram.bytes;
          }
          lc.store += store.cycles();
        }
      }
    }
    out.push_back(lc);
  }
  return out;
}

}  // namespace dnnchip::schedule
