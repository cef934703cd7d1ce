#pragma once
/// \file
/// A target platform: an FPGA device on a board, or an ASIC budget. Loaded from
/// designs/platforms/<name>.json (format: docs/platforms.md, schema_version 1). Every number in
/// those files carries a source (datasheet table, board manual, paper) or an estimate with its
/// reasoning (ip.unsourced otherwise).
///
/// The struct holds plain numbers only, so search and the predictor can copy it and read it in
/// hot loops.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/io/Json.h"
#include "dnnchip/ip/IpLibrary.h"

namespace dnnchip::platform {

enum class PlatformKind { Fpga, Asic };
std::string_view toString(PlatformKind kind);

/// Resources available on the device (all zero on an ASIC). Xilinx block RAM is counted both ways:
/// `bram36` is the number of RAMB36 sites and `bram18` = 2 * bram36 (each RAMB36 splits into two
/// RAMB18); a design fits when bram18Used + 2 * bram36Used <= bram18.
/// On iCE40 the loader mirrors the native blocks into the generic fields, matching
/// ip::FpgaResources: dsp = sbMac16, bram18 = ebr, uram = spram (bram36 = 0).
struct Resources {
  int64_t dsp = 0;      ///< DSP48E1 / DSP48E2 slices (SB_MAC16 on iCE40)
  int64_t bram18 = 0;   ///< RAMB18 sites (2 per RAMB36)
  int64_t bram36 = 0;   ///< RAMB36 sites
  int64_t uram = 0;     ///< URAM288 blocks
  int64_t lut = 0;      ///< 6-input LUTs (Xilinx) or LUT4 (iCE40)
  int64_t ff = 0;       ///< flip-flops
  int64_t lutramLuts = 0; ///< LUTs that can be distributed RAM (SLICEM LUTs); 0 if not known
  int64_t ebr = 0;      ///< iCE40 4 Kbit embedded block RAMs
  int64_t spram = 0;    ///< iCE40 UltraPlus 256 Kbit single-port RAMs
  int64_t sbMac16 = 0;  ///< iCE40 UltraPlus SB_MAC16 DSP blocks
  int64_t ioPins = 0;   ///< user I/O pins of the device in its package ("io_pins"); 0 if not stated
};

/// Off-chip memory attached to the platform ("dram": null in the file leaves it empty).
struct DramSpec {
  std::string ipId;                    ///< IP id of kind Dram in ip_library/ ("lpddr4", "ddr4", ...)
  double bandwidthBytesPerSec = 0.0;   ///< peak bandwidth available to the accelerator
  double energyPjPerBit = 0.0;         ///< access energy per bit (from the platform file)
  int64_t capacityBytes = 0;           ///< 0 if not stated
};

/// The fabric's path to DRAM ("memory_port" in the file, docs/platforms.md#memory-port): the AXI
/// slave ports the PS or memory controller offers the accelerator and their timing as seen from the
/// port. Absent on a platform without DRAM (iCE40: on-chip SPRAM, timed by the design itself).
struct MemoryPort {
  int ports = 0;                          ///< AXI ports from the fabric to DRAM
  int dataBits = 0;                       ///< data width of one port (bits, power of two, 32..512)
  double maxMhz = 0.0;                    ///< highest clock of the port's fabric side (MHz)
  double readLatencyNs = 0.0;             ///< AR handshake to first R beat, idle memory (ns)
  double writeLatencyNs = 0.0;            ///< last W beat to the B response (ns)
  double sustainedBytesPerSec = 0.0;      ///< bandwidth the fabric sustains, all ports together (B/s)
  int readAcceptance = 0;                 ///< read bursts one port accepts before arready falls
  int writeAcceptance = 0;                ///< write bursts one port accepts before awready falls
  int maxBurstBeats = 0;                  ///< longest burst the port takes (16 on AXI3 ports)

