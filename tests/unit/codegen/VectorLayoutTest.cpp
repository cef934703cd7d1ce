// Issue 18, the vector path: `simulate --vectors` must lay every layer input out exactly as the
// engine reads it, whatever aliases (flatten, reshape) stand between producer and consumer. A
// differential check at the memory-image level on seeded random layer chains (conv, depthwise,
// grouped conv, max/avg pooling, residual add, flatten, fc): in the seeded run the bytes a layer
// reads are its producers' outputs as the engine stored them (storeActivation at the producer's
// own placement); in the vector run they are the user's tensors in the golden layout (NCHW, or
// [N, C*H*W] after a flatten) given under the layer's input names. Both images must agree on
// every byte of every region the layer reads. (The RTL reads those bytes; co-simulation proves it
// on the seeded path, rtl.cosim.vectors on the vector path.)

#include <gtest/gtest.h>

#include <random>

#include "ModelText.h"
#include "dnnchip/codegen/DramImage.h"
#include "dnnchip/golden/ModelRunner.h"

using namespace dnnchip;

namespace {

struct Chain {
  std::string input, layers;
};

// A random chain: a few spatial layers, then flatten and one or two fc. Deterministic per seed.
Chain randomChain(uint32_t seed) {
  std::mt19937 rng(seed);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  int c = pick(1, 5), h = pick(5, 9), w = pick(5, 9);
  Chain ch;
  ch.input = R"({"name": "x", "shape": [1, )" + std::to_string(c) + ", " + std::to_string(h) + ", " + std::to_string(w) + "]}";
  std::string prev = "x";
  int n = 0;
  auto add = [&](const std::string& body, int newC) {
    const std::string name = "l" + std::to_string(n++);
    ch.layers += (ch.layers.empty() ? "" : ",") + std::string(R"({"name": ")") + name + R"(", "inputs": [")" + prev + "\"], " + body + "}";
    prev = name;
    c = newC;
    return name;
  };
  const int spatial = pick(2, 5);
  for (int k = 0; k < spatial; ++k) {
    switch (pick(0, 5)) {
      case 0: {  // conv 3x3 or 1x1, stride 1 or 2
        const int kk = pick(0, 1) ? 3 : 1, s = (h > 4 && w > 4 && pick(0, 2) == 0) ? 2 : 1, k2 = pick(2, 8);
        add(R"("op": "conv2d", "out_channels": )" + std::to_string(k2) + R"(, "kernel": [)" + std::to_string(kk) + ", " +
                std::to_string(kk) + R"(], "stride": [)" + std::to_string(s) + ", " + std::to_string(s) + R"(], "padding": [)" +
                std::string(kk == 3 ? "1, 1, 1, 1" : "0, 0, 0, 0") + R"(], "activation": "relu")",
            k2);
        if (s == 2) { h = (h + 1) / 2; w = (w + 1) / 2; }
        break;
      }
      case 1:  // depthwise 3x3
        add(R"("op": "conv2d", "out_channels": )" + std::to_string(c) + R"(, "kernel": [3, 3], "padding": [1, 1, 1, 1], "groups": )" +
                std::to_string(c),
            c);
        break;
      case 2:  // grouped 1x1 (two groups) when the channels allow it
        if (c % 2 == 0) add(R"("op": "conv2d", "out_channels": 4, "kernel": [1, 1], "groups": 2)", 4);
        break;
      case 3:  // max pool 2x2
        if (h >= 4 && w >= 4) {
          add(R"("op": "maxpool", "kernel": [2, 2], "stride": [2, 2])", c);
          h /= 2;
          w /= 2;
        }
        break;
      case 4:  // average pool 2x2 stride 1
        add(R"("op": "avgpool", "kernel": [2, 2], "stride": [1, 1])", c);
        --h;
        --w;
        break;
      case 5: {  // residual: conv keeping the shape, then add with its input
        const std::string skip = prev;
        const std::string body = add(R"("op": "conv2d", "out_channels": )" + std::to_string(c) + R"(, "kernel": [3, 3], "padding": [1, 1, 1, 1])", c);
        const std::string name = "l" + std::to_string(n++);
        ch.layers += R"(, {"name": ")" + name + R"(", "op": "add", "inputs": [")" + skip + "\", \"" + body + R"("], "activation": "relu"})";
        prev = name;
        break;
      }
    }
  }
  add(R"("op": "flatten")", c * h * w);
  add(R"("op": "fc", "out_features": )" + std::to_string(pick(3, 9)), 0);
  if (pick(0, 1)) add(R"("op": "fc", "out_features": )" + std::to_string(pick(2, 6)), 0);
  return ch;
}

