// compileModel as a list of steps: lower the model for the design's engine (arch::lower, the same
// program dnnchip generate builds), check it fits the SoC top's program memory, draw the seeded
// parameters and test input and run the golden model (makeRunImage packs the weights), predict
// every layer's cycles and the program fetch, then lay out the memory region the runtime fills:
//   [0, P)          program: (descriptors + 1) slots of 128 bytes, P rounded up to 4 KiB
//   [P, P + D)      engine image (DRAM_BASE = region + P): tensors at the program's offsets
// and emit the files. Deterministic: seeded, no dates, ordered JSON. Cost: one golden run.

#include "dnnchip/codegen/Compile.h"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cstdio>

#include "dnnchip/arch/Engine.h"
#include "dnnchip/arch/Lowering.h"
#include "dnnchip/codegen/DramImage.h"
#include "dnnchip/graph/GraphJson.h"
#include "dnnchip/schedule/CycleModel.h"
#include "dnnchip/schedule/ProgramFetch.h"

namespace dnnchip::codegen {

namespace {

std::string bytesOf(const std::vector<uint8_t>& v, size_t from, size_t n) {
  return std::string(reinterpret_cast<const char*>(v.data()) + from, n);
}

/// A file-name-safe form of a tensor name.
std::string fileSafe(const std::string& s) {
  std::string o;
  for (char c : s) o += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
  return o;
}

}  // namespace

EngineNeeds engineNeeds(const schedule::Program& program) {
  EngineNeeds n;
  for (const auto& d : program.descriptors) {
    // the line buffer holds one conv output row per output tile (schedule::chooseMTile's bound)
    if (d.fusePool) n.poolLineWords = std::max(n.poolLineWords, d.numNTiles * d.outQ);
    if (d.ctGroup > 1) n.wideGather = true;
  }
  return n;
}

diag::Expected<FileSet> compileModel(const graph::AcceleratorGraph& design, const ip::IpLibrary& lib,
                                     const workload::Model& model, const CompileOptions& options,
                                     const arch::Registry& registry) {
  // 1. lower and check the fit
  auto lowered = arch::lower(design, lib, model, registry);
  if (!lowered) return lowered.error();
  schedule::EngineConfig cfg = lowered->mapping.config;
  cfg.progDepth = options.progDepth > 0 ? options.progDepth : schedule::kSocProgDepth;
  const auto& descs = lowered->program.descriptors;
  if (descs.size() + 1 > static_cast<size_t>(cfg.progDepth)) {
    const auto& first = descs[static_cast<size_t>(cfg.progDepth) - 1];
    return diag::error("codegen.program-too-long", {model.name, "/layers/" + std::to_string(first.layerIndex)},
                       "model '" + model.name + "' needs " + std::to_string(descs.size()) +
                           " descriptors and End, the engine's program memory holds PROG_DEPTH = " +
                           std::to_string(cfg.progDepth) + "; layer '" + first.layerName + "' is the first that does not fit",
                       "generate the SoC top with a deeper program memory (--prog-depth) or split the model");
  }
  // the SoC top's engine is built without residual_add's multiply mode (MUL = 0, EmitSoc.cpp)
  for (const auto& d : descs)
    if (d.mul)
      return diag::error("codegen.unsupported-op", {model.name, "/layers/" + std::to_string(d.layerIndex)},
                         "layer '" + d.layerName + "' is an elementwise Mul, which the SoC top's engine does not "
                         "build (MUL = 0)",
                         "run the model through dnnchip generate or build, whose engine gets MUL = 1 for it");
  // 2. parameters, golden run, memory image
  auto run = golden::randomRun(model, options.seed, options.stop);
  if (!run) return run.error();
  std::map<std::string, const golden::Tensor8*> inputs;
  for (const auto& [name, t] : run->params.inputs) inputs[name] = &t;
  auto made = makeRunImage(lowered->program, cfg, model, run->params, inputs, run->outputs);
  if (!made) return made.error();
  RunImage image = std::move(*made);
  const auto& prog = image.program;
  // 3. cycles
  const uint32_t slots = static_cast<uint32_t>(prog.descriptors.size() + 1);
  const auto cycles = lowered->engine->cycles(prog, cfg, /*exact=*/true);
  const uint64_t fetch = schedule::programFetchCycles(slots, 0, cfg);
  uint64_t engine = schedule::kEndCycles, rdBytes = uint64_t{slots} * schedule::kDescriptorSlotBytes, wrBytes = 0;
  for (const auto& c : cycles) {
    engine += c.total();
    rdBytes += c.dramBytes[0] + c.dramBytes[1];
    wrBytes += c.dramBytes[2];
  }
  // 4. files
  FileSet files;
  const auto program = schedule::encodeProgramBinary(prog);
  const uint32_t progArea = (static_cast<uint32_t>(program.size()) + 4095) / 4096 * 4096;
  std::vector<uint8_t> constants = image.dram;  // weights and biases only: inputs cleared below
  io::Json jin = io::Json::array(), jout = io::Json::array();
  std::string rt = "dnnchip-model 2\n";
  char line[512];
  for (const auto& in : model.inputs) {
    const auto* p = prog.find(in.name, schedule::TensorKind::Activation);
    if (!p) continue;
    const std::string file = "input_" + fileSafe(in.name) + ".bin";
    files[file] = bytesOf(image.dram, p->baseAddress, p->sizeBytes);
    std::fill(constants.begin() + p->baseAddress, constants.begin() + p->baseAddress + p->sizeBytes, 0);
    io::Json e = {{"name", in.name}, {"offset", p->baseAddress}, {"size_bytes", p->sizeBytes},
                  {"shape", p->shape}, {"layout", p->stackRows ? "NHWC row-stacked" : "NHWC"}, {"test_vector", file}};
    if (p->haloLeft || p->haloRight) e["halo_columns"] = {p->haloLeft, p->haloRight};
    if (p->stackRows)
      e["stacked_rows"] = {{"rows", p->stackRows}, {"out_rows", p->stackOutRows}, {"stride", p->stackStride},
                           {"pad_top", p->stackPadTop}};
    jin.push_back(e);
    std::snprintf(line, sizeof line, "input %s %u %u %s\n", fileSafe(in.name).c_str(), p->baseAddress, p->sizeBytes,
                  file.c_str());
    rt += line;
  }
  for (const auto& outName : model.outputs) {
    const int li = model.layerIndex(outName);
    const auto* p = li >= 0 ? outputPlacement(prog, model, li) : nullptr;
    if (!p) continue;
    const std::string file = "expected_" + fileSafe(outName) + ".bin";
    files[file] = bytesOf(image.expected, p->baseAddress, p->sizeBytes);
    jout.push_back({{"name", outName}, {"offset", p->baseAddress}, {"size_bytes", p->sizeBytes},
                    {"shape", p->shape}, {"layout", "NHWC"}, {"golden", file}});
    std::snprintf(line, sizeof line, "output %s %u %u %s\n", fileSafe(outName).c_str(), p->baseAddress, p->sizeBytes,
                  file.c_str());
    rt += line;
  }
  files["program.bin"] = bytesOf(program, 0, program.size());
  files["image.bin"] = bytesOf(constants, 0, constants.size());

  io::Json layers = io::Json::array();
  for (size_t i = 0; i < cycles.size(); ++i)
    layers.push_back({{"descriptor", i}, {"layer", prog.descriptors[i].layerName}, {"cycles", cycles[i].total()},
                      {"read_bytes", cycles[i].dramBytes[0] + cycles[i].dramBytes[1]},
                      {"write_bytes", cycles[i].dramBytes[2]}});
  io::Json j;
  j["schema_version"] = 1;
  j["kind"] = "dnnchip compiled model";
  j["model"] = model.name;
  j["design"] = design.name;
  j["seed"] = options.seed;
  j["engine"] = {{"rows", cfg.rows},
                 {"cols", cfg.cols},
                 {"dataflow", std::string(schedule::dataflowName(cfg.dataflow))},
                 {"act_depth", cfg.actBufferWords},
                 {"acc_depth", cfg.accBufferWords},
                 {"double_buffer", cfg.doubleBuffer},
                 {"weight_group", cfg.weightGroup},
                 {"pack", cfg.pack},
                 {"fuse_residual_add", cfg.fuseResidualAdd},
                 {"pool_line_words", cfg.poolLineWords},
                 {"axi_data_bits", cfg.axiDataBits},
                 {"burst_max_beats", cfg.burstMaxBeats},
                 {"read_outstanding", cfg.readOutstanding},
                 {"write_outstanding", cfg.writeOutstanding},
                 {"prog_depth", cfg.progDepth},
                 {"dram_read_latency_cycles", cfg.dramReadLatencyCycles},
                 {"dram_write_latency_cycles", cfg.dramWriteLatencyCycles}};
  // the SoC's CFG registers (docs/soc.md#registers): the runtime refuses another engine
  const uint32_t cfg0 = static_cast<uint32_t>(cfg.rows) | (static_cast<uint32_t>(cfg.cols) << 8) |
                        (static_cast<uint32_t>(cfg.dataflow) << 16) | (uint32_t{cfg.doubleBuffer} << 17) |
                        (static_cast<uint32_t>(cfg.pack - 1) << 18) | (uint32_t{cfg.fuseResidualAdd} << 19) |
                        (static_cast<uint32_t>(std::countr_zero(static_cast<unsigned>(cfg.axiDataBits / 32))) << 20);
  const uint32_t cfg1 = static_cast<uint32_t>(cfg.actBufferWords) | (static_cast<uint32_t>(cfg.accBufferWords) << 16);
  const uint32_t cfg2 = static_cast<uint32_t>(cfg.progDepth) | (static_cast<uint32_t>(cfg.burstMaxBeats - 1) << 16) |
                        (static_cast<uint32_t>(cfg.readOutstanding - 1) << 24) |
                        (static_cast<uint32_t>(cfg.writeOutstanding - 1) << 28);
  const uint32_t cfg3 = static_cast<uint32_t>(cfg.poolLineWords) | (static_cast<uint32_t>(cfg.weightGroup) << 16) |
                        (uint32_t{cfg.wideGather} << 24);
  j["engine_id"] = {cfg0, cfg1, cfg2, cfg3};
  // what the program needs of an engine beyond the exact CFG fields: the pool unit's line buffer
  // of its fused max pools and the wide gather of its ct_group > 1 descriptors (the runtime
  // refuses an engine with less: DNNCHIP_ERR_UNIT)
  const EngineNeeds needs = engineNeeds(prog);
  j["requires"] = {{"pool_line_words", needs.poolLineWords}, {"wide_gather", needs.wideGather},
                   {"weight_group", cfg.weightGroup}};
  j["program"] = {{"file", "program.bin"}, {"offset", 0}, {"descriptors", slots}, {"size_bytes", program.size()}};
  j["image"] = {{"file", "image.bin"}, {"offset", progArea}, {"size_bytes", constants.size()}};
  j["region_bytes"] = progArea + constants.size();
  j["inputs"] = jin;
  j["outputs"] = jout;
  j["predicted"] = {{"fetch_cycles", fetch},
                    {"engine_cycles", engine},
                    {"total_cycles", fetch + engine + schedule::kSocRunOverheadCycles},
                    {"read_bytes", rdBytes},
                    {"write_bytes", wrBytes},
                    {"layers", layers}};
  files[kCompiledManifestFile] = j.dump(2) + "\n";

  std::snprintf(line, sizeof line,
                "engine %u %u %u %u\nneeds %u %u\nprogram program.bin %u %u\nimage image.bin %u %zu\nregion %zu\n", cfg0,
                cfg1, cfg2, cfg3, needs.poolLineWords, needs.wideGather ? 1u : 0u, 0u, slots, progArea, constants.size(),
                progArea + constants.size());
  rt += line;
  std::snprintf(line, sizeof line, "predict %llu %llu %llu %llu %llu\n", static_cast<unsigned long long>(fetch),
                static_cast<unsigned long long>(engine),
                static_cast<unsigned long long>(fetch + engine + schedule::kSocRunOverheadCycles),
                static_cast<unsigned long long>(rdBytes), static_cast<unsigned long long>(wrBytes));
  rt += line;
  for (size_t i = 0; i < cycles.size(); ++i) {
    std::snprintf(line, sizeof line, "layer %zu %llu\n", i, static_cast<unsigned long long>(cycles[i].total()));
    rt += line;
  }
  files[kRuntimeDescFile] = rt;
  return files;
}

}  // namespace dnnchip::codegen
