// The alternative lowerings of buildProgram (docs/engine.md#lowering-and-tile-loops): the width
// fold of few-channel convolutions (descriptor fields, the model input's halo, packed weight
// bytes c' = s*C + c) and depthwise blocks (block-diagonal weights). Each case also runs the
// descriptor through a C++ emulation of the engine's GEMM (the gather address and padding of
// docs/engine.md, packed weight blocks, int32 sums) over an input stored in the placement's
// layout, and requires the sums of a direct convolution; the same emulation with the weights
// packed as if unlowered must differ (the check can fail).

#include <gtest/gtest.h>

#include "ModelText.h"

#include "dnnchip/schedule/Program.h"
#include "dnnchip/schedule/CycleModel.h"
#include "dnnchip/workload/Model.h"

using namespace dnnchip;
using namespace dnnchip::schedule;

namespace {

workload::Model parse(const std::string& layers, const std::string& input) {
  return test::modelFromText(layers, input);
}

EngineConfig config(int rows, int cols) {
  EngineConfig c;
  c.rows = rows; c.cols = cols; c.actBufferWords = 256; c.accBufferWords = 1024;
  return c;
}

std::vector<int8_t> randomBytes(size_t n, uint32_t seed) {
  std::vector<int8_t> v(n);
  for (auto& b : v) {
    seed = seed * 1664525u + 1013904223u;
    b = static_cast<int8_t>(seed >> 24);
  }
  return v;
}

struct Conv {  // the model layer, NCHW input [1][C][H][W], weights [K][C/G][R][S]
  int C, H, W, K, G, R, S, sh, sw, pt, pl, P, Q;
};

/// Direct convolution, int32 sums per output (p, q, k), zero padding.
std::vector<int32_t> reference(const Conv& c, const std::vector<int8_t>& x, const std::vector<int8_t>& w) {
  const int cg = c.C / c.G, kg = c.K / c.G;
  std::vector<int32_t> out(size_t(c.P * c.Q * c.K), 0);
  for (int p = 0; p < c.P; ++p)
    for (int q = 0; q < c.Q; ++q)
      for (int k = 0; k < c.K; ++k) {
        int32_t sum = 0;
        const int g = k / kg;
        for (int ci = 0; ci < cg; ++ci)
          for (int r = 0; r < c.R; ++r)
            for (int s = 0; s < c.S; ++s) {
              const int h = p * c.sh + r - c.pt, ww = q * c.sw + s - c.pl;
              if (h < 0 || ww < 0 || h >= c.H || ww >= c.W) continue;
              sum += int32_t(x[size_t(((g * cg + ci) * c.H + h) * c.W + ww)]) *
                     int32_t(w[size_t(((k * cg + ci) * c.R + r) * c.S + s)]);
            }
        out[size_t((p * c.Q + q) * c.K + k)] = sum;
      }
  return out;
}

/// The input in the DRAM layout of its placement (NHWC, haloLeft + W + haloRight columns, halo 0;
/// row-stacked: per stacked row p and column, the R*C bytes of input rows p*stride - pad_t + r).
std::vector<int8_t> dramInput(const Conv& c, const TensorPlacement& place, const std::vector<int8_t>& x) {
  const int width = c.W + int(place.haloLeft + place.haloRight);
  std::vector<int8_t> mem(place.baseAddress + place.sizeBytes, 0);
  if (place.stackRows) {
    const int R = int(place.stackRows), P = int(place.stackOutRows);
    EXPECT_EQ(place.sizeBytes, uint32_t(P * width * R * c.C));
    for (int p = 0; p < P; ++p)
      for (int r = 0; r < R; ++r) {
        const int h = p * int(place.stackStride) + r - int(place.stackPadTop);
        if (h < 0 || h >= c.H) continue;
        for (int w = 0; w < c.W; ++w)
          for (int ch = 0; ch < c.C; ++ch)
            mem[place.baseAddress + size_t(((p * width + int(place.haloLeft) + w) * R + r) * c.C + ch)] =
                x[size_t((ch * c.H + h) * c.W + w)];
      }
    return mem;
  }
  EXPECT_EQ(place.sizeBytes, uint32_t(c.H * width * c.C));
  for (int ch = 0; ch < c.C; ++ch)
    for (int h = 0; h < c.H; ++h)
      for (int w = 0; w < c.W; ++w)
        mem[place.baseAddress + size_t((h * width + int(place.haloLeft) + w) * c.C + ch)] =
            x[size_t((ch * c.H + h) * c.W + w)];
  return mem;
}

/// The engine's GEMM on descriptor d (batch 1): gather runs at the documented addresses, the
/// packed weight block rows, int32 sums per output pixel and channel.
std::vector<int32_t> emulate(const LayerDescriptor& d, const EngineConfig& cfg, const std::vector<int8_t>& mem,
                             const std::vector<int8_t>& packed) {
  const uint32_t rb = (uint32_t(cfg.cols) + cfg.axiBytes() - 1) / cfg.axiBytes() * cfg.axiBytes();
  std::vector<int32_t> out(size_t(d.outP * d.outQ * d.outChannelStride), 0);
  for (uint32_t g = 0; g < d.groups; ++g)
    for (uint32_t p = 0; p < d.outP; ++p)
      for (uint32_t q = 0; q < d.outQ; ++q)
        for (uint32_t r = 0; r < d.kernelR; ++r)
          for (uint32_t s = 0; s < d.kernelS; ++s)
            for (uint32_t ct = 0; ct < d.numCTiles; ++ct) {
              const int64_t h = int64_t(p * d.strideH + r * d.dilationH) - d.padTop;
              const int64_t w = int64_t(q * d.strideW + s * d.dilationW) - d.padLeft;
              const bool outside = h < 0 || w < 0 || h >= int64_t(d.inH) || w >= int64_t(d.inW);
              const uint32_t cnt = std::min(d.kChunk, d.cg - ct * d.kChunk);
              for (uint32_t i = 0; i < cnt; ++i) {
                const int32_t a = outside ? d.padValue
                                          : mem[d.inBase + size_t((h * d.inW + w) * d.inChannelStride) +
                                                g * d.cg + ct * d.kChunk + i];
                for (uint32_t nt = 0; nt < d.numNTiles; ++nt) {
                  const size_t block = (((g * d.kernelR + r) * d.kernelS + s) * d.numCTiles + ct) * d.numNTiles + nt;
                  for (uint32_t j = 0; j < d.nChunk && nt * d.nChunk + j < d.kg; ++j)
                    out[size_t((p * d.outQ + q) * d.outChannelStride + g * d.kg + nt * d.nChunk + j)] +=
                        a * int32_t(packed[(block * d.kChunk + i) * rb + j]);
                }
              }
            }
  return out;
}

/// Lowers `layer` (one conv2d over input x), checks the emulated sums against the direct
/// convolution, and that packing the weights as an unlowered descriptor breaks them.
/// `window`: the window fold allowed (off: the width fold's cases, written before it).
Program lowerAndCheck(const Conv& c, const std::string& layer, const EngineConfig& cfg, bool window = false) {
  auto m = parse(layer, R"({"name": "x", "shape": [1, )" + std::to_string(c.C) + ", " +
                            std::to_string(c.H) + ", " + std::to_string(c.W) + "]}");
  LoweringOptions options;
  options.foldWindow = window;
  auto p = buildProgram(m, cfg, options);
  EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error().format());
  if (!p.ok()) return {};
  const auto& d = p->descriptors.at(0);
  auto x = randomBytes(size_t(c.C * c.H * c.W), 7);
  auto w = randomBytes(size_t(c.K * (c.C / c.G) * c.R * c.S), 11);
  auto mem = dramInput(c, *p->find("x", TensorKind::Activation), x);
  const auto want = reference(c, x, w);
  EXPECT_EQ(emulate(d, cfg, mem, packWeights(d, cfg, w)), want);
  if (d.lowering != WeightLowering::Direct) {
    LayerDescriptor wrong = d;
    wrong.lowering = WeightLowering::Direct;
    EXPECT_NE(emulate(d, cfg, mem, packWeights(wrong, cfg, w)), want);
  }
  return *p;
}

}  // namespace

