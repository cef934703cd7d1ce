// The graph API built programmatically: ids, adjacency, routes with bypass and transport nodes,
// pipeline hand-over, linksBetween, path bandwidth, copies, names of enums.
#include <gtest/gtest.h>

#include "dnnchip/graph/AcceleratorGraph.h"

using namespace dnnchip;
using namespace dnnchip::graph;

namespace {

Node memory(const std::string& name, NodeKind kind, int64_t bytes, TensorSet holds, int instances = 1) {
  Node n;
  n.name = name;
  n.kind = kind;
  n.capacityBytes = bytes;
  n.widthBits = 64;
  n.holds = holds;
  n.instances = instances;
  return n;
}

Node transport(const std::string& name, NodeKind kind, std::optional<double> bw = std::nullopt) {
  Node n;
  n.name = name;
  n.kind = kind;
  n.widthBits = 64;
  n.bandwidthBytesPerCycle = bw;
  return n;
}

Node array(const std::string& name) {
  Node n;
  n.name = name;
  n.kind = NodeKind::Compute;
  n.rows = 4;
  n.cols = 4;
  n.dataflow = Dataflow::WeightStationary;
  return n;
}

EdgeId connect(AcceleratorGraph& g, NodeId a, NodeId b, TensorSet t, double bytesPerCycle = 8) {
  Edge e;
  e.from = a;
  e.to = b;
  e.tensors = t;
  e.widthBits = 64;
  e.bytesPerCycle = bytesPerCycle;
  auto id = g.addEdge(e);
  EXPECT_TRUE(id.ok());
  return id.ok() ? *id : kNoNode;
}

/// DRAM -> DMA -> buffer (holds input only) -> array; weights DRAM -> DMA -> buffer (bypassed
/// for weights) -> array; outputs array -> buffer -> DMA -> DRAM.
struct Small {
  AcceleratorGraph g;
  NodeId dram, dma, buf, pe;
  Small() {
    g.name = "small";
    g.clockMhz = 100;
    g.technologyNm = 28;
    g.templateName = "systolic_ws";
    dram = g.addNode(memory("dram", NodeKind::Dram, 1 << 30, {Tensor::Input, Tensor::Weight, Tensor::Output}));
    dma = g.addNode(transport("dma", NodeKind::Dma, 4.0));
    buf = g.addNode(memory("buf", NodeKind::Buffer, 4096, {Tensor::Input, Tensor::Output}));
    pe = g.addNode(array("pe"));
    connect(g, dram, dma, {Tensor::Input, Tensor::Weight});
    connect(g, dma, buf, {Tensor::Input, Tensor::Weight});
    connect(g, buf, pe, {Tensor::Input, Tensor::Weight}, 16);
    connect(g, pe, buf, {Tensor::Output}, 16);
    connect(g, buf, dma, {Tensor::Output});
    connect(g, dma, dram, {Tensor::Output});
  }
};

}  // namespace

TEST(GraphQueries, IdsAreInsertionOrderAndAdjacencyIsSorted) {
  Small s;
  EXPECT_EQ(s.dram, 0);
  EXPECT_EQ(s.pe, 3);
  EXPECT_EQ(s.g.numNodes(), 4u);
  EXPECT_EQ(s.g.numEdges(), 6u);
  for (size_t i = 0; i < s.g.nodes().size(); ++i) EXPECT_EQ(s.g.nodes()[i].id, static_cast<NodeId>(i));
  EXPECT_EQ(s.g.outEdges(s.buf), (std::vector<EdgeId>{2, 4}));
  EXPECT_EQ(s.g.inEdges(s.buf), (std::vector<EdgeId>{1, 3}));
  EXPECT_EQ(s.g.findNode("buf")->id, s.buf);
  EXPECT_EQ(s.g.findNode("nope"), nullptr);
  EXPECT_EQ(s.g.computeNodes(), (std::vector<NodeId>{s.pe}));
  EXPECT_EQ(s.g.dramNodes(), (std::vector<NodeId>{s.dram}));
  const TemplateRules ws{Dataflow::WeightStationary, false};  // systolic_ws's rules
  EXPECT_TRUE(s.g.verify(nullptr, &ws).empty());
}

