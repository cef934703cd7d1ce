// Default mapper (see DefaultMapper.h).
//
// Step 1, spatial: for each axis, walk the dataflow's preferred dimensions and give each
// min(remaining bound, remaining axis size) PEs (partial spatial tiles are allowed); an array
// with a fixed spatial mapping takes its factors (mapping::fixedSpatialFactors) instead.
// Step 2, temporal: remaining bounds r_d = ceil(bound / spatial). For each level from the
// innermost to level 1, for each dimension in a fixed priority, take the largest candidate
// factor ceil(r_d / j), j = 1, 2, ..., for which every level still passes the capacity check
// (everything not yet placed sits at DRAM). Step 3: DRAM takes ceil(r_d / placed).
// Invariant: the result satisfies the factor rule by construction.

#include "dnnchip/mapping/DefaultMapper.h"

#include <algorithm>

#include "dnnchip/mapping/MappingCheck.h"

namespace dnnchip::mapping {

using workload::Dim;

DimOrder outputStationaryOrder() {
  return {Dim::G, Dim::N, Dim::K, Dim::P, Dim::Q, Dim::C, Dim::R, Dim::S};
}

namespace {

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

void fillAxis(const std::array<bool, workload::kNumDims>& allow, const std::array<int, workload::kNumDims>& prefer,
              int numPrefer, int64_t size, DimArray& remaining, DimArray& spatial) {
  int64_t cap = size;
  auto give = [&](int d) {
    if (cap <= 1 || !allow[d] || spatial[d] > 1 || remaining[d] <= 1) return;
    const int64_t f = std::min(remaining[d], cap);
    spatial[d] = f;
    remaining[d] = ceilDiv(remaining[d], f);
    cap /= f;
  };
  for (int i = 0; i < numPrefer; ++i) give(prefer[i]);
  for (int d = 0; d < workload::kNumDims; ++d) give(d);
}

/// Sets level 0 so that every dimension's factors cover its bound exactly.
void settleDram(Mapping& m, const workload::LoopNest& nest) {
  for (int d = 0; d < workload::kNumDims; ++d) {
    m.levels[0].factor[d] = 1;
    const int64_t inner = m.product(static_cast<Dim>(d));
    m.levels[0].factor[d] = ceilDiv(nest.bound[d], inner);
  }
}

bool capacityOk(const Hierarchy& h, const workload::LoopNest& nest, const Mapping& m) {
  const CheckResult r = checkMapping(h, nest, m);
  return r.failure != Failure::Capacity && r.failure != Failure::Factors;
}

}  // namespace

Mapping defaultMapping(const Hierarchy& h, const workload::LoopNest& nest) {
  Mapping m = Mapping::trivial(h);
  for (int l = 0; l < m.numLevels; ++l) m.levels[l].order = outputStationaryOrder();
  DimArray remaining = nest.bound;
  if (auto f = fixedSpatialFactors(h.array, nest.bound)) {  // the design's own spatial mapping
    m.spatialX = f->x;
    m.spatialY = f->y;
    for (int d = 0; d < workload::kNumDims; ++d) remaining[d] = ceilDiv(remaining[d], f->x[d] * f->y[d]);
  } else {
    fillAxis(h.array.allowX, h.array.preferX, h.array.numPreferX, h.array.meshX, remaining, m.spatialX);
    fillAxis(h.array.allowY, h.array.preferY, h.array.numPreferY, h.array.meshY, remaining, m.spatialY);
  }
  settleDram(m, nest);
  if (!capacityOk(h, nest, m)) return m;  // even single-word tiles do not fit: caller reports

  static constexpr Dim kPriority[] = {Dim::K, Dim::C, Dim::S, Dim::R, Dim::Q, Dim::P, Dim::N, Dim::G};
  for (int l = m.numLevels - 1; l >= 1; --l) {
    for (Dim d : kPriority) {
      const int64_t r = remaining[d];
      if (r <= 1) continue;
      int64_t last = 0;
      for (int64_t j = 1; j <= r; ++j) {
        const int64_t f = ceilDiv(r, j);
        if (f == last) continue;
        last = f;
        if (f <= 1) break;
        Mapping trial = m;
        trial.levels[l].factor[d] = f;
        settleDram(trial, nest);
        if (capacityOk(h, nest, trial)) {
          m = trial;
          remaining[d] = ceilDiv(r, f);
          break;
        }
      }
    }
  }
  settleDram(m, nest);
  return m;
}

}  // namespace dnnchip::mapping
