// Step 4 of `dnnchip build`: co-simulation. Picks the instance to run (SimulationModel: the
// first compute layers with what they depend on, or the whole network; full or reduced size),
// generates the chosen design for it into DIR/cosim (the whole network at full size reuses the
// hand-off in DIR itself), and runs sim::cosimulate on seeded random vectors: every layer's RTL
// output is compared with the golden model bit for bit and its RTL cycles are read beside the
// exact cycle model's (the fine predictor's) cycles for the same program.
// A missing simulator skips the step (said so); a mismatch stops the flow with sim.mismatch.

#include <algorithm>
#include <cmath>

#include "dnnchip/codegen/Generator.h"
#include "dnnchip/flow/Steps.h"
#include "dnnchip/flow/Ticker.h"
#include "dnnchip/io/Files.h"
#include "dnnchip/ip/IpLibrary.h"
#include "dnnchip/predict/PredictRun.h"
#include "dnnchip/sim/CoSim.h"
#include "dnnchip/sim/Process.h"

namespace dnnchip::flow {

namespace {

std::string skip(BuildContext& ctx, std::string why) {
  ctx.simulate.skipped = why;
  ctx.notes.push_back("co-simulation skipped: " + why);
  return "skipped (" + why + ")";
}

/// Generates the co-simulated instance into DIR/cosim (unless it is the hand-off itself).
diag::Expected<std::filesystem::path> prepareInstance(BuildContext& ctx) {
  if (ctx.simulate.instance.wholeNetwork) return ctx.options.outDir;
  auto lib = ip::IpLibrary::loadDefault();
  if (!lib) return lib.error();
  codegen::GenerateOptions go;
  go.seed = ctx.constraints.seed;
  go.stop = ctx.options.stop;
  auto files = codegen::generateDesign(ctx.explore.design, *lib, ctx.simulate.instance.model, go);
  if (!files) return files.error();
  const auto dir = ctx.options.outDir / "cosim";
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);  // a stale instance of an earlier run must not be reused
  if (auto st = codegen::writeFileSet(dir, *files); !st) return st.error();
  if (auto st = io::writeFileAtomic(dir / "model.json", workload::toJson(ctx.simulate.instance.model).dump(2) + "\n"); !st)
    return st.error();
  return dir;
}

}  // namespace

diag::Expected<std::string> simulateStep(BuildContext& ctx) {
  const bool all = ctx.options.simulate == SimulateScope::All;
  auto instance = simulationModel(ctx.model, all ? 0 : ctx.options.firstComputeLayers, ctx.options.simulateDownscale);
  if (!instance) return instance.error();
  ctx.simulate.instance = std::move(instance.value());
  ctx.simulate.simulator = ctx.options.simulator;
  if (ctx.simulate.instance.downscale > 1)
    ctx.notes.push_back("Co-simulation ran a REDUCED-SIZE instance, not the full-size layers: " +
                        ctx.simulate.instance.description +
                        ". Its predicted and simulated cycles are those of the reduced instance.");
  else
    ctx.notes.push_back("Co-simulated: " + ctx.simulate.instance.description + ".");

  const bool verilator = ctx.options.simulator != "iverilog";
  if (!sim::findTool(verilator ? "verilator" : "iverilog"))
    return skip(ctx, std::string(verilator ? "verilator" : "iverilog") + " is not installed (scripts/setup-deps.sh installs it)");

  auto dir = prepareInstance(ctx);
  if (!dir) return dir.error();
  ctx.simulate.dir = *dir;

  sim::SimOptions so;
  so.simulator = verilator ? sim::Simulator::Verilator : sim::Simulator::Icarus;
  so.seed = ctx.constraints.seed;
  so.timeoutSeconds = ctx.options.toolTimeoutSeconds;
  so.stop = ctx.options.stop;
  diag::Expected<sim::SimReport> rep = diag::error("internal", {}, "not run");
  withTicker(ctx.options.observer, "simulate: " + ctx.options.simulator + " on " + ctx.simulate.instance.model.name,
             [&] { rep = sim::cosimulate(*dir, so); });
  if (!rep) {
    if (rep.error().code == "sim.tool-missing") return skip(ctx, rep.error().message);
    return rep.error();
  }
  ctx.simulate.allBitExact = rep->allMatch;
  // The predicted column is the predictor's fine mode on the co-simulated instance (what
  // `dnnchip predict --mode fine` gives for it); the exact cycle model's numbers are in sim.json.
  predict::PredictRequest req;
  req.design = ctx.explore.designFile.string();
  req.mode = predict::Mode::Fine;
  auto fine = predict::predictModel(ctx.simulate.instance.model, req);
  if (!fine) return fine.error();
  // A layer can run as several descriptors (a MatMul's operand-packing copies precede its GEMM):
  // the predictor's fine mode gives one figure per layer, so the descriptors of one layer are
  // summed before the comparison, in program order.
  struct LayerRows {
    std::string name;
    int64_t rtl = 0, exactModel = 0;
    bool compared = false, match = true;
  };
  std::vector<LayerRows> grouped;
  for (auto& l : rep->layers) {
    auto it = std::find_if(grouped.begin(), grouped.end(), [&](const LayerRows& g) { return g.name == l.layer; });
    if (it == grouped.end()) it = grouped.insert(grouped.end(), LayerRows{l.layer});
    it->rtl += static_cast<int64_t>(l.rtlCycles);
    it->exactModel += static_cast<int64_t>(l.predictedCycles);
    if (l.compared) {
      it->compared = true;
      it->match = it->match && l.match;
    }
  }
  int equal = 0, modelDiffers = 0;
  for (const LayerRows& g : grouped) {
    int64_t predicted = -1;
    for (auto& pl : fine->layers)
      if (pl.name == g.name) predicted = static_cast<int64_t>(std::llround(pl.cycles));
    if (predicted < 0) predicted = g.exactModel;
    if (predicted != g.exactModel) ++modelDiffers;
    equal += g.rtl == predicted ? 1 : 0;
    ctx.simulate.layers.push_back({g.name, predicted, g.rtl, g.compared ? std::optional<bool>(g.match) : std::nullopt});
  }
  if (modelDiffers > 0)
    ctx.notes.push_back("The predictor's fine mode and the engine's exact cycle model (schedule::predictCycles, in " +
                        std::filesystem::relative(*dir / "sim" / "sim.json", ctx.options.outDir).generic_string() +
                        ") disagree on " + std::to_string(modelDiffers) + " co-simulated layer(s).");
  if (!rep->allMatch) return sim::mismatchDiagnostic(*rep);

  const auto rel = std::filesystem::relative(*dir, ctx.options.outDir).generic_string();
  return std::to_string(grouped.size()) + " layers of " + ctx.simulate.instance.model.name + " in " +
         (rel == "." ? std::string("DIR") : rel) + ", all bit-exact; cycles predicted = simulated for " +
         std::to_string(equal) + "/" + std::to_string(grouped.size()) + " layers (RTL total " +
         std::to_string(rep->rtlTotalCycles) + ", predicted " + std::to_string(rep->predictedTotalCycles) + ")";
}

}  // namespace dnnchip::flow
