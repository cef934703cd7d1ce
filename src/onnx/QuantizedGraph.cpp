// QuantizedGraph: turns a quantized ONNX graph into the float graph the lowering reads, keeping
// the model's own scales and zero points (issue 18). Runs on the protobuf, before shape inference,
// in the reader's topological order. Two forms:
//   - QDQ: QuantizeLinear/DequantizeLinear pairs around float ops. A pair on an activation is an
//     alias (the float tensor stands for its quantized value) and records the tensor's scale and
//     zero point; a DequantizeLinear of an integer initializer (or of a QuantizeLinear of a float
//     one: PyTorch's fake-quantized weights) becomes a float initializer (q - zp) * s and records
//     its integer values and scale.
//   - QOperator: QLinearConv, QLinearMatMul and com.microsoft QLinearAdd become Conv, MatMul and
//     Add on float tensors with dequantized weights and biases; their input and output scales are
//     recorded on the tensors they read and write.
// What the engine's integer semantics cannot hold (docs/quantization.md: symmetric int8, one
// scale per layer) is refused with onnx.quant-unsupported: per-channel weight scales that differ,
// a weight zero point other than 0, a weight of -128, dynamic quantization (ConvInteger,
// MatMulInteger, DynamicQuantizeLinear: scales computed at run time). An activation zero point
// other than 0 (int8) or 128 (uint8; x - 128 is exact) is onnx.quant-zero-point, naming what the
// engine lacks for that tensor at its producer and each reader (output offset, padding with the
// zero point, input offset, add constant, clamp). Two scales for one tensor are
// onnx.quant-mismatch. Cost O(nodes + quantized weights).

#include <algorithm>
#include <cmath>
#include <set>

#include <onnx/onnx_pb.h>

#include "OnnxGraph.h"

namespace dnnchip::onnx::detail {

namespace {

using workload::Shape;

class Rewriter {
 public:
  Rewriter(::onnx::GraphProto& g, const std::string& file) : g_(g), file_(file) {}

  QuantInfo run() {
    for (const auto& t : g_.initializer()) initNames_.insert(t.name());
    for (const auto& n : g_.node())
      if ((n.op_type() == "Cast" || n.op_type() == "ConstantOfShape") && n.output_size() == 1 && n.input_size() == 1)
        folds_[n.output(0)] = &n;
    for (const auto& n : g_.node())
      if (n.op_type() == "Constant" && n.output_size() == 1)
        for (const auto& a : n.attribute())
          if (a.name() == "value" && a.has_t()) constNodes_[n.output(0)] = &a.t();
    google::protobuf::RepeatedPtrField<::onnx::NodeProto> out;
    for (int i = 0; i < g_.node_size(); ++i) {
      ::onnx::NodeProto n = g_.node(i);
      index_ = i;
      if (n.output_size() < 1) {
        *out.Add() = n;  // the reader's arity check reports it
        continue;
      }
      for (int k = 0; k < n.input_size(); ++k) n.set_input(k, resolve(n.input(k)));
      const std::string& op = n.op_type();
      if (op == "QuantizeLinear") quantize(n);
      else if (op == "DequantizeLinear") dequantize(n);
      else if (op == "Cast" && n.input_size() == 1 && info_.activations.count(n.input(0)) &&
               (attrInt(n, "to", 0) == ::onnx::TensorProto::UINT8 || attrInt(n, "to", 0) == ::onnx::TensorProto::INT8)) {
        // torch.onnx writes QuantizeLinear -> Cast(to uint8) -> DequantizeLinear: the quantized
        // tensor cast to its own type, an alias like the pair around it.
        alias_[n.output(0)] = n.input(0);
        touched_.insert(n.output(0));
        changed_ = true;
      }
      else if (op == "QLinearConv") *out.Add() = qlinearConv(n);
      else if (op == "QLinearMatMul") *out.Add() = qlinearMatMul(n);
      else if (op == "QLinearAdd" && n.domain() == "com.microsoft") *out.Add() = qlinearAdd(n);
      else if (op == "ConvInteger" || op == "MatMulInteger" || op == "DynamicQuantizeLinear")
        unsupported(n, op + " is dynamic quantization: its activation scales are computed at run time, and the engine needs "
                            "them fixed when the chip is built",
                    "quantize statically (onnxruntime quantize_static, or PyTorch post-training static quantization)");
      else *out.Add() = n;
    }
    if (!changed_) return std::move(info_);
    g_.mutable_node()->Swap(&out);
    for (auto& o : *g_.mutable_output()) {
      const std::string r = resolve(o.name());
      if (r != o.name() || info_.activations.count(r)) {
        o.set_name(r);
        if (o.type().has_tensor_type()) o.mutable_type()->mutable_tensor_type()->set_elem_type(::onnx::TensorProto::FLOAT);
      }
    }
    // The value_info of rewritten tensors names integer types shape inference would now reject.
    google::protobuf::RepeatedPtrField<::onnx::ValueInfoProto> keep;
    for (const auto& v : g_.value_info())
      if (!touched_.count(v.name())) *keep.Add() = v;
    g_.mutable_value_info()->Swap(&keep);
    for (auto& t : newInits_) *g_.add_initializer() = std::move(t);
    return std::move(info_);
  }

