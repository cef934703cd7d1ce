// Golden elementwise operations: residual add with two 16-bit multipliers and a shared shift,
// multiply with one multiplier and shift (docs/quantization.md), and ReLU on int8. Cost O(elements).

#include "dnnchip/golden/Ops.h"

namespace dnnchip::golden {

Tensor8 add(const Tensor8& a, const Tensor8& b, const QuantParams& q) {
  Tensor8 out(a.shape);
  for (size_t i = 0; i < a.data.size(); ++i) out.data[i] = requantizeAdd(a.data[i], b.data[i], q);
  return out;
}

bool broadcastsPerChannel(const Shape& a, const Shape& b) {
  if (a.size() != 4 || a == b) return false;
  return b.size() == 4 && b[0] == a[0] && b[1] == a[1] && b[2] == 1 && b[3] == 1;
}

Tensor8 mul(const Tensor8& a, const Tensor8& b, const QuantParams& q) {
  Tensor8 out(a.shape);
  if (a.shape == b.shape) {
    for (size_t i = 0; i < a.data.size(); ++i) out.data[i] = requantizeMul(a.data[i], b.data[i], q);
    return out;
  }
  const size_t inner = static_cast<size_t>(a.shape[2] * a.shape[3]);  // broadcastsPerChannel
  for (size_t i = 0; i < a.data.size(); ++i) out.data[i] = requantizeMul(a.data[i], b.data[i / inner], q);
  return out;
}

Tensor8 relu(const Tensor8& in) {
  Tensor8 out = in;
  for (auto& v : out.data) v = v < 0 ? int8_t{0} : v;
  return out;
}

}  // namespace dnnchip::golden
