#pragma once
/// \file
/// The design space the Chip Builder explores, separate from the algorithms: architecture
/// templates (each a reference design under designs/accelerators/ it varies), MAC IPs, the memory
/// IP of the on-chip buffers, the compute-array shape, the buffer sizes and the memory system (AXI
/// data width and bursts in flight, within the platform's memory port) and, for a model with
/// depthwise layers on an FPGA that can hold it, whether the engine builds its depthwise unit. A
/// point is a
/// mixed-radix index over those axes (its id is stable: the same constraint file always gives
/// the same ids); instantiate() builds and verifies its accelerator graph for the platform
/// (clock, DRAM, device family, precision). Per-layer mappings are searched separately
/// (MappingSpace.h).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dnnchip/arch/Template.h"
#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/graph/AcceleratorGraph.h"
#include "dnnchip/ip/IpLibrary.h"
#include "dnnchip/platform/Platform.h"
#include "dnnchip/search/ClockCharacterization.h"
#include "dnnchip/search/Constraints.h"
#include "dnnchip/workload/Model.h"

namespace dnnchip::search {

/// A reference design a template is instantiated from (arch::SearchSpec::bases).
struct TemplateBase {
  const arch::Template* tmpl = nullptr;  ///< its template (owned by the built-in registry)
  std::string family;    ///< the constraint files' template name ("systolic")
  std::string dataflow;  ///< the constraint files' dataflow name ("ws")
  std::string design;    ///< designs/accelerators/<design>.json
  bool rtl = false;      ///< the code generator can emit it (its template has an engine)
  graph::AcceleratorGraph graph;
  /// rtl bases: the graph node the engine's activation buffer maps to, and the engine's ACT_DEPTH
  /// as a fraction of the largest power of two of ROWS-byte words that node holds (1/2 for a
  /// double-banked WS buffer), from the engine's own mapping of `graph`; DesignSpace::actDepth
  /// applies it to a point's scaled buffer.
  graph::NodeId actBuffer = -1, computeNode = -1;  ///< -1: not known
  int actDivisor = 1;
};

struct ArrayShape {
  int rows = 0, cols = 0;
};

/// A stage of the layer-pipeline template: consecutive layers of the model on one engine.
struct PipelineStagePlan {
  std::string name;                 ///< "s0", "s1", ...
  std::vector<std::string> layers;  ///< model layer names, in order
  int first = -1;                   ///< model index of the stage's first compute layer
  int64_t macs = 0;                 ///< MACs of the stage's compute layers (one inference)
};

struct DesignPoint {
  uint64_t id = 0;
  int base = 0;     ///< index into bases()
  int mac = 0;      ///< index into macIps()
  int memory = 0;   ///< index into memoryIps() (FPGA buffers), 0 = the base's own on ASICs
  int shape = 0;    ///< index into shapes()
  int buffer = 0;   ///< index into bufferScales()
  int port = 0;     ///< index into portBits()
  int bursts = 0;   ///< index into burstsInFlight()
  int dwUnit = 0;   ///< index into depthwiseUnits() (ids without it are unchanged)
  int act = 0;      ///< index into inputBufferScales() (the slowest axis: ids without it are unchanged)
};

class DesignSpace {
 public:
  /// Builds the space for a platform under constraints. `rtlOnly` keeps to the templates and
  /// MAC IPs the code generator can emit. The layer-pipeline template needs `model` (its stages
  /// are the model's layers) and is left out without it. Diagnostics: lib.unknown-name / graph.*
  /// if a reference design cannot be loaded; search.empty-space if nothing is left to explore.
  /// Ownership: the space keeps copies of the platform and the model; it refers to `lib`, which
  /// must outlive it (instantiate() checks designs against it), so a temporary library is
  /// rejected at compile time.
  static diag::Expected<DesignSpace> create(const Constraints& c, const platform::Platform& p,
                                            const ip::IpLibrary& lib, bool rtlOnly,
                                            const workload::Model* model = nullptr);
  static diag::Expected<DesignSpace> create(const Constraints& c, const platform::Platform& p,
                                            const ip::IpLibrary&& lib, bool rtlOnly,
                                            const workload::Model* model = nullptr) = delete;

  uint64_t size() const;
  /// The point with this id (id < size()).
  DesignPoint point(uint64_t id) const;
  /// check(): indices in range and id consistent.
  bool check(const DesignPoint& p) const;
  /// The verified graph of a point (graph.*, ip.* diagnostics when a combination is illegal).
  diag::Expected<graph::AcceleratorGraph> instantiate(const DesignPoint& p) const;
  /// "systolic/ws mac_int8 bram36 16x16 buf x2".
  std::string describe(const DesignPoint& p) const;
  /// A cheap upper bound of the MAC units a point instantiates (for pruning before prediction).
  int64_t macUnits(const DesignPoint& p) const;
  /// The ACT_DEPTH of the engine point `p` builds (0 where the base's buffer is not known): the
  /// clock characterization's key, since a deeper buffer widens the DMA's gather counts.
  int actDepth(const DesignPoint& p) const;

