// Layer: op names, loop nests and operation counts. The loop nest follows Timeloop's problem
// shape with an explicit group dimension G (depthwise convolution is G = channels, C = K = 1).
// Vector-op counts are what the vector unit executes: one operation per window element for
// pooling, one per element for elementwise ops and activations, ~5 per element for softmax
// (max, subtract, exp, sum, divide) and ~8 for layer norm (mean, centre, square, sum, rsqrt,
// scale, shift), which is how the predictor charges them. Every count is formed with the
// saturating helpers of Checked.h: exact, or INT64_MAX, which Model::finalize refuses.

#include "dnnchip/workload/Layer.h"

#include <array>
#include <utility>

#include "dnnchip/workload/Checked.h"

namespace dnnchip::workload {

int64_t elementCount(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) n = saturatingMul(n, d);
  return n;
}

std::string shapeText(const Shape& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) out += (i ? "x" : "") + std::to_string(s[i]);
  return out.empty() ? "scalar" : out;
}

namespace {
constexpr std::array<std::pair<OpKind, std::string_view>, 15> kOps{{
    {OpKind::Conv2d, "conv2d"},       {OpKind::Fc, "fc"},
    {OpKind::MatMul, "matmul"},       {OpKind::MaxPool, "maxpool"},
    {OpKind::AvgPool, "avgpool"},     {OpKind::GlobalAvgPool, "global_avgpool"},
    {OpKind::Add, "add"},             {OpKind::Mul, "mul"},
    {OpKind::Activation, "activation"}, {OpKind::Concat, "concat"},
    {OpKind::Softmax, "softmax"},     {OpKind::LayerNorm, "layernorm"},
    {OpKind::Flatten, "flatten"},     {OpKind::Reshape, "reshape"},
    {OpKind::Transpose, "transpose"},
}};
constexpr std::array<std::pair<ActivationKind, std::string_view>, 10> kActs{{
    {ActivationKind::None, "none"},   {ActivationKind::Relu, "relu"},
    {ActivationKind::Relu6, "relu6"}, {ActivationKind::Clip, "clip"},
    {ActivationKind::Sigmoid, "sigmoid"}, {ActivationKind::HardSigmoid, "hardsigmoid"},
    {ActivationKind::HardSwish, "hardswish"}, {ActivationKind::Gelu, "gelu"},
    {ActivationKind::Tanh, "tanh"},   {ActivationKind::Silu, "silu"},
}};
}  // namespace

std::string_view opName(OpKind k) {
  for (auto& [op, name] : kOps)
    if (op == k) return name;
  return "unknown";
}

std::optional<OpKind> opFromName(std::string_view name) {
  for (auto& [op, n] : kOps)
    if (n == name) return op;
  return std::nullopt;
}

std::string_view activationName(ActivationKind k) {
  for (auto& [a, name] : kActs)
    if (a == k) return name;
  return "none";
}

std::optional<ActivationKind> activationFromName(std::string_view name) {
  for (auto& [a, n] : kActs)
    if (n == name) return a;
  return std::nullopt;
}

std::optional<Dim> dimFromName(std::string_view name) {
  for (int d = 0; d < kNumDims; ++d)
    if (name == kDimNames[d]) return static_cast<Dim>(d);
  return std::nullopt;
}

std::string_view tensorRoleName(TensorRole t) {
  switch (t) {
    case TensorRole::Input: return "input";
    case TensorRole::Weight: return "weight";
    case TensorRole::Output: return "output";
    default: return "unknown";
  }
}

int64_t LoopNest::macs() const {
  int64_t m = 1;
  for (int64_t b : bound) m = saturatingMul(m, b);
  return m;
}

int64_t LoopNest::inputElements() const {
  return saturatingMul(saturatingMul(saturatingMul(bound[N], bound[G]), saturatingMul(bound[C], inH)), inW);
}

int64_t LoopNest::weightElements() const {
  return saturatingMul(saturatingMul(saturatingMul(bound[G], bound[K]), saturatingMul(bound[C], bound[R])), bound[S]);
}

int64_t LoopNest::outputElements() const {
  return saturatingMul(saturatingMul(saturatingMul(bound[N], bound[G]), saturatingMul(bound[K], bound[P])), bound[Q]);
}

