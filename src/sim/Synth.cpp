// Synthesis flow: check the target, find Yosys, run synth/yosys_<target>.ys in synth/ (the
// script reads ../rtl and program.hex), parse the last `stat`, flag latches (cells or the
// proc_dlatch message). For iCE40 the script synthesizes dnnchip_ice40 (the engine on on-chip
// SPRAM with a byte-wide host port, 24 pins); when the cell counts fit a UP5K (5280 LCs, 8 DSPs,
// 30 EBRs, 4 SPRAMs) nextpnr-ice40 places and routes it on the SG48 package with the iCEBreaker
// pins of synth/dnnchip_ice40.pcf and --freq set to the design's clock; the reported Fmax is
// nextpnr's estimate after routing.

#include "dnnchip/sim/Synth.h"

#include <fstream>
#include <sstream>

#include "dnnchip/codegen/Generator.h"
#include "dnnchip/codegen/Manifest.h"
#include "dnnchip/sim/Process.h"

namespace dnnchip::sim {

namespace fs = std::filesystem;

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

  if (opt.target == "ice40" && opt.placeAndRoute) {
    const auto& s = res.resources;
    if (s.luts + s.carries / 2 > 5280 || s.dsps > 8 || s.ice40Ebr > 30 || s.ice40Spram > 4) {
      res.pnrSkippedReason = "does not fit an iCE40 UP5K (5280 LCs, 8 DSPs, 30 EBRs, 4 SPRAMs)";
    } else if (!findTool("nextpnr-ice40")) {
      res.pnrSkippedReason = "nextpnr-ice40 is not on PATH";
    } else {
      char freq[32];
      std::snprintf(freq, sizeof freq, "%.2f", res.clockMhz);
      fs::path pnrLog = synthDir / "nextpnr_ice40.log";
      const std::string top = codegen::kIce40TopModule;
      ProcessResult p = runProcess({"nextpnr-ice40", "--up5k", "--package", "sg48", "--json", top + ".json",
                                    "--pcf", top + ".pcf", "--freq", freq, "--seed", "1", "--log",
                                    "nextpnr_ice40.log"},
                                   synthDir, synthDir / "nextpnr_ice40.out", opt.timeoutSeconds);
      if (p.exitCode == 0) {
        std::ifstream in(pnrLog);
        std::stringstream ss;
        ss << in.rdbuf();
        res.pnr = parseNextpnrLog(ss.str());
      } else {
        res.pnrSkippedReason = "nextpnr-ice40 failed (exit " + std::to_string(p.exitCode) +
                               "); see synth/nextpnr_ice40.out";
      }
    }
  }
  return res;
}

}  // namespace dnnchip::sim
