// `dnnchip model show M [--json [FILE]] [--input-shape [NAME=]D0,D1,...]...`: the model's inputs
// (name and shape), the per-layer table of a model (op, shapes, MACs, parameters) and its totals;
// with --json, the same as a JSON object on stdout instead, or written to FILE. An .onnx file with symbolic input dimensions needs
// --input-shape; without it, onnx.shape lists every such input with its declared shape.

#include <cstdio>

#include "Command.h"
#include "dnnchip/workload/Model.h"

namespace dnnchip::cli {

namespace {

std::string withCommas(int64_t v) {
  std::string s = std::to_string(v);
  for (int i = static_cast<int>(s.size()) - 3; i > (s[0] == '-' ? 1 : 0); i -= 3) s.insert(static_cast<size_t>(i), ",");
  return s;
}

std::string inputShapes(const workload::Layer& L) {
  std::string s;
  for (auto& sh : L.inputShapes) s += (s.empty() ? "" : ", ") + workload::shapeText(sh);
  return s;
}

io::Json modelJson(const workload::Model& m) {
  io::Json j;
  j["name"] = m.name;
  j["layers"] = io::Json::array();
  for (auto& L : m.layers) {
    io::Json l;
    l["name"] = L.name;
    l["op"] = std::string(workload::opName(L.op));
    l["inputs"] = L.inputs;
    l["input_shapes"] = L.inputShapes;
    l["output_shape"] = L.outputShape;
    l["macs"] = L.macs();
    l["weights"] = L.op == workload::OpKind::MatMul ? 0 : L.weightElements();
    l["bias"] = L.biasElements();
    l["parameters"] = L.parameterCount();
    l["vector_ops"] = L.vectorOps();
    if (L.activation != workload::ActivationKind::None)
      l["activation"] = std::string(workload::activationName(L.activation));
    if (auto nest = L.loopNest()) {
      io::Json loops;
      for (int d = 0; d < workload::kNumDims; ++d) loops[workload::kDimNames[d]] = nest->bound[d];
      l["loops"] = loops;
    }
    j["layers"].push_back(std::move(l));
  }
  j["total_macs"] = m.totalMacs();
  j["total_parameters"] = m.totalWeights();
  j["inputs"] = io::Json::array();
  for (auto& t : m.inputs) j["inputs"].push_back({{"name", t.name}, {"shape", t.shape}});
  j["outputs"] = m.outputs;
  return j;
}

int showModel(const std::string& name, const JsonArg& json, const std::vector<std::string>& shapeArgs) {
  auto m = loadModelArg(name, shapeArgs);
  if (!m) return reportError(m.error());
  if (diag::Status s = json.emit(modelJson(*m)); !s.ok()) return reportError(s.error());
  if (json.toStdout()) return kExitOk;
  std::printf("model %s: %zu layers\n", m->name.c_str(), m->layers.size());
  for (const auto& t : m->inputs) std::printf("input %s: %s\n", t.name.c_str(), workload::shapeText(t.shape).c_str());
  std::printf("%-28s %-14s %-22s %-18s %16s %12s\n", "layer", "op", "input", "output", "MACs", "params");
  for (auto& L : m->layers) {
    std::string op(workload::opName(L.op));
    if (L.op == workload::OpKind::Conv2d && L.groups > 1) op += "/g" + std::to_string(L.groups);
    std::printf("%-28s %-14s %-22s %-18s %16s %12s\n", L.name.c_str(), op.c_str(), inputShapes(L).c_str(),
                workload::shapeText(L.outputShape).c_str(), withCommas(L.macs()).c_str(),
                withCommas(L.parameterCount()).c_str());
  }
  std::printf("total: %s MACs, %s parameters\n", withCommas(m->totalMacs()).c_str(),
              withCommas(m->totalWeights()).c_str());
  return kExitOk;
}

}  // namespace

void registerModelCommand(CLI::App& app, Dispatch& dispatch) {
  auto* model = app.add_subcommand("model", "Inspect a workload model");
  model->require_subcommand(1);
  auto* show = model->add_subcommand("show", "Per-layer table of op, shapes, MACs and parameters, with totals");
  auto name = std::make_shared<std::string>();
  auto json = std::make_shared<JsonArg>();
  // the model as every other subcommand names it (-m/--model), or positional
  show->add_option("model,-m,--model", *name, "Built-in model name (dnnchip lib list models) or a .json/.onnx path")
      ->required();
  addJsonOption(show, *json, "the model (layers, shapes, loops, totals)");
  auto shapes = std::make_shared<std::vector<std::string>>();
  addInputShapeOption(show, *shapes);
  show->callback([&dispatch, name, json, shapes] {
    dispatch.action = [name, json, shapes] { return showModel(*name, *json, *shapes); };
  });
}

}  // namespace dnnchip::cli
