// Mapping and Hierarchy helpers: the trivial mapping, products of factors, level lookup.

#include "dnnchip/mapping/Mapping.h"

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

Mapping Mapping::trivial(const Hierarchy& h) {
  Mapping m;
  m.numLevels = h.numLevels();
  for (int l = 0; l < m.numLevels && l < kMaxLevels; ++l) m.levels[l].keeps = h.levels[l].canKeep;
  return m;
}

}  // namespace dnnchip::mapping
