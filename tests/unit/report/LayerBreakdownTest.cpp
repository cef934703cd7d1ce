// The per-layer utilization and energy table of the build report, from a hand-made fine-mode
// prediction of three layers whose shares are known by construction.

#include "dnnchip/report/Report.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

using namespace dnnchip::report;

namespace {

/// 16 PEs: utilization = MACs / (cycles x 16). Batch 2: energy per image = half the energy.
Report handMade() {
  Report r;
  r.title = "t";
  r.batch = 2;
  LayerRow conv1{.name = "conv1", .cycles = 1000, .energyPj = 5e6, .utilization = 0.8, .bound = "engine_dma_read"};
  conv1.op = "conv2d";
  conv1.macs = 12800;
  conv1.conv3x3 = true;
  conv1.phaseCycles = {{"engine_dma_read", 600}, {"engine_array", 300}, {"engine_vector", 0},
                       {"engine_dma_write", 50}, {"engine_weight_stall", 30}, {"engine_control", 20}};
  conv1.energyByBlockPj = {{"array", 1e6}, {"act_buf", 1.5e6}, {"acc_buf", 2e6}, {"dram", 0.5e6}};
  LayerRow conv2{.name = "conv2", .cycles = 1000, .energyPj = 0, .utilization = 0.4, .bound = "compute"};  // no engine phases, no energy
  conv2.op = "conv2d";
  conv2.macs = 6400;
  conv2.conv3x3 = true;
  LayerRow fc{.name = "fc", .cycles = 3000, .energyPj = 1e6, .utilization = 0.1, .bound = "engine_array"};
  fc.op = "fc";
  fc.macs = 4800;
  fc.phaseCycles = {{"engine_dma_read", 1000}, {"engine_array", 1500}, {"engine_vector", 250},
                    {"engine_dma_write", 250}, {"engine_weight_stall", 0}, {"engine_control", 0}};
  fc.energyByBlockPj = {{"array", 0.4e6}, {"dram", 0.6e6}};
  r.layers = {conv1, conv2, fc};
  return r;
}

/// The cells of the table row whose first cell is `first` (tags stripped).
std::vector<std::string> rowCells(const std::string& html, const std::string& first) {
  const size_t table = html.find("<table id=\"layer-energy\">");
  if (table == std::string::npos) return {};
  const size_t at = html.find(">" + first + "</t", table);
  if (at == std::string::npos) return {};
  const size_t begin = html.rfind("<tr", at), end = html.find("</tr>", at);
  std::vector<std::string> cells;
  for (size_t p = html.find("<t", begin + 3); p < end; p = html.find("<t", p + 1)) {
    const size_t open = html.find('>', p), close = html.find("</t", open);
    cells.push_back(html.substr(open + 1, close - open - 1));
    p = close;
  }
  return cells;
}

double pct(const std::string& cell) { return std::strtod(cell.c_str(), nullptr); }

}  // namespace

TEST(ReportLayerTable, SharesAndNetworkRow) {
  const Report r = handMade();
  const LayerBreakdown b = breakdown(r.layers, r.batch);
  EXPECT_DOUBLE_EQ(b.totalCycles, 5000);
  EXPECT_DOUBLE_EQ(b.layers[0].cycleShare, 0.2);
  EXPECT_DOUBLE_EQ(b.layers[2].cycleShare, 0.6);
  // Largest network energy first: acc_buf 2e6, act_buf 1.5e6, array 1.4e6, dram 1.1e6.
  EXPECT_EQ(b.blocks, (std::vector<std::string>{"acc_buf", "act_buf", "array", "dram"}));
  EXPECT_DOUBLE_EQ(b.energyPerImagePj, 3e6);
  EXPECT_NEAR(b.networkBlockShare[0], 2.0 / 6.0, 1e-12);
  ASSERT_TRUE(b.layers[0].phaseShare);
  EXPECT_DOUBLE_EQ((*b.layers[0].phaseShare)[static_cast<size_t>(Phase::Read)], 0.6);
  EXPECT_DOUBLE_EQ((*b.layers[0].phaseShare)[static_cast<size_t>(Phase::Other)], 0.02);
  EXPECT_FALSE(b.layers[1].phaseShare);
  EXPECT_DOUBLE_EQ((*b.layers[2].phaseShare)[static_cast<size_t>(Phase::Other)], 250.0 / 3000.0);
  for (const auto& l : b.layers) {
    if (l.phaseShare) {
      double sum = 0;
      for (double s : *l.phaseShare) sum += s;
      EXPECT_NEAR(sum, 1.0, 1e-12);
    }
  }
  EXPECT_EQ(b.layers[1].blockShare, (std::vector<double>{0, 0, 0, 0}));  // zero energy: no NaN
  // MAC-weighted over the 3x3 convolutions: (12800 + 6400) / (16000 + 16000); fc left out.
  // Network phases over conv1 and fc (conv2 has none): read (600 + 1000) / 4000, other 20 + 250.
  ASSERT_TRUE(b.networkPhaseShare);
  EXPECT_DOUBLE_EQ((*b.networkPhaseShare)[static_cast<size_t>(Phase::Read)], 0.4);
  EXPECT_DOUBLE_EQ((*b.networkPhaseShare)[static_cast<size_t>(Phase::Other)], 270.0 / 4000.0);
  ASSERT_TRUE(b.conv3x3Utilization);
  EXPECT_DOUBLE_EQ(*b.conv3x3Utilization, 0.6);
}

