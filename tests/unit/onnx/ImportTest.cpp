// ONNX importer unit tests on small graphs built here with the ONNX protobuf API: operator
// mapping (conv pads and auto_pad, Gemm, batched MatMul), fusions with their numbers (BN folding,
// ReLU), the LayerNorm and GELU patterns, naming, --skip-unsupported, the weights folder, and one
// test per onnx.* diagnostic on malformed files.

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>

#include <onnx/onnx_pb.h>

#include "TestSupport.h"
#include "dnnchip/golden/Npy.h"
#include "dnnchip/io/Files.h"
#include "dnnchip/onnx/Import.h"

namespace dnnchip::onnx {
namespace {

using workload::ActivationKind;
using workload::OpKind;
using workload::Shape;

// A tiny ModelProto builder.
struct Builder {
  ::onnx::ModelProto m;
  ::onnx::GraphProto* g;
  explicit Builder(int opset = 14) {
    m.set_ir_version(8);
    auto* o = m.add_opset_import();
    o->set_domain("");
    o->set_version(opset);
    g = m.mutable_graph();
    g->set_name("test_graph");
  }
  static void setShape(::onnx::ValueInfoProto* v, const Shape& s) {
    auto* t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(::onnx::TensorProto::FLOAT);
    auto* sh = t->mutable_shape();
    for (int64_t d : s) sh->add_dim()->set_dim_value(d);
  }
  Builder& input(const std::string& name, const Shape& s) {
    auto* v = g->add_input();
    v->set_name(name);
    setShape(v, s);
    return *this;
  }
  // An input whose first dimension is symbolic (`dynamic_axes`), the rest fixed.
  Builder& inputWithBatch(const std::string& name, const std::string& batch, const Shape& rest) {
    auto* v = g->add_input();
    v->set_name(name);
    setShape(v, rest);
    auto* sh = v->mutable_type()->mutable_tensor_type()->mutable_shape();
    sh->add_dim()->set_dim_param(batch);
    for (int k = sh->dim_size() - 1; k > 0; --k) sh->mutable_dim()->SwapElements(k, k - 1);
    return *this;
  }
  Builder& output(const std::string& name) {
    g->add_output()->set_name(name);
    return *this;
  }
  Builder& init(const std::string& name, const Shape& s, std::vector<float> data) {
    auto* t = g->add_initializer();
    t->set_name(name);
    t->set_data_type(::onnx::TensorProto::FLOAT);
    for (int64_t d : s) t->add_dims(d);
    for (float x : data) t->add_float_data(x);
    return *this;
  }
  Builder& initInt(const std::string& name, std::vector<int64_t> data) {
    auto* t = g->add_initializer();
    t->set_name(name);
    t->set_data_type(::onnx::TensorProto::INT64);
    t->add_dims(static_cast<int64_t>(data.size()));
    for (int64_t x : data) t->add_int64_data(x);
    return *this;
  }
  Builder& scalar(const std::string& name, float v) { return init(name, {}, {v}); }
  ::onnx::NodeProto* node(const std::string& op, const std::string& name, std::vector<std::string> ins, std::vector<std::string> outs) {
    auto* n = g->add_node();
    n->set_op_type(op);
    n->set_name(name);
    for (auto& i : ins) n->add_input(i);
    for (auto& o : outs) n->add_output(o);
    return n;
  }
  static void ints(::onnx::NodeProto* n, const std::string& k, std::vector<int64_t> v) {
    auto* a = n->add_attribute();
    a->set_name(k);
    a->set_type(::onnx::AttributeProto::INTS);
    for (int64_t x : v) a->add_ints(x);
  }
  static void i(::onnx::NodeProto* n, const std::string& k, int64_t v) {
    auto* a = n->add_attribute();
    a->set_name(k);
    a->set_type(::onnx::AttributeProto::INT);
    a->set_i(v);
  }
  static void f(::onnx::NodeProto* n, const std::string& k, float v) {
    auto* a = n->add_attribute();
    a->set_name(k);
    a->set_type(::onnx::AttributeProto::FLOAT);
    a->set_f(v);
  }
  static void s(::onnx::NodeProto* n, const std::string& k, const std::string& v) {
    auto* a = n->add_attribute();
    a->set_name(k);
    a->set_type(::onnx::AttributeProto::STRING);
    a->set_s(v);
  }
  std::filesystem::path save(const std::string& tag) {
    auto p = test::tempDir("onnx_" + tag) / (tag + ".onnx");
    std::string bytes;
    m.SerializeToString(&bytes);
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }
};

std::vector<float> ramp(size_t n, float scale, float offset = 0) {
  std::vector<float> v(n);
  for (size_t k = 0; k < n; ++k) v[k] = offset + scale * static_cast<float>((k * 7919) % 23) - scale * 11;
  return v;
}

ImportResult ok(const std::filesystem::path& p, ImportOptions o = {}) {
  auto r = importModel(p, o);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().format());
  return r.ok() ? std::move(*r) : ImportResult{};
}

diag::Diagnostic bad(const std::filesystem::path& p, ImportOptions o = {}) {
  auto r = importModel(p, o);
  EXPECT_FALSE(r.ok());
  return r.ok() ? diag::Diagnostic{} : r.error();
}

// ---- mapping and fusion ---------------------------------------------------------------------------

TEST(OnnxImport, ConvBatchNormReluFoldIntoOneLayerWithTheSameNumbers) {
  const Shape xs{1, 2, 5, 5}, ws{3, 2, 3, 3};
  auto W = ramp(54, 0.05f), B = std::vector<float>{0.1f, -0.2f, 0.3f};
  std::vector<float> gam{1.5f, 0.5f, -1.0f}, bet{0.2f, -0.1f, 0.05f}, mean{0.3f, -0.4f, 0.1f}, var{2.0f, 0.5f, 1.0f};
  Builder b;
  b.input("x", xs).init("W", ws, W).init("B", {3}, B).init("g", {3}, gam).init("be", {3}, bet).init("m", {3}, mean).init("v", {3}, var);
  auto* c = b.node("Conv", "/stem/conv", {"x", "W", "B"}, {"c"});
  Builder::ints(c, "pads", {1, 0, 0, 1});  // asymmetric: top 1, left 0, bottom 0, right 1
  auto* bn = b.node("BatchNormalization", "/stem/bn", {"c", "g", "be", "m", "v"}, {"n"});
  Builder::f(bn, "epsilon", 1e-3f);
  b.node("Relu", "/stem/relu", {"n"}, {"y"});
  b.output("y");
  ImportResult r = ok(b.save("convbn"));
  ASSERT_EQ(r.model.layers.size(), 1u);
  const auto& L = r.model.layers[0];
  EXPECT_EQ(L.name, "stem_conv");
  EXPECT_EQ(L.op, OpKind::Conv2d);
  EXPECT_EQ(L.activation, ActivationKind::Relu);
  EXPECT_TRUE(L.bias);
  EXPECT_EQ(L.padding, (std::array<int64_t, 4>{1, 0, 0, 1}));
  EXPECT_EQ(L.outputShape, (Shape{1, 3, 4, 4}));
  // Reference: conv, then BN, then ReLU computed directly.
  std::vector<float> x = ramp(50, 0.1f, 0.02f);
  auto out = runReference(r, {{"x", x}});
  ASSERT_TRUE(out.ok()) << out.error().format();
  const auto& y = out->at(L.name);
  for (int k = 0; k < 3; ++k)
    for (int p = 0; p < 4; ++p)
      for (int q = 0; q < 4; ++q) {
        double acc = B[k];
        for (int ch = 0; ch < 2; ++ch)
          for (int rr = 0; rr < 3; ++rr)
            for (int ss = 0; ss < 3; ++ss) {
              int h = p + rr - 1, w = q + ss;
              if (h < 0 || h >= 5 || w < 0 || w >= 5) continue;
              acc += W[((k * 2 + ch) * 3 + rr) * 3 + ss] * x[(ch * 5 + h) * 5 + w];
            }
        double want = std::max(0.0, (acc - mean[k]) / std::sqrt(var[k] + 1e-3) * gam[k] + bet[k]);
        EXPECT_NEAR(y[(k * 4 + p) * 4 + q], want, 1e-4) << k << "," << p << "," << q;
      }
  ASSERT_EQ(r.quantized.count(L.name), 1u);
  EXPECT_TRUE(r.quantized.at(L.name).relu);
}

struct PadCase {
  const char* autoPad;
  std::array<int64_t, 4> padding;
  int64_t out;
};
class AutoPad : public ::testing::TestWithParam<PadCase> {};
TEST_P(AutoPad, MatchesOnnxRule) {
  Builder b;
  b.input("x", {1, 4, 6, 6}).input("w", {8, 4, 3, 3});  // a parameter exported without values
  auto* c = b.node("Conv", "conv", {"x", "w"}, {"y"});
  Builder::ints(c, "strides", {2, 2});
  Builder::s(c, "auto_pad", GetParam().autoPad);
  b.output("y");
  ImportResult r = ok(b.save(std::string("autopad_") + GetParam().autoPad));
  ASSERT_EQ(r.model.layers.size(), 1u);
  EXPECT_EQ(r.model.inputs.size(), 1u) << "the weight input is a parameter, not a model input";
  EXPECT_EQ(r.model.layers[0].padding, GetParam().padding);
  EXPECT_EQ(r.model.layers[0].outputShape, (Shape{1, 8, GetParam().out, GetParam().out}));
  EXPECT_FALSE(r.hasWeights);
}
INSTANTIATE_TEST_SUITE_P(Modes, AutoPad,
                         ::testing::Values(PadCase{"SAME_UPPER", {0, 0, 1, 1}, 3}, PadCase{"SAME_LOWER", {1, 1, 0, 0}, 3},
                                           PadCase{"VALID", {0, 0, 0, 0}, 2}));

TEST(OnnxImport, GroupedDilatedConvAndPools) {
  Builder b;
  b.input("x", {1, 8, 16, 16}).init("w", {8, 2, 3, 3}, ramp(144, 0.01f));
  auto* c = b.node("Conv", "dw", {"x", "w"}, {"c"});
  Builder::i(c, "group", 4);
  Builder::ints(c, "dilations", {2, 2});
  Builder::ints(c, "pads", {2, 2, 2, 2});
  auto* mp = b.node("MaxPool", "mp", {"c"}, {"m"});
  Builder::ints(mp, "kernel_shape", {3, 3});
  Builder::ints(mp, "strides", {2, 2});
  Builder::i(mp, "ceil_mode", 1);
  auto* ap = b.node("AveragePool", "ap", {"m"}, {"a"});
  Builder::ints(ap, "kernel_shape", {2, 2});
  Builder::ints(ap, "pads", {1, 1, 1, 1});
  Builder::i(ap, "count_include_pad", 1);
  b.node("GlobalAveragePool", "gap", {"a"}, {"y"});
  b.output("y");
  ImportResult r = ok(b.save("grouped"));
  ASSERT_EQ(r.model.layers.size(), 4u);
  EXPECT_EQ(r.model.layers[0].groups, 4);
  EXPECT_EQ(r.model.layers[0].dilation, (std::array<int64_t, 2>{2, 2}));
  EXPECT_EQ(r.model.layers[0].macs(), 1LL * 8 * 2 * 9 * 16 * 16);
  EXPECT_EQ(r.model.layers[1].outputShape, (Shape{1, 8, 8, 8}));  // ceil((16-3)/2)+1 = 8
  EXPECT_TRUE(r.model.layers[2].countIncludePad);
  EXPECT_EQ(r.model.layers[2].outputShape, (Shape{1, 8, 9, 9}));  // stride defaults to 1: 8 + 2 - 2 + 1
  EXPECT_EQ(r.model.layers[3].op, OpKind::GlobalAvgPool);
}

TEST(OnnxImport, GemmTransBAndAttentionMatMulWithTransposedKey) {
  Builder b;
  b.input("x", {2, 16}).init("w", {8, 16}, ramp(128, 0.02f)).init("c", {8}, ramp(8, 0.1f));
  auto* gm = b.node("Gemm", "fc", {"x", "w", "c"}, {"f"});
  Builder::i(gm, "transB", 1);
  b.input("q", {4, 10, 32}).input("k", {4, 10, 32});
  auto* t = b.node("Transpose", "kT", {"k"}, {"kt"});
  Builder::ints(t, "perm", {0, 2, 1});
  b.node("MatMul", "scores", {"q", "kt"}, {"s"});
  auto* sm = b.node("Softmax", "sm", {"s"}, {"p"});
  Builder::i(sm, "axis", -1);
  b.output("f").output("p");
  ImportResult r = ok(b.save("gemm"));
  const auto* fc = r.model.findLayer("fc");
  ASSERT_TRUE(fc);
  EXPECT_EQ(fc->op, OpKind::Fc);
  EXPECT_EQ(fc->outFeatures, 8);
  EXPECT_EQ(fc->macs(), 2 * 8 * 16);
  const auto* mm = r.model.findLayer("scores");
  ASSERT_TRUE(mm);
  EXPECT_EQ(mm->op, OpKind::MatMul);
  EXPECT_TRUE(mm->transposeB);
  EXPECT_EQ(mm->inputs[1], "k");  // the Transpose is absorbed
  EXPECT_EQ(r.model.findLayer("kT"), nullptr);
  EXPECT_EQ(mm->outputShape, (Shape{4, 10, 10}));
  EXPECT_EQ(mm->loopNest()->bound[workload::G], 4);
  EXPECT_EQ(mm->macs(), 4 * 10 * 10 * 32);
}

// Issue 18: an Einsum that is a matrix product is the MatMul/fc it stands for (MaxViT's attention).
TEST(OnnxImport, EinsumMatrixProductsBecomeMatMulAndFc) {
  Builder b;
  b.input("q", {2, 3, 10, 16}).input("k", {2, 3, 12, 16}).input("v", {2, 3, 12, 8}).init("w", {8, 5}, ramp(40, 0.02f));
  Builder::s(b.node("Einsum", "qk", {"q", "k"}, {"s"}), "equation", "b g i d, b g j d -> b g i j");
  Builder::s(b.node("Einsum", "sv", {"s", "v"}, {"o"}), "equation", "bgij,bgjd->bgid");
  Builder::s(b.node("Einsum", "proj", {"o", "w"}, {"y"}), "equation", "bgid,de->bgie");
  b.output("y");
  ImportResult r = ok(b.save("einsum"));
  const auto* qk = r.model.findLayer("qk");
  ASSERT_TRUE(qk);
  EXPECT_EQ(qk->op, OpKind::MatMul);
  EXPECT_TRUE(qk->transposeB);
  EXPECT_EQ(qk->outputShape, (Shape{2, 3, 10, 12}));
  EXPECT_EQ(qk->macs(), 2 * 3 * 10 * 12 * 16);
  const auto* sv = r.model.findLayer("sv");
  ASSERT_TRUE(sv);
  EXPECT_FALSE(sv->transposeB);
  EXPECT_EQ(sv->outputShape, (Shape{2, 3, 10, 8}));
  const auto* proj = r.model.findLayer("proj");
  ASSERT_TRUE(proj);
  EXPECT_EQ(proj->op, OpKind::Fc);
  EXPECT_EQ(proj->macs(), 2 * 3 * 10 * 8 * 5);
  // Not a matrix product: one diagnostic naming the equation.
  for (const std::string eq : {"bij,bjk->bk", "bij,bjk->bki", "ii,ik->ik", "...ij,...jk->...ik"}) {
    Builder c;
    c.input("a", {2, 4, 4}).input("m", {2, 4, 4});
    Builder::s(c.node("Einsum", "e", {"a", "m"}, {"z"}), "equation", eq);
    c.output("z");
    auto d = bad(c.save("einsum_bad"));
    EXPECT_EQ(d.code, "onnx.unsupported-op") << eq;
    EXPECT_NE(d.message.find("is not a matrix product"), std::string::npos) << eq << ": " << d.format();
  }
}

TEST(OnnxImport, DecomposedLayerNormBecomesOneLayer) {
  Builder b;
  b.input("x", {1, 4, 8}).scalar("two", 2.f).scalar("eps", 1e-5f).init("gam", {8}, ramp(8, 0.1f, 1.f)).init("bet", {8}, ramp(8, 0.05f));
  auto* r1 = b.node("ReduceMean", "/ln/ReduceMean", {"x"}, {"mu"});
  Builder::ints(r1, "axes", {-1});
  b.node("Sub", "/ln/Sub", {"x", "mu"}, {"d"});
  b.node("Pow", "/ln/Pow", {"d", "two"}, {"d2"});
  auto* r2 = b.node("ReduceMean", "/ln/ReduceMean_1", {"d2"}, {"var"});
  Builder::ints(r2, "axes", {-1});
  b.node("Add", "/ln/Add", {"var", "eps"}, {"ve"});
  b.node("Sqrt", "/ln/Sqrt", {"ve"}, {"sd"});
  b.node("Div", "/ln/Div", {"d", "sd"}, {"n"});
  b.node("Mul", "/ln/Mul", {"n", "gam"}, {"ng"});
  b.node("Add", "/ln/Add_1", {"ng", "bet"}, {"y"});
  b.output("y");
  ImportResult r = ok(b.save("ln"));
  ASSERT_EQ(r.model.layers.size(), 1u);
  EXPECT_EQ(r.model.layers[0].op, OpKind::LayerNorm);
  EXPECT_NEAR(r.model.layers[0].epsilon, 1e-5, 1e-9);
  std::vector<float> x = ramp(32, 0.3f);
  auto out = runReference(r, {{"x", x}});
  ASSERT_TRUE(out.ok());
  auto gam = ramp(8, 0.1f, 1.f), bet = ramp(8, 0.05f);
  for (int row = 0; row < 4; ++row) {
    double mu = 0, var = 0;
    for (int e = 0; e < 8; ++e) mu += x[row * 8 + e] / 8.0;
    for (int e = 0; e < 8; ++e) var += (x[row * 8 + e] - mu) * (x[row * 8 + e] - mu) / 8.0;
    for (int e = 0; e < 8; ++e)
      EXPECT_NEAR(out->at(r.model.layers[0].name)[row * 8 + e], (x[row * 8 + e] - mu) / std::sqrt(var + 1e-5) * gam[e] + bet[e], 1e-4);
  }
}

TEST(OnnxImport, ErfGeluFusesIntoTheFcBeforeIt) {
  Builder b;
  b.input("x", {3, 8}).init("w", {8, 4}, ramp(32, 0.1f)).scalar("r2", std::sqrt(2.f)).scalar("one", 1.f).scalar("half", 0.5f);
  b.node("MatMul", "lin", {"x", "w"}, {"h"});
  b.node("Div", "g_div", {"h", "r2"}, {"a"});
  b.node("Erf", "g_erf", {"a"}, {"e"});
  b.node("Add", "g_add", {"e", "one"}, {"e1"});
  b.node("Mul", "g_mul", {"h", "e1"}, {"m"});
  b.node("Mul", "g_half", {"m", "half"}, {"y"});
  b.output("y");
  ImportResult r = ok(b.save("gelu"));
  ASSERT_EQ(r.model.layers.size(), 1u);
  EXPECT_EQ(r.model.layers[0].op, OpKind::Fc);
  EXPECT_EQ(r.model.layers[0].activation, ActivationKind::Gelu);
  EXPECT_EQ(r.model.layers[0].weightElements(), 32);
}

TEST(OnnxImport, ShapeSubgraphFeedingReshapeIsFolded) {
  Builder b;
  b.input("x", {2, 3, 4, 4}).initInt("idx0", {0}).initInt("minus1", {-1});
  b.node("Shape", "shape", {"x"}, {"s"});
  auto* ga = b.node("Gather", "gather", {"s", "idx0"}, {"n"});
  Builder::i(ga, "axis", 0);
  b.node("Concat", "cat", {"n", "minus1"}, {"target"});
  Builder::i(b.g->mutable_node(2), "axis", 0);
  b.node("Reshape", "flat", {"x", "target"}, {"y"});
  b.output("y");
  ImportResult r = ok(b.save("shapechain"));
  ASSERT_EQ(r.model.layers.size(), 1u);
  EXPECT_EQ(r.model.layers[0].op, OpKind::Reshape);
  EXPECT_EQ(r.model.layers[0].outputShape, (Shape{2, 48}));
}

// Issue 18: a channel shuffle as torch 1.13 exports it: the second Reshape's target is computed
// from Shape of the first Reshape's (Transpose's) output, which ONNX shape inference alone leaves
// unknown (its Reshape target is itself computed). Both are folded; the shapes come out exact.
TEST(OnnxImport, ChannelShuffleWithComputedReshapeTargetsIsFolded) {
  Builder b;
  b.input("x", {1, 8, 4, 4}).initInt("i0", {0}).initInt("i2", {2}).initInt("i3", {3}).initInt("groups", {2}).initInt("minus1", {-1});
  b.init("w", {8, 8, 1, 1}, ramp(64, 0.1f));
  b.node("Conv", "conv", {"x", "w"}, {"c"});
  b.node("Shape", "s1", {"c"}, {"s"});
  for (auto [idx, out] : {std::pair{"i0", "n"}, {"i2", "h"}, {"i3", "wd"}}) {
    auto* ga = b.node("Gather", std::string("g_") + out, {"s", idx}, {out});
    Builder::i(ga, "axis", 0);
  }
  auto* c1 = b.node("Concat", "cat1", {"n", "groups", "minus1", "h", "wd"}, {"t1"});
  Builder::i(c1, "axis", 0);
  b.node("Reshape", "r1", {"c", "t1"}, {"a"});
  auto* tr = b.node("Transpose", "tr", {"a"}, {"bT"});
  Builder::ints(tr, "perm", {0, 2, 1, 3, 4});
  b.node("Shape", "s2", {"bT"}, {"s2o"});  // only known once r1's target is folded
  auto* g2 = b.node("Gather", "g_n2", {"s2o", "i0"}, {"n2"});
  Builder::i(g2, "axis", 0);
  auto* c2 = b.node("Concat", "cat2", {"n2", "minus1", "h", "wd"}, {"t2"});
  Builder::i(c2, "axis", 0);
  b.node("Reshape", "r2", {"bT", "t2"}, {"y"});
  b.output("y");
  ImportResult r = ok(b.save("shuffle"));
  ASSERT_EQ(r.model.layers.size(), 4u);
  EXPECT_EQ(r.model.layers[1].op, OpKind::Reshape);
  EXPECT_EQ(r.model.layers[1].outputShape, (Shape{1, 2, 4, 4, 4}));
  EXPECT_EQ(r.model.layers[2].op, OpKind::Transpose);
  EXPECT_EQ(r.model.layers[3].outputShape, (Shape{1, 8, 4, 4}));
  EXPECT_FALSE(r.hasWeights && r.params.count("r1"));  // folded targets are not weights
}

// Issue 18: ReduceMean over the spatial axes (mnasnet's x.mean([2, 3]), SE blocks) is global
// average pooling; keepdims 0 adds a flatten. ReduceMax likewise becomes a whole-map max pool.
TEST(OnnxImport, SpatialReduceMeanAndMaxAreGlobalPooling) {
  for (int opset : {13, 17}) {  // the axes as an input (opset 18) needs a newer libonnx than Debian's
    Builder b(opset);
    b.input("x", {2, 6, 5, 7});
    auto* m = b.node("ReduceMean", "gap", {"x"}, {"a"});
    auto* x = b.node("ReduceMax", "gmp", {"x"}, {"bb"});
    Builder::ints(m, "axes", {-1, -2});
    Builder::ints(x, "axes", {3, 2});
    Builder::i(m, "keepdims", 0);
    b.output("a").output("bb");
    ImportResult r = ok(b.save("reduce" + std::to_string(opset)));
    ASSERT_EQ(r.model.layers.size(), 3u) << opset;
    EXPECT_EQ(r.model.layers[0].op, OpKind::GlobalAvgPool);
    EXPECT_EQ(r.model.layers[1].op, OpKind::Flatten);
    EXPECT_EQ(r.model.layers[1].outputShape, (Shape{2, 6}));
    EXPECT_EQ(r.model.layers[2].op, OpKind::MaxPool);
    EXPECT_EQ(r.model.layers[2].kernel, (std::array<int64_t, 2>{5, 7}));
    EXPECT_EQ(r.model.layers[2].outputShape, (Shape{2, 6, 1, 1}));
  }
  Builder b;  // over the channels: refused, naming the node and its axes
  b.input("x", {1, 6, 5, 7});
  Builder::ints(b.node("ReduceMean", "chan_mean", {"x"}, {"y"}), "axes", {1});
  b.output("y");
  auto d = bad(b.save("reduce_c"));
  EXPECT_EQ(d.code, "onnx.unsupported-op");
  EXPECT_NE(d.message.find("chan_mean"), std::string::npos);
  EXPECT_NE(d.message.find("[1]"), std::string::npos) << d.message;
}

// A dynamic batch fixed by --input-shape; the computed Flatten target follows it.
TEST(OnnxImport, InputShapeFixesASymbolicBatch) {
  Builder b;
  b.inputWithBatch("x", "batch", {3, 4, 4});
  b.initInt("i0", {0}).initInt("minus1", {-1});
  b.init("w", {5, 48}, ramp(240, 0.1f));
  b.node("Shape", "s", {"x"}, {"s"});
  Builder::i(b.node("Gather", "g", {"s", "i0"}, {"n"}), "axis", 0);
  Builder::i(b.node("Concat", "c", {"n", "minus1"}, {"t"}), "axis", 0);
  b.node("Reshape", "flat", {"x", "t"}, {"f"});
  Builder::i(b.node("Gemm", "fc", {"f", "w"}, {"y"}), "transB", 1);
  b.output("y");
  auto p = b.save("dynbatch");
  EXPECT_EQ(bad(p).code, "onnx.shape");  // symbolic without --input-shape
  ImportOptions o;
  o.inputShapes = {{"x", {3, 3, 4, 4}}};
  ImportResult r = ok(p, o);
  ASSERT_EQ(r.model.layers.size(), 2u);
  EXPECT_EQ(r.model.inputs[0].shape, (Shape{3, 3, 4, 4}));
  EXPECT_EQ(r.model.layers[1].outputShape, (Shape{3, 5}));
  EXPECT_EQ(r.model.totalMacs(), 3 * 5 * 48);
  o.inputShapes = {{"", {2, 3, 4, 4}}};  // the only input, unnamed
  EXPECT_EQ(ok(p, o).model.layers[1].outputShape, (Shape{2, 5}));
  for (const InputShapes& wrong : {InputShapes{{"y", {1, 3, 4, 4}}}, InputShapes{{"x", {1, 3, 4}}},
                                   InputShapes{{"x", {1, 3, 5, 4}}}}) {
    o.inputShapes = wrong;
    EXPECT_EQ(bad(p, o).code, "onnx.input-shape");
  }
  auto parsed = parseInputShape("input=2x3,224,224");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->first, "input");
  EXPECT_EQ(parsed->second, (Shape{2, 3, 224, 224}));
  EXPECT_EQ(parseInputShape("1,0,3").error().code, "onnx.input-shape");
  EXPECT_EQ(parseInputShape("a=1,,3").error().code, "onnx.input-shape");
  EXPECT_EQ(parseInputShape("1;3").error().code, "onnx.input-shape");
}

