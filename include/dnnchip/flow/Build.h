#pragma once
/// \file
/// `dnnchip build`: from a model and a constraint file to a verified RTL hand-off with a report.
/// The flow is a fixed list of steps (Steps.h), each its own function, run in order by runBuild:
///   1 import    the model (ONNX, JSON or a built-in name)
///   2 explore   the design space under the constraints (RTL-emittable designs only)
///   3 generate  RTL, program, testbench and synthesis scripts for the best design
///   4 simulate  co-simulate the first compute layers (or all) against the golden model
///   5 synth     Yosys synthesis for the platform's device family
///   6 report    report.html and report.json
/// A step that fails on bad input stops the flow with its diagnostic; a step whose tool is
/// missing is skipped and said so (the progress line and the report's notes), never faked.
/// Documented in docs/build.md (report.json fields, exit codes).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/diag/Progress.h"
#include "dnnchip/io/Stop.h"
#include "dnnchip/report/Report.h"

namespace dnnchip::flow {

/// Which layers the co-simulation step runs.
enum class SimulateScope {
  FirstLayers,  ///< the prefix of the network up to its first `firstComputeLayers` compute layers
  All,          ///< the whole network
};

struct BuildOptions {
  std::string model;                    ///< built-in name, model JSON or .onnx path
  std::vector<std::string> inputShapes;  ///< --input-shape arguments for an .onnx model
  std::string constraints;              ///< built-in name or constraint file path
  std::filesystem::path outDir;         ///< hand-off folder (created)
  /// A fixed design (built-in name or design JSON) instead of exploring: the explore step then
  /// only predicts it and checks it against the bounds.
  std::string design;
  /// Build a training accelerator (`--phase training`). The generated engine runs inference only
  /// (no backward passes, no weight update), so runBuild refuses it with flow.training-unsupported
  /// before writing anything; predict and explore take training steps (docs/training.md).
  bool training = false;
  SimulateScope simulate = SimulateScope::FirstLayers;
  int firstComputeLayers = 2;           ///< with SimulateScope::FirstLayers
  /// Co-simulate a reduced-size instance: the model input's height and width divided by this
  /// factor (rounded up); 1 = full size. The report says so when it is not 1.
  int simulateDownscale = 1;
  std::optional<uint64_t> seed;         ///< overrides the constraint file's seed
  std::optional<int> threads;           ///< overrides the constraint file's thread count
  std::optional<int64_t> budgetEvals;   ///< overrides the constraint file's evaluation budget
  std::string simulator = "verilator";  ///< "verilator" or "iverilog"
  bool synthesize = true;               ///< run the Yosys step (off: skipped, said so)
  int toolTimeoutSeconds = 3600;        ///< wall-clock limit per external tool run
  /// Receives the search's stages and the long tool runs (simulate, synth) as progress phases;
  /// nullptr: none. Not owned; it must outlive runBuild.
  diag::ProgressObserver* observer = nullptr;
  /// A stop request ends the running step at its next check (the search keeps its best so far, a
  /// tool run is killed) and the flow with flow.interrupted.
  io::StopToken stop;
};

/// The outcome of a flow that ran to the end (feasible or not).
struct BuildResult {
  bool feasible = true;                 ///< false: no design met the bounds (exit 3)
  report::Report report;
  io::Json reportJson;                  ///< what DIR/report.json holds
  std::filesystem::path reportHtmlPath;
  std::filesystem::path reportJsonPath;
  std::vector<std::string> summary;     ///< three lines for the terminal
};

/// Receives one line per step ("[3/6] generate: DIR/rtl (12 files)"); the CLI prints it to stderr.
using ProgressSink = std::function<void(const std::string& line)>;

/// Runs the whole flow. Bad input anywhere: the failing step's diagnostic (no report written, and
/// a report left by an earlier run in the folder is removed). Reports are written atomically.
diag::Expected<BuildResult> runBuild(const BuildOptions& options, const ProgressSink& progress);

/// Every top-level entry of DIR a build writes (the steps' folders and files, the generator's file
/// set, the report). Once the inputs loaded, runBuild removes them all from a folder an earlier build
/// wrote (marked by DIR/.dnnchip-build), so no file of that run outlives the new one.
const std::vector<std::string>& buildOutputEntries();

/// Number of steps runBuild runs (for "[i/N]").
constexpr int kNumSteps = 6;

}  // namespace dnnchip::flow