TEST(Lowering, Conv1FoldsTheFilterWidthWithAHalo) {
  // ResNet conv1 shape on a 30x28 map: C=3, 7x7, stride 2, pad 3, on a 16x16 array.
  const Conv c{3, 30, 28, 8, 1, 7, 7, 2, 2, 3, 3, 15, 14};
  auto p = lowerAndCheck(c, R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 8,
                               "kernel": [7, 7], "stride": [2, 2], "padding": [3, 3, 3, 3]})",
                         config(16, 16));
  ASSERT_EQ(p.descriptors.size(), 1u);
  const auto& d = p.descriptors[0];
  EXPECT_EQ(d.lowering, WeightLowering::FoldedWidth);
  EXPECT_EQ(d.foldedS, 7u);
  EXPECT_EQ(d.kernelR, 7u);
  EXPECT_EQ(d.kernelS, 1u);
  EXPECT_EQ(d.cg, 21u);                // S*C reduction channels
  EXPECT_EQ(d.inChannelStride, 3u);    // the pixel step stays C bytes
  EXPECT_EQ(d.kChunk, 16u);
  EXPECT_EQ(d.numCTiles, 2u);          // 16 + 5
  EXPECT_EQ(d.padTop, 3u);             // rows: padded by the gather
  EXPECT_EQ(d.padLeft, 0u);            // columns: by the halo
  EXPECT_EQ(d.inH, 30u);
  // Columns read: -3 .. 13*2 + 6 - 3 = 29, so 3 left and 2 right of the 28.
  const auto* x = p.find("x", TensorKind::Activation);
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->haloLeft, 3u);
  EXPECT_EQ(x->haloRight, 2u);
  EXPECT_EQ(d.inW, 33u);
  EXPECT_EQ(x->sizeBytes, 30u * 33 * 3);
  EXPECT_EQ(p.find("c", TensorKind::Activation)->baseAddress, 3008u);  // 2970 rounded up to 64
  // Packed bytes: block (r, ct, nt) = (0, 0, 0) row i = s*3 + c holds W[k][c][0][s] in byte k.
  auto w = randomBytes(8 * 3 * 7 * 7, 11);
  auto packed = packWeights(d, config(16, 16), w);
  EXPECT_EQ(packed.size(), 7u * 2 * 16 * 16);  // (r, ct) blocks of 16 rows x 16 bytes
  EXPECT_EQ(packed[4 * 16 + 5], w[((5 * 3 + 1) * 7 + 0) * 7 + 1]);      // i = 4: s 1, c 1
  // Block (r, ct) = (2, 1), row 4 = c' 20: s 6, c 2.
  EXPECT_EQ(packed[((2 * 2 + 1) * 16 + 4) * 16 + 7], w[((7 * 3 + 2) * 7 + 2) * 7 + 6]);
  EXPECT_EQ(packed[((2 * 2 + 1) * 16 + 5) * 16 + 7], 0);               // c' 21: past the reduction
}

