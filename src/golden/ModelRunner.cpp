// Whole-model golden runner: walks the layers in topological order, looks up each input tensor
// (a model input or an earlier layer's output), checks shapes and calls the golden op. Random
// parameter generation draws weights and biases from SplitMix64 and derives each layer's shift from
// the RMS of the accumulators it actually produces, so outputs use the int8 range. Cost: the sum of
// the golden ops' costs (two accumulation passes per compute layer when drawing parameters).

#include "dnnchip/golden/ModelRunner.h"

#include <algorithm>
#include <cmath>

#include "dnnchip/golden/Softmax.h"


namespace dnnchip::golden {

using workload::ActivationKind;
using workload::Layer;
using workload::Model;
using workload::OpKind;

namespace {

diag::Diagnostic unsupported(const Layer& L, const std::string& what) {
  return diag::error("golden.unsupported-op", {"", "layer '" + L.name + "'"},
                     "layer '" + L.name + "' (" + std::string(workload::opName(L.op)) + ") " + what +
                         ", which the integer engine does not run",
                     "use conv2d, fc, maxpool, avgpool, globalavgpool, add, mul, matmul, activations, concat, "
                     "flatten, reshape or transpose layers");
}

bool reluOf(const Layer& L) { return L.activation == ActivationKind::Relu; }

}  // namespace

bool hasWeights(const Layer& L) { return L.op == OpKind::Conv2d || L.op == OpKind::Fc; }
bool hasQuant(const Layer& L) {
  return hasWeights(L) || L.op == OpKind::Add || L.op == OpKind::Mul || L.op == OpKind::MatMul;
}

Shape weightShape(const Layer& L) {
  if (L.op == OpKind::Conv2d)
    return {L.outChannels, L.inputShapes.at(0).at(1) / L.groups, L.kernel[0], L.kernel[1]};
  if (L.op == OpKind::Fc) return {L.outFeatures, L.inputShapes.at(0).back()};
  return {};
}

WindowParams windowOf(const Layer& L) {
  WindowParams p;
  p.kernel = L.kernel;
  p.stride = L.stride;
  p.dilation = L.dilation;
  p.padding = L.padding;
  p.groups = L.groups;
  p.ceilMode = L.ceilMode;
  if (L.op != OpKind::Conv2d) p.dilation = {1, 1};
  return p;
}

diag::Status checkSupported(const Model& model) {
  for (const Layer& L : model.layers) {
    switch (L.op) {
      case OpKind::Conv2d:
      case OpKind::Fc:
      case OpKind::Add:
        if (L.op == OpKind::Add && L.inputs.size() != 2) return unsupported(L, "adds more than two tensors");
        // [..., rows, features] with any leading dims (BERT's [1, 128, 768]), not an NCHW map
        if (L.op == OpKind::Fc && (L.inputShapes.at(0).size() < 2 || L.inputShapes.at(0).size() == 4))
          return unsupported(L, "reads a tensor that is not [..., rows, features] (insert a flatten)");
        break;
      case OpKind::Mul: {
        if (L.inputs.size() != 2) return unsupported(L, "multiplies more than two tensors");
        const Shape& a = L.inputShapes.at(0);
        const Shape& b = L.inputShapes.at(1);
        if (a != b && !broadcastsPerChannel(a, b) && !broadcastsPerChannel(b, a))
          return unsupported(L, "multiplies " + workload::shapeText(a) + " by " + workload::shapeText(b) +
                                    " (only equal shapes or a per-channel [N, C, 1, 1] scale)");
        break;
      }
      case OpKind::MaxPool:
      case OpKind::AvgPool:
      case OpKind::GlobalAvgPool:
      case OpKind::Flatten:
      case OpKind::Reshape:
        break;
      case OpKind::MatMul: {
        const Shape& a = L.inputShapes.at(0);
        const Shape& b = L.inputShapes.at(1);
        if (L.inputs.size() != 2 || a.size() < 2 || a.size() != b.size() ||
            !std::equal(a.begin(), a.end() - 2, b.begin()))
          return unsupported(L, "multiplies " + workload::shapeText(a) + " by " + workload::shapeText(b) +
                                    " (only two activations of one rank with equal leading dims)");
        break;
      }
      case OpKind::Transpose: {
        std::vector<int64_t> seen(L.perm);
        std::sort(seen.begin(), seen.end());
        for (size_t i = 0; i < seen.size(); ++i)
          if (seen[i] != int64_t(i) || seen.size() != L.inputShapes.at(0).size())
            return unsupported(L, "has a perm that is not a permutation of the input's axes");
        break;
      }
      case OpKind::Concat: {
        const int64_t rank = static_cast<int64_t>(L.outputShape.size());
        if ((rank != 4 && rank != 2) || (L.axis < 0 ? L.axis + rank : L.axis) != 1)
          return unsupported(L, "concatenates along an axis other than the channels of an NCHW or [rows, C] tensor");
        break;
      }
      case OpKind::Softmax: {  // over the last axis (docs/quantization.md#softmax)
        const int64_t rank = static_cast<int64_t>(L.inputShapes.at(0).size());
        if ((L.axis < 0 ? L.axis + rank : L.axis) != rank - 1)
          return unsupported(L, "is a softmax over an axis other than the last");
        break;
      }
      case OpKind::Activation:
        if (L.activation == ActivationKind::None)
          return unsupported(L, "is an activation layer without a function");
        break;
      default:
        return unsupported(L, "is not an engine operation");
    }
    if ((L.op == OpKind::Conv2d || L.op == OpKind::MaxPool || L.op == OpKind::AvgPool ||
         L.op == OpKind::GlobalAvgPool) && L.inputShapes.at(0).size() != 4)
      return unsupported(L, "reads a tensor that is not NCHW");
  }
  return {};
}

diag::Expected<Tensor8> runLayer(const Layer& L, const std::vector<const Tensor8*>& in,
                                 const LayerParams& prm, io::StopToken stop) {
  if (in.size() != L.inputs.size())
    return diag::error("golden.shape", {"", "layer '" + L.name + "'"}, "layer '" + L.name + "' got " +
                       std::to_string(in.size()) + " inputs", "pass one tensor per layer input");
  for (size_t i = 0; i < in.size(); ++i)
    if (i < L.inputShapes.size() && in[i]->shape != L.inputShapes[i])
      return diag::error("golden.shape", {"", "layer '" + L.name + "'"},
                         "input " + std::to_string(i) + " of layer '" + L.name + "' has shape " +
                             workload::shapeText(in[i]->shape) + ", expected " +
                             workload::shapeText(L.inputShapes[i]),
                         "give the layer its inferred input shape");
  if (hasWeights(L) && prm.weight.shape != weightShape(L))
    return diag::error("golden.shape", {"", "layer '" + L.name + "'"},
                       "weights of layer '" + L.name + "' have shape " + workload::shapeText(prm.weight.shape) +
                           ", expected " + workload::shapeText(weightShape(L)), "give weights of the layer's shape");
  if (hasWeights(L))
    if (auto st = checkWeightRange(prm.weight, "", "weight of layer '" + L.name + "'"); !st) return st.error();
  if (hasWeights(L) && !prm.bias.data.empty() && prm.bias.shape != Shape{weightShape(L)[0]})
    return diag::error("golden.shape", {"", "layer '" + L.name + "'"},
                       "bias of layer '" + L.name + "' has shape " + workload::shapeText(prm.bias.shape),
                       "give one int32 bias per output channel");
  if (!validQuant(prm.quant))
    return diag::error("golden.quant", {"", "layer '" + L.name + "'"},
                       "requantization of layer '" + L.name + "' is out of range (mult " +
                           std::to_string(prm.quant.mult) + ", shift " + std::to_string(prm.quant.shift) + ")",
                       "use 0 <= mult <= 65535 and 1 <= shift <= 31");
  QuantParams q = prm.quant;
  q.relu = reluOf(L);
  Tensor8 out;
  switch (L.op) {
    case OpKind::Conv2d: out = conv2d(*in[0], prm.weight, prm.bias, windowOf(L), q, stop); break;
    case OpKind::Fc: out = fc(*in[0], prm.weight, prm.bias, q); break;
    case OpKind::MaxPool:  // a ReLU in its output path as in every other layer's (the engine's lower clamp)
      out = maxPool(*in[0], windowOf(L));
      if (q.relu) out = relu(out);
      break;
    case OpKind::AvgPool: out = avgPool(*in[0], windowOf(L), q); break;
    case OpKind::GlobalAvgPool: out = globalAvgPool(*in[0], q); break;
    case OpKind::Add: out = add(*in[0], *in[1], q); break;
    case OpKind::Mul:  // commutative: the full-size operand first
      out = broadcastsPerChannel(in[1]->shape, in[0]->shape) ? mul(*in[1], *in[0], q) : mul(*in[0], *in[1], q);
      break;
    case OpKind::Activation: out = L.activation == ActivationKind::Relu ? relu(*in[0]) : *in[0]; break;
    case OpKind::Flatten:
    case OpKind::Reshape: out = *in[0]; break;
    case OpKind::Transpose: out = transpose(*in[0], L.perm); break;
    case OpKind::MatMul: out = matmul(*in[0], *in[1], L.transposeB, q); break;
    case OpKind::Softmax: {  // the rescale in quant (mult 1..65535, shift 1..31): golden::SoftmaxParams
      SoftmaxParams sp;
      sp.mult = std::max<uint32_t>(1, q.mult);
      sp.shift = q.shift;
      out = softmax(*in[0], sp);
      break;
    }
    case OpKind::Concat: {  // along the channels (checkSupported): bytes copied, scales unchanged
      out = Tensor8(L.outputShape);
      const int64_t n = L.outputShape[0], inner = workload::elementCount(L.outputShape) / (n * L.outputShape[1]);
      int64_t c0 = 0;
      for (const Tensor8* t : in) {
        const int64_t c = t->shape[1];
        for (int64_t b = 0; b < n; ++b)
          for (int64_t k = 0; k < c * inner; ++k)
            out.data[static_cast<size_t>((b * L.outputShape[1] + c0) * inner + k)] = t->data[static_cast<size_t>(b * c * inner + k)];
        c0 += c;
      }
      break;
    }
    default: return unsupported(L, "is not an engine operation");
  }
  if (prm.act.lo > prm.act.hi || (!prm.act.table.empty() && prm.act.table.size() != 256))
    return diag::error("golden.quant", {"", "layer '" + L.name + "'"},
                       "activation of layer '" + L.name + "' has clamp bounds " + std::to_string(prm.act.lo) + " > " +
                           std::to_string(prm.act.hi) + " or a table of " + std::to_string(prm.act.table.size()) + " entries",
                       "give lo <= hi and a table of 256 int8 entries");
  if (prm.act.clamps() || !prm.act.table.empty())
    for (auto& v : out.data) v = applyActivation(v, prm.act);
  if (stop.stopRequested())  // a convolution stops early on a stop request: the tensor is unfinished
    return diag::error("golden.interrupted", {"", "layer '" + L.name + "'"},
                       "stopped (Ctrl-C) while the golden model computed layer '" + L.name + "'; nothing was written",
                       "run the command again");
  out.shape = L.outputShape;
  return out;
}

namespace {

std::vector<const Tensor8*> gatherInputs(const Model& model, const Layer& L,
                                         const std::map<std::string, Tensor8>& modelInputs,
                                         const std::vector<Tensor8>& outputs, diag::Diagnostic* err) {
  std::vector<const Tensor8*> in;
  for (size_t i = 0; i < L.inputs.size(); ++i) {
    int producer = i < L.inputLayers.size() ? L.inputLayers[i] : -1;
    if (producer >= 0) {
      in.push_back(&outputs[static_cast<size_t>(producer)]);
    } else {
      auto it = modelInputs.find(L.inputs[i]);
      if (it == modelInputs.end()) {
        *err = diag::error("golden.missing-input", {"", "input '" + L.inputs[i] + "'"},
                           "no tensor given for model input '" + L.inputs[i] + "'",
                           "give every model input a tensor");
        return {};
      }
      in.push_back(&it->second);
    }
  }
  return in;
}

}  // namespace

diag::Expected<ModelOutputs> runModel(const Model& model, const ModelParams& params, io::StopToken stop) {
  if (auto s = checkSupported(model); !s) return s.error();
  if (params.layers.size() != model.layers.size())
    return diag::error("golden.shape", {}, "parameters for " + std::to_string(params.layers.size()) +
                       " layers, the model has " + std::to_string(model.layers.size()),
                       "give one parameter set per layer");
  ModelOutputs out;
  out.layers.reserve(model.layers.size());
  for (size_t i = 0; i < model.layers.size(); ++i) {
    const Layer& L = model.layers[i];
    diag::Diagnostic err;
    auto in = gatherInputs(model, L, params.inputs, out.layers, &err);
    if (!err.code.empty()) return err;
    auto y = runLayer(L, in, params.layers[i], stop);
    if (!y) return y.error();
    out.layers.push_back(std::move(*y));
  }
  return out;
}

uint64_t Rng::next() {
  uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

int64_t Rng::uniform(int64_t lo, int64_t hi) {
  uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
  return lo + static_cast<int64_t>(next() % span);  // bias below 2^-40 for our spans
}

double Rng::unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

double Rng::normal() {
  if (hasSpare_) {
    hasSpare_ = false;
    return spare_;
  }
  const double u1 = (static_cast<double>(next() >> 11) + 1.0) * 0x1.0p-53;  // (0, 1]: ln u1 is finite
  const double u2 = unit();
  const double r = std::sqrt(-2.0 * std::log(u1));
  const double twoPi = 6.283185307179586;
  spare_ = r * std::sin(twoPi * u2);
  hasSpare_ = true;
  return r * std::cos(twoPi * u2);
}

Tensor8 randomInt8(const Shape& shape, Rng& rng) {
  Tensor8 t(shape);
  for (auto& v : t.data) v = static_cast<int8_t>(rng.uniform(-128, 127));
  return t;
}

Tensor8 randomWeightInt8(const Shape& shape, Rng& rng) {
  Tensor8 t(shape);
  for (auto& v : t.data) v = static_cast<int8_t>(rng.uniform(kWeightMin, 127));
  return t;
}

diag::Status checkWeightRange(const Tensor8& weight, const std::string& file, const std::string& what) {
  for (size_t i = 0; i < weight.data.size(); ++i)
    if (weight.data[i] < kWeightMin)
      return diag::error("golden.weight-range", {file, ""},
                         what + " holds -128 at flat index " + std::to_string(i) +
                             "; int8 weights are symmetric, in [-127, 127]",
                         "quantize weights symmetrically (clamp to [-127, 127]), as dnnchip import and the "
                         "TensorFlow Lite int8 specification do");
  return {};
}

diag::Expected<LayerParams> randomLayerParams(const Layer& L, const std::vector<const Tensor8*>& in,
                                              Rng& rng, io::StopToken stop) {
  LayerParams p;
  p.quant.relu = reluOf(L);
  p.act = randomActivation(L);
  if (hasWeights(L)) {
    p.weight = randomWeightInt8(weightShape(L), rng);
    const int64_t K = p.weight.shape[0];
    int64_t fanIn = workload::elementCount(p.weight.shape) / K;
    int64_t biasRange = static_cast<int64_t>(std::sqrt(static_cast<double>(fanIn)) * 2048.0);
    // A layer without bias ("bias": false) gets an empty bias tensor, which every kernel reads as 0.
    if (L.bias) {
      p.bias = Tensor32({K});
      for (auto& b : p.bias.data) b = static_cast<int32_t>(rng.uniform(-biasRange, biasRange));
    }
    if (in.empty() || in[0]->shape != L.inputShapes.at(0))
      return diag::error("golden.shape", {"", "layer '" + L.name + "'"},
                         "input of layer '" + L.name + "' does not have the inferred shape",
                         "give the layer its inferred input shape");
    Tensor32 acc = L.op == OpKind::Conv2d ? conv2dAccumulate(*in[0], p.weight, windowOf(L), stop)
                                          : fcAccumulate(*in[0], p.weight);
    // Channel of element i: acc is [N][K][P][Q] (conv) or [rows][K] (fc).
    const size_t inner = L.op == OpKind::Conv2d ? static_cast<size_t>(acc.shape[2] * acc.shape[3]) : 1;
    double sumSq = 0;
    for (size_t i = 0; i < acc.data.size(); ++i) {
      const int32_t b = p.bias.data.empty() ? 0 : p.bias.data[(i / inner) % static_cast<size_t>(K)];
      const double v = static_cast<double>(wrap32(int64_t{acc.data[i]} + b));
      sumSq += v * v;
    }
    double rms = std::sqrt(sumSq / static_cast<double>(acc.data.empty() ? 1 : acc.data.size()));
    p.quant.mult = static_cast<uint32_t>(rng.uniform(1 << 14, (1 << 15) - 1));
    double ratio = std::max(rms, 1.0) * p.quant.mult / 32.0;
    int shift = static_cast<int>(std::lround(std::log2(ratio)));
    p.quant.shift = std::clamp(shift, kMinShift, kMaxShift);
  } else if (L.op == OpKind::AvgPool) {
    p.quant = averageQuant(L.kernel[0] * L.kernel[1]);
    p.quant.relu = reluOf(L);
  } else if (L.op == OpKind::GlobalAvgPool) {
    p.quant = averageQuant(L.inputShapes.at(0).at(2) * L.inputShapes.at(0).at(3));
    p.quant.relu = reluOf(L);
  } else if (L.op == OpKind::Softmax) {
    // the input scale of an int8 score (docs/quantization.md#softmax): 1/16, so the random inputs'
    // spread of about +-32 codes is +-2 in the exponent
    const SoftmaxParams sp = softmaxParams(kRandomSoftmaxInScale);
    p.quant.mult = sp.mult;
    p.quant.shift = sp.shift;
  } else if (L.op == OpKind::Add) {
    p.quant.mult = static_cast<uint32_t>(rng.uniform(1 << 14, (1 << 15) - 1));
    p.quant.multB = static_cast<uint32_t>(rng.uniform(1 << 14, (1 << 15) - 1));
    p.quant.shift = 16;
  } else if (L.op == OpKind::MatMul && in.size() == 2) {
    // as a compute layer's: the shift from the RMS of the accumulators (outputs near RMS 32)
    const Tensor32 acc = matmulAccumulate(*in[0], *in[1], L.transposeB);
    double sumSq = 0;
    for (int32_t v : acc.data) sumSq += double(v) * double(v);
    const double rms = std::sqrt(sumSq / static_cast<double>(acc.data.empty() ? 1 : acc.data.size()));
    p.quant.mult = static_cast<uint32_t>(rng.uniform(1 << 14, (1 << 15) - 1));
    const int shift = static_cast<int>(std::lround(std::log2(std::max(rms, 1.0) * p.quant.mult / 32.0)));
    p.quant.shift = std::clamp(shift, kMinShift, kMaxShift);
  } else if (L.op == OpKind::Mul && in.size() == 2) {
    // as a compute layer's: the shift from the RMS of the exact products a*b*mult, so the outputs
    // spread over int8 (RMS near 32)
    const bool swap = broadcastsPerChannel(in[1]->shape, in[0]->shape);
    const Tensor8& a = swap ? *in[1] : *in[0];
    const Tensor8& b = swap ? *in[0] : *in[1];
    const size_t inner = a.shape == b.shape ? 1 : static_cast<size_t>(a.shape[2] * a.shape[3]);
    double sumSq = 0;
    for (size_t i = 0; i < a.data.size(); ++i) {
      const double v = double(a.data[i]) * double(b.data[a.shape == b.shape ? i : i / inner]);
      sumSq += v * v;
    }
    const double rms = std::sqrt(sumSq / static_cast<double>(a.data.empty() ? 1 : a.data.size()));
    p.quant.mult = static_cast<uint32_t>(rng.uniform(1 << 14, (1 << 15) - 1));
    const int shift = static_cast<int>(std::lround(std::log2(std::max(rms, 1.0) * p.quant.mult / 32.0)));
    p.quant.shift = std::clamp(shift, kMinShift, kMaxShift);
  }
  return p;
}

diag::Expected<RandomRun> randomRun(const Model& model, uint64_t seed, io::StopToken stop) {
  if (auto s = checkSupported(model); !s) return s.error();
  Rng rng(seed);
  RandomRun run;
  for (const auto& t : model.inputs) run.params.inputs[t.name] = randomInt8(t.shape, rng);
  for (const Layer& L : model.layers) {
    diag::Diagnostic err;
    auto in = gatherInputs(model, L, run.params.inputs, run.outputs.layers, &err);
    if (!err.code.empty()) return err;
    auto p = randomLayerParams(L, in, rng, stop);
    if (!p) return p.error();
    auto y = runLayer(L, in, *p, stop);
    if (!y) return y.error();
    run.params.layers.push_back(std::move(*p));
    run.outputs.layers.push_back(std::move(*y));
  }
  return run;
}

}  // namespace dnnchip::golden