TEST(GraphQueries, StorageChainSkipsTransportAndBypassedMemories) {
  Small s;
  EXPECT_EQ(s.g.storageChain(s.pe, Tensor::Input), (std::vector<NodeId>{s.buf, s.dram}));
  // The buffer does not hold weights: they pass through it (bypass), so it is not a level.
  EXPECT_EQ(s.g.storageChain(s.pe, Tensor::Weight), (std::vector<NodeId>{s.dram}));
  TensorRoute w = s.g.route(s.pe, workload::TensorRole::Weight);
  EXPECT_EQ(w.nodes, (std::vector<NodeId>{s.buf, s.dma, s.dram}));
  EXPECT_EQ(w.edges, (std::vector<EdgeId>{2, 1, 0}));
  EXPECT_EQ(s.g.storageChain(s.pe, Tensor::Output), (std::vector<NodeId>{s.buf, s.dram}));
  EXPECT_EQ(s.g.route(s.pe, Tensor::Output).edges, (std::vector<EdgeId>{3, 4, 5}));
  // No psum edges: no psum route.
  EXPECT_FALSE(s.g.route(s.pe, Tensor::Psum).found());
  // Not a node: empty.
  EXPECT_FALSE(s.g.route(42, Tensor::Input).found());
}

TEST(GraphQueries, ShortestRouteWinsAndTiesGoToLowerEdgeIds) {
  Small s;
  // A direct DRAM -> array input edge is shorter than the path through the DMA and buffer.
  const EdgeId direct = connect(s.g, s.dram, s.pe, {Tensor::Input}, 2);
  EXPECT_EQ(s.g.route(s.pe, Tensor::Input).edges, (std::vector<EdgeId>{direct}));
  EXPECT_EQ(s.g.storageChain(s.pe, Tensor::Input), (std::vector<NodeId>{s.dram}));
  // Two equally short weight paths: the one found first (lower edge ids) wins, every time.
  Small t;
  const NodeId dma2 = t.g.addNode(transport("dma2", NodeKind::Dma));
  connect(t.g, t.dram, dma2, {Tensor::Weight});
  connect(t.g, dma2, t.buf, {Tensor::Weight});
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(t.g.route(t.pe, Tensor::Weight).nodes, (std::vector<NodeId>{t.buf, t.dma, t.dram}));
}

TEST(GraphQueries, LinksBetweenAndPathBandwidth) {
  Small s;
  auto in = s.g.linksBetween(s.dram, s.buf, Tensor::Input);
  EXPECT_EQ(in, (std::vector<EdgeId>{0, 1}));
  EXPECT_EQ(s.g.linksBetween(s.buf, s.dram, Tensor::Input), in);  // the other direction
  EXPECT_EQ(s.g.linksBetween(s.buf, s.dram, Tensor::Output), (std::vector<EdgeId>{4, 5}));
  EXPECT_TRUE(s.g.linksBetween(s.dram, s.dram, Tensor::Input).empty());
  EXPECT_EQ(s.g.linksBetween(s.dram, s.pe), (std::vector<EdgeId>{0, 1, 2}));
  // Edges are 8 B/cycle but the DMA node moves only 4.
  EXPECT_DOUBLE_EQ(s.g.pathBandwidthBytesPerCycle(in), 4.0);
  EXPECT_DOUBLE_EQ(s.g.pathBandwidthBytesPerCycle({2}), 16.0);
  EXPECT_DOUBLE_EQ(s.g.pathBandwidthBytesPerCycle({}), 0.0);
}