TEST(Lowering, Conv1FoldsTheWholeWindowOverARowStackedInput) {
  // The same conv1 shape with the window fold allowed: R*S*C = 147 channels, 10 tiles of 16.
  const Conv c{3, 30, 28, 8, 1, 7, 7, 2, 2, 3, 3, 15, 14};
  auto p = lowerAndCheck(c, R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 8,
                               "kernel": [7, 7], "stride": [2, 2], "padding": [3, 3, 3, 3]})",
                         config(16, 16), true);
  ASSERT_EQ(p.descriptors.size(), 1u);
  const auto& d = p.descriptors[0];
  EXPECT_EQ(d.lowering, WeightLowering::FoldedWindow);
  EXPECT_EQ(d.foldedS, 7u);
  EXPECT_EQ(d.foldedR, 7u);
  EXPECT_EQ(d.kernelR, 1u);
  EXPECT_EQ(d.kernelS, 1u);
  EXPECT_EQ(d.cg, 147u);
  EXPECT_EQ(d.inChannelStride, 21u);  // a stacked pixel: 7 rows of 3 channels
  EXPECT_EQ(d.numCTiles, 10u);        // 9 x 16 + 3
  EXPECT_EQ(d.inH, 15u);              // one stacked row per output row
  EXPECT_EQ(d.inW, 33u);              // the width fold's halo: 3 + 28 + 2
  EXPECT_EQ(d.strideH, 1u);
  EXPECT_EQ(d.strideW, 2u);
  EXPECT_EQ(d.padTop, 0u);
  EXPECT_EQ(d.padLeft, 0u);
  EXPECT_GT(d.ctGroup, 1u);           // one run of several tiles per pixel
  const auto* x = p.find("x", TensorKind::Activation);
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->stackRows, 7u);
  EXPECT_EQ(x->stackOutRows, 15u);
  EXPECT_EQ(x->stackStride, 2u);
  EXPECT_EQ(x->stackPadTop, 3u);
  EXPECT_EQ(x->haloLeft, 3u);
  EXPECT_EQ(x->haloRight, 2u);
  // Packed bytes: block (ct, nt) = (1, 0) row 4 = c' 20 = (s 0, r 6, c 2) holds W[k][2][6][0].
  auto w = randomBytes(8 * 3 * 7 * 7, 11);
  auto packed = packWeights(d, config(16, 16), w);
  EXPECT_EQ(packed.size(), 10u * 16 * 16);
  EXPECT_EQ(packed[(1 * 16 + 4) * 16 + 5], w[((5 * 3 + 2) * 7 + 6) * 7 + 0]);
  // Block 6, row 10 = c' 106 = (s 5, r 0, c 1).
  EXPECT_EQ(packed[(6 * 16 + 10) * 16 + 7], w[((7 * 3 + 1) * 7 + 0) * 7 + 5]);
  EXPECT_EQ(packed[(9 * 16 + 3) * 16 + 7], 0);  // c' 147: past the reduction
  // It is faster than the width fold by the closed form, which is why it was taken.
  LoweringOptions off;
  off.foldWindow = false;
  auto m = parse(R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 8, "kernel": [7, 7],
                     "stride": [2, 2], "padding": [3, 3, 3, 3]})",
                 R"({"name": "x", "shape": [1, 3, 30, 28]})");
  auto q = buildProgram(m, config(16, 16), off);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->descriptors[0].lowering, WeightLowering::FoldedWidth);
  EXPECT_LT(estimateCycles(p, config(16, 16)).at(0).total(), estimateCycles(*q, config(16, 16)).at(0).total());
}

