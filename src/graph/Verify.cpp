// AcceleratorGraph::verify: the checks that make a graph usable by the predictor, the search and
// the code generator. Order (deterministic): design-wide values, names, nodes by id, edges by id,
// ports (dangling), pipeline stages, tensor paths, then IP-library checks when a library is given.
// What depends on the template (a required dataflow, whether stages are allowed) comes in as
// TemplateRules from the template registry; this file knows no template by name.
// Algorithm: one pass per group; paths use route() (a BFS per compute node and tensor).
// Cost O(V * (V + E)) for the paths, trivial for designs of tens of nodes.
// Every problem is reported (not only the first); check() returns the first error.

#include <map>
#include <set>

#include "dnnchip/graph/AcceleratorGraph.h"
#include "dnnchip/ip/IpLibrary.h"

namespace dnnchip::graph {

namespace {

class Checker {
 public:
  Checker(const AcceleratorGraph& g, const TemplateRules* rules, std::vector<diag::Diagnostic>& out)
      : g_(g), rules_(rules), out_(out) {}

  void add(std::string code, std::string pointer, std::string message, std::string hint) {
    out_.push_back(diag::error(std::move(code), {g_.file, std::move(pointer)}, std::move(message),
                               std::move(hint)));
  }
  static std::string nodePtr(NodeId id) { return "/nodes/" + std::to_string(id); }
  static std::string edgePtr(EdgeId id) { return "/edges/" + std::to_string(id); }

  void positive(double value, const std::string& pointer, const std::string& what) {
    if (!(value > 0))
      add("graph.bad-size", pointer, what + " must be positive, got " + fmt(value),
          "give a size greater than zero");
  }
  static std::string fmt(double v) {
    std::string s = std::to_string(v);
    while (s.size() > 1 && s.find('.') != std::string::npos && (s.back() == '0' || s.back() == '.')) {
      const bool dot = s.back() == '.';
      s.pop_back();
      if (dot) break;
    }
    return s;
  }

  void design() {
    positive(g_.clockMhz, "/clock_mhz", "the clock (MHz)");
    positive(g_.technologyNm, "/technology_nm", "the technology node (nm)");
    positive(g_.precision.activationBits, "/precision/activation_bits", "activation_bits");
    positive(g_.precision.weightBits, "/precision/weight_bits", "weight_bits");
    positive(g_.precision.accumulatorBits, "/precision/accumulator_bits", "accumulator_bits");
    if (g_.computeNodes().empty())
      add("graph.empty", "/nodes", "the design has no compute node",
          "add a node of kind \"compute\" (a PE array)");
    if (g_.dramNodes().empty())
      add("graph.empty", "/nodes", "the design has no DRAM node",
          "add a node of kind \"dram\" as the source of inputs and weights");
  }

  void names() {
    std::map<std::string, NodeId> seen;
    for (const Node& n : g_.nodes()) {
      if (n.name.empty()) {
        add("graph.bad-name", nodePtr(n.id) + "/name", "a node has an empty name",
            "give every node a unique name");
        continue;
      }
      auto [it, inserted] = seen.emplace(n.name, n.id);
      if (!inserted)
        add("graph.duplicate-name", nodePtr(n.id) + "/name",
            "node name \"" + n.name + "\" is already used by node " + std::to_string(it->second),
            "give every node a unique name");
    }
  }

  void node(const Node& n) {
    const std::string p = nodePtr(n.id);
    const std::string who = "node \"" + n.name + "\": ";
    positive(n.instances, p + "/instances", who + "instances");
    switch (n.kind) {
      case NodeKind::Dram:
      case NodeKind::Buffer:
      case NodeKind::RegFile:
        if (n.kind != NodeKind::Dram && !n.capacityBytes)
          add("graph.bad-size", p + "/capacity_bytes", who + "an on-chip memory needs a capacity",
              "set capacity_bytes");
        if (n.capacityBytes) positive(static_cast<double>(*n.capacityBytes), p + "/capacity_bytes",
                                      who + "capacity_bytes");
        positive(n.widthBits, p + "/width_bits", who + "width_bits");
        positive(n.readPorts, p + "/read_ports", who + "read_ports");
        positive(n.writePorts, p + "/write_ports", who + "write_ports");
        if (n.holds.empty())
          add("graph.bad-kind", p + "/holds", who + "a memory must hold at least one tensor",
              "list the tensors it keeps in \"holds\" (input, weight, output, psum)");
        break;
      case NodeKind::Compute:
        positive(n.rows, p + "/rows", who + "rows");
        positive(n.cols, p + "/cols", who + "cols");
        positive(n.macsPerPe, p + "/macs_per_pe", who + "macs_per_pe");
        if (!n.dataflow)
          add("graph.bad-kind", p + "/dataflow", who + "a compute node needs a dataflow",
              "set dataflow (weight_stationary, output_stationary, row_stationary, ...)");
        checkTemplate(n, p, who);
        break;
      case NodeKind::Vector:
        positive(n.lanes, p + "/lanes", who + "lanes");
        if (n.widthBits != 0) positive(n.widthBits, p + "/width_bits", who + "width_bits");
        break;
      case NodeKind::Noc:
      case NodeKind::Dma:
        positive(n.widthBits, p + "/width_bits", who + "width_bits");
        break;
      case NodeKind::Controller:
        break;
    }
    if (n.bandwidthBytesPerCycle)
      positive(*n.bandwidthBytesPerCycle, p + "/bandwidth_bytes_per_cycle",
               who + "bandwidth_bytes_per_cycle");
    for (auto [e, field] : {std::pair{&n.readEnergyPj, "/read_energy_pj"},
                            std::pair{&n.writeEnergyPj, "/write_energy_pj"},
                            std::pair{&n.macEnergyPj, "/mac_energy_pj"},
                            std::pair{&n.peCycleEnergyPj, "/pe_cycle_energy_pj"}})
      if (*e && !((*e)->value >= 0))
        add("graph.bad-size", p + field + "/value", who + "an energy cannot be negative",
            "give the energy per access in pJ");
  }

