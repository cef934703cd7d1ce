// Step 5 of `dnnchip build`: a synthesis estimate through sim::synthesize (what `dnnchip synth`
// runs, so both give the same numbers): the generated Yosys script for the platform's device
// family (synth_xilinx -family xc7|xcup, or synth_ice40 -dsp -spram -abc9, plus nextpnr-ice40
// when the design fits the platform's iCE40 device, with its Fmax against the design clock),
// LUT/FF/DSP/BRAM from the final `stat`; an inferred latch is a loud warning.
// Skipped, and said so, when the platform is not an FPGA, when Yosys is not installed or times
// out, or with --no-synth. Cost: one Yosys run; minutes for large arrays.

#include <cstdio>

#include "dnnchip/flow/Steps.h"
#include "dnnchip/flow/Ticker.h"
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
  if (ctx.family != "xc7" && ctx.family != "xcup" && ctx.family != "ice40")
    return skip(ctx, "the platform is not an FPGA of a family with a Yosys flow (xc7, xcup, ice40)");
  if (!sim::findTool("yosys")) return skip(ctx, "yosys is not installed (scripts/setup-deps.sh installs it)");

  sim::SynthOptions so;
  so.target = ctx.family;
  so.placeAndRoute = ctx.family == "ice40";
  so.platform = ctx.platform;
  so.timeoutSeconds = ctx.options.toolTimeoutSeconds;
  diag::Expected<sim::SynthResult> res = diag::error("internal", {}, "not run");
  withTicker(ctx.options.observer, "synth: yosys for " + ctx.family, [&] { res = sim::synthesize(ctx.options.outDir, so); });
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
  std::string line = "yosys " + ctx.family + ": " + std::to_string(r.luts) + " LUT, " + std::to_string(r.ffs) + " FF, " +
                     std::to_string(r.dsps) + " DSP, " + std::to_string(r.bram18Equivalent()) + " BRAM18";
  if (ctx.family == "ice40")
    line += ", " + std::to_string(r.ice40Ebr) + " EBR, " + std::to_string(r.ice40Spram) + " SPRAM";
  if (ctx.synth.fmaxMhz) {
    char f[96];
    std::snprintf(f, sizeof f, ", Fmax %.1f MHz (nextpnr; %.1f MHz requested: %s)", *ctx.synth.fmaxMhz, res->clockMhz,
                  *ctx.synth.fmaxMhz >= res->clockMhz ? "met" : "NOT met");
    line += f;
  }
  auto rel = std::filesystem::relative(res->log, ctx.options.outDir).generic_string();
  return line + " (log " + rel + ")";
}

}  // namespace dnnchip::flow
