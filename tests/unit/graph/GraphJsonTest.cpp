// Design JSON: round trips, defaults, and one small bad design per diagnostic code (written to a
// temp folder and loaded like a user's file), each checked for its code and JSON pointer.
#include <gtest/gtest.h>

#include <filesystem>

#include "TestSupport.h"
#include "dnnchip/graph/GraphJson.h"
#include "dnnchip/io/Json.h"
#include "dnnchip/ip/IpLibrary.h"

using namespace dnnchip;
using namespace dnnchip::graph;

namespace {

/// A minimal valid design: DRAM -> buffer -> 2x2 array -> buffer -> DRAM. Pieces can be replaced.
struct Tiny {
  std::string header = R"("schema_version": 1, "name": "tiny", "template": "spatial_array",
    "clock_mhz": 100, "technology_nm": 45)";
  std::string dram = R"({"name": "dram", "kind": "dram", "ip": "ddr4", "width_bits": 64})";
  std::string buf = R"({"name": "buf", "kind": "buffer", "ip": "sram", "capacity_bytes": 4096, "width_bits": 64,
    "holds": ["input", "weight", "output"]})";
  std::string pe = R"({"name": "pe", "kind": "compute", "ip": "mac_int8", "rows": 2, "cols": 2,
    "dataflow": "weight_stationary"})";
  std::vector<std::string> extraNodes;
  std::string edges = R"({"from": "dram", "to": "buf", "tensors": ["input", "weight"], "width_bits": 64},
    {"from": "buf", "to": "pe", "tensors": ["input", "weight"], "width_bits": 64},
    {"from": "pe", "to": "buf", "tensors": ["output"], "width_bits": 64},
    {"from": "buf", "to": "dram", "tensors": ["output"], "width_bits": 64})";
  std::string tail;

  std::string text() const {
    std::string nodes = dram + ",\n" + buf + ",\n" + pe;
    for (const auto& n : extraNodes) nodes += ",\n" + n;
    return "{" + header + ",\n\"nodes\": [" + nodes + "],\n\"edges\": [" + edges + "]" + tail + "}";
  }
};

std::filesystem::path writeDesign(const std::string& text, const std::string& tag) {
  static int counter = 0;
  const auto dir = test::tempDir("graph-json");
  return test::writeFile(dir / (tag + std::to_string(counter++) + ".json"), text);
}

/// The rules of the templates these tests name, as the template registry (arch) gives them; the
/// graph module checks rules, it does not know templates.
TemplateRules rulesFor(const std::string& templateName) {
  if (templateName == "systolic_ws") return {Dataflow::WeightStationary, false};
  if (templateName == "layer_pipeline") return {std::nullopt, true};
  return {};
}

diag::Expected<AcceleratorGraph> load(const Tiny& t, const std::string& tag = "t") {
  return loadGraph(writeDesign(t.text(), tag), [](const AcceleratorGraph& g) {
    const TemplateRules r = rulesFor(g.templateName);
    return g.check(nullptr, &r);
  });
}

/// The first error of loading and verifying with the IP library.
diag::Diagnostic firstError(const Tiny& t, bool withLibrary = false) {
  auto g = load(t);
  if (!g) return g.error();
  if (withLibrary) {
    static auto lib = ip::IpLibrary::load(test::sourceDir() / "ip_library");
    EXPECT_TRUE(lib.ok());
    const TemplateRules r = rulesFor(g->templateName);
    auto st = g->check(&*lib, &r);
    if (!st) return st.error();
  }
  return diag::Diagnostic{diag::Severity::Note, "ok", {}, "", ""};
}

void expectError(const Tiny& t, const std::string& code, const std::string& pointer, bool withLibrary = false) {
  diag::Diagnostic d = firstError(t, withLibrary);
  EXPECT_EQ(d.code, code) << d.format();
  EXPECT_EQ(d.location.pointer, pointer) << d.format();
  if (code != "ok") {
    EXPECT_FALSE(d.location.file.empty()) << d.format();
    EXPECT_FALSE(d.hint.empty()) << d.format();
  }
}

}  // namespace

