// The generate flow as a list of steps: map the design onto the engine, lower the model to a tile
// program, draw the built-in test vectors and their golden outputs, assemble the DRAM images, then
// emit every file (emitters in EmitRtl.cpp / EmitScripts.cpp) into an in-memory FileSet that is
// written only when complete. Deterministic: sorted template list, no dates, seeded vectors.
// Cost: one golden run of the model plus O(DRAM bytes) of hex text.

#include "dnnchip/codegen/Generator.h"

#include <algorithm>
#include <sstream>

#include "Emit.h"
#include "dnnchip/codegen/DramImage.h"
#include "dnnchip/codegen/Manifest.h"
#include "dnnchip/graph/GraphJson.h"
#include "dnnchip/io/DataPaths.h"
#include "dnnchip/io/Files.h"

namespace dnnchip::codegen {

namespace fs = std::filesystem;

diag::Expected<schedule::Program> lowerForConfig(const workload::Model& model, schedule::EngineConfig& cfg) {
  cfg.progDepth = 1 << 15;
  auto first = schedule::buildProgram(model, cfg);
  if (!first) return first.error();
  int depth = 16;
  while (depth < static_cast<int>(first->descriptors.size()) + 1) depth *= 2;
  cfg.progDepth = depth;
  return schedule::buildProgram(model, cfg);
}

diag::Expected<Lowered> lower(const graph::AcceleratorGraph& design, const ip::IpLibrary& lib,
                              const workload::Model& model) {
  auto mapping = mapToEngine(design, lib);
  if (!mapping) return mapping.error();
  Lowered out;
  out.mapping = std::move(*mapping);
  auto program = lowerForConfig(model, out.mapping.config);
  if (!program) return program.error();
  if (auto s = golden::checkSupported(model); !s) return s.error();
  out.program = std::move(*program);
  return out;
}

RunImage makeRunImage(const schedule::Program& program, const schedule::EngineConfig& cfg,
                      const workload::Model& model, const golden::ModelParams& params,
                      const std::map<std::string, const golden::Tensor8*>& activations,
                      const golden::ModelOutputs& outputs) {
  RunImage r;
  r.program = program;
  applyQuant(r.program, model, params);
  r.dram = buildDramImage(r.program, cfg, model, params, activations);
  r.expected = r.dram;
  for (const auto& d : r.program.descriptors) {
    if (d.layerIndex < 0 || static_cast<size_t>(d.layerIndex) >= outputs.layers.size()) continue;
    const auto* place = program.find(model.layers[static_cast<size_t>(d.layerIndex)].name,
                                     schedule::TensorKind::Activation);
    if (!place) continue;
    storeActivation(r.expected, *place, outputs.layers[static_cast<size_t>(d.layerIndex)]);
    r.checkedRanges.emplace_back(place->baseAddress, place->baseAddress + place->sizeBytes);
  }
  return r;
}

namespace {

std::string hex64(uint64_t v) {
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string encodeCheckRanges(const RunImage& r) {
  std::string s = hex64(r.checkedRanges.size()) + "\n";
  for (const auto& [a, b] : r.checkedRanges) s += hex64((uint64_t{a} << 32) | b) + "\n";
  return s;
}

diag::Expected<std::vector<std::pair<std::string, std::string>>> readTemplates(
    const fs::path& dir, const std::vector<std::string>& required) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().extension() == ".v") names.push_back(e.path().filename().string());
  if (ec || names.empty())
    return diag::error("codegen.templates-missing", {dir.string(), ""},
                       "no Verilog templates found in " + dir.string(),
                       "set DNNCHIP_DATA to dnnchip's source or install folder");
  for (const auto& r : required)
    if (std::find(names.begin(), names.end(), r) == names.end())
      return diag::error("codegen.templates-missing", {(dir / r).string(), ""},
                         "the template " + r + " named by the IP library is not in " + dir.string(),
                         "restore templates/ from dnnchip's source");
  std::sort(names.begin(), names.end());
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& n : names) {
    auto text = io::readTextFile(dir / n);
    if (!text) return text.error();
    out.emplace_back(n, std::move(*text));
  }
  return out;
}

}  // namespace

