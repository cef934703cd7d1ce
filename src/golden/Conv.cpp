// Golden convolution and fully connected layers: direct loop nests over
// for n, k, p, q: acc = sum_{c<C/g, r, s} In[n][g*Cg+c][p*sh + r*dh - pt][q*sw + s*dw - pl] * W[k][c][r][s]
// with out-of-range (padding) input positions contributing zero, accumulated modulo 2^32 like the
// engine's int32 accumulator. Cost O(N*K*P*Q*C/g*R*S) (about a second for a full-size ResNet
// layer), so the loop over output channels polls the caller's stop token and stops early; runLayer
// then discards the unfinished tensor. Then requantization per output channel.

#include "dnnchip/golden/Ops.h"

namespace dnnchip::golden {

int64_t windowOutputSize(int64_t in, int64_t padA, int64_t padB, int64_t k, int64_t stride,
                         int64_t dilation, bool ceilMode) {
  int64_t span = in + padA + padB - dilation * (k - 1) - 1;
  if (span < 0) return 0;
  int64_t out = ceilMode ? (span + stride - 1) / stride + 1 : span / stride + 1;
  if (ceilMode && (out - 1) * stride >= in + padA) --out;
  return out;
}

Tensor32 conv2dAccumulate(const Tensor8& in, const Tensor8& weight, const WindowParams& p, io::StopToken stop) {
  const int64_t N = in.shape[0], C = in.shape[1], H = in.shape[2], W = in.shape[3];
  const int64_t K = weight.shape[0], Cg = weight.shape[1], R = weight.shape[2], S = weight.shape[3];
  const int64_t G = p.groups, Kg = K / G;
  const int64_t P = windowOutputSize(H, p.padding[0], p.padding[2], R, p.stride[0], p.dilation[0], false);
  const int64_t Q = windowOutputSize(W, p.padding[1], p.padding[3], S, p.stride[1], p.dilation[1], false);
  (void)C;
  Tensor32 out({N, K, P, Q});
  for (int64_t n = 0; n < N; ++n)
    for (int64_t k = 0; k < K; ++k) {
      if (stop.stopRequested()) return out;  // unfinished: runLayer reports golden.interrupted
      const int64_t g = k / Kg;
      for (int64_t y = 0; y < P; ++y)
        for (int64_t x = 0; x < Q; ++x) {
          uint32_t acc = 0;  // modulo 2^32
          for (int64_t c = 0; c < Cg; ++c)
            for (int64_t r = 0; r < R; ++r) {
              const int64_t h = y * p.stride[0] + r * p.dilation[0] - p.padding[0];
              if (h < 0 || h >= H) continue;
              for (int64_t s = 0; s < S; ++s) {
                const int64_t w = x * p.stride[1] + s * p.dilation[1] - p.padding[1];
                if (w < 0 || w >= W) continue;
                int32_t prod = int32_t{in.at4(n, g * Cg + c, h, w)} * int32_t{weight.at4(k, c, r, s)};
                acc += static_cast<uint32_t>(prod);
              }
            }
          out.at4(n, k, y, x) = static_cast<int32_t>(acc);
        }
    }
  return out;
}

Tensor8 requantizeTensor(const Tensor32& acc, const Tensor32& bias, const QuantParams& q) {
  Tensor8 out(acc.shape);
  const int64_t rows = acc.shape.empty() ? 1 : acc.shape[0];
  const int64_t K = acc.shape.size() > 1 ? acc.shape[1] : 1;
  int64_t inner = 1;
  for (size_t i = 2; i < acc.shape.size(); ++i) inner *= acc.shape[i];
  for (int64_t n = 0; n < rows; ++n)
    for (int64_t k = 0; k < K; ++k) {
      const int32_t b = bias.data.empty() ? 0 : bias.data[static_cast<size_t>(k)];
      for (int64_t i = 0; i < inner; ++i) {
        size_t idx = static_cast<size_t>((n * K + k) * inner + i);
        out.data[idx] = requantize(acc.data[idx], b, q);
      }
    }
  return out;
}

Tensor8 conv2d(const Tensor8& in, const Tensor8& weight, const Tensor32& bias,
               const WindowParams& p, const QuantParams& q, io::StopToken stop) {
  return requantizeTensor(conv2dAccumulate(in, weight, p, stop), bias, q);
}

Tensor32 fcAccumulate(const Tensor8& in, const Tensor8& weight) {
  const int64_t C = in.shape.back();
  const int64_t rows = in.size() / (C ? C : 1);
  const int64_t K = weight.shape[0];
  Shape outShape = in.shape;
  outShape.back() = K;
  Tensor32 out(outShape);
  for (int64_t n = 0; n < rows; ++n)
    for (int64_t k = 0; k < K; ++k) {
      uint32_t acc = 0;
      for (int64_t c = 0; c < C; ++c)
        acc += static_cast<uint32_t>(int32_t{in.data[static_cast<size_t>(n * C + c)]} *
                                     int32_t{weight.data[static_cast<size_t>(k * C + c)]});
      out.data[static_cast<size_t>(n * K + k)] = static_cast<int32_t>(acc);
    }
  return out;
}

Tensor8 fc(const Tensor8& in, const Tensor8& weight, const Tensor32& bias, const QuantParams& q) {
  Tensor32 acc = fcAccumulate(in, weight);
  // Requantize as [rows][K] regardless of leading dims.
  const int64_t K = weight.shape[0];
  const int64_t rows = acc.size() / (K ? K : 1);
  Tensor32 flat({rows, K}, std::move(acc.data));
  Tensor8 out = requantizeTensor(flat, bias, q);
  out.shape = acc.shape;
  return out;
}

}  // namespace dnnchip::golden
