// libFuzzer target: the accelerator design (graph) JSON loader and its verify(). Any input must give a value or a diagnostic: no crash, no
// sanitizer report, no exception out of the loader (tests/fuzz/README.md).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dnnchip/graph/GraphJson.h"
#include "dnnchip/io/Json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace dnnchip;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto j = io::parseJson(text, "fuzz.json");
  if (!j) return 0;
  auto g = graph::parseGraph(*j, "fuzz.json");
  if (g) (void)g->verify();
  return 0;
}
