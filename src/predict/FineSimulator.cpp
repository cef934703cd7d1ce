// Fine mode: tile-level cycle simulation of one compute layer (see FineSimulator.h).
//
// Algorithm: a mixed-radix counter steps the DRAM-level loops in the mapping's order. On each
// step the tensors with a relevant loop index changed get a new on-chip tile (exact partial
// extents from TileAnalysis); tensors that bypass the outermost on-chip level stream at their
// coarse average per tile. Events: load(i+1) may start when the DMA is free and, with double
// buffering, when compute(i-1) has ended (else compute(i)); compute(i) starts when load(i) and
// compute(i-1) are done plus the controller's per-tile overhead; a finished output tile is
// written back when the output tile changes (partial sums at partialSumBits when a reduction loop
// is still to come; revisited tiles reload their partial sums). Loads and stores share the DRAM
// bandwidth in issue order. Cost O(tiles x dims), no allocation.
// Limits: on-chip levels below the outermost buffer are not simulated step by step; their
// transfer time stretches each tile's compute by the coarse ratio (on-chip cycles / compute).

#include "dnnchip/predict/FineSimulator.h"

#include <algorithm>
#include <cmath>

#include "dnnchip/mapping/TileAnalysis.h"

namespace dnnchip::predict {

using mapping::DigitKind;
using workload::Dim;
using workload::TensorRole;

FineResult simulateLayer(const EngineModel& e, const workload::LoopNest& nest, const mapping::Mapping& m,
                         const LayerEval& coarse, double dramBitsPerCycle) {
  FineResult fr;
  constexpr int kD = workload::kNumDims;
  const mapping::Hierarchy& h = e.hierarchy;
  mapping::DigitLayout L;
  mapping::layoutDigits(h, m, L);
  const int n = m.numLevels;
  const mapping::LevelLoops& top = m.levels[0];

  // Per dimension: DRAM-level trip count, full and last tile extents and inner compute counts.
  int64_t trips[kD], full[kD], last[kD], innerFull[kD], innerLast[kD];
  for (int d = 0; d < kD; ++d) {
    const mapping::DimDigits& dd = L.dims[d];
    trips[d] = top.factor[d];
    const int cut = trips[d] > 1 ? dd.count - 1 : dd.count;  // the level-0 digit is the outermost
    full[d] = std::min(dd.stride[cut], nest.bound[d]);
    last[d] = nest.bound[d] - (trips[d] - 1) * dd.stride[cut];
    if (last[d] <= 0 || trips[d] == 1) last[d] = full[d];
    uint32_t mask = 0;
    for (int k = 0; k < cut; ++k)
      if (dd.kind[k] == DigitKind::Temporal) mask |= 1u << k;
    innerFull[d] = mapping::countReal(dd, full[d], mask);
    innerLast[d] = mapping::countReal(dd, last[d], mask);
  }
  // Tensors kept at the outermost on-chip level follow tile changes; the others stream.
  const bool keepsTop[3] = {n > 1 && m.levels[1].keeps[0], n > 1 && m.levels[1].keeps[1],
                            n > 1 && m.levels[1].keeps[2]};
  int64_t tiles = 1;
  for (int d = 0; d < kD; ++d) tiles *= trips[d];
  fr.tiles = tiles;
  const double bits[3] = {double(h.inputBits), double(h.weightBits), double(h.outputBits)};
  // DRAM-side bandwidth per tensor: the DRAM's, narrowed by the tensor's path out of DRAM.
  double tbw[3] = {dramBitsPerCycle, dramBitsPerCycle, dramBitsPerCycle};
  for (const PathLimit& pl : e.paths)
    for (int t = 0; t < 3; ++t)
      if (pl.parent == 0 && (pl.tensorMask >> t & 1u) && pl.bitsPerCycle > 0)
        tbw[t] = tbw[t] > 0 ? std::min(tbw[t], pl.bitsPerCycle) : pl.bitsPerCycle;
  // Transfer time of `b` bits of tensor t.
  auto xferT = [&](double b, int t) { return tbw[t] > 0 ? b / tbw[t] : 0.0; };
  double streamCycles = 0;  // per tile, tensors not following tile changes (average)
  for (int t = 0; t < 3; ++t)
    if (!keepsTop[t]) streamCycles += xferT((coarse.reads[0][t] + coarse.updates[0][t]) * bits[t] / double(tiles), t);
  double onchip = coarse.computeCycles;
  for (int l = 1; l < n; ++l) onchip = std::max(onchip, coarse.levelCycles[l]);
  for (size_t i = 0; i < e.paths.size() && i < coarse.pathCycles.size(); ++i)
    if (e.paths[i].parent != 0) onchip = std::max(onchip, coarse.pathCycles[i]);
  const double stretch = coarse.computeCycles > 0 ? onchip / coarse.computeCycles : 1.0;
  const double perTileExtra = (coarse.fillDrainCycles + coarse.overheadCycles - e.perLayerOverheadCycles) / double(tiles);
  const bool db = n > 1 && h.levels[1].doubleBuffered;

  int64_t idx[kD] = {0, 0, 0, 0, 0, 0, 0, 0};
  bool changed[kD];
  auto extentsOf = [&](mapping::DimArray& ex) {
    for (int d = 0; d < kD; ++d) ex[d] = idx[d] == trips[d] - 1 ? last[d] : full[d];
  };
  auto tileLoadCycles = [&](bool first) {
    mapping::DimArray ex;
    extentsOf(ex);
    double b = streamCycles;
    for (int t = 0; t < 2; ++t) {
      if (!keepsTop[t]) continue;
      bool ch = first;
      for (int d = 0; d < kD && !ch; ++d)
        ch = changed[d] && workload::LoopNest::relevant(static_cast<TensorRole>(t), static_cast<Dim>(d));
      if (ch) b += xferT(double(mapping::tileWords(nest, static_cast<TensorRole>(t), ex)) * bits[t], t);
    }
    if (keepsTop[2]) {  // a revisited output tile reloads its partial sums
      bool ch = first;
      for (int d = 0; d < kD && !ch; ++d)
        ch = changed[d] && workload::LoopNest::relevant(TensorRole::Output, static_cast<Dim>(d));
      const bool revisit = idx[Dim::C] > 0 || idx[Dim::R] > 0 || idx[Dim::S] > 0;
      if (ch && revisit) b += xferT(double(mapping::tileWords(nest, TensorRole::Output, ex)) * h.partialSumBits, 2);
    }
    return b;
  };
  auto computeOf = [&]() {
    double c = 1;
    for (int d = 0; d < kD; ++d) c *= double(idx[d] == trips[d] - 1 ? innerLast[d] : innerFull[d]);
    return c;
  };
  // Advances the counter in loop order; returns false after the last tile.
  auto advance = [&]() {
    std::fill(changed, changed + kD, false);
    for (int i = kD - 1; i >= 0; --i) {
      const int d = top.order[i];
      if (trips[d] <= 1) continue;
      changed[d] = true;
      if (++idx[d] < trips[d]) return true;
      idx[d] = 0;
    }
    return false;
  };
  std::fill(changed, changed + kD, true);
  double dmaFree = tileLoadCycles(true);
  fr.dmaBusyCycles = dmaFree;
  double loadEnd = dmaFree;
  double endPrev = 0;
  for (int64_t i = 0; i < tiles; ++i) {
    const double busy = computeOf() * stretch;
    const double start = std::max(loadEnd, endPrev) + perTileExtra;
    fr.computeStallCycles += std::max(0.0, loadEnd - endPrev);
    const double end = start + busy;
    fr.computeBusyCycles += busy;
    // Output write-back when the output tile changes after this one (or at the end).
    mapping::DimArray ex;
    extentsOf(ex);
    const bool finalRed = idx[Dim::C] == trips[Dim::C] - 1 && idx[Dim::R] == trips[Dim::R] - 1 &&
                          idx[Dim::S] == trips[Dim::S] - 1;
    const double outWords = double(mapping::tileWords(nest, TensorRole::Output, ex));
    const double outBits = outWords * (finalRed ? h.outputBits : h.partialSumBits);
    const bool more = advance();
    bool outChanges = !more;
    for (int d = 0; d < kD && !outChanges; ++d)
      outChanges = changed[d] && workload::LoopNest::relevant(TensorRole::Output, static_cast<Dim>(d));
    if (more) {
      const double freeAt = db ? endPrev : end;
      const double ls = std::max(dmaFree, freeAt);
      fr.dmaStallCycles += std::max(0.0, freeAt - dmaFree);
      const double lb = tileLoadCycles(false);
      loadEnd = ls + lb;
      dmaFree = loadEnd;
      fr.dmaBusyCycles += lb;
    }
    if (keepsTop[2] && outChanges) {
      const double ss = std::max(dmaFree, end);
      const double sb = xferT(outBits, 2);
      dmaFree = ss + sb;
      fr.dmaBusyCycles += sb;
    }
    endPrev = end;
  }
  fr.cycles = std::ceil(std::max(endPrev, dmaFree) + e.perLayerOverheadCycles);
  return fr;
}

}  // namespace dnnchip::predict
