// How every command's --model argument is read: a built-in name, a model .json path, or (when
// the ONNX importer is built) an .onnx path imported on the fly.

#include "Command.h"
#include "dnnchip/workload/Model.h"

namespace dnnchip::cli {

diag::Expected<workload::Model> loadModelArg(const std::string& nameOrPath) {
  return workload::loadModelByName(nameOrPath);
}

}  // namespace dnnchip::cli