TEST(Lowering, StemThreeByThreeStrideTwoFoldsTheWindow) {
  // ResNet-50 / MobileNet-v2 stem shape, batch 1: C=3, 3x3, stride 2, pad 1 (27 channels, 2 tiles).
  const Conv c{3, 17, 16, 12, 1, 3, 3, 2, 2, 1, 1, 9, 8};
  auto p = lowerAndCheck(c, R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 12,
                               "kernel": [3, 3], "stride": [2, 2], "padding": [1, 1, 1, 1]})",
                         config(16, 16), true);
  ASSERT_EQ(p.descriptors.size(), 1u);
  EXPECT_EQ(p.descriptors[0].lowering, WeightLowering::FoldedWindow);
  EXPECT_EQ(p.descriptors[0].cg, 27u);
  EXPECT_EQ(p.find("x", TensorKind::Activation)->stackOutRows, 9u);
}

TEST(Lowering, NoWindowFoldWithoutWideGather) {
  // The iCE40 engine (WIDE_GATHER = 0): a run per tile anyway, and its layout stays.
  auto cfg = config(16, 16);
  cfg.wideGather = false;
  auto m = parse(R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 8, "kernel": [7, 7],
                     "stride": [2, 2], "padding": [3, 3, 3, 3]})",
                 R"({"name": "x", "shape": [1, 3, 30, 28]})");
  auto p = buildProgram(m, cfg);
  ASSERT_TRUE(p.ok());
  EXPECT_NE(p->descriptors[0].lowering, WeightLowering::FoldedWindow);
  EXPECT_EQ(p->find("x", TensorKind::Activation)->stackRows, 0u);
}

TEST(Lowering, SmallThreeByThreeFoldsOnlyWhereFaster) {
  const Conv c{3, 9, 10, 6, 1, 3, 3, 1, 1, 1, 1, 9, 10};
  const std::string layer = R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 6,
                                "kernel": [3, 3], "padding": [1, 1, 1, 1]})";
  // 8 rows: 9 folded channels take 2 reduction tiles per r instead of 3 taps of 3 channels.
  auto p8 = lowerAndCheck(c, layer, config(8, 4));
  EXPECT_EQ(p8.descriptors.at(0).lowering, WeightLowering::FoldedWidth);
  EXPECT_EQ(p8.find("x", TensorKind::Activation)->haloRight, 1u);
  // 4 rows: 3 tiles of 4 + 4 + 1 either way, and the fold is not faster: direct lowering.
  auto p4 = lowerAndCheck(c, layer, config(4, 4));
  EXPECT_EQ(p4.descriptors.at(0).lowering, WeightLowering::Direct);
  EXPECT_EQ(p4.find("x", TensorKind::Activation)->haloLeft, 0u);
}

TEST(Lowering, NoHaloWhereTheInputHasAnotherReader) {
  // The input feeds the conv and the add: its layout cannot change, so no fold with padding.
  auto m = parse(R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 3,
                     "kernel": [3, 3], "padding": [1, 1, 1, 1]},
                    {"name": "a", "op": "add", "inputs": ["c", "x"]})",
                 R"({"name": "x", "shape": [1, 3, 9, 10]})");
  auto p = buildProgram(m, config(8, 4));
  ASSERT_TRUE(p.ok()) << p.error().format();
  EXPECT_EQ(p->descriptors[0].lowering, WeightLowering::Direct);
  EXPECT_EQ(p->find("x", TensorKind::Activation)->haloLeft, 0u);
  // Without padding no halo is needed: an intermediate map folds too.
  auto m2 = parse(R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 3,
                      "kernel": [3, 3], "padding": [1, 1, 1, 1]},
                     {"name": "c2", "op": "conv2d", "inputs": ["c"], "out_channels": 4,
                      "kernel": [3, 3]})",
                  R"({"name": "x", "shape": [1, 3, 9, 10]})");
  auto p2 = buildProgram(m2, config(8, 4));
  ASSERT_TRUE(p2.ok()) << p2.error().format();
  EXPECT_EQ(p2->descriptors[1].lowering, WeightLowering::FoldedWidth);
  EXPECT_EQ(p2->descriptors[1].inW, 10u);  // no halo on c
}

