// libFuzzer target: the accelerator design (graph) JSON loader and the checks `dnnchip` runs on a
// loaded design (arch::verifyDesign: the template's rules and the IP library, loaded once from
// DNNCHIP_DATA). Any input must give a value or a diagnostic: no crash, no sanitizer report, no
// exception out of the loader (tests/fuzz/README.md).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dnnchip/arch/DesignCheck.h"
#include "dnnchip/graph/GraphJson.h"
#include "dnnchip/io/Json.h"
#include "dnnchip/ip/IpLibrary.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace dnnchip;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto j = io::parseJson(text, "fuzz.json");
  if (!j) return 0;
  auto g = graph::parseGraph(*j, "fuzz.json");
  static const auto lib = ip::IpLibrary::loadDefault();
  if (g) (void)arch::verifyDesign(*g, lib ? &*lib : nullptr);
  return 0;
}
