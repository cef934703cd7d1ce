// Case files of the validation suite: a good case loads with its batch in the model, and every
// validation.* diagnostic is provoked by a minimal bad case (docs/diagnostics.md).

#include <gtest/gtest.h>

#include <filesystem>

#include "TestSupport.h"
#include "dnnchip/predict/PredictRun.h"
#include "dnnchip/validate/ValidationRun.h"

namespace dnnchip::validate {
namespace {

namespace fs = std::filesystem;

// A one-row case on a built-in design around `rows` (the "measured" array) and `extra` fields.
std::string caseText(const std::string& rows, const std::string& extra = "",
                     const std::string& mapping = R"({"policy": "default"})") {
  return R"({"schema_version": 1, "hardware": "test", "model": "alexnet", "batch": 2, "design": "eyeriss_like",
            "mapping": )" + mapping + extra + R"(, "measured": )" + rows + "}";
}

const std::string kGoodRow =
    R"([{"metric": "latency_ms", "layers": ["conv1"], "value": 10, "source": "a paper, Table 1"}])";

fs::path writeCase(const std::string& tag, const std::string& text, const std::string& name = "c") {
  const fs::path dir = test::tempDir(tag) / name;
  test::writeFile(dir / "case.json", text);
  return dir;
}

std::string codeOf(const std::string& tag, const std::string& text) {
  auto c = loadCase(writeCase(tag, text));
  return c.ok() ? "ok" : c.error().code;
}

TEST(ValidationCase, GoodCaseLoadsWithItsBatch) {
  auto c = loadCase(writeCase("vcase_good", caseText(kGoodRow)));
  ASSERT_TRUE(c.ok()) << c.error().format();
  EXPECT_EQ(c->batch, 2);
  const workload::Layer* conv1 = c->model.findLayer("conv1");
  ASSERT_NE(conv1, nullptr);
  EXPECT_EQ(conv1->loopNest()->bound[workload::Dim::N], 2);
  ASSERT_EQ(c->measured.size(), 1u);
  EXPECT_DOUBLE_EQ(c->measured[0].tolerance, kLayerGoal);
  EXPECT_EQ(c->measured[0].scopeLabel(), "conv1");
  auto rows = runCase(*c);
  ASSERT_TRUE(rows.ok()) << rows.error().format();
  EXPECT_GT((*rows)[0].predicted, 0);
}

TEST(ValidationCase, UnknownMetric) {
  EXPECT_EQ(codeOf("vcase_metric", caseText(R"([{"metric": "fps", "value": 1, "source": "s"}])")),
            "validation.bad-metric");
}

TEST(ValidationCase, ExcludeNodesOnLatency) {
  EXPECT_EQ(codeOf("vcase_excl",
                   caseText(R"([{"metric": "latency_ms", "value": 1, "source": "s", "exclude_nodes": ["dram"]}])")),
            "validation.bad-metric");
}

