#pragma once
/// \file
/// One layer of a DNN workload. A model is a DAG of layers; each layer produces one tensor named
/// after the layer and reads tensors by name (model inputs or other layers). Compute layers
/// (conv2d, fc, matmul) expose their loop nest in the standard dimensions; the others are vector
/// or layout operations with an element-operation count.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dnnchip::workload {

using Shape = std::vector<int64_t>;

/// Number of elements of a shape (1 for a scalar); saturates at INT64_MAX instead of wrapping
/// (Checked.h), and a finalized model's counts are all at most kMaxCount.
int64_t elementCount(const Shape& s);
std::string shapeText(const Shape& s);  ///< "1x3x224x224"

enum class OpKind {
  Conv2d,         ///< NCHW convolution; groups (depthwise when groups == in_channels), dilation
  Fc,             ///< fully connected on the last dimension; rows = product of leading dims
  MatMul,         ///< batched [..., M, K] x [..., K, N] (or B transposed), e.g. attention
  MaxPool,
  AvgPool,
  GlobalAvgPool,
  Add,            ///< elementwise, same shape (a residual add)
  Mul,            ///< elementwise, same shape or the second broadcast per channel
  Activation,     ///< standalone activation (fused ones ride on the producing layer)
  Concat,
  Softmax,
  LayerNorm,
  Flatten,        ///< layout only: no data movement on the engine
  Reshape,        ///< layout only
  Transpose,      ///< layout: moves data, costs a vector pass
};

std::string_view opName(OpKind k);
std::optional<OpKind> opFromName(std::string_view name);

enum class ActivationKind { None, Relu, Relu6, Clip, Sigmoid, HardSigmoid, HardSwish, Gelu, Tanh, Silu };
std::string_view activationName(ActivationKind k);
std::optional<ActivationKind> activationFromName(std::string_view name);

/// The loop dimensions of a compute layer, Timeloop-style plus groups:
///   for g<G, n<N, k<K, c<C, p<P, q<Q, r<R, s<S:
///     Out[n][g*K+k][p][q] += In[n][g*C+c][p*strideH + r*dilH - padT][q*strideW + s*dilW - padL]
///                            * W[g*K+k][c][r][s]
/// fc: N = rows, K = out features, C = in features, the rest 1.
/// matmul [B.., M, Kin] x [B.., Kin, Nout]: G = batch product, P = M, K = Nout, C = Kin, N=R=S=Q=1.
enum Dim : int { G = 0, N, K, C, P, Q, R, S, kNumDims };
constexpr std::array<const char*, kNumDims> kDimNames = {"G", "N", "K", "C", "P", "Q", "R", "S"};
std::optional<Dim> dimFromName(std::string_view name);

enum class TensorRole : int { Input = 0, Weight = 1, Output = 2, kCount = 3 };
std::string_view tensorRoleName(TensorRole t);

struct LoopNest {
  std::array<int64_t, kNumDims> bound{1, 1, 1, 1, 1, 1, 1, 1};
  int64_t strideH = 1, strideW = 1, dilationH = 1, dilationW = 1;
  int64_t padTop = 0, padLeft = 0, padBottom = 0, padRight = 0;
  int64_t inH = 1, inW = 1;  ///< input feature map height/width (before padding)

  int64_t operator[](Dim d) const { return bound[d]; }
  int64_t macs() const;  ///< product of all bounds (saturating, as every count here)
  /// Number of distinct elements of each tensor the whole nest touches (input excludes padding).
  int64_t inputElements() const;
  int64_t weightElements() const;
  int64_t outputElements() const;
  /// Does dimension `d` index tensor `t`? (P, Q, R, S index the input through the sliding window.)
  static bool relevant(TensorRole t, Dim d);
};

struct Precision {
  int activationBits = 8;
  int weightBits = 8;
  int accumulatorBits = 32;
};

struct Layer {
  std::string name;
  OpKind op = OpKind::Conv2d;
  std::vector<std::string> inputs;  ///< tensor names (model inputs or layer names)

  // conv2d / pooling
  int64_t outChannels = 0;                ///< conv2d
  std::array<int64_t, 2> kernel{1, 1};    ///< conv2d, pools: {kh, kw}
  std::array<int64_t, 2> stride{1, 1};
  std::array<int64_t, 2> dilation{1, 1};
  std::array<int64_t, 4> padding{0, 0, 0, 0};  ///< {top, left, bottom, right}
  int64_t groups = 1;
  bool countIncludePad = false;           ///< avgpool
  bool ceilMode = false;                  ///< pools: output size rounds up
  // fc
  int64_t outFeatures = 0;
  bool bias = true;                       ///< conv2d, fc
  // matmul
  bool transposeB = false;
  // activation (fused for compute/elementwise layers, or the op itself for Activation)
  ActivationKind activation = ActivationKind::None;
  double clipMin = 0.0, clipMax = 6.0;
  // concat, softmax, layernorm, flatten
  int64_t axis = -1;
  double epsilon = 1e-5;                  ///< layernorm
  // reshape / transpose
  std::vector<int64_t> targetShape;       ///< reshape (may hold one -1)
  std::vector<int64_t> perm;              ///< transpose
  /// Vector operations of a derived training pass (workload/Training.h), whose work differs from
  /// the op it is expressed as (an elementwise gradient, an optimizer update); unset: the op's own
  /// count. Never read from or written to JSON.
  std::optional<int64_t> vectorOpCount;
  /// Element width in bits of a derived training pass's tensors in DRAM when it differs from the
  /// design's operand width (an optimizer update's weights, gradients and state, kept in fp32
  /// whatever the passes compute in); unset: the design's activation width. Never in JSON.
  std::optional<int> vectorTensorBits;

  // Filled in by shape inference (Model::finalize):
  std::vector<Shape> inputShapes;
  Shape outputShape;
  std::vector<int> inputLayers;           ///< producer layer index per input, -1 for a model input

  bool isCompute() const { return op == OpKind::Conv2d || op == OpKind::Fc || op == OpKind::MatMul; }
  bool isLayoutOnly() const { return op == OpKind::Flatten || op == OpKind::Reshape; }
  /// The loop nest of a compute layer; std::nullopt for vector and layout layers.
  std::optional<LoopNest> loopNest() const;
  int64_t macs() const;                   ///< 0 for non-compute layers
  int64_t weightElements() const;         ///< parameters excluding bias (B operand of matmul counts)
  int64_t biasElements() const;
  /// Trained parameters: weights and bias. A matmul's B operand is an activation, not a parameter.
  int64_t parameterCount() const { return (op == OpKind::MatMul ? 0 : weightElements()) + biasElements(); }
  /// Elementwise operations on the vector unit (pool window ops, adds, exp/div for softmax...).
  int64_t vectorOps() const;
  int64_t outputElements() const { return elementCount(outputShape); }
  int64_t inputElements() const;          ///< sum over all inputs
};

}  // namespace dnnchip::workload
