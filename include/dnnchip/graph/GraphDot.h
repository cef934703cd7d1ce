#pragma once
/// \file
/// Graphviz DOT output of an accelerator graph: deterministic text (same graph, same bytes).
/// Memories are grouped by level (DRAM, buffers, register files, compute) with `rank=same`
/// subgraphs; node labels show kind, size and shape; edge labels the tensors and width.

#include <string>

#include "dnnchip/graph/AcceleratorGraph.h"

namespace dnnchip::graph {

/// The DOT text of `g` (digraph named after the design).
std::string toDot(const AcceleratorGraph& g);

}  // namespace dnnchip::graph
