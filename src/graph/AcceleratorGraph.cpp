// AcceleratorGraph: storage of nodes and edges, the Boost.Graph topology beside them, and the
// path queries the predictor resolves once per design (route, storageChain, linksBetween).
// Algorithm: breadth-first search (boost::breadth_first_search) over a filtered view that keeps
// only edges carrying the tensor asked for; backward searches run on a reverse_graph view. BFS
// visits out-edges in insertion (edge-id) order, so the shortest path found is deterministic:
// fewest edges, ties broken by the lowest edge ids along the search. Cost O(V + E) per query.
// Invariant: the Boost graph has exactly nodes().size() vertices and one edge per valid Edge,
// whose bundled property is the EdgeId; Edge::from/to mirror it (never edited after addEdge).

#include "dnnchip/graph/AcceleratorGraph.h"

#include <algorithm>
#include <limits>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/reverse_graph.hpp>

namespace dnnchip::graph {

// ---- names ----------------------------------------------------------------------------------

namespace {
struct KindName {
  NodeKind kind;
  std::string_view name;
};
constexpr KindName kKinds[] = {
    {NodeKind::Dram, "dram"},       {NodeKind::Buffer, "buffer"}, {NodeKind::RegFile, "regfile"},
    {NodeKind::Compute, "compute"}, {NodeKind::Vector, "vector"}, {NodeKind::Noc, "noc"},
    {NodeKind::Dma, "dma"},         {NodeKind::Controller, "controller"},
};
constexpr std::string_view kTensorNames[] = {"input", "weight", "output", "psum"};
constexpr std::string_view kDataflowNames[] = {"weight_stationary", "output_stationary",
                                               "row_stationary", "input_stationary",
                                               "no_local_reuse"};
}  // namespace

std::string_view nodeKindName(NodeKind k) {
  for (const auto& e : kKinds)
    if (e.kind == k) return e.name;
  return "?";
}

std::optional<NodeKind> nodeKindFromName(std::string_view name) {
  for (const auto& e : kKinds)
    if (e.name == name) return e.kind;
  return std::nullopt;
}

bool isMemory(NodeKind k) {
  return k == NodeKind::Dram || k == NodeKind::Buffer || k == NodeKind::RegFile;
}

bool isTransport(NodeKind k) { return k == NodeKind::Noc || k == NodeKind::Dma; }

std::string_view tensorName(Tensor t) {
  const int i = static_cast<int>(t);
  return i >= 0 && i < 4 ? kTensorNames[i] : "?";
}

std::optional<Tensor> tensorFromName(std::string_view name) {
  for (int i = 0; i < 4; ++i)
    if (kTensorNames[i] == name) return static_cast<Tensor>(i);
  return std::nullopt;
}

Tensor fromRole(workload::TensorRole role) {
  switch (role) {
    case workload::TensorRole::Input: return Tensor::Input;
    case workload::TensorRole::Weight: return Tensor::Weight;
    default: return Tensor::Output;
  }
}

std::vector<Tensor> TensorSet::list() const {
  std::vector<Tensor> out;
  for (int i = 0; i < static_cast<int>(Tensor::kCount); ++i)
    if (has(static_cast<Tensor>(i))) out.push_back(static_cast<Tensor>(i));
  return out;
}

std::string TensorSet::text() const {
  std::string s;
  for (Tensor t : list()) s += (s.empty() ? "" : ",") + std::string(tensorName(t));
  return s.empty() ? "-" : s;
}

std::string_view dataflowName(Dataflow d) { return kDataflowNames[static_cast<int>(d)]; }

std::optional<Dataflow> dataflowFromName(std::string_view name) {
  for (int i = 0; i < 5; ++i)
    if (kDataflowNames[i] == name) return static_cast<Dataflow>(i);
  return std::nullopt;
}

// ---- the Boost representation ----------------------------------------------------------------

namespace {

struct EdgeProp {
  EdgeId id = kNoNode;
};
using BGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS,
                                     boost::no_property, EdgeProp>;
using BVertex = boost::graph_traits<BGraph>::vertex_descriptor;

}  // namespace

struct AcceleratorGraph::Impl {
  std::vector<Node> nodes;
  std::vector<Edge> edges;
  BGraph g;
};

namespace {

/// Which edges a search may follow. `traversalSource` is the vertex the search leaves.
struct SearchRule {
  const std::vector<Node>* nodes = nullptr;
  const std::vector<Edge>* edges = nullptr;
  NodeId start = kNoNode;
  std::optional<Tensor> tensor;  ///< nullopt: any edge
  bool stopAtTerminals = false;  ///< do not leave DRAM or a compute node other than start
  bool stageLinks = false;       ///< allow the layer-pipeline hand-over edges (see TensorRoute)
  bool backward = false;
  const std::vector<int>* stageIndex = nullptr;  ///< pipeline position per node, -1 if none

