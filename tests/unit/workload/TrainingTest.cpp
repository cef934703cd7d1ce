// The training-step derivation (workload/Training.h): backward passes as loop nests with the
// forward's MAC count, the phase split of a strided convolution's backward-data, the
// backward-weight nest's tensors, the saved tensors and the optimizer state, checked against
// hand-derived figures. PyTorch's own counts are checked by tests/e2e/training/autograd_counts.py.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "dnnchip/io/DataPaths.h"
#include "dnnchip/workload/Model.h"
#include "dnnchip/workload/Training.h"

using namespace dnnchip;
using namespace dnnchip::workload;

namespace {

Layer conv(int64_t n, int64_t c, int64_t h, int64_t k, int64_t kernel, int64_t stride, int64_t pad,
           int64_t groups = 1) {
  Layer L;
  L.name = "c";
  L.op = OpKind::Conv2d;
  L.inputs = {"x"};
  L.outChannels = k;
  L.kernel = {kernel, kernel};
  L.stride = {stride, stride};
  L.padding = {pad, pad, pad, pad};
  L.groups = groups;
  L.bias = false;
  const int64_t p = (h + 2 * pad - kernel) / stride + 1;
  L.inputShapes = {{n, c, h, h}};
  L.outputShape = {n, k, p, p};
  L.inputLayers = {-1};
  return L;
}

std::map<Pass, int64_t> macsByPass(const std::vector<TrainingPass>& passes) {
  std::map<Pass, int64_t> m;
  for (const TrainingPass& p : passes) m[p.pass] += p.layer.macs();
  return m;
}

}  // namespace

TEST(Training, StridedConvBackwardDataSplitsIntoPhasesWithTheForwardMacs) {
  // ResNet's stem: 7x7/2 pad 3 on 224 -> 112. Per dimension phase 0 has taps {1,3,5}, phase 1
  // taps {0,2,4,6}: 2x2 phases with kernels 3x3, 3x4, 4x3, 4x4, each 112x112 outputs.
  const Layer f = conv(2, 3, 224, 64, 7, 2, 3);
  const auto passes = backwardPasses({f, false}, {true});
  std::map<std::string, std::array<int64_t, 2>> kernels;
  for (const TrainingPass& p : passes)
    if (p.pass == Pass::BackwardData) {
      kernels[p.layer.name] = p.layer.kernel;
      auto nest = p.layer.loopNest();
      ASSERT_TRUE(nest);
      EXPECT_EQ(p.layer.stride[0], 1);
      EXPECT_EQ((*nest)[P], 112);
      EXPECT_EQ((*nest)[K], 3);   // input channels are the output here
      EXPECT_EQ((*nest)[C], 64);  // reduced over the forward's output channels
    }
  ASSERT_EQ(kernels.size(), 4u);
  EXPECT_EQ(kernels["c.bwd_data[0,0]"], (std::array<int64_t, 2>{3, 3}));
  EXPECT_EQ(kernels["c.bwd_data[1,1]"], (std::array<int64_t, 2>{4, 4}));
  const auto m = macsByPass(passes);
  EXPECT_EQ(m.at(Pass::BackwardData), f.macs());
  EXPECT_EQ(m.at(Pass::BackwardWeight), f.macs());
}

TEST(Training, OneByOneStrideTwoBackwardDataHasOnePhase) {
  // the 1x1/2 downsample: odd input positions get no gradient (no tap reaches them)
  const Layer f = conv(1, 64, 56, 128, 1, 2, 0);
  int phases = 0;
  for (const TrainingPass& p : backwardPasses({f, false}, {true})) phases += p.pass == Pass::BackwardData;
  EXPECT_EQ(phases, 1);
  EXPECT_EQ(macsByPass(backwardPasses({f, false}, {true})).at(Pass::BackwardData), f.macs());
}

TEST(Training, PhasesSkipTheForwardsPaddingProducts) {
  // 3x3/2 pad 1 on 5 -> 3: the forward visits 3 x 3 (output, tap) pairs per dimension, two of
  // which fall on padding (h = -1 and h = 5); the phases visit only the 7 inside: h in {0,2,4}
  // with tap 1, h in {1,3} with taps {0,2}.
  const Layer f = conv(1, 1, 5, 1, 3, 2, 1);
  EXPECT_EQ(f.macs(), 81);
  EXPECT_EQ(macsByPass(backwardPasses({f, false}, {true})).at(Pass::BackwardData), 49);
}

