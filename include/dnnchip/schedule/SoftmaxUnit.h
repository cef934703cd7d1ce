#pragma once
/// \file
/// Cycle contract of the row units beside the vector unit (templates/softmax_unit.v,
/// docs/engine.md#softmax-unit): the integer softmax of one row of n int8 codes, LANES codes per
/// row word, bit-exact with golden::softmax. The figure is the RTL's, cycle for cycle
/// (rtl.tb.softmax_unit checks every row it runs against it).
#include <cstdint>

namespace dnnchip::schedule {

/// Pipeline stages of softmax_unit's exp path from a word's read to its row-sum update (read,
/// rescale product, polynomial, shift, sum) and to its output code (one more: the output product).
inline constexpr int64_t kSoftmaxExpStages = 5;
/// Restoring division steps of f = floor(2^40 / sum): sum >= 2^18, so f < 2^22.
inline constexpr int64_t kSoftmaxDivSteps = 22;

/// Cycles of softmax_unit from its `go` cycle to its `done` cycle inclusive for a row of n codes
/// (n >= 1) on `lanes` lanes: the exp pass (nw words read, the last one's e reaching the sum),
/// the division, the output pass (nw words, the last one's code leaving), nw = ceil(n / lanes):
/// 1 + (nw + kSoftmaxExpStages) + kSoftmaxDivSteps + (nw + kSoftmaxExpStages + 1) = 2 nw + 34.
int64_t softmaxUnitCycles(int64_t n, int64_t lanes);

}  // namespace dnnchip::schedule
