// Lowering: ONNX nodes (topological order) -> workload layers. One pass over the nodes with a
// value table (tensor -> constant, or tensor -> producing layer / model input):
//   - Constant/Identity/Dropout/Cast are dropped; integer/float subgraphs on constants and shapes
//     (Shape/Gather/Unsqueeze/Concat feeding a Reshape, weight Transposes) are folded.
//   - Conv/Gemm/MatMul-with-constant-B/pools/... become layers named after their node.
//   - Fusions, decided from static consumer counts: BatchNormalization into the Conv before it;
//     an activation into the layer before it when it is that layer's only consumer; an Add/Sub of
//     a constant into the bias, a Mul/Div by a constant into the weights (scalars also through
//     Reshape/Transpose); Slices of an fc output along the features into separate fc layers (the
//     Q/K/V split of attention); a Transpose of the last two axes into matmul's transpose_b.
//   - Patterns: decomposed LayerNorm (ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div, [Mul],
//     [Add]) and GELU (Div by sqrt 2 or Mul by 1/sqrt 2, Erf, Add 1, Mul x, Mul 0.5).
// Float parameters are folded along with the structure when the file has them. A graph input
// read only in parameter slots (weights, biases, norm parameters, an operand that broadcasts onto
// a larger one), possibly through layout ops, is a parameter exported without values and is
// lowered as a value-less constant, never as a model input. Slice/Resize/Expand on activations
// have no layer and are refused naming the node and its shapes (a whole-tensor Slice is
// dropped). Cost O(nodes + parameters). Limits: 2-D convolution and pooling only; see docs/onnx.md.

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <limits>
#include <set>

#include "OnnxGraph.h"

namespace dnnchip::onnx::detail {

namespace {

using workload::ActivationKind;
using workload::Layer;
using workload::OpKind;
using workload::Shape;

struct Ref {
  int layer = -1;      ///< producing layer, -1 for a model input
  std::string input;   ///< model input name when layer == -1
};

struct Built {
  Layer L;
  FloatParams p;
  bool hasData = false;     ///< p holds numbers
  bool dead = false;
  bool splitSource = false;  ///< an fc split by Slices; removed if nothing else reads it
  std::string tensor;        ///< ONNX tensor the layer's output stands for
  std::string weightTensor, biasTensor;  ///< ONNX tensors of a conv/fc's weight and bias
};

class Lowerer;

/// How one supported ONNX op is lowered. `beforeFold`, when set, runs first and returns true when
/// it handled the node (Constant, the aliases); otherwise constant folding is tried, then `lower`.
struct OpLowering {
  bool (Lowerer::*beforeFold)(const Node&) = nullptr;
  void (Lowerer::*lower)(const Node&) = nullptr;
};

/// The one table of supported ops (lowering order and what each op becomes: the file comment).
/// An op missing here is unsupported (onnx.unsupported-op, or skipped with --skip-unsupported).
const std::map<std::string, OpLowering>& loweringTable();

class Lowerer {
  friend const std::map<std::string, OpLowering>& loweringTable();

 public:
  Lowerer(Graph& g, const ImportOptions& o) : g_(g), opt_(o) {}

  Lowered run() {
    countConsumers();
    classifyInputs();
    checkSupported();
    // Constants first: the pattern matchers look ahead at constants defined later in the file.
    for (size_t i = 0; i < g_.nodes.size(); ++i)
      if (g_.nodes[i].op == "Constant" && !g_.nodes[i].outputs.empty()) {
        cur_ = i;
        lowerConstant(g_.nodes[i]);
        done_.insert(i);
      }
    for (size_t i = 0; i < g_.nodes.size(); ++i) {
      if (done_.count(i)) continue;
      cur_ = i;
      lowerNode(g_.nodes[i]);
    }
    return assemble();
  }

 private:
  Graph& g_;  // its initializers are moved into consts_
  const ImportOptions& opt_;
  size_t cur_ = 0;
  std::map<std::string, int> consumers_;                       // tensor -> number of reads
  std::map<std::string, std::vector<size_t>> readers_;         // tensor -> node indices
  std::set<std::string> params_;                               // graph inputs that are parameters
  std::map<std::string, Const> consts_;
  std::map<std::string, Ref> acts_;
  std::vector<Built> layers_;
  std::set<std::string> usedNames_;
  std::set<size_t> done_;
  std::vector<std::string> skipped_;
  std::map<std::string, std::array<int64_t, 4>> pendingPads_;  // Pad output -> pads for its reader

  // ---- diagnostics ------------------------------------------------------------------------------
  [[noreturn]] void fail(const Node& n, const std::string& code, const std::string& msg, const std::string& hint) const {
    diag::fail(code, {g_.file, n.label()}, n.label() + ": " + msg, hint);
  }
  [[noreturn]] void unsupported(const Node& n, const std::string& why) const {
    fail(n, "onnx.unsupported-op", why,
         "see docs/onnx.md for the supported ops and patterns; --skip-unsupported imports the rest");
  }

  // ---- graph facts --------------------------------------------------------------------------------
  void countConsumers() {
    for (size_t i = 0; i < g_.nodes.size(); ++i)
      for (auto& t : g_.nodes[i].inputs)
        if (!t.empty()) {
          ++consumers_[t];
          readers_[t].push_back(i);
        }
    for (auto& t : g_.outputs) ++consumers_[t];
  }
  int uses(const std::string& t) const {
    auto it = consumers_.find(t);
    return it == consumers_.end() ? 0 : it->second;
  }
  bool isGraphOutput(const std::string& t) const {
    return std::find(g_.outputs.begin(), g_.outputs.end(), t) != g_.outputs.end();
  }
  const Shape* shapeOf(const std::string& t) const {
    auto it = g_.shapes.find(t);
    return it == g_.shapes.end() ? nullptr : &it->second;
  }

