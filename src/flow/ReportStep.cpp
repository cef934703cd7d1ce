// Step 6 of `dnnchip build`: the report. assembleReport copies what the earlier steps measured or
// predicted into a report::Report (no number is computed here beyond a ratio for display);
// reportJson adds the flow's own fields (simulation instance, synthesis, summary) to the report
// module's JSON; reportStep renders both and writes them atomically, report.json last but both
// only after everything else is written, so a failed flow leaves no report.
// Determinism: nothing time- or thread-dependent enters the report (no wall-clock, no thread
// count), so the same inputs and seed give byte-identical report files.

#include <cstdio>
#include <set>

#include "dnnchip/flow/Steps.h"
#include "dnnchip/io/Files.h"
#include "dnnchip/io/NumberFormat.h"

namespace dnnchip::flow {

namespace {

/// What each top-level entry of a hand-off folder is for (the codegen README has the details).
std::string purposeOf(const std::string& name, bool isDir) {
  static const std::vector<std::pair<std::string, std::string>> kKnown = {
      {"rtl", "synthesizable Verilog: the generated top (dnnchip_top) and the template modules it instantiates"},
      {"tb", "self-checking testbench with an AXI4 DRAM model; reads the program and DRAM images"},
      {"sim", "Verilator and Icarus build-and-run scripts for the testbench"},
      {"synth", "synthesis scripts: Yosys (xc7, xcup, ice40, generic ASIC), Vivado TCL with an XDC clock, SDC"},
      {"program", "the tile program ($readmemh, one 512-bit descriptor per line) and DRAM images"},
      {"filelist.f", "the RTL files in compile order, for any simulator or synthesis tool"},
      {"README.md", "how to simulate, synthesize and integrate the generated design"},
      {"dnnchip_design.json", "manifest: engine parameters, memory map, what was generated from which design"},
      {"explore", "the search's output: pareto.json, pareto.csv, best/design.json (the chosen design), summary.txt"},
      {"cosim", "the co-simulated instance: its own generated design, logs and per-layer cycles (sim.json)"},
      {"synth_out", "Yosys log and netlist statistics of the synthesis estimate"},
      {"block_diagram.dot", "the accelerator graph in Graphviz DOT"},
      {"block_diagram.svg", "the accelerator's block diagram (dot -Tsvg)"},
      {"report.json", "this report for scripts (docs/build.md)"},
      {"report.html", "this report"},
  };
  for (auto& [k, v] : kKnown)
    if (k == name) return v;
  return isDir ? "generated folder (see README.md)" : "generated file (see README.md)";
}

std::vector<report::FileRow> handoffFiles(const std::filesystem::path& dir) {
  std::set<std::pair<std::string, bool>> names;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(dir, ec); !ec && it != std::filesystem::directory_iterator();
       it.increment(ec)) {
    std::string n = it->path().filename().string();
    if (n.empty() || n[0] == '.' || n.find(".tmp") != std::string::npos) continue;
    names.insert({n, it->is_directory(ec)});
  }
  names.insert({"report.json", false});
  names.insert({"report.html", false});
  std::vector<report::FileRow> rows;
  for (auto& [n, isDir] : names) rows.push_back({isDir ? n + "/" : n, purposeOf(n, isDir)});
  return rows;
}

std::vector<report::CycleRow> cycleRows(const BuildContext& ctx) {
  std::vector<report::CycleRow> rows;
  for (auto& l : ctx.simulate.layers) rows.push_back({l.layer, l.predictedCycles, l.simulatedCycles, l.bitExact});
  return rows;
}

std::vector<report::ResourceRow> resourceRows(const BuildContext& ctx) {
  auto rows = ctx.predict.resources;
  if (!ctx.synth.resources) return rows;
  const auto& s = *ctx.synth.resources;
  for (auto& r : rows) {
    if (r.resource == "DSP") r.synthesized = static_cast<double>(s.dsps);
    else if (r.resource == "LUT")  // on iCE40 both count logic cells (nextpnr's packing)
      r.synthesized = static_cast<double>(ctx.synth.logicCells ? *ctx.synth.logicCells : s.luts + s.lutRams);
    else if (r.resource == "FF") r.synthesized = static_cast<double>(s.ffs);
    else if (r.resource == "BRAM18") r.synthesized = static_cast<double>(s.bram18Equivalent());
    else if (r.resource == "EBR") r.synthesized = static_cast<double>(s.ice40Ebr);
    else if (r.resource == "SPRAM") r.synthesized = static_cast<double>(s.ice40Spram);
    else if (r.resource == "URAM") r.synthesized = static_cast<double>(s.uram);
  }
  return rows;
}

}  // namespace

