// ConstFold: evaluates the small integer/float subgraphs exporters emit to compute a Reshape's
// target shape or a Slice's bounds (Shape -> Gather -> Unsqueeze -> Concat ...), and constant
// expressions on initializers (a Transpose of a weight, Sqrt of a scale). Numpy broadcasting for
// elementwise ops. Cost: linear in the elements touched; these tensors are small, except a weight
// Transpose, which is one pass. Limits: the ops listed in foldConstant; anything else is left to
// the lowering, which reports it. A folded result holds at most kMaxFoldedValues elements (its
// count is a checked product): a broadcast or ConstantOfShape beyond that is onnx.shape, never an
// allocation failure.

#include <algorithm>
#include <cmath>
#include <numeric>

#include "OnnxGraph.h"
#include "dnnchip/workload/Checked.h"

namespace dnnchip::onnx::detail {

namespace {

using workload::Shape;

[[noreturn]] void badAttr(const Node& n, const std::string& file, const std::string& what) {
  diag::fail("onnx.bad-attribute", {file, n.label()}, n.label() + ": " + what, "re-export the model; the node is malformed");
}

int64_t normAxis(int64_t a, int64_t rank, const Node& n, const std::string& file) {
  if (a < -rank || a >= rank) badAttr(n, file, "axis " + std::to_string(a) + " is out of range for rank " + std::to_string(rank));
  return a < 0 ? a + rank : a;
}

std::vector<int64_t> strides(const Shape& s) {
  std::vector<int64_t> st(s.size(), 1);
  for (int64_t d = static_cast<int64_t>(s.size()) - 2; d >= 0; --d) st[d] = st[d + 1] * s[d + 1];
  return st;
}

/// Largest folded constant (2^28 elements, 1 GiB as float): the largest weights of common
/// networks (a transformer's embedding table) are about 2^25.
constexpr int64_t kMaxFoldedValues = int64_t{1} << 28;

struct FoldTooLarge {
  Shape dims;
};

Const make(Shape dims, bool isFloat) {
  if (auto n = workload::checkedProduct(dims); !n || *n > kMaxFoldedValues) throw FoldTooLarge{dims};
  Const c;
  c.dims = std::move(dims);
  c.isFloat = isFloat;
  size_t n = static_cast<size_t>(c.count());
  if (isFloat) c.f.assign(n, 0.f); else c.i.assign(n, 0);
  return c;
}

void set(Const& c, int64_t k, double v) {
  if (c.isFloat) c.f[static_cast<size_t>(k)] = static_cast<float>(v);
  else c.i[static_cast<size_t>(k)] = static_cast<int64_t>(v);
}

std::vector<int64_t> ints(const Const& c) {
  std::vector<int64_t> v(static_cast<size_t>(c.count()));
  for (int64_t k = 0; k < c.count(); ++k) v[static_cast<size_t>(k)] = static_cast<int64_t>(c.at(k));
  return v;
}

// Copies elements of `in` selected by an index map into a new tensor of shape `out`.
template <class F>
Const gatherBy(const Const& in, const Shape& out, F sourceIndex) {
  Const r = make(out, in.isFloat);
  std::vector<int64_t> idx(out.size(), 0);
  for (int64_t k = 0; k < r.count(); ++k) {
    set(r, k, in.at(sourceIndex(idx)));
    for (int64_t d = static_cast<int64_t>(out.size()) - 1; d >= 0; --d) {
      if (++idx[d] < out[d]) break;
      idx[d] = 0;
    }
  }
  return r;
}

Const binary(const Node& n, const Const& a, const Const& b, const std::string& file) {
  size_t rank = std::max(a.dims.size(), b.dims.size());
  Shape out(rank);
  auto dimOf = [&](const Shape& s, size_t i) { return i < rank - s.size() ? 1 : s[i - (rank - s.size())]; };
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = dimOf(a.dims, i), db = dimOf(b.dims, i);
    if (da != db && da != 1 && db != 1) badAttr(n, file, "constant operands do not broadcast");
    out[i] = std::max(da, db);
  }
  const bool isFloat = a.isFloat || b.isFloat;
  Const r = make(out, isFloat);
  auto sa = strides(a.dims), sb = strides(b.dims);
  std::vector<int64_t> idx(rank, 0);
  for (int64_t k = 0; k < r.count(); ++k) {
    int64_t ia = 0, ib = 0;
    for (size_t i = 0; i < rank; ++i) {
      if (i >= rank - a.dims.size()) { size_t j = i - (rank - a.dims.size()); ia += (a.dims[j] == 1 ? 0 : idx[i]) * sa[j]; }
      if (i >= rank - b.dims.size()) { size_t j = i - (rank - b.dims.size()); ib += (b.dims[j] == 1 ? 0 : idx[i]) * sb[j]; }
    }
    double x = a.at(ia), y = b.at(ib), v = 0;
    if (n.op == "Add") v = x + y;
    else if (n.op == "Sub") v = x - y;
    else if (n.op == "Mul") v = x * y;
    else if (n.op == "Equal") v = x == y;
    else if (n.op == "Pow") v = std::pow(x, y);
    else {  // Div: integer division truncates toward zero like numpy's int // for positives
      if (y == 0) badAttr(n, file, "division by zero in a constant expression");
      v = isFloat ? x / y : static_cast<double>(static_cast<int64_t>(x) / static_cast<int64_t>(y));
    }
    set(r, k, v);
    for (int64_t d = static_cast<int64_t>(rank) - 1; d >= 0; --d) {
      if (++idx[d] < out[d]) break;
      idx[d] = 0;
    }
  }
  return r;
}

}  // namespace

