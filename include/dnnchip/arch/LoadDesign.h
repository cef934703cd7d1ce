#pragma once
/// \file
/// Loading a design checked against its template: graph::loadGraphByName with the registry's
/// check (arch::checkDesign without an IP library) instead of the template-blind one, so an
/// unknown template or a rule of the template fails at load, located in the file.

#include <string_view>

#include "dnnchip/arch/Registry.h"
#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/graph/AcceleratorGraph.h"
#include "dnnchip/platform/Platform.h"

namespace dnnchip::arch {

/// A built-in design name (designs/accelerators/<name>.json) or a path. Diagnostics: those of
/// graph::loadGraphByName, graph.bad-enum for a template not in `registry`, the template's checks,
/// arch.memory-port when the design names a built-in platform whose memory port it exceeds.
diag::Expected<graph::AcceleratorGraph> loadDesign(std::string_view nameOrPath,
                                                   const Registry& registry = builtinRegistry());

/// A design against a platform's memory port (none: success): every edge to or from DRAM at most
/// memory_port.data_bits wide when the design drives `oneMaster` AXI master (a generated engine),
/// else at most data_bits x ports; params "dma_read_outstanding"/"dma_write_outstanding" at most
/// the port's read/write acceptance. Diagnostic arch.memory-port located at the offending field.
diag::Status checkMemoryPort(const graph::AcceleratorGraph& g, const platform::Platform& p, bool oneMaster = true);

}  // namespace dnnchip::arch
