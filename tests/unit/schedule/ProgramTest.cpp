// buildProgram: lowering of each supported layer kind, exact tile counts with partial last tiles
// (C=5, K=7, 13x11 input on a 4x4 array, direct lowering), the DRAM memory map, weight/bias packing, and the
// codegen.unsupported-op / codegen.buffer-too-small diagnostics.

#include "dnnchip/schedule/Program.h"

#include <gtest/gtest.h>

#include "ModelText.h"

using namespace dnnchip;
using namespace dnnchip::schedule;

namespace {
workload::Model parse(const std::string& layers, const std::string& input) {
  return test::modelFromText(layers, input);
}
EngineConfig smallConfig() {
  EngineConfig c;
  c.rows = 4; c.cols = 4; c.actBufferWords = 64; c.accBufferWords = 128;
  return c;
}
const char* kOddInput = R"({"name": "x", "shape": [1, 5, 13, 11]})";
// The direct lowering's tile arithmetic (the width fold would take these few-channel layers;
// tests/unit/schedule/LoweringTest.cpp covers it).
// no alternative lowering, one gather per channel tile
const LoweringOptions kDirect = [] {
  LoweringOptions o{false, false, true, 1};
  o.foldWindow = false;
  return o;
}();
}  // namespace

TEST(BuildProgram, PartialTilesAreExact) {
  auto m = parse(R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 7,
                     "kernel": [3, 3], "padding": [1, 1, 1, 1]})", kOddInput);
  auto p = buildProgram(m, smallConfig(), kDirect);
  ASSERT_TRUE(p.ok()) << p.error().format();
  ASSERT_EQ(p->descriptors.size(), 1u);
  const auto& d = p->descriptors[0];
  EXPECT_EQ(d.op, EngineOp::Gemm);
  EXPECT_EQ(d.pixels(), 143u);       // 13 x 11 outputs
  EXPECT_EQ(d.mTile, 64u);           // act buffer bound (acc: 128 / 2 regions = 64)
  EXPECT_EQ(d.numMTiles(), 3u);      // 64 + 64 + 15
  EXPECT_EQ(d.kChunk, 4u);
  EXPECT_EQ(d.numCTiles, 2u);        // 4 + 1 channels
  EXPECT_EQ(d.nChunk, 4u);
  EXPECT_EQ(d.numNTiles, 2u);        // 4 + 3 outputs
  EXPECT_EQ(d.numKTiles(), 18u);     // 3 x 3 x 2
  EXPECT_EQ(d.cg, 5u);
  EXPECT_EQ(d.kg, 7u);
  EXPECT_TRUE(d.biasEnable);
  EXPECT_EQ(d.padTop, 1u);
  // Memory map: input, output, weights, bias; 64-byte aligned.
  const auto* x = p->find("x", TensorKind::Activation);
  const auto* out = p->find("c", TensorKind::Activation);
  const auto* w = p->find("c", TensorKind::Weight);
  const auto* b = p->find("c", TensorKind::Bias);
  ASSERT_TRUE(x && out && w && b);
  EXPECT_EQ(x->baseAddress, 0u);
  EXPECT_EQ(x->sizeBytes, 5u * 13 * 11);
  EXPECT_EQ(out->baseAddress, 768u);            // 715 rounded up to 64
  EXPECT_EQ(w->sizeBytes, 9u * 2 * 2 * 4 * 8);  // (r,s,ct,nt) blocks of 4 rows x 8 bytes
  EXPECT_EQ(b->sizeBytes, 2u * 16);             // per nt: 4 x int32, 16 bytes
  EXPECT_EQ(d.inBase, x->baseAddress);
  EXPECT_EQ(d.outBase, out->baseAddress);
  EXPECT_EQ(d.weightBase, w->baseAddress);
  EXPECT_EQ(d.biasBase, b->baseAddress);
  EXPECT_EQ(p->dramBytes % 64, 0u);
}

