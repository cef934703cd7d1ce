// DOT output: deterministic, one statement per node and edge, levels on ranks, labels with sizes
// and tensors; and the `dnnchip graph` command (DOT, SVG, JSON, missing Graphviz, bad input).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <sys/wait.h>

#include "TestSupport.h"
#include "dnnchip/graph/GraphDot.h"
#include "dnnchip/graph/GraphJson.h"

using namespace dnnchip;
using namespace dnnchip::graph;

namespace {

AcceleratorGraph design(const std::string& name) {
  auto g = loadGraph(test::sourceDir() / "designs" / "accelerators" / (name + ".json"));
  EXPECT_TRUE(g.ok()) << (g.ok() ? "" : g.error().format());
  return g.ok() ? std::move(*g) : AcceleratorGraph();
}

int countMatches(const std::string& text, const std::string& pattern) {
  std::regex re(pattern);
  return static_cast<int>(std::distance(std::sregex_iterator(text.begin(), text.end(), re), std::sregex_iterator()));
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST(GraphDot, DeterministicAndStructurallyRight) {
  for (const char* name : {"eyeriss_like", "tpu_like", "shidiannao_like", "dnnbuilder_like", "systolic_ws_8x8",
                           "systolic_os_8x8"}) {
    AcceleratorGraph g = design(name);
    const std::string a = toDot(g), b = toDot(g);
    EXPECT_EQ(a, b);
    AcceleratorGraph copy = g;  // a copy draws the same
    EXPECT_EQ(toDot(copy), a);
    EXPECT_EQ(countMatches(a, R"(\n  n\d+ \[label=)"), static_cast<int>(g.numNodes())) << name;
    EXPECT_EQ(countMatches(a, R"(\n  n\d+ -> n\d+ \[)"), static_cast<int>(g.numEdges())) << name;
    EXPECT_EQ(a.rfind("digraph \"" + g.name + "\" {", a.find("digraph")), a.find("digraph"));
    EXPECT_EQ(a.back(), '\n');
    EXPECT_EQ(a.substr(a.size() - 2), "}\n");
    // Every node is on exactly one rank line.
    int ranked = 0;
    for (size_t p = a.find("rank=same;"); p != std::string::npos; p = a.find("rank=same;", p + 1)) {
      const std::string line = a.substr(p, a.find('\n', p) - p);
      ranked += countMatches(line, R"( n\d+;)");
    }
    EXPECT_EQ(ranked, static_cast<int>(g.numNodes())) << name;
  }
}

TEST(GraphDot, LabelsCarrySizesShapesAndTensors) {
  AcceleratorGraph g = design("eyeriss_like");
  const std::string dot = toDot(g);
  EXPECT_NE(dot.find("glb\\nbuffer (sram_cacti65)\\n108 KiB, 64 b\\nholds input,output"), std::string::npos) << dot;
  EXPECT_NE(dot.find("12x14 PEs, row_stationary"), std::string::npos);
  EXPECT_NE(dot.find("448 B x168, 16 b"), std::string::npos);
  EXPECT_NE(dot.find("shape=cylinder"), std::string::npos);
  // The DRAM -> weight NoC edge: tensors and width.
  const Node* dram = g.findNode("dram");
  const Node* wnoc = g.findNode("weight_noc");
  const std::string edge = "n" + std::to_string(dram->id) + " -> n" + std::to_string(wnoc->id) + " [label=\"weight\\n64 b\"]";
  EXPECT_NE(dot.find(edge), std::string::npos) << dot;
  // Control edges are dashed and unlabelled by width.
  EXPECT_NE(dot.find("[label=\"control\", style=dashed]"), std::string::npos);
  // Stage names appear on pipeline engines.
  EXPECT_NE(toDot(design("dnnbuilder_like")).find("stage conv2: conv2 pool2"), std::string::npos);
}

TEST(GraphDot, NamesWithQuotesAreEscaped) {
  AcceleratorGraph g = design("systolic_ws_8x8");
  g.name = "a \"quoted\" name";
  g.mutableNode(0).name = "dr\\am";
  const std::string dot = toDot(g);
  EXPECT_NE(dot.find("digraph \"a \\\"quoted\\\" name\""), std::string::npos);
  EXPECT_NE(dot.find("dr\\\\am"), std::string::npos);
}

// ---- the CLI -------------------------------------------------------------------------------

TEST(GraphCommand, WritesDotToStdout) {
  auto r = test::runCli("graph eyeriss_like");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(r.out, toDot(design("eyeriss_like")));
  EXPECT_EQ(test::runCli("graph eyeriss_like").out, r.out);
}

TEST(GraphCommand, HelpDescribesTheOptions) {
  auto r = test::runCli("graph --help");
  EXPECT_EQ(r.exitCode, 0);
  for (const char* opt : {"--output", "--svg", "--json", "docs/graph.md"}) EXPECT_NE(r.out.find(opt), std::string::npos) << opt;
}

TEST(GraphCommand, WritesDotSvgAndJsonFiles) {
  const auto dir = test::tempDir("graph-cli");
  auto r = test::runCli("graph tpu_like -o '" + (dir / "tpu.dot").string() + "' --json '" + (dir / "tpu.json").string() + "'");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(r.out.empty());
  EXPECT_EQ(slurp(dir / "tpu.dot"), toDot(design("tpu_like")));
  auto back = loadGraph(dir / "tpu.json");
  ASSERT_TRUE(back.ok()) << back.error().format();
  EXPECT_EQ(toJson(*back), toJson(design("tpu_like")));
  if (std::system("command -v dot >/dev/null 2>&1") == 0) {
    const std::string svg = slurp(dir / "tpu.svg");
    EXPECT_NE(svg.find("<svg"), std::string::npos);
    EXPECT_NE(svg.find("unified_buffer"), std::string::npos);
    auto s = test::runCli("graph systolic_os_8x8 --svg '" + (dir / "os.svg").string() + "'");
    ASSERT_EQ(s.exitCode, 0) << s.err;
    EXPECT_NE(slurp(dir / "os.svg").find("</svg>"), std::string::npos);
    EXPECT_EQ(s.out, toDot(design("systolic_os_8x8")));  // DOT still on stdout
  } else {
    EXPECT_NE(r.err.find("graph.dot-missing"), std::string::npos) << r.err;
  }
}

TEST(GraphCommand, SvgRequestedWithoutGraphvizIsAnError) {
  const auto dir = test::tempDir("graph-nodot");
  const auto bin = std::filesystem::path(std::getenv("DNNCHIP_BIN") ? std::getenv("DNNCHIP_BIN") : DNNCHIP_BIN_PATH);
  // Run with a PATH where there is no `dot`.
  const std::string cmd = "env PATH='" + dir.string() + "' '" + bin.string() + "' graph eyeriss_like --svg '" +
                          (dir / "x.svg").string() + "' >'" + (dir / "out").string() + "' 2>'" + (dir / "err").string() + "'";
  const int status = std::system(cmd.c_str());
  EXPECT_EQ(WEXITSTATUS(status), 2);
  EXPECT_NE(slurp(dir / "err").find("error[graph.dot-missing]"), std::string::npos) << slurp(dir / "err");
  EXPECT_FALSE(std::filesystem::exists(dir / "x.svg"));
  EXPECT_TRUE(slurp(dir / "out").empty());
  // Without --svg, a missing Graphviz is only a note and the DOT file is written.
  const std::string cmd2 = "env PATH='" + dir.string() + "' '" + bin.string() + "' graph eyeriss_like -o '" +
                           (dir / "e.dot").string() + "' 2>'" + (dir / "err2").string() + "'";
  EXPECT_EQ(WEXITSTATUS(std::system(cmd2.c_str())), 0);
  EXPECT_TRUE(std::filesystem::exists(dir / "e.dot"));
  EXPECT_FALSE(std::filesystem::exists(dir / "e.svg"));
  EXPECT_NE(slurp(dir / "err2").find("note[graph.dot-missing]"), std::string::npos) << slurp(dir / "err2");
}

TEST(GraphCommand, BadDesignsExitTwoWithTheirCode) {
  auto r = test::runCli("graph no_such_design");
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("error[lib.unknown-name]"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
  const auto dir = test::tempDir("graph-bad");
  // An unknown IP is caught by the IP-library check (and skipped with --no-ip-check).
  std::string text = slurp(test::sourceDir() / "designs" / "accelerators" / "systolic_ws_8x8.json");
  text.replace(text.find("\"ip\": \"mac_int8\""), 16, "\"ip\": \"mac_int9\"");
  test::writeFile(dir / "d.json", text);
  auto u = test::runCli("graph '" + (dir / "d.json").string() + "' -o '" + (dir / "d.dot").string() + "'");
  EXPECT_EQ(u.exitCode, 2);
  EXPECT_NE(u.err.find("error[ip.unknown]"), std::string::npos) << u.err;
  EXPECT_NE(u.err.find("/nodes/4/ip"), std::string::npos) << u.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "d.dot"));
  auto v = test::runCli("graph --no-ip-check '" + (dir / "d.json").string() + "'");
  EXPECT_EQ(v.exitCode, 0) << v.err;
  // A design with no path for weights.
  test::writeFile(dir / "np.json", R"({"schema_version": 1, "name": "np", "template": "spatial_array",
    "clock_mhz": 100, "technology_nm": 45, "nodes": [
    {"name": "dram", "kind": "dram", "width_bits": 64},
    {"name": "pe", "kind": "compute", "rows": 2, "cols": 2, "dataflow": "weight_stationary"}],
    "edges": [{"from": "dram", "to": "pe", "tensors": ["input"], "width_bits": 64},
              {"from": "pe", "to": "dram", "tensors": ["output"], "width_bits": 64}]})");
  auto w = test::runCli("graph '" + (dir / "np.json").string() + "'");
  EXPECT_EQ(w.exitCode, 2);
  EXPECT_NE(w.err.find("error[graph.no-path]"), std::string::npos) << w.err;
  EXPECT_NE(w.err.find("np.json:/nodes/1"), std::string::npos) << w.err;
}

TEST(GraphCommand, FailingGraphvizIsReportedAndLeavesNoSvg) {
  const auto dir = test::tempDir("graph-baddot");
  // A `dot` that fails, first on PATH.
  test::writeFile(dir / "bin" / "dot", "#!/bin/sh\necho 'dot: broken' >&2\nexit 3\n");
  std::filesystem::permissions(dir / "bin" / "dot", std::filesystem::perms::owner_all);
  const auto bin = std::filesystem::path(std::getenv("DNNCHIP_BIN") ? std::getenv("DNNCHIP_BIN") : DNNCHIP_BIN_PATH);
  const std::string cmd = "env PATH='" + (dir / "bin").string() + "' '" + bin.string() + "' graph eyeriss_like --svg '" +
                          (dir / "x.svg").string() + "' >/dev/null 2>'" + (dir / "err").string() + "'";
  EXPECT_EQ(WEXITSTATUS(std::system(cmd.c_str())), 2);
  EXPECT_NE(slurp(dir / "err").find("error[graph.dot-failed]"), std::string::npos) << slurp(dir / "err");
  EXPECT_FALSE(std::filesystem::exists(dir / "x.svg"));
}
