// The layer-pipeline template of the Chip Builder: the stage plan covers every layer once and in
// order, the PE budget is shared so the stages' ideal times are even, the instantiated graph
// verifies and predicts with one engine per stage, and explore over it is thread-count independent.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "dnnchip/ip/IpLibrary.h"
#include "dnnchip/platform/Platform.h"
#include "dnnchip/predict/Predictor.h"
#include "dnnchip/search/DesignSpace.h"
#include "dnnchip/search/ExploreOutput.h"
#include "dnnchip/search/ExploreRun.h"

using namespace dnnchip;
using namespace dnnchip::search;

namespace {

Constraints pipelineConstraints(const std::string& platform = "zc706") {
  auto j = io::parseJson(R"({"schema_version":1,"platform":")" + platform +
                             R"(","objective":"throughput","allowed":{"templates":["layer_pipeline"]},
                             "bounds":{"dsp_share":{"max":0.9},"bram_share":{"max":0.9}},
                             "budget":{"max_evaluations":20000},"seed":5})",
                         "p.json");
  EXPECT_TRUE(j.ok());
  auto c = parseConstraints(*j, "p.json", {platform}, {});
  EXPECT_TRUE(c.ok()) << c.error().format();
  return *c;
}

struct Fixture {
  ip::IpLibrary lib;
  platform::Platform plat;
  workload::Model model;
};

Fixture load(const char* modelName, const char* platformName = "zc706") {
  Fixture f;
  auto lib = ip::IpLibrary::loadDefault();
  EXPECT_TRUE(lib.ok());
  f.lib = std::move(*lib);
  auto plat = platform::loadPlatformByName(platformName);
  EXPECT_TRUE(plat.ok());
  f.plat = *plat;
  auto m = workload::loadModelByName(modelName);
  EXPECT_TRUE(m.ok());
  f.model = *m;
  return f;
}

}  // namespace

TEST(Pipeline, StagesCoverEveryLayerOnceInOrder) {
  for (const char* name : {"alexnet", "resnet50", "bert_base_encoder"}) {
    Fixture f = load(name);
    auto s = DesignSpace::create(pipelineConstraints(), f.plat, f.lib, false, &f.model);
    ASSERT_TRUE(s.ok()) << s.error().format();
    const auto& st = s->pipelineStages();
    ASSERT_FALSE(st.empty());
    EXPECT_LE(st.size(), 16u) << name;
    std::vector<std::string> flat;
    int64_t macs = 0;
    for (const auto& stage : st) {
      EXPECT_GE(stage.first, 0) << "every stage has a compute layer";
      EXPECT_GT(stage.macs, 0);
      macs += stage.macs;
      flat.insert(flat.end(), stage.layers.begin(), stage.layers.end());
    }
    ASSERT_EQ(flat.size(), f.model.layers.size()) << name;
    for (size_t i = 0; i < flat.size(); ++i) EXPECT_EQ(flat[i], f.model.layers[i].name);
    EXPECT_EQ(macs, f.model.totalMacs()) << name;
  }
}

TEST(Pipeline, PeBudgetIsSharedSoStagesAreEven) {
  Fixture f = load("alexnet");
  auto s = DesignSpace::create(pipelineConstraints(), f.plat, f.lib, false, &f.model);
  ASSERT_TRUE(s.ok());
  const auto& st = s->pipelineStages();
  ASSERT_EQ(st.size(), 8u);  // 5 conv + 3 fc, one stage each
  EXPECT_TRUE(s->pipelineArrays({2, 2}).empty()) << "4 PEs cannot give 8 stages one each";
  bool found2x2 = false;
  for (uint64_t id = 0; id < s->size(); ++id) {  // such a point is pruned with its own code
    DesignPoint p = s->point(id);
    if (s->bases()[p.base].family != "layer_pipeline" || s->shapes()[p.shape].rows != 2 ||
        s->shapes()[p.shape].cols != 2)
      continue;
    found2x2 = true;
    auto g = s->instantiate(p);
    ASSERT_FALSE(g.ok());
    EXPECT_EQ(g.error().code, "search.pipeline-budget");
    break;
  }
  // The space must hold a 2x2 layer-pipeline point, or the check above asserted nothing.
  EXPECT_TRUE(found2x2) << "no 2x2 layer_pipeline point in the space";
  for (ArrayShape budget : {ArrayShape{16, 32}, ArrayShape{32, 32}, ArrayShape{64, 64}}) {
    auto arrays = s->pipelineArrays(budget);
    ASSERT_EQ(arrays.size(), st.size());
    int64_t used = 0;
    double slowest = 0, sum = 0;
    for (size_t i = 0; i < st.size(); ++i) {
      const double pes = double(arrays[i].rows) * arrays[i].cols;
      used += int64_t(pes);
      slowest = std::max(slowest, double(st[i].macs) / pes);
      sum += double(st[i].macs);
    }
    EXPECT_LE(used, int64_t{budget.rows} * budget.cols);
    // Balanced: the slowest stage's ideal time is within 25% of a perfect split of the budget.
    const double perfect = sum / double(int64_t{budget.rows} * budget.cols);
    EXPECT_LT(slowest / perfect, 1.25) << budget.rows << "x" << budget.cols;
  }
}

TEST(Pipeline, InstantiatedGraphPredictsWithOneEnginePerStage) {
  Fixture f = load("resnet18");
  auto s = DesignSpace::create(pipelineConstraints(), f.plat, f.lib, false, &f.model);
  ASSERT_TRUE(s.ok());
  bool predicted = false;
  for (uint64_t id = 0; id < s->size() && !predicted; ++id) {
    DesignPoint p = s->point(id);
    if (s->bases()[p.base].family != "layer_pipeline" || s->shapes()[p.shape].rows < 16) continue;
    auto g = s->instantiate(p);
    ASSERT_TRUE(g.ok()) << s->describe(p) << ": " << g.error().format();
    EXPECT_EQ(g->stages.size(), s->pipelineStages().size());
    EXPECT_EQ(static_cast<int64_t>(g->computeNodes().size()), static_cast<int64_t>(g->stages.size()));
    auto d = predict::prepareDesign(*g, &f.lib);
    ASSERT_TRUE(d.ok()) << d.error().format();
    auto pr = predict::predict(*d, f.model, {});
    ASSERT_TRUE(pr.ok()) << pr.error().format();
    ASSERT_EQ(pr->stageCycles.size(), g->stages.size());
    double slowest = 0;
    for (const auto& [name, c] : pr->stageCycles) slowest = std::max(slowest, c);
    EXPECT_NEAR(pr->throughputInfPerS, d->clockHz / slowest, 1e-6 * pr->throughputInfPerS);
    EXPECT_EQ(pr->macs, f.model.totalMacs());
    predicted = true;
  }
  EXPECT_TRUE(predicted);
}

TEST(Pipeline, ExploreIsThreadCountIndependent) {
  auto model = workload::loadModelByName("alexnet");
  ASSERT_TRUE(model.ok());
  auto c = pipelineConstraints();
  std::string out[2];
  for (int t = 1; t <= 2; ++t) {
    ExploreOptions opt;
    opt.threads = t;
    opt.stage2Designs = 3;
    opt.fineTopK = 1;
    auto r = exploreModel(*model, c, opt);
    ASSERT_TRUE(r.ok()) << r.error().format();
    ASSERT_GE(r->winner, 0);
    EXPECT_EQ(r->designs[r->winner].graph.templateName, "layer_pipeline");
    out[t - 1] = paretoJson(*r).dump() + summaryText(*r) + r->designs[r->winner].mappings.dump();
  }
  EXPECT_EQ(out[0], out[1]);
}