  // Weight operand slots: a graph input read only there (possibly through Identity/Transpose/
  // Cast/Reshape/Unsqueeze) is a parameter exported without values, not a model input.
  bool weightSlot(const Node& n, size_t slot) const {
    if (n.op == "Conv" || n.op == "LayerNormalization" || n.op == "Clip" || n.op == "BatchNormalization") return slot >= 1;
    if (n.op == "Gemm" || n.op == "MatMul") {  // a 2-D B is a weight; a batched one is an activation
      const Shape* s = shapeOf(n.inputs[slot]);
      return slot == 2 || (slot == 1 && s && s->size() <= 2);
    }
    if ((n.op == "Add" || n.op == "Sub" || n.op == "Mul" || n.op == "Div") && n.inputs.size() == 2) {
      // A parameter operand: broadcast onto a larger operand. That is a bias or scale (a
      // MatMul's bias Add, a layer scale, a decomposed LayerNorm's gamma and beta: a scalar or
      // one value per channel), or any other learned tensor the exporter could not fold into a
      // layer (MaxViT's relative-position bias [1, heads, 49, 49] added to rank-5 attention
      // scores), which the lowering then refuses by name as it would the same initializer. A
      // second data input of the same shape is not one.
      const Shape* s = shapeOf(n.inputs[slot]);
      const Shape* o = shapeOf(n.inputs[1 - slot]);
      if (!s || !o) return false;
      int64_t wide = 0;
      for (int64_t d : *s) wide += d > 1;
      if (wide <= 1 && s->size() < o->size()) return true;
      return broadcastsOnto(*s, *o) && workload::elementCount(*s) < workload::elementCount(*o);
    }
    return false;
  }
  // Numpy broadcasting of `s` onto `o` without changing `o`: each trailing axis of s is 1 or o's.
  static bool broadcastsOnto(const Shape& s, const Shape& o) {
    if (s.size() > o.size()) return false;
    for (size_t k = 1; k <= s.size(); ++k) {
      const int64_t a = s[s.size() - k], b = o[o.size() - k];
      if (a != 1 && a != b) return false;
    }
    return true;
  }
  bool weightOnly(const std::string& t, int depth = 0) const {
    auto it = readers_.find(t);
    if (it == readers_.end() || depth > 8) return false;
    for (size_t ni : it->second) {
      const Node& n = g_.nodes[ni];
      if (n.op == "Identity" || n.op == "Transpose" || n.op == "Cast" || n.op == "Reshape" || n.op == "Unsqueeze") {
        if (n.inputs[0] != t || n.outputs.empty() || !weightOnly(n.outputs[0], depth + 1)) return false;
        continue;
      }
      for (size_t s = 0; s < n.inputs.size(); ++s)
        if (n.inputs[s] == t && !weightSlot(n, s)) return false;
    }
    return true;
  }
  void classifyInputs() {
    for (auto& [name, c] : g_.initializers) {
      consts_[name] = std::move(c);
    }
    g_.initializers.clear();
    for (auto& name : g_.inputs) {
      if (weightOnly(name)) {
        params_.insert(name);
        Const c;
        c.dims = *shapeOf(name);
        consts_[name] = c;
      } else {
        acts_[name] = Ref{-1, name};
      }
    }
  }
  // For an op the workload has no layer for, what the node does ("nearest 1x256x7x7 -> 1x256x14x14"),
  // and why it is refused; empty for other ops.
  std::string refusedDetail(const Node& n) const {
    const Shape* xs = n.inputs.empty() ? nullptr : shapeOf(n.inputs[0]);
    const Shape* ys = n.outputs.empty() ? nullptr : shapeOf(n.outputs[0]);
    std::string shapes = xs && ys ? workload::shapeText(*xs) + " -> " + workload::shapeText(*ys) : "";
    if (n.op == "Resize" || n.op == "Upsample") {
      auto it = n.attrs.find("mode");
      const std::string mode = it == n.attrs.end() ? "nearest" : it->second.s;
      return " " + mode + (shapes.empty() ? "" : " " + shapes);
    }
    if (n.op == "Expand" && xs && !ys && n.inputs.size() > 1)
      if (const Const* t = constOf(n.inputs[1]); t && t->hasData()) {  // ONNX's bidirectional broadcast
        Shape out = *xs;
        while (out.size() < static_cast<size_t>(t->count())) out.insert(out.begin(), 1);
        for (int64_t k = 0; k < t->count(); ++k) {
          int64_t& d = out[out.size() - static_cast<size_t>(t->count()) + static_cast<size_t>(k)];
          d = std::max<int64_t>(d, static_cast<int64_t>(t->at(k)));
        }
        shapes = workload::shapeText(*xs) + " -> " + workload::shapeText(out);
      }
    if (n.op == "Expand" || n.op == "Tile") return shapes.empty() ? "" : " " + shapes;
    return "";
  }
  static std::string refusedWhy(const std::string& op) {
    if (op == "Resize" || op == "Upsample") return ": no workload layer upsamples";
    if (op == "Expand" || op == "Tile") return ": no workload layer broadcasts or repeats a tensor";
    if (op == "Gather") return ": no workload layer selects part of an activation";
    return "";
  }
  void checkSupported() {
    std::map<std::string, std::vector<std::string>> bad;
    for (auto& n : g_.nodes)
      if (!loweringTable().count(n.op)) bad[n.op].push_back((n.name.empty() ? "(unnamed)" : "'" + n.name + "'") + refusedDetail(n));
    if (bad.empty() || opt_.skipUnsupported) return;
    // The import stops here: also name each Gather that selects from an activation (a float
    // tensor that is neither a constant nor a parameter: ViT's class token x[:, 0]), which the
    // lowering would refuse next, so that one run names everything the model lacks. Shape
    // computations gather from integer tensors and are not listed.
    for (auto& n : g_.nodes)
      if (n.op == "Gather" && !n.inputs.empty() && !consts_.count(n.inputs[0]) && !params_.count(n.inputs[0])) {
        auto f = g_.floatTensor.find(n.inputs[0]);
        if (f == g_.floatTensor.end() || !f->second) continue;
        const Shape* xs = shapeOf(n.inputs[0]);
        const Shape* ys = n.outputs.empty() ? nullptr : shapeOf(n.outputs[0]);
        bad["Gather"].push_back((n.name.empty() ? "(unnamed)" : "'" + n.name + "'") + " axis " + std::to_string(n.attrInt("axis", 0)) +
                                (xs && ys ? " " + workload::shapeText(*xs) + " -> " + workload::shapeText(*ys) : ""));
      }
    std::string msg = "unsupported op";
    msg += bad.size() > 1 ? "s " : " ";
    bool first = true;
    for (auto& [op, names] : bad) {
      msg += (first ? "" : "; ") + op + " (node";
      msg += names.size() > 1 ? "s " : " ";
      for (size_t k = 0; k < names.size() && k < 8; ++k) msg += (k ? ", " : "") + names[k];
      if (names.size() > 8) msg += ", ... " + std::to_string(names.size()) + " in all";
      msg += refusedWhy(op) + ")";
      first = false;
    }
    const Node* firstBad = nullptr;
    for (auto& n : g_.nodes)
      if (!loweringTable().count(n.op)) { firstBad = &n; break; }
    diag::fail("onnx.unsupported-op", {g_.file, firstBad->label()}, msg,
               "see docs/onnx.md for the supported ops; --skip-unsupported imports the rest");
  }

  // ---- values ---------------------------------------------------------------------------------------
  const Const* constOf(const std::string& t) const {
    auto it = consts_.find(t);
    return it == consts_.end() ? nullptr : &it->second;
  }
  bool isAct(const std::string& t) const { return acts_.count(t) > 0; }
  Ref actOf(const Node& n, const std::string& t) const {
    auto it = acts_.find(t);
    if (it == acts_.end()) fail(n, "onnx.unsupported-op", "input '" + t + "' is not a tensor the importer produced (it comes from an unsupported or skipped computation)",
                                "see docs/onnx.md for the supported ops");
    return it->second;
  }
  std::string refName(const Ref& r) const { return r.layer >= 0 ? layers_[static_cast<size_t>(r.layer)].L.name : r.input; }
  Built* layerOf(const Ref& r) { return r.layer >= 0 ? &layers_[static_cast<size_t>(r.layer)] : nullptr; }
  // A layer's constant parameter (weight, bias, BatchNorm statistics): present, constant and
  // finite (NaN or Inf would quantize to garbage through an undefined float-to-int cast).
  const Const& needConst(const Node& n, size_t slot, const std::string& what) const {
    if (slot >= n.inputs.size() || n.inputs[slot].empty()) fail(n, "onnx.bad-attribute", what + " is missing", "re-export the model");
    const Const* c = constOf(n.inputs[slot]);
    if (!c) unsupported(n, what + " '" + n.inputs[slot] + "' is computed at run time; only constant " + what + "s are supported");
    requireFinite(n, n.inputs[slot], *c);
    return *c;
  }
  // A weight's values for the layer that is its only reader: moved out of the constant table
  // (the weights are then held once), copied when other nodes read it too.
  std::vector<float> takeOrCopy(const std::string& t) {
    Const& c = consts_.at(t);
    if (uses(t) != 1) return c.f;
    std::vector<float> v = std::move(c.f);
    c.f.clear();
    return v;
  }
  void release(const std::string& t) {
    if (uses(t) != 1) return;
    std::vector<float>().swap(consts_.at(t).f);
  }
  void requireFinite(const Node& n, const std::string& tensor, const Const& c) const {
    for (size_t k = 0; k < c.f.size(); ++k)
      if (!std::isfinite(c.f[k]))
        diag::fail("onnx.bad-value", {g_.file, "initializer '" + tensor + "'"},
                   "tensor '" + tensor + "' (read by " + n.label() + ") holds " + (std::isnan(c.f[k]) ? "NaN" : "an infinite value") +
                       " at element " + std::to_string(k),
                   "the trained model is damaged (a diverged training run or a corrupted file): re-export it");
  }
  std::vector<double> values(const Const& c) const {
    std::vector<double> v(static_cast<size_t>(c.count()));
    for (int64_t k = 0; k < c.count(); ++k) v[static_cast<size_t>(k)] = c.at(k);
    return v;
  }

