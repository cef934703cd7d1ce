// The generate flow as a list of steps: map the design onto its template's engine and lower the
// model to a tile program (arch::lower), draw the built-in test vectors and their golden outputs,
// assemble the DRAM images, then emit every file (emitters in EmitRtl.cpp / EmitScripts.cpp) into
// an in-memory FileSet that is written only when complete. The Verilog copied from templates/ is
// the closure of the engine's top modules: each .v file's module definitions and the names it
// uses (comments stripped) give a "file uses module" relation, walked from the top modules.
// Deterministic: sorted template list, no dates, seeded vectors.
// Cost: one golden run of the model plus O(DRAM bytes) of hex text; the closure reads every .v
// file once.

#include "dnnchip/codegen/Generator.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

#include "Emit.h"
#include "dnnchip/arch/Engine.h"
#include "dnnchip/arch/Lowering.h"
#include "dnnchip/codegen/DramImage.h"
#include "dnnchip/codegen/Manifest.h"
#include "dnnchip/graph/GraphJson.h"
#include "dnnchip/io/DataPaths.h"
#include "dnnchip/io/Files.h"

namespace dnnchip::codegen {

namespace fs = std::filesystem;

diag::Expected<RunImage> makeRunImage(const schedule::Program& program, const schedule::EngineConfig& cfg,
                      const workload::Model& model, const golden::ModelParams& params,
                      const std::map<std::string, const golden::Tensor8*>& activations,
                      const golden::ModelOutputs& outputs) {
  RunImage r;
  r.program = program;
  applyQuant(r.program, model, params);
  if (auto bad = schedule::narrowRequant(r.program, cfg)) return *bad;
  r.dram = buildDramImage(r.program, cfg, model, params, activations);
  r.expected = r.dram;
  for (const auto& d : r.program.descriptors) {
    const int out = d.outputLayerIndex();  // a fused conv+add stores the add's output
    if (out < 0 || static_cast<size_t>(out) >= outputs.layers.size()) continue;
    const auto* place = program.find(model.layers[static_cast<size_t>(out)].name, schedule::TensorKind::Activation);
    if (!place) continue;
    storeActivation(r.expected, *place, outputs.layers[static_cast<size_t>(out)]);
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

/// Module names defined in a Verilog text, and the identifiers it uses (comments stripped).
struct VerilogNames {
  std::set<std::string> defines, uses;
};

VerilogNames scanVerilog(const std::string& text) {
  VerilogNames v;
  std::string word, previous;
  auto flush = [&] {
    if (word.empty()) return;
    if (previous == "module") v.defines.insert(word);
    else v.uses.insert(word);
    previous = word;
    word.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      flush();
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      flush();
      const size_t end = text.find("*/", i + 2);
      i = end == std::string::npos ? text.size() : end + 1;
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$') {
      word += c;
    } else {
      flush();
    }
  }
  flush();
  return v;
}

/// The .v files of `dir` that define `topModules` and every module they instantiate in turn,
/// plus the IP templates `required`, sorted by name with their text.
diag::Expected<std::vector<std::pair<std::string, std::string>>> readTemplates(
    const fs::path& dir, const std::vector<std::string>& topModules, const std::vector<std::string>& required) {
  std::map<std::string, std::string> texts;  // file name -> text
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().extension() == ".v") {
      auto text = io::readTextFile(e.path());
      if (!text) return text.error();
      texts[e.path().filename().string()] = std::move(*text);
    }
  if (ec || texts.empty())
    return diag::error("codegen.templates-missing", {dir.string(), ""},
                       "no Verilog templates found in " + dir.string(),
                       "set DNNCHIP_DATA to dnnchip's source or install folder");
  for (const auto& r : required)
    if (!texts.count(r))
      return diag::error("codegen.templates-missing", {(dir / r).string(), ""},
                         "the template " + r + " named by the IP library is not in " + dir.string(),
                         "restore templates/ from dnnchip's source");
  std::map<std::string, std::string> fileOf;  // module -> file
  std::map<std::string, VerilogNames> names;
  for (const auto& [file, text] : texts) {
    names[file] = scanVerilog(text);
    for (const auto& m : names[file].defines) fileOf.emplace(m, file);
  }
  std::set<std::string> chosen(required.begin(), required.end());
  std::vector<std::string> work;
  for (const auto& m : topModules) {
    auto it = fileOf.find(m);
    if (it == fileOf.end())
      return diag::error("codegen.templates-missing", {dir.string(), ""},
                         "no template in " + dir.string() + " defines the engine's module " + m,
                         "restore templates/ from dnnchip's source");
    work.push_back(it->second);
  }
  for (const auto& r : required) work.push_back(r);
  while (!work.empty()) {
    const std::string file = work.back();
    work.pop_back();
    chosen.insert(file);
    for (const auto& u : names[file].uses)
      if (auto it = fileOf.find(u); it != fileOf.end() && !chosen.count(it->second)) work.push_back(it->second);
  }
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& file : chosen) out.emplace_back(file, texts[file]);
  return out;
}

}  // namespace

