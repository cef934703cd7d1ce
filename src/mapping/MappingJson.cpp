// Mapping JSON reader and writer (format: docs/mapping.md). Parse, then resolve level names
// against the engine's hierarchy; validity (factors, fan-out, capacity) is checkMapping()'s job.

#include "dnnchip/mapping/MappingJson.h"

#include <algorithm>
#include <string>

namespace dnnchip::mapping {

using workload::Dim;

namespace {

constexpr const char* kTensorNames[] = {"input", "weight", "output"};

Dim parseDim(const io::JsonView& where, const std::string& name) {
  if (name == "M") return Dim::K;  // Timeloop's name for output channels
  if (auto d = workload::dimFromName(name)) return *d;
  where.fail("mapping.dim", "unknown loop dimension '" + name + "'",
             "use one of G N K C P Q R S (M is accepted for K)");
}

void parseFactors(const io::JsonView& v, DimArray& out) {
  for (const auto& [key, val] : v.members()) out[parseDim(val, key)] = val.asInt(1, int64_t{1} << 40);
}

}  // namespace

diag::Expected<MappingFile> parseMappingFile(const io::Json& json, const std::string& file) {
  return diag::capture([&]() -> MappingFile {
    io::JsonView root(json, file);
    root.requireSchemaVersion(1);
    root.rejectUnknown({"schema_version", "layers", "description", "source"});
    MappingFile f;
    f.file = file;
    f.root = json;
    for (const auto& [name, obj] : root.at("layers").members()) {
      (void)obj;
      f.layerPointer[name] = "/layers/" + io::escapePointerToken(name);
    }
    return f;
  });
}

diag::Expected<MappingFile> loadMappingFile(const std::filesystem::path& path) {
  auto j = io::readJsonFile(path);
  if (!j) return j.error();
  return parseMappingFile(*j, path.string());
}

diag::Status checkLayersExist(const MappingFile& f, const workload::Model& model) {
  for (const auto& [name, ptr] : f.layerPointer) {
    const workload::Layer* l = model.findLayer(name);
    if (!l)
      return diag::error("mapping.unknown-layer", {f.file, ptr},
                         "mapping names layer '" + name + "', which model '" + model.name + "' does not have",
                         "use the layer names listed by `dnnchip model show`");
    if (!l->isCompute())
      return diag::error("mapping.unknown-layer", {f.file, ptr},
                         "layer '" + name + "' is a " + std::string(workload::opName(l->op)) +
                             " layer; only conv2d, fc and matmul layers take a mapping",
                         "remove it from the mapping file");
  }
  return diag::Status::success();
}

diag::Expected<Mapping> parseMapping(const io::JsonView& obj, const Hierarchy& h) {
  return diag::capture([&]() -> Mapping {
    obj.rejectUnknown({"levels", "spatial", "description"});
    Mapping m = Mapping::trivial(h);
    if (h.numLevels() > kMaxLevels)
      obj.fail("mapping.levels", "the engine has more than " + std::to_string(kMaxLevels) + " memory levels",
               "merge memory levels in the design");
    if (auto levels = obj.find("levels")) {
      for (const io::JsonView& lv : levels->items()) {
        lv.rejectUnknown({"level", "factors", "order", "keep"});
        const io::JsonView nameV = lv.at("level");
        const std::string name = nameV.asString();
        const int idx = h.findLevel(name);
        if (idx < 0) {
          std::string known;
          for (const auto& l : h.levels) known += (known.empty() ? "" : ", ") + l.name;
          nameV.fail("mapping.level-name", "engine '" + h.array.name + "' has no memory level '" + name + "'",
                     "use one of: " + known);
        }
        LevelLoops& L = m.levels[idx];
        if (auto f = lv.find("factors")) parseFactors(*f, L.factor);
        if (auto o = lv.find("order")) {
          std::vector<Dim> listed;
          for (const io::JsonView& e : o->items()) {
            const Dim d = parseDim(e, e.asString());
            if (std::find(listed.begin(), listed.end(), d) != listed.end())
              e.fail("mapping.order", "dimension listed twice in the loop order", "list each dimension once");
            listed.push_back(d);
          }
          int k = 0;
          for (Dim d : listed) L.order[k++] = d;
          for (int d = 0; d < workload::kNumDims; ++d)
            if (std::find(listed.begin(), listed.end(), static_cast<Dim>(d)) == listed.end())
              L.order[k++] = static_cast<Dim>(d);
        }
        if (auto keep = lv.find("keep")) {
          L.keeps = {false, false, false};
          for (const io::JsonView& e : keep->items()) {
            const std::string t = e.asString();
            int ti = -1;
            for (int i = 0; i < kNumTensors; ++i)
              if (t == kTensorNames[i]) ti = i;
            if (ti < 0) e.fail("mapping.tensor", "unknown tensor '" + t + "'", "use input, weight or output");
            L.keeps[ti] = true;
          }
        }
      }
    }
    if (auto sp = obj.find("spatial")) {
      sp->rejectUnknown({"X", "Y"});
      if (auto x = sp->find("X")) parseFactors(*x, m.spatialX);
      if (auto y = sp->find("Y")) parseFactors(*y, m.spatialY);
    }
    return m;
  });
}

std::optional<diag::Expected<Mapping>> mappingForLayer(const MappingFile& f, const std::string& layer,
                                                        const Hierarchy& h) {
  auto it = f.layerPointer.find(layer);
  if (it == f.layerPointer.end()) return std::nullopt;
  const io::Json& obj = f.root.at("layers").at(layer);
  return parseMapping(io::JsonView(obj, f.file, it->second), h);
}

io::Json toJson(const Mapping& m, const Hierarchy& h) {
  io::Json levels = io::Json::array();
  for (int l = 0; l < m.numLevels; ++l) {
    const LevelLoops& L = m.levels[l];
    io::Json lv;
    lv["level"] = h.levels[l].name;
    io::Json factors = io::Json::object();
    io::Json order = io::Json::array();
    for (Dim d : L.order) {
      order.push_back(workload::kDimNames[d]);
      if (L.factor[d] != 1) factors[workload::kDimNames[d]] = L.factor[d];
    }
    lv["factors"] = factors;
    lv["order"] = order;
    io::Json keep = io::Json::array();
    for (int t = 0; t < kNumTensors; ++t)
      if (L.keeps[t]) keep.push_back(kTensorNames[t]);
    lv["keep"] = keep;
    levels.push_back(lv);
  }
  auto axis = [](const DimArray& a) {
    io::Json o = io::Json::object();
    for (int d = 0; d < workload::kNumDims; ++d)
      if (a[d] != 1) o[workload::kDimNames[d]] = a[d];
    return o;
  };
  io::Json j;
  j["levels"] = levels;
  j["spatial"] = {{"X", axis(m.spatialX)}, {"Y", axis(m.spatialY)}};
  return j;
}

}  // namespace dnnchip::mapping
