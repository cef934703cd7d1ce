// Mapping-only mode: per distinct compute-layer shape, searchLayer() on the design's engine via
// the predictor's PreparedLayer; then a coarse prediction with the mappings. Layer-pipelined
// designs map each layer on the engine of its stage. Cost: budgetPerLayer evaluations per shape.

#include "dnnchip/arch/LoadDesign.h"
#include "dnnchip/search/MapRun.h"

#include <algorithm>
#include <optional>

#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include "dnnchip/graph/GraphJson.h"
#include "dnnchip/ip/IpLibrary.h"
#include "dnnchip/mapping/MappingJson.h"
#include "dnnchip/search/PredictorEvaluator.h"
#include "dnnchip/search/Rng.h"

namespace dnnchip::search {

diag::Expected<MapResult> mapModel(const workload::Model& model, const MapRequest& req) {
  std::optional<tbb::global_control> limit;
  if (req.threads > 0) limit.emplace(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(req.threads));
  auto g = arch::loadDesign(req.design);
  if (!g) return g.error();
  std::optional<ip::IpLibrary> lib;
  auto loaded = ip::IpLibrary::loadDefault();
  if (loaded) lib = std::move(*loaded);
  auto d = predict::prepareDesign(*g, lib ? &*lib : nullptr);
  if (!d) return d.error();

  Objective o;
  o.metric = req.objective;
  LayerObjective lobj;
  switch (req.objective) {
    case Metric::Energy:
    case Metric::Power: lobj = {1e-4, 1.0}; break;
    case Metric::Edp:
    case Metric::Area: lobj = {1.0, 1.0}; break;
    default: lobj = {1.0, 1e-4}; break;
  }

  struct Task {
    int engine;
    workload::LoopNest nest;
    std::vector<std::string> layers;
  };
  std::vector<Task> tasks;
  for (const workload::Layer& L : model.layers) {
    if (!L.isCompute()) continue;
    const int engine = d->engineForLayer(L.name);
    workload::LoopNest nest = predict::batchedNest(L, 1);
    auto same = [&](const Task& t) {
      const auto& a = t.nest;
      return t.engine == engine && a.bound == nest.bound && a.strideH == nest.strideH && a.strideW == nest.strideW &&
             a.dilationH == nest.dilationH && a.dilationW == nest.dilationW && a.padTop == nest.padTop &&
             a.padLeft == nest.padLeft && a.inH == nest.inH && a.inW == nest.inW;
    };
    auto it = std::find_if(tasks.begin(), tasks.end(), same);
    if (it == tasks.end()) tasks.push_back({engine, nest, {L.name}});
    else it->layers.push_back(L.name);
  }
  if (tasks.empty())
    return diag::error("search.no-compute", {model.name, ""}, "the model has no compute layer to map",
                       "map needs at least one conv2d, fc or matmul layer");

  std::vector<LayerSearchResult> found(tasks.size());
  tbb::parallel_for(size_t{0}, tasks.size(), [&](size_t i) {
    PredictorEvaluator eval(d->engines[tasks[i].engine], tasks[i].nest);
    MappingSpace space(eval);
    found[i] = searchLayer(space, lobj, req.budgetPerLayer, req.seed, splitMix64(i + 1), nullptr, req.stop);
  });

  MapResult out;
  // A stop request ends every layer's search at its next mapping (the mappers poll it); what
  // they found so far is the result.
  out.interrupted = req.stop.stopRequested();
  io::Json layers = io::Json::object();
  predict::LayerMappings chosen;  // what the prediction below takes, as objects
  LayerSearchResult total;
  for (size_t i = 0; i < tasks.size(); ++i) {
    total.merge(found[i]);
    if (!found[i].found) continue;
    const auto& h = d->engines[tasks[i].engine].hierarchy;
    const mapping::Mapping m = found[i].best.toMapping(h);
    io::Json mj = mapping::toJson(m, h);
    for (const std::string& name : tasks[i].layers) {
      layers[name] = mj;
      chosen[name] = m;
    }
  }
  // Layers in model order for a stable file.
  io::Json ordered = io::Json::object();
  for (const workload::Layer& L : model.layers)
    if (layers.contains(L.name)) ordered[L.name] = layers[L.name];
  out.mappings = {{"schema_version", 1},
                  {"description", "dnnchip map: " + model.name + " on " + d->graph.name +
                                      (out.interrupted ? " (interrupted: the best mappings found so far)" : "")},
                  {"layers", ordered}};
  predict::PredictOptions po;
  po.layerMappings = &chosen;
  po.inputZeroFraction = &req.inputZeroFraction;
  auto pr = predict::predict(*d, model, po);
  if (!pr) return pr.error();
  out.prediction = std::move(*pr);
  out.evaluated = total.evaluated;
  out.pruned = total.pruned;
  for (int f = 1; f < static_cast<int>(mapping::Failure::kCount); ++f)
    if (total.invalid[f] > 0) out.invalid.emplace_back(mapping::failureCode(static_cast<mapping::Failure>(f)), total.invalid[f]);
  return out;
}

}  // namespace dnnchip::search
