#pragma once
/// \file
/// Loading a design checked against its template: graph::loadGraphByName with the registry's
/// check (arch::checkDesign without an IP library) instead of the template-blind one, so an
/// unknown template or a rule of the template fails at load, located in the file.

#include <string_view>

#include "dnnchip/arch/Registry.h"
#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/graph/AcceleratorGraph.h"

namespace dnnchip::arch {

/// A built-in design name (designs/accelerators/<name>.json) or a path. Diagnostics: those of
/// graph::loadGraphByName, graph.bad-enum for a template not in `registry`, the template's checks.
diag::Expected<graph::AcceleratorGraph> loadDesign(std::string_view nameOrPath,
                                                   const Registry& registry = builtinRegistry());

}  // namespace dnnchip::arch
