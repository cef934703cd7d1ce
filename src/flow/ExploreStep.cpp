// Step 2 of `dnnchip build`: choose the design. Either the Chip Builder search over the designs
// the code generator can emit (explore with rtl-only), or a fixed design given with --design.
// Then the chosen design is predicted per layer (predictChosen) and checked against every bound.
// Infeasible bounds are not an error: the closest design goes on through the flow and the
// report is marked infeasible.

#include <cmath>
#include <cstdio>

#include "dnnchip/arch/DesignCheck.h"
#include "dnnchip/arch/LoadDesign.h"
#include "dnnchip/flow/Steps.h"
#include "dnnchip/graph/GraphJson.h"
#include "dnnchip/io/Files.h"
#include "dnnchip/ip/IpLibrary.h"
#include "dnnchip/predict/PredictRun.h"
#include "dnnchip/search/ExploreOutput.h"
#include "dnnchip/search/ExploreRun.h"
#include "dnnchip/search/PredictionMetrics.h"
#include "dnnchip/io/NumberFormat.h"

namespace dnnchip::flow {

namespace {

/// --design: the given design is the only point; it is written where the search would put it.
diag::Status useFixedDesign(BuildContext& ctx, const ip::IpLibrary& lib) {
  auto g = arch::loadDesign(ctx.options.design);
  if (!g) return g.error();
  if (auto st = arch::checkDesign(*g, &lib); !st) return st.error();
  ctx.explore.design = std::move(g.value());
  ctx.explore.designId = ctx.explore.design.name;
  ctx.explore.designFile = ctx.options.outDir / "explore" / "best" / "design.json";
  if (auto st = io::writeFileAtomic(ctx.explore.designFile, graph::toJson(ctx.explore.design).dump(2) + "\n"); !st)
    return st.error();
  ctx.notes.push_back("The design was given with --design " + ctx.options.design +
                      "; the design space was not explored.");
  return {};
}

double totalViolation(const search::DesignResult& d) {
  double v = 0;
  for (auto& c : d.checks) v += c.violation;
  return v;
}

/// The Chip Builder search (rtl-only). Writes DIR/explore/ as `dnnchip explore` does; the chosen
/// design is the winner, or when no design is feasible the closest one (least total relative
/// violation of the bounds, ties in the search's (cost, id) order), written to explore/closest/.
diag::Status exploreWithSearch(BuildContext& ctx) {
  search::ExploreOptions eo;
  eo.rtlOnly = true;
  eo.progress = ctx.options.observer;
  eo.stop = ctx.options.stop;
  // the generate step's quantization (its seed): the narrow requantization operand where it passes
  eo.quantization = search::modelQuantization(ctx.model, ctx.constraints.seed, ctx.options.stop);
  auto rep = search::exploreModel(ctx.model, ctx.constraints, eo);
  if (!rep) return rep.error();
  const auto dir = ctx.options.outDir / "explore";
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);  // no stale best/ from an earlier run
  if (auto st = search::writeExploreOutputs(dir, *rep); !st) return st.error();
  if (rep->designs.empty())
    return diag::error("flow.no-design", {ctx.constraints.file, ""},
                       "the search found no design the code generator can emit for this model and platform" +
                           (rep->pruned.empty() ? std::string() : " (every candidate was pruned)"),
                       "relax the bounds or the allowed templates and IPs (see explore/summary.txt)");
  ctx.explore.evaluated = rep->designsEvaluated;
  ctx.explore.feasible = rep->winner >= 0;
  size_t chosen = 0;
  if (rep->winner >= 0) {
    chosen = static_cast<size_t>(rep->winner);
    ctx.explore.designFile = dir / "best" / "design.json";
    ctx.explore.mappingFile = dir / "best" / "mapping.json";
  } else {
    for (size_t i = 1; i < rep->designs.size(); ++i)
      if (totalViolation(rep->designs[i]) < totalViolation(rep->designs[chosen])) chosen = i;
    ctx.explore.designFile = dir / "closest" / "design.json";
    ctx.explore.mappingFile = dir / "closest" / "mapping.json";
    const auto& d = rep->designs[chosen];
    if (auto st = io::writeFileAtomic(ctx.explore.designFile, graph::toJson(d.graph).dump(2) + "\n"); !st) return st.error();
    if (auto st = io::writeFileAtomic(ctx.explore.mappingFile, d.mappings.dump(2) + "\n"); !st) return st.error();
    ctx.notes.push_back("search: " + search::infeasibleMessage(*rep));
  }
  const auto& best = rep->designs[chosen];
  ctx.explore.design = best.graph;
  ctx.explore.designId = best.graph.name;
  // Pareto plot: the non-dominated feasible designs; when none is feasible, every design that
  // reached stage 2 (the closest designs).
  std::vector<size_t> shown = rep->pareto;
  if (shown.empty())
    for (size_t i = 0; i < rep->designs.size(); ++i) shown.push_back(i);
  bool chosenShown = false;
  for (size_t i : shown) {
    const auto& d = rep->designs[i];
    const auto& m = d.fine ? *d.fine : d.coarse;
    ctx.explore.pareto.push_back({d.graph.name, m.latencyS, m.energyJ, d.largestShare, m.throughputFps, i == chosen});
    chosenShown |= i == chosen;
  }
  if (!chosenShown) {
    const auto& m = best.fine ? *best.fine : best.coarse;
    ctx.explore.pareto.push_back({best.graph.name, m.latencyS, m.energyJ, best.largestShare, m.throughputFps, true});
  }
  for (const search::ConvergencePoint& p : rep->convergence)
    ctx.explore.convergence.push_back({p.stage, p.evaluations, p.cost});
  ctx.explore.searchLine = std::to_string(rep->designsEvaluated) + " designs evaluated, " +
                           std::to_string(rep->designs.size()) + " mapped, " + std::to_string(rep->pareto.size()) +
                           " on the Pareto front";
  return {};
}

/// Fine-mode prediction of the chosen design on the whole model (what `dnnchip predict --mode
/// fine --design DIR/explore/best/design.json` prints): per-layer rows, totals and resources.
diag::Status predictChosen(BuildContext& ctx) {
  predict::PredictRequest req;
  req.design = ctx.explore.designFile.string();
  req.mode = predict::Mode::Fine;
  if (!ctx.explore.mappingFile.empty()) req.mapping = ctx.explore.mappingFile.string();
  auto p = predict::predictModel(ctx.model, req);
  if (!p) return p.error();
  ctx.predict.layers.clear();
  for (auto& l : p->layers) ctx.predict.layers.push_back(layerRow(ctx.model, l));
  ctx.predict.batch = p->batch;
  auto& m = ctx.explore.metrics;
  const int64_t macUnits = m.macUnits;
  const auto& f = p->resources.fpga;
  const bool fpga = ctx.platform && ctx.platform->isFpga();
  m = search::metricsOf(*p, fpga);
  m.macUnits = macUnits;
  ctx.predict.totalCycles = p->cycles;

  ctx.predict.resources.clear();
  if (fpga) {
    const auto& a = ctx.platform->resources;
    const bool ice40 = ctx.family == ip::DeviceFamily::Ice40;
    ctx.predict.resources.push_back({"DSP", static_cast<double>(m.dsp), std::nullopt,
                                     static_cast<double>(ice40 ? a.sbMac16 : a.dsp)});
    if (ice40) {
      ctx.predict.resources.push_back({"EBR", static_cast<double>(search::roundUpResource(f.bram18)), std::nullopt, static_cast<double>(a.ebr)});
      ctx.predict.resources.push_back({"SPRAM", static_cast<double>(m.uram), std::nullopt, static_cast<double>(a.spram)});
    } else {
      ctx.predict.resources.push_back({"BRAM18", static_cast<double>(m.bram18), std::nullopt, static_cast<double>(a.bram18)});
      if (a.uram > 0 || m.uram > 0)
        ctx.predict.resources.push_back({"URAM", static_cast<double>(m.uram), std::nullopt, static_cast<double>(a.uram)});
    }
    ctx.predict.resources.push_back({"LUT", static_cast<double>(m.lut), std::nullopt, static_cast<double>(a.lut)});
    ctx.predict.resources.push_back({"FF", static_cast<double>(m.ff), std::nullopt, static_cast<double>(a.ff)});
  }
  return {};
}


/// Report rows of the search's bound checks (values in the constraint file's units).
void boundRows(BuildContext& ctx) {
  ctx.explore.bounds.clear();
  ctx.explore.failedBounds.clear();
  for (auto& c : search::checkBounds(ctx.explore.metrics, ctx.constraints, *ctx.platform)) {
    if (c.min) ctx.explore.bounds.push_back({"min " + c.name, "", *c.min, c.value, false});
    if (c.max) ctx.explore.bounds.push_back({"max " + c.name, "", *c.max, c.value, true});
    if (!c.met)
      ctx.explore.failedBounds.push_back(c.name + " = " + io::formatNumber(c.value) +
                                         (c.max && c.value > *c.max ? " > " + io::formatNumber(*c.max) : " < " + io::formatNumber(c.min.value_or(0))));
  }
}

}  // namespace

