#pragma once
/// \file
/// From an accelerator graph of a systolic template to the parameters of the layer-sequential
/// engine (schedule::EngineConfig): array shape and dataflow from the compute node, buffer depths
/// from the memories that hold each tensor next to the array, AXI width from the DRAM path, and
/// the RTL template of every IP instance (codegen.no-template when an IP has none).

#include <string>
#include <vector>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/graph/AcceleratorGraph.h"
#include "dnnchip/ip/IpLibrary.h"
#include "dnnchip/schedule/EngineConfig.h"

namespace dnnchip::codegen {

/// The engine a design maps to, and which graph node became which engine part.
struct EngineMapping {
  schedule::EngineConfig config;
  std::string computeNode;                 ///< graph node names, for comments in the generated top
  std::string actBufferNode, weightBufferNode, accBufferNode;
  std::vector<std::string> ipTemplates;    ///< templates named by the design's IPs (sorted, unique)
};

/// Maps `design` onto the engine. Diagnostics (located at the design file and node):
/// codegen.not-systolic (template is not systolic_ws/systolic_os, or no single compute node with a
/// WS/OS dataflow), codegen.no-template (an IP without an RTL template), codegen.engine-param
/// (a size the engine cannot take, e.g. an AXI width that is not a power of two in 32..512).
diag::Expected<EngineMapping> mapToEngine(const graph::AcceleratorGraph& design, const ip::IpLibrary& lib);

}  // namespace dnnchip::codegen
