// Step 2 of `dnnchip build`: choose the design. Either the Chip Builder search over the designs
// the code generator can emit (explore with rtl-only), or a fixed design given with --design.
// Then the chosen design is predicted per layer (predictChosen) and checked against every bound.
// Infeasible bounds are not an error: the closest design goes on through the flow and the
// report is marked infeasible.

#include <cmath>
#include <cstdio>

#include "dnnchip/flow/Bounds.h"
#include "dnnchip/flow/Steps.h"
#include "dnnchip/graph/GraphJson.h"
#include "dnnchip/io/Files.h"
#include "dnnchip/ip/IpLibrary.h"
#include "dnnchip/predict/PredictRun.h"

namespace dnnchip::flow {

namespace {

std::string num(double v, const char* spec = "%.4g") {
  char buf[64];
  std::snprintf(buf, sizeof buf, spec, v);
  return buf;
}

/// --design: the given design is the only point; it is written where the search would put it.
diag::Status useFixedDesign(BuildContext& ctx, const ip::IpLibrary& lib) {
  auto g = graph::loadGraphByName(ctx.options.design);
  if (!g) return g.error();
  if (auto st = g->check(&lib); !st) return st.error();
  ctx.explore.design = std::move(g.value());
  ctx.explore.designId = ctx.explore.design.name;
  ctx.explore.designFile = ctx.options.outDir / "explore" / "best" / "design.json";
  if (auto st = io::writeFileAtomic(ctx.explore.designFile, graph::toJson(ctx.explore.design).dump(2) + "\n"); !st)
    return st.error();
  ctx.notes.push_back("The design was given with --design " + ctx.options.design +
                      "; the design space was not explored.");
  return {};
}

int64_t roundUp(double v) { return static_cast<int64_t>(std::ceil(v - 1e-9)); }

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
  for (auto& l : p->layers) ctx.predict.layers.push_back({l.name, l.cycles, l.energyPj, l.utilization, l.bound});
  auto& m = ctx.explore.metrics;
  m.latencyS = p->latencyS;
  m.energyJ = p->energyPj * 1e-12;
  m.throughputFps = p->throughputInfPerS;
  m.powerW = p->powerW;
  const auto& f = p->resources.fpga;
  const bool fpga = ctx.platform && ctx.platform->isFpga();
  m.areaMm2 = fpga ? 0.0 : p->resources.areaUm2 * 1e-6;
  m.dsp = roundUp(f.dsp);
  m.bram18 = roundUp(f.bram18) + 2 * roundUp(f.bram36);
  m.uram = roundUp(f.uram);
  m.lut = roundUp(f.lut + f.lutramLuts);
  m.ff = roundUp(f.ff);
  ctx.predict.totalCycles = p->cycles;

  ctx.predict.resources.clear();
  if (fpga) {
    const auto& a = ctx.platform->resources;
    const bool ice40 = ctx.family == "ice40";
    ctx.predict.resources.push_back({"DSP", static_cast<double>(m.dsp), std::nullopt,
                                     static_cast<double>(ice40 ? a.sbMac16 : a.dsp)});
    if (ice40) {
      ctx.predict.resources.push_back({"EBR", static_cast<double>(roundUp(f.bram18)), std::nullopt, static_cast<double>(a.ebr)});
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

}  // namespace

diag::Expected<std::string> exploreStep(BuildContext& ctx) {
  auto lib = ip::IpLibrary::loadDefault();
  if (!lib) return lib.error();
  if (ctx.options.design.empty())
    return diag::error("flow.no-search", {}, "this build of dnnchip has no design-space search yet",
                       "pass --design D to build a fixed design");
  if (auto st = useFixedDesign(ctx, *lib); !st) return st.error();
  if (auto st = predictChosen(ctx); !st) return st.error();

  auto check = checkBounds(ctx.constraints, ctx.explore.metrics, ctx.platform ? &*ctx.platform : nullptr);
  ctx.explore.bounds = check.rows;
  ctx.explore.failedBounds = check.missed;
  ctx.explore.feasible = check.allMet();
  ctx.explore.pareto = {{ctx.explore.designId, ctx.explore.metrics.latencyS, ctx.explore.metrics.energyJ, 0.0,
                         ctx.explore.metrics.throughputFps, true}};
  return ctx.explore.designId + ": " + num(ctx.explore.metrics.latencyS * 1e3) + " ms/inference predicted, " +
         (ctx.explore.feasible ? "meets every bound" : std::to_string(check.missed.size()) + " bound(s) missed");
}

}  // namespace dnnchip::flow