TEST(Lowering, DilatedWidthIsNotFolded) {
  auto m = parse(R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 4,
                     "kernel": [3, 3], "dilation": [1, 2]})",
                 R"({"name": "x", "shape": [1, 3, 9, 10]})");
  auto p = buildProgram(m, config(8, 4));
  ASSERT_TRUE(p.ok()) << p.error().format();
  EXPECT_EQ(p->descriptors[0].lowering, WeightLowering::Direct);
}

TEST(Lowering, DepthwiseRunsBlocksOfChannels) {
  // 12 channels on an 8x8 array: blocks of 6 (the largest divisor of 12 up to 8), stride 2.
  const Conv c{12, 9, 8, 12, 12, 3, 3, 2, 2, 1, 1, 5, 4};
  auto p = lowerAndCheck(c, R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 12,
                               "kernel": [3, 3], "stride": [2, 2], "padding": [1, 1, 1, 1], "groups": 12})",
                         config(8, 8));
  const auto& d = p.descriptors.at(0);
  EXPECT_EQ(d.lowering, WeightLowering::BlockDiagonal);
  EXPECT_EQ(d.groups, 2u);
  EXPECT_EQ(d.cg, 6u);
  EXPECT_EQ(d.kg, 6u);
  EXPECT_EQ(d.kChunk, 6u);
  EXPECT_EQ(d.nChunk, 6u);
  EXPECT_EQ(d.inChannelStride, 12u);
  EXPECT_EQ(d.outChannelStride, 12u);
  EXPECT_EQ(d.padLeft, 1u);  // the gather pads whole runs: no halo
  // Packed bytes: block (g, r, s) = (1, 0, 1) row i byte j = W[6 + j][0][0][1] if i == j, else 0.
  auto w = randomBytes(12 * 9, 11);
  auto packed = packWeights(d, config(8, 8), w);
  const size_t block = (1 * 3 + 0) * 3 + 1;
  EXPECT_EQ(packed[(block * 6 + 2) * 8 + 2], w[size_t((6 + 2) * 9 + 1)]);
  EXPECT_EQ(packed[(block * 6 + 2) * 8 + 3], 0);
  EXPECT_EQ(packed[(block * 6 + 5) * 8 + 5], w[size_t((6 + 5) * 9 + 1)]);
}

TEST(Lowering, DepthwiseWithPrimeChannelsRunsAsOneWideBlock) {
  // 7 channels on a 4x4 array: no divisor up to 4, so blocks of min(ROWS, COLS) leave it direct;
  // the wide block of all 7 (2 x 2 tiles per tap, one 7-byte run per pixel) is faster.
  const Conv c{7, 6, 6, 7, 7, 3, 3, 1, 1, 1, 1, 6, 6};
  const std::string layer = R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 7,
                               "kernel": [3, 3], "padding": [1, 1, 1, 1], "groups": 7})";
  auto p = lowerAndCheck(c, layer, config(4, 4));
  const auto& d = p.descriptors.at(0);
  EXPECT_EQ(d.lowering, WeightLowering::BlockDiagonal);
  EXPECT_EQ(d.groups, 1u);
  EXPECT_EQ(d.cg, 7u);
  EXPECT_EQ(d.numCTiles, 2u);
  EXPECT_EQ(d.numNTiles, 2u);
  EXPECT_EQ(d.ctGroup, 2u);  // the block's 7 channels in one gather run

  LoweringOptions narrow;
  narrow.wideDepthwiseBlocks = false;
  auto m = parse(layer, R"({"name": "x", "shape": [1, 7, 6, 6]})");
  auto q = buildProgram(m, config(4, 4), narrow);
  ASSERT_TRUE(q.ok()) << q.error().format();
  EXPECT_EQ(q->descriptors[0].lowering, WeightLowering::Direct);
  EXPECT_EQ(q->descriptors[0].groups, 7u);
}

