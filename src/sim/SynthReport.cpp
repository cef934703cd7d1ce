// Parsers for Yosys `stat` and nextpnr-ice40 logs. Yosys prints, per module and then for the
// design hierarchy, "Number of cells: N" followed by indented "<cell type> <count>" lines; the last
// such block describes the synthesized top (flattened by our scripts). Cell types are mapped to
// resources by name (Xilinx UNISIM and iCE40 primitive names). nextpnr prints "Max frequency for
// clock '<net>': F MHz (PASS|FAIL at T MHz)" after placement and again after routing; the last one
// counts. Cost O(log length).

#include "dnnchip/sim/SynthReport.h"

#include <regex>
#include <sstream>
#include <vector>

namespace dnnchip::sim {
namespace {

bool startsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

void classify(SynthResources& r, const std::string& cell, int64_t n) {
  r.cells += n;
  r.cellCounts[cell] += n;
  if ((startsWith(cell, "LUT") && cell.size() == 4) || cell == "SB_LUT4") r.luts += n;
  else if (startsWith(cell, "RAM32M") || startsWith(cell, "RAM64M") || startsWith(cell, "RAM32X") ||
           startsWith(cell, "RAM64X") || startsWith(cell, "RAM128X") || startsWith(cell, "RAM256X") ||
           startsWith(cell, "RAM16X") || startsWith(cell, "SRL"))
    r.lutRams += n;
  else if (startsWith(cell, "FD") || startsWith(cell, "SB_DFF")) r.ffs += n;
  else if (startsWith(cell, "DSP48") || cell == "SB_MAC16") r.dsps += n;
  else if (startsWith(cell, "RAMB18")) r.bram18 += n;
  else if (startsWith(cell, "RAMB36")) r.bram36 += n;
  else if (startsWith(cell, "SB_RAM40")) r.ice40Ebr += n;
  else if (cell == "SB_SPRAM256KA") r.ice40Spram += n;
  else if (startsWith(cell, "URAM")) r.uram += n;
  else if (startsWith(cell, "CARRY") || cell == "SB_CARRY") r.carries += n;
  if (cell == "LDCE" || cell == "LDPE" || cell.find("DLATCH") != std::string::npos ||
      startsWith(cell, "$dlatch") || startsWith(cell, "$_SR_"))
    r.latches += n;
}

}  // namespace

std::optional<SynthResources> parseYosysStat(std::string_view log) {
  size_t at = log.rfind("Number of cells:");
  if (at == std::string_view::npos) return std::nullopt;
  std::istringstream in{std::string(log.substr(at))};
  std::string line;
  std::getline(in, line);  // the "Number of cells:" line itself
  SynthResources r;
  static const std::regex cellLine(R"(^\s+(\S+)\s+(\d+)\s*$)");
  std::smatch m;
  while (std::getline(in, line)) {
    if (!std::regex_match(line, m, cellLine)) break;
    classify(r, m[1].str(), std::stoll(m[2].str()));
  }
  return r;
}

bool yosysReportsLatch(std::string_view log) {
  return log.find("Latch inferred for signal") != std::string_view::npos;
}

PnrReport parseNextpnrLog(std::string_view log) {
  PnrReport r;
  std::istringstream in{std::string(log)};
  std::string line;
  static const std::regex fmax(R"(Max frequency for clock\s+'[^']*':\s+([0-9.]+) MHz \((PASS|FAIL) at ([0-9.]+) MHz\))");
  static const std::regex util(R"((ICESTORM_LC|ICESTORM_RAM|ICESTORM_DSP|SB_IO):\s+(\d+)/\s*(\d+))");
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_search(line, m, fmax)) {
      r.fmaxMhz = std::stod(m[1].str());
      r.timingPass = m[2].str() == "PASS";
      r.targetMhz = std::stod(m[3].str());
    } else if (std::regex_search(line, m, util)) {
      int64_t used = std::stoll(m[2].str());
      if (m[1] == "ICESTORM_LC") { r.logicCells = used; r.logicCellsAvailable = std::stoll(m[3].str()); }
      else if (m[1] == "ICESTORM_RAM") r.rams = used;
      else if (m[1] == "SB_IO") r.ios = used;
      else r.dsps = used;
    }
  }
  return r;
}

}  // namespace dnnchip::sim
