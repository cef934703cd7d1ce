// Activations at int8 (docs/quantization.md#activations): rounding of codes, clamp pairs and
// tables at known points, the error of each activation against its float function within the
// bound the quantization allows (and the figures the documentation quotes), and the golden
// layer applying requantization, clamp and table in that order.

#include "dnnchip/golden/Activation.h"

#include <cmath>
#include <cstdio>

#include <gtest/gtest.h>

#include "dnnchip/golden/ModelRunner.h"

using namespace dnnchip;
using namespace dnnchip::golden;
using workload::ActivationKind;

TEST(Activation, CodesRoundHalfUpAndSaturate) {
  EXPECT_EQ(quantizeCode(2.5), 3);
  EXPECT_EQ(quantizeCode(-2.5), -2);
  EXPECT_EQ(quantizeCode(-2.51), -3);
  EXPECT_EQ(quantizeCode(300.0), 127);
  EXPECT_EQ(quantizeCode(-300.0), -128);
}

TEST(Activation, ClampPairsAreTheBoundsOverTheScale) {
  auto r6 = clampActivation(0.0, 6.0, 0.125);
  EXPECT_EQ(r6.lo, 0);
  EXPECT_EQ(r6.hi, 48);
  auto clip = clampActivation(-1.0, 4.0, 0.125);
  EXPECT_EQ(clip.lo, -8);
  EXPECT_EQ(clip.hi, 32);
  EXPECT_EQ(clampActivation(0.0, 6.0, 6.0 / 127.0).hi, 127);  // 6 at the top of the range
  EXPECT_EQ(clampActivation(0.0, 6.0, 0.01).hi, 127);        // beyond int8: saturates
  EXPECT_TRUE(clip.table.empty());
}

TEST(Activation, TablesAtKnownPoints) {
  const double s = 0.125;
  // sigmoid: s_out = sigmoid(15.875) / 127; sigmoid(0) = 0.5 -> 63.5... rounds half up to 64
  auto sig = activationTable(ActivationKind::Sigmoid, s, 1.0 / 127.0);
  EXPECT_EQ(sig[128], 64);
  EXPECT_EQ(sig[0], 0);     // sigmoid(-16) * 127 = 1.4e-5
  EXPECT_EQ(sig[255], 127);
  auto tanh = activationTable(ActivationKind::Tanh, s, 1.0 / 127.0);
  EXPECT_EQ(tanh[128], 0);
  EXPECT_EQ(tanh[128 + 8], 97);  // tanh(1) * 127 = 96.72
  EXPECT_EQ(tanh[128 - 8], -97); // -96.72 -> -97 (half up only moves exact halves)
  auto hsig = activationTable(ActivationKind::HardSigmoid, s, 1.0 / 127.0);
  EXPECT_EQ(hsig[128 + 24], 127);  // x = 3
  EXPECT_EQ(hsig[128 - 24], 0);    // x = -3
  EXPECT_EQ(hsig[128 + 12], 95);   // x = 1.5: 0.75 * 127 = 95.25
  auto hsw = activationTable(ActivationKind::HardSwish, s, 0.125);
  EXPECT_EQ(hsw[128 + 40], 40);    // x = 5 >= 3: identity
  EXPECT_EQ(hsw[128 - 12], -3);    // x = -1.5: -1.5 * 0.25 = -0.375 -> -3 codes
  EXPECT_EQ(hsw[128 - 40], 0);     // x = -5 <= -3: 0
  auto gelu = activationTable(ActivationKind::Gelu, s, 0.125);
  EXPECT_EQ(gelu[128 + 8], 7);     // gelu(1) = 0.8413 -> 6.73 codes
  auto silu = activationTable(ActivationKind::Silu, s, 0.125);
  EXPECT_EQ(silu[128 + 8], 6);     // silu(1) = 0.7311 -> 5.85 codes
  EXPECT_DOUBLE_EQ(tableOutputScale(ActivationKind::Sigmoid, s), 1.0 / (1.0 + std::exp(-15.875)) / 127.0);
}

// The error against float over the whole input code range is at most half an output LSB for the
// rounding plus the input quantization (half an input LSB) times the function's largest slope.
TEST(Activation, ErrorAgainstFloatIsWithinTheQuantizationBound) {
  struct Case {
    ActivationKind k;
    double slope;  // max |f'|
  };
  const Case cases[] = {{ActivationKind::Relu6, 1.0},      {ActivationKind::Clip, 1.0},
                        {ActivationKind::Sigmoid, 0.25},   {ActivationKind::HardSigmoid, 1.0 / 6.0},
                        {ActivationKind::HardSwish, 1.5},  {ActivationKind::Silu, 1.0998},
                        {ActivationKind::Gelu, 1.1289},    {ActivationKind::Tanh, 1.0}};
  for (double sIn : {0.125, 4.0 / 127.0}) {
    for (const auto& c : cases) {
      const double sOut = usesTable(c.k) ? tableOutputScale(c.k, sIn) : sIn;
      auto e = measureActivationError(c.k, sIn, sOut, 100001, -1.0, 4.0);
      const double bound = 0.5 + c.slope * sIn / 2.0 / sOut;
      std::printf("activation %-12s s_in %.5f s_out %.6f: max %.3f LSB, rms %.3f LSB (bound %.3f)\n",
                  std::string(workload::activationName(c.k)).c_str(), sIn, sOut, e.maxAbs, e.rms, bound);
      EXPECT_LE(e.maxAbs, bound + 1e-9) << workload::activationName(c.k) << " at s_in " << sIn;
      EXPECT_GT(e.maxAbs, 0.0);
    }
  }
}