 private:
  ::onnx::GraphProto& g_;
  const std::string& file_;
  int index_ = 0;
  bool changed_ = false;
  QuantInfo info_;
  std::set<std::string> initNames_;
  std::map<std::string, const ::onnx::TensorProto*> constNodes_;
  std::map<std::string, const ::onnx::NodeProto*> folds_;  // Cast / ConstantOfShape outputs, by tensor
  std::map<std::string, std::string> alias_;   // removed tensor -> the float tensor it stands for
  std::map<std::string, Const> intConsts_;      // QuantizeLinear of a float initializer: its integers
  std::set<std::string> touched_;
  std::vector<::onnx::TensorProto> newInits_;

  std::string where(const ::onnx::NodeProto& n) const {
    return "node '" + (n.name().empty() ? "#" + std::to_string(index_) : n.name()) + "' (" + n.op_type() + ")";
  }
  [[noreturn]] void unsupported(const ::onnx::NodeProto& n, const std::string& msg, const std::string& hint) const {
    diag::fail("onnx.quant-unsupported", {file_, where(n)}, where(n) + ": " + msg, hint);
  }
  [[noreturn]] void mismatch(const ::onnx::NodeProto& n, const std::string& msg) const {
    diag::fail("onnx.quant-mismatch", {file_, where(n)}, where(n) + ": " + msg,
               "the quantized graph is inconsistent: re-run the quantizer or re-export the model");
  }

