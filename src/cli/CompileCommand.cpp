// `dnnchip compile --design D --model M -o DIR [--seed S] [--prog-depth N]`: a model for the SoC
// top of a generated engine (docs/soc.md#compile-output): program and memory image as binary
// files, the seeded test input and its golden output, a JSON manifest and the runtime's
// description. A model the engine cannot hold gets one diagnostic naming the layer and the limit
// (exit 2); nothing is written then.

#include <cstdio>

#include "Command.h"
#include "Interrupt.h"
#include "dnnchip/arch/LoadDesign.h"
#include "dnnchip/codegen/Compile.h"
#include "dnnchip/ip/IpLibrary.h"

namespace dnnchip::cli {

namespace {

int runCompile(const std::string& designArg, const std::string& modelArg, const std::string& outDir, uint64_t seed,
               int progDepth) {
  auto design = arch::loadDesign(designArg);
  if (!design) return reportError(design.error());
  auto lib = ip::IpLibrary::loadDefault();
  if (!lib) return reportError(lib.error());
  auto model = loadModelArg(modelArg);
  if (!model) return reportError(model.error());
  codegen::CompileOptions opt;
  opt.seed = seed;
  opt.progDepth = progDepth;
  InterruptGuard guard;  // Ctrl-C in the golden pass: compile.interrupted, nothing written, exit 130
  opt.stop = guard.token();
  auto files = codegen::compileModel(*design, *lib, *model, opt);
  if (guard.stopRequested())
    return reportInterrupted(diag::error("compile.interrupted", {outDir, ""},
                                         "stopped (Ctrl-C) while the files were produced; nothing was written",
                                         "run dnnchip compile again"));
  if (!files) return reportError(files.error());
  if (auto s = codegen::writeFileSet(outDir, *files); !s) return reportError(s.error());
  std::printf("compiled model '%s' for design '%s' into %s: %zu files\n", model->name.c_str(), design->name.c_str(),
              outDir.c_str(), files->size());
  return kExitOk;
}

}  // namespace

void registerCompileCommand(CLI::App& app, Dispatch& dispatch) {
  auto* cmd = app.add_subcommand("compile", "Compile a model for a generated engine's SoC top (program, weights, manifest)");
  auto design = std::make_shared<std::string>();
  auto model = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  auto seed = std::make_shared<uint64_t>(1);
  auto depth = std::make_shared<int>(0);
  cmd->add_option("--design", *design, "Accelerator design (built-in name or .json), systolic template")->required();
  cmd->add_option("--model,-m", *model, "Model (built-in name, .json or .onnx)")->required();
  cmd->add_option("-o,--output", *out, "Output folder")->required();
  cmd->add_option("--seed", *seed, "Seed of the weights and the test input (default 1)");
  cmd->add_option("--prog-depth", *depth, "PROG_DEPTH of the SoC top (default 256)")->check(CLI::Range(2, 960));
  cmd->callback([&dispatch, design, model, out, seed, depth] {
    dispatch.action = [design, model, out, seed, depth] { return runCompile(*design, *model, *out, *seed, *depth); };
  });
}

}  // namespace dnnchip::cli