TEST(BuildProgram, WeightAndBiasPacking) {
  auto m = parse(R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 7,
                     "kernel": [3, 3], "padding": [1, 1, 1, 1]})", kOddInput);
  auto cfg = smallConfig();
  auto p = buildProgram(m, cfg, kDirect);
  ASSERT_TRUE(p.ok());
  const auto& d = p->descriptors[0];
  std::vector<int8_t> w(7 * 5 * 3 * 3);
  for (size_t i = 0; i < w.size(); ++i) w[i] = int8_t(i % 251 - 125);
  auto packed = packWeights(d, cfg, w);
  ASSERT_EQ(packed.size(), weightRegionBytes(d, cfg));
  auto W = [&](int k, int c, int r, int s) { return w[size_t(((k * 5 + c) * 3 + r) * 3 + s)]; };
  // Block (r=1, s=2, ct=1, nt=1) = index ((1*3 + 2)*2 + 1)*2 + 1 = 23; row i = channel 4 + i.
  const size_t blk = 23 * 4 * 8;
  EXPECT_EQ(packed[blk + 0 * 8 + 0], W(4, 4, 1, 2));
  EXPECT_EQ(packed[blk + 0 * 8 + 2], W(6, 4, 1, 2));
  EXPECT_EQ(packed[blk + 0 * 8 + 3], 0);  // output 7 does not exist
  EXPECT_EQ(packed[blk + 1 * 8 + 0], 0);  // channel 5 does not exist
  EXPECT_EQ(packed[blk + 0 * 8 + 4], 0);  // row padding to 8 bytes
  // Block 0 row 3, column 1: W[1][3][0][0].
  EXPECT_EQ(packed[3 * 8 + 1], W(1, 3, 0, 0));
  std::vector<int32_t> bias = {1, -2, 3, -4, 0x12345678, 6, -7};
  auto pb = packBias(d, cfg, bias);
  ASSERT_EQ(pb.size(), 32u);
  EXPECT_EQ(pb[4], 0xFE);                   // -2 little-endian
  EXPECT_EQ(pb[16], 0x78);                  // bias[4] starts the second block
  EXPECT_EQ(pb[19], 0x12);
  EXPECT_EQ(pb[28], 0);                     // lane 3 of block 2: out of range
}

TEST(BuildProgram, LowersEveryLayerKind) {
  auto m = parse(R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 6, "kernel": [3, 3],
                     "stride": [2, 2], "dilation": [2, 2], "groups": 2, "activation": "relu"},
                    {"name": "mp", "op": "maxpool", "inputs": ["c"], "kernel": [2, 2], "stride": [1, 1]},
                    {"name": "ap", "op": "avgpool", "inputs": ["mp"], "kernel": [2, 2], "stride": [1, 1]},
                    {"name": "r", "op": "activation", "inputs": ["ap"], "function": "relu"},
                    {"name": "s", "op": "add", "inputs": ["r", "ap"]},
                    {"name": "g", "op": "global_avgpool", "inputs": ["s"]},
                    {"name": "fl", "op": "flatten", "inputs": ["g"]},
                    {"name": "f", "op": "fc", "inputs": ["fl"], "out_features": 3})",
                 R"({"name": "x", "shape": [1, 4, 13, 11]})");
  auto p = buildProgram(m, smallConfig());
  ASSERT_TRUE(p.ok()) << p.error().format();
  ASSERT_EQ(p->descriptors.size(), 7u);  // flatten aliases its input
  const auto& c = p->descriptors[0];
  EXPECT_EQ(c.groups, 2u);
  EXPECT_EQ(c.cg, 2u);
  EXPECT_EQ(c.kg, 3u);
  EXPECT_EQ(c.kChunk, 2u);
  EXPECT_EQ(c.dilationH, 2u);
  EXPECT_TRUE(c.relu);
  const auto& mp = p->descriptors[1];
  EXPECT_EQ(mp.op, EngineOp::MaxPool);
  EXPECT_EQ(mp.padValue, -128);
  EXPECT_EQ(mp.mult, 2u);
  EXPECT_EQ(mp.shift, 1u);
  const auto& ap = p->descriptors[2];
  EXPECT_EQ(ap.op, EngineOp::AvgPool);
  EXPECT_EQ(ap.shift, 17u);     // 15 + ceil(log2 4)
  EXPECT_EQ(ap.mult, 32768u);   // 2^17 / 4
  const auto& r = p->descriptors[3];
  EXPECT_EQ(r.op, EngineOp::Add);
  EXPECT_EQ(r.in2Base, r.inBase);
  EXPECT_EQ(r.multB, 0u);
  EXPECT_TRUE(r.relu);
  const auto& s = p->descriptors[4];
  EXPECT_EQ(s.kernelR, 2u);
  EXPECT_NE(s.in2Base, s.inBase);
  const auto& g = p->descriptors[5];
  EXPECT_EQ(g.kernelR * g.kernelS, g.inH * g.inW);
  EXPECT_EQ(g.outP * g.outQ, 1u);
  const auto& f = p->descriptors[6];
  EXPECT_EQ(f.op, EngineOp::Gemm);
  EXPECT_EQ(f.inBase, g.outBase);  // reads the flatten's source
  EXPECT_EQ(f.cg, 6u);
  EXPECT_EQ(f.kg, 3u);
  ASSERT_NE(p->find("fl", TensorKind::Activation), nullptr);
  EXPECT_EQ(p->find("fl", TensorKind::Activation)->baseAddress, g.outBase);
}

