// Quantized ONNX models (issue 18): imports the QDQ and QOperator models quantized_models.py writes
// and checks, per conv/fc/add layer, that
//   - the imported int8 weights and int32 biases are the file's own integers, unchanged;
//   - the layer's scales are the file's (not calibrated ones);
//   - the golden model (golden::conv2d/fc/add with the imported mult/shift), run on the layer's
//     input from the independent numpy reference, gives the reference's output within one step,
//     and exactly wherever the exact value x/s is not within 2^-8 of a half-integer (a tie, which
//     ONNX rounds to even and the engine up, and where the 16-bit multiplier's relative error of
//     2^-15 may tip the rounding; docs/quantization.md#models-quantized-with-their-own-scales);
// that every bad_*.onnx (and PyTorch's default, asymmetric quantization) is refused with its one
// diagnostic code, and that a model PyTorch quantized symmetrically imports with its integers.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "dnnchip/golden/ModelRunner.h"
#include "dnnchip/golden/Npy.h"
#include "dnnchip/golden/Ops.h"
#include "dnnchip/io/Json.h"
#include "dnnchip/onnx/Import.h"

namespace dnnchip::onnx {
namespace {

using workload::OpKind;

std::filesystem::path dir() {
  const char* d = std::getenv("DNNCHIP_ONNX_QUANT_DIR");
  return d ? d : "";
}

io::Json manifest() {
  std::ifstream f(dir() / "manifest.json");
  std::stringstream ss;
  ss << f.rdbuf();
  return io::Json::parse(ss.str());
}

golden::Tensor8 npy8(const std::string& name) {
  auto t = golden::readNpyInt8(dir() / name);
  if (!t) ADD_FAILURE() << t.error().format();
  return t ? *t : golden::Tensor8{};
}

class Quantized : public ::testing::TestWithParam<int> {};

TEST_P(Quantized, ModelScalesAndGoldenAgreeWithTheIntegerReference) {
  ASSERT_FALSE(dir().empty()) << "DNNCHIP_ONNX_QUANT_DIR is not set";
  const io::Json m = manifest()["models"][static_cast<size_t>(GetParam())];
  const std::string model = m["model"];
  ImportOptions o;
  o.calibrationInput = dir() / (model.substr(0, model.size() - 5) + ".input.npy");
  auto r = importModel(dir() / model, o);
  ASSERT_TRUE(r) << r.error().format();
  for (auto& [tensor, scale] : m["scales"].items()) {
    ASSERT_TRUE(r->activationScales.count(tensor)) << tensor;
    const double want = static_cast<float>(scale.get<double>());  // the file holds float32
    EXPECT_NEAR(r->activationScales.at(tensor), want, want * 1e-6) << model << ": tensor " << tensor << " is not at the model's scale";
  }
  int64_t compared = 0, exact = 0;
  for (const std::string layer : m["layers"]) {
    SCOPED_TRACE(model + " layer " + layer);
    ASSERT_TRUE(r->quantized.count(layer)) << "no integer parameters";
    const QuantizedLayer& q = r->quantized.at(layer);
    const int li = r->model.layerIndex(layer);
    ASSERT_GE(li, 0);
    const workload::Layer& L = r->model.layers[static_cast<size_t>(li)];
    const golden::Tensor8 in = npy8(layer + ".ref_in.npy"), want = npy8(layer + ".ref_out.npy");
    golden::QuantParams qp{q.mult, q.multB.value_or(0), q.shift, q.relu};
    golden::Tensor8 got;
    if (L.op == OpKind::Add) {
      ASSERT_TRUE(q.multB.has_value());
      got = golden::add(in, npy8(layer + ".ref_in_b.npy"), qp);
    } else {
      const golden::Tensor8 w = npy8(layer + ".ref_w.npy");
      auto b = golden::readNpyInt32(dir() / (layer + ".ref_b.npy"));
      ASSERT_TRUE(b) << b.error().format();
      EXPECT_EQ(q.weight, w.data) << "the imported weights are not the file's integers";
      EXPECT_EQ(q.bias, b->data) << "the imported bias is not the file's integers";
      golden::Tensor8 wq(q.weightShape, q.weight);
      golden::Tensor32 bq({static_cast<int64_t>(q.bias.size())}, q.bias);
      got = L.op == OpKind::Conv2d ? golden::conv2d(in, wq, bq, golden::windowOf(L), qp) : golden::fc(in, wq, bq, qp);
    }
    ASSERT_EQ(got.shape, want.shape);
    const golden::Tensor8 tie = npy8(layer + ".ref_tie.npy");
    ASSERT_EQ(tie.shape, want.shape);
    int maxDiff = 0;
    int64_t layerExact = 0, offTie = 0;
    for (size_t k = 0; k < got.data.size(); ++k) {
      const int d = std::abs(int{got.data[k]} - int{want.data[k]});
      maxDiff = std::max(maxDiff, d);
      layerExact += d == 0;
      offTie += d != 0 && !tie.data[k];
    }
    EXPECT_EQ(offTie, 0) << "outputs differ from the reference away from a rounding tie";
    exact += layerExact;
    std::printf("  %s %s: mult %u%s shift %d, %lld of %zu exact, max difference %d\n", model.c_str(), layer.c_str(), q.mult,
                q.multB ? (" mult_b " + std::to_string(*q.multB)).c_str() : "", q.shift, static_cast<long long>(layerExact),
                got.data.size(), maxDiff);
    compared += static_cast<int64_t>(got.data.size());
    EXPECT_LE(maxDiff, 1) << "the golden model differs from the reference by more than one step";
  }
  std::printf("%s: %lld of %lld outputs bit-exact against the numpy integer reference\n", model.c_str(),
              static_cast<long long>(exact), static_cast<long long>(compared));
}

INSTANTIATE_TEST_SUITE_P(Models, Quantized, ::testing::Values(0, 1));

TEST(QuantizedBad, EachUnrepresentableQuantizationIsOneDiagnostic) {
  ASSERT_FALSE(dir().empty()) << "DNNCHIP_ONNX_QUANT_DIR is not set";
  const io::Json man = manifest();  // kept alive: a range-for over manifest()["bad"] would dangle
  ASSERT_EQ(man["bad"].size(), 12u);
  for (const auto& b : man["bad"]) {
    const std::string model = b["model"];
    ImportOptions o;
    auto r = importModel(dir() / model, o);
    ASSERT_FALSE(r) << model << " imported";
    EXPECT_EQ(r.error().code, b["code"].get<std::string>()) << model << ": " << r.error().format();
    EXPECT_NE(r.error().message.find(b["words"].get<std::string>()), std::string::npos) << model << ": " << r.error().format();
    EXPECT_EQ(r.error().location.file, (dir() / model).string());
  }
}

// A model quantized by PyTorch itself (eager post-training static quantization with symmetric
// observers, exported by torch.onnx: Q -> Cast -> DQ on activations, a bias zero point computed
// as Cast(ConstantOfShape)) imports with PyTorch's own integers and scales.
TEST(QuantizedTorch, SymmetricPtqImportsWithPyTorchsIntegersAndScales) {
  ASSERT_FALSE(dir().empty()) << "DNNCHIP_ONNX_QUANT_DIR is not set";
  const io::Json man = manifest();
  ASSERT_EQ(man["imports"].size(), 1u);
  const io::Json& m = man["imports"][0];
  ASSERT_EQ(m["input_zero_point"].get<int>(), 128) << "the symmetric quint8 observer no longer gives zero point 128";
  auto r = importModel(dir() / m["model"].get<std::string>());
  ASSERT_TRUE(r) << r.error().format();
  EXPECT_EQ(r->quantized.size(), 3u);  // two convs and the residual add
  const auto near = [](double got, double want) { return std::abs(got - want) <= 1e-6 * want; };
  EXPECT_TRUE(near(r->activationScales.at("x"), m["input_scale"].get<double>()));
  for (auto& [layer, want] : m["layers"].items()) {
    SCOPED_TRACE(layer);
    ASSERT_TRUE(r->quantized.count(layer));
    const QuantizedLayer& q = r->quantized.at(layer);
    EXPECT_EQ(q.weight, npy8("torch_sym." + layer + ".torch_w.npy").data) << "the imported weights are not PyTorch's int_repr()";
    EXPECT_TRUE(near(q.weightScale, want["weight_scale"].get<double>())) << q.weightScale;
    EXPECT_TRUE(near(q.outputScale, want["output_scale"].get<double>())) << q.outputScale;
    EXPECT_EQ(want["output_zero_point"].get<int>(), 128);
  }
  // The golden model with the imported parameters against PyTorch's own quantized forward pass
  // (fbgemm), layer by layer on PyTorch's operands: PyTorch rounds acc * M in float (half to
  // even) where the engine uses a 16-bit multiplier and rounds half up, so an output may differ
  // by one step near a tie and nowhere by more.
  int64_t all = 0, allExact = 0;
  for (const std::string layer : m["compared"]) {
    SCOPED_TRACE(layer);
    ASSERT_TRUE(r->quantized.count(layer));
    const QuantizedLayer& q = r->quantized.at(layer);
    const workload::Layer& L = r->model.layers[static_cast<size_t>(r->model.layerIndex(layer))];
    const golden::Tensor8 in = npy8("torch_sym." + layer + ".torch_in.npy"), want = npy8("torch_sym." + layer + ".torch_out.npy");
    golden::QuantParams qp{q.mult, q.multB.value_or(0), q.shift, q.relu};
    golden::Tensor8 got;
    if (L.op == OpKind::Add) {
      ASSERT_EQ(L.inputs.at(0), "c2_Conv");  // PyTorch's add(c2(a), a): the same operand order
      got = golden::add(in, npy8("torch_sym." + layer + ".torch_in_b.npy"), qp);
    } else {
      golden::Tensor8 wq(q.weightShape, q.weight);
      golden::Tensor32 bq({static_cast<int64_t>(q.bias.size())}, q.bias);
      got = golden::conv2d(in, wq, bq, golden::windowOf(L), qp);
    }
    ASSERT_EQ(got.shape, want.shape);
    int maxDiff = 0;
    int64_t exact = 0;
    for (size_t k = 0; k < got.data.size(); ++k) {
      const int d = std::abs(int{got.data[k]} - int{want.data[k]});
      maxDiff = std::max(maxDiff, d);
      exact += d == 0;
    }
    std::printf("  torch_sym %s: %lld of %zu outputs equal to PyTorch's, max difference %d\n", layer.c_str(),
                static_cast<long long>(exact), got.data.size(), maxDiff);
    EXPECT_LE(maxDiff, 1) << "the golden model differs from PyTorch's quantized model by more than one step";
    all += static_cast<int64_t>(got.data.size());
    allExact += exact;
  }
  // Ties are rare with scales computed from data: nearly every output is equal.
  EXPECT_GE(allExact * 100, all * 99) << allExact << " of " << all << " equal";
}

}  // namespace
}  // namespace dnnchip::onnx
