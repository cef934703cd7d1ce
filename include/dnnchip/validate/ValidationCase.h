#pragma once
/// \file
/// One case of the validation suite against published silicon (designs/validation/<case>/
/// case.json, docs/validation.md#case-files): a model at a batch size, a design built from the
/// published architecture, a mapping policy, and the measured figures with their source and
/// tolerance. Parse, then validate (every layer a row names exists, a tolerance wider than the
/// goal carries its reason), then run (ValidationRun.h).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/search/Objective.h"
#include "dnnchip/workload/Model.h"

namespace dnnchip::validate {

/// What a measured figure is.
enum class MeasuredMetric {
  LatencyMs,  ///< time of one run of `batch` inferences over the row's layers (or the network), ms
  PowerMw,    ///< average power over those layers (energy / time + leakage), mW
  AccessMb,   ///< bytes one memory node reads and writes over those layers, 10^6 bytes
};

/// The agreement the suite aims at (issue 17): whole networks within 10 %, single layers 15 %.
inline constexpr double kNetworkGoal = 0.10;
inline constexpr double kLayerGoal = 0.15;

struct MeasuredFigure {
  MeasuredMetric metric = MeasuredMetric::LatencyMs;
  std::vector<std::string> layers;  ///< layers summed; empty = the whole network
  double value = 0;                 ///< the published figure, in the metric's unit
  std::string source;               ///< paper + table/figure, user guide + table, ...
  double tolerance = 0;             ///< relative; the row fails outside +-tolerance
  std::string toleranceReason;      ///< required when tolerance > goal(): what the model leaves out
  std::vector<std::string> excludeNodes;  ///< power: graph nodes outside the measured power (DRAM)
  std::string node;                 ///< access_mb: the memory node whose accesses were counted
  /// latency_ms rows: the part of the measured time spent outside the modelled hardware (a host
  /// CPU's pre- and post-processing and runtime in an end-to-end figure), in ms, added to the
  /// prediction. Must come from published measurements (never fitted to the row), with its source.
  double hostMs = 0;
  std::string hostSource;
  std::string pointer;              ///< JSON pointer of the row in case.json, for diagnostics

  /// A single-layer row aims at kLayerGoal, anything else at kNetworkGoal.
  double goal() const { return layers.size() == 1 ? kLayerGoal : kNetworkGoal; }
  /// "network", a layer name, or "conv1..conv5" for a list; access rows add " @node", rows with
  /// a host part " + host 0.92 ms".
  std::string scopeLabel() const;
};

enum class MappingPolicy {
  Search,   ///< `dnnchip map`'s search per layer (seeded, deterministic), coarse model
  Default,  ///< the predictor's default mapper
  File,     ///< a mapping file in the case folder
};

struct ValidationCase {
  std::string name;         ///< folder name
  std::string description;
  std::string hardware;     ///< short label for the table ("Eyeriss (JSSC'17)")
  std::string family;       ///< the summary's grouping ("Xilinx DPU (PG338)"); default: hardware
  std::filesystem::path dir;
  std::filesystem::path file;  ///< .../case.json
  workload::Model model;    ///< with the case's batch in every input's first dimension
  std::string modelLabel;   ///< built-in name or file name
  int64_t batch = 1;
  std::string design;       ///< path (resolved against the case folder) or built-in name
  MappingPolicy policy = MappingPolicy::Search;
  search::Metric objective = search::Metric::Latency;
  uint64_t seed = 1;
  int64_t budgetPerLayer = 20'000;
  std::filesystem::path mappingFile;  ///< MappingPolicy::File
  std::vector<MeasuredFigure> measured;
  /// "input_zero_fraction": per layer, the measured fraction of zeros in its input activations
  /// (each with its source), given to the predictor for arrays with data gating.
  std::vector<std::pair<std::string, double>> inputZeroFraction;
};

/// Reads <dir>/case.json. Diagnostics: io.open, json.* (syntax, missing or unknown fields,
/// types), value.range, validation.bad-metric, validation.bad-policy, validation.unknown-layer,
/// validation.tolerance-unexplained, validation.unsourced, and the model's own (model.*).
diag::Expected<ValidationCase> loadCase(const std::filesystem::path& dir);

/// The case folders of a suite: every sub-folder of `suiteDir` holding a case.json, sorted by
/// name. Folders without one (designs/validation/timeloop_eyeriss_like, a cross-check with its
/// own test) are listed in `skipped`. Diagnostics: validation.no-suite (not a folder),
/// validation.empty-suite (no case at all).
struct SuiteListing {
  std::vector<std::filesystem::path> cases;
  std::vector<std::string> skipped;
};
diag::Expected<SuiteListing> listSuite(const std::filesystem::path& suiteDir);

std::string_view metricName(MeasuredMetric m);  ///< "latency_ms", "power_mw", "access_mb"

}  // namespace dnnchip::validate
