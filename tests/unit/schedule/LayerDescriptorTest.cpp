// Descriptor encoding: every field lands at the bit position docs/engine.md gives, decode inverts
// encode, the derived words step the engine's running addresses exactly onto the NHWC formula, and
// the program file is one 192-digit line per descriptor plus the End line.

#include "dnnchip/schedule/LayerDescriptor.h"

#include <gtest/gtest.h>

#include "dnnchip/schedule/Program.h"

using namespace dnnchip::schedule;

namespace {
LayerDescriptor sample() {
  LayerDescriptor d;
  d.op = EngineOp::AvgPool; d.relu = true; d.biasEnable = false; d.padValue = -128; d.mTile = 0xBEEF;
  d.inBase = 0x11223344; d.in2Base = 0x55667788; d.weightBase = 0x99AABBCC; d.biasBase = 0xDDEEFF00;
  d.outBase = 0x01020304; d.inH = 13; d.inW = 11; d.outP = 7; d.outQ = 6; d.batch = 2; d.groups = 3;
  d.inChannelStride = 15; d.outChannelStride = 21; d.cg = 5; d.kg = 7; d.kernelR = 3;
  d.kernelS = 4; d.strideH = 2; d.strideW = 5; d.dilationH = 6; d.dilationW = 7; d.padTop = 8;
  d.padLeft = 9; d.mult = 0xFFFF; d.multB = 0x1234; d.shift = 31; d.kChunk = 4; d.nChunk = 200;
  d.numCTiles = 2; d.numNTiles = 0x8001;
  return d;
}
}  // namespace

TEST(LayerDescriptor, FieldsAtDocumentedBits) {
  auto w = sample().encode();
  EXPECT_EQ(w[0], 0xBEEF8013u);  // op 3 | relu bit 4 | pad 0x80 << 8 | mTile << 16
  EXPECT_EQ(w[1], 0x11223344u);
  EXPECT_EQ(w[5], 0x01020304u);
  EXPECT_EQ(w[6], (11u << 16) | 13u);
  EXPECT_EQ(w[7], (6u << 16) | 7u);
  EXPECT_EQ(w[8], (3u << 16) | 2u);
  EXPECT_EQ(w[9], (21u << 16) | 15u);
  EXPECT_EQ(w[10], (7u << 16) | 5u);
  EXPECT_EQ(w[11], 0x05020403u);  // R, S, stride_h, stride_w
  EXPECT_EQ(w[12], 0x09080706u);  // dil_h, dil_w, pad_t, pad_l
  EXPECT_EQ(w[13], 0x1234FFFFu);
  EXPECT_EQ(w[14], (1u << 24) | (200u << 16) | (4u << 8) | 31u);  // ctGroup 1 at [31:24]
  EXPECT_EQ(w[15], 0x80010002u);
}

TEST(LayerDescriptor, DecodeInvertsEncode) {
  LayerDescriptor d = sample();
  LayerDescriptor back = LayerDescriptor::decode(d.encode());
  EXPECT_TRUE(back.sameFields(d));
  EXPECT_EQ(back.padValue, -128);
  EXPECT_EQ(back.op, EngineOp::AvgPool);
  EXPECT_EQ(back.shift, 31u);
  EXPECT_TRUE(back.relu);
  EXPECT_FALSE(back.biasEnable);
  // Each field alone survives the round trip (no field overlaps another).
  for (int bit = 0; bit < 16; ++bit) {
    LayerDescriptor one;
    one.inH = 1u << bit;
    EXPECT_EQ(LayerDescriptor::decode(one.encode()).inH, 1u << bit);
    EXPECT_EQ(LayerDescriptor::decode(one.encode()).inW, 1u);
  }
}

TEST(LayerDescriptor, DerivedWordsByHand) {
  // C = 15, W = 11, H = 13, P x Q = 7 x 6, N = 2, stride 2 x 5, dilation 6 x 7, pad 8 / 9, S = 4
  auto w = sample().encode();
  EXPECT_EQ(w[16], 84u);                               // N * P * Q
  EXPECT_EQ(w[17], 75u);                               // sw * C
  EXPECT_EQ(w[18], uint32_t(330 - 375));               // sh*W*C - (Q-1)*sw*C
  EXPECT_EQ(w[19], uint32_t(13 * 165 - 6 * 330 - 375));  // H*W*C - (P-1)*sh*W*C - (Q-1)*sw*C
  EXPECT_EQ(w[20], uint32_t(-(8 * 165 + 9 * 15)));     // -(pad_t*W + pad_l)*C
  EXPECT_EQ(w[21], 105u);                              // dw * C
  EXPECT_EQ(w[22], uint32_t(6 * 165 - 3 * 105));       // dh*W*C - (S-1)*dw*C
  EXPECT_EQ(w[23], 0xBEEFu * 21u);                     // m_tile * out_cstride
  LayerDescriptor add = sample();
  add.op = EngineOp::Add;
  EXPECT_EQ(add.encode()[22], 0u) << "add: both operands at the same position";
}

