#pragma once
/// \file
/// Integer-only layer normalization over the last axis of an int8 tensor
/// (docs/quantization.md#layer-normalization), after I-BERT's IntLayerNorm (S. Kim et al.,
/// "I-BERT: Integer-only BERT Quantization", ICML 2021, section 3.5 and Algorithm 4: integer
/// mean and variance, an integer square root, one division per row). Per row of n codes x_i:
///   S  = sum_i x_i,   c_i = n x_i - S                (exact; |c_i| <= 255 n)
///   V  = sum_i c_i^2,  k = floor(sqrt(V))           (integer square root)
///   f  = floor((2^31 - 1) / k)   (0 if k = 0)       (one division per row)
///   h_i = c_i f                                     (|c_i| <= k, so |h_i| < 2^31)
///   y_i = clamp((h_i g_i + b_i + 2^(shift-1)) >> shift, -128, 127)
/// h_i is (x_i - mean) / (sqrt(n) sigma) in units of 2^-31 (sigma the population deviation); the
/// per-channel g_i (int16) and b_i (int64) carry gamma_i sqrt(n) / s_out and beta_i / s_out at
/// 2^shift. The input scale cancels (LayerNorm is scale invariant); epsilon is left out, which
/// changes nothing unless the row's variance is within epsilon of 0 (BERT: 1e-12). Rows up to
/// kLayerNormMaxWidth elements (V < 2^52).

#include <cstdint>
#include <vector>

#include "dnnchip/golden/Tensor.h"

namespace dnnchip::golden {

inline constexpr int64_t kLayerNormMaxWidth = 4096;

/// Per-channel affine of one layer in the integer domain.
struct LayerNormParams {
  std::vector<int32_t> gain;   ///< g_i, |g_i| <= 32767, one per channel (last axis)
  std::vector<int64_t> bias;   ///< b_i, |b_i| < 2^62
  int shift = 31;              ///< 1..62
  bool operator==(const LayerNormParams&) const = default;
};

/// The largest shift (<= 62) whose gains round to |g_i| <= 32767, from the float gamma, beta and
/// the output scale: g_i = round(gamma_i sqrt(n) / s_out 2^(shift-31)), b_i = round(beta_i / s_out
/// 2^shift).
LayerNormParams layerNormParams(const std::vector<double>& gamma, const std::vector<double>& beta, double outScale);

/// floor(sqrt(v)) for 0 <= v < 2^62, by the bit-serial method (one result bit per step).
int64_t integerSqrt(int64_t v);

/// Layer normalization over the last axis (same shape).
Tensor8 layerNorm(const Tensor8& in, const LayerNormParams& p);

/// Error of the integer layer norm against the float one (of the dequantized inputs, epsilon
/// 1e-12) in output LSB, over `rows` random rows of n codes: each row's codes are normal with a
/// random mean in [-32, 32] and deviation `sigma` codes (clamped to int8); gamma uniform in
/// [0.5, 1.5], beta in [-0.5, 0.5] (SplitMix64 from `seed`); the output scale spreads the float
/// outputs of the whole draw over int8 (max |y| / 127).
struct LayerNormError {
  double maxAbs = 0;
  double rms = 0;
  double outScale = 0;
};
LayerNormError measureLayerNormError(int n, int rows, double sigma, uint64_t seed);

}  // namespace dnnchip::golden
