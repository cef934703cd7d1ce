#pragma once
/// \file
/// Verifying a design against its template: the template is looked up in the registry and its
/// verify() runs the graph's checks under the template's rules plus its own.

#include <vector>

#include "dnnchip/arch/Registry.h"
#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/graph/AcceleratorGraph.h"
#include "dnnchip/ip/IpLibrary.h"

namespace dnnchip::arch {

/// Every problem of `design` (empty = valid): graph.bad-enum when its template is not in
/// `registry`, else the template's verify() (graph.*, and ip.* when `lib` is given).
std::vector<diag::Diagnostic> verifyDesign(const graph::AcceleratorGraph& design, const ip::IpLibrary* lib,
                                           const Registry& registry = builtinRegistry());
/// The first error of verifyDesign(), or success.
diag::Status checkDesign(const graph::AcceleratorGraph& design, const ip::IpLibrary* lib,
                         const Registry& registry = builtinRegistry());

}  // namespace dnnchip::arch
