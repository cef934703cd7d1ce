// The built-in models in designs/models/: each loads by name and infers its shapes; every compute
// layer's MACs, weights and output shape equal an independent computation written here from the
// architecture's own description (stage tables, output-size formula); totals equal the published
// figures (Krizhevsky AlexNet, torchvision VGG-16 / ResNet / MobileNet-V2 tables, BERT-base).
// The expected layers are generated from the papers' tables, not read from the JSON, so a wrong
// kernel, stride, padding, group count or a missing block in the data fails here.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "dnnchip/io/DataPaths.h"
#include "dnnchip/workload/Model.h"

using namespace dnnchip;
using namespace dnnchip::workload;

namespace {

// ---- the independent reference -----------------------------------------------------------------

/// A convolution as the architecture describes it (square kernel, symmetric padding).
struct ConvSpec {
  std::string name;
  int64_t inChannels, outChannels, kernel, stride, pad, groups, inSize;
  std::string from = {};  ///< the tensor it reads, where the wiring is not a plain chain
  int64_t outSize() const { return (inSize + 2 * pad - kernel) / stride + 1; }
  int64_t macs() const { return outChannels * outSize() * outSize() * (inChannels / groups) * kernel * kernel; }
  int64_t weights() const { return outChannels * (inChannels / groups) * kernel * kernel; }
};

/// A fully connected layer: `rows` vectors of `in` features to `out` features.
struct FcSpec {
  std::string name;
  int64_t rows, in, out;
  int64_t macs() const { return rows * in * out; }
  int64_t weights() const { return in * out; }
};

/// A batched matmul [batch, M, K] x [batch, K, N] of two named tensors.
struct MatMulSpec {
  std::string name;
  int64_t batch, m, k, n;
  std::string a, b;
  int64_t macs() const { return batch * m * k * n; }
};

struct Reference {
  std::vector<ConvSpec> convs;
  std::vector<FcSpec> fcs;
  std::vector<MatMulSpec> matmuls;
  /// Residual adds: name -> the two tensors added (in either order).
  std::map<std::string, std::pair<std::string, std::string>> adds;
  int64_t macs() const {
    int64_t t = 0;
    for (auto& c : convs) t += c.macs();
    for (auto& f : fcs) t += f.macs();
    for (auto& m : matmuls) t += m.macs();
    return t;
  }
  int64_t convMacs() const {
    int64_t t = 0;
    for (auto& c : convs) t += c.macs();
    return t;
  }
};

Model load(const std::string& name) {
  auto m = loadModelByName(name);
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().format());
  return m.ok() ? *m : Model{};
}

