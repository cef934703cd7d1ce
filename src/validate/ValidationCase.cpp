// Reads a validation case (designs/validation/<case>/case.json, docs/validation.md#case-files):
// parse with located diagnostics, then check what the schema alone cannot (the layers a row names
// exist in the model, a tolerance wider than the goal says why, every figure has a source). The
// model is loaded once and its batch written into every input's first dimension, so the mapper
// and the predictor see the batch as the N loop (the same model `dnnchip predict --batch` runs).
// Cost: one model load per case. Folders are listed sorted so the suite runs in a stable order.

#include "dnnchip/validate/ValidationCase.h"

#include <algorithm>
#include <cstdio>
#include <system_error>

#include "dnnchip/io/Json.h"

namespace dnnchip::validate {

namespace fs = std::filesystem;

std::string_view metricName(MeasuredMetric m) {
  switch (m) {
    case MeasuredMetric::LatencyMs: return "latency_ms";
    case MeasuredMetric::PowerMw: return "power_mw";
    case MeasuredMetric::AccessMb: return "access_mb";
  }
  return "?";
}

std::string MeasuredFigure::scopeLabel() const {
  std::string at = node.empty() ? "" : " @" + node;
  if (hostMs > 0) {
    char host[48];
    std::snprintf(host, sizeof host, " + host %.2f ms", hostMs);
    at += host;
  }
  if (layers.empty()) return "network" + at;
  if (layers.size() == 1) return layers.front() + at;
  return layers.front() + ".." + layers.back() + at;
}

namespace {

// A model name or a file in the case folder; the batch goes into every input's first dimension.
workload::Model loadBatchedModel(const io::JsonView& v, const fs::path& dir, int64_t batch, std::string& label) {
  const std::string ref = v.asString();
  const fs::path local = dir / ref;
  std::error_code ec;
  const bool isFile = fs::is_regular_file(local, ec);
  auto m = isFile ? workload::loadModel(local) : workload::loadModelByName(ref);
  if (!m) throw diag::DiagnosticError(m.error());
  label = ref;
  if (batch == 1) return std::move(*m);
  io::Json j = workload::toJson(*m);
  for (io::Json& in : j["inputs"]) {
    if (!in.contains("shape") || !in["shape"].is_array() || in["shape"].empty()) continue;
    in["shape"][0] = batch;
  }
  auto b = workload::parseModel(j, isFile ? local.string() : ref);
  if (!b) throw diag::DiagnosticError(b.error());
  return std::move(*b);
}

MeasuredFigure parseFigure(const io::JsonView& v, const workload::Model& model) {
  v.rejectUnknown({"metric", "layers", "value", "source", "tolerance", "tolerance_reason", "exclude_nodes", "node", "note",
                   "host_ms"});
  MeasuredFigure f;
  f.pointer = v.pointer();
  const io::JsonView metric = v.at("metric");
  const std::string name = metric.asString();
  if (name == "latency_ms") f.metric = MeasuredMetric::LatencyMs;
  else if (name == "power_mw") f.metric = MeasuredMetric::PowerMw;
  else if (name == "access_mb") f.metric = MeasuredMetric::AccessMb;
  else
    metric.fail("validation.bad-metric", "unknown measured metric '" + name + "'",
                "use latency_ms, power_mw or access_mb");
  if (auto nd = v.find("node")) {
    if (f.metric != MeasuredMetric::AccessMb)
      nd->fail("validation.bad-metric", "node applies to access_mb rows only", "remove it from this row");
    f.node = nd->asString();
  } else if (f.metric == MeasuredMetric::AccessMb) {
    metric.fail("validation.bad-metric", "an access_mb row without \"node\"",
                "name the memory node of the design whose accesses were measured (e.g. \"glb\")");
  }
  if (auto layers = v.find("layers")) {
    f.layers = layers->asStringArray();
    const auto items = layers->items();
    if (items.empty())
      layers->fail("validation.unknown-layer", "an empty layer list", "omit \"layers\" for the whole network");
    for (size_t i = 0; i < f.layers.size(); ++i) {
      const workload::Layer* L = model.findLayer(f.layers[i]);
      if (!L)
        items[i].fail("validation.unknown-layer",
                      "layer '" + f.layers[i] + "' is not in model '" + model.name + "'",
                      "use the layer names listed by `dnnchip model show`");
    }
  }
  f.value = v.at("value").asNumber(1e-12, 1e12);
  const io::JsonView src = v.at("source");
  f.source = src.asString();
  if (f.source.empty())
    src.fail("validation.unsourced", "a measured figure without a source",
             "name the paper and table, or the user guide and table, the figure comes from");
  f.tolerance = f.goal();
  if (auto t = v.find("tolerance")) f.tolerance = t->asNumber(0.0, 10.0);
  if (auto r = v.find("tolerance_reason")) f.toleranceReason = r->asString();
  if (f.tolerance > f.goal() + 1e-12 && f.toleranceReason.empty())
    v.fail("validation.tolerance-unexplained",
           "tolerance " + std::to_string(f.tolerance) + " is wider than the goal " + std::to_string(f.goal()),
           "add \"tolerance_reason\" saying what the model leaves out, or tighten the tolerance");
  if (auto h = v.find("host_ms")) {
    if (f.metric != MeasuredMetric::LatencyMs)
      h->fail("validation.bad-metric", "host_ms applies to latency_ms rows only", "remove it from this row");
    h->rejectUnknown({"value", "source"});
    f.hostMs = h->at("value").asNumber(0.0, 1e6);
    const io::JsonView src = h->at("source");
    f.hostSource = src.asString();
    if (f.hostSource.empty())
      src.fail("validation.unsourced", "a host time without a source",
               "name the published measurements the host part of the figure comes from");
  }
  if (auto x = v.find("exclude_nodes")) {
    if (f.metric != MeasuredMetric::PowerMw)
      x->fail("validation.bad-metric", "exclude_nodes applies to power_mw rows only", "remove it from this row");
    f.excludeNodes = x->asStringArray();
  }
  return f;
}

ValidationCase parseCase(const io::Json& json, const fs::path& dir, const fs::path& file) {
  io::JsonView root(json, file.string());
  root.requireSchemaVersion(1);
  root.rejectUnknown({"schema_version", "name", "description", "hardware", "family", "model", "batch", "design",
                      "mapping", "measured", "sources", "notes", "input_zero_fraction"});
  ValidationCase c;
  c.dir = dir;
  c.file = file;
  c.name = dir.filename().string();
  if (auto n = root.find("name")) {
    const std::string given = n->asString();
    if (given != c.name)
      n->fail("validation.bad-name", "case name '" + given + "' differs from its folder '" + c.name + "'",
              "rename the folder or the case so they agree");
  }
  if (auto d = root.find("description")) c.description = d->asString();
  c.hardware = root.at("hardware").asString();
  c.family = c.hardware;
  if (auto f = root.find("family")) c.family = f->asString();
  if (auto b = root.find("batch")) c.batch = b->asInt(1, 1 << 16);
  c.model = loadBatchedModel(root.at("model"), dir, c.batch, c.modelLabel);
  const std::string design = root.at("design").asString();
  std::error_code ec;
  c.design = fs::is_regular_file(dir / design, ec) ? (dir / design).string() : design;

  const io::JsonView mp = root.at("mapping");
  mp.rejectUnknown({"policy", "objective", "seed", "budget_evals", "file"});
  const io::JsonView pol = mp.at("policy");
  const std::string policy = pol.asString();
  if (policy == "search") c.policy = MappingPolicy::Search;
  else if (policy == "default") c.policy = MappingPolicy::Default;
  else if (policy == "file") c.policy = MappingPolicy::File;
  else
    pol.fail("validation.bad-policy", "unknown mapping policy '" + policy + "'", "use search, default or file");
  if (auto o = mp.find("objective")) {
    auto m = search::metricFromName(o->asString());
    if (!m) o->fail("validation.bad-policy", "unknown objective '" + o->asString() + "'", "use latency, energy or edp");
    c.objective = *m;
  }
  if (auto s = mp.find("seed")) c.seed = static_cast<uint64_t>(s->asInt(0, INT64_MAX));
  if (auto b = mp.find("budget_evals")) c.budgetPerLayer = b->asInt(100, int64_t{1} << 40);
  if (c.policy == MappingPolicy::File) {
    const io::JsonView f = mp.at("file");
    c.mappingFile = dir / f.asString();
    if (!fs::is_regular_file(c.mappingFile, ec))
      f.fail("validation.bad-policy", "mapping file '" + c.mappingFile.string() + "' does not exist",
             "give a mapping file in the case folder");
  }

  if (auto zf = root.find("input_zero_fraction")) {
    for (const auto& [layer, entry] : zf->members()) {
      if (!c.model.findLayer(layer))
        entry.fail("validation.unknown-layer", "layer '" + layer + "' is not in model '" + c.model.name + "'",
                   "use the layer names listed by `dnnchip model show`");
      entry.rejectUnknown({"value", "source"});
      const double z = entry.at("value").asNumber(0.0, 1.0);
      const io::JsonView src = entry.at("source");
      if (src.asString().empty())
        src.fail("validation.unsourced", "a zero fraction without a source",
                 "name the paper and table the fraction of zero inputs comes from");
      c.inputZeroFraction.emplace_back(layer, z);
    }
  }

  const io::JsonView rows = root.at("measured");
  for (const io::JsonView& r : rows.items()) c.measured.push_back(parseFigure(r, c.model));
  if (c.measured.empty())
    rows.fail("validation.bad-metric", "a case without measured figures", "add at least one measured figure");
  return c;
}

}  // namespace

diag::Expected<ValidationCase> loadCase(const fs::path& dir) {
  const fs::path file = dir / "case.json";
  auto j = io::readJsonFile(file);
  if (!j) return j.error();
  return diag::capture([&] { return parseCase(*j, dir, file); });
}

diag::Expected<SuiteListing> listSuite(const fs::path& suiteDir) {
  std::error_code ec;
  if (!fs::is_directory(suiteDir, ec))
    return diag::error("validation.no-suite", {suiteDir.string(), ""}, "the validation suite folder does not exist",
                       "pass --suite with a folder of case folders (designs/validation)");
  SuiteListing out;
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(suiteDir, ec))
    if (e.is_directory()) dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());
  for (const fs::path& d : dirs) {
    if (fs::is_regular_file(d / "case.json", ec)) out.cases.push_back(d);
    else out.skipped.push_back(d.filename().string());
  }
  if (out.cases.empty())
    return diag::error("validation.empty-suite", {suiteDir.string(), ""}, "the suite folder holds no case.json",
                       "each case is a sub-folder with a case.json (docs/validation.md#case-files)");
  return out;
}

}  // namespace dnnchip::validate
