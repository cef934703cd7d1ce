// Logic depth of a Yosys netlist after synth_xilinx: the deepest register-to-register path in
// logic levels, the clock proxy on Xilinx (docs/timing.md).
// Algorithm: one pass over the flattened top module of `write_json`. Every net bit gets its
// driver; cells are split into boundaries (flip-flops, DSP, block RAM, FIFO, URAM, unknown cells,
// whose outputs start paths and whose inputs end them) and combinational cells (LUT, CARRY4/8,
// MUXF7/8/9, INV, and the read side of LUT-RAM and SRL, whose address pins reach the output).
// Combinational cells are ordered by Kahn's algorithm; each net bit keeps the deepest arrival
// from a register start and, separately, from a top-level input port, with its predecessor so the
// worst path can be traced back. Level rules follow Xilinx report_failfast's LUT/net budgeting
// (XilinxTclStore tclapp/xilinx/designutils/report_failfast.tcl): every LUT is one level, a path
// not starting at a flip-flop gets one more, a path not ending at a flip-flop D pin fed by a LUT
// of fanout 1 gets one more; failfast does not count CARRY or MUXF cells, we count each run of
// consecutive CARRY4/CARRY8 cells as one level (our choice, conservative: the ripple through a
// chain costs about one LUT+net). Cost: linear in pins (about 2 s for a 16x32 engine).
// Invariants: the result does not depend on the JSON's member order (ties break on names).
// Limits: no placement, routing, fanout or clock skew; DSP and BRAM internals are judged by their
// datasheet FMAX per configuration (the report lists the configurations), not by levels.

#include "dnnchip/sim/LogicDepth.h"

#include <algorithm>
#include <cstdio>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

namespace dnnchip::sim {

namespace {

enum class Kind { Seq, Boundary, Lut, Carry, Mux, Free, LutRam, DspComb };

bool startsWith(const std::string& s, std::string_view p) { return s.rfind(p, 0) == 0; }

Kind classify(const std::string& type) {
  if (startsWith(type, "LUT")) return Kind::Lut;
  if (type == "CARRY4" || type == "CARRY8") return Kind::Carry;
  if (type == "MUXF7" || type == "MUXF8" || type == "MUXF9") return Kind::Mux;
  if (type == "INV" || type == "BUF" || startsWith(type, "BUFG") || type == "IBUF" || type == "OBUF") return Kind::Free;
  if (startsWith(type, "FD")) return Kind::Seq;
  if (startsWith(type, "SRL") || (startsWith(type, "RAM") && !startsWith(type, "RAMB"))) return Kind::LutRam;
  return Kind::Boundary;  // DSP48E1/E2, RAMB*, FIFO*, URAM288 and anything unknown
}

bool knownBoundary(const std::string& t) {
  return startsWith(t, "DSP48") || startsWith(t, "RAMB") || startsWith(t, "FIFO") || startsWith(t, "URAM");
}

// Clock pins end no path; cascade pins run on dedicated wires covered by the primitive's FMAX.
bool ignoredInput(const std::string& pin) {
  static const std::set<std::string> clocks = {"C", "CLK", "WCLK", "CLKARDCLK", "CLKBWRCLK", "RDCLK", "WRCLK", "CLKA", "CLKB"};
  if (clocks.count(pin)) return true;
  return pin == "PCIN" || pin == "ACIN" || pin == "BCIN" || pin == "CARRYCASCIN" || pin == "MULTSIGNIN" ||
         startsWith(pin, "CAS");
}

// The DSP48 input register that captures a data pin ("" for control pins such as CE* and RST*,
// which end at the slice's own flip-flops).
std::string dspInputReg(const std::string& pin) {
  const std::string base = pin.substr(0, pin.find('['));
  static const std::map<std::string, std::string> regs = {
      {"A", "AREG"},           {"B", "BREG"},           {"C", "CREG"},           {"D", "DREG"},
      {"CARRYIN", "CARRYINREG"}, {"CARRYINSEL", "CARRYINSELREG"}, {"OPMODE", "OPMODEREG"},
      {"ALUMODE", "ALUMODEREG"}, {"INMODE", "INMODEREG"}};
  auto it = regs.find(base);
  return it == regs.end() ? "" : it->second;
}

// LUT-RAM / SRL read pins: the address reaches the output through the LUT (A*, ADDR*, DPRA*).
bool lutRamReadPin(const std::string& pin) {
  return startsWith(pin, "DPRA") || startsWith(pin, "ADDR") || (pin.size() >= 1 && pin[0] == 'A');
}

struct Cell {
  std::string name, type;
  Kind kind = Kind::Boundary;
  std::set<std::string> dspRegs;  // DSP48: the enabled input registers (AREG, BREG, ...)
  std::vector<std::pair<std::string, int64_t>> in, out;  // (pin, net bit), pin names with [i] for buses
};

constexpr int kNone = -1;

struct Arrival {
  int levels = kNone;
  int64_t predBit = -1;  // net bit the deepest path came through (-1: a start)
  int startCell = -1;    // cell index that starts the path, -1 for a port
  std::string startPin;
};

// String parameters keep their text ("AD"); Yosys may pad them with trailing spaces.
std::string paramStr(const io::Json& params, const char* key) {
  auto it = params.find(key);
  if (it == params.end() || !it->is_string()) return "";
  std::string v = it->get<std::string>();
  while (!v.empty() && v.back() == ' ') v.pop_back();
  return v;
}

// An integer parameter; `dflt` when the cell leaves it at the primitive's default (UG974/UG953:
// the DSP48 and RAMB register parameters default to 1 and 0 respectively).
int paramInt(const io::Json& params, const char* key, int dflt) {
  auto it = params.find(key);
  if (it == params.end()) return dflt;
  if (it->is_number_integer()) return it->get<int>();
  if (!it->is_string()) return dflt;
  std::string v = it->get<std::string>();
  if (v.empty() || v.find_first_not_of("01") != std::string::npos) return dflt;
  return static_cast<int>(std::stoll(v.substr(v.size() > 31 ? v.size() - 31 : 0), nullptr, 2));
}

std::string moduleOf(const std::string& signal) {
  if (signal.empty() || signal[0] == '$') return "(unnamed)";
  std::string s = signal.substr(0, signal.find(' '));
  auto dot = s.rfind('.');
  return dot == std::string::npos ? "" : s.substr(0, dot);
}

// The first two instance levels ("engine.u_vec"), the granularity worstPerModule reports.
std::string topInstance(const std::string& module) {
  auto a = module.find('.');
  if (a == std::string::npos) return module;
  auto b = module.find('.', a + 1);
  return b == std::string::npos ? module : module.substr(0, b);
}

class Analyzer {
 public:
  Analyzer(const io::Json& mod, int threshold, int dspLevels) : mod_(mod), dspLevels_(dspLevels) {
    rep_.threshold = threshold;
  }

