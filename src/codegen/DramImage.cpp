// DRAM image assembly and readback for co-simulation. Activations are NHWC in DRAM
// (docs/engine.md#dram-layout) and NCHW in the golden model; a 2-D [rows][C] tensor is NHWC with
// H = W = 1, so its bytes are the same. A placement with a halo (a model input read by a
// width-folded convolution) has haloLeft + W + haloRight columns per row, the halo zero; a
// row-stacked one (read by a window-folded convolution) stacks R input rows into each pixel. Weights and biases go through schedule::packWeights and
// packBias so the layout has one owner. Cost O(DRAM bytes).

#include "dnnchip/codegen/DramImage.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace dnnchip::codegen {

using schedule::EngineOp;
using schedule::TensorKind;
using schedule::TensorPlacement;

namespace {

struct Nchw {
  int64_t n = 1, c = 1, h = 1, w = 1;
};

Nchw dimsOf(const workload::Shape& s) {
  Nchw d;
  if (s.size() == 4) {
    d.n = s[0]; d.c = s[1]; d.h = s[2]; d.w = s[3];
  } else if (!s.empty()) {
    d.c = s.back();
    d.n = workload::elementCount(s) / (d.c ? d.c : 1);
  }
  return d;
}

}  // namespace

const TensorPlacement* outputPlacement(const schedule::Program& program, const workload::Model& model,
                                       int layerIndex) {
  int idx = layerIndex;
  for (int guard = 0; idx >= 0 && guard < 1000; ++guard) {
    const auto& L = model.layers[static_cast<size_t>(idx)];
    if (const auto* p = program.find(L.name, TensorKind::Activation)) return p;
    if (!L.isLayoutOnly() || L.inputs.empty()) return nullptr;
    int producer = L.inputLayers.empty() ? -1 : L.inputLayers[0];
    if (producer < 0) return program.find(L.inputs[0], TensorKind::Activation);
    idx = producer;
  }
  return nullptr;
}

void applyQuant(schedule::Program& program, const workload::Model& model, const golden::ModelParams& params) {
  for (auto& d : program.descriptors) {
    if (d.layerIndex < 0 || static_cast<size_t>(d.layerIndex) >= params.layers.size()) continue;
    const auto& L = model.layers[static_cast<size_t>(d.layerIndex)];
    const auto& q = params.layers[static_cast<size_t>(d.layerIndex)].quant;
    // a transpose keeps its identity requantization (its layer has no quantization of its own)
    if ((d.op == EngineOp::Gemm && d.lowering != schedule::WeightLowering::Identity) ||
        (d.op == EngineOp::Add && L.op == workload::OpKind::Add) || (d.op == EngineOp::AvgPool))
      schedule::setQuant(d, q.mult, d.op == EngineOp::Add ? q.multB : 0, static_cast<uint32_t>(q.shift), d.relu);
    if (d.mul) schedule::setMulQuant(d, q.mult, static_cast<uint32_t>(q.shift), d.addRelu);
    if (d.op == EngineOp::Softmax)  // the rescale of golden::softmax (its layer's quant)
      schedule::setSoftmaxQuant(d, q.mult, static_cast<uint32_t>(q.shift));
    schedule::setActivation(d, params.layers[static_cast<size_t>(d.layerIndex)].act);
    if (d.fuseAdd && static_cast<size_t>(d.fusedAddIndex) < params.layers.size()) {
      const auto& qa = params.layers[static_cast<size_t>(d.fusedAddIndex)].quant;
      schedule::setFusedAddQuant(d, qa.mult, qa.multB, static_cast<uint32_t>(qa.shift), d.addRelu);
    }
  }
}

// The DRAM layout follows the placement's logical shape (a flattened [N, C*H*W] tensor that the
// engine reads as the 4-D tensor it aliases is stored as that 4-D tensor); element order in the
// golden tensor is C order either way.
static Nchw layoutOf(const TensorPlacement& place, const workload::Shape& shape) {
  if (!place.shape.empty() && workload::elementCount(place.shape) == workload::elementCount(shape))
    return dimsOf(place.shape);
  return dimsOf(shape);
}

