#pragma once
/// \file
/// Integer-only softmax over the last axis of an int8 tensor (docs/quantization.md#softmax), the
/// i-exp / i-softmax of I-BERT (S. Kim, A. Gholami, Z. Yao, M. W. Mahoney, K. Keutzer, "I-BERT:
/// Integer-only BERT Quantization", ICML 2021, section 3.4 and Algorithm 2) with one change for
/// int8 inputs: the differences q - max(q) are first rescaled by a requantization multiply to a
/// fixed unit u = ln2 / 2^kSoftmaxExpFrac, so that I-BERT's z = floor(-x / ln2) and its remainder
/// are the high and low bits of that integer (no divider and no rounding of ln2 to the input
/// scale). Per row of n codes q_i with input scale s_in:
///   t_i = (-(q_i - max q) * mult + 2^(shift-1)) >> shift      ~ -(q_i - max q) s_in / u, >= 0
///   z_i = t_i >> P,  r_i = t_i mod 2^P                          (P = kSoftmaxExpFrac)
///   e_i = ((kSoftmaxExpB - r_i)^2 + kSoftmaxExpC) >> z_i         (0 if z_i > 30)
///   f   = floor(2^kSoftmaxDivBits / sum_i e_i)                  (one division per row)
///   y_i = min(127, (e_i f + 2^(kSoftmaxDivBits-8)) >> (kSoftmaxDivBits-7))   output scale 1/128
/// e_i is exp(x_i) in units of 0.3585 u^2 (I-BERT's polynomial 0.3585 (p + 1.353)^2 + 0.344 for
/// exp(p), p in (-ln2, 0]); every intermediate fits 64 bits for rows up to 65,535 elements.

#include <cstdint>

#include "dnnchip/golden/Tensor.h"

namespace dnnchip::golden {

inline constexpr int kSoftmaxExpFrac = 8;    ///< P: ln2 = 2^P units u
inline constexpr int kSoftmaxDivBits = 40;   ///< f = floor(2^40 / sum)
/// round(1.353 / u) and round(0.344 / (0.3585 u^2)) for u = ln2 / 256 (I-BERT's coefficients).
inline constexpr int64_t kSoftmaxExpB = 500;
inline constexpr int64_t kSoftmaxExpC = 130888;

/// The rescale of a softmax layer: t = (d * mult + 2^(shift-1)) >> shift for a code difference
/// d = max - q >= 0. mult 1..65535, shift 1..31.
struct SoftmaxParams {
  uint32_t mult = 1;
  int shift = 1;
  bool operator==(const SoftmaxParams&) const = default;
};

/// mult / 2^shift closest to s_in * 2^P / ln2 with mult <= 65535 and the largest shift <= 31.
SoftmaxParams softmaxParams(double inScale);

/// The integer exponential e(d) of a code difference d = max - q >= 0 (the e_i above).
int64_t softmaxExp(int64_t d, const SoftmaxParams& p);

/// Softmax over the last axis (rows = the product of the other dims); output codes 0..127 at
/// scale 1/128, same shape.
Tensor8 softmax(const Tensor8& in, const SoftmaxParams& p);

/// Error of the integer softmax against the float one (of the dequantized inputs) in output LSB
/// (1/128), over `rows` random rows of `n` codes drawn uniformly from [lo, hi] (SplitMix64 from
/// `seed`). maxAbs is the largest |y_i / 128 - softmax(x)_i| * 128, rms over all outputs.
struct SoftmaxError {
  double maxAbs = 0;
  double rms = 0;
};
SoftmaxError measureSoftmaxError(double inScale, int n, int rows, int lo, int hi, uint64_t seed);

}  // namespace dnnchip::golden
