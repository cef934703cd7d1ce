// Step 5 of `dnnchip build`: a synthesis estimate. Runs the generated Yosys script for the
// platform's device family (synth/yosys_<family>.ys: synth_xilinx -family xc7|xcup, or
// synth_ice40 -dsp) in DIR/synth, keeps the log, and reads LUT/FF/DSP/BRAM from its final `stat`
// (sim::parseYosysStat). Inferred latches stop the flow (the generated RTL must have none).
// Skipped, and said so, when the platform is not an FPGA, when Yosys is not installed, or when
// the user passed --no-synth. Cost: one Yosys run; minutes for large arrays.

#include "dnnchip/flow/Steps.h"
#include "dnnchip/flow/Ticker.h"
#include "dnnchip/io/Files.h"
#include "dnnchip/sim/Process.h"
#include "dnnchip/sim/SynthReport.h"

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
  auto yosys = sim::findTool("yosys");
  if (!yosys) return skip(ctx, "yosys is not installed (scripts/setup-deps.sh installs it)");

  const auto synthDir = ctx.options.outDir / "synth";
  const std::string script = "yosys_" + ctx.family + ".ys";
  std::error_code ec;
  if (!std::filesystem::exists(synthDir / script, ec))
    return diag::error("flow.missing-output", {(synthDir / script).string(), ""},
                       "the code generator wrote no Yosys script for family " + ctx.family,
                       "regenerate the design; this is a bug if it persists");
  const std::string logName = "yosys_" + ctx.family + ".log";
  sim::ProcessResult run;
  withTicker("synth: yosys " + script, [&] {
    run = sim::runProcess({yosys->string(), "-q", "-l", logName, "-s", script}, synthDir, synthDir / (logName + ".out"),
                          ctx.options.toolTimeoutSeconds);
  });
  std::filesystem::remove(synthDir / (logName + ".out"), ec);
  ctx.synth.log = synthDir / logName;
  auto log = io::readTextFile(ctx.synth.log);
  if (run.timedOut)
    return skip(ctx, "yosys did not finish within " + std::to_string(ctx.options.toolTimeoutSeconds) + " s");
  if (run.exitCode != 0 || !log)
    return diag::error("flow.synth-failed", {ctx.synth.log.string(), ""},
                       "yosys failed on the generated design (exit " + std::to_string(run.exitCode) + ")",
                       "read the log; the generated RTL should always synthesize, so please report it");
  if (sim::yosysReportsLatch(*log))
    return diag::error("flow.synth-failed", {ctx.synth.log.string(), ""}, "yosys inferred a latch in the generated RTL",
                       "this is a code-generator bug; please report it with the log");
  auto res = sim::parseYosysStat(*log);
  if (!res)
    return diag::error("flow.synth-failed", {ctx.synth.log.string(), ""}, "the yosys log has no cell statistics",
                       "read the log; please report it");
  ctx.synth.resources = *res;
  return "yosys " + script + ": " + std::to_string(res->luts) + " LUT, " + std::to_string(res->ffs) + " FF, " +
         std::to_string(res->dsps) + " DSP, " + std::to_string(res->bram18Equivalent()) + " BRAM18" +
         (ctx.family == "ice40" ? ", " + std::to_string(res->ice40Ebr) + " EBR, " + std::to_string(res->ice40Spram) + " SPRAM"
                                : "") +
         " (log " + (std::filesystem::path("synth") / logName).string() + ")";
}

}  // namespace dnnchip::flow
