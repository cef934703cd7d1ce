#pragma once
/// \file
/// The default mapper: a valid, reasonable mapping for any compute layer on any Hierarchy, so
/// predict works without hand-written mappings. Greedy: fill the array's axes with the
/// dataflow's preferred dimensions, then, from the innermost level outward, grow each level's
/// factors (largest first) while every tile still fits; DRAM takes what is left. Loop orders are
/// output-stationary (reduction loops innermost) so partial sums are not spilled.
/// Cost: O(levels x dims x bound) checks, microseconds per layer; not for inner loops.

#include "dnnchip/mapping/Hierarchy.h"
#include "dnnchip/mapping/Mapping.h"
#include "dnnchip/workload/Layer.h"

namespace dnnchip::mapping {

/// A mapping that passes checkMapping() whenever the layer fits at all (with all factors 1 the
/// innermost tiles are single words; if even those do not fit, the returned mapping fails the
/// check with mapping.capacity and the caller reports it).
Mapping defaultMapping(const Hierarchy& h, const workload::LoopNest& nest);

/// The output-stationary order used by the default mapper: G N K P Q C R S.
DimOrder outputStationaryOrder();

}  // namespace dnnchip::mapping
