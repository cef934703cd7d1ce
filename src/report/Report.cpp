// Rendering the build report as self-contained HTML (inline CSS and SVG; no script, no external
// resource, so it opens offline and passes a strict content-security policy) and as JSON.
// Deterministic: fixed number formatting, rows in the order the flow gave them.

#include "dnnchip/report/Report.h"
#include "dnnchip/io/NumberFormat.h"

#include <cstdio>

namespace dnnchip::report {

namespace {

const char* kStyle = R"(
body { font-family: sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 1.8em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: .5em 0; } td, th { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
th { background: #f2f2f2; } td.l, th.l { text-align: left; }
.ok { color: #1a7f37; font-weight: bold; } .bad { color: #c62828; font-weight: bold; }
.summary { background: #f6f8fa; padding: .8em 1em; border-left: 4px solid #3a7bd5; }
.diagram svg { max-width: 100%; height: auto; } code { background: #f2f2f2; padding: 0 3px; }
)";

std::string row(std::initializer_list<std::string> cells, bool header = false) {
  std::string s = "<tr>";
  bool first = true;
  for (auto& c : cells) {
    const char* tag = header ? "th" : "td";
    s += std::string("<") + tag + (first ? " class=\"l\"" : "") + ">" + c + "</" + tag + ">";
    first = false;
  }
  return s + "</tr>\n";
}

}  // namespace

std::string renderHtml(const Report& r) {
  std::string h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escapeXml(r.title) +
                  "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  h += "<h1>" + escapeXml(r.title) + "</h1>\n";
  h += "<p class=\"summary\">Model <b>" + escapeXml(r.model) + "</b>, constraints <b>" + escapeXml(r.constraints) +
       "</b> on <b>" + escapeXml(r.platform) + "</b>: chosen design <b>" + escapeXml(r.design) + "</b> — " +
       (r.feasible ? "<span class=\"ok\">meets every bound</span>" : "<span class=\"bad\">no design meets every bound; the closest is shown</span>") +
       ".</p>\n";
  if (!r.stages.empty()) {
    h += "<h2>Flow</h2>\n<ol>\n";
    for (auto& s : r.stages) h += "<li>" + escapeXml(s) + "</li>\n";
    h += "</ol>\n";
  }
  h += "<h2>Design against the bounds</h2>\n<table id=\"bounds\">\n" + row({"bound", "limit", "design", "met"}, true);
  for (auto& b : r.bounds)
    h += row({escapeXml(b.name), (b.isUpperBound ? "&le; " : "&ge; ") + io::formatNumber(b.limit) + " " + escapeXml(b.unit),
              io::formatNumber(b.value) + " " + escapeXml(b.unit),
              b.met() ? "<span class=\"ok\">yes</span>" : "<span class=\"bad\">no</span>"});
  h += "</table>\n";
  h += "<h2>Pareto front</h2>\n<p>Every non-dominated design found: latency against energy; colour is the largest "
       "resource share (green low, red full); the chosen design is ringed.</p>\n<div class=\"plot\">\n" +
       paretoSvg(r.pareto) + "\n</div>\n";
  h += "<h2>Per-layer latency and energy</h2>\n<p>Blue bars: compute-bound layers; orange: bound by a data path "
       "(named on the right).</p>\n" + layerBarsSvg(r.layers) + "\n";
  if (!r.blockDiagramSvg.empty()) h += "<h2>Accelerator</h2>\n<div class=\"diagram\">\n" + r.blockDiagramSvg + "\n</div>\n";
  if (!r.resources.empty()) {
    h += "<h2>Resources: predicted and synthesized</h2>\n<table id=\"resources\">\n" +
         row({"resource", "predicted", "Yosys", "available"}, true);
    for (auto& x : r.resources)
      h += row({escapeXml(x.resource), io::formatFixed(x.predicted, 0), x.synthesized ? io::formatFixed(*x.synthesized, 0) : "&mdash;",
                x.available ? io::formatFixed(*x.available, 0) : "&mdash;"});
    h += "</table>\n";
  }
  if (!r.cycles.empty()) {
    h += "<h2>Cycles: predicted and simulated</h2>\n<table id=\"cycles\">\n" +
         row({"layer", "predicted (fine)", "RTL simulation", "difference", "output"}, true);
    for (auto& c : r.cycles) {
      std::string diff = "&mdash;";
      if (c.simulated && *c.simulated != 0)
        diff = io::formatFixed(100.0 * static_cast<double>(c.predicted - *c.simulated) / static_cast<double>(*c.simulated), 2) + "%";
      std::string exact = c.bitExact ? (*c.bitExact ? "<span class=\"ok\">bit-exact</span>" : "<span class=\"bad\">MISMATCH</span>") : "&mdash;";
      h += row({escapeXml(c.layer), std::to_string(c.predicted), c.simulated ? std::to_string(*c.simulated) : "not simulated", diff, exact});
    }
    h += "</table>\n";
  }
  if (!r.files.empty()) {
    h += "<h2>Hand-off files</h2>\n<table id=\"files\">\n" + row({"file", "what it is for"}, true);
    for (auto& f : r.files) h += row({"<code>" + escapeXml(f.path) + "</code>", escapeXml(f.purpose)});
    h += "</table>\n";
  }
  if (!r.notes.empty()) {
    h += "<h2>Notes</h2>\n<ul>\n";
    for (auto& n : r.notes) h += "<li>" + escapeXml(n) + "</li>\n";
    h += "</ul>\n";
  }
  h += "</body>\n</html>\n";
  return h;
}

io::Json toJson(const Report& r) {
  io::Json j;
  j["schema_version"] = 1;
  j["title"] = r.title;
  j["model"] = r.model;
  j["constraints"] = r.constraints;
  j["platform"] = r.platform;
  j["design"] = r.design;
  j["feasible"] = r.feasible;
  j["stages"] = r.stages;
  j["bounds"] = io::Json::array();
  for (auto& b : r.bounds)
    j["bounds"].push_back({{"name", b.name}, {"unit", b.unit}, {"limit", b.limit}, {"value", b.value},
                           {"kind", b.isUpperBound ? "max" : "min"}, {"met", b.met()}});
  j["pareto"] = io::Json::array();
  for (auto& p : r.pareto)
    j["pareto"].push_back({{"id", p.id}, {"latency_s", p.latencyS}, {"energy_j", p.energyJ},
                           {"resource_share", p.resourceShare}, {"throughput_inf_per_s", p.throughputInfPerS},
                           {"chosen", p.chosen}});
  j["layers"] = io::Json::array();
  for (auto& l : r.layers)
    j["layers"].push_back({{"name", l.name}, {"cycles", l.cycles}, {"energy_pj", l.energyPj},
                           {"utilization", l.utilization}, {"bound", l.bound}});
  j["resources"] = io::Json::array();
  for (auto& x : r.resources) {
    io::Json e{{"resource", x.resource}, {"predicted", x.predicted}};
    e["synthesized"] = x.synthesized ? io::Json(*x.synthesized) : io::Json(nullptr);
    e["available"] = x.available ? io::Json(*x.available) : io::Json(nullptr);
    j["resources"].push_back(std::move(e));
  }
  j["cycles"] = io::Json::array();
  for (auto& c : r.cycles) {
    io::Json e{{"layer", c.layer}, {"predicted", c.predicted}};
    e["simulated"] = c.simulated ? io::Json(*c.simulated) : io::Json(nullptr);
    e["bit_exact"] = c.bitExact ? io::Json(*c.bitExact) : io::Json(nullptr);
    j["cycles"].push_back(std::move(e));
  }
  j["files"] = io::Json::array();
  for (auto& f : r.files) j["files"].push_back({{"path", f.path}, {"purpose", f.purpose}});
  j["notes"] = r.notes;
  return j;
}

}  // namespace dnnchip::report