  std::string resolve(const std::string& t) const {
    std::string r = t;
    for (auto it = alias_.find(r); it != alias_.end(); it = alias_.find(r)) r = it->second;
    return r;
  }
  // A constant input: an initializer, a Constant node's value or an integer made here.
  std::optional<Const> constant(const std::string& t) const {
    if (t.empty()) return std::nullopt;
    if (auto it = intConsts_.find(t); it != intConsts_.end()) return it->second;
    if (initNames_.count(t))
      for (const auto& i : g_.initializer())
        if (i.name() == t) return readTensor(i, file_);
    if (auto it = constNodes_.find(t); it != constNodes_.end()) return readTensor(*it->second, file_);
    if (auto it = folds_.find(t); it != folds_.end()) return folded(*it->second);
    return std::nullopt;
  }
  // A Cast or ConstantOfShape of a constant (torch.onnx writes a bias's zero point as
  // Cast(ConstantOfShape([K]))): its value, at most 2^16 elements; anything else is not constant.
  std::optional<Const> folded(const ::onnx::NodeProto& p) const {
    auto in = constant(p.input(0));
    if (!in || !in->hasData()) return std::nullopt;
    if (p.op_type() == "Cast") {
      const int64_t to = attrInt(p, "to", 0);
      Const r;
      r.dims = in->dims;
      r.elemType = static_cast<int32_t>(to);
      r.isFloat = to == ::onnx::TensorProto::FLOAT || to == ::onnx::TensorProto::DOUBLE || to == ::onnx::TensorProto::FLOAT16;
      for (int64_t k = 0; k < in->count(); ++k) {
        if (r.isFloat) r.f.push_back(static_cast<float>(in->at(k)));
        else r.i.push_back(static_cast<int64_t>(in->at(k)));  // ONNX Cast to an integer truncates
      }
      return r;
    }
    // ConstantOfShape(shape): `value` (a one-element tensor, default float 0) repeated.
    Const r;
    int64_t count = 1;
    for (int64_t k = 0; k < in->count(); ++k) {
      const double d = in->at(k);
      if (d < 0 || d > (1 << 16) || (count *= static_cast<int64_t>(d)) > (1 << 16)) return std::nullopt;
      r.dims.push_back(static_cast<int64_t>(d));
    }
    Const v;
    v.f = {0.0f};
    v.elemType = ::onnx::TensorProto::FLOAT;
    for (const auto& a : p.attribute())
      if (a.name() == "value" && a.has_t()) {
        auto c = readTensor(a.t(), file_);
        if (!c) return std::nullopt;
        v = *c;
      }
    if (v.count() != 1 || !v.hasData()) return std::nullopt;
    r.isFloat = v.isFloat;
    r.elemType = v.elemType;
    for (int64_t k = 0; k < count; ++k) {
      if (r.isFloat) r.f.push_back(static_cast<float>(v.at(0)));
      else r.i.push_back(static_cast<int64_t>(v.at(0)));
    }
    return r;
  }
  Const needConst(const ::onnx::NodeProto& n, int slot, const std::string& what) const {
    if (slot >= n.input_size() || n.input(slot).empty())
      mismatch(n, what + " is missing");
    auto c = constant(n.input(slot));
    if (!c || !c->hasData())
      unsupported(n, what + " '" + n.input(slot) + "' is computed at run time (or has no values in the file)",
                  "the engine needs every scale and zero point fixed in the file");
    return *c;
  }
  // Scale and zero point inputs of a Q/DQ-like node at (scaleSlot, zpSlot); zero point optional.
  struct Scales {
    std::vector<double> scale;
    std::vector<int64_t> zeroPoint;  // same length as scale
    bool isUnsigned = false;
  };
  Scales scalesAt(const ::onnx::NodeProto& n, int scaleSlot, int zpSlot, const std::string& what) const {
    Scales s;
    Const sc = needConst(n, scaleSlot, what + " scale");
    for (int64_t k = 0; k < sc.count(); ++k) {
      const double v = sc.at(k);
      if (!(v > 0) || !std::isfinite(v)) mismatch(n, what + " scale " + std::to_string(v) + " is not a positive finite number");
      s.scale.push_back(v);
    }
    if (s.scale.empty()) mismatch(n, what + " scale is empty");
    s.zeroPoint.assign(s.scale.size(), 0);
    s.isUnsigned = true;  // ONNX's default zero point type is uint8
    if (zpSlot < n.input_size() && !n.input(zpSlot).empty()) {
      Const zp = needConst(n, zpSlot, what + " zero point");
      if (zp.count() != sc.count()) mismatch(n, what + " zero point has " + std::to_string(zp.count()) + " values for " + std::to_string(sc.count()) + " scales");
      for (int64_t k = 0; k < zp.count(); ++k) s.zeroPoint[static_cast<size_t>(k)] = static_cast<int64_t>(zp.at(k));
      s.isUnsigned = zp.elemType == ::onnx::TensorProto::UINT8;
      if (zp.elemType != ::onnx::TensorProto::UINT8 && zp.elemType != ::onnx::TensorProto::INT8 && zp.elemType != ::onnx::TensorProto::INT32)
        unsupported(n, what + " zero point has element type " + std::to_string(zp.elemType) + "; int8 and uint8 are supported",
                    "quantize to int8 or uint8");
    }
    return s;
  }
  int64_t attrInt(const ::onnx::NodeProto& n, const std::string& k, int64_t def) const {
    for (const auto& a : n.attribute())
      if (a.name() == k) return a.i();
    return def;
  }

