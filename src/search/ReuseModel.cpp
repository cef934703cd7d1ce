// Closed-form reuse analysis for the search's inner loop (see ReuseModel.h for the model).
// Per call: O(levels * dims * tensors) integer work on fixed-size arrays; no allocation.
// Limits: factors must divide the bounds exactly (the search only generates such mappings);
// sliding-window halo overlap between consecutive input tiles is not reused (each input tile is
// fetched whole), as in Timeloop's default; networks-on-chip energy is not modelled.

#include "dnnchip/search/ReuseModel.h"

#include <algorithm>

namespace dnnchip::search {

using workload::Dim;
using workload::kNumDims;
using workload::LoopNest;
using workload::TensorRole;

const char* failureName(MappingFailure f) {
  switch (f) {
    case MappingFailure::None: return "ok";
    case MappingFailure::FactorProduct: return "factor-product";
    case MappingFailure::SpatialFanout: return "spatial-fanout";
    case MappingFailure::SpatialDim: return "spatial-dim";
    case MappingFailure::Capacity: return "capacity";
    case MappingFailure::kCount: break;
  }
  return "?";
}

int64_t footprint(const LoopNest& nest, int t, const DimFactors& e) noexcept {
  switch (t) {
    case 0: {
      int64_t h = (e[Dim::P] - 1) * nest.strideH + (e[Dim::R] - 1) * nest.dilationH + 1;
      int64_t w = (e[Dim::Q] - 1) * nest.strideW + (e[Dim::S] - 1) * nest.dilationW + 1;
      return int64_t{e[Dim::G]} * e[Dim::N] * e[Dim::C] * h * w;
    }
    case 1: return int64_t{e[Dim::G]} * e[Dim::K] * e[Dim::C] * e[Dim::R] * e[Dim::S];
    default: return int64_t{e[Dim::G]} * e[Dim::N] * e[Dim::K] * e[Dim::P] * e[Dim::Q];
  }
}

namespace {

bool relevant(int t, int d) { return LoopNest::relevant(static_cast<TensorRole>(t), static_cast<Dim>(d)); }

// Refills of a level whose parent loops are levels [0, below): walk the loops from the innermost
// outward, skipping factor-1 loops and the innermost run of loops irrelevant to `t`.
double refills(const LoopMapping& m, int below, int t) {
  double n = 1;
  bool reuse = true;
  for (int lv = below - 1; lv >= 0; --lv) {
    auto ord = m.order(lv);
    for (int i = kNumDims - 1; i >= 0; --i) {
      int d = ord[i];
      int f = m.temporal[lv][d];
      if (f == 1) continue;
      if (reuse && !relevant(t, d)) continue;
      reuse = false;
      n *= f;
    }
  }
  return n;
}

}  // namespace

MappingCost evaluateMapping(const ArchSpec& arch, const LoopNest& nest, const LoopMapping& m) noexcept {
  MappingCost c;
  const int L = std::min(arch.numLevels(), kMaxLevels);
  const int sp = arch.spatialLevel;
  // 1. Factors multiply to the bounds; spatial fan-out and dataflow.
  int64_t fx = 1, fy = 1;
  for (int d = 0; d < kNumDims; ++d) {
    int64_t p = int64_t{m.spatialX[d]} * m.spatialY[d];
    for (int lv = 0; lv < L; ++lv) p *= m.temporal[lv][d];
    if (p != nest.bound[d]) {
      c.failure = MappingFailure::FactorProduct;
      return c;
    }
    if ((m.spatialX[d] > 1 && !arch.allowX[d]) || (m.spatialY[d] > 1 && !arch.allowY[d])) {
      c.failure = MappingFailure::SpatialDim;
      return c;
    }
    fx *= m.spatialX[d];
    fy *= m.spatialY[d];
  }
  if (fx > arch.meshX || fy > arch.meshY) {
    c.failure = MappingFailure::SpatialFanout;
    return c;
  }
  const double pes = static_cast<double>(fx * fy);
  c.activePes = fx * fy;

  // 2. Extents at and below each level; per PE below the array, whole array at and above it.
  std::array<DimFactors, kMaxLevels> ext{};
  DimFactors spatialOnly{};
  for (int d = 0; d < kNumDims; ++d) {
    int64_t e = 1;
    for (int lv = L - 1; lv >= 0; --lv) {
      if (lv == sp) e *= int64_t{m.spatialX[d]} * m.spatialY[d];
      e *= m.temporal[lv][d];
      ext[lv][d] = static_cast<int32_t>(e);
    }
    spatialOnly[d] = m.spatialX[d] * m.spatialY[d];
  }
  // 3. Capacity.
  std::array<std::array<int64_t, kNumTensors>, kMaxLevels> tile{};
  for (int lv = 1; lv < L; ++lv) {
    const MemLevel& ml = arch.levels[lv];
    int64_t sum = 0;
    for (int t = 0; t < kNumTensors; ++t) {
      if (!ml.keeps[t]) continue;
      tile[lv][t] = footprint(nest, t, ext[lv]);
      if (ml.sharedWords == 0 && ml.tensorWords[t] > 0 && tile[lv][t] > ml.tensorWords[t]) {
        c.failure = MappingFailure::Capacity;
        c.failedLevel = lv;
        return c;
      }
      sum += tile[lv][t];
    }
    if (ml.sharedWords > 0 && sum > ml.sharedWords) {
      c.failure = MappingFailure::Capacity;
      c.failedLevel = lv;
      return c;
    }
  }
  // 4. Accesses, tensor by tensor along its chain of keeping levels.
  const double macs = static_cast<double>(nest.macs());
  const double outputs = static_cast<double>(nest.outputElements());
  for (int t = 0; t < kNumTensors; ++t) {
    int parent = 0;
    for (int lv = 1; lv < L; ++lv) {
      if (!arch.levels[lv].keeps[t]) continue;
      double fills = refills(m, lv, t);
      bool perPe = lv > sp;
      double copies = perPe ? pes : 1.0;
      double childWords = fills * static_cast<double>(tile[lv][t]) * copies;
      // Distinct words crossing the parent boundary (multicast in, spatial reduction out).
      double parentWords = childWords;
      if (perPe && parent <= sp) {
        DimFactors e = ext[lv];
        for (int d = 0; d < kNumDims; ++d) e[d] *= spatialOnly[d];
        parentWords = fills * static_cast<double>(footprint(nest, t, e));
      }
      if (t == 2) {
        double readBack = std::max(0.0, parentWords - outputs);
        c.writes[parent][t] += parentWords;   // updates written up
        c.reads[parent][t] += readBack;       // partial sums fetched again
        c.reads[lv][t] += childWords;         // drained to the parent
        c.writes[lv][t] += readBack * (childWords / parentWords);
      } else {
        c.reads[parent][t] += parentWords;
        c.writes[lv][t] += childWords;
      }
      parent = lv;
    }
    // The innermost keeping level serves the MACs.
    double perStep = parent > sp ? pes : static_cast<double>(footprint(nest, t, spatialOnly));
    double steps = macs / pes;
    if (t == 2) {
      c.reads[parent][t] += std::max(0.0, steps * perStep - (parent > sp ? 0.0 : outputs));
      c.writes[parent][t] += steps * perStep;
    } else {
      c.reads[parent][t] += steps * perStep;
    }
  }
  // Output-stationary innermost levels: the first update of each output needs no read.
  {
    int inner = 0;
    for (int lv = 1; lv < L; ++lv)
      if (arch.levels[lv].keeps[2]) inner = lv;
    if (inner > sp) {
      double firsts = 1;
      // Each per-PE output tile is first visited once per distinct tile: total distinct updates
      // equal the output elements times the spatial reduction fan-in.
      double fanIn = 1;
      for (int d = 0; d < kNumDims; ++d)
        if (!relevant(2, d)) fanIn *= spatialOnly[d];
      firsts = outputs * fanIn;
      c.reads[inner][2] = std::max(0.0, c.reads[inner][2] - firsts);
    }
  }
  // 5. Latency and energy.
  c.computeCycles = macs / pes;
  c.cycles = c.computeCycles;
  double energy = macs * arch.macPj;
  for (int lv = 0; lv < L; ++lv) {
    const MemLevel& ml = arch.levels[lv];
    double words = 0;
    for (int t = 0; t < kNumTensors; ++t) {
      energy += c.reads[lv][t] * ml.readPj[t] + c.writes[lv][t] * ml.writePj[t];
      words += c.reads[lv][t] + c.writes[lv][t];
    }
    if (ml.wordsPerCycle > 0) {
      double instances = lv > sp ? pes : 1.0;
      double cyc = words / instances / ml.wordsPerCycle;
      if (cyc > c.cycles) {
        c.cycles = cyc;
        c.boundLevel = lv;
      }
    }
  }
  c.energyPj = energy;
  return c;
}

}  // namespace dnnchip::search