diag::Expected<FileSet> generateDesign(const graph::AcceleratorGraph& design, const ip::IpLibrary& lib,
                                       const workload::Model& model, const GenerateOptions& options,
                                       const arch::Registry& registry) {
  // 1. Engine and program.
  auto lowered = arch::lower(design, lib, model, registry);
  if (!lowered) return lowered.error();
  const auto& cfg = lowered->mapping.config;

  // 2. Built-in test vectors and their golden outputs.
  auto run = golden::randomRun(model, options.seed, options.stop);
  if (!run) return run.error();
  std::map<std::string, const golden::Tensor8*> inputs;
  for (const auto& [name, t] : run->params.inputs) inputs[name] = &t;
  auto made = makeRunImage(lowered->program, cfg, model, run->params, inputs, run->outputs);
  if (!made) return made.error();
  RunImage image = std::move(*made);

  // 3. Templates.
  fs::path tdir = options.templatesDir;
  if (tdir.empty()) {
    auto root = io::dataRoot();
    if (!root) return root.error();
    tdir = *root / "templates";
  }
  auto rtl = readTemplates(tdir, lowered->engine->rtlTopModules(), lowered->mapping.ipTemplates);
  if (!rtl) return rtl.error();
  auto dramModel = io::readTextFile(tdir / "sim" / "axi_dram_model.v");
  if (!dramModel) return dramModel.error();
  // the SoC hand-off: the SoC top and the runtime, copied as they are (docs/soc.md)
  FileSet copied;
  for (const char* rel : {"soc/dnnchip_soc.v", "soc/vivado_bd.tcl", "soc/zynq_platforms.tcl", "runtime/dnnchip_rt.h",
                          "runtime/dnnchip_rt.c", "runtime/dnnchip_rt.py", "runtime/dnnchip_zynq.h"}) {
    auto text = io::readTextFile(tdir / rel);
    if (!text)
      return diag::error("codegen.templates-missing", {(tdir / rel).string(), ""},
                         std::string("the template ") + rel + " is not in " + tdir.string(),
                         "restore templates/ from dnnchip's source");
    copied[rel] = std::move(*text);
  }

  // 4. Facts for the emitters.
  emit::DesignFacts f;
  f.designName = design.name;
  f.modelName = model.name;
  f.mapping = lowered->mapping;
  f.clockMhz = design.clockMhz > 0 ? design.clockMhz : 100.0;
  f.memBytes = std::max<uint32_t>(4096, (image.program.dramBytes + 4095) / 4096 * 4096);
  f.maxRanges = static_cast<int>(std::max<size_t>(1, image.program.descriptors.size()));
  f.activationUnit = schedule::activationUnit(image.program);
  f.mulUnit = schedule::usesMul(image.program);
  f.softmaxWords = schedule::softmaxWords(image.program);
  f.dwUnit = std::any_of(image.program.descriptors.begin(), image.program.descriptors.end(),
                         [](const schedule::LayerDescriptor& d) { return d.lowering == schedule::WeightLowering::DepthwiseUnit; });
  f.poolUnit = std::any_of(image.program.descriptors.begin(), image.program.descriptors.end(),
                           [](const schedule::LayerDescriptor& d) { return d.fusePool; });
  auto cycles = lowered->engine->cycles(image.program, cfg, /*exact=*/true);
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
  for (const auto& [rel, text] : copied) files[rel] = text;
  files[std::string("soc/") + emit::kSocTopModule + ".v"] = emit::socTop(f);
  files["soc/filelist.f"] = emit::socFilelist(f);
  files["soc/platform.tcl"] = emit::socPlatformTcl(f, design.platform.value_or(""));

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