// The placement the engine reads input `i` of layer L from (aliases resolved), or nullptr.
const schedule::TensorPlacement* readPlacement(const schedule::Program& p, const workload::Model& m, const workload::Layer& L, size_t i) {
  if (const auto* q = p.find(L.inputs[i], schedule::TensorKind::Activation)) return q;
  return m.layerIndex(L.inputs[i]) >= 0 ? codegen::outputPlacement(p, m, m.layerIndex(L.inputs[i])) : nullptr;
}

}  // namespace

TEST(VectorLayout, RandomChainsReadTheSameBytesOnTheSeededAndTheVectorPath) {
  int chains = 0, layersChecked = 0, flattenedInputs = 0;
  for (uint32_t seed = 1; seed <= 60; ++seed) {
    const Chain ch = randomChain(seed);
    SCOPED_TRACE("seed " + std::to_string(seed) + ": " + ch.layers);
    const workload::Model m = test::modelFromText(ch.layers, ch.input);
    ASSERT_FALSE(m.layers.empty());
    schedule::EngineConfig cfg;
    cfg.rows = 4;
    cfg.cols = 4;
    cfg.actBufferWords = 512;
    cfg.accBufferWords = 1024;
    schedule::LoweringOptions vectorLowering;  // as simulate --vectors lowers: no fused add
    vectorLowering.fuseResidualAdd = false;
    auto prog = schedule::buildProgram(m, cfg, vectorLowering);
    ASSERT_TRUE(prog.ok()) << prog.error().format();
    auto run = golden::randomRun(m, seed);
    ASSERT_TRUE(run.ok()) << run.error().format();
    // Seeded: the model input and the output of every layer the engine runs, where it stores it
    // (a flatten only aliases its source's bytes: nothing of its own is stored).
    std::vector<uint8_t> seeded(prog->dramBytes, 0);
    for (const auto& [name, t] : run->params.inputs) codegen::storeActivation(seeded, *prog->find(name, schedule::TensorKind::Activation), t);
    for (size_t li = 0; li < m.layers.size(); ++li)
      if (!m.layers[li].isLayoutOnly())
        codegen::storeActivation(seeded, *prog->find(m.layers[li].name, schedule::TensorKind::Activation), run->outputs.layers[li]);
    for (const auto& d : prog->descriptors) {
      const workload::Layer& L = m.layers[static_cast<size_t>(d.layerIndex)];
      // The user's vectors: each input tensor in the golden layout of the layer's input shape.
      std::vector<golden::Tensor8> vecs;
      for (size_t i = 0; i < L.inputs.size(); ++i) {
        const int p = m.layerIndex(L.inputs[i]);
        const golden::Tensor8& src = p >= 0 ? run->outputs.layers[static_cast<size_t>(p)] : run->params.inputs.at(L.inputs[i]);
        vecs.emplace_back(L.inputShapes[i], src.data);  // same values in C order (a flatten is a view)
        flattenedInputs += p >= 0 && m.layers[static_cast<size_t>(p)].op == workload::OpKind::Flatten &&
                           m.layers[static_cast<size_t>(p)].inputShapes[0].size() == 4;
      }
      std::map<std::string, const golden::Tensor8*> acts;
      for (size_t i = 0; i < L.inputs.size(); ++i) acts[L.inputs[i]] = &vecs[i];
      auto vector = codegen::buildDramImage(*prog, cfg, m, run->params, acts);
      for (size_t i = 0; i < L.inputs.size(); ++i) {
        const auto* q = readPlacement(*prog, m, L, i);
        ASSERT_TRUE(q) << L.name;
        for (uint32_t a = q->baseAddress; a < q->baseAddress + q->sizeBytes; ++a)
          ASSERT_EQ(vector[a], seeded[a]) << "layer '" << L.name << "' input " << i << " byte " << (a - q->baseAddress);
      }
      ++layersChecked;
    }
    ++chains;
  }
  EXPECT_EQ(chains, 60);
  EXPECT_GT(layersChecked, 200);
  EXPECT_GT(flattenedInputs, 20);  // the case of issue 18 is well represented
}
