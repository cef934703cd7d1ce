// Bad input reaching `dnnchip predict`: every diagnostic the predict flow adds or forwards is
// provoked here (graph.no-path, ip.param-range, predict.no-compute, predict.no-energy,
// mapping.capacity through a mapping file, mapping.unknown-layer, predict.training-mapping,
// predict.spatial-mapping).

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "dnnchip/graph/GraphJson.h"
#include "dnnchip/io/Json.h"
#include "dnnchip/ip/IpLibrary.h"
#include "dnnchip/predict/DesignModel.h"
#include "dnnchip/predict/PredictRun.h"
#include "dnnchip/workload/Model.h"
#include "TestSupport.h"

namespace dnnchip::predict {
namespace {

const std::filesystem::path kSrc(DNNCHIP_SOURCE_DIR);
const std::filesystem::path kCase = kSrc / "designs/validation/timeloop_eyeriss_like";

io::Json readJson(const std::filesystem::path& p) { return *io::readJsonFile(p); }

std::string writeTemp(const std::string& name, const io::Json& j) {
  // One folder per test process: ctest runs these tests in parallel, and a shared folder let one
  // test read another's half-written design.json (seen as a flaky IpParameterOutOfRange).
  static const auto dir = test::tempDir("predict-diag");
  const auto p = dir / name;
  std::ofstream(p) << j.dump(2);
  return p.string();
}

diag::Expected<Prediction> runWith(const io::Json& design, const std::optional<io::Json>& mapping = std::nullopt) {
  auto model = workload::loadModel(kCase / "model.json");
  PredictRequest req;
  req.design = writeTemp("design.json", design);
  if (mapping) req.mapping = writeTemp("mapping.json", *mapping);
  return predictModel(*model, req);
}

TEST(PredictDiagnostics, GraphWithoutWeightPath) {
  io::Json d = readJson(kCase / "design.json");
  for (auto& e : d["edges"])
    if (e["to"] == "weights_spad") e["tensors"] = {"input"};  // the weights never reach the array
  auto p = runWith(d);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, "graph.no-path");
}

// A fixed spatial mapping that unrolls a dimension the array's dataflow does not put on that
// axis (row_stationary: no input channels C across the columns) is one diagnostic at the node.
TEST(PredictDiagnostics, SpatialMappingAgainstTheDataflow) {
  io::Json d = readJson(kCase / "design.json");
  for (auto& n : d["nodes"])
    if (n["name"] == "pe_array")
      n["spatial_mapping"] = {{"x", {{"C", 2}}}, {"y", io::Json::object()}, {"source", "a test"}};
  auto p = runWith(d);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, "predict.spatial-mapping");
  EXPECT_NE(p.error().message.find("unrolls C on x"), std::string::npos) << p.error().message;
  for (auto& n : d["nodes"])
    if (n["name"] == "pe_array") n["spatial_mapping"]["x"] = {{"Q", 2}};
  auto ok = runWith(d);
  EXPECT_TRUE(ok.ok()) << ok.error().format();
}

TEST(PredictDiagnostics, IpParameterOutOfRange) {
  io::Json d = readJson(kCase / "design.json");
  d["precision"] = {{"activation_bits", 32}, {"weight_bits", 32}, {"accumulator_bits", 32}};
  for (auto& n : d["nodes"])
    if (n["name"] == "pe_array") {
      n["ip"] = "mac_int16";  // a 16-bit MAC asked for 32-bit operands
      n.erase("mac_energy_pj");
    }
  auto p = runWith(d);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, "ip.param-range") << p.error().format();
}

TEST(PredictDiagnostics, NoComputeNode) {
  graph::AcceleratorGraph empty;
  empty.name = "only_dram";
  empty.clockMhz = 200;
  empty.technologyNm = 65;
  graph::Node dram;
  dram.name = "DRAM";
  dram.kind = graph::NodeKind::Dram;
  dram.widthBits = 64;
  dram.holds = {graph::Tensor::Input, graph::Tensor::Weight, graph::Tensor::Output};
  empty.addNode(dram);
  auto dm = prepareDesign(empty, nullptr);
  ASSERT_FALSE(dm.ok());
  EXPECT_EQ(dm.error().code, "graph.empty") << dm.error().format();
}

