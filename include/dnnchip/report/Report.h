#pragma once
/// \file
/// The build report: what `dnnchip build` hands to a person (report.html, self-contained and
/// readable offline) and to scripts (report.json). The report module only renders: the flow fills
/// a Report with numbers measured or predicted elsewhere. Rendering is deterministic (fixed
/// number formatting, input order preserved).

#include <optional>
#include <string>
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

struct LayerRow {
  std::string name;
  double cycles = 0;
  double energyPj = 0;
  double utilization = 0;  ///< 0..1
  std::string bound;       ///< "compute" or the name of the link that bounds the layer
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
  std::vector<LayerRow> layers;
  std::vector<ResourceRow> resources;
  std::vector<CycleRow> cycles;
  std::string blockDiagramSvg;           ///< Graphviz SVG of the accelerator, may be empty
  std::vector<FileRow> files;
  std::vector<std::string> notes;        ///< what the reader should know (tools skipped, ...)
};

/// Self-contained HTML (inline CSS and SVG, no scripts or external resources).
std::string renderHtml(const Report& r);
/// The same content as JSON (schema_version 1; documented in docs/report.md).
io::Json toJson(const Report& r);

/// Latency-vs-energy scatter of the Pareto set as an SVG element (log axes when the data spans
/// more than a decade; resource share as the marker's colour; the chosen design ringed).
std::string paretoSvg(const std::vector<ParetoPoint>& points);
/// Per-layer horizontal bars of latency and energy, labelled with the bounding term.
std::string layerBarsSvg(const std::vector<LayerRow>& layers);

/// Escapes text for HTML/SVG.
std::string escapeXml(const std::string& s);

}  // namespace dnnchip::report
