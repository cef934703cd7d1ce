// Verifying a design against its registered template: look the template up (graph.bad-enum at
// "/template" when unknown), then run its verify(). Cost: one registry lookup plus the graph's
// checks (O(V * (V + E))).

#include "dnnchip/arch/DesignCheck.h"

namespace dnnchip::arch {

std::vector<diag::Diagnostic> verifyDesign(const graph::AcceleratorGraph& design, const ip::IpLibrary* lib,
                                           const Registry& registry) {
  auto t = registry.resolve(design);
  if (!t) return {t.error()};
  return (*t)->verify(design, lib);
}

diag::Status checkDesign(const graph::AcceleratorGraph& design, const ip::IpLibrary* lib, const Registry& registry) {
  for (diag::Diagnostic& d : verifyDesign(design, lib, registry))
    if (d.severity == diag::Severity::Error) return d;
  return diag::Status::success();
}

}  // namespace dnnchip::arch
