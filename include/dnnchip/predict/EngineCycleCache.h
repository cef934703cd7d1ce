#pragma once
/// \file
/// A store of a generated engine's closed-form cycles that a caller keeps across many coarse
/// predictions (the search predicts thousands of designs whose programs share most descriptors).
/// The predictor asks it instead of calling Engine::cycles(program, cfg, false) when
/// PredictOptions::engineCycleCache is set; an implementation must return exactly what that call
/// returns (search::EstimateMemo does, keyed by the descriptor and the engine configuration).

#include <vector>

#include "dnnchip/arch/Engine.h"
#include "dnnchip/schedule/CycleModel.h"
#include "dnnchip/schedule/EngineConfig.h"
#include "dnnchip/schedule/Program.h"

namespace dnnchip::predict {

class EngineCycleCache {
 public:
  virtual ~EngineCycleCache() = default;
  /// `engine.cycles(program, cfg, false)`, per descriptor in program order. Called concurrently
  /// from several threads.
  virtual std::vector<schedule::LayerCycles> estimate(const arch::Engine& engine, const schedule::Program& program,
                                                      const schedule::EngineConfig& cfg) = 0;
};

}  // namespace dnnchip::predict
