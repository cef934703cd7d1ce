// Cycle contract of softmax_unit (templates/softmax_unit.v): a closed form of the row length and
// the lanes, O(1). The stages named in the header are the RTL's registers; rtl.tb.softmax_unit
// measures every row against this figure.
#include "dnnchip/schedule/SoftmaxUnit.h"

namespace dnnchip::schedule {

int64_t softmaxUnitCycles(int64_t n, int64_t lanes) {
  const int64_t words = (n + lanes - 1) / lanes;
  return 1 + (words + kSoftmaxExpStages) + kSoftmaxDivSteps + (words + kSoftmaxExpStages + 1);
}

}  // namespace dnnchip::schedule
