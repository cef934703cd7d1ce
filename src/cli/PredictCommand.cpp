// `dnnchip predict --model M --design D [--mapping F] [--mode coarse|fine] [--batch N]
// [--phase inference|training] [--optimizer sgd|sgd_momentum|adam] [--json [OUT]]`:
// per-layer table (cycles, energy, utilization, bound) and totals; --json prints the report
// (docs/predictor.md#json) instead of the table, --json OUT writes it to OUT atomically.

#include <cstdio>
#include <memory>
#include <string>

#include "Command.h"
#include "dnnchip/predict/PredictRun.h"

namespace dnnchip::cli {

namespace {

struct PredictArgs {
  std::string model, design, mapping, mode = "coarse";
  JsonArg json;
  std::vector<std::string> inputShapes;
  PhaseArgs phase;
};

int runPredict(const PredictArgs& a) {
  auto m = loadModelArg(a.model, a.inputShapes);
  if (!m) return reportError(m.error());
  predict::PredictRequest req;
  req.design = a.design;
  if (!a.mapping.empty()) req.mapping = a.mapping;
  req.mode = a.mode == "fine" ? predict::Mode::Fine : predict::Mode::Coarse;
  req.batch = a.phase.batch;
  req.training = a.phase.training();
  auto p = predict::predictModel(*m, req);
  if (!p) return reportError(p.error());
  for (const diag::Diagnostic& n : p->notes) reportNote(n);
  if (!a.json.toStdout()) std::fputs(predict::formatTable(*p).c_str(), stdout);
  if (diag::Status s = a.json.emit(predict::toJson(*p)); !s.ok()) return reportError(s.error());
  return kExitOk;
}

}  // namespace

void registerPredictCommand(CLI::App& app, Dispatch& dispatch) {
  auto args = std::make_shared<PredictArgs>();
  auto* cmd = app.add_subcommand("predict", "Predict latency, energy, power, area and resources of a model on a design");
  cmd->add_option("--model,-m", args->model, "Built-in model name or a .json/.onnx path")->required();
  addInputShapeOption(cmd, args->inputShapes);
  cmd->add_option("--design", args->design, "Built-in design name (designs/accelerators) or a graph JSON path")
      ->required();
  cmd->add_option("--mapping", args->mapping, "Mapping file (docs/mapping.md); other layers use the default mapper");
  cmd->add_option("--mode", args->mode, "coarse (analytical) or fine (tile-level simulation)")
      ->check(CLI::IsMember({"coarse", "fine"}));
  addPhaseOptions(cmd, args->phase, "predict one training step");
  addJsonOption(cmd, args->json, "the report (docs/predictor.md#json)");
  cmd->callback([&dispatch, args] { dispatch.action = [args] { return runPredict(*args); }; });
}

}  // namespace dnnchip::cli
