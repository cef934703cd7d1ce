// Mapping and Hierarchy helpers: the trivial mapping, products of factors, level lookup, the
// factors of a fixed spatial mapping for one layer.

#include "dnnchip/mapping/Mapping.h"

#include <algorithm>

namespace dnnchip::mapping {

DimOrder canonicalOrder() {
  DimOrder o{};
  for (int d = 0; d < workload::kNumDims; ++d) o[d] = static_cast<workload::Dim>(d);
  return o;
}

int Hierarchy::findLevel(const std::string& name) const {
  for (int i = 0; i < numLevels(); ++i)
    if (levels[i].name == name) return i;
  return -1;
}

std::optional<SpatialFactors> fixedSpatialFactors(const ComputeArray& a, const DimArray& bound) {
  if (!a.fixedSpatial) return std::nullopt;
  using workload::Dim;
  const bool depthwise = a.fixedDepthwise && bound[Dim::G] > 1 && bound[Dim::C] == 1;
  const DimArray& x = depthwise ? a.fixedDwX : a.fixedX;
  const DimArray& y = depthwise ? a.fixedDwY : a.fixedY;
  SpatialFactors f;
  for (int d = 0; d < workload::kNumDims; ++d) {
    f.x[d] = std::max<int64_t>(1, std::min(x[d], bound[d]));
    f.y[d] = std::max<int64_t>(1, std::min(y[d], bound[d]));
  }
  return f;
}

Mapping Mapping::trivial(const Hierarchy& h) {
  Mapping m;
  m.numLevels = h.numLevels();
  for (int l = 0; l < m.numLevels && l < kMaxLevels; ++l) m.levels[l].keeps = h.levels[l].canKeep;
  return m;
}

}  // namespace dnnchip::mapping
