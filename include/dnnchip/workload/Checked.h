#pragma once
/// \file
/// Internal: used inside the library, its tools and tests; not installed (docs/api.md).
/// Checked arithmetic for shapes, element counts, MAC counts and byte counts. Every product of
/// dimensions in the workload (and in the ONNX importer that builds one) goes through these, so a
/// count is either exact or saturated at INT64_MAX, never wrapped; Model::finalize() then refuses
/// any model whose counts exceed kMaxCount (model.too-large), which leaves every later product
/// (bytes = elements x bits / 8, sums over layers, tile arithmetic) far from overflow.

#include <cstdint>
#include <limits>
#include <optional>
#include <span>

namespace dnnchip::workload {

/// Largest element, parameter, MAC or vector-op count of one tensor, one layer or a whole model
/// (2^48, about 2.8e14: a thousand times a large vision transformer). Leaves 2^15 of headroom
/// for bit and byte arithmetic on counts and sums over layers.
inline constexpr int64_t kMaxCount = int64_t{1} << 48;
/// Largest single dimension of a model input (2^31), as the model format allows.
inline constexpr int64_t kMaxDim = int64_t{1} << 31;

/// a * b, or std::nullopt when the product does not fit in int64.
inline std::optional<int64_t> checkedMul(int64_t a, int64_t b) {
  int64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
  return r;
}

/// a + b, or std::nullopt when the sum does not fit in int64.
inline std::optional<int64_t> checkedAdd(int64_t a, int64_t b) {
  int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
  return r;
}

/// Product of `factors` (1 for none), or std::nullopt on overflow.
inline std::optional<int64_t> checkedProduct(std::span<const int64_t> factors) {
  int64_t p = 1;
  for (int64_t f : factors) {
    auto q = checkedMul(p, f);
    if (!q) return std::nullopt;
    p = *q;
  }
  return p;
}

/// a * b for non-negative counts, saturated at INT64_MAX (which every limit check refuses).
inline int64_t saturatingMul(int64_t a, int64_t b) {
  return checkedMul(a, b).value_or(std::numeric_limits<int64_t>::max());
}

/// a + b for non-negative counts, saturated at INT64_MAX.
inline int64_t saturatingAdd(int64_t a, int64_t b) {
  return checkedAdd(a, b).value_or(std::numeric_limits<int64_t>::max());
}

}  // namespace dnnchip::workload
