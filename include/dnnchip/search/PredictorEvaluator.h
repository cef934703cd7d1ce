#pragma once
/// \file
/// Internal: used inside the library, its tools and tests; not installed (docs/api.md).
/// The search's LayerEvaluator over the predictor's coarse mode: one predict::PreparedLayer per
/// (layer, engine); evaluate() is the predictor's allocation-free evaluation, so a mapping the
/// search reports is the mapping `dnnchip predict` confirms, number for number.

#include <cmath>

#include "dnnchip/predict/ReuseAnalysis.h"
#include "dnnchip/search/LayerEvaluator.h"

namespace dnnchip::search {

class PredictorEvaluator final : public LayerEvaluator {
 public:
  PredictorEvaluator(const predict::EngineModel& engine, const workload::LoopNest& nest)
      : layer_(engine, nest) {}
  const mapping::Hierarchy& hierarchy() const override { return layer_.engine().hierarchy; }
  const workload::LoopNest& nest() const override { return layer_.nest(); }
  MappingCost evaluate(const mapping::Mapping& m) const noexcept override {
    predict::LayerEval e = layer_.evaluate(m);
    MappingCost c;
    c.failure = e.check.failure;
    c.cycles = e.cycles;
    c.energyPj = e.energyPj;
    c.activePes = e.activePes;
    return c;
  }
  /// Compute bound: the predictor's latency is at least the temporal iterations plus the layer's
  /// controller start (every other term is >= 0); its energy at least the MACs' energy plus the
  /// controller's over those cycles (memory and path energies are >= 0). ReuseAnalysis.cpp.
  MappingCost lowerBound(double temporalIterations) const noexcept override {
    const predict::EngineModel& e = layer_.engine();
    MappingCost c;
    c.cycles = std::ceil(temporalIterations + e.perLayerOverheadCycles);
    c.energyPj = static_cast<double>(layer_.nest().macs()) * e.macPj + c.cycles * e.controllerPjPerCycle;
    return c;
  }
  const predict::PreparedLayer& prepared() const { return layer_; }

 private:
  predict::PreparedLayer layer_;
};

}  // namespace dnnchip::search
