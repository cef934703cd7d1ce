// Resolving an accelerator graph into the predictor's plain-number models (see DesignModel.h).
//
// Node costs: each node kind's cost model from a table (NodeCost.cpp), accumulated here.
// Hierarchy: the storage chains of the input, weight and output tensors of a compute node are
// merged into one outermost-first order (Kahn's algorithm, ties by node id). Energies: a node's
// per-access overrides win, else the IP library's cost model at the design's technology and
// device family. Bandwidths: a level's ports move widthBits per port per cycle; DRAM its
// bandwidth_bytes_per_cycle; a path between adjacent levels the bottleneck of the graph's edges
// (pathBandwidthBytesPerCycle), per PE when both ends are private to the PEs.
// Cost: graph queries (allocating) once per design; never in the evaluation loop.

#include "dnnchip/predict/DesignModel.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "dnnchip/arch/DesignCheck.h"
#include "NodeCost.h"
#include "dnnchip/arch/Engine.h"

namespace dnnchip::predict {

using graph::NodeId;
using graph::NodeKind;
using graph::Tensor;

int DesignModel::engineOf(NodeId node) const {
  for (size_t i = 0; i < engineNodes.size(); ++i)
    if (engineNodes[i] == node) return static_cast<int>(i);
  return -1;
}

int DesignModel::engineForLayer(const std::string& layerName) const {
  for (const graph::PipelineStage& s : graph.stages)
    if (std::find(s.layers.begin(), s.layers.end(), layerName) != s.layers.end()) {
      const int e = engineOf(s.engine);
      if (e >= 0) return e;
    }
  return 0;
}

namespace {

/// The block RAM kind a memory that a Verilog template infers maps to on `family` (Yosys: RAMB36
/// on 7-series and UltraScale+, EBR on iCE40); none on an ASIC. The IP of that kind costs it.
std::optional<ip::IpKind> inferredBlockRamKind(ip::DeviceFamily family) {
  switch (family) {
    case ip::DeviceFamily::Xc7: case ip::DeviceFamily::XcUp: return ip::IpKind::Bram36;
    case ip::DeviceFamily::Ice40: return ip::IpKind::Ice40Ebr;
    case ip::DeviceFamily::Asic: return std::nullopt;
  }
  return std::nullopt;
}

diag::Location nodeLoc(const graph::AcceleratorGraph& g, NodeId id) {
  return {g.file, "/nodes/" + std::to_string(id)};
}

void setDataflow(mapping::ComputeArray& a, graph::Dataflow df) {
  using workload::Dim;
  auto allow = [](std::array<bool, workload::kNumDims>& arr, std::initializer_list<Dim> dims) {
    for (Dim d : dims) arr[d] = true;
  };
  auto prefer = [](std::array<int, workload::kNumDims>& arr, int& n, std::initializer_list<Dim> dims) {
    n = 0;
    for (Dim d : dims) arr[n++] = d;
  };
  switch (df) {
    case graph::Dataflow::WeightStationary:  // rows reduce over input channels, columns = outputs
      allow(a.allowY, {Dim::C, Dim::R, Dim::S});
      allow(a.allowX, {Dim::K, Dim::G});
      prefer(a.preferY, a.numPreferY, {Dim::C, Dim::S, Dim::R});
      prefer(a.preferX, a.numPreferX, {Dim::K, Dim::G});
      break;
    case graph::Dataflow::OutputStationary:  // each PE owns output pixels / channels
      allow(a.allowX, {Dim::Q, Dim::K, Dim::N, Dim::G});
      allow(a.allowY, {Dim::P, Dim::K, Dim::N, Dim::G});
      prefer(a.preferX, a.numPreferX, {Dim::Q, Dim::K, Dim::N});
      prefer(a.preferY, a.numPreferY, {Dim::P, Dim::K, Dim::N});
      break;
    case graph::Dataflow::RowStationary:  // filter rows on PE rows, output rows on columns
      allow(a.allowX, {Dim::Q, Dim::P, Dim::N, Dim::K, Dim::G});
      allow(a.allowY, {Dim::S, Dim::R, Dim::C, Dim::K, Dim::G});
      prefer(a.preferX, a.numPreferX, {Dim::Q, Dim::P, Dim::N});
      prefer(a.preferY, a.numPreferY, {Dim::S, Dim::C, Dim::K});
      break;
    case graph::Dataflow::InputStationary:
      allow(a.allowX, {Dim::Q, Dim::P, Dim::N, Dim::G});
      allow(a.allowY, {Dim::C, Dim::R, Dim::S});
      prefer(a.preferX, a.numPreferX, {Dim::Q, Dim::P});
      prefer(a.preferY, a.numPreferY, {Dim::C});
      break;
    case graph::Dataflow::NoLocalReuse:
      allow(a.allowX, {Dim::K, Dim::G});
      allow(a.allowY, {Dim::C, Dim::R, Dim::S});
      prefer(a.preferX, a.numPreferX, {Dim::K});
      prefer(a.preferY, a.numPreferY, {Dim::C, Dim::S, Dim::R});
      break;
  }
}

ip::CostTarget targetOf(const graph::AcceleratorGraph& g) {
  ip::CostTarget t;
  t.technologyNm = g.technologyNm > 0 ? g.technologyNm : 45;
  if (g.family) t.family = *g.family;
  return t;
}

/// Looks up a node's IP entry; nullptr (no error) when the node names none or there is no library.
diag::Expected<const ip::IpEntry*> ipOf(const graph::AcceleratorGraph& g, const graph::Node& n,
                                        const ip::IpLibrary* lib) {
  if (!n.ip || !lib) return static_cast<const ip::IpEntry*>(nullptr);
  const ip::IpEntry* e = lib->find(*n.ip);
  if (!e) return lib->unknownIp(*n.ip, nodeLoc(g, n.id));
  return e;
}

}  // namespace

diag::Expected<mapping::Hierarchy> hierarchyOf(const graph::AcceleratorGraph& g, NodeId compute, bool systolic) {
  const graph::Node& cn = g.node(compute);
  std::vector<std::vector<NodeId>> chains;
  std::set<NodeId> all;
  std::array<std::vector<NodeId>, 3> perRole;
  for (int t = 0; t < 3; ++t) {
    std::vector<NodeId> c = g.storageChain(compute, static_cast<workload::TensorRole>(t));
    if (c.empty()) {
      // Layer pipeline: the tensor comes from (or goes to) the neighbouring stage. Its on-chip
      // levels are the route's memories; the design's DRAM closes the chain (see docs limits).
      const graph::TensorRoute r = g.route(compute, static_cast<workload::TensorRole>(t));
      const std::vector<NodeId> drams = g.dramNodes();
      if (r.found() && r.viaStage && !drams.empty()) {
        c = r.levels;
        c.push_back(drams.front());
      }
    }
    if (c.empty()) {
      const std::string tn(workload::tensorRoleName(static_cast<workload::TensorRole>(t)));
      return diag::error("graph.no-path", nodeLoc(g, compute),
                         "compute node '" + cn.name + "' has no path for " + tn + " to or from DRAM",
                         "add edges carrying " + tn + " between the compute node and a DRAM node");
    }
    std::reverse(c.begin(), c.end());  // outermost first
    perRole[t] = c;
    for (NodeId n : c) all.insert(n);
  }
  // Kahn's algorithm over the chains' parent -> child constraints, lowest id first.
  std::map<NodeId, std::set<NodeId>> succ;
  std::map<NodeId, int> indeg;
  for (NodeId n : all) indeg[n] = 0;
  for (const auto& c : perRole)
    for (size_t i = 0; i + 1 < c.size(); ++i)
      if (succ[c[i]].insert(c[i + 1]).second) ++indeg[c[i + 1]];
  std::vector<NodeId> order;
  std::set<NodeId> ready;
  for (auto& [n, d] : indeg)
    if (d == 0) ready.insert(n);
  while (!ready.empty()) {
    NodeId n = *ready.begin();
    ready.erase(ready.begin());
    order.push_back(n);
    for (NodeId s : succ[n])
      if (--indeg[s] == 0) ready.insert(s);
  }
  if (order.size() != all.size() || g.node(order.front()).kind != NodeKind::Dram)
    return diag::error("predict.levels", nodeLoc(g, compute),
                       "the storage chains of '" + cn.name + "' do not form one hierarchy below a DRAM",
                       "make every tensor's chain start at the same DRAM node and keep levels in one order");
  if (static_cast<int>(order.size()) > mapping::kMaxLevels)
    return diag::error("predict.levels", nodeLoc(g, compute),
                       "'" + cn.name + "' has " + std::to_string(order.size()) + " memory levels, at most " +
                           std::to_string(mapping::kMaxLevels) + " are supported",
                       "merge memory levels");
  mapping::Hierarchy h;
  h.inputBits = g.precision.activationBits;
  h.weightBits = g.precision.weightBits;
  h.outputBits = g.precision.activationBits;
  h.partialSumBits = g.precision.accumulatorBits;
  h.firstPerPeLevel = static_cast<int>(order.size());
  for (NodeId id : order) {
    const graph::Node& n = g.node(id);
    mapping::MemoryLevel l;
    l.name = n.name;
    l.isDram = n.kind == NodeKind::Dram;
    for (int t = 0; t < 3; ++t)
      l.canKeep[t] = l.isDram || std::find(perRole[t].begin(), perRole[t].end(), id) != perRole[t].end();
    l.capacityBits = l.isDram ? 0 : n.capacityBytes.value_or(0) * 8;
    l.instances = n.instances;
    l.accessWidthBits = n.widthBits > 0 ? n.widthBits : 64;
    l.doubleBuffered = n.doubleBuffered;
    if (!l.isDram && n.instances > 1 && h.firstPerPeLevel == static_cast<int>(order.size()))
      h.firstPerPeLevel = h.numLevels();
    h.levels.push_back(l);
  }
  h.array.name = cn.name;
  h.array.meshX = std::max(1, cn.cols);
  h.array.meshY = std::max(1, cn.rows);
  h.array.systolic = systolic;
  setDataflow(h.array, cn.dataflow.value_or(graph::Dataflow::WeightStationary));
  h.array.peSets = cn.peSets && cn.dataflow == graph::Dataflow::RowStationary;
  if (cn.spatialMapping) {
    const graph::FixedSpatialMapping& fm = *cn.spatialMapping;
    // Each unrolled dimension must be one the dataflow puts on that axis (the evaluator's
    // dataflow check would reject every mapping otherwise).
    auto allowed = [&](const graph::SpatialUnroll& u, const char* part) -> diag::Status {
      for (int d = 0; d < workload::kNumDims; ++d)
        for (int axis = 0; axis < 2; ++axis) {
          const int64_t f = axis == 0 ? u.x[d] : u.y[d];
          const bool ok = axis == 0 ? h.array.allowX[d] : h.array.allowY[d];
          if (f > 1 && !ok)
            return diag::error("predict.spatial-mapping", nodeLoc(g, compute),
                               std::string("the ") + part + " spatial mapping of '" + cn.name + "' unrolls " +
                                   workload::kDimNames[d] + " on " + (axis == 0 ? "x" : "y") + ", which its " +
                                   std::string(graph::dataflowName(*cn.dataflow)) + " dataflow does not allow there",
                               "unroll only dimensions the dataflow allows on that axis (docs/graph.md#fixed-spatial-mappings)");
        }
      return {};
    };
    if (diag::Status st = allowed(fm.conv, "conv"); !st.ok()) return st.error();
    if (fm.depthwise)
      if (diag::Status st = allowed(*fm.depthwise, "depthwise"); !st.ok()) return st.error();
    h.array.fixedSpatial = true;
    h.array.fixedX = fm.conv.x;
    h.array.fixedY = fm.conv.y;
    if (fm.depthwise) {
      h.array.fixedDepthwise = true;
      h.array.fixedDwX = fm.depthwise->x;
      h.array.fixedDwY = fm.depthwise->y;
    }
  }
  return h;
}

diag::Expected<DesignModel> prepareDesign(const graph::AcceleratorGraph& g, const ip::IpLibrary* lib,
                                          const arch::Registry& registry) {
  if (diag::Status s = arch::checkDesign(g, lib, registry); !s.ok()) return s.error();
  DesignModel dm;
  dm.graph = g;
  dm.tmpl = *registry.resolve(g);  // checkDesign found it
  dm.clockHz = g.clockMhz > 0 ? g.clockMhz * 1e6 : 1e9;
  dm.pipelined = dm.tmpl->pipelined();
  dm.library = lib;
  const ip::CostTarget target = targetOf(g);
  const bool fpga = target.family != ip::DeviceFamily::Asic;

  // Per-node energy (per access) and resources.
  std::map<NodeId, LevelEnergy> nodeEnergy;
  struct ControllerInfo {
    double pjPerCycle = 0, perTileCycles = 0, perLayerCycles = 0;
  };
  std::map<NodeId, ControllerInfo> controllerInfo;
  DesignResources& res = dm.resources;
  auto addFpga = [&](const ip::FpgaResources& f, double count) {
    res.fpga.dsp += std::ceil(f.dsp * count);
    res.fpga.bram18 += f.bram18 * count;
    res.fpga.bram36 += f.bram36 * count;
    res.fpga.uram += f.uram * count;
    res.fpga.lutramLuts += f.lutramLuts * count;
    res.fpga.lut += f.lut * count;
    res.fpga.ff += f.ff * count;
  };
  // A design of a template with an RTL engine: its logic is the templates' as Yosys maps them (IP
  // "rtl" figures), not the generic IP estimates, wherever the IP library has them for the family.
  const arch::Engine* engine = dm.tmpl->engine();
  const bool generated = fpga && lib && engine;
  // the engine's parameters decide whether residual_add is in it (FUSE_ADD)
  // and whether it has a pool unit (POOL_DEPTH: its logic per lane, its line buffer in block RAM;
  // counted whenever the engine may build it, an upper bound for a network with no fusable pool)
  bool fusedAdd = false;
  int poolWords = 0, poolLanes = 0, requantBits = 32;
  bool dwUnit = false, lutMult = false, weightSkew = false;
  int dwLineBits = 0;
  double softmaxLanes = 0;  // softmax_unit: min(ROWS, COLS) lanes
  if (generated)
    if (auto m = engine->map(g, *lib)) {
      fusedAdd = m->config.fuseResidualAdd;
      poolWords = m->config.poolLineWords;
      poolLanes = m->config.cols;
      requantBits = m->config.requantBits;
      lutMult = m->config.requantLutMult;
      weightSkew = m->config.weightSkew;
      dwUnit = m->config.depthwiseUnit;
      softmaxLanes = double(std::min(m->config.rows, m->config.cols));
      dwLineBits = m->config.depthwiseLineBits;
    }
  int rtlNodes = 0;
  auto addLogic = [&](const ip::IpEntry& e, const ip::FpgaResources& generic, double genericCount, double units) {
    if (generated)
      if (auto r = lib->rtlFpga(e, target.family, units, std::string(engine->rtlVariant()), fusedAdd, poolWords > 0,
                                 requantBits, /*mulUnit=*/false, dwUnit, lutMult, /*softmaxUnit=*/false,
                                 weightSkew)) {
        addFpga(*r, 1);
        ++rtlNodes;
        if (auto withMul = lib->rtlFpga(e, target.family, units, std::string(engine->rtlVariant()), fusedAdd,
                                        poolWords > 0, requantBits, /*mulUnit=*/true, dwUnit, lutMult,
                                        /*softmaxUnit=*/false, weightSkew)) {
          res.mulUnitFpga.dsp += withMul->dsp - r->dsp;
          res.mulUnitFpga.lut += withMul->lut - r->lut;
          res.mulUnitFpga.ff += withMul->ff - r->ff;
        }
        const std::string variant(engine->rtlVariant());
        auto noSmx = lib->rtlFpga(e, target.family, softmaxLanes, variant, fusedAdd, poolWords > 0, requantBits,
                                  /*mulUnit=*/false, dwUnit, lutMult, /*softmaxUnit=*/false);
        auto withSmx = lib->rtlFpga(e, target.family, softmaxLanes, variant, fusedAdd, poolWords > 0, requantBits,
                                    /*mulUnit=*/false, dwUnit, lutMult, /*softmaxUnit=*/true);
        if (noSmx && withSmx) {
          res.softmaxUnitFpga.dsp += withSmx->dsp - noSmx->dsp;
          res.softmaxUnitFpga.lut += withSmx->lut - noSmx->lut;
          res.softmaxUnitFpga.ff += withSmx->ff - noSmx->ff;
        }
        return;
      }
    addFpga(generic, genericCount);
  };
  for (const graph::Node& n : g.nodes()) {
    auto ipE = ipOf(g, n, lib);
    if (!ipE) return ipE.error();
    const ip::IpEntry* e = *ipE;
    auto cost = nodeCost(g, n, e, lib, target);  // the node kind's cost model (NodeCost.cpp)
    if (!cost) return cost.error();
    const LevelEnergy le = cost->energy;
    if (fpga && cost->hasFpga) {
      // the generated engine's vector unit, residual_add and pool unit have one lane per array
      // column (LANES(COLS)), whatever lanes the design's vector node declares
      const bool engineLanes = generated && poolLanes > 0 && e->kind == ip::IpKind::Vector;
      if (cost->rtlUnits) addLogic(*e, cost->fpga, cost->fpgaUnits, engineLanes ? poolLanes : *cost->rtlUnits);
      else addFpga(cost->fpga, cost->fpgaUnits);
    }
    if (cost->note) dm.notes.push_back(*cost->note);
    // The roles a node plays for the whole design: the first DRAM, the first vector unit, the
    // controllers' overheads.
    if (n.kind == NodeKind::Dram && dm.dramName.empty()) {
      const int w = n.widthBits > 0 ? n.widthBits : 64;
      dm.dramName = n.name;
      dm.dramBitsPerCycle = n.bandwidthBytesPerCycle.value_or(0) * 8;
      dm.dramPjPerBit = le.readPj / w;
    }
    if (n.kind == NodeKind::Vector && !dm.hasVector) {
      dm.hasVector = true;
      dm.vectorName = n.name;
      dm.vectorLanes = std::max(1, n.lanes);
      dm.vectorPjPerLaneOp = le.readPj;
    }
    if (n.kind == NodeKind::Controller && e)
      controllerInfo[n.id] = {cost->controllerPjPerCycle, cost->perTileCycles, cost->perLayerCycles};
    const double area = cost->areaUm2;
    nodeEnergy[n.id] = le;
    res.areaUm2 += area;
    if (n.kind == NodeKind::Buffer || n.kind == NodeKind::RegFile) res.leakageMw += le.leakageMw;
    res.areaByNodeUm2.emplace_back(n.name, area);
  }
  // The vector unit's off-chip traffic crosses whatever lies between it and the DRAM (on an
  // overlay such as the Xilinx DPU, the core's AXI data ports): the narrowest of the DRAM and of
  // the input path in and the output path out, reads and writes summed over it as on an engine's
  // shared path.
  dm.vectorMemBitsPerCycle = dm.dramBitsPerCycle;
  dm.vectorMemName = dm.dramName;
  if (dm.hasVector && !dm.dramName.empty()) {
    const NodeId dram = g.findNode(dm.dramName)->id;
    const NodeId vec = g.findNode(dm.vectorName)->id;
    for (const auto& [from, to, t] : {std::tuple{dram, vec, Tensor::Input}, std::tuple{vec, dram, Tensor::Output}}) {
      const std::vector<graph::EdgeId> path = g.linksBetween(from, to, t);
      const double bw = g.pathBandwidthBytesPerCycle(path) * 8;
      if (path.empty() || bw <= 0) continue;
      if (dm.vectorMemBitsPerCycle > 0 && bw >= dm.vectorMemBitsPerCycle) continue;
      dm.vectorMemBitsPerCycle = bw;
      // name the bottleneck: the narrowest transport node on the path, else the narrowest edge
      std::string name;
      double worst = 1e300;
      for (graph::EdgeId eid : path) {
        const graph::Edge& ed = g.edge(eid);
        for (NodeId end : {ed.from, ed.to}) {
          const graph::Node& en = g.node(end);
          if (graph::isTransport(en.kind) && en.bandwidthBytesPerCycle && *en.bandwidthBytesPerCycle < worst) {
            worst = *en.bandwidthBytesPerCycle;
            name = en.name;
          }
        }
      }
      for (graph::EdgeId eid : path)
        if (g.edge(eid).bytesPerCycle < worst) {
          worst = g.edge(eid).bytesPerCycle;
          name = g.node(g.edge(eid).from).name + "->" + g.node(g.edge(eid).to).name;
        }
      dm.vectorMemName = name.empty() ? dm.dramName : name;
    }
  }
  // The engine's line buffers are memories its templates infer: the family's block RAM
  // (inferredBlockRamKind), costed by the library's first IP of that kind.
  const ip::IpEntry* lineBufferIp = nullptr;
  if (generated && rtlNodes > 0)
    if (auto kind = inferredBlockRamKind(target.family))
      if (auto ids = lib->idsOfKind(*kind); !ids.empty()) lineBufferIp = lib->find(ids.front());
  auto addLineBuffer = [&](int64_t bytes) {
    if (lineBufferIp)
      if (auto mc = lib->memoryCost(*lineBufferIp, bytes, poolLanes * 8, target); mc && mc->supported)
        addFpga(mc->fpga, 1);
  };
  // the pool unit's line buffer: POOL_DEPTH words of COLS bytes, one block RAM memory
  if (poolWords > 0) addLineBuffer(int64_t(poolWords) * poolLanes);
  // the depthwise unit's line buffer: 4 row slots of 2^DW_LW words of COLS bytes
  if (dwUnit) addLineBuffer((int64_t(4) << dwLineBits) * poolLanes);
  res.fpgaLogicFromRtl = rtlNodes > 0;
  res.fpga.bram18 = std::ceil(res.fpga.bram18);
  res.fpga.bram36 = std::ceil(res.fpga.bram36);
  res.fpga.uram = std::ceil(res.fpga.uram);
  res.fpga.lut = std::ceil(res.fpga.lut);
  res.fpga.ff = std::ceil(res.fpga.ff);

  const std::vector<NodeId> controllers = g.nodesOfKind(NodeKind::Controller);
  for (NodeId cid : g.computeNodes()) {
    auto h = hierarchyOf(g, cid, dm.tmpl->systolicArray());
    if (!h) return h.error();
    EngineModel em;
    em.hierarchy = std::move(*h);
    em.clockHz = dm.clockHz;
    em.macPj = nodeEnergy[cid].readPj;
    if (const graph::Node& cn = g.node(cid); cn.peCycleEnergyPj)
      em.clockPjPerCycle = cn.peCycleEnergyPj->value * double(cn.pes());
    em.dataGating = g.node(cid).dataGating;
    std::vector<NodeId> levelNodes;
    for (const auto& l : em.hierarchy.levels) levelNodes.push_back(g.findNode(l.name)->id);
    for (int l = 0; l < em.hierarchy.numLevels(); ++l) {
      const graph::Node& n = g.node(levelNodes[l]);
      em.energy[l] = nodeEnergy[n.id];
      if (n.kind == NodeKind::Dram) {
        const double bw = n.bandwidthBytesPerCycle.value_or(0) * 8;
        em.readBitsPerCycle[l] = em.writeBitsPerCycle[l] = bw;
      } else {
        const int w = n.widthBits > 0 ? n.widthBits : 64;
        em.readBitsPerCycle[l] = double(w) * std::max(1, n.readPorts);
        em.writeBitsPerCycle[l] = double(w) * std::max(1, n.writePorts);
      }
    }
    // Paths between adjacent levels of each tensor's chain, and from the innermost to the array.
    std::map<std::pair<int, int>, size_t> pathIndex;
    for (int t = 0; t < 3; ++t) {
      std::vector<int> chain;  // level indices holding t, outermost first
      for (int l = 0; l < em.hierarchy.numLevels(); ++l)
        if (em.hierarchy.levels[l].canKeep[t]) chain.push_back(l);
      const Tensor gt = graph::fromRole(static_cast<workload::TensorRole>(t));
      for (size_t i = 0; i < chain.size(); ++i) {
        const int parent = chain[i];
        const int child = i + 1 < chain.size() ? chain[i + 1] : -1;
        const NodeId a = levelNodes[parent];
        const NodeId b = child >= 0 ? levelNodes[child] : cid;
        std::vector<graph::EdgeId> edges = g.linksBetween(a, b, gt);
        if (edges.empty()) edges = g.linksBetween(a, b);
        if (edges.empty()) continue;
        double bw = g.pathBandwidthBytesPerCycle(edges) * 8;
        const bool perPe = parent >= em.hierarchy.firstPerPeLevel;
        if (perPe) bw *= double(em.hierarchy.totalPes());
        double pjPerBit = 0;
        bool multicast = false;
        std::string name;
        double worst = 1e300;
        for (graph::EdgeId eid : edges) {
          const graph::Edge& ed = g.edge(eid);
          multicast = multicast || ed.multicast;
          for (NodeId end : {ed.from, ed.to}) {
            const graph::Node& en = g.node(end);
            if (en.kind == NodeKind::Noc) {
              pjPerBit += nodeEnergy[end].readPj;
              multicast = multicast || en.multicast;
            }
          }
          if (ed.bytesPerCycle > 0 && ed.bytesPerCycle < worst) {
            worst = ed.bytesPerCycle;
            name = g.node(ed.from).name + "->" + g.node(ed.to).name;
          }
        }
        for (graph::EdgeId eid : edges)
          for (NodeId end : {g.edge(eid).from, g.edge(eid).to}) {
            const graph::Node& en = g.node(end);
            if ((en.kind == NodeKind::Noc || en.kind == NodeKind::Dma) && en.bandwidthBytesPerCycle &&
                *en.bandwidthBytesPerCycle < worst) {
              worst = *en.bandwidthBytesPerCycle;
              name = en.name;
            }
          }
        if (name.empty()) name = g.node(a).name + "->" + g.node(b).name;
        auto key = std::make_pair(parent, child);
        auto it = pathIndex.find(key);
        if (it == pathIndex.end()) {
          if (em.paths.size() >= 2 * static_cast<size_t>(kMaxLevels)) continue;
          PathLimit pl;
          pl.parent = parent;
          pl.child = child;
          pl.tensorMask = static_cast<uint8_t>(1u << t);
          pl.bitsPerCycle = bw;
          pl.energyPjPerBit = pjPerBit;
          pl.multicast = multicast || !perPe;
          pathIndex[key] = em.paths.size();
          em.paths.push_back(pl);
          em.pathNames.push_back(name);
        } else {
          em.paths[it->second].tensorMask |= static_cast<uint8_t>(1u << t);
        }
      }
    }
    if (!controllers.empty()) {
      const ControllerInfo& ci = controllerInfo[controllers.front()];
      em.controllerPjPerCycle = ci.pjPerCycle;
      em.perTileOverheadCycles = ci.perTileCycles;
      em.perLayerOverheadCycles = ci.perLayerCycles;
    }
    dm.engines.push_back(std::move(em));
    dm.engineNodes.push_back(cid);
  }
  if (dm.engines.empty())
    return diag::error("graph.empty", {g.file, "/nodes"}, "design '" + g.name + "' has no compute node",
                       "add a node of kind compute");
  return dm;
}

}  // namespace dnnchip::predict
