// `dnnchip synth --design DIR --target xc7|xcup|ice40|generic`: runs Yosys on a generated design
// and prints LUT, FF, DSP and BRAM counts (and, on iCE40, nextpnr's packing against the
// platform's device and its Fmax against the requested clock; --platform, default the design's). Exit 0 on success, 2 on bad input or a missing tool, 1 when synthesis fails or infers a
// latch.

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
              g->family.value_or("design family").c_str(), f.lut, f.ff, f.dsp, f.bram18, f.bram36, f.lutramLuts);
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
  InterruptGuard guard;  // Ctrl-C: Yosys/nextpnr are killed, exit 130
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
  auto target = std::make_shared<std::string>("xc7");
  auto noPnr = std::make_shared<bool>(false);
  auto platformName = std::make_shared<std::string>();
  cmd->add_option("--design", *dir, "Folder written by dnnchip generate")->required();
  cmd->add_option("--target", *target, "xc7, xcup, ice40 or generic")->required();
  cmd->add_flag("--no-pnr", *noPnr, "iCE40: skip nextpnr");
  cmd->add_option("--platform", *platformName,
                  "iCE40: the platform to place and route on (default: the one the design names)");
  cmd->callback([&dispatch, dir, target, noPnr, platformName] {
    dispatch.action = [dir, target, noPnr, platformName] { return runSynth(*dir, *target, !*noPnr, *platformName); };
  });
}

}  // namespace dnnchip::cli
