#pragma once
// Internal to src/onnx: the ONNX graph as the lowering sees it, independent of protobuf. The
// reader (OnnxReader.cpp) fills it from a ModelProto after validation and shape inference; the
// lowering (Lowering.cpp) turns it into workload layers; Calibration.cpp quantizes the weights.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/onnx/Import.h"
#include "dnnchip/workload/Model.h"

namespace dnnchip::onnx::detail {

/// A constant (initializer, Constant node or folded value). Float data in `f`, integer data in
/// `i`; both empty when only the shape is known (a parameter exported without its values).
struct Const {
  workload::Shape dims;
  bool isFloat = true;
  std::vector<float> f;
  std::vector<int64_t> i;
  bool hasData() const { return !f.empty() || !i.empty() || workload::elementCount(dims) == 0; }
  int64_t count() const { return workload::elementCount(dims); }
  double at(int64_t k) const { return isFloat ? f[static_cast<size_t>(k)] : static_cast<double>(i[static_cast<size_t>(k)]); }
};

/// One attribute value (the kinds the supported ops use).
struct Attr {
  int64_t i = 0;
  float f = 0;
  std::string s;
  std::vector<int64_t> ints;
  std::optional<Const> t;
};

struct Node {
  std::string name;  ///< as in the file (may be empty)
  std::string op;
  std::vector<std::string> inputs;   ///< "" for an omitted optional input
  std::vector<std::string> outputs;
  std::map<std::string, Attr> attrs;
  int64_t attrInt(const std::string& k, int64_t def) const;
  float attrFloat(const std::string& k, float def) const;
  std::string attrString(const std::string& k, const std::string& def) const;
  std::vector<int64_t> attrInts(const std::string& k) const;
  std::string label() const;  ///< "node 'name' (Op)"
};

struct Graph {
  std::string file;
  std::string name;
  int64_t opset = 0;                          ///< default-domain opset
  std::vector<Node> nodes;                    ///< topological order
  std::vector<std::string> inputs;            ///< graph inputs that are not initializers
  std::vector<std::string> outputs;
  std::map<std::string, Const> initializers;  ///< with data
  std::map<std::string, workload::Shape> shapes;  ///< every tensor whose full shape is known
  std::map<std::string, bool> floatTensor;        ///< element type float (true) or integer
  bool hasInitializers = false;
};

/// Reads, validates (onnx.parse, onnx.cycle, onnx.dangling), fixes the inputs' symbolic
/// dimensions (`shapes`, onnx.input-shape) and shape-infers a file, folding the computed
/// constants shape inference needs (onnx.shape).
diag::Expected<Graph> readGraph(const std::filesystem::path& path, const InputShapes& shapes = {});
/// The same from bytes already in memory (`file` names them in diagnostics).
diag::Expected<Graph> parseGraph(const std::string& bytes, const std::string& file, const InputShapes& shapes = {});

/// Layers plus the float parameters of the lowering.
struct Lowered {
  workload::Model model;
  std::map<std::string, FloatParams> params;
  std::vector<std::string> skipped;
  bool hasWeights = false;
  /// layer name -> ONNX tensor it produces (for the shape cross-check)
  std::map<std::string, std::string> tensorOf;
};

/// Lowers a graph to workload layers (onnx.unsupported-op, onnx.shape, onnx.bad-attribute).
/// Moves the initializers out of `g` (they become the layers' parameters).
diag::Expected<Lowered> lower(Graph& g, const ImportOptions& options);

/// Runs the float reference forward pass over `model` (finalized) with `params`; returns every
/// tensor's values (model inputs and layer outputs) in C order.
diag::Expected<std::map<std::string, std::vector<float>>> forwardFloat(
    const workload::Model& model, const std::map<std::string, FloatParams>& params,
    const std::map<std::string, std::vector<float>>& inputs);

/// Reads a float32 (or float64) little-endian C-order .npy file.
diag::Expected<std::pair<workload::Shape, std::vector<float>>> readNpyFloat(const std::filesystem::path& path);

/// Calibrates and quantizes (fills result.quantized, activationScales, calibration).
diag::Status calibrate(ImportResult& result, const ImportOptions& options, const std::string& file);

}  // namespace dnnchip::onnx::detail

namespace dnnchip::onnx::detail {
/// Evaluates `n` when its inputs are constants (`ins`, nullptr for an omitted optional input).
/// Shape only needs its input's shape (`shapeOfInput0`). Returns std::nullopt when the op is not
/// one the folder evaluates. Throws diag::DiagnosticError (onnx.bad-attribute) on bad attributes.
std::optional<Const> foldConstant(const Node& n, const std::vector<const Const*>& ins,
                                  const workload::Shape* shapeOfInput0, const std::string& file);
}  // namespace dnnchip::onnx::detail
