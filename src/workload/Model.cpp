// Model: JSON parsing, validation, topological ordering and shape inference.
// Parse (field types and ranges, located by JSON pointer) -> finalize (names resolve, no cycle,
// shapes agree) -> use. Topological order is Kahn's algorithm with ties broken by file order, so
// a model already in order keeps it and the result is deterministic. Cost O(layers + edges).
// Size limits: a model input's dimension is at most kMaxDim, and every tensor, layer and model
// count (elements, parameters, MACs, vector ops) at most kMaxCount (Checked.h); products are
// formed with checked arithmetic, so an absurd size is model.too-large, never a wrapped number.

#include "dnnchip/workload/Model.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <queue>
#include <set>

#include "dnnchip/io/DataPaths.h"
#include "dnnchip/workload/Checked.h"

namespace dnnchip::workload {

namespace {

using io::Json;
using io::JsonView;

const std::vector<std::string> kCommonFields = {"name", "op", "inputs", "activation", "clip_min",
                                                "clip_max", "comment"};

std::vector<std::string> fieldsFor(OpKind op) {
  std::vector<std::string> f = kCommonFields;
  auto add = [&](std::initializer_list<const char*> more) { f.insert(f.end(), more.begin(), more.end()); };
  switch (op) {
    case OpKind::Conv2d: add({"out_channels", "kernel", "stride", "padding", "dilation", "groups", "bias"}); break;
    case OpKind::Fc: add({"out_features", "bias"}); break;
    case OpKind::MatMul: add({"transpose_b"}); break;
    case OpKind::MaxPool: add({"kernel", "stride", "padding", "ceil_mode"}); break;
    case OpKind::AvgPool: add({"kernel", "stride", "padding", "ceil_mode", "count_include_pad"}); break;
    case OpKind::Activation: add({"function", "min", "max"}); break;
    case OpKind::Concat: case OpKind::Softmax: case OpKind::Flatten: add({"axis"}); break;
    case OpKind::LayerNorm: add({"axis", "epsilon"}); break;
    case OpKind::Reshape: add({"shape"}); break;
    case OpKind::Transpose: add({"perm"}); break;
    default: break;
  }
  return f;
}

size_t expectedInputs(OpKind op) {
  switch (op) {
    case OpKind::MatMul: case OpKind::Add: case OpKind::Mul: return 2;
    case OpKind::Concat: return 0;  // one or more
    default: return 1;
  }
}

ActivationKind parseActivation(const JsonView& v) {
  auto a = activationFromName(v.asString());
  if (!a)
    v.fail("model.unknown-activation", "unknown activation \"" + v.asString() + "\"",
           "use one of: none, relu, relu6, clip, sigmoid, hardsigmoid, hardswish, gelu, tanh");
  return *a;
}

std::array<int64_t, 2> pair(const JsonView& v, int64_t min) {
  auto a = v.asIntArray(min, 1 << 20, 2);
  return {a[0], a[1]};
}

Layer parseLayer(const JsonView& j) {
  Layer L;
  L.name = j.at("name").asString();
  if (L.name.empty()) j.at("name").fail("model.bad-name", "layer name is empty", "give every layer a unique name");
  const JsonView opv = j.at("op");
  auto op = opFromName(opv.asString());
  if (!op)
    opv.fail("model.unknown-op", "unknown op \"" + opv.asString() + "\"",
             "use one of: conv2d, fc, matmul, maxpool, avgpool, global_avgpool, add, mul, activation, "
             "concat, softmax, layernorm, flatten, reshape, transpose");
  L.op = *op;
  j.rejectUnknown(fieldsFor(L.op));
  L.inputs = j.at("inputs").asStringArray();
  size_t want = expectedInputs(L.op);
  if ((want && L.inputs.size() != want) || (!want && L.inputs.empty()))
    j.at("inputs").fail("model.arity",
                        std::string(opName(L.op)) + " takes " + (want ? std::to_string(want) : "one or more") +
                            " input(s), found " + std::to_string(L.inputs.size()),
                        "list the right number of input tensors");
  if (auto a = j.find("activation")) L.activation = parseActivation(*a);
  if (auto v = j.find("clip_min")) L.clipMin = v->asNumber();
  if (auto v = j.find("clip_max")) L.clipMax = v->asNumber();
  switch (L.op) {
    case OpKind::Conv2d:
      L.outChannels = j.at("out_channels").asInt(1, 1 << 24);
      L.kernel = pair(j.at("kernel"), 1);
      if (auto v = j.find("stride")) L.stride = pair(*v, 1);
      if (auto v = j.find("dilation")) L.dilation = pair(*v, 1);
      if (auto v = j.find("padding")) {
        auto p = v->asIntArray(0, 1 << 16, 4);
        std::copy(p.begin(), p.end(), L.padding.begin());
      }
      if (auto v = j.find("groups")) L.groups = v->asInt(1, 1 << 24);
      if (auto v = j.find("bias")) L.bias = v->asBool();
      break;
    case OpKind::Fc:
      L.outFeatures = j.at("out_features").asInt(1, 1 << 24);
      if (auto v = j.find("bias")) L.bias = v->asBool();
      break;
    case OpKind::MatMul:
      L.bias = false;
      if (auto v = j.find("transpose_b")) L.transposeB = v->asBool();
      break;
    case OpKind::MaxPool:
    case OpKind::AvgPool:
      L.bias = false;
      L.kernel = pair(j.at("kernel"), 1);
      L.stride = L.kernel;
      if (auto v = j.find("stride")) L.stride = pair(*v, 1);
      if (auto v = j.find("padding")) {
        auto p = v->asIntArray(0, 1 << 16, 4);
        std::copy(p.begin(), p.end(), L.padding.begin());
      }
      if (auto v = j.find("ceil_mode")) L.ceilMode = v->asBool();
      if (auto v = j.find("count_include_pad")) L.countIncludePad = v->asBool();
      break;
    case OpKind::Activation: {
      L.bias = false;
      L.activation = parseActivation(j.at("function"));
      if (L.activation == ActivationKind::None)
        j.at("function").fail("model.unknown-activation", "an activation layer needs a function",
                              "use relu, relu6, clip, sigmoid, hardsigmoid, hardswish, silu, gelu or tanh");
      if (auto v = j.find("min")) L.clipMin = v->asNumber();
      if (auto v = j.find("max")) L.clipMax = v->asNumber();
      break;
    }
    case OpKind::Concat: L.bias = false; L.axis = j.has("axis") ? j.at("axis").asInt(-8, 8) : 1; break;
    case OpKind::Flatten: L.bias = false; L.axis = j.has("axis") ? j.at("axis").asInt(-8, 8) : 1; break;
    case OpKind::Softmax: L.bias = false; L.axis = j.has("axis") ? j.at("axis").asInt(-8, 8) : -1; break;
    case OpKind::LayerNorm:
      L.bias = false;
      L.axis = j.has("axis") ? j.at("axis").asInt(-8, 8) : -1;
      if (auto v = j.find("epsilon")) L.epsilon = v->asNumber(0.0, 1.0);
      break;
    case OpKind::Reshape: L.bias = false; L.targetShape = j.at("shape").asIntArray(-1, INT32_MAX); break;
    case OpKind::Transpose: L.bias = false; L.perm = j.at("perm").asIntArray(0, 7); break;
    default: L.bias = false; break;
  }
  if (L.clipMin > L.clipMax)
    j.fail("model.bad-param", "clip min is above clip max", "swap or correct the clip bounds");
  return L;
}

// ---- shape inference --------------------------------------------------------------------------

struct ShapeError {
  std::string message;
  std::string code = "model.shape";
};

[[noreturn]] void tooLarge(const std::string& what) {
  throw ShapeError{what + " exceeds 2^48, the largest count dnnchip handles", "model.too-large"};
}

int64_t normAxis(int64_t axis, size_t rank) {
  int64_t r = static_cast<int64_t>(rank);
  if (axis < -r || axis >= r) throw ShapeError{"axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(r)};
  return axis < 0 ? axis + r : axis;
}

int64_t pooledSize(int64_t in, int64_t padA, int64_t padB, int64_t k, int64_t stride, int64_t dil, bool ceil) {
  int64_t span = in + padA + padB - dil * (k - 1) - 1;
  if (span < 0) throw ShapeError{"the kernel (" + std::to_string(k) + ") is larger than the padded input (" +
                                 std::to_string(in + padA + padB) + ")"};
  int64_t out = ceil ? (span + stride - 1) / stride + 1 : span / stride + 1;
  // ONNX/PyTorch rule: the last window must start inside the input or left padding.
  if (ceil && (out - 1) * stride >= in + padA) --out;
  return out;
}

Shape broadcast(const Shape& a, const Shape& b) {
  size_t r = std::max(a.size(), b.size());
  Shape out(r);
  for (size_t i = 0; i < r; ++i) {
    int64_t da = i < r - a.size() ? 1 : a[i - (r - a.size())];
    int64_t db = i < r - b.size() ? 1 : b[i - (r - b.size())];
    if (da != db && da != 1 && db != 1)
      throw ShapeError{"shapes " + shapeText(a) + " and " + shapeText(b) + " do not broadcast"};
    out[i] = std::max(da, db);
  }
  return out;
}

Shape inferShape(const Layer& L) {
  const auto& in = L.inputShapes;
  auto need4d = [&](const Shape& s) {
    if (s.size() != 4) throw ShapeError{std::string(opName(L.op)) + " needs a 4-D NCHW input, got " + shapeText(s)};
  };
  switch (L.op) {
    case OpKind::Conv2d: {
      need4d(in[0]);
      if (in[0][1] % L.groups)
        throw ShapeError{"input channels " + std::to_string(in[0][1]) + " are not divisible by groups " + std::to_string(L.groups)};
      if (L.outChannels % L.groups)
        throw ShapeError{"out_channels " + std::to_string(L.outChannels) + " are not divisible by groups " + std::to_string(L.groups)};
      int64_t p = pooledSize(in[0][2], L.padding[0], L.padding[2], L.kernel[0], L.stride[0], L.dilation[0], false);
      int64_t q = pooledSize(in[0][3], L.padding[1], L.padding[3], L.kernel[1], L.stride[1], L.dilation[1], false);
      return {in[0][0], L.outChannels, p, q};
    }
    case OpKind::Fc: {
      if (in[0].empty()) throw ShapeError{"fc needs an input of rank 1 or more"};
      Shape out = in[0];
      out.back() = L.outFeatures;
      return out;
    }
    case OpKind::MatMul: {
      const Shape &a = in[0], &b = in[1];
      if (a.size() < 2 || b.size() < 2) throw ShapeError{"matmul needs operands of rank 2 or more"};
      int64_t kb = L.transposeB ? b.back() : b[b.size() - 2];
      int64_t nb = L.transposeB ? b[b.size() - 2] : b.back();
      if (a.back() != kb)
        throw ShapeError{"inner dimensions differ: " + shapeText(a) + " x " + shapeText(b) +
                         (L.transposeB ? " (B transposed)" : "")};
      Shape ba(a.begin(), a.end() - 2), bb(b.begin(), b.end() - 2);
      if (!bb.empty() && ba != bb)
        throw ShapeError{"batch dimensions differ: " + shapeText(a) + " x " + shapeText(b)};
      Shape out = ba;
      out.push_back(a[a.size() - 2]);
      out.push_back(nb);
      return out;
    }
    case OpKind::MaxPool:
    case OpKind::AvgPool: {
      need4d(in[0]);
      int64_t p = pooledSize(in[0][2], L.padding[0], L.padding[2], L.kernel[0], L.stride[0], 1, L.ceilMode);
      int64_t q = pooledSize(in[0][3], L.padding[1], L.padding[3], L.kernel[1], L.stride[1], 1, L.ceilMode);
      return {in[0][0], in[0][1], p, q};
    }
    case OpKind::GlobalAvgPool: need4d(in[0]); return {in[0][0], in[0][1], 1, 1};
    case OpKind::Add:
    case OpKind::Mul: {
      Shape out = broadcast(in[0], in[1]);
      if (L.op == OpKind::Add && out != in[0] && out != in[1])
        throw ShapeError{"add of " + shapeText(in[0]) + " and " + shapeText(in[1]) + " would grow both operands"};
      return out;
    }
    case OpKind::Activation:
    case OpKind::Softmax:
    case OpKind::LayerNorm:
      if (L.op != OpKind::Activation) normAxis(L.axis, in[0].size());
      return in[0];
    case OpKind::Concat: {
      int64_t ax = normAxis(L.axis, in[0].size());
      Shape out = in[0];
      for (size_t i = 1; i < in.size(); ++i) {
        if (in[i].size() != out.size()) throw ShapeError{"concat inputs have different ranks"};
        for (size_t d = 0; d < out.size(); ++d)
          if (static_cast<int64_t>(d) != ax && in[i][d] != out[d])
            throw ShapeError{"concat inputs " + shapeText(in[0]) + " and " + shapeText(in[i]) + " differ outside axis " + std::to_string(ax)};
        out[ax] = saturatingAdd(out[ax], in[i][ax]);
      }
      return out;
    }
    case OpKind::Flatten: {
      int64_t ax = L.axis < 0 ? L.axis + static_cast<int64_t>(in[0].size()) : L.axis;
      if (ax < 0 || ax > static_cast<int64_t>(in[0].size())) throw ShapeError{"flatten axis out of range"};
      int64_t a = 1, b = 1;
      for (int64_t d = 0; d < static_cast<int64_t>(in[0].size()); ++d) (d < ax ? a : b) = saturatingMul(d < ax ? a : b, in[0][d]);
      return {a, b};
    }
    case OpKind::Reshape: {
      Shape out = L.targetShape;
      int64_t known = 1, minusOne = -1;
      for (size_t d = 0; d < out.size(); ++d) {
        if (out[d] == -1) {
          if (minusOne >= 0) throw ShapeError{"reshape has more than one -1"};
          minusOne = static_cast<int64_t>(d);
        } else if (out[d] == 0) {
          throw ShapeError{"reshape dimension 0 is not allowed (write the size)"};
        } else {
          auto k = checkedMul(known, out[d]);
          if (!k || *k > kMaxCount) tooLarge("the product of the reshape's target dimensions");
          known = *k;
        }
      }
      int64_t total = elementCount(in[0]);
      if (minusOne >= 0) {
        if (total % known) throw ShapeError{"cannot reshape " + shapeText(in[0]) + " to " + shapeText(L.targetShape)};
        out[minusOne] = total / known;
      }
      if (elementCount(out) != total)
        throw ShapeError{"cannot reshape " + shapeText(in[0]) + " (" + std::to_string(total) + " elements) to " + shapeText(out)};
      return out;
    }
    case OpKind::Transpose: {
      if (L.perm.size() != in[0].size()) throw ShapeError{"perm has " + std::to_string(L.perm.size()) + " entries for a rank-" + std::to_string(in[0].size()) + " input"};
      std::vector<int64_t> seen(L.perm);
      std::sort(seen.begin(), seen.end());
      for (size_t i = 0; i < seen.size(); ++i)
        if (seen[i] != static_cast<int64_t>(i)) throw ShapeError{"perm is not a permutation"};
      Shape out(in[0].size());
      for (size_t i = 0; i < out.size(); ++i) out[i] = in[0][L.perm[i]];
      return out;
    }
  }
  throw ShapeError{"unsupported op"};
}

// Every count of a layer with inferred shapes must be at most kMaxCount (they saturate rather
// than wrap, so an overflowed one is INT64_MAX here).
void checkCounts(const Layer& L) {
  const std::pair<const char*, int64_t> counts[] = {
      {"the output's element count", L.outputElements()}, {"the inputs' element count", L.inputElements()},
      {"the MAC count", L.macs()},                        {"the weight count", L.weightElements()},
      {"the vector-op count", L.vectorOps()}};
  for (auto& [what, n] : counts)
    if (n > kMaxCount || n < 0) tooLarge(std::string(what) + " (" + (n == INT64_MAX ? "over 2^63" : std::to_string(n)) + ")");
}

}  // namespace

diag::Status Model::finalize(const std::string& file) {
  auto loc = [&](size_t original) { return diag::Location{file, "/layers/" + std::to_string(original)}; };
  if (layers.empty())
    return diag::error("model.empty", {file, "/layers"}, "the model has no layers", "add at least one layer");
  std::map<std::string, int> producer;  // tensor -> layer index (-1 model input)
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!producer.emplace(inputs[i].name, -1).second)
      return diag::error("model.duplicate-name", {file, "/inputs/" + std::to_string(i)},
                         "tensor name \"" + inputs[i].name + "\" is used twice", "give every tensor a unique name");
    for (int64_t d : inputs[i].shape) {
      if (d <= 0)
        return diag::error("model.shape", {file, "/inputs/" + std::to_string(i) + "/shape"},
                           "input \"" + inputs[i].name + "\" has a zero or negative dimension",
                           "give every dimension a positive size");
      if (d > kMaxDim)
        return diag::error("model.too-large", {file, "/inputs/" + std::to_string(i) + "/shape"},
                           "input \"" + inputs[i].name + "\" has a dimension of " + std::to_string(d) + ", above 2^31",
                           "give every dimension a size of at most 2^31");
    }
    if (auto n = checkedProduct(inputs[i].shape); !n || *n > kMaxCount)
      return diag::error("model.too-large", {file, "/inputs/" + std::to_string(i) + "/shape"},
                         "input \"" + inputs[i].name + "\" (" + shapeText(inputs[i].shape) +
                             ") has more than 2^48 elements, the largest count dnnchip handles",
                         "use a smaller input shape");
  }
  for (size_t i = 0; i < layers.size(); ++i)
    if (!producer.emplace(layers[i].name, static_cast<int>(i)).second)
      return diag::error("model.duplicate-name", loc(i), "name \"" + layers[i].name + "\" is used twice",
                         "give every layer and input a unique name");
  // Resolve references and build the dependency graph.
  std::vector<std::vector<int>> consumers(layers.size());
  std::vector<int> indegree(layers.size(), 0);
  for (size_t i = 0; i < layers.size(); ++i) {
    for (size_t k = 0; k < layers[i].inputs.size(); ++k) {
      auto it = producer.find(layers[i].inputs[k]);
      if (it == producer.end())
        return diag::error("model.unknown-tensor", {file, "/layers/" + std::to_string(i) + "/inputs/" + std::to_string(k)},
                           "layer \"" + layers[i].name + "\" reads \"" + layers[i].inputs[k] +
                               "\", which no layer or model input produces",
                           "check the spelling or add the producer");
      if (it->second >= 0) {
        consumers[it->second].push_back(static_cast<int>(i));
        ++indegree[i];
      }
    }
  }
  // Kahn's algorithm, smallest original index first.
  std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
  for (size_t i = 0; i < layers.size(); ++i)
    if (indegree[i] == 0) ready.push(static_cast<int>(i));
  std::vector<int> order;
  while (!ready.empty()) {
    int i = ready.top();
    ready.pop();
    order.push_back(i);
    for (int c : consumers[i])
      if (--indegree[c] == 0) ready.push(c);
  }
  if (order.size() != layers.size()) {
    size_t stuck = 0;
    while (indegree[stuck] == 0) ++stuck;
    return diag::error("model.cycle", loc(stuck),
                       "layer \"" + layers[stuck].name + "\" is part of a cycle: a DNN must be a DAG",
                       "break the cycle by correcting the layers' inputs");
  }
  std::vector<Layer> sorted;
  std::vector<size_t> originalIndex;
  sorted.reserve(layers.size());
  for (int i : order) {
    sorted.push_back(std::move(layers[i]));
    originalIndex.push_back(static_cast<size_t>(i));
  }
  layers = std::move(sorted);
  // Shape inference in topological order.
  std::map<std::string, Shape> shapes;
  std::map<std::string, int> index;
  int64_t sumMacs = 0, sumWeights = 0;
  for (auto& t : inputs) {
    shapes[t.name] = t.shape;
    index[t.name] = -1;
  }
  for (size_t i = 0; i < layers.size(); ++i) {
    Layer& L = layers[i];
    L.inputShapes.clear();
    L.inputLayers.clear();
    for (auto& name : L.inputs) {
      L.inputShapes.push_back(shapes.at(name));
      L.inputLayers.push_back(index.at(name));
    }
    try {
      L.outputShape = inferShape(L);
      bool empty = false;
      for (int64_t d : L.outputShape) empty = empty || d <= 0;
      if (!empty) checkCounts(L);
    } catch (const ShapeError& e) {
      return diag::error(e.code, loc(originalIndex[i]), "layer \"" + L.name + "\" (" + std::string(opName(L.op)) + "): " + e.message,
                         e.code == "model.too-large" ? "make the layer or its inputs smaller"
                                                     : "fix the layer's parameters or its inputs' shapes");
    }
    for (int64_t d : L.outputShape)
      if (d <= 0)
        return diag::error("model.shape", loc(originalIndex[i]), "layer \"" + L.name + "\" produces an empty tensor " + shapeText(L.outputShape),
                           "fix the layer's parameters or its inputs' shapes");
    sumMacs = saturatingAdd(sumMacs, L.macs());
    sumWeights = saturatingAdd(sumWeights, L.parameterCount());
    if (sumMacs > kMaxCount || sumWeights > kMaxCount)
      return diag::error("model.too-large", loc(originalIndex[i]),
                         "the model's total " + std::string(sumMacs > kMaxCount ? "MAC" : "parameter") +
                             " count exceeds 2^48 at layer \"" + L.name + "\", the largest count dnnchip handles",
                         "import a smaller model or fewer layers");
    shapes[L.name] = L.outputShape;
    index[L.name] = static_cast<int>(i);
  }
  if (outputs.empty()) {
    std::set<std::string> consumed;
    for (auto& L : layers) consumed.insert(L.inputs.begin(), L.inputs.end());
    for (auto& L : layers)
      if (!consumed.count(L.name)) outputs.push_back(L.name);
  } else {
    for (size_t i = 0; i < outputs.size(); ++i)
      if (!shapes.count(outputs[i]))
        return diag::error("model.unknown-tensor", {file, "/outputs/" + std::to_string(i)},
                           "output \"" + outputs[i] + "\" is not produced by any layer", "name a layer");
  }
  return diag::Status::success();
}