  bool allows(EdgeId e, NodeId traversalSource, NodeId traversalTarget) const {
    const Edge& ed = (*edges)[e];
    const NodeKind srcKind = (*nodes)[traversalSource].kind;
    if (stopAtTerminals && traversalSource != start &&
        (srcKind == NodeKind::Dram || srcKind == NodeKind::Compute))
      return false;
    if (!tensor || ed.tensors.has(*tensor)) {
      // An ordinary edge must not lead into another compute node (that would be a pipeline
      // hand-over, handled below), except in unrestricted searches.
      if (!stopAtTerminals) return true;
      return (*nodes)[traversalTarget].kind != NodeKind::Compute || traversalTarget == start;
    }
    if (!stageLinks || traversalSource == start) return false;
    const Node& tgt = (*nodes)[traversalTarget];
    if (tgt.kind != NodeKind::Compute || traversalTarget == start) return false;
    if (!isMemory(srcKind)) return false;
    // Hand-over only between pipeline stages, and only forward in stage order.
    const int here = (*stageIndex)[static_cast<size_t>(start)];
    const int there = (*stageIndex)[static_cast<size_t>(traversalTarget)];
    if (here < 0 || there < 0) return false;
    // Backward input search: memory <- an earlier stage over an "output" edge.
    // Forward output search: memory -> a later stage over an "input" edge.
    return backward ? there < here && ed.tensors.has(Tensor::Output)
                    : there > here && ed.tensors.has(Tensor::Input);
  }
};

template <class G>
struct EdgeFilter {
  const G* g = nullptr;
  const SearchRule* rule = nullptr;
  template <class E>
  bool operator()(const E& e) const {
    const auto src = static_cast<NodeId>(boost::source(e, *g));
    const auto tgt = static_cast<NodeId>(boost::target(e, *g));
    return rule->allows((*g)[e].id, src, tgt);
  }
};

/// Records the tree edge that discovered each vertex.
struct PredRecorder : boost::default_bfs_visitor {
  std::vector<EdgeId>* pred = nullptr;
  std::vector<int>* dist = nullptr;
  template <class E, class G>
  void tree_edge(const E& e, const G& g) const {
    const auto u = boost::source(e, g);
    const auto v = boost::target(e, g);
    (*pred)[v] = g[e].id;
    (*dist)[v] = (*dist)[u] + 1;
  }
};

struct SearchResult {
  std::vector<EdgeId> pred;  ///< edge that discovered the vertex, kNoNode if none
  std::vector<int> dist;     ///< edges from start, -1 if unreached
};

template <class G>
SearchResult runBfs(const G& view, NodeId start, size_t n) {
  SearchResult r;
  r.pred.assign(n, kNoNode);
  r.dist.assign(n, -1);
  r.dist[static_cast<size_t>(start)] = 0;
  PredRecorder vis;
  vis.pred = &r.pred;
  vis.dist = &r.dist;
  std::vector<boost::default_color_type> colors(n, boost::white_color);
  auto colorMap = boost::make_iterator_property_map(colors.begin(),
                                                    boost::get(boost::vertex_index, view));
  boost::breadth_first_search(view, static_cast<BVertex>(start),
                              boost::visitor(vis).color_map(colorMap));
  return r;
}

SearchResult search(const BGraph& g, const SearchRule& rule) {
  const size_t n = boost::num_vertices(g);
  if (rule.backward) {
    using R = boost::reverse_graph<BGraph>;
    R rg(g);
    EdgeFilter<R> f{&rg, &rule};
    boost::filtered_graph<R, EdgeFilter<R>> view(rg, f);
    return runBfs(view, rule.start, n);
  }
  EdgeFilter<BGraph> f{&g, &rule};
  boost::filtered_graph<BGraph, EdgeFilter<BGraph>> view(g, f);
  return runBfs(view, rule.start, n);
}

/// Edges from the start to `v` in the order the search travelled them.
std::vector<EdgeId> pathTo(const SearchResult& r, const std::vector<Edge>& edges, NodeId v,
                           bool backward) {
  std::vector<EdgeId> out;
  while (r.pred[static_cast<size_t>(v)] != kNoNode) {
    const Edge& e = edges[static_cast<size_t>(r.pred[static_cast<size_t>(v)])];
    out.push_back(e.id);
    v = backward ? e.to : e.from;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace

// ---- construction ----------------------------------------------------------------------------

AcceleratorGraph::AcceleratorGraph() : impl_(std::make_unique<Impl>()) {}
AcceleratorGraph::~AcceleratorGraph() = default;
AcceleratorGraph::AcceleratorGraph(const AcceleratorGraph& o)
    : name(o.name), description(o.description), templateName(o.templateName),
      clockMhz(o.clockMhz), technologyNm(o.technologyNm), precision(o.precision),
      family(o.family), platform(o.platform), model(o.model), sources(o.sources),
      stages(o.stages), params(o.params), file(o.file), impl_(std::make_unique<Impl>(*o.impl_)) {}
AcceleratorGraph& AcceleratorGraph::operator=(const AcceleratorGraph& o) {
  if (this != &o) {
    AcceleratorGraph copy(o);
    *this = std::move(copy);
  }
  return *this;
}
AcceleratorGraph::AcceleratorGraph(AcceleratorGraph&&) noexcept = default;
AcceleratorGraph& AcceleratorGraph::operator=(AcceleratorGraph&&) noexcept = default;

NodeId AcceleratorGraph::addNode(Node n) {
  n.id = static_cast<NodeId>(impl_->nodes.size());
  impl_->nodes.push_back(std::move(n));
  boost::add_vertex(impl_->g);
  return impl_->nodes.back().id;
}

diag::Expected<EdgeId> AcceleratorGraph::addEdge(Edge e) {
  const auto n = static_cast<NodeId>(impl_->nodes.size());
  const auto eid = static_cast<EdgeId>(impl_->edges.size());
  for (NodeId end : {e.from, e.to})
    if (end < 0 || end >= n)
      return diag::error("graph.unknown-node", {file, "/edges/" + std::to_string(eid)},
                         "edge endpoint " + std::to_string(end) + " is not a node",
                         "connect existing nodes only");
  e.id = eid;
  boost::add_edge(static_cast<BVertex>(e.from), static_cast<BVertex>(e.to), EdgeProp{eid},
                  impl_->g);
  impl_->edges.push_back(std::move(e));
  return eid;
}

// ---- access ----------------------------------------------------------------------------------

const std::vector<Node>& AcceleratorGraph::nodes() const { return impl_->nodes; }
const std::vector<Edge>& AcceleratorGraph::edges() const { return impl_->edges; }
const Node& AcceleratorGraph::node(NodeId id) const { return impl_->nodes.at(static_cast<size_t>(id)); }
Node& AcceleratorGraph::mutableNode(NodeId id) { return impl_->nodes.at(static_cast<size_t>(id)); }
const Edge& AcceleratorGraph::edge(EdgeId id) const { return impl_->edges.at(static_cast<size_t>(id)); }
Edge& AcceleratorGraph::mutableEdge(EdgeId id) { return impl_->edges.at(static_cast<size_t>(id)); }
size_t AcceleratorGraph::numNodes() const { return impl_->nodes.size(); }
size_t AcceleratorGraph::numEdges() const { return impl_->edges.size(); }

const Node* AcceleratorGraph::findNode(std::string_view nodeName) const {
  for (const Node& n : impl_->nodes)
    if (n.name == nodeName) return &n;
  return nullptr;
}

std::vector<EdgeId> AcceleratorGraph::outEdges(NodeId id) const {
  std::vector<EdgeId> out;
  if (id < 0 || static_cast<size_t>(id) >= impl_->nodes.size()) return out;
  for (auto [it, end] = boost::out_edges(static_cast<BVertex>(id), impl_->g); it != end; ++it)
    out.push_back(impl_->g[*it].id);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<EdgeId> AcceleratorGraph::inEdges(NodeId id) const {
  std::vector<EdgeId> out;
  if (id < 0 || static_cast<size_t>(id) >= impl_->nodes.size()) return out;
  for (auto [it, end] = boost::in_edges(static_cast<BVertex>(id), impl_->g); it != end; ++it)
    out.push_back(impl_->g[*it].id);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<NodeId> AcceleratorGraph::nodesOfKind(NodeKind kind) const {
  std::vector<NodeId> out;
  for (const Node& n : impl_->nodes)
    if (n.kind == kind) out.push_back(n.id);
  return out;
}

std::vector<NodeId> AcceleratorGraph::computeNodes() const { return nodesOfKind(NodeKind::Compute); }
std::vector<NodeId> AcceleratorGraph::dramNodes() const { return nodesOfKind(NodeKind::Dram); }

const PipelineStage* AcceleratorGraph::stageOf(NodeId compute) const {
  for (const PipelineStage& s : stages)
    if (s.engine == compute) return &s;
  return nullptr;
}

// ---- queries ---------------------------------------------------------------------------------

TensorRoute AcceleratorGraph::route(NodeId compute, Tensor t) const {
  TensorRoute r;
  r.tensor = t;
  r.compute = compute;
  const auto& nodes = impl_->nodes;
  const auto& edges = impl_->edges;
  if (compute < 0 || static_cast<size_t>(compute) >= nodes.size()) return r;

  SearchRule rule;
  rule.nodes = &nodes;
  rule.edges = &edges;
  rule.start = compute;
  rule.tensor = t;
  rule.stopAtTerminals = true;
  rule.backward = t != Tensor::Output;
  std::vector<int> stageIndex(nodes.size(), -1);
  const bool pipeline = !stages.empty();  // verify() allows stages only where the template has them
  if (pipeline)
    for (size_t i = 0; i < stages.size(); ++i)
      if (stages[i].engine >= 0 && static_cast<size_t>(stages[i].engine) < nodes.size())
        stageIndex[static_cast<size_t>(stages[i].engine)] = static_cast<int>(i);
  rule.stageIndex = &stageIndex;
  rule.stageLinks = (t == Tensor::Input || t == Tensor::Output) && pipeline;
  const SearchResult s = search(impl_->g, rule);

  // The endpoint: nearest DRAM or neighbouring stage (ties: DRAM first, then lowest id). For
  // psums without a DRAM, the farthest memory reached.
  NodeId best = kNoNode;
  auto better = [&](NodeId v) {
    if (best == kNoNode) return true;
    const int dv = s.dist[static_cast<size_t>(v)], db = s.dist[static_cast<size_t>(best)];
    if (dv != db) return dv < db;
    const bool vd = nodes[static_cast<size_t>(v)].kind == NodeKind::Dram;
    const bool bd = nodes[static_cast<size_t>(best)].kind == NodeKind::Dram;
    if (vd != bd) return vd;
    return v < best;
  };
  for (const Node& n : nodes) {
    if (n.id == compute || s.dist[static_cast<size_t>(n.id)] < 0) continue;
    if ((n.kind == NodeKind::Dram || n.kind == NodeKind::Compute) && better(n.id)) best = n.id;
  }
  if (best == kNoNode && t == Tensor::Psum) {
    for (const Node& n : nodes) {
      if (n.id == compute || !n.isMemory() || s.dist[static_cast<size_t>(n.id)] < 0) continue;
      if (best == kNoNode || s.dist[static_cast<size_t>(n.id)] > s.dist[static_cast<size_t>(best)])
        best = n.id;
    }
  }
  if (best == kNoNode) return r;

  r.edges = pathTo(s, edges, best, rule.backward);
  for (EdgeId e : r.edges) {
    const Edge& ed = edges[static_cast<size_t>(e)];
    const NodeId v = rule.backward ? ed.from : ed.to;
    r.nodes.push_back(v);
    const Node& n = nodes[static_cast<size_t>(v)];
    const Tensor held = t == Tensor::Psum ? Tensor::Output : t;
    if (n.isMemory() && (n.holds.has(held) || n.holds.has(t))) r.levels.push_back(v);
  }
  r.endpoint = best;
  r.viaStage = nodes[static_cast<size_t>(best)].kind == NodeKind::Compute;
  return r;
}

TensorRoute AcceleratorGraph::route(NodeId compute, workload::TensorRole role) const {
  return route(compute, fromRole(role));
}

std::vector<NodeId> AcceleratorGraph::storageChain(NodeId compute, Tensor t) const {
  return route(compute, t).levels;
}

std::vector<NodeId> AcceleratorGraph::storageChain(NodeId compute,
                                                   workload::TensorRole role) const {
  return storageChain(compute, fromRole(role));
}

namespace {
std::vector<EdgeId> directedPath(const BGraph& g, const std::vector<Node>& nodes,
                                 const std::vector<Edge>& edges, NodeId a, NodeId b,
                                 std::optional<Tensor> t) {
  SearchRule rule;
  rule.nodes = &nodes;
  rule.edges = &edges;
  rule.start = a;
  rule.tensor = t;
  const SearchResult s = search(g, rule);
  if (s.dist[static_cast<size_t>(b)] <= 0) return {};
  return pathTo(s, edges, b, false);
}
}  // namespace

std::vector<EdgeId> AcceleratorGraph::linksBetween(NodeId a, NodeId b, Tensor t) const {
  const auto n = static_cast<NodeId>(impl_->nodes.size());
  if (a < 0 || b < 0 || a >= n || b >= n || a == b) return {};
  auto p = directedPath(impl_->g, impl_->nodes, impl_->edges, a, b, t);
  if (p.empty()) p = directedPath(impl_->g, impl_->nodes, impl_->edges, b, a, t);
  return p;
}

std::vector<EdgeId> AcceleratorGraph::linksBetween(NodeId a, NodeId b) const {
  const auto n = static_cast<NodeId>(impl_->nodes.size());
  if (a < 0 || b < 0 || a >= n || b >= n || a == b) return {};
  auto p = directedPath(impl_->g, impl_->nodes, impl_->edges, a, b, std::nullopt);
  if (p.empty()) p = directedPath(impl_->g, impl_->nodes, impl_->edges, b, a, std::nullopt);
  return p;
}

double AcceleratorGraph::pathBandwidthBytesPerCycle(const std::vector<EdgeId>& path) const {
  if (path.empty()) return 0.0;
  double bw = std::numeric_limits<double>::infinity();
  for (EdgeId e : path) {
    const Edge& ed = edge(e);
    bw = std::min(bw, ed.bytesPerCycle);
    for (NodeId v : {ed.from, ed.to}) {
      const Node& n = node(v);
      if ((n.kind == NodeKind::Dram || isTransport(n.kind)) && n.bandwidthBytesPerCycle)
        bw = std::min(bw, *n.bandwidthBytesPerCycle);
    }
  }
  return bw;
}

}  // namespace dnnchip::graph
