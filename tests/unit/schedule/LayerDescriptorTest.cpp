// Descriptor encoding: every field lands at the bit position docs/engine.md gives, decode inverts
// encode, and the program file is one 128-digit line per descriptor plus the End line.

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
  EXPECT_EQ(w[14], (200u << 16) | (4u << 8) | 31u);
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

TEST(LayerDescriptor, ProgramFileFormat) {
  Program p;
  p.descriptors = {sample(), sample()};
  p.descriptors[1].op = EngineOp::Gemm;
  std::string hex = encodeProgram(p);
  ASSERT_EQ(hex.size(), 3u * 129u);  // two descriptors + End, 128 digits + newline each
  // Word 15 first: the line starts with numNTiles:numCTiles and ends with word 0.
  EXPECT_EQ(hex.substr(0, 8), "80010002");
  EXPECT_EQ(hex.substr(120, 8), "beef8013");
  EXPECT_EQ(hex.substr(2 * 129, 128), std::string(128, '0'));
  auto back = decodeProgram(hex);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_TRUE(back[0].sameFields(p.descriptors[0]));
  EXPECT_TRUE(back[1].sameFields(p.descriptors[1]));
}