TEST(GraphJson, TinyDesignLoads) {
  Tiny t;
  auto g = load(t);
  ASSERT_TRUE(g.ok()) << g.error().format();
  EXPECT_EQ(g->numNodes(), 3u);
  EXPECT_EQ(g->numEdges(), 4u);
  // Defaults: precision int8/int8/int32; DRAM holds every tensor; bytes_per_cycle = width / 8.
  EXPECT_EQ(g->precision.activationBits, 8);
  EXPECT_EQ(g->precision.accumulatorBits, 32);
  EXPECT_EQ(g->node(0).holds, (TensorSet{Tensor::Input, Tensor::Weight, Tensor::Output}));
  EXPECT_DOUBLE_EQ(g->edge(0).bytesPerCycle, 8.0);
  EXPECT_EQ(g->node(2).macsPerPe, 1);
  EXPECT_FALSE(g->node(1).capacityBytes == std::nullopt);
  expectError(t, "ok", "", true);
}

TEST(GraphJson, EveryShippedDesignRoundTrips) {
  for (const auto& e : std::filesystem::directory_iterator(test::sourceDir() / "designs" / "accelerators")) {
    if (e.path().extension() != ".json") continue;
    auto g = loadGraph(e.path());
    ASSERT_TRUE(g.ok()) << g.error().format();
    const io::Json j1 = toJson(*g);
    auto g2 = parseGraph(j1, "roundtrip.json");
    ASSERT_TRUE(g2.ok()) << g2.error().format();
    EXPECT_EQ(toJson(*g2).dump(2), j1.dump(2)) << e.path();
    // Field by field for what the writer might drop.
    ASSERT_EQ(g2->numNodes(), g->numNodes());
    ASSERT_EQ(g2->numEdges(), g->numEdges());
    for (size_t i = 0; i < g->numNodes(); ++i) {
      const Node &a = g->nodes()[i], &b = g2->nodes()[i];
      EXPECT_EQ(a.name, b.name);
      EXPECT_EQ(a.kind, b.kind);
      EXPECT_EQ(a.ip, b.ip);
      EXPECT_EQ(a.capacityBytes, b.capacityBytes);
      EXPECT_EQ(a.widthBits, b.widthBits);
      EXPECT_EQ(a.instances, b.instances);
      EXPECT_EQ(a.holds, b.holds);
      EXPECT_EQ(a.doubleBuffered, b.doubleBuffered);
      EXPECT_EQ(a.rows, b.rows);
      EXPECT_EQ(a.cols, b.cols);
      EXPECT_EQ(a.dataflow, b.dataflow);
      EXPECT_EQ(a.lanes, b.lanes);
      EXPECT_EQ(a.bandwidthBytesPerCycle, b.bandwidthBytesPerCycle);
      EXPECT_EQ(a.multicast, b.multicast);
      EXPECT_EQ(a.source, b.source);
      EXPECT_EQ(a.params, b.params);
    }
    for (size_t i = 0; i < g->numEdges(); ++i) {
      const Edge &a = g->edges()[i], &b = g2->edges()[i];
      EXPECT_EQ(a.from, b.from);
      EXPECT_EQ(a.to, b.to);
      EXPECT_EQ(a.tensors, b.tensors);
      EXPECT_EQ(a.widthBits, b.widthBits);
      EXPECT_DOUBLE_EQ(a.bytesPerCycle, b.bytesPerCycle);
      EXPECT_EQ(a.multicast, b.multicast);
    }
    EXPECT_EQ(g2->sources, g->sources);
    EXPECT_EQ(g2->stages.size(), g->stages.size());
    EXPECT_EQ(g2->platform, g->platform);
    EXPECT_EQ(g2->clockMhz, g->clockMhz);
  }
}