/// Byte address of NHWC element (n, h, w, c) of a placement with dims `d` (halo columns included).
static size_t nhwcAddress(const TensorPlacement& place, const Nchw& d, int64_t n, int64_t c, int64_t h, int64_t w) {
  const int64_t width = d.w + place.haloLeft + place.haloRight;
  const int64_t stride = place.channelStride ? int64_t(place.channelStride) : d.c;  // a concat's slice
  return place.baseAddress + static_cast<size_t>(((n * d.h + h) * width + place.haloLeft + w) * stride + c);
}

/// Byte address of stacked row p, pixel w' (halo included, from 0), byte r*C + c of a row-stacked
/// placement (TensorPlacement::stackRows; window-folded convolutions, docs/engine.md#dram-layout).
static size_t stackedAddress(const TensorPlacement& place, const Nchw& d, int64_t n, int64_t c, int64_t p, int64_t w,
                             int64_t r) {
  const int64_t width = d.w + place.haloLeft + place.haloRight, rows = place.stackRows;
  return place.baseAddress + static_cast<size_t>((((n * place.stackOutRows + p) * width + w) * rows + r) * d.c + c);
}

void storeActivation(std::vector<uint8_t>& image, const TensorPlacement& place, const golden::Tensor8& t) {
  Nchw d = layoutOf(place, t.shape);
  if (place.stackRows) {  // every byte of the region: an input element or 0 (padding, halo)
    const int64_t width = d.w + place.haloLeft + place.haloRight;
    for (int64_t n = 0; n < d.n; ++n)
      for (int64_t p = 0; p < place.stackOutRows; ++p)
        for (int64_t w = 0; w < width; ++w)
          for (int64_t r = 0; r < place.stackRows; ++r)
            for (int64_t c = 0; c < d.c; ++c) {
              const int64_t h = p * place.stackStride + r - place.stackPadTop, x = w - place.haloLeft;
              const bool in = h >= 0 && h < d.h && x >= 0 && x < d.w;
              const size_t addr = stackedAddress(place, d, n, c, p, w, r);
              if (addr < image.size())
                image[addr] = in ? static_cast<uint8_t>(t.data[static_cast<size_t>(((n * d.c + c) * d.h + h) * d.w + x)]) : 0;
            }
    return;
  }
  for (int64_t n = 0; n < d.n; ++n)
    for (int64_t c = 0; c < d.c; ++c)
      for (int64_t h = 0; h < d.h; ++h)
        for (int64_t w = 0; w < d.w; ++w) {
          size_t addr = nhwcAddress(place, d, n, c, h, w);
          size_t src = static_cast<size_t>(((n * d.c + c) * d.h + h) * d.w + w);
          if (addr < image.size()) image[addr] = static_cast<uint8_t>(t.data[src]);
        }
  // The halo holds the padding value of convolution (0, docs/quantization.md).
  if (place.haloLeft || place.haloRight)
    for (int64_t n = 0; n < d.n; ++n)
      for (int64_t h = 0; h < d.h; ++h)
        for (int64_t c = 0; c < d.c; ++c) {
          for (int64_t w = -int64_t(place.haloLeft); w < 0; ++w)
            if (size_t a = nhwcAddress(place, d, n, c, h, w); a < image.size()) image[a] = 0;
          for (int64_t w = d.w; w < d.w + int64_t(place.haloRight); ++w)
            if (size_t a = nhwcAddress(place, d, n, c, h, w); a < image.size()) image[a] = 0;
        }
}

golden::Tensor8 loadActivation(const std::vector<uint8_t>& image, const TensorPlacement& place,
                               const workload::Shape& shape) {
  golden::Tensor8 t(shape);
  Nchw d = layoutOf(place, shape);
  if (place.stackRows) {  // an element's first copy (stacked row p, r with p*stride + r - pad_t = h); 0 if none
    for (int64_t n = 0; n < d.n; ++n)
      for (int64_t c = 0; c < d.c; ++c)
        for (int64_t h = 0; h < d.h; ++h)
          for (int64_t w = 0; w < d.w; ++w) {
            int8_t v = 0;
            for (int64_t p = 0; p < place.stackOutRows; ++p) {
              const int64_t r = h + place.stackPadTop - p * place.stackStride;
              if (r < 0 || r >= place.stackRows) continue;
              const size_t addr = stackedAddress(place, d, n, c, p, w + place.haloLeft, r);
              v = addr < image.size() ? static_cast<int8_t>(image[addr]) : int8_t{0};
              break;
            }
            t.data[static_cast<size_t>(((n * d.c + c) * d.h + h) * d.w + w)] = v;
          }
    return t;
  }
  for (int64_t n = 0; n < d.n; ++n)
    for (int64_t c = 0; c < d.c; ++c)
      for (int64_t h = 0; h < d.h; ++h)
        for (int64_t w = 0; w < d.w; ++w) {
          size_t addr = nhwcAddress(place, d, n, c, h, w);
          size_t dst = static_cast<size_t>(((n * d.c + c) * d.h + h) * d.w + w);
          t.data[dst] = addr < image.size() ? static_cast<int8_t>(image[addr]) : int8_t{0};
        }
  return t;
}

