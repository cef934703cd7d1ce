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

namespace onnx {
class GraphProto;
class TensorProto;
}  // namespace onnx

namespace dnnchip::onnx::detail {

/// A constant (initializer, Constant node or folded value). Float data in `f`, integer data in
/// `i`; both empty when only the shape is known (a parameter exported without its values).
struct Const {
  workload::Shape dims;
  bool isFloat = true;
  std::vector<float> f;
  std::vector<int64_t> i;
  int32_t elemType = 0;  ///< ONNX TensorProto data type as read (1 float, 2 uint8, 3 int8, 6 int32...), 0 if made here
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

/// How a quantized graph (QDQ or QOperator) quantizes one activation tensor: int8 = round(x / scale),
/// after converting uint8 with zero point 128 to int8 (the only zero points accepted).
struct TensorQuant {
  double scale = 0;         ///< real value per integer step
  int64_t zeroPoint = 0;    ///< as in the file (0 for int8, 128 for uint8)
  bool isUnsigned = false;  ///< uint8 in the file
  std::string where;        ///< the node that gave it, for diagnostics
};

/// A weight or bias the graph gives as integers with a scale (the float initializer made from it
/// holds value * scale).
struct ConstQuant {
  double scale = 0;                 ///< per-tensor scale (the first channel's when per channel)
  std::vector<double> perChannel;   ///< per-channel scales (equal for weights; biases may differ)
  std::vector<int64_t> values;      ///< q - zero point, C order
  bool isBias = false;              ///< int32 (a bias), else int8
  std::string where;                ///< the node that gave it
};

/// The model's own quantization, by tensor name after the rewrite (QuantizedGraph.cpp).
struct QuantInfo {
  std::map<std::string, TensorQuant> activations;
  std::map<std::string, ConstQuant> constants;  ///< float initializers made from integers
  bool empty() const { return activations.empty() && constants.empty(); }
};

/// Rewrites a QDQ or QOperator graph (nodes in topological order) into a float graph and returns
/// the scales it carried (onnx.quant-unsupported, onnx.quant-mismatch). A graph without
/// quantization ops is left as it is.
QuantInfo rewriteQuantized(::onnx::GraphProto& graph, const std::string& file);
/// Converts a TensorProto (float, double, int8, uint8, int32, int64); std::nullopt for other types.
std::optional<Const> readTensor(const ::onnx::TensorProto& t, const std::string& file);

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
  QuantInfo quant;  ///< the scales of a quantized graph (empty for a float one)
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
  /// conv2d/fc layer name -> the ONNX tensors of its weight and bias ("" for none)
  std::map<std::string, std::pair<std::string, std::string>> paramTensorsOf;
};

/// Lowers a graph to workload layers (onnx.unsupported-op, onnx.shape, onnx.bad-attribute).
/// Moves the initializers out of `g` (they become the layers' parameters).
diag::Expected<Lowered> lower(Graph& g, const ImportOptions& options);

/// Runs the float reference forward pass over `model` (finalized) with `params`; returns every
/// tensor's values (model inputs and layer outputs) in C order. A stop request ends it with
/// onnx.interrupted.
diag::Expected<std::map<std::string, std::vector<float>>> forwardFloat(
    const workload::Model& model, const std::map<std::string, FloatParams>& params,
    const std::map<std::string, std::vector<float>>& inputs, io::StopToken stop = {});

/// Reads a float32 (or float64) little-endian C-order .npy file.
diag::Expected<std::pair<workload::Shape, std::vector<float>>> readNpyFloat(const std::filesystem::path& path);

/// The model's own quantization by layer (and model input) name: what calibration uses instead of
/// measuring, for a QDQ or QOperator model.
struct ModelScales {
  std::map<std::string, TensorQuant> activations;  ///< layer or model input name -> its output's quantization
  std::map<std::string, ConstQuant> weights;       ///< conv2d/fc layer -> its weight's (values left out)
  bool empty() const { return activations.empty() && weights.empty(); }
};
/// Maps a graph's QuantInfo onto the layers of `model` (the lowering's, finalized). A layout layer
/// (flatten, reshape, transpose) or max pool without a scale of its own passes its input's on:
/// the integer bytes do not change through it.
ModelScales modelScales(const QuantInfo& q, const Lowered& low, const workload::Model& model);

/// Calibrates and quantizes (fills result.quantized, activationScales, calibration). With model
/// scales, those replace the measured ones (onnx.quant-mismatch when a weight no longer lies on
/// its scale's grid after folding).
diag::Status calibrate(ImportResult& result, const ImportOptions& options, const std::string& file, const ModelScales& scales = {});

}  // namespace dnnchip::onnx::detail

namespace dnnchip::onnx::detail {
/// Evaluates `n` when its inputs are constants (`ins`, nullptr for an omitted optional input).
/// Shape only needs its input's shape (`shapeOfInput0`). Returns std::nullopt when the op is not
/// one the folder evaluates. Throws diag::DiagnosticError (onnx.bad-attribute) on bad attributes.
std::optional<Const> foldConstant(const Node& n, const std::vector<const Const*>& ins,
                                  const workload::Shape* shapeOfInput0, const std::string& file);
}  // namespace dnnchip::onnx::detail