TEST(ValidationCase, AccessRowsNameTheirNode) {
  EXPECT_EQ(codeOf("vcase_access_nonode", caseText(R"([{"metric": "access_mb", "value": 1, "source": "s"}])")),
            "validation.bad-metric");
  EXPECT_EQ(codeOf("vcase_node_latency",
                   caseText(R"([{"metric": "latency_ms", "node": "glb", "value": 1, "source": "s"}])")),
            "validation.bad-metric");
  // A node the design has: bytes from the reuse analysis, labelled with the node.
  auto c = loadCase(writeCase(
      "vcase_access",
      caseText(R"([{"metric": "access_mb", "node": "glb", "layers": ["conv1"], "value": 10, "source": "s"},
                  {"metric": "access_mb", "node": "dram", "layers": ["conv1"], "value": 10, "source": "s"}])")));
  ASSERT_TRUE(c.ok()) << c.error().format();
  EXPECT_EQ(c->measured[0].scopeLabel(), "conv1 @glb");
  auto rows = runCase(*c);
  ASSERT_TRUE(rows.ok()) << rows.error().format();
  EXPECT_GT((*rows)[0].predicted, 0);
  // DRAM traffic of conv1 is at least its input, weights and output once (batch 2, 16-bit words),
  // and exactly the reuse analysis' DRAM reads, fills and updates in 16-bit words.
  const double once = (2.0 * 3 * 227 * 227 + 96.0 * 3 * 11 * 11 + 2.0 * 96 * 55 * 55) * 2 / 1e6;
  EXPECT_GE((*rows)[1].predicted, once * 0.999);
  predict::PredictRequest req;
  req.design = "eyeriss_like";
  auto p = predict::predictModel(c->model, req);
  ASSERT_TRUE(p.ok()) << p.error().format();
  double words = 0;
  for (const predict::LayerPrediction& l : p->layers)
    if (l.name == "conv1")
      for (int t = 0; t < 3; ++t) words += l.eval.reads[0][t] + l.eval.fills[0][t] + l.eval.updates[0][t];
  EXPECT_NEAR((*rows)[1].predicted, words * 2 / 1e6, 1e-9 * words);
  // A node the design lacks is a diagnostic, not a row at -100 %.
  auto bad = loadCase(writeCase(
      "vcase_access_bad",
      caseText(R"([{"metric": "access_mb", "node": "l3_cache", "layers": ["conv1"], "value": 10, "source": "s"}])")));
  ASSERT_TRUE(bad.ok()) << bad.error().format();
  auto badRows = runCase(*bad);
  ASSERT_FALSE(badRows.ok());
  EXPECT_EQ(badRows.error().code, "validation.unknown-node");
}

TEST(ValidationCase, PowerBreakdownAddsUpToThePredictedPower) {
  auto c = loadCase(writeCase(
      "vcase_power",
      caseText(R"([{"metric": "power_mw", "layers": ["conv1", "conv2"], "value": 100, "source": "s", "tolerance": 5,
                    "tolerance_reason": "r", "exclude_nodes": ["dram"]}])")));
  ASSERT_TRUE(c.ok()) << c.error().format();
  auto rows = runCase(*c);
  ASSERT_TRUE(rows.ok()) << rows.error().format();
  const ValidationRow& r = (*rows)[0];
  double sum = 0;
  bool leakage = false;
  for (const auto& [node, mw] : r.powerByNodeMw) {
    EXPECT_NE(node, "dram");
    leakage = leakage || node == "leakage";
    sum += mw;
  }
  EXPECT_TRUE(leakage);
  EXPECT_GT(r.predicted, 0);
  EXPECT_NEAR(sum, r.predicted, 1e-9 * r.predicted);
}

TEST(ValidationCase, HostTimeIsAddedToLatencyRowsOnlyAndSourced) {
  const std::string row = R"({"metric": "latency_ms", "layers": ["conv1"], "value": 10, "source": "s")";
  auto plain = loadCase(writeCase("vcase_host_plain", caseText("[" + row + "}]")));
  auto host = loadCase(writeCase(
      "vcase_host", caseText("[" + row + R"(, "host_ms": {"value": 1.25, "source": "a table, single - multi"}}])")));
  ASSERT_TRUE(plain.ok()) << plain.error().format();
  ASSERT_TRUE(host.ok()) << host.error().format();
  EXPECT_EQ(host->measured[0].scopeLabel(), "conv1 + host 1.25 ms");
  auto a = runCase(*plain);
  auto b = runCase(*host);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NEAR((*b)[0].predicted - (*a)[0].predicted, 1.25, 1e-9);
  EXPECT_DOUBLE_EQ((*b)[0].hostMs, 1.25);
  // not on other metrics, never without a source, never negative
  EXPECT_EQ(codeOf("vcase_host_power", caseText(R"([{"metric": "power_mw", "value": 1, "source": "s",
                                                     "host_ms": {"value": 1, "source": "s"}}])")),
            "validation.bad-metric");
  EXPECT_EQ(codeOf("vcase_host_nosrc", caseText("[" + row + R"(, "host_ms": {"value": 1, "source": ""}}])")),
            "validation.unsourced");
  EXPECT_NE(codeOf("vcase_host_neg", caseText("[" + row + R"(, "host_ms": {"value": -1, "source": "s"}}])")), "ok");
}

TEST(ValidationCase, NoMeasuredFigure) {
  EXPECT_EQ(codeOf("vcase_empty", caseText("[]")), "validation.bad-metric");
}

TEST(ValidationCase, UnknownPolicyAndObjective) {
  EXPECT_EQ(codeOf("vcase_policy", caseText(kGoodRow, "", R"({"policy": "guess"})")), "validation.bad-policy");
  EXPECT_EQ(codeOf("vcase_obj", caseText(kGoodRow, "", R"({"policy": "search", "objective": "beauty"})")),
            "validation.bad-policy");
  EXPECT_EQ(codeOf("vcase_file", caseText(kGoodRow, "", R"({"policy": "file", "file": "absent.json"})")),
            "validation.bad-policy");
}

TEST(ValidationCase, UnknownLayer) {
  EXPECT_EQ(codeOf("vcase_layer",
                   caseText(R"([{"metric": "latency_ms", "layers": ["conv9"], "value": 1, "source": "s"}])")),
            "validation.unknown-layer");
  EXPECT_EQ(codeOf("vcase_layer0", caseText(R"([{"metric": "latency_ms", "layers": [], "value": 1, "source": "s"}])")),
            "validation.unknown-layer");
}