TEST(Lowering, DepthwiseWideBlocksPackTheDiagonalAcrossTiles) {
  // 24 channels on a 4x8 array behind a 128-bit port at the Ultra96 latency: blocks wider than
  // the 4 rows, so a block's diagonal crosses reduction tiles (and output tiles where b > 8).
  EngineConfig cfg = config(4, 8);
  cfg.axiDataBits = 128;
  cfg.dramReadLatencyCycles = 36;
  cfg.readOutstanding = 8;
  const Conv c{24, 10, 9, 24, 24, 3, 3, 1, 1, 1, 1, 10, 9};
  auto p = lowerAndCheck(c, R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 24,
                               "kernel": [3, 3], "padding": [1, 1, 1, 1], "groups": 24})", cfg);
  const auto& d = p.descriptors.at(0);
  ASSERT_EQ(d.lowering, WeightLowering::BlockDiagonal);
  EXPECT_GT(d.cg, 4u);  // wider than min(ROWS, COLS)
  EXPECT_EQ(d.cg, d.kg);
  EXPECT_EQ(d.groups * d.cg, 24u);
  EXPECT_EQ(d.kChunk, 4u);
  EXPECT_EQ(d.numCTiles, (d.cg + 3) / 4);
  EXPECT_EQ(d.ctGroup, d.numCTiles);
  // Packed bytes (ROW_BYTES 16): block (g, r, s, ct, nt) row i byte j holds W[g*b + k][0][r][s]
  // for channel c = ct*4 + i equal to k = nt*nChunk + j, zero elsewhere.
  auto w = randomBytes(24 * 9, 11);
  auto packed = packWeights(d, cfg, w);
  ASSERT_EQ(packed.size(), size_t(d.groups) * 9 * d.numCTiles * d.numNTiles * 4 * 16);
  size_t nonzeroSlots = 0;
  for (uint32_t g = 0; g < d.groups; ++g)
    for (uint32_t rs = 0; rs < 9; ++rs)
      for (uint32_t ct = 0; ct < d.numCTiles; ++ct)
        for (uint32_t nt = 0; nt < d.numNTiles; ++nt)
          for (uint32_t i = 0; i < 4; ++i)
            for (uint32_t j = 0; j < 16; ++j) {
              const size_t block = ((size_t(g) * 9 + rs) * d.numCTiles + ct) * d.numNTiles + nt;
              const uint32_t ch = ct * 4 + i, k = nt * d.nChunk + j;
              const bool diag = j < d.nChunk && ch < d.cg && ch == k;
              const int8_t want = diag ? w[size_t((g * d.cg + k) * 9 + rs)] : int8_t(0);
              EXPECT_EQ(packed[(block * 4 + i) * 16 + j], want) << g << " " << rs << " " << ct << " " << nt << " " << i << " " << j;
              nonzeroSlots += diag;
            }
  EXPECT_EQ(nonzeroSlots, 24u * 9);  // every weight exactly once
}

// ---- fused residual add (docs/engine.md#fused-residual-add)

TEST(Lowering, ResidualAddFusesIntoItsSingleConsumerConv) {
  auto m = parse(R"({"name": "c1", "op": "conv2d", "inputs": ["x"], "out_channels": 6,
                     "kernel": [3, 3], "padding": [1, 1, 1, 1], "activation": "relu"},
                    {"name": "c2", "op": "conv2d", "inputs": ["c1"], "out_channels": 6,
                     "kernel": [3, 3], "padding": [1, 1, 1, 1]},
                    {"name": "a", "op": "add", "inputs": ["c2", "c1x"], "activation": "relu"},
                    {"name": "c1x", "op": "conv2d", "inputs": ["x"], "out_channels": 6, "kernel": [1, 1]})",
                 R"({"name": "x", "shape": [1, 6, 8, 8]})");
  // c1x is computed after c2 (the add needs it, so it comes before the add): it is the operand
  // computed last, so the add fuses into it
  auto p = buildProgram(m, config(4, 4));
  ASSERT_TRUE(p.ok()) << p.error().format();
  const std::vector<int> fuse = fusibleAdds(m);
  const int add = m.layerIndex("a");
  EXPECT_EQ(fuse[size_t(add)], m.layerIndex("c1x"));
  ASSERT_EQ(p->descriptors.size(), 3u);  // c1, c2, c1x+a: the add's descriptor is gone
  const LayerDescriptor& f = p->descriptors[2];
  EXPECT_TRUE(f.fuseAdd);
  EXPECT_EQ(f.op, EngineOp::Gemm);
  EXPECT_EQ(f.layerIndex, m.layerIndex("c1x"));
  EXPECT_EQ(f.fusedAddIndex, add);
  EXPECT_EQ(f.outputLayerIndex(), add);
  EXPECT_TRUE(f.fusedOutputIsB);
  EXPECT_EQ(f.layerName, "c1x+a");
  EXPECT_TRUE(f.addRelu);
  // the skip (c2's output) and the sum (a's) are placed; the fused conv's own output is not
  EXPECT_EQ(f.in2Base, p->find("c2", TensorKind::Activation)->baseAddress);
  EXPECT_EQ(f.outBase, p->find("a", TensorKind::Activation)->baseAddress);
  EXPECT_EQ(p->find("c1x", TensorKind::Activation), nullptr);
  EXPECT_NE(p->find("c1x", TensorKind::Weight), nullptr);  // weights keep the layer's name
  EXPECT_FALSE(p->descriptors[1].fuseAdd);
  // off: every layer on its own
  LoweringOptions off;
  off.fuseResidualAdd = false;
  auto q = buildProgram(m, config(4, 4), off);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->descriptors.size(), 4u);
  for (const auto& d : q->descriptors) EXPECT_FALSE(d.fuseAdd);
}

