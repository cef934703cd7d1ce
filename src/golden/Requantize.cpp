// Requantization helpers: the 1/count approximation for average pooling and range checks.
// averageQuant picks the largest shift that keeps mult = round(2^shift / count) within 16 bits
// for every count: shift = 15 + ceil(log2 count), so mult lies in (2^14, 2^15]. The relative error
// of mult against 2^shift/count is below 2^-14. Cost O(log count).

#include "dnnchip/golden/Requantize.h"

namespace dnnchip::golden {

QuantParams averageQuant(int64_t count) {
  if (count < 1) count = 1;
  int ceilLog2 = 0;
  while ((int64_t{1} << ceilLog2) < count) ++ceilLog2;
  int shift = 15 + ceilLog2;
  if (shift > kMaxShift) shift = kMaxShift;
  QuantParams q;
  q.shift = shift;
  q.mult = static_cast<uint32_t>(((int64_t{1} << shift) + count / 2) / count);
  if (q.mult > kMaxMult) q.mult = kMaxMult;
  return q;
}

bool validQuant(const QuantParams& q) {
  return q.mult <= kMaxMult && q.multB <= kMaxMult && q.shift >= kMinShift && q.shift <= kMaxShift;
}

}  // namespace dnnchip::golden
