// Whole-model golden runs: seeded determinism, parameters that use the int8 range without
// saturating, agreement of runModel with layer-by-layer ops, and golden.* diagnostics.

#include "dnnchip/golden/ModelRunner.h"
#include "dnnchip/golden/Softmax.h"

#include <cmath>
#include <set>

#include <gtest/gtest.h>

using namespace dnnchip;
using namespace dnnchip::golden;

namespace {
workload::Model parse(const char* text) {
  auto m = workload::parseModel(io::Json::parse(text), "m.json");
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().format());
  return m.ok() ? *m : workload::Model{};
}
const char* kNet = R"({"schema_version": 1, "name": "net",
  "inputs": [{"name": "x", "shape": [1, 3, 9, 9]}],
  "layers": [
    {"name": "c1", "op": "conv2d", "inputs": ["x"], "out_channels": 8, "kernel": [3, 3],
     "padding": [1, 1, 1, 1], "activation": "relu"},
    {"name": "dw", "op": "conv2d", "inputs": ["c1"], "out_channels": 8, "kernel": [3, 3],
     "padding": [1, 1, 1, 1], "groups": 8},
    {"name": "res", "op": "add", "inputs": ["c1", "dw"], "activation": "relu"},
    {"name": "mp", "op": "maxpool", "inputs": ["res"], "kernel": [2, 2]},
    {"name": "ap", "op": "avgpool", "inputs": ["mp"], "kernel": [2, 2], "stride": [1, 1]},
    {"name": "gap", "op": "global_avgpool", "inputs": ["ap"]},
    {"name": "flat", "op": "flatten", "inputs": ["gap"]},
    {"name": "fc", "op": "fc", "inputs": ["flat"], "out_features": 5}
  ]})";
}  // namespace

TEST(ModelRunner, RandomRunIsDeterministicAndUsesTheRange) {
  workload::Model m = parse(kNet);
  auto a = randomRun(m, 42);
  auto b = randomRun(m, 42);
  auto c = randomRun(m, 43);
  ASSERT_TRUE(a.ok()) << a.error().format();
  ASSERT_TRUE(b.ok() && c.ok());
  for (size_t i = 0; i < m.layers.size(); ++i) EXPECT_EQ(a->outputs.layers[i], b->outputs.layers[i]);
  EXPECT_NE(a->outputs.layers[0], c->outputs.layers[0]);
  // Conv outputs spread over int8: few saturate, several distinct values.
  const Tensor8& dw = a->outputs.layers[1];
  int saturated = 0;
  std::set<int> distinct;
  for (int8_t v : dw.data) {
    saturated += (v == 127 || v == -128);
    distinct.insert(v);
  }
  EXPECT_LT(saturated, static_cast<int>(dw.data.size()) / 4);
  EXPECT_GT(distinct.size(), 40u);
  EXPECT_EQ(a->outputs.layers.back().shape, (Shape{1, 5}));
  for (const auto& p : a->params.layers) EXPECT_TRUE(validQuant(p.quant));
}

TEST(ModelRunner, RunModelMatchesOps) {
  workload::Model m = parse(kNet);
  auto r = randomRun(m, 7);
  ASSERT_TRUE(r.ok());
  auto again = runModel(m, r->params);
  ASSERT_TRUE(again.ok()) << again.error().format();
  for (size_t i = 0; i < m.layers.size(); ++i) EXPECT_EQ(again->layers[i], r->outputs.layers[i]) << i;
  // Layer 0 recomputed by hand with the ops.
  const auto& p0 = r->params.layers[0];
  QuantParams q0 = p0.quant;
  q0.relu = true;
  EXPECT_EQ(conv2d(r->params.inputs.at("x"), p0.weight, p0.bias, windowOf(m.layers[0]), q0),
            r->outputs.layers[0]);
  EXPECT_EQ(add(r->outputs.layers[0], r->outputs.layers[1], r->params.layers[2].quant),
            r->outputs.layers[2]);
}

TEST(ModelRunner, DiagnosesUnsupportedAndBadShapes) {
  // a softmax over an axis other than the last is refused (over the last one it runs: below)
  workload::Model sm = parse(R"({"schema_version": 1, "name": "s",
    "inputs": [{"name": "x", "shape": [2, 10]}],
    "layers": [{"name": "sm", "op": "softmax", "inputs": ["x"], "axis": 0}]})");
  auto r = randomRun(sm, 1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "golden.unsupported-op");
  workload::Model m = parse(kNet);
  auto run = randomRun(m, 1);
  ASSERT_TRUE(run.ok());
  ModelParams bad = run->params;
  bad.layers[0].weight.shape = {8, 3, 3, 1};
  EXPECT_EQ(runModel(m, bad).error().code, "golden.shape");
  bad = run->params;
  bad.layers[0].quant.shift = 0;
  EXPECT_EQ(runModel(m, bad).error().code, "golden.quant");
  bad = run->params;
  bad.inputs.clear();
  EXPECT_EQ(runModel(m, bad).error().code, "golden.missing-input");
}

