// The shipped reference designs (designs/accelerators/): each loads, verifies against the IP
// library, and has the storage chains and stage structure its paper describes.
#include <gtest/gtest.h>

#include <filesystem>

#include "ShippedLibrary.h"
#include "TestSupport.h"
#include "dnnchip/graph/GraphJson.h"
#include "dnnchip/ip/IpLibrary.h"

using namespace dnnchip;
using namespace dnnchip::graph;

namespace {

AcceleratorGraph design(const std::string& name) {
  auto g = loadGraph(test::sourceDir() / "designs" / "accelerators" / (name + ".json"));
  EXPECT_TRUE(g.ok()) << (g.ok() ? "" : g.error().format());
  return g.ok() ? std::move(*g) : AcceleratorGraph();
}

std::vector<std::string> names(const AcceleratorGraph& g, const std::vector<NodeId>& ids) {
  std::vector<std::string> out;
  for (NodeId id : ids) out.push_back(g.node(id).name);
  return out;
}

NodeId id(const AcceleratorGraph& g, const std::string& name) {
  const Node* n = g.findNode(name);
  EXPECT_NE(n, nullptr) << name;
  return n ? n->id : kNoNode;
}

using Names = std::vector<std::string>;

}  // namespace

TEST(Designs, EveryShippedDesignLoadsAndVerifiesAgainstTheIpLibrary) {
  int count = 0;
  for (const auto& e : std::filesystem::directory_iterator(test::sourceDir() / "designs" / "accelerators")) {
    if (e.path().extension() != ".json") continue;
    ++count;
    auto g = loadGraph(e.path());
    ASSERT_TRUE(g.ok()) << g.error().format();
    EXPECT_EQ(g->name, e.path().stem().string()) << "design name must match its file name";
    // Under its template's rules: tests/unit/arch/RegistryTest.cpp.
    for (const auto& d : g->verify(&test::shippedLibrary(), nullptr)) ADD_FAILURE() << d.format();
    for (const Node& n : g->nodes()) EXPECT_TRUE(n.ip.has_value()) << g->name << ": " << n.name << " names no IP";
  }
  EXPECT_GE(count, 6);
}

TEST(Designs, LoadByBuiltinName) {
  auto g = loadGraphByName("eyeriss_like");
  ASSERT_TRUE(g.ok()) << g.error().format();
  EXPECT_EQ(g->name, "eyeriss_like");
  auto bad = loadGraphByName("no_such_design");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "lib.unknown-name");
}

