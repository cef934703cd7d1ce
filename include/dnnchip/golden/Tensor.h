#pragma once
/// \file
/// Dense integer tensors for the golden model: a shape and the elements in C (row-major) order.
/// Activations and weights are int8, biases and accumulators int32.

#include <cstdint>
#include <vector>

#include "dnnchip/workload/Layer.h"

namespace dnnchip::golden {

using workload::Shape;

/// A C-ordered tensor of `T` (int8_t or int32_t).
template <class T>
struct Tensor {
  Shape shape;
  std::vector<T> data;

  Tensor() = default;
  explicit Tensor(Shape s) : shape(std::move(s)), data(static_cast<size_t>(workload::elementCount(shape)), T{0}) {}
  Tensor(Shape s, std::vector<T> values) : shape(std::move(s)), data(std::move(values)) {}

  int64_t size() const { return static_cast<int64_t>(data.size()); }
  /// Element of a 4-D tensor [n][c][h][w] (no bounds check beyond the vector's).
  T& at4(int64_t n, int64_t c, int64_t h, int64_t w) {
    return data[static_cast<size_t>(((n * shape[1] + c) * shape[2] + h) * shape[3] + w)];
  }
  const T& at4(int64_t n, int64_t c, int64_t h, int64_t w) const {
    return data[static_cast<size_t>(((n * shape[1] + c) * shape[2] + h) * shape[3] + w)];
  }
  bool operator==(const Tensor& o) const = default;
};

using Tensor8 = Tensor<int8_t>;
using Tensor32 = Tensor<int32_t>;

}  // namespace dnnchip::golden