  void checkTemplate(const Node& n, const std::string& p, const std::string& who) {
    if (!n.dataflow || !rules_) return;
    const std::optional<Dataflow> want = rules_->dataflow;
    if (want && *n.dataflow != *want)
      add("graph.bad-kind", p + "/dataflow",
          who + "template " + g_.templateName + " needs dataflow " +
              std::string(dataflowName(*want)) + ", not " + std::string(dataflowName(*n.dataflow)),
          "change the dataflow or the design's template");
  }

  void edge(const Edge& e) {
    const std::string p = edgePtr(e.id);
    const auto n = static_cast<NodeId>(g_.numNodes());
    bool ok = true;
    for (auto [end, field] : {std::pair{e.from, "/from"}, std::pair{e.to, "/to"}})
      if (end < 0 || end >= n) {
        add("graph.unknown-node", p + field, "edge end " + std::to_string(end) + " is not a node",
            "connect existing nodes only");
        ok = false;
      }
    if (ok && e.from == e.to)
      add("graph.self-loop", p, "edge from \"" + g_.node(e.from).name + "\" to itself",
          "connect two different nodes");
    if (e.tensors.empty() && e.widthBits == 0 && e.bytesPerCycle == 0) return;  // control edge
    positive(e.widthBits, p + "/width_bits", "edge width_bits");
    positive(e.bytesPerCycle, p + "/bytes_per_cycle", "edge bytes_per_cycle");
  }

  void ports() {
    for (const Node& n : g_.nodes()) {
      const bool in = !g_.inEdges(n.id).empty();
      const bool out = !g_.outEdges(n.id).empty();
      const std::string who = "node \"" + n.name + "\" (" + std::string(nodeKindName(n.kind)) + ")";
      if (!in && !out) {
        add("graph.dangling", nodePtr(n.id), who + " has no edges",
            "connect it with an edge or remove it");
        continue;
      }
      const bool needsBoth = n.kind == NodeKind::Buffer || n.kind == NodeKind::RegFile ||
                             n.kind == NodeKind::Compute || n.kind == NodeKind::Vector ||
                             isTransport(n.kind);
      if (needsBoth && !in)
        add("graph.dangling", nodePtr(n.id), who + " has no incoming edge: nothing feeds it",
            "add an edge into it");
      if (needsBoth && !out)
        add("graph.dangling", nodePtr(n.id), who + " has no outgoing edge: its data goes nowhere",
            "add an edge out of it");
    }
  }

  void stagesCheck() {
    // Without rules a design may have stages or not; with them, as its template says.
    const bool pipeline = rules_ ? rules_->stages : !g_.stages.empty();
    if (!pipeline && !g_.stages.empty())
      add("graph.bad-stage", "/stages", "stages are only meaningful for template layer_pipeline",
          "remove \"stages\" or set template to layer_pipeline");
    if (pipeline && g_.stages.empty())
      add("graph.bad-stage", "/stages", "a layer pipeline needs a stage list",
          "list the stages: {\"name\", \"engine\", \"layers\"}");
    std::set<NodeId> engines;
    std::set<std::string> layers;
    for (size_t i = 0; i < g_.stages.size(); ++i) {
      const PipelineStage& s = g_.stages[i];
      const std::string p = "/stages/" + std::to_string(i);
      if (s.engine < 0 || static_cast<size_t>(s.engine) >= g_.numNodes()) {
        add("graph.unknown-node", p + "/engine", "stage \"" + s.name + "\" has no engine node",
            "name a compute node as its engine");
        continue;
      }
      if (g_.node(s.engine).kind != NodeKind::Compute)
        add("graph.bad-stage", p + "/engine",
            "stage \"" + s.name + "\": engine \"" + g_.node(s.engine).name + "\" is not a compute node",
            "name a compute node as its engine");
      if (!engines.insert(s.engine).second)
        add("graph.bad-stage", p + "/engine",
            "engine \"" + g_.node(s.engine).name + "\" appears in two stages",
            "give each stage its own engine");
      if (s.layers.empty())
        add("graph.bad-stage", p + "/layers", "stage \"" + s.name + "\" runs no layer",
            "list the layers it runs");
      for (const std::string& l : s.layers)
        if (!layers.insert(l).second)
          add("graph.bad-stage", p + "/layers", "layer \"" + l + "\" is assigned to two stages",
              "assign every layer to one stage");
    }
    if (pipeline)
      for (NodeId c : g_.computeNodes())
        if (!engines.count(c))
          add("graph.bad-stage", nodePtr(c),
              "compute node \"" + g_.node(c).name + "\" is not the engine of any stage",
              "add a stage for it or remove it");
  }

