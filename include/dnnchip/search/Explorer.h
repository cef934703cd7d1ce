#pragma once
/// \file
/// `dnnchip explore` as a library call: the three-stage Chip Builder search of AutoDNNchip.
///   Stage 1 walks every point of the DesignSpace in parallel: instantiates and prepares it,
///   prunes it on the platform's resources and shares, the area budget and sound latency and
///   throughput bounds (ideal compute time), predicts it with the default mapper (coarse; best-
///   first on the ideal-compute bound, engine estimates memoized) and keeps the best few per the
///   objective, re-ranked by a short mapping search (docs/search.md#method-explorercpp-after-autodnnchip).
///   Stage 2 searches every surviving design's per-layer mappings (MappingSpace, in parallel over
///   designs and distinct layer shapes) and predicts the network with them (coarse).
///   Stage 3 re-scores the best feasible designs with the fine predictor and picks the winner.
/// Deterministic: tasks draw random numbers from (seed, point id), budgets are split before the
/// work starts and every reduction breaks ties on (cost, id), so 1 or N threads give the same
/// result. A wall-clock budget or Ctrl-C stops early (and then the result depends on timing).

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/diag/Progress.h"
#include "dnnchip/golden/Requantize.h"
#include "dnnchip/io/Stop.h"
#include "dnnchip/graph/AcceleratorGraph.h"
#include "dnnchip/io/Json.h"
#include "dnnchip/ip/IpLibrary.h"
#include "dnnchip/platform/Platform.h"
#include "dnnchip/predict/Predictor.h"
#include "dnnchip/search/Constraints.h"
#include "dnnchip/search/DesignSpace.h"
#include "dnnchip/search/MappingSpace.h"
#include "dnnchip/search/Objective.h"
#include "dnnchip/workload/Model.h"
#include "dnnchip/workload/Training.h"

