// Golden transpose (ONNX Transpose / numpy.transpose): moves the bytes of a C-ordered tensor to
// the axis order `perm`, no arithmetic. Cost O(elements x rank).

#include <cstddef>

#include "dnnchip/golden/Ops.h"

namespace dnnchip::golden {

Tensor8 transpose(const Tensor8& in, const std::vector<int64_t>& perm) {
  const int64_t rank = static_cast<int64_t>(in.shape.size());
  Shape outShape = in.shape;
  std::vector<int64_t> step(in.shape.size(), 1);  // input stride of each output axis
  int64_t stride = 1;
  for (int64_t a = rank - 1; a >= 0; --a) {
    for (int64_t b = 0; b < rank; ++b)
      if (perm[size_t(b)] == a) step[size_t(b)] = stride;
    stride *= in.shape[size_t(a)];
  }
  for (int64_t a = 0; a < rank; ++a) outShape[size_t(a)] = in.shape[size_t(perm[size_t(a)])];
  Tensor8 out(outShape);
  std::vector<int64_t> idx(in.shape.size(), 0);  // output index, odometer order = C order of out
  int64_t src = 0;
  for (auto& v : out.data) {
    v = in.data[size_t(src)];
    for (int64_t a = rank - 1; a >= 0; --a) {
      src += step[size_t(a)];
      if (++idx[size_t(a)] < outShape[size_t(a)]) break;
      src -= step[size_t(a)] * outShape[size_t(a)];
      idx[size_t(a)] = 0;
    }
  }
  return out;
}

}  // namespace dnnchip::golden