// A shapes-only export lists its parameters as graph inputs with fixed shapes: an unnamed
// --input-shape goes to the one input with a symbolic dimension (ZooTest names it instead).
TEST(OnnxImport, UnnamedInputShapeGoesToTheOneSymbolicInput) {
  Builder b;
  b.inputWithBatch("x", "batch", {4, 6, 6}).input("w", {8, 4, 3, 3}).input("w2", {2, 8, 1, 1});
  b.node("Conv", "conv", {"x", "w"}, {"c"});
  b.node("Conv", "conv2", {"c", "w2"}, {"y"});
  b.output("y");
  auto p = b.save("unnamed_shape");
  ImportOptions o;
  o.inputShapes = {{"", {3, 4, 6, 6}}};
  ImportResult r = ok(p, o);
  ASSERT_EQ(r.model.inputs.size(), 1u);
  EXPECT_EQ(r.model.inputs[0].shape, (Shape{3, 4, 6, 6}));
  EXPECT_EQ(r.model.layers[1].outputShape, (Shape{3, 2, 4, 4}));
  Builder c;  // two symbolic inputs: the name is needed, and the hint lists them first
  c.input("w", {4, 4}).inputWithBatch("a", "batch", {4}).inputWithBatch("b", "batch", {4});
  c.node("MatMul", "fc", {"a", "w"}, {"f"});
  c.node("Add", "add", {"f", "b"}, {"y"});
  c.output("y");
  o.inputShapes = {{"", {2, 4}}};
  auto d = bad(c.save("unnamed_two"), o);
  EXPECT_EQ(d.code, "onnx.input-shape");
  EXPECT_NE(d.hint.find("('a', 'b', 'w')"), std::string::npos) << d.hint;
}

