// libFuzzer target: the ONNX importer end to end (protobuf parse, validation, shape inference,
// lowering, finalize, calibration on its seeded input). importModel reads a path, so each input is
// written to one temporary file per process. Any input must give a value or a diagnostic: no
// crash, no sanitizer report, no exception out of importModel (tests/fuzz/README.md).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

#include "dnnchip/onnx/Import.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace dnnchip;
  // One scratch file per fuzzing process, removed when the process exits.
  struct Scratch {
    std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("dnnchip-fuzz-" + std::to_string(getpid()) + ".onnx");
    ~Scratch() {
      std::error_code ec;
      std::filesystem::remove(path, ec);
    }
  };
  static const Scratch scratch;
  const std::filesystem::path& file = scratch.path;
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  (void)onnx::importModel(file);
  return 0;
}