TEST(Lowering, ResidualAddDoesNotFuseWhenTheConvOutputHasTwoConsumers) {
  // c2 feeds the add and c3: its output must be stored, so the add stays a layer of its own
  auto m = parse(R"({"name": "c2", "op": "conv2d", "inputs": ["x"], "out_channels": 6,
                     "kernel": [3, 3], "padding": [1, 1, 1, 1]},
                    {"name": "a", "op": "add", "inputs": ["c2", "x"]},
                    {"name": "c3", "op": "conv2d", "inputs": ["c2"], "out_channels": 6, "kernel": [1, 1]},
                    {"name": "b", "op": "add", "inputs": ["a", "c3"]})",
                 R"({"name": "x", "shape": [1, 6, 8, 8]})");
  const std::vector<int> fuse = fusibleAdds(m);
  EXPECT_EQ(fuse[size_t(m.layerIndex("a"))], -1);
  // b's last operand is c3, whose only reader is b: that one fuses
  EXPECT_EQ(fuse[size_t(m.layerIndex("b"))], m.layerIndex("c3"));
  auto p = buildProgram(m, config(4, 4));
  ASSERT_TRUE(p.ok()) << p.error().format();
  ASSERT_EQ(p->descriptors.size(), 3u);  // c2, a, c3+b
  EXPECT_FALSE(p->descriptors[0].fuseAdd);
  EXPECT_EQ(p->descriptors[1].op, EngineOp::Add);
  EXPECT_TRUE(p->descriptors[2].fuseAdd);
  EXPECT_NE(p->find("c2", TensorKind::Activation), nullptr);
}

TEST(Lowering, ResidualAddDoesNotFuseIntoAModelOutputOrANonGemm) {
  // the conv's output is also a model output; the pool is no GEMM
  std::string text = R"({"schema_version": 1, "name": "t", "inputs": [{"name": "x", "shape": [1, 4, 6, 6]}],
      "outputs": ["c", "a", "b"], "layers": [
      {"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 4, "kernel": [1, 1]},
      {"name": "a", "op": "add", "inputs": ["x", "c"]},
      {"name": "p", "op": "maxpool", "inputs": ["x"], "kernel": [1, 1]},
      {"name": "b", "op": "add", "inputs": ["x", "p"]}]})";
  auto m = workload::parseModel(dnnchip::io::Json::parse(text), "t.json");
  ASSERT_TRUE(m.ok()) << m.error().format();
  for (int f : fusibleAdds(*m)) EXPECT_EQ(f, -1);
  auto p = buildProgram(*m, config(4, 4));
  ASSERT_TRUE(p.ok()) << p.error().format();
  for (const auto& d : p->descriptors) EXPECT_FALSE(d.fuseAdd);
}

// Wide gather (docs/engine.md#wide-gather): on an Ultra96-like engine (16x32 WS, double
// buffered, 128-bit port, 36-cycle reads, 8 in flight) ResNet-18's layer1 convolutions (C = 64,
// 4 channel tiles of 16) and the max pool gather several channel tiles per tap; every layer's
// ct_group keeps the run within 255 bytes and ct_group x m_tile within the activation buffer,
// and no layer is estimated slower than with one gather per tile (the choice is by the estimate).
TEST(Lowering, WideGatherWhereTheEstimateGains) {
  auto m = workload::loadModelByName("resnet18");
  ASSERT_TRUE(m.ok());
  EngineConfig cfg = config(16, 32);
  cfg.doubleBuffer = true;
  cfg.axiDataBits = 128;
  cfg.dramReadLatencyCycles = 36;
  cfg.readOutstanding = cfg.writeOutstanding = 8;
  cfg.actBufferWords = 512;
  cfg.accBufferWords = 2048;
  auto wide = buildProgram(*m, cfg);
  LoweringOptions tiles;
  tiles.ctGroup = 1;
  auto narrow = buildProgram(*m, cfg, tiles);
  ASSERT_TRUE(wide.ok() && narrow.ok());
  ASSERT_EQ(wide->descriptors.size(), narrow->descriptors.size());
  const auto ew = estimateCycles(*wide, cfg), en = estimateCycles(*narrow, cfg);
  uint64_t tw = 0, tn = 0;
  for (size_t i = 0; i < ew.size(); ++i) {
    const auto& d = wide->descriptors[i];
    EXPECT_EQ(narrow->descriptors[i].ctGroup, 1u);
    EXPECT_LE(d.ctGroup * d.kChunk, 255u) << d.layerName;
    EXPECT_LE(d.ctGroup * d.mTile, 512u) << d.layerName;
    EXPECT_LE(ew[i].total(), en[i].total()) << d.layerName;
    tw += ew[i].total();
    tn += en[i].total();
    if (d.layerName == "maxpool" || d.layerName == "layer1_0_conv1") {
      EXPECT_GT(d.ctGroup, 1u) << d.layerName;
      EXPECT_LT(ew[i].total(), en[i].total()) << d.layerName;
    }
  }
  EXPECT_LT(tw, tn);
}