TEST(Designs, EyerissShapeAndStorageChains) {
  AcceleratorGraph g = design("eyeriss_like");
  ASSERT_EQ(g.computeNodes().size(), 1u);
  const Node& pe = g.node(g.computeNodes()[0]);
  EXPECT_EQ(pe.rows, 12);
  EXPECT_EQ(pe.cols, 14);
  EXPECT_EQ(pe.pes(), 168);
  EXPECT_EQ(pe.dataflow, Dataflow::RowStationary);
  EXPECT_EQ(g.node(id(g, "glb")).capacityBytes, 108 * 1024);
  EXPECT_EQ(g.node(id(g, "weight_spad")).capacityBytes, 224 * 2);
  EXPECT_EQ(g.node(id(g, "ifmap_spad")).capacityBytes, 12 * 2);
  EXPECT_EQ(g.node(id(g, "psum_spad")).capacityBytes, 24 * 2);
  EXPECT_EQ(g.node(id(g, "weight_spad")).instances, 168);
  EXPECT_EQ(g.clockMhz, 200);
  EXPECT_EQ(g.technologyNm, 65);
  EXPECT_EQ(g.precision.weightBits, 16);

  // Filters bypass the global buffer (Eyeriss JSSC'17, Timeloop's eyeriss_like constraints).
  EXPECT_EQ(names(g, g.storageChain(pe.id, Tensor::Weight)), (Names{"weight_spad", "dram"}));
  EXPECT_EQ(names(g, g.storageChain(pe.id, workload::TensorRole::Input)), (Names{"ifmap_spad", "glb", "dram"}));
  EXPECT_EQ(names(g, g.storageChain(pe.id, Tensor::Output)), (Names{"psum_spad", "glb", "dram"}));
  EXPECT_EQ(names(g, g.storageChain(pe.id, Tensor::Psum)), (Names{"psum_spad", "glb", "dram"}));

  // The full weight route passes the filter NoC, which is transport, not a storage level.
  TensorRoute w = g.route(pe.id, Tensor::Weight);
  EXPECT_EQ(names(g, w.nodes), (Names{"weight_spad", "weight_noc", "dram"}));
  ASSERT_EQ(w.edges.size(), 3u);
  EXPECT_EQ(g.edge(w.edges[0]).to, pe.id);
  EXPECT_EQ(g.node(w.endpoint).kind, NodeKind::Dram);
  EXPECT_FALSE(w.viaStage);

  // Links between the GLB and the ifmap spads: GLB -> ifmap NoC -> spads, 64-bit.
  auto links = g.linksBetween(id(g, "glb"), id(g, "ifmap_spad"), Tensor::Input);
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(g.edge(links[0]).from, id(g, "glb"));
  EXPECT_EQ(g.edge(links[1]).to, id(g, "ifmap_spad"));
  EXPECT_TRUE(g.edge(links[1]).multicast);
  EXPECT_DOUBLE_EQ(g.pathBandwidthBytesPerCycle(links), 8.0);
  // Reversed arguments find the same path.
  EXPECT_EQ(g.linksBetween(id(g, "ifmap_spad"), id(g, "glb"), Tensor::Input), links);
  // The output path: 16 bits per PE into the psum spad, then the 64-bit network and bus
  // (8 B/cycle), below DRAM's 32.
  auto out = g.route(pe.id, Tensor::Output);
  EXPECT_DOUBLE_EQ(g.pathBandwidthBytesPerCycle(out.edges), 2.0);
  EXPECT_DOUBLE_EQ(g.pathBandwidthBytesPerCycle({out.edges.begin() + 1, out.edges.end()}), 8.0);
}

TEST(Designs, SystolicChainsAreWhatTheCodeGeneratorReads) {
  for (const char* name : {"systolic_ws_8x8", "systolic_os_8x8"}) {
    AcceleratorGraph g = design(name);
    ASSERT_EQ(g.computeNodes().size(), 1u) << name;
    const Node& pe = g.node(g.computeNodes()[0]);
    EXPECT_EQ(pe.rows, 8);
    EXPECT_EQ(pe.cols, 8);
    const bool ws = std::string(name) == "systolic_ws_8x8";
    EXPECT_EQ(g.templateName, ws ? "systolic_ws" : "systolic_os");
    EXPECT_EQ(pe.dataflow, ws ? Dataflow::WeightStationary : Dataflow::OutputStationary);
    EXPECT_EQ(names(g, g.storageChain(pe.id, Tensor::Input)), (Names{"act_buf", "dram"}));
    EXPECT_EQ(names(g, g.storageChain(pe.id, Tensor::Weight)), (Names{"weight_buf", "dram"}));
    EXPECT_EQ(names(g, g.storageChain(pe.id, Tensor::Output)), (Names{"acc_buf", "dram"}));
    EXPECT_EQ(g.node(id(g, "weight_buf")).doubleBuffered, ws);
    // The engine's defaults at 8x8 (docs/engine.md): 256 activation words of 8 bytes, 1024
    // accumulator words of 8 x int32, a 64-bit AXI path to DRAM.
    EXPECT_EQ(*g.node(id(g, "act_buf")).capacityBytes / pe.rows, 256);
    EXPECT_EQ(*g.node(id(g, "acc_buf")).capacityBytes / (4 * pe.cols), 1024);
    auto in = g.route(pe.id, Tensor::Input);
    ASSERT_FALSE(in.edges.empty());
    EXPECT_EQ(g.edge(in.edges.back()).from, id(g, "dram"));
    EXPECT_EQ(g.edge(in.edges.back()).widthBits, 64);
    // Outputs pass the vector unit (requantization) on their way out.
    auto out = g.route(pe.id, Tensor::Output);
    EXPECT_EQ(names(g, out.nodes), (Names{"acc_buf", "vector", "dma", "dram"}));
  }
}

