#pragma once
/// \file
/// Where every command's --model argument is read: a built-in name, a model JSON path, or an
/// .onnx path imported on the fly (shapes only; `dnnchip import` keeps the weights). The one
/// place that knows whether this build has the ONNX importer (CMake option DNNCHIP_WITH_ONNX).

#include <string>
#include <string_view>
#include <vector>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/workload/Model.h"

namespace dnnchip::flow {

/// True when this build has the ONNX importer (-DDNNCHIP_WITH_ONNX=ON, the default).
bool onnxImportAvailable();

/// Loads a --model argument. A path ending in .onnx (any case) is imported when the importer is
/// built, and is `onnx.disabled` otherwise; anything else goes to workload::loadModelByName.
/// `inputShapes` are the --input-shape arguments ("[NAME=]D0,D1,..."), for an .onnx model only
/// (onnx.input-shape otherwise).
diag::Expected<workload::Model> loadModelArg(std::string_view nameOrPath, const std::vector<std::string>& inputShapes = {});

/// The diagnostic of a build without the importer, for `path` (code onnx.disabled).
diag::Diagnostic onnxDisabled(std::string_view path);

}  // namespace dnnchip::flow