const Layer* Model::findLayer(std::string_view n) const {
  for (auto& L : layers)
    if (L.name == n) return &L;
  return nullptr;
}

int Model::layerIndex(std::string_view n) const {
  for (size_t i = 0; i < layers.size(); ++i)
    if (layers[i].name == n) return static_cast<int>(i);
  return -1;
}

int64_t Model::totalMacs() const {
  int64_t m = 0;
  for (auto& L : layers) m = saturatingAdd(m, L.macs());
  return m;
}

int64_t Model::totalWeights() const {
  int64_t w = 0;
  for (auto& L : layers) w = saturatingAdd(w, L.parameterCount());
  return w;
}

const Shape* Model::tensorShape(std::string_view n) const {
  for (auto& t : inputs)
    if (t.name == n) return &t.shape;
  if (auto* L = findLayer(n)) return &L->outputShape;
  return nullptr;
}

diag::Expected<Model> parseModel(const io::Json& json, const std::string& file) {
  return diag::capture([&]() -> Model {
    JsonView root(json, file);
    root.requireSchemaVersion(1);
    root.rejectUnknown({"schema_version", "name", "description", "source", "precision", "batch_norm_folded", "inputs",
                        "layers", "outputs"});
    Model m;
    m.name = root.at("name").asString();
    if (auto v = root.find("description")) m.description = v->asString();
    if (auto v = root.find("source")) m.source = v->asString();
    if (auto v = root.find("batch_norm_folded")) m.batchNormFolded = v->asBool();
    if (auto p = root.find("precision")) {
      p->rejectUnknown({"activation_bits", "weight_bits", "accumulator_bits"});
      if (auto v = p->find("activation_bits")) m.precision.activationBits = static_cast<int>(v->asInt(1, 32));
      if (auto v = p->find("weight_bits")) m.precision.weightBits = static_cast<int>(v->asInt(1, 32));
      if (auto v = p->find("accumulator_bits")) m.precision.accumulatorBits = static_cast<int>(v->asInt(1, 64));
    }
    for (auto& in : root.at("inputs").items()) {
      in.rejectUnknown({"name", "shape"});
      m.inputs.push_back({in.at("name").asString(), in.at("shape").asIntArray(INT64_MIN, 1LL << 31)});
    }
    if (m.inputs.empty())
      root.at("inputs").fail("model.empty", "the model has no inputs", "declare at least one input tensor");
    for (auto& l : root.at("layers").items()) m.layers.push_back(parseLayer(l));
    if (auto o = root.find("outputs")) m.outputs = o->asStringArray();
    auto st = m.finalize(file);
    if (!st) throw diag::DiagnosticError(st.error());
    return m;
  });
}