  diag::Expected<LogicDepthReport> run() {
    if (auto st = load(); !st) return st.error();
    if (auto st = propagate(); !st) return st.error();
    collectEndpoints();
    return rep_;
  }

 private:
  diag::Status load() {
    if (!mod_.contains("cells") || !mod_.contains("ports") || !mod_["cells"].is_object())
      return diag::error("sim.netlist", {}, "the Yosys JSON netlist has no cells/ports for the top module",
                         "write it with `write_json` after synthesis");
    // Named nets: the best (shortest visible) name per bit.
    if (mod_.contains("netnames"))
      for (auto& [name, n] : mod_["netnames"].items()) {
        const bool hidden = n.value("hide_name", 0) != 0;
        const auto& bits = n["bits"];
        for (size_t i = 0; i < bits.size(); ++i) {
          if (!bits[i].is_number_integer()) continue;
          int64_t b = bits[i].get<int64_t>();
          std::string nm = bits.size() == 1 ? name : name + " [" + std::to_string(i) + "]";
          auto& cur = names_[b];
          auto better = [&](const std::string& a, bool ah, const std::string& c, bool ch) {
            if (ah != ch) return !ah;
            if (a.size() != c.size()) return a.size() < c.size();
            return a < c;
          };
          if (cur.first.empty() || better(nm, hidden, cur.first, cur.second)) cur = {nm, hidden};
        }
      }
    for (auto& [pname, p] : mod_["ports"].items()) {
      const std::string dir = p.value("direction", "");
      const auto& bits = p["bits"];
      for (size_t i = 0; i < bits.size(); ++i) {
        if (!bits[i].is_number_integer()) continue;
        std::string nm = bits.size() == 1 ? pname : pname + " [" + std::to_string(i) + "]";
        if (dir == "input") inPorts_.push_back({nm, bits[i].get<int64_t>()});
        else outPorts_.push_back({nm, bits[i].get<int64_t>()});
      }
    }
    for (auto& [cname, c] : mod_["cells"].items()) {
      Cell cell;
      cell.name = cname;
      cell.type = c.value("type", "");
      cell.kind = classify(cell.type);
      if (!c.contains("port_directions") || !c.contains("connections"))
        return diag::error("sim.netlist", {}, "cell " + cname + " (" + cell.type + ") has no port directions",
                           "synthesize with synth_xilinx, which loads the primitives' port directions");
      const auto& dirs = c["port_directions"];
      for (auto& [pin, bits] : c["connections"].items()) {
        const std::string dir = dirs.value(pin, "");
        for (size_t i = 0; i < bits.size(); ++i) {
          if (!bits[i].is_number_integer()) continue;  // constant
          std::string pn = bits.size() == 1 ? pin : pin + "[" + std::to_string(i) + "]";
          int64_t b = bits[i].get<int64_t>();
          if (dir == "output") cell.out.push_back({pn, b});
          else if (dir == "input") cell.in.push_back({pn, b});
          // inout: none in a synthesized engine without I/O buffers
        }
      }
      if (cell.kind == Kind::Boundary) {
        if (!knownBoundary(cell.type)) unknown_.insert(cell.type);
        if (startsWith(cell.type, "DSP48")) {
          const auto& pr = c.contains("parameters") ? c["parameters"] : io::Json::object();
          DspConfig d;
          d.type = cell.type;
          d.areg = paramInt(pr, "AREG", 1);
          d.breg = paramInt(pr, "BREG", 1);
          d.mreg = paramInt(pr, "MREG", 1);
          d.preg = paramInt(pr, "PREG", 1);
          d.adreg = paramInt(pr, "ADREG", 1);
          d.preadd = paramStr(pr, "AMULTSEL") == "AD" || paramStr(pr, "USE_DPORT") == "TRUE";
          ++rep_.dsps[d];
          for (const char* r : {"AREG", "BREG", "CREG", "DREG", "CARRYINREG", "CARRYINSELREG", "OPMODEREG",
                                "ALUMODEREG", "INMODEREG"})
            if (paramInt(pr, r, 1) != 0) cell.dspRegs.insert(r);
          // Without PREG (and MREG) the slice is combinational from its pins to P.
          if (d.preg == 0 && d.mreg == 0) cell.kind = Kind::DspComb;
        }
        if (startsWith(cell.type, "RAMB")) {
          ++rep_.brams;
          const auto& pr = c.contains("parameters") ? c["parameters"] : io::Json::object();
          if (paramInt(pr, "DOA_REG", 0) == 0 && paramInt(pr, "DOB_REG", 0) == 0) ++rep_.bramsWithoutOutputReg;
        }
      }
      cells_.push_back(std::move(cell));
    }
    // Deterministic order whatever the JSON member order.
    std::sort(cells_.begin(), cells_.end(), [](const Cell& a, const Cell& b) { return a.name < b.name; });
    std::sort(inPorts_.begin(), inPorts_.end());
    std::sort(outPorts_.begin(), outPorts_.end());
    for (size_t ci = 0; ci < cells_.size(); ++ci) {
      for (auto& [pin, b] : cells_[ci].out) driver_[b] = {static_cast<int>(ci), pin};
      for (auto& [pin, b] : cells_[ci].in) ++fanout_[b];
      if (cells_[ci].kind == Kind::Free && cells_[ci].in.size() == 1 && cells_[ci].out.size() == 1)
        throughBuffer_[cells_[ci].in[0].second] = cells_[ci].out[0].second;
    }
    for (auto& [n, b] : outPorts_) ++fanout_[b];
    rep_.unknownCellTypes.assign(unknown_.begin(), unknown_.end());
    return {};
  }

