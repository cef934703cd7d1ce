#pragma once
/// \file
/// Runs a whole workload::Model on the golden ops: each layer's output feeds its consumers. Layer
/// parameters (weights, bias, requantization) are given, or drawn from a seed together with the
/// model inputs. Supported ops: conv2d (any stride, padding, dilation, groups), fc, maxpool,
/// avgpool, globalavgpool, add, standalone activations, flatten and reshape (layout only), softmax
/// over the last axis (Softmax.h; its rescale's mult and shift in the layer's QuantParams). Every
/// activation (ReLU, ReLU6, Clip, Sigmoid, HardSigmoid, HardSwish, SiLU, GELU, Tanh) runs fused
/// behind the layer's requantization or standalone, at int8 (Activation.h). Anything else is
/// golden.unsupported-op.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/golden/Activation.h"
#include "dnnchip/golden/Ops.h"
#include "dnnchip/io/Stop.h"
#include "dnnchip/workload/Model.h"

namespace dnnchip::golden {

/// Parameters of one layer. Weight [K][C/groups][R][S] (conv) or [K][C] (fc); bias [K] (empty
/// means zeros). `quant` for conv, fc, avgpool, globalavgpool and add (mult = multA).
struct LayerParams {
  Tensor8 weight;
  Tensor32 bias;
  QuantParams quant;
  ActivationParams act;  ///< applied after requantization (ReLU stays QuantParams::relu)
};

/// Everything a golden run needs: model inputs by name and one LayerParams per layer (the model's
/// order after finalize()).
struct ModelParams {
  std::map<std::string, Tensor8> inputs;
  std::vector<LayerParams> layers;
};

/// The golden result: each layer's int8 output (the model's layer order).
struct ModelOutputs {
  std::vector<Tensor8> layers;
};

/// golden.unsupported-op if the model has a layer the engine (and so the golden model) cannot run.
diag::Status checkSupported(const workload::Model& model);

/// The weight shape a layer expects ({} for layers without weights).
Shape weightShape(const workload::Layer& layer);
/// True for layers that read weights and bias (conv2d, fc).
bool hasWeights(const workload::Layer& layer);
/// True for layers whose quant parameters are free (conv2d, fc, add); pooling derives its own.
bool hasQuant(const workload::Layer& layer);

/// The WindowParams of a conv2d or pooling layer.
WindowParams windowOf(const workload::Layer& layer);

/// Runs one layer on its input tensors (in the layer's input order). Shapes must match the
/// layer's inferred shapes (golden.shape otherwise). A stop request (`stop`) ends it with
/// golden.interrupted (a convolution polls it per output channel).
diag::Expected<Tensor8> runLayer(const workload::Layer& layer, const std::vector<const Tensor8*>& inputs,
                                 const LayerParams& params, io::StopToken stop = {});

/// Runs the model end to end (`stop` as for runLayer).
diag::Expected<ModelOutputs> runModel(const workload::Model& model, const ModelParams& params,
                                      io::StopToken stop = {});

/// Deterministic pseudo-random source (SplitMix64; identical on every platform).
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t next();
  /// Uniform integer in [lo, hi].
  int64_t uniform(int64_t lo, int64_t hi);
  /// Uniform double in [0, 1): the top 53 bits of next().
  double unit();
  /// A standard normal draw, N(0, 1). Box-Muller on two next() values, u1 in (0, 1] and u2 in
  /// [0, 1): r = sqrt(-2 ln u1), r cos(2 pi u2) is this draw and r sin(2 pi u2) the next call's
  /// (kept, so a pair costs two next() calls). The same seed gives the same bits wherever
  /// std::log, cos and sin give the same doubles (glibc on x86-64, where the goldens are made).
  double normal();

 private:
  uint64_t s_;
  double spare_ = 0;
  bool hasSpare_ = false;
};

/// A tensor of uniform int8 values in [-128, 127] (activations).
Tensor8 randomInt8(const Shape& shape, Rng& rng);

/// A tensor of uniform int8 weights in [-127, 127]: weights are symmetric, never -128
/// (docs/quantization.md; the packed DSP arrays rely on it).
Tensor8 randomWeightInt8(const Shape& shape, Rng& rng);

/// Input scale a softmax layer's random parameters assume (its rescale is softmaxParams of it):
/// 1/16, the int8 score scale of docs/quantization.md#softmax.
inline constexpr double kRandomSoftmaxInScale = 1.0 / 16;

/// Smallest weight value the integer semantics allow (-127; -128 is outside the weight range).
inline constexpr int kWeightMin = -127;

/// golden.weight-range unless every value of `weight` lies in [-127, 127]; `file` and `what`
/// ("weight of layer 'conv1'") name it in the diagnostic.
diag::Status checkWeightRange(const Tensor8& weight, const std::string& file, const std::string& what);

/// Draws weights and bias for `layer` and picks its requantization from the accumulators it
/// produces on `inputs`: mult uniform in [2^14, 2^15), shift chosen so that the RMS of
/// acc + bias maps to about 32 (so outputs spread over int8 without saturating everywhere).
/// Pooling layers get averageQuant of their window; add gets multA, multB in [2^14, 2^15) and
/// shift 16. ReLU follows the layer's activation; other activations get randomActivation(layer).
/// A stop request (`stop`) may leave the quant unfinished: check the token before using it.
diag::Expected<LayerParams> randomLayerParams(const workload::Layer& layer,
                                              const std::vector<const Tensor8*>& inputs, Rng& rng,
                                              io::StopToken stop = {});

/// Seeded inputs and parameters for every layer, plus the golden outputs they produce.
struct RandomRun {
  ModelParams params;
  ModelOutputs outputs;
};
/// `stop` as for runLayer (golden.interrupted).
diag::Expected<RandomRun> randomRun(const workload::Model& model, uint64_t seed, io::StopToken stop = {});

}  // namespace dnnchip::golden