TEST(Lowering, CallersMemoHoldsTheEstimatesAndChangesNoProgram) {
  // The lowering's estimates go to the caller's LoweringMemo when one is given (the explore owns
  // one per run; there is no process-wide memo): ResNet-18 on a 16x16 engine with the wide gather
  // fills it, a second lowering with the same memo adds nothing, and all three programs (without
  // a memo, with a cold one, with a warm one) are the same bytes. Checked once with buildProgram
  // ignoring options.memo: the memo stayed empty and the size checks failed.
  auto m = workload::loadModelByName("resnet18");
  ASSERT_TRUE(m.ok());
  EngineConfig cfg = config(16, 16);
  cfg.wideGather = true;
  auto own = buildProgram(*m, cfg);
  ASSERT_TRUE(own.ok()) << own.error().format();
  LoweringMemo memo;
  LoweringOptions o;
  o.memo = &memo;
  auto cold = buildProgram(*m, cfg, o);
  ASSERT_TRUE(cold.ok());
  const size_t held = memo.size();
  EXPECT_GT(held, 10u);
  auto warm = buildProgram(*m, cfg, o);
  ASSERT_TRUE(warm.ok());
  EXPECT_EQ(memo.size(), held);
  EXPECT_EQ(encodeProgram(*own), encodeProgram(*cold));
  EXPECT_EQ(encodeProgram(*own), encodeProgram(*warm));
}

// Fused max pool (docs/engine.md#fused-max-pool): a 3x3/2/pad-1 pool after a conv on an even map
// fuses where the engine has a pool unit, with m_tile whole row pairs and the pool's output; a
// stride-1 pool, an odd map or an engine without the unit keeps two descriptors.
TEST(Lowering, MaxPoolFusesIntoItsConvolution) {
  auto model = [](const std::string& stride, const std::string& shape) {
    return parse(R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 8, "kernel": [3, 3], "padding": [1, 1, 1, 1]},
                    {"name": "mp", "op": "maxpool", "inputs": ["c"], "kernel": [3, 3], "stride": [)" + stride +
                     R"(], "padding": [1, 1, 1, 1]})",
                 R"({"name": "x", "shape": )" + shape + "}");
  };
  EngineConfig cfg = config(4, 4);
  cfg.poolLineWords = 64;
  auto p = buildProgram(model("2, 2", "[1, 8, 12, 10]"), cfg);
  ASSERT_TRUE(p.ok()) << p.error().format();
  ASSERT_EQ(p->descriptors.size(), 1u);
  const auto& d = p->descriptors[0];
  EXPECT_TRUE(d.fusePool);
  EXPECT_EQ(d.mTile % 20, 0u);  // whole pairs of 10-pixel rows
  EXPECT_EQ(d.outputLayerIndex(), 1);
  EXPECT_EQ(d.encode()[23], d.mTile / 4 * 8);  // the store steps over the pool's pixels
  EXPECT_TRUE(p->find("mp", TensorKind::Activation) && !p->find("c", TensorKind::Activation));
  for (auto [stride, shape, words] : {std::tuple{"1, 1", "[1, 8, 12, 10]", 64}, std::tuple{"2, 2", "[1, 8, 11, 10]", 64},
                                      std::tuple{"2, 2", "[1, 8, 12, 10]", 0}, std::tuple{"2, 2", "[1, 8, 12, 10]", 19}}) {
    cfg.poolLineWords = words;  // 19 < 2 output tiles x 10 columns
    auto q = buildProgram(model(stride, shape), cfg);
    ASSERT_TRUE(q.ok()) << q.error().format();
    EXPECT_EQ(q->descriptors.size(), 2u) << stride << " " << shape << " " << words;
  }
}
