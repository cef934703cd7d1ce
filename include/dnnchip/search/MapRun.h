#pragma once
/// \file
/// Mapping-only mode (`dnnchip map`), what Timeloop's mapper does for an architect with a fixed
/// design: search every compute layer's mapping on the design's engine with the predictor's
/// coarse model (MappingSpace + searchLayer, parallel over distinct layer shapes, deterministic),
/// then predict the model with the mappings found.

#include <cstdint>
#include <string>
#include <vector>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/io/Json.h"
#include "dnnchip/io/Stop.h"
#include "dnnchip/predict/Predictor.h"
#include "dnnchip/search/MappingSpace.h"
#include "dnnchip/search/Objective.h"
#include "dnnchip/workload/Model.h"

namespace dnnchip::search {

struct MapRequest {
  std::string design;              ///< built-in design name or graph JSON path
  Metric objective = Metric::Latency;  ///< latency, energy or edp (others map to these)
  int64_t budgetPerLayer = 400'000;    ///< coarse evaluations per distinct layer shape
  uint64_t seed = 1;
  int threads = 0;                 ///< 0 = all cores
  io::StopToken stop;              ///< a stop request ends the searches early (MapResult::interrupted)
  /// Measured fraction of zero inputs per layer, for the final prediction (PredictOptions).
  std::vector<std::pair<std::string, double>> inputZeroFraction;
};

struct MapResult {
  io::Json mappings;               ///< mapping file {"schema_version":1,"layers":{...}}
  predict::Prediction prediction;  ///< coarse prediction with those mappings
  int64_t evaluated = 0;           ///< coarse evaluations, all layers
  int64_t pruned = 0;
  std::vector<std::pair<std::string, int64_t>> invalid;  ///< failure class -> count
  bool interrupted = false;        ///< a stop request (Ctrl-C) ended the searches early
};

/// Diagnostics: graph loading, ip.*, prepareDesign, search.no-compute, predict.
diag::Expected<MapResult> mapModel(const workload::Model& model, const MapRequest& req);

}  // namespace dnnchip::search