TEST(BuildProgram, FcAfterSpatialFlattenBecomesConv) {
  auto m = parse(R"({"name": "fl", "op": "flatten", "inputs": ["x"]},
                    {"name": "f", "op": "fc", "inputs": ["fl"], "out_features": 3})",
                 R"({"name": "x", "shape": [2, 3, 4, 5]})");
  auto p = buildProgram(m, smallConfig(), kDirect);
  ASSERT_TRUE(p.ok()) << p.error().format();
  const auto& f = p->descriptors.at(0);
  EXPECT_EQ(f.kernelR, 4u);
  EXPECT_EQ(f.kernelS, 5u);
  EXPECT_EQ(f.cg, 3u);
  EXPECT_EQ(f.outP * f.outQ, 1u);
  EXPECT_EQ(f.batch, 2u);
}

TEST(BuildProgram, UnsupportedOp) {
  auto m = parse(R"({"name": "ln", "op": "layernorm", "inputs": ["x"]})",
                 R"({"name": "x", "shape": [1, 10]})");
  auto p = buildProgram(m, smallConfig());
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, "codegen.unsupported-op");
  EXPECT_EQ(p.error().location.pointer, "/layers/0");
  // a softmax over an NCHW map's last axis is refused; over a matrix's it is one op-6 descriptor
  auto map = parse(R"({"name": "sm", "op": "softmax", "inputs": ["x"], "axis": -1})",
                   R"({"name": "x", "shape": [1, 2, 3, 10]})");
  auto pm = buildProgram(map, smallConfig());
  ASSERT_FALSE(pm.ok());
  EXPECT_EQ(pm.error().code, "codegen.unsupported-op");
  auto sm = parse(R"({"name": "sm", "op": "softmax", "inputs": ["x"], "axis": -1})",
                  R"({"name": "x", "shape": [3, 10]})");
  auto ps = buildProgram(sm, smallConfig());
  ASSERT_TRUE(ps.ok()) << ps.error().format();
  ASSERT_EQ(ps->descriptors.size(), 1u);
  EXPECT_EQ(ps->descriptors[0].op, EngineOp::Softmax);
  EXPECT_EQ(ps->descriptors[0].cg, 10u);
  EXPECT_EQ(ps->descriptors[0].batch, 3u);
  EXPECT_EQ(softmaxWords(*ps), ps->descriptors[0].numCTiles);


  auto big = parse(R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 2, "kernel": [1, 1],
                       "stride": [300, 300]})", R"({"name": "x", "shape": [1, 1, 301, 301]})");
  auto pb = buildProgram(big, smallConfig());
  ASSERT_FALSE(pb.ok());
  EXPECT_EQ(pb.error().code, "codegen.unsupported-op");
}