TEST(GraphJson, EnergyOverridesKeepTheirSources) {
  Tiny t;
  t.buf = R"({"name": "buf", "kind": "buffer", "capacity_bytes": 131072, "width_bits": 64,
    "holds": ["input", "weight", "output"],
    "read_energy_pj": {"value": 18.18, "source": "Timeloop exercises ref_outputs, shared_glb read"},
    "write_energy_pj": {"value": 14.14, "estimate": "write slightly cheaper than read"}})";
  t.pe = R"({"name": "pe", "kind": "compute", "rows": 2, "cols": 2, "dataflow": "row_stationary",
    "mac_energy_pj": {"value": 0.2077, "source": "Timeloop exercises ref_outputs, mac"}})";
  auto g = load(t);
  ASSERT_TRUE(g.ok()) << g.error().format();
  ASSERT_TRUE(g->node(1).readEnergyPj);
  EXPECT_DOUBLE_EQ(g->node(1).readEnergyPj->value, 18.18);
  EXPECT_FALSE(g->node(1).readEnergyPj->isEstimate);
  EXPECT_TRUE(g->node(1).writeEnergyPj->isEstimate);
  EXPECT_DOUBLE_EQ(g->node(2).macEnergyPj->value, 0.2077);
  auto g2 = parseGraph(toJson(*g), "x.json");
  ASSERT_TRUE(g2.ok());
  EXPECT_EQ(g2->node(1).readEnergyPj->source, g->node(1).readEnergyPj->source);
  EXPECT_TRUE(g2->node(1).writeEnergyPj->isEstimate);
  // An override without its origin is rejected.
  t.buf = R"({"name": "buf", "kind": "buffer", "capacity_bytes": 64, "width_bits": 64, "holds": ["input", "weight", "output"],
    "read_energy_pj": 18.18})";
  expectError(t, "ip.unsourced", "/nodes/1/read_energy_pj");
}

// ---- one test per diagnostic -----------------------------------------------------------------

TEST(GraphDiagnostics, NoPathForATensor) {
  Tiny t;  // weights never reach the array
  t.edges = R"({"from": "dram", "to": "buf", "tensors": ["input", "weight"], "width_bits": 64},
    {"from": "buf", "to": "pe", "tensors": ["input"], "width_bits": 64},
    {"from": "pe", "to": "buf", "tensors": ["output"], "width_bits": 64},
    {"from": "buf", "to": "dram", "tensors": ["output"], "width_bits": 64})";
  expectError(t, "graph.no-path", "/nodes/2");
  EXPECT_NE(firstError(t).message.find("weight"), std::string::npos);
  // Outputs that never leave the chip.
  t.edges = R"({"from": "dram", "to": "buf", "tensors": ["input", "weight"], "width_bits": 64},
    {"from": "buf", "to": "pe", "tensors": ["input", "weight"], "width_bits": 64},
    {"from": "pe", "to": "buf", "tensors": ["output"], "width_bits": 64},
    {"from": "buf", "to": "dram", "tensors": ["input"], "width_bits": 64})";
  expectError(t, "graph.no-path", "/nodes/2");
  EXPECT_NE(firstError(t).message.find("output"), std::string::npos);
}

TEST(GraphDiagnostics, DanglingNode) {
  Tiny t;
  t.extraNodes.push_back(R"({"name": "lonely", "kind": "buffer", "capacity_bytes": 64, "width_bits": 8, "holds": ["input"]})");
  expectError(t, "graph.dangling", "/nodes/3");
  // A buffer that is written but never read: its outgoing port dangles.
  t.edges += R"(, {"from": "dram", "to": "lonely", "tensors": ["input"], "width_bits": 8})";
  expectError(t, "graph.dangling", "/nodes/3");
  EXPECT_NE(firstError(t).message.find("no outgoing edge"), std::string::npos);
}

TEST(GraphDiagnostics, ZeroCapacityAndOtherBadSizes) {
  Tiny t;
  t.buf = R"({"name": "buf", "kind": "buffer", "capacity_bytes": 0, "width_bits": 64, "holds": ["input", "weight", "output"]})";
  expectError(t, "graph.bad-size", "/nodes/1/capacity_bytes");
  Tiny u;
  u.pe = R"({"name": "pe", "kind": "compute", "rows": 0, "cols": 2, "dataflow": "weight_stationary"})";
  expectError(u, "graph.bad-size", "/nodes/2/rows");
  Tiny v;
  v.edges = R"({"from": "dram", "to": "buf", "tensors": ["input", "weight"], "width_bits": -8},
    {"from": "buf", "to": "pe", "tensors": ["input", "weight"], "width_bits": 64},
    {"from": "pe", "to": "buf", "tensors": ["output"], "width_bits": 64},
    {"from": "buf", "to": "dram", "tensors": ["output"], "width_bits": 64})";
  expectError(v, "graph.bad-size", "/edges/0/width_bits");
  Tiny w;
  w.header = R"("schema_version": 1, "name": "tiny", "template": "spatial_array", "clock_mhz": 0, "technology_nm": 45)";
  expectError(w, "graph.bad-size", "/clock_mhz");
  // Larger than the field's type: value.range from the parser.
  Tiny x;
  x.pe = R"({"name": "pe", "kind": "compute", "rows": 99999999999, "cols": 2, "dataflow": "weight_stationary"})";
  expectError(x, "value.range", "/nodes/2/rows");
}

