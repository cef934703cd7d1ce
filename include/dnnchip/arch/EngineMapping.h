#pragma once
/// \file
/// From an accelerator graph to the parameters of the layer-sequential engine
/// (schedule::EngineConfig): array shape and dataflow from the compute node, buffer depths from
/// the memories that hold each tensor next to the array, AXI width from the DRAM path, and the RTL
/// template of every IP instance (codegen.no-template when an IP has none). Which templates have
/// an engine, and how a design maps onto it, is the template registry's knowledge (Engine.h).

#include <string>
#include <vector>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/graph/AcceleratorGraph.h"
#include "dnnchip/ip/IpLibrary.h"
#include "dnnchip/schedule/EngineConfig.h"

namespace dnnchip::arch {

class Registry;

/// The engine a design maps to, and which graph node became which engine part.
struct EngineMapping {
  schedule::EngineConfig config;
  std::string computeNode;                 ///< graph node names, for comments in the generated top
  std::string actBufferNode, weightBufferNode, accBufferNode;
  std::vector<std::string> ipTemplates;    ///< templates named by the design's IPs (sorted, unique)
};

/// Maps `design` onto the engine of its template (looked up in `registry`). Diagnostics (located
/// at the design file and node): graph.bad-enum (unknown template), codegen.not-systolic (the
/// template has no engine, or no single compute node with a WS/OS dataflow), codegen.no-template
/// (an IP without an RTL template), codegen.engine-param (a size the engine cannot take, e.g. an
/// AXI width that is not a power of two in 32..512).
diag::Expected<EngineMapping> mapToEngine(const graph::AcceleratorGraph& design, const ip::IpLibrary& lib,
                                          const Registry& registry);
/// Same, with the built-in templates (builtinRegistry()).
diag::Expected<EngineMapping> mapToEngine(const graph::AcceleratorGraph& design, const ip::IpLibrary& lib);

}  // namespace dnnchip::arch
