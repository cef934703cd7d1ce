#pragma once
/// \file
/// The IP library: one JSON file per IP under ip_library/ (format: docs/ip_library.md), plus
/// ip_library/technology.json with the energy/area scaling factors between technology nodes.
/// Every number in those files carries a source or an estimate with its reasoning; the loader
/// rejects a bare number (ip.unsourced).
///
/// Use: load the library once, then resolve the costs of each IP instance of a design ONCE into
/// the plain structs below (MacCost, MemoryCost, ...). Those structs hold only numbers, so the
/// predictor's inner loop over mappings reads them without allocating or looking anything up.
/// The cost functions are pure and cheap (a few pow/log calls) but do not belong in a hot loop.
///
/// No IP numbers live in C++: every value comes from the JSON.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/io/Json.h"

namespace dnnchip::ip {

/// What an IP is. JSON spelling in brackets (the "kind" field).
enum class IpKind {
  Mac,         ///< "mac": one multiply-accumulate unit of a given precision
  RegFile,     ///< "regfile": a small register file / scratchpad (ASIC)
  Sram,        ///< "sram": an on-chip SRAM macro whose cost scales with capacity and width (ASIC)
  Bram18,      ///< "bram18": Xilinx RAMB18 (18 Kbit)
  Bram36,      ///< "bram36": Xilinx RAMB36 (36 Kbit)
  Uram,        ///< "uram": Xilinx UltraRAM (288 Kbit, 72-bit)
  LutRam,      ///< "lutram": Xilinx distributed RAM in SLICEM LUTs (64 bits per LUT)
  Ice40Ebr,    ///< "ice40_ebr": iCE40 embedded block RAM (4 Kbit)
  Ice40Spram,  ///< "ice40_spram": iCE40 UltraPlus single-port RAM (256 Kbit)
  Dram,        ///< "dram": off-chip memory (DDR3, DDR4, LPDDR4, HBM2)
  Noc,         ///< "noc": on-chip network or bus link
  Dma,         ///< "dma": DMA engine between DRAM and on-chip buffers
  Vector,      ///< "vector": SIMD vector unit for pooling, activations, elementwise ops
  Controller,  ///< "controller": sequencer that steps the loop nest / tile program
};

/// JSON spelling of a kind ("mac", "bram18", ...).
std::string_view toString(IpKind kind);
/// Parses a JSON kind spelling; nullopt if unknown.
std::optional<IpKind> parseIpKind(std::string_view text);
/// True for kinds that memoryCost() accepts (RegFile, Sram, Bram18, Bram36, Uram, LutRam,
/// Ice40Ebr, Ice40Spram).
bool isOnChipMemory(IpKind kind);

/// The device family a cost is resolved for. FPGA families pick the FPGA mapping of an IP
/// (DSP48E1 on Xc7, DSP48E2 on XcUp, SB_MAC16 on Ice40); Asic uses energy/area at a node.
enum class DeviceFamily {
  Asic,   ///< "asic"
  Xc7,    ///< "xc7": Xilinx 7-series (Zynq-7000): DSP48E1, RAMB18E1/RAMB36E1
  XcUp,   ///< "xcup": Xilinx UltraScale+ (Zynq UltraScale+): DSP48E2, RAMB18E2/36E2, URAM288
  Ice40,  ///< "ice40": Lattice iCE40 UltraPlus: SB_MAC16, EBR (SB_RAM40_4K), SPRAM
};
std::string_view toString(DeviceFamily family);
std::optional<DeviceFamily> parseDeviceFamily(std::string_view text);

/// What a cost is resolved for: the technology node (energy and area scaling; used for ASIC
/// figures and, for FPGA, only for the ASIC-equivalent energy estimate) and the device family.
/// How a MAC is built on an FPGA: Auto uses the family's DSP block when the IP maps to one
/// (DSP48E1, DSP48E2, SB_MAC16), Lut forces LUT/carry-chain multipliers.
enum class MacImpl { Auto, Dsp, Lut };

struct CostTarget {
  int technologyNm = 45;                     ///< must be a node listed in technology.json
  DeviceFamily family = DeviceFamily::Asic;
  MacImpl macImpl = MacImpl::Auto;           ///< FPGA only
};

/// One number as written in the JSON, with its origin. Kept for `lib show` and the docs.
struct SourcedNumber {
  std::string pointer;   ///< JSON pointer inside the IP file, e.g. "/cost/energy_pj_per_op"
  double value = 0.0;
  std::string unit;      ///< as written ("pJ", "um2", "bits", ...); may be empty
  std::string origin;    ///< the "source" text, or the "estimate" reasoning
  bool isEstimate = false;
};

/// A parameter and its legal range (e.g. width_bits, capacity_bytes, ports, lanes).
struct ParamRange {
  std::string name;
  double min = 0.0;
  double max = 0.0;
  double defaultValue = 0.0;
  std::string unit;
};

/// FPGA resources (per MAC for MacCost, per instance otherwise). Fractional DSP counts are
/// meaningful per MAC (0.5 = two int8 MACs packed into one DSP48E2); round up per instance.
struct FpgaResources {
  double dsp = 0.0;        ///< DSP48E1/DSP48E2 slices, or SB_MAC16 blocks on iCE40
  double bram18 = 0.0;     ///< RAMB18 (or iCE40 EBR when the family is Ice40)
  double bram36 = 0.0;     ///< RAMB36
  double uram = 0.0;       ///< URAM288 (or iCE40 SPRAM when the family is Ice40)
  double lutramLuts = 0.0; ///< LUTs used as distributed RAM (SLICEM)
  double lut = 0.0;        ///< logic LUTs
  double ff = 0.0;         ///< flip-flops
};

/// Cost of one MAC of an IP of kind Mac at an operand width.
struct MacCost {
  double energyPjPerOp = 0.0;  ///< one multiply + accumulate, at CostTarget::technologyNm
                               ///< (times technology.json's FPGA/ASIC factor on FPGA families)
  double areaUm2 = 0.0;        ///< one MAC unit, at CostTarget::technologyNm (0 on FPGA families)
  FpgaResources fpga;          ///< per MAC on CostTarget::family (zero for Asic)
  int latencyCycles = 1;       ///< pipeline depth
  int initiationInterval = 1;  ///< cycles between independent operations
  double fmaxMhz = 0.0;        ///< max clock of the unit on this family/node (0 if not known)
  bool supported = true;       ///< false if the IP has no mapping on this family
};

/// Cost of one on-chip memory instance of a given capacity and width.
struct MemoryCost {
  double readEnergyPj = 0.0;      ///< one read access of widthBits
  double writeEnergyPj = 0.0;     ///< one write access of widthBits
  double leakageMw = 0.0;         ///< static power of the instance (ASIC sram/regfile only)
  double areaUm2 = 0.0;           ///< ASIC area of the instance (0 for FPGA primitives)
  FpgaResources fpga;             ///< primitives used (ceil over the best legal aspect ratio)
  int readLatencyCycles = 1;
  int ports = 1;                  ///< independent ports of the primitive/macro
  bool supported = true;          ///< false if the primitive does not exist on the family
};

/// Off-chip memory per channel.
struct DramCost {
  double energyPjPerBit = 0.0;         ///< access energy per bit transferred (incl. I/O)
  double bandwidthBytesPerSec = 0.0;   ///< peak bandwidth of one channel
  double readLatencyNs = 0.0;          ///< typical access latency (0 if not known)
};

/// On-chip network / bus link of a given width.
struct LinkCost {
  double energyPjPerBitHop = 0.0;  ///< moving one bit over one hop (router + wire)
  double areaUm2 = 0.0;            ///< one router/bus segment of widthBits
  FpgaResources fpga;              ///< one router/bus segment of widthBits
  int latencyCyclesPerHop = 1;
};

/// DMA engine.
struct DmaCost {
  double setupCycles = 0.0;        ///< cycles to start one burst/descriptor
  double energyPjPerBit = 0.0;     ///< on-chip energy of moving a bit through the engine
  double areaUm2 = 0.0;
  FpgaResources fpga;
  int maxBurstBytes = 0;           ///< longest burst (AXI4: 256 beats x width)
};

/// Vector unit with `lanes` lanes of `bits`-bit elements.
struct VectorCost {
  double energyPjPerLaneOp = 0.0;  ///< one elementwise op in one lane
  double areaUm2 = 0.0;            ///< whole unit
  FpgaResources fpga;              ///< whole unit
  int latencyCycles = 1;
  double fmaxMhz = 0.0;
};

/// Controller / sequencer.
struct ControllerCost {
  double perTileOverheadCycles = 0.0;  ///< cycles lost between tiles (loop bookkeeping, handshakes)
  double perLayerOverheadCycles = 0.0; ///< cycles to configure a layer
  double energyPjPerCycle = 0.0;       ///< dynamic energy while running
  double areaUm2 = 0.0;
  FpgaResources fpga;
};

/// One IP as loaded from ip_library/<id>.json. The cost model data are kept in `model`
/// (a parsed copy of the "cost" object, already validated); use the cost functions below.
struct IpEntry {
  std::string id;                          ///< file stem
  IpKind kind = IpKind::Mac;
  std::string description;
  std::string file;                        ///< path it was loaded from (diagnostics)
  std::optional<std::string> templateFile; ///< Verilog template under templates/, e.g. "mac_pe.v"
  int referenceTechnologyNm = 0;           ///< node the ASIC numbers are given at (0: FPGA-only)
  std::vector<ParamRange> params;
  std::vector<SourcedNumber> numbers;      ///< every number in the file, with its origin
  io::Json model;                          ///< the validated "cost" object
  io::Json rtl;                            ///< validated "rtl": {family: Yosys figures of the template}, or null