static std::optional<Const> foldConstantImpl(const Node& n, const std::vector<const Const*>& ins,
                                      const Shape* shapeOfInput0, const std::string& file);

std::optional<Const> foldConstant(const Node& n, const std::vector<const Const*>& ins,
                                  const Shape* shapeOfInput0, const std::string& file) {
  try {
    return foldConstantImpl(n, ins, shapeOfInput0, file);
  } catch (const FoldTooLarge& e) {
    diag::fail("onnx.shape", {file, n.label()},
               n.label() + ": the constant it computes (" + workload::shapeText(e.dims) + ") has more than 2^28 elements",
               "the file is damaged or computes a huge constant: re-export the model");
  }
}

static std::optional<Const> foldConstantImpl(const Node& n, const std::vector<const Const*>& ins,
                                      const Shape* shapeOfInput0, const std::string& file) {
  auto in = [&](size_t k) -> const Const* { return k < ins.size() ? ins[k] : nullptr; };
  if (n.op == "Shape") {  // opset 15: start and end select a range of the dimensions (clamped)
    if (!shapeOfInput0) return std::nullopt;
    const int64_t rank = static_cast<int64_t>(shapeOfInput0->size());
    auto clampAxis = [&](int64_t a) { return std::clamp<int64_t>(a < 0 ? a + rank : a, 0, rank); };
    const int64_t b = clampAxis(n.attrInt("start", 0)), e = clampAxis(n.attrInt("end", rank));
    Const r = make({std::max<int64_t>(0, e - b)}, false);
    for (int64_t d = b; d < e; ++d) r.i[static_cast<size_t>(d - b)] = (*shapeOfInput0)[static_cast<size_t>(d)];
    return r;
  }
  for (size_t k = 0; k < ins.size(); ++k)
    if (ins[k] && !ins[k]->hasData()) return std::nullopt;
  if (!in(0)) return std::nullopt;
  const Const& x = *in(0);
  const int64_t rank = static_cast<int64_t>(x.dims.size());
  if (n.op == "Identity") return x;
  if (n.op == "Cast") {
    int64_t to = n.attrInt("to", 1);
    bool toFloat = to == 1 || to == 10 || to == 11 || to == 16;
    Const r = make(x.dims, toFloat);
    for (int64_t k = 0; k < x.count(); ++k) set(r, k, x.at(k));
    return r;
  }
  if (n.op == "Sqrt" || n.op == "Neg" || n.op == "Reciprocal") {
    Const r = make(x.dims, x.isFloat || n.op != "Neg");
    for (int64_t k = 0; k < x.count(); ++k) {
      double v = x.at(k);
      set(r, k, n.op == "Sqrt" ? std::sqrt(v) : n.op == "Neg" ? -v : 1.0 / v);
    }
    return r;
  }
  if (n.op == "Add" || n.op == "Sub" || n.op == "Mul" || n.op == "Div" || n.op == "Equal" || n.op == "Pow") {
    if (!in(1)) return std::nullopt;
    return binary(n, x, *in(1), file);
  }
  if (n.op == "Where") {
    if (!in(1) || !in(2) || x.dims != in(1)->dims || x.dims != in(2)->dims) return std::nullopt;
    Const r = make(x.dims, in(1)->isFloat);
    for (int64_t k = 0; k < x.count(); ++k) set(r, k, x.at(k) != 0 ? in(1)->at(k) : in(2)->at(k));
    return r;
  }
  if (n.op == "ConstantOfShape") {
    Shape dims = ints(x);
    for (int64_t d : dims)
      if (d < 0 || d > (1 << 24)) badAttr(n, file, "ConstantOfShape with a bad shape");
    auto it = n.attrs.find("value");
    bool isFloat = it == n.attrs.end() || !it->second.t || it->second.t->isFloat;
    Const r = make(dims, isFloat);
    double v = (it != n.attrs.end() && it->second.t && it->second.t->hasData() && it->second.t->count() > 0) ? it->second.t->at(0) : 0.0;
    for (int64_t k = 0; k < r.count(); ++k) set(r, k, v);
    return r;
  }
  if (n.op == "Gather") {
    if (!in(1)) return std::nullopt;
    int64_t axis = normAxis(n.attrInt("axis", 0), rank, n, file);
    const Const& idx = *in(1);
    Shape out;
    for (int64_t d = 0; d < axis; ++d) out.push_back(x.dims[d]);
    for (int64_t d : idx.dims) out.push_back(d);
    for (int64_t d = axis + 1; d < rank; ++d) out.push_back(x.dims[d]);
    auto st = strides(x.dims);
    const int64_t ir = static_cast<int64_t>(idx.dims.size());
    auto istr = strides(idx.dims);
    return gatherBy(x, out, [&](const std::vector<int64_t>& o) {
      int64_t src = 0, flat = 0;
      for (int64_t d = 0; d < axis; ++d) src += o[d] * st[d];
      for (int64_t d = 0; d < ir; ++d) flat += o[axis + d] * istr[d];
      int64_t j = static_cast<int64_t>(idx.at(flat));
      if (j < 0) j += x.dims[axis];
      if (j < 0 || j >= x.dims[axis]) badAttr(n, file, "Gather index out of range");
      src += j * st[axis];
      for (int64_t d = axis + 1; d < rank; ++d) src += o[d - 1 + ir] * st[d];
      return src;
    });
  }
  if (n.op == "Unsqueeze" || n.op == "Squeeze") {
    std::vector<int64_t> axes = in(1) ? ints(*in(1)) : n.attrInts("axes");
    Shape out;
    if (n.op == "Unsqueeze") {
      int64_t outRank = rank + static_cast<int64_t>(axes.size());
      std::vector<bool> isNew(static_cast<size_t>(outRank), false);
      for (int64_t a : axes) isNew[static_cast<size_t>(normAxis(a, outRank, n, file))] = true;
      size_t k = 0;
      for (int64_t d = 0; d < outRank; ++d) out.push_back(isNew[static_cast<size_t>(d)] ? 1 : x.dims[k++]);
    } else {
      std::vector<bool> drop(static_cast<size_t>(rank), axes.empty());
      for (int64_t a : axes) drop[static_cast<size_t>(normAxis(a, rank, n, file))] = true;
      for (int64_t d = 0; d < rank; ++d)
        if (!drop[static_cast<size_t>(d)] || x.dims[d] != 1) out.push_back(x.dims[d]);
    }
    Const r = x;
    r.dims = out;
    return r;
  }
  if (n.op == "Reshape" || n.op == "Flatten") {
    Shape out;
    if (n.op == "Flatten") {
      int64_t axis = n.attrInt("axis", 1);
      if (axis < 0) axis += rank;
      int64_t a = 1, b = 1;
      for (int64_t d = 0; d < rank; ++d) (d < axis ? a : b) *= x.dims[d];
      out = {a, b};
    } else {
      if (!in(1)) return std::nullopt;
      out = ints(*in(1));
      int64_t known = 1, minus = -1;
      for (size_t d = 0; d < out.size(); ++d) {
        if (out[d] == 0 && d < x.dims.size()) out[d] = x.dims[d];
        if (out[d] == -1) minus = static_cast<int64_t>(d); else known *= out[d];
      }
      if (minus >= 0 && known > 0) out[static_cast<size_t>(minus)] = x.count() / known;
      if (workload::elementCount(out) != x.count()) badAttr(n, file, "Reshape of a constant changes its size");
    }
    Const r = x;
    r.dims = out;
    return r;
  }
  if (n.op == "Concat") {
    int64_t axis = normAxis(n.attrInt("axis", 0), rank, n, file);
    Shape out = x.dims;
    out[axis] = 0;
    for (auto* c : ins) {
      if (!c || c->dims.size() != x.dims.size()) return std::nullopt;
      out[axis] += c->dims[axis];
    }
    Const r = make(out, x.isFloat);
    int64_t outer = 1;
    for (int64_t d = 0; d < axis; ++d) outer *= out[d];
    int64_t k = 0;
    for (int64_t o = 0; o < outer; ++o)
      for (auto* c : ins) {
        int64_t chunk = c->count() / std::max<int64_t>(outer, 1);
        for (int64_t e = 0; e < chunk; ++e) set(r, k++, c->at(o * chunk + e));
      }
    return r;
  }
  if (n.op == "Transpose") {
    std::vector<int64_t> perm = n.attrInts("perm");
    if (perm.empty())
      for (int64_t d = rank - 1; d >= 0; --d) perm.push_back(d);
    if (static_cast<int64_t>(perm.size()) != rank) badAttr(n, file, "perm does not match the rank");
    Shape out(static_cast<size_t>(rank));
    for (int64_t d = 0; d < rank; ++d) out[d] = x.dims[normAxis(perm[d], rank, n, file)];
    auto st = strides(x.dims);
    return gatherBy(x, out, [&](const std::vector<int64_t>& o) {
      int64_t src = 0;
      for (int64_t d = 0; d < rank; ++d) src += o[d] * st[perm[d]];
      return src;
    });
  }
  if (n.op == "Slice") {
    if (!in(1) || !in(2)) return std::nullopt;
    auto starts = ints(*in(1)), ends = ints(*in(2));
    std::vector<int64_t> axes = in(3) ? ints(*in(3)) : std::vector<int64_t>{};
    std::vector<int64_t> steps = in(4) ? ints(*in(4)) : std::vector<int64_t>{};
    if (axes.empty())
      for (size_t k = 0; k < starts.size(); ++k) axes.push_back(static_cast<int64_t>(k));
    Shape out = x.dims;
    std::vector<int64_t> begin(static_cast<size_t>(rank), 0), step(static_cast<size_t>(rank), 1);
    for (size_t k = 0; k < axes.size() && k < starts.size() && k < ends.size(); ++k) {
      int64_t a = normAxis(axes[k], rank, n, file), dim = x.dims[a];
      int64_t s = k < steps.size() ? steps[k] : 1;
      if (s != 1) return std::nullopt;
      int64_t b = starts[k] < 0 ? starts[k] + dim : starts[k], e = ends[k] < 0 ? ends[k] + dim : ends[k];
      b = std::clamp<int64_t>(b, 0, dim);
      e = std::clamp<int64_t>(e, 0, dim);
      begin[a] = b;
      out[a] = std::max<int64_t>(0, e - b);
    }
    auto st = strides(x.dims);
    return gatherBy(x, out, [&](const std::vector<int64_t>& o) {
      int64_t src = 0;
      for (int64_t d = 0; d < rank; ++d) src += (o[d] + begin[d]) * st[d];
      return src;
    });
  }
  return std::nullopt;
}

}  // namespace dnnchip::onnx::detail
