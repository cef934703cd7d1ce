#pragma once
/// \file
/// The accelerator-graph IR: an accelerator is a directed graph whose vertices are IP instances
/// (compute arrays, memories from per-PE register files through on-chip buffers to DRAM, NoC/bus,
/// DMA, vector unit, controller) and whose edges are data paths with a width, a bandwidth and the
/// tensors they carry. Format: docs/graph.md (schema_version 1).
///
/// Ids: NodeId and EdgeId are small stable integers, the position in the file (or the order of
/// addNode/addEdge). Every listing is in id order, so iteration is deterministic.
/// Boost.Graph is the representation underneath; it is hidden behind this API (pimpl) and no
/// other module sees a Boost type.
///
/// Use by the predictor: resolve once per design what the inner loop needs (route(),
/// storageChain(), pathBandwidthBytesPerCycle(), node fields) into plain numbers; the graph
/// queries allocate and are not meant for a hot loop.

#include <array>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/graph/TemplateRules.h"
#include "dnnchip/io/Json.h"
#include "dnnchip/ip/IpLibrary.h"
#include "dnnchip/workload/Layer.h"

namespace dnnchip::ip {
class IpLibrary;
}

namespace dnnchip::graph {

using NodeId = int32_t;
using EdgeId = int32_t;
constexpr NodeId kNoNode = -1;

/// Spatial factors per loop dimension (workload::Dim order) on the array's X (columns) and Y
/// (rows) axes; 1 = not unrolled.
struct SpatialUnroll {
  std::array<int64_t, workload::kNumDims> x{1, 1, 1, 1, 1, 1, 1, 1};
  std::array<int64_t, workload::kNumDims> y{1, 1, 1, 1, 1, 1, 1, 1};
  bool operator==(const SpatialUnroll& o) const = default;
};

/// A compute array's fixed spatial mapping (docs/graph.md#fixed-spatial-mappings): `conv` for
/// every compute layer, `depthwise` (when given) for layers with one input channel per group and
/// several groups. A layer smaller than a factor leaves the rest of that axis idle, and a layer
/// that is not a multiple of it runs a partial last pass (the factor is min(factor, bound) and
/// the temporal loops cover ceil(bound / factor)), as the hardware does.
struct FixedSpatialMapping {
  SpatialUnroll conv;
  std::optional<SpatialUnroll> depthwise;
  std::string source;           ///< where the mapping is published (required)
  std::string depthwiseSource;  ///< where the depthwise mapping is published (required with it)
  bool operator==(const FixedSpatialMapping& o) const = default;
};

/// What a vertex is. JSON spelling in brackets (the node's "kind").
enum class NodeKind {
  Dram,        ///< "dram": off-chip memory; the source of inputs/weights and sink of outputs
  Buffer,      ///< "buffer": on-chip SRAM/BRAM buffer (global buffer, unified buffer, FIFO)
  RegFile,     ///< "regfile": small register file / scratchpad, usually one per PE ("instances")
  Compute,     ///< "compute": rows x cols array of MAC processing elements with a dataflow
  Vector,      ///< "vector": SIMD unit for pooling, activations, elementwise, softmax, norms
  Noc,         ///< "noc": on-chip network or bus (may multicast)
  Dma,         ///< "dma": DMA engine between DRAM and on-chip buffers
  Controller,  ///< "controller": sequencer stepping the tile program
};
std::string_view nodeKindName(NodeKind k);
std::optional<NodeKind> nodeKindFromName(std::string_view name);
/// Dram, Buffer and RegFile: the kinds that store tensors (storage levels).
bool isMemory(NodeKind k);
/// Noc and Dma: the kinds that only move data.
bool isTransport(NodeKind k);

/// The tensors a path carries or a memory holds: the three workload roles plus partial sums read
/// back toward the compute array (read-modify-write of outputs). JSON: "input", "weight",
/// "output", "psum".
enum class Tensor : uint8_t { Input = 0, Weight = 1, Output = 2, Psum = 3, kCount = 4 };
std::string_view tensorName(Tensor t);
std::optional<Tensor> tensorFromName(std::string_view name);
/// The graph tensor of a workload role (Input, Weight, Output).
Tensor fromRole(workload::TensorRole role);

/// A small set of Tensor values (bit set). Default: empty.
class TensorSet {
 public:
  constexpr TensorSet() = default;
  constexpr TensorSet(std::initializer_list<Tensor> ts) {
    for (Tensor t : ts) bits_ |= bit(t);
  }
  static constexpr TensorSet all() { return TensorSet(0xF); }
  constexpr bool has(Tensor t) const { return (bits_ & bit(t)) != 0; }
  constexpr void add(Tensor t) { bits_ |= bit(t); }
  constexpr void remove(Tensor t) { bits_ &= static_cast<uint8_t>(~bit(t)); }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr uint8_t bits() const { return bits_; }
  constexpr TensorSet operator|(TensorSet o) const { return TensorSet(bits_ | o.bits_); }
  constexpr bool operator==(const TensorSet&) const = default;
  /// Members in enum order.
  std::vector<Tensor> list() const;
  /// "input,weight" (enum order), "-" when empty.
  std::string text() const;

