#pragma once
/// \file
/// Runs validation cases (`dnnchip validate`): per case, the coarse prediction of the model on the
/// design with the case's mapping policy, then one row per measured figure with the predicted
/// value, the relative error, whether it is inside the stored tolerance and whether it meets the
/// goal (10 % networks, 15 % layers). Deterministic: the mapper is seeded and its reduction does
/// not depend on the thread count.

#include <filesystem>
#include <string>
#include <vector>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/io/Json.h"
#include "dnnchip/validate/ValidationCase.h"

namespace dnnchip::validate {

struct ValidationRow {
  std::string caseName;
  std::string hardware;
  std::string family;      ///< the case's family, for the per-family summary
  std::string model;
  int64_t batch = 1;
  std::string scope;       ///< "network", a layer, or a layer range
  MeasuredMetric metric = MeasuredMetric::LatencyMs;
  double measured = 0;
  double predicted = 0;
  double error = 0;        ///< (predicted - measured) / measured
  double tolerance = 0;
  double goal = 0;
  bool withinTolerance = false;
  bool meetsGoal = false;
  std::string source;
  std::string toleranceReason;
  double hostMs = 0;       ///< latency_ms: the published host time included in `predicted`
  std::string hostSource;
  /// power_mw rows: the predicted power by graph node (mW; the design's leakage as "leakage"),
  /// nodes the measurement excludes left out, to set beside a published breakdown.
  std::vector<std::pair<std::string, double>> powerByNodeMw;
};

/// Mean and worst |error| of one family's rows of one metric.
struct FamilySummary {
  std::string family;
  MeasuredMetric metric = MeasuredMetric::LatencyMs;
  int rows = 0, meetingGoal = 0, outsideTolerance = 0;
  double meanAbsError = 0, worstAbsError = 0;
  std::string worstRow;  ///< "case: scope"
};

struct ValidationReport {
  std::vector<ValidationRow> rows;
  std::vector<std::string> skipped;  ///< suite folders without case.json
  double meanAbsError = 0;           ///< over all rows
  double worstAbsError = 0;
  std::string worstRow;              ///< "case: scope metric"
  int outsideTolerance = 0;
  int missingGoal = 0;
  int networkRows = 0, networkRowsMeetingGoal = 0;
  int layerRows = 0, layerRowsMeetingGoal = 0;
  /// Per (family, metric), in the order their first rows appear.
  std::vector<FamilySummary> families;
};

struct RunOptions {
  int threads = 0;  ///< mapper threads, 0 = all cores (results do not depend on it)
};

/// Predicts one case and compares. Diagnostics: those of the design (graph.*, ip.*), the
/// mapping file (mapping.*), the search (search.*) and predict.
diag::Expected<std::vector<ValidationRow>> runCase(const ValidationCase& c, const RunOptions& opt = {});

/// Loads and runs the cases of `suiteDir` (all, or only `onlyCase` if not empty:
/// validation.unknown-case when there is no such folder with a case.json).
diag::Expected<ValidationReport> runSuite(const std::filesystem::path& suiteDir, const std::string& onlyCase,
                                          const RunOptions& opt = {});

/// Fills the summary fields from the rows.
void summarize(ValidationReport& r);

/// Fixed-width table for the terminal, then mean and worst error.
std::string formatTable(const ValidationReport& r);
/// The Markdown table and summary docs/validation.md holds between its `validate:begin` and
/// `validate:end` markers.
std::string formatMarkdown(const ValidationReport& r);
/// {"rows": [...], "summary": {...}}.
io::Json toJson(const ValidationReport& r);

/// Replaces the text between "<!-- validate:begin -->" and "<!-- validate:end -->" in `doc`
/// with `table`. validation.no-markers if either marker is missing.
diag::Expected<std::string> replaceMarkedBlock(const std::string& doc, const std::string& table,
                                               const std::string& docName);

}  // namespace dnnchip::validate
