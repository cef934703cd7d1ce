#pragma once
/// \file
/// ONNX import: reads an .onnx file with libonnx, runs ONNX shape inference, lowers the graph to a
/// workload::Model (BatchNormalization folded into the convolution before it, activations fused
/// into their producer, shape-computing subgraphs constant-folded) and, when the file carries
/// initializers, keeps the folded float weights and quantizes them to the project's integer
/// semantics (docs/quantization.md) with a min/max calibration. Supported ops and limits:
/// docs/onnx.md. Diagnostics: onnx.* (docs/diagnostics.md).

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/io/Stop.h"
#include "dnnchip/workload/Model.h"

namespace dnnchip::onnx {

/// Shapes given for graph inputs by name ("" names the only input): `--input-shape`.
using InputShapes = std::map<std::string, workload::Shape>;

/// How to import.
struct ImportOptions {
  /// Import the rest when an op is unsupported: the skipped node's consumers read its input
  /// (only when the shapes allow it; otherwise onnx.unsupported-op stops the import).
  bool skipUnsupported = false;
  /// Quantize the initializers (when present) with a calibration pass. Off: shapes only.
  bool quantizeWeights = true;
  /// Calibration input: a float32 .npy with the model input's shape. Empty: seeded random input.
  std::filesystem::path calibrationInput;
  uint64_t seed = 1;  ///< seed of the random calibration input
  /// Values of the inputs' symbolic dimensions (a dynamic batch): each listed input takes this
  /// shape; a dimension fixed in the file must equal it (onnx.input-shape otherwise).
  InputShapes inputShapes;
  /// A stop request ends the calibration pass with onnx.interrupted (nothing is returned).
  io::StopToken stop;
};

/// Parses an --input-shape argument: "D0,D1,..." or "NAME=D0,D1,..." ('x' also separates
/// dimensions: 1x3x224x224). cli.usage-style errors come back as onnx.input-shape.
diag::Expected<std::pair<std::string, workload::Shape>> parseInputShape(std::string_view text);
/// Parses every --input-shape argument; one input given twice is onnx.input-shape.
diag::Expected<InputShapes> parseInputShapes(const std::vector<std::string>& texts);

/// Float parameters of one layer after folding, in the layout of the vectors format:
/// conv weight K x C/groups x R x S, fc weight K x C (out x in), bias K; layernorm scale/shift.
struct FloatParams {
  workload::Shape weightShape;
  std::vector<float> weight;
  std::vector<float> bias;  ///< empty: no bias
  float outputMultiplier = 1.0f;  ///< a constant Mul/Div folded into a matmul of two activations
};

/// Integer parameters of a conv2d/fc layer for co-simulation (docs/quantization.md); for an add
/// layer of a quantized model (its scales from the file) only mult, multB, shift, relu and the
/// two inputs.
struct QuantizedLayer {
  workload::Shape weightShape;
  std::vector<int8_t> weight;
  std::vector<int32_t> bias;
  uint32_t mult = 1;   ///< requantization multiplier (uint16 range; an add's first operand's)
  std::optional<uint32_t> multB;  ///< an add's second operand's multiplier
  int shift = 1;       ///< requantization right shift, 1..31
  bool relu = false;   ///< lower clamp at 0 (ReLU or ReLU6 fused)
  double inputScale = 0, weightScale = 0, outputScale = 0;  ///< real value per integer step
  workload::Shape inputShape;   ///< calibration input of the layer, int8 (NCHW, or rows x C for fc)
  std::vector<int8_t> input;
  std::vector<int8_t> inputB;   ///< an add's second operand (inputShape)
};

/// The outcome of an import.
struct ImportResult {
  workload::Model model;                       ///< finalized
  std::vector<std::string> skipped;            ///< "OpType node-name" of each skipped node
  bool hasWeights = false;                     ///< the file carried initializers for the layers
  std::map<std::string, FloatParams> params;   ///< by layer name, when hasWeights
  std::map<std::string, QuantizedLayer> quantized;  ///< conv2d/fc layers, when quantized
  std::map<std::string, double> activationScales;  ///< calibration: tensor name -> scale
  std::string calibration;                     ///< how the calibration input was made
  /// Tensors whose scale is the model's own (a QDQ or QOperator model), not measured.
  std::vector<std::string> modelScaled;
};

/// Imports an .onnx file (onnx.*, model.* diagnostics; never throws, never aborts).
diag::Expected<ImportResult> importModel(const std::filesystem::path& path, const ImportOptions& options = {});

/// Writes <layer>.weight.npy, <layer>.bias.npy, <layer>.quant.json and <layer>.input.npy for every
/// quantized layer, plus calibration.json, into `dir` (the `dnnchip simulate --vectors` format).
diag::Status writeWeights(const ImportResult& result, const std::filesystem::path& dir);

/// Runs the float reference forward pass over an import with weights; `inputs` maps each model
/// input to its values (C order). Returns every tensor (model inputs and layer outputs) by name;
/// onnx.interrupted on a stop request.
diag::Expected<std::map<std::string, std::vector<float>>> runReference(
    const ImportResult& result, const std::map<std::string, std::vector<float>>& inputs, io::StopToken stop = {});

/// Loads a --model argument: a path ending in .onnx is imported (shapes only, `shapes` fixing its
/// inputs' symbolic dimensions), anything else goes to workload::loadModelByName (built-in name or
/// model JSON; onnx.input-shape if `shapes` is not empty, since only an ONNX file takes them).
diag::Expected<workload::Model> loadModelAny(std::string_view nameOrPath, const InputShapes& shapes = {});

/// Makes an ONNX node or tensor name usable as a layer name and a file name: drops leading '/',
/// replaces every character outside [A-Za-z0-9_.-] by '_'. Empty stays empty.
std::string sanitizeName(std::string_view name);

}  // namespace dnnchip::onnx
