// The predict flow as one library call (see PredictRun.h): load, prepare, predict.

#include "dnnchip/arch/LoadDesign.h"
#include "dnnchip/predict/PredictRun.h"

#include "dnnchip/graph/GraphJson.h"
#include "dnnchip/ip/IpLibrary.h"
#include "dnnchip/mapping/MappingJson.h"

#include <algorithm>

namespace dnnchip::predict {

diag::Expected<Prediction> predictModel(const workload::Model& model, const PredictRequest& req) {
  auto g = arch::loadDesign(req.design);
  if (!g) return g.error();
  bool needsLib = false;
  for (const graph::Node& n : g->nodes()) needsLib = needsLib || n.ip.has_value();
  std::optional<ip::IpLibrary> lib;
  if (needsLib) {
    auto l = ip::IpLibrary::loadDefault();
    if (!l) return l.error();
    lib = std::move(*l);
  }
  auto dm = prepareDesign(*g, lib ? &*lib : nullptr);
  if (!dm) return dm.error();
  if (req.training) {
    if (req.mapping)
      return diag::Diagnostic{diag::Severity::Error, "predict.training-mapping", {*req.mapping, ""},
                              "a mapping file names inference layers; a training step's passes use the default mapper",
                              "drop --mapping with --phase training"};
    workload::TrainingOptions to = *req.training;
    to.batch = req.batch;
    auto step = workload::trainingStep(model, to);
    if (!step) return step.error();
    return predictTraining(*dm, *step, req.mode);
  }
  std::optional<mapping::MappingFile> mf;
  if (req.mapping) {
    auto f = mapping::loadMappingFile(*req.mapping);
    if (!f) return f.error();
    mf = std::move(*f);
  }
  PredictOptions opt;
  opt.mode = req.mode;
  opt.batch = req.batch;
  opt.mappings = mf ? &*mf : nullptr;
  opt.inputZeroFraction = &req.inputZeroFraction;
  return predict(*dm, model, opt);
}

}  // namespace dnnchip::predict

namespace dnnchip::predict {

diag::Expected<Prediction> predictTraining(const DesignModel& design, const workload::TrainingStep& step, Mode mode) {
  PredictOptions opt;
  opt.mode = mode;
  opt.batch = 1;  // the batch is in the step's shapes
  opt.engineSchedule = false;
  auto p = predict(design, step.passModel(), opt);
  if (!p) return p;
  annotateTraining(*p, step);
  return p;
}

void annotateTraining(Prediction& p, const workload::TrainingStep& step) {
  p.model = step.forward.name;
  TrainingSummary t;
  t.optimizer = std::string(workload::optimizerName(step.options.optimizer));
  // predict() keeps one row per layer, in order (no fused rows without the engine schedule)
  for (size_t i = 0; i < p.layers.size() && i < step.passes.size(); ++i) {
    LayerPrediction& row = p.layers[i];
    const workload::TrainingPass& pass = step.passes[i];
    const int k = static_cast<int>(pass.pass);
    row.pass = std::string(workload::passName(pass.pass));
    row.op = pass.op;
    t.macsByPass[k] += row.macs;
    t.cyclesByPass[k] += row.cycles;
    t.energyByPassPj[k] += row.energyPj;
  }
  t.savedActivationElements = step.savedActivationElements;
  t.savedStatisticElements = step.savedStatisticElements;
  t.savedIndexElements = step.savedIndexElements;
  t.savedBytes = step.savedBytes;
  t.parameters = step.parameters;
  t.optimizerStateElements = step.optimizerStateElements;
  t.parameterBytes = step.parameterBytes;
  p.training = t;
  p.batch = std::max<int64_t>(1, step.options.batch);
  p.throughputInfPerS *= double(p.batch);  // samples per second
}

}  // namespace dnnchip::predict