std::vector<uint8_t> buildDramImage(const schedule::Program& program, const schedule::EngineConfig& cfg,
                                    const workload::Model& model, const golden::ModelParams& params,
                                    const std::map<std::string, const golden::Tensor8*>& activations) {
  std::vector<uint8_t> image(program.dramBytes, 0);
  for (const auto& [name, tensor] : activations) {
    const TensorPlacement* p = program.find(name, TensorKind::Activation);
    if (!p && model.layerIndex(name) >= 0) p = outputPlacement(program, model, model.layerIndex(name));
    if (p) storeActivation(image, *p, *tensor);
  }
  for (const auto& d : program.descriptors) {
    if (d.lutEnable && d.layerIndex >= 0) {  // the activation table: the bias region's first bytes
      auto t = schedule::packTable(d, cfg, schedule::tableBytes(params.layers[static_cast<size_t>(d.layerIndex)].act), {});
      for (size_t i = 0; i < schedule::kActivationTableBytes && d.biasBase + i < image.size(); ++i) image[d.biasBase + i] = t[i];
    }
    if (d.op != EngineOp::Gemm || d.layerIndex < 0) continue;
    const auto& lp = params.layers[static_cast<size_t>(d.layerIndex)];
    auto w = schedule::packWeights(d, cfg, lp.weight.data);
    for (size_t i = 0; i < w.size() && d.weightBase + i < image.size(); ++i)
      image[d.weightBase + i] = static_cast<uint8_t>(w[i]);
    if (d.biasEnable) {
      std::vector<int32_t> bias = lp.bias.data;
      if (bias.empty()) bias.assign(static_cast<size_t>(d.groups * d.kg), 0);
      auto b = schedule::packBias(d, cfg, bias);
      for (size_t i = d.lutEnable ? schedule::kActivationTableBytes : 0; i < b.size() && d.biasBase + i < image.size(); ++i)
        image[d.biasBase + i] = b[i];
    }
  }
  return image;
}

std::string encodeByteHex(const std::vector<uint8_t>& bytes) {
  std::string out;
  out.reserve(bytes.size() * 3);
  static const char* kHex = "0123456789abcdef";
  for (uint8_t b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
    out += '\n';
  }
  return out;
}

diag::Expected<std::vector<uint8_t>> decodeByteHex(const std::string& text, size_t expectedBytes) {
  std::vector<uint8_t> out(expectedBytes, 0);
  std::istringstream in(text);
  std::string tok;
  size_t addr = 0;
  int lineNo = 0;
  std::string line;
  while (std::getline(in, line)) {
    ++lineNo;
    if (auto c = line.find("//"); c != std::string::npos) line.resize(c);
    std::istringstream ls(line);
    while (ls >> tok) {
      if (tok[0] == '@') {
        addr = std::stoull(tok.substr(1), nullptr, 16);
        continue;
      }
      unsigned v = 0;
      for (char ch : tok) {
        int digit;
        if (ch >= '0' && ch <= '9') digit = ch - '0';
        else if (ch >= 'a' && ch <= 'f') digit = ch - 'a' + 10;
        else if (ch >= 'A' && ch <= 'F') digit = ch - 'A' + 10;
        else if (ch == 'x' || ch == 'X' || ch == 'z' || ch == 'Z') digit = 0;
        else
          return diag::error("codegen.bad-dump", {"", "line " + std::to_string(lineNo)},
                             "the simulator's memory dump has a non-hex token '" + tok + "'",
                             "re-run the simulation; the dump may be cut short");
        v = v * 16 + static_cast<unsigned>(digit);
      }
      if (addr < out.size()) out[addr] = static_cast<uint8_t>(v);
      ++addr;
    }
  }
  return out;
}

}  // namespace dnnchip::codegen