/// Every compute layer of `m` is one of the reference's layers (same name) and agrees with it in
/// MACs, weights, bias and output shape; no reference layer is missing.
void expectMatches(const Model& m, const Reference& ref, bool convBias) {
  std::set<std::string> expected;
  for (auto& c : ref.convs) {
    expected.insert(c.name);
    const Layer* L = m.findLayer(c.name);
    ASSERT_NE(L, nullptr) << m.name << ": missing conv " << c.name;
    ASSERT_EQ(L->op, OpKind::Conv2d) << c.name;
    EXPECT_EQ(L->outputShape, (Shape{1, c.outChannels, c.outSize(), c.outSize()})) << c.name;
    EXPECT_EQ(L->inputShapes.at(0), (Shape{1, c.inChannels, c.inSize, c.inSize})) << c.name;
    EXPECT_EQ(L->groups, c.groups) << c.name;
    if (!c.from.empty()) {
      EXPECT_EQ(L->inputs, std::vector<std::string>{c.from}) << c.name;
    }
    EXPECT_EQ(L->macs(), c.macs()) << c.name;
    EXPECT_EQ(L->weightElements(), c.weights()) << c.name;
    EXPECT_EQ(L->biasElements(), convBias ? c.outChannels : 0) << c.name;
  }
  for (auto& f : ref.fcs) {
    expected.insert(f.name);
    const Layer* L = m.findLayer(f.name);
    ASSERT_NE(L, nullptr) << m.name << ": missing fc " << f.name;
    ASSERT_EQ(L->op, OpKind::Fc) << f.name;
    EXPECT_EQ(L->inputShapes.at(0).back(), f.in) << f.name;
    EXPECT_EQ(L->outputShape.back(), f.out) << f.name;
    EXPECT_EQ(L->macs(), f.macs()) << f.name;
    EXPECT_EQ(L->weightElements(), f.weights()) << f.name;
    EXPECT_EQ(L->biasElements(), f.out) << f.name;
  }
  for (auto& mm : ref.matmuls) {
    expected.insert(mm.name);
    const Layer* L = m.findLayer(mm.name);
    ASSERT_NE(L, nullptr) << m.name << ": missing matmul " << mm.name;
    ASSERT_EQ(L->op, OpKind::MatMul) << mm.name;
    EXPECT_EQ(L->outputShape, (Shape{1, mm.batch, mm.m, mm.n})) << mm.name;
    EXPECT_EQ(L->macs(), mm.macs()) << mm.name;
    EXPECT_EQ(L->inputs, (std::vector<std::string>{mm.a, mm.b})) << mm.name;
  }
  // The residual wiring: every add joins the two tensors the architecture says, and there are no
  // other adds.
  int adds = 0;
  for (auto& L : m.layers) {
    if (L.op != OpKind::Add) continue;
    ++adds;
    auto it = ref.adds.find(L.name);
    if (it == ref.adds.end()) {
      ADD_FAILURE() << m.name << ": unexpected add " << L.name;
      continue;
    }
    std::vector<std::string> got = L.inputs, want = {it->second.first, it->second.second};
    std::sort(got.begin(), got.end());
    std::sort(want.begin(), want.end());
    EXPECT_EQ(got, want) << L.name;
  }
  EXPECT_EQ(adds, static_cast<int>(ref.adds.size())) << m.name;
  for (auto& L : m.layers) {
    if (L.isCompute()) {
      EXPECT_TRUE(expected.count(L.name)) << m.name << ": unexpected compute layer " << L.name;
    }
  }
  EXPECT_EQ(m.totalMacs(), ref.macs()) << m.name;
}

int64_t sumConvBias(const Model& m) {
  int64_t t = 0;
  for (auto& L : m.layers)
    if (L.op == OpKind::Conv2d) t += L.biasElements();
  return t;
}

// ---- the architectures, from their papers' tables -----------------------------------------------

Reference alexnetReference() {
  // Krizhevsky et al. 2012, Fig. 2: 227 -> conv1 11x11/4 -> 55 -> pool 3/2 -> 27 -> conv2 5x5 p2
  // (2 groups) -> pool -> 13 -> conv3..5 3x3 p1 (conv4, conv5 in 2 groups) -> pool -> 6x6x256.
  Reference r;
  r.convs = {{"conv1", 3, 96, 11, 4, 0, 1, 227},
             {"conv2", 96, 256, 5, 1, 2, 2, 27},
             {"conv3", 256, 384, 3, 1, 1, 1, 13},
             {"conv4", 384, 384, 3, 1, 1, 2, 13},
             {"conv5", 384, 256, 3, 1, 1, 2, 13}};
  r.fcs = {{"fc6", 1, 6 * 6 * 256, 4096}, {"fc7", 1, 4096, 4096}, {"fc8", 1, 4096, 1000}};
  return r;
}

Reference vgg16Reference() {
  // Simonyan & Zisserman 2015, Table 1 column D: stages of 2, 2, 3, 3, 3 convs 3x3 p1, each stage
  // followed by a 2x2/2 max pool.
  Reference r;
  const int64_t stageChannels[5] = {64, 128, 256, 512, 512};
  const int64_t stageConvs[5] = {2, 2, 3, 3, 3};
  int64_t c = 3, size = 224;
  for (int s = 0; s < 5; ++s) {
    for (int i = 0; i < stageConvs[s]; ++i) {
      r.convs.push_back({"conv" + std::to_string(s + 1) + "_" + std::to_string(i + 1), c, stageChannels[s], 3, 1, 1, 1, size});
      c = stageChannels[s];
    }
    size /= 2;
  }
  r.fcs = {{"fc6", 1, 512 * 7 * 7, 4096}, {"fc7", 1, 4096, 4096}, {"fc8", 1, 4096, 1000}};
  return r;
}

