// Synthesis flow: check the target, find Yosys, run synth/yosys_<target>.ys in synth/ (the
// script reads ../rtl and program.hex), parse the last `stat`, flag latches (cells or the
// proc_dlatch message). For iCE40 the script synthesizes dnnchip_ice40 (the engine on on-chip
// SPRAM with a byte-wide host port, 24 pins); nextpnr-ice40 packs it for the platform's device
// (ice40_up5k: UP5K in SG48, its SB_MAC16, EBR, SPRAM and pin counts from the platform file)
// and, when the packed design fits (nextpnr's own logic-cell count, the platform's DSPs, EBRs
// and pins, Yosys' SPRAM count), places and routes it with the iCEBreaker pins of
// synth/dnnchip_ice40.pcf and --freq set to the design's clock; the reported Fmax is nextpnr's
// estimate after routing. Whether it fits is decided on nextpnr's own packing (a --pack-only
// run, about 2 s), not on Yosys' LUT and carry counts: LUTs, carries and flip-flops share logic
// cells in ways only the packer knows. For xc7/xcup the script also writes the netlist as JSON and
// the logic-depth proxy (LogicDepth.h, docs/timing.md) measures its deepest register path.
// A stop request (SynthOptions::stop; Ctrl-C in the driver) kills the running tool within 20 ms;
// synthesize then returns sim.interrupted (the logs of the killed run stay in synth/).

#include "dnnchip/sim/Synth.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "dnnchip/codegen/Generator.h"
#include "dnnchip/codegen/Manifest.h"
#include "dnnchip/sim/Process.h"

