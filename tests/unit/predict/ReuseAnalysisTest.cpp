// Coarse reuse analysis against Timeloop's published eyeriss_like reference, level by level
// (numbers from ref_outputs/default_problem/timeloop-mapper.stats.txt), and hand-derived cases.

#include <gtest/gtest.h>

#include "TimeloopCaseSupport.h"
#include "dnnchip/predict/ReuseAnalysis.h"

namespace dnnchip::predict {
namespace {

using workload::Dim;

TEST(ReuseAnalysis, TimeloopEyerissLikePerLevelAccesses) {
  const EngineModel e = testing::timeloopEngine();
  const auto nest = testing::timeloopNest();
  PreparedLayer p(e, nest);
  const LayerEval r = p.evaluate(testing::timeloopMapping(e.hierarchy));
  ASSERT_TRUE(r.ok()) << mapping::failureCode(r.check.failure);
  EXPECT_EQ(r.macs, 10838016);
  EXPECT_EQ(r.activePes, 126);
  EXPECT_EQ(r.computeCycles, 86016);
  EXPECT_EQ(r.cycles, 86016);
  EXPECT_DOUBLE_EQ(r.utilization, 0.75);
  const int I = 0, W = 1, O = 2;
  // psum_spad (per instance x 126): reads 57344, updates 86016, fills 0.
  EXPECT_EQ(r.reads[4][O], 57344.0 * 126);
  EXPECT_EQ(r.updates[4][O], 86016.0 * 126);
  EXPECT_EQ(r.fills[4][O], 0);
  // weights_spad: reads 86016, fills 1536 per instance.
  EXPECT_EQ(r.reads[3][W], 86016.0 * 126);
  EXPECT_EQ(r.fills[3][W], 1536.0 * 126);
  // ifmap_spad: reads 86016, fills 10752 per instance.
  EXPECT_EQ(r.reads[2][I], 86016.0 * 126);
  EXPECT_EQ(r.fills[2][I], 10752.0 * 126);
  // shared_glb: inputs reads 1354752 fills 157296; outputs updates 401408, reads 0.
  EXPECT_EQ(r.reads[1][I], 1354752);
  EXPECT_EQ(r.fills[1][I], 157296);
  EXPECT_EQ(r.updates[1][O], 401408);
  EXPECT_EQ(r.reads[1][O], 0);
  // DRAM: weights 13824, inputs 157296 reads; outputs 401408 updates.
  EXPECT_EQ(r.reads[0][W], 13824);
  EXPECT_EQ(r.reads[0][I], 157296);
  EXPECT_EQ(r.updates[0][O], 401408);
  // Energy: 59.28 uJ total in Timeloop; per level within 1%.
  EXPECT_NEAR(r.energyPj, 59.28e6, 0.05 * 59.28e6);
  EXPECT_NEAR(r.levelEnergyPj[0], 36641792.0, 1.0);
  EXPECT_NEAR(r.levelEnergyPj[1], 3357302.30 + 709384.73, 0.01 * 4066687.0);
  EXPECT_NEAR(r.levelEnergyPj[2], 1216735.96, 0.01 * 1216735.96);
  EXPECT_NEAR(r.levelEnergyPj[3], 10893306.24, 0.01 * 10893306.24);
  EXPECT_NEAR(r.levelEnergyPj[4], 4190338.25, 0.01 * 4190338.25);
  EXPECT_NEAR(r.macEnergyPj, 2250969.22, 0.01 * 2250969.22);
}

}  // namespace
}  // namespace dnnchip::predict
