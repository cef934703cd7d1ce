#pragma once
/// \file
/// The manifest of a generated design folder (dnnchip_design.json): the design and model it was
/// generated from, the engine parameters, the DRAM placement of every tensor, the seed of the
/// built-in vectors and the predicted cycles per layer. `dnnchip simulate` and `dnnchip synth`
/// read it instead of guessing from the RTL. Format: docs/codegen.md#manifest (schema_version 1).

#include <filesystem>
#include <string>
#include <vector>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/io/Json.h"
#include "dnnchip/schedule/CycleModel.h"
#include "dnnchip/schedule/EngineConfig.h"
#include "dnnchip/schedule/Program.h"
#include "dnnchip/workload/Model.h"

namespace dnnchip::codegen {

struct Manifest {
  io::Json designJson;                  ///< the accelerator graph (graph::toJson)
  io::Json modelJson;                   ///< the workload (workload::toJson)
  std::string designName;
  uint64_t seed = 1;
  double clockMhz = 100.0;
  schedule::EngineConfig config;
  uint32_t memBytes = 0;                ///< DRAM model size of the testbench
  int maxRanges = 1;                    ///< testbench's checked-range table size
  schedule::Program program;            ///< as generated (quant fields of the built-in vectors)
  std::vector<schedule::LayerCycles> predicted;
  std::vector<std::string> rtlFiles;    ///< relative to the folder
};

/// Serializes the manifest (deterministic member order).
io::Json manifestToJson(const Manifest& m, const workload::Model& model);

/// A manifest read back: the model is parsed and finalized, the engine config restored; the
/// program is not stored back (re-lower the model with the config).
struct LoadedManifest {
  Manifest manifest;
  workload::Model model;
};

/// Reads <dir>/dnnchip_design.json. codegen.not-generated if the folder has none; json.* and
/// model.* if it is damaged.
diag::Expected<LoadedManifest> loadManifest(const std::filesystem::path& dir);

}  // namespace dnnchip::codegen
