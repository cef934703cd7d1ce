// LayerDescriptor: packing of the 832-bit program descriptor (docs/engine.md#program-format) and
// operation names. encode() masks every field to its width and appends the derived words (address
// steps and the pixel count, 32-bit wrapping like the engine's address arithmetic); decode() is
// its exact inverse for in-range fields and ignores the derived words. Cost O(1).

#include "dnnchip/schedule/LayerDescriptor.h"

#include <algorithm>

#include "dnnchip/schedule/EngineConfig.h"

namespace dnnchip::schedule {

std::string_view dataflowName(Dataflow d) {
  return d == Dataflow::WeightStationary ? "weight-stationary" : "output-stationary";
}

std::string_view engineOpName(EngineOp op) {
  switch (op) {
    case EngineOp::End: return "end";
    case EngineOp::Gemm: return "gemm";
    case EngineOp::MaxPool: return "maxpool";
    case EngineOp::AvgPool: return "avgpool";
    case EngineOp::Add: return "add";
    case EngineOp::Softmax: return "softmax";
  }
  return "?";
}

namespace {
uint32_t lo16(uint32_t v) { return v & 0xFFFFu; }
uint32_t lo8(uint32_t v) { return v & 0xFFu; }
uint32_t pack16(uint32_t a, uint32_t b) { return lo16(a) | (lo16(b) << 16); }
uint32_t pack8(uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
  return lo8(a) | (lo8(b) << 8) | (lo8(c) << 16) | (lo8(d) << 24);
}
}  // namespace

std::array<uint32_t, kDescriptorWords> LayerDescriptor::encode() const {
  std::array<uint32_t, kDescriptorWords> w{};
  const bool dwu = op == EngineOp::Gemm && lowering == WeightLowering::DepthwiseUnit;
  const bool rru = op == EngineOp::Gemm && lowering == WeightLowering::RowReuse;
  w[0] = ((dwu ? kDepthwiseUnitOp : static_cast<uint32_t>(op)) & 0xFu) | (relu ? 1u << 4 : 0u) | (biasEnable ? 1u << 5 : 0u) |
         (fuseAdd || mul ? 1u << 6 : 0u) | (rru ? 1u << 7 : 0u) |
         (lo8(static_cast<uint8_t>(padValue)) << 8) | (lo16(mTile) << 16);
  w[1] = inBase;
  w[2] = in2Base;
  w[3] = weightBase;
  w[4] = biasBase;
  w[5] = outBase;
  w[6] = pack16(inH, inW);
  w[7] = pack16(outP, outQ);
  w[8] = pack16(batch, groups);
  w[9] = pack16(inChannelStride, outChannelStride);
  w[10] = pack16(cg, kg);
  w[11] = pack8(kernelR, kernelS, strideH, strideW);
  w[12] = pack8(dilationH, dilationW, padTop, padLeft);
  // (row reuse: w13[31:16] is derived below, the region start's row step per M tile)
  w[13] = pack16(mult, dwu ? (lo8(kernelR * kernelS) | ((dwSTaps & 0xFu) << 8) | ((dwRowFirst & 0xFu) << 12))
                     : rru ? 0u : multB);
  w[14] = (shift & 0x1Fu) | (mul && broadcastSkip ? 1u << 5 : 0u) | (mul ? 1u << 6 : 0u) | (fusePool ? 1u << 7 : 0u) | (lo8(kChunk) << 8) | (lo8(nChunk) << 16) | (lo8(ctGroup) << 24);
  w[15] = pack16(numCTiles, numNTiles);
  // Word 24 holds the fused add's multipliers, or, in a descriptor without fuse_add, the clamp
  // pair (a GEMM whose activation needs a clamp pair never takes a fused add: schedule::fusibleAdds).
  w[24] = fuseAdd || mul || op == EngineOp::Softmax ? pack16(addMultY, addMultSkip)
                  : uint32_t(uint8_t(clampLo)) | (uint32_t(uint8_t(clampHi)) << 8);
  w[25] = (addShift & 0x1Fu) | (addRelu ? 1u << 5 : 0u) | (clampEnable ? 1u << 6 : 0u) | (lutEnable ? 1u << 7 : 0u) |
          (lo8(lo8(ctGroup) * lo8(kChunk)) << 8) |  // the wide gather's run bytes (controller)
          (lo16((lo16(mTile) + std::max(1u, lo8(ctGroup)) - 1) / std::max(1u, lo8(ctGroup))) << 16);  // its overlapped pieces' pixels
  // Derived words, from the fields as encoded. The DMA walks the gather's pixels (q fastest, then
  // p, then n) with one running byte offset x = C*((n*H + p*sh)*W + q*sw); the window tap (r, s)
  // adds C*((r*dh - pad_t)*W + s*dw - pad_l), kept running by the controller.
  const auto d = decode(w);
  const uint32_t c = d.inChannelStride, rowBytes = d.inW * c;
  const uint32_t qStep = d.strideW * c, pStep = d.strideH * rowBytes;
  const uint32_t qSpan = (d.outQ - 1) * qStep, pSpan = (d.outP - 1) * pStep;
  w[16] = d.batch * d.outP * d.outQ;                  // M, output pixels
  w[17] = qStep;                                      // x step to the next q
  w[18] = pStep - qSpan;                              // x step from the row's last q to the next p
  w[19] = d.inH * rowBytes - pSpan - qSpan;           // x step from the image's last pixel to the next n
  w[20] = 0u - (d.padTop * rowBytes + d.padLeft * c); // tap offset of (r, s) = (0, 0)
  w[21] = d.dilationW * c;                            // tap offset step to the next s
  // add: the two operands are r = 0 and 1 at the same position (its dilation field is not used)
  w[22] = d.op == EngineOp::Add ? 0u : d.dilationH * rowBytes - (d.kernelS - 1) * d.dilationW * c;
  // store address step to the next M tile (a fused pool stores a quarter of its pixels; a
  // MatMul's weight packing its own step, docs/engine.md#matmul)
  w[23] = storeTileStride ? storeTileStride : (d.fusePool ? d.mTile / 4 : d.mTile) * d.outChannelStride;
  if (rru) {
    // Row reuse (docs/engine.md, "Row reuse"): the region gather is a 1 x 1, stride-1 walk of
    // Wb pixels per row over the same input (q step C, row step (W - Wb + 1)*C), its start
    // moving ro*stride_h rows per M tile (word 19; w13[31:16] the same in rows); the passes'
    // addresses step by stride_w in a row and by row_jump = stride_h*Wb - (out_q - 1)*stride_w
    // after its last q (word 21, with Wb), the channel tiles' chunks rr*Wb words apart (word 22);
    // an overlapped piece is ceil(rr*Wb / (R*S*ct_group)) region pixels (w25[31:16]).
    const uint32_t ro = d.rowReuseRows(), wb = d.rowReuseWidth(), chunk = d.rowReuseChunkWords();
    const uint32_t rowJump = d.strideH * wb - (d.outQ - 1) * d.strideW;
    const uint32_t tiles = d.kernelR * d.kernelS * std::max(1u, d.ctGroup);
    w[13] = (w[13] & 0xFFFFu) | (lo16(ro * d.strideH) << 16);
    w[17] = c;
    w[18] = rowBytes - (wb - 1) * c;
    w[19] = ro * d.strideH * rowBytes;
    w[21] = pack16(wb, rowJump);
    w[22] = chunk;
    w[25] = (w[25] & 0xFFFFu) | (lo16((chunk + tiles - 1) / std::max(1u, tiles)) << 16);
  }
  return w;
}

LayerDescriptor LayerDescriptor::decode(const std::array<uint32_t, kDescriptorWords>& w) {
  LayerDescriptor d;
  d.op = static_cast<EngineOp>(w[0] & 0xFu);
  if ((w[0] & 0xFu) == kDepthwiseUnitOp) {  // a GEMM of its own kind in C++
    d.op = EngineOp::Gemm;
    d.lowering = WeightLowering::DepthwiseUnit;
  }
  if (d.op == EngineOp::Gemm && ((w[0] >> 7) & 1u)) d.lowering = WeightLowering::RowReuse;
  d.relu = (w[0] >> 4) & 1u;
  d.biasEnable = (w[0] >> 5) & 1u;
  d.mul = (w[14] >> 6) & 1u;
  d.broadcastSkip = d.mul && ((w[14] >> 5) & 1u);
  d.fuseAdd = ((w[0] >> 6) & 1u) && !d.mul;
  d.padValue = static_cast<int8_t>(static_cast<uint8_t>(w[0] >> 8));
  d.mTile = w[0] >> 16;
  d.inBase = w[1];
  d.in2Base = w[2];
  d.weightBase = w[3];
  d.biasBase = w[4];
  d.outBase = w[5];
  d.inH = lo16(w[6]); d.inW = w[6] >> 16;
  d.outP = lo16(w[7]); d.outQ = w[7] >> 16;
  d.batch = lo16(w[8]); d.groups = w[8] >> 16;
  d.inChannelStride = lo16(w[9]); d.outChannelStride = w[9] >> 16;
  d.cg = lo16(w[10]); d.kg = w[10] >> 16;
  d.kernelR = lo8(w[11]); d.kernelS = lo8(w[11] >> 8);
  d.strideH = lo8(w[11] >> 16); d.strideW = w[11] >> 24;
  d.dilationH = lo8(w[12]); d.dilationW = lo8(w[12] >> 8);
  d.padTop = lo8(w[12] >> 16); d.padLeft = w[12] >> 24;
  d.mult = lo16(w[13]); d.multB = d.lowering == WeightLowering::RowReuse ? 0u : w[13] >> 16;
  if (d.lowering == WeightLowering::DepthwiseUnit) {
    d.multB = 0;
    d.dwSTaps = (w[13] >> 24) & 0xFu;
    d.dwRowFirst = w[13] >> 28;
  }
  d.shift = w[14] & 0x1Fu;
  d.fusePool = (w[14] >> 7) & 1u;
  d.kChunk = lo8(w[14] >> 8);
  d.nChunk = lo8(w[14] >> 16);
  d.ctGroup = w[14] >> 24;
  d.numCTiles = lo16(w[15]); d.numNTiles = w[15] >> 16;
  if (d.readsSkip() || d.op == EngineOp::Softmax) {
    d.addMultY = lo16(w[24]);
    d.addMultSkip = w[24] >> 16;
  } else {
    d.clampLo = int8_t(uint8_t(w[24]));
    d.clampHi = int8_t(uint8_t(w[24] >> 8));
  }
  d.addShift = w[25] & 0x1Fu;
  d.addRelu = (w[25] >> 5) & 1u;
  d.clampEnable = (w[25] >> 6) & 1u;
  d.lutEnable = (w[25] >> 7) & 1u;
  if (w[23] != (d.fusePool ? d.mTile / 4 : d.mTile) * d.outChannelStride) d.storeTileStride = w[23];
  return d;
}

}  // namespace dnnchip::schedule
