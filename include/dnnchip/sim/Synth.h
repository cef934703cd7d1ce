#pragma once
/// \file
/// `dnnchip synth`: runs the generated Yosys script of a design folder for xc7, xcup or ice40,
/// reads the resources from `stat`, checks that no latch was inferred, and for iCE40 runs
/// nextpnr-ice40 on the iCE40 top dnnchip_ice40: packing always, placement and routing when the
/// packed design fits the device. The device (nextpnr's --device and --package, and what it
/// offers) comes from a platform file (designs/platforms/ice40_up5k.json), not from the code.

#include <filesystem>
#include <optional>
#include <string>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/io/Stop.h"
#include "dnnchip/platform/Platform.h"
#include "dnnchip/sim/LogicDepth.h"
#include "dnnchip/sim/SynthReport.h"

namespace dnnchip::sim {

/// An iCE40 device as nextpnr-ice40 sees it, from a platform's part string and resources.
struct Ice40Device {
  std::string part;           ///< "iCE40UP5K-SG48"
  std::string name;           ///< "UP5K": the part between "iCE40" and the package
  std::string package;        ///< "SG48"
  int64_t sbMac16 = 0;        ///< SB_MAC16 DSP blocks
  int64_t ebr = 0;            ///< 4 Kbit embedded block RAMs
  int64_t spram = 0;          ///< 256 Kbit SPRAMs
  int64_t ioPins = 0;         ///< user I/O pins in the package (0: not stated)

  /// nextpnr-ice40's device flag ("--up5k") and package argument ("sg48").
  std::string nextpnrDeviceFlag() const;
  std::string nextpnrPackage() const;
};

/// The iCE40 device of a platform (sim.bad-platform: not an iCE40, or a part string that is not
/// "iCE40<device>-<package>").
diag::Expected<Ice40Device> ice40Device(const platform::Platform& platform);

struct SynthOptions {
  std::string target = "xc7";   ///< xc7, xcup, ice40, generic
  bool placeAndRoute = true;    ///< ice40: run nextpnr-ice40 when the design fits the device
  int timeoutSeconds = 3600;
  int levelThreshold = 0;       ///< xc7/xcup: count register endpoints deeper than this many levels
  int dspLevels = 8;            ///< xc7/xcup: levels of a DSP48's unregistered arithmetic (platform rule)
  /// ice40 place and route: the platform to place on. Unset: the platform the generated design
  /// names (its "platform"); place and route is skipped, and said so, when there is none.
  std::optional<platform::Platform> platform;
  io::StopToken stop;  ///< a stop request kills the running tool (sim.interrupted, nothing written)
};

struct SynthResult {
  std::string target;
  SynthResources resources;
  bool latchInferred = false;
  std::filesystem::path log;
  std::optional<PnrReport> packed;    ///< ice40 with placeAndRoute: nextpnr --pack-only utilization
  std::optional<PnrReport> pnr;       ///< ice40 with placeAndRoute, when it fits and was run
  std::string pnrSkippedReason;       ///< why nextpnr did not run
  std::optional<Ice40Device> device;  ///< ice40 with placeAndRoute: the device nextpnr targeted
  double clockMhz = 0.0;              ///< requested clock (manifest)
  /// xc7/xcup: the logic-depth proxy on synth/dnnchip_top_<target>.json (docs/timing.md).
  std::optional<LogicDepthReport> depth;
  std::string depthError;             ///< why depth is empty on xc7/xcup
};

/// Runs Yosys (sim.tool-missing, codegen.not-generated, sim.synth-failed, sim.bad-target;
/// sim.bad-platform when options.platform is given for ice40 place and route and is no iCE40).
diag::Expected<SynthResult> synthesize(const std::filesystem::path& designDir, const SynthOptions& options);

}  // namespace dnnchip::sim
