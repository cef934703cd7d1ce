#pragma once
/// \file
/// The build report: what `dnnchip build` hands to a person (report.html, self-contained and
/// readable offline) and to scripts (report.json). The report module only renders: the flow fills
/// a Report with numbers measured or predicted elsewhere. Rendering is deterministic (fixed
/// number formatting, input order preserved).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "dnnchip/io/Json.h"

namespace dnnchip::report {

/// One hard bound of the constraint file against the chosen design's value.
struct BoundRow {
  std::string name;      ///< e.g. "max_latency_s"
  std::string unit;      ///< e.g. "s"
  double limit = 0;
  double value = 0;
  bool isUpperBound = true;  ///< value must be <= limit (false: >= limit)
  bool met() const { return isUpperBound ? value <= limit : value >= limit; }
};

/// One non-dominated design of the search.
struct ParetoPoint {
  std::string id;
  double latencyS = 0;
  double energyJ = 0;
  double resourceShare = 0;  ///< largest share of any FPGA resource, or area / area budget (0..1+)
  double throughputInfPerS = 0;
  bool chosen = false;
};

/// A named quantity (cycles of an engine phase, pJ of a block), in the predictor's order.
using NamedValues = std::vector<std::pair<std::string, double>>;

/// One layer of the fine-mode prediction of the chosen design.
struct LayerRow {
  std::string name;
  double cycles = 0;
  double energyPj = 0;
  double utilization = 0;  ///< 0..1: MACs / (cycles x PEs) on the array; lane use on the vector unit
  std::string bound;       ///< "compute", an engine phase (engine_dma_read, ...) or the bounding link
  std::string op{};        ///< "conv2d", "fc", "maxpool", ... (empty: not known)
  double macs = 0;         ///< multiply-accumulates of one run
  bool conv3x3 = false;    ///< a 3x3 convolution: counted in the network's 3x3 utilization
  NamedValues phaseCycles{};  ///< engine phases (engine_dma_read, engine_array, ...), cycles; empty
                              ///< when the design's latency terms overlap instead of adding up
  NamedValues energyByBlockPj{};  ///< graph node (array, buffers, DRAM, controller, vector unit) -> pJ
};

/// The five columns the per-layer table splits a layer's cycles into.
enum class Phase { Read, Array, Write, Stall, Other };
/// Which column an engine phase falls in: engine_dma_read -> Read, engine_array -> Array,
/// engine_dma_write -> Write, engine_weight_stall -> Stall, anything else -> Other.
Phase phaseOf(const std::string& term);
/// Display name of a Phase ("read", "array", "write", "stall", "other").
const char* phaseName(Phase p);

/// A bound as the per-layer table prints it: the engine phases by their job ("DMA read", "array",
/// "DMA write", "weight stall", "vector unit", "control"), any other term unchanged.
std::string boundLabel(const std::string& term);

/// The network's per-layer utilization and energy, derived from the LayerRows for display.
struct LayerBreakdown {
  struct Layer {
    double cycleShare = 0;                ///< of the sum of the layers' cycles, 0..1
    std::optional<std::array<double, 5>> phaseShare;  ///< of the layer's cycles, by Phase, 0..1
    std::vector<double> blockShare;       ///< of the layer's energy, per entry of `blocks`, 0..1
  };
  std::vector<std::string> blocks;        ///< every block with energy, largest network total first
                                          ///< (ties by name)
  std::vector<Layer> layers;              ///< parallel to Report::layers
  double totalCycles = 0;                 ///< sum of the layers' cycles
  double energyPerImagePj = 0;            ///< sum of the layers' energy / batch
  std::vector<double> networkBlockShare;  ///< per entry of `blocks`, of the network's energy
  std::optional<std::array<double, 5>> networkPhaseShare;  ///< by Phase, of the cycles of the layers
                                                           ///< that have engine phases
  std::optional<double> conv3x3Utilization;  ///< MAC-weighted over the 3x3 convolutions
};

/// Shares and network totals of `layers` (batch: inferences per predicted run, >= 1).
LayerBreakdown breakdown(const std::vector<LayerRow>& layers, int64_t batch);

/// One point of the search's convergence curve (search::ConvergencePoint, as the report shows it).
struct ConvergenceRow {
  std::string stage;          ///< "stage 1" (default mappings), "re-rank", "stage 2"
  int64_t evaluations = 0;    ///< mapping evaluations so far
  std::optional<double> cost; ///< the objective of the best feasible design then (none: no design feasible)
};

struct ResourceRow {
  std::string resource;  ///< "DSP", "LUT", ...
  double predicted = 0;
  std::optional<double> synthesized;  ///< from Yosys, when synthesis ran
  std::optional<double> available;    ///< the platform's amount
};

struct CycleRow {
  std::string layer;
  long long predicted = 0;             ///< fine-mode prediction
  std::optional<long long> simulated;  ///< RTL simulation, when that layer was simulated
  std::optional<bool> bitExact;        ///< output compared with the golden model
};

struct FileRow {
  std::string path;     ///< relative to the report's folder
  std::string purpose;
};

struct Report {
  std::string title;
  std::string model;
  std::string constraints;
  std::string platform;
  std::string design;
  bool feasible = true;                  ///< false: no design met the bounds (closest shown)
  std::vector<std::string> stages;       ///< one line per flow stage, in order
  std::vector<BoundRow> bounds;
  std::vector<ParetoPoint> pareto;
  std::string objective;                 ///< the search's objective, as the constraint file states it
  std::vector<ConvergenceRow> convergence;  ///< empty when the design was given, not searched
  std::vector<LayerRow> layers;
  int64_t batch = 1;                     ///< inferences per predicted run (energy per image = sum / batch)
  std::vector<ResourceRow> resources;
  std::vector<CycleRow> cycles;
  std::string blockDiagramSvg;           ///< Graphviz SVG of the accelerator, may be empty
  std::vector<FileRow> files;
  std::vector<std::string> notes;        ///< what the reader should know (tools skipped, ...)
};

/// Self-contained HTML (inline CSS and SVG, no scripts or external resources).
std::string renderHtml(const Report& r);
/// The same content as JSON (schema_version 1; documented in docs/build.md, "report.json").
io::Json toJson(const Report& r);

/// Latency-vs-energy scatter of the Pareto set as an SVG element (log axes when the data spans
/// more than a decade; resource share as the marker's colour; the chosen design ringed).
std::string paretoSvg(const std::vector<ParetoPoint>& points);
/// The best objective against mapping evaluations (log axis of evaluations + 1) as a step line.
std::string convergenceSvg(const std::vector<ConvergenceRow>& points, const std::string& objective);
/// Per-layer horizontal bars of latency and energy, labelled with the bounding term.
std::string layerBarsSvg(const std::vector<LayerRow>& layers);

/// Per layer, a stacked bar of each block's share of the layer's energy (colours fixed per block).
std::string blockShareSvg(const std::vector<LayerRow>& layers, const LayerBreakdown& b);

/// Escapes text for HTML/SVG.
std::string escapeXml(const std::string& s);

}  // namespace dnnchip::report
