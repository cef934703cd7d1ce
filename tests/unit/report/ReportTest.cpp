#include "dnnchip/report/Report.h"

#include <gtest/gtest.h>

using namespace dnnchip::report;

namespace {
Report sample() {
  Report r;
  r.title = "dnnchip build: tiny on ultra96";
  r.model = "tiny";
  r.constraints = "ultra96";
  r.platform = "ultra96";
  r.design = "systolic_ws_8x8";
  r.stages = {"import: skipped (JSON model)", "explore: 120 points"};
  r.bounds = {{"max_latency_s", "s", 0.01, 0.002, true}, {"min_throughput", "inf/s", 1000, 500, false}};
  r.pareto = {{"d1", 0.002, 1e-3, 0.4, 500, true}, {"d2", 0.001, 3e-3, 0.9, 1000, false}};
  r.layers = {{.name = "conv1", .cycles = 1000, .energyPj = 5e6, .utilization = 0.8, .bound = "compute"},
              {.name = "fc", .cycles = 300, .energyPj = 1e6, .utilization = 0.2, .bound = "dram->glb"}};
  r.resources = {{"DSP", 64, 64.0, 360.0}, {"LUT", 5000, std::nullopt, 70560.0}};
  r.cycles = {{"conv1", 1000, 1000LL, true}, {"fc", 300, std::nullopt, std::nullopt}};
  r.files = {{"rtl/top.v", "the accelerator"}};
  return r;
}
int count(const std::string& s, const std::string& what) {
  int n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}
}  // namespace

TEST(Report, HtmlIsSelfContainedAndShowsEverySection) {
  std::string h = renderHtml(sample());
  EXPECT_EQ(h.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(count(h, "<script"), 0);
  EXPECT_EQ(count(h, "http://") - count(h, "http://www.w3.org/2000/svg"), 0) << "no external resources";
  EXPECT_EQ(count(h, "<circle class=\"point\""), 2);
  EXPECT_EQ(count(h, "stroke=\"#000\""), 1) << "exactly one chosen design is ringed";
  EXPECT_NE(h.find("id=\"bounds\""), std::string::npos);
  EXPECT_EQ(count(h, "<span class=\"bad\">no</span>"), 1) << "the throughput bound is not met";
  EXPECT_NE(h.find("not simulated"), std::string::npos);
  EXPECT_NE(h.find("bit-exact"), std::string::npos);
}

TEST(Report, EscapesUserText) {
  Report r = sample();
  r.model = "<script>alert(1)</script>";
  std::string h = renderHtml(r);
  EXPECT_EQ(count(h, "<script"), 0);
  EXPECT_NE(h.find("&lt;script&gt;"), std::string::npos);
}

TEST(Report, DeterministicAndJsonMatches) {
  EXPECT_EQ(renderHtml(sample()), renderHtml(sample()));
  auto j = toJson(sample());
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["bounds"][1]["met"], false);
  EXPECT_EQ(j["bounds"][0]["kind"], "max");
  EXPECT_EQ(j["pareto"].size(), 2u);
  EXPECT_TRUE(j["cycles"][1]["simulated"].is_null());
  EXPECT_EQ(j["resources"][0]["synthesized"], 64.0);
}

TEST(Report, ParetoAxesGoLogAcrossDecades) {
  std::vector<ParetoPoint> pts = {{"a", 1e-4, 1e-6, 0, 0, false}, {"b", 1e-1, 1e-2, 1, 0, true}};
  std::string s = paretoSvg(pts);
  EXPECT_NE(s.find("(log)"), std::string::npos);
  EXPECT_NE(paretoSvg({}).find("no designs"), std::string::npos);
}

TEST(Report, ConvergenceSectionPlotsEveryFeasiblePoint) {
  // A curve of four points, one without a feasible design: the plot draws three markers on one
  // step line, the table four rows, report.json the four points with a null cost. Checked once
  // with the section left out when a point has no cost: the counts failed.
  Report r = sample();
  r.objective = "energy";
  r.convergence = {{"stage 1", 0, std::nullopt}, {"re-rank", 1000, 2.5e-3}, {"stage 2", 1500, 2.0e-3},
                   {"stage 2", 3000, 1.5e-3}};
  std::string h = renderHtml(r);
  EXPECT_NE(h.find("<h2>Search convergence</h2>"), std::string::npos);
  const auto at = h.find("class=\"convergence\"");
  ASSERT_NE(at, std::string::npos);
  const std::string svg = h.substr(at, h.find("</svg>", at) - at);
  EXPECT_EQ(count(svg, "<circle"), 3);
  EXPECT_EQ(count(svg, "<path d=\"M"), 1);
  EXPECT_EQ(count(h, "none feasible"), 1);
  auto j = toJson(r);
  ASSERT_EQ(j["convergence"].size(), 4u);
  EXPECT_TRUE(j["convergence"][0]["cost"].is_null());
  EXPECT_EQ(j["convergence"][3]["evaluations"], 3000);
  EXPECT_EQ(j["objective"], "energy");
  // no search (a given design): no section
  EXPECT_EQ(renderHtml(sample()).find("Search convergence"), std::string::npos);
  EXPECT_NE(convergenceSvg({{"stage 1", 0, std::nullopt}}, "energy").find("no feasible design"), std::string::npos);
}
