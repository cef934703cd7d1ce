#pragma once
/// \file
/// The Chip Predictor for a whole model on a design: per layer the mapping (from a mapping file,
/// else the default mapper), the coarse reuse analysis or the fine tile-level simulation, vector
/// layers on the vector unit; then the network totals (sum of layers for a layer-sequential
/// engine; slowest stage and pipeline depth for a layer pipeline), energy by node and tensor,
/// power, throughput, area and FPGA resources, utilization of every compute and memory node.

#include <array>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/io/Json.h"
#include "dnnchip/io/Stop.h"
#include "dnnchip/mapping/MappingJson.h"
#include "dnnchip/predict/DesignModel.h"
#include "dnnchip/predict/EngineCycleCache.h"
#include "dnnchip/predict/ReuseAnalysis.h"
#include "dnnchip/workload/Model.h"

namespace dnnchip::predict {

enum class Mode { Coarse, Fine };

/// Per-layer mappings as objects: compute layer name -> its mapping, resolved against the
/// hierarchy of the engine that runs the layer (DesignModel::engineForLayer). What a search holds
/// and predicts with; mapping::toJson writes one as a mapping file's layer object.
using LayerMappings = std::map<std::string, mapping::Mapping>;

struct PredictOptions {
  Mode mode = Mode::Coarse;
  int64_t batch = 1;                               ///< inferences per run (scales N)
  /// Per-layer mappings (others: the default mapper); not owned, read during the call only.
  const mapping::MappingFile* mappings = nullptr;
  /// The same as objects (no JSON to parse; a search's mappings); when set, `mappings` is not
  /// read. A layer it names must be a compute layer of the model (mapping.unknown-layer). Not
  /// owned, read during the call only.
  const LayerMappings* layerMappings = nullptr;
  /// Coarse mode on a generated engine: where the closed-form cycles come from (nullptr: computed
  /// here). Not owned; it must outlive the call. Fine mode never uses it.
  EngineCycleCache* engineCycleCache = nullptr;
  /// On a generated engine, take cycles from its own schedule when the model lowers onto it
  /// (false: the mapping-based models for every layer, e.g. a training step's passes, which the
  /// inference engine does not run).
  bool engineSchedule = true;
  /// On a generated engine: where the lowering keeps its estimates across predictions (nullptr:
  /// a memo for this prediction only). Not owned; it must outlive the call.
  schedule::LoweringMemo* loweringMemo = nullptr;
  /// Per compute layer (by name), the measured fraction of zero values in its input activations
  /// (0..1). On an array with data_gating the MAC and weight-read energies of a layer listed here
  /// are scaled by (1 - fraction); layers not listed, and arrays without gating, are unchanged.
  /// Not owned; read during the call only.
  const std::vector<std::pair<std::string, double>>* inputZeroFraction = nullptr;
  /// Ctrl-C: checked before each layer (and by the engine lowering before each of its layers);
  /// once requested, predict returns search.interrupted, never a partial prediction. Unset:
  /// never stops (explore's stage 1 sets it so a stop does not wait for a whole network).
  io::StopToken stop;
};

using NamedValues = std::vector<std::pair<std::string, double>>;

struct LayerPrediction {
  std::string name;
  std::string op;
  std::string pass;                ///< training: "fwd", "bwd_data", "bwd_weight", "update"; else empty
  std::string unit;                ///< compute node, vector node, or "-" for layout-only layers
  int64_t macs = 0;
  int64_t vectorOps = 0;
  double cycles = 0;
  double energyPj = 0;
  double utilization = 0;          ///< MACs / (cycles x PEs) on the array; lane use on the vector unit
  std::string bound;               ///< "compute", a level/path/DRAM name, "vector", or "-"
  NamedValues energyByNodePj;      ///< graph node name -> pJ (MAC energy under the compute node)
  std::array<double, 3> energyByTensorPj{};  ///< input, weight, output (memory and path energy)
  /// Compute layers: per memory level of the engine, the bytes it reads and writes (reads, fills
  /// and updates of every tensor, all instances; inputs, weights and outputs at their word widths,
  /// partial sums counted at the output width, not at the wider accumulator width).
  NamedValues accessBytesByNode;
  NamedValues terms;               ///< every latency term: compute, each level and path, fill/drain...
  NamedValues stallCyclesByNode;   ///< fine mode: cycles a node waited on another
  bool hasMapping = false;
  bool mappingFromFile = false;
  mapping::Mapping mapping;
  int64_t activePes = 0;
  LayerEval eval;                  ///< coarse details of compute layers
};

/// A training step's totals beside its passes (docs/training.md).
struct TrainingSummary {
  std::string optimizer;
  int64_t macsByPass[4] = {0, 0, 0, 0};     ///< fwd, bwd_data, bwd_weight, update
  double cyclesByPass[4] = {0, 0, 0, 0};
  double energyByPassPj[4] = {0, 0, 0, 0};
  int64_t savedActivationElements = 0, savedStatisticElements = 0, savedIndexElements = 0;
  int64_t savedBytes = 0;                   ///< kept from forward to backward
  int64_t parameters = 0;
  int64_t optimizerStateElements = 0;
  int64_t parameterBytes = 0;               ///< weights + gradients + optimizer state
};

struct Prediction {
  std::string model;
  std::string design;
  Mode mode = Mode::Coarse;
  int64_t batch = 1;
  double clockHz = 0;
  std::vector<LayerPrediction> layers;
  double cycles = 0;               ///< latency of one run (batch inferences)
  double latencyS = 0;
  double energyPj = 0;
  double powerW = 0;               ///< energy / latency + leakage
  double throughputInfPerS = 0;
  double gops = 0;                 ///< 2 x MACs per second
  int64_t macs = 0;
  NamedValues energyByNodePj;
  std::array<double, 3> energyByTensorPj{};
  NamedValues computeUtilization;  ///< per compute node: MACs / (its busy+idle cycles x PEs)
  NamedValues memoryBandwidthUtilization;  ///< per memory node: transfer cycles / total cycles
  NamedValues memoryCapacityUtilization;   ///< per memory node: largest tile / capacity
  NamedValues stageCycles;         ///< layer pipeline: cycles per stage
  DesignResources resources;
  std::vector<diag::Diagnostic> notes;  ///< notes and warnings (e.g. why fine mode fell back)
  bool engineSchedule = false;           ///< cycles follow the generated RTL engine's schedule
  bool exactEngineSchedule = false;      ///< ... exactly (fine mode; coarse uses its closed form)
  std::optional<TrainingSummary> training;  ///< set for a training step (rows are its passes)
};

/// Predicts `model` on `design`. Diagnostics: mapping.* (a mapping file entry that is invalid on
/// its engine, or a layer that does not fit even the default mapping), mapping.unknown-layer.
diag::Expected<Prediction> predict(const DesignModel& design, const workload::Model& model,
                                   const PredictOptions& opt);

/// The JSON report (docs/predictor.md#json): {"total", "layers", "resources", "utilization"}.
io::Json toJson(const Prediction& p);
/// Human-readable per-layer table and totals.
std::string formatTable(const Prediction& p);

/// The loop nest of `layer` with the batch folded into N.
workload::LoopNest batchedNest(const workload::Layer& layer, int64_t batch);

}  // namespace dnnchip::predict
