// Constraint files: parsing, round trip, and one test per constraints.* code.
#include <gtest/gtest.h>

#include "dnnchip/search/Constraints.h"

using namespace dnnchip;
using namespace dnnchip::search;

namespace {

const std::vector<std::string> kPlatforms = {"ultra96", "zc706"};
const std::vector<std::string> kIps = {"mac_int8", "bram36"};

diag::Expected<Constraints> parse(const std::string& body) {
  auto j = io::parseJson("{\"schema_version\":1," + body + "}", "c.json");
  EXPECT_TRUE(j.ok());
  return parseConstraints(*j, "c.json", kPlatforms, kIps);
}

std::string code(const diag::Expected<Constraints>& c) { return c.ok() ? "ok" : c.error().code; }

}  // namespace

TEST(Constraints, FullFileParsesInSiUnits) {
  auto c = parse(R"("platform":"ultra96","clock_mhz":200,"dram_bandwidth_gbps":4.2,
    "bounds":{"latency_ms":{"max":50},"throughput_fps":{"min":20},"power_w":{"max":5},
              "dsp_share":{"max":0.9},"bram_share":{"max":0.8}},
    "objective":{"weighted_sum":{"latency":1,"energy":0.5}},
    "precision":{"activation_bits":8,"weight_bits":8,"accumulator_bits":24},
    "allowed":{"templates":["systolic"],"dataflows":["os","ws"],"ips":["mac_int8"]},
    "budget":{"max_evaluations":1000},"seed":7,"threads":2)");
  ASSERT_TRUE(c.ok()) << c.error().format();
  EXPECT_EQ(c->platform.name, "ultra96");
  EXPECT_DOUBLE_EQ(*c->clockMhz, 200);
  EXPECT_DOUBLE_EQ(*c->dramBytesPerSecond, 4.2e9);
  ASSERT_EQ(c->bounds.size(), 3u);
  EXPECT_EQ(c->bounds[0].metric, Metric::Latency);
  EXPECT_DOUBLE_EQ(*c->bounds[0].max, 0.05);
  EXPECT_EQ(c->bounds[0].pointer, "/bounds/latency_ms");
  EXPECT_DOUBLE_EQ(*c->shares.dsp, 0.9);
  EXPECT_TRUE(c->objective.weighted);
  EXPECT_EQ(c->templates, std::vector<std::string>{"systolic"});
  EXPECT_EQ(c->dataflows, (std::vector<std::string>{"ws", "os"}));
  EXPECT_EQ(c->budget.maxEvaluations, 1000);
  EXPECT_FALSE(c->budget.maxSeconds.has_value());
  EXPECT_EQ(c->seed, 7u);
  EXPECT_EQ(c->threads, 2);
  auto again = parseConstraints(toJson(*c), "rt.json", kPlatforms, kIps);
  ASSERT_TRUE(again.ok()) << again.error().format();
  EXPECT_EQ(toJson(*again).dump(), toJson(*c).dump());
}

TEST(Constraints, DefaultsAllowEverythingWithAnEvaluationBudget) {
  auto c = parse(R"("platform":"zc706")");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->templates.size(), 3u);
  EXPECT_EQ(c->dataflows.size(), 3u);
  EXPECT_TRUE(c->ips.empty());
  EXPECT_GT(c->budget.maxEvaluations, 0);
  EXPECT_EQ(c->objective.metric, Metric::Latency);
}

TEST(Constraints, InlinePlatform) {
  auto c = parse(R"("platform":{"kind":"fpga","resources":{"dsp":100,"bram36":10,"lut":5000,"ff":9000},
                    "clock_mhz":100,"dram_bandwidth_gbps":1})");
  ASSERT_TRUE(c.ok()) << c.error().format();
  EXPECT_EQ(c->platform.resources->bram18, 20);
}

TEST(Constraints, UnknownPlatform) {
  auto c = parse(R"("platform":"ultra69")");
  EXPECT_EQ(code(c), "constraints.unknown-platform");
  EXPECT_EQ(c.error().location.pointer, "/platform");
  EXPECT_NE(c.error().hint.find("ultra96"), std::string::npos);
}

TEST(Constraints, InlinePlatformWithoutResources) {
  EXPECT_EQ(code(parse(R"("platform":{"kind":"fpga","clock_mhz":100,"dram_bandwidth_gbps":1})")),
            "constraints.empty-platform");
}

