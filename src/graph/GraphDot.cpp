// Graphviz DOT writer for accelerator graphs. Nodes are written in id order as n<id>, edges in id
// order; `rank=same` groups put the levels of the hierarchy on rows (DRAM, DMA, buffers, NoC,
// register files, compute, vector, controller), so `dot` draws DRAM on top and the PEs below.
// Labels: name, kind and IP, size and shape (capacity x instances, width; rows x cols and
// dataflow; lanes; bandwidth); tensors held. Edge labels: tensors, width and bandwidth; control
// edges (no tensors) are dashed, multicast edges bold. Deterministic: no pointers, no hashing,
// fixed number formatting. Cost O(V + E).

#include "dnnchip/graph/GraphDot.h"
#include "dnnchip/io/NumberFormat.h"

#include <array>
#include <cstdio>
#include <sstream>

namespace dnnchip::graph {

namespace {

std::string escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string bytesText(int64_t b) {
  if (b >= (int64_t{1} << 30) && b % (int64_t{1} << 30) == 0) return std::to_string(b >> 30) + " GiB";
  if (b >= (int64_t{1} << 20) && b % (int64_t{1} << 20) == 0) return std::to_string(b >> 20) + " MiB";
  if (b >= 1024 && b % 1024 == 0) return std::to_string(b >> 10) + " KiB";
  return std::to_string(b) + " B";
}

/// Row of the drawing for each kind (lower is higher up).
int levelOf(NodeKind k) {
  switch (k) {
    case NodeKind::Dram: return 0;
    case NodeKind::Dma: return 1;
    case NodeKind::Buffer: return 2;
    case NodeKind::Noc: return 3;
    case NodeKind::RegFile: return 4;
    case NodeKind::Compute: return 5;
    case NodeKind::Vector: return 6;
    case NodeKind::Controller: return 7;
  }
  return 7;
}
constexpr int kLevels = 8;

const char* shapeOf(NodeKind k) {
  switch (k) {
    case NodeKind::Dram: return "cylinder";
    case NodeKind::Buffer: return "box";
    case NodeKind::RegFile: return "box";
    case NodeKind::Compute: return "box3d";
    case NodeKind::Vector: return "hexagon";
    case NodeKind::Noc: return "ellipse";
    case NodeKind::Dma: return "parallelogram";
    case NodeKind::Controller: return "diamond";
  }
  return "box";
}

std::string nodeLabel(const Node& n) {
  std::string l = n.name + "\n" + std::string(nodeKindName(n.kind));
  if (n.ip) l += " (" + *n.ip + ")";
  std::string size;
  if (n.isMemory()) {
    if (n.capacityBytes) size = bytesText(*n.capacityBytes);
    if (n.instances != 1) size += (size.empty() ? "" : " ") + std::string("x") + std::to_string(n.instances);
    size += (size.empty() ? "" : ", ") + std::to_string(n.widthBits) + " b";
    if (n.doubleBuffered) size += ", double-buffered";
  } else if (n.kind == NodeKind::Compute) {
    size = std::to_string(n.rows) + "x" + std::to_string(n.cols) + " PEs";
    if (n.macsPerPe != 1) size += " x" + std::to_string(n.macsPerPe) + " MACs";
    if (n.dataflow) size += ", " + std::string(dataflowName(*n.dataflow));
  } else if (n.kind == NodeKind::Vector) {
    size = std::to_string(n.lanes) + " lanes";
  } else if (isTransport(n.kind)) {
    size = std::to_string(n.widthBits) + " b";
    if (n.multicast) size += ", multicast";
  }
  if (n.bandwidthBytesPerCycle) size += (size.empty() ? "" : ", ") + io::formatNumber(*n.bandwidthBytesPerCycle, 6) + " B/cycle";
  if (!size.empty()) l += "\n" + size;
  if (n.isMemory()) l += "\nholds " + n.holds.text();
  return l;
}

}  // namespace

std::string toDot(const AcceleratorGraph& g) {
  std::ostringstream o;
  o << "// dnnchip accelerator graph (docs/graph.md); render with: dot -Tsvg\n";
  o << "digraph \"" << escape(g.name) << "\" {\n";
  std::string title = g.name + "\n" + g.templateName + ", " +
                      io::formatNumber(g.clockMhz, 6) + " MHz, " + std::to_string(g.technologyNm) + " nm, " +
                      std::to_string(g.precision.activationBits) + "/" +
                      std::to_string(g.precision.weightBits) + "-bit";
  o << "  graph [rankdir=TB, labelloc=t, fontname=\"Helvetica\", label=\"" << escape(title)
    << "\"];\n";
  o << "  node [fontname=\"Helvetica\", fontsize=10];\n";
  o << "  edge [fontname=\"Helvetica\", fontsize=9];\n";

  std::array<std::vector<NodeId>, kLevels> levels;
  for (const Node& n : g.nodes()) levels[static_cast<size_t>(levelOf(n.kind))].push_back(n.id);
  for (const auto& level : levels) {
    if (level.empty()) continue;
    o << "  { rank=same;";
    for (NodeId id : level) o << " n" << id << ";";
    o << " }\n";
  }
  for (const Node& n : g.nodes()) {
    std::string label = nodeLabel(n);
    if (const PipelineStage* st = g.stageOf(n.id)) {
      label += "\nstage " + st->name + ":";
      for (const std::string& l : st->layers) label += " " + l;
    }
    o << "  n" << n.id << " [label=\"" << escape(label) << "\", shape=" << shapeOf(n.kind);
    if (n.kind == NodeKind::RegFile) o << ", style=rounded";
    if (n.kind == NodeKind::Compute) o << ", style=filled, fillcolor=\"#dde8f7\"";
    o << "];\n";
  }
  for (const Edge& e : g.edges()) {
    std::string label = e.tensors.empty() ? std::string("control") : e.tensors.text();
    if (e.widthBits != 0) label += "\n" + std::to_string(e.widthBits) + " b";
    if (e.bytesPerCycle != e.widthBits / 8.0) label += ", " + io::formatNumber(e.bytesPerCycle, 6) + " B/cycle";
    o << "  n" << e.from << " -> n" << e.to << " [label=\"" << escape(label) << "\"";
    if (e.tensors.empty()) o << ", style=dashed";
    if (e.multicast) o << ", style=bold";
    o << "];\n";
  }
  o << "}\n";
  return o.str();
}

}  // namespace dnnchip::graph
