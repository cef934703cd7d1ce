#pragma once
/// \file
/// The model the co-simulation step runs: the prefix of the network that ends with its first N
/// compute layers (every layer those depend on, nothing after), or the whole network; optionally
/// a reduced-size instance whose input height and width are divided by a factor, so that a large
/// network's first layers co-simulate in minutes. Built by editing the model's JSON form and
/// parsing it again, so every shape is re-inferred by the workload module.

#include <string>
#include <vector>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/workload/Model.h"

namespace dnnchip::flow {

struct SimulationModel {
  workload::Model model;             ///< finalized
  std::vector<std::string> layers;   ///< names of the layers it runs (in order)
  bool wholeNetwork = false;         ///< every layer of the original model, at full size
  int downscale = 1;                 ///< input H and W divided by this (1: full size)
  std::string description;           ///< one sentence for the report ("first 2 compute layers ...")
};

/// The prefix ending with the first `computeLayers` compute layers (all layers when the model has
/// fewer, or when computeLayers <= 0), with the input H and W divided by `downscale` (rounded up).
/// flow.simulation-model when the reduced instance has no valid shape (e.g. a window larger than
/// the reduced input).
diag::Expected<SimulationModel> simulationModel(const workload::Model& model, int computeLayers, int downscale);

}  // namespace dnnchip::flow
