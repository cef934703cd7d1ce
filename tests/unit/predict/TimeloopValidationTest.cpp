// designs/validation/timeloop_eyeriss_like: the one-line `dnnchip predict --model .../model.json
// --design .../design.json --mapping .../mapping.json` run through the library, compared with
// Timeloop's published reference (expected.json): cycles and utilization exactly, energy within
// 5% in total and per node, access counts per level exactly.

#include <gtest/gtest.h>

#include <filesystem>

#include "dnnchip/io/Json.h"
#include "dnnchip/predict/PredictRun.h"
#include "dnnchip/workload/Model.h"

namespace dnnchip::predict {
namespace {

const std::filesystem::path kDir = std::filesystem::path(DNNCHIP_SOURCE_DIR) / "designs/validation/timeloop_eyeriss_like";

struct CaseRun {
  Prediction p;
  io::Json expected;
};

CaseRun runCase() {
  auto model = workload::loadModel(kDir / "model.json");
  EXPECT_TRUE(model.ok()) << (model.ok() ? "" : model.error().format());
  PredictRequest req;
  req.design = (kDir / "design.json").string();
  req.mapping = (kDir / "mapping.json").string();
  auto p = predictModel(*model, req);
  EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error().format());
  auto e = io::readJsonFile(kDir / "expected.json");
  EXPECT_TRUE(e.ok());
  return {*p, *e};
}

TEST(TimeloopValidation, CyclesUtilizationAndEnergy) {
  const CaseRun r = runCase();
  ASSERT_EQ(r.p.layers.size(), 1u);
  const LayerPrediction& l = r.p.layers[0];
  EXPECT_EQ(l.macs, r.expected["macs"].get<int64_t>());
  EXPECT_EQ(l.cycles, r.expected["cycles"].get<double>());
  EXPECT_EQ(l.activePes, r.expected["active_pes"].get<int64_t>());
  EXPECT_DOUBLE_EQ(l.utilization, r.expected["utilization"].get<double>());
  EXPECT_EQ(l.bound, "compute");
  const double e = r.expected["energy_pj"].get<double>();
  const double tol = r.expected["energy_tolerance"].get<double>();
  EXPECT_NEAR(l.energyPj, e, tol * e);
  for (const auto& [node, pj] : r.expected["energy_by_node_pj"].items()) {
    double got = -1;
    for (const auto& [k, v] : l.energyByNodePj)
      if (k == node) got = v;
    EXPECT_NEAR(got, pj.get<double>(), tol * pj.get<double>()) << node;
  }
}

TEST(TimeloopValidation, AccessCountsPerLevel) {
  const CaseRun r = runCase();
  const LayerPrediction& l = r.p.layers[0];
  ASSERT_TRUE(l.hasMapping && l.mappingFromFile);
  const char* names[] = {"DRAM", "shared_glb", "ifmap_spad", "weights_spad", "psum_spad"};
  const char* tensors[] = {"input", "weight", "output"};
  int checked = 0;
  for (int lv = 0; lv < 5; ++lv) {
    const auto& el = r.expected["accesses_words"][names[lv]];
    for (int t = 0; t < 3; ++t) {
      if (!el.contains(tensors[t])) continue;
      const auto& c = el[tensors[t]];
      if (c.contains("reads")) {
        EXPECT_EQ(l.eval.reads[lv][t], c["reads"].get<double>()) << names[lv] << " " << tensors[t];
      }
      if (c.contains("fills")) {
        EXPECT_EQ(l.eval.fills[lv][t], c["fills"].get<double>()) << names[lv] << " " << tensors[t];
      }
      if (c.contains("updates")) {
        EXPECT_EQ(l.eval.updates[lv][t], c["updates"].get<double>()) << names[lv] << " " << tensors[t];
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 8);
}

}  // namespace
}  // namespace dnnchip::predict
