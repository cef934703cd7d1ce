// How every command's --model argument is read: a built-in name, a model .json path, or an .onnx
// path imported on the fly (shapes only; `dnnchip import` keeps the weights).

#include "Command.h"
#include "dnnchip/flow/ModelSource.h"

namespace dnnchip::cli {

diag::Expected<workload::Model> loadModelArg(const std::string& nameOrPath) {
  return flow::loadModelArg(nameOrPath);
}

}  // namespace dnnchip::cli