  std::string uniqueName(const Node& n) {
    std::string base = sanitizeName(n.name);
    if (base.empty()) {
      base = n.op;
      std::transform(base.begin(), base.end(), base.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
      base += "_" + std::to_string(cur_);
    }
    std::string name = base;
    for (int k = 2; usedNames_.count(name) || (acts_.count(name) && acts_.at(name).layer < 0); ++k) name = base + "_" + std::to_string(k);
    usedNames_.insert(name);
    return name;
  }

  int addLayer(Layer L, const Node& n, const std::string& out) {
    if (L.name.empty()) L.name = uniqueName(n);
    Built b;
    b.L = std::move(L);
    b.tensor = out;
    layers_.push_back(std::move(b));
    int idx = static_cast<int>(layers_.size()) - 1;
    acts_[out] = Ref{idx, {}};
    return idx;
  }
  Layer make(OpKind op, std::vector<Ref> ins) {
    Layer L;
    L.op = op;
    L.bias = false;
    for (auto& r : ins) L.inputs.push_back(refName(r));
    return L;
  }

  // ---- node dispatch -------------------------------------------------------------------------------
  void lowerNode(const Node& n) {
    if (n.outputs.empty()) return;
    const auto& table = loweringTable();
    const auto it = table.find(n.op);
    if (it != table.end() && it->second.beforeFold && (this->*it->second.beforeFold)(n)) return;
    if (tryFold(n)) return;
    if (it == table.end()) return skip(n, "op " + n.op + " is not supported");
    (this->*it->second.lower)(n);
  }

  // ---- dispatch targets of loweringTable() beyond the lower* passes below ---------------------------
  bool lowerConstantNode(const Node& n) {
    lowerConstant(n);
    return true;
  }
  // Identity, Dropout, and a Cast of an activation: the output is the input.
  bool lowerAlias(const Node& n) {
    if (n.op == "Cast" && !isAct(n.inputs[0])) return false;  // a Cast of a constant folds
    if (auto* c = constOf(n.inputs[0])) consts_[n.outputs[0]] = *c;
    else acts_[n.outputs[0]] = actOf(n, n.inputs[0]);
    return true;
  }
  void lowerGlobalAvg(const Node& n) {
    addLayer(make(OpKind::GlobalAvgPool, {actOf(n, n.inputs[0])}), n, n.outputs[0]);
  }
  void lowerSoftmax(const Node& n) {
    Layer L = make(OpKind::Softmax, {actOf(n, n.inputs[0])});
    L.axis = n.attrInt("axis", g_.opset >= 13 ? -1 : 1);
    addLayer(std::move(L), n, n.outputs[0]);
  }
  // Ops supported only where constant folding (tryFold) or a pattern (LayerNorm, GELU) takes them.
  void refuseUnfolded(const Node& n) {
    unsupported(n, "op " + n.op + " is only supported on constants or inside a recognized pattern (LayerNorm, GELU)");
  }

  // Skips an unsupported node under --skip-unsupported: its output aliases its first activation
  // input when the shapes agree.
  void skip(const Node& n, const std::string& why) {
    if (!opt_.skipUnsupported) unsupported(n, why);
    for (auto& in : n.inputs) {
      if (in.empty() || !isAct(in)) continue;
      const Shape* a = shapeOf(in);
      const Shape* b = shapeOf(n.outputs[0]);
      if (!a || !b || *a != *b)
        fail(n, "onnx.unsupported-op", "cannot skip: its output shape differs from its input's, so its consumers cannot read the input",
             "replace the op in the model before export");
      acts_[n.outputs[0]] = acts_[in];
      skipped_.push_back(n.op + " " + (n.name.empty() ? "(unnamed)" : n.name));
      return;
    }
    fail(n, "onnx.unsupported-op", "cannot skip: it reads no activation tensor", "replace the op in the model before export");
  }

  void lowerConstant(const Node& n) {
    const std::string& out = n.outputs[0];
    for (auto& [k, a] : n.attrs) {
      Const c;
      if (k == "value" && a.t) c = *a.t;
      else if (k == "value_float") { c.dims = {}; c.f = {a.f}; }
      else if (k == "value_int") { c.dims = {}; c.isFloat = false; c.i = {a.i}; }
      else if (k == "value_ints") { c.dims = {static_cast<int64_t>(a.ints.size())}; c.isFloat = false; c.i = a.ints; }
      else continue;
      consts_[out] = std::move(c);
      return;
    }
    fail(n, "onnx.bad-attribute", "Constant has no value the importer reads (value, value_float, value_int, value_ints)", "re-export the model");
  }

  bool tryFold(const Node& n) {
    std::vector<const Const*> ins;
    bool allConst = true;
    for (auto& t : n.inputs) {
      if (t.empty()) { ins.push_back(nullptr); continue; }
      const Const* c = constOf(t);
      if (!c) allConst = false;
      ins.push_back(c);
    }
    if (n.op == "Shape") {
      const Shape* s = shapeOf(n.inputs[0]);
      if (!s) fail(n, "onnx.shape", "the shape of '" + n.inputs[0] + "' is unknown", "export with fixed input shapes");
      auto c = foldConstant(n, ins, s, g_.file);
      consts_[n.outputs[0]] = *c;
      return true;
    }
    if (!allConst || ins.empty()) return false;
    if (auto c = foldConstant(n, ins, nullptr, g_.file)) {
      consts_[n.outputs[0]] = std::move(*c);
      return true;
    }
    // A parameter without values passing through a layout op keeps its (inferred) shape.
    if (const Shape* s = shapeOf(n.outputs[0]); s && (n.op == "Transpose" || n.op == "Reshape" || n.op == "Unsqueeze" || n.op == "Squeeze" || n.op == "Cast")) {
      Const c;
      c.dims = *s;
      consts_[n.outputs[0]] = c;
      return true;
    }
    return false;
  }

  // ---- compute layers ------------------------------------------------------------------------------
  std::array<int64_t, 4> convPads(const Node& n, const Shape* in, std::array<int64_t, 2> k, std::array<int64_t, 2> s,
                                  std::array<int64_t, 2> d) const {
    std::array<int64_t, 4> pads{0, 0, 0, 0};
    std::string ap = n.attrString("auto_pad", "NOTSET");
    if (ap == "NOTSET") {
      auto p = n.attrInts("pads");
      if (!p.empty() && p.size() != 4) unsupported(n, "only 2-D padding (4 pads) is supported");
      for (size_t i = 0; i < p.size(); ++i) {
        if (p[i] < 0) fail(n, "onnx.bad-attribute", "negative padding", "re-export the model");
        pads[i] = p[i];
      }
    } else if (ap == "SAME_UPPER" || ap == "SAME_LOWER") {
      if (!in || in->size() != 4) fail(n, "onnx.shape", "auto_pad needs the input shape, which is unknown", "export with fixed shapes");
      for (int a = 0; a < 2; ++a) {
        int64_t size = (*in)[2 + a];
        int64_t outSize = (size + s[a] - 1) / s[a];
        int64_t total = std::max<int64_t>(0, (outSize - 1) * s[a] + (k[a] - 1) * d[a] + 1 - size);
        int64_t small = total / 2, big = total - small;
        pads[a] = ap == "SAME_UPPER" ? small : big;
        pads[a + 2] = ap == "SAME_UPPER" ? big : small;
      }
    } else if (ap != "VALID") {
      fail(n, "onnx.bad-attribute", "unknown auto_pad '" + ap + "'", "use NOTSET, SAME_UPPER, SAME_LOWER or VALID");
    }
    return pads;
  }
  std::array<int64_t, 2> pairAttr(const Node& n, const std::string& k, int64_t def) const {
    auto v = n.attrInts(k);
    if (v.empty()) return {def, def};
    if (v.size() != 2) unsupported(n, "'" + k + "' has " + std::to_string(v.size()) + " entries: only 2-D operators are supported");
    for (int64_t x : v)
      if (x < 1) fail(n, "onnx.bad-attribute", "'" + k + "' must be positive", "re-export the model");
    return {v[0], v[1]};
  }

  void lowerConv(const Node& n) {
    Ref x = actOf(n, n.inputs[0]);
    const Const& w = needConst(n, 1, "weight");
    if (w.dims.size() != 4) unsupported(n, "only 2-D convolution (4-D weight) is supported, the weight is " + workload::shapeText(w.dims));
    const Shape* in = shapeOf(n.inputs[0]);
    Layer L = make(OpKind::Conv2d, {x});
    L.outChannels = w.dims[0];
    L.kernel = {w.dims[2], w.dims[3]};
    L.stride = pairAttr(n, "strides", 1);
    L.dilation = pairAttr(n, "dilations", 1);
    L.groups = n.attrInt("group", 1);
    if (L.groups < 1) fail(n, "onnx.bad-attribute", "group must be positive", "re-export the model");
    L.padding = convPads(n, in, L.kernel, L.stride, L.dilation);
    takePendingPad(n, L.padding);
    const Const* b = n.inputs.size() > 2 && !n.inputs[2].empty() ? &needConst(n, 2, "bias") : nullptr;
    L.bias = b != nullptr;
    int idx = addLayer(std::move(L), n, n.outputs[0]);
    Built& B = layers_[static_cast<size_t>(idx)];
    B.p.weightShape = w.dims;
    B.weightTensor = n.inputs[1];
    if (b) B.biasTensor = n.inputs[2];
    if (w.hasData() && w.isFloat) {
      B.p.weight = takeOrCopy(n.inputs[1]);
      B.hasData = true;
      if (b) {
        if (b->count() != w.dims[0] || !b->hasData()) fail(n, "onnx.shape", "bias has " + std::to_string(b->count()) + " values for " + std::to_string(w.dims[0]) + " output channels", "re-export the model");
        B.p.bias.assign(b->f.begin(), b->f.end());
      }
    }
  }

  void lowerGemm(const Node& n) {
    const bool gemm = n.op == "Gemm";
    if (gemm && n.attrInt("transA", 0)) unsupported(n, "Gemm with transA=1 is not supported");
    const bool transB = gemm && n.attrInt("transB", 0);
    const float alpha = gemm ? n.attrFloat("alpha", 1.f) : 1.f, beta = gemm ? n.attrFloat("beta", 1.f) : 1.f;
    Ref a = actOf(n, n.inputs[0]);
    if (isAct(n.inputs[1])) {  // two activations: a batched matmul (attention)
      if (gemm && n.inputs.size() > 2 && !n.inputs[2].empty()) unsupported(n, "Gemm of two activations with a C operand");
      if (alpha != 1.f) unsupported(n, "Gemm of two activations with alpha != 1");
      Ref b = actOf(n, n.inputs[1]);
      Layer L = make(OpKind::MatMul, {a, b});
      L.transposeB = transB;
      if (Built* tb = layerOf(b); tb && !transB && tb->L.op == OpKind::Transpose && uses(n.inputs[1]) == 1 &&
                                  tb->L.perm.size() >= 2 && tb->tensor == n.inputs[1] && !isGraphOutput(n.inputs[1]) &&
                                  tb->L.perm[tb->L.perm.size() - 1] < tb->L.perm[tb->L.perm.size() - 2]) {
        // A Transpose feeding B (K^T in attention): matmul reads B transposed (transpose_b), so
        // the Transpose keeps only the rest of its permutation, or disappears.
        std::vector<int64_t> perm = tb->L.perm;
        std::swap(perm[perm.size() - 1], perm[perm.size() - 2]);
        bool identity = true;
        for (size_t i = 0; i < perm.size(); ++i) identity &= perm[i] == static_cast<int64_t>(i);
        if (identity) {
          L.inputs[1] = tb->L.inputs[0];
          tb->dead = true;
        } else {
          tb->L.perm = perm;
          tb->tensor += "#transposed";  // no longer the ONNX tensor's shape
        }
        L.transposeB = true;
      }
      addLayer(std::move(L), n, n.outputs[0]);
      return;
    }
    const Const& w = needConst(n, 1, "weight");
    if (w.dims.size() != 2) unsupported(n, "MatMul with a constant of rank " + std::to_string(w.dims.size()) + " (only a 2-D weight maps to fc)");
    const int64_t kIn = transB ? w.dims[1] : w.dims[0], nOut = transB ? w.dims[0] : w.dims[1];
    Layer L = make(OpKind::Fc, {a});
    L.outFeatures = nOut;
    const Const* c = gemm && n.inputs.size() > 2 && !n.inputs[2].empty() ? &needConst(n, 2, "bias") : nullptr;
    if (c && c->count() != nOut && c->count() != 1) unsupported(n, "Gemm C operand of shape " + workload::shapeText(c->dims) + " is not a per-output bias");
    L.bias = c != nullptr;
    int idx = addLayer(std::move(L), n, n.outputs[0]);
    Built& B = layers_[static_cast<size_t>(idx)];
    B.p.weightShape = {nOut, kIn};
    B.weightTensor = n.inputs[1];
    if (c) B.biasTensor = n.inputs[2];
    if (w.hasData() && w.isFloat) {
      B.hasData = true;
      B.p.weight.resize(static_cast<size_t>(nOut * kIn));
      for (int64_t o = 0; o < nOut; ++o)
        for (int64_t k = 0; k < kIn; ++k)
          B.p.weight[static_cast<size_t>(o * kIn + k)] = alpha * (transB ? w.f[static_cast<size_t>(o * kIn + k)] : w.f[static_cast<size_t>(k * nOut + o)]);
      release(n.inputs[1]);
      if (c && c->hasData()) {
        B.p.bias.resize(static_cast<size_t>(nOut));
        for (int64_t o = 0; o < nOut; ++o) B.p.bias[static_cast<size_t>(o)] = beta * static_cast<float>(c->at(c->count() == 1 ? 0 : o));
      }
    }
  }

  // Einsum that is a (batched) matrix product: "<batch>ij,<batch>jk-><batch>ik", or with B read
  // transposed ("<batch>ij,<batch>kj-><batch>ik"; MaxViT's q k^T), the same batch letters in the
  // same order on all three; a constant 2-D B ("<batch>ij,jk" or "kj") is an fc. It becomes the
  // MatMul (transB: Gemm) it is; any other equation is onnx.unsupported-op naming it.
  void lowerEinsum(const Node& n) {
    std::string eq;
    for (char c : n.attrString("equation", "")) if (c != ' ') eq += c;
    auto refuse = [&] {
      unsupported(n, "Einsum '" + eq + "' is not a matrix product; only \"<batch>ij,<batch>jk-><batch>ik\" and "
                     "\"<batch>ij,<batch>kj-><batch>ik\" (and a constant 2-D right operand) map onto a layer");
    };
    const size_t comma = eq.find(','), arrow = eq.find("->");
    if (n.inputs.size() != 2 || comma == std::string::npos || arrow == std::string::npos || arrow < comma ||
        eq.find("...") != std::string::npos)
      refuse();
    const std::string a = eq.substr(0, comma), b = eq.substr(comma + 1, arrow - comma - 1), y = eq.substr(arrow + 2);
    if (a.size() < 2 || b.size() < 2 || y.size() != a.size() || std::set<char>(a.begin(), a.end()).size() != a.size()) refuse();
    const std::string batch = a.substr(0, a.size() - 2);
    const char i = a[a.size() - 2], j = a[a.size() - 1];
    if (y.substr(0, batch.size()) != batch || y[y.size() - 2] != i) refuse();
    const char k = y.back();
    if (k == i || k == j || batch.find(k) != std::string::npos || batch.find(j) != std::string::npos) refuse();
    const bool constB = constOf(n.inputs[1]) != nullptr;
    const std::string bBatch = constB ? std::string() : batch;
    bool transB;
    if (b == bBatch + j + k) transB = false;
    else if (b == bBatch + k + j) transB = true;
    else refuse();
    Node m = n;
    m.op = transB ? "Gemm" : "MatMul";
    m.attrs.clear();
    if (transB) m.attrs["transB"].i = 1;
    lowerGemm(m);
  }

  // Folds y = x * scale[k] + shift[k] (per output channel/feature, or scalar) into compute layer B.
  void foldAffine(Built& B, const std::vector<double>& scale, const std::vector<double>& shift) {
    const int64_t K = B.L.op == OpKind::Conv2d ? B.L.outChannels : B.L.outFeatures;
    auto sc = [&](int64_t k) { return scale.empty() ? 1.0 : scale[scale.size() == 1 ? 0 : static_cast<size_t>(k)]; };
    auto sh = [&](int64_t k) { return shift.empty() ? 0.0 : shift[shift.size() == 1 ? 0 : static_cast<size_t>(k)]; };
    if (!shift.empty()) B.L.bias = true;
    if (B.L.op == OpKind::MatMul) {
      B.p.outputMultiplier *= static_cast<float>(sc(0));
      return;
    }
    if (!B.hasData) return;
    const int64_t per = K ? static_cast<int64_t>(B.p.weight.size()) / K : 0;
    for (int64_t k = 0; k < K; ++k)
      for (int64_t e = 0; e < per; ++e) B.p.weight[static_cast<size_t>(k * per + e)] *= static_cast<float>(sc(k));
    if (B.p.bias.empty() && B.L.bias) B.p.bias.assign(static_cast<size_t>(K), 0.f);
    for (int64_t k = 0; k < static_cast<int64_t>(B.p.bias.size()); ++k)
      B.p.bias[static_cast<size_t>(k)] = static_cast<float>(B.p.bias[static_cast<size_t>(k)] * sc(k) + sh(k));
  }

  void lowerBatchNorm(const Node& n) {
    Ref x = actOf(n, n.inputs[0]);
    Built* B = layerOf(x);
    const bool folds = B && B->L.op == OpKind::Conv2d && B->L.activation == ActivationKind::None && uses(n.inputs[0]) == 1 &&
                       !isGraphOutput(n.inputs[0]) && B->tensor == n.inputs[0];
    const Shape* xs = shapeOf(n.inputs[0]);
    if (!folds && (!xs || xs->size() != 4))
      return skip(n, "BatchNormalization is supported after a Conv (folded into it) or on a 4-D map (a 1x1 depthwise convolution)");
    const Const &gam = needConst(n, 1, "scale"), &bet = needConst(n, 2, "bias"), &mean = needConst(n, 3, "mean"), &var = needConst(n, 4, "variance");
    if (!folds) {
      // Standalone (DenseNet's pre-activation BN after a Concat): its per-channel affine
      // y = x * s + t runs as a 1x1 depthwise convolution with bias, one MAC per element.
      Layer L = make(OpKind::Conv2d, {x});
      L.outChannels = (*xs)[1];
      L.kernel = {1, 1};
      L.groups = (*xs)[1];
      L.bias = true;
      int idx = addLayer(std::move(L), n, n.outputs[0]);
      Built& D = layers_[static_cast<size_t>(idx)];
      D.p.weightShape = {(*xs)[1], 1, 1, 1};
      if (gam.hasData() && bet.hasData() && mean.hasData() && var.hasData()) {
        D.p.weight.assign(static_cast<size_t>((*xs)[1]), 1.f);
        D.p.bias.assign(static_cast<size_t>((*xs)[1]), 0.f);
        D.hasData = true;
      }
      B = &D;
    }
    const int64_t K = B->L.outChannels;
    for (const Const* c : {&gam, &bet, &mean, &var})
      if (c->count() != K) fail(n, "onnx.shape", "BatchNormalization parameters have " + std::to_string(c->count()) + " values for " + std::to_string(K) + " channels", "re-export the model");
    B->L.bias = true;
    const double eps = n.attrFloat("epsilon", 1e-5f);
    if (!(eps >= 0) || !std::isfinite(eps)) fail(n, "onnx.bad-attribute", "epsilon must be a non-negative number", "re-export the model");
    for (int64_t k = 0; var.hasData() && k < K; ++k)
      if (!(var.at(k) + eps > 0))
        diag::fail("onnx.bad-value", {g_.file, "initializer '" + n.inputs[4] + "'"},
                   "BatchNormalization variance '" + n.inputs[4] + "' is " + std::to_string(var.at(k)) + " at channel " +
                       std::to_string(k) + "; a variance (plus epsilon) must be positive",
                   "the trained model is damaged: re-export it");
    if (B->hasData && gam.hasData() && bet.hasData() && mean.hasData() && var.hasData()) {
      std::vector<double> scale(static_cast<size_t>(K)), shift(static_cast<size_t>(K));
      for (int64_t k = 0; k < K; ++k) {
        scale[static_cast<size_t>(k)] = gam.at(k) / std::sqrt(var.at(k) + eps);
        shift[static_cast<size_t>(k)] = bet.at(k) - mean.at(k) * scale[static_cast<size_t>(k)];
      }
      foldAffine(*B, scale, shift);
    }
    if (folds) {
      acts_[n.outputs[0]] = x;
      B->tensor = n.outputs[0];
    }
  }

  void lowerPool(const Node& n) {
    const bool avg = n.op == "AveragePool";
    Layer L = make(avg ? OpKind::AvgPool : OpKind::MaxPool, {actOf(n, n.inputs[0])});
    L.kernel = pairAttr(n, "kernel_shape", 1);
    if (n.attrInts("kernel_shape").empty()) fail(n, "onnx.bad-attribute", "kernel_shape is missing", "re-export the model");
    L.stride = pairAttr(n, "strides", 1);
    auto dil = pairAttr(n, "dilations", 1);
    if (dil[0] != 1 || dil[1] != 1) unsupported(n, "pooling with dilation is not supported");
    if (n.outputs.size() > 1 && !n.outputs[1].empty()) unsupported(n, "MaxPool with an Indices output is not supported");
    L.padding = convPads(n, shapeOf(n.inputs[0]), L.kernel, L.stride, dil);
    L.ceilMode = n.attrInt("ceil_mode", 0) != 0;
    L.countIncludePad = avg && n.attrInt("count_include_pad", 0) != 0;
    const bool ownPads = L.padding != std::array<int64_t, 4>{0, 0, 0, 0};
    if (avg && ownPads && !L.countIncludePad && pendingPads_.count(n.inputs[0]))
      unsupported(n, "an AveragePool with its own padding (not counted) after a Pad (counted) cannot be one layer");
    if (takePendingPad(n, L.padding)) L.countIncludePad = true;  // the Pad's zeros are averaged
    addLayer(std::move(L), n, n.outputs[0]);
  }
  void lowerGlobalMax(const Node& n) {
    const Shape* s = shapeOf(n.inputs[0]);
    if (!s || s->size() != 4) fail(n, "onnx.shape", "GlobalMaxPool needs a known 4-D input shape", "export with fixed shapes");
    Layer L = make(OpKind::MaxPool, {actOf(n, n.inputs[0])});
    L.kernel = {(*s)[2], (*s)[3]};
    L.stride = L.kernel;
    addLayer(std::move(L), n, n.outputs[0]);
  }

  // ---- activations ------------------------------------------------------------------------------------
  // `internalReads`: how many reads of `in` belong to the activation itself (2 for an Erf GELU).
  void activate(const Node& n, const std::string& in, ActivationKind kind, double lo, double hi, const std::string& out,
                int internalReads = 1) {
    Ref x = actOf(n, in);
    Built* B = layerOf(x);
    static const std::set<OpKind> fusable = {OpKind::Conv2d, OpKind::Fc, OpKind::MatMul, OpKind::Add, OpKind::Mul,
                                             OpKind::MaxPool, OpKind::AvgPool, OpKind::GlobalAvgPool, OpKind::LayerNorm};
    if (B && !B->dead && fusable.count(B->L.op) && B->L.activation == ActivationKind::None && uses(in) == internalReads && !isGraphOutput(in) &&
        B->tensor == in) {
      B->L.activation = kind;
      B->L.clipMin = lo;
      B->L.clipMax = hi;
      B->tensor = out;
      acts_[out] = x;
      return;
    }
    Layer L = make(OpKind::Activation, {x});
    L.activation = kind;
    L.clipMin = lo;
    L.clipMax = hi;
    addLayer(std::move(L), n, out);
  }
  void lowerActivation(const Node& n) {
    ActivationKind kind = ActivationKind::Relu;
    double lo = 0, hi = 6;
    if (n.op == "Sigmoid") kind = ActivationKind::Sigmoid;
    else if (n.op == "HardSigmoid") kind = ActivationKind::HardSigmoid;
    else if (n.op == "HardSwish") kind = ActivationKind::HardSwish;
    else if (n.op == "Tanh") kind = ActivationKind::Tanh;
    else if (n.op == "Gelu") kind = ActivationKind::Gelu;
    else if (n.op == "Clip") {
      lo = -std::numeric_limits<float>::max();
      hi = std::numeric_limits<float>::max();
      if (g_.opset < 11) {
        lo = n.attrFloat("min", static_cast<float>(lo));
        hi = n.attrFloat("max", static_cast<float>(hi));
      } else {
        if (n.inputs.size() > 1 && !n.inputs[1].empty()) lo = scalarOf(n, 1);
        if (n.inputs.size() > 2 && !n.inputs[2].empty()) hi = scalarOf(n, 2);
      }
      kind = lo == 0 && hi == 6 ? ActivationKind::Relu6 : (lo == 0 && hi >= 3.0e38 ? ActivationKind::Relu : ActivationKind::Clip);
      if (kind == ActivationKind::Relu) { lo = 0; hi = 6; }
    }
    activate(n, n.inputs[0], kind, lo, hi, n.outputs[0]);
  }
  double scalarOf(const Node& n, size_t slot) const {
    const Const& c = needConst(n, slot, "operand");
    if (c.count() != 1 || !c.hasData()) unsupported(n, "operand " + std::to_string(slot) + " must be a scalar constant");
    return c.at(0);
  }

  // ---- elementwise ----------------------------------------------------------------------------------
  bool isScalarConst(const std::string& t, double value, double tol) const {
    const Const* c = constOf(t);
    return c && c->hasData() && c->count() == 1 && std::abs(c->at(0) - value) <= tol;
  }
  const Node* soleReader(const std::string& t) const {
    auto it = readers_.find(t);
    if (it == readers_.end() || it->second.size() != 1 || isGraphOutput(t)) return nullptr;
    return &g_.nodes[it->second[0]];
  }
  size_t indexOf(const Node* n) const { return static_cast<size_t>(n - g_.nodes.data()); }
  // The other input of a binary node, given one.
  static std::string other(const Node& n, const std::string& t) { return n.inputs[0] == t ? n.inputs[1] : n.inputs[0]; }

  // GELU from exports: x * 0.5 * (1 + erf(x / sqrt 2)) in the orders torch and others emit.
  bool tryGelu(const Node& n) {
    if (n.inputs.size() != 2 || !isAct(n.inputs[0])) return false;
    const std::string& x = n.inputs[0];
    bool div = n.op == "Div" && isScalarConst(n.inputs[1], std::sqrt(2.0), 1e-3);
    bool mul = n.op == "Mul" && isScalarConst(n.inputs[1], 1.0 / std::sqrt(2.0), 1e-3);
    if (!div && !mul) return false;
    const Node* erf = soleReader(n.outputs[0]);
    if (!erf || erf->op != "Erf") return false;
    const Node* add = soleReader(erf->outputs[0]);
    if (!add || add->op != "Add" || !isScalarConst(other(*add, erf->outputs[0]), 1.0, 1e-6)) return false;
    const Node* m1 = soleReader(add->outputs[0]);
    if (!m1 || m1->op != "Mul") return false;
    std::string y = other(*m1, add->outputs[0]);
    std::string out;
    std::vector<size_t> used = {indexOf(erf), indexOf(add), indexOf(m1)};
    if (y == x) {  // (x * (1+erf)) * 0.5
      const Node* m2 = soleReader(m1->outputs[0]);
      if (!m2 || m2->op != "Mul" || !isScalarConst(other(*m2, m1->outputs[0]), 0.5, 1e-6)) return false;
      used.push_back(indexOf(m2));
      out = m2->outputs[0];
    } else {  // (x * 0.5) * (1+erf)
      bool found = false;
      for (auto& [k, nodes] : readers_) {
        if (k != x) continue;
        for (size_t ni : nodes) {
          const Node& h = g_.nodes[ni];
          if (h.op == "Mul" && !h.outputs.empty() && h.outputs[0] == y && isScalarConst(other(h, x), 0.5, 1e-6)) {
            used.push_back(ni);
            found = true;
          }
        }
      }
      if (!found) return false;
      out = m1->outputs[0];
    }
    for (size_t u : used) done_.insert(u);
    int reads = 0;
    for (size_t u : used)
      for (auto& t : g_.nodes[u].inputs) reads += t == x;
    activate(n, x, ActivationKind::Gelu, 0, 6, out, reads + 1);
    return true;
  }

  // Walks from tensor t back through single-use layout layers to the compute layer producing it.
  Built* computeBehind(const std::string& t, bool throughLayout) {
    Ref r = acts_.at(t);
    std::string tensor = t;
    for (int guard = 0; guard < 16; ++guard) {
      Built* B = layerOf(r);
      if (!B || B->dead || uses(tensor) != 1 || isGraphOutput(tensor) || B->tensor != tensor) return nullptr;
      if (B->L.isCompute()) return B->L.activation == ActivationKind::None ? B : nullptr;
      if (!throughLayout || !(B->L.op == OpKind::Reshape || B->L.op == OpKind::Flatten || B->L.op == OpKind::Transpose)) return nullptr;
      tensor = B->L.inputs[0];
      auto it = std::find_if(layers_.begin(), layers_.end(), [&](const Built& b) { return b.L.name == tensor; });
      if (it == layers_.end()) return nullptr;
      tensor = it->tensor;
      r = acts_.at(tensor);
    }
    return nullptr;
  }

  // A per-channel constant c (one dimension > 1, aligned to the right of x's shape) applied to x:
  // walks back from x through single-use Transpose layers, following that axis, to a conv2d or fc
  // without activation whose channel axis it is (1 for conv, the last for fc). nullptr otherwise.
  Built* computeBehindTransposes(const std::string& x, const Const& c) {
    const Shape* xs = shapeOf(x);
    if (!xs || c.dims.size() > xs->size()) return nullptr;
    int64_t axis = -1;
    for (size_t d = 0; d < c.dims.size(); ++d)
      if (c.dims[d] > 1) {
        if (axis >= 0) return nullptr;
        axis = static_cast<int64_t>(d + xs->size() - c.dims.size());
      }
    if (axis < 0) return nullptr;
    std::string tensor = x;
    for (int guard = 0; guard < 16; ++guard) {
      auto a = acts_.find(tensor);
      if (a == acts_.end()) return nullptr;
      Built* T = layerOf(a->second);
      if (!T || T->dead || uses(tensor) != 1 || isGraphOutput(tensor) || T->tensor != tensor) return nullptr;
      if (T->L.op == OpKind::Conv2d || T->L.op == OpKind::Fc) {
        const Shape* ts = shapeOf(tensor);
        const int64_t channel = T->L.op == OpKind::Conv2d ? 1 : (ts ? static_cast<int64_t>(ts->size()) - 1 : -1);
        const int64_t K = T->L.op == OpKind::Conv2d ? T->L.outChannels : T->L.outFeatures;
        const bool ok = T->L.activation == ActivationKind::None && axis == channel && c.count() == K;
        return ok ? T : nullptr;
      }
      if (T->L.op != OpKind::Transpose || axis >= static_cast<int64_t>(T->L.perm.size())) return nullptr;
      axis = T->L.perm[static_cast<size_t>(axis)];
      auto src = std::find_if(layers_.begin(), layers_.end(), [&](const Built& b) { return b.L.name == T->L.inputs[0]; });
      if (src == layers_.end()) return nullptr;
      tensor = src->tensor;
    }
    return nullptr;
  }

  void lowerElementwise(const Node& n) {
    if (n.inputs.size() != 2) fail(n, "onnx.bad-attribute", n.op + " needs two inputs", "re-export the model");
    if (tryGelu(n)) return;
    const bool a0 = isAct(n.inputs[0]), a1 = isAct(n.inputs[1]);
    if (a0 && a1) {
      if (n.op == "Sub" || n.op == "Div") unsupported(n, n.op + " of two activation tensors is not supported");
      Layer L = make(n.op == "Add" ? OpKind::Add : OpKind::Mul, {actOf(n, n.inputs[0]), actOf(n, n.inputs[1])});
      addLayer(std::move(L), n, n.outputs[0]);
      return;
    }
    if (!a0 && !a1) unsupported(n, "an elementwise op on constants that the importer cannot fold");
    const std::string& x = a0 ? n.inputs[0] : n.inputs[1];
    const Const& c = needConst(n, a0 ? 1 : 0, "operand");
    if ((n.op == "Sub" || n.op == "Div") && !a0) unsupported(n, "a constant " + std::string(n.op == "Sub" ? "minus" : "divided by") + " a tensor");
    const bool scalar = c.count() == 1;
    Built* B = computeBehind(x, scalar && (n.op == "Mul" || n.op == "Div"));
    // The constant must be a scalar or one value per output channel/feature.
    bool perChannel = false;
    if (B && !scalar && B->L.op != OpKind::MatMul) {
      const int64_t K = B->L.op == OpKind::Conv2d ? B->L.outChannels : B->L.outFeatures;
      const Shape* xs = shapeOf(x);
      if (c.count() == K && xs) {
        // The channel axis is 1 for conv (NCHW) and the last for fc.
        size_t axis = B->L.op == OpKind::Conv2d ? 1 : xs->size() - 1;
        Shape want(xs->size(), 1);
        want[axis] = K;
        Shape have = c.dims;
        while (have.size() < want.size()) have.insert(have.begin(), 1);
        perChannel = have == want || (c.dims.size() == 1 && axis == xs->size() - 1);
      }
    }
    if (!scalar && !perChannel)
      if (Built* T = computeBehindTransposes(x, c)) {  // a per-channel scale after a Transpose (ConvNeXt's layer scale)
        B = T;
        perChannel = true;
      }
    if (!B || (!scalar && !perChannel) || (B->L.op == OpKind::MatMul && n.op != "Mul" && n.op != "Div") || !c.hasData()) {
      if (!c.hasData() && B && (scalar || perChannel) && ((n.op == "Add" || n.op == "Sub") ? B->L.op != OpKind::MatMul : true)) {
        if (n.op == "Add" || n.op == "Sub") B->L.bias = true;  // a bias (or a scale) exported without values
        acts_[n.outputs[0]] = acts_.at(x);
        if (Built* direct = layerOf(acts_.at(x)); direct && direct->tensor == x) direct->tensor = n.outputs[0];
        return;
      }
      return skip(n, n.op + " of the constant '" + n.inputs[a0 ? 1 : 0] + "' " + "[" + workload::shapeText(c.dims) + "]" +
                         (c.hasData() ? "" : " (a parameter exported without values)") +
                         " is supported only when it folds into the preceding Conv/Gemm/MatMul (a bias, or a scalar or "
                         "per-channel scale); no workload layer adds or multiplies by a constant tensor");
    }
    std::vector<double> v = values(c), scale, shift;
    if (n.op == "Add") shift = v;
    else if (n.op == "Sub") { for (double& e : v) e = -e; shift = v; }
    else if (n.op == "Mul") scale = v;
    else { for (double& e : v) e = 1.0 / e; scale = v; }
    foldAffine(*B, scale, shift);
    acts_[n.outputs[0]] = acts_.at(x);
    Built* direct = layerOf(acts_.at(x));
    if (direct && direct->tensor == x) direct->tensor = n.outputs[0];
  }

  // ---- layout ------------------------------------------------------------------------------------------
  void lowerConcat(const Node& n) {
    std::vector<Ref> ins;
    for (auto& t : n.inputs) {
      if (t.empty()) continue;
      if (!isAct(t)) unsupported(n, "Concat with a constant input is not supported");
      ins.push_back(actOf(n, t));
    }
    Layer L = make(OpKind::Concat, ins);
    L.axis = n.attrInt("axis", 1);
    addLayer(std::move(L), n, n.outputs[0]);
  }
  void lowerReshape(const Node& n) {
    Ref x = actOf(n, n.inputs[0]);
    const Shape* in = shapeOf(n.inputs[0]);
    if (n.op == "Flatten") {
      Layer L = make(OpKind::Flatten, {x});
      L.axis = n.attrInt("axis", 1);
      addLayer(std::move(L), n, n.outputs[0]);
      return;
    }
    const Shape* out = shapeOf(n.outputs[0]);
    Shape target;
    if (out) target = *out;
    else if (n.op == "Reshape" && in) {
      const Const& s = needConst(n, 1, "shape");
      if (!s.hasData()) fail(n, "onnx.shape", "the target shape is unknown", "export with fixed shapes");
      auto sv = values(s);
      for (size_t d = 0; d < sv.size(); ++d) target.push_back(sv[d] == 0 && d < in->size() ? (*in)[d] : static_cast<int64_t>(sv[d]));
    } else {
      fail(n, "onnx.shape", "the output shape is unknown after ONNX shape inference", "export with fixed input shapes");
    }
    if (in && *in == target) {
      acts_[n.outputs[0]] = x;
      return;
    }
    Layer L = make(OpKind::Reshape, {x});
    L.targetShape = target;
    addLayer(std::move(L), n, n.outputs[0]);
  }
  void lowerTranspose(const Node& n) {
    Ref x = actOf(n, n.inputs[0]);
    std::vector<int64_t> perm = n.attrInts("perm");
    const Shape* in = shapeOf(n.inputs[0]);
    if (perm.empty()) {
      if (!in) fail(n, "onnx.shape", "Transpose without perm needs a known input rank", "export with fixed shapes");
      for (int64_t d = static_cast<int64_t>(in->size()) - 1; d >= 0; --d) perm.push_back(d);
    }
    bool identity = true;
    for (size_t i = 0; i < perm.size(); ++i) identity &= perm[i] == static_cast<int64_t>(i);
    if (identity) {
      acts_[n.outputs[0]] = x;
      return;
    }
    Layer L = make(OpKind::Transpose, {x});
    L.perm = perm;
    addLayer(std::move(L), n, n.outputs[0]);
  }
  void lowerLayerNorm(const Node& n) {
    Layer L = make(OpKind::LayerNorm, {actOf(n, n.inputs[0])});
    L.axis = n.attrInt("axis", -1);
    L.epsilon = n.attrFloat("epsilon", 1e-5f);
    const Shape* in = shapeOf(n.inputs[0]);
    if (in && L.axis != -1 && L.axis != static_cast<int64_t>(in->size()) - 1)
      unsupported(n, "LayerNormalization over more than the last axis is not supported");
    int idx = addLayer(std::move(L), n, n.outputs[0]);
    const Const* gam = n.inputs.size() > 1 && !n.inputs[1].empty() ? constOf(n.inputs[1]) : nullptr;
    const Const* bet = n.inputs.size() > 2 && !n.inputs[2].empty() ? constOf(n.inputs[2]) : nullptr;
    setNormParams(layers_[static_cast<size_t>(idx)], gam, bet);
  }
  void setNormParams(Built& B, const Const* gam, const Const* bet) {
    if (gam && gam->hasData()) {
      B.p.weightShape = gam->dims;
      B.p.weight.assign(gam->f.begin(), gam->f.end());
      B.hasData = true;
    }
    if (bet && bet->hasData()) B.p.bias.assign(bet->f.begin(), bet->f.end());
  }

  static std::string axesText(const std::vector<int64_t>& axes) {
    std::string t = "[";
    for (size_t k = 0; k < axes.size(); ++k) t += (k ? ", " : "") + std::to_string(axes[k]);
    return t + (axes.empty() ? "all]" : "]");
  }
  // ReduceMean / ReduceMax over the spatial axes of a 4-D map (axes {2, 3} in any order or sign):
  // global average pooling, or a max pool with the whole map as its window; keepdims 0 adds a
  // flatten to [N, C]. A ReduceMean over the last axis is the start of a decomposed LayerNorm.
  void lowerReduce(const Node& n) {
    const std::string& x = n.inputs[0];
    const Shape* xs = shapeOf(x);
    std::vector<int64_t> axes = n.attrInts("axes");
    if (n.inputs.size() > 1 && !n.inputs[1].empty()) {  // opset 18: axes as an input
      const Const& a = needConst(n, 1, "axes");
      if (!a.hasData()) unsupported(n, "the axes are computed at run time");
      axes.clear();
      for (int64_t k = 0; k < a.count(); ++k) axes.push_back(static_cast<int64_t>(a.at(k)));
    }
    const int64_t rank = xs ? static_cast<int64_t>(xs->size()) : -1;
    std::vector<int64_t> norm;
    for (int64_t a : axes) norm.push_back(a < 0 ? a + rank : a);
    std::sort(norm.begin(), norm.end());
    const bool spatial = rank == 4 && norm == std::vector<int64_t>{2, 3};
    if (n.op == "ReduceMean" && !spatial && axes.size() == 1 && rank > 0 && norm[0] == rank - 1) return lowerLayerNormPattern(n);
    if (!spatial || !isAct(x))
      unsupported(n, n.op + " over axes " + axesText(axes) + " of a " + (xs ? workload::shapeText(*xs) : std::string("shape-unknown")) +
                         " tensor: supported over the spatial axes [2, 3] of a 4-D map (global pooling)" +
                         (n.op == "ReduceMean" ? " and over the last axis as part of a decomposed LayerNorm" : ""));
    Layer L = make(n.op == "ReduceMean" ? OpKind::GlobalAvgPool : OpKind::MaxPool, {actOf(n, x)});
    if (L.op == OpKind::MaxPool) {
      L.kernel = {(*xs)[2], (*xs)[3]};
      L.stride = L.kernel;
    }
    if (n.attrInt("keepdims", 1) != 0) {
      addLayer(std::move(L), n, n.outputs[0]);
      return;
    }
    int pool = addLayer(std::move(L), n, n.outputs[0] + "#keepdims");
    Layer F = make(OpKind::Flatten, {Ref{pool, {}}});
    F.axis = 1;
    F.name = uniqueFrom(layers_[static_cast<size_t>(pool)].L.name + "_squeeze");
    addLayer(std::move(F), n, n.outputs[0]);
  }

  // Pad (constant mode, value 0, spatial axes of a 4-D map): all-zero pads are dropped; otherwise
  // the pads are added to the padding of the Conv or AveragePool that is the Pad's only reader
  // (zero padding is what their own padding inserts; the average then counts the padded zeros).
  void lowerPad(const Node& n) {
    const std::string& x = n.inputs[0];
    const Shape* xs = shapeOf(x);
    auto refuse = [&](const std::string& why) { return skip(n, "Pad " + why); };
    if (n.attrString("mode", "constant") != "constant") return refuse("mode '" + n.attrString("mode", "constant") + "' is not supported (only constant zero padding)");
    std::vector<int64_t> pads = n.attrInts("pads");
    if (g_.opset >= 11) {
      if (n.inputs.size() < 2 || n.inputs[1].empty()) fail(n, "onnx.bad-attribute", "Pad has no pads input", "re-export the model");
      const Const& p = needConst(n, 1, "pads");
      if (!p.hasData()) return refuse("pads are not known at import");
      pads.clear();
      for (int64_t k = 0; k < p.count(); ++k) pads.push_back(static_cast<int64_t>(p.at(k)));
      if (n.inputs.size() > 2 && !n.inputs[2].empty()) {
        const Const& v = needConst(n, 2, "constant_value");
        if (!v.hasData() || v.count() != 1 || v.at(0) != 0) return refuse("with a non-zero (or unknown) constant_value is not supported");
      }
      if (n.inputs.size() > 3 && !n.inputs[3].empty()) return refuse("with an axes input is not supported");
    } else if (n.attrFloat("value", 0.f) != 0.f) {
      return refuse("with a non-zero value is not supported");
    }
    if (!xs || pads.size() != 2 * xs->size()) fail(n, "onnx.bad-attribute", "Pad needs 2 x rank pads and a known input shape", "re-export the model");
    bool zero = true, spatialOnly = xs->size() == 4;
    for (size_t k = 0; k < pads.size(); ++k) {
      if (pads[k] < 0) return refuse("with negative pads (cropping) is not supported");
      zero = zero && pads[k] == 0;
      if (pads[k] != 0 && (k % xs->size()) < 2) spatialOnly = false;
    }
    Ref r = actOf(n, x);
    if (zero) {
      acts_[n.outputs[0]] = r;
      return;
    }
    const Node* c = soleReader(n.outputs[0]);
    if (!spatialOnly || !c || c->inputs[0] != n.outputs[0] || (c->op != "Conv" && c->op != "AveragePool") ||
        c->attrString("auto_pad", "NOTSET") != "NOTSET" || (c->op == "AveragePool" && c->attrInt("ceil_mode", 0) != 0))
      return refuse("is supported only with all-zero pads, or zero padding of the height and width read by one Conv or "
                    "AveragePool (without auto_pad or ceil_mode), into whose padding it folds");
    pendingPads_[n.outputs[0]] = {pads[2], pads[3], pads[6], pads[7]};  // top, left, bottom, right
    acts_[n.outputs[0]] = r;
  }
  // Adds a folded Pad's pads to a layer's padding [top, left, bottom, right].
  bool takePendingPad(const Node& n, std::array<int64_t, 4>& padding) {
    auto it = pendingPads_.find(n.inputs[0]);
    if (it == pendingPads_.end()) return false;
    for (size_t k = 0; k < 4; ++k) padding[k] += it->second[k];
    return true;
  }
  std::string uniqueFrom(const std::string& base) {
    std::string name = base;
    for (int k = 2; usedNames_.count(name) || acts_.count(name); ++k) name = base + "_" + std::to_string(k);
    usedNames_.insert(name);
    return name;
  }

  // Decomposed LayerNorm (opsets < 17): mean = ReduceMean(x); d = x - mean; var = ReduceMean(d^2);
  // y = d / sqrt(var + eps) [* gamma] [+ beta], all over the last axis.
  void lowerLayerNormPattern(const Node& n) {
    auto bad = [&]() { unsupported(n, "ReduceMean is supported only as part of a decomposed LayerNorm over the last axis"); };
    const std::string& x = n.inputs[0];
    const Shape* xs = shapeOf(x);
    auto axes = n.attrInts("axes");
    if (!xs || !isAct(x) || axes.size() != 1 || (axes[0] != -1 && axes[0] != static_cast<int64_t>(xs->size()) - 1)) bad();
    // Sub(x, mean) must read the mean; it may be read twice (Sub and nothing else).
    auto rd = readers_.find(n.outputs[0]);
    if (rd == readers_.end() || rd->second.size() != 1) bad();
    const Node& sub = g_.nodes[rd->second[0]];
    if (sub.op != "Sub" || sub.inputs[0] != x || sub.inputs[1] != n.outputs[0]) bad();
    const std::string& d = sub.outputs[0];
    auto dr = readers_.find(d);
    if (dr == readers_.end() || dr->second.size() != 2) bad();
    const Node *pow = nullptr, *div = nullptr;
    for (size_t ni : dr->second) {
      const Node& r = g_.nodes[ni];
      if (r.op == "Pow" && isScalarConst(r.inputs[1], 2.0, 1e-6)) pow = &r;
      else if (r.op == "Div" && r.inputs[0] == d) div = &r;
    }
    if (!pow || !div) bad();
    const Node* mean2 = soleReader(pow->outputs[0]);
    if (!mean2 || mean2->op != "ReduceMean") bad();
    const Node* addEps = soleReader(mean2->outputs[0]);
    if (!addEps || addEps->op != "Add") bad();
    const Const* eps = constOf(other(*addEps, mean2->outputs[0]));
    if (!eps || !eps->hasData() || eps->count() != 1) bad();
    const Node* sqrt = soleReader(addEps->outputs[0]);
    if (!sqrt || sqrt->op != "Sqrt" || div->inputs[1] != sqrt->outputs[0]) bad();
    std::vector<size_t> used = {indexOf(&sub), indexOf(pow), indexOf(mean2), indexOf(addEps), indexOf(sqrt), indexOf(div)};
    std::string out = div->outputs[0];
    const Const *gam = nullptr, *bet = nullptr;
    if (const Node* m = soleReader(out); m && m->op == "Mul" && constOf(other(*m, out))) {
      gam = constOf(other(*m, out));
      used.push_back(indexOf(m));
      out = m->outputs[0];
      if (const Node* a = soleReader(out); a && a->op == "Add" && constOf(other(*a, out))) {
        bet = constOf(other(*a, out));
        used.push_back(indexOf(a));
        out = a->outputs[0];
      }
    }
    for (size_t u : used) done_.insert(u);
    Layer L = make(OpKind::LayerNorm, {actOf(n, x)});
    L.axis = -1;
    L.epsilon = eps->at(0);
    int idx = addLayer(std::move(L), n, out);
    setNormParams(layers_[static_cast<size_t>(idx)], gam, bet);
  }

  // Slice of an fc output along its features (e.g. the fused Q/K/V projection): a separate fc.
  // What a Slice takes, for its diagnostic: "[b:e(:step)] of axis a, ..., of a NxCxHxW tensor (-> shape)".
  std::string sliceText(const Node& n, const Const& st, const Const& en, const Const* ax, const Const* sp) const {
    std::string t;
    // Only as many entries as every list present holds (a malformed file may disagree).
    int64_t count = st.hasData() && en.hasData() ? std::min(st.count(), en.count()) : 0;
    if (ax && ax->hasData()) count = std::min(count, ax->count());
    if (sp && sp->hasData()) count = std::min(count, sp->count());
    auto num = [](double v) {  // exporters write "to the end" as INT64_MAX (INT64_MIN backwards)
      return v >= 1e15 ? std::string("end") : v <= -1e15 ? std::string("-end") : std::to_string(static_cast<int64_t>(v));
    };
    for (int64_t k = 0; k < count && k < 8; ++k) {
      t += (k ? ", [" : "[") + num(st.at(k)) + ":" + num(en.at(k));
      if (sp && sp->hasData() && sp->at(k) != 1) t += ":" + num(sp->at(k));
      t += "] of axis " + (ax && ax->hasData() ? num(ax->at(k)) : std::to_string(k));
    }
    const Shape* xs = shapeOf(n.inputs[0]);
    const Shape* ys = shapeOf(n.outputs[0]);
    if (xs) t += std::string(t.empty() ? "" : " ") + "of a " + workload::shapeText(*xs) + " tensor";
    if (ys) t += " (-> " + workload::shapeText(*ys) + ")";
    return t;
  }
  void lowerSlice(const Node& n) {
    const std::string& x = n.inputs[0];
    Ref r = actOf(n, x);
    Built* B = layerOf(r);
    const Shape* xs = shapeOf(x);
    if (n.inputs.size() < 3) unsupported(n, "Slice needs starts and ends");
    const Const &st = needConst(n, 1, "starts"), &en = needConst(n, 2, "ends");
    const Const* ax = n.inputs.size() > 3 && !n.inputs[3].empty() ? &needConst(n, 3, "axes") : nullptr;
    const Const* sp = n.inputs.size() > 4 && !n.inputs[4].empty() ? &needConst(n, 4, "steps") : nullptr;
    // A slice that keeps the whole tensor (x[:, :], an end past the last element) is dropped: with
    // unit steps an output as large as the input is the input.
    bool unitSteps = !sp || sp->hasData();
    for (int64_t k = 0; sp && sp->hasData() && k < sp->count(); ++k) unitSteps &= sp->at(k) == 1;
    if (const Shape* ys = shapeOf(n.outputs[0]); xs && ys && *xs == *ys && unitSteps) {
      acts_[n.outputs[0]] = r;
      return;
    }
    const std::string what = sliceText(n, st, en, ax, sp);
    const std::string noLayer = "; no workload layer takes a part of a tensor (docs/onnx.md#limits)";
    if (!B || B->L.op != OpKind::Fc || B->L.activation != ActivationKind::None || B->tensor != x || !xs || st.count() != 1 ||
        !st.hasData() || !en.hasData() || (sp && (!sp->hasData() || sp->at(0) != 1)))
      return skip(n, "Slice " + what + " is supported only along the features of a fully connected layer's output (it splits the layer)" + noLayer);
    const int64_t rank = static_cast<int64_t>(xs->size());
    int64_t axis = ax && ax->hasData() ? static_cast<int64_t>(ax->at(0)) : 0;
    if (axis < 0) axis += rank;
    if (axis != rank - 1) return skip(n, "Slice " + what + " is supported only along the last (feature) axis of an fc output" + noLayer);
    const int64_t F = B->L.outFeatures;
    int64_t b = static_cast<int64_t>(st.at(0)), e = static_cast<int64_t>(std::min<double>(en.at(0), static_cast<double>(F)));
    if (b < 0) b += F;
    if (e < 0) e += F;
    b = std::clamp<int64_t>(b, 0, F);
    e = std::clamp<int64_t>(e, 0, F);
    if (e <= b) fail(n, "onnx.shape", "the slice is empty", "re-export the model");
    Built part;
    part.L = B->L;
    part.L.name.clear();
    part.L.outFeatures = e - b;
    part.hasData = B->hasData;
    const int64_t C = B->p.weightShape.size() == 2 ? B->p.weightShape[1] : 0;
    part.p.weightShape = {e - b, C};
    if (B->hasData) {
      part.p.weight.assign(B->p.weight.begin() + b * C, B->p.weight.begin() + e * C);
      if (!B->p.bias.empty()) part.p.bias.assign(B->p.bias.begin() + b, B->p.bias.begin() + e);
    }
    B->splitSource = true;
    int idx = addLayer(part.L, n, n.outputs[0]);
    layers_[static_cast<size_t>(idx)].p = part.p;
    layers_[static_cast<size_t>(idx)].hasData = part.hasData;
  }

  // ---- output ----------------------------------------------------------------------------------------
  Lowered assemble() {
    std::set<std::string> read;
    for (auto& b : layers_)
      if (!b.dead)
        for (auto& t : b.L.inputs) read.insert(t);
    std::vector<std::string> outs;
    for (auto& t : g_.outputs) {
      auto it = acts_.find(t);
      if (it == acts_.end() || it->second.layer < 0) continue;
      outs.push_back(refName(it->second));
      read.insert(outs.back());
    }
    Lowered r;
    r.model.name = sanitizeName(g_.name).empty() ? "onnx_model" : sanitizeName(g_.name);
    r.model.source = "imported from " + g_.file;
    for (auto& name : g_.inputs)
      if (!params_.count(name)) r.model.inputs.push_back({name, *shapeOf(name)});
    for (auto& b : layers_) {
      if (b.dead || (b.splitSource && !read.count(b.L.name))) continue;
      if (b.hasData) {
        r.params[b.L.name] = b.p;
        r.hasWeights = true;
      }
      r.tensorOf[b.L.name] = b.tensor;
      if (!b.weightTensor.empty()) r.paramTensorsOf[b.L.name] = {b.weightTensor, b.biasTensor};
      r.model.layers.push_back(b.L);
    }
    r.model.outputs = outs;
    r.skipped = skipped_;
    if (r.model.layers.empty())
      diag::fail("onnx.empty", {g_.file, ""}, "the graph has no layers after import (only constants and layout)",
                 "check that the file is the network, not a preprocessing graph");
    return r;
  }
};

const std::map<std::string, OpLowering>& loweringTable() {
  using L = Lowerer;
  const OpLowering alias{&L::lowerAlias, &L::refuseUnfolded};  // a Cast that neither aliases nor folds
  const OpLowering foldOnly{nullptr, &L::refuseUnfolded};
  auto to = [](void (Lowerer::*fn)(const Node&)) { return OpLowering{nullptr, fn}; };
  static const std::map<std::string, OpLowering> table = {
      {"Constant", {&L::lowerConstantNode, nullptr}},
      {"Identity", alias}, {"Dropout", alias}, {"Cast", alias},
      {"Conv", to(&L::lowerConv)}, {"Gemm", to(&L::lowerGemm)}, {"MatMul", to(&L::lowerGemm)},
      {"Einsum", to(&L::lowerEinsum)}, {"BatchNormalization", to(&L::lowerBatchNorm)},
      {"MaxPool", to(&L::lowerPool)}, {"AveragePool", to(&L::lowerPool)},
      {"GlobalAveragePool", to(&L::lowerGlobalAvg)}, {"GlobalMaxPool", to(&L::lowerGlobalMax)},
      {"Relu", to(&L::lowerActivation)}, {"Clip", to(&L::lowerActivation)}, {"Sigmoid", to(&L::lowerActivation)},
      {"HardSigmoid", to(&L::lowerActivation)}, {"HardSwish", to(&L::lowerActivation)},
      {"Tanh", to(&L::lowerActivation)}, {"Gelu", to(&L::lowerActivation)},
      {"ReduceMean", to(&L::lowerReduce)}, {"ReduceMax", to(&L::lowerReduce)}, {"Pad", to(&L::lowerPad)},
      {"Add", to(&L::lowerElementwise)}, {"Sub", to(&L::lowerElementwise)}, {"Mul", to(&L::lowerElementwise)},
      {"Div", to(&L::lowerElementwise)}, {"Concat", to(&L::lowerConcat)},
      {"Flatten", to(&L::lowerReshape)}, {"Reshape", to(&L::lowerReshape)}, {"Squeeze", to(&L::lowerReshape)},
      {"Unsqueeze", to(&L::lowerReshape)}, {"Transpose", to(&L::lowerTranspose)}, {"Softmax", to(&L::lowerSoftmax)},
      {"LayerNormalization", to(&L::lowerLayerNorm)}, {"Slice", to(&L::lowerSlice)},
      {"Shape", foldOnly}, {"Gather", foldOnly}, {"Pow", foldOnly}, {"Sqrt", foldOnly}, {"Erf", foldOnly},
      {"ConstantOfShape", foldOnly}, {"Equal", foldOnly}, {"Where", foldOnly}, {"Neg", foldOnly},
      {"Reciprocal", foldOnly}};
  return table;
}

}  // namespace

diag::Expected<Lowered> lower(Graph& g, const ImportOptions& options) {
  return diag::capture([&] { return Lowerer(g, options).run(); });
}

}  // namespace dnnchip::onnx::detail