  bool combinational(const Cell& c) const {
    return c.kind == Kind::Lut || c.kind == Kind::Carry || c.kind == Kind::Mux || c.kind == Kind::Free ||
           c.kind == Kind::LutRam || c.kind == Kind::DspComb;
  }

  // Inputs of a combinational cell that reach its outputs.
  bool throughPin(const Cell& c, const std::string& pin) const {
    if (c.kind == Kind::LutRam) return lutRamReadPin(pin);
    if (c.kind == Kind::DspComb) return !dspInputReg(pin).empty() && !c.dspRegs.count(dspInputReg(pin));
    return true;
  }

  void offer(std::unordered_map<int64_t, Arrival>& arr, int64_t bit, const Arrival& a) {
    auto& cur = arr[bit];
    if (a.levels > cur.levels) cur = a;
  }

  diag::Status propagate() {
    // Starts: flip-flop outputs at 0, other boundaries and LUT-RAM contents at +1 (not a flip-flop),
    // input ports at +1.
    for (size_t ci = 0; ci < cells_.size(); ++ci) {
      const Cell& c = cells_[ci];
      if (c.kind == Kind::Seq || c.kind == Kind::Boundary)
        for (auto& [pin, b] : c.out) offer(reg_, b, {c.kind == Kind::Seq ? 0 : 1, -1, static_cast<int>(ci), pin});
    }
    for (auto& [n, b] : inPorts_) offer(io_, b, {1, -1, -1, n});

    // Kahn over combinational cells.
    std::vector<int> indeg(cells_.size(), 0);
    std::unordered_map<int64_t, std::vector<int>> sinks;
    for (size_t ci = 0; ci < cells_.size(); ++ci) {
      const Cell& c = cells_[ci];
      if (!combinational(c)) continue;
      for (auto& [pin, b] : c.in) {
        if (!throughPin(c, pin)) continue;
        auto d = driver_.find(b);
        if (d != driver_.end() && combinational(cells_[d->second.first])) {
          ++indeg[ci];
          sinks[b].push_back(static_cast<int>(ci));
        }
      }
    }
    std::deque<int> ready;
    size_t combCount = 0;
    for (size_t ci = 0; ci < cells_.size(); ++ci)
      if (combinational(cells_[ci])) {
        ++combCount;
        if (indeg[ci] == 0) ready.push_back(static_cast<int>(ci));
      }
    size_t done = 0;
    while (!ready.empty()) {
      int ci = ready.front();
      ready.pop_front();
      ++done;
      const Cell& c = cells_[ci];
      // LUT-RAM contents start a path like a register read through the LUT (+1 start, +1 level).
      for (auto* arr : {&reg_, &io_}) {
        Arrival best;
        for (auto& [pin, b] : c.in) {
          if (!throughPin(c, pin)) continue;
          auto it = arr->find(b);
          if (it == arr->end() || it->second.levels == kNone) continue;
          int add = weight(c, b);
          if (it->second.levels + add > best.levels) best = {it->second.levels + add, b, it->second.startCell, it->second.startPin};
        }
        if (c.kind == Kind::LutRam && arr == &reg_ && best.levels < 2) best = {2, -1, ci, c.out.empty() ? "" : c.out[0].first};
        if (best.levels != kNone)
          for (auto& [pin, b] : c.out) offer(*arr, b, best);
      }
      for (auto& [pin, b] : c.out) {
        auto s = sinks.find(b);
        if (s == sinks.end()) continue;
        for (int k : s->second)
          if (--indeg[k] == 0) ready.push_back(k);
      }
    }
    if (done != combCount) {
      for (size_t ci = 0; ci < cells_.size(); ++ci)
        if (combinational(cells_[ci]) && indeg[ci] > 0)
          return diag::error("sim.logic-loop", {}, "combinational loop through " + cells_[ci].type + " " + cells_[ci].name,
                             "a generated design must have none; please report it");
    }
    return {};
  }