TEST(Activation, GoldenLayerRequantizesThenClampsThenLooksUp) {
  auto m = workload::parseModel(io::Json::parse(R"({"schema_version": 1, "name": "a",
    "inputs": [{"name": "x", "shape": [1, 2, 3, 3]}],
    "layers": [{"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 3, "kernel": [1, 1], "activation": "hardswish"},
               {"name": "s", "op": "activation", "inputs": ["c"], "function": "relu6"}]})"),
                                "a.json");
  ASSERT_TRUE(m.ok()) << m.error().format();
  auto run = randomRun(*m, 7);
  ASSERT_TRUE(run.ok()) << run.error().format();
  const auto& pc = run->params.layers[0];
  ASSERT_EQ(pc.act.table.size(), 256u);
  EXPECT_EQ(pc.act.table, activationTable(ActivationKind::HardSwish, kRandomActivationScale,
                                          tableOutputScale(ActivationKind::HardSwish, kRandomActivationScale)));
  // conv without activation, then the table by hand
  LayerParams plain = pc;
  plain.act = {};
  workload::Layer L = m->layers[0];
  L.activation = ActivationKind::None;
  auto raw = runLayer(L, {&run->params.inputs.at("x")}, plain);
  ASSERT_TRUE(raw.ok());
  int changed = 0;
  for (size_t i = 0; i < raw->data.size(); ++i) {
    EXPECT_EQ(run->outputs.layers[0].data[i], pc.act.table[size_t(raw->data[i] + 128)]);
    changed += run->outputs.layers[0].data[i] != raw->data[i];
  }
  EXPECT_GT(changed, 0);
  // standalone ReLU6: the clamp pair [0, 48] on the conv's output
  const auto& ps = run->params.layers[1];
  EXPECT_EQ(ps.act.lo, 0);
  EXPECT_EQ(ps.act.hi, 48);
  for (size_t i = 0; i < raw->data.size(); ++i)
    EXPECT_EQ(run->outputs.layers[1].data[i], std::clamp<int8_t>(run->outputs.layers[0].data[i], 0, 48));
}

TEST(Activation, BadClampPairIsAGoldenQuantError) {
  auto m = workload::parseModel(io::Json::parse(R"({"schema_version": 1, "name": "a",
    "inputs": [{"name": "x", "shape": [1, 2, 3, 3]}],
    "layers": [{"name": "s", "op": "activation", "inputs": ["x"], "function": "clip", "min": -1, "max": 1}]})"),
                                "a.json");
  ASSERT_TRUE(m.ok());
  LayerParams p;
  p.act.lo = 5;
  p.act.hi = 4;
  golden::Tensor8 x({1, 2, 3, 3});
  auto r = runLayer(m->layers[0], {&x}, p);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "golden.quant");
}

// (Concat lives beside the activations in the runner: a channel concat copies bytes.)
TEST(ModelRunnerConcat, ChannelConcatCopiesTheInputsInOrder) {
  auto m = workload::parseModel(io::Json::parse(R"({"schema_version": 1, "name": "c",
    "inputs": [{"name": "x", "shape": [2, 3, 2, 2]}],
    "layers": [{"name": "a", "op": "conv2d", "inputs": ["x"], "out_channels": 2, "kernel": [1, 1]},
               {"name": "b", "op": "maxpool", "inputs": ["x"], "kernel": [1, 1]},
               {"name": "cat", "op": "concat", "inputs": ["a", "b"], "axis": 1}]})"),
                                "c.json");
  ASSERT_TRUE(m.ok()) << m.error().format();
  auto run = randomRun(*m, 3);
  ASSERT_TRUE(run.ok()) << run.error().format();
  const auto& a = run->outputs.layers[0];
  const auto& b = run->outputs.layers[1];
  const auto& cat = run->outputs.layers[2];
  ASSERT_EQ(cat.shape, (workload::Shape{2, 5, 2, 2}));
  for (int64_t n = 0; n < 2; ++n)
    for (int64_t c = 0; c < 5; ++c)
      for (int64_t h = 0; h < 2; ++h)
        for (int64_t w = 0; w < 2; ++w)
          EXPECT_EQ(cat.at4(n, c, h, w), c < 2 ? a.at4(n, c, h, w) : b.at4(n, c - 2, h, w));
}
