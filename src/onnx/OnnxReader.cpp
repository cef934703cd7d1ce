// OnnxReader: with QuantizedGraph.cpp, the only file that touches protobuf and libonnx. Parses a ModelProto, validates it
// before anything else reads it (graph present, opset known, single producer per tensor, every
// input defined, no cycle: Kahn's algorithm, O(nodes + edges)), puts the nodes in topological
// order, runs onnx::shape_inference::InferShapes and copies what the lowering needs (nodes,
// attributes, initializers with data, every fully known tensor shape) into detail::Graph.
// protobuf and libonnx throw on some malformed inputs: every call is guarded and becomes an
// onnx.parse or onnx.shape diagnostic. libonnx's shape inference trusts its input (a zero stride
// divides by zero, a short input list is read past its end), so everything it relies on is checked
// first: each node's input and output count against its op schema (onnx.arity), window
// attributes (strides, dilations, kernel_shape, group, blocksize >= 1; pads >= 0:
// onnx.bad-attribute), and every graph input and initializer size against the workload's limits
// (a dimension <= 2^31, at most 2^48 elements, products checked: onnx.shape). A convolution
// without kernel_shape gets it pinned from its weight's dimensions (followed back through
// Identity, Cast, Dropout and Transpose to an initializer, a fixed-shape graph input or a
// Constant): libonnx 1.12 checks an
// explicit kernel_shape against the input's rank but indexes past the input's dimensions and
// the dilations with a kernel taken from a weight of higher rank (found by fuzz_onnx). Limits:
// external-data initializers, subgraphs (If/Loop) and element types other than
// float/double/int8/uint8/int32/int64 are not read. A quantized graph is rewritten to float
// (QuantizedGraph.cpp) right after the topological sort, before the checks and shape inference.
// Shape inference runs in rounds (inferShapesFolding): between rounds, constant inputs of nodes
// whose outputs are still unknown are folded into initializers, and an Einsum's output shape,
// of which libonnx 1.12 infers only the rank, is completed from its equation.

#include <algorithm>
#include <cctype>
#include <cstring>
#include <exception>
#include <fstream>
#include <optional>
#include <queue>
#include <set>
#include <sstream>

#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include "OnnxGraph.h"
#include "dnnchip/io/Files.h"
#include "dnnchip/workload/Checked.h"

