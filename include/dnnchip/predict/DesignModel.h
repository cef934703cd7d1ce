#pragma once
/// \file
/// A design resolved once for prediction: one EngineModel per compute node (hierarchy from the
/// graph's storage chains, per-access energies from the node overrides or the IP library, path
/// bandwidths from the graph's edges), the vector unit, DRAM, and the design's area, FPGA
/// resources and leakage. Everything the per-layer evaluation reads is plain numbers.

#include <string>
#include <vector>

#include "dnnchip/arch/Registry.h"
#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/graph/AcceleratorGraph.h"
#include "dnnchip/ip/IpLibrary.h"
#include "dnnchip/predict/EngineModel.h"

namespace dnnchip::predict {

/// Area and FPGA resources of the whole design (ASIC area at the design's technology node).
struct DesignResources {
  double areaUm2 = 0;
  double leakageMw = 0;
  ip::FpgaResources fpga;                        ///< totals, each rounded up per instance
  /// Logic (DSP, LUT, FF) of the compute, vector, DMA and controller nodes came from the IPs'
  /// "rtl" figures (Yosys on the templates): a generated systolic design on a family they cover.
  bool fpgaLogicFromRtl = false;
  /// What residual_add's multiply mode adds to `fpga` (IP "rtl" figures ending in "_mul_unit"):
  /// the generator builds it (MUL = 1) only for a program with an elementwise Mul, so predict()
  /// adds it for a model that has one and the design model, which knows no model, leaves it out.
  ip::FpgaResources mulUnitFpga;
  /// What softmax_unit adds (IP "rtl" figures ending in "_softmax_unit", at min(ROWS, COLS) lanes):
  /// built (SOFTMAX = 1) only for a program with a softmax, so predict() adds it for such a model.
  ip::FpgaResources softmaxUnitFpga;
  std::vector<std::pair<std::string, double>> areaByNodeUm2;  ///< graph order
};

struct DesignModel {
  graph::AcceleratorGraph graph;
  /// The design's template, from the registry prepareDesign was given (not owned: a registry
  /// outlives the models prepared with it; builtinRegistry() lives as long as the program).
  const arch::Template* tmpl = nullptr;
  std::vector<EngineModel> engines;              ///< one per compute node, graph order
  std::vector<graph::NodeId> engineNodes;
  double clockHz = 1e9;
  // vector unit (pooling, elementwise, softmax, layer norm)
  bool hasVector = false;
  std::string vectorName;
  int vectorLanes = 1;
  double vectorPjPerLaneOp = 0;
  // DRAM
  std::string dramName;
  double dramBitsPerCycle = 0;                   ///< 0 = unlimited
  double dramPjPerBit = 0;
  /// The vector unit's off-chip traffic: the narrowest of the DRAM and of the paths between the
  /// DRAM and the vector unit (inputs in, outputs out; DMA and NoC nodes on the way count, as for
  /// an engine's paths). 0 = unlimited. `vectorMemName` names that bottleneck (the DRAM's name
  /// when nothing on the paths is narrower).
  double vectorMemBitsPerCycle = 0;
  std::string vectorMemName;
  DesignResources resources;
  bool pipelined = false;                        ///< the template's stages run concurrently
  std::vector<diag::Diagnostic> notes;           ///< e.g. nodes without an energy source
  /// The IP library the design was prepared with (not owned; the caller keeps it alive while
  /// predicting). Fine mode needs it to lower generated systolic designs onto the RTL engine.
  const ip::IpLibrary* library = nullptr;

  /// Engine index for a compute node, -1 if none.
  int engineOf(graph::NodeId node) const;
  /// The engine that runs the layer of that name: its stage's engine in a layer pipeline, else
  /// (and for a layer in no stage) engine 0. The one place this is decided (predict, explore, map).
  int engineForLayer(const std::string& layerName) const;
};

/// Resolves `g` for prediction. `lib` may be null only if every node carries its own energy
/// overrides; `registry` knows the design's template. Diagnostics: graph.* (arch::verifyDesign,
/// graph.bad-enum for an unknown template), ip.* (unknown IP, parameter out of range),
/// graph.empty, predict.levels (more than kMaxLevels memory levels on a path).
diag::Expected<DesignModel> prepareDesign(const graph::AcceleratorGraph& g, const ip::IpLibrary* lib,
                                          const arch::Registry& registry = arch::builtinRegistry());

/// The mapping hierarchy of one compute node (storage chains merged outermost first; ties broken
/// by node id; levels with more than one instance and all below them are per PE). `systolic`:
/// the template's operands move PE to PE (arch::Template::systolicArray).
diag::Expected<mapping::Hierarchy> hierarchyOf(const graph::AcceleratorGraph& g, graph::NodeId compute,
                                               bool systolic);

}  // namespace dnnchip::predict
