// Integer-only layer normalization (docs/quantization.md#layer-normalization), after I-BERT's
// IntLayerNorm (Kim et al., ICML 2021): exact integer mean-centering (n x_i - sum), the sum of
// squares, a bit-serial integer square root and one division per row, then a per-channel
// multiply-add and a rounding shift, as include/dnnchip/golden/LayerNorm.h writes it.
// measureLayerNormError gives the error against float (figures in docs/quantization.md).
// Cost: O(elements) plus one square root (32 steps) and one division per row.

#include "dnnchip/golden/LayerNorm.h"

#include <algorithm>
#include <cmath>

#include "dnnchip/golden/ModelRunner.h"
#include "dnnchip/golden/Requantize.h"

namespace dnnchip::golden {

LayerNormParams layerNormParams(const std::vector<double>& gamma, const std::vector<double>& beta, double outScale) {
  const size_t n = gamma.size();
  double gmax = 0;
  for (double g : gamma) gmax = std::max(gmax, std::abs(g));
  const double root = std::sqrt(double(n));
  LayerNormParams p;
  p.shift = 1;
  for (int shift = 62; shift >= 1; --shift) {
    if (std::floor(gmax * root / outScale * std::ldexp(1.0, shift - 31) + 0.5) <= 32767.0) {
      p.shift = shift;
      break;
    }
  }
  for (size_t i = 0; i < n; ++i) {
    p.gain.push_back(int32_t(std::floor(gamma[i] * root / outScale * std::ldexp(1.0, p.shift - 31) + 0.5)));
    const double b = std::floor((i < beta.size() ? beta[i] : 0.0) / outScale * std::ldexp(1.0, p.shift) + 0.5);
    p.bias.push_back(int64_t(std::clamp(b, -std::ldexp(1.0, 61), std::ldexp(1.0, 61))));
  }
  return p;
}

int64_t integerSqrt(int64_t v) {
  int64_t root = 0, rem = v;
  for (int64_t bit = int64_t{1} << 62; bit > 0; bit >>= 2) {
    if (rem >= root + bit) {
      rem -= root + bit;
      root = (root >> 1) + bit;
    } else {
      root >>= 1;
    }
  }
  return root;
}

Tensor8 layerNorm(const Tensor8& in, const LayerNormParams& p) {
  Tensor8 out(in.shape);
  const int64_t n = in.shape.empty() ? 1 : in.shape.back();
  if (n <= 0) return out;
  const int64_t rows = in.size() / n;
  std::vector<int64_t> c(static_cast<size_t>(n));
  for (int64_t row = 0; row < rows; ++row) {
    const int8_t* x = in.data.data() + row * n;
    int64_t s = 0;
    for (int64_t i = 0; i < n; ++i) s += x[i];
    int64_t v = 0;
    for (int64_t i = 0; i < n; ++i) {
      c[size_t(i)] = n * x[i] - s;
      v += c[size_t(i)] * c[size_t(i)];
    }
    const int64_t k = integerSqrt(v);
    const int64_t f = k == 0 ? 0 : ((int64_t{1} << 31) - 1) / k;
    for (int64_t i = 0; i < n; ++i) {
      const int64_t h = c[size_t(i)] * f;  // |h| < 2^31
      const int64_t y = roundShift(h * p.gain[size_t(i)] + p.bias[size_t(i)], p.shift);
      out.data[size_t(row * n + i)] = clampToInt8(y, false);
    }
  }
  return out;
}

LayerNormError measureLayerNormError(int n, int rows, double sigma, uint64_t seed) {
  Rng rng(seed);
  Tensor8 in(Shape{rows, n});
  for (int r = 0; r < rows; ++r) {
    const double mean = double(rng.uniform(-32, 32));
    for (int i = 0; i < n; ++i) {
      const double g = rng.normal();
      in.data[size_t(int64_t(r) * n + i)] = static_cast<int8_t>(std::clamp(std::floor(mean + sigma * g + 0.5), -128.0, 127.0));
    }
  }
  std::vector<double> gamma(static_cast<size_t>(n)), beta(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    gamma[size_t(i)] = 0.5 + rng.unit();
    beta[size_t(i)] = rng.unit() - 0.5;
  }
  const double inScale = 1.0 / 16;  // cancels except against epsilon
  std::vector<double> ref(in.data.size());
  double ymax = 0;
  for (int r = 0; r < rows; ++r) {
    double mean = 0, var = 0;
    for (int i = 0; i < n; ++i) mean += in.data[size_t(int64_t(r) * n + i)] * inScale;
    mean /= n;
    for (int i = 0; i < n; ++i) var += std::pow(in.data[size_t(int64_t(r) * n + i)] * inScale - mean, 2);
    var /= n;
    for (int i = 0; i < n; ++i) {
      const size_t at = size_t(int64_t(r) * n + i);
      ref[at] = (in.data[at] * inScale - mean) / std::sqrt(var + 1e-12) * gamma[size_t(i)] + beta[size_t(i)];
      ymax = std::max(ymax, std::abs(ref[at]));
    }
  }
  LayerNormError err;
  err.outScale = ymax / 127.0;
  const Tensor8 out = layerNorm(in, layerNormParams(gamma, beta, err.outScale));
  double sq = 0;
  for (size_t at = 0; at < ref.size(); ++at) {
    const double d = out.data[at] - ref[at] / err.outScale;
    err.maxAbs = std::max(err.maxAbs, std::abs(d));
    sq += d * d;
  }
  err.rms = std::sqrt(sq / double(ref.size()));
  return err;
}

}  // namespace dnnchip::golden