// The narrow-requantization rule (docs/quantization.md#narrow-requantization) for RQ_W 27:
// (mult, shift) is rewritten exactly up to mult >= 2^15 or shift 31; a scale below the rule's
// threshold (mult 4080 at shift 31: 2 * 2^26 * 4080 = 255 * 2^31 exactly, not above) is refused,
// 4081 passes; adds and max pools are in range whatever their multiplier; RQ_W 32 changes nothing.
TEST(NarrowRequant, RewritesExactlyAndRefusesTooSmallAScale) {
  auto m = parse(R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 4, "kernel": [1, 1]})",
                 R"({"name": "x", "shape": [1, 4, 4, 4]})");
  auto cfg = smallConfig();
  auto p = buildProgram(m, cfg);
  ASSERT_TRUE(p.ok()) << p.error().format();
  auto conv = [&](uint32_t mult, uint32_t shift) {
    Program q = *p;
    setQuant(q.descriptors[0], mult, 0, shift, false);
    return q;
  };
  Program q = conv(300, 12);
  EXPECT_FALSE(narrowRequant(q, cfg).has_value()) << "RQ_W 32: nothing to do";
  EXPECT_EQ(q.descriptors[0].mult, 300u);
  cfg.requantBits = 27;
  ASSERT_FALSE(narrowRequant(q, cfg).has_value());
  EXPECT_EQ(q.descriptors[0].mult, 300u << 7);  // 38400 >= 2^15
  EXPECT_EQ(q.descriptors[0].shift, 19u);
  Program t = conv(4080 >> 4, 27);  // rewritten to 4080 at shift 31: at the threshold, refused
  auto bad = narrowRequant(t, cfg);
  ASSERT_TRUE(bad.has_value());
  EXPECT_EQ(bad->code, "codegen.requant-narrow");
  EXPECT_EQ(bad->location.pointer, "/layers/0");
  Program ok = conv(4081, 31);
  EXPECT_FALSE(narrowRequant(ok, cfg).has_value());
  Program zero = conv(0, 31);
  EXPECT_FALSE(narrowRequant(zero, cfg).has_value());
  Program add = conv(1, 31);
  add.descriptors[0].op = EngineOp::Add;  // a*mA + b*mB < 2^24: in range
  EXPECT_FALSE(narrowRequant(add, cfg).has_value());
  EXPECT_EQ(add.descriptors[0].mult, 1u) << "an add's multiplier is its pre-scale: left alone";
}

TEST(BuildProgram, BufferTooSmall) {
  auto m = parse(R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 64, "kernel": [1, 1]})",
                 R"({"name": "x", "shape": [1, 4, 4, 4]})");
  auto cfg = smallConfig();
  cfg.accBufferWords = 8;  // 16 output tiles of 4 channels need 16 words per pixel
  auto p = buildProgram(m, cfg);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, "codegen.buffer-too-small");
  cfg.accBufferWords = 16;
  auto ok = buildProgram(m, cfg);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->descriptors[0].mTile, 1u);
}