diag::Expected<Model> loadModel(const std::filesystem::path& path) {
  auto j = io::readJsonFile(path);
  if (!j) return j.error();
  return parseModel(*j, path.string());
}

diag::Expected<Model> loadModelByName(std::string_view nameOrPath) {
  auto p = io::resolveDataFile(nameOrPath, "designs/models", ".json", "model");
  if (!p) return p.error();
  return loadModel(*p);
}

io::Json toJson(const Model& m) {
  Json j;
  j["schema_version"] = 1;
  j["name"] = m.name;
  if (!m.description.empty()) j["description"] = m.description;
  if (!m.source.empty()) j["source"] = m.source;
  j["precision"] = {{"activation_bits", m.precision.activationBits},
                    {"weight_bits", m.precision.weightBits},
                    {"accumulator_bits", m.precision.accumulatorBits}};
  if (m.batchNormFolded) j["batch_norm_folded"] = true;
  j["inputs"] = Json::array();
  for (auto& t : m.inputs) j["inputs"].push_back({{"name", t.name}, {"shape", t.shape}});
  j["layers"] = Json::array();
  for (auto& L : m.layers) {
    Json l;
    l["name"] = L.name;
    l["op"] = std::string(opName(L.op));
    l["inputs"] = L.inputs;
    auto pad = std::vector<int64_t>(L.padding.begin(), L.padding.end());
    switch (L.op) {
      case OpKind::Conv2d:
        l["out_channels"] = L.outChannels;
        l["kernel"] = {L.kernel[0], L.kernel[1]};
        l["stride"] = {L.stride[0], L.stride[1]};
        l["padding"] = pad;
        l["dilation"] = {L.dilation[0], L.dilation[1]};
        l["groups"] = L.groups;
        l["bias"] = L.bias;
        break;
      case OpKind::Fc: l["out_features"] = L.outFeatures; l["bias"] = L.bias; break;
      case OpKind::MatMul: l["transpose_b"] = L.transposeB; break;
      case OpKind::MaxPool:
      case OpKind::AvgPool:
        l["kernel"] = {L.kernel[0], L.kernel[1]};
        l["stride"] = {L.stride[0], L.stride[1]};
        l["padding"] = pad;
        l["ceil_mode"] = L.ceilMode;
        if (L.op == OpKind::AvgPool) l["count_include_pad"] = L.countIncludePad;
        break;
      case OpKind::Activation:
        l["function"] = std::string(activationName(L.activation));
        if (L.activation == ActivationKind::Clip) { l["min"] = L.clipMin; l["max"] = L.clipMax; }
        break;
      case OpKind::Concat: case OpKind::Softmax: case OpKind::Flatten: l["axis"] = L.axis; break;
      case OpKind::LayerNorm: l["axis"] = L.axis; l["epsilon"] = L.epsilon; break;
      case OpKind::Reshape: l["shape"] = L.targetShape; break;
      case OpKind::Transpose: l["perm"] = L.perm; break;
      default: break;
    }
    if (L.op != OpKind::Activation && L.activation != ActivationKind::None) {
      l["activation"] = std::string(activationName(L.activation));
      if (L.activation == ActivationKind::Clip) { l["clip_min"] = L.clipMin; l["clip_max"] = L.clipMax; }
    }
    j["layers"].push_back(std::move(l));
  }
  j["outputs"] = m.outputs;
  return j;
}

}  // namespace dnnchip::workload