// Zero padding before a Conv or an AveragePool folds into its padding (the average then counts
// the zeros); all-zero pads are dropped; a reflect Pad is refused naming the node.
TEST(OnnxImport, ZeroPadFoldsIntoTheConvOrPoolReadingIt) {
  Builder b;
  b.input("x", {1, 2, 6, 6}).initInt("p", {0, 0, 1, 2, 0, 0, 3, 0}).initInt("z", {0, 0, 0, 0, 0, 0, 0, 0});
  b.init("w", {4, 2, 3, 3}, ramp(72, 0.1f));
  b.node("Pad", "pad", {"x", "p"}, {"xp"});
  b.node("Conv", "conv", {"xp", "w"}, {"c"});
  b.node("Pad", "pad0", {"c", "z"}, {"cz"});
  b.node("Pad", "pad2", {"cz", "p"}, {"cp"});
  auto* ap = b.node("AveragePool", "pool", {"cp"}, {"y"});
  Builder::ints(ap, "kernel_shape", {2, 2});
  b.output("y");
  ImportResult r = ok(b.save("pad"));
  ASSERT_EQ(r.model.layers.size(), 2u);
  EXPECT_EQ(r.model.layers[0].padding, (std::array<int64_t, 4>{1, 2, 3, 0}));
  EXPECT_EQ(r.model.layers[0].outputShape, (Shape{1, 4, 8, 6}));
  EXPECT_EQ(r.model.layers[1].padding, (std::array<int64_t, 4>{1, 2, 3, 0}));
  EXPECT_TRUE(r.model.layers[1].countIncludePad);
  Builder c;
  c.input("x", {1, 2, 6, 6}).initInt("p", {0, 0, 1, 1, 0, 0, 1, 1});
  c.init("w", {4, 2, 3, 3}, ramp(72, 0.1f));
  Builder::s(c.node("Pad", "reflect_pad", {"x", "p"}, {"xp"}), "mode", "reflect");
  c.node("Conv", "conv", {"xp", "w"}, {"y"});
  c.output("y");
  auto d = bad(c.save("pad_reflect"));
  EXPECT_EQ(d.code, "onnx.unsupported-op");
  EXPECT_NE(d.message.find("reflect_pad"), std::string::npos);
}