TEST(GraphDiagnostics, UnknownNodeInAnEdgeOrStage) {
  Tiny t;
  t.edges += R"(, {"from": "buf", "to": "nowhere", "tensors": ["input"], "width_bits": 8})";
  expectError(t, "graph.unknown-node", "/edges/4/to");
  Tiny u;
  u.header = R"("schema_version": 1, "name": "tiny", "template": "layer_pipeline", "clock_mhz": 100, "technology_nm": 45)";
  u.tail = R"(, "stages": [{"name": "s0", "engine": "missing_engine", "layers": ["conv1"]}])";
  expectError(u, "graph.unknown-node", "/stages/0/engine");
}

TEST(GraphDiagnostics, DuplicateName) {
  Tiny t;
  t.extraNodes.push_back(R"({"name": "buf", "kind": "regfile", "capacity_bytes": 16, "width_bits": 8, "holds": ["input"]})");
  expectError(t, "graph.duplicate-name", "/nodes/3/name");
}

TEST(GraphDiagnostics, EmptyName) {
  Tiny t;
  t.extraNodes.push_back(R"({"name": "", "kind": "controller"})");
  expectError(t, "graph.bad-name", "/nodes/3/name");
}

TEST(GraphDiagnostics, UnknownFieldsIncludingFieldsOfAnotherKind) {
  Tiny t;
  t.buf = R"({"name": "buf", "kind": "buffer", "capacity_byte": 4096, "width_bits": 64, "holds": ["input"]})";
  expectError(t, "json.unknown-field", "/nodes/1/capacity_byte");
  Tiny u;  // rows belongs to compute nodes
  u.buf = R"({"name": "buf", "kind": "buffer", "capacity_bytes": 4096, "width_bits": 64, "holds": ["input"], "rows": 4})";
  expectError(u, "json.unknown-field", "/nodes/1/rows");
  Tiny v;
  v.header += R"(, "clock_ghz": 1)";
  expectError(v, "json.unknown-field", "/clock_ghz");
  Tiny w;
  w.edges += R"(, {"from": "buf", "to": "pe", "tensors": ["input"], "width_bits": 8, "latency": 3})";
  expectError(w, "json.unknown-field", "/edges/4/latency");
}

TEST(GraphDiagnostics, WrongTypesAndMissingFields) {
  Tiny t;
  t.pe = R"({"name": "pe", "kind": "compute", "rows": "two", "cols": 2, "dataflow": "weight_stationary"})";
  expectError(t, "json.type", "/nodes/2/rows");
  Tiny u;
  u.pe = R"({"name": "pe", "kind": "compute", "rows": 2, "cols": 2})";
  expectError(u, "json.missing-field", "/nodes/2");
  Tiny v;
  v.header = R"("schema_version": 2, "name": "tiny", "template": "spatial_array", "clock_mhz": 100, "technology_nm": 45)";
  expectError(v, "json.schema-version", "/schema_version");
}

TEST(GraphDiagnostics, UnknownEnumNames) {
  Tiny t;
  t.buf = R"({"name": "buf", "kind": "bufer", "capacity_bytes": 4096, "width_bits": 64, "holds": ["input"]})";
  expectError(t, "graph.bad-enum", "/nodes/1/kind");
  EXPECT_NE(firstError(t).hint.find("buffer"), std::string::npos);
  Tiny u;
  u.edges += R"(, {"from": "buf", "to": "pe", "tensors": ["weights"], "width_bits": 8})";
  expectError(u, "graph.bad-enum", "/edges/4/tensors/0");
  Tiny v;
  v.pe = R"({"name": "pe", "kind": "compute", "rows": 2, "cols": 2, "dataflow": "weight-stationary"})";
  expectError(v, "graph.bad-enum", "/nodes/2/dataflow");
  // An unknown template is the registry's diagnostic (tests/unit/arch/RegistryTest.cpp).
}