  /// Latency in cycles of a clock of `mhz`: ns x MHz / 1000, rounded up, at least 1.
  static int cycles(double ns, double mhz);
  int readLatencyCycles(double mhz) const { return cycles(readLatencyNs, mhz); }
  int writeLatencyCycles(double mhz) const { return cycles(writeLatencyNs, mhz); }
};

/// The DSP slice's pipeline registers a netlist enables, as far as the clock rule cares
/// (datasheet FMAX rows: all registers, no MREG, pre-adder without ADREG, no MREG nor ADREG).
struct DspRegisters {
  bool mreg = true;     ///< the multiplier register
  bool preadd = false;  ///< the pre-adder is used (AMULTSEL = AD / USE_DPORT)
  bool adreg = true;    ///< the pre-adder's register (matters only with preadd)
};

/// The clock proxy's rule on an FPGA without place and route (docs/timing.md, "clock" ->
/// "logic_levels" and "primitive_fmax_mhz" in the platform file): a clock is supported when the
/// deepest register-to-register path of the synthesized netlist fits the level budget of its
/// period and no primitive runs above its datasheet FMAX in the configuration the netlist uses.
struct ClockRule {
  double nsPerLevel = 0.0;        ///< LUT+net delay budget per logic level (report_failfast)
  double uncertaintyNs = 0.0;     ///< clock uncertainty taken off the period
  int dspUnregisteredLevels = 0;  ///< levels a DSP48's unregistered pre-add/multiply/add costs
  double clockTreeMhz = 0.0;      ///< global clock buffer FMAX
  double dspAllRegistersMhz = 0.0;
  double dspNoMregMhz = 0.0;
  double dspPreaddNoAdregMhz = 0.0;
  double dspNoPipelineMhz = 0.0;  ///< no MREG and no ADREG (pre-adder in use)
  double bramMhz = 0.0;           ///< block RAM FMAX (the slower read mode)

  /// Logic levels a path may have at `mhz`: floor((1000/mhz - uncertainty) / nsPerLevel).
  int levelBudget(double mhz) const;
  /// FMAX of a DSP slice with these registers.
  double dspFmaxMhz(const DspRegisters& r) const;
};

struct Clock {
  double defaultMhz = 0.0;  ///< clock the flow uses unless told otherwise
  double maxMhz = 0.0;      ///< highest clock a design may request
  /// Clocks the board can give the fabric ("pl_clocks_mhz"), ascending; the search picks among
  /// them. Empty: only the default.
  std::vector<double> candidatesMhz;
  std::optional<ClockRule> rule;  ///< the level rule (FPGA families with a Yosys flow)

  /// The highest candidate (or the default when there are none) at or below maxMhz whose level
  /// budget holds `levels` and that no listed primitive limit forbids; 0 if none.
  double supportedMhz(int levels, const std::vector<DspRegisters>& dsps, bool usesBram) const;
};

struct Budgets {
  double powerMw = 0.0;                   ///< power budget of the accelerator (0: none stated)
  std::optional<double> areaMm2;          ///< ASIC: die/core area budget
  std::optional<int64_t> onChipSramBytes; ///< ASIC: on-chip SRAM budget, if the platform sets one
};

struct Platform {
  std::string name;               ///< file stem
  std::string description;
  PlatformKind kind = PlatformKind::Fpga;
  ip::DeviceFamily family = ip::DeviceFamily::Asic;  ///< picks the FPGA mapping and Yosys flow
  std::string device;             ///< part string ("xczu3eg-sbva484-1-e", "iCE40UP5K-SG48", ...)
  std::string board;              ///< board name, empty for ASIC
  Resources resources;
  DramSpec dram;
  std::optional<MemoryPort> memoryPort;  ///< the fabric's AXI path to DRAM, when the file gives it
  /// IP id of the on-chip memory a design's buffers take on this platform when the search does
  /// not choose one and the design's own buffer IP does not exist on the device ("buffer_ip";
  /// iCE40: "ice40_ebr"). Unset: the search takes the first on-chip memory IP of the family.
  std::optional<std::string> bufferIp;
  Clock clock;
  Budgets budgets;
  int technologyNm = 0;           ///< process node (FPGA: the device's process; ASIC: target)
  std::string file;               ///< path it was loaded from

  bool isFpga() const { return kind == PlatformKind::Fpga; }
  /// False when the platform has no off-chip DRAM (iCE40 UP5K): everything must fit on chip.
  bool hasDram() const { return !dram.ipId.empty(); }
  /// ip::CostTarget for this platform (technology and family).
  ip::CostTarget costTarget() const { return {technologyNm, family}; }
};

/// Reads a platform file (io.*, json.*, value.range, ip.unsourced, platform.* diagnostics).
diag::Expected<Platform> loadPlatform(const std::filesystem::path& path);
/// Parses a platform already in memory; `file` names it in diagnostics (its stem is the name).
diag::Expected<Platform> parsePlatform(const io::Json& json, const std::string& file);
/// A built-in name (designs/platforms/<name>.json) or a path (lib.unknown-name if neither).
diag::Expected<Platform> loadPlatformByName(std::string_view nameOrPath);
/// Built-in platform names, sorted.
std::vector<std::string> builtinPlatforms();

/// Cross-checks a platform against the IP library: its DRAM names an IP of kind Dram and its
/// buffer IP an on-chip memory (ip.unknown / ip.wrong-kind), its technology node is in
/// technology.json (ip.no-technology).
diag::Status checkAgainstLibrary(const Platform& p, const ip::IpLibrary& lib);

}  // namespace dnnchip::platform