// DenseNet's BatchNormalization after a Concat: a 1x1 depthwise conv whose weight and bias are
// the BN's per-channel affine (y = x * s + t, s = gamma / sqrt(var + eps), t = beta - mean * s).
TEST(OnnxImport, StandaloneBatchNormIsADepthwiseAffine) {
  Builder b;
  b.input("x", {1, 2, 3, 3}).input("x2", {1, 1, 3, 3});
  b.init("g", {3}, {1.f, 3.f, 0.5f}).init("bt", {3}, {0.f, 1.f, -1.f}).init("mu", {3}, {1.f, 0.f, 2.f}).init("var", {3}, {1.f, 4.f, 0.25f});
  Builder::i(b.node("Concat", "cat", {"x", "x2"}, {"c"}), "axis", 1);
  Builder::f(b.node("BatchNormalization", "bn", {"c", "g", "bt", "mu", "var"}, {"y"}), "epsilon", 0.f);
  b.output("y");
  ImportResult r = ok(b.save("bn_alone"));
  ASSERT_EQ(r.model.layers.size(), 2u);
  const auto& L = r.model.layers[1];
  EXPECT_EQ(L.op, OpKind::Conv2d);
  EXPECT_EQ(L.groups, 3);
  EXPECT_EQ(L.macs(), 27);
  ASSERT_TRUE(r.params.count(L.name));
  EXPECT_EQ(r.params.at(L.name).weight, (std::vector<float>{1.f, 1.5f, 1.f}));
  EXPECT_EQ(r.params.at(L.name).bias, (std::vector<float>{-1.f, 1.f, -3.f}));
}

