// Loads the engine's measured logic depth per configuration (docs/timing.md#characterization) and
// finds the entry a design point stands on. The file is tool output: each entry's "source" names
// the dnnchip synth run (design, Yosys version, date) and its worst path; regenerate it with
// scripts/characterize_clock.py.

#include "dnnchip/search/ClockCharacterization.h"

#include <algorithm>

#include "dnnchip/golden/Activation.h"
#include "dnnchip/io/DataPaths.h"
#include "dnnchip/io/Json.h"

namespace dnnchip::search {

std::string EngineUnits::describe() const {
  std::string s;
  auto add = [&](const std::string& u) { s += (s.empty() ? "" : ", ") + u; };
  if (depthwise) add("depthwise unit");
  if (softmax) add("softmax unit");
  if (mul) add("multiply mode");
  if (activation == 1) add("activation clamps");
  if (activation >= 2) add("activation table");
  if (actDepth > 0) add("ACT_DEPTH " + std::to_string(actDepth));
  return s.empty() ? "none" : s;
}

EngineUnits engineUnitsOf(const workload::Model& model) {
  EngineUnits u;
  for (const workload::Layer& l : model.layers) {
    u.softmax = u.softmax || l.op == workload::OpKind::Softmax;
    u.mul = u.mul || l.op == workload::OpKind::Mul;
    if (golden::usesTable(l.activation)) u.activation = 2;
    else if (golden::usesClamp(l.activation)) u.activation = std::max(u.activation, 1);
  }
  return u;
}

bool DepthEntry::covers(const EngineUnits& u) const {
  return (units.depthwise || !u.depthwise) && (units.softmax || !u.softmax) && (units.mul || !u.mul) &&
         units.activation >= u.activation && units.actDepth >= u.actDepth;
}

namespace {

// Units an entry has beyond the configuration's (entries with fewer extra units measure a netlist
// closer to the configuration's own).
int extraUnits(const DepthEntry& e, const EngineUnits& u) {
  int x = (e.units.depthwise && !u.depthwise) + (e.units.softmax && !u.softmax) + (e.units.mul && !u.mul) +
          (e.units.activation - u.activation);
  // each doubling of the buffer beyond the configuration's counts as one unit more
  for (int64_t d = std::max(u.actDepth, 1); d < e.units.actDepth; d *= 2) ++x;
  return x;
}

}  // namespace

DepthLookup ClockCharacterization::find(const std::string& family, int pack, int axiDataBits,
                                        const EngineUnits& units) const {
  // Only an entry whose netlist has every unit of the configuration measures its paths (each unit
  // adds logic and descriptor-driven paths). Of those: the same pack and AXI width, closest in
  // units (the deepest among equals); else the deepest of the same pack, else of the same family:
  // the deepest paths sit in the controller, DMA, vector unit and residual add, not in the array.
  const DepthEntry *exact = nullptr, *samePack = nullptr, *sameFamily = nullptr, *deepest = nullptr;
  for (const DepthEntry& e : entries) {
    if (e.family != family) continue;
    if (!deepest || e.levels > deepest->levels) deepest = &e;
    if (!e.programFree || !e.covers(units)) continue;
    if (e.pack == pack && e.axiDataBits == axiDataBits) {
      const int x = extraUnits(e, units);
      if (!exact || x < extraUnits(*exact, units) || (x == extraUnits(*exact, units) && e.levels > exact->levels))
        exact = &e;
    }
    if (e.pack == pack && (!samePack || e.levels > samePack->levels)) samePack = &e;
    if (!sameFamily || e.levels > sameFamily->levels) sameFamily = &e;
  }
  DepthLookup r;
  if (exact) {
    r.entry = exact;
    return r;
  }
  const std::string config = family + " engine with pack " + std::to_string(pack) + ", a " +
                             std::to_string(axiDataBits) + "-bit AXI port and units: " + units.describe();
  if (samePack || sameFamily) {
    r.entry = samePack ? samePack : sameFamily;
    r.why = "no " + config + " was measured; the deepest comparable one (pack " + std::to_string(r.entry->pack) + ", " +
            std::to_string(r.entry->axiDataBits) + "-bit, units: " + r.entry->units.describe() + ") stands in";
    return r;
  }
  if (deepest) {
    r.entry = deepest;
    r.unmeasuredUnit = true;
    r.why = "no " + family + " engine measured without a program has every unit of the " + config +
            "; the clock is one PL clock below what the deepest measured " + family + " engine supports";
  }
  return r;
}

double ClockCharacterization::supportedMhz(const platform::Clock& clock, const DepthLookup& lookup) {
  if (!lookup.entry) return 0;
  const DepthEntry& e = *lookup.entry;
  double f = clock.supportedMhz(e.levels, e.dsps, e.bram);
  const std::vector<double>& c = clock.candidatesMhz;
  if (c.empty()) return f;
  // Deeper than the slowest PL clock allows: the slowest (dnnchip build warns on the netlist).
  if (f <= 0) return c.front();
  if (lookup.unmeasuredUnit) {
    double below = c.front();
    for (double x : c)
      if (x < f) below = std::max(below, x);
    f = below;
  }
  return f;
}

diag::Expected<ClockCharacterization> loadClockCharacterization(const std::filesystem::path& path) {
  auto json = io::readJsonFile(path);
  if (!json) return json.error();
  return diag::capture([&] {
    io::JsonView root(*json, path.string());
    root.requireSchemaVersion(2);
    root.rejectUnknown({"schema_version", "description", "tool", "entries"});
    ClockCharacterization c;
    c.file = path.string();
    for (auto& e : root.at("entries").items()) {
      e.rejectUnknown({"family", "pack", "axi_data_bits", "rows", "cols", "depthwise_unit", "softmax_unit", "mul_unit",
                       "activation_unit", "act_depth", "program", "logic_levels", "dsp", "bram", "source"});
      DepthEntry d;
      d.family = e.at("family").asString();
      if (d.family != "xc7" && d.family != "xcup")
        e.at("family").fail("search.characterization", "family must be xc7 or xcup", "measure a Xilinx engine");
      d.pack = static_cast<int>(e.at("pack").asInt(1, 2));
      d.axiDataBits = static_cast<int>(e.at("axi_data_bits").asInt(32, 512));
      d.rows = static_cast<int>(e.at("rows").asInt(1, 4096));
      d.cols = static_cast<int>(e.at("cols").asInt(1, 4096));
      d.units.depthwise = e.at("depthwise_unit").asBool();
      d.units.softmax = e.at("softmax_unit").asBool();
      d.units.mul = e.at("mul_unit").asBool();
      d.units.activation = static_cast<int>(e.at("activation_unit").asInt(0, 2));
      if (e.has("act_depth")) d.units.actDepth = static_cast<int>(e.at("act_depth").asInt(16, 1 << 24));
      // A netlist with a program in its ROM has the descriptor bits that are constant over that
      // program folded away: it holds for that program only (docs/timing.md), so it measures no
      // configuration (find's last case: one PL clock lower).
      const std::string program = e.at("program").asString();
      if (program != "none" && program != "rom")
        e.at("program").fail("search.characterization",
                              "\"program\" is \"none\" (the program memory written through ports) or \"rom\" (a "
                              "program in the controller's ROM, which folds the paths other programs have)",
                              "regenerate the file with scripts/characterize_clock.py");
      d.programFree = program == "none";
      d.levels = static_cast<int>(e.at("logic_levels").asInt(0, 10000));
      for (auto& s : e.at("dsp").items()) {
        s.rejectUnknown({"mreg", "preadd", "adreg", "count"});
        d.dsps.push_back({s.at("mreg").asBool(), s.at("preadd").asBool(), s.at("adreg").asBool()});
      }
      d.bram = e.at("bram").asBool();
      d.source = e.at("source").asString();
      if (d.source.size() < 10)
        e.at("source").fail("search.characterization", "each entry names the synthesis run it comes from",
                            "regenerate the file with scripts/characterize_clock.py");
      c.entries.push_back(std::move(d));
    }
    return c;
  });
}

diag::Expected<ClockCharacterization> loadClockCharacterization() {
  auto path = io::resolveDataFile("engine_logic_depth", "designs/characterization", ".json", "characterization");
  if (!path) return path.error();
  return loadClockCharacterization(*path);
}

}  // namespace dnnchip::search