// The walk dma_axi and the controller do with the derived words lands on every pixel's and tap's
// NHWC byte offset C*((n*H + p*sh + r*dh - pad_t)*W + q*sw + s*dw - pad_l), modulo 2^32.
TEST(LayerDescriptor, DerivedStepsWalkTheNhwcOffsets) {
  const LayerDescriptor d = sample();
  const auto w = d.encode();
  const int64_t C = d.inChannelStride, W = d.inW, H = d.inH;
  uint32_t x = 0;
  for (uint32_t n = 0; n < d.batch; ++n)
    for (uint32_t p = 0; p < d.outP; ++p)
      for (uint32_t q = 0; q < d.outQ; ++q) {
        const int64_t want = C * ((int64_t(n) * H + p * d.strideH) * W + q * d.strideW);
        ASSERT_EQ(x, uint32_t(want)) << n << " " << p << " " << q;
        x += q + 1 < d.outQ ? w[17] : (p + 1 < d.outP ? w[18] : w[19]);
      }
  EXPECT_EQ(x, uint32_t(d.batch * H * W * C)) << "ends at the next image";
  uint32_t tap = w[20];
  for (uint32_t r = 0; r < d.kernelR; ++r)
    for (uint32_t s = 0; s < d.kernelS; ++s) {
      const int64_t want = C * ((int64_t(r) * d.dilationH - d.padTop) * W + int64_t(s) * d.dilationW - d.padLeft);
      ASSERT_EQ(tap, uint32_t(want)) << r << " " << s;
      tap += s + 1 < d.kernelS ? w[21] : w[22];
    }
}

TEST(LayerDescriptor, ProgramFileFormat) {
  Program p;
  p.descriptors = {sample(), sample()};
  p.descriptors[1].op = EngineOp::Gemm;
  std::string hex = encodeProgram(p);
  ASSERT_EQ(hex.size(), 3u * 209u);  // two descriptors + End, 208 digits + newline each
  // Word 25 first (the wide gather's pieces of m_tile 0xBEEF pixels and run bytes 1 x 4, the fused add's shift 1, no ReLU), then word 24 (its multipliers, 0), word 23
  // (m_tile * out_cstride), numNTiles:numCTiles (word 15) at digit 80, and word 0 last.
  EXPECT_EQ(hex.substr(0, 16), "beef040100000000");
  EXPECT_EQ(hex.substr(16, 8), "000fa99b");
  EXPECT_EQ(hex.substr(80, 8), "80010002");
  EXPECT_EQ(hex.substr(200, 8), "beef8013");
  EXPECT_EQ(hex.substr(2 * 209, 208), std::string(208, '0'));
  auto back = decodeProgram(hex);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_TRUE(back[0].sameFields(p.descriptors[0]));
  EXPECT_TRUE(back[1].sameFields(p.descriptors[1]));
}

// Wide gather (docs/engine.md#wide-gather): ctGroup at w14[31:24], the run bytes ctGroup * kChunk
// the controller gathers at w25[15:8]; the other fields of both words keep their bits.
TEST(LayerDescriptor, WideGatherFields) {
  LayerDescriptor d = sample();
  d.kChunk = 16;
  d.ctGroup = 15;
  auto w = d.encode();
  EXPECT_EQ(w[14] >> 24, 15u);
  EXPECT_EQ((w[14] >> 8) & 0xFFu, 16u);
  EXPECT_EQ((w[25] >> 8) & 0xFFu, 240u);
  EXPECT_EQ(w[25] >> 16, (0xBEEFu + 14) / 15);  // pieces of ceil(mTile / ctGroup) pixels
  EXPECT_EQ(LayerDescriptor::decode(w).ctGroup, 15u);
  EXPECT_TRUE(LayerDescriptor::decode(w).sameFields(d));
  d.ctGroup = 1;
  EXPECT_EQ((d.encode()[25] >> 8) & 0xFFu, 16u);
}

