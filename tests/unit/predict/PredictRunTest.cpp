// predictTraining on a prepared design: the optimizer update moves its weights, gradients and
// state at TrainingOptions::parameterBits (fp32 master copies), not at the design's operand width.

#include <gtest/gtest.h>

#include "ModelText.h"
#include "ShippedLibrary.h"
#include "dnnchip/arch/LoadDesign.h"
#include "dnnchip/mapping/DefaultMapper.h"
#include "dnnchip/mapping/Mapping.h"
#include "dnnchip/mapping/MappingJson.h"
#include "dnnchip/predict/PredictRun.h"
#include "dnnchip/predict/Predictor.h"

namespace dnnchip::predict {
namespace {

TEST(PredictTraining, UpdateMovesParametersAtTheirOwnWidth) {
  const workload::Model m = test::modelFromText(
      R"({"name":"f","op":"flatten","inputs":["x"]},{"name":"fc","op":"fc","inputs":["f"],"out_features":10})",
      R"({"name":"x","shape":[1,4,4,4]})");
  auto g = arch::loadDesign("eyeriss_like");  // 16-bit operands
  ASSERT_TRUE(g.ok()) << g.error().format();
  ASSERT_EQ(g->precision.activationBits, 16);
  auto d = prepareDesign(*g, &test::shippedLibrary());
  ASSERT_TRUE(d.ok()) << d.error().format();
  for (int bits : {32, 16}) {
    workload::TrainingOptions o;
    o.optimizer = workload::Optimizer::Adam;
    o.parameterBits = bits;
    auto step = workload::trainingStep(m, o);
    ASSERT_TRUE(step.ok()) << step.error().format();
    auto p = predictTraining(*d, *step, Mode::Coarse);
    ASSERT_TRUE(p.ok()) << p.error().format();
    const LayerPrediction& u = p->layers.back();
    ASSERT_EQ(u.pass, "update");
    // Adam reads weight, gradient, m, v and writes weight, m, v: 7 x 650 parameters
    const double params = 64 * 10 + 10;
    double dramPj = 0;
    for (const auto& [name, pj] : u.energyByNodePj)
      if (name == d->dramName) dramPj += pj;
    ASSERT_GT(dramPj, 0);
    EXPECT_NEAR(dramPj, 7 * params * bits * d->dramPjPerBit, 1e-6 * dramPj) << bits << " bits";
  }
}

// Mappings given as objects (PredictOptions::layerMappings, what explore and map predict with)
// predict exactly what the same mappings written as a mapping file do, and name a layer that is
// not a compute layer of the model with mapping.unknown-layer.
TEST(PredictMappings, ObjectsPredictWhatTheirMappingFileDoes) {
  const workload::Model m = test::modelFromText(
      R"({"name":"c1","op":"conv2d","inputs":["x"],"out_channels":16,"kernel":[3,3],"padding":[1,1,1,1]},
         {"name":"f","op":"flatten","inputs":["c1"]},{"name":"fc","op":"fc","inputs":["f"],"out_features":10})",
      R"({"name":"x","shape":[1,8,8,8]})");
  auto g = arch::loadDesign("eyeriss_like");
  ASSERT_TRUE(g.ok()) << g.error().format();
  auto d = prepareDesign(*g, &test::shippedLibrary());
  ASSERT_TRUE(d.ok()) << d.error().format();
  // A mapping unlike the default one: c1's default mapping with two of its DRAM-level loops swapped.
  const mapping::Hierarchy& h = d->engines[d->engineForLayer("c1")].hierarchy;
  const workload::LoopNest nest = batchedNest(*m.findLayer("c1"), 1);
  mapping::Mapping mc = mapping::defaultMapping(h, nest);
  std::swap(mc.levels[0].order[0], mc.levels[0].order[workload::kNumDims - 1]);
  LayerMappings objects{{"c1", mc}};
  io::Json file = {{"schema_version", 1}, {"layers", {{"c1", mapping::toJson(mc, h)}}}};
  auto mf = mapping::parseMappingFile(file, "test");
  ASSERT_TRUE(mf.ok()) << mf.error().format();
  PredictOptions byFile, byObjects;
  byFile.mappings = &*mf;
  byObjects.layerMappings = &objects;
  auto a = predict(*d, m, byFile);
  auto b = predict(*d, m, byObjects);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(toJson(*a).dump(), toJson(*b).dump());
  ASSERT_EQ(b->layers.front().name, "c1");
  EXPECT_TRUE(b->layers.front().mappingFromFile);
  EXPECT_TRUE(b->layers.front().mapping == mc);
  LayerMappings notCompute{{"f", mc}};
  PredictOptions bad;
  bad.layerMappings = &notCompute;
  auto e = predict(*d, m, bad);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code, "mapping.unknown-layer");
}

}  // namespace
}  // namespace dnnchip::predict
