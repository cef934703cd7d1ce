// Accelerator-graph JSON reader and writer (schema_version 1, docs/graph.md).
// Parse: every field is read through io::JsonView, so a wrong type, an unknown field (including
// one that does not apply to the node's kind) or an unknown enum name is reported with the file
// and JSON pointer. Validate: AcceleratorGraph::check() (sizes, names, ports, paths). Build: the
// graph is assembled while parsing; edges and stages name nodes, resolved after all nodes.
// Cost O(nodes + edges) plus check(). The writer emits fields in the documented order and omits
// defaults, so parseGraph(toJson(g)) reproduces g and toJson is a fixed point.

#include "dnnchip/graph/GraphJson.h"

#include <climits>
#include <cmath>
#include <map>

#include "dnnchip/io/DataPaths.h"

namespace dnnchip::graph {

namespace {

using io::Json;
using io::JsonView;

template <size_t N>
[[noreturn]] void badEnum(const JsonView& v, const std::string& what, const std::string& got,
                          const std::string_view (&names)[N]) {
  std::string list;
  for (auto n : names) list += (list.empty() ? "" : ", ") + std::string(n);
  v.fail("graph.bad-enum", "unknown " + what + " \"" + got + "\"", "use one of: " + list);
}

constexpr std::string_view kKindList[] = {"dram", "buffer", "regfile", "compute",
                                          "vector", "noc", "dma", "controller"};
constexpr std::string_view kTensorList[] = {"input", "weight", "output", "psum"};
constexpr std::string_view kDataflowList[] = {"weight_stationary", "output_stationary",
                                              "row_stationary", "input_stationary",
                                              "no_local_reuse"};
constexpr std::string_view kFamilyList[] = {"asic", "xc7", "xcup", "ice40"};

int asInt32(const JsonView& v) { return static_cast<int>(v.asInt(INT_MIN, INT_MAX)); }

TensorSet parseTensors(const JsonView& v) {
  TensorSet set;
  for (const JsonView& item : v.items()) {
    const std::string s = item.asString();
    auto t = tensorFromName(s);
    if (!t) badEnum(item, "tensor", s, kTensorList);
    set.add(*t);
  }
  return set;
}

SourcedValue parseSourced(const JsonView& v) {
  SourcedValue sv;
  sv.value = v.asSourcedNumber();
  if (v.has("source")) {
    sv.source = v.at("source").asString();
  } else {
    sv.source = v.at("estimate").asString();
    sv.isEstimate = true;
  }
  return sv;
}

/// The fields a node of `kind` may have (besides the common ones).
std::vector<std::string> nodeFields(NodeKind kind) {
  std::vector<std::string> f = {"name", "kind", "ip", "description", "source", "params",
                                "instances"};
  auto add = [&](std::initializer_list<const char*> more) { f.insert(f.end(), more.begin(), more.end()); };
  switch (kind) {
    case NodeKind::Dram:
      add({"capacity_bytes", "width_bits", "holds", "read_ports", "write_ports", "read_energy_pj",
           "write_energy_pj", "bandwidth_bytes_per_cycle"});
      break;
    case NodeKind::Buffer:
    case NodeKind::RegFile:
      add({"capacity_bytes", "width_bits", "holds", "double_buffered", "read_ports", "write_ports",
           "read_energy_pj", "write_energy_pj"});
      break;
    case NodeKind::Compute: add({"rows", "cols", "dataflow", "macs_per_pe", "mac_energy_pj", "pe_sets",
                                      "spatial_mapping", "pe_cycle_energy_pj", "data_gating"});
      break;
    case NodeKind::Vector: add({"lanes", "width_bits"}); break;
    case NodeKind::Noc: add({"width_bits", "bandwidth_bytes_per_cycle", "multicast"}); break;
    case NodeKind::Dma: add({"width_bits", "bandwidth_bytes_per_cycle"}); break;
    case NodeKind::Controller: break;
  }
  return f;
}

// One axis of a spatial mapping: {"Q": 8, "K": 10}, each dimension at most once, the factors'
// product within the axis' `size` PEs.
std::array<int64_t, workload::kNumDims> parseUnrollAxis(const JsonView& v, int size, const char* axis) {
  std::array<int64_t, workload::kNumDims> f{1, 1, 1, 1, 1, 1, 1, 1};
  int64_t product = 1;
  for (const auto& [name, fv] : v.members()) {
    const auto d = workload::dimFromName(name);
    if (!d)
      fv.fail("graph.spatial-mapping", "\"" + name + "\" is not a loop dimension",
              "use G, N, K, C, P, Q, R or S");
    f[*d] = fv.asInt(1, 1 << 20);
    product *= f[*d];
  }
  if (size > 0 && product > size)
    v.fail("graph.spatial-mapping",
           std::string("the ") + axis + " factors multiply to " + std::to_string(product) + ", more than the array's " +
               std::to_string(size) + (axis[0] == 'x' ? " columns" : " rows"),
           "make the product of the factors on each axis at most its PE count");
  return f;
}

SpatialUnroll parseUnroll(const JsonView& v, int rows, int cols, bool top) {
  if (top) v.rejectUnknown({"x", "y", "depthwise", "source"});
  else v.rejectUnknown({"x", "y", "source"});
  SpatialUnroll u;
  u.x = parseUnrollAxis(v.at("x"), cols, "x");
  u.y = parseUnrollAxis(v.at("y"), rows, "y");
  return u;
}

FixedSpatialMapping parseSpatialMapping(const JsonView& v, int rows, int cols) {
  FixedSpatialMapping m;
  m.conv = parseUnroll(v, rows, cols, true);
  m.source = v.at("source").asString();
  if (m.source.empty()) v.at("source").fail("graph.spatial-mapping", "a spatial mapping without its source", "say where the hardware's mapping is published");
  if (auto d = v.find("depthwise")) {
    m.depthwise = parseUnroll(*d, rows, cols, false);
    m.depthwiseSource = d->at("source").asString();
    if (m.depthwiseSource.empty())
      d->at("source").fail("graph.spatial-mapping", "a depthwise mapping without its source",
                           "say where the hardware's depthwise mapping is published");
  }
  return m;
}

Node parseNode(const JsonView& v) {
  Node n;
  n.name = v.at("name").asString();
  const JsonView kindV = v.at("kind");
  const std::string kindS = kindV.asString();
  auto kind = nodeKindFromName(kindS);
  if (!kind) badEnum(kindV, "node kind", kindS, kKindList);
  n.kind = *kind;
  v.rejectUnknown(nodeFields(n.kind));

  if (auto f = v.find("ip")) n.ip = f->asString();
  if (auto f = v.find("description")) n.description = f->asString();
  if (auto f = v.find("source")) n.source = f->asString();
  if (auto f = v.find("params")) {
    if (!f->isObject()) f->fail("json.type", "params must be an object", "write {\"name\": value}");
    n.params = f->raw();
  }
  if (auto f = v.find("instances")) n.instances = asInt32(*f);

  const bool storage = isMemory(n.kind);
  if (storage) {
    if (n.kind == NodeKind::Dram) {
      n.holds = {Tensor::Input, Tensor::Weight, Tensor::Output};
      if (auto f = v.find("capacity_bytes")) n.capacityBytes = f->asInt();
    } else {
      n.capacityBytes = v.at("capacity_bytes").asInt();
    }
    n.widthBits = asInt32(v.at("width_bits"));
    if (n.kind != NodeKind::Dram || v.has("holds")) n.holds = parseTensors(v.at("holds"));
    if (auto f = v.find("double_buffered")) n.doubleBuffered = f->asBool();
    if (auto f = v.find("read_ports")) n.readPorts = asInt32(*f);
    if (auto f = v.find("write_ports")) n.writePorts = asInt32(*f);
    if (auto f = v.find("read_energy_pj")) n.readEnergyPj = parseSourced(*f);
    if (auto f = v.find("write_energy_pj")) n.writeEnergyPj = parseSourced(*f);
  }
  switch (n.kind) {
    case NodeKind::Compute: {
      n.rows = asInt32(v.at("rows"));
      n.cols = asInt32(v.at("cols"));
      const JsonView dfV = v.at("dataflow");
      const std::string dfS = dfV.asString();
      n.dataflow = dataflowFromName(dfS);
      if (!n.dataflow) badEnum(dfV, "dataflow", dfS, kDataflowList);
      if (auto f = v.find("macs_per_pe")) n.macsPerPe = asInt32(*f);
      if (auto f = v.find("mac_energy_pj")) n.macEnergyPj = parseSourced(*f);
      if (auto f = v.find("pe_sets")) n.peSets = f->asBool();
      if (auto f = v.find("pe_cycle_energy_pj")) n.peCycleEnergyPj = parseSourced(*f);
      if (auto f = v.find("data_gating")) n.dataGating = f->asBool();
      if (auto f = v.find("spatial_mapping")) n.spatialMapping = parseSpatialMapping(*f, n.rows, n.cols);
      break;
    }
    case NodeKind::Vector:
      n.lanes = asInt32(v.at("lanes"));
      if (auto f = v.find("width_bits")) n.widthBits = asInt32(*f);
      break;
    case NodeKind::Noc:
    case NodeKind::Dma:
      n.widthBits = asInt32(v.at("width_bits"));
      if (auto f = v.find("multicast")) n.multicast = f->asBool();
      break;
    default: break;
  }
  if (auto f = v.find("bandwidth_bytes_per_cycle")) n.bandwidthBytesPerCycle = f->asNumber();
  return n;
}

NodeId resolveNode(const AcceleratorGraph& g, const JsonView& v, const std::string& role) {
  const std::string name = v.asString();
  const Node* n = g.findNode(name);
  if (!n) v.fail("graph.unknown-node", role + " \"" + name + "\" is not a node of this design",
                 "use the name of a node listed in \"nodes\"");
  return n->id;
}

AcceleratorGraph build(const JsonView& root) {
  if (!root.isObject()) root.fail("json.type", "a design must be a JSON object", "see docs/graph.md");
  root.requireSchemaVersion(1);
  root.rejectUnknown({"schema_version", "name", "description", "template", "clock_mhz",
                      "technology_nm", "precision", "family", "platform", "model", "sources",
                      "params", "nodes", "edges", "stages"});
  AcceleratorGraph g;
  g.file = root.file();
  g.name = root.at("name").asString();
  if (auto f = root.find("description")) g.description = f->asString();
  // Any name: the template registry (arch::verifyDesign) says whether it is known.
  g.templateName = root.at("template").asString();
  g.clockMhz = root.at("clock_mhz").asNumber();
  g.technologyNm = asInt32(root.at("technology_nm"));
  if (auto p = root.find("precision")) {
    p->rejectUnknown({"activation_bits", "weight_bits", "accumulator_bits"});
    if (auto f = p->find("activation_bits")) g.precision.activationBits = asInt32(*f);
    if (auto f = p->find("weight_bits")) g.precision.weightBits = asInt32(*f);
    if (auto f = p->find("accumulator_bits")) g.precision.accumulatorBits = asInt32(*f);
  }
  if (auto f = root.find("family")) {
    const std::string s = f->asString();
    g.family = ip::parseDeviceFamily(s);
    if (!g.family) badEnum(*f, "device family", s, kFamilyList);
  }
  if (auto f = root.find("platform")) g.platform = f->asString();
  if (auto f = root.find("model")) g.model = f->asString();
  if (auto f = root.find("sources")) g.sources = f->asStringArray();
  if (auto f = root.find("params")) {
    if (!f->isObject()) f->fail("json.type", "params must be an object", "write {\"name\": value}");
    g.params = f->raw();
  }

  for (const JsonView& nv : root.at("nodes").items()) g.addNode(parseNode(nv));

  for (const JsonView& ev : root.at("edges").items()) {
    ev.rejectUnknown({"from", "to", "tensors", "width_bits", "bytes_per_cycle", "multicast",
                      "source"});
    Edge e;
    e.from = resolveNode(g, ev.at("from"), "edge source");
    e.to = resolveNode(g, ev.at("to"), "edge target");
    e.tensors = parseTensors(ev.at("tensors"));
    // Control edges (no tensors) may leave the width out.
    if (e.tensors.empty() && !ev.has("width_bits"))
      e.widthBits = 0;
    else
      e.widthBits = asInt32(ev.at("width_bits"));
    if (auto f = ev.find("bytes_per_cycle"))
      e.bytesPerCycle = f->asNumber();
    else
      e.bytesPerCycle = e.widthBits / 8.0;
    if (auto f = ev.find("multicast")) e.multicast = f->asBool();
    if (auto f = ev.find("source")) e.source = f->asString();
    g.addEdge(std::move(e));  // endpoints resolved above, cannot fail
  }

  if (auto sv = root.find("stages")) {
    for (const JsonView& s : sv->items()) {
      s.rejectUnknown({"name", "engine", "layers"});
      PipelineStage st;
      st.name = s.at("name").asString();
      st.engine = resolveNode(g, s.at("engine"), "stage engine");
      st.layers = s.at("layers").asStringArray();
      g.stages.push_back(std::move(st));
    }
  }
  return g;
}

/// Integral doubles are written as integers ("200", not "200.0").
Json number(double v) {
  if (std::isfinite(v) && std::floor(v) == v && std::fabs(v) < 9e15) return static_cast<int64_t>(v);
  return v;
}

Json tensorsJson(TensorSet s) {
  Json a = Json::array();
  for (Tensor t : s.list()) a.push_back(std::string(tensorName(t)));
  return a;
}

Json sourcedJson(const SourcedValue& v) {
  Json j = Json::object();
  j["value"] = number(v.value);
  j[v.isEstimate ? "estimate" : "source"] = v.source;
  return j;
}

Json unrollAxisJson(const std::array<int64_t, workload::kNumDims>& f) {
  Json j = Json::object();
  for (int d = 0; d < workload::kNumDims; ++d)
    if (f[d] != 1) j[workload::kDimNames[d]] = f[d];
  return j;
}

Json spatialMappingJson(const FixedSpatialMapping& m) {
  Json j = {{"x", unrollAxisJson(m.conv.x)}, {"y", unrollAxisJson(m.conv.y)}};
  if (m.depthwise)
    j["depthwise"] = {{"x", unrollAxisJson(m.depthwise->x)}, {"y", unrollAxisJson(m.depthwise->y)}, {"source", m.depthwiseSource}};
  j["source"] = m.source;
  return j;
}

Json nodeJson(const Node& n) {
  Json j = Json::object();
  j["name"] = n.name;
  j["kind"] = std::string(nodeKindName(n.kind));
  if (n.ip) j["ip"] = *n.ip;
  if (!n.description.empty()) j["description"] = n.description;
  if (n.instances != 1) j["instances"] = n.instances;
  if (n.isMemory()) {
    if (n.capacityBytes) j["capacity_bytes"] = *n.capacityBytes;
    j["width_bits"] = n.widthBits;
    j["holds"] = tensorsJson(n.holds);
    if (n.doubleBuffered) j["double_buffered"] = true;
    if (n.readPorts != 1) j["read_ports"] = n.readPorts;
    if (n.writePorts != 1) j["write_ports"] = n.writePorts;
    if (n.readEnergyPj) j["read_energy_pj"] = sourcedJson(*n.readEnergyPj);
    if (n.writeEnergyPj) j["write_energy_pj"] = sourcedJson(*n.writeEnergyPj);
  }
  if (n.kind == NodeKind::Compute) {
    j["rows"] = n.rows;
    j["cols"] = n.cols;
    if (n.dataflow) j["dataflow"] = std::string(dataflowName(*n.dataflow));
    if (n.macsPerPe != 1) j["macs_per_pe"] = n.macsPerPe;
    if (n.macEnergyPj) j["mac_energy_pj"] = sourcedJson(*n.macEnergyPj);
    if (n.peSets) j["pe_sets"] = true;
    if (n.peCycleEnergyPj) j["pe_cycle_energy_pj"] = sourcedJson(*n.peCycleEnergyPj);
    if (n.dataGating) j["data_gating"] = true;
    if (n.spatialMapping) j["spatial_mapping"] = spatialMappingJson(*n.spatialMapping);
  }
  if (n.kind == NodeKind::Vector) {
    j["lanes"] = n.lanes;
    if (n.widthBits != 0) j["width_bits"] = n.widthBits;
  }
  if (isTransport(n.kind)) j["width_bits"] = n.widthBits;
  if (n.bandwidthBytesPerCycle) j["bandwidth_bytes_per_cycle"] = number(*n.bandwidthBytesPerCycle);
  if (n.multicast) j["multicast"] = true;
  if (!n.params.empty()) j["params"] = n.params;
  if (!n.source.empty()) j["source"] = n.source;
  return j;
}

}  // namespace

diag::Expected<AcceleratorGraph> parseGraph(const io::Json& json, const std::string& file, const GraphCheck& check) {
  auto g = diag::capture([&] { return build(JsonView(json, file)); });
  if (!g) return g;
  diag::Status st = check ? check(*g) : g->check(nullptr, nullptr);
  if (!st) return st.error();
  return g;
}

diag::Expected<AcceleratorGraph> loadGraph(const std::filesystem::path& path, const GraphCheck& check) {
  auto json = io::readJsonFile(path);
  if (!json) return json.error();
  // A generated design's manifest (dnnchip_design.json of `dnnchip generate` / `build`,
  // docs/codegen.md#manifest) holds the design it was generated from under "design": read that,
  // with diagnostics located inside it.
  if (json->is_object() && json->contains("generator") && json->contains("design") && (*json)["design"].is_object()) {
    auto g = parseGraph((*json)["design"], path.string(), check);
    if (!g) {
      diag::Diagnostic d = g.error();
      if (d.location.file == path.string()) d.location.pointer = "/design" + d.location.pointer;
      return d;
    }
    return g;
  }
  return parseGraph(*json, path.string(), check);
}

diag::Expected<AcceleratorGraph> loadGraphByName(std::string_view nameOrPath, const GraphCheck& check) {
  // a generated design folder stands for its manifest
  std::error_code ec;
  const std::filesystem::path asDir(nameOrPath);
  if (std::filesystem::is_directory(asDir, ec) && std::filesystem::is_regular_file(asDir / "dnnchip_design.json", ec))
    return loadGraph(asDir / "dnnchip_design.json", check);
  auto path = io::resolveDataFile(nameOrPath, "designs/accelerators", ".json", "design");
  if (!path) return path.error();
  return loadGraph(*path, check);
}

io::Json toJson(const AcceleratorGraph& g) {
  Json j = Json::object();
  j["schema_version"] = 1;
  j["name"] = g.name;
  if (!g.description.empty()) j["description"] = g.description;
  j["template"] = g.templateName;
  j["clock_mhz"] = number(g.clockMhz);
  j["technology_nm"] = g.technologyNm;
  j["precision"] = {{"activation_bits", g.precision.activationBits},
                    {"weight_bits", g.precision.weightBits},
                    {"accumulator_bits", g.precision.accumulatorBits}};
  if (g.family) j["family"] = std::string(ip::toString(*g.family));
  if (g.platform) j["platform"] = *g.platform;
  if (g.model) j["model"] = *g.model;
  if (!g.sources.empty()) j["sources"] = g.sources;
  if (!g.params.empty()) j["params"] = g.params;
  Json nodes = Json::array();
  for (const Node& n : g.nodes()) nodes.push_back(nodeJson(n));
  j["nodes"] = std::move(nodes);
  Json edges = Json::array();
  for (const Edge& e : g.edges()) {
    Json ej = Json::object();
    ej["from"] = g.node(e.from).name;
    ej["to"] = g.node(e.to).name;
    ej["tensors"] = tensorsJson(e.tensors);
    if (!e.tensors.empty() || e.widthBits != 0) ej["width_bits"] = e.widthBits;
    if (e.bytesPerCycle != e.widthBits / 8.0) ej["bytes_per_cycle"] = number(e.bytesPerCycle);
    if (e.multicast) ej["multicast"] = true;
    if (!e.source.empty()) ej["source"] = e.source;
    edges.push_back(std::move(ej));
  }
  j["edges"] = std::move(edges);
  if (!g.stages.empty()) {
    Json stages = Json::array();
    for (const PipelineStage& s : g.stages)
      stages.push_back({{"name", s.name},
                        {"engine", s.engine >= 0 && static_cast<size_t>(s.engine) < g.numNodes()
                                       ? g.node(s.engine).name
                                       : std::string()},
                        {"layers", s.layers}});
    j["stages"] = std::move(stages);
  }
  return j;
}

}  // namespace dnnchip::graph
