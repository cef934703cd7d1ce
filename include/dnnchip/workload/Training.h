#pragma once
/// \file
/// One training step of a model as a sequence of ordinary layers (docs/training.md): the forward
/// pass, then per layer in reverse order its backward passes, then the optimizer's weight update
/// per trained layer. Each backward pass of a compute layer is itself a loop nest, as Timeloop and
/// ZigZag express training, so the mapper and cost model evaluate it like any layer:
///   - backward-data of a convolution: the output gradient convolved with the rotated weights
///     (input and output channels exchanged); a strided convolution splits into stride_h x
///     stride_w stride-1 phase convolutions (one per residue of the input position), which
///     together do exactly the forward's MACs and no multiplications by inserted zeros;
///   - backward-weight of a convolution: input activations (batch as the reduction channel)
///     convolved with the output gradient as the kernel (P x Q, dilated by the forward stride),
///     reducing over N, P, Q; output G x K x C x R x S;
///   - fc and matmul: the two transposed products.
/// Vector layers get elementwise gradient passes with their own operation counts. The saved
/// activations are the tensors backward reads (torch's rule per op, docs/training.md).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/workload/Model.h"

namespace dnnchip::workload {

enum class Pass { Forward, BackwardData, BackwardWeight, WeightUpdate };
std::string_view passName(Pass p);  ///< "fwd", "bwd_data", "bwd_weight", "update"

enum class Optimizer { Sgd, SgdMomentum, Adam };
std::string_view optimizerName(Optimizer o);  ///< "sgd", "sgd_momentum", "adam"
std::optional<Optimizer> optimizerFromName(std::string_view name);

/// Element widths of the training step's tensors (fp32 training, PyTorch's storage by default).
struct TrainingOptions {
  Optimizer optimizer = Optimizer::SgdMomentum;
  int64_t batch = 1;            ///< samples per step: multiplies every model input's first dimension
  int activationBits = 32;      ///< saved activations and gradients
  int statisticBits = 32;       ///< normalization mean / inverse std saved per channel or row
  int indexBits = 64;           ///< max-pool argmax indices (PyTorch keeps int64)
  int parameterBits = 32;       ///< weights, their gradients and the optimizer state
};

/// One pass as an ordinary layer: a compute layer with its loop nest, or a vector layer whose
/// vectorOps() is the pass's work. Shapes are filled in (the pass is not re-finalized).
struct TrainingPass {
  Pass pass = Pass::Forward;
  std::string forwardLayer;  ///< the layer of the training-form model it belongs to
  std::string op;            ///< what it computes: "conv2d", "batchnorm", "relu_grad", "adam", ...
  Layer layer;
};

enum class SavedKind { Activation, Statistic, Index };

/// A tensor the backward pass reads, kept from the forward pass.
struct SavedTensor {
  std::string tensor;        ///< tensor name ("<layer>:pre" for a fused activation's input)
  SavedKind kind = SavedKind::Activation;
  int64_t elements = 0;
};

/// The layer's training form: `batchNorm` marks a normalization layer over the channels of an
/// NCHW tensor (statistics per channel over N, H, W), else a LayerNorm is per row.
struct TrainingLayer {
  Layer layer;
  bool batchNorm = false;
};

/// The backward passes of one layer (pure). `inputNeedsGradient[i]`: whether input i's gradient
/// is wanted (false for model inputs and tensors computed without parameters); weight gradients
/// are always formed for layers with parameters.
std::vector<TrainingPass> backwardPasses(const TrainingLayer& l, const std::vector<bool>& inputNeedsGradient);
/// The optimizer's update of the layer's parameters (nothing for a layer without parameters).
std::vector<TrainingPass> updatePasses(const TrainingLayer& l, Optimizer opt);
/// What backward reads of this layer's tensors.
std::vector<SavedTensor> savedTensors(const TrainingLayer& l);
/// Trained parameters of the training form (conv/fc weights and bias, normalization scale and shift).
int64_t trainedParameters(const TrainingLayer& l);

struct TrainingStep {
  Model forward;                    ///< the training form: batch applied, batch norm unfolded
  std::vector<TrainingPass> passes; ///< forward, backward (reverse order), updates
  std::vector<SavedTensor> saved;   ///< deduplicated by tensor
  TrainingOptions options;
  int64_t savedActivationElements = 0, savedStatisticElements = 0, savedIndexElements = 0;
  int64_t savedBytes = 0;           ///< with the options' element widths
  int64_t parameters = 0;
  int64_t optimizerStateElements = 0;  ///< momentum: 1 per parameter, Adam: 2
  int64_t parameterBytes = 0;       ///< weights + gradients + optimizer state
  /// A model whose layers are the passes in order (for the predictor; not finalized).
  Model passModel() const;
};

/// Derives the training step of `model`. Diagnostics: model.shape / model.too-large when the
/// batch does not apply (a reshape that fixes the batch dimension to another value).
diag::Expected<TrainingStep> trainingStep(const Model& model, const TrainingOptions& opt);

}  // namespace dnnchip::workload