Reference resnetReference(bool bottleneck, const std::vector<int>& blocks) {
  // He et al. 2016, Table 1, as torchvision builds it (v1.5: stride on the 3x3 of a bottleneck;
  // a 1x1 downsample conv on the shortcut when the stride or the channel count changes).
  Reference r;
  r.convs.push_back({"conv1", 3, 64, 7, 2, 3, 1, 224});
  int64_t size = 56;  // after the 3x3/2 max pool with padding 1: (112 + 2 - 3)/2 + 1
  int64_t in = 64;
  std::string previous = "maxpool";  // the tensor a block reads
  const int64_t expansion = bottleneck ? 4 : 1;
  for (int stage = 0; stage < 4; ++stage) {
    const int64_t planes = 64LL << stage;
    for (int b = 0; b < blocks[stage]; ++b) {
      const int64_t stride = (b == 0 && stage > 0) ? 2 : 1;
      const std::string p = "layer" + std::to_string(stage + 1) + "_" + std::to_string(b) + "_";
      const int64_t out = planes * expansion;
      if (bottleneck) {
        r.convs.push_back({p + "conv1", in, planes, 1, 1, 0, 1, size, previous});
        r.convs.push_back({p + "conv2", planes, planes, 3, stride, 1, 1, size, p + "conv1"});
        r.convs.push_back({p + "conv3", planes, out, 1, 1, 0, 1, size / stride, p + "conv2"});
      } else {
        r.convs.push_back({p + "conv1", in, planes, 3, stride, 1, 1, size, previous});
        r.convs.push_back({p + "conv2", planes, planes, 3, 1, 1, 1, size / stride, p + "conv1"});
      }
      std::string shortcut = previous;
      if (stride != 1 || in != out) {
        r.convs.push_back({p + "downsample", in, out, 1, stride, 0, 1, size, previous});
        shortcut = p + "downsample";
      }
      r.adds[p + "add"] = {p + (bottleneck ? "conv3" : "conv2"), shortcut};
      previous = p + "add";
      in = out;
      size /= stride;
    }
  }
  r.fcs = {{"fc", 1, 512 * expansion, 1000}};
  return r;
}

Reference mobilenetV2Reference() {
  // Sandler et al. 2018, Table 2 (t, c, n, s), as torchvision builds it.
  struct Row { int64_t t, c, n, s; };
  const Row rows[] = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2},
                      {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
  Reference r;
  r.convs.push_back({"features_0", 3, 32, 3, 2, 1, 1, 224});
  int64_t in = 32, size = 112;
  std::string previous = "features_0";  // the tensor a block reads
  int index = 1;
  for (const Row& row : rows) {
    for (int64_t i = 0; i < row.n; ++i, ++index) {
      const int64_t stride = i == 0 ? row.s : 1;
      const int64_t hidden = in * row.t;
      const std::string p = "features_" + std::to_string(index) + "_";
      if (row.t != 1) r.convs.push_back({p + "expand", in, hidden, 1, 1, 0, 1, size, previous});
      r.convs.push_back({p + "dw", hidden, hidden, 3, stride, 1, hidden, size, row.t != 1 ? p + "expand" : previous});
      size = (size + 2 - 3) / stride + 1;
      r.convs.push_back({p + "project", hidden, row.c, 1, 1, 0, 1, size, p + "dw"});
      if (stride == 1 && in == row.c) {
        r.adds[p + "add"] = {previous, p + "project"};
        previous = p + "add";
      } else {
        previous = p + "project";
      }
      in = row.c;
    }
  }
  r.convs.push_back({"features_" + std::to_string(index), 320, 1280, 1, 1, 0, 1, size, previous});
  r.fcs = {{"classifier", 1, 1280, 1000}};
  return r;
}

