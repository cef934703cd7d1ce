#pragma once
// The cost of one accelerator-graph node, whatever its kind, for prepareDesign (private to
// src/predict). NodeCost.cpp holds one cost model per node kind in a table; each asks the IP
// library for its kind's figures (memoryCost, macCost, ...) and returns the common struct.

#include <optional>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/graph/AcceleratorGraph.h"
#include "dnnchip/ip/IpLibrary.h"
#include "dnnchip/predict/EngineModel.h"

namespace dnnchip::predict {

/// What a node costs.
struct NodeCost {
  LevelEnergy energy;   ///< readPj: per access (memories, DRAM), per op (MAC, vector lane), per bit-hop (NoC)
  double areaUm2 = 0;   ///< all instances
  bool hasFpga = false;       ///< the IP gives FPGA resources
  ip::FpgaResources fpga;     ///< generic FPGA resources of one unit
  double fpgaUnits = 0;       ///< how many units of `fpga`
  /// Logic (DSP, LUT, FF) a generated design takes from the IP's "rtl" figures instead, for
  /// this many units; memories and NoC links have none.
  std::optional<double> rtlUnits;
  // controller nodes
  double controllerPjPerCycle = 0, perTileCycles = 0, perLayerCycles = 0;
  std::optional<diag::Diagnostic> note;  ///< e.g. a memory without an energy source
};

/// The node's cost: its kind's cost model with `ip` (null when the node names no IP or there is
/// no library), at `target`. ip.* diagnostics located at the node.
diag::Expected<NodeCost> nodeCost(const graph::AcceleratorGraph& g, const graph::Node& n, const ip::IpEntry* ip,
                                  const ip::IpLibrary* lib, const ip::CostTarget& target);

}  // namespace dnnchip::predict
