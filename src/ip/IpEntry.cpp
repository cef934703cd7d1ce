// Parsing and validating one IP file (ip_library/<id>.json, docs/ip_library.md).
// Parse -> validate, in this order: schema version and known top-level fields; a walk over the
// whole document that rejects any bare number (ip.unsourced) and records every sourced number
// with its JSON pointer; id = file stem; kind; parameters (min <= default <= max); the kind's
// cost fields with their ranges (value.range); sub-structures (anchors, configurations, families,
// FPGA MAC mappings). Cost O(size of the file). The validated "cost" and "fpga" objects are kept
// as JSON so the cost functions read them without re-validating.

#include <cmath>
#include <filesystem>

#include "Detail.h"

namespace dnnchip::ip {

namespace {

using io::Json;
using io::JsonView;

const std::vector<std::string> kTopFields = {"schema_version", "id", "kind", "description", "template",
                                             "technology_nm", "parameters", "cost", "fpga", "rtl", "sources"};

/// Every sourced number of the document, with its origin (bare numbers: ip.unsourced).
std::vector<SourcedNumber> collectNumbers(const JsonView& root) {
  std::vector<SourcedNumber> out;
  root.forEachSourcedNumber([&](const JsonView& v) {
    SourcedNumber n;
    n.pointer = v.pointer();
    n.value = v.asSourcedNumber();
    if (auto u = v.find("unit")) n.unit = u->asString();
    n.isEstimate = !v.has("source");
    n.origin = v.at(n.isEstimate ? "estimate" : "source").asString();
    out.push_back(std::move(n));
  });
  return out;
}

bool needsTechnology(IpKind k) {
  switch (k) {
    case IpKind::Mac: case IpKind::RegFile: case IpKind::Sram: case IpKind::Noc:
    case IpKind::Dma: case IpKind::Vector: case IpKind::Controller:
      return true;
    default:
      return false;
  }
}

/// Parameters the cost functions take as arguments, so every IP of the kind must declare them.
std::vector<const char*> requiredParams(IpKind k) {
  switch (k) {
    case IpKind::Mac: case IpKind::Noc: case IpKind::Dma: return {"width_bits"};
    case IpKind::Vector: return {"lanes", "width_bits"};
    case IpKind::Dram: case IpKind::Controller: return {};
    default: return {"capacity_bytes", "width_bits"};  // on-chip memories
  }
}

void checkFields(const JsonView& obj, const std::vector<detail::Field>& fields,
                 std::vector<std::string> extra) {
  // Unknown fields first: a typo ("luts") reads better as json.unknown-field than as the
  // missing-field error of the name it was meant to be.
  std::vector<std::string> known = std::move(extra);
  for (auto& f : fields) known.push_back(f.name);
  obj.rejectUnknown(known);
  for (auto& f : fields)
    if (!f.optional || obj.find(f.name)) obj.at(f.name).asSourcedNumber(f.min, f.max);
}

void checkFamilies(const JsonView& cost) {
  auto fams = cost.at("families");
  auto items = fams.items();
  if (items.empty())
    fams.fail("ip.bad-model", "\"families\" is empty", "list the device families that have this primitive");
  for (auto& f : items)
    if (!parseDeviceFamily(f.asString()) || f.asString() == "asic")
      f.fail("ip.bad-model", "unknown FPGA family \"" + f.asString() + "\"", "use xc7, xcup or ice40");
}

void checkAnchors(const JsonView& cost) {
  auto anchors = cost.at("anchors").items();
  if (anchors.empty())
    cost.at("anchors").fail("ip.bad-model", "a memory cost model needs at least one anchor point",
                            "add {capacity_bytes, width_bits, read_energy_pj, write_energy_pj}");
  double last = 0;
  for (auto& a : anchors) {
    checkFields(a, {{"capacity_bytes", 1, 1e12}, {"width_bits", 1, 65536},
                    {"read_energy_pj", 1e-9, 1e9}, {"write_energy_pj", 1e-9, 1e9}}, {});
    double c = a.at("capacity_bytes").asSourcedNumber();
    if (c <= last)
      a.fail("ip.bad-model", "anchors must be sorted by strictly increasing capacity_bytes",
             "order the anchor points from the smallest to the largest memory");
    last = c;
  }
}

void checkConfigurations(const JsonView& cost) {
  double capacity = cost.at("capacity_bits").asSourcedNumber(1, 1e9);
  auto cfgs = cost.at("configurations").items();
  if (cfgs.empty())
    cost.at("configurations").fail("ip.bad-model", "no width/depth configuration",
                                    "list the primitive's aspect ratios as {width_bits, depth}");
  for (auto& c : cfgs) {
    checkFields(c, {{"width_bits", 1, 4096}, {"depth", 1, 1e9}}, {});
    double bits = c.at("width_bits").asSourcedNumber() * c.at("depth").asSourcedNumber();
    if (bits > capacity)
      c.fail("ip.bad-model", "width_bits x depth exceeds capacity_bits",
             "check the configuration against the datasheet");
  }
}

void checkMacFpga(const JsonView& fpga) {
  for (auto& [fam, m] : fpga.members()) {
    auto f = parseDeviceFamily(fam);
    if (!f || *f == DeviceFamily::Asic)
      m.fail("ip.bad-model", "unknown FPGA family \"" + fam + "\"", "use xc7, xcup or ice40");
    m.rejectUnknown({"dsp", "lut"});
    if (!m.has("dsp") && !m.has("lut"))
      m.fail("ip.bad-model", "an FPGA mapping needs \"dsp\" or \"lut\"", "describe how the MAC is built");
    if (auto d = m.find("dsp")) checkFields(*d, detail::macDspFields(), {});
    if (auto l = m.find("lut")) checkFields(*l, detail::macLutFields(), {});
  }
}

ParamRange parseParam(const std::string& name, const JsonView& p) {
  p.rejectUnknown({"unit", "min", "max", "default"});
  ParamRange r;
  r.name = name;
  r.unit = p.at("unit").asString();
  r.min = p.at("min").asSourcedNumber();
  r.max = p.at("max").asSourcedNumber();
  r.defaultValue = p.at("default").asSourcedNumber();
  if (r.min > r.max || r.defaultValue < r.min || r.defaultValue > r.max)
    p.fail("ip.bad-model", "parameter \"" + name + "\" needs min <= default <= max",
           "fix the range or the default");
  return r;
}

IpEntry parse(const Json& json, const std::string& file) {
  JsonView root(json, file);
  if (!root.isObject()) root.fail("json.type", "an IP file must be a JSON object", "see docs/ip_library.md");
  root.requireSchemaVersion(1);
  root.rejectUnknown(kTopFields);
  IpEntry e;
  e.file = file;
  e.numbers = collectNumbers(root);

  e.id = root.at("id").asString();
  if (!file.empty()) {
    std::string stem = std::filesystem::path(file).stem().string();
    if (stem != e.id)
      root.at("id").fail("ip.id-mismatch", "id \"" + e.id + "\" differs from the file name \"" + stem + "\"",
                         "name the file <id>.json");
  }
  auto kindView = root.at("kind");
  auto kind = parseIpKind(kindView.asString());
  if (!kind)
    kindView.fail("ip.unknown-kind", "unknown IP kind \"" + kindView.asString() + "\"",
                  "use one of: mac, regfile, sram, bram18, bram36, uram, lutram, ice40_ebr, ice40_spram, "
                  "dram, noc, dma, vector, controller");
  e.kind = *kind;
  e.description = root.at("description").asString();

  auto tpl = root.at("template");
  if (!tpl.raw().is_null()) {
    std::string t = tpl.asString();
    if (t.size() < 3 || t.substr(t.size() - 2) != ".v" || t.find('/') != std::string::npos ||
        t.find('\\') != std::string::npos)
      tpl.fail("ip.bad-template", "template \"" + t + "\" is not a Verilog file name under templates/",
               "write a bare file name such as \"mac_pe.v\", or null if the IP has no RTL form");
    e.templateFile = t;
  }

  if (auto tech = root.find("technology_nm")) {
    e.referenceTechnologyNm = static_cast<int>(std::lround(tech->asSourcedNumber(1, 1000)));
  } else if (needsTechnology(e.kind)) {
    root.at("technology_nm");  // json.missing-field
  }

  auto params = root.at("parameters");
  for (auto& [name, p] : params.members()) e.params.push_back(parseParam(name, p));
  for (const char* name : requiredParams(e.kind)) {
    const ParamRange* r = e.findParam(name);
    if (!r)
      params.fail("ip.bad-model", "a " + std::string(toString(e.kind)) + " IP needs the parameter \"" + name + "\"",
                  "add \"" + std::string(name) + "\": {\"unit\", \"min\", \"max\", \"default\"} (docs/ip_library.md)");
    if (r->min < 1)
      params.at(name).fail("ip.bad-model", "parameter \"" + std::string(name) + "\" must have min >= 1",
                           "sizes, widths and lane counts are positive");
  }

  if (auto rtl = root.find("rtl")) {
    if (!e.templateFile)
      rtl->fail("ip.bad-model", "\"rtl\" figures need a Verilog \"template\"",
                "give the template the figures were measured on, or drop \"rtl\"");
    if (detail::rtlFields(e.kind).empty())
      rtl->fail("ip.bad-model", "a " + std::string(toString(e.kind)) + " IP takes no \"rtl\" figures",
                "on-chip memories get their RTL resources from the memory model");
    for (auto& [fam, obj] : rtl->members()) {
      if (!parseDeviceFamily(fam) || fam == "asic")
        obj.fail("ip.bad-model", "\"rtl\" has an unknown FPGA family \"" + fam + "\"", "use xc7, xcup or ice40");
      checkFields(obj, detail::rtlFields(e.kind), {});
    }
    e.rtl = rtl->raw();
  }

  auto cost = root.at("cost");
  std::vector<std::string> extra;
  switch (e.kind) {
    case IpKind::RegFile: case IpKind::Sram:
      checkAnchors(cost);
      extra = {"anchors"};
      break;
    case IpKind::Bram18: case IpKind::Bram36: case IpKind::Uram: case IpKind::Ice40Ebr:
    case IpKind::Ice40Spram:
      checkConfigurations(cost);
      checkFamilies(cost);
      extra = {"configurations", "families"};
      break;
    case IpKind::LutRam:
      checkFamilies(cost);
      extra = {"families"};
      break;
    default:
      break;
  }
  checkFields(cost, detail::costFields(e.kind), extra);
  e.model = cost.raw();

  if (auto fpga = root.find("fpga")) {
    if (e.kind != IpKind::Mac)
      fpga->fail("ip.bad-model", "\"fpga\" mappings are only read for MAC IPs",
                 "remove it; FPGA resources of this kind follow from its cost model");
    checkMacFpga(*fpga);
    e.model["fpga"] = fpga->raw();
  }

  auto sources = root.at("sources");
  if (sources.asStringArray().empty())
    sources.fail("ip.unsourced", "\"sources\" is empty", "list the papers and datasheets the numbers come from");
  return e;
}

}  // namespace

const ParamRange* IpEntry::findParam(std::string_view name) const {
  for (auto& p : params)
    if (p.name == name) return &p;
  return nullptr;
}

std::optional<double> IpEntry::defaultParam(std::string_view name) const {
  if (auto* p = findParam(name)) return p->defaultValue;
  return std::nullopt;
}

diag::Status IpEntry::checkParam(std::string_view name, double value) const {
  const ParamRange* p = findParam(name);
  if (!p) {
    std::string list;
    for (auto& q : params) list += (list.empty() ? "" : ", ") + q.name;
    return diag::error("ip.unknown-param", {file, "/parameters"},
                       "IP \"" + id + "\" has no parameter \"" + std::string(name) + "\"",
                       list.empty() ? "this IP takes no parameters" : "its parameters are: " + list);
  }
  if (!(value >= p->min && value <= p->max)) {
    auto txt = [](double d) {
      std::string s = std::to_string(d);
      s.erase(s.find_last_not_of('0') + 1);
      if (!s.empty() && s.back() == '.') s.pop_back();
      return s;
    };
    return diag::error("ip.param-range", {file, "/parameters/" + io::escapePointerToken(name)},
                       "IP \"" + id + "\": " + std::string(name) + " = " + txt(value) + " is outside [" +
                           txt(p->min) + ", " + txt(p->max) + "] " + p->unit,
                       "use a value in the legal range, or another IP");
  }
  return diag::Status::success();
}

diag::Expected<IpEntry> parseIpEntry(const io::Json& json, const std::string& file) {
  return diag::capture([&] { return parse(json, file); });
}

}  // namespace dnnchip::ip
