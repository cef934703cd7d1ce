#pragma once
/// \file
/// One layer of the engine's tile program: the fixed 832-bit descriptor the controller reads
/// (docs/engine.md#program-format gives every field's bit position). Words 0..15 and 24..25 hold
/// the fields; words 16..23 hold products of them that the engine would otherwise need multipliers
/// for (address steps, pixel count), computed by encode(). encode/decode are exact inverses for
/// in-range fields.

#include <array>
#include <cstdint>
#include <string>

namespace dnnchip::schedule {

/// Engine operation (descriptor word 0 bits [3:0]); 0 ends the program.
/// Softmax (6, engine SOFTMAX = 1): a 1x1 identity pool whose accumulated rows (pixels, cg codes
/// each) softmax_unit rewrites in place before the output tiles (docs/engine.md#softmax-on-the-engine);
/// the rescale's mult and shift (golden::SoftmaxParams) in addMultY / addShift (w24[15:0], w25[4:0]).
enum class EngineOp : uint32_t { End = 0, Gemm = 1, MaxPool = 2, AvgPool = 3, Add = 4, Softmax = 6 };
std::string_view engineOpName(EngineOp op);

constexpr int kDescriptorWords = 26;  ///< 32-bit words per descriptor (832 bits)
/// Descriptor op code (w0[3:0]) of a depthwise layer on the engine's depthwise unit: a GEMM with
/// WeightLowering::DepthwiseUnit in C++ (encode / decode map it).
constexpr uint32_t kDepthwiseUnitOp = 5;

/// How a GEMM descriptor's reduction maps onto the model layer's weights [G*Kg][Cg][R][S]
/// (docs/engine.md#lowering-and-tile-loops); packWeights reads it. Not encoded: the engine only
/// sees an ordinary convolution.
enum class WeightLowering : uint32_t {
  Direct = 0,        ///< the descriptor's (g, k, c, r, s) are the layer's
  FoldedWidth = 1,   ///< kernel R x 1 over cg = S*C "channels": c' = s*C + c, pixel step C bytes
  BlockDiagonal = 2, ///< depthwise: groups of cg = kg = b channels, W'[k][c] = (c == k) ? W[k] : 0
  Identity = 3,      ///< transpose, MatMul packing (docs/engine.md#transpose): W'[k][c][r][0] = (k == r*cg + c), no layer weights
  /// depthwise on the engine's depthwise unit (encoded as op 5; a Gemm in C++): groups of
  /// cg = kg = b channels, per group R*S weight rows, row r*S + s, byte j = W[g*b + j][0][r][s]
  DepthwiseUnit = 4,
  /// kernel 1 x 1 over cg = S*R*C "channels" of a row-stacked model input (TensorPlacement::stackRows,
  /// docs/engine.md#alternative-lowerings): c' = (s*R + r)*C + c, pixel step R*C bytes
  FoldedWindow = 5,
};

struct LayerDescriptor {
  EngineOp op = EngineOp::End;   ///< w0[3:0]
  bool relu = false;             ///< w0[4]: lower clamp at 0
  bool biasEnable = false;       ///< w0[5]: add the int32 bias before requantization
  /// w0[6], Gemm only: a residual add runs in the output path (docs/engine.md#fused-residual-add):
  /// each requantized int8 output y and the skip operand's byte x at in2Base (same NHWC position)
  /// become clamp((y*addMultY + x*addMultSkip + 2^(addShift-1)) >> addShift), the add's own
  /// arithmetic (docs/quantization.md), and only that sum is stored at outBase.
  bool fuseAdd = false;
  /// w14[7], Gemm only: a 3x3 / stride 2 / pad 1 max pool runs in the output path
  /// (docs/engine.md#fused-max-pool): the requantized outputs of each output tile go through the
  /// pool unit, and only the pool's outputs are stored at outBase (outChannelStride is the pool
  /// output's). outP, outQ even; mTile a multiple of 2 * outQ; stores mt / 4 pixels per M tile.
  bool fusePool = false;
  /// w14[6], Add only (engine MUL = 1): the elementwise Mul (docs/engine.md#elementwise-multiply).
  /// One accumulate pass of operand a at inBase (kernelR = 1, the identity mult 2 / shift 1), then
  /// the fused add's output path in multiply mode with operand b at in2Base as the skip:
  /// clamp((a*addMultY*b + 2^(addShift-1)) >> addShift). Encoded with w0[6] set (the skip read and
  /// residual_add), which decode() reads back as mul, not fuseAdd.
  bool mul = false;
  /// w14[5], with mul: b is one pixel per image (a per-channel scale, [N, C, 1, 1]); its runs are
  /// read at stride 0 from in2Base + the output tile's first channel. Batch 1 only.
  bool broadcastSkip = false;
  int8_t padValue = 0;           ///< w0[15:8]: value of padded input positions (-128 for max pool)
  uint32_t mTile = 0;            ///< w0[31:16]: output pixels per M tile (<= ACT_DEPTH)
  uint32_t inBase = 0;           ///< w1: byte address of the input (NHWC int8)
  uint32_t in2Base = 0;          ///< w2: byte address of the second add operand, or of a fused add's skip operand (NHWC int8)
  uint32_t weightBase = 0;       ///< w3: byte address of the packed weight blocks
  uint32_t biasBase = 0;         ///< w4: byte address of the packed bias blocks
  uint32_t outBase = 0;          ///< w5: byte address of the output (NHWC int8)
  uint32_t inH = 1, inW = 1;     ///< w6[15:0], w6[31:16]: input height, width
  uint32_t outP = 1, outQ = 1;   ///< w7[15:0], w7[31:16]: output height, width
  uint32_t batch = 1;            ///< w8[15:0]: N
  uint32_t groups = 1;           ///< w8[31:16]: G
  uint32_t inChannelStride = 1;  ///< w9[15:0]: channels of the whole input tensor (bytes/pixel)
  uint32_t outChannelStride = 1; ///< w9[31:16]: channels of the whole output tensor
  uint32_t cg = 1;               ///< w10[15:0]: input channels per group (pool/add: all channels)
  uint32_t kg = 1;               ///< w10[31:16]: output channels per group (pool/add: = cg)
  uint32_t kernelR = 1, kernelS = 1;  ///< w11[7:0], w11[15:8]: window (add: R = 2 operands)
  uint32_t strideH = 1, strideW = 1;  ///< w11[23:16], w11[31:24]
  uint32_t dilationH = 1, dilationW = 1;  ///< w12[7:0], w12[15:8]
  uint32_t padTop = 0, padLeft = 0;       ///< w12[23:16], w12[31:24]
  uint32_t mult = 1;             ///< w13[15:0]: requantization multiplier (add: multiplier of a)
  uint32_t multB = 0;            ///< w13[31:16]: add only: multiplier of b
  uint32_t shift = 1;            ///< w14[4:0]: 1..31
  uint32_t kChunk = 1;           ///< w14[15:8]: channels per reduction tile (<= ROWS)
  uint32_t nChunk = 1;           ///< w14[23:16]: output channels per output tile (<= COLS)
  uint32_t numCTiles = 1;        ///< w15[15:0]: ceil(cg / kChunk)
  uint32_t numNTiles = 1;        ///< w15[31:16]: ceil(kg / nChunk)
  /// w14[31:24]: wide gather: channel tiles of one tap that one gather reads as a single run of
  /// min(ctGroup * kChunk, cg - ct0 * kChunk) bytes (1 = one gather per tile; ctGroup * kChunk
  /// <= 255, ctGroup * mTile <= ACT_DEPTH). encode() also writes ctGroup * kChunk to w25[15:8].
  uint32_t ctGroup = 1;
  uint32_t addMultY = 0;         ///< w24[15:0]: fused add: multiplier of the GEMM's own output; Softmax: the rescale's mult
  uint32_t addMultSkip = 0;      ///< w24[31:16]: fused add: multiplier of the skip operand
  uint32_t addShift = 1;         ///< w25[4:0]: fused add: 1..31; Softmax: the rescale's shift
  bool addRelu = false;          ///< w25[5]: fused add: lower clamp at 0
  /// w24[7:0], w24[15:8] (only without fuseAdd: word 24 holds the fused add's multipliers
  /// otherwise, and a GEMM with a clamp pair takes no fused add), w25[6]: with clampEnable the
  /// requantized output is clamped to [clampLo, clampHi] instead of [relu ? 0 : -128, 127] (ReLU6,
  /// Clip: the bounds in the output's int8 domain, docs/quantization.md#activations).
  /// clampLo <= clampHi. Engine ACT >= 1. The engine ignores both without clampEnable (0 then, so
  /// programs without clamps keep their bits).
  int8_t clampLo = 0;
  int8_t clampHi = 0;
  bool clampEnable = false;
  /// w25[7]: the clamped output goes through the layer's 256-entry int8 activation table
  /// (HardSwish, Sigmoid, ...): y = T[y + 128]. The table is the first 256 bytes at biasBase
  /// (loaded once per layer, LOAD_T), the bias blocks follow it. Engine ACT = 2.
  bool lutEnable = false;

