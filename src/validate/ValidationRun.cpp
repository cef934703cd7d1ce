// Runs validation cases: one coarse prediction per case (mapping by the seeded search, the
// default mapper or a file), then per measured figure the same quantity from the prediction:
//  - latency_ms: the sum of the row's layers' cycles over the clock (whole network: the
//    prediction's latency, which for a layer pipeline is not the sum of its layers), plus the
//    row's published host time (host_ms) when the measured figure is end to end;
//  - power_mw: the row's layers' energy, less the nodes the measurement excludes (a chip's core
//    power leaves DRAM out), over their time, plus the design's leakage;
//  - access_mb: the bytes the row's memory node reads and writes over its layers (the reuse
//    analysis' reads, fills and updates), in 10^6 bytes.
// Nothing is scaled or corrected: a row that misses says so in the table, and the case file says
// why. Cost: one mapping search (budget_evals per distinct layer shape) per case.

#include "dnnchip/validate/ValidationRun.h"

#include <algorithm>
#include <cmath>

#include "dnnchip/predict/PredictRun.h"
#include "dnnchip/search/MapRun.h"

namespace dnnchip::validate {

namespace {

diag::Expected<predict::Prediction> predictCase(const ValidationCase& c, const RunOptions& opt) {
  if (c.policy == MappingPolicy::Search) {
    search::MapRequest req;
    req.design = c.design;
    req.objective = c.objective;
    req.budgetPerLayer = c.budgetPerLayer;
    req.seed = c.seed;
    req.threads = opt.threads;
    req.inputZeroFraction = c.inputZeroFraction;
    auto r = search::mapModel(c.model, req);
    if (!r) return r.error();
    return std::move(r->prediction);
  }
  predict::PredictRequest req;
  req.design = c.design;
  req.mode = predict::Mode::Coarse;
  if (c.policy == MappingPolicy::File) req.mapping = c.mappingFile.string();
  req.inputZeroFraction = c.inputZeroFraction;
  return predict::predictModel(c.model, req);
}

double nodeEnergy(const predict::NamedValues& v, const std::vector<std::string>& nodes) {
  double e = 0;
  for (const auto& [k, x] : v)
    if (std::find(nodes.begin(), nodes.end(), k) != nodes.end()) e += x;
  return e;
}

double namedValue(const predict::NamedValues& v, const std::string& name) {
  for (const auto& [k, x] : v)
    if (k == name) return x;
  return 0;
}

bool countsAccesses(const predict::Prediction& p, const std::string& node) {
  for (const predict::LayerPrediction& l : p.layers)
    for (const auto& kv : l.accessBytesByNode)
      if (kv.first == node) return true;
  return false;
}

double predictedValue(const predict::Prediction& p, const MeasuredFigure& f) {
  double seconds = 0, energyPj = 0, bytes = 0;
  if (f.layers.empty()) {
    seconds = p.latencyS;
    energyPj = p.energyPj - nodeEnergy(p.energyByNodePj, f.excludeNodes);
    for (const predict::LayerPrediction& l : p.layers) bytes += namedValue(l.accessBytesByNode, f.node);
  } else {
    double cycles = 0;
    for (const predict::LayerPrediction& l : p.layers) {
      if (std::find(f.layers.begin(), f.layers.end(), l.name) == f.layers.end()) continue;
      cycles += l.cycles;
      energyPj += l.energyPj - nodeEnergy(l.energyByNodePj, f.excludeNodes);
      bytes += namedValue(l.accessBytesByNode, f.node);
    }
    seconds = p.clockHz > 0 ? cycles / p.clockHz : 0;
  }
  switch (f.metric) {
    case MeasuredMetric::LatencyMs: return seconds * 1e3 + f.hostMs;
    case MeasuredMetric::PowerMw:
      return (seconds > 0 ? energyPj * 1e-12 / seconds * 1e3 : 0) + p.resources.leakageMw;
    case MeasuredMetric::AccessMb: return bytes * 1e-6;
  }
  return 0;
}

// The row's energy by node over the row's time, in mW, plus the design's leakage.
std::vector<std::pair<std::string, double>> powerByNode(const predict::Prediction& p, const MeasuredFigure& f) {
  predict::NamedValues e;
  double cycles = 0;
  auto add = [&](const predict::NamedValues& v) {
    for (const auto& [k, x] : v) {
      if (std::find(f.excludeNodes.begin(), f.excludeNodes.end(), k) != f.excludeNodes.end()) continue;
      auto it = std::find_if(e.begin(), e.end(), [&](const auto& kv) { return kv.first == k; });
      if (it == e.end()) e.emplace_back(k, x);
      else it->second += x;
    }
  };
  for (const predict::LayerPrediction& l : p.layers) {
    if (!f.layers.empty() && std::find(f.layers.begin(), f.layers.end(), l.name) == f.layers.end()) continue;
    add(l.energyByNodePj);
    cycles += l.cycles;
  }
  const double seconds = f.layers.empty() ? p.latencyS : (p.clockHz > 0 ? cycles / p.clockHz : 0);
  std::vector<std::pair<std::string, double>> out;
  for (const auto& [k, x] : e) out.emplace_back(k, seconds > 0 ? x * 1e-12 / seconds * 1e3 : 0);
  out.emplace_back("leakage", p.resources.leakageMw);
  return out;
}

}  // namespace

diag::Expected<std::vector<ValidationRow>> runCase(const ValidationCase& c, const RunOptions& opt) {
  auto p = predictCase(c, opt);
  if (!p) return p.error();
  std::vector<ValidationRow> rows;
  for (const MeasuredFigure& f : c.measured) {
    if (f.metric == MeasuredMetric::AccessMb && !countsAccesses(*p, f.node))
      return diag::error("validation.unknown-node", {c.file.string(), f.pointer + "/node"},
                         "no memory level called '" + f.node + "' on the engine of any compute layer",
                         "name a buffer, register file or DRAM node of the case's design");
    ValidationRow r;
    r.caseName = c.name;
    r.hardware = c.hardware;
    r.family = c.family;
    r.model = c.modelLabel;
    r.batch = c.batch;
    r.scope = f.scopeLabel();
    r.metric = f.metric;
    r.measured = f.value;
    r.predicted = predictedValue(*p, f);
    r.error = (r.predicted - r.measured) / r.measured;
    r.tolerance = f.tolerance;
    r.goal = f.goal();
    r.withinTolerance = std::abs(r.error) <= f.tolerance;
    r.meetsGoal = std::abs(r.error) <= f.goal();
    if (f.metric == MeasuredMetric::PowerMw) r.powerByNodeMw = powerByNode(*p, f);
    r.source = f.source;
    r.hostMs = f.hostMs;
    r.hostSource = f.hostSource;
    r.toleranceReason = f.toleranceReason;
    rows.push_back(std::move(r));
  }
  return rows;
}

void summarize(ValidationReport& r) {
  r.meanAbsError = r.worstAbsError = 0;
  r.outsideTolerance = r.missingGoal = 0;
  r.networkRows = r.networkRowsMeetingGoal = r.layerRows = r.layerRowsMeetingGoal = 0;
  r.worstRow.clear();
  r.families.clear();
  for (const ValidationRow& row : r.rows) {
    auto fam = std::find_if(r.families.begin(), r.families.end(),
                            [&](const FamilySummary& f) { return f.family == row.family && f.metric == row.metric; });
    if (fam == r.families.end()) {
      FamilySummary added;
      added.family = row.family;
      added.metric = row.metric;
      r.families.push_back(std::move(added));
      fam = r.families.end() - 1;
    }
    fam->rows += 1;
    fam->meanAbsError += std::abs(row.error);
    if (std::abs(row.error) > fam->worstAbsError) {
      fam->worstAbsError = std::abs(row.error);
      fam->worstRow = row.caseName + ": " + row.scope;
    }
    if (row.meetsGoal) fam->meetingGoal += 1;
    if (!row.withinTolerance) fam->outsideTolerance += 1;
    const double e = std::abs(row.error);
    r.meanAbsError += e;
    if (e > r.worstAbsError) {
      r.worstAbsError = e;
      r.worstRow = row.caseName + ": " + row.scope + " " + std::string(metricName(row.metric));
    }
    if (!row.withinTolerance) ++r.outsideTolerance;
    if (!row.meetsGoal) ++r.missingGoal;
    const bool layer = row.goal == kLayerGoal;
    (layer ? r.layerRows : r.networkRows) += 1;
    if (row.meetsGoal) (layer ? r.layerRowsMeetingGoal : r.networkRowsMeetingGoal) += 1;
  }
  if (!r.rows.empty()) r.meanAbsError /= static_cast<double>(r.rows.size());
  for (FamilySummary& f : r.families) f.meanAbsError /= static_cast<double>(f.rows);
}

diag::Expected<ValidationReport> runSuite(const std::filesystem::path& suiteDir, const std::string& onlyCase,
                                          const RunOptions& opt) {
  auto listing = listSuite(suiteDir);
  if (!listing) return listing.error();
  ValidationReport rep;
  rep.skipped = listing->skipped;
  bool found = false;
  for (const std::filesystem::path& dir : listing->cases) {
    if (!onlyCase.empty() && dir.filename().string() != onlyCase) continue;
    found = true;
    auto c = loadCase(dir);
    if (!c) return c.error();
    auto rows = runCase(*c, opt);
    if (!rows) return rows.error();
    for (ValidationRow& r : *rows) rep.rows.push_back(std::move(r));
  }
  if (!onlyCase.empty() && !found)
    return diag::error("validation.unknown-case", {suiteDir.string(), ""},
                       "no case folder '" + onlyCase + "' with a case.json in the suite",
                       "run `dnnchip validate` without --case to list the cases");
  if (!onlyCase.empty()) rep.skipped.clear();
  summarize(rep);
  return rep;
}

}  // namespace dnnchip::validate
