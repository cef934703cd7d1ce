#pragma once
/// \file
/// The accelerator's block diagram for the report: the graph's DOT text (graph::toDot) laid out by
/// Graphviz `dot -Tsvg`, as an SVG element ready to inline in HTML. When `dot` is not installed
/// or fails, the SVG is empty and `note` says why (the flow does not fail for a missing picture).

#include <filesystem>
#include <string>

#include "dnnchip/graph/AcceleratorGraph.h"
#include "dnnchip/io/Stop.h"

namespace dnnchip::flow {

struct BlockDiagram {
  std::string dot;   ///< the DOT text (also written to `dotFile`)
  std::string svg;   ///< inline <svg> element, empty when Graphviz did not run
  std::string note;  ///< why there is no SVG, empty otherwise
};

/// Writes `<stem>.dot` and `<stem>.svg` into `folder` and returns the inline SVG. A stop request
/// on `stop` kills `dot` (then no SVG, and `note` says it was stopped).
BlockDiagram renderBlockDiagram(const graph::AcceleratorGraph& g, const std::filesystem::path& folder,
                                const std::string& stem, int timeoutSeconds, io::StopToken stop = {});

/// The <svg>...</svg> element of a Graphviz SVG file (drops the XML prolog, DOCTYPE and comments
/// before the element); empty if there is none.
std::string inlineSvg(const std::string& svgFile);

}  // namespace dnnchip::flow
