// Closed-form reuse analysis (model and limits in ReuseModel.h). Validity comes from
// mapping::checkMapping (exact capacity with partial sums); the counting here is O(levels *
// dims * tensors) on fixed-size arrays, no allocation.

#include "dnnchip/search/ReuseModel.h"

#include "dnnchip/mapping/TileAnalysis.h"

#include <algorithm>

namespace dnnchip::search {

using workload::Dim;
using workload::kNumDims;
using workload::LoopNest;
using workload::TensorRole;

namespace {

bool relevant(int t, int d) { return LoopNest::relevant(static_cast<TensorRole>(t), static_cast<Dim>(d)); }

int64_t words(const LoopNest& nest, int t, const mapping::DimArray& e) {
  return mapping::tileWords(nest, static_cast<TensorRole>(t), e);
}

// Refills of a level whose parent loops are at levels [0, below): walk them from the innermost
// outward, skipping unit loops and the innermost run of loops irrelevant to `t`.
double refills(const mapping::Mapping& m, int below, int t) {
  double n = 1;
  bool reuse = true;
  for (int lv = below - 1; lv >= 0; --lv) {
    const auto& L = m.levels[lv];
    for (int i = kNumDims - 1; i >= 0; --i) {
      int d = L.order[i];
      int64_t f = L.factor[d];
      if (f == 1) continue;
      if (reuse && !relevant(t, d)) continue;
      reuse = false;
      n *= static_cast<double>(f);
    }
  }
  return n;
}

}  // namespace

MappingCost ReuseModel::evaluate(const mapping::Mapping& m) const noexcept {
  ReuseCounts counts;
  return evaluate(m, counts);
}

MappingCost ReuseModel::evaluate(const mapping::Mapping& m, ReuseCounts& c) const noexcept {
  MappingCost out;
  mapping::CheckResult chk = mapping::checkMapping(h_, nest_, m);
  if (!chk.ok()) {
    out.failure = chk.failure;
    return out;
  }
  const int L = h_.numLevels();
  const int sp = h_.firstPerPeLevel - 1;  // the array sits below this level
  const double pes = static_cast<double>(m.activePes());
  out.activePes = m.activePes();

  // Extents at and below each level (per PE below the array, whole array at and above it).
  std::array<mapping::DimArray, mapping::kMaxLevels> ext{};
  mapping::DimArray spatialOnly{};
  for (int d = 0; d < kNumDims; ++d) {
    int64_t e = 1;
    for (int lv = L - 1; lv >= 0; --lv) {
      if (lv == sp) e *= m.spatialX[d] * m.spatialY[d];
      e *= m.levels[lv].factor[d];
      ext[lv][d] = e;
    }
    if (sp < 0) ext[0][d] *= m.spatialX[d] * m.spatialY[d];
    spatialOnly[d] = m.spatialX[d] * m.spatialY[d];
  }
  double macs = 1, temporal = 1;
  for (int d = 0; d < kNumDims; ++d) {
    macs *= static_cast<double>(nest_.bound[d]);
    for (int lv = 0; lv < L; ++lv) temporal *= static_cast<double>(m.levels[lv].factor[d]);
  }
  const double outputs = static_cast<double>(nest_.outputElements());

  for (int t = 0; t < kNumTensors; ++t) {
    int parent = 0;
    for (int lv = 1; lv < L; ++lv) {
      if (!m.levels[lv].keeps[t]) continue;
      double fills = refills(m, lv, t);
      bool perPe = lv > sp;
      double tile = static_cast<double>(words(nest_, t, ext[lv]));
      double childWords = fills * tile * (perPe ? pes : 1.0);
      double parentWords = childWords;
      if (perPe && parent <= sp) {  // crossing the array: multicast in, reduction out
        mapping::DimArray e = ext[lv];
        for (int d = 0; d < kNumDims; ++d) e[d] *= spatialOnly[d];
        parentWords = fills * static_cast<double>(words(nest_, t, e));
      }
      if (t == 2) {
        double readBack = std::max(0.0, parentWords - outputs);
        c.writes[parent][t] += parentWords;
        c.reads[parent][t] += readBack;
        c.reads[lv][t] += childWords;
        c.writes[lv][t] += parentWords > 0 ? readBack * (childWords / parentWords) : 0.0;
      } else {
        c.reads[parent][t] += parentWords;
        c.writes[lv][t] += childWords;
      }
      parent = lv;
    }
    // The innermost keeping level serves the MACs: one operand per MAC per PE when it is per PE,
    // else the distinct operands of the array per step.
    double steps = macs / pes;
    double perStep = parent > sp ? pes : static_cast<double>(words(nest_, t, spatialOnly));
    if (t == 2) {
      double fanIn = 1;  // spatial reduction: PEs adding into the same output
      for (int d = 0; d < kNumDims; ++d)
        if (!relevant(2, d)) fanIn *= static_cast<double>(spatialOnly[d]);
      double firsts = parent > sp ? outputs * fanIn : outputs;
      c.reads[parent][t] += std::max(0.0, steps * perStep - firsts);
      c.writes[parent][t] += steps * perStep;
    } else {
      c.reads[parent][t] += steps * perStep;
    }
  }

  const int bits[3] = {h_.inputBits, h_.weightBits, h_.partialSumBits};
  c.computeCycles = temporal;
  double cycles = temporal;
  double energy = macs * e_.macPj;
  for (int lv = 0; lv < L; ++lv) {
    const mapping::MemoryLevel& ml = h_.levels[lv];
    double width = ml.accessWidthBits > 0 ? ml.accessWidthBits : 64;
    double moved = 0;
    for (int t = 0; t < kNumTensors; ++t) {
      int b = (t == 2 && lv == 0) ? h_.outputBits : bits[t];
      if (t == 2 && lv == 0) b = std::max(b, 1);
      double perWord = static_cast<double>(b) / width;
      energy += (c.reads[lv][t] * e_.readPj[lv] + c.writes[lv][t] * e_.writePj[lv]) * perWord;
      moved += (c.reads[lv][t] + c.writes[lv][t]) * b;
    }
    if (ml.bandwidthBitsPerCycle > 0) {
      double instances = lv > sp ? pes : 1.0;
      double cyc = moved / instances / ml.bandwidthBitsPerCycle;
      if (cyc > cycles) {
        cycles = cyc;
        c.boundLevel = lv;
      }
    }
  }
  out.cycles = cycles;
  out.energyPj = energy;
  return out;
}

}  // namespace dnnchip::search
