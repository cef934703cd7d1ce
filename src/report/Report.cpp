// Rendering the build report as self-contained HTML (inline CSS and SVG; no script, no external
// resource, so it opens offline and passes a strict content-security policy) and as JSON.
// Deterministic: fixed number formatting, rows in the order the flow gave them, blocks of the
// per-layer energy table largest first (LayerBreakdown.cpp).

#include "dnnchip/report/Report.h"
#include "dnnchip/io/NumberFormat.h"

#include <algorithm>
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
.wide { overflow-x: auto; } #layer-energy { font-size: .85em; } #layer-energy td, #layer-energy th { padding: 2px 5px; }
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

std::string percent(double share) { return io::formatFixed(100.0 * share, 1) + "%"; }

/// The "Per-layer utilization and energy" table: one row per layer and a network row.
std::string layerTable(const Report& r, const LayerBreakdown& b) {
  std::string h = "<h2>Per-layer utilization and energy</h2>\n<p>Fine-mode prediction of the chosen design. "
                  "Share of the network: of the sum of the layers' cycles. MAC utilization: MACs / (cycles &times; PEs) "
                  "on the array (lane use on the vector unit). Bound: the largest latency term (report.json names it as the "
                  "predictor does, e.g. engine_dma_read). Phases: the layer's "
                  "cycles split into the engine's DMA read, array passes, DMA write, weight stall and the rest "
                  "(vector unit, control). Energy per image; each block's share of the layer's energy. The network row gives "
                  "the MAC-weighted utilization over the 3x3 convolutions and the phases over the layers that have them.</p>\n"
                  "<div class=\"wide\">\n<table id=\"layer-energy\">\n<tr><th class=\"l\">layer</th><th class=\"l\">op</th><th>cycles</th>"
                  "<th>share of network</th><th>MAC utilization</th><th class=\"l\">bound</th>";
  for (int p = 0; p < 5; ++p) h += std::string("<th>") + phaseName(static_cast<Phase>(p)) + "</th>";
  h += "<th>energy (uJ)</th>";
  for (auto& blk : b.blocks) h += "<th>" + escapeXml(blk) + "</th>";
  h += "</tr>\n";
  const double perImage = 1.0 / static_cast<double>(std::max<int64_t>(1, r.batch));
  for (size_t i = 0; i < r.layers.size(); ++i) {
    const auto& l = r.layers[i];
    const auto& x = b.layers[i];
    h += "<tr><td class=\"l\">" + escapeXml(l.name) + "</td><td class=\"l\">" + (l.op.empty() ? "&mdash;" : escapeXml(l.op)) +
         "</td><td>" + io::formatFixed(l.cycles, 0) + "</td><td>" + percent(x.cycleShare) + "</td><td>" +
         percent(l.utilization) + "</td><td class=\"l\">" + escapeXml(boundLabel(l.bound)) + "</td>";
    for (int p = 0; p < 5; ++p) h += "<td>" + (x.phaseShare ? percent((*x.phaseShare)[p]) : std::string("&mdash;")) + "</td>";
    h += "<td>" + io::formatFixed(l.energyPj * perImage * 1e-6, 3) + "</td>";
    for (double s : x.blockShare) h += "<td>" + percent(s) + "</td>";
    h += "</tr>\n";
  }
  h += "<tr class=\"total\"><th class=\"l\">network</th><th class=\"l\">&mdash;</th><th>" + io::formatFixed(b.totalCycles, 0) +
       "</th><th>100.0%</th><th>" + (b.conv3x3Utilization ? percent(*b.conv3x3Utilization) + " (3x3)" : std::string("&mdash;")) +
       "</th><th class=\"l\">&mdash;</th>";
  for (int p = 0; p < 5; ++p)
    h += "<th>" + (b.networkPhaseShare ? percent((*b.networkPhaseShare)[p]) : std::string("&mdash;")) + "</th>";
  h += "<th>" + io::formatFixed(b.energyPerImagePj * 1e-6, 3) + "</th>";
  for (double s : b.networkBlockShare) h += "<th>" + percent(s) + "</th>";
  h += "</tr>\n</table>\n</div>\n";
  if (!b.blocks.empty()) h += "<p>Each block's share of each layer's energy:</p>\n" + blockShareSvg(r.layers, b) + "\n";
  return h;
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
  if (!r.convergence.empty()) {
    h += "<h2>Search convergence</h2>\n<p>Objective (" + escapeXml(r.objective) +
         ", coarse) of the best feasible design the search held after each number of mapping evaluations: stage 1 "
         "with default mappings (grey), the short searches that re-rank stage 1 (amber), then stage 2 after 1/64, "
         "1/32, ..., 1/2 and all of its evaluations (blue). A curve still falling at its right end means a larger "
         "budget (<code>--budget-evals</code>) would likely find a better design.</p>\n<div class=\"plot\">\n" +
         convergenceSvg(r.convergence, r.objective) + "\n</div>\n<table id=\"convergence\">\n" +
         row({"stage", "mapping evaluations", "best objective"}, true);
    for (auto& p : r.convergence)
      h += row({escapeXml(p.stage), std::to_string(p.evaluations), p.cost ? io::formatNumber(*p.cost) : "none feasible"});
    h += "</table>\n";
  }
  h += "<h2>Per-layer latency and energy</h2>\n<p>Blue bars: compute-bound layers; orange: bound by a data path "
       "(named on the right).</p>\n" + layerBarsSvg(r.layers) + "\n";
  if (!r.layers.empty()) h += layerTable(r, breakdown(r.layers, r.batch));
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
  j["objective"] = r.objective;
  j["convergence"] = io::Json::array();
  for (auto& p : r.convergence) {
    io::Json e{{"stage", p.stage}, {"evaluations", p.evaluations}};
    e["cost"] = p.cost ? io::Json(*p.cost) : io::Json(nullptr);
    j["convergence"].push_back(std::move(e));
  }
  j["layers"] = io::Json::array();
  j["batch"] = r.batch;
  const LayerBreakdown b = breakdown(r.layers, r.batch);
  for (size_t i = 0; i < r.layers.size(); ++i) {
    const auto& l = r.layers[i];
    io::Json e{{"name", l.name}, {"op", l.op}, {"cycles", l.cycles}, {"cycle_share", b.layers[i].cycleShare},
               {"energy_pj", l.energyPj}, {"utilization", l.utilization}, {"bound", l.bound}, {"macs", l.macs},
               {"conv3x3", l.conv3x3}};
    e["phase_cycles"] = io::Json::object();
    for (auto& [term, c] : l.phaseCycles) e["phase_cycles"][term] = c;
    e["energy_by_block_pj"] = io::Json::object();
    for (auto& [blk, pj] : l.energyByBlockPj) e["energy_by_block_pj"][blk] = pj;
    j["layers"].push_back(std::move(e));
  }
  io::Json net{{"cycles", b.totalCycles}, {"energy_per_image_pj", b.energyPerImagePj}, {"blocks", b.blocks}};
  net["conv3x3_utilization"] = b.conv3x3Utilization ? io::Json(*b.conv3x3Utilization) : io::Json(nullptr);
  net["phase_share"] = io::Json::object();
  if (b.networkPhaseShare)
    for (int p = 0; p < 5; ++p) net["phase_share"][phaseName(static_cast<Phase>(p))] = (*b.networkPhaseShare)[p];
  net["energy_share_by_block"] = io::Json::object();
  for (size_t k = 0; k < b.blocks.size(); ++k) net["energy_share_by_block"][b.blocks[k]] = b.networkBlockShare[k];
  j["layers_total"] = std::move(net);
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
