// Manifest of a generated design folder: JSON out (deterministic: ordered_json in a fixed member
// order) and back in with JsonView, so a damaged manifest gets a located diagnostic.

#include "dnnchip/codegen/Manifest.h"

#include "dnnchip/codegen/Generator.h"

namespace dnnchip::codegen {

io::Json manifestToJson(const Manifest& m, const workload::Model& model) {
  const auto& c = m.config;
  io::Json j;
  j["schema_version"] = 1;
  j["generator"] = "dnnchip generate";
  j["top"] = kTopModule;
  j["seed"] = m.seed;
  j["clock_mhz"] = m.clockMhz;
  j["engine"] = {{"rows", c.rows},
                 {"cols", c.cols},
                 {"dataflow", std::string(schedule::dataflowName(c.dataflow))},
                 {"act_depth", c.actBufferWords},
                 {"acc_depth", c.accBufferWords},
                 {"double_buffer", c.doubleBuffer},
                 {"weight_group", c.weightGroup},
                 {"fuse_residual_add", c.fuseResidualAdd},
                 {"wide_gather", c.wideGather},
                 {"pool_line_words", c.poolLineWords},
                 {"axi_data_bits", c.axiDataBits},
                 {"axi_addr_bits", c.axiAddrBits},
                 {"burst_max_beats", c.burstMaxBeats},
                 {"prog_depth", c.progDepth},
                 {"dram_read_latency_cycles", c.dramReadLatencyCycles},
                 {"dram_write_latency_cycles", c.dramWriteLatencyCycles},
                 {"read_outstanding", c.readOutstanding},
                 {"write_outstanding", c.writeOutstanding}};
  if (c.pack > 1) j["engine"]["pack"] = c.pack;  // absent: 1 (unpacked outputs stay as before)
  if (c.weightSkew) j["engine"]["weight_skew"] = true;  // absent: false
  if (c.requantBits != 32) j["engine"]["requant_operand_bits"] = c.requantBits;  // absent: 32
  // absent: no depthwise unit; simulate and synth must lower the model as generate did (with the
  // unit, depthwise layers take other descriptors, weights and a smaller memory image)
  if (c.depthwiseUnit) {
    j["engine"]["depthwise_unit"] = true;
    j["engine"]["depthwise_line_bits"] = c.depthwiseLineBits;
  }
  if (c.requantLutMult) j["engine"]["requant_mult"] = "lut";                     // absent: "dsp"
  j["mem_bytes"] = m.memBytes;
  j["max_ranges"] = m.maxRanges;
  j["rtl_files"] = m.rtlFiles;
  io::Json tensors = io::Json::array();
  for (const auto& t : m.program.tensors) {
    const char* kind = t.kind == schedule::TensorKind::Activation ? "activation"
                       : t.kind == schedule::TensorKind::Weight   ? "weight" : "bias";
    io::Json e = {{"name", t.name}, {"kind", kind}, {"base_address", t.baseAddress}, {"size_bytes", t.sizeBytes}};
    if (!t.shape.empty()) e["shape"] = t.shape;
    if (t.haloLeft || t.haloRight) e["halo_columns"] = {t.haloLeft, t.haloRight};
    if (t.stackRows)
      e["stacked_rows"] = {{"rows", t.stackRows}, {"out_rows", t.stackOutRows}, {"stride", t.stackStride},
                           {"pad_top", t.stackPadTop}};
    tensors.push_back(e);
  }
  j["tensors"] = tensors;
  io::Json layers = io::Json::array();
  uint64_t total = schedule::kEndCycles;
  for (size_t i = 0; i < m.predicted.size(); ++i) {
    const auto& pc = m.predicted[i];
    std::string name = pc.layerIndex >= 0 && static_cast<size_t>(pc.layerIndex) < model.layers.size()
                           ? model.layers[static_cast<size_t>(pc.layerIndex)].name : "";
    if (i < m.program.descriptors.size() && (m.program.descriptors[i].fuseAdd || m.program.descriptors[i].fusePool))
      name = m.program.descriptors[i].layerName;  // conv+add, conv+pool
    layers.push_back({{"layer", name}, {"cycles", pc.total()}});
    total += pc.total();
  }
  j["predicted_cycles"] = {{"layers", layers}, {"total", total}};
  j["design"] = m.designJson;
  j["model"] = m.modelJson;
  return j;
}

diag::Expected<LoadedManifest> loadManifest(const std::filesystem::path& dir) {
  std::filesystem::path file = dir / kManifestFile;
  std::error_code ec;
  if (!std::filesystem::exists(file, ec))
    return diag::error("codegen.not-generated", {dir.string(), ""},
                       dir.string() + " is not a generated design folder (no " + std::string(kManifestFile) + ")",
                       "run `dnnchip generate --design D --model M -o DIR` first and pass that DIR");
  auto json = io::readJsonFile(file);
  if (!json) return json.error();
  return diag::capture([&]() -> LoadedManifest {
    io::JsonView v(*json, file.string());
    v.requireSchemaVersion(1);
    LoadedManifest out;
    Manifest& m = out.manifest;
    m.seed = static_cast<uint64_t>(v.at("seed").asInt(0));
    m.clockMhz = v.at("clock_mhz").asNumber(0.001, 1e6);
    auto e = v.at("engine");
    auto& c = m.config;
    c.rows = static_cast<int>(e.at("rows").asInt(1, 64));
    c.cols = static_cast<int>(e.at("cols").asInt(1, 64));
    std::string df = e.at("dataflow").asString();
    c.dataflow = df == std::string(schedule::dataflowName(schedule::Dataflow::OutputStationary))
                     ? schedule::Dataflow::OutputStationary : schedule::Dataflow::WeightStationary;
    c.actBufferWords = static_cast<int>(e.at("act_depth").asInt(1, 1 << 24));
    c.accBufferWords = static_cast<int>(e.at("acc_depth").asInt(1, 1 << 24));
    c.doubleBuffer = e.at("double_buffer").asBool();
    if (auto p = e.find("pack")) c.pack = static_cast<int>(p->asInt(1, 2));
    if (auto w = e.find("weight_skew")) c.weightSkew = w->asBool();
    if (auto w = e.find("weight_group")) c.weightGroup = static_cast<int>(w->asInt(1, 16));
    if (auto f = e.find("fuse_residual_add")) c.fuseResidualAdd = f->asBool();
    if (auto w = e.find("wide_gather")) c.wideGather = w->asBool();
    if (auto p = e.find("pool_line_words")) c.poolLineWords = static_cast<int>(p->asInt(0, 65535));
    if (auto q = e.find("requant_operand_bits")) c.requantBits = static_cast<int>(q->asInt(27, 32));
    if (auto d = e.find("depthwise_unit")) c.depthwiseUnit = d->asBool();
    if (auto d = e.find("depthwise_line_bits")) c.depthwiseLineBits = static_cast<int>(d->asInt(3, 12));
    if (auto q = e.find("requant_mult")) c.requantLutMult = q->asString() == "lut";
    c.axiDataBits = static_cast<int>(e.at("axi_data_bits").asInt(32, 512));
    c.axiAddrBits = static_cast<int>(e.at("axi_addr_bits").asInt(16, 64));
    c.burstMaxBeats = static_cast<int>(e.at("burst_max_beats").asInt(1, 256));
    c.progDepth = static_cast<int>(e.at("prog_depth").asInt(1, 1 << 20));
    c.dramReadLatencyCycles = static_cast<int>(e.at("dram_read_latency_cycles").asInt(1, 100000));
    c.dramWriteLatencyCycles = static_cast<int>(e.at("dram_write_latency_cycles").asInt(1, 100000));
    if (auto r = e.find("read_outstanding")) c.readOutstanding = static_cast<int>(r->asInt(1, 16));
    if (auto w = e.find("write_outstanding")) c.writeOutstanding = static_cast<int>(w->asInt(1, 16));
    m.memBytes = static_cast<uint32_t>(v.at("mem_bytes").asInt(1, INT32_MAX));
    m.maxRanges = static_cast<int>(v.at("max_ranges").asInt(1, 1 << 20));
    m.rtlFiles = v.at("rtl_files").asStringArray();
    m.designJson = v.at("design").raw();
    m.modelJson = v.at("model").raw();
    if (auto n = m.designJson.find("name"); n != m.designJson.end() && n->is_string()) m.designName = n->get<std::string>();
    auto model = workload::parseModel(m.modelJson, file.string() + "#/model");
    if (!model) throw diag::DiagnosticError(model.error());
    out.model = std::move(*model);
    return out;
  });
}

}  // namespace dnnchip::codegen