TEST(Designs, TpuLikeUnifiedBufferHoldsActivationsBothWays) {
  AcceleratorGraph g = design("tpu_like");
  const NodeId mxu = id(g, "mxu");
  EXPECT_EQ(g.node(mxu).dataflow, Dataflow::WeightStationary);
  EXPECT_EQ(names(g, g.storageChain(mxu, Tensor::Input)), (Names{"unified_buffer", "dram"}));
  EXPECT_EQ(names(g, g.storageChain(mxu, Tensor::Weight)), (Names{"weight_fifo", "dram"}));
  EXPECT_EQ(names(g, g.storageChain(mxu, Tensor::Output)), (Names{"accumulators", "unified_buffer", "dram"}));
  EXPECT_EQ(g.nodesOfKind(NodeKind::Vector).size(), 1u);
}

TEST(Designs, ShiDianNaoIsOutputStationaryWithBroadcastWeights) {
  AcceleratorGraph g = design("shidiannao_like");
  const NodeId pe = id(g, "pe_array");
  EXPECT_EQ(g.node(pe).pes(), 64);
  EXPECT_EQ(g.node(pe).dataflow, Dataflow::OutputStationary);
  EXPECT_EQ(names(g, g.storageChain(pe, Tensor::Weight)), (Names{"sb", "dram"}));
  EXPECT_EQ(names(g, g.storageChain(pe, Tensor::Input)), (Names{"pe_fifos", "nbin", "dram"}));
  EXPECT_EQ(names(g, g.storageChain(pe, Tensor::Output)), (Names{"pe_out_regs", "nbout", "dram"}));
  auto w = g.route(pe, Tensor::Weight);
  EXPECT_TRUE(g.edge(w.edges[0]).multicast);
}

TEST(Designs, DnnBuilderPipelineStagesHandOverOnChip) {
  AcceleratorGraph g = design("dnnbuilder_like");
  EXPECT_EQ(g.templateName, "layer_pipeline");
  ASSERT_EQ(g.stages.size(), 6u);
  EXPECT_EQ(g.model, "alexnet");
  // Every AlexNet layer runs on exactly one stage, in model order.
  std::vector<std::string> layers;
  for (const auto& s : g.stages) layers.insert(layers.end(), s.layers.begin(), s.layers.end());
  EXPECT_EQ(layers, (Names{"conv1", "pool1", "conv2", "pool2", "conv3", "conv4", "conv5", "pool5",
                           "flatten", "fc6", "fc7", "fc8"}));
  EXPECT_EQ(g.computeNodes().size(), 6u);
  for (NodeId c : g.computeNodes()) ASSERT_NE(g.stageOf(c), nullptr);

  // Stage 1 reads its input from DRAM; stage 2 from stage 1 through its column buffer.
  const NodeId e1 = id(g, "conv1_engine"), e2 = id(g, "conv2_engine"), fc = id(g, "fc_engine");
  auto in1 = g.route(e1, Tensor::Input);
  EXPECT_FALSE(in1.viaStage);
  EXPECT_EQ(names(g, in1.levels), (Names{"conv1_in", "dram"}));
  auto in2 = g.route(e2, Tensor::Input);
  EXPECT_TRUE(in2.viaStage);
  EXPECT_EQ(in2.endpoint, e1);
  EXPECT_EQ(names(g, in2.levels), (Names{"conv2_in"}));
  auto out1 = g.route(e1, Tensor::Output);
  EXPECT_TRUE(out1.viaStage);
  EXPECT_EQ(out1.endpoint, e2);
  // Weights of every stage stream from DRAM through its own double-buffered weight buffer.
  auto w2 = g.route(e2, Tensor::Weight);
  EXPECT_EQ(names(g, w2.levels), (Names{"conv2_wbuf", "dram"}));
  EXPECT_TRUE(g.node(w2.levels[0]).doubleBuffered);
  // The last stage writes to DRAM.
  auto outFc = g.route(fc, Tensor::Output);
  EXPECT_FALSE(outFc.viaStage);
  EXPECT_EQ(g.node(outFc.endpoint).kind, NodeKind::Dram);
  // The DSP budget of the ZC706 (900 DSP48E1) holds: one 16-bit MAC per DSP.
  int64_t macs = 0;
  for (NodeId c : g.computeNodes()) macs += g.node(c).pes() * g.node(c).macsPerPe;
  EXPECT_LE(macs, 900);
}