  // Records the quantization of activation `t` (a float tensor after the rewrite).
  void recordActivation(const ::onnx::NodeProto& n, const std::string& t, const Scales& s) {
    if (s.scale.size() != 1)
      unsupported(n, "an activation quantized per channel (" + std::to_string(s.scale.size()) + " scales)",
                  "quantize activations per tensor");
    TensorQuant q{s.scale[0], s.zeroPoint[0], s.isUnsigned, where(n)};
    const int64_t want = q.isUnsigned ? 128 : 0;
    if (q.zeroPoint != want)
      diag::fail("onnx.quant-zero-point", {file_, where(n)},
                 where(n) + ": activation '" + t + "' has zero point " + std::to_string(q.zeroPoint) + " (" +
                     (q.isUnsigned ? "uint8" : "int8") +
                     "); the engine's activations are symmetric int8 (zero point 0, or uint8 with zero point 128, which is int8 "
                     "exactly) and it has no zero-point arithmetic. Missing for this tensor: " + zeroPointNeeds(n, t),
                 "quantize activations symmetrically (onnxruntime: ActivationSymmetric=True with QInt8, or uint8 with zero "
                 "point 128; PyTorch: an activation observer with qscheme=torch.per_tensor_symmetric, which gives quint8 "
                 "zero point 128); docs/quantization.md#why-uint8-activations-with-a-zero-point-other-than-128-stay-refused");
    auto [it, fresh] = info_.activations.emplace(t, q);
    if (!fresh && (it->second.scale != q.scale || it->second.zeroPoint != q.zeroPoint || it->second.isUnsigned != q.isUnsigned))
      mismatch(n, "tensor '" + t + "' is quantized with scale " + std::to_string(q.scale) + " here and " + std::to_string(it->second.scale) +
                      " by " + it->second.where);
  }
  // What the engine would need to run activation `t` with a nonzero (int8) zero point, from its
  // producer and every node that reads it (through Q/DQ/Cast chains), in graph order:
  // docs/quantization.md's table of where a zero point enters.
  std::string zeroPointNeeds(const ::onnx::NodeProto& at, const std::string& t) const {
    std::vector<std::string> needs;
    auto add = [&needs](const std::string& x) {
      if (std::find(needs.begin(), needs.end(), x) == needs.end()) needs.push_back(x);
    };
    auto label = [](const ::onnx::NodeProto& m) {
      return "'" + (!m.name().empty() ? m.name() : m.output_size() ? m.output(0) : std::string("?")) + "' (" + m.op_type() + ")";
    };
    auto padded = [](const ::onnx::NodeProto& m) {
      for (const auto& a : m.attribute()) {
        if (a.name() == "pads")
          for (int64_t v : a.ints())
            if (v != 0) return true;
        if (a.name() == "auto_pad" && a.s().rfind("SAME", 0) == 0) return true;
      }
      return false;
    };
    // The producer: a QOperator node writes `t` itself; in QDQ form the float node before the
    // QuantizeLinear does (none: a graph input).
    const ::onnx::NodeProto* producer = at.op_type() == "QuantizeLinear" ? nullptr : &at;
    if (!producer)
      for (const auto& m : g_.node())
        for (const auto& o : m.output())
          if (o == t) producer = &m;
    if (producer) {
      const std::string& op = producer->op_type();
      if (op == "Relu" || op == "Clip")
        add("an output zero point added after the requantization shift of the layer " + label(*producer) +
            " fuses into (the vector unit has no offset there: RTL), and the ReLU as a clamp at the zero point (the clamp "
            "pair could hold it; the import does not set it)");
      else if (op != "MaxPool" && op != "GlobalAveragePool" && op != "GlobalMaxPool" && op != "Flatten" && op != "Reshape" &&
               op != "Concat" && op != "Transpose")
        add("an output zero point added after the requantization shift of " + label(*producer) +
            " (the vector unit has no offset there: RTL)");
    } else {
      add("an input zero point for the model input (the engine reads its codes as int8 at zero point 0)");
    }
    std::set<std::string> same{t};
    for (const auto& m : g_.node()) {
      bool reads = false;
      for (const auto& in : m.input()) reads = reads || same.count(in) || same.count(resolve(in));
      if (!reads || &m == producer) continue;
      const std::string& op = m.op_type();
      if (op == "QuantizeLinear" || op == "DequantizeLinear" || op == "Cast" || op == "Identity") {
        if (m.output_size() > 0) same.insert(m.output(0));
        continue;
      }
      if ((op == "Conv" || op == "QLinearConv" || op == "AveragePool") && padded(m))
        add("padding with the zero point for " + label(m) + " (the gather's per-layer pad_value would hold it; the lowering "
            "programs 0 for a convolution and the golden model pads 0)");
      if (op == "Conv" || op == "QLinearConv" || op == "Gemm" || op == "MatMul" || op == "QLinearMatMul")
        add("the input offset of " + label(m) + " (zero point x the sum of its weights, folded into the bias: exact, but not "
            "done by the importer)");
      else if (op == "Add" || op == "QLinearAdd" || op == "Sub" || op == "Sum")
        add("a constant term in the residual add " + label(m) + " (-(z_a*mult_a + z_b*mult_b) before the shift: RTL)");
      else if (op == "Mul" || op == "QLinearMul")
        add("offset terms in the multiply " + label(m) + " (RTL)");
      else if (op == "Relu" || op == "Clip")
        add("a ReLU clamp at the zero point in " + label(m) + " (the clamp pair could hold it; the import does not set it)");
    }
    std::string text;
    for (const auto& x : needs) text += (text.empty() ? "" : "; ") + x;
    return text;
  }

