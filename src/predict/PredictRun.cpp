// The predict flow as one library call (see PredictRun.h): load, prepare, predict.

#include "dnnchip/arch/LoadDesign.h"
#include "dnnchip/predict/PredictRun.h"

#include "dnnchip/graph/GraphJson.h"
#include "dnnchip/ip/IpLibrary.h"
#include "dnnchip/mapping/MappingJson.h"

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
  return predict(*dm, model, opt);
}

}  // namespace dnnchip::predict