namespace dnnchip::sim {

namespace fs = std::filesystem;

namespace {

// One nextpnr-ice40 run on synth/dnnchip_ice40.json with the iCEBreaker PCF at the design clock;
// `packOnly` stops after packing (about 2 s), which already gives the exact utilization.
std::optional<PnrReport> runNextpnr(const fs::path& synthDir, const Ice40Device& dev, double clockMhz, bool packOnly,
                                    int timeoutSeconds, io::StopToken stop, std::string& failure) {
  char freq[32];
  std::snprintf(freq, sizeof freq, "%.2f", clockMhz);
  const std::string top = codegen::kIce40TopModule;
  const std::string stem = packOnly ? "nextpnr_ice40_pack" : "nextpnr_ice40";
  std::vector<std::string> args = {"nextpnr-ice40", dev.nextpnrDeviceFlag(), "--package", dev.nextpnrPackage(), "--json", top + ".json",
                                   "--pcf", top + ".pcf", "--freq", freq, "--seed", "1", "--log", stem + ".log"};
  // Without --timing-allow-fail nextpnr exits 1 when the routed design misses --freq, and the
  // Fmax it found would be reported as a failed run instead of "NOT met".
  args.push_back(packOnly ? "--pack-only" : "--timing-allow-fail");
  ProcessResult p = runProcess(args, synthDir, synthDir / (stem + ".out"), timeoutSeconds, stop);
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

// The device to place on: the options' platform, else the one the design names.
std::optional<Ice40Device> placementDevice(const SynthOptions& opt, const io::Json& designJson, std::string& why) {
  std::optional<platform::Platform> plat = opt.platform;
  if (!plat) {
    auto named = designJson.find("platform");
    if (named == designJson.end() || !named->is_string()) {
      why = "the design names no platform to place and route on (dnnchip synth --platform NAME)";
      return std::nullopt;
    }
    auto loaded = platform::loadPlatformByName(named->get<std::string>());
    if (!loaded) {
      why = "platform " + named->get<std::string>() + ": " + loaded.error().message;
      return std::nullopt;
    }
    plat = std::move(*loaded);
  }
  auto dev = ice40Device(*plat);
  if (!dev) {
    why = dev.error().message;
    return std::nullopt;
  }
  return *dev;
}

// Packs first and places and routes only what fits: nextpnr's logic-cell count and the device's
// SB_MAC16s and EBRs (nextpnr's counts), SPRAMs (Yosys').
void placeAndRouteIce40(const fs::path& synthDir, const SynthOptions& opt, const Ice40Device& dev, SynthResult& res) {
  if (!findTool("nextpnr-ice40")) {
    res.pnrSkippedReason = "nextpnr-ice40 is not on PATH";
    return;
  }
  std::string failure;
  res.packed = runNextpnr(synthDir, dev, res.clockMhz, true, opt.timeoutSeconds, opt.stop, failure);
  if (!res.packed) {
    res.pnrSkippedReason = failure;
    return;
  }
  const PnrReport& k = *res.packed;
  if (k.logicCells > k.logicCellsAvailable || k.dsps > dev.sbMac16 || k.rams > dev.ebr ||
      res.resources.ice40Spram > dev.spram) {
    res.pnrSkippedReason = "does not fit an iCE40 " + dev.name + ": " + std::to_string(k.logicCells) + "/" +
                           std::to_string(k.logicCellsAvailable) + " LCs, " + std::to_string(k.dsps) + "/" +
                           std::to_string(dev.sbMac16) + " SB_MAC16, " + std::to_string(k.rams) + "/" +
                           std::to_string(dev.ebr) + " EBR, " + std::to_string(res.resources.ice40Spram) + "/" +
                           std::to_string(dev.spram) + " SPRAM after packing";
    return;
  }
  res.pnr = runNextpnr(synthDir, dev, res.clockMhz, false, opt.timeoutSeconds, opt.stop, failure);
  if (!res.pnr) res.pnrSkippedReason = failure;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

std::string Ice40Device::nextpnrDeviceFlag() const { return "--" + lower(name); }
std::string Ice40Device::nextpnrPackage() const { return lower(package); }

diag::Expected<Ice40Device> ice40Device(const platform::Platform& p) {
  const std::string prefix = "iCE40";
  const size_t dash = p.device.find('-');
  if (p.family != ip::DeviceFamily::Ice40 || p.device.rfind(prefix, 0) != 0 || dash == std::string::npos ||
      dash <= prefix.size() || dash + 1 >= p.device.size())
    return diag::error("sim.bad-platform", {p.file, "/device"},
                       "platform " + p.name + " is not an iCE40 with a part string iCE40<device>-<package> (\"" +
                           p.device + "\")",
                       "place and route on an iCE40 platform, e.g. --platform ice40_up5k");
  Ice40Device d;
  d.part = p.device;
  d.name = p.device.substr(prefix.size(), dash - prefix.size());
  d.package = p.device.substr(dash + 1);
  d.sbMac16 = p.resources.sbMac16;
  d.ebr = p.resources.ebr;
  d.spram = p.resources.spram;
  d.ioPins = p.resources.ioPins;
  return d;
}

diag::Expected<SynthResult> synthesize(const fs::path& dir, const SynthOptions& opt) {
  if (opt.target != "xc7" && opt.target != "xcup" && opt.target != "ice40" && opt.target != "generic")
    return diag::error("sim.bad-target", {}, "unknown synthesis target '" + opt.target + "'",
                       "use --target xc7, xcup, ice40 or generic");
  const bool pnr = opt.target == "ice40" && opt.placeAndRoute;
  if (pnr && opt.platform)
    if (auto dev = ice40Device(*opt.platform); !dev) return dev.error();
  auto loaded = codegen::loadManifest(dir);
  if (!loaded) return loaded.error();
  if (!findTool("yosys")) return toolMissing("yosys", "synthesis");
  SynthResult res;
  res.target = opt.target;
  res.clockMhz = loaded->manifest.clockMhz;
  const fs::path synthDir = dir / "synth";
  res.log = synthDir / ("yosys_" + opt.target + ".log");
  ProcessResult r = runProcess({"yosys", "-q", "-l", res.log.filename().string(), "-s", "yosys_" + opt.target + ".ys"},
                               synthDir, synthDir / ("yosys_" + opt.target + ".out"), opt.timeoutSeconds, opt.stop);
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

  if (opt.target == "xc7" || opt.target == "xcup") {
    const std::string top = codegen::kTopModule;
    auto depth = measureLogicDepth(synthDir / (top + "_" + opt.target + ".json"), top, opt.levelThreshold,
                                   opt.dspLevels);
    if (depth) res.depth = std::move(*depth);
    else res.depthError = depth.error().format();
  }
  if (pnr) {
    res.device = placementDevice(opt, loaded->manifest.designJson, res.pnrSkippedReason);
    if (res.device) placeAndRouteIce40(synthDir, opt, *res.device, res);
  }
  if (opt.stop.stopRequested())  // nextpnr was killed: its (missing) result must not read as a failure
    return diag::error("sim.interrupted", {synthDir.string(), ""},
                       "stopped (Ctrl-C) while nextpnr-ice40 placed and routed; no result was written",
                       "run the command again");
  return res;
}

}  // namespace dnnchip::sim