  /// The range of a parameter, nullptr if the IP has no such parameter.
  const ParamRange* findParam(std::string_view name) const;
  /// ip.param-range if `value` lies outside the legal range, ip.unknown-param if no such
  /// parameter.
  diag::Status checkParam(std::string_view name, double value) const;
  /// Default value of a parameter (nullopt if none).
  std::optional<double> defaultParam(std::string_view name) const;
};

/// Energy and area scaling between technology nodes (ip_library/technology.json).
struct TechnologyNode {
  int nm = 0;
  double energyFactor = 1.0;   ///< energy at this node / energy at the 45 nm reference
  double areaFactor = 1.0;     ///< area at this node / area at the 45 nm reference
  double nominalVdd = 0.0;     ///< volts
};

class IpLibrary {
 public:
  /// Reads every *.json under `dir` (technology.json is the scaling table, the rest are IPs),
  /// validates them and returns the library. Diagnostics: io.*, json.*, value.range, ip.*
  /// (ip.unsourced, ip.unknown-kind, ip.bad-model, ip.bad-template, ip.id-mismatch,
  /// ip.no-technology), each with the file and JSON pointer. Only the folder's top level is read.
  static diag::Expected<IpLibrary> load(const std::filesystem::path& dir);
  /// load(io::dataRoot() / "ip_library").
  static diag::Expected<IpLibrary> loadDefault();

