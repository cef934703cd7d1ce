// loadDesign: graph::loadGraphByName with arch::checkDesign as its check, so the diagnostics of a
// design file come in the verifier's order with the template's rules applied. Cost: one parse and
// one verify.

#include "dnnchip/arch/LoadDesign.h"

#include "dnnchip/arch/DesignCheck.h"
#include "dnnchip/graph/GraphJson.h"

namespace dnnchip::arch {

diag::Expected<graph::AcceleratorGraph> loadDesign(std::string_view nameOrPath, const Registry& registry) {
  return graph::loadGraphByName(nameOrPath,
                                [&](const graph::AcceleratorGraph& g) { return checkDesign(g, nullptr, registry); });
}

}  // namespace dnnchip::arch
