#pragma once
/// \file
/// Internal: used inside the library, its tools and tests; not installed (docs/api.md).
/// The search's LayerEvaluator over the predictor's coarse mode: one predict::PreparedLayer per
/// (layer, engine); evaluate() is the predictor's allocation-free evaluation, so a mapping the
/// search reports is the mapping `dnnchip predict` confirms, number for number.

#include <algorithm>
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
  /// Compute and compulsory-traffic bound. Every distinct input and weight element is read from
  /// level 0 (DRAM) once and every output element written to it once: ReuseAnalysis.cpp charges
  /// level 0 the reads and updates of its child's tiles, which cover each tensor at least once.
  /// Latency: at least the larger of the temporal iterations and level 0's port cycles for that
  /// traffic (the predictor takes the worst of the compute, level and path terms), plus the
  /// layer's controller start (the other terms are >= 0). Energy: the MACs', the controller's over
  /// those cycles, and the compulsory traffic at level 0's energy per word (path and other levels'
  /// energies are >= 0). Checked against every mapping of enumerable spaces (MappingSearchTest,
  /// LowerBoundHoldsOnEveryMapping).
  MappingCost lowerBound(double temporalIterations) const noexcept override {
    const predict::EngineModel& e = layer_.engine();
    const mapping::Hierarchy& h = e.hierarchy;
    const workload::LoopNest& n = layer_.nest();
    double worst = temporalIterations, trafficPj = 0;
    if (h.numLevels() > 0) {
      const int64_t width = h.levels[0].accessWidthBits;
      const double in = static_cast<double>(n.inputElements()), w = static_cast<double>(n.weightElements()),
                   out = static_cast<double>(n.outputElements());
      trafficPj = in * predict::perWordPj(e.energy[0].readPj, width, h.inputBits) +
                  w * predict::perWordPj(e.energy[0].readPj, width, h.weightBits) +
                  out * predict::perWordPj(e.energy[0].writePj, width, h.outputBits);
      if (e.readBitsPerCycle[0] > 0) worst = std::max(worst, (in * h.inputBits + w * h.weightBits) / e.readBitsPerCycle[0]);
      if (e.writeBitsPerCycle[0] > 0) worst = std::max(worst, out * h.outputBits / e.writeBitsPerCycle[0]);
    }
    MappingCost c;
    c.cycles = std::ceil(worst + e.perLayerOverheadCycles);
    c.energyPj = static_cast<double>(n.macs()) * e.macPj + c.cycles * e.controllerPjPerCycle + trafficPj;
    return c;
  }
  const predict::PreparedLayer& prepared() const { return layer_; }

 private:
  predict::PreparedLayer layer_;
};

}  // namespace dnnchip::search