  // Levels a combinational cell adds to a path arriving on `inBit`.
  int weight(const Cell& c, int64_t inBit) const {
    switch (c.kind) {
      case Kind::Lut:
      case Kind::LutRam: return 1;
      case Kind::DspComb: return dspLevels_;
      case Kind::Carry: {
        auto d = driver_.find(inBit);
        const bool fromCarry = d != driver_.end() && cells_[d->second.first].kind == Kind::Carry;
        return fromCarry ? 0 : 1;  // one level per run of chained carries
      }
      default: return 0;
    }
  }

  int endPenalty(const Cell& c, const std::string& pin, int64_t bit) const {
    // A DSP data pin without its input register runs through the slice's unregistered arithmetic
    // before the next register inside it.
    if (c.kind == Kind::Boundary && startsWith(c.type, "DSP48")) {
      const std::string reg = dspInputReg(pin);
      return !reg.empty() && !c.dspRegs.count(reg) ? 1 + dspLevels_ : 1;
    }
    if (c.kind != Kind::Seq || pin != "D") return 1;
    auto d = driver_.find(bit);
    if (d == driver_.end()) return 1;
    const Cell& drv = cells_[d->second.first];
    auto f = fanout_.find(bit);
    const bool packed = drv.kind == Kind::Lut && f != fanout_.end() && f->second <= 1;
    return packed ? 0 : 1;  // a LUT of fanout 1 packs with its flip-flop (intra-site net)
  }