TEST(ReportLayerTable, PhaseColumns) {
  EXPECT_EQ(phaseOf("engine_dma_read"), Phase::Read);
  EXPECT_EQ(phaseOf("engine_array"), Phase::Array);
  EXPECT_EQ(phaseOf("engine_dma_write"), Phase::Write);
  EXPECT_EQ(phaseOf("engine_weight_stall"), Phase::Stall);
  EXPECT_EQ(phaseOf("engine_vector"), Phase::Other);
  EXPECT_EQ(phaseOf("engine_control"), Phase::Other);
  EXPECT_STREQ(phaseName(Phase::Stall), "stall");
  EXPECT_EQ(boundLabel("engine_weight_stall"), "weight stall");
  EXPECT_EQ(boundLabel("dram->glb"), "dram->glb");
}

TEST(ReportLayerTable, HtmlTableShowsTheComputedValues) {
  const std::string html = renderHtml(handMade());
  ASSERT_NE(html.find("<h2>Per-layer utilization and energy</h2>"), std::string::npos);
  const auto head = rowCells(html, "layer");
  EXPECT_EQ(head, (std::vector<std::string>{"layer", "op", "cycles", "share of network", "MAC utilization", "bound",
                                            "read", "array", "write", "stall", "other", "energy (uJ)", "acc_buf",
                                            "act_buf", "array", "dram"}));
  const auto conv1 = rowCells(html, "conv1");
  EXPECT_EQ(conv1, (std::vector<std::string>{"conv1", "conv2d", "1000", "20.0%", "80.0%", "DMA read", "60.0%",
                                             "30.0%", "5.0%", "3.0%", "2.0%", "2.500", "40.0%", "30.0%", "20.0%",
                                             "10.0%"}));
  const auto conv2 = rowCells(html, "conv2");
  ASSERT_EQ(conv2.size(), 16u);
  EXPECT_EQ(conv2[5], "compute");
  EXPECT_EQ(conv2[6], "&mdash;");
  const auto fc = rowCells(html, "fc");
  ASSERT_EQ(fc.size(), 16u);
  EXPECT_EQ(fc[4], "10.0%");
  EXPECT_EQ(fc[5], "array");
  // Printed shares add up to 100 % within rounding (0.05 % per cell).
  for (const auto& row : {conv1, fc}) {
    double phases = 0, blocks = 0;
    for (int i = 6; i < 11; ++i) phases += pct(row[i]);
    for (int i = 12; i < 16; ++i) blocks += pct(row[i]);
    EXPECT_NEAR(phases, 100.0, 0.25);
    EXPECT_NEAR(blocks, 100.0, 0.2);
  }
  const auto net = rowCells(html, "network");
  ASSERT_EQ(net.size(), 16u);
  EXPECT_EQ(net[2], "5000");
  EXPECT_EQ(net[4], "60.0% (3x3)");
  EXPECT_EQ((std::vector<std::string>(net.begin() + 6, net.begin() + 11)),
            (std::vector<std::string>{"40.0%", "45.0%", "7.5%", "0.8%", "6.8%"}));
  EXPECT_EQ(net[11], "3.000");
  EXPECT_EQ((std::vector<std::string>(net.begin() + 12, net.end())),
            (std::vector<std::string>{"33.3%", "25.0%", "23.3%", "18.3%"}));
  // The stacked bar: one segment per non-zero block share (4 + 2), no script.
  EXPECT_NE(html.find("class=\"block-shares\""), std::string::npos);
  EXPECT_NE(html.find("<title>conv1: acc_buf 40.0%</title>"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

TEST(ReportLayerTable, EscapesBlockAndLayerNames) {
  Report r = handMade();
  r.layers[0].name = "a<b";
  r.layers[0].energyByBlockPj[0].first = "x&y";
  const std::string html = renderHtml(r);
  EXPECT_NE(html.find("<th>x&amp;y</th>"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"l\">a&lt;b</td>"), std::string::npos);
  EXPECT_EQ(html.find("x&y"), std::string::npos);
}

TEST(ReportLayerTable, JsonCarriesPhasesBlocksAndTotals) {
  const auto j = toJson(handMade());
  ASSERT_EQ(j["layers"].size(), 3u);
  const auto& c = j["layers"][0];
  EXPECT_EQ(c["bound"], "engine_dma_read");
  EXPECT_DOUBLE_EQ(c["utilization"].get<double>(), 0.8);
  EXPECT_DOUBLE_EQ(c["cycle_share"].get<double>(), 0.2);
  EXPECT_DOUBLE_EQ(c["phase_cycles"]["engine_dma_read"].get<double>(), 600);
  EXPECT_DOUBLE_EQ(c["energy_by_block_pj"]["acc_buf"].get<double>(), 2e6);
  EXPECT_TRUE(j["layers"][1]["phase_cycles"].empty());
  const auto& t = j["layers_total"];
  EXPECT_DOUBLE_EQ(t["energy_per_image_pj"].get<double>(), 3e6);
  EXPECT_DOUBLE_EQ(t["conv3x3_utilization"].get<double>(), 0.6);
  EXPECT_EQ(t["blocks"][0], "acc_buf");
  EXPECT_DOUBLE_EQ(t["phase_share"]["read"].get<double>(), 0.4);
  EXPECT_EQ(j["batch"], 2);
}

TEST(ReportLayerTable, DeterministicOutput) {
  EXPECT_EQ(renderHtml(handMade()), renderHtml(handMade()));
  EXPECT_EQ(toJson(handMade()).dump(), toJson(handMade()).dump());
}
