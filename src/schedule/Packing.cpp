// Weight and bias packing into the engine's DRAM layout (docs/engine.md#dram-layout): one block
// per (g, r, s, ctile, ntile) of kChunk rows of ROW_BYTES, and one bias block per (g, ntile).
// Out-of-range channels and outputs are zero, so partial tiles contribute nothing. The
// descriptor's `lowering` says how its (g, k, c, r, s) index the layer's [G*Kg][Cg][R][S]
// weights: directly, with the filter width folded into the channels (c = s*C + c0), the whole
// window folded (c = (s*R + r)*C + c0, a row-stacked input), or block-
// diagonally for a depthwise layer run as dense groups (zero off the diagonal); a transpose's
// and a MatMul packing's identity weights (1 where output channel k = r*cg + c) are made here, the layer has none. A descriptor with
// an activation table (lutEnable) has the table's 256 bytes first in its bias region.
// Cost O(size of the packed region).

#include <cstring>

#include "dnnchip/schedule/Program.h"

namespace dnnchip::schedule {

namespace {
uint32_t roundUp(uint32_t v, uint32_t m) { return (v + m - 1) / m * m; }
uint32_t rowBytes(const EngineConfig& cfg) { return roundUp(cfg.cols, cfg.axiBytes()); }
uint32_t biasBlockBytes(const EngineConfig& cfg) { return roundUp(4 * cfg.cols, cfg.axiBytes()); }
}  // namespace

uint32_t weightRegionBytes(const LayerDescriptor& d, const EngineConfig& cfg) {
  if (d.op != EngineOp::Gemm) return 0;
  if (d.lowering == WeightLowering::DepthwiseUnit)  // per group R*S rows of the b lanes
    return d.groups * d.kernelR * d.kernelS * rowBytes(cfg);
  return d.groups * d.kernelR * d.kernelS * d.numCTiles * d.numNTiles * d.kChunk * rowBytes(cfg);
}

uint32_t biasRegionBytes(const LayerDescriptor& d, const EngineConfig& cfg) {
  const uint32_t table = d.lutEnable ? kActivationTableBytes : 0;
  if (d.op != EngineOp::Gemm || !d.biasEnable) return table;
  return table + d.groups * d.numNTiles * biasBlockBytes(cfg);
}

std::vector<uint8_t> packTable(const LayerDescriptor& d, const EngineConfig& cfg, std::span<const int8_t> table,
                               std::vector<uint8_t> region) {
  if (region.size() < biasRegionBytes(d, cfg)) region.resize(biasRegionBytes(d, cfg), 0);
  if (d.lutEnable)
    for (size_t e = 0; e < kActivationTableBytes && e < table.size(); ++e) region[e] = uint8_t(table[e]);
  return region;
}

std::vector<int8_t> packWeights(const LayerDescriptor& d, const EngineConfig& cfg,
                                std::span<const int8_t> w) {
  std::vector<int8_t> out(weightRegionBytes(d, cfg), 0);
  const uint32_t rb = rowBytes(cfg);
  // Index into the layer's [G*Kg][Cg][R][S] weights of the descriptor's (g, k, c, r, s), or -1
  // for a structural zero (off the block diagonal).
  auto source = [&](uint32_t g, uint32_t k, uint32_t c, uint32_t r, uint32_t s) -> int64_t {
    switch (d.lowering) {
      case WeightLowering::FoldedWidth: {  // c = s'*C + c0 over an R x 1 kernel
        const uint32_t layerS = d.foldedS, layerC = d.cg / d.foldedS;
        const uint32_t s0 = c / layerC, c0 = c % layerC;
        return ((int64_t(g * d.kg + k) * layerC + c0) * d.kernelR + r) * layerS + s0;
      }
      case WeightLowering::FoldedWindow: {  // c = (s'*R + r')*C + c0 over a 1 x 1 kernel
        const uint32_t layerS = d.foldedS, layerR = d.foldedR, layerC = d.cg / (d.foldedS * d.foldedR);
        const uint32_t s0 = c / (layerR * layerC), r0 = c / layerC % layerR, c0 = c % layerC;
        return ((int64_t(g * d.kg + k) * layerC + c0) * layerR + r0) * layerS + s0;
      }
      case WeightLowering::BlockDiagonal:  // block g holds channels g*kg .. g*kg + kg - 1
        if (c != k) return -1;
        return (int64_t(g * d.kg + k) * d.kernelR + r) * d.kernelS + s;
      case WeightLowering::Identity:  // a transpose's tap-selection weights (not the layer's)
      case WeightLowering::Direct:
      case WeightLowering::DepthwiseUnit: break;  // (packed above)
    }
    return ((int64_t(g * d.kg + k) * d.cg + c) * d.kernelR + r) * d.kernelS + s;
  };
  if (d.lowering == WeightLowering::DepthwiseUnit) {  // row (g, r, s), byte j: channel g*kg + j
    size_t row = 0;
    for (uint32_t g = 0; g < d.groups; ++g)
      for (uint32_t r = 0; r < d.kernelR; ++r)
        for (uint32_t s = 0; s < d.kernelS; ++s, ++row)
          for (uint32_t j = 0; j < d.kg && j < static_cast<uint32_t>(cfg.cols); ++j) {
            const size_t src = (size_t(g * d.kg + j) * d.kernelR + r) * d.kernelS + s;
            if (src < w.size()) out[row * rb + j] = w[src];
          }
    return out;
  }
  size_t block = 0;
  for (uint32_t g = 0; g < d.groups; ++g)
    for (uint32_t r = 0; r < d.kernelR; ++r)
      for (uint32_t s = 0; s < d.kernelS; ++s)
        for (uint32_t ct = 0; ct < d.numCTiles; ++ct)
          for (uint32_t nt = 0; nt < d.numNTiles; ++nt, ++block)
            for (uint32_t i = 0; i < d.kChunk; ++i) {
              uint32_t c = ct * d.kChunk + i;
              if (c >= d.cg) continue;
              for (uint32_t j = 0; j < d.nChunk && j < static_cast<uint32_t>(cfg.cols); ++j) {
                uint32_t k = nt * d.nChunk + j;
                if (k >= d.kg) continue;
                if (d.lowering == WeightLowering::Identity) {
                  out[(block * d.kChunk + i) * rb + j] = (k == r * d.cg + c && s == 0) ? 1 : 0;
                  continue;
                }
                int64_t src = source(g, k, c, r, s);
                if (src >= 0 && size_t(src) < w.size()) out[(block * d.kChunk + i) * rb + j] = w[size_t(src)];
              }
            }
  return out;
}

std::vector<uint8_t> packBias(const LayerDescriptor& d, const EngineConfig& cfg,
                              std::span<const int32_t> bias) {
  std::vector<uint8_t> out(biasRegionBytes(d, cfg), 0);
  const uint32_t bb = biasBlockBytes(cfg);
  for (uint32_t g = 0; g < d.groups; ++g)
    for (uint32_t nt = 0; nt < d.numNTiles; ++nt)
      for (uint32_t j = 0; j < d.nChunk; ++j) {
        uint32_t k = nt * d.nChunk + j;
        size_t src = static_cast<size_t>(g) * d.kg + k;
        if (k >= d.kg || src >= bias.size()) continue;
        uint32_t v = static_cast<uint32_t>(bias[src]);
        size_t at = (d.lutEnable ? kActivationTableBytes : 0) + (static_cast<size_t>(g) * d.numNTiles + nt) * bb + 4 * j;
        for (int b = 0; b < 4; ++b) out[at + b] = static_cast<uint8_t>(v >> (8 * b));
      }
  return out;
}

}  // namespace dnnchip::schedule