// "spatial_mapping" on a compute node (docs/graph.md#fixed-spatial-mappings): parsed, written
// back, and each mistake is graph.spatial-mapping at its pointer.
TEST(GraphDiagnostics, SpatialMapping) {
  Tiny ok;
  ok.pe = R"({"name": "pe", "kind": "compute", "rows": 2, "cols": 2, "dataflow": "weight_stationary",
    "spatial_mapping": {"x": {"K": 2}, "y": {"C": 2}, "source": "a guide",
                        "depthwise": {"x": {"G": 2}, "y": {}, "source": "the same guide"}}})";
  auto g = load(ok);
  ASSERT_TRUE(g.ok()) << g.error().format();
  const Node& pe = g->node(2);
  ASSERT_TRUE(pe.spatialMapping.has_value());
  EXPECT_EQ(pe.spatialMapping->conv.x[workload::Dim::K], 2);
  EXPECT_EQ(pe.spatialMapping->conv.y[workload::Dim::C], 2);
  ASSERT_TRUE(pe.spatialMapping->depthwise.has_value());
  EXPECT_EQ(pe.spatialMapping->depthwise->x[workload::Dim::G], 2);
  auto again = parseGraph(toJson(*g), "again");
  ASSERT_TRUE(again.ok()) << again.error().format();
  EXPECT_EQ(again->node(2).spatialMapping, pe.spatialMapping);

  auto withMapping = [](const std::string& mapping) {
    Tiny t;
    t.pe = R"({"name": "pe", "kind": "compute", "rows": 2, "cols": 2, "dataflow": "weight_stationary",
      "spatial_mapping": )" + mapping + "}";
    return t;
  };
  expectError(withMapping(R"({"x": {"W": 2}, "y": {}, "source": "s"})"), "graph.spatial-mapping",
              "/nodes/2/spatial_mapping/x/W");
  expectError(withMapping(R"({"x": {"K": 2, "G": 2}, "y": {}, "source": "s"})"), "graph.spatial-mapping",
              "/nodes/2/spatial_mapping/x");
  expectError(withMapping(R"({"x": {"K": 2}, "y": {}, "source": ""})"), "graph.spatial-mapping",
              "/nodes/2/spatial_mapping/source");
  expectError(withMapping(R"({"x": {"K": 0}, "y": {}, "source": "s"})"), "value.range", "/nodes/2/spatial_mapping/x/K");
}

TEST(GraphDiagnostics, BadKindCombinations) {
  Tiny t;  // a memory that holds nothing
  t.extraNodes.push_back(R"({"name": "rf", "kind": "regfile", "capacity_bytes": 16, "width_bits": 8, "holds": []})");
  t.edges += R"(, {"from": "buf", "to": "rf", "tensors": ["input"], "width_bits": 8},
    {"from": "rf", "to": "pe", "tensors": ["input"], "width_bits": 8})";
  expectError(t, "graph.bad-kind", "/nodes/3/holds");
  Tiny u;  // a systolic_ws template with an output-stationary array
  u.header = R"("schema_version": 1, "name": "tiny", "template": "systolic_ws", "clock_mhz": 100, "technology_nm": 45)";
  u.pe = R"({"name": "pe", "kind": "compute", "rows": 2, "cols": 2, "dataflow": "output_stationary"})";
  expectError(u, "graph.bad-kind", "/nodes/2/dataflow");
}

TEST(GraphDiagnostics, BadStages) {
  Tiny t;  // stages on a design that is not a pipeline
  t.tail = R"(, "stages": [{"name": "s0", "engine": "pe", "layers": ["conv1"]}])";
  expectError(t, "graph.bad-stage", "/stages");
  Tiny u;  // a pipeline stage whose engine is a buffer
  u.header = R"("schema_version": 1, "name": "tiny", "template": "layer_pipeline", "clock_mhz": 100, "technology_nm": 45)";
  u.tail = R"(, "stages": [{"name": "s0", "engine": "buf", "layers": ["conv1"]}])";
  expectError(u, "graph.bad-stage", "/stages/0/engine");
  Tiny v;  // a pipeline with no stages
  v.header = u.header;
  expectError(v, "graph.bad-stage", "/stages");
  Tiny w;  // a layer in no stage is fine; a layer in two is not
  w.header = u.header;
  w.extraNodes.push_back(R"({"name": "pe2", "kind": "compute", "rows": 2, "cols": 2, "dataflow": "weight_stationary"})");
  w.edges += R"(, {"from": "buf", "to": "pe2", "tensors": ["input", "weight"], "width_bits": 64},
    {"from": "pe2", "to": "buf", "tensors": ["output"], "width_bits": 64})";
  w.tail = R"(, "stages": [{"name": "s0", "engine": "pe", "layers": ["conv1"]}, {"name": "s1", "engine": "pe2", "layers": ["conv1"]}])";
  expectError(w, "graph.bad-stage", "/stages/1/layers");
}