TEST(GraphQueries, PipelineStagesHandOverThroughAMemory) {
  Small s;
  // A second stage reads the first stage's outputs from a buffer between them.
  const NodeId mid = s.g.addNode(memory("mid", NodeKind::Buffer, 1024, {Tensor::Input}));
  const NodeId pe2 = s.g.addNode(array("pe2"));
  connect(s.g, s.pe, mid, {Tensor::Output});
  connect(s.g, mid, pe2, {Tensor::Input});
  connect(s.g, s.dma, pe2, {Tensor::Weight});
  connect(s.g, pe2, s.buf, {Tensor::Output});
  // Not a pipeline: every route must reach DRAM, and pe2's input cannot.
  EXPECT_FALSE(s.g.route(pe2, Tensor::Input).found());
  s.g.templateName = "layer_pipeline";
  s.g.stages = {PipelineStage{"s0", s.pe, {"l0"}}, PipelineStage{"s1", pe2, {"l1"}}};
  TensorRoute in2 = s.g.route(pe2, Tensor::Input);
  ASSERT_TRUE(in2.found());
  EXPECT_TRUE(in2.viaStage);
  EXPECT_EQ(in2.endpoint, s.pe);
  EXPECT_EQ(in2.levels, (std::vector<NodeId>{mid}));
  // Stage 1 now has two ways out: via the buffer to DRAM (3 edges) or the next stage (2 edges).
  TensorRoute out1 = s.g.route(s.pe, Tensor::Output);
  EXPECT_TRUE(out1.viaStage);
  EXPECT_EQ(out1.endpoint, pe2);
  // Stage 2 writes to DRAM: the buffer also feeds stage 1, but hand-over only goes forward.
  EXPECT_FALSE(s.g.route(pe2, Tensor::Output).viaStage);
  EXPECT_EQ(s.g.node(s.g.route(pe2, Tensor::Output).endpoint).kind, NodeKind::Dram);
  // Stage 1 still reads its input from DRAM, not from the later stage 2 through the buffer.
  EXPECT_FALSE(s.g.route(s.pe, Tensor::Input).viaStage);
  const TemplateRules pipeline{std::nullopt, true};  // layer_pipeline's rules
  EXPECT_TRUE(s.g.verify(nullptr, &pipeline).empty());
  // A weight route never passes through another compute node.
  EXPECT_EQ(s.g.storageChain(pe2, Tensor::Weight), (std::vector<NodeId>{s.dram}));
}

TEST(GraphQueries, AddEdgeRejectsUnknownNodes) {
  Small s;
  Edge e;
  e.from = s.dram;
  e.to = 99;
  e.widthBits = 8;
  auto r = s.g.addEdge(e);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "graph.unknown-node");
  EXPECT_EQ(s.g.numEdges(), 6u);
}

TEST(GraphQueries, CopiesAreDeepAndIndependent) {
  Small s;
  AcceleratorGraph copy = s.g;
  copy.mutableNode(s.buf).capacityBytes = 8192;
  connect(copy, s.dram, s.pe, {Tensor::Input});
  EXPECT_EQ(s.g.node(s.buf).capacityBytes, 4096);
  EXPECT_EQ(s.g.numEdges(), 6u);
  EXPECT_EQ(copy.numEdges(), 7u);
  EXPECT_EQ(s.g.route(s.pe, Tensor::Input).edges.size(), 3u);
  EXPECT_EQ(copy.route(s.pe, Tensor::Input).edges.size(), 1u);
  AcceleratorGraph assigned;
  assigned = copy;
  EXPECT_EQ(assigned.numEdges(), 7u);
  AcceleratorGraph moved = std::move(assigned);
  EXPECT_EQ(moved.route(s.pe, Tensor::Input).edges.size(), 1u);
}

TEST(GraphQueries, EnumNamesRoundTrip) {
  for (auto k : {NodeKind::Dram, NodeKind::Buffer, NodeKind::RegFile, NodeKind::Compute, NodeKind::Vector,
                 NodeKind::Noc, NodeKind::Dma, NodeKind::Controller})
    EXPECT_EQ(nodeKindFromName(nodeKindName(k)), k);
  for (auto d : {Dataflow::WeightStationary, Dataflow::OutputStationary, Dataflow::RowStationary,
                 Dataflow::InputStationary, Dataflow::NoLocalReuse})
    EXPECT_EQ(dataflowFromName(dataflowName(d)), d);
  for (auto t : {Tensor::Input, Tensor::Weight, Tensor::Output, Tensor::Psum}) EXPECT_EQ(tensorFromName(tensorName(t)), t);
  EXPECT_FALSE(nodeKindFromName("bufer"));
  EXPECT_EQ(fromRole(workload::TensorRole::Weight), Tensor::Weight);
  TensorSet s{Tensor::Psum, Tensor::Input};
  EXPECT_EQ(s.text(), "input,psum");
  EXPECT_EQ(TensorSet().text(), "-");
  s.remove(Tensor::Input);
  EXPECT_EQ(s, TensorSet{Tensor::Psum});
  EXPECT_TRUE(isMemory(NodeKind::RegFile));
  EXPECT_FALSE(isMemory(NodeKind::Noc));
  EXPECT_TRUE(isTransport(NodeKind::Dma));
}
