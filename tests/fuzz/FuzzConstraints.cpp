// libFuzzer target: the constraint file loader, with the built-in platform and IP names. Any input
// must give a value or a diagnostic: no crash, no sanitizer report, no exception out of the loader
// (tests/fuzz/README.md).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dnnchip/io/Json.h"
#include "dnnchip/search/Constraints.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace dnnchip;
  static const std::vector<std::string> platforms = {"asic_28nm", "asic_65nm", "ice40_up5k", "pynq_z1", "ultra96", "zc706"};
  static const std::vector<std::string> ips = {"mac_int8", "mac_int16", "sram", "bram18", "bram36", "ddr3", "ddr4"};
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto j = io::parseJson(text, "fuzz.json");
  if (!j) return 0;
  auto c = search::parseConstraints(*j, "fuzz.json", platforms, ips);
  if (c) (void)search::toJson(*c).dump();
  return 0;
}
