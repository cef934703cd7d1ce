// The validation report in three forms: a fixed-width table for the terminal, the Markdown table
// docs/validation.md holds (regenerated with `dnnchip validate --update-doc docs/validation.md`),
// and JSON. Rows keep the suite's order (cases sorted by folder, figures in file order).

#include <cmath>
#include <cstdio>
#include <string>

#include "dnnchip/validate/ValidationRun.h"

namespace dnnchip::validate {

namespace {

std::string fmt(const char* f, double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, x);
  return buf;
}

std::string pct(double x) { return fmt("%+.1f %%", 100.0 * x); }

std::string value(double x) {
  if (x >= 1000) return fmt("%.0f", x);
  if (x >= 100) return fmt("%.1f", x);
  return fmt("%.2f", x);
}

std::string verdict(const ValidationRow& r) {
  if (!r.withinTolerance) return "FAIL";
  return r.meetsGoal ? "goal" : "miss";
}

constexpr const char* kBegin = "<!-- validate:begin -->";
constexpr const char* kEnd = "<!-- validate:end -->";

}  // namespace

std::string formatTable(const ValidationReport& r) {
  std::string out;
  char line[512];
  std::snprintf(line, sizeof line, "%-26s %-16s %-5s %-22s %-10s %10s %10s %9s %6s  %s\n", "case", "model", "batch",
                "scope", "metric", "measured", "predicted", "error", "tol", "status");
  out += line;
  for (const ValidationRow& x : r.rows) {
    std::snprintf(line, sizeof line, "%-26s %-16s %-5lld %-22s %-10s %10s %10s %9s %5.0f%%  %s\n", x.caseName.c_str(),
                  x.model.c_str(), static_cast<long long>(x.batch), x.scope.c_str(),
                  std::string(metricName(x.metric)).c_str(), value(x.measured).c_str(), value(x.predicted).c_str(),
                  pct(x.error).c_str(), 100.0 * x.tolerance, verdict(x).c_str());
    out += line;
  }
  std::snprintf(line, sizeof line,
                "%zu rows: mean |error| %.1f %%, worst %.1f %% (%s); goal met by %d/%d network and %d/%d layer "
                "rows; %d outside their stored tolerance\n",
                r.rows.size(), 100.0 * r.meanAbsError, 100.0 * r.worstAbsError, r.worstRow.c_str(),
                r.networkRowsMeetingGoal, r.networkRows, r.layerRowsMeetingGoal, r.layerRows, r.outsideTolerance);
  out += line;
  for (const FamilySummary& f : r.families) {
    std::snprintf(line, sizeof line, "  %-36s %-10s %3d rows: mean |error| %5.1f %%, worst %5.1f %% (%s); goal %d\n",
                  f.family.c_str(), std::string(metricName(f.metric)).c_str(), f.rows, 100.0 * f.meanAbsError,
                  100.0 * f.worstAbsError, f.worstRow.c_str(), f.meetingGoal);
    out += line;
  }
  return out;
}