TEST(WeightRange, RandomWeightsAreSymmetricAndMinus128IsRejected) {
  golden::Rng rng(3);
  auto w = golden::randomWeightInt8({64, 64}, rng);
  int lo = 127, hi = -128;
  for (int8_t v : w.data) lo = std::min<int>(lo, v), hi = std::max<int>(hi, v);
  EXPECT_EQ(lo, -127);  // 4096 draws reach both ends, never -128
  EXPECT_EQ(hi, 127);
  EXPECT_TRUE(golden::checkWeightRange(w, "w.npy", "weight of layer 'c'").ok());
  w.data[17] = -128;
  auto st = golden::checkWeightRange(w, "w.npy", "weight of layer 'c'");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "golden.weight-range");
  EXPECT_NE(st.error().message.find("flat index 17"), std::string::npos);
}

// golden::Rng::normal, the one normal draw (ONNX calibration's input, LayerNorm's error
// measurement): N(0, 1) moments and tails over 200,000 draws, consecutive draws (a pair's cos
// and sin) uncorrelated, two next() values per pair (the second draw is kept, not redrawn), and
// the same seed gives the same draws.
TEST(Rng, NormalIsStandardNormalAndTakesTwoDrawsPerPair) {
  golden::Rng rng(2026);
  const int n = 200000;
  double sum = 0, sq = 0, cross = 0, prev = 0;
  int within1 = 0, beyond3 = 0;
  for (int i = 0; i < n; ++i) {
    const double x = rng.normal();
    ASSERT_TRUE(std::isfinite(x));
    sum += x;
    sq += x * x;
    if (i % 2 == 1) cross += x * prev;  // within a pair
    prev = x;
    within1 += std::abs(x) < 1;
    beyond3 += std::abs(x) > 3;
  }
  const double mean = sum / n, var = sq / n - mean * mean;
  EXPECT_NEAR(mean, 0.0, 0.01);               // standard error 0.0022
  EXPECT_NEAR(var, 1.0, 0.015);               // standard error 0.0032
  EXPECT_NEAR(cross / (n / 2), 0.0, 0.015);   // standard error 0.0032
  EXPECT_NEAR(double(within1) / n, 0.6827, 0.005);
  EXPECT_NEAR(double(beyond3) / n, 0.0027, 0.0006);

  golden::Rng a(7), b(7), c(7);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(a.normal(), b.normal());
  for (int i = 0; i < 6; ++i) c.next();  // three pairs: six next() values
  EXPECT_EQ(a.next(), c.next());
}

// Regression: a max pool with a ReLU in its output path (the engine's lower clamp, descriptor bit
// relu) used to be computed without it by the golden model.
TEST(ModelRunner, MaxPoolAppliesItsRelu) {
  auto m = workload::parseModel(io::Json::parse(R"({"schema_version": 1, "name": "p",
    "inputs": [{"name": "x", "shape": [1, 2, 4, 4]}],
    "layers": [{"name": "mp", "op": "maxpool", "inputs": ["x"], "kernel": [2, 2], "stride": [2, 2], "activation": "relu"}]})"),
                                "p.json");
  ASSERT_TRUE(m.ok()) << m.error().format();
  golden::Tensor8 x({1, 2, 4, 4});
  for (size_t i = 0; i < x.data.size(); ++i) x.data[i] = int8_t(int(i % 7) - 10);  // all negative
  auto r = golden::runLayer(m->layers[0], {&x}, golden::LayerParams{});
  ASSERT_TRUE(r.ok()) << r.error().format();
  ASSERT_EQ(r->data.size(), 8u);
  for (int8_t v : r->data) EXPECT_EQ(v, 0);
}

// A softmax layer runs golden::softmax over the last axis with its layer's quant as the rescale;
// random parameters take the rescale of s_in = 1/16 (docs/quantization.md#random-parameters).
TEST(ModelRunner, RunsSoftmaxWithTheLayersRescale) {
  workload::Model sm = parse(R"({"schema_version": 1, "name": "s",
    "inputs": [{"name": "x", "shape": [3, 10]}],
    "layers": [{"name": "sm", "op": "softmax", "inputs": ["x"], "axis": -1}]})");
  auto r = randomRun(sm, 7);
  ASSERT_TRUE(r.ok()) << r.error().format();
  const SoftmaxParams want = softmaxParams(kRandomSoftmaxInScale);
  EXPECT_EQ(r->params.layers[0].quant.mult, want.mult);
  EXPECT_EQ(r->params.layers[0].quant.shift, want.shift);
  EXPECT_EQ(r->outputs.layers[0], softmax(r->params.inputs.at("x"), want));
}
