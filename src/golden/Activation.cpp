// Nonlinear activations at int8: clamp pairs (ReLU6, Clip) and 256-entry tables (smooth
// functions) built from the quantization scales, as docs/quantization.md#activations defines
// them. A table entry is the rounded (half up), clamped float function of the code's dequantized
// value; the engine applies the same bytes (schedule::packTable -> LOAD_T -> vector_unit).
// Cost: 256 function evaluations per table; the error measurement evaluates f `samples` times.

#include "dnnchip/golden/Activation.h"

#include <algorithm>
#include <cmath>

namespace dnnchip::golden {

using workload::ActivationKind;

bool usesClamp(ActivationKind k) { return k == ActivationKind::Relu6 || k == ActivationKind::Clip; }

bool usesTable(ActivationKind k) {
  return k == ActivationKind::Sigmoid || k == ActivationKind::HardSigmoid || k == ActivationKind::HardSwish ||
         k == ActivationKind::Silu || k == ActivationKind::Gelu || k == ActivationKind::Tanh;
}

double activationFloat(ActivationKind k, double x, double clipMin, double clipMax) {
  switch (k) {
    case ActivationKind::None: return x;
    case ActivationKind::Relu: return std::max(x, 0.0);
    case ActivationKind::Relu6: return std::clamp(x, 0.0, 6.0);
    case ActivationKind::Clip: return std::clamp(x, clipMin, clipMax);
    case ActivationKind::Sigmoid: return 1.0 / (1.0 + std::exp(-x));
    case ActivationKind::HardSigmoid: return std::clamp(x / 6.0 + 0.5, 0.0, 1.0);
    case ActivationKind::HardSwish: return x * std::clamp(x / 6.0 + 0.5, 0.0, 1.0);
    case ActivationKind::Silu: return x / (1.0 + std::exp(-x));
    case ActivationKind::Gelu: return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));
    case ActivationKind::Tanh: return std::tanh(x);
  }
  return x;
}

int8_t quantizeCode(double v) {
  const double r = std::floor(v + 0.5);
  return static_cast<int8_t>(std::clamp(r, -128.0, 127.0));
}

std::vector<int8_t> activationTable(ActivationKind k, double inScale, double outScale) {
  std::vector<int8_t> t(256);
  for (int c = -128; c <= 127; ++c) t[static_cast<size_t>(c + 128)] = quantizeCode(activationFloat(k, c * inScale) / outScale);
  return t;
}

ActivationParams clampActivation(double clipMin, double clipMax, double scale) {
  ActivationParams a;
  a.lo = quantizeCode(clipMin / scale);
  a.hi = std::max(a.lo, quantizeCode(clipMax / scale));
  return a;
}

double tableOutputScale(ActivationKind k, double inScale) {
  double m = 0;
  for (int c = -128; c <= 127; ++c) m = std::max(m, std::fabs(activationFloat(k, c * inScale)));
  return m > 0 ? m / 127.0 : 1.0 / 127.0;
}

ActivationParams randomActivation(const workload::Layer& L) {
  if (usesClamp(L.activation)) {
    const bool relu6 = L.activation == ActivationKind::Relu6;
    return clampActivation(relu6 ? 0.0 : L.clipMin, relu6 ? 6.0 : L.clipMax, kRandomActivationScale);
  }
  ActivationParams a;
  if (usesTable(L.activation))
    a.table = activationTable(L.activation, kRandomActivationScale, tableOutputScale(L.activation, kRandomActivationScale));
  return a;
}

ActivationError measureActivationError(ActivationKind k, double inScale, double outScale, int samples,
                                       double clipMin, double clipMax) {
  if (k == ActivationKind::Relu6) clipMin = 0.0, clipMax = 6.0;
  ActivationParams a;
  if (usesClamp(k)) a = clampActivation(clipMin, clipMax, outScale);
  if (usesTable(k)) a.table = activationTable(k, inScale, outScale);
  ActivationError e;
  double sumSq = 0;
  for (int i = 0; i < samples; ++i) {
    const double x = inScale * (-128.0 + 255.0 * i / std::max(1, samples - 1));
    const int8_t y = applyActivation(quantizeCode(x / inScale), a);
    const double err = (y * outScale - activationFloat(k, x, clipMin, clipMax)) / outScale;
    e.maxAbs = std::max(e.maxAbs, std::fabs(err));
    sumSq += err * err;
  }
  e.rms = std::sqrt(sumSq / std::max(1, samples));
  return e;
}

}  // namespace dnnchip::golden