// Activations in the output path (docs/quantization.md#activations): ReLU6/Clip set a clamp pair,
// smooth functions a table that takes the first 256 bytes of the bias region; a standalone one is
// an add descriptor with the identity requantization; the engine's ACT follows the program.
TEST(BuildProgram, ActivationsSetClampPairsAndTables) {
  auto m = parse(R"({"name": "f", "op": "fc", "inputs": ["x"], "out_features": 4, "activation": "gelu"},
                    {"name": "r", "op": "activation", "inputs": ["f"], "function": "relu6"},
                    {"name": "g", "op": "fc", "inputs": ["r"], "out_features": 4, "activation": "clip", "clip_min": -2, "clip_max": 3})",
                 R"({"name": "x", "shape": [1, 10]})");
  auto p = buildProgram(m, smallConfig());
  ASSERT_TRUE(p.ok()) << p.error().format();
  const auto& f = p->descriptors[0];
  EXPECT_TRUE(f.lutEnable);
  EXPECT_FALSE(f.clampEnable);
  EXPECT_EQ(biasRegionBytes(f, smallConfig()), kActivationTableBytes + 16u);
  const auto& r = p->descriptors[1];
  EXPECT_EQ(r.op, EngineOp::Add);
  EXPECT_TRUE(r.clampEnable);
  EXPECT_EQ(r.clampLo, 0);
  EXPECT_FALSE(r.lutEnable);
  EXPECT_EQ(biasRegionBytes(r, smallConfig()), 0u);
  EXPECT_TRUE(p->descriptors[2].clampEnable);
  EXPECT_EQ(activationUnit(*p), 2);
  // the bias blocks follow the table; packTable fills the first 256 bytes
  std::vector<int32_t> bias = {1, 2, 3, 4};
  auto region = packBias(f, smallConfig(), bias);
  ASSERT_EQ(region.size(), kActivationTableBytes + 16u);
  EXPECT_EQ(region[kActivationTableBytes + 4], 2u);
  std::vector<int8_t> table(256);
  for (int e = 0; e < 256; ++e) table[size_t(e)] = int8_t(255 - e);
  region = packTable(f, smallConfig(), table, region);
  EXPECT_EQ(region[0], 255u);
  EXPECT_EQ(region[255], 0u);
  EXPECT_EQ(region[kActivationTableBytes + 4], 2u);
  // setActivation: ReLU's lower bound stays with the pair; no clamp means no pair
  LayerDescriptor d;
  d.relu = true;
  golden::ActivationParams a;
  a.lo = -5;
  a.hi = 40;
  setActivation(d, a);
  EXPECT_TRUE(d.clampEnable);
  EXPECT_EQ(d.clampLo, 0);
  EXPECT_EQ(d.clampHi, 40);
  setActivation(d, golden::ActivationParams{});
  EXPECT_FALSE(d.clampEnable);
  EXPECT_EQ(tableBytes(golden::ActivationParams{})[0], -128);  // identity without a table
}

// MobileNet-v2 (ReLU6 everywhere) used to stop at codegen.unsupported-op.
TEST(BuildProgram, MobileNetV2Lowers) {
  auto m = workload::loadModelByName("mobilenet_v2");
  ASSERT_TRUE(m.ok()) << m.error().format();
  EngineConfig c;
  c.rows = 16; c.cols = 16; c.actBufferWords = 1024; c.accBufferWords = 4096;
  auto p = buildProgram(*m, c);
  ASSERT_TRUE(p.ok()) << p.error().format();
  int clamps = 0;
  for (const auto& d : p->descriptors) clamps += d.clampEnable;
  EXPECT_EQ(clamps, 35);
  EXPECT_EQ(activationUnit(*p), 1);
}