 private:
  constexpr explicit TensorSet(int bits) : bits_(static_cast<uint8_t>(bits)) {}
  static constexpr uint8_t bit(Tensor t) { return static_cast<uint8_t>(1u << static_cast<int>(t)); }
  uint8_t bits_ = 0;
};

/// How a compute array reuses data (Chen et al., ISCA'16 taxonomy). JSON spelling in brackets.
enum class Dataflow {
  WeightStationary,  ///< "weight_stationary": weights pinned in PEs (TPU, systolic WS)
  OutputStationary,  ///< "output_stationary": partial sums pinned in PEs (ShiDianNao, systolic OS)
  RowStationary,     ///< "row_stationary": 1-D convolution rows per PE (Eyeriss)
  InputStationary,   ///< "input_stationary": inputs pinned in PEs
  NoLocalReuse,      ///< "no_local_reuse": no PE-local storage (DianNao-style adder tree)
};
std::string_view dataflowName(Dataflow d);
std::optional<Dataflow> dataflowFromName(std::string_view name);

/// A number with where it comes from (paper, datasheet, tool output, or an estimate).
struct SourcedValue {
  double value = 0.0;
  std::string source;  ///< citation, or the reasoning when isEstimate
  bool isEstimate = false;
};

/// One IP instance. Fields that do not apply to a kind stay at their defaults / nullopt.
struct Node {
  NodeId id = kNoNode;               ///< position in the file (nodes()[id])
  std::string name;                  ///< unique within the graph
  NodeKind kind = NodeKind::Buffer;
  std::optional<std::string> ip;     ///< IP library id (ip_library/<ip>.json), if the node names one
  std::string description;
  std::string source;                ///< where this node's numbers come from (paper, datasheet)

  // --- storage (Dram, Buffer, RegFile) ---
  std::optional<int64_t> capacityBytes;  ///< per instance; required for Buffer/RegFile, optional for Dram
  int widthBits = 0;                 ///< access width in bits (memories, Noc, Dma, Vector datapath)
  int instances = 1;                 ///< identical copies (e.g. one register file per PE)
  TensorSet holds;                   ///< tensors this memory keeps; others on its paths bypass it
  bool doubleBuffered = false;       ///< fill of the next tile overlaps use of the current one
  int readPorts = 1;
  int writePorts = 1;
  /// Per-access energy overrides (one access of widthBits), e.g. Timeloop's published table. When
  /// absent the predictor takes the IP library's cost model.
  std::optional<SourcedValue> readEnergyPj;
  std::optional<SourcedValue> writeEnergyPj;

  // --- compute ---
  int rows = 0;                      ///< PE rows (Compute)
  int cols = 0;                      ///< PE columns (Compute)
  std::optional<Dataflow> dataflow;  ///< required for Compute
  int macsPerPe = 1;                 ///< MAC units per PE (Compute)
  std::optional<SourcedValue> macEnergyPj;  ///< per-MAC energy override (Compute)
  /// Energy every PE of the array draws each cycle a layer runs, whatever it computes ("pe_cycle_energy_pj",
  /// pJ per PE per cycle): the clock to its registers, its control, idle logic. Absent: not modelled (0).
  std::optional<SourcedValue> peCycleEnergyPj;
  /// The PEs skip the MAC and the weight read for a zero input ("data_gating", Eyeriss JSSC'17): the
  /// predictor then scales those energies by the layer's fraction of non-zero inputs, when it is given
  /// one (PredictOptions::inputZeroFraction); without one nothing changes.
  bool dataGating = false;
  /// row_stationary only ("pe_sets"): the mapping search keeps Eyeriss's PE sets — whole filter
  /// rows (R) down the PE rows, output rows (P) across the columns, filter columns (S) inside a
  /// PE — replicated over channels, filters and images; no output columns (Q) on the array.
  bool peSets = false;
  /// A fixed spatial mapping ("spatial_mapping"): an instruction-driven overlay (the Xilinx DPU's
  /// pixel x input-channel x output-channel parallelism) unrolls the same dimensions on the array
  /// for every layer; the mapping search and the default mapper then use it instead of choosing.
  std::optional<FixedSpatialMapping> spatialMapping;

