#pragma once
/// \file
/// Nonlinear activations at int8 (docs/quantization.md#activations). After requantization an
/// output y (int8, scale s_in) is clamped to [lo, hi] (ReLU6, Clip: the float bounds divided by
/// the output scale) and, for a smooth function f, mapped through a 256-entry table built from
/// the scales:  T[c + 128] = clamp(floor(f(c * s_in) / s_out + 1/2), -128, 127)  for c in -128..127.
/// The engine applies both in its output path (templates/vector_unit.v), bit-identically.

#include <cstdint>
#include <optional>
#include <vector>

#include "dnnchip/workload/Layer.h"

namespace dnnchip::golden {

/// One layer's activation in the int8 domain: a clamp pair and an optional table.
struct ActivationParams {
  int8_t lo = -128, hi = 127;   ///< clamp bounds after requantization (lo <= hi)
  std::vector<int8_t> table;    ///< empty, or 256 entries: entry c + 128 is the output for code c

  bool clamps() const { return lo != -128 || hi != 127; }
  bool operator==(const ActivationParams&) const = default;
};

/// Applies the clamp pair, then the table.
inline int8_t applyActivation(int8_t y, const ActivationParams& a) {
  int8_t v = y < a.lo ? a.lo : (y > a.hi ? a.hi : y);
  return a.table.empty() ? v : a.table[static_cast<size_t>(int(v) + 128)];
}

/// Activations the engine runs as a clamp pair (ReLU6, Clip).
bool usesClamp(workload::ActivationKind k);
/// Activations the engine runs as a table (Sigmoid, HardSigmoid, HardSwish, SiLU, GELU, Tanh).
bool usesTable(workload::ActivationKind k);
/// The float function (ReLU6 / Clip with the layer's clipMin/clipMax). Definitions as in PyTorch:
/// HardSigmoid = clamp(x/6 + 1/2, 0, 1), HardSwish = x * HardSigmoid(x), SiLU = x * sigmoid(x),
/// GELU = x/2 * (1 + erf(x / sqrt 2)).
double activationFloat(workload::ActivationKind k, double x, double clipMin = 0.0, double clipMax = 6.0);

/// Round half up to an int8 code: clamp(floor(v + 1/2), -128, 127).
int8_t quantizeCode(double v);

/// The table of a smooth activation from the input (pre-activation) and output scales.
std::vector<int8_t> activationTable(workload::ActivationKind k, double inScale, double outScale);
/// The clamp pair of ReLU6 / Clip at output scale `scale`: [quantizeCode(clipMin / scale),
/// quantizeCode(clipMax / scale)].
ActivationParams clampActivation(double clipMin, double clipMax, double scale);
/// The output scale that spreads f over int8 for input scale `inScale`: max over the 256 codes
/// of |f(c * inScale)| / 127 (1/127 if f is 0 there).
double tableOutputScale(workload::ActivationKind k, double inScale);

/// The scale random parameters give every pre-activation int8 tensor (code 8 = 1.0): the RMS of
/// 32 codes the random requantization aims at is 4.0, so ReLU6 (hi = 48) and the curved parts of
/// the smooth functions are exercised.
inline constexpr double kRandomActivationScale = 0.125;
/// The activation of a layer for random parameters: clamp at kRandomActivationScale, or the table
/// from kRandomActivationScale to tableOutputScale. None/ReLU give the default (no clamp, no table).
ActivationParams randomActivation(const workload::Layer& layer);

/// Error of an activation at int8 against the float function, measured over `samples` float
/// inputs spread evenly over the input code range [-128 s_in, 127 s_in]: each x is quantized to
/// its code (quantizeCode(x / s_in)), run through the clamp/table, dequantized (times s_out) and
/// compared with f(x). Both in units of s_out (output LSB). Clip uses [clipMin, clipMax], ReLU6
/// always [0, 6].
struct ActivationError {
  double maxAbs = 0;   ///< max |y - f(x)| / s_out
  double rms = 0;      ///< RMS of (y - f(x)) / s_out
};
ActivationError measureActivationError(workload::ActivationKind k, double inScale, double outScale, int samples,
                                       double clipMin = 0.0, double clipMax = 6.0);

}  // namespace dnnchip::golden
