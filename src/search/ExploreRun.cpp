// Resolving a constraint file's platform and running explore() with the default IP library.
// An inline platform becomes a platform::Platform with the family from its kind (FPGA: Xilinx
// 7-series costs unless a built-in platform is named; ASIC: the IP library's reference node).

#include "dnnchip/search/ExploreRun.h"

#include "dnnchip/golden/ModelRunner.h"
#include "dnnchip/ip/IpLibrary.h"

namespace dnnchip::search {

diag::Expected<platform::Platform> resolvePlatform(const Constraints& c) {
  platform::Platform p;
  if (!c.platform.name.empty()) {
    auto loaded = platform::loadPlatformByName(c.platform.name);
    if (!loaded) return loaded.error();
    p = std::move(*loaded);
  } else {
    const PlatformRef& r = c.platform;
    p.name = "inline";
    p.description = "inline platform of " + c.file;
    p.kind = r.kind == "asic" ? platform::PlatformKind::Asic : platform::PlatformKind::Fpga;
    p.family = r.kind == "asic" ? ip::DeviceFamily::Asic : ip::DeviceFamily::Xc7;
    p.technologyNm = r.kind == "asic" ? 65 : 28;
    if (r.resources) {
      p.resources.dsp = r.resources->dsp;
      p.resources.bram18 = r.resources->bram18;
      p.resources.bram36 = r.resources->bram18 / 2;
      p.resources.uram = r.resources->uram;
      p.resources.lut = r.resources->lut;
      p.resources.ff = r.resources->ff;
    }
    p.budgets.areaMm2 = r.areaMm2;
    p.clock.defaultMhz = r.clockMhz.value_or(100);
    p.clock.maxMhz = p.clock.defaultMhz;
    p.dram.ipId = r.kind == "asic" ? "lpddr4" : "ddr3";
    p.dram.bandwidthBytesPerSec = r.dramBytesPerSecond.value_or(1e9);
    p.file = c.file;
  }
  if (c.dramBytesPerSecond) p.dram.bandwidthBytesPerSec = *c.dramBytesPerSecond;
  return p;
}

diag::Expected<ExploreReport> exploreModel(const workload::Model& model, const Constraints& c,
                                           const ExploreOptions& opt) {
  auto p = resolvePlatform(c);
  if (!p) return p.error();
  auto lib = ip::IpLibrary::loadDefault();
  if (!lib) return lib.error();
  return explore(model, c, *p, *lib, opt);
}

std::optional<std::vector<golden::QuantParams>> modelQuantization(const workload::Model& model, uint64_t seed,
                                                                  io::StopToken stop) {
  auto run = golden::randomRun(model, seed, stop);
  if (!run) return std::nullopt;
  std::vector<golden::QuantParams> q;
  q.reserve(run->params.layers.size());
  for (const auto& l : run->params.layers) q.push_back(l.quant);
  return q;
}

}  // namespace dnnchip::search
