// Cycle contract of layernorm_unit (templates/layernorm_unit.v): a closed form of the row length
// and the lanes, O(1). The stages named in the header are the RTL's registers;
// rtl.tb.layernorm_unit measures every row against this figure.
#include "dnnchip/schedule/LayerNormUnit.h"

namespace dnnchip::schedule {

int64_t layerNormUnitCycles(int64_t n, int64_t lanes) {
  const int64_t words = (n + lanes - 1) / lanes;
  return 1 + (words + kLayerNormVarStages) + kLayerNormSqrtSteps + kLayerNormDivSteps +
         (words + kLayerNormVarStages + 2);
}

}  // namespace dnnchip::schedule
