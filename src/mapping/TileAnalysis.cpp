// Exact tile arithmetic with partial last tiles (see TileAnalysis.h).
//
// Algorithm: a dimension's factors are a mixed-radix index; an outer tuple is real when its
// start (tuple value times the tile size) is below the bound. sumOuter walks the outer digits from
// the outermost inward keeping the remaining range `rem`: the digit values whose whole sub-block
// lies in range contribute (number of iterated tuples below) x full tile; at most one digit value
// is partial and the walk continues into it. Cost O(digits), no allocation.
// Limits: input footprints use the window formula (P-1)*stride + (R-1)*dilation + 1 per tile, so
// padding positions inside a tile are counted as Timeloop does.

#include "dnnchip/mapping/TileAnalysis.h"

#include <algorithm>

namespace dnnchip::mapping {

using workload::Dim;

void layoutDigits(const Hierarchy& h, const Mapping& m, DigitLayout& out) noexcept {
  const int n = m.numLevels;
  const int firstPe = std::min(h.firstPerPeLevel, n);
  for (int d = 0; d < workload::kNumDims; ++d) {
    DimDigits& dd = out.dims[d];
    int k = 0;
    dd.stride[0] = 1;
    // Factors of 1 are left out: they change no count, and fewer digits make sumOuter faster.
    auto push = [&](int64_t r, DigitKind kind, int level) {
      if (r == 1) return;
      dd.radix[k] = r;
      dd.kind[k] = kind;
      dd.level[k] = static_cast<int8_t>(level);
      dd.stride[k + 1] = dd.stride[k] * r;
      ++k;
    };
    // Per-PE levels, deepest first; a level's cut includes its own digit.
    for (int l = n - 1; l >= firstPe; --l) {
      push(m.levels[l].factor[d], DigitKind::Temporal, l);
      out.cut[l][d] = static_cast<int8_t>(k);
    }
    out.spatialBegin[d] = static_cast<int8_t>(k);
    push(m.spatialX[d], DigitKind::SpatialX, -1);
    push(m.spatialY[d], DigitKind::SpatialY, -1);
    for (int l = firstPe - 1; l >= 0; --l) {
      push(m.levels[l].factor[d], DigitKind::Temporal, l);
      out.cut[l][d] = static_cast<int8_t>(k);
    }
    dd.count = k;
  }
}

int64_t tileWords(const workload::LoopNest& nest, workload::TensorRole t, const DimArray& e) noexcept {
  using workload::TensorRole;
  switch (t) {
    case TensorRole::Weight: return e[Dim::G] * e[Dim::K] * e[Dim::C] * e[Dim::R] * e[Dim::S];
    case TensorRole::Output: return e[Dim::G] * e[Dim::N] * e[Dim::K] * e[Dim::P] * e[Dim::Q];
    default: {
      const int64_t h = (e[Dim::P] - 1) * nest.strideH + (e[Dim::R] - 1) * nest.dilationH + 1;
      const int64_t w = (e[Dim::Q] - 1) * nest.strideW + (e[Dim::S] - 1) * nest.dilationW + 1;
      return e[Dim::G] * e[Dim::N] * e[Dim::C] * h * w;
    }
  }
}

}  // namespace dnnchip::mapping
