#pragma once
/// \file
/// Internal: used inside the library, its tools and tests; not installed (docs/api.md).
/// The steps of `dnnchip build`, each its own function over one BuildContext, in the order
/// runBuild (Build.cpp) calls them. A step returns a Status: an error stops the flow with that
/// step's diagnostic. A step that cannot run for lack of a tool records why in `skipped` and the
/// context's notes instead of failing. Each step returns the one progress line it prints.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/flow/BlockDiagram.h"
#include "dnnchip/flow/Build.h"
#include "dnnchip/flow/SimulationModel.h"
#include "dnnchip/graph/AcceleratorGraph.h"
#include "dnnchip/ip/IpLibrary.h"
#include "dnnchip/platform/Platform.h"
#include "dnnchip/predict/Predictor.h"
#include "dnnchip/report/Report.h"
#include "dnnchip/search/Constraints.h"
#include "dnnchip/search/Objective.h"
#include "dnnchip/sim/SynthReport.h"
#include "dnnchip/workload/Model.h"

namespace dnnchip::flow {

/// What the explore step chose.
struct ExploreOutcome {
  bool feasible = true;                  ///< some design met every bound
  graph::AcceleratorGraph design;        ///< the best design (or the closest, when infeasible)
  std::filesystem::path designFile;      ///< DIR/explore/best/design.json
  std::filesystem::path mappingFile;     ///< the search's per-layer mappings, empty: default mapper
  std::string designId;
  search::Metrics metrics;               ///< the search's prediction for the chosen design
  std::vector<report::ParetoPoint> pareto;
  std::vector<report::ConvergenceRow> convergence;  ///< the search's best objective by evaluations
  std::vector<report::BoundRow> bounds;
  std::vector<std::string> failedBounds; ///< infeasible: "max_latency_s: closest 0.31 > 0.1"
  int64_t evaluated = 0;                 ///< points evaluated by the search
  std::string searchLine;                ///< the search's counts, for the progress line
};

/// Fine-mode prediction of the chosen design on the model, per layer and in total.
struct PredictOutcome {
  std::vector<report::LayerRow> layers;
  std::vector<report::ResourceRow> resources;  ///< predicted and available (synthesized added later)
  double totalCycles = 0;                      ///< one inference
  int64_t batch = 1;                           ///< inferences per predicted run
};

struct GenerateOutcome {
  std::filesystem::path dir;             ///< DIR (rtl/, tb/, synth/, program ... inside)
  size_t files = 0;
  size_t rtlFiles = 0;
  BlockDiagram diagram;                  ///< DIR/block_diagram.dot and .svg
};

/// One co-simulated layer.
struct SimulatedLayer {
  std::string layer;
  int64_t predictedCycles = 0;           ///< fine mode (exact cycle model) on the simulated program
  std::optional<int64_t> simulatedCycles;
  std::optional<bool> bitExact;
};

struct SimulateOutcome {
  std::string skipped;                   ///< non-empty: why the step did not run
  SimulationModel instance;              ///< what ran
  std::filesystem::path dir;             ///< DIR/cosim
  std::vector<SimulatedLayer> layers;
  bool allBitExact = false;
  std::string simulator;
};

/// The clock proxy's evidence on Xilinx (docs/timing.md): the synthesized netlist's deepest
/// register path against the platform's level rule.
struct ClockEvidence {
  double designMhz = 0.0;       ///< the clock the design was generated for
  int levels = 0;               ///< deepest register-to-register path (logic levels)
  int budget = 0;               ///< levels the rule allows at designMhz
  double supportedMhz = 0.0;    ///< highest PL clock candidate the netlist supports (0: none)
  std::string worstPath;        ///< sim::describe of the deepest path
  std::vector<std::string> perModule;  ///< "module: levels" for the deepest path ending in each
  std::string rule;             ///< "0.350 ns per level, 0.100 ns uncertainty; DSP48 and BRAM FMAX"
  bool supported() const { return levels <= budget && designMhz <= supportedMhz + 1e-9; }
};

struct SynthOutcome {
  std::string skipped;                   ///< non-empty: why the step did not run
  std::optional<ip::DeviceFamily> family;  ///< the platform's family (empty before the import)
  std::optional<sim::SynthResources> resources;
  std::optional<double> fmaxMhz;         ///< iCE40 place and route, when it ran
  std::optional<int64_t> logicCells;     ///< iCE40: nextpnr's packed logic cells, the unit of the
                                         ///< predictor's LUT figure there (Yosys counts SB_LUT4)
  std::optional<ClockEvidence> clock;    ///< xc7/xcup with a platform clock rule
  std::filesystem::path log;
};

/// The family's spelling in reports and progress lines ("xcup", "asic"; "" when unknown).
inline std::string familyName(const std::optional<ip::DeviceFamily>& family) {
  return family ? std::string(ip::toString(*family)) : std::string();
}

/// Everything the steps share.
struct BuildContext {
  BuildOptions options;
  workload::Model model;
  std::string modelSource;               ///< "onnx", "json" or "built-in"
  search::Constraints constraints;
  std::string platformName;
  std::optional<platform::Platform> platform;  ///< the named platform (empty for inline resources)
  std::optional<ip::DeviceFamily> family;  ///< the platform's device family (Asic for a non-FPGA
                                           ///< platform; empty until the import step ran)
  ExploreOutcome explore;
  PredictOutcome predict;
  GenerateOutcome generate;
  SimulateOutcome simulate;
  SynthOutcome synth;
  std::vector<std::string> stageLines;   ///< the progress lines, in order (for the report)
  std::vector<std::string> notes;        ///< for the report's notes
};

/// 1. Reads the model (importing .onnx) and the constraint file, and resolves the platform.
diag::Expected<std::string> importStep(BuildContext& ctx);
/// 2. Explores the design space (RTL-emittable designs only) and predicts the chosen design per
///    layer. Infeasible bounds are not an error: ctx.explore.feasible is false.
diag::Expected<std::string> exploreStep(BuildContext& ctx);
/// The report's row of one predicted layer (part of step 2): the engine phases of its latency terms
/// and its energy by graph node; `conv3x3` from the model layer it comes from (a fused row such as
/// "conv+add" is its first layer's).
report::LayerRow layerRow(const workload::Model& model, const predict::LayerPrediction& l);
/// 3. Generates the hand-off for the chosen design and the whole model into DIR.
diag::Expected<std::string> generateStep(BuildContext& ctx);
/// 4. Co-simulates the chosen layers (DIR/cosim) against the golden model.
diag::Expected<std::string> simulateStep(BuildContext& ctx);
/// 5. Synthesizes the generated RTL with Yosys for the platform's family.
diag::Expected<std::string> synthStep(BuildContext& ctx);
/// 6. Fills the report and writes report.html and report.json atomically.
diag::Expected<std::string> reportStep(BuildContext& ctx, BuildResult& result);

/// The report assembled from the context (pure; reportStep renders and writes it).
report::Report assembleReport(const BuildContext& ctx);
/// report.json: the report module's JSON plus the flow's own fields (docs/build.md).
io::Json reportJson(const BuildContext& ctx, const report::Report& r);
/// The three summary lines printed at the end of the flow.
std::vector<std::string> summaryLines(const BuildContext& ctx);

}  // namespace dnnchip::flow