TEST(GraphDiagnostics, SelfLoop) {
  Tiny t;
  t.edges += R"(, {"from": "buf", "to": "buf", "tensors": ["input"], "width_bits": 8})";
  expectError(t, "graph.self-loop", "/edges/4");
}

TEST(GraphDiagnostics, EmptyDesigns) {
  Tiny t;  // no compute node: the buffer keeps its edges to DRAM only
  t.pe = R"({"name": "ctl", "kind": "controller"})";
  t.edges = R"({"from": "dram", "to": "buf", "tensors": ["input"], "width_bits": 64},
    {"from": "buf", "to": "dram", "tensors": ["output"], "width_bits": 64},
    {"from": "ctl", "to": "buf", "tensors": []})";
  expectError(t, "graph.empty", "/nodes");
}

TEST(GraphDiagnostics, UnknownIpWithTheLibrary) {
  Tiny t;
  t.buf = R"({"name": "buf", "kind": "buffer", "ip": "sramm", "capacity_bytes": 4096, "width_bits": 64, "holds": ["input", "weight", "output"]})";
  // Without a library the id is not checked.
  expectError(t, "ok", "");
  expectError(t, "ip.unknown", "/nodes/1/ip", true);
}

TEST(GraphDiagnostics, IpOfTheWrongKind) {
  Tiny t;
  t.buf = R"({"name": "buf", "kind": "buffer", "ip": "mac_int8", "capacity_bytes": 4096, "width_bits": 64, "holds": ["input", "weight", "output"]})";
  expectError(t, "ip.wrong-kind", "/nodes/1/ip", true);
}

TEST(GraphDiagnostics, IpParameterOutOfRange) {
  Tiny t;  // a register file IP asked to be 1 MiB
  t.buf = R"({"name": "buf", "kind": "buffer", "ip": "regfile", "capacity_bytes": 1048576, "width_bits": 64, "holds": ["input", "weight", "output"]})";
  expectError(t, "ip.param-range", "/nodes/1", true);
  Tiny u;  // 16-bit operands on an 8-bit MAC
  u.header += R"(, "precision": {"activation_bits": 16, "weight_bits": 16})";
  expectError(u, "ip.param-range", "/nodes/2", true);
}

TEST(GraphDiagnostics, VerifyReportsEveryProblemInOrder) {
  Tiny t;
  t.buf = R"({"name": "buf", "kind": "buffer", "capacity_bytes": 0, "width_bits": 0, "holds": ["input", "weight", "output"]})";
  t.extraNodes.push_back(R"({"name": "lonely", "kind": "controller"})");
  auto j = io::parseJson(t.text(), "t.json");
  ASSERT_TRUE(j.ok());
  // parseGraph stops at the first error; verify() on the graph lists them all.
  auto g = parseGraph(*j, "t.json");
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.error().code, "graph.bad-size");
  AcceleratorGraph built;
  Node n;
  n.name = "x";
  n.kind = NodeKind::Buffer;
  built.addNode(n);
  auto problems = built.verify(nullptr, nullptr);
  std::vector<std::string> codes;
  for (auto& d : problems) codes.push_back(d.code);
  // clock, technology, no compute, no DRAM, capacity, width, holds, dangling
  EXPECT_EQ(codes, (std::vector<std::string>{"graph.bad-size", "graph.bad-size", "graph.empty", "graph.empty",
                                             "graph.bad-size", "graph.bad-size", "graph.bad-kind", "graph.dangling"}));
  // Deterministic: the same list again.
  std::vector<std::string> again;
  for (auto& d : built.verify(nullptr, nullptr)) again.push_back(d.format());
  std::vector<std::string> first;
  for (auto& d : problems) first.push_back(d.format());
  EXPECT_EQ(again, first);
}

TEST(GraphDiagnostics, MalformedJsonAndMissingFile) {
  auto p = writeDesign("{\"schema_version\": 1, \"name\": ", "bad");
  auto g = loadGraph(p);
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.error().code, "json.syntax");
  auto m = loadGraph(test::tempDir("graph-missing") / "nope.json");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, "io.open");
}