  /// w23 when not 0: the store address step from one M tile to the next, instead of the tensor's
  /// m_tile * out_cstride. A MatMul's weight packing (docs/engine.md#matmul) sets
  /// n_ntiles * k_chunk * ROW_BYTES of the MatMul, so that its M tile ct lands in weight block
  /// (ct, nt).
  uint32_t storeTileStride = 0;
  /// not encoded: the descriptor writes the weight blocks of the MatMul descriptor after it (the
  /// activation operand B); its output is no layer's tensor.
  bool packsWeights = false;
  /// DepthwiseUnit only (w13[31:16] instead of multB): the taps s = padLeft .. padLeft + dwSTaps - 1
  /// of a window row whose gathers fill that input row in the unit (bits 27:24), and the first
  /// window row an output row other than an image's first gathers, R - strideH (bits 31:28);
  /// bits 23:16 are R*S, the weight rows.
  uint32_t dwSTaps = 1;
  uint32_t dwRowFirst = 0;
  WeightLowering lowering = WeightLowering::Direct;  ///< not encoded (but DepthwiseUnit is op 5): weight mapping
  uint32_t foldedS = 1;          ///< not encoded: FoldedWidth, FoldedWindow: the layer's filter width S
  uint32_t foldedR = 1;          ///< not encoded: FoldedWindow: the layer's filter height R
  int layerIndex = -1;           ///< not encoded: index of the model layer this runs
  int fusedAddIndex = -1;        ///< not encoded: fuseAdd: index of the model's add layer (whose output this stores)
  int fusedPoolIndex = -1;       ///< not encoded: fusePool: index of the model's max pool layer (whose output this stores)
  bool fusedOutputIsB = false;   ///< not encoded: fuseAdd: the GEMM's output is the add's second operand
  int mulOperandA = 0;           ///< not encoded: mul: the model input (0, 1) that is operand a (the full-size one)
  std::string layerName;         ///< not encoded

  uint32_t pixels() const { return batch * outP * outQ; }  ///< M
  /// The output path reads a skip operand (LOAD_S) and runs residual_add: a fused add or a Mul.
  bool readsSkip() const { return fuseAdd || mul; }
  uint32_t numMTiles() const { return mTile ? (pixels() + mTile - 1) / mTile : 0; }
  uint32_t numKTiles() const { return kernelR * kernelS * numCTiles; }  ///< reduction tiles
  /// The model layer whose output this descriptor stores: the fused add's, else layerIndex.
  int outputLayerIndex() const { return fuseAdd ? fusedAddIndex : fusePool ? fusedPoolIndex : layerIndex; }
  /// Pixels the store writes per M tile of mt conv output pixels (a fused pool: its mt / 4).
  uint32_t storedPixels(uint32_t mt) const { return fusePool ? mt / 4 : mt; }

  std::array<uint32_t, kDescriptorWords> encode() const;
  static LayerDescriptor decode(const std::array<uint32_t, kDescriptorWords>& words);
  /// Equality of the encoded fields.
  bool sameFields(const LayerDescriptor& o) const { return encode() == o.encode(); }
};

}  // namespace dnnchip::schedule
