// Constraint files: parse, then validate (docs/constraints.md). Parsing uses io::JsonView so every
// problem carries the file and the JSON pointer; validation adds the constraints.* codes:
// unknown platform/objective/template/dataflow/IP, empty allowed sets, contradictory bounds
// (min above max) and a missing platform. Bounds are stored in SI units (latency in seconds,
// energy in joules). Cost: linear in the file size.

#include "dnnchip/search/Constraints.h"

#include <algorithm>
#include <cmath>

#include "dnnchip/arch/Registry.h"
#include "dnnchip/io/DataPaths.h"

namespace dnnchip::search {

namespace {

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

void addOnce(std::vector<std::string>& v, const std::string& x) {
  if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
}

// Bound keys: file name, metric, factor from the file's unit to SI.
struct BoundKey {
  std::string_view key;
  Metric metric;
  double toSi;
};
constexpr BoundKey kBoundKeys[] = {
    {"latency_ms", Metric::Latency, 1e-3},   {"throughput_fps", Metric::Throughput, 1.0},
    {"power_w", Metric::Power, 1.0},         {"area_mm2", Metric::Area, 1.0},
    {"energy_mj", Metric::Energy, 1e-3},
};
constexpr std::string_view kShareKeys[] = {"dsp_share", "bram_share", "uram_share", "lut_share",
                                           "ff_share"};

ResourceBudget parseResources(const io::JsonView& v) {
  v.rejectUnknown({"dsp", "bram18", "bram36", "uram", "lut", "ff"});
  ResourceBudget r;
  auto get = [&](std::string_view k) -> int64_t {
    auto f = v.find(k);
    return f ? f->asInt(0, int64_t{1} << 40) : 0;
  };
  r.dsp = get("dsp");
  r.bram18 = get("bram18") + 2 * get("bram36");
  r.uram = get("uram");
  r.lut = get("lut");
  r.ff = get("ff");
  return r;
}

PlatformRef parsePlatform(const io::JsonView& v, const std::vector<std::string>& known) {
  PlatformRef p;
  if (v.isString()) {
    p.name = v.asString();
    bool isFile = p.name.find('/') != std::string::npos ||
                  (p.name.size() > 5 && p.name.substr(p.name.size() - 5) == ".json");
    if (!isFile && std::find(known.begin(), known.end(), p.name) == known.end())
      v.fail("constraints.unknown-platform", "unknown platform \"" + p.name + "\"",
             "use one of: " + joined(known) + ", or give inline resources (docs/constraints.md)");
    if (isFile && !std::filesystem::exists(p.name))
      v.fail("constraints.unknown-platform", "platform file \"" + p.name + "\" does not exist",
             "give a built-in name (" + joined(known) + ") or an existing platform file");
    return p;
  }
  if (!v.isObject())
    v.fail("json.type", "\"platform\" must be a name or an object with inline resources",
           "see docs/constraints.md#platform");
  v.rejectUnknown({"kind", "resources", "area_mm2", "clock_mhz", "dram_bandwidth_gbps"});
  p.kind = v.at("kind").asString();
  if (p.kind != "fpga" && p.kind != "asic")
    v.at("kind").fail("value.range", "platform kind \"" + p.kind + "\" is neither fpga nor asic",
                      "use \"fpga\" or \"asic\"");
  if (auto r = v.find("resources")) p.resources = parseResources(*r);
  if (auto a = v.find("area_mm2")) p.areaMm2 = a->asNumber(1e-6, 1e6);
  p.clockMhz = v.at("clock_mhz").asNumber(1e-3, 1e5);
  p.dramBytesPerSecond = v.at("dram_bandwidth_gbps").asNumber(1e-6, 1e6) * 1e9;
  if (p.kind == "fpga" && (!p.resources || p.resources->dsp + p.resources->lut == 0))
    v.fail("constraints.empty-platform", "an inline FPGA platform needs \"resources\" with DSPs or LUTs",
           "add \"resources\": {\"dsp\": ..., \"bram18\": ..., \"lut\": ..., \"ff\": ...}");
  if (p.kind == "asic" && !p.areaMm2)
    v.fail("constraints.empty-platform", "an inline ASIC platform needs \"area_mm2\"",
           "add \"area_mm2\": the silicon area budget in mm^2");
  return p;
}

Objective parseObjective(const io::JsonView& v) {
  Objective o;
  auto known = [] {
    std::vector<std::string> n;
    for (int i = 0; i < static_cast<int>(Metric::kCount); ++i)
      n.emplace_back(metricName(static_cast<Metric>(i)));
    return n;
  }();
  if (v.isString()) {
    auto m = metricFromName(v.asString());
    if (!m)
      v.fail("constraints.unknown-objective", "unknown objective \"" + v.asString() + "\"",
             "use one of: " + joined(known) + ", or {\"weighted_sum\": {...}}");
    o.metric = *m;
    return o;
  }
  if (!v.isObject())
    v.fail("json.type", "\"objective\" must be a metric name or {\"weighted_sum\": {...}}",
           "see docs/constraints.md#objective");
  v.rejectUnknown({"weighted_sum"});
  auto ws = v.at("weighted_sum");
  auto members = ws.members();
  if (members.empty())
    ws.fail("constraints.unknown-objective", "\"weighted_sum\" names no metric",
            "give at least one weight, e.g. {\"latency\": 1, \"energy\": 1}");
  o.weighted = true;
  bool anyPositive = false;
  for (auto& [name, w] : members) {
    auto m = metricFromName(name);
    if (!m)
      w.fail("constraints.unknown-objective", "unknown metric \"" + name + "\" in weighted_sum",
             "use one of: " + joined(known));
    o.weights[static_cast<int>(*m)] = w.asNumber(0, 1e6);
    anyPositive = anyPositive || o.weights[static_cast<int>(*m)] > 0;
  }
  if (!anyPositive)
    ws.fail("constraints.unknown-objective", "every weight in \"weighted_sum\" is zero",
            "give at least one positive weight");
  return o;
}

/// The listed names, each once, in the order of `all` (unknown names fail with `code`).
std::vector<std::string> parseAllowed(const io::JsonView& v, const std::vector<std::string>& all, const char* code,
                                      const char* what) {
  auto list = v.items();
  if (list.empty())
    v.fail("constraints.empty-allowed", std::string("the allowed ") + what + " list is empty",
           "remove the member to allow all, or list at least one of: " + joined(all));
  std::vector<std::string> given;
  for (auto& item : list) {
    std::string s = item.asString();
    if (std::find(all.begin(), all.end(), s) == all.end())
      item.fail(code, std::string("unknown ") + what + " \"" + s + "\"", "use one of: " + joined(all));
    given.push_back(s);
  }
  std::vector<std::string> out;
  for (const auto& a : all)
    if (std::find(given.begin(), given.end(), a) != given.end()) out.push_back(a);
  return out;
}

Constraints parseImpl(const io::Json& json, const std::string& file,
                      const std::vector<std::string>& knownPlatforms,
                      const std::vector<std::string>& knownIps) {
  io::JsonView root(json, file);
  if (!root.isObject())
    root.fail("json.type", "a constraint file must be a JSON object", "see docs/constraints.md");
  root.requireSchemaVersion(1);
  root.rejectUnknown({"schema_version", "description", "platform", "clock_mhz",
                      "dram_bandwidth_gbps", "bounds", "objective", "precision", "allowed", "budget",
                      "seed", "threads"});
  Constraints c;
  c.file = file;
  if (auto d = root.find("description")) c.description = d->asString();
  c.platform = parsePlatform(root.at("platform"), knownPlatforms);
  if (auto v = root.find("clock_mhz")) c.clockMhz = v->asNumber(1e-3, 1e5);
  if (auto v = root.find("dram_bandwidth_gbps")) c.dramBytesPerSecond = v->asNumber(1e-6, 1e6) * 1e9;

  if (auto b = root.find("bounds")) {
    std::vector<std::string> keys;
    for (auto& k : kBoundKeys) keys.emplace_back(k.key);
    for (auto& k : kShareKeys) keys.emplace_back(k);
    b->rejectUnknown(keys);
    for (auto& k : kBoundKeys) {
      auto v = b->find(k.key);
      if (!v) continue;
      v->rejectUnknown({"min", "max"});
      Bound bound;
      bound.metric = k.metric;
      bound.pointer = v->pointer();
      if (auto mn = v->find("min")) bound.min = mn->asNumber(0, 1e300) * k.toSi;
      if (auto mx = v->find("max")) bound.max = mx->asNumber(0, 1e300) * k.toSi;
      if (!bound.min && !bound.max)
        v->fail("constraints.empty-bound", "bound \"" + std::string(k.key) + "\" has neither min nor max",
                "give \"min\" and/or \"max\", or remove the bound");
      if (bound.min && bound.max && *bound.min > *bound.max)
        v->fail("constraints.contradictory-bounds",
                "\"" + std::string(k.key) + "\" has min " + v->at("min").raw().dump() +
                    " above max " + v->at("max").raw().dump(),
                "no design can meet it; lower min or raise max");
      if (bound.max && *bound.max == 0 && k.metric != Metric::Area && k.metric != Metric::Power)
        v->at("max").fail("constraints.contradictory-bounds",
                          "\"" + std::string(k.key) + "\" max is 0, which no design can meet",
                          "give a positive maximum");
      c.bounds.push_back(bound);
    }
    std::optional<double>* shares[] = {&c.shares.dsp, &c.shares.bram, &c.shares.uram,
                                       &c.shares.lut, &c.shares.ff};
    for (size_t i = 0; i < std::size(kShareKeys); ++i) {
      auto v = b->find(kShareKeys[i]);
      if (!v) continue;
      v->rejectUnknown({"max"});
      auto mx = v->at("max");
      double s = mx.asNumber(0, 1);
      if (s == 0)
        mx.fail("constraints.contradictory-bounds",
                "\"" + std::string(kShareKeys[i]) + "\" max is 0: a design needs some of it",
                "give a share in (0, 1], e.g. 0.9");
      *shares[i] = s;
    }
  }

  if (auto o = root.find("objective")) c.objective = parseObjective(*o);

  if (auto p = root.find("precision")) {
    p->rejectUnknown({"activation_bits", "weight_bits", "accumulator_bits"});
    if (auto v = p->find("activation_bits")) c.activationBits = static_cast<int>(v->asInt(1, 32));
    if (auto v = p->find("weight_bits")) c.weightBits = static_cast<int>(v->asInt(1, 32));
    if (auto v = p->find("accumulator_bits")) c.accumulatorBits = static_cast<int>(v->asInt(1, 64));
    if (c.accumulatorBits < c.activationBits + c.weightBits - 1)
      p->fail("constraints.contradictory-bounds",
              "accumulator_bits " + std::to_string(c.accumulatorBits) +
                  " cannot hold a product of " + std::to_string(c.activationBits) + "- and " +
                  std::to_string(c.weightBits) + "-bit operands",
              "use at least activation_bits + weight_bits - 1 accumulator bits");
  }

  c.templates = templateFamilies();
  c.dataflows = dataflowNames();
  if (auto a = root.find("allowed")) {
    a->rejectUnknown({"templates", "dataflows", "ips"});
    if (auto t = a->find("templates"))
      c.templates = parseAllowed(*t, templateFamilies(), "constraints.unknown-template", "template");
    if (auto d = a->find("dataflows"))
      c.dataflows = parseAllowed(*d, dataflowNames(), "constraints.unknown-dataflow", "dataflow");
    if (auto ips = a->find("ips")) {
      auto list = ips->items();
      if (list.empty())
        ips->fail("constraints.empty-allowed", "the allowed IP list is empty",
                  "remove the member to allow every IP, or list at least one");
      for (auto& item : list) {
        std::string s = item.asString();
        if (!knownIps.empty() && std::find(knownIps.begin(), knownIps.end(), s) == knownIps.end())
          item.fail("constraints.unknown-ip", "unknown IP \"" + s + "\"",
                    "use names from `dnnchip lib list ips`: " + joined(knownIps));
        if (std::find(c.ips.begin(), c.ips.end(), s) == c.ips.end()) c.ips.push_back(s);
      }
      std::sort(c.ips.begin(), c.ips.end());
    }
    // Only systolic arrays and pipelines run ws/os; the spatial array also runs rs (the
    // registry's SearchSpec::dataflows). A template none of whose dataflows is allowed leaves
    // nothing to search.
    bool any = false;
    for (const arch::Template* t : arch::builtinRegistry().all()) {
      const arch::SearchSpec spec = t->search();
      if (!c.allowsTemplate(spec.family)) continue;
      for (const std::string& d : spec.dataflows) any = any || c.allowsDataflow(d);
    }
    if (!any)
      a->fail("constraints.empty-allowed",
              "no allowed template supports an allowed dataflow (only spatial_array runs rs)",
              "allow \"ws\" or \"os\", or the \"spatial_array\" template");
  }

  if (auto b = root.find("budget")) {
    b->rejectUnknown({"max_evaluations", "max_seconds"});
    if (auto v = b->find("max_evaluations")) c.budget.maxEvaluations = v->asInt(1, int64_t{1} << 50);
    if (auto v = b->find("max_seconds")) c.budget.maxSeconds = v->asNumber(1e-3, 1e7);
  }
  if (auto s = root.find("seed")) c.seed = static_cast<uint64_t>(s->asInt(0, INT64_MAX));
  if (auto t = root.find("threads")) c.threads = static_cast<int>(t->asInt(0, 4096));
  return c;
}

}  // namespace

std::vector<std::string> templateFamilies() {
  std::vector<std::string> out;
  for (const arch::Template* t : arch::builtinRegistry().all())
    if (const std::string f = t->search().family; !f.empty()) addOnce(out, f);
  return out;
}

std::vector<std::string> dataflowNames() {
  std::vector<std::string> out;
  for (const arch::Template* t : arch::builtinRegistry().all())
    for (const std::string& d : t->search().dataflows) addOnce(out, d);
  return out;
}

bool Constraints::allowsTemplate(std::string_view family) const {
  return std::find(templates.begin(), templates.end(), family) != templates.end();
}
bool Constraints::allowsDataflow(std::string_view dataflow) const {
  return std::find(dataflows.begin(), dataflows.end(), dataflow) != dataflows.end();
}
bool Constraints::allowsIp(std::string_view name) const {
  return ips.empty() || std::find(ips.begin(), ips.end(), name) != ips.end();
}

diag::Expected<Constraints> parseConstraints(const io::Json& json, const std::string& file,
                                             const std::vector<std::string>& knownPlatforms,
                                             const std::vector<std::string>& knownIps) {
  return diag::capture([&] { return parseImpl(json, file, knownPlatforms, knownIps); });
}

diag::Expected<Constraints> loadConstraints(std::string_view nameOrPath) {
  auto path = io::resolveDataFile(nameOrPath, "designs/constraints", ".json", "constraints");
  if (!path) return path.error();
  auto json = io::readJsonFile(*path);
  if (!json) return json.error();
  return parseConstraints(*json, path->string(), io::builtinNames("designs/platforms", ".json"),
                          io::builtinNames("ip_library", ".json"));
}

io::Json toJson(const Constraints& c) {
  io::Json j;
  j["schema_version"] = 1;
  if (!c.description.empty()) j["description"] = c.description;
  if (!c.platform.name.empty()) {
    j["platform"] = c.platform.name;
  } else {
    io::Json p;
    p["kind"] = c.platform.kind;
    if (c.platform.resources) {
      const auto& r = *c.platform.resources;
      p["resources"] = {{"dsp", r.dsp}, {"bram18", r.bram18}, {"uram", r.uram}, {"lut", r.lut}, {"ff", r.ff}};
    }
    if (c.platform.areaMm2) p["area_mm2"] = *c.platform.areaMm2;
    if (c.platform.clockMhz) p["clock_mhz"] = *c.platform.clockMhz;
    if (c.platform.dramBytesPerSecond) p["dram_bandwidth_gbps"] = *c.platform.dramBytesPerSecond / 1e9;
    j["platform"] = p;
  }
  if (c.clockMhz) j["clock_mhz"] = *c.clockMhz;
  if (c.dramBytesPerSecond) j["dram_bandwidth_gbps"] = *c.dramBytesPerSecond / 1e9;
  io::Json b = io::Json::object();
  for (const Bound& bound : c.bounds)
    for (auto& k : kBoundKeys)
      if (k.metric == bound.metric) {
        io::Json x;
        if (bound.min) x["min"] = *bound.min / k.toSi;
        if (bound.max) x["max"] = *bound.max / k.toSi;
        b[std::string(k.key)] = x;
      }
  const std::optional<double>* shares[] = {&c.shares.dsp, &c.shares.bram, &c.shares.uram,
                                           &c.shares.lut, &c.shares.ff};
  for (size_t i = 0; i < std::size(kShareKeys); ++i)
    if (*shares[i]) b[std::string(kShareKeys[i])] = {{"max", **shares[i]}};
  if (!b.empty()) j["bounds"] = b;
  if (!c.objective.weighted) {
    j["objective"] = std::string(metricName(c.objective.metric));
  } else {
    io::Json w;
    for (int i = 0; i < static_cast<int>(Metric::kCount); ++i)
      if (c.objective.weights[i] != 0)
        w[std::string(metricName(static_cast<Metric>(i)))] = c.objective.weights[i];
    j["objective"] = {{"weighted_sum", w}};
  }
  j["precision"] = {{"activation_bits", c.activationBits}, {"weight_bits", c.weightBits},
                    {"accumulator_bits", c.accumulatorBits}};
  io::Json allowed;
  for (const std::string& t : c.templates) allowed["templates"].push_back(t);
  for (const std::string& d : c.dataflows) allowed["dataflows"].push_back(d);
  if (!c.ips.empty()) allowed["ips"] = c.ips;
  j["allowed"] = allowed;
  io::Json budget{{"max_evaluations", c.budget.maxEvaluations}};
  if (c.budget.maxSeconds) budget["max_seconds"] = *c.budget.maxSeconds;
  j["budget"] = budget;
  j["seed"] = c.seed;
  j["threads"] = c.threads;
  return j;
}

}  // namespace dnnchip::search
