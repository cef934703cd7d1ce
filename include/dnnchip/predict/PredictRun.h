#pragma once
/// \file
/// `dnnchip predict` as a library call: load the design (built-in name or path), the IP library
/// and the optional mapping file, prepare the design and predict the model. The CLI and the
/// validation tests call exactly this.

#include <optional>
#include <string>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/predict/Predictor.h"
#include "dnnchip/workload/Model.h"
#include "dnnchip/workload/Training.h"

namespace dnnchip::predict {

struct PredictRequest {
  std::string design;                    ///< built-in design name or graph JSON path
  std::optional<std::string> mapping;    ///< mapping file path
  Mode mode = Mode::Coarse;
  int64_t batch = 1;
  /// A training step (forward, backward-data, backward-weight, update per layer; docs/training.md)
  /// instead of inference; `batch` is then the step's batch. Not with a mapping file.
  std::optional<workload::TrainingOptions> training;
  /// Measured fraction of zero inputs per layer (PredictOptions::inputZeroFraction).
  std::vector<std::pair<std::string, double>> inputZeroFraction;
};

/// Diagnostics: those of graph loading (graph.*), the IP library (ip.*, only when the design
/// names IPs), the mapping file (json.*, mapping.*), prepareDesign() and predict().
diag::Expected<Prediction> predictModel(const workload::Model& model, const PredictRequest& req);

/// Predicts a training step's passes on a prepared design with the mapping-based models (the
/// generated engine runs inference only) and fills Prediction::training; throughput is samples/s.
diag::Expected<Prediction> predictTraining(const DesignModel& design, const workload::TrainingStep& step,
                                           Mode mode);

/// Labels the rows of `p`, a prediction of `step.passModel()` without the engine schedule, with
/// their passes and fills Prediction::training; the throughput becomes samples/s (the step's batch
/// over its latency). For callers that predict the passes themselves (the search).
void annotateTraining(Prediction& p, const workload::TrainingStep& step);

}  // namespace dnnchip::predict
