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

/// MACs per PE of compute node `pe`: the "macs_per_pe" parameter of its MAC IP (2 for
/// mac_int8_pack2), 1 without it. arch.pack unless the packed array is legal here: weight
/// stationary, at most 16 rows (16 x 128 x 127 < 2^18, the packed low field), an even number of
/// columns, and family xcup (DSP48E2's 27-bit pre-adder; docs/engine.md#dsp-packing).
diag::Expected<int> packOf(const graph::AcceleratorGraph& design, const graph::Node& pe, const ip::IpLibrary& lib);

}  // namespace dnnchip::arch::systolic