namespace dnnchip::onnx::detail {

namespace {

using workload::Shape;

[[noreturn]] void failAt(const std::string& code, const std::string& file, const std::string& where,
                         const std::string& message, const std::string& hint) {
  diag::fail(code, {file, where}, message, hint);
}

template <class T>
std::vector<T> rawAs(const std::string& raw, int64_t count, const std::string& file, const std::string& name) {
  // count <= kMaxCount (checkTensorSize), so the byte count cannot overflow.
  const int64_t bytes = count * static_cast<int64_t>(sizeof(T));
  if (static_cast<int64_t>(raw.size()) != bytes)
    failAt("onnx.parse", file, "initializer '" + name + "'",
           "tensor '" + name + "' holds " + std::to_string(raw.size()) + " bytes, its shape needs " + std::to_string(bytes),
           "the file is damaged: re-export the model");
  std::vector<T> out(static_cast<size_t>(count));
  if (count) std::memcpy(out.data(), raw.data(), raw.size());
  return out;
}

// A constant tensor's dimensions are non-negative and its element count (checked product) at most
// kMaxCount; anything else is a damaged file.
void checkTensorSize(const ::onnx::TensorProto& t, const std::string& file) {
  for (int64_t d : t.dims())
    if (d < 0) failAt("onnx.parse", file, "initializer '" + t.name() + "'", "tensor '" + t.name() + "' has a negative dimension", "re-export the model");
  std::vector<int64_t> dims(t.dims().begin(), t.dims().end());
  auto n = workload::checkedProduct(dims);
  if (!n || *n > workload::kMaxCount)
    failAt("onnx.parse", file, "initializer '" + t.name() + "'",
           "tensor '" + t.name() + "' has a shape of more than 2^48 elements", "the file is damaged: re-export the model");
}

}  // namespace

// Converts a TensorProto; returns std::nullopt for element types the importer does not read.
std::optional<Const> readTensor(const ::onnx::TensorProto& t, const std::string& file) {
  checkTensorSize(t, file);
  Const c;
  c.dims.assign(t.dims().begin(), t.dims().end());
  if (t.data_location() == ::onnx::TensorProto::EXTERNAL)
    failAt("onnx.parse", file, "initializer '" + t.name() + "'",
           "tensor '" + t.name() + "' keeps its data in an external file, which the importer does not read",
           "export the model as a single file (torch.onnx.export without external data)");
  const int64_t n = c.count();
  const bool raw = t.has_raw_data();
  auto sizeCheck = [&](int64_t have) {
    if (have != n)
      failAt("onnx.parse", file, "initializer '" + t.name() + "'",
             "tensor '" + t.name() + "' holds " + std::to_string(have) + " values, its shape needs " + std::to_string(n),
             "the file is damaged: re-export the model");
  };
  switch (t.data_type()) {
    case ::onnx::TensorProto::FLOAT:
      if (raw) c.f = rawAs<float>(t.raw_data(), n, file, t.name());
      else { sizeCheck(t.float_data_size()); c.f.assign(t.float_data().begin(), t.float_data().end()); }
      break;
    case ::onnx::TensorProto::DOUBLE: {
      std::vector<double> d;
      if (raw) d = rawAs<double>(t.raw_data(), n, file, t.name());
      else { sizeCheck(t.double_data_size()); d.assign(t.double_data().begin(), t.double_data().end()); }
      c.f.assign(d.begin(), d.end());
      break;
    }
    case ::onnx::TensorProto::INT64:
      c.isFloat = false;
      if (raw) c.i = rawAs<int64_t>(t.raw_data(), n, file, t.name());
      else { sizeCheck(t.int64_data_size()); c.i.assign(t.int64_data().begin(), t.int64_data().end()); }
      break;
    case ::onnx::TensorProto::INT8:
    case ::onnx::TensorProto::UINT8: {  // quantized weights and zero points (QuantizedGraph.cpp)
      c.isFloat = false;
      const bool u = t.data_type() == ::onnx::TensorProto::UINT8;
      if (raw) {
        if (static_cast<int64_t>(t.raw_data().size()) != n) sizeCheck(static_cast<int64_t>(t.raw_data().size()));
        c.i.reserve(static_cast<size_t>(n));
        for (char b : t.raw_data()) c.i.push_back(u ? static_cast<int64_t>(static_cast<uint8_t>(b)) : static_cast<int64_t>(static_cast<int8_t>(b)));
      } else {
        sizeCheck(t.int32_data_size());
        c.i.assign(t.int32_data().begin(), t.int32_data().end());
      }
      break;
    }
    case ::onnx::TensorProto::INT32: {
      c.isFloat = false;
      std::vector<int32_t> v;
      if (raw) v = rawAs<int32_t>(t.raw_data(), n, file, t.name());
      else { sizeCheck(t.int32_data_size()); v.assign(t.int32_data().begin(), t.int32_data().end()); }
      c.i.assign(v.begin(), v.end());
      break;
    }
    default: return std::nullopt;
  }
  c.elemType = t.data_type();
  return c;
}

namespace {

bool isFloatType(int32_t elemType) {
  return elemType == ::onnx::TensorProto::FLOAT || elemType == ::onnx::TensorProto::DOUBLE ||
         elemType == ::onnx::TensorProto::FLOAT16 || elemType == ::onnx::TensorProto::BFLOAT16;
}

// Records the shape of a value when every dimension is a positive number.
void recordValue(const ::onnx::ValueInfoProto& v, Graph& g) {
  if (!v.has_type() || !v.type().has_tensor_type()) return;
  const auto& tt = v.type().tensor_type();
  g.floatTensor[v.name()] = isFloatType(tt.elem_type());
  if (!tt.has_shape()) return;
  Shape s;
  for (const auto& d : tt.shape().dim()) {
    if (!d.has_dim_value() || d.dim_value() <= 0) return;
    s.push_back(d.dim_value());
  }
  g.shapes[v.name()] = s;
}

// "missing" or "zero" when a graph input's shape is not fully known, else empty.
std::string inputShapeProblem(const ::onnx::ValueInfoProto& v) {
  if (!v.has_type() || !v.type().has_tensor_type() || !v.type().tensor_type().has_shape()) return "has no shape";
  for (int i = 0; i < v.type().tensor_type().shape().dim_size(); ++i) {
    const auto& d = v.type().tensor_type().shape().dim(i);
    if (d.has_dim_param()) return "has a symbolic dimension '" + d.dim_param() + "' (axis " + std::to_string(i) + ")";
    if (!d.has_dim_value()) return "has a missing dimension (axis " + std::to_string(i) + ")";
    if (d.dim_value() <= 0) return "has a zero-sized dimension (axis " + std::to_string(i) + ")";
    if (d.dim_value() > workload::kMaxDim)
      return "has a dimension of " + std::to_string(d.dim_value()) + " (axis " + std::to_string(i) + "), above 2^31";
  }
  std::vector<int64_t> dims;
  for (const auto& d : v.type().tensor_type().shape().dim()) dims.push_back(d.dim_value());
  if (auto n = workload::checkedProduct(dims); !n || *n > workload::kMaxCount)
    return "has more than 2^48 elements";
  return {};
}

// A graph input's shape as the file declares it: [batch, 3, 224, 224] (a symbolic dimension by its
// name, a missing one as D<axis>); asFlag: the --input-shape value to fill in, BATCH,3,224,224.
std::string declaredShapeText(const ::onnx::ValueInfoProto& v, bool asFlag = false) {
  if (!v.has_type() || !v.type().has_tensor_type() || !v.type().tensor_type().has_shape())
    return asFlag ? "D0,D1,..." : "(no shape)";
  std::string s;
  const auto& shape = v.type().tensor_type().shape();
  for (int i = 0; i < shape.dim_size(); ++i) {
    const auto& d = shape.dim(i);
    std::string t = d.has_dim_value() ? std::to_string(d.dim_value()) : d.has_dim_param() && !d.dim_param().empty() ? d.dim_param() : "D" + std::to_string(i);
    if (asFlag && !d.has_dim_value())
      for (auto& c : t) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    s += (i ? (asFlag ? "," : ", ") : "") + t;
  }
  return asFlag ? s : "[" + s + "]";
}

Attr readAttr(const ::onnx::AttributeProto& a, const std::string& file) {
  Attr r;
  r.i = a.i();
  r.f = a.f();
  r.s = a.s();
  r.ints.assign(a.ints().begin(), a.ints().end());
  if (a.has_t()) r.t = readTensor(a.t(), file);
  return r;
}

std::string nodeLabel(const ::onnx::NodeProto& n, int index) {
  return "node '" + (n.name().empty() ? "#" + std::to_string(index) : n.name()) + "' (" + n.op_type() + ")";
}

// Input and output counts against the op's schema (the version the model's opset selects, else
// the newest), before anything indexes a node's inputs.
void checkArity(const ::onnx::NodeProto& n, int index, int64_t opset, const std::string& file) {
  const auto* schema = ::onnx::OpSchemaRegistry::Schema(n.op_type(), static_cast<int>(opset), "");
  if (!schema) schema = ::onnx::OpSchemaRegistry::Schema(n.op_type(), "");
  if (!schema) return;  // not an ONNX op: the lowering reports it as unsupported
  auto outside = [](int count, int lo, int hi) { return count < lo || count > hi; };
  auto range = [](int lo, int hi) {
    return lo == hi ? std::to_string(lo) : std::to_string(lo) + (hi > 1000 ? " or more" : " to " + std::to_string(hi));
  };
  if (outside(n.input_size(), schema->min_input(), schema->max_input()))
    failAt("onnx.arity", file, nodeLabel(n, index),
           n.op_type() + " takes " + range(schema->min_input(), schema->max_input()) + " inputs, this node has " +
               std::to_string(n.input_size()),
           "the file is damaged or hand-made wrongly: re-export the model");
  if (outside(n.output_size(), schema->min_output(), schema->max_output()))
    failAt("onnx.arity", file, nodeLabel(n, index),
           n.op_type() + " has " + range(schema->min_output(), schema->max_output()) + " outputs, this node has " +
               std::to_string(n.output_size()),
           "the file is damaged or hand-made wrongly: re-export the model");
}

// Attribute values ONNX forbids and libonnx's shape inference divides by or indexes with.
void checkAttributeRanges(const ::onnx::NodeProto& n, int index, const std::string& file) {
  for (const auto& a : n.attribute()) {
    const std::string& k = a.name();
    const bool positive = k == "strides" || k == "dilations" || k == "kernel_shape" || k == "group" || k == "blocksize";
    const bool nonNegative = k == "pads" && n.op_type() != "Pad";  // Pad-2's pads may crop (negative)
    if (!positive && !nonNegative) continue;
    std::vector<int64_t> values(a.ints().begin(), a.ints().end());
    if (a.type() == ::onnx::AttributeProto::INT) values.push_back(a.i());
    for (int64_t v : values)
      if (positive ? v < 1 : v < 0)
        failAt("onnx.bad-attribute", file, nodeLabel(n, index),
               "attribute '" + k + "' is " + std::to_string(v) + "; ONNX requires it to be " + (positive ? "at least 1" : "non-negative"),
               "the file is damaged or hand-made wrongly: re-export the model");
  }
}

// The dimensions of `name` when they are known before shape inference: an initializer, a graph
// input with a fixed shape, a Constant's tensor, or one of those through shape-preserving ops
// and Transpose.
std::optional<std::vector<int64_t>> staticDims(const ::onnx::GraphProto& graph, const std::string& name, int depth = 0) {
  if (depth > 16) return std::nullopt;
  for (const auto& t : graph.initializer())
    if (t.name() == name) return std::vector<int64_t>(t.dims().begin(), t.dims().end());
  for (const auto& v : graph.input()) {  // a parameter exported without values: its declared shape
    if (v.name() != name) continue;
    if (!v.type().has_tensor_type() || !v.type().tensor_type().has_shape()) return std::nullopt;
    std::vector<int64_t> dims;
    for (const auto& d : v.type().tensor_type().shape().dim()) {
      if (!d.has_dim_value()) return std::nullopt;
      dims.push_back(d.dim_value());
    }
    return dims;
  }
  for (const auto& n : graph.node()) {
    if (n.output_size() == 0 || n.output(0) != name) continue;
    if (n.op_type() == "Constant") {
      for (const auto& a : n.attribute())
        if (a.name() == "value" && a.has_t()) return std::vector<int64_t>(a.t().dims().begin(), a.t().dims().end());
      return std::nullopt;
    }
    if (n.input_size() == 0) return std::nullopt;
    if (n.op_type() == "Identity" || n.op_type() == "Cast" || n.op_type() == "Dropout")
      return staticDims(graph, n.input(0), depth + 1);
    if (n.op_type() == "Transpose") {
      auto d = staticDims(graph, n.input(0), depth + 1);
      if (!d) return std::nullopt;
      std::vector<int64_t> perm;
      for (const auto& a : n.attribute())
        if (a.name() == "perm") perm.assign(a.ints().begin(), a.ints().end());
      if (perm.empty())
        for (size_t i = d->size(); i-- > 0;) perm.push_back(static_cast<int64_t>(i));
      if (perm.size() != d->size()) return std::nullopt;
      std::vector<int64_t> out;
      for (int64_t p : perm) {
        if (p < 0 || p >= static_cast<int64_t>(d->size())) return std::nullopt;
        out.push_back((*d)[static_cast<size_t>(p)]);
      }
      return out;
    }
    return std::nullopt;
  }
  return std::nullopt;
}

// Conv, ConvInteger and QLinearConv without kernel_shape: pin it from the weight (see the head
// comment), or refuse when the weight's shape is not known before shape inference.
void pinKernelShape(::onnx::GraphProto& graph, int index, const std::string& file) {
  auto& n = *graph.mutable_node(index);
  const std::string& op = n.op_type();
  const int weightSlot = op == "Conv" || op == "ConvInteger" ? 1 : op == "QLinearConv" ? 3 : -1;
  if (weightSlot < 0 || n.input_size() <= weightSlot) return;
  for (const auto& a : n.attribute())
    if (a.name() == "kernel_shape") return;
  auto dims = staticDims(graph, n.input(weightSlot));
  if (!dims)
    failAt("onnx.shape", file, nodeLabel(n, index),
           "the weight '" + n.input(weightSlot) + "' is computed by the graph and the node has no kernel_shape, so "
           "its rank cannot be checked against the input before shape inference",
           "export with constant weights (torch.onnx.export(..., do_constant_folding=True)) or set kernel_shape");
  if (dims->size() < 3)
    failAt("onnx.shape", file, nodeLabel(n, index),
           "the weight '" + n.input(weightSlot) + "' has rank " + std::to_string(dims->size()) +
               "; a convolution weight has rank 3 or more (M, C/group, kernel...)",
           "the file is damaged or hand-made wrongly: re-export the model");
  auto* a = n.add_attribute();
  a->set_name("kernel_shape");
  a->set_type(::onnx::AttributeProto::INTS);
  for (size_t i = 2; i < dims->size(); ++i) a->add_ints((*dims)[i]);
}

// --input-shape: a graph input's symbolic (or missing) dimensions get the given values; a fixed
// dimension must already equal its value (the graph's computed constants were traced with it).
void applyInputShapes(::onnx::GraphProto& graph, const InputShapes& shapes, const std::string& file) {
  if (shapes.empty()) return;
  std::set<std::string> initNames;
  for (const auto& t : graph.initializer()) initNames.insert(t.name());
  // Graph inputs that are not initializers; those with a symbolic or missing dimension first in
  // the hint. A shapes-only export (export_params=False) lists every parameter as a graph input
  // too, each with a fixed shape: the one input with a symbolic dimension is the model's.
  std::vector<::onnx::ValueInfoProto*> data, symbolic;
  for (auto& v : *graph.mutable_input())
    if (!initNames.count(v.name())) {
      data.push_back(&v);
      bool open = !v.type().tensor_type().has_shape();
      for (const auto& d : v.type().tensor_type().shape().dim()) open = open || !d.has_dim_value();
      if (open) symbolic.push_back(&v);
    }
  std::string names;
  for (const auto* list : {&symbolic, &data})
    for (const auto* v : *list)
      if (names.find("'" + v->name() + "'") == std::string::npos && std::count(names.begin(), names.end(), ',') < 7)
        names += (names.empty() ? "'" : ", '") + v->name() + "'";
  if (data.size() > 8) names += ", ... " + std::to_string(data.size()) + " in all";
  const std::string hint = "give --input-shape NAME=D0,D1,... for a graph input (" + names + ")";
  for (const auto& [name, dims] : shapes) {
    ::onnx::ValueInfoProto* v = nullptr;
    if (name.empty() && data.size() == 1) v = data[0];
    else if (name.empty() && symbolic.size() == 1) v = symbolic[0];
    for (auto* d : data)
      if (d->name() == name) v = d;
    if (!v)
      failAt("onnx.input-shape", file, "graph input '" + name + "'",
             name.empty() ? "--input-shape without a name needs a model with exactly one input, or exactly one with a symbolic "
                            "dimension; it has " + std::to_string(data.size()) + " inputs, " + std::to_string(symbolic.size()) +
                                " with a symbolic dimension"
                          : "the model has no graph input '" + name + "'",
             hint);
    auto* tt = v->mutable_type()->mutable_tensor_type();
    const std::string where = "graph input '" + v->name() + "'";
    if (tt->has_shape() && tt->shape().dim_size() != static_cast<int>(dims.size()))
      failAt("onnx.input-shape", file, where,
             "--input-shape gives " + std::to_string(dims.size()) + " dimensions, the input has " + std::to_string(tt->shape().dim_size()),
             hint);
    for (size_t i = 0; i < dims.size(); ++i) {
      if (dims[i] < 1 || dims[i] > workload::kMaxDim)
        failAt("onnx.input-shape", file, where, "--input-shape dimension " + std::to_string(i) + " is " + std::to_string(dims[i]) +
                                                    "; it must be 1 to 2^31", hint);
      if (tt->has_shape() && tt->shape().dim(static_cast<int>(i)).has_dim_value() &&
          tt->shape().dim(static_cast<int>(i)).dim_value() != dims[i])
        failAt("onnx.input-shape", file, where,
               "dimension " + std::to_string(i) + " of the input is fixed at " + std::to_string(tt->shape().dim(static_cast<int>(i)).dim_value()) +
                   " in the file, --input-shape gives " + std::to_string(dims[i]) +
                   " (only symbolic dimensions, the dynamic_axes of the export, can be set)",
               "export with dynamic_axes for that dimension, or give the file's value");
    }
    auto* shape = tt->mutable_shape();
    while (shape->dim_size() < static_cast<int>(dims.size())) shape->add_dim();
    for (size_t i = 0; i < dims.size(); ++i) shape->mutable_dim(static_cast<int>(i))->set_dim_value(dims[i]);
  }
}

Node toNode(const ::onnx::NodeProto& p, const std::string& file) {
  Node nd;
  nd.name = p.name();
  nd.op = p.op_type();
  nd.inputs.assign(p.input().begin(), p.input().end());
  nd.outputs.assign(p.output().begin(), p.output().end());
  for (const auto& a : p.attribute()) nd.attrs[a.name()] = readAttr(a, file);
  return nd;
}

// Full shapes ONNX shape inference knows (graph inputs, value_info, outputs, initializers).
std::map<std::string, Shape> knownShapes(const ::onnx::GraphProto& graph) {
  std::map<std::string, Shape> known;
  auto add = [&](const ::onnx::ValueInfoProto& v) {
    if (!v.has_type() || !v.type().has_tensor_type() || !v.type().tensor_type().has_shape()) return;
    Shape s;
    for (const auto& d : v.type().tensor_type().shape().dim()) {
      if (!d.has_dim_value() || d.dim_value() <= 0) return;
      s.push_back(d.dim_value());
    }
    known[v.name()] = s;
  };
  for (const auto& v : graph.input()) add(v);
  for (const auto& v : graph.value_info()) add(v);
  for (const auto& v : graph.output()) add(v);
  for (const auto& t : graph.initializer()) known[t.name()] = Shape(t.dims().begin(), t.dims().end());
  return known;
}

// Evaluates the small constant subgraphs of a graph (shapes of tensors ONNX knows, Gather,
// Concat, Unsqueeze, Slice, Cast, arithmetic, ...) with foldConstant. Results and inputs above
// kMaxShapeFoldValues are left alone (weights are not copied here; the lowering folds those).
class ShapeFolder {
 public:
  static constexpr int64_t kMaxShapeFoldValues = int64_t{1} << 16;
  static constexpr int kMaxDepth = 64;