TEST(OnnxImport, NamesAreSanitizedAndMadeUnique) {
  EXPECT_EQ(sanitizeName("/layer1/layer1.0/conv1/Conv"), "layer1_layer1.0_conv1_Conv");
  EXPECT_EQ(sanitizeName("a b:c"), "a_b_c");
  Builder b;
  b.input("x", {1, 4});
  b.node("Sigmoid", "", {"x"}, {"a"});
  b.node("Tanh", "dup", {"x"}, {"b"});
  b.node("Add", "dup", {"a", "b"}, {"y"});
  b.output("y");
  ImportResult r = ok(b.save("names"));
  ASSERT_EQ(r.model.layers.size(), 3u);
  EXPECT_EQ(r.model.layers[0].name, "sigmoid_0");
  EXPECT_EQ(r.model.layers[1].name, "dup");
  EXPECT_EQ(r.model.layers[2].name, "dup_2");
}

// Issue 18 (MaxViT): a learned tensor exported without values (export_params=False) that is
// broadcast onto a larger activation — a relative-position bias [1, heads, L, L] added to rank-5
// attention scores — is a parameter, not a model input; since no layer adds a constant tensor,
// the import is refused naming the node and the tensor, as it is with the values in the file.
TEST(OnnxImport, ValuelessBroadcastTensorIsAParameterNotAModelInput) {
  for (bool withValues : {false, true}) {
    Builder b;
    b.input("x", {1, 2, 3, 4, 4});
    if (withValues) b.init("rel_bias", {1, 3, 4, 4}, ramp(48, 0.1f));
    else b.input("rel_bias", {1, 3, 4, 4});
    b.node("Relu", "r", {"x"}, {"a"});
    b.node("Add", "attn_bias_add", {"a", "rel_bias"}, {"y"});
    b.output("y");
    auto d = bad(b.save(std::string("relbias") + (withValues ? "_init" : "_input")));
    EXPECT_EQ(d.code, "onnx.unsupported-op") << d.format();
    EXPECT_NE(d.message.find("attn_bias_add"), std::string::npos) << d.message;
    EXPECT_NE(d.message.find("'rel_bias' [1x3x4x4]"), std::string::npos) << d.message;
  }
  // The same after an Einsum (MaxViT's q·kᵀ), whose output shape libonnx 1.12 leaves unknown:
  // the importer completes it, so the bias is still seen to broadcast onto the scores.
  Builder e(13);
  e.input("q", {1, 2, 3, 4, 8}).input("k", {1, 2, 3, 4, 8}).input("rel_bias", {1, 3, 4, 4});
  Builder::s(e.node("Einsum", "scores", {"q", "k"}, {"s"}), "equation", "bghid,bghjd->bghij");
  e.node("Add", "attn_bias_add", {"s", "rel_bias"}, {"y"});
  e.output("y");
  auto d = bad(e.save("relbias_einsum"));
  EXPECT_EQ(d.code, "onnx.unsupported-op") << d.format();
  EXPECT_NE(d.message.find("'rel_bias' [1x3x4x4]"), std::string::npos) << d.message;
  Builder c;  // a second input of the same shape is data: an add of two activations
  c.input("x", {1, 3, 4, 4}).input("x2", {1, 3, 4, 4});
  c.node("Add", "add", {"x", "x2"}, {"y"});
  c.output("y");
  EXPECT_EQ(ok(c.save("two_inputs")).model.inputs.size(), 2u);
}

// ---- unsupported ops ------------------------------------------------------------------------------

