#pragma once
/// \file
/// Co-simulation of a generated design (`dnnchip simulate`): builds the testbench once per design
/// folder (Verilator or Icarus), runs the engine on seeded random vectors (the whole network, each
/// layer feeding the next) or on per-layer .npy vectors, and compares every layer's output in the
/// DRAM dump with the golden model bit for bit. Cycles per layer come from the RTL's layer_cycles
/// port and are reported beside schedule::predictCycles.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/io/Json.h"
#include "dnnchip/io/Stop.h"

namespace dnnchip::sim {

enum class Simulator { Verilator, Icarus };

struct SimOptions {
  Simulator simulator = Simulator::Verilator;
  uint64_t seed = 1;
  std::optional<std::filesystem::path> vectorsDir;  ///< per-layer vectors; none: seeded end to end
  int timeoutSeconds = 1800;                        ///< per tool invocation
  io::StopToken stop;  ///< a stop request kills the running tool (sim.interrupted, nothing written)
};

/// One layer's outcome.
struct LayerSimResult {
  std::string layer;
  std::string op;
  int layerIndex = -1;
  uint64_t rtlCycles = 0;        ///< the RTL's layer_cycles
  uint64_t predictedCycles = 0;  ///< schedule::predictCycles
  bool compared = false;
  bool match = false;
  int64_t firstMismatch = -1;    ///< flat (C-order) index in the golden output
  std::string firstMismatchAt;   ///< "n=0 c=3 h=1 w=4" (or "row=0 col=5")
  int got = 0, expected = 0;
  int64_t elements = 0;
};

struct SimReport {
  std::vector<LayerSimResult> layers;
  uint64_t rtlTotalCycles = 0;        ///< start to done (sum of runs for per-layer vectors)
  uint64_t predictedTotalCycles = 0;
  bool allMatch = false;
  bool perLayerVectors = false;
  std::string simulator;

  /// sim.json content: cycles and match per layer, totals.
  io::Json toJson() const;
};

/// Runs the co-simulation. Errors (exit 2 in the CLI): codegen.not-generated, sim.tool-missing,
/// sim.vectors-missing, sim.vectors-quant, npy.*; tool failures: sim.build-failed, sim.run-failed,
/// sim.timeout. A stop request (SimOptions::stop) ends it with sim.interrupted (a tool was killed) or
/// golden.interrupted, and no output written. A mismatch is not an error: it is reported in
/// SimReport (allMatch false).
diag::Expected<SimReport> cosimulate(const std::filesystem::path& designDir, const SimOptions& options);

/// The sim.mismatch diagnostic naming the first mismatching layer and element.
diag::Diagnostic mismatchDiagnostic(const SimReport& r);

}  // namespace dnnchip::sim