  ShapeFolder(const ::onnx::GraphProto& g, std::map<std::string, Shape> known, const std::string& file)
      : g_(g), known_(std::move(known)), file_(file) {
    for (int i = 0; i < g.node_size(); ++i)
      for (const auto& o : g.node(i).output())
        if (!o.empty()) producer_[o] = i;
    for (const auto& t : g.initializer()) init_[t.name()] = &t;
  }

  const Const* eval(const std::string& t, int depth = 0) {
    if (auto it = memo_.find(t); it != memo_.end()) return it->second ? &*it->second : nullptr;
    if (depth > kMaxDepth) return nullptr;
    std::optional<Const> r = compute(t, depth);
    if (r && r->count() > kMaxShapeFoldValues) r.reset();
    return (memo_[t] = std::move(r)) ? &*memo_[t] : nullptr;
  }

 private:
  std::optional<Const> compute(const std::string& t, int depth) {
    if (auto it = init_.find(t); it != init_.end()) {
      auto n = workload::checkedProduct(std::vector<int64_t>(it->second->dims().begin(), it->second->dims().end()));
      if (!n || *n > kMaxShapeFoldValues) return std::nullopt;
      return readTensor(*it->second, file_);
    }
    auto p = producer_.find(t);
    if (p == producer_.end()) return std::nullopt;
    const ::onnx::NodeProto& np = g_.node(p->second);
    if (np.output_size() != 1 || np.output(0) != t) return std::nullopt;
    static const std::set<std::string> foldable = {
        "Shape", "Identity", "Cast", "Sqrt", "Neg", "Reciprocal", "Add", "Sub", "Mul", "Div", "Equal", "Pow",
        "Where", "ConstantOfShape", "Gather", "Unsqueeze", "Squeeze", "Reshape", "Flatten", "Concat", "Transpose",
        "Slice", "Constant"};
    if (!foldable.count(np.op_type())) return std::nullopt;
    Node n = toNode(np, file_);
    if (n.op == "Constant") {
      for (auto& [k, a] : n.attrs) {
        Const c;
        if (k == "value" && a.t) c = *a.t;
        else if (k == "value_int") { c.isFloat = false; c.i = {a.i}; }
        else if (k == "value_ints") { c.dims = {static_cast<int64_t>(a.ints.size())}; c.isFloat = false; c.i = a.ints; }
        else if (k == "value_float") c.f = {a.f};
        else continue;
        return c;
      }
      return std::nullopt;
    }
    if (n.op == "Shape") {
      auto s = known_.find(n.inputs[0]);
      if (s == known_.end()) return std::nullopt;
      return foldConstant(n, {nullptr}, &s->second, file_);
    }
    std::vector<const Const*> ins;
    for (const auto& in : n.inputs) {
      if (in.empty()) { ins.push_back(nullptr); continue; }
      const Const* c = eval(in, depth + 1);
      if (!c) return std::nullopt;
      ins.push_back(c);
    }
    return foldConstant(n, ins, nullptr, file_);
  }

