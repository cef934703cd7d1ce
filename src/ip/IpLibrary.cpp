// IpLibrary: loading ip_library/ (every top-level *.json; technology.json is the node table, the
// rest are IPs), lookups by id and kind, and the ip.unknown diagnostic with close names.
// Files are read in sorted order so the first reported error is deterministic. Cost O(files).

#include "dnnchip/ip/IpLibrary.h"

#include <algorithm>
#include <cmath>

#include "Detail.h"
#include "dnnchip/io/DataPaths.h"

namespace dnnchip::ip {

namespace fs = std::filesystem;
using io::Json;
using io::JsonView;

namespace {

struct TechTable {
  std::map<int, TechnologyNode> nodes;
  std::map<DeviceFamily, double> fpga;
};

TechTable parseTechnology(const Json& json, const std::string& file) {
  JsonView root(json, file);
  root.requireSchemaVersion(1);
  root.rejectUnknown({"schema_version", "description", "reference_nm", "nodes", "fpga_energy_factor"});
  root.rejectBareNumbers();
  TechTable t;
  int ref = static_cast<int>(std::lround(root.at("reference_nm").asSourcedNumber(1, 1000)));
  for (auto& n : root.at("nodes").items()) {
    n.rejectUnknown({"nm", "energy_factor", "area_factor", "vdd"});
    TechnologyNode node;
    node.nm = static_cast<int>(std::lround(n.at("nm").asSourcedNumber(1, 1000)));
    node.energyFactor = n.at("energy_factor").asSourcedNumber(1e-6, 1e6);
    node.areaFactor = n.at("area_factor").asSourcedNumber(1e-6, 1e6);
    node.nominalVdd = n.at("vdd").asSourcedNumber(0.1, 10);
    if (t.nodes.count(node.nm))
      n.fail("ip.bad-model", "technology node " + std::to_string(node.nm) + " nm is listed twice",
             "keep one entry per node");
    t.nodes[node.nm] = node;
  }
  auto it = t.nodes.find(ref);
  if (it == t.nodes.end() || it->second.energyFactor != 1.0 || it->second.areaFactor != 1.0)
    root.at("reference_nm").fail("ip.bad-model",
                                 "the reference node must be listed with energy_factor and area_factor 1",
                                 "add the reference node to \"nodes\" with factors 1");
  for (auto& [fam, v] : root.at("fpga_energy_factor").members()) {
    auto f = parseDeviceFamily(fam);
    if (!f || *f == DeviceFamily::Asic)
      v.fail("ip.bad-model", "unknown FPGA family \"" + fam + "\"", "use xc7, xcup or ice40");
    t.fpga[*f] = v.asSourcedNumber(1e-3, 1e4);
  }
  return t;
}

}  // namespace

diag::Expected<IpLibrary> IpLibrary::load(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return diag::error("io.open", {dir.string(), ""}, "the IP library folder does not exist",
                       "point to a folder holding <id>.json IP files and technology.json");
  std::vector<fs::path> files;
  for (auto& de : fs::directory_iterator(dir, ec))
    if (de.is_regular_file() && de.path().extension() == ".json") files.push_back(de.path());
  std::sort(files.begin(), files.end());

  IpLibrary lib;
  lib.dir_ = dir;
  bool haveTech = false;
  for (auto& f : files) {
    auto json = io::readJsonFile(f);
    if (!json) return json.error();
    if (f.stem() == "technology") {
      auto t = diag::capture([&] { return parseTechnology(*json, f.string()); });
      if (!t) return t.error();
      lib.tech_ = std::move(t->nodes);
      lib.fpgaEnergyFactor_ = std::move(t->fpga);
      haveTech = true;
      continue;
    }
    auto e = parseIpEntry(*json, f.string());
    if (!e) return e.error();
    std::string id = e->id;
    lib.entries_.emplace(std::move(id), std::move(*e));
  }
  if (!haveTech)
    return diag::error("ip.no-technology", {dir.string(), ""}, "technology.json is missing",
                       "add the technology node table (docs/ip_library.md#technology)");
  for (auto& [id, e] : lib.entries_)
    if (e.referenceTechnologyNm != 0 && !lib.tech_.count(e.referenceTechnologyNm))
      return diag::error("ip.no-technology", {e.file, "/technology_nm"},
                         "node " + std::to_string(e.referenceTechnologyNm) + " nm is not in technology.json",
                         "add the node to technology.json or give the numbers at a listed node");
  return lib;
}

diag::Expected<IpLibrary> IpLibrary::loadDefault() {
  auto root = io::dataRoot();
  if (!root) return root.error();
  return load(*root / "ip_library");
}

const IpEntry* IpLibrary::find(std::string_view id) const {
  auto it = entries_.find(id);
  return it == entries_.end() ? nullptr : &it->second;
}

diag::Expected<const IpEntry*> IpLibrary::get(std::string_view id, std::optional<IpKind> kind) const {
  const IpEntry* e = find(id);
  if (!e) return unknownIp(id);
  if (kind && e->kind != *kind) {
    std::string list;
    for (auto& n : idsOfKind(*kind)) list += (list.empty() ? "" : ", ") + n;
    return diag::error("ip.wrong-kind", {e->file, "/kind"},
                       "IP \"" + e->id + "\" is a " + std::string(toString(e->kind)) + ", not a " +
                           std::string(toString(*kind)),
                       list.empty() ? "no IP of that kind is in the library" : "use one of: " + list);
  }
  return e;
}

std::vector<std::string> IpLibrary::ids() const {
  std::vector<std::string> out;
  for (auto& [id, e] : entries_) out.push_back(id);
  return out;
}

std::vector<std::string> IpLibrary::idsOfKind(IpKind kind) const {
  std::vector<std::string> out;
  for (auto& [id, e] : entries_)
    if (e.kind == kind) out.push_back(id);
  return out;
}

diag::Diagnostic IpLibrary::unknownIp(std::string_view id, diag::Location where) const {
  // Close names: edit distance within a third of the name, or one contains the other.
  std::vector<std::pair<size_t, std::string>> close;
  for (auto& [name, e] : entries_) {
    size_t d = detail::editDistance(id, name);
    bool sub = !id.empty() && (name.find(id) != std::string::npos || std::string(id).find(name) != std::string::npos);
    if (d <= std::max<size_t>(2, id.size() / 3) || sub) close.emplace_back(sub ? 0 : d, name);
  }
  std::sort(close.begin(), close.end());
  std::string hint;
  if (!close.empty()) {
    hint = "did you mean ";
    for (size_t i = 0; i < close.size() && i < 5; ++i) hint += (i ? ", " : "") + ("\"" + close[i].second + "\"");
    hint += "? (`dnnchip lib list ips` lists all)";
  } else {
    hint = "run `dnnchip lib list ips` to see the IPs in the library";
  }
  if (where.file.empty() && where.pointer.empty()) where.file = std::string(id);
  return diag::error("ip.unknown", where, "no IP named \"" + std::string(id) + "\" in the library", hint);
}

diag::Expected<TechnologyNode> IpLibrary::technology(int nm) const {
  auto it = tech_.find(nm);
  if (it != tech_.end()) return it->second;
  std::string list;
  for (auto& [n, t] : tech_) list += (list.empty() ? "" : ", ") + std::to_string(n);
  return diag::error("ip.no-technology", {(dir_ / "technology.json").string(), "/nodes"},
                     "technology node " + std::to_string(nm) + " nm is not in technology.json",
                     "use one of: " + list + " nm, or add the node with its scaling factors");
}

std::vector<int> IpLibrary::technologyNodes() const {
  std::vector<int> out;
  for (auto& [n, t] : tech_) out.push_back(n);
  return out;
}

}  // namespace dnnchip::ip
