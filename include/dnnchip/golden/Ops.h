#pragma once
/// \file
/// The golden (reference) implementation of every engine operation with the project's integer
/// semantics (docs/quantization.md). Each op is a plain loop nest, written for clarity, not speed;
/// the RTL must match it bit for bit. Inputs are NCHW int8 (NC for fc); outputs int8.
/// Shapes are assumed consistent (the caller, e.g. the model runner, checks them).

#include <array>
#include <cstdint>
#include <vector>

#include "dnnchip/golden/Requantize.h"
#include "dnnchip/golden/Tensor.h"
#include "dnnchip/io/Stop.h"

namespace dnnchip::golden {

/// Geometry of a convolution or pooling window.
struct WindowParams {
  std::array<int64_t, 2> kernel{1, 1};          ///< {kh, kw}
  std::array<int64_t, 2> stride{1, 1};
  std::array<int64_t, 2> dilation{1, 1};
  std::array<int64_t, 4> padding{0, 0, 0, 0};   ///< {top, left, bottom, right}
  int64_t groups = 1;
  bool ceilMode = false;                        ///< pools: output size rounds up
};

/// Output size along one axis (floor, or ceil for pools with ceilMode, the last window starting
/// inside the input or the leading padding).
int64_t windowOutputSize(int64_t in, int64_t padA, int64_t padB, int64_t k, int64_t stride,
                         int64_t dilation, bool ceilMode);

/// int32 accumulators of a convolution (no bias): in [N][C][H][W], weight [K][C/groups][R][S].
/// Padding positions contribute zero; the sum wraps to int32 like the hardware accumulator.
/// A stop request (`stop`, polled per output channel) returns early with an unfinished tensor;
/// the caller must check the token and discard it.
Tensor32 conv2dAccumulate(const Tensor8& in, const Tensor8& weight, const WindowParams& p, io::StopToken stop = {});

/// Convolution with bias (int32 [K], may be empty = zeros) and requantization (`stop` as for
/// conv2dAccumulate).
Tensor8 conv2d(const Tensor8& in, const Tensor8& weight, const Tensor32& bias,
               const WindowParams& p, const QuantParams& q, io::StopToken stop = {});

/// int32 accumulators of a fully connected layer: in [rows][C] (any leading dims), weight [K][C].
Tensor32 fcAccumulate(const Tensor8& in, const Tensor8& weight);
/// Fully connected with bias and requantization; output [rows][K] (leading dims kept).
Tensor8 fc(const Tensor8& in, const Tensor8& weight, const Tensor32& bias, const QuantParams& q);

/// Requantizes accumulators [N][K][...] (or [rows][K] for fc: `channelAxis` 1 either way) with a
/// per-channel bias; bias may be empty.
Tensor8 requantizeTensor(const Tensor32& acc, const Tensor32& bias, const QuantParams& q);

/// Max pooling: exact; padding positions are ignored (never win). A window entirely in padding
/// (possible only with ceilMode) yields -128.
Tensor8 maxPool(const Tensor8& in, const WindowParams& p);

/// Window sums of average pooling (zero padding; every window sums kh*kw positions).
Tensor32 avgPoolSum(const Tensor8& in, const WindowParams& p);
/// Average pooling: window sum, then requantization with `q` (averageQuant(kh*kw) by default).
Tensor8 avgPool(const Tensor8& in, const WindowParams& p, const QuantParams& q);

/// Global average pooling over H x W: output [N][C][1][1]; `q` normally averageQuant(H*W).
Tensor8 globalAvgPool(const Tensor8& in, const QuantParams& q);

/// Elementwise add with two multipliers and optional ReLU (same shapes).
Tensor8 add(const Tensor8& a, const Tensor8& b, const QuantParams& q);

/// True if b broadcasts over a per channel: a is [N, C, H, W] (not 1 x 1) and b is [N, C, 1, 1]
/// (squeeze-and-excitation's channel scale).
bool broadcastsPerChannel(const Shape& a, const Shape& b);

/// Elementwise multiply (requantizeMul) of two tensors of one shape, or of a by a per-channel b
/// (broadcastsPerChannel): out[n][c][h][w] = a[n][c][h][w] x b[n][c]. Output has a's shape.
Tensor8 mul(const Tensor8& a, const Tensor8& b, const QuantParams& q);

/// int32 accumulators of a matrix product of two activations: a [..., M, K] x b [..., K, N] (b
/// [..., N, K] with transposeB), the leading dims equal (a batch of products); out [..., M, N].
Tensor32 matmulAccumulate(const Tensor8& a, const Tensor8& b, bool transposeB);
/// MatMul with requantization (no bias): requantize(acc, 0, q) per element.
Tensor8 matmul(const Tensor8& a, const Tensor8& b, bool transposeB, const QuantParams& q);

/// Transpose: out has shape in.shape[perm[i]] and out[i_0..] = in[j] with j[perm[a]] = i_a (ONNX
/// Transpose, numpy.transpose). Exact: the bytes move, no arithmetic.
Tensor8 transpose(const Tensor8& in, const std::vector<int64_t>& perm);

/// ReLU on int8: max(x, 0).
Tensor8 relu(const Tensor8& in);

}  // namespace dnnchip::golden
