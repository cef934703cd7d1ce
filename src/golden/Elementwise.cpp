// Golden elementwise operations: residual add with two 16-bit multipliers and a shared shift
// (docs/quantization.md), and ReLU on int8. Cost O(elements).

#include "dnnchip/golden/Ops.h"

namespace dnnchip::golden {

Tensor8 add(const Tensor8& a, const Tensor8& b, const QuantParams& q) {
  Tensor8 out(a.shape);
  for (size_t i = 0; i < a.data.size(); ++i) out.data[i] = requantizeAdd(a.data[i], b.data[i], q);
  return out;
}

Tensor8 relu(const Tensor8& in) {
  Tensor8 out = in;
  for (auto& v : out.data) v = v < 0 ? int8_t{0} : v;
  return out;
}

}  // namespace dnnchip::golden