// Concat by placement: each producer stores into the concat's tensor at its channel offset with
// the concat's channel count as the pixel stride; no descriptor copies; inputs that are not
// single-reader layer outputs, or another axis, are codegen.unsupported-op.
TEST(BuildProgram, ConcatByPlacement) {
  auto m = parse(R"({"name": "a", "op": "conv2d", "inputs": ["x"], "out_channels": 3, "kernel": [1, 1]},
                    {"name": "b", "op": "maxpool", "inputs": ["x"], "kernel": [2, 2], "stride": [1, 1], "padding": [0, 0, 1, 1]},
                    {"name": "cat", "op": "concat", "inputs": ["a", "b"], "axis": 1},
                    {"name": "c", "op": "conv2d", "inputs": ["cat"], "out_channels": 2, "kernel": [1, 1]})",
                 R"({"name": "x", "shape": [1, 5, 4, 4]})");
  auto p = buildProgram(m, smallConfig(), kDirect);
  ASSERT_TRUE(p.ok()) << p.error().format();
  ASSERT_EQ(p->descriptors.size(), 3u);
  const auto* cat = p->find("cat", TensorKind::Activation);
  ASSERT_NE(cat, nullptr);
  EXPECT_EQ(cat->sizeBytes, 8u * 16u);
  EXPECT_EQ(p->descriptors[0].outBase, cat->baseAddress);
  EXPECT_EQ(p->descriptors[0].outChannelStride, 8u);
  EXPECT_EQ(p->descriptors[1].outBase, cat->baseAddress + 3);
  EXPECT_EQ(p->descriptors[1].outChannelStride, 8u);
  EXPECT_EQ(p->find("b", TensorKind::Activation)->channelStride, 8u);
  EXPECT_EQ(p->descriptors[2].inBase, cat->baseAddress);
  EXPECT_EQ(p->descriptors[2].inChannelStride, 8u);

  auto fromInput = parse(R"({"name": "a", "op": "conv2d", "inputs": ["x"], "out_channels": 3, "kernel": [1, 1]},
                            {"name": "cat", "op": "concat", "inputs": ["a", "x"], "axis": 1})",
                         R"({"name": "x", "shape": [1, 5, 4, 4]})");
  auto pi = buildProgram(fromInput, smallConfig());
  ASSERT_FALSE(pi.ok());
  EXPECT_EQ(pi.error().code, "codegen.unsupported-op");
  EXPECT_EQ(pi.error().location.pointer, "/layers/1");

  auto twoReaders = parse(R"({"name": "a", "op": "conv2d", "inputs": ["x"], "out_channels": 3, "kernel": [1, 1]},
                             {"name": "b", "op": "conv2d", "inputs": ["x"], "out_channels": 3, "kernel": [1, 1]},
                             {"name": "cat", "op": "concat", "inputs": ["a", "b"], "axis": 1},
                             {"name": "r", "op": "activation", "inputs": ["a"], "function": "relu"})",
                          R"({"name": "x", "shape": [1, 5, 4, 4]})");
  EXPECT_FALSE(buildProgram(twoReaders, smallConfig()).ok());

  auto height = parse(R"({"name": "a", "op": "conv2d", "inputs": ["x"], "out_channels": 3, "kernel": [1, 1]},
                         {"name": "b", "op": "conv2d", "inputs": ["x"], "out_channels": 3, "kernel": [1, 1]},
                         {"name": "cat", "op": "concat", "inputs": ["a", "b"], "axis": 2})",
                      R"({"name": "x", "shape": [1, 5, 4, 4]})");
  auto ph = buildProgram(height, smallConfig());
  ASSERT_FALSE(ph.ok());
  EXPECT_EQ(ph.error().code, "codegen.unsupported-op");
}