/// The report's row of one predicted layer: the engine phases of its latency terms (a design whose
/// terms overlap instead of adding up has none) and its energy by graph node.
report::LayerRow layerRow(const workload::Model& model, const predict::LayerPrediction& l) {
  report::LayerRow row{.name = l.name, .cycles = l.cycles, .energyPj = l.energyPj, .utilization = l.utilization,
                       .bound = l.bound, .op = l.op, .macs = static_cast<double>(l.macs)};
  // The row's layer; a fused row ("conv+add", "conv+maxpool": the program's name for a layer and
  // the epilogue it carries) is its first layer's, so a 3x3 conv with a fused add counts as one.
  auto byName = [&](const std::string& name) -> const workload::Layer* {
    for (const auto& layer : model.layers)
      if (layer.name == name) return &layer;
    return nullptr;
  };
  const workload::Layer* layer = byName(l.name);
  if (!layer) layer = byName(l.name.substr(0, l.name.find('+')));
  if (layer) row.conv3x3 = layer->op == workload::OpKind::Conv2d && layer->kernel[0] == 3 && layer->kernel[1] == 3;
  for (const auto& [term, cycles] : l.terms)
    if (term.rfind("engine_", 0) == 0) row.phaseCycles.emplace_back(term, cycles);
  row.energyByBlockPj = l.energyByNodePj;
  return row;
}

