// The co-simulated instance: prefix selection, whole network, reduced size, and the
// flow.simulation-model diagnostic.
#include "dnnchip/flow/SimulationModel.h"

#include <gtest/gtest.h>

#include "TestSupport.h"

using namespace dnnchip;

namespace {
workload::Model load(const std::string& nameOrPath) {
  auto m = workload::loadModelByName(nameOrPath);
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().format());
  return m.value();
}
std::string tinyCnn() { return (test::sourceDir() / "tests/e2e/build/tiny_cnn.json").string(); }
}  // namespace

TEST(SimulationModel, Resnet18FirstTwoComputeLayersTakeTheirDependencies) {
  auto m = load("resnet18");
  auto s = flow::simulationModel(m, 2, 1);
  ASSERT_TRUE(s.ok()) << s.error().format();
  EXPECT_EQ(s->layers, (std::vector<std::string>{"conv1", "maxpool", "layer1_0_conv1"}));
  EXPECT_FALSE(s->wholeNetwork);
  ASSERT_EQ(s->model.outputs.size(), 1u);
  EXPECT_EQ(s->model.outputs[0], "layer1_0_conv1");
  EXPECT_EQ(s->model.layers[2].outputShape, (workload::Shape{1, 64, 56, 56}));
  EXPECT_EQ(s->model.totalMacs(), m.layers[0].macs() + m.layers[2].macs());
}

TEST(SimulationModel, DownscaleDividesInputHeightAndWidthAndSaysSo) {
  auto m = load("resnet18");
  auto s = flow::simulationModel(m, 2, 4);
  ASSERT_TRUE(s.ok()) << s.error().format();
  EXPECT_EQ(s->model.inputs[0].shape, (workload::Shape{1, 3, 56, 56}));
  EXPECT_EQ(s->model.layers[0].outputShape, (workload::Shape{1, 64, 28, 28}));
  EXPECT_EQ(s->downscale, 4);
  EXPECT_NE(s->description.find("reduced-size"), std::string::npos);
  EXPECT_NE(s->description.find("1x3x224x224"), std::string::npos);
}

TEST(SimulationModel, AllLayersWhenAskedOrWhenFewerComputeLayers) {
  auto m = load(tinyCnn());
  auto all = flow::simulationModel(m, 0, 1);
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->wholeNetwork);
  EXPECT_EQ(all->layers.size(), m.layers.size());
  EXPECT_EQ(all->model.outputs, m.outputs);
  auto many = flow::simulationModel(m, 99, 1);
  ASSERT_TRUE(many.ok());
  EXPECT_TRUE(many->wholeNetwork);
}

TEST(SimulationModel, PrefixKeepsResidualBranchInputs) {
  auto m = load(tinyCnn());
  // The 3rd compute layer is block_conv2; the add after it is not part of the prefix.
  auto s = flow::simulationModel(m, 3, 1);
  ASSERT_TRUE(s.ok()) << s.error().format();
  EXPECT_EQ(s->layers, (std::vector<std::string>{"conv1", "pool1", "block_conv1", "block_conv2"}));
  EXPECT_EQ(s->model.outputs, (std::vector<std::string>{"block_conv2"}));
}

TEST(SimulationModel, ReducedInstanceWithoutValidShapesIsADiagnostic) {
  auto m = load(tinyCnn());
  auto s = flow::simulationModel(m, 0, 64);  // 12x12 -> 1x1: the 2x2 max pool has no output
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "flow.simulation-model");
}