  // Checks that activation `t` is read with the scale it was quantized with.
  void checkActivation(const ::onnx::NodeProto& n, const std::string& t, const Scales& s) {
    auto it = info_.activations.find(t);
    if (it == info_.activations.end()) return recordActivation(n, t, s);
    if (s.scale.size() != 1 || it->second.scale != s.scale[0] || it->second.zeroPoint != s.zeroPoint[0])
      mismatch(n, "reads tensor '" + t + "' with scale " + std::to_string(s.scale[0]) + ", zero point " + std::to_string(s.zeroPoint[0]) +
                      ", but " + it->second.where + " quantized it with scale " + std::to_string(it->second.scale) + ", zero point " +
                      std::to_string(it->second.zeroPoint));
  }

  // A float initializer (q - zp) * scale, per tensor or per channel along `axis`, named `name`;
  // records it as a weight (or bias) with its integers.
  void addDequantized(const ::onnx::NodeProto& n, const std::string& name, const Const& q, const Scales& s, int64_t axis, bool bias) {
    const int64_t rank = static_cast<int64_t>(q.dims.size());
    if (axis < 0) axis += rank;
    const int64_t channels = s.scale.size() == 1 ? 1 : (axis >= 0 && axis < rank ? q.dims[static_cast<size_t>(axis)] : -1);
    if (channels != static_cast<int64_t>(s.scale.size()))
      mismatch(n, std::to_string(s.scale.size()) + " scales do not match axis " + std::to_string(axis) + " of a " + workload::shapeText(q.dims) + " tensor");
    int64_t inner = 1;
    if (s.scale.size() > 1)
      for (int64_t d = axis + 1; d < rank; ++d) inner *= q.dims[static_cast<size_t>(d)];
    ConstQuant cq;
    cq.where = where(n);
    cq.isBias = bias;
    bool sameScale = true, zeroZp = true;
    for (size_t k = 0; k < s.scale.size(); ++k) {
      sameScale &= s.scale[k] == s.scale[0];
      zeroZp &= s.zeroPoint[k] == 0;
    }
    if (!zeroZp)
      unsupported(n, std::string(bias ? "bias" : "weight") + " '" + n.input(0) + "' has a nonzero zero point (asymmetric); the engine's weights are symmetric int8",
                  "quantize weights symmetrically (onnxruntime: WeightSymmetric=True; PyTorch: per_tensor_symmetric)");
    if (!sameScale && !bias)
      unsupported(n, "weight '" + n.input(0) + "' has " + std::to_string(s.scale.size()) +
                         " different per-channel scales; the engine requantizes with one multiplier per layer",
                  "quantize weights per tensor (onnxruntime: per_channel=False; PyTorch: a per_tensor_symmetric weight observer)");
    ::onnx::TensorProto t;
    t.set_name(name);
    t.set_data_type(::onnx::TensorProto::FLOAT);
    for (int64_t d : q.dims) t.add_dims(d);
    cq.scale = s.scale[0];
    cq.perChannel = s.scale.size() > 1 ? s.scale : std::vector<double>{};
    for (int64_t k = 0; k < q.count(); ++k) {
      const int64_t v = static_cast<int64_t>(q.at(k)) - s.zeroPoint[0];
      if (!bias && (v < -127 || v > 127))
        unsupported(n, "weight '" + n.input(0) + "' holds " + std::to_string(v) + " at element " + std::to_string(k) +
                           "; the engine's weights are int8 in [-127, 127] (docs/quantization.md)",
                    "quantize weights to int8 in the restricted range [-127, 127] (onnxruntime does; PyTorch: quant_min=-127)");
      const size_t c = s.scale.size() == 1 ? 0 : static_cast<size_t>((k / inner) % channels);
      t.add_float_data(static_cast<float>(static_cast<double>(v) * s.scale[c]));
      cq.values.push_back(v);
    }
    newInits_.push_back(std::move(t));
    initNames_.insert(name);
    touched_.insert(name);
    info_.constants[name] = std::move(cq);
    changed_ = true;
  }

