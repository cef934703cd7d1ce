// libFuzzer target: the .npy decoders (int8 and int32). Any input must give a value or a diagnostic: no crash, no
// sanitizer report, no exception out of the loader (tests/fuzz/README.md).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "dnnchip/golden/Npy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace dnnchip;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)golden::decodeNpyInt8(text, "fuzz.npy");
  (void)golden::decodeNpyInt32(text, "fuzz.npy");
  return 0;
}