  // --- vector ---
  int lanes = 0;                     ///< SIMD lanes (Vector)

  // --- dram, noc, dma ---
  std::optional<double> bandwidthBytesPerCycle;  ///< peak, at the design clock (Dram/Noc/Dma)
  bool multicast = false;            ///< Noc: one read delivered to many destinations

  /// Free-form parameters (IP template parameters, notes); a JSON object, possibly empty.
  io::Json params = io::Json::object();

  bool isMemory() const { return graph::isMemory(kind); }
  int64_t pes() const { return static_cast<int64_t>(rows) * cols; }  ///< Compute: rows x cols
};

/// One data path. Directed: data flows from `from` to `to`.
struct Edge {
  EdgeId id = kNoNode;               ///< position in the file (edges()[id])
  NodeId from = kNoNode;
  NodeId to = kNoNode;
  TensorSet tensors;                 ///< what flows; empty = control/configuration only
  int widthBits = 0;                 ///< wires of the path
  double bytesPerCycle = 0.0;        ///< sustained bandwidth (defaults to widthBits / 8 in JSON)
  bool multicast = false;            ///< one transfer reaches several instances of `to`
  std::string source;                ///< where the numbers come from
};

/// One stage of a layer pipeline (a design with stages): an engine and the workload
/// layers it runs, in order. The layer names refer to the model the design was built for.
struct PipelineStage {
  std::string name;
  NodeId engine = kNoNode;           ///< a Compute node
  std::vector<std::string> layers;   ///< workload layer names this engine runs
};

/// The path one tensor takes between a compute node and off-chip memory.
/// Inputs/weights/psums flow DRAM -> compute, outputs compute -> DRAM; in both cases the lists
/// here are ordered from the compute node outward (innermost first).
/// In a layer pipeline (a design with stages) a stage's input may instead come from an
/// earlier stage: the route then ends at that stage's compute node (a memory fed by an "output"
/// edge of the earlier stage's engine, read by this one over "input" edges), and symmetrically a
/// stage's output may end at a later stage. `endpoint` is the DRAM node, or that neighbouring compute node (viaStage).
/// Psum routes (read-back of partial sums) end at DRAM if reachable, else at the farthest memory.
struct TensorRoute {
  Tensor tensor = Tensor::Input;
  NodeId compute = kNoNode;
  std::vector<NodeId> nodes;   ///< every node after the compute node up to and including endpoint
  std::vector<EdgeId> edges;   ///< edges[i] touches nodes[i] (edges[0] touches the compute node)
  std::vector<NodeId> levels;  ///< the memories in `nodes` that hold the tensor (storage chain)
  NodeId endpoint = kNoNode;   ///< last node: a DRAM, or the neighbouring stage when viaStage
  bool viaStage = false;       ///< the route ends at another compute node (layer pipeline)
  bool found() const { return !nodes.empty(); }
};

class AcceleratorGraph {
 public:
  AcceleratorGraph();
  ~AcceleratorGraph();
  AcceleratorGraph(const AcceleratorGraph& other);
  AcceleratorGraph& operator=(const AcceleratorGraph& other);
  AcceleratorGraph(AcceleratorGraph&&) noexcept;
  AcceleratorGraph& operator=(AcceleratorGraph&&) noexcept;

  // --- design-wide attributes ---
  std::string name;
  std::string description;
  /// The architecture template the design instantiates (JSON "template", e.g. "systolic_ws"):
  /// an id in the template registry (arch::Registry), which knows what the id means.
  std::string templateName = "spatial_array";
  double clockMhz = 0.0;
  int technologyNm = 0;               ///< process node the design is costed at (ASIC figures)
  workload::Precision precision;      ///< operand and accumulator widths, bits
  std::optional<ip::DeviceFamily> family;  ///< intended device family (JSON "asic", "xc7", "xcup", "ice40")
  std::optional<std::string> platform;///< designs/platforms/ name the design targets, if any
  std::optional<std::string> model;   ///< workload the design was built for (pipelines)
  std::vector<std::string> sources;   ///< citations for the design as a whole
  std::vector<PipelineStage> stages;  ///< layer pipelines only, in pipeline order
  io::Json params = io::Json::object();  ///< free-form design parameters
  std::string file;                   ///< the file it was loaded from (diagnostics); may be empty

