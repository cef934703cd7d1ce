// buildProgram: lowers a finalized workload::Model onto the layer-sequential engine.
// Algorithm: one pass over the layers in topological order. Layout-only layers alias their input
// tensor (NHWC bytes are unchanged for [N,C,1,1] and 2-D tensors); a flatten of a 4-D map feeds
// only fc layers, which become a convolution with an HxW kernel over the unflattened map (same
// weight bytes). Every other supported layer becomes one descriptor whose tile sizes follow
// docs/engine.md#lowering-and-tile-loops; a GEMM with few channels may instead fold its filter
// width into the reduction (a model input it alone reads then gets a zero halo), and a depthwise
// layer may run blocks of channels as dense block-diagonal groups, each only where
// estimateCycles predicts fewer cycles. A residual add then folds into the GEMM that produces
// its last-computed operand (fusibleAdds: that GEMM's output has no other reader), which stores
// the sum instead of its own output; the add's descriptor goes. A 3x3/2 max pool folds likewise into
// the convolution it reads (fusiblePools; m_tile a whole number of output row pairs, the pool
// unit's line buffer holding a row per output tile) where the estimate says it is faster. Tensors are then placed in DRAM,
// 64-byte aligned: model inputs (with their halos), the outputs of the descriptors (a fused
// GEMM's own output gets no place), weights, biases. Cost O(layers) plus one closed-form cycle
// estimate per alternative, memoized in a LoweringMemo (the caller's, or one for the call).
// Limits: fields must fit their descriptor bits (16-bit sizes, 8-bit kernel/stride/dilation/pad).

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <unordered_map>

#include "dnnchip/golden/Ops.h"
#include "dnnchip/golden/Requantize.h"
#include "dnnchip/schedule/CycleModel.h"
#include "dnnchip/schedule/EstimateKey.h"
#include "dnnchip/schedule/Program.h"

