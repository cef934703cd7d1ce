#pragma once
// The layer-sequential systolic engine (templates/dnnchip_engine.v), private to src/arch.

#include "dnnchip/arch/EngineMapping.h"
#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/graph/AcceleratorGraph.h"
#include "dnnchip/ip/IpLibrary.h"

namespace dnnchip::arch::systolic {

/// The engine parameters of a systolic design (rules in EngineMapping.cpp); the caller has
/// checked that the design's template is a systolic one.
diag::Expected<EngineMapping> mapDesign(const graph::AcceleratorGraph& design, const ip::IpLibrary& lib);

}  // namespace dnnchip::arch::systolic