TEST(OnnxImport, UnsupportedOpsAreNamedWithTheirNodes) {
  Builder b;
  b.input("x", {1, 8});
  b.node("Abs", "my_abs", {"x"}, {"a"});
  b.node("Relu", "r", {"a"}, {"b"});
  b.node("Neg", "n1", {"b"}, {"c"});  // Neg is folded on constants only: an activation here
  b.node("Abs", "abs_two", {"c"}, {"y"});
  b.output("y");
  auto p = b.save("unsupported");
  auto d = bad(p);
  EXPECT_EQ(d.code, "onnx.unsupported-op");
  EXPECT_NE(d.message.find("Abs"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("my_abs"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("abs_two"), std::string::npos) << d.message;
  EXPECT_NE(d.location.pointer.find("my_abs"), std::string::npos);
  EXPECT_EQ(d.location.file, p.string());
}

// Issue 18: Slice, Resize and Expand on feature maps have no workload layer. A Slice that keeps
// the whole tensor is dropped; any other is refused naming the node and what it takes, and a
// Resize or Expand naming the node, its mode and its shapes.
TEST(OnnxImport, SliceResizeExpandOnMapsAreRefusedByNodeOrDroppedWhenWhole) {
  Builder a(13);
  a.input("x", {1, 4, 6, 6}).initInt("s0", {0}).initInt("big", {std::numeric_limits<int64_t>::max()}).initInt("ax1", {1});
  a.init("w", {2, 4, 1, 1}, ramp(8, 0.1f));
  a.node("Slice", "whole", {"x", "s0", "big", "ax1"}, {"xs"});
  a.node("Conv", "conv", {"xs", "w"}, {"y"});
  a.output("y");
  ImportResult r = ok(a.save("slice_whole"));
  ASSERT_EQ(r.model.layers.size(), 1u);
  EXPECT_EQ(r.model.layers[0].inputs[0], "x");

  Builder b(13);
  b.input("x", {1, 4, 6, 6}).initInt("s0", {0}).initInt("e2", {2}).initInt("ax1", {1});
  b.node("Slice", "chunk", {"x", "s0", "e2", "ax1"}, {"y"});
  b.output("y");
  auto d = bad(b.save("slice_chunk"));
  EXPECT_EQ(d.code, "onnx.unsupported-op");
  EXPECT_NE(d.message.find("'chunk'"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("[0:2] of axis 1 of a 1x4x6x6 tensor (-> 1x2x6x6)"), std::string::npos) << d.message;

  Builder c(13);
  c.input("x", {1, 4, 6, 6}).init("scales", {4}, {1.f, 1.f, 2.f, 2.f}).initInt("to", {3, 4, 6, 6});
  c.node("Resize", "up", {"x", "", "scales"}, {"u"});
  c.node("Expand", "bcast", {"u", "to"}, {"y"});
  c.output("y");
  d = bad(c.save("resize_expand"));
  EXPECT_EQ(d.code, "onnx.unsupported-op");
  EXPECT_NE(d.message.find("Resize (node 'up' nearest 1x4x6x6 -> 1x4x12x12: no workload layer upsamples)"), std::string::npos)
      << d.message;
  EXPECT_NE(d.message.find("Expand (node 'bcast' 1x4x12x12 -> 3x4x12x12"), std::string::npos) << d.message;
}

// ViT's pattern: the class token broadcast (Expand) and, after the encoder, x[:, 0] (a Gather
// from an activation). The one diagnostic names both, so that a user learns everything the model
// lacks in one run; a Gather over a shape (integer) is not listed; a model whose only refused
// node is such a Gather is refused by the lowering as before.
TEST(OnnxImport, ARefusalAlsoNamesEachGatherFromAnActivation) {
  Builder b(13);
  b.input("x", {1, 4, 8}).init("tok", {1, 1, 8}, ramp(8, 0.1f)).initInt("to", {1, 1, 8}).initInt("i0", {0});
  b.node("Expand", "cls", {"tok", "to"}, {"t"});
  Builder::i(b.node("Concat", "cat", {"t", "x"}, {"c"}), "axis", 1);
  b.node("Shape", "shape", {"c"}, {"s"});
  Builder::i(b.node("Gather", "dim0", {"s", "i0"}, {"n"}), "axis", 0);
  Builder::i(b.node("Gather", "first", {"c", "i0"}, {"y"}), "axis", 1);
  b.output("y").output("n");
  auto d = bad(b.save("vit_like"));
  EXPECT_EQ(d.code, "onnx.unsupported-op");
  EXPECT_NE(d.message.find("Expand (node 'cls'"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("Gather (node 'first' axis 1 1x5x8 -> 1x1x8: no workload layer selects part of an activation)"),
            std::string::npos)
      << d.message;
  EXPECT_EQ(d.message.find("dim0"), std::string::npos) << "a Gather over a shape is listed: " << d.message;

  Builder g(13);
  g.input("x", {1, 4, 8}).initInt("i0", {0});
  Builder::i(g.node("Gather", "first", {"x", "i0"}, {"y"}), "axis", 1);
  g.output("y");
  d = bad(g.save("gather_only"));
  EXPECT_EQ(d.code, "onnx.unsupported-op");
  EXPECT_NE(d.message.find("op Gather is only supported on constants"), std::string::npos) << d.message;
}

TEST(OnnxImport, SkipUnsupportedImportsTheRestAndListsWhatWasSkipped) {
  Builder b;
  b.input("x", {1, 8}).init("w", {8, 4}, ramp(32, 0.1f));
  b.node("Abs", "my_abs", {"x"}, {"a"});
  b.node("MatMul", "fc", {"a", "w"}, {"y"});
  b.output("y");
  ImportOptions o;
  o.skipUnsupported = true;
  ImportResult r = ok(b.save("skip"), o);
  ASSERT_EQ(r.model.layers.size(), 1u);
  EXPECT_EQ(r.model.layers[0].inputs[0], "x");
  EXPECT_EQ(r.skipped, (std::vector<std::string>{"Abs my_abs"}));
}

TEST(OnnxImport, SkipIsRefusedWhenTheShapeChanges) {
  Builder b;
  b.input("x", {1, 8}).initInt("reps", {1, 2});
  b.node("Tile", "tile", {"x", "reps"}, {"t"});
  b.node("Relu", "r", {"t"}, {"y"});
  b.output("y");
  ImportOptions o;
  o.skipUnsupported = true;
  auto d = bad(b.save("skipshape"), o);
  EXPECT_EQ(d.code, "onnx.unsupported-op");
  EXPECT_NE(d.message.find("cannot skip"), std::string::npos) << d.message;
}

TEST(OnnxImport, CustomDomainIsUnsupported) {
  Builder b;
  b.input("x", {1, 8});
  b.node("Relu", "r", {"x"}, {"y"})->set_domain("com.example");
  b.output("y");
  EXPECT_EQ(bad(b.save("domain")).code, "onnx.unsupported-op");
}

// ---- weights folder -------------------------------------------------------------------------------

TEST(OnnxImport, WeightsFolderHoldsTheVectorsFormat) {
  Builder b;
  b.input("x", {1, 2, 4, 4}).init("w", {3, 2, 1, 1}, {0.5f, -0.25f, 0.1f, 0.2f, -0.3f, 0.4f}).init("c", {3}, {0.1f, 0.f, -0.1f});
  b.node("Conv", "conv", {"x", "w", "c"}, {"y"});
  b.output("y");
  ImportResult r = ok(b.save("weights"));
  auto dir = test::tempDir("onnx_weights_out");
  ASSERT_TRUE(writeWeights(r, dir).ok());
  auto w = golden::readNpyInt8(dir / "conv.weight.npy");
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->shape, (Shape{3, 2, 1, 1}));
  EXPECT_EQ(w->data[0], 127);  // the largest |w| maps to 127
  EXPECT_EQ(w->data[1], -64);  // -0.25 / (0.5 / 127) = -63.5 -> -64 (round half away from zero)
  auto bias = golden::readNpyInt32(dir / "conv.bias.npy");
  ASSERT_TRUE(bias.ok());
  EXPECT_EQ(bias->shape, (Shape{3}));
  EXPECT_EQ(bias->data[1], 0);
  auto in = golden::readNpyInt8(dir / "conv.input.npy");
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(in->shape, (Shape{1, 2, 4, 4}));
  auto q = io::Json::parse(*io::readTextFile(dir / "conv.quant.json"));
  EXPECT_TRUE(q.contains("mult") && q.contains("shift") && q.contains("relu"));
  EXPECT_EQ(q.size(), 3u);
  EXPECT_GE(q["shift"].get<int>(), 1);
  EXPECT_LE(q["mult"].get<int>(), 65535);
  EXPECT_TRUE(std::filesystem::exists(dir / "calibration.json"));
  // Same seed, same numbers; another seed, another calibration input.
  ImportResult again = ok(b.save("weights"));
  EXPECT_EQ(again.quantized.at("conv").input, r.quantized.at("conv").input);
  ImportOptions o;
  o.seed = 7;
  EXPECT_NE(ok(b.save("weights"), o).quantized.at("conv").input, r.quantized.at("conv").input);
}

TEST(OnnxImport, LoadModelAnyDispatchesOnTheExtension) {
  Builder b;
  b.input("x", {1, 8});
  b.node("Relu", "r", {"x"}, {"y"});
  b.output("y");
  auto m = loadModelAny(b.save("any").string());
  ASSERT_TRUE(m.ok()) << m.error().format();
  EXPECT_EQ(m->layers.size(), 1u);
  auto missing = loadModelAny("no_such_model_anywhere");
  EXPECT_FALSE(missing.ok());
}

// ---- malformed files: one test per diagnostic -------------------------------------------------------

std::filesystem::path writeBytes(const std::string& tag, const std::string& bytes) {
  auto p = test::tempDir("onnx_" + tag) / (tag + ".onnx");
  std::ofstream(p, std::ios::binary) << bytes;
  return p;
}

TEST(OnnxMalformed, EmptyFileIsParseError) { EXPECT_EQ(bad(writeBytes("empty", "")).code, "onnx.parse"); }

TEST(OnnxMalformed, TextFileIsParseError) {
  auto d = bad(writeBytes("text", "this is not an onnx model\n"));
  EXPECT_EQ(d.code, "onnx.parse");
}

TEST(OnnxMalformed, TruncatedFileIsParseError) {
  Builder b;
  b.input("x", {1, 2, 4, 4}).init("w", {3, 2, 3, 3}, ramp(54, 0.1f));
  b.node("Conv", "conv", {"x", "w"}, {"y"});
  b.output("y");
  std::string bytes;
  b.m.SerializeToString(&bytes);
  for (size_t cut : {bytes.size() / 2, bytes.size() - 3, size_t{5}}) {
    auto d = bad(writeBytes("truncated" + std::to_string(cut), bytes.substr(0, cut)));
    EXPECT_EQ(d.code, "onnx.parse") << cut << ": " << d.format();
  }
}

TEST(OnnxMalformed, MissingFileIsIoOpen) { EXPECT_EQ(bad("/nonexistent/model.onnx").code, "io.open"); }

TEST(OnnxMalformed, SymbolicDimensionIsShapeError) {
  Builder b;
  b.inputWithBatch("x", "batch", {8});
  b.node("Relu", "r", {"x"}, {"y"});
  b.output("y");
  auto d = bad(b.save("symbolic"));
  EXPECT_EQ(d.code, "onnx.shape");
  EXPECT_NE(d.message.find("batch"), std::string::npos);
}

// A model with several inputs of open shape: one onnx.shape names every one of them with its
// declared shape (symbolic dimensions by name) and gives the --input-shape of each to fill in, so
// the user learns all of them in one run (issue 18); a shapes-only export's parameters (fixed
// shapes) are not among them.
TEST(OnnxMalformed, EveryOpenInputIsListedWithItsDeclaredShape) {
  Builder b;
  b.inputWithBatch("image", "batch", {3, 6, 6}).input("w", {4, 3, 3, 3});
  b.inputWithBatch("tokens", "seq", {16});
  b.init("wt", {4, 16}, ramp(64, 0.1f));
  b.node("Conv", "conv", {"image", "w"}, {"c"});
  Builder::i(b.node("Gemm", "fc", {"tokens", "wt"}, {"y"}), "transB", 1);
  b.output("c").output("y");
  auto p = b.save("two_open_inputs");
  auto d = bad(p);
  EXPECT_EQ(d.code, "onnx.shape");
  EXPECT_EQ(d.location.file, p.string());
  EXPECT_NE(d.message.find("2 graph inputs have an open shape: 'image' [batch, 3, 6, 6], 'tokens' [seq, 16]"), std::string::npos)
      << d.format();
  EXPECT_EQ(d.message.find("'w'"), std::string::npos) << "a parameter with a fixed shape is listed: " << d.format();
  EXPECT_NE(d.hint.find("--input-shape image=BATCH,3,6,6 --input-shape tokens=SEQ,16"), std::string::npos) << d.format();
  ImportOptions o;  // one given: the other is still named
  o.quantizeWeights = false;  // conv's weight is a parameter without values
  o.inputShapes = {{"image", {2, 3, 6, 6}}};
  d = bad(p, o);
  EXPECT_NE(d.message.find("graph input 'tokens' has a symbolic dimension 'seq' (axis 0) (declared [seq, 16])"), std::string::npos)
      << d.format();
  EXPECT_NE(d.hint.find("--input-shape tokens=SEQ,16"), std::string::npos) << d.format();
  EXPECT_EQ(d.hint.find("image="), std::string::npos) << d.format();
  o.inputShapes["tokens"] = {5, 16};
  ImportResult r = ok(p, o);
  ASSERT_EQ(r.model.inputs.size(), 2u);
  EXPECT_EQ(r.model.inputs[0].shape, (Shape{2, 3, 6, 6}));
  EXPECT_EQ(r.model.inputs[1].shape, (Shape{5, 16}));
}

TEST(OnnxMalformed, ZeroSizedDimensionIsShapeError) {
  Builder b;
  b.input("x", {1, 0, 4});
  b.node("Relu", "r", {"x"}, {"y"});
  b.output("y");
  auto d = bad(b.save("zerodim"));
  EXPECT_EQ(d.code, "onnx.shape");
  EXPECT_NE(d.message.find("zero"), std::string::npos);
}

TEST(OnnxMalformed, CycleIsReportedWithANode) {
  Builder b;
  b.input("x", {1, 8});
  b.node("Add", "loop_add", {"x", "b"}, {"a"});
  b.node("Relu", "loop_relu", {"a"}, {"b"});
  b.output("b");
  auto d = bad(b.save("cycle"));
  EXPECT_EQ(d.code, "onnx.cycle");
  EXPECT_NE(d.location.pointer.find("loop_"), std::string::npos);
}

TEST(OnnxMalformed, UndefinedInputIsDangling) {
  Builder b;
  b.input("x", {1, 8});
  b.node("Add", "add", {"x", "ghost"}, {"y"});
  b.output("y");
  EXPECT_EQ(bad(b.save("dangling")).code, "onnx.dangling");
}

TEST(OnnxMalformed, TensorProducedTwiceIsParseError) {
  Builder b;
  b.input("x", {1, 8});
  b.node("Relu", "r1", {"x"}, {"y"});
  b.node("Sigmoid", "r2", {"x"}, {"y"});
  b.output("y");
  EXPECT_EQ(bad(b.save("twice")).code, "onnx.parse");
}

TEST(OnnxMalformed, BadAutoPadIsBadAttribute) {
  Builder b;
  b.input("x", {1, 2, 4, 4}).init("w", {3, 2, 3, 3}, ramp(54, 0.1f));
  Builder::s(b.node("Conv", "conv", {"x", "w"}, {"y"}), "auto_pad", "SIDEWAYS");
  b.output("y");
  EXPECT_EQ(bad(b.save("autopad_bad")).code, "onnx.bad-attribute");
}

TEST(OnnxMalformed, InitializerWithTooFewValuesIsParseError) {
  Builder b;
  b.input("x", {1, 2, 4, 4}).init("w", {3, 2, 3, 3}, ramp(10, 0.1f));
  b.node("Conv", "conv", {"x", "w"}, {"y"});
  b.output("y");
  EXPECT_EQ(bad(b.save("short_init")).code, "onnx.parse");
}

TEST(OnnxMalformed, GraphWithoutLayersIsEmpty) {
  Builder b;
  b.input("x", {1, 8});
  b.node("Identity", "id", {"x"}, {"y"});
  b.output("y");
  EXPECT_EQ(bad(b.save("nolayers")).code, "onnx.empty");
}

TEST(OnnxMalformed, CalibrationInputOfTheWrongShape) {
  Builder b;
  b.input("x", {1, 2, 4, 4}).init("w", {3, 2, 1, 1}, ramp(6, 0.1f));
  b.node("Conv", "conv", {"x", "w"}, {"y"});
  b.output("y");
  // A float32 .npy of shape (3,).
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }";
  header.append(128 - 10 - header.size() - 1, ' ');
  header += "\n";
  std::string npy = std::string("\x93NUMPY\x01\x00", 8) + static_cast<char>(header.size()) + '\0' + header + std::string(12, '\0');
  auto p = test::tempDir("onnx_calib_npy") / "x.npy";
  std::ofstream(p, std::ios::binary) << npy;
  ImportOptions o;
  o.calibrationInput = p;
  auto d = bad(b.save("calib"), o);
  EXPECT_EQ(d.code, "onnx.calibration");
  EXPECT_NE(d.message.find("1x2x4x4"), std::string::npos) << d.message;
}

// ---- hostile files (issue 13): each once crashed or was accepted with garbage --------------------

// A zero stride reached libonnx's shape inference, which divides by it (SIGFPE).
TEST(OnnxHostile, ZeroStrideIsRefusedBeforeShapeInference) {
  for (const char* attr : {"strides", "dilations", "kernel_shape"}) {
    Builder b;
    b.input("x", {1, 2, 8, 8}).init("w", {3, 2, 3, 3}, ramp(54, 0.1f));
    auto* c = b.node("Conv", "conv", {"x", "w"}, {"y"});
    Builder::ints(c, attr, {0, 1});
    b.output("y");
    auto d = bad(b.save(std::string("zero_") + attr));
    EXPECT_EQ(d.code, "onnx.bad-attribute") << attr;
    EXPECT_NE(d.message.find(attr), std::string::npos) << d.message;
    EXPECT_EQ(d.location.pointer, "node 'conv' (Conv)");
  }
  Builder b;
  b.input("x", {1, 2, 8, 8}).init("w", {3, 2, 3, 3}, ramp(54, 0.1f));
  Builder::i(b.node("Conv", "conv", {"x", "w"}, {"y"}), "group", 0);
  b.output("y");
  EXPECT_EQ(bad(b.save("zero_group")).code, "onnx.bad-attribute");
}

// fuzz_onnx: a Conv without kernel_shape whose weight has a higher rank than its input made
// libonnx 1.12's shape inference index past the input's dimensions (SIGSEGV). kernel_shape is now
// pinned from the weight, which libonnx checks against the input; the model loader then refuses
// the 3-D input. A weight computed by the graph is followed through Identity and Transpose.
TEST(OnnxHostile, ConvWeightOfHigherRankThanTheInput) {
  for (std::vector<int64_t> in : {std::vector<int64_t>{1, 2, 4}, std::vector<int64_t>{1, 2}}) {
    Builder b;
    b.input("x", in).init("w", {3, 2, 3, 3}, ramp(54, 0.1f));
    b.node("Conv", "conv", {"x", "w"}, {"y"});
    b.output("y");
    auto d = bad(b.save("conv_rank" + std::to_string(in.size())));
    EXPECT_EQ(d.code, "model.shape") << d.message;
  }
  Builder b;
  b.input("x", {1, 2, 8, 8}).init("wt", {3, 3, 2, 3}, ramp(54, 0.1f));
  Builder::ints(b.node("Transpose", "t", {"wt"}, {"w"}), "perm", {2, 0, 1, 3});  // -> 2x3x3x3
  b.node("Conv", "conv", {"x", "w"}, {"y"});
  b.output("y");
  auto d = bad(b.save("conv_transposed_weight"));
  EXPECT_NE(d.code, "internal") << d.message;  // a clean diagnostic on the 2-channel weight
}

// A Gemm with one input was read past its input list.
TEST(OnnxHostile, NodeArityIsCheckedAgainstTheSchema) {
  Builder b;
  b.input("x", {1, 8});
  b.node("Gemm", "fc", {"x"}, {"y"});
  b.output("y");
  auto d = bad(b.save("gemm1"));
  EXPECT_EQ(d.code, "onnx.arity");
  EXPECT_NE(d.message.find("2 to 3 inputs"), std::string::npos) << d.message;
  Builder c;
  c.input("x", {1, 8});
  c.node("Relu", "r", {"x"}, {});
  c.output("x");
  EXPECT_EQ(bad(c.save("relu0")).code, "onnx.arity");
}

// Weights that do not fit the activations were read past their end by the float reference pass
// of calibration; `model show` and shapes-only `import` accepted them.
TEST(OnnxHostile, WeightShapesMustFitTheActivations) {
  for (bool quantize : {false, true}) {
    ImportOptions o;
    o.quantizeWeights = quantize;
    Builder conv;
    conv.input("x", {1, 8, 6, 6}).init("w", {4, 2, 3, 3}, ramp(72, 0.1f));  // 2 channels, input has 8
    conv.node("Conv", "conv", {"x", "w"}, {"y"});
    conv.output("y");
    auto d = bad(conv.save("conv_channels"), o);
    EXPECT_EQ(d.code, "onnx.shape") << d.format();
    EXPECT_NE(d.message.find("4x8x3x3"), std::string::npos) << d.message;
    Builder gemm;
    gemm.input("x", {1, 16}).init("w", {4, 3}, ramp(12, 0.1f));  // in 4 (not 16), out 3
    gemm.node("Gemm", "fc", {"x", "w"}, {"y"});
    gemm.output("y");
    EXPECT_EQ(bad(gemm.save("gemm_mismatch"), o).code, "onnx.shape");
  }
}

TEST(OnnxHostile, NonFiniteWeightsAndNegativeVarianceNameTheTensor) {
  auto w = ramp(54, 0.1f);
  w[7] = std::nanf("");
  Builder b;
  b.input("x", {1, 2, 5, 5}).init("W_bad", {3, 2, 3, 3}, w);
  b.node("Conv", "conv", {"x", "W_bad"}, {"y"});
  b.output("y");
  auto d = bad(b.save("nan_weight"));
  EXPECT_EQ(d.code, "onnx.bad-value");
  EXPECT_EQ(d.location.pointer, "initializer 'W_bad'");
  EXPECT_NE(d.message.find("NaN"), std::string::npos) << d.message;
  w[7] = INFINITY;
  Builder inf;
  inf.input("x", {1, 2, 5, 5}).init("W_inf", {3, 2, 3, 3}, w);
  inf.node("Conv", "conv", {"x", "W_inf"}, {"y"});
  inf.output("y");
  EXPECT_EQ(bad(inf.save("inf_weight")).code, "onnx.bad-value");

  Builder bn;
  bn.input("x", {1, 2, 5, 5}).init("W", {3, 2, 3, 3}, ramp(54, 0.1f));
  bn.init("g", {3}, {1, 1, 1}).init("be", {3}, {0, 0, 0}).init("m", {3}, {0, 0, 0}).init("var", {3}, {1, -2, 1});
  bn.node("Conv", "conv", {"x", "W"}, {"c"});
  bn.node("BatchNormalization", "bn", {"c", "g", "be", "m", "var"}, {"y"});
  bn.output("y");
  auto v = bad(bn.save("neg_var"));
  EXPECT_EQ(v.code, "onnx.bad-value");
  EXPECT_EQ(v.location.pointer, "initializer 'var'");
}

// Huge input dimensions ended in error[internal] from a vector allocation in calibration, and
// `import` wrote models (an input dimension of 2^62) that the model loader then rejected.
TEST(OnnxHostile, HugeInputsAreRefusedWithTheLoadersLimits) {
  Builder b;
  b.input("x", {1, int64_t{1} << 62});
  b.init("w", {4, 4}, ramp(16, 0.1f));
  b.node("MatMul", "mm", {"x", "w"}, {"y"});
  b.output("y");
  auto d = bad(b.save("dim62"));
  EXPECT_EQ(d.code, "onnx.shape");
  EXPECT_NE(d.message.find("2^31"), std::string::npos) << d.message;
  Builder many;
  many.input("x", {65536, 65536, 65536, 16}).init("w", {16, 4}, ramp(64, 0.1f));
  many.node("MatMul", "mm", {"x", "w"}, {"y"});
  many.output("y");
  EXPECT_EQ(bad(many.save("count")).code, "onnx.shape");
  // Within the model's limits but beyond what calibration holds in memory.
  Builder big;
  big.input("x", {1, 4, 16384, 16384}).init("w", {4, 4, 1, 1}, ramp(16, 0.1f));
  big.node("Conv", "conv", {"x", "w"}, {"y"});
  big.output("y");
  EXPECT_EQ(bad(big.save("calib_big")).code, "onnx.calibration");
  ImportOptions shapesOnly;
  shapesOnly.quantizeWeights = false;
  EXPECT_TRUE(importModel(big.save("calib_big"), shapesOnly).ok());
}

// A ConstantOfShape of 2^32 elements (each dimension legal) was a 16 GiB allocation.
TEST(OnnxHostile, HugeFoldedConstantIsRefused) {
  Builder b;
  b.input("x", {1, 8}).initInt("shape", {65536, 65536});
  b.node("ConstantOfShape", "fill", {"shape"}, {"z"});
  b.node("Add", "add", {"x", "z"}, {"y"});
  b.output("y");
  auto d = bad(b.save("fold_big"));
  EXPECT_EQ(d.code, "onnx.shape") << d.format();
  EXPECT_EQ(d.location.pointer, "node 'fill' (ConstantOfShape)");
}

// Padding of 70,000 is legal ONNX and within the workload's counts, but a model file holds at most
// 2^16: the import refuses it rather than write a file `model show` would reject.
TEST(OnnxHostile, ImportNeverProducesAModelTheLoaderRejects) {
  Builder b;
  b.input("x", {1, 1, 2, 2}).init("w", {1, 1, 1, 1}, {1.f});
  Builder::ints(b.node("Conv", "conv", {"x", "w"}, {"y"}), "pads", {70000, 70000, 70000, 70000});
  b.output("y");
  ImportOptions shapesOnly;
  shapesOnly.quantizeWeights = false;
  auto d = bad(b.save("bigpad"), shapesOnly);
  EXPECT_EQ(d.code, "value.range");
  EXPECT_NE(d.message.find("/layers/0/padding"), std::string::npos) << d.message;
}

}  // namespace
}  // namespace dnnchip::onnx