TEST(PredictDiagnostics, TooManyMemoryLevels) {
  graph::AcceleratorGraph g;
  g.name = "deep";
  g.clockMhz = 200;
  g.technologyNm = 65;
  const graph::TensorSet all = {graph::Tensor::Input, graph::Tensor::Weight, graph::Tensor::Output};
  graph::Node dram;
  dram.name = "DRAM";
  dram.kind = graph::NodeKind::Dram;
  dram.widthBits = 64;
  dram.holds = all;
  std::vector<graph::NodeId> chain = {g.addNode(dram)};
  for (int i = 1; i <= 8; ++i) {
    graph::Node b;
    b.name = "buf" + std::to_string(i);
    b.kind = graph::NodeKind::Buffer;
    b.capacityBytes = 1 << 20;
    b.widthBits = 64;
    b.holds = all;
    chain.push_back(g.addNode(b));
  }
  graph::Node pe;
  pe.name = "array";
  pe.kind = graph::NodeKind::Compute;
  pe.rows = pe.cols = 2;
  pe.dataflow = graph::Dataflow::WeightStationary;
  chain.push_back(g.addNode(pe));
  for (size_t i = 0; i + 1 < chain.size(); ++i) {
    graph::Edge down{-1, chain[i], chain[i + 1], {graph::Tensor::Input, graph::Tensor::Weight}, 64, 8.0, false, ""};
    graph::Edge up{-1, chain[i + 1], chain[i], {graph::Tensor::Output}, 64, 8.0, false, ""};
    ASSERT_TRUE(g.addEdge(down).ok());
    ASSERT_TRUE(g.addEdge(up).ok());
  }
  auto dm = prepareDesign(g, nullptr);
  ASSERT_FALSE(dm.ok());
  EXPECT_EQ(dm.error().code, "predict.levels") << dm.error().format();
}

TEST(PredictDiagnostics, MemoryWithoutEnergySourceIsNoted) {
  io::Json d = readJson(kCase / "design.json");
  for (auto& n : d["nodes"])
    if (n["name"] == "ifmap_spad") {
      n.erase("read_energy_pj");
      n.erase("write_energy_pj");
    }
  auto g = graph::parseGraph(d, "design.json");
  ASSERT_TRUE(g.ok()) << g.error().format();
  auto dm = prepareDesign(*g, nullptr);
  ASSERT_TRUE(dm.ok());
  ASSERT_EQ(dm->notes.size(), 1u);
  EXPECT_EQ(dm->notes[0].code, "predict.no-energy");
  EXPECT_EQ(dm->notes[0].severity, diag::Severity::Warning);
}

TEST(PredictDiagnostics, MappingThatDoesNotFit) {
  io::Json m = readJson(kCase / "mapping.json");
  // Move the DRAM-level P and Q loops into the GLB: its tiles then need the whole feature maps.
  m["layers"]["conv"]["levels"][0]["factors"] = {{"M", 4}};
  m["layers"]["conv"]["levels"][1]["factors"] = {{"P", 112}, {"Q", 8}};
  auto p = runWith(readJson(kCase / "design.json"), m);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, "mapping.capacity");
  EXPECT_NE(p.error().message.find("shared_glb capacity exceeded by"), std::string::npos) << p.error().message;
  EXPECT_NE(p.error().location.pointer.find("/layers/conv"), std::string::npos);
}

TEST(PredictDiagnostics, MappingForUnknownLayer) {
  io::Json m = readJson(kCase / "mapping.json");
  m["layers"]["conv7"] = m["layers"]["conv"];
  auto p = runWith(readJson(kCase / "design.json"), m);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, "mapping.unknown-layer");
}

TEST(PredictDiagnostics, MappingFileWithATrainingStep) {
  auto model = workload::loadModel(kCase / "model.json");
  ASSERT_TRUE(model);
  PredictRequest req;
  req.design = writeTemp("design.json", readJson(kCase / "design.json"));
  req.mapping = writeTemp("mapping.json", readJson(kCase / "mapping.json"));
  req.training = workload::TrainingOptions{};
  auto p = predictModel(*model, req);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, "predict.training-mapping");
  req.mapping.reset();  // without the mapping file the step predicts: one row per pass
  auto q = predictModel(*model, req);
  ASSERT_TRUE(q.ok()) << q.error().format();
  ASSERT_TRUE(q->training);
  EXPECT_EQ(q->training->macsByPass[0], model->totalMacs());
  EXPECT_EQ(q->training->macsByPass[2], model->totalMacs());
  for (const LayerPrediction& l : q->layers) EXPECT_FALSE(l.pass.empty()) << l.name;
}

}  // namespace
}  // namespace dnnchip::predict