  // --- building ---
  /// Appends a node; its id is set to the next index and returned. Names are checked by verify().
  NodeId addNode(Node n);
  /// Appends an edge; its id is set and returned. graph.unknown-node if an endpoint is not a node.
  diag::Expected<EdgeId> addEdge(Edge e);

  // --- access (id order) ---
  const std::vector<Node>& nodes() const;
  const std::vector<Edge>& edges() const;
  const Node& node(NodeId id) const;
  /// Mutable access for design-space variants (sizes, widths). Do not change id or name
  /// uniqueness; re-run verify() after edits.
  Node& mutableNode(NodeId id);
  const Edge& edge(EdgeId id) const;
  /// Mutable edge data; `from`, `to` and `id` must not change.
  Edge& mutableEdge(EdgeId id);
  size_t numNodes() const;
  size_t numEdges() const;
  /// The node named `name`, or nullptr.
  const Node* findNode(std::string_view name) const;
  /// Edges leaving / entering a node, in edge-id order.
  std::vector<EdgeId> outEdges(NodeId id) const;
  std::vector<EdgeId> inEdges(NodeId id) const;
  std::vector<NodeId> nodesOfKind(NodeKind kind) const;
  std::vector<NodeId> computeNodes() const;
  std::vector<NodeId> dramNodes() const;
  /// The stage whose engine is `compute`, or nullptr.
  const PipelineStage* stageOf(NodeId compute) const;

  // --- queries for the predictor ---
  /// The path tensor `t` takes between `compute` and a DRAM node: for Input, Weight and Psum
  /// from DRAM to the compute node over edges carrying `t`; for Output from the compute node to
  /// DRAM. The shortest such path (fewest edges; ties: lowest edge ids first); not found() if
  /// there is none.
  TensorRoute route(NodeId compute, Tensor t) const;
  TensorRoute route(NodeId compute, workload::TensorRole role) const;
  /// The memory nodes a tensor passes between the compute node and DRAM, innermost first
  /// (e.g. register file, buffer, DRAM), skipping transport/vector nodes and memories on the path
  /// that do not hold the tensor (bypass). Empty if there is no path.
  std::vector<NodeId> storageChain(NodeId compute, Tensor t) const;
  std::vector<NodeId> storageChain(NodeId compute, workload::TensorRole role) const;
  /// The edges of the shortest directed path from `a` to `b` over edges carrying `t`, in travel
  /// order; if there is none, the path from `b` to `a`. Empty if neither exists or a == b.
  std::vector<EdgeId> linksBetween(NodeId a, NodeId b, Tensor t) const;
  /// The edges of the shortest directed path from `a` to `b` (any tensors), in travel order;
  /// if there is none, from `b` to `a`.
  std::vector<EdgeId> linksBetween(NodeId a, NodeId b) const;
  /// The bottleneck of a path: the minimum of the edges' bytesPerCycle and of the
  /// bandwidthBytesPerCycle of the transport/DRAM nodes the edges pass through (their endpoints).
  /// 0 for an empty list.
  double pathBandwidthBytesPerCycle(const std::vector<EdgeId>& edges) const;

  // --- checking ---
  /// Structural and value checks (see docs/graph.md and docs/diagnostics.md): graph.no-path,
  /// graph.bad-size, graph.dangling, graph.unknown-node, graph.duplicate-name, graph.bad-name,
  /// graph.bad-kind, graph.bad-stage, graph.self-loop, graph.empty, and, when `lib` is given,
  /// ip.unknown, ip.wrong-kind and ip.param-range. `rules` are the design's template's
  /// structural rules (the template registry, arch::verifyDesign, supplies them); null skips the
  /// checks that depend on them (a required dataflow; whether stages are required or allowed).
  /// Returns every problem found, in a deterministic order (empty = valid). Locations are
  /// `file` plus "/nodes/<id>", "/edges/<id>" or "/stages/<i>".
  std::vector<diag::Diagnostic> verify(const ip::IpLibrary* lib, const TemplateRules* rules) const;
  /// The first error of verify(), or success.
  diag::Status check(const ip::IpLibrary* lib, const TemplateRules* rules) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dnnchip::graph
