#pragma once
/// \file
/// The project's integer requantization (docs/quantization.md):
///   y = clamp(((acc + bias) * mult + 2^(shift-1)) >> shift, lo, 127), lo = 0 with ReLU else -128
/// with acc + bias wrapped to int32, mult an unsigned 16-bit integer, 1 <= shift <= 31, the
/// product and the rounding held in 64 bits and >> arithmetic (floor). Elementwise add uses two
/// multipliers: y = clamp((a*multA + b*multB + 2^(shift-1)) >> shift, lo, 127).

#include <cstdint>

namespace dnnchip::golden {

/// Per-layer requantization parameters. `multB` is used only by elementwise add.
struct QuantParams {
  uint32_t mult = 1;     ///< 0..65535 (multA for add)
  uint32_t multB = 0;    ///< 0..65535, add only
  int shift = 1;         ///< 1..31
  bool relu = false;     ///< lower clamp at 0

  bool operator==(const QuantParams&) const = default;
};

constexpr uint32_t kMaxMult = 65535;
constexpr int kMinShift = 1;
constexpr int kMaxShift = 31;

/// Wraps a 64-bit sum to int32 (two's complement), as the 32-bit accumulator does.
inline int32_t wrap32(int64_t v) { return static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(v))); }

/// Clamps to int8 ([0, 127] with relu).
inline int8_t clampToInt8(int64_t v, bool relu) {
  int64_t lo = relu ? 0 : -128;
  return static_cast<int8_t>(v < lo ? lo : (v > 127 ? 127 : v));
}

/// Rounds (value + 2^(shift-1)) >> shift in 64 bits; value must satisfy |value| < 2^62.
inline int64_t roundShift(int64_t value, int shift) {
  return (value + (int64_t{1} << (shift - 1))) >> shift;  // arithmetic shift (C++20)
}

/// Requantizes one accumulator: acc and bias are int32, their sum wraps to int32.
inline int8_t requantize(int32_t acc, int32_t bias, const QuantParams& q) {
  int64_t sum = wrap32(int64_t{acc} + int64_t{bias});
  return clampToInt8(roundShift(sum * static_cast<int64_t>(q.mult), q.shift), q.relu);
}

/// Elementwise add of two int8 values with per-operand multipliers.
inline int8_t requantizeAdd(int8_t a, int8_t b, const QuantParams& q) {
  int64_t v = int64_t{a} * q.mult + int64_t{b} * q.multB;
  return clampToInt8(roundShift(v, q.shift), q.relu);
}

/// Elementwise multiply of two int8 values (docs/quantization.md#elementwise-multiply): the exact
/// product a*b*mult (|a*b| <= 2^14, mult < 2^16: below 2^30) rounded half up by one shift.
inline int8_t requantizeMul(int8_t a, int8_t b, const QuantParams& q) {
  int64_t v = int64_t{a} * int64_t{b} * static_cast<int64_t>(q.mult);
  return clampToInt8(roundShift(v, q.shift), q.relu);
}

/// mult/shift approximating 1/count for average pooling: shift = 15 + ceil(log2(count)),
/// mult = round(2^shift / count) (<= 32768, so it fits 16 bits). count >= 1.
QuantParams averageQuant(int64_t count);

/// True if the parameters are in range (mult, multB <= 65535, 1 <= shift <= 31).
bool validQuant(const QuantParams& q);

}  // namespace dnnchip::golden