  const ::onnx::GraphProto& g_;
  std::map<std::string, Shape> known_;
  const std::string& file_;
  std::map<std::string, int> producer_;
  std::map<std::string, const ::onnx::TensorProto*> init_;
  std::map<std::string, std::optional<Const>> memo_;
};

void runShapeInference(::onnx::ModelProto& m, const std::string& file) {
  try {
    ::onnx::ShapeInferenceOptions opts;
    opts.check_type = false;
    opts.error_mode = 0;
    ::onnx::shape_inference::InferShapes(m, ::onnx::OpSchemaRegistry::Instance(), opts);
  } catch (const std::exception& e) {
    failAt("onnx.shape", file, "", std::string("ONNX shape inference failed: ") + e.what(),
           "check the model with onnx.checker.check_model(model, full_check=True)");
  }
}

// Shape inference, then, while some node's output shape is unknown and one of its inputs is a
// computed constant (a Reshape target from Shape/Gather/Concat of known shapes, a Slice bound):
// that input becomes an initializer holding the folded value, and shape inference runs again
// (each round settles every shape up to the next such node). Returns the folded initializers'
// names (not the model's weights).
// The output shape of an Einsum whose input shapes are known: libonnx 1.12's inference gives
// only its rank (MaxViT's q·kᵀ), which left every shape after it unknown, and with them the
// broadcast that tells a parameter exported without values from a model input. Each output
// letter takes the size it has in the inputs; an equation with "..." or an implicit output, or a
// letter of two sizes, is left to ONNX. Returns whether a shape was added.
bool completeEinsumShapes(::onnx::GraphProto& graph, const std::map<std::string, Shape>& known) {
  bool added = false;
  for (const auto& n : graph.node()) {
    if (n.op_type() != "Einsum" || n.output_size() != 1 || known.count(n.output(0))) continue;
    std::string eq;
    for (const auto& a : n.attribute())
      if (a.name() == "equation") eq = a.s();
    eq.erase(std::remove(eq.begin(), eq.end(), ' '), eq.end());
    const size_t arrow = eq.find("->");
    if (arrow == std::string::npos || eq.find('.') != std::string::npos) continue;
    std::vector<std::string> terms;
    std::stringstream lhs(eq.substr(0, arrow));
    for (std::string t; std::getline(lhs, t, ',');) terms.push_back(t);
    if (static_cast<int>(terms.size()) != n.input_size()) continue;
    std::map<char, int64_t> size;
    bool ok = true;
    for (int k = 0; k < n.input_size() && ok; ++k) {
      auto it = known.find(n.input(k));
      ok = it != known.end() && it->second.size() == terms[static_cast<size_t>(k)].size();
      for (size_t d = 0; ok && d < it->second.size(); ++d) {
        auto [e, fresh] = size.emplace(terms[static_cast<size_t>(k)][d], it->second[d]);
        ok = fresh || e->second == it->second[d];
      }
    }
    Shape out;
    for (char c : eq.substr(arrow + 2)) {
      auto it = size.find(c);
      ok = ok && it != size.end();
      if (ok) out.push_back(it->second);
    }
    if (!ok) continue;
    ::onnx::ValueInfoProto* v = nullptr;
    for (auto& e : *graph.mutable_value_info())
      if (e.name() == n.output(0)) v = &e;
    if (!v) {
      v = graph.add_value_info();
      v->set_name(n.output(0));
    }
    auto* t = v->mutable_type()->mutable_tensor_type();
    if (!t->has_elem_type() || t->elem_type() == 0) t->set_elem_type(::onnx::TensorProto::FLOAT);
    t->clear_shape();
    for (int64_t d : out) t->mutable_shape()->add_dim()->set_dim_value(d);
    added = true;
  }
  return added;
}

std::set<std::string> inferShapesFolding(::onnx::ModelProto& m, const std::string& file) {
  std::set<std::string> folded;
  auto* graph = m.mutable_graph();
  std::set<std::string> taken, inits;
  for (const auto& t : graph->initializer()) {
    taken.insert(t.name());
    inits.insert(t.name());
  }
  for (const auto& v : graph->input()) taken.insert(v.name());
  for (const auto& n : graph->node())
    for (const auto& o : n.output()) taken.insert(o);
  for (int round = 0;; ++round) {
    runShapeInference(m, file);
    if (round == 64) break;
    auto known = knownShapes(*graph);
    ShapeFolder folder(*graph, known, file);
    std::map<std::string, std::string> replaced;  // computed tensor -> its folded initializer
    for (int i = 0; i < graph->node_size(); ++i) {
      const auto& n = graph->node(i);
      bool unknown = false;
      for (const auto& o : n.output()) unknown = unknown || (!o.empty() && !known.count(o));
      if (!unknown) continue;
      for (int k = 0; k < n.input_size(); ++k) {
        const std::string& in = n.input(k);
        if (in.empty() || inits.count(in) || replaced.count(in)) continue;
        const Const* c = folder.eval(in);
        if (!c || !c->hasData()) continue;
        std::string name = in + "__folded";
        while (taken.count(name)) name += "_";
        taken.insert(name);
        auto* t = graph->add_initializer();
        t->set_name(name);
        for (int64_t d : c->dims) t->add_dims(d);
        if (c->isFloat) {
          t->set_data_type(::onnx::TensorProto::FLOAT);
          for (float v : c->f) t->add_float_data(v);
        } else {
          t->set_data_type(::onnx::TensorProto::INT64);
          for (int64_t v : c->i) t->add_int64_data(v);
        }
        replaced[in] = name;
        folded.insert(name);
        inits.insert(name);
      }
    }
    const bool einsum = completeEinsumShapes(*graph, known);
    if (replaced.empty() && !einsum) break;
    for (auto& n : *graph->mutable_node()) {
      bool unknown = false;
      for (const auto& o : n.output()) unknown = unknown || (!o.empty() && !known.count(o));
      if (!unknown) continue;
      for (int k = 0; k < n.input_size(); ++k)
        if (auto it = replaced.find(n.input(k)); it != replaced.end()) n.set_input(k, it->second);
    }
  }
  return folded;
}

Graph build(::onnx::ModelProto& m, const std::string& file, const InputShapes& inputShapes) {
  if (!m.has_graph() || m.graph().node_size() == 0)
    failAt("onnx.parse", file, "", "the file is not an ONNX model (no graph with nodes)",
           "pass a model written by torch.onnx.export or onnx.save");
  if (m.ir_version() <= 0 || m.opset_import_size() == 0)
    failAt("onnx.parse", file, "", "the file is not an ONNX model (no IR version or opset import)",
           "pass a model written by torch.onnx.export or onnx.save");
  Graph g;
  g.file = file;
  g.name = m.graph().name();
  for (const auto& o : m.opset_import())
    if (o.domain().empty() || o.domain() == "ai.onnx") g.opset = o.version();
  if (g.opset <= 0)
    failAt("onnx.parse", file, "", "the model imports no default-domain (ai.onnx) opset", "re-export the model");

  auto* graph = m.mutable_graph();
  // Producers, definedness and a topological order (Kahn; ties by file order).
  std::set<std::string> defined;
  for (const auto& t : graph->initializer()) defined.insert(t.name());
  for (const auto& v : graph->input()) defined.insert(v.name());
  std::map<std::string, int> producer;
  const int n = graph->node_size();
  for (int i = 0; i < n; ++i)
    for (const auto& o : graph->node(i).output()) {
      if (o.empty()) continue;
      if (defined.count(o) || !producer.emplace(o, i).second)
        failAt("onnx.parse", file, nodeLabel(graph->node(i), i), "tensor '" + o + "' is produced twice",
               "an ONNX graph assigns each tensor once: re-export the model");
    }
  std::vector<std::vector<int>> consumers(static_cast<size_t>(n));
  std::vector<int> indegree(static_cast<size_t>(n), 0);
  for (int i = 0; i < n; ++i) {
    const auto& node = graph->node(i);
    if (node.op_type().empty())
      failAt("onnx.parse", file, nodeLabel(node, i), "a node has no op type", "re-export the model");
    for (const auto& in : node.input()) {
      if (in.empty() || defined.count(in)) continue;
      auto it = producer.find(in);
      if (it == producer.end())
        failAt("onnx.dangling", file, nodeLabel(node, i), "input '" + in + "' is not produced by any node, initializer or graph input",
               "the graph is incomplete: re-export the model");
      consumers[static_cast<size_t>(it->second)].push_back(i);
      ++indegree[static_cast<size_t>(i)];
    }
  }
  std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
  for (int i = 0; i < n; ++i)
    if (!indegree[static_cast<size_t>(i)]) ready.push(i);
  std::vector<int> order;
  while (!ready.empty()) {
    int i = ready.top();
    ready.pop();
    order.push_back(i);
    for (int c : consumers[static_cast<size_t>(i)])
      if (--indegree[static_cast<size_t>(c)] == 0) ready.push(c);
  }
  if (static_cast<int>(order.size()) != n) {
    int stuck = 0;
    while (!indegree[static_cast<size_t>(stuck)]) ++stuck;
    failAt("onnx.cycle", file, nodeLabel(graph->node(stuck), stuck),
           "the graph has a cycle through " + nodeLabel(graph->node(stuck), stuck),
           "a network must be a directed acyclic graph: re-export the model");
  }
  // Reorder the nodes (shape inference reads them in order).
  {
    google::protobuf::RepeatedPtrField<::onnx::NodeProto> sorted;
    for (int i : order) *sorted.Add() = graph->node(i);
    graph->mutable_node()->Swap(&sorted);
  }
  // A quantized graph (QDQ, QOperator) becomes a float graph carrying its scales, before the
  // domain check (com.microsoft QLinearAdd) and shape inference (integer tensor types).
  g.quant = rewriteQuantized(*graph, file);
  for (int i = 0; i < graph->node_size(); ++i) {
    const auto& p = graph->node(i);
    if (!p.domain().empty() && p.domain() != "ai.onnx")
      failAt("onnx.unsupported-op", file, nodeLabel(p, i),
             "op '" + p.domain() + "::" + p.op_type() + "' is from a custom domain",
             "export with standard ONNX ops only");
    checkArity(p, i, g.opset, file);
    checkAttributeRanges(p, i, file);
    pinKernelShape(*graph, i, file);
  }
  for (const auto& t : graph->initializer()) checkTensorSize(t, file);
  applyInputShapes(*graph, inputShapes, file);
  // Graph inputs that are data (not initializers) must have a complete, positive shape. Every
  // input still open is named in the one diagnostic, each with its shape as the file declares it,
  // so that a model with several inputs needs one run to learn every --input-shape it takes.
  std::set<std::string> initNames;
  for (const auto& t : graph->initializer()) initNames.insert(t.name());
  const ::onnx::ValueInfoProto* firstOpen = nullptr;
  std::string firstProblem, open, flags;
  int openCount = 0;
  for (int i = 0; i < graph->input_size(); ++i) {
    const auto& v = graph->input(i);
    if (initNames.count(v.name())) continue;
    g.inputs.push_back(v.name());
    std::string problem = inputShapeProblem(v);
    if (problem.empty()) continue;
    if (problem.find("symbolic") == std::string::npos && problem.find("missing") == std::string::npos &&
        problem.find("no shape") == std::string::npos)  // zero-sized or too large: --input-shape cannot help
      failAt("onnx.shape", file, "graph input '" + v.name() + "'", "graph input '" + v.name() + "' " + problem,
             "export with a valid input shape");
    if (!firstOpen) firstOpen = &v, firstProblem = problem;
    ++openCount;
    open += (open.empty() ? "" : ", ") + ("'" + v.name() + "' " + declaredShapeText(v));
    flags += " --input-shape " + v.name() + "=" + declaredShapeText(v, true);
  }
  if (firstOpen)
    failAt("onnx.shape", file, "graph input '" + firstOpen->name() + "'",
           "graph input '" + firstOpen->name() + "' " + firstProblem +
               (openCount > 1 ? "; " + std::to_string(openCount) + " graph inputs have an open shape: " + open
                              : " (declared " + declaredShapeText(*firstOpen) + ")"),
           std::string(openCount > 1 ? "give the shape of each with" : "give its shape with") + flags +
               " (each name in capitals is a symbolic dimension, e.g. the dynamic batch: replace it by a number), or export "
               "with fixed input shapes");
  const std::set<std::string> folded = inferShapesFolding(m, file);
  for (const auto& v : graph->input()) recordValue(v, g);
  for (const auto& v : graph->value_info()) recordValue(v, g);
  for (const auto& v : graph->output()) {
    recordValue(v, g);
    g.outputs.push_back(v.name());
  }
  // Each initializer's bytes are released from the protobuf as soon as they are converted: the
  // weights are held once, not twice (a ResNet-50 import peaks near 1x its file, not 3x).
  for (auto& t : *graph->mutable_initializer()) {
    g.hasInitializers = g.hasInitializers || !folded.count(t.name());
    auto c = readTensor(t, file);
    Shape dims(t.dims().begin(), t.dims().end());
    g.shapes[t.name()] = dims;
    g.floatTensor[t.name()] = isFloatType(t.data_type());
    if (c) g.initializers.emplace(t.name(), std::move(*c));
    std::string().swap(*t.mutable_raw_data());
    t.clear_float_data();
    t.clear_double_data();
    t.clear_int64_data();
    t.clear_int32_data();
  }
  for (int i = 0; i < graph->node_size(); ++i) g.nodes.push_back(toNode(graph->node(i), file));
  return g;
}

}  // namespace

int64_t Node::attrInt(const std::string& k, int64_t def) const {
  auto it = attrs.find(k);
  return it == attrs.end() ? def : it->second.i;
}
float Node::attrFloat(const std::string& k, float def) const {
  auto it = attrs.find(k);
  return it == attrs.end() ? def : it->second.f;
}
std::string Node::attrString(const std::string& k, const std::string& def) const {
  auto it = attrs.find(k);
  return it == attrs.end() ? def : it->second.s;
}
std::vector<int64_t> Node::attrInts(const std::string& k) const {
  auto it = attrs.find(k);
  return it == attrs.end() ? std::vector<int64_t>{} : it->second.ints;
}
std::string Node::label() const { return "node '" + name + "' (" + op + ")"; }

namespace {

/// Parses with `parse` (into the message, false on a protobuf error) and builds the graph; the
/// diagnostics of parseGraph.
template <class Parse>
diag::Expected<Graph> parseWith(Parse&& parse, bool empty, const std::string& file, const InputShapes& shapes) {
  return diag::capture([&]() -> Graph {
    ::onnx::ModelProto m;
    bool ok = false;
    try {
      ok = !empty && parse(m);
    } catch (const std::exception&) {
      ok = false;
    }
    if (!ok)
      failAt("onnx.parse", file, "", empty ? "the file is empty" : "the file is not a valid ONNX protobuf (truncated or another format)",
             "pass a complete .onnx file written by torch.onnx.export or onnx.save");
    try {
      return build(m, file, shapes);
    } catch (const diag::DiagnosticError&) {
      throw;
    } catch (const std::exception& e) {
      failAt("onnx.parse", file, "", std::string("malformed ONNX model: ") + e.what(), "re-export the model");
    }
  });
}

}  // namespace

diag::Expected<Graph> parseGraph(const std::string& bytes, const std::string& file, const InputShapes& shapes) {
  return parseWith([&](::onnx::ModelProto& m) { return m.ParseFromString(bytes); }, bytes.empty(), file, shapes);
}

diag::Expected<Graph> readGraph(const std::filesystem::path& path, const InputShapes& shapes) {
  // Parsed straight from the file: a model with weights is ~100 MB (ResNet-50), and reading it
  // into a string first cost a copy and its page faults (docs/performance.md#onnx-import).
  std::error_code ec;
  const bool regular = std::filesystem::is_regular_file(path, ec);
  std::ifstream in;
  if (regular) in.open(path, std::ios::binary);
  if (!regular || !in) {
    auto bytes = io::readTextFile(path);  // its io.open diagnostic; or a non-regular file's bytes
    if (!bytes) return bytes.error();
    return parseGraph(*bytes, path.string(), shapes);
  }
  const bool empty = std::filesystem::file_size(path, ec) == 0;
  return parseWith([&](::onnx::ModelProto& m) { return m.ParseFromIstream(&in); }, empty, path.string(), shapes);
}

}  // namespace dnnchip::onnx::detail
