// Golden matrix product of two int8 activations (attention's Q x K^T and scores x V): a batch of
// [M, K] x [K, N] products (b given as [N, K] with transposeB), int32 accumulation that wraps like
// the engine's accumulator, then the layer's requantization without bias. Cost O(batch M N K).

#include "dnnchip/golden/Ops.h"

namespace dnnchip::golden {

Tensor32 matmulAccumulate(const Tensor8& a, const Tensor8& b, bool transposeB) {
  const size_t ra = a.shape.size(), rb = b.shape.size();
  const int64_t M = a.shape[ra - 2], K = a.shape[ra - 1];
  const int64_t N = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  Shape outShape(a.shape.begin(), a.shape.end() - 1);
  outShape.push_back(N);
  Tensor32 out(outShape);
  const int64_t batch = a.size() / (M * K);
  for (int64_t n = 0; n < batch; ++n) {
    const int8_t* pa = a.data.data() + n * M * K;
    const int8_t* pb = b.data.data() + n * K * N;
    for (int64_t m = 0; m < M; ++m)
      for (int64_t j = 0; j < N; ++j) {
        int64_t acc = 0;
        for (int64_t k = 0; k < K; ++k) acc += int64_t{pa[m * K + k]} * (transposeB ? pb[j * K + k] : pb[k * N + j]);
        out.data[size_t((n * M + m) * N + j)] = wrap32(acc);
      }
  }
  return out;
}

Tensor8 matmul(const Tensor8& a, const Tensor8& b, bool transposeB, const QuantParams& q) {
  const Tensor32 acc = matmulAccumulate(a, b, transposeB);
  Tensor8 out(acc.shape);
  for (size_t i = 0; i < acc.data.size(); ++i) out.data[i] = requantize(acc.data[i], 0, q);
  return out;
}

}  // namespace dnnchip::golden