TEST(LayerDescriptor, FusedAddFieldsRoundTrip) {
  LayerDescriptor d = sample();
  d.op = EngineOp::Gemm;
  d.fuseAdd = true;
  d.fusedOutputIsB = true;
  setFusedAddQuant(d, 40000, 17, 23, true);  // the GEMM is operand b: multB scales its output
  EXPECT_EQ(d.addMultY, 17u);
  EXPECT_EQ(d.addMultSkip, 40000u);
  auto w = d.encode();
  EXPECT_EQ(w[0] & 0x40u, 0x40u);
  EXPECT_EQ(w[24], 17u | (40000u << 16));
  // w25[15:8]: ctGroup * kChunk; [31:16]: the overlapped pieces' pixels, ceil(mTile / ctGroup)
  EXPECT_EQ(w[25], 23u | 0x20u | (1u * 4u << 8) | (0xBEEFu << 16));
  auto back = LayerDescriptor::decode(w);
  EXPECT_TRUE(back.fuseAdd);
  EXPECT_EQ(back.addMultY, 17u);
  EXPECT_EQ(back.addMultSkip, 40000u);
  EXPECT_EQ(back.addShift, 23u);
  EXPECT_TRUE(back.addRelu);
  d.fuseAdd = false;
  EXPECT_FALSE(LayerDescriptor::decode(d.encode()).fuseAdd);
}

// The elementwise Mul (docs/engine.md#elementwise-multiply): an add with w14[6] (and w14[5] for a
// channel scale) and w0[6], the Mul's multiplier in w24[15:0]; decode reads it back as mul, not
// as a fused add. A descriptor without mul keeps the bits it had (old programs stay valid).
TEST(LayerDescriptor, MulFieldsRoundTrip) {
  LayerDescriptor d = sample();
  d.op = EngineOp::Add;
  d.fuseAdd = false;
  const auto before = d.encode();
  EXPECT_EQ(before[14] & 0x60u, 0u);
  d.mul = true;
  d.broadcastSkip = true;
  setMulQuant(d, 51590, 22, true);
  auto w = d.encode();
  EXPECT_EQ(w[0] & 0x40u, 0x40u);
  EXPECT_EQ(w[14] & 0x60u, 0x60u);
  EXPECT_EQ(w[13], 2u);                  // the identity accumulate: mult 2, mult_b 0
  EXPECT_EQ(w[14] & 0x1Fu, 1u);          // shift 1
  EXPECT_EQ(w[24], 51590u);              // mult_y, mult_skip 0
  EXPECT_EQ(w[25] & 0x3Fu, 22u | 0x20u); // the Mul's shift and ReLU
  auto back = LayerDescriptor::decode(w);
  EXPECT_TRUE(back.mul);
  EXPECT_TRUE(back.broadcastSkip);
  EXPECT_FALSE(back.fuseAdd);
  EXPECT_FALSE(back.relu);
  EXPECT_TRUE(back.readsSkip());
  EXPECT_EQ(back.addMultY, 51590u);
  EXPECT_TRUE(back.sameFields(d));
  d.broadcastSkip = false;
  EXPECT_EQ(d.encode()[14] & 0x60u, 0x40u);
  EXPECT_FALSE(LayerDescriptor::decode(d.encode()).broadcastSkip);
}

// The clamp pair shares word 24 with the fused add's multipliers (a GEMM with a clamp pair takes
// no fused add); the enables are w25[6] and [7], beside the wide gather's derived fields.
TEST(LayerDescriptor, ActivationFieldsAtWords24And25) {
  LayerDescriptor d = sample();
  d.fuseAdd = false;
  d.addShift = 5;
  d.clampLo = -8;
  d.clampHi = 48;
  d.clampEnable = true;
  d.lutEnable = true;
  auto w = d.encode();
  EXPECT_EQ(w[24], 0xF8u | (48u << 8));
  EXPECT_EQ(w[25] & 0xFFu, 5u | (1u << 6) | (1u << 7));
  auto back = LayerDescriptor::decode(w);
  EXPECT_EQ(back.clampLo, -8);
  EXPECT_EQ(back.clampHi, 48);
  EXPECT_TRUE(back.clampEnable);
  EXPECT_TRUE(back.lutEnable);
  EXPECT_TRUE(back.sameFields(d));
}