constexpr int64_t kSeq = 128, kHidden = 768, kHeads = 12, kHeadDim = 64, kFfn = 3072;

Reference bertReference() {
  Reference r;
  r.fcs = {{"query", kSeq, kHidden, kHidden},   {"key", kSeq, kHidden, kHidden},
           {"value", kSeq, kHidden, kHidden},   {"attn_out", kSeq, kHidden, kHidden},
           {"ffn_in", kSeq, kHidden, kFfn},     {"ffn_out", kSeq, kFfn, kHidden}};
  r.matmuls = {{"scores", kHeads, kSeq, kHeadDim, kSeq, "query_t", "key_t"},
               {"context", kHeads, kSeq, kSeq, kHeadDim, "probs", "value_t"}};
  r.adds = {{"attn_residual", {"attn_out", "hidden_states"}}, {"ffn_residual", {"ffn_out", "attn_norm"}}};
  return r;
}

int countOps(const Model& m, OpKind op) {
  return static_cast<int>(std::count_if(m.layers.begin(), m.layers.end(), [&](const Layer& L) { return L.op == op; }));
}

}  // namespace

// ---- tests ----------------------------------------------------------------------------------------

TEST(BuiltinModels, AllLoadAndInferShapes) {
  const std::vector<std::string> required = {"alexnet", "vgg16", "resnet18", "resnet50", "mobilenet_v2", "bert_base_encoder"};
  auto names = io::builtinNames("designs/models", ".json");
  for (auto& r : required) EXPECT_NE(std::find(names.begin(), names.end(), r), names.end()) << r;
  for (auto& name : names) {
    auto m = loadModelByName(name);
    ASSERT_TRUE(m.ok()) << name << ": " << m.error().format();
    EXPECT_EQ(m->name, name) << "the model's name matches its file";
    EXPECT_FALSE(m->source.empty()) << name << " names its source";
    EXPECT_FALSE(m->description.empty()) << name;
    for (auto& L : m->layers) EXPECT_FALSE(L.outputShape.empty()) << name << "/" << L.name;
    // Serializing and parsing again gives the same network.
    auto again = parseModel(toJson(*m), name + " (round trip)");
    ASSERT_TRUE(again.ok()) << again.error().format();
    EXPECT_EQ(again->totalMacs(), m->totalMacs());
    EXPECT_EQ(again->layers.size(), m->layers.size());
  }
}

TEST(BuiltinModels, AlexNetMatchesKrizhevsky) {
  Model m = load("alexnet");
  Reference ref = alexnetReference();
  expectMatches(m, ref, true);
  // The published per-layer conv MACs (issue 2), per image.
  EXPECT_EQ(m.findLayer("conv1")->macs(), 105'415'200);
  EXPECT_EQ(m.findLayer("conv2")->macs(), 223'948'800);
  EXPECT_EQ(m.findLayer("conv3")->macs(), 149'520'384);
  EXPECT_EQ(m.findLayer("conv4")->macs(), 112'140'288);
  EXPECT_EQ(m.findLayer("conv5")->macs(), 74'760'192);
  EXPECT_EQ(ref.convMacs(), 665'784'864);
  EXPECT_EQ(m.totalMacs(), 665'784'864 + 9216LL * 4096 + 4096LL * 4096 + 4096LL * 1000);
  EXPECT_EQ(m.totalMacs(), 724'406'816);
  // The grouped (two-GPU) AlexNet has 60,965,224 parameters (weights + biases).
  EXPECT_EQ(m.totalWeights(), 60'965'224);
  EXPECT_EQ(m.layers.size(), 12u);
  EXPECT_EQ(m.findLayer("fc6")->macs(), 37'748'736);
  EXPECT_EQ(m.findLayer("fc7")->macs(), 16'777'216);
  EXPECT_EQ(m.findLayer("fc8")->macs(), 4'096'000);
  EXPECT_EQ(*m.tensorShape("pool5"), (Shape{1, 256, 6, 6}));
  EXPECT_EQ(m.outputs, std::vector<std::string>{"fc8"});
  EXPECT_EQ(*m.tensorShape("fc8"), (Shape{1, 1000}));
}

