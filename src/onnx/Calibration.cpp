// Calibration: quantizes the imported float weights to the project's integer semantics
// (docs/quantization.md: int8 symmetric weights and activations, zero point 0, int32 bias,
// y = clamp(((acc + bias) * mult + 2^(shift-1)) >> shift)). Algorithm (min/max calibration):
//   1. input: a user .npy (float32) or a seeded N(0,1) draw (golden::Rng::normal: SplitMix64 +
//      Box-Muller, so the same seed gives the same bytes);
//   2. the float reference forward pass (FloatReference.cpp) gives every tensor's values;
//   3. activation scale s = max|x| / 127 per tensor; weight scale s_w = max|W| / 127 per layer;
//   4. W_q = round(W / s_w) in [-127, 127]; b_q = round(b / (s_in s_w)); the requantization
//      multiplier M = s_in s_w / s_out becomes mult/shift with the largest shift in 1..31 that
//      keeps mult = round(M 2^shift) <= 65535.
// For a fused ReLU/ReLU6 the output scale is the activated tensor's and relu = true; for other
// fused activations (sigmoid, GELU...) the integer layer produces the pre-activation value (its
// scale is measured before the activation) and the activation runs on the vector unit.
// Cost: one float forward pass plus one pass over the weights; memory: every tensor of the model
// at once, so a model whose tensors hold more than kMaxCalibrationValues floats is refused up front
// (onnx.calibration) rather than failing an allocation. Every value quantized must be finite
// (onnx.bad-value), since a NaN or Inf cast to an integer is undefined.

#include <cmath>
#include <initializer_list>
#include <limits>

#include "OnnxGraph.h"
#include "dnnchip/golden/ModelRunner.h"
#include "dnnchip/workload/Checked.h"