  void quantize(const ::onnx::NodeProto& n) {
    changed_ = true;
    const Scales s = scalesAt(n, 1, 2, "QuantizeLinear");
    touched_.insert(n.output(0));
    if (auto c = constant(n.input(0)); c && c->isFloat && c->hasData()) {  // fake-quantized weights
      const int64_t axis = attrInt(n, "axis", 1);
      const int64_t rank = static_cast<int64_t>(c->dims.size());
      const int64_t ax = axis < 0 ? axis + rank : axis;
      int64_t inner = 1;
      if (s.scale.size() > 1) {
        if (ax < 0 || ax >= rank || c->dims[static_cast<size_t>(ax)] != static_cast<int64_t>(s.scale.size()))
          mismatch(n, std::to_string(s.scale.size()) + " scales do not match axis " + std::to_string(axis) + " of " + workload::shapeText(c->dims));
        for (int64_t d = ax + 1; d < rank; ++d) inner *= c->dims[static_cast<size_t>(d)];
      }
      Const q;
      q.dims = c->dims;
      q.isFloat = false;
      q.elemType = s.isUnsigned ? ::onnx::TensorProto::UINT8 : ::onnx::TensorProto::INT8;
      const double lo = s.isUnsigned ? 0 : -128, hi = s.isUnsigned ? 255 : 127;
      for (int64_t k = 0; k < c->count(); ++k) {
        const size_t ch = s.scale.size() == 1 ? 0 : static_cast<size_t>((k / inner) % static_cast<int64_t>(s.scale.size()));
        const double v = std::nearbyint(c->at(k) / s.scale[ch]) + static_cast<double>(s.zeroPoint[ch]);  // half to even
        q.i.push_back(static_cast<int64_t>(std::clamp(v, lo, hi)));
      }
      intConsts_[n.output(0)] = std::move(q);
      return;
    }
    recordActivation(n, n.input(0), s);
    alias_[n.output(0)] = n.input(0);
  }

  void dequantize(const ::onnx::NodeProto& n) {
    changed_ = true;
    const Scales s = scalesAt(n, 1, 2, "DequantizeLinear");
    touched_.insert(n.output(0));
    if (auto c = constant(n.input(0)); c && !c->isFloat) {
      Scales eff = s;
      if (c->elemType == ::onnx::TensorProto::UINT8 || c->elemType == ::onnx::TensorProto::INT8) eff.isUnsigned = c->elemType == ::onnx::TensorProto::UINT8;
      addDequantized(n, n.output(0), *c, eff, attrInt(n, "axis", 1), c->elemType == ::onnx::TensorProto::INT32);
      return;
    }
    checkActivation(n, n.input(0), s);
    alias_[n.output(0)] = n.input(0);
  }

