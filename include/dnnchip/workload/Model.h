#pragma once
/// \file
/// A DNN workload: named inputs and a DAG of layers in topological order, with shapes inferred.
/// JSON format: docs/formats.md#model (schema_version 1).

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/io/Json.h"
#include "dnnchip/workload/Layer.h"

namespace dnnchip::workload {

struct TensorDesc {
  std::string name;
  Shape shape;
};

class Model {
 public:
  std::string name;
  std::string description;
  std::string source;        ///< where the architecture comes from
  Precision precision;
  /// Every conv2d carries a BatchNorm folded into its weights and bias (inference form). Training
  /// unfolds it: conv2d without bias, then batch norm, then the conv's activation (docs/training.md).
  bool batchNormFolded = false;
  std::vector<TensorDesc> inputs;
  std::vector<Layer> layers; ///< topological order after finalize()
  std::vector<std::string> outputs;

  /// Validates names and references, orders layers topologically (model.cycle on a cycle),
  /// infers every shape (model.shape on a mismatch) and fills inputLayers. Idempotent.
  /// `file` is used in diagnostics; pointers are "/layers/<i>" in the original order.
  diag::Status finalize(const std::string& file = {});

  const Layer* findLayer(std::string_view name) const;
  int layerIndex(std::string_view name) const;  ///< -1 if absent
  int64_t totalMacs() const;
  int64_t totalWeights() const;
  /// Shape of a tensor (model input or layer output), nullptr if unknown.
  const Shape* tensorShape(std::string_view name) const;
};

/// Reads a model JSON file (json.*, model.*, value.* diagnostics).
diag::Expected<Model> loadModel(const std::filesystem::path& path);
/// Parses a model from JSON already in memory; `file` names it in diagnostics.
diag::Expected<Model> parseModel(const io::Json& json, const std::string& file);
/// Resolves a built-in model name, a .json path (and, when the onnx module is linked by the
/// caller, .onnx paths are handled by onnx::loadModelAny instead).
diag::Expected<Model> loadModelByName(std::string_view nameOrPath);
/// Serializes a model (schema_version 1); parseModel(toJson(m)) round-trips.
io::Json toJson(const Model& m);

}  // namespace dnnchip::workload