TEST(Training, BackwardWeightIsAConvolutionReducingOverBatchAndOutputPositions) {
  const Layer f = conv(2, 64, 56, 128, 3, 1, 1);
  const auto passes = backwardPasses({f, false}, {true});
  const TrainingPass& w = passes.back();
  ASSERT_EQ(w.pass, Pass::BackwardWeight);
  auto nest = w.layer.loopNest();
  ASSERT_TRUE(nest);
  EXPECT_EQ((*nest)[N], 64);   // the forward's input channels
  EXPECT_EQ((*nest)[K], 128);
  EXPECT_EQ((*nest)[C], 2);    // the batch is the reduction channel
  EXPECT_EQ((*nest)[P], 3);    // the output is the 3x3 kernel
  EXPECT_EQ((*nest)[R], 56);   // the output gradient is the kernel
  EXPECT_EQ(nest->inputElements(), 2 * 64 * 56 * 56);   // the forward input
  EXPECT_EQ(nest->weightElements(), 2 * 128 * 56 * 56); // dY
  EXPECT_EQ(nest->outputElements(), 128 * 64 * 9);      // dW
  EXPECT_EQ(w.layer.macs(), f.macs());
  // a strided one: the input rows the forward never reads are cropped, the output stays 7x7
  const Layer s = conv(1, 3, 224, 64, 7, 2, 3);
  const TrainingPass sw = backwardPasses({s, false}, {false}).back();
  EXPECT_EQ(sw.layer.outputShape, (Shape{3, 64, 7, 7}));
  EXPECT_EQ(sw.layer.macs(), s.macs());
}

TEST(Training, DepthwiseBackwardKeepsTheGroups) {
  const Layer f = conv(1, 32, 112, 32, 3, 2, 1, 32);
  const auto m = macsByPass(backwardPasses({f, false}, {true}));
  EXPECT_EQ(m.at(Pass::BackwardData), f.macs());
  EXPECT_EQ(m.at(Pass::BackwardWeight), f.macs());
}

TEST(Training, FcAndMatmulBackwardAreTheTransposedProducts) {
  Layer fc;
  fc.name = "fc";
  fc.op = OpKind::Fc;
  fc.inputs = {"x"};
  fc.outFeatures = 1000;
  fc.inputShapes = {{4, 512}};
  fc.outputShape = {4, 1000};
  const auto p = backwardPasses({fc, false}, {true});
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].layer.outputShape, (Shape{4, 512}));
  EXPECT_EQ(p[1].layer.outputShape, (Shape{1000, 512}));
  EXPECT_EQ(p[0].layer.macs(), 4 * 512 * 1000);
  EXPECT_EQ(p[1].layer.macs(), 4 * 512 * 1000);
  EXPECT_EQ(p[1].layer.vectorOps(), 4 * 1000);  // the bias gradient
  Layer mm;
  mm.name = "scores";
  mm.op = OpKind::MatMul;
  mm.inputs = {"q", "k"};
  mm.transposeB = true;
  mm.inputShapes = {{1, 12, 128, 64}, {1, 12, 128, 64}};
  mm.outputShape = {1, 12, 128, 128};
  const auto q = backwardPasses({mm, false}, {true, true});
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[0].layer.macs(), mm.macs());
  EXPECT_EQ(q[1].layer.macs(), mm.macs());
  EXPECT_EQ(q[0].layer.outputShape, (Shape{1, 12, 128, 64}));
  EXPECT_EQ(q[1].layer.outputShape, (Shape{1, 12, 128, 64}));
}

TEST(Training, ResNet18StepCountsParametersPassesAndSavedTensors) {
  auto m = loadModelByName("resnet18");
  ASSERT_TRUE(m) << m.error().format();
  TrainingOptions o;
  o.batch = 2;
  o.optimizer = Optimizer::Adam;
  auto step = trainingStep(*m, o);
  ASSERT_TRUE(step) << step.error().format();
  EXPECT_EQ(step->parameters, 11'689'512);  // torchvision, with batch norm
  EXPECT_EQ(step->optimizerStateElements, 2 * 11'689'512);
  std::map<Pass, int64_t> macs;
  for (const TrainingPass& p : step->passes) macs[p.pass] += p.layer.macs();
  const int64_t fwd = 2 * 1'814'073'344LL;
  const int64_t stem = 2 * int64_t{64} * 112 * 112 * 3 * 49;  // conv1 needs no input gradient
  EXPECT_EQ(macs[Pass::Forward], fwd);
  EXPECT_EQ(macs[Pass::BackwardWeight], fwd);
  EXPECT_EQ(macs[Pass::BackwardData], fwd - stem);
  EXPECT_EQ(step->savedIndexElements, 2 * 64 * 56 * 56);  // max-pool argmax
  // batch norm statistics: mean and 1/std per channel of the 20 batch norms
  EXPECT_EQ(step->savedStatisticElements, 2 * (64 * 5 + 128 * 5 + 256 * 5 + 512 * 5));
}

TEST(Training, TheBatchScalesInputsAndTheReshapesLeadingBatch) {
  auto m = loadModelByName("bert_base_encoder");
  ASSERT_TRUE(m) << m.error().format();
  TrainingOptions o;
  o.batch = 3;  // the reshapes lead with the batch of 1, which scales with it
  auto step = trainingStep(*m, o);
  ASSERT_TRUE(step) << step.error().format();
  EXPECT_EQ(step->forward.layers.front().outputShape.front(), 3);
}
