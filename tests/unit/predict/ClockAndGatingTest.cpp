// The array's per-cycle clock energy (a compute node's pe_cycle_energy_pj) and data gating
// (data_gating with PredictOptions::inputZeroFraction), on the Eyeriss validation design:
//  - every compute layer is charged pe_cycle_energy_pj x PEs x its cycles, reported as
//    "<array>.clock" and included in the layer's and the network's energy;
//  - a layer's zero fraction z scales its MAC energy and the weight reads at the innermost weight
//    level by (1 - z), leaves its cycles and other layers alone, and does nothing on an array
//    without data_gating.

#include <gtest/gtest.h>

#include <fstream>

#include "dnnchip/io/Json.h"
#include "dnnchip/predict/PredictRun.h"
#include "dnnchip/workload/Model.h"

namespace dnnchip::predict {
namespace {

const std::string kDesign = std::string(DNNCHIP_SOURCE_DIR) + "/designs/validation/eyeriss_jssc17_alexnet/design.json";

double named(const NamedValues& v, const std::string& k) {
  for (const auto& [name, x] : v)
    if (name == k) return x;
  return 0;
}

const LayerPrediction& layerNamed(const Prediction& p, const std::string& name) {
  for (const LayerPrediction& l : p.layers)
    if (l.name == name) return l;
  ADD_FAILURE() << "no layer " << name;
  return p.layers.front();
}

Prediction run(const std::string& design, std::vector<std::pair<std::string, double>> zeros = {}) {
  auto model = workload::loadModelByName("alexnet");
  EXPECT_TRUE(model.ok());
  PredictRequest req;
  req.design = design;
  req.batch = 4;
  req.inputZeroFraction = std::move(zeros);
  auto p = predictModel(*model, req);
  EXPECT_TRUE(p.ok()) << p.error().format();
  return *p;
}

TEST(PredictorClock, PeCycleEnergyChargedForEveryPeAndCycle) {
  std::ifstream in(kDesign);
  const io::Json j = io::Json::parse(in);
  double pjPerPeCycle = 0;
  int64_t pes = 0;
  for (const auto& n : j.at("nodes"))
    if (n.at("kind") == "compute") {
      pjPerPeCycle = n.at("pe_cycle_energy_pj").at("value").get<double>();
      pes = n.at("rows").get<int64_t>() * n.at("cols").get<int64_t>();
    }
  ASSERT_GT(pjPerPeCycle, 0);
  ASSERT_EQ(pes, 168);
  const Prediction p = run(kDesign);
  int compute = 0;
  double clockTotal = 0;
  for (const LayerPrediction& l : p.layers) {
    if (l.unit != "pe_array") continue;
    ++compute;
    const double clock = named(l.energyByNodePj, "pe_array.clock");
    EXPECT_NEAR(clock, l.cycles * pes * pjPerPeCycle, 1e-6 * clock) << l.name;
    double sum = 0;
    for (const auto& [k, x] : l.energyByNodePj) sum += x;
    EXPECT_NEAR(sum, l.energyPj, 1e-9 * l.energyPj) << l.name;
    clockTotal += clock;
  }
  EXPECT_GE(compute, 8);
  EXPECT_NEAR(named(p.energyByNodePj, "pe_array.clock"), clockTotal, 1e-9 * clockTotal);
  // The built-in eyeriss_like has no such field: no clock entry at all.
  for (const LayerPrediction& l : run("eyeriss_like").layers) EXPECT_EQ(named(l.energyByNodePj, "pe_array.clock"), 0);
}

TEST(PredictorDataGating, ZeroFractionScalesMacAndWeightReadsOfItsLayerOnly) {
  const Prediction base = run(kDesign);
  const Prediction gated = run(kDesign, {{"conv2", 0.5}});
  const LayerPrediction& b2 = layerNamed(base, "conv2");
  const LayerPrediction& g2 = layerNamed(gated, "conv2");
  EXPECT_EQ(b2.cycles, g2.cycles);
  EXPECT_NEAR(named(g2.energyByNodePj, "pe_array"), 0.5 * named(b2.energyByNodePj, "pe_array"), 1e-6);
  const double wb = named(b2.energyByNodePj, "weight_spad"), wg = named(g2.energyByNodePj, "weight_spad");
  EXPECT_LT(wg, wb);                              // half of the operand reads are skipped...
  EXPECT_GT(wg, 0.5 * wb);                        // ...but not the fills
  EXPECT_NEAR(b2.energyPj - g2.energyPj,
              0.5 * named(b2.energyByNodePj, "pe_array") + (wb - wg), 1e-6 * b2.energyPj);
  for (const std::string other : {"conv1", "conv3", "fc6"})
    EXPECT_EQ(layerNamed(base, other).energyPj, layerNamed(gated, other).energyPj) << other;
  // Without data_gating on the array the fractions change nothing.
  const Prediction plain = run("eyeriss_like");
  const Prediction plainZ = run("eyeriss_like", {{"conv2", 0.5}});
  EXPECT_EQ(layerNamed(plain, "conv2").energyPj, layerNamed(plainZ, "conv2").energyPj);
}

}  // namespace
}  // namespace dnnchip::predict
