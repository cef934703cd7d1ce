// `dnnchip synth --design DIR --target xc7|xcup|ice40|generic`: runs Yosys on a generated design
// and prints LUT, FF, DSP and BRAM counts (and, on iCE40, nextpnr's packing against the
// platform's device and its Fmax against the requested clock; --platform, default the design's). Exit 0 on success, 2 on bad input or a missing tool, 1 when synthesis fails or infers a
// latch. On xc7/xcup it also prints the logic-depth proxy of the netlist (docs/timing.md);
// `--netlist FILE.json` measures an existing Yosys JSON netlist only.

#include <cstdio>

#include "Command.h"
#include "Interrupt.h"
#include "dnnchip/codegen/Manifest.h"
#include "dnnchip/graph/GraphJson.h"
#include "dnnchip/ip/IpLibrary.h"
#include "dnnchip/platform/Platform.h"
#include "dnnchip/predict/DesignModel.h"
#include "dnnchip/sim/Synth.h"

namespace dnnchip::cli {

namespace {

// The predictor's FPGA resource estimate of the design the folder was generated from, if the
// manifest, the IP library and the predictor can provide one.
void printEstimate(const std::string& dir) {
  auto m = codegen::loadManifest(dir);
  if (!m) return;
  auto g = graph::parseGraph(m->manifest.designJson, dir + "/dnnchip_design.json#/design");
  auto lib = ip::IpLibrary::loadDefault();
  if (!g || !lib) return;
  auto d = predict::prepareDesign(*g, &*lib);
  if (!d) return;
  const auto& f = d->resources.fpga;
  std::printf("predictor estimate (%s): LUT %.0f, FF %.0f, DSP %.0f, BRAM18 %.0f, BRAM36 %.0f, LUTRAM LUTs %.0f\n",
              (g->family ? std::string(ip::toString(*g->family)) : std::string("design family")).c_str(), f.lut, f.ff, f.dsp, f.bram18, f.bram36, f.lutramLuts);
}

// The logic-depth proxy's findings (docs/timing.md): the deepest register path, the deepest I/O
// path, the deepest path per module, the DSP register configurations, and with a platform rule the
// clock it supports against the one requested.
void printDepth(const sim::LogicDepthReport& d, const std::optional<platform::Platform>& plat, double clockMhz) {
  std::printf("logic depth (register to register): %s\n", sim::describe(d.worst).c_str());
  if (d.worstIo.levels > 0) std::printf("logic depth (through a top-level port): %s\n", sim::describe(d.worstIo).c_str());
  for (auto& [m, p] : d.worstPerModule) std::printf("  deepest ending in %s: %s\n", m.c_str(), sim::describe(p).c_str());
  for (auto& [c, n] : d.dsps)
    std::printf("%s x %lld: AREG=%d BREG=%d ADREG=%d MREG=%d PREG=%d%s\n", c.type.c_str(), static_cast<long long>(n), c.areg,
                c.breg, c.adreg, c.mreg, c.preg, c.preadd ? " (pre-adder)" : "");
  if (d.brams > 0)
    std::printf("block RAMs: %lld, %lld without an output register\n", static_cast<long long>(d.brams),
                static_cast<long long>(d.bramsWithoutOutputReg));
  if (!d.unknownCellTypes.empty()) {
    std::printf("cell types treated as boundaries:");
    for (auto& t : d.unknownCellTypes) std::printf(" %s", t.c_str());
    std::printf("\n");
  }
  if (plat && plat->clock.rule) {
    const auto& rule = *plat->clock.rule;
    const double f = plat->clock.supportedMhz(d.worst.levels, sim::dspRegisters(d), d.brams > 0);
    std::printf("clock rule (%s): %.3f ns per level, %.3f ns uncertainty; %d levels fit %.2f MHz (budget %d); "
                "supported: %.2f MHz\n",
                plat->name.c_str(), rule.nsPerLevel, rule.uncertaintyNs, d.worst.levels, clockMhz,
                rule.levelBudget(clockMhz), f);
  }
}

int runNetlist(const std::string& json, const std::string& top, const std::string& platformName, double clockMhz) {
  std::optional<platform::Platform> plat;
  if (!platformName.empty()) {
    auto p = platform::loadPlatformByName(platformName);
    if (!p) return reportError(p.error());
    plat = std::move(*p);
  }
  const int threshold = plat && plat->clock.rule && clockMhz > 0 ? plat->clock.rule->levelBudget(clockMhz) : 0;
  const int dspLevels = plat && plat->clock.rule ? plat->clock.rule->dspUnregisteredLevels : sim::SynthOptions{}.dspLevels;
  auto d = sim::measureLogicDepth(json, top, threshold, dspLevels);
  if (!d) return reportError(d.error());
  printDepth(*d, plat, clockMhz);
  if (threshold > 0)
    std::printf("register endpoints above %d levels: %lld of %lld\n", threshold, static_cast<long long>(d->endpointsAbove),
                static_cast<long long>(d->endpoints));
  return kExitOk;
}

int runSynth(const std::string& dir, const std::string& target, bool pnr, const std::string& platformName) {
  sim::SynthOptions opt;
  opt.target = target;
  opt.placeAndRoute = pnr;
  if (!platformName.empty()) {
    auto p = platform::loadPlatformByName(platformName);
    if (!p) return reportError(p.error());
    opt.platform = std::move(*p);
  }
  // The clock rule of the given platform, else of the one the design names.
  std::optional<platform::Platform> rulePlatform = opt.platform;
  if (!rulePlatform)
    if (auto m = codegen::loadManifest(dir); m && m->manifest.designJson.contains("platform") &&
                                             m->manifest.designJson["platform"].is_string())
      if (auto p = platform::loadPlatformByName(m->manifest.designJson["platform"].get<std::string>())) rulePlatform = *p;
  if (rulePlatform && rulePlatform->clock.rule) {
    opt.dspLevels = rulePlatform->clock.rule->dspUnregisteredLevels;
    if (auto m = codegen::loadManifest(dir)) opt.levelThreshold = rulePlatform->clock.rule->levelBudget(m->manifest.clockMhz);
  }
  InterruptGuard guard;  // Ctrl-C: Yosys/nextpnr are killed, exit 130
  opt.stop = guard.token();
  auto r = sim::synthesize(dir, opt);
  if (!r) {
    if (r.error().code == "sim.interrupted") return reportInterrupted(r.error());
    reportError(r.error());
    return r.error().code == "sim.synth-failed" ? kExitInternal : kExitBadInput;
  }
  const auto& s = r->resources;
  std::printf("synthesis (%s, yosys): LUT %lld, FF %lld, DSP %lld", r->target.c_str(),
              static_cast<long long>(s.luts), static_cast<long long>(s.ffs), static_cast<long long>(s.dsps));
  if (target == "ice40")
    std::printf(", EBR %lld, SPRAM %lld", static_cast<long long>(s.ice40Ebr), static_cast<long long>(s.ice40Spram));
  else
    std::printf(", BRAM18 %lld, BRAM36 %lld, LUTRAM %lld", static_cast<long long>(s.bram18),
                static_cast<long long>(s.bram36), static_cast<long long>(s.lutRams));
  std::printf(", cells %lld\n", static_cast<long long>(s.cells));
  printEstimate(dir);
  std::printf("latches: %s\nlog: %s\n", r->latchInferred ? "INFERRED" : "none", r->log.string().c_str());
  const std::string device = r->device ? r->device->name : std::string();
  if (r->packed && r->device)
    std::printf("nextpnr-ice40 packing (%s %s): %lld/%lld LCs, %lld/%lld SB_MAC16, %lld/%lld EBR, %lld/%lld pins\n",
                device.c_str(), r->device->package.c_str(), static_cast<long long>(r->packed->logicCells),
                static_cast<long long>(r->packed->logicCellsAvailable), static_cast<long long>(r->packed->dsps),
                static_cast<long long>(r->device->sbMac16), static_cast<long long>(r->packed->rams),
                static_cast<long long>(r->device->ebr), static_cast<long long>(r->packed->ios),
                static_cast<long long>(r->device->ioPins));
  if (r->pnr && r->pnr->fmaxMhz)
    std::printf("nextpnr-ice40 (%s): Fmax %.2f MHz against %.2f MHz requested (%s), %lld/%lld LCs\n", device.c_str(),
                *r->pnr->fmaxMhz, r->clockMhz, *r->pnr->fmaxMhz >= r->clockMhz ? "met" : "NOT met",
                static_cast<long long>(r->pnr->logicCells), static_cast<long long>(r->pnr->logicCellsAvailable));
  else if (r->pnr)
    std::printf("nextpnr-ice40 (%s): no Fmax in synth/nextpnr_ice40.log\n", device.c_str());
  else if (!r->pnrSkippedReason.empty())
    std::printf("place and route skipped: %s\n", r->pnrSkippedReason.c_str());
  if (r->depth) {
    printDepth(*r->depth, rulePlatform, r->clockMhz);
  } else if (!r->depthError.empty()) {
    std::printf("logic depth not measured: %s\n", r->depthError.c_str());
  }
  if (r->latchInferred) {
    reportError(diag::error("sim.latch", {r->log.string(), ""}, "synthesis inferred a latch",
                            "the generated RTL must be latch-free; report this with the design folder"));
    return kExitInternal;
  }
  return kExitOk;
}

}  // namespace

void registerSynthCommand(CLI::App& app, Dispatch& dispatch) {
  auto* cmd = app.add_subcommand("synth", "Synthesize a generated design with Yosys (and nextpnr for iCE40)");
  auto dir = std::make_shared<std::string>();
  auto target = std::make_shared<std::string>();
  auto noPnr = std::make_shared<bool>(false);
  auto platformName = std::make_shared<std::string>();
  cmd->add_option("--design", *dir, "Folder written by dnnchip generate");
  cmd->add_option("--target", *target, "xc7, xcup, ice40 or generic");
  cmd->add_flag("--no-pnr", *noPnr, "iCE40: skip nextpnr");
  cmd->add_option("--platform", *platformName,
                  "iCE40: the platform to place and route on (default: the one the design names)");
  auto netlist = std::make_shared<std::string>();
  auto top = std::make_shared<std::string>("dnnchip_top");
  auto clock = std::make_shared<double>(0.0);
  cmd->add_option("--netlist", *netlist,
                  "Only measure the logic depth of this Yosys JSON netlist (write_json after synth_xilinx); "
                  "--design and --target are then ignored");
  cmd->add_option("--top", *top, "With --netlist: the top module (default dnnchip_top)");
  cmd->add_option("--clock", *clock, "With --netlist: the clock (MHz) to count deeper endpoints against");
  cmd->callback([&dispatch, dir, target, noPnr, platformName, netlist, top, clock] {
    if (!netlist->empty()) {
      dispatch.action = [netlist, top, platformName, clock] { return runNetlist(*netlist, *top, *platformName, *clock); };
      return;
    }
    dispatch.action = [dir, target, noPnr, platformName] {
      if (dir->empty() || target->empty())
        return reportError(diag::error("cli.usage", {}, "synth needs --design and --target (or --netlist)",
                                       "e.g. dnnchip synth --design out --target xcup"));
      return runSynth(*dir, *target, !*noPnr, *platformName);
    };
  });
}

}  // namespace dnnchip::cli