  void paths() {
    for (NodeId c : g_.computeNodes()) {
      for (Tensor t : {Tensor::Input, Tensor::Weight, Tensor::Output}) {
        if (g_.route(c, t).found()) continue;
        const std::string tn(tensorName(t));
        const bool out = t == Tensor::Output;
        add("graph.no-path", nodePtr(c),
            "the " + tn + " of compute node \"" + g_.node(c).name + "\" has no path " +
                (out ? "to" : "from") + " a DRAM node",
            "add edges carrying \"" + tn + "\" all the way " +
                (out ? "from the array to DRAM" : "from DRAM to the array"));
      }
    }
  }

  /// The IP kinds a node kind may be built from.
  static bool ipKindFits(NodeKind k, ip::IpKind ik) {
    switch (k) {
      case NodeKind::Compute: return ik == ip::IpKind::Mac;
      case NodeKind::RegFile:
      case NodeKind::Buffer: return ip::isOnChipMemory(ik);
      case NodeKind::Dram: return ik == ip::IpKind::Dram;
      case NodeKind::Noc: return ik == ip::IpKind::Noc;
      case NodeKind::Dma: return ik == ip::IpKind::Dma;
      case NodeKind::Vector: return ik == ip::IpKind::Vector;
      case NodeKind::Controller: return ik == ip::IpKind::Controller;
    }
    return false;
  }

  void ips(const ip::IpLibrary& lib) {
    for (const Node& n : g_.nodes()) {
      if (!n.ip) continue;
      const std::string p = nodePtr(n.id) + "/ip";
      const ip::IpEntry* e = lib.find(*n.ip);
      if (!e) {
        out_.push_back(lib.unknownIp(*n.ip, {g_.file, p}));
        continue;
      }
      if (!ipKindFits(n.kind, e->kind)) {
        add("ip.wrong-kind", p,
            "node \"" + n.name + "\" is a " + std::string(nodeKindName(n.kind)) + " but IP \"" +
                *n.ip + "\" is a " + std::string(ip::toString(e->kind)),
            "name an IP of a matching kind (dnnchip lib list)");
        continue;
      }
      // The node fields that correspond to IP parameters, checked against their legal ranges.
      std::vector<std::pair<std::string, double>> values;
      const int dataBits = n.kind == NodeKind::Compute
                               ? std::max(g_.precision.activationBits, g_.precision.weightBits)
                               : n.widthBits;
      if (dataBits > 0) values.emplace_back("width_bits", dataBits);
      if (n.capacityBytes) values.emplace_back("capacity_bytes", static_cast<double>(*n.capacityBytes));
      if (n.kind == NodeKind::Vector) values.emplace_back("lanes", n.lanes);
      if (n.isMemory()) values.emplace_back("ports", std::max(n.readPorts, n.writePorts));
      if (n.kind == NodeKind::Compute) {
        values.emplace_back("rows", n.rows);
        values.emplace_back("cols", n.cols);
      }
      for (auto it = n.params.begin(); it != n.params.end(); ++it)
        if (it.value().is_number()) values.emplace_back(it.key(), it.value().get<double>());
      for (const auto& [param, value] : values) {
        if (!e->findParam(param)) continue;
        diag::Status st = e->checkParam(param, value);
        if (!st.ok()) {
          diag::Diagnostic d = st.error();
          d.location = {g_.file, nodePtr(n.id)};
          d.message = "node \"" + n.name + "\" (IP " + *n.ip + "): " + d.message;
          out_.push_back(std::move(d));
        }
      }
    }
  }

 private:
  const AcceleratorGraph& g_;
  const TemplateRules* rules_;  // null: template-dependent checks skipped
  std::vector<diag::Diagnostic>& out_;
};

}  // namespace

std::vector<diag::Diagnostic> AcceleratorGraph::verify(const ip::IpLibrary* lib,
                                                       const TemplateRules* rules) const {
  std::vector<diag::Diagnostic> out;
  Checker c(*this, rules, out);
  c.design();
  c.names();
  for (const Node& n : nodes()) c.node(n);
  for (const Edge& e : edges()) c.edge(e);
  c.ports();
  c.stagesCheck();
  c.paths();
  if (lib) c.ips(*lib);
  return out;
}

diag::Status AcceleratorGraph::check(const ip::IpLibrary* lib, const TemplateRules* rules) const {
  for (diag::Diagnostic& d : verify(lib, rules))
    if (d.severity == diag::Severity::Error) return d;
  return diag::Status::success();
}

}  // namespace dnnchip::graph
