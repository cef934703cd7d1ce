// Golden pooling: max pooling (exact, padding positions ignored), average pooling (window sum with
// zero padding, then requantization by an approximate 1/(kh*kw)) and global average pooling (sum
// over H*W, then requantization). Cost O(N*C*P*Q*kh*kw).

#include "dnnchip/golden/Ops.h"

#include <algorithm>

namespace dnnchip::golden {
namespace {

template <class Visit>
void forEachWindow(const Tensor8& in, const WindowParams& p, Shape& outShape, Visit visit) {
  const int64_t N = in.shape[0], C = in.shape[1], H = in.shape[2], W = in.shape[3];
  const int64_t P = windowOutputSize(H, p.padding[0], p.padding[2], p.kernel[0], p.stride[0], 1, p.ceilMode);
  const int64_t Q = windowOutputSize(W, p.padding[1], p.padding[3], p.kernel[1], p.stride[1], 1, p.ceilMode);
  outShape = {N, C, P, Q};
  for (int64_t n = 0; n < N; ++n)
    for (int64_t c = 0; c < C; ++c)
      for (int64_t y = 0; y < P; ++y)
        for (int64_t x = 0; x < Q; ++x) visit(n, c, y, x, H, W);
}

}  // namespace

Tensor8 maxPool(const Tensor8& in, const WindowParams& p) {
  Shape shape;
  std::vector<int8_t> data;
  forEachWindow(in, p, shape, [&](int64_t n, int64_t c, int64_t y, int64_t x, int64_t H, int64_t W) {
    int best = -128;
    for (int64_t r = 0; r < p.kernel[0]; ++r) {
      const int64_t h = y * p.stride[0] + r - p.padding[0];
      if (h < 0 || h >= H) continue;
      for (int64_t s = 0; s < p.kernel[1]; ++s) {
        const int64_t w = x * p.stride[1] + s - p.padding[1];
        if (w < 0 || w >= W) continue;
        best = std::max(best, int{in.at4(n, c, h, w)});
      }
    }
    data.push_back(static_cast<int8_t>(best));
  });
  return Tensor8(shape, std::move(data));
}

Tensor32 avgPoolSum(const Tensor8& in, const WindowParams& p) {
  Shape shape;
  std::vector<int32_t> data;
  forEachWindow(in, p, shape, [&](int64_t n, int64_t c, int64_t y, int64_t x, int64_t H, int64_t W) {
    int32_t sum = 0;
    for (int64_t r = 0; r < p.kernel[0]; ++r) {
      const int64_t h = y * p.stride[0] + r - p.padding[0];
      if (h < 0 || h >= H) continue;
      for (int64_t s = 0; s < p.kernel[1]; ++s) {
        const int64_t w = x * p.stride[1] + s - p.padding[1];
        if (w < 0 || w >= W) continue;
        sum += in.at4(n, c, h, w);
      }
    }
    data.push_back(sum);
  });
  return Tensor32(shape, std::move(data));
}

Tensor8 avgPool(const Tensor8& in, const WindowParams& p, const QuantParams& q) {
  return requantizeTensor(avgPoolSum(in, p), Tensor32{}, q);
}

Tensor8 globalAvgPool(const Tensor8& in, const QuantParams& q) {
  const int64_t N = in.shape[0], C = in.shape[1], HW = in.shape[2] * in.shape[3];
  Tensor32 sums({N, C, 1, 1});
  for (int64_t n = 0; n < N; ++n)
    for (int64_t c = 0; c < C; ++c) {
      int32_t sum = 0;
      for (int64_t i = 0; i < HW; ++i) sum += in.data[static_cast<size_t>((n * C + c) * HW + i)];
      sums.data[static_cast<size_t>(n * C + c)] = sum;
    }
  return requantizeTensor(sums, Tensor32{}, q);
}

}  // namespace dnnchip::golden