diag::Expected<std::string> exploreStep(BuildContext& ctx) {
  auto lib = ip::IpLibrary::loadDefault();
  if (!lib) return lib.error();
  if (ctx.options.design.empty()) {
    if (auto st = exploreWithSearch(ctx); !st) return st.error();
    if (ctx.options.stop.stopRequested()) return std::string("search stopped early (Ctrl-C); best so far in explore/");
  } else {
    if (auto st = useFixedDesign(ctx, *lib); !st) return st.error();
  }
  if (auto st = predictChosen(ctx); !st) return st.error();
  // The bounds are checked on the fine prediction of the chosen design (what the report shows).
  boundRows(ctx);
  if (!ctx.options.design.empty()) {
    ctx.explore.feasible = ctx.explore.failedBounds.empty();
    ctx.explore.pareto = {{ctx.explore.designId, ctx.explore.metrics.latencyS, ctx.explore.metrics.energyJ, 0.0,
                           ctx.explore.metrics.throughputFps, true}};
  } else if (!ctx.explore.feasible && ctx.explore.failedBounds.empty()) {
    ctx.notes.push_back("The search judged every design infeasible on its coarse prediction; the fine "
                        "re-prediction of the closest design shown here meets every bound.");
  } else if (ctx.explore.feasible && !ctx.explore.failedBounds.empty()) {
    ctx.notes.push_back("The search's winner misses a bound under the fine re-prediction: " +
                        ctx.explore.failedBounds.front());
  }
  return (ctx.explore.searchLine.empty() ? std::string() : ctx.explore.searchLine + "; ") + "chosen " +
         ctx.explore.designId + ": " + io::formatNumber(ctx.explore.metrics.latencyS * 1e3) + " ms, " +
         io::formatNumber(ctx.explore.metrics.energyJ * 1e3) + " mJ per inference (fine), " +
         (ctx.explore.feasible ? "meets every bound" : "INFEASIBLE, closest design");
}

}  // namespace dnnchip::flow
