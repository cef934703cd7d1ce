#pragma once
/// \file
/// `dnnchip synth`: runs the generated Yosys script of a design folder for xc7, xcup or ice40,
/// reads the resources from `stat`, checks that no latch was inferred, and for iCE40 runs
/// nextpnr-ice40 (UP5K) on the iCE40 top dnnchip_ice40: packing always, placement and routing
/// when the packed design fits.

#include <filesystem>
#include <optional>
#include <string>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/sim/SynthReport.h"

namespace dnnchip::sim {

struct SynthOptions {
  std::string target = "xc7";   ///< xc7, xcup, ice40, generic
  bool placeAndRoute = true;    ///< ice40: run nextpnr-ice40 when the design fits an UP5K
  int timeoutSeconds = 3600;
};

struct SynthResult {
  std::string target;
  SynthResources resources;
  bool latchInferred = false;
  std::filesystem::path log;
  std::optional<PnrReport> packed;    ///< ice40 with placeAndRoute: nextpnr --pack-only utilization
  std::optional<PnrReport> pnr;       ///< ice40 with placeAndRoute, when it fits and was run
  std::string pnrSkippedReason;       ///< why nextpnr did not run
  double clockMhz = 0.0;              ///< requested clock (manifest)
};

/// Runs Yosys (sim.tool-missing, codegen.not-generated, sim.synth-failed, sim.bad-target).
diag::Expected<SynthResult> synthesize(const std::filesystem::path& designDir, const SynthOptions& options);

}  // namespace dnnchip::sim
