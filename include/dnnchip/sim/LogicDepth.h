#pragma once
/// \file
/// The clock proxy on Xilinx: the deepest register-to-register path of a Yosys netlist after
/// synth_xilinx, in logic levels counted the way Xilinx's report_failfast budgets a path
/// (docs/timing.md). Placement and routing are not modelled: it is a proxy, not timing closure.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/io/Json.h"
#include "dnnchip/platform/Platform.h"

namespace dnnchip::sim {

/// One end of a path: a cell pin or a top-level port bit.
struct PathEnd {
  std::string cell;    ///< cell name in the flattened netlist ("" for a port)
  std::string type;    ///< primitive (FDRE, DSP48E2, RAMB18E2, ...) or "port"
  std::string pin;     ///< pin name (D, CE, A[3], ...) or the port name
  std::string signal;  ///< the nearest named net (e.g. "engine.u_vec.acc_q [7]")
  std::string module;  ///< the instance path the signal belongs to ("engine.u_vec"), "" at the top
};

/// One path with its level count and what it goes through.
struct LogicPath {
  int levels = 0;      ///< report_failfast levels: LUTs + carry runs + start/end penalties
  int luts = 0;        ///< LUT1..LUT6 (and LUT-RAM reads) on the path
  int carryRuns = 0;   ///< runs of consecutive CARRY4/CARRY8 cells (each counts one level)
  int carryCells = 0;  ///< CARRY4/CARRY8 cells on the path
  int muxes = 0;       ///< MUXF7/F8/F9 on the path (inside the slice: not a level)
  int dsps = 0;        ///< DSP48 slices without PREG/MREG passed through (dspLevels each)
  PathEnd start, end;
  std::vector<std::string> cells;  ///< the combinational cells from start to end, in order (types)
};

/// Internal pipeline registers of the DSP slices of the netlist, counted per configuration.
struct DspConfig {
  std::string type;  ///< DSP48E1 or DSP48E2
  int areg = 0, breg = 0, mreg = 0, preg = 0, adreg = 0;
  bool preadd = false;  ///< the pre-adder feeds the multiplier (AMULTSEL = AD, USE_DPORT = TRUE)
  bool operator<(const DspConfig& o) const;
};

struct LogicDepthReport {
  LogicPath worst;               ///< deepest register-to-register path (cells and ports excluded)
  LogicPath worstIo;             ///< deepest path that starts or ends at a top-level port
  int64_t endpoints = 0;         ///< sequential input pins analysed
  int threshold = 0;             ///< level count pathsAbove counts from
  int64_t endpointsAbove = 0;    ///< register endpoints whose deepest path has > threshold levels
  /// Deepest register path ending in each module (the first two levels of the instance path).
  std::map<std::string, LogicPath> worstPerModule;
  std::map<DspConfig, int64_t> dsps;          ///< DSP count per register configuration
  int64_t bramsWithoutOutputReg = 0;          ///< RAMB* with DOA_REG = DOB_REG = 0
  int64_t brams = 0;
  std::vector<std::string> unknownCellTypes;  ///< types treated as boundaries (sorted)
};

/// Analyses a flattened Yosys JSON netlist (write_json after synth_xilinx; `top` is the module).
/// Boundaries: flip-flops (FD*), DSP48E1/E2, RAMB*, FIFO*, URAM288, SRL*, top-level ports and any
/// unknown cell. Levels per report_failfast: every LUT is one level; a run of CARRY4/CARRY8 cells
/// is one level; MUXF7/8/9 are none; a path that does not start at a flip-flop gets +1, and one
/// that does not end at a flip-flop D pin driven by a LUT of fanout 1 gets +1.
/// A DSP48 slice's unregistered arithmetic counts `dspLevels` levels (the platform's
/// "dsp_unregistered_levels"): a data pin whose input register (AREG, BREG, ...) is off ends its path
/// with 1 + dspLevels, and a slice with neither PREG nor MREG is combinational from such pins to P.
/// sim.netlist (bad JSON shape), sim.logic-loop (a combinational cycle).
diag::Expected<LogicDepthReport> analyzeLogicDepth(const io::Json& netlist, const std::string& top, int threshold,
                                                   int dspLevels);

/// Reads `path` (a Yosys JSON netlist) and analyses it (io.*, sim.netlist, sim.logic-loop).
diag::Expected<LogicDepthReport> measureLogicDepth(const std::filesystem::path& path, const std::string& top,
                                                   int threshold, int dspLevels);

/// The DSP register configurations of a report in the form the platform's clock rule takes.
std::vector<platform::DspRegisters> dspRegisters(const LogicDepthReport& r);

/// One line describing a path: "12 levels (9 LUT, 3 carry runs): FDRE engine.u_dma.x [3] -> ...".
std::string describe(const LogicPath& p);

}  // namespace dnnchip::sim