// Each Mul the engine cannot run is refused with codegen.unsupported-op at its layer, naming why:
// no residual_add in the engine, an activation other than ReLU in its output path, operand shapes
// that are neither equal nor a per-channel scale, a per-channel scale on a batch, and a Mul of two
// maps writing into a concat (its skip is read at the store's addresses).
TEST(BuildProgram, MulRefusalsNameTheLimit) {
  const std::string two = R"({"name": "x", "shape": [1, 4, 4, 4]}, {"name": "y", "shape": [1, 4, 4, 4]})";
  auto refused = [](const workload::Model& m, const EngineConfig& c, const std::string& why) {
    auto p = buildProgram(m, c);
    ASSERT_FALSE(p.ok()) << why;
    EXPECT_EQ(p.error().code, "codegen.unsupported-op");
    EXPECT_NE(p.error().message.find(why), std::string::npos) << p.error().format();
  };
  const std::string mul = R"({"name": "m", "op": "mul", "inputs": ["x", "y"]})";
  ASSERT_TRUE(buildProgram(parse(mul, two), smallConfig()).ok());  // the plain case runs

  EngineConfig noAdd = smallConfig();
  noAdd.fuseResidualAdd = false;
  refused(parse(mul, two), noAdd, "needs residual_add");
  refused(parse(R"({"name": "m", "op": "mul", "inputs": ["x", "y"], "activation": "sigmoid"})", two),
          smallConfig(), "ends in ReLU at most");
  refused(parse(mul, R"({"name": "x", "shape": [1, 4, 4, 4]}, {"name": "y", "shape": [1, 1, 4, 4]})"),
          smallConfig(), "the engine multiplies tensors of one shape");
  refused(parse(mul, R"({"name": "x", "shape": [2, 4, 4, 4]}, {"name": "y", "shape": [2, 4, 1, 1]})"),
          smallConfig(), "the broadcast read covers one image");
  refused(parse(R"({"name": "m", "op": "mul", "inputs": ["x", "y"]},
                   {"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 4, "kernel": [1, 1]},
                   {"name": "cat", "op": "concat", "inputs": ["m", "c"], "axis": 1})", two),
          smallConfig(), "writes into a concat");
}

// docs/engine.md#transpose: a matrix transpose is a GEMM over the input read as L rows x D
// columns x 1 channel with an L x 1 kernel of identity weights (packed here, the layer has none)
// and the identity requantization; an NCHW map, a perm that keeps the matrix, or more than 255
// rows are refused with codegen.unsupported-op naming the limit.
TEST(BuildProgram, TransposeIsAnIdentityGemmOverTheRows) {
  auto m = parse(R"({"name": "t", "op": "transpose", "inputs": ["x"], "perm": [0, 2, 1]})",
                 R"({"name": "x", "shape": [1, 6, 9]})");
  auto p = buildProgram(m, smallConfig());
  ASSERT_TRUE(p.ok()) << p.error().format();
  ASSERT_EQ(p->descriptors.size(), 1u);
  const LayerDescriptor& d = p->descriptors[0];
  EXPECT_EQ(d.op, EngineOp::Gemm);
  EXPECT_EQ(d.lowering, WeightLowering::Identity);
  EXPECT_EQ(d.inH, 6u); EXPECT_EQ(d.inW, 9u); EXPECT_EQ(d.outP, 1u); EXPECT_EQ(d.outQ, 9u);
  EXPECT_EQ(d.cg, 1u); EXPECT_EQ(d.kg, 6u); EXPECT_EQ(d.inChannelStride, 1u); EXPECT_EQ(d.outChannelStride, 6u);
  EXPECT_EQ(d.kernelR, 6u); EXPECT_EQ(d.kernelS, 1u);
  EXPECT_EQ(d.numNTiles, 2u);  // 6 output channels on 4 columns
  EXPECT_EQ(d.mult, 2u); EXPECT_EQ(d.shift, 1u);
  EXPECT_FALSE(d.biasEnable);
  // weights: block (r, nt) row 0 holds a 1 in column k - nt*4 for k = r, nothing else
  const auto w = packWeights(d, smallConfig(), {});
  const uint32_t rb = 8;  // ROW_BYTES: 4 columns on a 64-bit port
  ASSERT_EQ(w.size(), size_t(6 * 2 * rb));
  for (uint32_t r = 0; r < 6; ++r)
    for (uint32_t nt = 0; nt < 2; ++nt)
      for (uint32_t j = 0; j < rb; ++j)
        EXPECT_EQ(w[(r * 2 + nt) * rb + j], (j < 4 && nt * 4 + j == r) ? 1 : 0) << r << " " << nt << " " << j;

  for (auto [layers, input, what] : std::initializer_list<std::tuple<const char*, const char*, const char*>>{
           {R"({"name": "t", "op": "transpose", "inputs": ["x"], "perm": [0, 1, 3, 2]})",
            R"({"name": "x", "shape": [1, 2, 3, 4]})", "an NCHW map"},
           {R"({"name": "t", "op": "transpose", "inputs": ["x"], "perm": [1, 0, 2]})",
            R"({"name": "x", "shape": [2, 3, 4]})", "the two axes of a matrix"},
           {R"({"name": "t", "op": "transpose", "inputs": ["x"], "perm": [1, 0]})",
            R"({"name": "x", "shape": [256, 4]})", "at most 255"}}) {
    auto bad = buildProgram(parse(layers, input), smallConfig());
    ASSERT_FALSE(bad.ok()) << what;
    EXPECT_EQ(bad.error().code, "codegen.unsupported-op");
    EXPECT_NE(bad.error().message.find(what), std::string::npos) << bad.error().message;
  }
}

// docs/engine.md#matmul: a MatMul of two activations is its GEMM after one packing descriptor per
// output tile, which writes B's bytes as the GEMM's weight blocks: M tiles of k_chunk pixels at a
// store step of n_ntiles * k_chunk * ROW_BYTES, into the MatMul's weight region.
TEST(BuildProgram, MatMulPacksItsSecondOperandIntoWeightBlocks) {
  auto m = parse(R"({"name": "k", "op": "fc", "inputs": ["x"], "out_features": 10},
                    {"name": "s", "op": "matmul", "inputs": ["x", "k"], "transpose_b": true},
                    {"name": "o", "op": "matmul", "inputs": ["s", "x"]})",
                 R"({"name": "x", "shape": [9, 10]})");
  auto p = buildProgram(m, smallConfig());
  ASSERT_TRUE(p.ok()) << p.error().format();
  ASSERT_EQ(p->descriptors.size(), 1u + 3 + 1 + 3 + 1);
  const LayerDescriptor& s = p->descriptors[4];
  EXPECT_FALSE(s.packsWeights);
  EXPECT_EQ(s.numNTiles, 3u);  // 9 outputs on 4 columns
  EXPECT_EQ(s.numCTiles, 3u);  // 10 reduction channels on 4 rows
  const uint32_t rb = 8;
  for (uint32_t nt = 0; nt < 3; ++nt) {
    const LayerDescriptor& q = p->descriptors[1 + nt];
    EXPECT_TRUE(q.packsWeights);
    EXPECT_EQ(q.lowering, WeightLowering::Identity);
    EXPECT_EQ(q.mTile, 4u);
    EXPECT_EQ(q.storeTileStride, 3 * 4 * rb);
    EXPECT_EQ(q.encode()[23], 3 * 4 * rb);
    EXPECT_EQ(q.outBase, s.weightBase + nt * 4 * rb);
    EXPECT_EQ(q.kernelR, nt < 2 ? 4u : 1u);  // rows of k^T per output tile: 4, 4, 1
    EXPECT_EQ(q.inBase, p->find("k", TensorKind::Activation)->baseAddress + nt * 4 * 10);
    EXPECT_TRUE(LayerDescriptor::decode(q.encode()).sameFields(q));
  }
  const LayerDescriptor& o0 = p->descriptors[5];  // B = x [9, 10] not transposed: 1x1 copies of 4 columns
  EXPECT_EQ(o0.cg, 4u);
  EXPECT_EQ(o0.inChannelStride, 10u);
  EXPECT_EQ(o0.inBase, p->find("x", TensorKind::Activation)->baseAddress);
  EXPECT_EQ(p->descriptors[7].cg, 2u);  // the last tile's 2 columns
  EXPECT_EQ(p->descriptors[7].inBase, p->find("x", TensorKind::Activation)->baseAddress + 8);
}

// An engine with narrow AXI addresses (the iCE40 top: 17 bits) refuses a memory image beyond
// them (codegen.memory-too-large); the same model at 32 bits lowers. The 1x64x64x64 input and
// its pooled output take 320 KiB, beyond 16 bits' 64 KiB; at 16 bits a 1x4x8x8 map fits.
TEST(BuildProgram, MemoryImageBeyondTheAddressBitsIsRefused) {
  auto big = parse(R"({"name": "p", "op": "maxpool", "inputs": ["x"], "kernel": [2, 2], "stride": [2, 2]})", R"({"name": "x", "shape": [1, 64, 64, 64]})");
  auto cfg = smallConfig();
  ASSERT_TRUE(buildProgram(big, cfg).ok());
  cfg.axiAddrBits = 16;
  auto p = buildProgram(big, cfg);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, "codegen.memory-too-large");
  auto small = parse(R"({"name": "p", "op": "maxpool", "inputs": ["x"], "kernel": [2, 2], "stride": [2, 2]})", R"({"name": "x", "shape": [1, 4, 8, 8]})");
  EXPECT_TRUE(buildProgram(small, cfg).ok());
}
