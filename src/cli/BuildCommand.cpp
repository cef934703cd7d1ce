// `dnnchip build --model M --constraints C -o DIR [--simulate first|all] [--seed S] [--threads N]
// [--budget-evals N] ...`: the whole flow (src/flow/), from a model and a constraint file to a
// verified RTL hand-off with report.html and report.json. Progress goes to stderr, one line per
// step; the report's path and a three-line summary go to stdout. Exit 0, 2 (bad input, the
// failing step's diagnostic), 3 (no design meets the bounds; the report shows the closest) or 130
// (Ctrl-C: one flow.interrupted line, no report, DIR/interrupted.txt; see docs/build.md).

#include <cstdio>

#include "Command.h"
#include "TerminalProgress.h"
#include "Interrupt.h"
#include "dnnchip/flow/Build.h"

namespace dnnchip::cli {

namespace {

struct BuildArgs {
  flow::BuildOptions options;
  std::string simulate = "first";
  uint64_t seed = 0;
  int threads = 0;
  int64_t budgetEvals = 0;
  bool noSynth = false;
  std::string phase = "inference";
};

int runBuildCommand(BuildArgs& a, CLI::App& cmd) {
  a.options.simulate = a.simulate == "all" ? flow::SimulateScope::All : flow::SimulateScope::FirstLayers;
  if (cmd.count("--seed")) a.options.seed = a.seed;
  if (cmd.count("--threads")) a.options.threads = a.threads;
  if (cmd.count("--budget-evals")) a.options.budgetEvals = a.budgetEvals;
  a.options.synthesize = !a.noSynth;
  a.options.training = a.phase == "training";
  auto bar = TerminalProgress::forTerminal();
  a.options.observer = bar.get();
  InterruptGuard guard;  // Ctrl-C: the running step stops, no report, DIR/interrupted.txt, exit 130
  a.options.stop = guard.token();
  auto result = flow::runBuild(a.options, [](const std::string& line) {
    std::fprintf(stderr, "%s\n", line.c_str());
    std::fflush(stderr);
  });
  if (!result) {
    if (result.error().code == "flow.interrupted") return reportInterrupted(result.error());
    return reportError(result.error());
  }
  std::printf("report: %s\n", result->reportHtmlPath.string().c_str());
  for (auto& line : result->summary) std::printf("  %s\n", line.c_str());
  std::fflush(stdout);
  return result->feasible ? kExitOk : kExitInfeasible;
}

}  // namespace

void registerBuildCommand(CLI::App& app, Dispatch& dispatch) {
  auto args = std::make_shared<BuildArgs>();
  auto* cmd = app.add_subcommand("build", "model + constraints -> explored, generated, co-simulated and "
                                          "synthesized accelerator with report.html/report.json");
  cmd->add_option("--model,-m", args->options.model, "built-in model name, model JSON or .onnx file")->required();
  addInputShapeOption(cmd, args->options.inputShapes);
  cmd->add_option("--constraints,-c", args->options.constraints, "constraint file or built-in name")->required();
  cmd->add_option("-o,--output", args->options.outDir, "output folder (the hand-off)")->required();
  cmd->add_option("--design", args->options.design,
                  "build this design (built-in name or design JSON) instead of exploring; it is still checked "
                  "against the bounds");
  cmd->add_option("--simulate", args->simulate, "co-simulate the first compute layers, or all layers")
      ->check(CLI::IsMember({"first", "all"}))
      ->capture_default_str();
  cmd->add_option("--simulate-layers", args->options.firstComputeLayers,
                  "with --simulate first: how many compute layers (with what they depend on)")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->add_option("--simulate-downscale", args->options.simulateDownscale,
                  "co-simulate a reduced-size instance: input height and width divided by this factor")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->add_option("--simulator", args->options.simulator, "RTL simulator")
      ->check(CLI::IsMember({"verilator", "iverilog"}))
      ->capture_default_str();
  cmd->add_option("--phase", args->phase,
                  "inference (default); training is refused (flow.training-unsupported): the generated engine "
                  "runs inference only")
      ->check(CLI::IsMember({"inference", "training"}))
      ->capture_default_str();
  cmd->add_flag("--no-synth", args->noSynth, "skip the Yosys synthesis step (the report says so)");
  cmd->add_option("--seed", args->seed, "seed (overrides the constraint file's)");
  cmd->add_option("--threads", args->threads, "threads (overrides the constraint file's; 0 = all)")->check(CLI::Range(0, 1024));
  cmd->add_option("--budget-evals", args->budgetEvals, "search evaluation budget (default: the constraint file)")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 50));
  cmd->callback([args, cmd, &dispatch] { dispatch.action = [args, cmd] { return runBuildCommand(*args, *cmd); }; });
}

}  // namespace dnnchip::cli