namespace dnnchip::schedule {

using workload::Layer;
using workload::Model;
using workload::OpKind;
using workload::Shape;

const TensorPlacement* Program::find(std::string_view name, TensorKind kind) const {
  for (const auto& t : tensors)
    if (t.name == name && t.kind == kind) return &t;
  return nullptr;
}

void setQuant(LayerDescriptor& d, uint32_t mult, uint32_t multB, uint32_t shift, bool relu) {
  d.mult = mult & 0xFFFFu;
  d.multB = multB & 0xFFFFu;
  d.shift = std::clamp<uint32_t>(shift, 1, 31);
  d.relu = relu;
}

// The narrow-requantization rule (docs/quantization.md#narrow-requantization), B = 2^(bits-1):
// the sum stays in [-B, B), or mult = 0, or a sum beyond saturates the output on both sides
// (2 B mult > 255 2^shift: t(-B) <= -128; 2 (B-1) mult >= 253 2^shift: t(B-1) >= 127).
// Sums in range by construction: an add's a*mA + b*mB (< 2^24), a max pool's int8 maximum, an
// average pool's sum of kh x kw int8 values; a GEMM's |acc + bias| has no bound here (the
// weights and biases are not in the program), so it relies on the scale.
bool narrowScaleSaturates(uint32_t& mult, uint32_t& shift, int bits) {
  if (bits >= 32 || mult == 0) return true;
  while (mult < 0x8000u && shift < 31) {  // exact: (s m 2^j + 2^(sh+j-1)) >> (sh+j)
    mult <<= 1;
    shift += 1;
  }
  const int64_t b = int64_t{1} << (bits - 1);
  const int64_t m = mult;
  const int64_t p = int64_t{1} << shift;
  return 2 * b * m > 255 * p && 2 * (b - 1) * m >= 253 * p;
}

std::optional<std::string> narrowRequantRefusal(const workload::Model& model,
                                                const std::vector<golden::QuantParams>& quant, int bits) {
  if (bits >= 32) return std::nullopt;
  for (size_t i = 0; i < model.layers.size() && i < quant.size(); ++i) {
    const workload::OpKind op = model.layers[i].op;
    // in range by construction (narrowRequant): an add's (or a mul's, on residual_add) and a
    // max pool's; every other requantization is checked on its scale, average pools included
    if (op == workload::OpKind::Add || op == workload::OpKind::Mul || op == workload::OpKind::MaxPool) continue;
    uint32_t m = quant[i].mult & 0xFFFFu;
    uint32_t sh = static_cast<uint32_t>(std::clamp(quant[i].shift, 1, 31));
    if (!narrowScaleSaturates(m, sh, bits)) return model.layers[i].name;
  }
  return std::nullopt;
}

std::optional<diag::Diagnostic> narrowRequant(Program& program, const EngineConfig& cfg) {
  if (cfg.requantBits >= 32) return std::nullopt;
  const int64_t b = int64_t{1} << (cfg.requantBits - 1);
  for (LayerDescriptor& d : program.descriptors) {
    bool inRange = false;
    switch (d.op) {
      case EngineOp::Add:
      case EngineOp::MaxPool: inRange = true; break;
      case EngineOp::AvgPool: inRange = int64_t{d.kernelR} * d.kernelS * 128 < b; break;
      default: break;
    }
    if (inRange || d.mult == 0) continue;
    if (narrowScaleSaturates(d.mult, d.shift, cfg.requantBits)) continue;
    return diag::error("codegen.requant-narrow", {"", "/layers/" + std::to_string(d.layerIndex)},
                       "layer '" + d.layerName + "' scales by " + std::to_string(d.mult) + " / 2^" +
                           std::to_string(d.shift) + ", too small for the vector unit's " +
                           std::to_string(cfg.requantBits) +
                           "-bit operand: a sum beyond it would not saturate, so the output could differ",
                       "build the engine with \"requant_operand_bits\": 32 (the exact int32 operand)");
  }
  return std::nullopt;
}

void setActivation(LayerDescriptor& d, const golden::ActivationParams& a) {
  d.clampEnable = a.clamps();
  d.clampLo = d.clampEnable ? (d.relu ? std::max<int8_t>(a.lo, 0) : a.lo) : 0;  // ReLU's bound and the pair's together
  d.clampHi = d.clampEnable ? std::max(a.hi, d.clampLo) : 0;
}

std::vector<int8_t> tableBytes(const golden::ActivationParams& a) {
  if (a.table.size() == kActivationTableBytes) return a.table;
  std::vector<int8_t> identity(kActivationTableBytes);
  for (size_t e = 0; e < identity.size(); ++e) identity[e] = static_cast<int8_t>(int(e) - 128);
  return identity;
}

int activationUnit(const Program& p) {
  int unit = 0;
  for (const auto& d : p.descriptors) unit = std::max(unit, d.lutEnable ? 2 : (d.clampEnable ? 1 : 0));
  return unit;
}

bool usesMul(const Program& p) {
  return std::any_of(p.descriptors.begin(), p.descriptors.end(), [](const auto& d) { return d.mul; });
}

uint32_t softmaxWords(const Program& p) {
  uint32_t words = 0;
  for (const auto& d : p.descriptors)
    if (d.op == EngineOp::Softmax) words = std::max({words, d.numCTiles, 2u});
  return words;
}

void setMulQuant(LayerDescriptor& d, uint32_t mult, uint32_t shift, bool relu) {
  setQuant(d, 2, 0, 1, false);  // the accumulate and vector passes: (2a + 1) >> 1 = a, unclamped
  d.addMultY = mult & 0xFFFFu;
  d.addMultSkip = 0;
  d.addShift = std::clamp<uint32_t>(shift, 1, 31);
  d.addRelu = relu;
}

void setSoftmaxQuant(LayerDescriptor& d, uint32_t mult, uint32_t shift) {
  d.addMultY = std::clamp<uint32_t>(mult, 1, 0xFFFFu);
  d.addShift = std::clamp<uint32_t>(shift, 1, 31);
}

void setFusedAddQuant(LayerDescriptor& d, uint32_t multA, uint32_t multB, uint32_t shift, bool relu) {
  d.addMultY = (d.fusedOutputIsB ? multB : multA) & 0xFFFFu;
  d.addMultSkip = (d.fusedOutputIsB ? multA : multB) & 0xFFFFu;
  d.addShift = std::clamp<uint32_t>(shift, 1, 31);
  d.addRelu = relu;
}

std::vector<int> fusibleAdds(const Model& model) {
  std::vector<int> out(model.layers.size(), -1);
  std::map<std::string, int> readers;
  for (const auto& l : model.layers)
    for (const auto& name : l.inputs) ++readers[name];
  for (size_t ai = 0; ai < model.layers.size(); ++ai) {
    const Layer& a = model.layers[ai];
    if (a.op != OpKind::Add || a.inputs.size() != 2 || a.inputLayers.size() != 2) continue;
    const int p0 = a.inputLayers[0], p1 = a.inputLayers[1];
    const int pi = std::max(p0, p1);  // the operand computed last; the other is in DRAM by then
    if (pi < 0 || p0 == p1) continue;
    const Layer& c = model.layers[size_t(pi)];
    const std::string& other = a.inputs[p0 == pi ? 1 : 0];
    // the fused add's output path has ReLU only: an add with another activation runs on its own
    if (a.activation != workload::ActivationKind::None && a.activation != workload::ActivationKind::Relu) continue;
    // nor a GEMM whose own activation is more than ReLU: descriptor word 24 holds either the fused
    // add's multipliers or the clamp pair (docs/engine.md#program-format)
    if (c.activation != workload::ActivationKind::None && c.activation != workload::ActivationKind::Relu) continue;
    if ((c.op != OpKind::Conv2d && c.op != OpKind::Fc) || readers[c.name] != 1 ||
        std::find(model.outputs.begin(), model.outputs.end(), c.name) != model.outputs.end())
      continue;
    auto otherShape = model.tensorShape(other);
    if (c.outputShape != a.outputShape || !otherShape || *otherShape != a.outputShape) continue;
    out[ai] = pi;
  }
  return out;
}

std::vector<int> fusiblePools(const Model& model) {
  std::vector<int> out(model.layers.size(), -1);
  std::map<std::string, int> readers;
  for (const auto& l : model.layers)
    for (const auto& name : l.inputs) ++readers[name];
  for (size_t pi = 0; pi < model.layers.size(); ++pi) {
    const Layer& p = model.layers[pi];
    if (p.op != OpKind::MaxPool || p.inputs.size() != 1 || p.inputLayers.size() != 1 || p.inputLayers[0] < 0) continue;
    if (p.kernel[0] != 3 || p.kernel[1] != 3 || p.stride[0] != 2 || p.stride[1] != 2 || p.dilation[0] != 1 ||
        p.dilation[1] != 1 || p.padding != std::array<int64_t, 4>{1, 1, 1, 1})
      continue;
    const Layer& c = model.layers[size_t(p.inputLayers[0])];
    using workload::ActivationKind;
    if (p.activation != ActivationKind::None &&
        (p.activation != ActivationKind::Relu || (c.activation != ActivationKind::None && c.activation != ActivationKind::Relu)))
      continue;
    if (c.op != OpKind::Conv2d || readers[c.name] != 1 || c.outputShape.size() != 4 || p.outputShape.size() != 4 ||
        std::find(model.outputs.begin(), model.outputs.end(), c.name) != model.outputs.end())
      continue;
    // an even map: every pool row ends on an odd conv row, every pool column on an odd column
    const int64_t P = c.outputShape[2], Q = c.outputShape[3];
    if (P < 2 || Q < 2 || P % 2 || Q % 2 || p.outputShape[2] != P / 2 || p.outputShape[3] != Q / 2) continue;
    out[pi] = p.inputLayers[0];
  }
  return out;
}

namespace {

constexpr uint32_t kAlign = 64;
uint32_t alignUp(uint64_t v) { return static_cast<uint32_t>((v + kAlign - 1) / kAlign * kAlign); }
uint32_t ceilDiv(uint32_t a, uint32_t b) { return (a + b - 1) / b; }

diag::Diagnostic unsupported(int layer, const std::string& msg, const std::string& hint) {
  return diag::error("codegen.unsupported-op", {"", "/layers/" + std::to_string(layer)}, msg, hint);
}

/// Where a tensor's bytes come from: itself, or (layout-only layers) another tensor.
struct TensorInfo {
  std::string storage;     ///< name of the tensor that owns the bytes
  Shape shape;             ///< logical shape
  bool flattened4d = false;///< flatten of [N,C,H,W] with H*W > 1 (NHWC order, fc only)
  Shape unflattened;       ///< the [N,C,H,W] shape before such a flatten
};

std::optional<diag::Diagnostic> checkFits(int li, const LayerDescriptor& d) {
  auto bad = [&](const char* what, uint64_t v, uint64_t max) -> std::optional<diag::Diagnostic> {
    if (v <= max) return std::nullopt;
    return unsupported(li, std::string(what) + " " + std::to_string(v) +
                               " does not fit the descriptor (max " + std::to_string(max) + ")",
                       "reduce the layer size or split the layer");
  };
  for (auto [what, v, max] : std::initializer_list<std::tuple<const char*, uint64_t, uint64_t>>{
           {"input height", d.inH, 0xFFFF}, {"input width", d.inW, 0xFFFF},
           {"output height", d.outP, 0xFFFF}, {"output width", d.outQ, 0xFFFF},
           {"batch", d.batch, 0xFFFF}, {"groups", d.groups, 0xFFFF},
           {"input channels", d.inChannelStride, 0xFFFF}, {"output channels", d.outChannelStride, 0xFFFF},
           {"kernel height", d.kernelR, 0xFF}, {"kernel width", d.kernelS, 0xFF},
           {"stride", std::max(d.strideH, d.strideW), 0xFF},
           {"dilation", std::max(d.dilationH, d.dilationW), 0xFF},
           {"padding", std::max(d.padTop, d.padLeft), 0xFF}}) {
    if (auto e = bad(what, v, max)) return e;
  }
  return std::nullopt;
}

/// M tile: the activation buffer (ctGroup words per pixel: a wide gather's channel tiles) and the
/// accumulator regions bound it; 0 if one pixel does not fit.
uint32_t chooseMTile(const LayerDescriptor& d, const EngineConfig& cfg) {
  uint32_t regions = d.op == EngineOp::Gemm ? d.numNTiles : d.numCTiles;
  uint64_t byAcc = uint64_t(cfg.accBufferWords) / regions;
  uint64_t byAct = uint64_t(cfg.actBufferWords) / std::max<uint32_t>(1, d.ctGroup);
  const uint64_t mt = std::min<uint64_t>({uint64_t(d.pixels()), byAct, byAcc, 0xFFFFu});
  if (!d.fusePool) return uint32_t(mt);
  // a fused pool: whole pairs of output rows (every M tile starts on an even row), and the pool
  // unit's line buffer holds one row per output tile
  if (uint64_t(d.numNTiles) * d.outQ > uint64_t(std::max(0, cfg.poolLineWords))) return 0;
  return uint32_t(mt / (2 * uint64_t(d.outQ)) * (2 * uint64_t(d.outQ)));
}

/// Width fold of a GEMM descriptor (docs/engine.md#lowering-and-tile-loops): the S taps of one
/// filter row at output (p, q) are the S*C contiguous NHWC bytes of pixels w .. w+S-1, so the
/// layer runs as an R x 1 kernel over cg = S*C "channels" with a pixel step of C bytes. Legal
/// for one group, dilation_w 1 and S > 1; left/right padding becomes a zero halo of the input
/// (`halo` = {left, right} columns), since the gather cannot pad part of a run.
struct Fold {
  LayerDescriptor d;
  uint32_t haloLeft = 0, haloRight = 0;
};
std::optional<Fold> foldWidth(const LayerDescriptor& d, const EngineConfig& cfg) {
  if (d.op != EngineOp::Gemm || d.groups != 1 || d.kernelS < 2 || d.dilationW != 1 ||
      d.lowering != WeightLowering::Direct || d.cg != d.inChannelStride)
    return std::nullopt;
  Fold f{d, d.padLeft, 0};
  const uint64_t reach = uint64_t(d.outQ - 1) * d.strideW + d.kernelS;  // columns read, from -pad_l
  if (reach > uint64_t(d.padLeft) + d.inW) f.haloRight = uint32_t(reach - d.padLeft - d.inW);
  f.d.inW = d.inW + f.haloLeft + f.haloRight;
  f.d.padLeft = 0;
  f.d.cg = d.kernelS * d.cg;
  f.d.kernelS = 1;
  f.d.dilationW = 1;
  f.d.lowering = WeightLowering::FoldedWidth;
  f.d.foldedS = d.kernelS;
  f.d.kChunk = std::min<uint32_t>(cfg.rows, f.d.cg);
  f.d.numCTiles = ceilDiv(f.d.cg, f.d.kChunk);
  f.d.mTile = chooseMTile(f.d, cfg);
  if (f.d.mTile == 0 || f.d.cg > 0xFFFF) return std::nullopt;
  return f;
}

/// Window fold (docs/engine.md#alternative-lowerings): the width fold with the R filter rows
/// stacked into the input's pixels too. The model input is stored row-stacked
/// (TensorPlacement::stackRows): stacked row p holds, per column, the R input rows p*stride_h - pad_t
/// .. p*stride_h - pad_t + R - 1 (R*C bytes, zero outside the input), so the whole R x S window of
/// output (p, q) is the S*R*C contiguous bytes of stacked pixels q*stride_w .. q*stride_w + S - 1 of
/// stacked row p, and the layer runs as a 1 x 1 kernel over cg = S*R*C channels with one gather run
/// per pixel. Only with WIDE_GATHER (a run of several channel tiles is what it is for; the iCE40
/// engine has none); the caller checks that the input is a model input only this layer reads.
struct WindowFold {
  LayerDescriptor d;
  uint32_t haloLeft = 0, haloRight = 0;
};
std::optional<WindowFold> foldWindow(const LayerDescriptor& d, const EngineConfig& cfg) {
  if (!cfg.wideGather || d.kernelR < 2 || d.dilationH != 1) return std::nullopt;
  auto f = foldWidth(d, cfg);
  if (!f) return std::nullopt;
  WindowFold w{f->d, f->haloLeft, f->haloRight};
  LayerDescriptor& e = w.d;
  const uint64_t pixelBytes = uint64_t(d.kernelR) * d.cg;  // R*C: one stacked pixel
  const uint64_t cg = pixelBytes * d.kernelS;
  if (pixelBytes > 0xFFFF || cg > 0xFFFF) return std::nullopt;
  e.inH = d.outP;
  e.inChannelStride = uint32_t(pixelBytes);
  e.cg = uint32_t(cg);
  e.kernelR = 1;
  e.strideH = 1;
  e.padTop = 0;
  e.dilationH = 1;
  e.lowering = WeightLowering::FoldedWindow;
  e.foldedR = d.kernelR;
  e.kChunk = std::min<uint32_t>(cfg.rows, e.cg);
  e.numCTiles = ceilDiv(e.cg, e.kChunk);
  e.mTile = chooseMTile(e, cfg);
  if (e.mTile == 0) return std::nullopt;
  return w;
}

/// Depthwise block lowering (docs/engine.md#alternative-lowerings): a layer with cg = kg = 1 per
/// group runs blocks of b channels (b divides G, so no block reads or writes past the tensor's
/// channels) as G/b dense groups of cg = kg = b with a block-diagonal weight. A block of up to
/// min(ROWS, COLS) channels is one pass per tap; a wider one (up to 255, one gather run) spans
/// ceil(b/ROWS) reduction tiles and ceil(b/COLS) output tiles per tap, whose tiles off the
/// diagonal compute zeros, and a wide gather reads its b channels of a pixel in one burst
/// sequence instead of one per ROWS channels. None if b < 2 or the M tile does not fit.
std::optional<LayerDescriptor> blockDepthwise(const LayerDescriptor& d, const EngineConfig& cfg, uint32_t b) {
  if (d.op != EngineOp::Gemm || d.groups < 2 || d.cg != 1 || d.kg != 1 ||
      d.lowering != WeightLowering::Direct || b < 2 || b > 255 || d.groups % b != 0)
    return std::nullopt;
  LayerDescriptor e = d;
  e.groups = d.groups / b;
  e.cg = e.kg = b;
  e.kChunk = std::min<uint32_t>(cfg.rows, b);
  e.nChunk = std::min<uint32_t>(cfg.cols, b);
  e.numCTiles = ceilDiv(b, e.kChunk);
  e.numNTiles = ceilDiv(b, e.nChunk);
  e.lowering = WeightLowering::BlockDiagonal;
  e.mTile = chooseMTile(e, cfg);
  if (e.mTile == 0) return std::nullopt;
  return e;
}

/// A depthwise layer (cg = kg = 1 per group) on the engine's depthwise unit
/// (docs/engine.md#depthwise-unit-dw_unit): groups of b channels (the largest divisor of G up to
/// COLS: one lane each), one output row per M tile, each group's R*S weight rows loaded once, each
/// input row gathered once per group as whole rows (taps s = padLeft .. padLeft + dwSTaps - 1)
/// into the unit's 4 row slots. None where the unit cannot run it: dilation, stride_w > 2,
/// stride_h > R, R > 4 or R*S > 9 (4 slots, 9 weight words), an input row or a gather's columns
/// beyond the unit's slot, a gather's chunks beyond the activation buffer or the unit's lanes.
std::optional<LayerDescriptor> unitDepthwise(const LayerDescriptor& d, const EngineConfig& cfg) {
  if (!cfg.depthwiseUnit || d.op != EngineOp::Gemm || d.groups < 2 || d.cg != 1 || d.kg != 1 ||
      d.lowering != WeightLowering::Direct || d.dilationH != 1 || d.dilationW != 1 || d.strideW > 2 ||
      d.strideH > d.kernelR || d.kernelR > 4 || d.kernelR * d.kernelS > 9 || d.padLeft >= d.kernelS)
    return std::nullopt;
  const uint32_t chunk = std::min<uint32_t>(cfg.rows, cfg.cols);
  if (cfg.cols % chunk != 0) return std::nullopt;  // the unit's banks are whole gathered words
  const uint64_t slot = uint64_t(1) << std::clamp(cfg.depthwiseLineBits, 1, 15);
  if (d.inW >= slot) return std::nullopt;
  uint32_t b = std::min<uint32_t>({d.groups, uint32_t(cfg.cols), 255u});
  while (b > 1 && d.groups % b != 0) --b;
  LayerDescriptor e = d;
  e.groups = d.groups / b;
  e.cg = e.kg = b;
  e.kChunk = std::min<uint32_t>(cfg.rows, b);
  e.ctGroup = ceilDiv(b, e.kChunk);
  if (e.ctGroup > 1 && !cfg.wideGather) return std::nullopt;
  if (e.ctGroup * slot > uint64_t(cfg.actBufferWords)) return std::nullopt;  // chunk j at word j * slot
  e.numCTiles = 1;
  e.nChunk = b;
  e.numNTiles = 1;
  e.lowering = WeightLowering::DepthwiseUnit;
  e.mTile = d.outQ;
  if (e.mTile > uint32_t(cfg.actBufferWords) || e.mTile > uint32_t(cfg.accBufferWords)) return std::nullopt;
  // taps of one window row whose gathers cover every input column an output reads
  const uint64_t reach = std::max<uint64_t>(d.strideW, d.inW - std::min<uint64_t>(d.inW, uint64_t(d.outQ - 1) * d.strideW));
  e.dwSTaps = uint32_t(std::min<uint64_t>(d.kernelS - d.padLeft, reach));
  e.dwRowFirst = d.strideH < d.kernelR ? d.kernelR - d.strideH : 0;
  // the gathers' columns (q*stride_w + s - padLeft, padded pixels included) stay in the slot
  if (uint64_t(d.outQ - 1) * d.strideW + e.dwSTaps - 1 >= slot) return std::nullopt;
  return e;
}

/// The block sizes a depthwise layer tries: for each multiple t of min(ROWS, COLS) up to
/// 2 * max(ROWS, COLS) (and 255), the largest divisor of G up to t; ascending, no repeats. With
/// `wide` false (or an engine without the wide gather, where a wider block only adds zero tiles)
/// only the first, the largest divisor up to min(ROWS, COLS). At most four candidates on a
/// square array, so the search's lowering stays cheap (a wider block than 2 * max computes
/// mostly zero tiles: MobileNet-v2 on 16x32 takes 32 and 48).
std::vector<uint32_t> depthwiseBlockSizes(uint32_t groups, const EngineConfig& cfg, bool wide) {
  const uint32_t m = std::min<uint32_t>(cfg.rows, cfg.cols);
  const uint32_t cap = wide && cfg.wideGather ? std::min<uint32_t>(255, 2 * std::max<uint32_t>(cfg.rows, cfg.cols)) : m;
  std::vector<uint32_t> out;
  for (uint32_t t = m; t <= cap; t += m) {
    uint32_t b = std::min(t, groups);
    while (b > 1 && groups % b != 0) --b;
    if (b >= 2 && (out.empty() || b > out.back())) out.push_back(b);
    if (t >= groups) break;
  }
  return out;
}

struct EstimateKeyHash {
  size_t operator()(const EstimateKeyWords& k) const {
    uint64_t h = 1469598103934665603ull;
    for (uint32_t x : k) h = (h ^ x) * 1099511628211ull;
    return size_t(h);
  }
};

/// Wide gather (docs/engine.md#wide-gather): the number of channel tiles one gather reads, chosen
/// among 1, 2, 4, ... and numCTiles (a run of at most 255 bytes, ctGroup words per pixel in the
/// activation buffer, so m_tile shrinks and the weights are re-read per M tile) by the estimate;
/// ties keep the smaller group. Returns d with ctGroup and mTile set.
LayerDescriptor chooseCtGroup(LayerDescriptor d, const EngineConfig& cfg, uint32_t forced, LoweringMemo& memo) {
  d.ctGroup = 1;
  d.mTile = chooseMTile(d, cfg);
  if (d.mTile == 0 || d.numCTiles < 2 || d.kChunk == 0 || forced == 1) return d;
  const uint32_t maxG = std::min<uint32_t>(d.numCTiles, 255 / d.kChunk);
  if (forced > 1) {
    LayerDescriptor e = d;
    e.ctGroup = std::min(forced, maxG);
    e.mTile = chooseMTile(e, cfg);
    return e.mTile ? e : d;
  }
  std::vector<uint32_t> cands;
  for (uint32_t c = 2; c < maxG; c *= 2) cands.push_back(c);
  if (maxG >= 2) cands.push_back(maxG);
  LayerDescriptor best = d;
  uint64_t bestCycles = memo.estimate(d, cfg);
  for (uint32_t c : cands) {
    LayerDescriptor e = d;
    e.ctGroup = c;
    e.mTile = chooseMTile(e, cfg);
    if (e.mTile == 0) continue;
    if (const uint64_t cyc = memo.estimate(e, cfg); cyc < bestCycles) {
      best = e;
      bestCycles = cyc;
    }
  }
  return best;
}

/// Row reuse (docs/engine.md, "Row reuse"): a WS GEMM conv with groups 1, R*S > 1, dilation 1,
/// strides <= 2, no fused pool, batch 1, on a tile-overlap engine with ROW_REUSE, whose channel
/// group of `cgp` tiles (a run of at most 255 bytes) reads one region per M tile of whole output
/// rows: the largest ro with cgp * rr(ro) * Wb <= ACT_DEPTH and numNTiles * ro * outQ <=
/// ACC_DEPTH. nullopt where the layer or the engine does not qualify or no row fits.
std::optional<LayerDescriptor> rowReuseLowering(const LayerDescriptor& d, const EngineConfig& cfg, uint32_t cgp) {
  if (!cfg.rowReuse || cfg.dataflow != Dataflow::WeightStationary || !cfg.doubleBuffer || !cfg.wideGather ||
      d.op != EngineOp::Gemm || d.lowering != WeightLowering::Direct || d.groups != 1 || d.batch != 1 ||
      d.kernelR * d.kernelS < 2 || d.dilationH != 1 || d.dilationW != 1 || d.strideH < 1 || d.strideH > 2 ||
      d.strideW < 1 || d.strideW > 2 || d.fusePool || d.kChunk == 0 || cgp < 1 || cgp > d.numCTiles ||
      cgp * d.kChunk > 255 || d.outQ == 0)
    return std::nullopt;
  LayerDescriptor e = d;
  e.lowering = WeightLowering::RowReuse;
  e.ctGroup = cgp;
  const uint64_t wb = e.rowReuseWidth();
  if (wb > 0xFFFF || uint64_t(e.strideH) * wb > 0xFFFF) return std::nullopt;  // word 21's fields
  uint64_t ro = 0;
  for (uint64_t r = 1; r <= e.outP; ++r) {
    const uint64_t words = cgp * (uint64_t(r - 1) * e.strideH + e.kernelR) * wb;
    const uint64_t mt = r * e.outQ;
    if (words > uint64_t(cfg.actBufferWords) || mt * e.numNTiles > uint64_t(cfg.accBufferWords) || mt > 0xFFFF) break;
    ro = r;
  }
  if (ro == 0) return std::nullopt;
  e.mTile = uint32_t(ro * e.outQ);
  return e;
}

// One fusion pass: each follower layer fi with a producer fuse[fi] >= 0 (fusibleAdds, fusiblePools)
// is merged into its producer's descriptor when both have one, `merge(producer, follower, fi)`
// gives the merged descriptor (nullopt: not this pair) and it is estimated faster than the two
// apart; the follower's descriptor is then dropped. In follower order, so a producer takes at
// most what its merge allows (merge sees the producer as earlier merges left it).
template <class Merge>
void fuseFollowers(std::vector<LayerDescriptor>& descs, const std::vector<int>& fuse, const EngineConfig& cfg,
                   LoweringMemo& memo, Merge merge) {
  std::map<int, size_t> at;  // model layer -> descriptor
  for (size_t i = 0; i < descs.size(); ++i) at[descs[i].layerIndex] = i;
  std::vector<bool> drop(descs.size(), false);
  for (size_t fi = 0; fi < fuse.size(); ++fi) {
    if (fuse[fi] < 0 || !at.count(fuse[fi]) || !at.count(int(fi))) continue;
    LayerDescriptor& c = descs[at[fuse[fi]]];
    const LayerDescriptor& follower = descs[at[int(fi)]];
    std::optional<LayerDescriptor> f = merge(c, follower, int(fi));
    if (!f || memo.estimate(*f, cfg) >= memo.estimate(c, cfg) + memo.estimate(follower, cfg)) continue;
    c = std::move(*f);
    drop[at[int(fi)]] = true;
  }
  std::vector<LayerDescriptor> kept;
  for (size_t i = 0; i < descs.size(); ++i)
    if (!drop[i]) kept.push_back(std::move(descs[i]));
  descs = std::move(kept);
}

}  // namespace

// The lowering's choices estimate the same unplaced descriptors over and over: a network repeats
// layer shapes, and a search lowers it for thousands of configurations, many alike. The memo's
// key is every input of the closed form (all EngineConfig fields, the encoded descriptor, and the
// three fields encode() leaves out that packing and the estimate read), the value a pure function
// of it, so results do not depend on which thread filled an entry. Bounded: cleared at 2^18
// entries (about 60 MB).
struct LoweringMemo::Table {
  std::mutex mu;
  std::unordered_map<EstimateKeyWords, uint64_t, EstimateKeyHash> map;
};

LoweringMemo::LoweringMemo() : table_(std::make_unique<Table>()) {}
LoweringMemo::~LoweringMemo() = default;

size_t LoweringMemo::size() const {
  std::lock_guard<std::mutex> lock(table_->mu);
  return table_->map.size();
}

uint64_t LoweringMemo::estimate(const LayerDescriptor& d, const EngineConfig& cfg) {
  const EstimateKeyWords key = estimateKey(d, cfg);
  {
    std::lock_guard<std::mutex> lock(table_->mu);
    if (auto it = table_->map.find(key); it != table_->map.end()) return it->second;
  }
  Program one;
  one.descriptors = {d};
  const uint64_t cycles = estimateCycles(one, cfg).front().total();
  std::lock_guard<std::mutex> lock(table_->mu);
  if (table_->map.size() >= (1u << 18)) table_->map.clear();
  table_->map.emplace(key, cycles);
  return cycles;
}

diag::Expected<Program> buildProgram(const Model& model, const EngineConfig& cfg,
                                     const LoweringOptions& options) {
  std::optional<LoweringMemo> local;
  LoweringMemo& memo = options.memo ? *options.memo : local.emplace();
  if (cfg.rows < 2 || cfg.rows > 255 || cfg.cols < 2 || cfg.cols > 255 || cfg.axiDataBits < 32 ||
      cfg.axiDataBits > 512 || (cfg.axiDataBits & (cfg.axiDataBits - 1)) != 0 ||
      cfg.burstMaxBeats < 1 || cfg.burstMaxBeats > 256 || cfg.dramReadLatencyCycles < 1 ||
      cfg.dramWriteLatencyCycles < 1 || cfg.actBufferWords < 1 || cfg.accBufferWords < 1 ||
      cfg.axiAddrBits < 16 || cfg.axiAddrBits > 32)
    return diag::error("value.range", {}, "engine configuration out of range",
                       "rows and cols 2..255, AXI data 32..512 bits (a power of two), address "
                       "16..32 bits, burst 1..256 beats, DRAM latencies >= 1, buffers >= 1 word");

  Program prog;
  std::map<std::string, TensorInfo> info;
  for (const auto& in : model.inputs) info[in.name] = TensorInfo{in.name, in.shape, false, {}};
  std::map<std::string, int> readers;  // layers reading each tensor name
  for (const auto& l : model.layers)
    for (const auto& name : l.inputs) ++readers[name];
  std::map<std::string, std::pair<uint32_t, uint32_t>> halos;  // model input -> {left, right}
  struct Stack {
    uint32_t rows, outRows, stride, padTop;
  };
  std::map<std::string, Stack> stacks;  // model input -> its row stack (window fold)

  auto inputOf = [&](const Layer& l, size_t i) -> const TensorInfo& { return info.at(l.inputs[i]); };
  // Concat by placement (docs/engine.md#concat-by-placement): the producer of each input of a
  // channel concat writes its output straight into the concat's tensor, at its channel offset
  // with the concat's channel count as the pixel stride; no copy runs. member: producer -> {concat
  // layer, first channel}.
  std::map<int, std::pair<int, uint32_t>> member;
  auto isOutput = [&](const std::string& n) {
    return std::find(model.outputs.begin(), model.outputs.end(), n) != model.outputs.end();
  };
  // 4-D [N,C,H,W] view of an activation (2-D [rows,C] is N=rows, H=W=1).
  auto as4d = [](const Shape& s) -> std::optional<std::array<uint32_t, 4>> {
    if (s.size() == 4) return std::array<uint32_t, 4>{uint32_t(s[0]), uint32_t(s[1]), uint32_t(s[2]), uint32_t(s[3])};
    if (s.size() >= 2) {
      int64_t rows = 1;
      for (size_t i = 0; i + 1 < s.size(); ++i) rows *= s[i];
      return std::array<uint32_t, 4>{uint32_t(rows), uint32_t(s.back()), 1u, 1u};
    }
    return std::nullopt;
  };

  for (size_t li = 0; li < model.layers.size(); ++li) {
    const Layer& l = model.layers[li];
    const int ii = static_cast<int>(li);
    if (l.op != OpKind::Concat) continue;
    const int64_t rank = int64_t(l.outputShape.size());
    if ((rank != 4 && rank != 2) || (l.axis < 0 ? l.axis + rank : l.axis) != 1)
      return unsupported(ii, "layer '" + l.name + "' concatenates along an axis other than the channels",
                         "the engine places channel concatenations of NCHW or [rows, C] tensors only");
    uint32_t c0 = 0;
    for (size_t i = 0; i < l.inputs.size(); ++i) {
      const int p = i < l.inputLayers.size() ? l.inputLayers[i] : -1;
      const Layer* src = p >= 0 ? &model.layers[size_t(p)] : nullptr;
      const bool ok = src && !src->isLayoutOnly() && src->op != OpKind::Concat && readers[src->name] == 1 &&
                      !isOutput(src->name) && !member.count(p);
      if (!ok)
        return unsupported(ii, "layer '" + l.name + "': input '" + l.inputs[i] +
                                   "' is not a layer output that only this concat reads",
                           "the engine concatenates by placing each producer's output in the concat's tensor; "
                           "give every input its own producing layer (conv, fc, pool, add, activation)");
      member[p] = {ii, c0};
      c0 += uint32_t(src->outputShape[1]);
    }
  }

  for (size_t li = 0; li < model.layers.size(); ++li) {
    if (options.stop.stopRequested())  // a layer's estimates take milliseconds; a network's, a second under load
      return diag::error("search.interrupted", {}, "lowering stopped (Ctrl-C)", "");
    const Layer& l = model.layers[li];
    const int ii = static_cast<int>(li);
    LayerDescriptor d;
    d.layerIndex = ii;
    d.layerName = l.name;
    for (const auto& name : l.inputs)
      if (info.at(name).flattened4d && l.op != OpKind::Fc)
        return unsupported(ii, "layer '" + l.name + "' reads a flattened 4-D map; only fc may",
                           "flatten only in front of fully connected layers");

    if (l.op == OpKind::Concat) {  // placed: its producers write into it (member, above)
      info[l.name] = TensorInfo{l.name, l.outputShape, false, {}};
      continue;
    }

    if (l.op == OpKind::Flatten || l.op == OpKind::Reshape) {
      const TensorInfo& src = inputOf(l, 0);
      TensorInfo t{src.storage, l.outputShape, false, {}};
      const Shape& s = src.shape;
      bool trivial = s.size() <= 2 || (s.size() == 4 && s[2] == 1 && s[3] == 1);
      if (!trivial && l.op == OpKind::Flatten && s.size() == 4 && l.outputShape.size() == 2) {
        t.flattened4d = true;
        t.unflattened = s;
      } else if (!trivial) {
        return unsupported(ii, "layer '" + l.name + "': reshape of a " + workload::shapeText(s) +
                                   " map changes the NHWC byte order",
                           "the engine supports reshape/flatten of [N,C,1,1] and 2-D tensors");
      }
      info[l.name] = t;
      continue;
    }

    // activations in the output path (docs/quantization.md#activations): ReLU is the lower
    // clamp, ReLU6/Clip a clamp pair, smooth functions a table; the bounds and the table come
    // from the layer's quantization (setActivation, packTable), the structure is fixed here
    const auto act = l.activation;
    d.relu = act == workload::ActivationKind::Relu;
    d.clampEnable = golden::usesClamp(act);
    if (d.clampEnable) d.clampHi = 127;  // until setActivation gives the layer's bounds
    d.lutEnable = golden::usesTable(act);

    switch (l.op) {
      case OpKind::Conv2d:
      case OpKind::Fc: {
        const TensorInfo& src = inputOf(l, 0);
        d.op = EngineOp::Gemm;
        d.biasEnable = l.bias;
        if (l.op == OpKind::Conv2d) {
          auto in = *as4d(src.shape);
          auto out = *as4d(l.outputShape);
          d.batch = in[0]; d.inH = in[2]; d.inW = in[3]; d.outP = out[2]; d.outQ = out[3];
          d.groups = uint32_t(l.groups);
          d.cg = in[1] / d.groups; d.kg = out[1] / d.groups;
          d.inChannelStride = in[1]; d.outChannelStride = out[1];
          d.kernelR = uint32_t(l.kernel[0]); d.kernelS = uint32_t(l.kernel[1]);
          d.strideH = uint32_t(l.stride[0]); d.strideW = uint32_t(l.stride[1]);
          d.dilationH = uint32_t(l.dilation[0]); d.dilationW = uint32_t(l.dilation[1]);
          d.padTop = uint32_t(l.padding[0]); d.padLeft = uint32_t(l.padding[1]);
        } else if (src.flattened4d) {
          const Shape& s = src.unflattened;  // fc over flatten([N,C,H,W]) = conv with an HxW kernel
          d.batch = uint32_t(s[0]); d.cg = uint32_t(s[1]); d.inH = uint32_t(s[2]); d.inW = uint32_t(s[3]);
          d.kernelR = d.inH; d.kernelS = d.inW;
          d.kg = uint32_t(l.outputShape.back());
          d.inChannelStride = d.cg; d.outChannelStride = d.kg;
        } else {
          auto in = *as4d(src.shape);
          d.batch = in[0]; d.cg = in[1]; d.inChannelStride = in[1];
          d.kg = uint32_t(l.outputShape.back()); d.outChannelStride = d.kg;
        }
        d.kChunk = std::min<uint32_t>(cfg.rows, d.cg);
        d.nChunk = std::min<uint32_t>(cfg.cols, d.kg);
        d.numCTiles = ceilDiv(d.cg, d.kChunk);
        d.numNTiles = ceilDiv(d.kg, d.nChunk);
        break;
      }
      case OpKind::MaxPool:
      case OpKind::AvgPool:
      case OpKind::GlobalAvgPool: {
        auto in = *as4d(inputOf(l, 0).shape);
        auto out = *as4d(l.outputShape);
        d.op = l.op == OpKind::MaxPool ? EngineOp::MaxPool : EngineOp::AvgPool;
        d.batch = in[0]; d.inH = in[2]; d.inW = in[3]; d.outP = out[2]; d.outQ = out[3];
        d.cg = d.kg = d.inChannelStride = d.outChannelStride = in[1];
        if (l.op == OpKind::GlobalAvgPool) {
          d.kernelR = in[2]; d.kernelS = in[3];
        } else {
          d.kernelR = uint32_t(l.kernel[0]); d.kernelS = uint32_t(l.kernel[1]);
          d.strideH = uint32_t(l.stride[0]); d.strideW = uint32_t(l.stride[1]);
          d.dilationH = uint32_t(l.dilation[0]); d.dilationW = uint32_t(l.dilation[1]);
          d.padTop = uint32_t(l.padding[0]); d.padLeft = uint32_t(l.padding[1]);
        }
        if (d.op == EngineOp::MaxPool) {
          d.padValue = -128;
          setQuant(d, 2, 0, 1, d.relu);  // (2x + 1) >> 1 = x: identity
        } else {
          auto q = golden::averageQuant(int64_t(d.kernelR) * d.kernelS);
          setQuant(d, q.mult, 0, uint32_t(q.shift), d.relu);
        }
        d.kChunk = d.nChunk = std::min<uint32_t>({uint32_t(cfg.rows), uint32_t(cfg.cols), d.cg});
        d.numCTiles = d.numNTiles = ceilDiv(d.cg, d.kChunk);
        break;
      }
      case OpKind::Add:
      case OpKind::Activation: {
        if (l.op == OpKind::Activation && l.activation == workload::ActivationKind::None)
          return unsupported(ii, "layer '" + l.name + "' is an activation without a function",
                             "give the activation layer its function");
        auto in = *as4d(inputOf(l, 0).shape);
        d.op = EngineOp::Add;
        d.batch = in[0]; d.inH = d.outP = in[2]; d.inW = d.outQ = in[3];
        d.cg = d.kg = d.inChannelStride = d.outChannelStride = in[1];
        d.kernelR = 2; d.kernelS = 1;
        if (l.op == OpKind::Activation)  // a*2 + a*0, >> 1 = a: the activation alone
          setQuant(d, 2, 0, 1, d.relu);
        else
          setQuant(d, 1, 1, 1, d.relu);
        d.kChunk = d.nChunk = std::min<uint32_t>({uint32_t(cfg.rows), uint32_t(cfg.cols), d.cg});
        d.numCTiles = d.numNTiles = ceilDiv(d.cg, d.kChunk);
        break;
      }
      case OpKind::Mul: {
        // docs/engine.md#elementwise-multiply: an add descriptor with mul; operand a (the full-size
        // one) through one identity accumulate pass, b as the skip of residual_add's multiply mode
        const size_t full = golden::broadcastsPerChannel(inputOf(l, 1).shape, inputOf(l, 0).shape) ? 1 : 0;
        const Shape& sa = inputOf(l, full).shape;
        const Shape& sb = inputOf(l, 1 - full).shape;
        if (!cfg.fuseResidualAdd)
          return unsupported(ii, "layer '" + l.name + "' (mul) needs residual_add, which this engine leaves out",
                             "keep fuse_residual_add on for networks with Mul");
        if (act != workload::ActivationKind::None && act != workload::ActivationKind::Relu)
          return unsupported(ii, "layer '" + l.name + "' is a mul with a " + std::string(workload::activationName(act)) +
                                     " in its output path; the engine's mul ends in ReLU at most",
                             "give the activation its own layer after the mul");
        const bool bcast = sa != sb;
        const auto a4 = as4d(sa);  // a [rows, C] pair is [rows, C, 1, 1] in NHWC
        if ((bcast && !golden::broadcastsPerChannel(sa, sb)) || !a4)
          return unsupported(ii, "layer '" + l.name + "' multiplies " + workload::shapeText(sa) + " by " +
                                     workload::shapeText(sb) + "; the engine multiplies tensors of one shape (NCHW or [rows, C]) or a map by a per-channel [N, C, 1, 1] scale",
                             "reshape the operands to one of these forms");
        if (bcast && sa[0] != 1)
          return unsupported(ii, "layer '" + l.name + "' scales a batch of " + std::to_string(sa[0]) +
                                     " maps per channel; the broadcast read covers one image",
                             "run the network with batch 1 (--input-shape)");
        d.op = EngineOp::Add;
        d.mul = true;
        d.broadcastSkip = bcast;
        d.mulOperandA = int(full);
        d.batch = (*a4)[0]; d.inH = d.outP = (*a4)[2]; d.inW = d.outQ = (*a4)[3];
        d.cg = d.kg = d.inChannelStride = d.outChannelStride = (*a4)[1];
        d.kernelR = 1; d.kernelS = 1;
        setMulQuant(d, 1, 1, d.relu);
        d.kChunk = d.nChunk = std::min<uint32_t>({uint32_t(cfg.rows), uint32_t(cfg.cols), d.cg});
        d.numCTiles = d.numNTiles = ceilDiv(d.cg, d.kChunk);
        break;
      }
      case OpKind::Softmax: {
        // docs/engine.md#softmax-on-the-engine: the rows (all axes but the last) are pixels, the
        // last axis their channels; a 1x1 identity pool accumulates them, softmax_unit rewrites
        // each row in the accumulator, the output tiles store it (identity requantization)
        const Shape& s = inputOf(l, 0).shape;
        const int64_t rank = int64_t(s.size());
        if ((l.axis < 0 ? l.axis + rank : l.axis) != rank - 1 || rank == 4 || rank < 1)
          return unsupported(ii, "layer '" + l.name + "' is a softmax over an axis other than the last of a [..., rows, n] tensor",
                             "the engine's softmax runs over the last axis of a matrix (not an NCHW map)");
        if (act != workload::ActivationKind::None)
          return unsupported(ii, "layer '" + l.name + "' is a softmax with an activation in its output path",
                             "give the activation its own layer");
        auto in = *as4d(s.size() == 1 ? Shape{1, s[0]} : s);
        d.op = EngineOp::Softmax;
        d.batch = in[0];
        d.cg = d.kg = d.inChannelStride = d.outChannelStride = in[1];
        d.kernelR = 1; d.kernelS = 1;
        setQuant(d, 2, 0, 1, false);  // (2x + 1) >> 1 = x: the accumulate and store passes copy
        d.addMultY = 1;  // the rescale (golden::SoftmaxParams), from the layer's quantization
        d.addShift = 1;
        d.kChunk = d.nChunk = std::min<uint32_t>({uint32_t(cfg.rows), uint32_t(cfg.cols), d.cg});
        d.numCTiles = d.numNTiles = ceilDiv(d.cg, d.kChunk);
        break;
      }
      case OpKind::Transpose: {
        // docs/engine.md#transpose: out[q][k] = sum_r in[r][q] * (k == r), a GEMM over the input
        // read as an NHWC map of L rows, D columns and one channel (its row-major bytes), with an
        // L x 1 kernel whose identity weights pick tap r for output channel k
        const Shape& s = inputOf(l, 0).shape;
        const size_t rank = s.size();
        bool swapsLastTwo = rank >= 2 && rank != 4 && l.perm.size() == rank && l.perm[rank - 1] == int64_t(rank - 2) &&
                            l.perm[rank - 2] == int64_t(rank - 1);
        for (size_t a = 0; a + 2 < rank && swapsLastTwo; ++a) swapsLastTwo = l.perm[a] == int64_t(a) && s[a] == 1;
        if (!swapsLastTwo)
          return unsupported(ii, "layer '" + l.name + "' transposes a " + workload::shapeText(s) +
                                     " tensor; the engine transposes the two axes of a matrix [L, D] (leading axes of size 1, not an NCHW map)",
                             "reshape the operand to [L, D] around the transpose");
        const uint32_t rowsL = uint32_t(s[rank - 2]), colsD = uint32_t(s[rank - 1]);
        if (rowsL > 0xFF)
          return unsupported(ii, "layer '" + l.name + "' transposes " + std::to_string(rowsL) +
                                     " rows; the engine's transpose takes one kernel tap per row, at most 255",
                             "split the matrix into blocks of at most 255 rows");
        d.op = EngineOp::Gemm;
        d.lowering = WeightLowering::Identity;
        d.batch = 1; d.inH = rowsL; d.inW = colsD; d.outP = 1; d.outQ = colsD;
        d.groups = 1; d.cg = 1; d.kg = rowsL;
        d.inChannelStride = 1; d.outChannelStride = rowsL;
        d.kernelR = rowsL; d.kernelS = 1;
        setQuant(d, 2, 0, 1, d.relu);  // (2 acc + 1) >> 1 = acc, the input byte
        d.kChunk = 1;
        d.nChunk = std::min<uint32_t>(cfg.cols, rowsL);
        d.numCTiles = 1;
        d.numNTiles = ceilDiv(rowsL, d.nChunk);
        break;
      }
      case OpKind::MatMul: {
        // docs/engine.md#matmul: the GEMM of A [M, K] (pixels M, channels K) with the weight blocks
        // of B, which descriptors before it write from B's bytes: per output tile nt an identity
        // GEMM whose M tiles of k_chunk pixels are the weight blocks (ct, nt) (storeTileStride);
        // B [K, N] as a 1x1 copy of columns nt*n_chunk.., B^T given as [N, K] as a transpose of its
        // rows nt*n_chunk.. ([Transpose](#transpose))
        const Shape& sa = inputOf(l, 0).shape;
        const Shape& sb = inputOf(l, 1).shape;
        auto matrix = [](const Shape& s) {
          if (s.size() < 2 || s.size() == 4) return false;  // a 4-D tensor is an NHWC map
          for (size_t a = 0; a + 2 < s.size(); ++a)
            if (s[a] != 1) return false;
          return true;
        };
        if (!matrix(sa) || !matrix(sb))
          return unsupported(ii, "layer '" + l.name + "' multiplies " + workload::shapeText(sa) + " by " +
                                     workload::shapeText(sb) + "; the engine multiplies two matrices [M, K] x [K, N] (leading axes of size 1, not NCHW maps)",
                             "run one product per head: reshape the operands to matrices");
        const uint32_t M = uint32_t(sa[sa.size() - 2]), K = uint32_t(sa.back());
        const uint32_t N = uint32_t(l.transposeB ? sb[sb.size() - 2] : sb.back());
        d.op = EngineOp::Gemm;
        d.batch = M; d.cg = K; d.inChannelStride = K;
        d.kg = N; d.outChannelStride = N;
        d.biasEnable = false;
        d.kChunk = std::min<uint32_t>(cfg.rows, d.cg);
        d.nChunk = std::min<uint32_t>(cfg.cols, d.kg);
        d.numCTiles = ceilDiv(d.cg, d.kChunk);
        d.numNTiles = ceilDiv(d.kg, d.nChunk);
        const uint32_t rb = ceilDiv(uint32_t(cfg.cols), uint32_t(cfg.axiBytes())) * uint32_t(cfg.axiBytes());
        for (uint32_t nt = 0; nt < d.numNTiles; ++nt) {
          const uint32_t cnt = std::min(d.nChunk, N - nt * d.nChunk);
          LayerDescriptor p;
          p.layerIndex = ii;
          p.layerName = l.name + ".pack" + std::to_string(nt);
          p.packsWeights = true;
          p.op = EngineOp::Gemm;
          p.lowering = WeightLowering::Identity;
          setQuant(p, 2, 0, 1, false);  // (2 x + 1) >> 1 = x
          if (!l.transposeB) {  // B [K, N]: pixel k copies its run of cnt bytes at column nt*n_chunk
            p.batch = K; p.cg = p.kg = cnt; p.inChannelStride = N;
            p.inBase = nt * d.nChunk;  // relative to B, made absolute with the placement
            p.kChunk = std::min<uint32_t>(cfg.rows, cnt);
          } else {  // B given as [N, K]: pixel k gathers column k of rows nt*n_chunk .. (one tap each)
            p.inH = cnt; p.inW = K; p.outP = 1; p.outQ = K;
            p.cg = 1; p.kg = cnt; p.inChannelStride = 1; p.kernelR = cnt;
            p.inBase = nt * d.nChunk * K;
            p.kChunk = 1;
          }
          p.nChunk = cnt;
          p.numCTiles = ceilDiv(p.cg, p.kChunk);
          p.numNTiles = 1;
          p.outChannelStride = rb;
          p.mTile = d.kChunk;  // one M tile per weight block row group ct
          p.storeTileStride = d.numNTiles * d.kChunk * rb;
          p.outBase = nt * d.kChunk * rb;  // relative to the MatMul's weight region
          if (auto e = checkFits(ii, p)) return *e;
          if (p.mTile > uint32_t(cfg.actBufferWords) || p.mTile > uint32_t(cfg.accBufferWords))
            return diag::error("codegen.buffer-too-small", {"", "/layers/" + std::to_string(li)},
                               "layer '" + l.name + "' packs weight blocks of " + std::to_string(p.mTile) +
                                   " rows, more than the activation or accumulator buffer holds",
                               "raise ACT_DEPTH and ACC_DEPTH");
          prog.descriptors.push_back(std::move(p));
        }
        break;
      }
      default:
        return unsupported(ii, "layer '" + l.name + "' (" + std::string(workload::opName(l.op)) +
                                   ") has no engine implementation",
                           "the engine runs conv2d, fc, maxpool, avgpool, globalavgpool, add, mul, "
                           "activations, matrix transposes and matrix products; map other layers elsewhere");
    }
    if (auto m = member.find(ii); m != member.end()) {  // writes its channels into the concat's tensor
      d.outChannelStride = uint32_t(model.layers[size_t(m->second.first)].outputShape[1]);
      if (d.mul && !d.broadcastSkip)  // its skip is read at the store's addresses
        return unsupported(ii, "layer '" + l.name + "' (mul of two maps) writes into a concat",
                           "give the mul its own tensor");
    }
    if (auto e = checkFits(ii, d)) return *e;

    uint32_t mt = chooseMTile(d, cfg);
    if (mt == 0) {
      uint32_t regions = d.op == EngineOp::Gemm ? d.numNTiles : d.numCTiles;
      return diag::error("codegen.buffer-too-small", {"", "/layers/" + std::to_string(li)},
                         "layer '" + l.name + "' needs " + std::to_string(regions) +
                             " accumulator words per pixel but the accumulator holds " +
                             std::to_string(cfg.accBufferWords),
                         "raise ACC_DEPTH (accBufferWords) or COLS");
    }
    d.mTile = mt;

    // Alternative lowerings for arrays the direct one leaves idle; each is taken only where the
    // cycle model predicts fewer cycles.
    const LayerDescriptor direct = d;
    // A halo or a row stack changes the input's layout: only for a model input that this layer
    // alone reads (called only for a GEMM that folds, so its input is known).
    auto soleModelInput = [&](const std::string& storage) {
      return l.inputs[0] == storage && readers[storage] == 1 &&
             std::any_of(model.inputs.begin(), model.inputs.end(),
                         [&](const auto& in) { return in.name == storage && in.shape.size() == 4; });
    };
    if (auto f = options.foldWidth ? foldWidth(d, cfg) : std::nullopt) {
      const std::string& storage = inputOf(l, 0).storage;
      const bool modelInput = soleModelInput(storage);
      const bool halo = f->haloLeft || f->haloRight;
      if ((!halo || modelInput) && !checkFits(ii, f->d) && memo.estimate(f->d, cfg) < memo.estimate(d, cfg)) {
        d = f->d;
        if (halo) halos[storage] = {f->haloLeft, f->haloRight};
      }
    }
    // The window fold against the best so far, each with its best wide gather.
    if (auto w = options.foldWindow ? foldWindow(direct, cfg) : std::nullopt;
        w && soleModelInput(inputOf(l, 0).storage)) {
      const std::string& storage = inputOf(l, 0).storage;
      const uint32_t group = cfg.wideGather ? options.ctGroup : 1u;
      const LayerDescriptor now = chooseCtGroup(d, cfg, group, memo), win = chooseCtGroup(w->d, cfg, group, memo);
      if (!checkFits(ii, w->d) && !checkFits(ii, win) && memo.estimate(win, cfg) < memo.estimate(now, cfg)) {
        d = w->d;
        halos[storage] = {w->haloLeft, w->haloRight};
        stacks[storage] = {direct.kernelR, direct.outP, direct.strideH, direct.padTop};
      }
    }
    const uint32_t ctGroup = cfg.wideGather ? options.ctGroup : 1u;
    if (options.depthwiseBlocks && d.op == EngineOp::Gemm && d.groups >= 2 && d.cg == 1 && d.kg == 1) {
      // Depthwise: the direct lowering and each block size, every one with its best wide gather;
      // the fastest by the estimate (ties: the earlier, i.e. direct, then the smaller block).
      LayerDescriptor best = chooseCtGroup(d, cfg, ctGroup, memo);
      uint64_t bestCycles = memo.estimate(best, cfg);
      for (uint32_t b : depthwiseBlockSizes(d.groups, cfg, options.wideDepthwiseBlocks))
        if (auto e = blockDepthwise(d, cfg, b)) {
          // a block's channels are one run per pixel and tap: ctGroup = its channel tiles (what
          // a wider block is for), unless the options force a group
          const uint32_t group = ctGroup ? ctGroup : e->numCTiles;
          LayerDescriptor c = chooseCtGroup(std::move(*e), cfg, group, memo);
          if (const uint64_t cyc = memo.estimate(c, cfg); cyc < bestCycles) {
            best = std::move(c);
            bestCycles = cyc;
          }
        }
      // the depthwise unit where it runs the layer in fewer cycles (or always, forced)
      if (auto u = options.depthwiseUnit ? unitDepthwise(d, cfg) : std::nullopt)
        if (options.forceDepthwiseUnit || memo.estimate(*u, cfg) < bestCycles) best = std::move(*u);
      d = std::move(best);
    } else {
      d = chooseCtGroup(std::move(d), cfg, ctGroup, memo);
      // Row reuse: each channel group 1, 2, 4, ... (or the forced ctGroup) against the best so
      // far, where the estimate is lower (forceRowReuse: the fastest row-reuse candidate anyway)
      if (options.rowReuse && d.lowering == WeightLowering::Direct) {
        std::optional<LayerDescriptor> best;
        uint64_t bestCycles = options.forceRowReuse ? UINT64_MAX : memo.estimate(d, cfg);
        for (uint32_t c = ctGroup ? ctGroup : 1u; c <= d.numCTiles && c * d.kChunk <= 255; c *= 2) {
          if (auto e = rowReuseLowering(d, cfg, c); e && !checkFits(ii, *e))
            if (const uint64_t cyc = memo.estimate(*e, cfg); cyc < bestCycles) {
              best = std::move(e);
              bestCycles = cyc;
            }
          if (ctGroup) break;
        }
        if (best) d = std::move(*best);
      }
    }

    info[l.name] = TensorInfo{l.name, l.outputShape, false, {}};
    prog.descriptors.push_back(std::move(d));
  }

  // ---- residual adds into the output path of their producing GEMM
  if (options.fuseResidualAdd && cfg.fuseResidualAdd)
    fuseFollowers(prog.descriptors, fusibleAdds(model), cfg, memo,
                  [&](const LayerDescriptor& c, const LayerDescriptor& a, int ai) -> std::optional<LayerDescriptor> {
                    if (c.op != EngineOp::Gemm || c.lowering == WeightLowering::DepthwiseUnit || a.op != EngineOp::Add || c.fuseAdd ||
                        member.count(ai))
                      return std::nullopt;  // (the depthwise unit's output path has no fused add)
                    LayerDescriptor f = c;
                    f.fuseAdd = true;
                    f.fusedAddIndex = ai;
                    f.fusedOutputIsB = model.layers[size_t(ai)].inputLayers[1] == c.layerIndex;
                    f.layerName = c.layerName + "+" + a.layerName;
                    setFusedAddQuant(f, 1, 1, 1, a.relu);
                    return f;
                  });

  // ---- 3x3/2 max pools into the output path of the convolution they read
  if (options.fuseMaxPool && cfg.poolLineWords > 0)
    fuseFollowers(prog.descriptors, fusiblePools(model), cfg, memo,
                  [&](const LayerDescriptor& c, const LayerDescriptor& p, int pi) -> std::optional<LayerDescriptor> {
                    if (c.op != EngineOp::Gemm || c.lowering == WeightLowering::DepthwiseUnit || p.op != EngineOp::MaxPool ||
                        c.fuseAdd || c.fusePool)
                      return std::nullopt;
                    LayerDescriptor f = c;
                    f.fusePool = true;
                    f.fusedPoolIndex = pi;
                    f.relu = c.relu || p.relu;  // max and ReLU commute (fusiblePools: the conv has none or ReLU then)
                    f.outChannelStride = p.outChannelStride;  // the pool's tensor (a concat's slice, maybe)
                    f.layerName = c.layerName + "+" + p.layerName;
                    if (f.lowering == WeightLowering::RowReuse) f.lowering = WeightLowering::Direct;  // (no fused pool with row reuse)
                    f = chooseCtGroup(std::move(f), cfg, cfg.wideGather ? options.ctGroup : 1u, memo);
                    if (f.mTile == 0 || checkFits(c.layerIndex, f)) return std::nullopt;
                    return f;
                  });

  // ---- memory map
  uint32_t at = 0;
  auto place = [&](std::string name, TensorKind kind, uint32_t bytes, int layer, Shape shape) {
    prog.tensors.push_back({std::move(name), kind, at, bytes, layer, std::move(shape)});
    at = alignUp(uint64_t(at) + std::max<uint32_t>(bytes, 1));
  };
  for (const auto& in : model.inputs) {
    auto h = halos.find(in.name);
    if (h == halos.end()) {
      place(in.name, TensorKind::Activation, uint32_t(workload::elementCount(in.shape)), -1, in.shape);
      continue;
    }
    const uint64_t width = uint64_t(in.shape[3]) + h->second.first + h->second.second;
    auto st = stacks.find(in.name);
    // a row stack: P stacked rows of R*C-byte pixels per image instead of H rows of C bytes
    const uint64_t rowBytes = st == stacks.end() ? uint64_t(in.shape[2]) * in.shape[1]
                                                 : uint64_t(st->second.outRows) * st->second.rows * in.shape[1];
    place(in.name, TensorKind::Activation, uint32_t(in.shape[0] * rowBytes * width), -1, in.shape);
    prog.tensors.back().haloLeft = h->second.first;
    prog.tensors.back().haloRight = h->second.second;
    if (st != stacks.end()) {
      prog.tensors.back().stackRows = st->second.rows;
      prog.tensors.back().stackOutRows = st->second.outRows;
      prog.tensors.back().stackStride = st->second.stride;
      prog.tensors.back().stackPadTop = st->second.padTop;
    }
  }
  for (const auto& d : prog.descriptors) {
    const Layer& l = model.layers[size_t(d.outputLayerIndex())];
    if (member.count(d.outputLayerIndex()) || d.packsWeights) continue;  // a concat's slice; a MatMul's weights
    place(l.name, TensorKind::Activation, uint32_t(workload::elementCount(l.outputShape)),
          d.outputLayerIndex(), l.outputShape);
  }
  for (size_t li = 0; li < model.layers.size(); ++li)
    if (model.layers[li].op == OpKind::Concat)
      place(model.layers[li].name, TensorKind::Activation, uint32_t(workload::elementCount(model.layers[li].outputShape)),
            int(li), model.layers[li].outputShape);
  for (const auto& [p, m] : member) {  // each producer's output: a channel slice of its concat
    const Layer& l = model.layers[size_t(p)];
    TensorPlacement slice = *prog.find(model.layers[size_t(m.first)].name, TensorKind::Activation);
    slice.name = l.name;
    slice.baseAddress += m.second;
    slice.sizeBytes = uint32_t(workload::elementCount(l.outputShape));
    slice.layerIndex = p;
    slice.shape = l.outputShape;
    slice.channelStride = uint32_t(model.layers[size_t(m.first)].outputShape[1]);
    prog.tensors.push_back(slice);
  }
  // a MatMul's packing descriptors have their own (identity) weights, named <layer>.pack<nt>
  auto layerName = [&](const LayerDescriptor& d) {
    return d.packsWeights ? d.layerName : model.layers[size_t(d.layerIndex)].name;
  };
  for (const auto& d : prog.descriptors)
    if (uint32_t b = weightRegionBytes(d, cfg)) place(layerName(d), TensorKind::Weight, b, d.layerIndex, {});
  for (const auto& d : prog.descriptors)
    if (uint32_t b = biasRegionBytes(d, cfg)) place(layerName(d), TensorKind::Bias, b, d.layerIndex, {});
  prog.dramBytes = at;
  if (cfg.axiAddrBits < 32 && uint64_t(at) > (uint64_t{1} << cfg.axiAddrBits))
    return diag::error("codegen.memory-too-large", {},
                       "the model's memory image takes " + std::to_string(at) + " bytes; the engine's " +
                           std::to_string(cfg.axiAddrBits) + "-bit AXI addresses reach " +
                           std::to_string(uint64_t{1} << cfg.axiAddrBits),
                       "use a smaller model or a platform with more memory");

  auto base = [&](const std::string& tensor) {
    const std::string& storage = info.at(tensor).storage;
    return prog.find(storage, TensorKind::Activation)->baseAddress;
  };
  for (auto& d : prog.descriptors) {
    const Layer& l = model.layers[size_t(d.layerIndex)];
    if (d.packsWeights) continue;  // below, once the MatMul's weight region is known
    d.inBase = base(l.inputs[0]);
    d.in2Base = l.op == OpKind::Add ? base(l.inputs[1]) : d.inBase;
    if (d.mul) {  // operand a the full-size one (accumulate pass), b the skip
      d.inBase = base(l.inputs[size_t(d.mulOperandA)]);
      d.in2Base = base(l.inputs[size_t(1 - d.mulOperandA)]);
    }
    if (d.fuseAdd) d.in2Base = base(model.layers[size_t(d.fusedAddIndex)].inputs[d.fusedOutputIsB ? 0 : 1]);
    d.outBase = prog.find(model.layers[size_t(d.outputLayerIndex())].name, TensorKind::Activation)->baseAddress;
    if (auto* w = prog.find(l.name, TensorKind::Weight)) d.weightBase = w->baseAddress;
    if (auto* b = prog.find(l.name, TensorKind::Bias)) d.biasBase = b->baseAddress;
  }
  for (size_t i = 0; i < prog.descriptors.size(); ++i) {  // MatMul packing: B in, the MatMul's weights out
    LayerDescriptor& d = prog.descriptors[i];
    if (!d.packsWeights) continue;
    const Layer& l = model.layers[size_t(d.layerIndex)];
    const LayerDescriptor& mm = *std::find_if(prog.descriptors.begin() + long(i), prog.descriptors.end(),
                                              [](const LayerDescriptor& e) { return !e.packsWeights; });
    d.inBase = base(l.inputs[1]) + d.inBase;
    d.in2Base = d.inBase;
    d.outBase = mm.weightBase + d.outBase;
    d.weightBase = prog.find(d.layerName, TensorKind::Weight)->baseAddress;
  }
  // Aliased outputs (flatten, reshape) share their source's placement, bytes and layout: the
  // alias keeps the storage's shape, so a flattened [N, C*H*W] tensor written or read through it
  // (simulate --vectors, a flatten that is a model output) lands on the N,H,W,C bytes the engine
  // reads, not on an N,C row (issue 18).
  for (const auto& l : model.layers)
    if (l.isLayoutOnly() && !prog.find(l.name, TensorKind::Activation)) {
      const auto* src = prog.find(info.at(l.name).storage, TensorKind::Activation);
      TensorPlacement alias = *src;
      alias.name = l.name;
      alias.layerIndex = model.layerIndex(l.name);
      prog.tensors.push_back(alias);
    }
  return prog;
}

std::string encodeProgram(const Program& p) {
  std::string out;
  auto line = [&](const std::array<uint32_t, kDescriptorWords>& w) {
    char buf[9];
    for (int i = kDescriptorWords - 1; i >= 0; --i) {
      std::snprintf(buf, sizeof buf, "%08x", w[size_t(i)]);
      out += buf;
    }
    out += '\n';
  };
  for (const auto& d : p.descriptors) line(d.encode());
  line(std::array<uint32_t, kDescriptorWords>{});
  return out;
}

std::vector<LayerDescriptor> decodeProgram(const std::string& hex) {
  std::vector<LayerDescriptor> out;
  std::istringstream in(hex);
  std::string l;
  while (std::getline(in, l)) {
    if (l.size() < 8 * kDescriptorWords) break;
    std::array<uint32_t, kDescriptorWords> w{};
    for (int i = 0; i < kDescriptorWords; ++i)
      w[size_t(kDescriptorWords - 1 - i)] = uint32_t(std::stoul(l.substr(size_t(8 * i), 8), nullptr, 16));
    auto d = LayerDescriptor::decode(w);
    if (d.op == EngineOp::End) break;
    out.push_back(d);
  }
  return out;
}

}  // namespace dnnchip::schedule
