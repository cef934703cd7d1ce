// libFuzzer target: the mapping JSON loader. Any input must give a value or a diagnostic: no crash, no
// sanitizer report, no exception out of the loader (tests/fuzz/README.md).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dnnchip/io/Json.h"
#include "dnnchip/mapping/MappingJson.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace dnnchip;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto j = io::parseJson(text, "fuzz.json");
  if (j) (void)mapping::parseMappingFile(*j, "fuzz.json");
  return 0;
}