  // The net's visible name; through an I/O or clock buffer (OBUF, BUFG) when the net itself has
  // only a generated one.
  std::string nameOf(int64_t bit) const {
    auto it = names_.find(bit);
    if (it != names_.end() && !it->second.second) return it->second.first;
    if (auto f = throughBuffer_.find(bit); f != throughBuffer_.end())
      if (auto o = names_.find(f->second); o != names_.end() && !o->second.second) return o->second.first;
    return it == names_.end() ? "" : it->second.first;
  }

  PathEnd startEnd(const Arrival& a) const {
    PathEnd e;
    if (a.startCell < 0) {
      e.type = "port";
      e.pin = a.startPin;
      e.signal = a.startPin;
      return e;
    }
    const Cell& c = cells_[a.startCell];
    e.cell = c.name;
    e.type = c.type;
    e.pin = a.startPin;
    for (auto& [pin, b] : c.out)
      if (pin == a.startPin) e.signal = nameOf(b);
    if (e.signal.empty() || e.signal[0] == '$') e.signal = c.name[0] == '$' ? e.signal : c.name;
    e.module = moduleOf(e.signal);
    return e;
  }

  // A flip-flop endpoint is named by the register it writes (its Q), other cells by name or pin net.
  PathEnd endEnd(const Cell& c, const std::string& pin, int64_t bit) const {
    PathEnd e;
    e.cell = c.name;
    e.type = c.type;
    e.pin = pin;
    if (c.kind == Kind::Seq)
      for (auto& [p, b] : c.out) e.signal = nameOf(b);
    if (e.signal.empty() || e.signal[0] == '$') e.signal = c.name[0] != '$' ? c.name : nameOf(bit);
    e.module = moduleOf(e.signal);
    return e;
  }

  LogicPath trace(const std::unordered_map<int64_t, Arrival>& arr, int64_t lastBit, int levels, PathEnd end) const {
    LogicPath p;
    p.levels = levels;
    p.end = std::move(end);
    std::vector<std::string> cells;
    int64_t b = lastBit;
    const Arrival* a = nullptr;
    int prevKind = -1;
    for (int guard = 0; guard < 100000; ++guard) {
      auto it = arr.find(b);
      if (it == arr.end()) break;
      a = &it->second;
      auto d = driver_.find(b);
      if (a->predBit < 0 && !(d != driver_.end() && cells_[d->second.first].kind == Kind::LutRam)) break;
      if (d == driver_.end()) break;
      const Cell& c = cells_[d->second.first];
      cells.push_back(c.type);
      if (c.kind == Kind::Lut || c.kind == Kind::LutRam) ++p.luts;
      if (c.kind == Kind::Mux) ++p.muxes;
      if (c.kind == Kind::DspComb) ++p.dsps;
      if (c.kind == Kind::Carry) {
        ++p.carryCells;
        if (prevKind != static_cast<int>(Kind::Carry)) ++p.carryRuns;
      }
      prevKind = static_cast<int>(c.kind);
      if (a->predBit < 0) break;
      b = a->predBit;
    }
    std::reverse(cells.begin(), cells.end());
    p.cells = std::move(cells);
    if (a) p.start = startEnd(*a);
    return p;
  }

