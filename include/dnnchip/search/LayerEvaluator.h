#pragma once
/// \file
/// The one thing the mapping search needs from a cost model: evaluate a mapping of a fixed
/// (layer, engine) pair, without allocating or throwing, returning a failure class for invalid
/// points (counted per class, never an exception). The implementation is the predictor's coarse
/// mode (PredictorEvaluator.h): there is one analytical model in dnnchip (docs/architecture.md).

#include <cstdint>

#include "dnnchip/mapping/Hierarchy.h"
#include "dnnchip/mapping/Mapping.h"
#include "dnnchip/mapping/MappingCheck.h"
#include "dnnchip/workload/Layer.h"

namespace dnnchip::search {

struct MappingCost {
  mapping::Failure failure = mapping::Failure::None;
  double cycles = 0;
  double energyPj = 0;
  int64_t activePes = 0;
  bool ok() const { return failure == mapping::Failure::None; }
};

class LayerEvaluator {
 public:
  virtual ~LayerEvaluator() = default;
  virtual const mapping::Hierarchy& hierarchy() const = 0;
  virtual const workload::LoopNest& nest() const = 0;
  /// Cost of `m`; never allocates, never throws.
  virtual MappingCost evaluate(const mapping::Mapping& m) const noexcept = 0;
  /// A lower bound on the cycles and on the energy of every valid mapping whose temporal factors
  /// multiply to `temporalIterations` (the layer's iterations over its active PEs; the mapping
  /// search's factors are divisors, so a spatial choice fixes it). The default (0, 0) bounds
  /// nothing. Used to skip spatial choices that cannot beat the best mapping found.
  virtual MappingCost lowerBound(double temporalIterations) const noexcept {
    (void)temporalIterations;
    return {};
  }
};

}  // namespace dnnchip::search
