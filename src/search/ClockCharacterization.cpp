// Loads the engine's measured logic depth per configuration (docs/timing.md#characterization) and
// finds the entry a design point stands on. The file is tool output: each entry's "source" names
// the dnnchip synth run (design, Yosys version, date) and its worst path; regenerate it with
// scripts/characterize_clock.py.

#include "dnnchip/search/ClockCharacterization.h"

#include "dnnchip/io/DataPaths.h"
#include "dnnchip/io/Json.h"

namespace dnnchip::search {

const DepthEntry* ClockCharacterization::find(const std::string& family, int pack, int axiDataBits,
                                              std::string* why) const {
  // Exact match, else the deepest engine of the same family and packing, else of the same family:
  // the deepest paths sit in the controller, DMA, vector unit and residual add, not in the array.
  const DepthEntry *samePack = nullptr, *sameFamily = nullptr;
  for (const DepthEntry& e : entries) {
    if (e.family != family) continue;
    if (e.pack == pack && e.axiDataBits == axiDataBits) return &e;
    if (e.pack == pack && (!samePack || e.levels > samePack->levels)) samePack = &e;
    if (!sameFamily || e.levels > sameFamily->levels) sameFamily = &e;
  }
  const DepthEntry* stand = samePack ? samePack : sameFamily;
  if (stand && why)
    *why = "no " + family + " engine with pack " + std::to_string(pack) + " and a " + std::to_string(axiDataBits) +
           "-bit AXI port was measured; the deepest comparable one (pack " + std::to_string(stand->pack) + ", " +
           std::to_string(stand->axiDataBits) + "-bit) stands in";
  return stand;
}

diag::Expected<ClockCharacterization> loadClockCharacterization(const std::filesystem::path& path) {
  auto json = io::readJsonFile(path);
  if (!json) return json.error();
  return diag::capture([&] {
    io::JsonView root(*json, path.string());
    root.requireSchemaVersion(1);
    root.rejectUnknown({"schema_version", "description", "tool", "entries"});
    ClockCharacterization c;
    c.file = path.string();
    for (auto& e : root.at("entries").items()) {
      e.rejectUnknown({"family", "pack", "axi_data_bits", "rows", "cols", "logic_levels", "dsp", "bram", "source"});
      DepthEntry d;
      d.family = e.at("family").asString();
      if (d.family != "xc7" && d.family != "xcup")
        e.at("family").fail("search.characterization", "family must be xc7 or xcup", "measure a Xilinx engine");
      d.pack = static_cast<int>(e.at("pack").asInt(1, 2));
      d.axiDataBits = static_cast<int>(e.at("axi_data_bits").asInt(32, 512));
      d.rows = static_cast<int>(e.at("rows").asInt(1, 4096));
      d.cols = static_cast<int>(e.at("cols").asInt(1, 4096));
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