  /// The IP with this id, nullptr if none.
  const IpEntry* find(std::string_view id) const;
  /// The IP with this id or ip.unknown (listing the closest ids), and ip.wrong-kind if `kind`
  /// is given and does not match.
  diag::Expected<const IpEntry*> get(std::string_view id,
                                     std::optional<IpKind> kind = std::nullopt) const;
  /// All ids, sorted.
  std::vector<std::string> ids() const;
  /// Ids of one kind, sorted.
  std::vector<std::string> idsOfKind(IpKind kind) const;
  /// The ip.unknown diagnostic for `id` (lists close names); `where` locates the reference.
  diag::Diagnostic unknownIp(std::string_view id, diag::Location where = {}) const;

  /// Technology scaling. ip.no-technology if the node is not in technology.json.
  diag::Expected<TechnologyNode> technology(int nm) const;
  /// Nodes listed in technology.json, ascending.
  std::vector<int> technologyNodes() const;

  /// Cost of one MAC at `bits` operand width (must be within the IP's width_bits range:
  /// ip.param-range) for `target`. ip.wrong-kind if the IP is not a Mac.
  diag::Expected<MacCost> macCost(const IpEntry& ip, int bits, const CostTarget& target) const;
  /// Cost of one memory instance of `capacityBytes` accessed `widthBits` wide.
  diag::Expected<MemoryCost> memoryCost(const IpEntry& ip, int64_t capacityBytes, int widthBits,
                                        const CostTarget& target) const;
  diag::Expected<DramCost> dramCost(const IpEntry& ip) const;
  diag::Expected<LinkCost> linkCost(const IpEntry& ip, int widthBits, const CostTarget& target) const;
  diag::Expected<DmaCost> dmaCost(const IpEntry& ip, int widthBits, const CostTarget& target) const;
  diag::Expected<VectorCost> vectorCost(const IpEntry& ip, int lanes, int bits,
                                        const CostTarget& target) const;
  diag::Expected<ControllerCost> controllerCost(const IpEntry& ip, const CostTarget& target) const;
  /// FPGA resources of the IP's Verilog template as Yosys maps it (the IP's "rtl" figures for the
  /// family): fixed part + per-unit part x `units` (MACs of a compute array, lanes of a vector
  /// unit, data bits of a DMA; a controller has no per-unit part). Figures whose name ends in
  /// "_ws" or "_os" count only for that `dataflow` ("ws" or "os"), figures ending in "_fused_add"
  /// only with `fusedAdd` (the engine's residual_add, FUSE_ADD), figures ending in "_pool_unit" only
  /// with `poolUnit` (the engine's pool_unit, POOL_DEPTH > 0); with `requantBits` 27 a figure
  /// ending in "_rq27" replaces the figure of the same name without it (the vector unit's RQ_W),
  /// else it is ignored; figures ending in "_mul_unit" count only with `mulUnit` (residual_add's
  /// multiply mode, MUL = 1, built when the program has an elementwise Mul), figures ending in
  /// "_dw_unit" only with `dwUnit` (the depthwise unit, DW = 1), figures ending in "_softmax_unit"
  /// only with `softmaxUnit` (softmax_unit, SOFTMAX = 1, built when the program has a softmax;
  /// its per-lane figures count min(ROWS, COLS) lanes, which the caller passes); with `lutMult` a
  /// figure ending in "_rqlut" replaces the figure of the same name without it and its "_rq27" form
  /// (the vector unit's multiplier in fabric, RQ_LUT), else it is ignored; figures ending in "_wskew"
  /// count only with `weightSkew` (the WS array's skewed weight loads, WSKEW = 1: their delay lines
  /// are added to the array's figures). nullopt when the IP has no
  /// figures for the family. Used for designs the code generator emits (docs/ip_library.md#rtl).
  std::optional<FpgaResources> rtlFpga(const IpEntry& ip, DeviceFamily family, double units,
                                       std::string_view dataflow, bool fusedAdd = false,
                                       bool poolUnit = false, int requantBits = 32, bool mulUnit = false,
                                       bool dwUnit = false, bool lutMult = false, bool softmaxUnit = false,
                                       bool weightSkew = false) const;

  const std::filesystem::path& directory() const { return dir_; }

 private:
  /// Energy multiplier from the IP's reference node to `target` (node ratio, times the family's
  /// FPGA/ASIC factor on FPGA families), and the area multiplier (ASIC only).
  diag::Expected<double> energyScale(const IpEntry& ip, const CostTarget& target) const;
  diag::Expected<double> areaScale(const IpEntry& ip, const CostTarget& target) const;

  std::filesystem::path dir_;
  std::map<std::string, IpEntry, std::less<>> entries_;
  std::map<int, TechnologyNode> tech_;
  std::map<DeviceFamily, double> fpgaEnergyFactor_;  ///< FPGA/ASIC energy ratio per family
};

/// Parses one IP file already in memory (used by load() and tests); `file` names it in
/// diagnostics and its stem must equal the id.
diag::Expected<IpEntry> parseIpEntry(const io::Json& json, const std::string& file);

}  // namespace dnnchip::ip