namespace dnnchip::search {

struct ExploreOptions {
  std::optional<int> threads;     ///< overrides the constraint file (0 = all cores)
  std::optional<uint64_t> seed;   ///< overrides the constraint file
  bool rtlOnly = false;           ///< keep to what the code generator emits
  /// Inference: inferences per run; training: samples per step (the step's batch).
  int64_t batch = 1;
  /// Search for one training step of the model (forward, backward-data, backward-weight and
  /// update passes; docs/training.md) instead of inference; its `batch` is replaced by `batch`.
  std::optional<workload::TrainingOptions> training;
  /// Receives the search's stages ("stage 1", "stage 2"); nullptr: none. Not owned; it must
  /// outlive the call.
  diag::ProgressObserver* progress = nullptr;
  size_t stage2Designs = 12;      ///< designs stage 1 passes on
  size_t fineTopK = 3;            ///< designs stage 3 re-scores with the fine predictor
  /// Stage 2 in two rounds: every design with half the budget, then the best `stage2Focus` of
  /// them with the other half, warm-started from the first round (0: one round, even split).
  size_t stage2Focus = 4;
  /// The re-ranking skips a design whose lower bound (every layer at its compute bound and
  /// compulsory traffic) exceeds the stage2Designs-th best re-ranked cost of earlier waves: it
  /// cannot be chosen, so the chosen designs and outputs are the same as without the skip (false:
  /// re-rank every design, for comparisons).
  bool rerankBound = true;
  /// A stop request ends the search at its next check (per point in stage 1, per mapping inside a
  /// layer's search in stage 2) with the best found so far (ExploreReport::interrupted).
  io::StopToken stop;
  /// The requantization the chosen design will run, one per model layer (golden::randomRun's
  /// params at the build's seed). With it, engines on families where the vector unit's narrow
  /// operand saves DSPs take "requant_operand_bits" 27 when every layer passes the rule
  /// (docs/quantization.md#narrow-requantization); without it, 32 (the search cannot check).
  std::optional<std::vector<golden::QuantParams>> quantization;
};

/// One bound checked against a design: its name with unit, the design's value and the limit.
struct BoundCheck {
  std::string name;    ///< "latency_ms", "dsp_share", ...
  double value = 0;    ///< in the file's unit
  std::optional<double> min, max;
  bool met = true;
  double violation = 0;  ///< relative distance outside the bound (0 when met)
};

/// A design that reached stage 2.
struct DesignResult {
  DesignPoint point;
  std::string description;
  graph::AcceleratorGraph graph;
  /// Each compute layer's mapping as the search found it (layers absent: the default mapper),
  /// resolved against the engine that runs the layer; what stages 2 and 3 predict with.
  predict::LayerMappings layerMappings;
  io::Json mappings;               ///< the same as a mapping file: {"schema_version":1,"layers":{...}}
  io::Json prediction;             ///< the coarse prediction report (predict::toJson)
  Metrics coarse;
  std::optional<Metrics> fine;
  double largestShare = 0;         ///< largest share of any FPGA resource used (0 on ASICs)
  double cost = 0;                 ///< objective on the coarse metrics
  std::vector<BoundCheck> checks;  ///< every bound, on the coarse metrics
  bool feasible = false;           ///< meets every bound (coarse, and fine when re-scored)
};

/// One point of the search's convergence curve: the coarse cost of the best feasible design the
/// search holds after `evaluations` mapping evaluations (docs/search.md#convergence-curve).
struct ConvergencePoint {
  std::string stage;               ///< "stage 1" (default mappings), "re-rank", "stage 2"
  int64_t evaluations = 0;         ///< mapping evaluations so far (re-rank and stage 2 searches)
  std::optional<double> cost;      ///< objective on the coarse metrics; none: no design feasible yet
  std::optional<uint64_t> design;  ///< point id of that design
};

struct ExploreReport {
  std::string model;
  std::string platform;
  std::string objective;
  uint64_t seed = 0;
  uint64_t spaceSize = 0;
  int64_t designsEvaluated = 0;    ///< stage 1 points predicted
  std::map<std::string, int64_t> pruned;  ///< reason -> designs (stage 1 and infeasible stage 2)
  int64_t mappingsEvaluated = 0;   ///< stage 2 coarse (layer, mapping) evaluations
  int64_t stage1MappingsEvaluated = 0;  ///< evaluations of the short searches that re-rank stage 1
  int64_t rerankSkipped = 0;  ///< designs the re-ranking did not search: their lower bound cannot win
  int64_t mappingsPruned = 0;      ///< stage 2 subtrees cut by capacity
  std::map<std::string, int64_t> invalidMappings;  ///< failure class -> count
  int64_t engineEstimates = 0;          ///< coarse engine-cycle estimates asked for (descriptors)
  int64_t engineEstimatesComputed = 0;  ///< of them computed; the rest came from the memo
  std::vector<DesignResult> designs;  ///< stage 2 designs, ordered by (cost, id)
  std::vector<size_t> pareto;      ///< indices into designs: non-dominated feasible ones
  /// Best objective against mapping evaluations: stage 1's best (default mappings), the
  /// re-ranking's best, then stage 2's best with every design's mappings as found after 1/64,
  /// 1/32, ..., 1/2 and all of its evaluations. Deterministic (counted, not timed).
  std::vector<ConvergencePoint> convergence;
  int winner = -1;                 ///< index into designs, -1 if none is feasible
  bool interrupted = false;        ///< Ctrl-C or the wall-clock budget stopped the search
  std::string stopReason;
  double seconds = 0;              ///< wall-clock time (not written to deterministic outputs)
  double idealLatencyS = 0;        ///< the space's best ideal compute latency (largest array)
  double idealThroughputFps = 0;   ///< and the batch over it (inferences or samples per second)
  int64_t batch = 1;               ///< inferences per run, or samples per training step
  std::optional<workload::TrainingOptions> training;  ///< set when a training step was searched
  int requantOperandBits = 32;     ///< what engine points took (27: the quantization passed the rule)
  std::string requantNote;         ///< why (empty when no quantization was given)
};

/// Runs the search. Diagnostics: search.empty-space, search.no-compute (a model without compute
/// layers), and those of loading reference designs and preparing them.
diag::Expected<ExploreReport> explore(const workload::Model& model, const Constraints& c,
                                      const platform::Platform& platform, const ip::IpLibrary& lib,
                                      const ExploreOptions& opt);

/// The per-layer mapping objective that serves a network objective.
LayerObjective layerObjective(const Objective& o);

/// Checks `m` against every bound and share of `c` on `platform`.
std::vector<BoundCheck> checkBounds(const Metrics& m, const Constraints& c, const platform::Platform& p);

/// When no design is feasible: the bound that failed and the closest design's value for it
/// (one sentence, for the exit-3 message).
std::string infeasibleMessage(const ExploreReport& r);
/// The same as a search.infeasible diagnostic located at the constraint file's bounds (the CLI
/// prints it and exits 3).
diag::Diagnostic infeasibleDiagnostic(const ExploreReport& r, const std::string& constraintFile);

}  // namespace dnnchip::search