  void collectEndpoints() {
    std::map<std::string, LogicPath> perModule;
    auto consider = [&](const std::unordered_map<int64_t, Arrival>& arr, int64_t bit, int penalty, bool isReg,
                        const std::function<PathEnd()>& endOf) {
      auto it = arr.find(bit);
      if (it == arr.end() || it->second.levels == kNone) return 0;
      const int lv = it->second.levels + penalty;
      LogicPath& best = isReg ? rep_.worst : rep_.worstIo;
      if (lv > best.levels) best = trace(arr, bit, lv, endOf());
      return lv;
    };
    for (const Cell& c : cells_) {
      if (c.kind != Kind::Seq && c.kind != Kind::Boundary && c.kind != Kind::LutRam && c.kind != Kind::DspComb) continue;
      for (auto& [pin, b] : c.in) {
        if (ignoredInput(pin)) continue;
        if (c.kind == Kind::DspComb && throughPin(c, pin)) continue;  // passes through to P
        // Read-only address pins of LUT-RAM/SRL feed the output, not the storage.
        if (c.kind == Kind::LutRam && (startsWith(pin, "DPRA") || (startsWith(pin, "ADDR") && !startsWith(pin, "ADDRD")) ||
                                       (startsWith(c.type, "SRL") && pin[0] == 'A')))
          continue;
        ++rep_.endpoints;
        const int pen = endPenalty(c, pin, b);
        const int lv = consider(reg_, b, pen, true, [&] { return endEnd(c, pin, b); });
        consider(io_, b, pen, false, [&] { return endEnd(c, pin, b); });
        if (lv > rep_.threshold) ++rep_.endpointsAbove;
        if (lv > 0) {
          PathEnd e = endEnd(c, pin, b);
          const std::string m = topInstance(e.module);
          auto& w = perModule[m.empty() ? "(top)" : m];
          if (lv > w.levels) w = trace(reg_, b, lv, std::move(e));
        }
      }
    }
    for (auto& [n, b] : outPorts_) {
      auto mk = [&] { return PathEnd{"", "port", n, n, ""}; };
      consider(reg_, b, 1, false, mk);  // register -> output port: an I/O path
      consider(io_, b, 1, false, mk);
    }
    rep_.worstPerModule = std::move(perModule);
  }

  const io::Json& mod_;
  int dspLevels_ = 0;
  LogicDepthReport rep_;
  std::vector<Cell> cells_;
  std::vector<std::pair<std::string, int64_t>> inPorts_, outPorts_;
  std::unordered_map<int64_t, std::pair<int, std::string>> driver_;
  std::unordered_map<int64_t, int> fanout_;
  std::unordered_map<int64_t, int64_t> throughBuffer_;  // buffer input bit -> its output bit
  std::unordered_map<int64_t, std::pair<std::string, bool>> names_;
  std::unordered_map<int64_t, Arrival> reg_, io_;
  std::set<std::string> unknown_;
};

}  // namespace

bool DspConfig::operator<(const DspConfig& o) const {
  return std::tie(type, areg, breg, mreg, preg, adreg, preadd) < std::tie(o.type, o.areg, o.breg, o.mreg, o.preg, o.adreg, o.preadd);
}

diag::Expected<LogicDepthReport> analyzeLogicDepth(const io::Json& netlist, const std::string& top, int threshold,
                                                   int dspLevels) {
  if (!netlist.is_object() || !netlist.contains("modules") || !netlist["modules"].contains(top))
    return diag::error("sim.netlist", {}, "the Yosys JSON netlist has no module '" + top + "'",
                       "synthesize the design first (dnnchip synth)");
  Analyzer a(netlist["modules"][top], threshold, dspLevels);
  return a.run();
}

diag::Expected<LogicDepthReport> measureLogicDepth(const std::filesystem::path& path, const std::string& top,
                                                   int threshold, int dspLevels) {
  auto json = io::readJsonFile(path);
  if (!json) return json.error();
  auto r = analyzeLogicDepth(*json, top, threshold, dspLevels);
  if (!r && r.error().location.file.empty()) {
    diag::Diagnostic d = r.error();
    d.location.file = path.string();
    return d;
  }
  return r;
}

std::vector<platform::DspRegisters> dspRegisters(const LogicDepthReport& r) {
  std::vector<platform::DspRegisters> v;
  for (auto& [c, n] : r.dsps) v.push_back({c.mreg != 0, c.preadd, c.adreg != 0});
  return v;
}

std::string describe(const LogicPath& p) {
  auto end = [](const PathEnd& e) {
    return e.type + " " + (e.signal.empty() ? e.cell : e.signal) + (e.type == "port" ? "" : " (" + e.pin + ")");
  };
  char head[160];
  std::snprintf(head, sizeof head, "%d levels (%d LUT, %d carry run%s of %d CARRY, %d MUXF, %d unregistered DSP)",
                p.levels, p.luts, p.carryRuns, p.carryRuns == 1 ? "" : "s", p.carryCells, p.muxes, p.dsps);
  return std::string(head) + ": " + end(p.start) + " -> " + end(p.end);
}

}  // namespace dnnchip::sim