report::Report assembleReport(const BuildContext& ctx) {
  report::Report r;
  r.model = ctx.model.name;
  r.constraints = std::filesystem::path(ctx.constraints.file).filename().string();
  r.platform = ctx.platformName + (ctx.family ? " (" + familyName(ctx.family) + ")" : "");
  r.design = ctx.explore.designId.empty() ? ctx.explore.design.name : ctx.explore.designId;
  r.title = "dnnchip build: " + r.model + " on " + ctx.platformName;
  r.feasible = ctx.explore.feasible;
  r.stages = ctx.stageLines;
  r.bounds = ctx.explore.bounds;
  r.pareto = ctx.explore.pareto;
  r.objective = ctx.constraints.objective.describe();
  r.convergence = ctx.explore.convergence;
  r.layers = ctx.predict.layers;
  r.batch = ctx.predict.batch;
  r.resources = resourceRows(ctx);
  r.cycles = cycleRows(ctx);
  r.blockDiagramSvg = ctx.generate.diagram.svg;
  r.files = handoffFiles(ctx.options.outDir);
  r.notes = ctx.notes;
  if (!ctx.explore.feasible) {
    r.notes.insert(r.notes.begin(), "INFEASIBLE: no design meets every bound. The design shown is the closest one; "
                                    "the bounds it misses are marked in the table.");
    for (auto& f : ctx.explore.failedBounds) r.notes.insert(r.notes.begin() + 1, "bound not met: " + f);
  }
  return r;
}

io::Json reportJson(const BuildContext& ctx, const report::Report& r) {
  io::Json j = report::toJson(r);
  io::Json flow;
  flow["model_argument"] = ctx.options.model;
  if (!ctx.options.inputShapes.empty()) flow["input_shapes"] = ctx.options.inputShapes;
  flow["model_source"] = ctx.modelSource;
  flow["constraints_argument"] = ctx.options.constraints;
  flow["family"] = familyName(ctx.family);
  flow["seed"] = ctx.constraints.seed;
  flow["budget_evaluations"] = ctx.constraints.budget.maxEvaluations;
  flow["points_evaluated"] = ctx.explore.evaluated;
  flow["design_file"] = std::filesystem::relative(ctx.explore.designFile, ctx.options.outDir).generic_string();
  j["flow"] = flow;

  io::Json predicted;
  predicted["latency_s"] = ctx.explore.metrics.latencyS;
  predicted["energy_j"] = ctx.explore.metrics.energyJ;
  predicted["throughput_inf_per_s"] = ctx.explore.metrics.throughputFps;
  predicted["power_w"] = ctx.explore.metrics.powerW;
  predicted["dsp"] = ctx.explore.metrics.dsp;
  predicted["bram18"] = ctx.explore.metrics.bram18;
  predicted["uram"] = ctx.explore.metrics.uram;
  predicted["lut"] = ctx.explore.metrics.lut;
  predicted["ff"] = ctx.explore.metrics.ff;
  j["predicted"] = predicted;

  io::Json sim;
  sim["ran"] = ctx.simulate.skipped.empty();
  if (!ctx.simulate.skipped.empty()) sim["skipped"] = ctx.simulate.skipped;
  sim["instance"] = ctx.simulate.instance.description;
  sim["instance_model"] = ctx.simulate.instance.model.name;
  sim["whole_network"] = ctx.simulate.instance.wholeNetwork;
  sim["downscale"] = ctx.simulate.instance.downscale;
  sim["simulator"] = ctx.simulate.simulator;
  sim["all_bit_exact"] = ctx.simulate.skipped.empty() && ctx.simulate.allBitExact;
  j["simulation"] = sim;

  io::Json syn;
  syn["ran"] = ctx.synth.skipped.empty();
  if (!ctx.synth.skipped.empty()) syn["skipped"] = ctx.synth.skipped;
  syn["family"] = familyName(ctx.synth.family);
  if (ctx.synth.resources) {
    const auto& s = *ctx.synth.resources;
    syn["lut"] = s.luts;
    syn["lutram"] = s.lutRams;
    syn["ff"] = s.ffs;
    syn["dsp"] = s.dsps;
    syn["bram18_equivalent"] = s.bram18Equivalent();
    syn["uram"] = s.uram;
    syn["ice40_ebr"] = s.ice40Ebr;
    syn["ice40_spram"] = s.ice40Spram;
    syn["latches"] = s.latches;
  }
  if (ctx.synth.fmaxMhz) syn["fmax_mhz"] = *ctx.synth.fmaxMhz;
  if (ctx.synth.logicCells) syn["ice40_logic_cells"] = *ctx.synth.logicCells;
  if (const auto& c = ctx.synth.clock) {
    io::Json cp;
    cp["design_mhz"] = c->designMhz;
    cp["logic_levels"] = c->levels;
    cp["level_budget"] = c->budget;
    cp["supported_mhz"] = c->supportedMhz;
    cp["supported"] = c->supported();
    cp["worst_path"] = c->worstPath;
    cp["per_module"] = c->perModule;
    cp["rule"] = c->rule;
    syn["clock_proxy"] = cp;
  }
  j["synthesis"] = syn;
  j["block_diagram"] = ctx.generate.diagram.svg.empty() ? ctx.generate.diagram.note : std::string("drawn");
  j["summary"] = summaryLines(ctx);
  return j;
}

