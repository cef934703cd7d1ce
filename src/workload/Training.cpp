// Training step derivation (see Training.h, docs/training.md). A pure rewrite of the model into
// passes: the training form (batch applied to every input's first dimension, folded batch norm
// unfolded into conv2d without bias -> batch norm -> the conv's activation), then per layer its
// backward passes in reverse topological order and one optimizer update per trained layer.
// Compute passes are conv2d/fc/matmul layers whose loop nests have exactly the forward's MAC
// count: backward-data of a stride-s convolution is s_h x s_w stride-1 phase convolutions (a
// phase's taps are the kernel rows r with (phase + pad - r*dilation) divisible by s; they are
// equally spaced, so each phase is a convolution with its own kernel, padding and dilation; the
// phases together visit every (output, tap) pair of the forward once). Vector passes carry their
// own operation counts (Layer::vectorOpCount). Cost: linear in the layers.
// Limits: a phase convolution can multiply a gradient padding zero where the forward's
// window was partly outside the padded input (a convolution whose input size is not stride x
// output size); attention dropout and masks are not modelled.

#include "dnnchip/workload/Training.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>

#include "dnnchip/workload/Checked.h"

namespace dnnchip::workload {

std::string_view passName(Pass p) {
  switch (p) {
    case Pass::Forward: return "fwd";
    case Pass::BackwardData: return "bwd_data";
    case Pass::BackwardWeight: return "bwd_weight";
    case Pass::WeightUpdate: return "update";
  }
  return "fwd";
}

std::string_view optimizerName(Optimizer o) {
  switch (o) {
    case Optimizer::Sgd: return "sgd";
    case Optimizer::SgdMomentum: return "sgd_momentum";
    case Optimizer::Adam: return "adam";
  }
  return "sgd";
}

std::optional<Optimizer> optimizerFromName(std::string_view name) {
  for (Optimizer o : {Optimizer::Sgd, Optimizer::SgdMomentum, Optimizer::Adam})
    if (optimizerName(o) == name) return o;
  return std::nullopt;
}

namespace {

// Vector operations per element of the gradient passes (estimates of the elementwise work,
// consistent with Layer.cpp's forward counts: one op per activation element, 8 per normalized
// element). An activation gradient is a select (ReLU family) or derivative x gradient.
int64_t activationGradOps(ActivationKind a) {
  switch (a) {
    case ActivationKind::None: return 0;
    case ActivationKind::Relu:
    case ActivationKind::Relu6:
    case ActivationKind::Clip: return 1;
    default: return 2;
  }
}
// Softmax: dx = y * (dy - sum(dy * y)): multiply, sum, subtract, multiply.
constexpr int64_t kSoftmaxGradOps = 4;
// Normalization: dxhat = dy*gamma, two row/channel sums (dxhat, dxhat*xhat), dx = rstd*(dxhat -
// m1 - xhat*m2) (4), dgamma and dbeta sums (3): 11 per element.
constexpr int64_t kNormGradOps = 11;
// Optimizer ops per parameter: SGD w -= lr*g (1 FMA); momentum v = mu*v + g, w -= lr*v (2 FMAs);
// Adam m = b1*m + (1-b1)*g (2), v = b2*v + (1-b2)*g*g (3), sqrt(v)/sqrt(bc2) + eps (3),
// w -= (lr/bc1) * m / denom (2).
int64_t optimizerOps(Optimizer o) { return o == Optimizer::Adam ? 10 : o == Optimizer::SgdMomentum ? 2 : 1; }
int64_t optimizerStates(Optimizer o) { return o == Optimizer::Adam ? 2 : o == Optimizer::SgdMomentum ? 1 : 0; }

/// Activations whose gradient torch forms from the output (the rest read the input).
bool gradFromOutput(ActivationKind a) {
  return a == ActivationKind::Relu || a == ActivationKind::Sigmoid || a == ActivationKind::Tanh;
}

Layer vectorPass(const std::string& name, OpKind op, std::vector<Shape> in, Shape out, int64_t ops) {
  Layer L;
  L.name = name;
  L.op = op;
  L.bias = false;
  L.inputShapes = std::move(in);
  L.outputShape = std::move(out);
  L.vectorOpCount = ops;
  return L;
}

TrainingPass makePass(Pass p, const Layer& fwd, std::string op, Layer layer) {
  return {p, fwd.name, std::move(op), std::move(layer)};
}

/// One spatial dimension of a stride-1 phase convolution of backward-data.
struct PhaseDim {
  int64_t taps = 0, dilation = 1, padBefore = 0, padAfter = 0, inSize = 0, outSize = 0;
};

/// The phase `phi` (input positions phi, phi+s, ...) of backward-data along one dimension whose
/// forward has input size `h`, output size `p`, kernel `r`, stride `s`, dilation `d`, leading pad.
PhaseDim phaseDim(int64_t phi, int64_t h, int64_t p, int64_t r, int64_t s, int64_t d, int64_t pad) {
  PhaseDim out;
  out.outSize = h > phi ? (h - phi + s - 1) / s : 0;
  std::vector<int64_t> taps;
  for (int64_t k = 0; k < r; ++k)
    if (((phi + pad - k * d) % s + s) % s == 0) taps.push_back(k);
  out.taps = static_cast<int64_t>(taps.size());
  if (taps.empty() || out.outSize == 0) return out;
  // dY index for output j and tap k: j + (phi + pad - k*d)/s; consecutive taps step by delta.
  const int64_t off0 = (phi + pad - taps.front() * d) / s;  // exact: divisible by construction
  const int64_t delta = taps.size() > 1 ? (taps[1] - taps[0]) * d / s : 1;
  out.dilation = delta;
  // flipped kernel t' = taps-1-t: index = j + t'*delta - ((taps-1)*delta - off0)
  int64_t before = (out.taps - 1) * delta - off0;
  int64_t after = out.outSize - p - before + (out.taps - 1) * delta;
  // a negative pad crops the gradient: fold it into the input extent
  out.inSize = p + std::min<int64_t>(0, before) + std::min<int64_t>(0, after);
  out.padBefore = std::max<int64_t>(0, before);
  out.padAfter = std::max<int64_t>(0, after);
  return out;
}

std::vector<TrainingPass> convBackward(const Layer& f, bool dataGrad) {
  std::vector<TrainingPass> out;
  const Shape& x = f.inputShapes[0];
  const Shape& y = f.outputShape;
  const int64_t n = x[0], c = x[1], h = x[2], w = x[3], k = y[1], p = y[2], q = y[3];
  const int64_t g = f.groups;
  if (dataGrad) {
    const int64_t sh = f.stride[0], sw = f.stride[1];
    for (int64_t ph = 0; ph < sh; ++ph)
      for (int64_t pw = 0; pw < sw; ++pw) {
        const PhaseDim a = phaseDim(ph, h, p, f.kernel[0], sh, f.dilation[0], f.padding[0]);
        const PhaseDim b = phaseDim(pw, w, q, f.kernel[1], sw, f.dilation[1], f.padding[1]);
        if (a.taps == 0 || b.taps == 0 || a.outSize == 0 || b.outSize == 0) continue;  // dX stays 0
        Layer L;
        L.name = f.name + ".bwd_data" + (sh * sw > 1 ? "[" + std::to_string(ph) + "," + std::to_string(pw) + "]" : "");
        L.op = OpKind::Conv2d;
        L.bias = false;
        L.outChannels = c;
        L.groups = g;
        L.kernel = {a.taps, b.taps};
        L.stride = {1, 1};
        L.dilation = {a.dilation, b.dilation};
        L.padding = {a.padBefore, b.padBefore, a.padAfter, b.padAfter};
        L.inputs = {f.name + ".grad"};
        L.inputShapes = {{n, k, a.inSize, b.inSize}};
        L.outputShape = {n, c, a.outSize, b.outSize};
        out.push_back(makePass(Pass::BackwardData, f, "conv2d", std::move(L)));
      }
  }
  // backward-weight: input^T [C/G, G*N, H', W'] (* ) dY^T as a P x Q kernel dilated by the
  // stride, stride = the forward dilation; output [C/G, K, R, S] = dW with C and K exchanged.
  const int64_t remH = (h + f.padding[0] + f.padding[2] - f.dilation[0] * (f.kernel[0] - 1) - 1) % f.stride[0];
  const int64_t remW = (w + f.padding[1] + f.padding[3] - f.dilation[1] * (f.kernel[1] - 1) - 1) % f.stride[1];
  Layer L;
  L.name = f.name + ".bwd_weight";
  L.op = OpKind::Conv2d;
  L.bias = false;
  L.outChannels = k;
  L.groups = g;
  L.kernel = {p, q};
  L.stride = {f.dilation[0], f.dilation[1]};
  L.dilation = {f.stride[0], f.stride[1]};
  L.padding = {f.padding[0], f.padding[1], std::max<int64_t>(0, f.padding[2] - remH),
               std::max<int64_t>(0, f.padding[3] - remW)};
  L.inputs = {f.inputs[0], f.name + ".grad"};
  L.inputShapes = {{c / g, saturatingMul(g, n), h - std::max<int64_t>(0, remH - f.padding[2]),
                    w - std::max<int64_t>(0, remW - f.padding[3])}};
  L.outputShape = {c / g, k, f.kernel[0], f.kernel[1]};
  if (f.bias) L.vectorOpCount = elementCount(y);  // the bias gradient: dY summed over N, P, Q
  out.push_back(makePass(Pass::BackwardWeight, f, "conv2d", std::move(L)));
  return out;
}

std::vector<TrainingPass> fcBackward(const Layer& f, bool dataGrad) {
  std::vector<TrainingPass> out;
  const Shape& x = f.inputShapes[0];
  const int64_t c = x.back(), k = f.outFeatures;
  const int64_t rows = elementCount(x) / std::max<int64_t>(1, c);
  if (dataGrad) {  // dX[rows, C] = dY[rows, K] x W[K, C]
    Layer L;
    L.name = f.name + ".bwd_data";
    L.op = OpKind::Fc;
    L.bias = false;
    L.outFeatures = c;
    L.inputs = {f.name + ".grad"};
    L.inputShapes = {{rows, k}};
    L.outputShape = {rows, c};
    out.push_back(makePass(Pass::BackwardData, f, "fc", std::move(L)));
  }
  Layer L;  // dW[K, C] = dY^T[K, rows] x X[rows, C]
  L.name = f.name + ".bwd_weight";
  L.op = OpKind::Fc;
  L.bias = false;
  L.outFeatures = c;
  L.inputs = {f.name + ".grad", f.inputs[0]};
  L.inputShapes = {{k, rows}};
  L.outputShape = {k, c};
  if (f.bias) L.vectorOpCount = elementCount(f.outputShape);
  out.push_back(makePass(Pass::BackwardWeight, f, "fc", std::move(L)));
  return out;
}

/// A matrix's shape with its last two dimensions exchanged.
Shape transposed(Shape s) {
  if (s.size() >= 2) std::swap(s[s.size() - 1], s[s.size() - 2]);
  return s;
}

std::vector<TrainingPass> matmulBackward(const Layer& f, const std::vector<bool>& need) {
  std::vector<TrainingPass> out;
  const Shape& a = f.inputShapes[0];
  const Shape& b = f.inputShapes[1];
  const Shape& y = f.outputShape;
  if (need[0]) {  // dA = dY x B^T
    Layer L;
    L.name = f.name + ".bwd_data";
    L.op = OpKind::MatMul;
    L.bias = false;
    L.transposeB = !f.transposeB;
    L.inputs = {f.name + ".grad", f.inputs[1]};
    L.inputShapes = {y, b};
    L.outputShape = a;
    out.push_back(makePass(Pass::BackwardData, f, "matmul", std::move(L)));
  }
  if (need[1]) {  // dB = A^T x dY, or (B stored transposed) dB = dY^T x A
    Layer L;
    L.name = f.name + ".bwd_data_b";
    L.op = OpKind::MatMul;
    L.bias = false;
    L.inputs = {f.inputs[0], f.name + ".grad"};
    L.inputShapes = f.transposeB ? std::vector<Shape>{transposed(y), a} : std::vector<Shape>{transposed(a), y};
    L.outputShape = b;
    out.push_back(makePass(Pass::BackwardData, f, "matmul", std::move(L)));
  }
  return out;
}

}  // namespace

int64_t trainedParameters(const TrainingLayer& l) {
  const Layer& L = l.layer;
  if (L.op == OpKind::LayerNorm) {
    if (L.outputShape.empty()) return 0;
    return saturatingMul(2, l.batchNorm ? L.outputShape[1] : L.outputShape.back());
  }
  return L.parameterCount();
}

std::vector<TrainingPass> backwardPasses(const TrainingLayer& tl, const std::vector<bool>& need) {
  const Layer& f = tl.layer;
  std::vector<TrainingPass> out;
  const Shape& y = f.outputShape;
  const int64_t ny = elementCount(y);
  auto needs = [&](size_t i) { return i < need.size() && need[i]; };
  // a fused (or standalone) activation's gradient comes first: dY' = dY * act'(.)
  if (f.activation != ActivationKind::None) {
    const std::string op = std::string(activationName(f.activation)) + "_grad";
    const bool standalone = f.op == OpKind::Activation;
    if (!standalone || needs(0))
      out.push_back(makePass(Pass::BackwardData, f, op,
                             vectorPass(f.name + (standalone ? ".bwd_data" : ".act_grad"), OpKind::Mul, {y, y}, y,
                                        saturatingMul(ny, activationGradOps(f.activation)))));
    if (standalone) return out;
  }
  const bool any = std::any_of(need.begin(), need.end(), [](bool b) { return b; });
  std::vector<TrainingPass> more;
  switch (f.op) {
    case OpKind::Conv2d: more = convBackward(f, needs(0)); break;
    case OpKind::Fc: more = fcBackward(f, needs(0)); break;
    case OpKind::MatMul: more = matmulBackward(f, {needs(0), needs(1)}); break;
    case OpKind::MaxPool:  // zero dX, scatter dY to the saved argmax positions
      if (needs(0)) {
        const Shape& x = f.inputShapes[0];
        more.push_back(makePass(Pass::BackwardData, f, "maxpool_grad",
                                vectorPass(f.name + ".bwd_data", OpKind::Mul, {y, y}, x,
                                           saturatingAdd(elementCount(x), ny))));
      }
      break;
    case OpKind::AvgPool:  // each dY element spread over its window
      if (needs(0))
        more.push_back(makePass(Pass::BackwardData, f, "avgpool_grad",
                                vectorPass(f.name + ".bwd_data", OpKind::Mul, {y}, f.inputShapes[0],
                                           saturatingMul(ny, saturatingMul(f.kernel[0], f.kernel[1])))));
      break;
    case OpKind::GlobalAvgPool:  // dY / (H x W) broadcast over the window
      if (needs(0))
        more.push_back(makePass(Pass::BackwardData, f, "global_avgpool_grad",
                                vectorPass(f.name + ".bwd_data", OpKind::Mul, {y}, f.inputShapes[0],
                                           elementCount(f.inputShapes[0]))));
      break;
    case OpKind::Softmax:
      if (needs(0))
        more.push_back(makePass(Pass::BackwardData, f, "softmax_grad",
                                vectorPass(f.name + ".bwd_data", OpKind::Mul, {y, y}, y,
                                           saturatingMul(ny, kSoftmaxGradOps))));
      break;
    case OpKind::LayerNorm:  // input, scale and shift gradients in one pass over dY and x
      more.push_back(makePass(any ? Pass::BackwardData : Pass::BackwardWeight, f,
                              tl.batchNorm ? "batchnorm_grad" : "layernorm_grad",
                              vectorPass(f.name + (any ? ".bwd_data" : ".bwd_weight"), OpKind::Mul,
                                         {y, f.inputShapes[0]}, f.inputShapes[0], saturatingMul(ny, kNormGradOps))));
      break;
    case OpKind::Mul:  // dA = dY * B, dB = dY * A (summed over a broadcast)
      for (size_t i = 0; i < 2 && i < f.inputShapes.size(); ++i)
        if (needs(i))
          more.push_back(makePass(Pass::BackwardData, f, "mul_grad",
                                  vectorPass(f.name + (i ? ".bwd_data_b" : ".bwd_data"), OpKind::Mul, {y, y},
                                             f.inputShapes[i], ny)));
      break;
    case OpKind::Transpose:
    case OpKind::Concat:  // the gradient moves back: one move per element
      if (any)
        more.push_back(makePass(Pass::BackwardData, f, std::string(opName(f.op)) + "_grad",
                                vectorPass(f.name + ".bwd_data", OpKind::Mul, {y}, y, ny)));
      break;
    default: break;  // add (the gradient passes through), flatten, reshape: nothing to compute
  }
  out.insert(out.end(), more.begin(), more.end());
  return out;
}

std::vector<TrainingPass> updatePasses(const TrainingLayer& l, Optimizer opt) {
  const int64_t params = trainedParameters(l);
  if (params == 0) return {};
  const int64_t states = optimizerStates(opt);
  // reads weight, gradient and state; writes weight and state
  std::vector<Shape> in(static_cast<size_t>(2 + states), Shape{params});
  Layer L = vectorPass(l.layer.name + ".update", OpKind::Mul, std::move(in), Shape{1 + states, params},
                       saturatingMul(params, optimizerOps(opt)));
  return {makePass(Pass::WeightUpdate, l.layer, std::string(optimizerName(opt)), std::move(L))};
}

std::vector<SavedTensor> savedTensors(const TrainingLayer& tl) {
  const Layer& f = tl.layer;
  std::vector<SavedTensor> s;
  auto input = [&](size_t i) {
    if (i < f.inputs.size()) s.push_back({f.inputs[i], SavedKind::Activation, elementCount(f.inputShapes[i])});
  };
  const int64_t ny = elementCount(f.outputShape);
  switch (f.op) {
    case OpKind::Conv2d:
    case OpKind::Fc: input(0); break;  // for the weight gradient
    case OpKind::MatMul: input(0); input(1); break;
    case OpKind::Mul: input(0); input(1); break;
    case OpKind::MaxPool:
      input(0);
      s.push_back({f.name + ":indices", SavedKind::Index, ny});
      break;
    case OpKind::AvgPool: input(0); break;  // torch's avg_pool2d backward takes the input
    case OpKind::Softmax: s.push_back({f.name, SavedKind::Activation, ny}); break;
    case OpKind::LayerNorm: {
      input(0);
      const int64_t groups = f.outputShape.empty() ? 0
                             : tl.batchNorm       ? f.outputShape[1]
                                                  : ny / std::max<int64_t>(1, f.outputShape.back());
      s.push_back({f.name + ":stats", SavedKind::Statistic, saturatingMul(2, groups)});  // mean, 1/std
      break;
    }
    default: break;  // add, global average pool (a mean), layout ops: the shape suffices
  }
  if (f.activation != ActivationKind::None) {
    if (gradFromOutput(f.activation))
      s.push_back({f.name, SavedKind::Activation, ny});
    else if (f.op == OpKind::Activation)
      input(0);
    else
      s.push_back({f.name + ":pre", SavedKind::Activation, ny});
  }
  return s;
}

namespace {

/// The model with every input's first dimension (and a reshape target's leading batch) times `b`.
Model withBatch(const Model& m, int64_t b) {
  Model out = m;
  if (b == 1) return out;
  std::set<int64_t> batches;
  for (TensorDesc& t : out.inputs)
    if (!t.shape.empty()) {
      batches.insert(t.shape[0]);
      t.shape[0] = saturatingMul(t.shape[0], b);
    }
  for (Layer& L : out.layers)
    if (L.op == OpKind::Reshape && !L.targetShape.empty() && batches.count(L.targetShape[0]))
      L.targetShape[0] = saturatingMul(L.targetShape[0], b);
  return out;
}

/// Unfolds each conv2d's batch norm: conv2d (no bias) -> "<conv>_bn" -> the conv's activation.
std::pair<Model, std::set<std::string>> unfoldBatchNorm(const Model& m) {
  std::set<std::string> bn;
  if (!m.batchNormFolded) return {m, bn};
  Model out = m;
  out.layers.clear();
  std::map<std::string, std::string> rename;  // consumers of a conv read its batch norm
  for (Layer L : m.layers) {
    for (std::string& in : L.inputs)
      if (auto it = rename.find(in); it != rename.end()) in = it->second;
    if (L.op != OpKind::Conv2d) {
      out.layers.push_back(std::move(L));
      continue;
    }
    Layer norm;
    norm.name = L.name + "_bn";
    norm.op = OpKind::LayerNorm;
    norm.inputs = {L.name};
    norm.axis = 1;
    norm.activation = L.activation;
    norm.clipMin = L.clipMin;
    norm.clipMax = L.clipMax;
    L.bias = false;
    L.activation = ActivationKind::None;
    rename[L.name] = norm.name;
    bn.insert(norm.name);
    out.layers.push_back(std::move(L));
    out.layers.push_back(std::move(norm));
  }
  for (std::string& o : out.outputs)
    if (auto it = rename.find(o); it != rename.end()) o = it->second;
  out.batchNormFolded = false;
  return {out, bn};
}

int64_t bytesOf(int64_t elements, int bits) { return saturatingMul(elements, bits) / 8; }

}  // namespace

Model TrainingStep::passModel() const {
  Model m;
  m.name = forward.name + ".train";
  m.description = forward.description;
  m.source = forward.source;
  m.precision = forward.precision;
  m.inputs = forward.inputs;
  for (const TrainingPass& p : passes) m.layers.push_back(p.layer);
  return m;
}

diag::Expected<TrainingStep> trainingStep(const Model& model, const TrainingOptions& opt) {
  TrainingStep step;
  step.options = opt;
  auto [form, bnLayers] = unfoldBatchNorm(withBatch(model, std::max<int64_t>(1, opt.batch)));
  if (diag::Status st = form.finalize(); !st.ok()) return st.error();
  step.forward = std::move(form);
  const Model& m = step.forward;
  const size_t n = m.layers.size();
  std::vector<TrainingLayer> tls(n);
  for (size_t i = 0; i < n; ++i) tls[i] = {m.layers[i], bnLayers.count(m.layers[i].name) > 0};
  // which layer outputs need a gradient: those computed from a parameter
  std::vector<bool> grad(n, false);
  for (size_t i = 0; i < n; ++i) {
    bool g = trainedParameters(tls[i]) > 0;
    for (int p : m.layers[i].inputLayers) g = g || (p >= 0 && grad[size_t(p)]);
    grad[i] = g;
  }
  // forward
  for (size_t i = 0; i < n; ++i)
    step.passes.push_back({Pass::Forward, m.layers[i].name,
                           tls[i].batchNorm ? "batchnorm" : std::string(opName(m.layers[i].op)), m.layers[i]});
  // consumers needing each tensor's gradient, for the gradient sums at forks
  std::vector<int> consumers(n, 0);
  for (size_t i = 0; i < n; ++i)
    if (grad[i])
      for (int p : m.layers[i].inputLayers)
        if (p >= 0 && grad[size_t(p)]) ++consumers[size_t(p)];
  for (size_t r = n; r-- > 0;) {
    if (!grad[r]) continue;
    const Layer& L = m.layers[r];
    if (consumers[r] > 1) {  // dY = the sum of the consumers' gradients
      const int64_t e = L.outputElements();
      step.passes.push_back({Pass::BackwardData, L.name, "grad_sum",
                             vectorPass(L.name + ".grad_sum", OpKind::Mul,
                                        std::vector<Shape>(size_t(consumers[r]), L.outputShape), L.outputShape,
                                        saturatingMul(e, consumers[r] - 1))});
    }
    std::vector<bool> need;
    for (int p : L.inputLayers) need.push_back(p >= 0 && grad[size_t(p)]);
    for (TrainingPass& p : backwardPasses(tls[r], need)) step.passes.push_back(std::move(p));
  }
  for (size_t i = 0; i < n; ++i)
    for (TrainingPass& p : updatePasses(tls[i], opt.optimizer)) {
      p.layer.vectorTensorBits = opt.parameterBits;  // master weights, gradients and state
      step.passes.push_back(std::move(p));
    }
  // saved tensors, deduplicated by name
  std::set<std::string> seen;
  for (size_t i = 0; i < n; ++i)
    for (SavedTensor& s : savedTensors(tls[i]))
      if (seen.insert(s.tensor).second) step.saved.push_back(std::move(s));
  for (const SavedTensor& s : step.saved) {
    int64_t& sum = s.kind == SavedKind::Activation ? step.savedActivationElements
                   : s.kind == SavedKind::Statistic ? step.savedStatisticElements
                                                     : step.savedIndexElements;
    sum = saturatingAdd(sum, s.elements);
  }
  step.savedBytes = saturatingAdd(saturatingAdd(bytesOf(step.savedActivationElements, opt.activationBits),
                                                bytesOf(step.savedStatisticElements, opt.statisticBits)),
                                  bytesOf(step.savedIndexElements, opt.indexBits));
  for (const TrainingLayer& t : tls) step.parameters = saturatingAdd(step.parameters, trainedParameters(t));
  step.optimizerStateElements = saturatingMul(step.parameters, optimizerStates(opt.optimizer));
  step.parameterBytes = bytesOf(saturatingAdd(saturatingMul(2, step.parameters), step.optimizerStateElements),
                                opt.parameterBits);
  return step;
}

}  // namespace dnnchip::workload