TEST(ValidationCase, WideToleranceNeedsAReason) {
  EXPECT_EQ(codeOf("vcase_tol", caseText(R"([{"metric": "latency_ms", "value": 1, "source": "s", "tolerance": 0.3}])")),
            "validation.tolerance-unexplained");
  EXPECT_EQ(codeOf("vcase_tol_ok", caseText(R"([{"metric": "latency_ms", "value": 1, "source": "s", "tolerance": 0.3,
                                                 "tolerance_reason": "what the model leaves out"}])")),
            "ok");
}

TEST(ValidationCase, FigureWithoutSource) {
  EXPECT_EQ(codeOf("vcase_src", caseText(R"([{"metric": "latency_ms", "value": 1, "source": ""}])")),
            "validation.unsourced");
  EXPECT_EQ(codeOf("vcase_src2", caseText(R"([{"metric": "latency_ms", "value": 1}])")), "json.missing-field");
}

TEST(ValidationCase, InputZeroFractionIsSourcedPerKnownLayerAndInRange) {
  auto c = loadCase(writeCase("vcase_zf", caseText(kGoodRow, R"(, "input_zero_fraction":
      {"conv2": {"value": 0.387, "source": "JSSC'17 Table V"}})")));
  ASSERT_TRUE(c.ok()) << c.error().format();
  ASSERT_EQ(c->inputZeroFraction.size(), 1u);
  EXPECT_EQ(c->inputZeroFraction[0].first, "conv2");
  EXPECT_DOUBLE_EQ(c->inputZeroFraction[0].second, 0.387);
  EXPECT_EQ(codeOf("vcase_zf_layer", caseText(kGoodRow, R"(, "input_zero_fraction":
      {"conv9": {"value": 0.5, "source": "s"}})")), "validation.unknown-layer");
  EXPECT_EQ(codeOf("vcase_zf_range", caseText(kGoodRow, R"(, "input_zero_fraction":
      {"conv2": {"value": 1.5, "source": "s"}})")), "value.range");
  EXPECT_EQ(codeOf("vcase_zf_src", caseText(kGoodRow, R"(, "input_zero_fraction":
      {"conv2": {"value": 0.5, "source": ""}})")), "validation.unsourced");
  EXPECT_EQ(codeOf("vcase_zf_typo", caseText(kGoodRow, R"(, "input_zero_fraction":
      {"conv2": {"value": 0.5, "source": "s", "sorce": "t"}})")), "json.unknown-field");
}

TEST(ValidationCase, NameMustMatchFolder) {
  EXPECT_EQ(codeOf("vcase_name", caseText(kGoodRow, R"(, "name": "other")")), "validation.bad-name");
}

TEST(ValidationCase, TyposAndBadValues) {
  EXPECT_EQ(codeOf("vcase_typo", caseText(kGoodRow, R"(, "bacth": 4)")), "json.unknown-field");
  EXPECT_EQ(codeOf("vcase_neg", caseText(R"([{"metric": "latency_ms", "value": -1, "source": "s"}])")), "value.range");
  EXPECT_EQ(codeOf("vcase_model", R"({"schema_version": 1, "hardware": "t", "model": "nosuchmodel", "design": "x",
                                      "mapping": {"policy": "default"}, "measured": []})"),
            "lib.unknown-name");
  EXPECT_EQ(codeOf("vcase_syntax", "{"), "json.syntax");
}

TEST(ValidationSuite, FolderDiagnostics) {
  auto none = runSuite(test::tempDir("vsuite_none") / "absent", "");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, "validation.no-suite");
  auto empty = runSuite(test::tempDir("vsuite_empty"), "");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, "validation.empty-suite");
  const fs::path one = writeCase("vsuite_one", caseText(kGoodRow)).parent_path();
  auto unknown = runSuite(one, "nosuchcase");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, "validation.unknown-case");
}

TEST(ValidationSuite, BadCaseInsideSuiteIsADiagnostic) {
  const fs::path dir = writeCase("vsuite_bad", caseText(R"([{"metric": "joules", "value": 1, "source": "s"}])"));
  auto rep = runSuite(dir.parent_path(), "");
  ASSERT_FALSE(rep.ok());
  EXPECT_EQ(rep.error().code, "validation.bad-metric");
  EXPECT_NE(rep.error().location.file.find("case.json"), std::string::npos);
  EXPECT_EQ(rep.error().location.pointer, "/measured/0/metric");
}

}  // namespace
}  // namespace dnnchip::validate
