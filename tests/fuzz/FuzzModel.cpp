// libFuzzer target: the model JSON loader (parse, finalize, shape inference). Any input must give a value or a diagnostic: no crash, no
// sanitizer report, no exception out of the loader (tests/fuzz/README.md).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dnnchip/io/Json.h"
#include "dnnchip/workload/Model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace dnnchip;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto j = io::parseJson(text, "fuzz.json");
  if (!j) return 0;
  auto m = workload::parseModel(*j, "fuzz.json");
  if (m) (void)workload::toJson(*m).dump();
  return 0;
}
