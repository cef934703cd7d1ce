// FloatReference: a float32 forward pass over an imported workload model, the reference the
// calibration measures activation ranges on. Direct loops (no im2col): convolution iterates
// output channel -> input channel -> kernel tap -> output row, with the valid column range of
// each tap precomputed so the innermost loop is branch-free and vectorizes. Cost: the model's
// MACs plus one pass per vector op; single-threaded and deterministic. Activation formulas follow
// PyTorch (hardsigmoid = clamp(x/6 + 1/2, 0, 1), GELU with erf). Limits: every compute layer needs
// its parameters (an import without initializers cannot be run).

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "OnnxGraph.h"
#include "dnnchip/io/Files.h"
#include "dnnchip/io/Stop.h"

namespace dnnchip::onnx::detail {

namespace {

using workload::ActivationKind;
using workload::Layer;
using workload::OpKind;
using workload::Shape;
using Vec = std::vector<float>;

float activate(float x, const Layer& L) {
  switch (L.activation) {
    case ActivationKind::None: return x;
    case ActivationKind::Relu: return x > 0 ? x : 0;
    case ActivationKind::Relu6: return std::clamp(x, 0.f, 6.f);
    case ActivationKind::Clip: return std::clamp(x, static_cast<float>(L.clipMin), static_cast<float>(L.clipMax));
    case ActivationKind::Sigmoid: return 1.f / (1.f + std::exp(-x));
    case ActivationKind::HardSigmoid: return std::clamp(x / 6.f + 0.5f, 0.f, 1.f);
    case ActivationKind::HardSwish: return x * std::clamp(x + 3.f, 0.f, 6.f) / 6.f;
    case ActivationKind::Gelu: return 0.5f * x * (1.f + std::erf(x / std::sqrt(2.f)));
    case ActivationKind::Tanh: return std::tanh(x);
    case ActivationKind::Silu: return x / (1.f + std::exp(-x));
  }
  return x;
}

std::vector<int64_t> stridesOf(const Shape& s) {
  std::vector<int64_t> st(s.size(), 1);
  for (int64_t d = static_cast<int64_t>(s.size()) - 2; d >= 0; --d) st[d] = st[d + 1] * s[d + 1];
  return st;
}

Vec conv(const Layer& L, const Vec& in, const FloatParams& p, io::StopToken stop) {
  const Shape& is = L.inputShapes[0];
  const Shape& os = L.outputShape;
  const int64_t N = is[0], Cin = is[1], H = is[2], W = is[3], K = os[1], P = os[2], Q = os[3];
  const int64_t G = L.groups, Cg = Cin / G, Kg = K / G, R = L.kernel[0], S = L.kernel[1];
  const int64_t sh = L.stride[0], sw = L.stride[1], dh = L.dilation[0], dw = L.dilation[1];
  const int64_t pt = L.padding[0], pl = L.padding[1];
  constexpr int64_t kBlock = 4;  // output channels computed together: each input row is read once per block
  Vec out(static_cast<size_t>(N * K * P * Q), 0.f);
  for (int64_t n = 0; n < N; ++n)
    for (int64_t k0 = 0; k0 < K; k0 += kBlock) {
      if (stop.stopRequested()) return out;  // unfinished: forwardFloat reports onnx.interrupted
      const int64_t g = k0 / Kg;
      const int64_t kb = std::min<int64_t>({kBlock, K - k0, (g + 1) * Kg - k0});  // stay inside the group
      float* o[kBlock];
      for (int64_t j = 0; j < kb; ++j) {
        o[j] = &out[static_cast<size_t>(((n * K) + k0 + j) * P * Q)];
        std::fill(o[j], o[j] + P * Q, p.bias.empty() ? 0.f : p.bias[static_cast<size_t>(k0 + j)]);
      }
      for (int64_t c = 0; c < Cg; ++c) {
        const float* x = &in[static_cast<size_t>(((n * Cin) + g * Cg + c) * H * W)];
        for (int64_t r = 0; r < R; ++r)
          for (int64_t s = 0; s < S; ++s) {
            float w[kBlock] = {0, 0, 0, 0};
            for (int64_t j = 0; j < kb; ++j) w[j] = p.weight[static_cast<size_t>((((k0 + j) * Cg + c) * R + r) * S + s)];
            // Valid q: 0 <= q*sw + s*dw - pl < W.
            const int64_t off = s * dw - pl;
            const int64_t q0 = off >= 0 ? 0 : (-off + sw - 1) / sw;
            const int64_t q1 = W - off <= 0 ? 0 : std::min<int64_t>(Q, (W - off + sw - 1) / sw);
            for (int64_t pp = 0; pp < P; ++pp) {
              const int64_t ih = pp * sh + r * dh - pt;
              if (ih < 0 || ih >= H) continue;
              const float* __restrict xr = x + ih * W + off;
              if (kb == kBlock && sw == 1) {
                float* __restrict a = o[0] + pp * Q;
                float* __restrict b = o[1] + pp * Q;
                float* __restrict cc = o[2] + pp * Q;
                float* __restrict d = o[3] + pp * Q;
                for (int64_t q = q0; q < q1; ++q) {
                  const float v = xr[q];
                  a[q] += w[0] * v;
                  b[q] += w[1] * v;
                  cc[q] += w[2] * v;
                  d[q] += w[3] * v;
                }
              } else {
                for (int64_t j = 0; j < kb; ++j) {
                  float* __restrict orow = o[j] + pp * Q;
                  for (int64_t q = q0; q < q1; ++q) orow[q] += w[j] * xr[q * sw];
                }
              }
            }
          }
      }
    }
  return out;
}

Vec fc(const Layer& L, const Vec& in, const FloatParams& p) {
  const int64_t C = L.inputShapes[0].back(), K = L.outFeatures, rows = workload::elementCount(L.inputShapes[0]) / C;
  Vec out(static_cast<size_t>(rows * K));
  for (int64_t n = 0; n < rows; ++n)
    for (int64_t k = 0; k < K; ++k) {
      const float* x = &in[static_cast<size_t>(n * C)];
      const float* w = &p.weight[static_cast<size_t>(k * C)];
      float acc = 0.f;
      for (int64_t c = 0; c < C; ++c) acc += x[c] * w[c];
      out[static_cast<size_t>(n * K + k)] = acc + (p.bias.empty() ? 0.f : p.bias[static_cast<size_t>(k)]);
    }
  return out;
}

Vec matmul(const Layer& L, const Vec& a, const Vec& b, float mult) {
  const Shape &as = L.inputShapes[0], &bs = L.inputShapes[1];
  const int64_t M = as[as.size() - 2], Kin = as.back();
  const int64_t Nout = L.transposeB ? bs[bs.size() - 2] : bs.back();
  const int64_t batch = workload::elementCount(as) / (M * Kin);
  const bool bBatched = bs.size() > 2;
  Vec out(static_cast<size_t>(batch * M * Nout), 0.f);
  for (int64_t g = 0; g < batch; ++g) {
    const float* A = &a[static_cast<size_t>(g * M * Kin)];
    const float* B = &b[static_cast<size_t>(bBatched ? g * Kin * Nout : 0)];
    float* O = &out[static_cast<size_t>(g * M * Nout)];
    for (int64_t m = 0; m < M; ++m)
      for (int64_t k = 0; k < Kin; ++k) {
        const float x = A[m * Kin + k];
        if (L.transposeB)
          for (int64_t n = 0; n < Nout; ++n) O[m * Nout + n] += x * B[n * Kin + k];
        else
          for (int64_t n = 0; n < Nout; ++n) O[m * Nout + n] += x * B[k * Nout + n];
      }
  }
  if (mult != 1.f)
    for (float& v : out) v *= mult;
  return out;
}

Vec pool(const Layer& L, const Vec& in) {
  const Shape& is = L.inputShapes[0];
  const Shape& os = L.outputShape;
  const int64_t NC = is[0] * is[1], H = is[2], W = is[3], P = os[2], Q = os[3];
  const bool avg = L.op == OpKind::AvgPool;
  Vec out(static_cast<size_t>(NC * P * Q));
  for (int64_t c = 0; c < NC; ++c)
    for (int64_t p = 0; p < P; ++p)
      for (int64_t q = 0; q < Q; ++q) {
        const int64_t h0 = p * L.stride[0] - L.padding[0], w0 = q * L.stride[1] - L.padding[1];
        float acc = avg ? 0.f : -std::numeric_limits<float>::infinity();
        int64_t count = 0, padded = 0;
        for (int64_t r = 0; r < L.kernel[0]; ++r)
          for (int64_t s = 0; s < L.kernel[1]; ++s) {
            const int64_t h = h0 + r, w = w0 + s;
            if (h < H + L.padding[2] && w < W + L.padding[3]) ++padded;
            if (h < 0 || h >= H || w < 0 || w >= W) continue;
            const float v = in[static_cast<size_t>((c * H + h) * W + w)];
            acc = avg ? acc + v : std::max(acc, v);
            ++count;
          }
        if (avg) acc /= static_cast<float>(std::max<int64_t>(1, L.countIncludePad ? padded : count));
        out[static_cast<size_t>((c * P + p) * Q + q)] = acc;
      }
  return out;
}

// Numpy broadcasting of a binary op onto the output shape.
template <class F>
Vec broadcast(const Shape& os, const Shape& as, const Vec& a, const Shape& bs, const Vec& b, F f) {
  const size_t rank = os.size();
  auto st = [&](const Shape& s) {
    std::vector<int64_t> r(rank, 0);
    auto full = stridesOf(s);
    for (size_t i = 0; i < s.size(); ++i) r[rank - s.size() + i] = s[i] == 1 ? 0 : full[i];
    return r;
  };
  auto sa = st(as), sb = st(bs);
  Vec out(static_cast<size_t>(workload::elementCount(os)));
  std::vector<int64_t> idx(rank, 0);
  for (size_t k = 0; k < out.size(); ++k) {
    int64_t ia = 0, ib = 0;
    for (size_t d = 0; d < rank; ++d) { ia += idx[d] * sa[d]; ib += idx[d] * sb[d]; }
    out[k] = f(a[static_cast<size_t>(ia)], b[static_cast<size_t>(ib)]);
    for (int64_t d = static_cast<int64_t>(rank) - 1; d >= 0; --d) {
      if (++idx[d] < os[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

// Softmax or layernorm over one axis: calls f(span start, length, stride) for every lane.
template <class F>
void lanes(const Shape& s, int64_t axis, F f) {
  if (axis < 0) axis += static_cast<int64_t>(s.size());
  int64_t inner = 1, outer = 1;
  for (size_t d = static_cast<size_t>(axis) + 1; d < s.size(); ++d) inner *= s[d];
  for (int64_t d = 0; d < axis; ++d) outer *= s[d];
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i) f(o * s[axis] * inner + i, s[axis], inner);
}

Vec transpose(const Layer& L, const Vec& in) {
  const Shape& is = L.inputShapes[0];
  const Shape& os = L.outputShape;
  auto st = stridesOf(is);
  Vec out(in.size());
  std::vector<int64_t> idx(os.size(), 0);
  for (size_t k = 0; k < out.size(); ++k) {
    int64_t src = 0;
    for (size_t d = 0; d < os.size(); ++d) src += idx[d] * st[static_cast<size_t>(L.perm[d])];
    out[k] = in[static_cast<size_t>(src)];
    for (int64_t d = static_cast<int64_t>(os.size()) - 1; d >= 0; --d) {
      if (++idx[d] < os[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

Vec concat(const Layer& L, const std::vector<const Vec*>& ins) {
  int64_t axis = L.axis < 0 ? L.axis + static_cast<int64_t>(L.outputShape.size()) : L.axis;
  int64_t outer = 1;
  for (int64_t d = 0; d < axis; ++d) outer *= L.outputShape[d];
  Vec out;
  out.reserve(static_cast<size_t>(L.outputElements()));
  for (int64_t o = 0; o < outer; ++o)
    for (size_t i = 0; i < ins.size(); ++i) {
      const int64_t chunk = workload::elementCount(L.inputShapes[i]) / outer;
      out.insert(out.end(), ins[i]->begin() + o * chunk, ins[i]->begin() + (o + 1) * chunk);
    }
  return out;
}

}  // namespace

diag::Expected<std::map<std::string, Vec>> forwardFloat(const workload::Model& model,
                                                         const std::map<std::string, FloatParams>& params,
                                                         const std::map<std::string, Vec>& inputs, io::StopToken stop) {
  std::map<std::string, Vec> t;
  for (const auto& in : model.inputs) {
    auto it = inputs.find(in.name);
    if (it == inputs.end() || static_cast<int64_t>(it->second.size()) != workload::elementCount(in.shape))
      return diag::error("onnx.calibration", {"", "input '" + in.name + "'"},
                         "no calibration data of shape " + workload::shapeText(in.shape) + " for input '" + in.name + "'",
                         "give a .npy input with the model input's shape");
    t[in.name] = it->second;
  }
  for (const auto& L : model.layers) {
    // A stop request (Ctrl-C in the driver): a large convolution polls too and returns unfinished, so the
    // request is seen here within one block of output channels.
    if (stop.stopRequested())
      return diag::error("onnx.interrupted", {"", "layer '" + L.name + "'"},
                         "calibration stopped (Ctrl-C) at layer '" + L.name + "'; no model was written", "run the import again");
    auto in = [&](size_t k) -> const Vec& { return t.at(L.inputs[k]); };
    auto pit = params.find(L.name);
    const bool needsParams = L.op == OpKind::Conv2d || L.op == OpKind::Fc;
    if (needsParams && (pit == params.end() || pit->second.weight.empty()))
      return diag::error("onnx.calibration", {"", "layer '" + L.name + "'"}, "layer '" + L.name + "' has no weights to run",
                         "export the model with its parameters (export_params=True)");
    Vec out;
    switch (L.op) {
      case OpKind::Conv2d: out = conv(L, in(0), pit->second, stop); break;
      case OpKind::Fc: out = fc(L, in(0), pit->second); break;
      case OpKind::MatMul: out = matmul(L, in(0), in(1), pit == params.end() ? 1.f : pit->second.outputMultiplier); break;
      case OpKind::MaxPool:
      case OpKind::AvgPool: out = pool(L, in(0)); break;
      case OpKind::GlobalAvgPool: {
        const int64_t NC = L.outputShape[0] * L.outputShape[1], HW = L.inputShapes[0][2] * L.inputShapes[0][3];
        out.resize(static_cast<size_t>(NC));
        for (int64_t c = 0; c < NC; ++c)
          out[static_cast<size_t>(c)] = std::accumulate(in(0).begin() + c * HW, in(0).begin() + (c + 1) * HW, 0.f) / static_cast<float>(HW);
        break;
      }
      case OpKind::Add:
        out = broadcast(L.outputShape, L.inputShapes[0], in(0), L.inputShapes[1], in(1), [](float a, float b) { return a + b; });
        break;
      case OpKind::Mul:
        out = broadcast(L.outputShape, L.inputShapes[0], in(0), L.inputShapes[1], in(1), [](float a, float b) { return a * b; });
        break;
      case OpKind::Activation:
      case OpKind::Flatten:
      case OpKind::Reshape: out = in(0); break;
      case OpKind::Concat: {
        std::vector<const Vec*> ins;
        for (size_t k = 0; k < L.inputs.size(); ++k) ins.push_back(&in(k));
        out = concat(L, ins);
        break;
      }
      case OpKind::Softmax:
        out = in(0);
        lanes(L.outputShape, L.axis, [&](int64_t start, int64_t len, int64_t stride) {
          float mx = -std::numeric_limits<float>::infinity();
          for (int64_t e = 0; e < len; ++e) mx = std::max(mx, out[static_cast<size_t>(start + e * stride)]);
          double sum = 0;
          for (int64_t e = 0; e < len; ++e) sum += out[static_cast<size_t>(start + e * stride)] = std::exp(out[static_cast<size_t>(start + e * stride)] - mx);
          for (int64_t e = 0; e < len; ++e) out[static_cast<size_t>(start + e * stride)] = static_cast<float>(out[static_cast<size_t>(start + e * stride)] / sum);
        });
        break;
      case OpKind::LayerNorm: {
        out = in(0);
        const FloatParams* p = pit == params.end() ? nullptr : &pit->second;
        lanes(L.outputShape, -1, [&](int64_t start, int64_t len, int64_t) {
          double mean = 0, var = 0;
          for (int64_t e = 0; e < len; ++e) mean += out[static_cast<size_t>(start + e)];
          mean /= static_cast<double>(len);
          for (int64_t e = 0; e < len; ++e) var += (out[static_cast<size_t>(start + e)] - mean) * (out[static_cast<size_t>(start + e)] - mean);
          var /= static_cast<double>(len);
          const double inv = 1.0 / std::sqrt(var + L.epsilon);
          for (int64_t e = 0; e < len; ++e) {
            double y = (out[static_cast<size_t>(start + e)] - mean) * inv;
            if (p && static_cast<int64_t>(p->weight.size()) == len) y *= p->weight[static_cast<size_t>(e)];
            if (p && static_cast<int64_t>(p->bias.size()) == len) y += p->bias[static_cast<size_t>(e)];
            out[static_cast<size_t>(start + e)] = static_cast<float>(y);
          }
        });
        break;
      }
      case OpKind::Transpose: out = transpose(L, in(0)); break;
    }
    if (stop.stopRequested())  // a convolution stopped early: its output is unfinished
      return diag::error("onnx.interrupted", {"", "layer '" + L.name + "'"},
                         "calibration stopped (Ctrl-C) at layer '" + L.name + "'; no model was written", "run the import again");
    if (L.activation != ActivationKind::None) {
      if (L.op != OpKind::Activation && L.activation != ActivationKind::Relu && L.activation != ActivationKind::Relu6)
        t[L.name + "#preact"] = out;
      for (float& v : out) v = activate(v, L);
    }
    t[L.name] = std::move(out);
  }
  return t;
}

diag::Expected<std::pair<Shape, Vec>> readNpyFloat(const std::filesystem::path& path) {
  auto bytes = io::readTextFile(path);
  if (!bytes) return bytes.error();
  const std::string& b = *bytes;
  const std::string file = path.string();
  auto bad = [&](const std::string& code, const std::string& m) {
    return diag::error(code, {file, ""}, m, "save the calibration input with numpy.save(path, x.astype(numpy.float32))");
  };
  if (b.size() < 10 || b.compare(0, 6, "\x93NUMPY") != 0) return bad("npy.not-npy", "not a NumPy .npy file");
  const int major = static_cast<unsigned char>(b[6]);
  size_t hlen = 0, hstart = 0;
  if (major == 1) { hlen = static_cast<unsigned char>(b[8]) | (static_cast<unsigned char>(b[9]) << 8); hstart = 10; }
  else if (b.size() >= 12) { hlen = 0; for (int k = 3; k >= 0; --k) hlen = (hlen << 8) | static_cast<unsigned char>(b[8 + k]); hstart = 12; }
  if (hstart + hlen > b.size()) return bad("npy.header", "the .npy header is truncated");
  const std::string h = b.substr(hstart, hlen);
  const bool f4 = h.find("'<f4'") != std::string::npos, f8 = h.find("'<f8'") != std::string::npos;
  if (!f4 && !f8) return bad("npy.dtype", "the calibration input must be float32 or float64 (little-endian)");
  if (h.find("'fortran_order': True") != std::string::npos) return bad("npy.header", "Fortran-ordered arrays are not supported");
  auto sp = h.find("'shape':");
  auto lp = h.find('(', sp), rp = h.find(')', lp);
  if (sp == std::string::npos || lp == std::string::npos || rp == std::string::npos) return bad("npy.header", "the .npy header has no shape");
  Shape shape;
  std::string dims = h.substr(lp + 1, rp - lp - 1);
  for (size_t pos = 0; pos < dims.size();) {
    while (pos < dims.size() && (dims[pos] == ' ' || dims[pos] == ',')) ++pos;
    if (pos >= dims.size()) break;
    size_t end = pos;
    while (end < dims.size() && std::isdigit(static_cast<unsigned char>(dims[end]))) ++end;
    if (end == pos) return bad("npy.header", "the .npy shape is malformed");
    shape.push_back(std::stoll(dims.substr(pos, end - pos)));
    pos = end;
  }
  const size_t n = static_cast<size_t>(workload::elementCount(shape)), es = f4 ? 4 : 8;
  const size_t data = hstart + hlen;
  if (b.size() - data < n * es) return bad("npy.truncated", "the .npy file has fewer values than its shape needs");
  Vec v(n);
  for (size_t k = 0; k < n; ++k) {
    if (f4) std::memcpy(&v[k], b.data() + data + k * 4, 4);
    else { double d; std::memcpy(&d, b.data() + data + k * 8, 8); v[k] = static_cast<float>(d); }
  }
  return std::make_pair(shape, std::move(v));
}

}  // namespace dnnchip::onnx::detail