  const std::vector<TemplateBase>& bases() const { return bases_; }
  const std::vector<std::string>& macIps() const { return macs_; }
  const std::vector<std::string>& memoryIps() const { return memories_; }
  const std::vector<ArrayShape>& shapes() const { return shapes_; }
  const std::vector<double>& bufferScales() const { return scales_; }
  /// AXI data widths of the DMA (bits): every power of two from 32 to the platform's
  /// memory_port.data_bits (at most 512, the DMA's limit); {0} = the base design's own width
  /// (a platform without a memory port: iCE40, ASIC).
  const std::vector<int>& portBits() const { return portBits_; }
  /// Bursts the DMA keeps in flight each way, largest first: the port's acceptance (at most the
  /// DMA's 16) then the powers of two below it; {0} = the engine's default (no memory port).
  /// Templates without an RTL engine take only the first (their model has no bursts).
  const std::vector<int>& burstsInFlight() const { return bursts_; }
  /// Whether the generated engine builds its depthwise unit (design param "depthwise_unit",
  /// docs/engine.md#depthwise-unit-dw_unit): {false, true} for a model with a depthwise layer on
  /// an FPGA family other than iCE40 (the unit costs logic the iCE40 engine has no room for, and
  /// an ASIC's library prices no area for it), else {false}. Points with the unit on a template
  /// without an RTL engine are search.axis-unused (they repeat the point without it).
  const std::vector<bool>& depthwiseUnits() const { return dwUnits_; }
  /// The generated engine's input (activation staging) buffer over the buffer scale's size:
  /// {1, 2, 4} on an FPGA family other than iCE40 (a deeper ACT_DEPTH holds more output rows
  /// of a tile, so fewer tiles re-gather the filter's halo rows and 3x3 layers on large maps are
  /// less DMA-bound, for a few block RAMs), else {1}. Points with a factor above 1 on a template
  /// without an RTL engine are search.axis-unused (they repeat the point with 1).
  const std::vector<int>& inputBufferScales() const { return actScales_; }
  /// log2 of the unit's row slot the points with the unit take ("depthwise_line_bits"): the
  /// smallest (at least 3) whose slot is wider than the model's widest depthwise input row.
  int depthwiseLineBits() const { return dwLineBits_; }
  /// Layer-pipeline stages (empty when the template is not in the space).
  const std::vector<PipelineStagePlan>& pipelineStages() const { return stages_; }
  /// Layer pipeline: the array shape of every stage for a point's PE budget (rows x cols of the
  /// point's shape), shared so that the stages' ideal compute times are as even as whole
  /// columns allow. Empty when the budget is below one PE per stage.
  std::vector<ArrayShape> pipelineArrays(const ArrayShape& budget) const;
  const platform::Platform& platform() const { return platform_; }
  /// The clock the space starts from: the constraints' clock_mhz, else the platform's default.
  double clockMhz() const { return clockMhz_; }
  /// The clock a point runs at (docs/timing.md#the-search): with the constraints leaving the clock
  /// free on a platform with a clock rule, the highest PL clock the measured logic depth of the
  /// point's engine configuration (ClockCharacterization) supports; otherwise clockMhz().
  double clockMhz(const DesignPoint& p) const;
  double dramBytesPerSecond() const { return dramBytesPerSecond_; }
  /// The vector unit's requantization operand (design param "requant_operand_bits") that engine
  /// points take where the narrow operand saves DSPs (the vector IP has a "_rq27" figure for the
  /// platform's family): 27 once the explorer has checked the model's quantization against the
  /// rule (schedule::narrowRequantRefusal), else 32, the base design's.
  void setRequantOperandBits(int bits) { requantBits_ = bits; }
  int requantOperandBits() const { return requantBits_; }

 private:
  std::vector<TemplateBase> bases_;
  std::vector<std::string> macs_, memories_;
  std::string bufferIp_;  ///< the platform's buffer IP (Platform::bufferIp or the family's first)
  std::vector<ArrayShape> shapes_;
  std::vector<double> scales_;
  std::vector<int> portBits_, bursts_;
  std::vector<bool> dwUnits_{false};
  std::vector<int> actScales_{1};
  int dwLineBits_ = 7;
  std::vector<PipelineStagePlan> stages_;
  std::optional<workload::Model> model_;  ///< a copy: the pipeline's stages are planned from it
  platform::Platform platform_;
  const ip::IpLibrary* lib_ = nullptr;    ///< not owned: create()'s caller keeps it alive
  workload::Precision precision_;
  double clockMhz_ = 0, dramBytesPerSecond_ = 0;
  int requantBits_ = 32;
  std::optional<ClockCharacterization> clockChar_;  ///< set when the clock is a search axis
  EngineUnits modelUnits_;  ///< the optional units the model's layers may build (engineUnitsOf)

  diag::Expected<graph::AcceleratorGraph> instantiatePipeline(const DesignPoint& p) const;
  void stampPlatform(graph::AcceleratorGraph& g, const DesignPoint& p) const;
  void setPortWidth(graph::AcceleratorGraph& g, const DesignPoint& p) const;
  bool narrowRequantSaves(const graph::AcceleratorGraph& g) const;
  bool weightSkewPays(const graph::AcceleratorGraph& g, int rows, int cols) const;
  /// The factor instantiate() scales buffer `n` of the base by for point `p` (`pe`: the base's
  /// compute node).
  double bufferRatio(const graph::Node& n, const graph::Node& pe, const DesignPoint& p) const;
};

}  // namespace dnnchip::search