TEST(BuiltinModels, Vgg16MatchesTableD) {
  Model m = load("vgg16");
  Reference ref = vgg16Reference();
  ASSERT_EQ(ref.convs.size(), 13u);
  expectMatches(m, ref, true);
  EXPECT_EQ(ref.convMacs(), 15'346'630'656);  // "conv 15.35 G"
  EXPECT_EQ(m.totalMacs(), 15'470'264'320);   // "15.47 G" (torchvision: 15.47 GFLOPS)
  EXPECT_EQ(m.totalWeights(), 138'357'544);   // torchvision vgg16 parameters (no BN)
  EXPECT_EQ(m.layers.size(), 22u);
  EXPECT_EQ(countOps(m, OpKind::MaxPool), 5);
  EXPECT_EQ(*m.tensorShape("pool5"), (Shape{1, 512, 7, 7}));
}

// Parameters against torchvision's published counts. The built-in ResNets and MobileNet-V2 have
// BatchNorm folded into the convolutions, so the terms compared are: convolution weights
// (weightElements), 2 per folded BN channel (torchvision's gamma and beta; running mean and
// variance are buffers, not parameters; the folded conv bias has one entry per such channel), and
// the fc weights and bias.
int64_t torchvisionParameterCount(const Model& m) {
  int64_t p = 0;
  for (auto& L : m.layers) {
    if (L.op == OpKind::Conv2d) p += L.weightElements() + 2 * L.biasElements();
    if (L.op == OpKind::Fc) p += L.weightElements() + L.biasElements();
  }
  return p;
}

TEST(BuiltinModels, ResNet18MatchesTorchvision) {
  Model m = load("resnet18");
  Reference ref = resnetReference(false, {2, 2, 2, 2});
  ASSERT_EQ(ref.convs.size(), 20u);  // 1 + 16 + 3 downsample
  expectMatches(m, ref, true);
  EXPECT_EQ(m.totalMacs(), 1'814'073'344);  // torchvision: 1.81 GFLOPS
  EXPECT_EQ(ref.convMacs(), 1'813'561'344);
  EXPECT_EQ(m.layers.size(), 32u);
  EXPECT_EQ(sumConvBias(m), 4'800);  // BN channels
  EXPECT_EQ(torchvisionParameterCount(m), 11'689'512);
  EXPECT_EQ(m.totalWeights(), 11'684'712);  // folded: one bias per BN channel
  EXPECT_EQ(countOps(m, OpKind::Add), 8);
  EXPECT_EQ(*m.tensorShape("layer4_1_add"), (Shape{1, 512, 7, 7}));
}

TEST(BuiltinModels, ResNet50MatchesTorchvision) {
  Model m = load("resnet50");
  Reference ref = resnetReference(true, {3, 4, 6, 3});
  ASSERT_EQ(ref.convs.size(), 53u);  // 1 + 16 * 3 + 4 downsample
  expectMatches(m, ref, true);
  EXPECT_EQ(m.totalMacs(), 4'089'184'256);  // torchvision: 4.09 GFLOPS
  EXPECT_EQ(ref.convMacs(), 4'087'136'256);
  EXPECT_EQ(m.layers.size(), 73u);
  // torchvision.models.resnet50: 25,557,032 parameters = conv weights 23,454,912 + BN gamma/beta
  // 2 x 26,560 + fc 2,048,000 + 1,000.
  EXPECT_EQ(sumConvBias(m), 26'560);
  EXPECT_EQ(torchvisionParameterCount(m), 25'557'032);
  EXPECT_EQ(m.totalWeights(), 25'530'472);  // folded: 25,557,032 - 26,560
  // v1.5: the stride-2 of layer2_0 sits on its 3x3, not its first 1x1.
  EXPECT_EQ(m.findLayer("layer2_0_conv1")->stride, (std::array<int64_t, 2>{1, 1}));
  EXPECT_EQ(m.findLayer("layer2_0_conv2")->stride, (std::array<int64_t, 2>{2, 2}));
  EXPECT_EQ(countOps(m, OpKind::Add), 16);
  EXPECT_EQ(*m.tensorShape("layer4_2_add"), (Shape{1, 2048, 7, 7}));
}

TEST(BuiltinModels, MobileNetV2MatchesTorchvision) {
  Model m = load("mobilenet_v2");
  Reference ref = mobilenetV2Reference();
  ASSERT_EQ(ref.convs.size(), 52u);
  expectMatches(m, ref, true);
  EXPECT_EQ(m.totalMacs(), 300'774'272);  // "300.8 M" (paper: 300 M; torchvision 0.30 GFLOPS)
  EXPECT_EQ(ref.convMacs(), 299'494'272);
  EXPECT_EQ(m.layers.size(), 65u);
  EXPECT_EQ(sumConvBias(m), 17'056);  // BN channels
  EXPECT_EQ(torchvisionParameterCount(m), 3'504'872);
  EXPECT_EQ(m.totalWeights(), 3'487'816);
  // Depthwise layers are groups == channels, one input channel per group.
  int depthwise = 0;
  for (auto& L : m.layers) {
    if (L.op != OpKind::Conv2d || L.groups == 1) continue;
    EXPECT_EQ(L.groups, L.inputShapes[0][1]) << L.name;
    EXPECT_EQ(L.groups, L.outChannels) << L.name;
    EXPECT_EQ(L.loopNest()->bound[C], 1) << L.name;
    ++depthwise;
  }
  EXPECT_EQ(depthwise, 17);
  // Residual adds where stride is 1 and channels match: 1 + 2 + 3 + 2 + 2 = 10.
  EXPECT_EQ(countOps(m, OpKind::Add), 10);
  for (auto& L : m.layers) {
    if (L.op != OpKind::Conv2d) continue;
    bool linearProjection = L.name.size() > 8 && L.name.ends_with("_project");
    EXPECT_EQ(L.activation, linearProjection ? ActivationKind::None : ActivationKind::Relu6) << L.name;
  }
}

TEST(BuiltinModels, BertBaseEncoderLayer) {
  Model m = load("bert_base_encoder");
  Reference ref = bertReference();
  expectMatches(m, ref, true);
  const int64_t qkv = 3 * kSeq * kHidden * kHidden;
  const int64_t attention = 2 * kHeads * kSeq * kSeq * kHeadDim;  // scores and context
  const int64_t outProj = kSeq * kHidden * kHidden;
  const int64_t ffn = 2 * kSeq * kHidden * kFfn;
  EXPECT_EQ(m.totalMacs(), qkv + attention + outProj + ffn);
  EXPECT_EQ(m.totalMacs(), 931'135'488);
  EXPECT_EQ(m.layers.size(), 21u);
  // The fc parameters; with LayerNorm's 2 x 2 x 768 gamma/beta this is the published 7,087,872 per
  // BERT-base layer (12 of them plus embeddings and pooler make the 110 M model).
  EXPECT_EQ(m.totalWeights(), 4 * (kHidden * kHidden + kHidden) + 2 * kHidden * kFfn + kFfn + kHidden);
  EXPECT_EQ(m.totalWeights() + 2 * 2 * kHidden, 7'087'872);
  EXPECT_EQ(*m.tensorShape("query_t"), (Shape{1, kHeads, kSeq, kHeadDim}));
  EXPECT_EQ(*m.tensorShape("probs"), (Shape{1, kHeads, kSeq, kSeq}));
  EXPECT_TRUE(m.findLayer("scores")->transposeB);
  EXPECT_EQ(m.findLayer("ffn_in")->activation, ActivationKind::Gelu);
  EXPECT_EQ(countOps(m, OpKind::LayerNorm), 2);
  EXPECT_EQ(countOps(m, OpKind::Softmax), 1);
  EXPECT_EQ(m.outputs, std::vector<std::string>{"ffn_norm"});
  EXPECT_EQ(*m.tensorShape("ffn_norm"), (Shape{1, kSeq, kHidden}));
}
