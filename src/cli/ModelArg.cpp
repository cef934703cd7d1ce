// How every command's --model argument is read: a built-in name, a model .json path, or an .onnx
// path imported on the fly (shapes only; `dnnchip import` keeps the weights).

#include "Command.h"
#include "dnnchip/flow/ModelSource.h"

namespace dnnchip::cli {

diag::Expected<workload::Model> loadModelArg(const std::string& nameOrPath, const std::vector<std::string>& inputShapes) {
  return flow::loadModelArg(nameOrPath, inputShapes);
}

void addInputShapeOption(CLI::App* cmd, std::vector<std::string>& shapes) {
  cmd->add_option("--input-shape", shapes,
                  "[NAME=]D0,D1,... (or 1x3x224x224): for an .onnx --model, the shape of a graph input with symbolic "
                  "dimensions (a dynamic batch); repeat for several inputs");
}

}  // namespace dnnchip::cli