std::string formatMarkdown(const ValidationReport& r) {
  std::string out;
  out += "| case | hardware | model | batch | scope | metric | measured | predicted | error | tolerance | status |\n";
  out += "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n";
  for (const ValidationRow& x : r.rows) {
    out += "| " + x.caseName + " | " + x.hardware + " | " + x.model + " | " + std::to_string(x.batch) + " | " +
           x.scope + " | " + std::string(metricName(x.metric)) + " | " + value(x.measured) + " | " +
           value(x.predicted) + " | " + pct(x.error) + " | " + fmt("%.0f %%", 100.0 * x.tolerance) + " | " +
           verdict(x) + " |\n";
  }
  char line[512];
  std::snprintf(line, sizeof line,
                "\n%zu rows: **mean |error| %.1f %%, worst %.1f %%** (%s). Goal (10 %% network, 15 %% layer) met by "
                "%d of %d network rows and %d of %d layer rows; %d rows outside their stored tolerance.\n",
                r.rows.size(), 100.0 * r.meanAbsError, 100.0 * r.worstAbsError, r.worstRow.c_str(),
                r.networkRowsMeetingGoal, r.networkRows, r.layerRowsMeetingGoal, r.layerRows, r.outsideTolerance);
  out += line;
  if (!r.families.empty()) {
    out += "\n| family | metric | rows | mean \\|error\\| | worst \\|error\\| | worst row | meet the goal |\n";
    out += "| --- | --- | --- | --- | --- | --- | --- |\n";
    for (const FamilySummary& f : r.families)
      out += "| " + f.family + " | " + std::string(metricName(f.metric)) + " | " + std::to_string(f.rows) + " | " +
             fmt("%.1f %%", 100.0 * f.meanAbsError) + " | " + fmt("%.1f %%", 100.0 * f.worstAbsError) + " | " +
             f.worstRow + " | " + std::to_string(f.meetingGoal) + " of " + std::to_string(f.rows) + " |\n";
  }
  return out;
}

io::Json toJson(const ValidationReport& r) {
  io::Json rows = io::Json::array();
  for (const ValidationRow& x : r.rows) {
    io::Json breakdown = io::Json::object();
    for (const auto& [k, v] : x.powerByNodeMw) breakdown[k] = v;
    rows.push_back({{"case", x.caseName},
                    {"hardware", x.hardware},
                    {"family", x.family},
                    {"model", x.model},
                    {"batch", x.batch},
                    {"scope", x.scope},
                    {"metric", std::string(metricName(x.metric))},
                    {"measured", x.measured},
                    {"predicted", x.predicted},
                    {"error", x.error},
                    {"tolerance", x.tolerance},
                    {"goal", x.goal},
                    {"within_tolerance", x.withinTolerance},
                    {"meets_goal", x.meetsGoal},
                    {"source", x.source},
                    {"tolerance_reason", x.toleranceReason}});
    if (!x.powerByNodeMw.empty()) rows.back()["power_by_node_mw"] = breakdown;
    if (x.hostMs > 0) rows.back()["host_ms"] = {{"value", x.hostMs}, {"source", x.hostSource}};
  }
  io::Json families = io::Json::array();
  for (const FamilySummary& f : r.families)
    families.push_back({{"family", f.family},
                        {"metric", std::string(metricName(f.metric))},
                        {"rows", f.rows},
                        {"mean_abs_error", f.meanAbsError},
                        {"worst_abs_error", f.worstAbsError},
                        {"worst_row", f.worstRow},
                        {"meeting_goal", f.meetingGoal},
                        {"outside_tolerance", f.outsideTolerance}});
  return {{"rows", rows},
          {"families", families},
          {"summary",
           {{"rows", r.rows.size()},
            {"mean_abs_error", r.meanAbsError},
            {"worst_abs_error", r.worstAbsError},
            {"worst_row", r.worstRow},
            {"outside_tolerance", r.outsideTolerance},
            {"network_rows", r.networkRows},
            {"network_rows_meeting_goal", r.networkRowsMeetingGoal},
            {"layer_rows", r.layerRows},
            {"layer_rows_meeting_goal", r.layerRowsMeetingGoal}}}};
}

diag::Expected<std::string> replaceMarkedBlock(const std::string& doc, const std::string& table,
                                               const std::string& docName) {
  const size_t b = doc.find(kBegin);
  const size_t e = doc.find(kEnd);
  if (b == std::string::npos || e == std::string::npos || e < b)
    return diag::error("validation.no-markers", {docName, ""},
                       std::string("the document has no ") + kBegin + " ... " + kEnd + " block",
                       "add both markers where the validation table belongs");
  const size_t start = b + std::string(kBegin).size();
  return doc.substr(0, start) + "\n" + table + doc.substr(e);
}

}  // namespace dnnchip::validate
