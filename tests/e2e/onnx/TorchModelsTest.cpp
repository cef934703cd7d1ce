// Imports the PyTorch exports written by export_fixtures.py and checks them against independent
// counts: per-module Conv2d/Linear MACs and output shapes from torch forward hooks (and, for the
// transformer, from the attention module's shapes), the published model totals, the fusions
// (no standalone ReLU left, BatchNorm folded), and the float reference forward pass against
// torch's own output for the models exported with weights.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "dnnchip/io/Json.h"
#include "dnnchip/onnx/Import.h"

namespace dnnchip::onnx {
namespace {

using workload::OpKind;

std::filesystem::path fixtures() {
  const char* d = std::getenv("DNNCHIP_ONNX_FIXTURES");
  return d ? d : "";
}

io::Json readJson(const std::filesystem::path& p) {
  std::ifstream f(p);
  std::stringstream ss;
  ss << f.rdbuf();
  return io::Json::parse(ss.str());
}

ImportResult importOrDie(const std::string& file, bool quantize = false) {
  ImportOptions o;
  o.quantizeWeights = quantize;
  auto r = importModel(fixtures() / file, o);
  if (!r) ADD_FAILURE() << r.error().format();
  return r ? std::move(*r) : ImportResult{};
}

// The compute layers' (MACs, output shape) must equal the hooked modules', as multisets.
void expectSameComputeLayers(const ImportResult& r, const io::Json& macs) {
  std::vector<std::pair<int64_t, std::vector<int64_t>>> got, want;
  for (auto& L : r.model.layers)
    if (L.isCompute()) got.push_back({L.macs(), L.op == OpKind::Conv2d ? L.outputShape : std::vector<int64_t>{}});
  for (auto& m : macs["modules"])
    want.push_back({m["macs"].get<int64_t>(), m["kind"] == "conv2d" ? m["out_shape"].get<std::vector<int64_t>>() : std::vector<int64_t>{}});
  std::sort(got.begin(), got.end());
  std::sort(want.begin(), want.end());
  EXPECT_EQ(got, want);
  EXPECT_EQ(r.model.totalMacs(), macs["total_macs"].get<int64_t>());
}

struct Case {
  const char* file;
  const char* name;
  double publishedGMacs;
};

class TorchVision : public ::testing::TestWithParam<Case> {};

TEST_P(TorchVision, ShapesAndMacsMatchTheModulesAndPublishedTotals) {
  ASSERT_FALSE(fixtures().empty()) << "DNNCHIP_ONNX_FIXTURES is not set (run through ctest)";
  const Case c = GetParam();
  ImportResult r = importOrDie(c.file);
  ASSERT_FALSE(r.model.layers.empty());
  expectSameComputeLayers(r, readJson(fixtures() / (std::string(c.name) + ".macs.json")));
  const double g = static_cast<double>(r.model.totalMacs()) / 1e9;
  EXPECT_NEAR(g, c.publishedGMacs, 0.02 * c.publishedGMacs) << c.name;
  // Every ReLU/ReLU6 follows a conv, fc or add with one consumer: none is left standalone.
  for (auto& L : r.model.layers) EXPECT_NE(L.op, OpKind::Activation) << L.name;
  EXPECT_EQ(r.model.inputs.size(), 1u);
  EXPECT_EQ(r.model.inputs[0].shape, (workload::Shape{1, 3, 224, 224}));
  EXPECT_EQ(r.model.outputs.size(), 1u);
  EXPECT_EQ(*r.model.tensorShape(r.model.outputs[0]), (workload::Shape{1, 1000}));
}

INSTANTIATE_TEST_SUITE_P(Models, TorchVision,
                         ::testing::Values(Case{"alexnet.onnx", "alexnet", 0.714}, Case{"vgg16.onnx", "vgg16", 15.47},
                                           Case{"resnet18_w.onnx", "resnet18", 1.82}, Case{"resnet50.onnx", "resnet50", 4.09},
                                           Case{"mobilenet_v2_w.onnx", "mobilenet_v2", 0.30}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(TorchModels, MobileNetV2FusesRelu6AndKeepsDepthwiseGroups) {
  ImportResult r = importOrDie("mobilenet_v2_w.onnx");
  int relu6 = 0, depthwise = 0;
  for (auto& L : r.model.layers) {
    relu6 += L.activation == workload::ActivationKind::Relu6;
    depthwise += L.op == OpKind::Conv2d && L.groups > 1 && L.groups == L.outChannels;
  }
  EXPECT_EQ(relu6, 35);     // 1 stem + 17 blocks x (expand? + depthwise) + final 1x1 conv
  EXPECT_EQ(depthwise, 17);
}

TEST(TorchModels, TransformerEncoderLayerBertBase) {
  ImportResult r = importOrDie("transformer.onnx");
  expectSameComputeLayers(r, readJson(fixtures() / "transformer.macs.json"));
  int fc = 0, matmul = 0, ln = 0, softmax = 0, transposedB = 0;
  for (auto& L : r.model.layers) {
    fc += L.op == OpKind::Fc;
    matmul += L.op == OpKind::MatMul;
    ln += L.op == OpKind::LayerNorm;
    softmax += L.op == OpKind::Softmax;
    transposedB += L.op == OpKind::MatMul && L.transposeB;
    if (L.op == OpKind::MatMul) {
      EXPECT_EQ(L.loopNest()->bound[workload::G], 12) << L.name;
    }
  }
  EXPECT_EQ(fc, 6);  // q, k, v (the in_proj split by its Slices), out_proj, linear1, linear2
  EXPECT_EQ(matmul, 2);
  EXPECT_EQ(transposedB, 1);
  EXPECT_EQ(ln, 2);  // opset 14: both decomposed LayerNorms recognized
  EXPECT_EQ(softmax, 1);
  EXPECT_EQ(*r.model.tensorShape(r.model.outputs[0]), (workload::Shape{1, 128, 768}));
  // 2 x 128 x 768 x 3072 (FFN) + 4 x 128 x 768^2 (projections) + 2 x 12 x 128^2 x 64 (attention)
  EXPECT_EQ(r.model.totalMacs(), 2LL * 128 * 768 * 3072 + 4LL * 128 * 768 * 768 + 2LL * 12 * 128 * 128 * 64);
}

TEST(TorchModels, Opset17LayerNormalizationAndErfGelu) {
  ImportResult r = importOrDie("transformer_gelu17.onnx");
  expectSameComputeLayers(r, readJson(fixtures() / "transformer_gelu17.macs.json"));
  int ln = 0, gelu = 0;
  for (auto& L : r.model.layers) {
    ln += L.op == OpKind::LayerNorm;
    gelu += L.activation == workload::ActivationKind::Gelu && L.op == OpKind::Fc;
    EXPECT_NE(L.op, OpKind::Activation) << L.name;
  }
  EXPECT_EQ(ln, 2);
  EXPECT_EQ(gelu, 1);
}

std::vector<float> readNpyF32(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::string b((std::istreambuf_iterator<char>(f)), {});
  size_t hlen = static_cast<unsigned char>(b[8]) | (static_cast<unsigned char>(b[9]) << 8);
  size_t n = (b.size() - 10 - hlen) / 4;
  std::vector<float> v(n);
  std::memcpy(v.data(), b.data() + 10 + hlen, n * 4);
  return v;
}

class FloatReference : public ::testing::TestWithParam<const char*> {};

TEST_P(FloatReference, MatchesTorchOutput) {
  const std::string name = GetParam();
  ImportResult r = importOrDie(name + "_w.onnx", true);
  ASSERT_TRUE(r.hasWeights);
  auto out = runReference(r, {{r.model.inputs[0].name, readNpyF32(fixtures() / (name + ".input.npy"))}});
  ASSERT_TRUE(out.ok()) << out.error().format();
  const auto& y = out->at(r.model.outputs[0]);
  const auto want = readNpyF32(fixtures() / (name + ".output.npy"));
  ASSERT_EQ(y.size(), want.size());
  double maxErr = 0, maxRef = 0;
  for (size_t k = 0; k < y.size(); ++k) {
    maxErr = std::max(maxErr, std::fabs(static_cast<double>(y[k]) - want[k]));
    maxRef = std::max(maxRef, std::fabs(static_cast<double>(want[k])));
  }
  EXPECT_LT(maxErr, 1e-3 * std::max(1.0, maxRef)) << "max |error| " << maxErr << " of max |y| " << maxRef;
  // Every conv/fc is quantized with valid requantization parameters.
  int compute = 0;
  for (auto& L : r.model.layers) compute += L.op == OpKind::Conv2d || L.op == OpKind::Fc;
  EXPECT_EQ(static_cast<int>(r.quantized.size()), compute);
  for (auto& [n, q] : r.quantized) {
    EXPECT_GE(q.shift, 1);
    EXPECT_LE(q.shift, 31);
    EXPECT_LE(q.mult, 65535u);
    EXPECT_GT(q.mult, 0u) << n;
    EXPECT_EQ(static_cast<int64_t>(q.weight.size()), workload::elementCount(q.weightShape));
  }
}

INSTANTIATE_TEST_SUITE_P(Weights, FloatReference, ::testing::Values("resnet18", "mobilenet_v2"),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace
}  // namespace dnnchip::onnx
