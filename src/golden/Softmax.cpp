// Integer-only softmax (docs/quantization.md#softmax): I-BERT's i-exp polynomial (Kim et al.,
// ICML 2021) on code differences rescaled to the unit ln2 / 2^P, a row sum, one division per row
// and a multiply per element, exactly as include/dnnchip/golden/Softmax.h writes it. The error
// against the float softmax is measured on random rows (measureSoftmaxError; the figures are in
// docs/quantization.md and tests/unit/golden/SoftmaxTest.cpp). Cost: O(elements) plus one 64-bit
// division per row.

#include "dnnchip/golden/Softmax.h"

#include <algorithm>
#include <cmath>

#include "dnnchip/golden/ModelRunner.h"
#include "dnnchip/golden/Requantize.h"

namespace dnnchip::golden {

SoftmaxParams softmaxParams(double inScale) {
  const double k = inScale * double(int64_t{1} << kSoftmaxExpFrac) / std::log(2.0);
  SoftmaxParams p;
  for (int shift = 31; shift >= 1; --shift) {
    const double m = std::floor(k * std::ldexp(1.0, shift) + 0.5);
    if (m <= double(kMaxMult)) {
      p.mult = uint32_t(std::max(1.0, m));
      p.shift = shift;
      return p;
    }
  }
  p.mult = uint32_t(kMaxMult);  // a scale beyond 65535 / 2 units per code: every step saturates
  p.shift = 1;
  return p;
}

int64_t softmaxExp(int64_t d, const SoftmaxParams& p) {
  const int64_t t = roundShift(d * int64_t(p.mult), p.shift);  // d <= 255, mult < 2^16: exact
  const int64_t z = t >> kSoftmaxExpFrac;
  const int64_t r = t & ((int64_t{1} << kSoftmaxExpFrac) - 1);
  const int64_t poly = (kSoftmaxExpB - r) * (kSoftmaxExpB - r) + kSoftmaxExpC;  // < 2^19
  return z > 30 ? 0 : (poly >> z);
}

Tensor8 softmax(const Tensor8& in, const SoftmaxParams& p) {
  Tensor8 out(in.shape);
  const int64_t n = in.shape.empty() ? 1 : in.shape.back();
  if (n <= 0) return out;
  const int64_t rows = in.size() / n;
  std::vector<int64_t> e(static_cast<size_t>(n));
  for (int64_t row = 0; row < rows; ++row) {
    const int8_t* x = in.data.data() + row * n;
    const int64_t mx = *std::max_element(x, x + n);
    int64_t sum = 0;  // >= e(0) = 380,888 (the maximum's own term); < 2^35 for n < 2^16
    for (int64_t i = 0; i < n; ++i) sum += e[size_t(i)] = softmaxExp(mx - x[i], p);
    const int64_t f = (int64_t{1} << kSoftmaxDivBits) / sum;
    for (int64_t i = 0; i < n; ++i) {
      const int64_t y = roundShift(e[size_t(i)] * f, kSoftmaxDivBits - 7);  // e f <= 2^40
      out.data[size_t(row * n + i)] = static_cast<int8_t>(std::min<int64_t>(y, 127));
    }
  }
  return out;
}

SoftmaxError measureSoftmaxError(double inScale, int n, int rows, int lo, int hi, uint64_t seed) {
  Rng rng(seed);
  Tensor8 in(Shape{rows, n});
  for (auto& v : in.data) v = static_cast<int8_t>(rng.uniform(lo, hi));
  const Tensor8 out = softmax(in, softmaxParams(inScale));
  SoftmaxError err;
  double sq = 0;
  for (int r = 0; r < rows; ++r) {
    const int8_t* x = in.data.data() + int64_t(r) * n;
    const double mx = *std::max_element(x, x + n) * inScale;
    double sum = 0;
    for (int i = 0; i < n; ++i) sum += std::exp(x[i] * inScale - mx);
    for (int i = 0; i < n; ++i) {
      const double ref = std::exp(x[i] * inScale - mx) / sum;
      const double d = (out.data[size_t(int64_t(r) * n + i)] / 128.0 - ref) * 128.0;
      err.maxAbs = std::max(err.maxAbs, std::abs(d));
      sq += d * d;
    }
  }
  err.rms = std::sqrt(sq / (double(rows) * n));
  return err;
}

}  // namespace dnnchip::golden