std::vector<std::string> summaryLines(const BuildContext& ctx) {
  std::vector<std::string> lines;
  const auto& m = ctx.explore.metrics;
  std::string design = ctx.explore.designId.empty() ? ctx.explore.design.name : ctx.explore.designId;
  if (ctx.explore.feasible) {
    lines.push_back("design " + design + " meets every bound of " +
                    std::filesystem::path(ctx.constraints.file).filename().string());
  } else {
    lines.push_back("INFEASIBLE: no design meets the bounds; closest " + design +
                    (ctx.explore.failedBounds.empty() ? "" : " misses " + ctx.explore.failedBounds.front()));
  }
  // On iCE40 the block RAM is EBR and the predicted LUT figure counts logic cells, which nextpnr's
  // packing gives (Yosys' SB_LUT4 count leaves out the carries).
  const bool ice = ctx.family == ip::DeviceFamily::Ice40;
  const std::string ram = ice ? " EBR, " : " BRAM18, ", logic = ice ? " logic cells" : " LUT";
  std::string synthesized = "; synthesis " + (ctx.synth.skipped.empty() ? std::string("n/a") : "skipped");
  if (ctx.synth.resources) {
    const auto& s = *ctx.synth.resources;
    synthesized = (ice && ctx.synth.logicCells ? "; Yosys + nextpnr: " : "; Yosys: ") + std::to_string(s.dsps) +
                  " DSP, " + std::to_string(ice ? s.ice40Ebr : s.bram18Equivalent()) + ram +
                  (ice && ctx.synth.logicCells ? std::to_string(*ctx.synth.logicCells) + logic
                                               : std::to_string(s.luts) + (ice ? " SB_LUT4" : " LUT"));
  }
  lines.push_back("predicted: " + io::formatNumber(m.latencyS * 1e3) + " ms/inference, " + io::formatNumber(m.energyJ * 1e3) + " mJ, " +
                  std::to_string(m.dsp) + " DSP, " + std::to_string(m.bram18) + ram + std::to_string(m.lut) + logic +
                  synthesized);
  if (const auto& c = ctx.synth.clock)
    lines.push_back("clock " + io::formatNumber(c->designMhz) + " MHz: " + (c->supported() ? "supported" : "NOT supported") +
                    " by the clock proxy (" + std::to_string(c->levels) + " logic levels, " + std::to_string(c->budget) +
                    " fit; the netlist supports up to " + io::formatNumber(c->supportedMhz) + " MHz; " + c->rule +
                    "): " + c->worstPath);
  if (!ctx.simulate.skipped.empty()) {
    lines.push_back("co-simulation skipped: " + ctx.simulate.skipped);
  } else {
    int exact = 0, equal = 0;
    for (auto& l : ctx.simulate.layers) {
      exact += l.bitExact.value_or(false) ? 1 : 0;
      equal += (l.simulatedCycles && *l.simulatedCycles == l.predictedCycles) ? 1 : 0;
    }
    const int n = static_cast<int>(ctx.simulate.layers.size());
    lines.push_back("co-simulation (" + ctx.simulate.simulator + "): " + std::to_string(exact) + "/" + std::to_string(n) +
                    " layers bit-exact, " + std::to_string(equal) + "/" + std::to_string(n) +
                    " with predicted cycles = simulated" +
                    (ctx.simulate.instance.downscale > 1 ? " (reduced-size instance, input H,W / " +
                                                               std::to_string(ctx.simulate.instance.downscale) + ")"
                                                         : ""));
  }
  return lines;
}

diag::Expected<std::string> reportStep(BuildContext& ctx, BuildResult& result) {
  report::Report r = assembleReport(ctx);
  io::Json j = reportJson(ctx, r);
  std::string html = report::renderHtml(r);
  const auto htmlPath = ctx.options.outDir / "report.html";
  const auto jsonPath = ctx.options.outDir / "report.json";
  if (auto st = io::writeFileAtomic(htmlPath, html); !st) return st.error();
  if (auto st = io::writeFileAtomic(jsonPath, j.dump(2) + "\n"); !st) return st.error();
  result.feasible = ctx.explore.feasible;
  result.report = std::move(r);
  result.reportJson = std::move(j);
  result.reportHtmlPath = htmlPath;
  result.reportJsonPath = jsonPath;
  result.summary = summaryLines(ctx);
  return htmlPath.string() + " and report.json" + (ctx.explore.feasible ? "" : " (marked infeasible)");
}

}  // namespace dnnchip::flow