diag::Expected<FileSet> generateDesign(const graph::AcceleratorGraph& design, const ip::IpLibrary& lib,
                                       const workload::Model& model, const GenerateOptions& options) {
  // 1. Engine and program.
  auto lowered = lower(design, lib, model);
  if (!lowered) return lowered.error();
  const auto& cfg = lowered->mapping.config;

  // 2. Built-in test vectors and their golden outputs.
  auto run = golden::randomRun(model, options.seed);
  if (!run) return run.error();
  std::map<std::string, const golden::Tensor8*> inputs;
  for (const auto& [name, t] : run->params.inputs) inputs[name] = &t;
  RunImage image = makeRunImage(lowered->program, cfg, model, run->params, inputs, run->outputs);

  // 3. Templates.
  fs::path tdir = options.templatesDir;
  if (tdir.empty()) {
    auto root = io::dataRoot();
    if (!root) return root.error();
    tdir = *root / "templates";
  }
  auto rtl = readTemplates(tdir, lowered->mapping.ipTemplates);
  if (!rtl) return rtl.error();
  auto dramModel = io::readTextFile(tdir / "sim" / "axi_dram_model.v");
  if (!dramModel) return dramModel.error();

  // 4. Facts for the emitters.
  emit::DesignFacts f;
  f.designName = design.name;
  f.modelName = model.name;
  f.mapping = lowered->mapping;
  f.clockMhz = design.clockMhz > 0 ? design.clockMhz : 100.0;
  f.memBytes = std::max<uint32_t>(4096, (image.program.dramBytes + 4095) / 4096 * 4096);
  f.maxRanges = static_cast<int>(std::max<size_t>(1, image.program.descriptors.size()));
  auto cycles = schedule::predictCycles(image.program, cfg);
  uint64_t predicted = schedule::kEndCycles;
  for (const auto& c : cycles) predicted += c.total();
  f.maxCycles = std::min<uint64_t>(predicted * 2 + 10000, 0xFFFFFFF0ull);
  for (const auto& [name, text] : *rtl) f.rtlFiles.push_back("rtl/" + name);
  f.rtlFiles.push_back(std::string("rtl/") + kTopModule + ".v");
  std::vector<uint8_t> memImage = image.dram, memExpected = image.expected;
  memImage.resize(f.memBytes, 0);
  memExpected.resize(f.memBytes, 0);

  // 5. Files.
  FileSet files;
  for (const auto& [name, text] : *rtl) files["rtl/" + name] = text;
  files[std::string("rtl/") + kTopModule + ".v"] = emit::topModule(f);
  // Not in filelist.f: only the iCE40 flow reads it (synth/yosys_ice40.ys).
  files[std::string("rtl/") + kIce40TopModule + ".v"] = emit::ice40Top(f);
  files[std::string("synth/") + kIce40TopModule + ".pcf"] = emit::ice40Pcf(f);
  files["filelist.f"] = emit::filelist(f, "");
  std::string programHex = schedule::encodeProgram(image.program);
  files["data/program.hex"] = programHex;
  files["data/dram.hex"] = encodeByteHex(memImage);
  files["data/expected.hex"] = encodeByteHex(memExpected);
  files["data/check.hex"] = encodeCheckRanges(image);
  files["tb/axi_dram_model.v"] = *dramModel;
  files["tb/tb_core.v"] = emit::tbCore(f);
  files["tb/tb_icarus.v"] = emit::tbIcarus(f);
  files["tb/tb_main.cpp"] = emit::tbVerilatorMain(f);
  files["sim/run_verilator.sh"] = emit::runVerilatorScript(f);
  files["sim/run_icarus.sh"] = emit::runIcarusScript(f);
  files["sim/lint.sh"] = emit::lintScript(f);
  for (const char* t : {"xc7", "xcup", "ice40", "generic"})
    files[std::string("synth/yosys_") + t + ".ys"] = emit::yosysScript(f, t);
  files["synth/vivado.tcl"] = emit::vivadoTcl(f);
  files[std::string("synth/") + kTopModule + ".xdc"] = emit::xdc(f);
  files[std::string("synth/") + kTopModule + ".sdc"] = emit::sdc(f);
  files["synth/program.hex"] = programHex;
  files["README.md"] = emit::readme(f);

  Manifest m;
  m.designJson = graph::toJson(design);
  m.modelJson = workload::toJson(model);
  m.seed = options.seed;
  m.clockMhz = f.clockMhz;
  m.config = cfg;
  m.memBytes = f.memBytes;
  m.maxRanges = f.maxRanges;
  m.program = image.program;
  m.predicted = cycles;
  m.rtlFiles = f.rtlFiles;
  files[kManifestFile] = manifestToJson(m, model).dump(2) + "\n";
  return files;
}

diag::Status writeFileSet(const fs::path& dir, const FileSet& files) {
  for (const auto& [rel, text] : files) {
    fs::path p = dir / rel;
    if (auto s = io::writeFileAtomic(p, text); !s) return s;
    if (p.extension() == ".sh") {
      std::error_code ec;
      fs::permissions(p, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                      fs::perm_options::add, ec);
    }
  }
  return {};
}

}  // namespace dnnchip::codegen
