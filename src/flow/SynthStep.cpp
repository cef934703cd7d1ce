// Step 5 of `dnnchip build`: a synthesis estimate through sim::synthesize (what `dnnchip synth`
// runs, so both give the same numbers): the generated Yosys script for the platform's device
// family (synth_xilinx -family xc7|xcup, or synth_ice40 -dsp -spram -abc9, plus nextpnr-ice40
// when the design fits the platform's iCE40 device, with its Fmax against the design clock),
// LUT/FF/DSP/BRAM from the final `stat`; an inferred latch is a loud warning. On xc7/xcup the
// clock proxy (docs/timing.md) measures the netlist's deepest register path against the platform's
// level rule; a design clock the netlist does not support is a loud warning with the path.
// Skipped, and said so, when the platform is not an FPGA, when Yosys is not installed or times
// out, or with --no-synth. Cost: one Yosys run; minutes for large arrays.

#include <cstdio>

#include "dnnchip/flow/Steps.h"
#include "dnnchip/flow/Ticker.h"
#include "dnnchip/io/NumberFormat.h"
#include "dnnchip/sim/Process.h"
#include "dnnchip/sim/Synth.h"

namespace dnnchip::flow {

namespace {

std::string skip(BuildContext& ctx, std::string why) {
  ctx.synth.skipped = why;
  ctx.notes.push_back("synthesis skipped: " + why);
  return "skipped (" + why + ")";
}

}  // namespace

diag::Expected<std::string> synthStep(BuildContext& ctx) {
  ctx.synth.family = ctx.family;
  if (!ctx.options.synthesize) return skip(ctx, "--no-synth was given");
  if (!ctx.family || *ctx.family == ip::DeviceFamily::Asic)
    return skip(ctx, "the platform is not an FPGA of a family with a Yosys flow (xc7, xcup, ice40)");
  if (!sim::findTool("yosys")) return skip(ctx, "yosys is not installed (scripts/setup-deps.sh installs it)");

  sim::SynthOptions so;
  const std::string family = familyName(ctx.family);
  so.target = family;
  so.placeAndRoute = ctx.family == ip::DeviceFamily::Ice40;
  so.platform = ctx.platform;
  so.timeoutSeconds = ctx.options.toolTimeoutSeconds;
  so.stop = ctx.options.stop;
  const platform::ClockRule* rule = ctx.platform && ctx.platform->clock.rule ? &*ctx.platform->clock.rule : nullptr;
  if (rule) {
    so.dspLevels = rule->dspUnregisteredLevels;
    so.levelThreshold = rule->levelBudget(ctx.explore.design.clockMhz);
  }
  diag::Expected<sim::SynthResult> res = diag::error("internal", {}, "not run");
  withTicker(ctx.options.observer, "synth: yosys for " + family, [&] { res = sim::synthesize(ctx.options.outDir, so); });
  if (!res) {
    if (res.error().code == "sim.tool-missing") return skip(ctx, res.error().message);
    if (res.error().code == "sim.timeout") return skip(ctx, res.error().message);
    return res.error();
  }
  if (res->latchInferred)
    ctx.notes.push_back("WARNING: yosys inferred a latch in the generated RTL (" + res->log.string() +
                        "); generated RTL must have none, please report it");
  ctx.synth.resources = res->resources;
  ctx.synth.log = res->log;
  if (res->pnr && res->pnr->fmaxMhz) ctx.synth.fmaxMhz = res->pnr->fmaxMhz;
  if (res->packed) ctx.synth.logicCells = res->packed->logicCells;
  if (so.placeAndRoute && !res->pnrSkippedReason.empty())
    ctx.notes.push_back("nextpnr-ice40 place and route not run: " + res->pnrSkippedReason);
  const auto& r = res->resources;
  std::string line = "yosys " + family + ": " + std::to_string(r.luts) + " LUT, " + std::to_string(r.ffs) + " FF, " +
                     std::to_string(r.dsps) + " DSP, " + std::to_string(r.bram18Equivalent()) + " BRAM18";
  if (ctx.family == ip::DeviceFamily::Ice40)
    line += ", " + std::to_string(r.ice40Ebr) + " EBR, " + std::to_string(r.ice40Spram) + " SPRAM";
  if (ctx.synth.fmaxMhz) {
    char f[96];
    std::snprintf(f, sizeof f, ", Fmax %.1f MHz (nextpnr; %.1f MHz requested: %s)", *ctx.synth.fmaxMhz, res->clockMhz,
                  *ctx.synth.fmaxMhz >= res->clockMhz ? "met" : "NOT met");
    line += f;
  }
  if (res->depth && rule) {
    const sim::LogicDepthReport& d = *res->depth;
    ClockEvidence e;
    e.designMhz = res->clockMhz;
    e.levels = d.worst.levels;
    e.budget = rule->levelBudget(res->clockMhz);
    e.supportedMhz = ctx.platform->clock.supportedMhz(d.worst.levels, sim::dspRegisters(d), d.brams > 0);
    e.worstPath = sim::describe(d.worst);
    for (auto& [m, p] : d.worstPerModule) e.perModule.push_back(m + ": " + std::to_string(p.levels));
    char rt[160];
    std::snprintf(rt, sizeof rt, "%.3f ns per level, %.3f ns uncertainty, DSP48 %d levels unregistered (%s)",
                  rule->nsPerLevel, rule->uncertaintyNs, rule->dspUnregisteredLevels, ctx.platform->name.c_str());
    e.rule = rt;
    char c[200];
    std::snprintf(c, sizeof c, "; clock proxy: %d logic levels, %d fit %.1f MHz, netlist supports %.1f MHz (%s)", e.levels,
                  e.budget, e.designMhz, e.supportedMhz, e.supported() ? "met" : "NOT met");
    line += c;
    if (!e.supported())
      ctx.notes.push_back("WARNING: the synthesized netlist does not support the design clock of " +
                          io::formatNumber(e.designMhz) + " MHz by the clock proxy (docs/timing.md): " + e.worstPath +
                          "; at most " + io::formatNumber(e.supportedMhz) + " MHz");
    ctx.synth.clock = std::move(e);
  } else if (!res->depthError.empty()) {
    ctx.notes.push_back("clock proxy not measured: " + res->depthError);
  }
  auto rel = std::filesystem::relative(res->log, ctx.options.outDir).generic_string();
  return line + " (log " + rel + ")";
}

}  // namespace dnnchip::flow
