// `dnnchip generate --design D --model M -o DIR [--seed S]`: writes the RTL, program, testbench,
// simulation and synthesis scripts of a systolic design for a model (docs/codegen.md). Everything
// is produced in memory first; on any error nothing is written. Ctrl-C while the files are produced
// (the golden model's expected outputs take seconds on a large network) writes nothing and exits
// 130; once writing began, the set is finished (milliseconds) so the folder is never half new.

#include <cstdio>

#include "Command.h"
#include "Interrupt.h"
#include "dnnchip/arch/LoadDesign.h"
#include "dnnchip/arch/Engine.h"
#include "dnnchip/arch/Lowering.h"
#include "dnnchip/codegen/Generator.h"
#include "dnnchip/graph/GraphJson.h"
#include "dnnchip/ip/IpLibrary.h"

namespace dnnchip::cli {

namespace {

int runGenerate(const std::string& designArg, const std::string& modelArg, const std::string& outDir,
                uint64_t seed) {
  auto design = arch::loadDesign(designArg);
  if (!design) return reportError(design.error());
  auto lib = ip::IpLibrary::loadDefault();
  if (!lib) return reportError(lib.error());
  auto model = loadModelArg(modelArg);
  if (!model) return reportError(model.error());
  codegen::GenerateOptions opt;
  opt.seed = seed;
  InterruptGuard guard;
  opt.stop = guard.token();
  auto files = codegen::generateDesign(*design, *lib, *model, opt);
  if (guard.stopRequested())
    return reportInterrupted(diag::error("generate.interrupted", {outDir, ""},
                                         "stopped (Ctrl-C) while the files were produced; nothing was written",
                                         "run dnnchip generate again"));
  if (!files) return reportError(files.error());
  if (auto s = codegen::writeFileSet(outDir, *files); !s) return reportError(s.error());
  auto lowered = arch::lower(*design, *lib, *model);
  if (lowered && !guard.stopRequested()) {
    const auto& c = lowered->mapping.config;
    auto cycles = lowered->engine->cycles(lowered->program, c, /*exact=*/true);
    uint64_t total = schedule::kEndCycles;
    for (const auto& l : cycles) total += l.total();
    std::printf("generated %s: %zu files, design '%s' (%dx%d %s, %d-bit AXI), model '%s', %zu engine layers, "
                "predicted %llu cycles\n",
                outDir.c_str(), files->size(), design->name.c_str(), c.rows, c.cols,
                std::string(schedule::dataflowName(c.dataflow)).c_str(), c.axiDataBits, model->name.c_str(),
                lowered->program.descriptors.size(), static_cast<unsigned long long>(total));
  }
  return kExitOk;
}

}  // namespace

void registerGenerateCommand(CLI::App& app, Dispatch& dispatch) {
  auto* cmd = app.add_subcommand("generate", "Generate Verilog, tile program, testbench and synthesis scripts");
  auto design = std::make_shared<std::string>();
  auto model = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  auto seed = std::make_shared<uint64_t>(1);
  cmd->add_option("--design", *design, "Accelerator design (built-in name or .json), systolic template")->required();
  cmd->add_option("--model,-m", *model, "Model (built-in name, .json or .onnx)")->required();
  cmd->add_option("-o,--output", *out, "Output folder")->required();
  cmd->add_option("--seed", *seed, "Seed of the testbench's built-in vectors (default 1)");
  cmd->callback([&dispatch, design, model, out, seed] {
    dispatch.action = [design, model, out, seed] { return runGenerate(*design, *model, *out, *seed); };
  });
}

}  // namespace dnnchip::cli
