// The co-simulated model: a prefix of the network (the first N compute layers and every layer
// they depend on) and, optionally, a reduced-size instance of it (input H and W divided by a
// factor). Algorithm: find the N-th compute layer in topological order, mark it and its ancestors
// (a reverse walk over inputLayers), keep the marked layers in their order, make the sink layers
// of the prefix its outputs, rewrite the input shapes, and re-parse the JSON form so the workload
// module infers every shape again. Cost: linear in the number of layers.
// Limits: downscaling keeps channels, kernels and strides, so a reduced instance is a different
// (smaller) problem of the same layer types; the report states both shapes.

#include "dnnchip/flow/SimulationModel.h"

#include <algorithm>
#include <set>

namespace dnnchip::flow {

namespace {

/// Indices (in model order) of the layers the first `computeLayers` compute layers depend on.
std::vector<bool> prefixMask(const workload::Model& model, int computeLayers, bool& whole) {
  const size_t n = model.layers.size();
  std::vector<bool> keep(n, false);
  int last = -1, seen = 0;
  for (size_t i = 0; i < n && computeLayers > 0; ++i) {
    if (model.layers[i].isCompute() && ++seen == computeLayers) {
      last = static_cast<int>(i);
      break;
    }
  }
  if (last < 0) {  // fewer compute layers than asked, or all asked for
    whole = true;
    std::fill(keep.begin(), keep.end(), true);
    return keep;
  }
  // Every compute layer up to `last`, and their ancestors.
  std::vector<int> stack;
  for (int i = 0; i <= last; ++i)
    if (model.layers[static_cast<size_t>(i)].isCompute()) stack.push_back(i);
  while (!stack.empty()) {
    int i = stack.back();
    stack.pop_back();
    if (keep[static_cast<size_t>(i)]) continue;
    keep[static_cast<size_t>(i)] = true;
    for (int p : model.layers[static_cast<size_t>(i)].inputLayers)
      if (p >= 0) stack.push_back(p);
  }
  whole = std::all_of(keep.begin(), keep.end(), [](bool b) { return b; });
  return keep;
}

}  // namespace

diag::Expected<SimulationModel> simulationModel(const workload::Model& model, int computeLayers, int downscale) {
  if (downscale < 1) downscale = 1;
  bool whole = false;
  std::vector<bool> keep = prefixMask(model, computeLayers, whole);

  io::Json j = workload::toJson(model);
  io::Json layers = io::Json::array();
  std::set<std::string> kept, consumed;
  std::vector<std::string> names;
  for (size_t i = 0; i < model.layers.size(); ++i) {
    if (!keep[i]) continue;
    // toJson lists layers in the model's (topological) order, so index i is layer i.
    layers.push_back(j["layers"][i]);
    kept.insert(model.layers[i].name);
    names.push_back(model.layers[i].name);
    for (auto& in : model.layers[i].inputs) consumed.insert(in);
  }
  j["layers"] = layers;
  if (!whole) {
    io::Json outs = io::Json::array();
    for (auto& name : names)
      if (!consumed.count(name)) outs.push_back(name);
    j["outputs"] = outs;
    j["name"] = model.name + "_first" + std::to_string(computeLayers);
  }
  // Keep only the model inputs the prefix reads.
  io::Json inputs = io::Json::array();
  for (auto& in : j["inputs"]) {
    if (!consumed.count(in["name"].get<std::string>())) continue;
    if (downscale > 1 && in["shape"].size() == 4) {
      for (int d = 2; d < 4; ++d) {
        int64_t v = in["shape"][d].get<int64_t>();
        in["shape"][d] = (v + downscale - 1) / downscale;
      }
    }
    inputs.push_back(in);
  }
  j["inputs"] = inputs;
  if (downscale > 1) j["name"] = j["name"].get<std::string>() + "_div" + std::to_string(downscale);

  auto parsed = workload::parseModel(j, "<co-simulation instance of " + model.name + ">");
  if (!parsed) {
    auto d = parsed.error();
    return diag::error("flow.simulation-model", d.location,
                       "the co-simulated instance of the model is not valid: " + d.message,
                       "co-simulate at full size (--simulate-downscale 1) or with fewer layers");
  }
  SimulationModel out;
  out.model = std::move(parsed.value());
  out.layers = names;
  out.wholeNetwork = whole && downscale == 1;
  out.downscale = downscale;
  std::string what = whole ? "the whole network (" + std::to_string(names.size()) + " layers)"
                           : "the first " + std::to_string(computeLayers) + " compute layers (" +
                                 std::to_string(names.size()) + " layers with those they depend on)";
  if (downscale > 1) {
    std::string from = model.inputs.empty() ? "?" : workload::shapeText(model.inputs[0].shape);
    std::string to = out.model.inputs.empty() ? "?" : workload::shapeText(out.model.inputs[0].shape);
    what += ", as a reduced-size instance: input " + to + " instead of " + from +
            " (height and width divided by " + std::to_string(downscale) + "; channels, kernels and strides unchanged)";
  } else {
    what += ", at full size";
  }
  out.description = what;
  return out;
}

}  // namespace dnnchip::flow
