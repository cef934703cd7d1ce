// Node cost models, one per graph node kind, found in a table by the node's kind (no switch):
// each resolves the IP library's figures for its kind (DRAM energy per bit, memory energy and
// area for a capacity and width, MAC energy per op, vector lane energy, NoC bit-hop energy, DMA
// and controller area) and the node's own energy overrides, into the common NodeCost.
// Cost: one IP-library cost query per node; called once per design, never per evaluation.

#include "NodeCost.h"

#include <algorithm>

namespace dnnchip::predict {

namespace {

using graph::NodeKind;

struct Query {
  const graph::AcceleratorGraph& g;
  const graph::Node& n;
  const ip::IpEntry* e;  // null: no IP (or no library)
  const ip::IpLibrary* lib;
  const ip::CostTarget& target;
};

diag::Location nodeLoc(const Query& q) { return {q.g.file, "/nodes/" + std::to_string(q.n.id)}; }

diag::Diagnostic located(diag::Diagnostic d, const Query& q) {
  if (d.location.file.empty() && d.location.pointer.empty()) d.location = nodeLoc(q);
  d.message = "node '" + q.n.name + "': " + d.message;
  return d;
}

int widthOr64(const graph::Node& n) { return n.widthBits > 0 ? n.widthBits : 64; }

diag::Expected<NodeCost> dramCost(const Query& q) {
  NodeCost c;
  double pjPerBit = 0;
  if (q.e) {
    auto d = q.lib->dramCost(*q.e);
    if (!d) return located(d.error(), q);
    pjPerBit = d->energyPjPerBit;
  }
  const int w = widthOr64(q.n);
  c.energy.readPj = q.n.readEnergyPj ? q.n.readEnergyPj->value : pjPerBit * w;
  c.energy.writePj = q.n.writeEnergyPj ? q.n.writeEnergyPj->value : pjPerBit * w;
  return c;
}

diag::Expected<NodeCost> memoryCost(const Query& q) {
  NodeCost c;
  const graph::Node& n = q.n;
  if (q.e) {
    auto m = q.lib->memoryCost(*q.e, n.capacityBytes.value_or(0), widthOr64(n), q.target);
    if (!m) return located(m.error(), q);
    c.energy.readPj = m->readEnergyPj;
    c.energy.writePj = m->writeEnergyPj;
    c.energy.leakageMw = m->leakageMw * n.instances;
    c.areaUm2 = m->areaUm2 * n.instances;
    c.hasFpga = true;
    c.fpga = m->fpga;
    c.fpgaUnits = n.instances;
  }
  if (n.readEnergyPj) c.energy.readPj = n.readEnergyPj->value;
  if (n.writeEnergyPj) c.energy.writePj = n.writeEnergyPj->value;
  if (!q.e && !(n.readEnergyPj && n.writeEnergyPj))
    c.note = diag::Diagnostic{diag::Severity::Warning, "predict.no-energy", nodeLoc(q),
                              "node '" + n.name + "' has neither an IP nor energy overrides; its accesses cost 0 pJ",
                              "name an IP or give read_energy_pj/write_energy_pj"};
  return c;
}

diag::Expected<NodeCost> computeCost(const Query& q) {
  NodeCost c;
  const graph::Node& n = q.n;
  const int bits = std::max(q.g.precision.activationBits, q.g.precision.weightBits);
  const double macs = double(n.pes()) * n.macsPerPe;
  if (q.e) {
    auto m = q.lib->macCost(*q.e, bits, q.target);
    if (!m) return located(m.error(), q);
    c.energy.readPj = m->energyPjPerOp;
    c.areaUm2 = m->areaUm2 * macs;
    c.hasFpga = true;
    c.fpga = m->fpga;
    c.fpgaUnits = macs;
    c.rtlUnits = macs;
  }
  if (n.macEnergyPj) c.energy.readPj = n.macEnergyPj->value;
  return c;
}

diag::Expected<NodeCost> vectorCost(const Query& q) {
  NodeCost c;
  if (q.e) {
    auto v = q.lib->vectorCost(*q.e, std::max(1, q.n.lanes), q.g.precision.activationBits, q.target);
    if (!v) return located(v.error(), q);
    c.energy.readPj = v->energyPjPerLaneOp;
    c.areaUm2 = v->areaUm2;
    c.hasFpga = true;
    c.fpga = v->fpga;
    c.fpgaUnits = 1;
    c.rtlUnits = std::max(1, q.n.lanes);
  }
  return c;
}

diag::Expected<NodeCost> nocCost(const Query& q) {
  NodeCost c;
  if (q.e) {
    auto l = q.lib->linkCost(*q.e, widthOr64(q.n), q.target);
    if (!l) return located(l.error(), q);
    c.energy.readPj = l->energyPjPerBitHop;
    c.areaUm2 = l->areaUm2;
    c.hasFpga = true;
    c.fpga = l->fpga;
    c.fpgaUnits = 1;
  }
  return c;
}

diag::Expected<NodeCost> dmaCost(const Query& q) {
  NodeCost c;
  if (q.e) {
    auto d = q.lib->dmaCost(*q.e, widthOr64(q.n), q.target);
    if (!d) return located(d.error(), q);
    c.areaUm2 = d->areaUm2;
    c.hasFpga = true;
    c.fpga = d->fpga;
    c.fpgaUnits = 1;
    c.rtlUnits = widthOr64(q.n);
  }
  return c;
}

diag::Expected<NodeCost> controllerCost(const Query& q) {
  NodeCost c;
  if (q.e) {
    auto k = q.lib->controllerCost(*q.e, q.target);
    if (!k) return located(k.error(), q);
    c.controllerPjPerCycle = k->energyPjPerCycle;
    c.perTileCycles = k->perTileOverheadCycles;
    c.perLayerCycles = k->perLayerOverheadCycles;
    c.areaUm2 = k->areaUm2;
    c.hasFpga = true;
    c.fpga = k->fpga;
    c.fpgaUnits = 1;
    c.rtlUnits = 1;
  }
  return c;
}

using CostModel = diag::Expected<NodeCost> (*)(const Query&);
struct KindCost {
  NodeKind kind;
  CostModel model;
};
constexpr KindCost kCostModels[] = {
    {NodeKind::Dram, dramCost},       {NodeKind::Buffer, memoryCost}, {NodeKind::RegFile, memoryCost},
    {NodeKind::Compute, computeCost}, {NodeKind::Vector, vectorCost}, {NodeKind::Noc, nocCost},
    {NodeKind::Dma, dmaCost},         {NodeKind::Controller, controllerCost},
};

}  // namespace

diag::Expected<NodeCost> nodeCost(const graph::AcceleratorGraph& g, const graph::Node& n, const ip::IpEntry* ip,
                                  const ip::IpLibrary* lib, const ip::CostTarget& target) {
  const Query q{g, n, ip, lib, target};
  for (const KindCost& k : kCostModels)
    if (k.kind == n.kind) return k.model(q);
  return NodeCost{};  // every NodeKind has a row above
}

}  // namespace dnnchip::predict