TEST(Constraints, ContradictoryBounds) {
  auto c = parse(R"("platform":"ultra96","bounds":{"throughput_fps":{"min":100,"max":10}})");
  EXPECT_EQ(code(c), "constraints.contradictory-bounds");
  EXPECT_EQ(c.error().location.pointer, "/bounds/throughput_fps");
  EXPECT_EQ(code(parse(R"("platform":"ultra96","bounds":{"dsp_share":{"max":0}})")),
            "constraints.contradictory-bounds");
}

TEST(Constraints, ShareAboveOneIsOutOfRange) {
  EXPECT_EQ(code(parse(R"("platform":"ultra96","bounds":{"lut_share":{"max":1.5}})")), "value.range");
}

TEST(Constraints, BoundWithoutMinOrMax) {
  EXPECT_EQ(code(parse(R"("platform":"ultra96","bounds":{"latency_ms":{}})")), "constraints.empty-bound");
}

TEST(Constraints, UnknownObjective) {
  auto c = parse(R"("platform":"ultra96","objective":"speed")");
  EXPECT_EQ(code(c), "constraints.unknown-objective");
  EXPECT_EQ(c.error().location.pointer, "/objective");
  EXPECT_EQ(code(parse(R"("platform":"ultra96","objective":{"weighted_sum":{"latency":0}})")),
            "constraints.unknown-objective");
  EXPECT_EQ(code(parse(R"("platform":"ultra96","objective":{"weighted_sum":{"joy":1}})")),
            "constraints.unknown-objective");
}

TEST(Constraints, EmptyAllowedSets) {
  EXPECT_EQ(code(parse(R"("platform":"ultra96","allowed":{"templates":[]})")), "constraints.empty-allowed");
  EXPECT_EQ(code(parse(R"("platform":"ultra96","allowed":{"dataflows":[]})")), "constraints.empty-allowed");
  EXPECT_EQ(code(parse(R"("platform":"ultra96","allowed":{"ips":[]})")), "constraints.empty-allowed");
  // Non-empty but disjoint: a systolic array cannot run row-stationary.
  EXPECT_EQ(code(parse(R"("platform":"ultra96","allowed":{"templates":["systolic"],"dataflows":["rs"]})")),
            "constraints.empty-allowed");
}

TEST(Constraints, UnknownTemplateDataflowIp) {
  auto t = parse(R"("platform":"ultra96","allowed":{"templates":["systolic","tpu"]})");
  EXPECT_EQ(code(t), "constraints.unknown-template");
  EXPECT_EQ(t.error().location.pointer, "/allowed/templates/1");
  EXPECT_EQ(code(parse(R"("platform":"ultra96","allowed":{"dataflows":["xs"]})")), "constraints.unknown-dataflow");
  EXPECT_EQ(code(parse(R"("platform":"ultra96","allowed":{"ips":["mac_int9"]})")), "constraints.unknown-ip");
}

TEST(Constraints, AccumulatorTooNarrow) {
  EXPECT_EQ(code(parse(R"("platform":"ultra96","precision":{"activation_bits":8,"weight_bits":8,"accumulator_bits":8})")),
            "constraints.contradictory-bounds");
}

TEST(Constraints, TyposAndSchema) {
  EXPECT_EQ(code(parse(R"("platform":"ultra96","bound":{})")), "json.unknown-field");
  auto j = io::parseJson(R"({"platform":"ultra96"})", "c.json");
  EXPECT_EQ(parseConstraints(*j, "c.json", kPlatforms, kIps).error().code, "json.schema-version");
}

TEST(Objective, CostsAndEdpAsWeightedSum) {
  Metrics a;
  a.latencyS = 2;
  a.energyJ = 3;
  a.throughputFps = 0.5;
  Objective lat;
  EXPECT_DOUBLE_EQ(lat.cost(a), 2);
  Objective thr;
  thr.metric = Metric::Throughput;
  EXPECT_DOUBLE_EQ(thr.cost(a), 2);
  Objective w;
  w.weighted = true;
  w.weights[static_cast<int>(Metric::Latency)] = 1;
  w.weights[static_cast<int>(Metric::Energy)] = 1;
  EXPECT_NEAR(w.cost(a), std::log(6.0), 1e-12);
  EXPECT_EQ(w.describe(), "weighted_sum(latency=1, energy=1)");
}

TEST(Constraints, TemplateAndDataflowNamesComeFromTheTemplateRegistry) {
  EXPECT_EQ(templateFamilies(), (std::vector<std::string>{"systolic", "spatial_array", "layer_pipeline"}));
  EXPECT_EQ(dataflowNames(), (std::vector<std::string>{"ws", "os", "rs"}));
}
