// predictTraining on a prepared design: the optimizer update moves its weights, gradients and
// state at TrainingOptions::parameterBits (fp32 master copies), not at the design's operand width.

#include <gtest/gtest.h>

#include "ModelText.h"
#include "ShippedLibrary.h"
#include "dnnchip/arch/LoadDesign.h"
#include "dnnchip/predict/PredictRun.h"

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

}  // namespace
}  // namespace dnnchip::predict
