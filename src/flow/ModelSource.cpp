// loadModelArg: resolves a --model argument to a finalized workload::Model. An .onnx path goes to
// the ONNX importer (shapes only) when the build has it (DNNCHIP_HAVE_ONNX, set by CMake from
// DNNCHIP_WITH_ONNX) and is refused with onnx.disabled otherwise, so a build without libonnx
// links and says what is missing instead of failing to parse a binary file as JSON.

#include <algorithm>
#include <cctype>
#include <string>

#include "dnnchip/flow/ModelSource.h"
#if DNNCHIP_HAVE_ONNX
#include "dnnchip/onnx/Import.h"
#endif

namespace dnnchip::flow {

#if !DNNCHIP_HAVE_ONNX
namespace {

bool hasOnnxExtension(std::string_view s) {
  if (s.size() <= 5) return false;
  std::string ext(s.substr(s.size() - 5));
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".onnx";
}

}  // namespace
#endif

bool onnxImportAvailable() { return DNNCHIP_HAVE_ONNX != 0; }

diag::Diagnostic onnxDisabled(std::string_view path) {
  return diag::error("onnx.disabled", {std::string(path), ""},
                     "this dnnchip was built without the ONNX importer (-DDNNCHIP_WITH_ONNX=OFF)",
                     "rebuild with -DDNNCHIP_WITH_ONNX=ON (needs libonnx-dev and libprotobuf-dev), or "
                     "pass a model JSON");
}

diag::Expected<workload::Model> loadModelArg(std::string_view nameOrPath, const std::vector<std::string>& inputShapes) {
#if DNNCHIP_HAVE_ONNX
  auto shapes = onnx::parseInputShapes(inputShapes);
  if (!shapes) return shapes.error();
  return onnx::loadModelAny(nameOrPath, *shapes);
#else
  if (hasOnnxExtension(nameOrPath)) return onnxDisabled(nameOrPath);
  if (!inputShapes.empty())
    return diag::error("onnx.input-shape", {std::string(nameOrPath), ""}, "--input-shape applies to an .onnx model only",
                       "leave --input-shape out");
  return workload::loadModelByName(nameOrPath);
#endif
}

}  // namespace dnnchip::flow