namespace dnnchip::onnx::detail {

namespace {

using workload::ActivationKind;
using workload::OpKind;

std::vector<float> normalDraw(size_t n, uint64_t seed) {
  std::vector<float> v(n);
  golden::Rng rng(seed);
  for (float& x : v) x = static_cast<float>(rng.normal());
  return v;
}

double maxAbs(const std::vector<float>& v) {
  double m = 0;
  for (float x : v) m = std::max(m, static_cast<double>(std::fabs(x)));
  return m;
}

double scaleOf(double maxAbsValue) { return maxAbsValue > 0 ? maxAbsValue / 127.0 : 1.0 / 127.0; }

/// Largest number of float values (model inputs plus every layer output) the calibration pass
/// holds: 2^28, 1 GiB. ResNet-50 at 224x224 needs about 2^24.
constexpr int64_t kMaxCalibrationValues = int64_t{1} << 28;

// Index of the first NaN or Inf in `v`, or -1.
int64_t firstNonFinite(const std::vector<float>& v) {
  for (size_t k = 0; k < v.size(); ++k)
    if (!std::isfinite(v[k])) return static_cast<int64_t>(k);
  return -1;
}

// The multiplier M as mult / 2^shift: the largest shift in 1..31 that keeps every multiplier in
// `Ms` at most 65535 after rounding.
int shiftFor(std::initializer_list<double> Ms) {
  for (int s = 31; s >= 1; --s) {
    bool fits = true;
    for (double M : Ms) fits = fits && std::nearbyint(M * std::ldexp(1.0, s)) <= 65535.0;
    if (fits) return s;
  }
  return 1;
}
uint32_t multFor(double M, int shift) {
  return static_cast<uint32_t>(std::clamp<double>(std::nearbyint(M * std::ldexp(1.0, shift)), 0, 65535));
}

std::vector<int8_t> toInt8(const std::vector<float>& x, double scale) {
  std::vector<int8_t> q(x.size());
  for (size_t k = 0; k < x.size(); ++k) q[k] = static_cast<int8_t>(std::clamp<double>(std::nearbyint(x[k] / scale), -128, 127));
  return q;
}

}  // namespace

ModelScales modelScales(const QuantInfo& q, const Lowered& low, const workload::Model& model) {
  ModelScales m;
  if (q.empty()) return m;
  for (const auto& in : model.inputs)
    if (auto it = q.activations.find(in.name); it != q.activations.end()) m.activations[in.name] = it->second;
  for (const auto& [layer, tensor] : low.tensorOf)
    if (auto it = q.activations.find(tensor); it != q.activations.end()) m.activations[layer] = it->second;
  for (const auto& L : model.layers) {  // topological order: a chain of layout layers passes it on
    if (m.activations.count(L.name) || L.inputs.size() != 1 || !(L.isLayoutOnly() || L.op == OpKind::MaxPool)) continue;
    if (L.activation != ActivationKind::None) continue;
    if (auto it = m.activations.find(L.inputs[0]); it != m.activations.end()) m.activations[L.name] = it->second;
  }
  for (const auto& [layer, wb] : low.paramTensorsOf)
    if (auto it = q.constants.find(wb.first); it != q.constants.end()) {
      ConstQuant c = it->second;
      c.values.clear();
      m.weights[layer] = std::move(c);
    }
  return m;
}

diag::Status calibrate(ImportResult& result, const ImportOptions& options, const std::string& file, const ModelScales& scales) {
  const workload::Model& m = result.model;
  int64_t values = 0;
  for (const auto& t : m.inputs) values = workload::saturatingAdd(values, workload::elementCount(t.shape));
  for (const auto& L : m.layers) values = workload::saturatingAdd(values, L.outputElements());
  if (values > kMaxCalibrationValues)
    return diag::error("onnx.calibration", {file, ""},
                       "calibration runs the model in float and holds every tensor: " + std::to_string(values) +
                           " values, above the limit of 2^28 (1 GiB)",
                       "import without --weights-dir (shapes only), or export the model with a smaller input shape");
  std::map<std::string, std::vector<float>> inputs;
  if (!options.calibrationInput.empty()) {
    if (m.inputs.size() != 1)
      return diag::error("onnx.calibration", {options.calibrationInput.string(), ""},
                         "the model has " + std::to_string(m.inputs.size()) + " inputs; a calibration .npy feeds exactly one",
                         "calibrate with the seeded random input (omit --calibration-input)");
    auto x = readNpyFloat(options.calibrationInput);
    if (!x) return x.error();
    if (x->first != m.inputs[0].shape)
      return diag::error("onnx.calibration", {options.calibrationInput.string(), ""},
                         "the calibration input has shape " + workload::shapeText(x->first) + ", the model input '" +
                             m.inputs[0].name + "' needs " + workload::shapeText(m.inputs[0].shape),
                         "save an array with the model input's shape");
    inputs[m.inputs[0].name] = std::move(x->second);
    result.calibration = "min/max over " + options.calibrationInput.filename().string();
  } else {
    for (size_t i = 0; i < m.inputs.size(); ++i)
      inputs[m.inputs[i].name] = normalDraw(static_cast<size_t>(workload::elementCount(m.inputs[i].shape)), options.seed + i);
    result.calibration = "min/max over a seeded N(0,1) input (seed " + std::to_string(options.seed) + ")";
  }
  auto tensors = forwardFloat(m, result.params, inputs, options.stop);
  if (!tensors) {
    diag::Diagnostic d = tensors.error();
    d.location.file = file;
    return d;
  }
  for (const auto& [name, v] : *tensors) {
    if (int64_t k = firstNonFinite(v); k >= 0) {
      const bool userInput = !options.calibrationInput.empty() && m.tensorShape(name) && m.layerIndex(name) < 0;
      return diag::error("onnx.bad-value", {userInput ? options.calibrationInput.string() : file, "tensor '" + name + "'"},
                         "tensor '" + name + "' is not finite at element " + std::to_string(k) +
                             " in the float calibration pass (NaN in the input, or values beyond float range)",
                         userInput ? "give a calibration input of finite numbers"
                                   : "the weights overflow float arithmetic: check the trained model");
    }
    result.activationScales[name] = scaleOf(maxAbs(v));
  }
  // A quantized model's own scales replace the measured ones.
  for (const auto& [name, tq] : scales.activations) {
    result.activationScales[name] = tq.scale;
    result.modelScaled.push_back(name);
  }
  if (!scales.empty())
    result.calibration = "the model's own scales for " + std::to_string(scales.activations.size()) + " tensors and " +
                         std::to_string(scales.weights.size()) + " weights; " + result.calibration + " for the rest";
  for (const auto& L : m.layers) {
    if (L.op != OpKind::Conv2d && L.op != OpKind::Fc) continue;
    const FloatParams& p = result.params.at(L.name);
    for (const auto* v : {&p.weight, &p.bias})
      if (int64_t k = firstNonFinite(*v); k >= 0)
        return diag::error("onnx.bad-value", {file, "layer '" + L.name + "'"},
                           "the folded " + std::string(v == &p.weight ? "weight" : "bias") + " of layer '" + L.name +
                               "' is not finite at element " + std::to_string(k) + " (BatchNormalization folding overflowed float)",
                           "check the trained model's BatchNormalization statistics");
    QuantizedLayer q;
    q.weightShape = p.weightShape;
    q.inputScale = result.activationScales.at(L.inputs[0]);
    auto mw = scales.weights.find(L.name);
    q.weightScale = mw != scales.weights.end() ? mw->second.scale : scaleOf(maxAbs(p.weight));
    if (mw != scales.weights.end())
      for (size_t k = 0; k < p.weight.size(); ++k) {
        // The file's integers times its scale, unless a folding (BatchNormalization, a Mul by a
        // constant, Gemm's alpha) changed them: then the model's scales no longer describe them.
        const double v = p.weight[k] / q.weightScale;
        if (std::fabs(v - std::nearbyint(v)) > 1e-3 || std::fabs(v) > 127.5)
          return diag::error("onnx.quant-mismatch", {file, "layer '" + L.name + "'"},
                             "the weight of layer '" + L.name + "' (quantized by " + mw->second.where + ") is " + std::to_string(v) +
                                 " steps at element " + std::to_string(k) +
                                 " after the importer folded a following op into it, so it is no longer int8 at the model's scale",
                             "quantize the model after folding BatchNormalization and constant scales into the convolution");
      }
    const bool relu = L.activation == ActivationKind::Relu || L.activation == ActivationKind::Relu6;
    auto pre = result.activationScales.find(L.name + "#preact");
    q.outputScale = (L.activation == ActivationKind::None || relu || pre == result.activationScales.end())
                        ? result.activationScales.at(L.name) : pre->second;
    q.relu = relu;
    q.weight.resize(p.weight.size());
    for (size_t k = 0; k < p.weight.size(); ++k)
      q.weight[k] = static_cast<int8_t>(std::clamp<double>(std::nearbyint(p.weight[k] / q.weightScale), -127, 127));
    const int64_t K = L.op == OpKind::Conv2d ? L.outChannels : L.outFeatures;
    q.bias.assign(static_cast<size_t>(K), 0);
    const double accScale = q.inputScale * q.weightScale;
    for (size_t k = 0; k < p.bias.size(); ++k)
      q.bias[k] = static_cast<int32_t>(std::clamp<double>(std::nearbyint(p.bias[k] / accScale), std::numeric_limits<int32_t>::min(),
                                                          std::numeric_limits<int32_t>::max()));
    const double M = accScale / q.outputScale;
    q.shift = shiftFor({M});
    q.mult = multFor(M, q.shift);
    // The layer's own input vector, int8, NCHW (conv) or rows x C (fc).
    const auto& x = tensors->at(L.inputs[0]);
    q.inputShape = L.inputShapes[0];
    if (L.op == OpKind::Fc) {
      const int64_t C = q.inputShape.back();
      q.inputShape = {workload::elementCount(L.inputShapes[0]) / C, C};
    }
    q.input = toInt8(x, q.inputScale);
    result.quantized.emplace(L.name, std::move(q));
  }
  // An add whose operands and result all carry the model's scales: y = (a M_a + b M_b) with
  // M = s_operand / s_out, one shift for both (docs/quantization.md#elementwise-add).
  for (const auto& L : m.layers) {
    if (L.op != OpKind::Add || L.inputs.size() != 2) continue;
    if (!scales.activations.count(L.inputs[0]) || !scales.activations.count(L.inputs[1]) || !scales.activations.count(L.name)) continue;
    if (L.activation != ActivationKind::None && L.activation != ActivationKind::Relu) continue;
    if (L.inputShapes[0] != L.inputShapes[1]) continue;  // the engine adds equal shapes only
    QuantizedLayer q;
    q.inputScale = result.activationScales.at(L.inputs[0]);
    q.weightScale = result.activationScales.at(L.inputs[1]);  // the second operand's scale
    q.outputScale = result.activationScales.at(L.name);
    q.relu = L.activation == ActivationKind::Relu;
    const double Ma = q.inputScale / q.outputScale, Mb = q.weightScale / q.outputScale;
    q.shift = shiftFor({Ma, Mb});
    q.mult = multFor(Ma, q.shift);
    q.multB = multFor(Mb, q.shift);
    q.inputShape = L.inputShapes[0];
    q.input = toInt8(tensors->at(L.inputs[0]), q.inputScale);
    q.inputB = toInt8(tensors->at(L.inputs[1]), q.weightScale);
    result.quantized.emplace(L.name, std::move(q));
  }
  for (auto it = result.activationScales.begin(); it != result.activationScales.end();)
    it = it->first.find('#') != std::string::npos ? result.activationScales.erase(it) : std::next(it);
  return {};
}

}  // namespace dnnchip::onnx::detail
