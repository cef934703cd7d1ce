#pragma once
/// \file
/// Reading synthesis and place-and-route results: the cell counts of Yosys `stat` mapped onto FPGA
/// resources (LUT, FF, DSP, BRAM) per device family, latch detection, and nextpnr-ice40's timing
/// and utilization lines.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace dnnchip::sim {

/// FPGA resources counted from a Yosys `stat` cell list.
struct SynthResources {
  int64_t luts = 0;        ///< logic LUTs (LUT1..LUT6, SB_LUT4)
  int64_t lutRams = 0;     ///< LUT-RAM / SRL cells (RAM32M, RAM64X1D, SRL16E, ...)
  int64_t ffs = 0;         ///< flip-flops (FD*E, SB_DFF*)
  int64_t dsps = 0;        ///< DSP48E1, DSP48E2, SB_MAC16
  int64_t bram18 = 0;      ///< RAMB18E1/E2 (Xilinx, 18 Kbit)
  int64_t bram36 = 0;      ///< RAMB36E1/E2 (Xilinx, 36 Kbit)
  int64_t ice40Ebr = 0;    ///< SB_RAM40_4K (iCE40, 4 Kbit)
  int64_t ice40Spram = 0;  ///< SB_SPRAM256KA
  int64_t uram = 0;        ///< URAM288
  int64_t carries = 0;     ///< CARRY4, CARRY8, SB_CARRY
  int64_t latches = 0;     ///< LDCE, LDPE, $_DLATCH_*, $dlatch (must be 0 for generated RTL)
  int64_t cells = 0;       ///< all cells
  std::map<std::string, int64_t> cellCounts;  ///< every cell type of the last stat block
  /// BRAM in 18 Kbit units (Xilinx) for comparison with the predictor.
  int64_t bram18Equivalent() const { return bram18 + 2 * bram36; }
};

/// Parses the last cell list of a Yosys log (the `stat` after synthesis). nullopt if the log has
/// no "Number of cells" block.
std::optional<SynthResources> parseYosysStat(std::string_view log);

/// True if the log reports an inferred latch (proc_dlatch: "Latch inferred for signal").
bool yosysReportsLatch(std::string_view log);

/// Timing and utilization from nextpnr-ice40.
struct PnrReport {
  std::optional<double> fmaxMhz;       ///< the last "Max frequency for clock" (after routing)
  std::optional<double> targetMhz;     ///< the constraint it was checked against
  bool timingPass = false;
  int64_t logicCells = 0;              ///< ICESTORM_LC used
  int64_t logicCellsAvailable = 0;
  int64_t rams = 0;                    ///< ICESTORM_RAM used
  int64_t dsps = 0;                    ///< ICESTORM_DSP used
  int64_t ios = 0;                     ///< SB_IO used (package pins)
};

/// Parses a nextpnr-ice40 log; fmaxMhz stays empty if the log has no timing line.
PnrReport parseNextpnrLog(std::string_view log);

}  // namespace dnnchip::sim
