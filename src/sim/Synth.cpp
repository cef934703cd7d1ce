// Synthesis flow: check the target, find Yosys, run synth/yosys_<target>.ys in synth/ (the
// script reads ../rtl and program.hex), parse the last `stat`, flag latches (cells or the
// proc_dlatch message). For iCE40 the script synthesizes dnnchip_ice40 (the engine on on-chip
// SPRAM with a byte-wide host port, 24 pins); when the cell counts fit a UP5K (5280 LCs, 8 DSPs,
// 30 EBRs, 4 SPRAMs) nextpnr-ice40 places and routes it on the SG48 package with the iCEBreaker
// pins of synth/dnnchip_ice40.pcf and --freq set to the design's clock; the reported Fmax is
// nextpnr's estimate after routing. Whether it fits is decided on nextpnr's own packing (a
// --pack-only run, about 2 s), not on Yosys' LUT and carry counts: LUTs, carries and flip-flops
// share logic cells in ways only the packer knows.
// A stop request (io::requestStop, Ctrl-C in the driver) kills the running tool within 20 ms;
// synthesize then returns sim.interrupted (the logs of the killed run stay in synth/).

#include "dnnchip/sim/Synth.h"

#include <fstream>
#include <sstream>

#include "dnnchip/codegen/Generator.h"
#include "dnnchip/codegen/Manifest.h"
#include "dnnchip/io/Stop.h"
#include "dnnchip/sim/Process.h"

namespace dnnchip::sim {

namespace fs = std::filesystem;

namespace {

// One nextpnr-ice40 run on synth/dnnchip_ice40.json with the iCEBreaker PCF at the design clock;
// `packOnly` stops after packing (about 2 s), which already gives the exact utilization.
std::optional<PnrReport> runNextpnr(const fs::path& synthDir, double clockMhz, bool packOnly, int timeoutSeconds,
                                    std::string& failure) {
  char freq[32];
  std::snprintf(freq, sizeof freq, "%.2f", clockMhz);
  const std::string top = codegen::kIce40TopModule;
  const std::string stem = packOnly ? "nextpnr_ice40_pack" : "nextpnr_ice40";
  std::vector<std::string> args = {"nextpnr-ice40", "--up5k", "--package", "sg48", "--json", top + ".json",
                                   "--pcf", top + ".pcf", "--freq", freq, "--seed", "1", "--log", stem + ".log"};
  // Without --timing-allow-fail nextpnr exits 1 when the routed design misses --freq, and the
  // Fmax it found would be reported as a failed run instead of "NOT met".
  args.push_back(packOnly ? "--pack-only" : "--timing-allow-fail");
  ProcessResult p = runProcess(args, synthDir, synthDir / (stem + ".out"), timeoutSeconds);
  if (p.timedOut || p.exitCode != 0) {
    failure = "nextpnr-ice40" + std::string(packOnly ? " --pack-only" : "") + " failed (" +
              (p.timedOut ? std::string("timeout") : "exit " + std::to_string(p.exitCode)) + "); see synth/" +
              stem + ".out";
    return std::nullopt;
  }
  std::ifstream in(synthDir / (stem + ".log"));
  std::stringstream ss;
  ss << in.rdbuf();
  return parseNextpnrLog(ss.str());
}

// Packs first and places and routes only what fits: 5280 LCs, 8 DSPs, 30 EBRs (nextpnr's counts)
// and 4 SPRAMs (Yosys').
void placeAndRouteIce40(const fs::path& synthDir, const SynthOptions& opt, SynthResult& res) {
  if (!findTool("nextpnr-ice40")) {
    res.pnrSkippedReason = "nextpnr-ice40 is not on PATH";
    return;
  }
  std::string failure;
  res.packed = runNextpnr(synthDir, res.clockMhz, true, opt.timeoutSeconds, failure);
  if (!res.packed) {
    res.pnrSkippedReason = failure;
    return;
  }
  const PnrReport& k = *res.packed;
  if (k.logicCells > k.logicCellsAvailable || k.dsps > 8 || k.rams > 30 || res.resources.ice40Spram > 4) {
    res.pnrSkippedReason = "does not fit an iCE40 UP5K: " + std::to_string(k.logicCells) + "/" +
                           std::to_string(k.logicCellsAvailable) + " LCs, " + std::to_string(k.dsps) +
                           "/8 SB_MAC16, " + std::to_string(k.rams) + "/30 EBR, " +
                           std::to_string(res.resources.ice40Spram) + "/4 SPRAM after packing";
    return;
  }
  res.pnr = runNextpnr(synthDir, res.clockMhz, false, opt.timeoutSeconds, failure);
  if (!res.pnr) res.pnrSkippedReason = failure;
}

}  // namespace

diag::Expected<SynthResult> synthesize(const fs::path& dir, const SynthOptions& opt) {
  if (opt.target != "xc7" && opt.target != "xcup" && opt.target != "ice40" && opt.target != "generic")
    return diag::error("sim.bad-target", {}, "unknown synthesis target '" + opt.target + "'",
                       "use --target xc7, xcup, ice40 or generic");
  auto loaded = codegen::loadManifest(dir);
  if (!loaded) return loaded.error();
  if (!findTool("yosys")) return toolMissing("yosys", "synthesis");
  SynthResult res;
  res.target = opt.target;
  res.clockMhz = loaded->manifest.clockMhz;
  const fs::path synthDir = dir / "synth";
  res.log = synthDir / ("yosys_" + opt.target + ".log");
  ProcessResult r = runProcess({"yosys", "-q", "-l", res.log.filename().string(), "-s", "yosys_" + opt.target + ".ys"},
                               synthDir, synthDir / ("yosys_" + opt.target + ".out"), opt.timeoutSeconds);
  if (r.interrupted)
    return diag::error("sim.interrupted", {synthDir.string(), ""},
                       "stopped (Ctrl-C) while yosys synthesized for " + opt.target + "; no result was written",
                       "run the command again");
  auto logText = r.output;
  {
    std::ifstream in(res.log);
    std::stringstream ss;
    ss << in.rdbuf();
    if (!ss.str().empty()) logText = ss.str();
  }
  if (r.timedOut || r.exitCode != 0)
    return diag::error("sim.synth-failed", {res.log.string(), ""},
                       "yosys failed on " + opt.target + (r.timedOut ? " (timeout)" : " (exit " + std::to_string(r.exitCode) + ")"),
                       "see the log");
  auto stat = parseYosysStat(logText);
  if (!stat)
    return diag::error("sim.synth-failed", {res.log.string(), ""}, "the Yosys log has no `stat` cell list",
                       "see the log");
  res.resources = *stat;
  res.latchInferred = yosysReportsLatch(logText) || stat->latches > 0;

  if (opt.target == "ice40" && opt.placeAndRoute) placeAndRouteIce40(synthDir, opt, res);
  if (io::stopRequested())  // nextpnr was killed: its (missing) result must not read as a failure
    return diag::error("sim.interrupted", {synthDir.string(), ""},
                       "stopped (Ctrl-C) while nextpnr-ice40 placed and routed; no result was written",
                       "run the command again");
  return res;
}

}  // namespace dnnchip::sim