  // Copies the attributes of `from` (QLinearConv's are Conv's).
  static void copyAttrs(const ::onnx::NodeProto& from, ::onnx::NodeProto& to) {
    for (const auto& a : from.attribute()) *to.add_attribute() = a;
  }
  ::onnx::NodeProto floatNode(const ::onnx::NodeProto& n, const std::string& op) {
    ::onnx::NodeProto f;
    f.set_name(n.name());
    f.set_op_type(op);
    for (const auto& o : n.output()) {
      f.add_output(o);
      touched_.insert(o);
    }
    changed_ = true;
    return f;
  }
  std::string freshName(const ::onnx::NodeProto& n, const std::string& suffix) {
    std::string base = (n.name().empty() ? n.output(0) : n.name()) + suffix;
    std::string name = base;
    for (int k = 2; initNames_.count(name); ++k) name = base + "_" + std::to_string(k);
    return name;
  }
  // A quantized weight operand of a QOperator node: dequantized into a new float initializer.
  std::string weightOperand(const ::onnx::NodeProto& n, int slot, const Scales& s, int64_t axis) {
    Const w = needConst(n, slot, "weight");
    if (w.isFloat) mismatch(n, "weight '" + n.input(slot) + "' is not an integer tensor");
    Scales eff = s;
    eff.isUnsigned = w.elemType == ::onnx::TensorProto::UINT8;
    const std::string name = freshName(n, "#weight");
    addDequantized(n, name, w, eff, axis, false);
    return name;
  }
  std::string biasOperand(const ::onnx::NodeProto& n, int slot, double xScale, const Scales& w) {
    Const b = needConst(n, slot, "bias");
    if (b.isFloat) mismatch(n, "bias '" + n.input(slot) + "' is not an int32 tensor");
    Scales s;
    for (double ws : w.scale) s.scale.push_back(xScale * ws);  // ONNX: bias scale = x_scale * w_scale
    s.zeroPoint.assign(s.scale.size(), 0);
    const std::string name = freshName(n, "#bias");
    addDequantized(n, name, b, s, 0, true);
    return name;
  }

  // QLinearConv(x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp[, B]) -> Conv.
  ::onnx::NodeProto qlinearConv(const ::onnx::NodeProto& n) {
    const Scales xs = scalesAt(n, 1, 2, "input"), ws = scalesAt(n, 4, 5, "weight"), ys = scalesAt(n, 6, 7, "output");
    checkActivation(n, n.input(0), xs);
    ::onnx::NodeProto f = floatNode(n, "Conv");
    f.add_input(n.input(0));
    f.add_input(weightOperand(n, 3, ws, 0));
    if (n.input_size() > 8 && !n.input(8).empty()) f.add_input(biasOperand(n, 8, xs.scale[0], ws));
    copyAttrs(n, f);
    recordActivation(n, n.output(0), ys);
    return f;
  }
  // QLinearMatMul(a, a_scale, a_zp, b, b_scale, b_zp, y_scale, y_zp) -> MatMul.
  ::onnx::NodeProto qlinearMatMul(const ::onnx::NodeProto& n) {
    const Scales as = scalesAt(n, 1, 2, "input A"), bs = scalesAt(n, 4, 5, "input B"), ys = scalesAt(n, 6, 7, "output");
    checkActivation(n, n.input(0), as);
    ::onnx::NodeProto f = floatNode(n, "MatMul");
    f.add_input(n.input(0));
    if (auto c = constant(n.input(3)); c && !c->isFloat) {
      f.add_input(weightOperand(n, 3, bs, 1));  // B is K x N: per-column scales sit on axis 1
    } else {
      checkActivation(n, n.input(3), bs);
      f.add_input(n.input(3));
    }
    recordActivation(n, n.output(0), ys);
    return f;
  }
  // com.microsoft QLinearAdd(A, A_scale, A_zp, B, B_scale, B_zp, C_scale, C_zp) -> Add.
  ::onnx::NodeProto qlinearAdd(const ::onnx::NodeProto& n) {
    const Scales as = scalesAt(n, 1, 2, "input A"), bs = scalesAt(n, 4, 5, "input B"), cs = scalesAt(n, 6, 7, "output");
    checkActivation(n, n.input(0), as);
    checkActivation(n, n.input(3), bs);
    ::onnx::NodeProto f = floatNode(n, "Add");
    f.add_input(n.input(0));
    f.add_input(n.input(3));
    recordActivation(n, n.output(0), cs);
    return f;
  }
};

}  // namespace

QuantInfo rewriteQuantized(::onnx::GraphProto& graph, const std::string& file) { return Rewriter(graph, file).run(); }

}  // namespace dnnchip::onnx::detail