bool LoopNest::relevant(TensorRole t, Dim d) {
  switch (t) {
    case TensorRole::Input: return d != K;                  // In[n][g][c][p+r][q+s]
    case TensorRole::Weight: return d == G || d == K || d == C || d == R || d == S;
    case TensorRole::Output: return d == G || d == N || d == K || d == P || d == Q;
    default: return false;
  }
}

std::optional<LoopNest> Layer::loopNest() const {
  if (!isCompute() || inputShapes.empty() || outputShape.empty()) return std::nullopt;
  LoopNest L;
  const Shape& in = inputShapes[0];
  switch (op) {
    case OpKind::Conv2d: {
      L.bound[G] = groups;
      L.bound[N] = in[0];
      L.bound[K] = outChannels / groups;
      L.bound[C] = in[1] / groups;
      L.bound[P] = outputShape[2];
      L.bound[Q] = outputShape[3];
      L.bound[R] = kernel[0];
      L.bound[S] = kernel[1];
      L.strideH = stride[0];
      L.strideW = stride[1];
      L.dilationH = dilation[0];
      L.dilationW = dilation[1];
      L.padTop = padding[0];
      L.padLeft = padding[1];
      L.padBottom = padding[2];
      L.padRight = padding[3];
      L.inH = in[2];
      L.inW = in[3];
      break;
    }
    case OpKind::Fc: {
      int64_t rows = 1;
      for (size_t i = 0; i + 1 < in.size(); ++i) rows = saturatingMul(rows, in[i]);
      L.bound[N] = rows;
      L.bound[K] = outFeatures;
      L.bound[C] = in.back();
      break;
    }
    case OpKind::MatMul: {
      const Shape& b = inputShapes[1];
      int64_t batch = 1;
      for (size_t i = 0; i + 2 < in.size(); ++i) batch = saturatingMul(batch, in[i]);
      L.bound[G] = batch;
      L.bound[P] = in[in.size() - 2];
      L.bound[C] = in.back();
      L.bound[K] = transposeB ? b[b.size() - 2] : b.back();
      L.inH = L.bound[P];
      break;
    }
    default: return std::nullopt;
  }
  return L;
}

int64_t Layer::macs() const {
  auto L = loopNest();
  return L ? L->macs() : 0;
}

int64_t Layer::weightElements() const {
  switch (op) {
    case OpKind::Conv2d:
    case OpKind::Fc:
    case OpKind::MatMul: {
      auto L = loopNest();
      return L ? L->weightElements() : 0;
    }
    default: return 0;
  }
}

int64_t Layer::biasElements() const {
  if (!bias) return 0;
  if (op == OpKind::Conv2d) return outChannels;
  if (op == OpKind::Fc) return outFeatures;
  return 0;
}

int64_t Layer::inputElements() const {
  int64_t n = 0;
  for (auto& s : inputShapes) n = saturatingAdd(n, elementCount(s));
  return n;
}

int64_t Layer::vectorOps() const {
  if (vectorOpCount) return *vectorOpCount;
  const int64_t out = outputElements();
  int64_t ops = 0;
  switch (op) {
    case OpKind::MaxPool:
    case OpKind::AvgPool: ops = saturatingMul(saturatingMul(out, kernel[0]), kernel[1]); break;
    case OpKind::GlobalAvgPool: ops = inputShapes.empty() ? 0 : elementCount(inputShapes[0]); break;
    case OpKind::Add:
    case OpKind::Mul:
    case OpKind::Activation: ops = out; break;
    case OpKind::Softmax: ops = saturatingMul(5, out); break;
    case OpKind::LayerNorm: ops = saturatingMul(8, out); break;
    case OpKind::Transpose:
    case OpKind::Concat: ops = out; break;  // one move per element
    default: ops = 0;
  }
  // A fused activation costs one more pass over the output (requantization is free: it is part
  // of the output stage of the compute engine).
  if (op != OpKind::Activation && activation != ActivationKind::None) ops = saturatingAdd(ops, out);
  return ops;
}

}  // namespace dnnchip::workload
