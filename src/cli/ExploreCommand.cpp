// `dnnchip explore --model M --constraints C [-o DIR] [--threads N] [--seed S] [--budget-evals N]
// [--rtl-only] [--phase inference|training] [--optimizer sgd|sgd_momentum|adam] [--batch N]`:
// the Chip Builder search (docs/search.md). Writes DIR/pareto.json, pareto.csv, best/ and
// summary.txt. Exit 0 with a winner, 3 when no design meets the bounds (the message names the
// bound and the closest design's value), 2 on bad input, 130 when Ctrl-C stopped the search
// (the best design so far is written).

#include <cstdio>
#include <memory>
#include <string>

#include "Command.h"
#include "TerminalProgress.h"
#include "Interrupt.h"
#include "dnnchip/search/ExploreOutput.h"
#include "dnnchip/search/ExploreRun.h"

namespace dnnchip::cli {

namespace {

struct ExploreArgs {
  std::string model, constraints, out = "explore_out";
  std::vector<std::string> inputShapes;
  int threads = -1;
  int64_t seed = -1;
  int64_t budgetEvals = 0;  ///< 0: the constraint file's
  bool rtlOnly = false;
  PhaseArgs phase;
};

int runExplore(const ExploreArgs& a) {
  auto m = loadModelArg(a.model, a.inputShapes);
  if (!m) return reportError(m.error());
  auto c = search::loadConstraints(a.constraints);
  if (!c) return reportError(c.error());
  if (a.budgetEvals > 0) c->budget.maxEvaluations = a.budgetEvals;
  search::ExploreOptions opt;
  if (a.threads >= 0) opt.threads = a.threads;
  if (a.seed >= 0) opt.seed = static_cast<uint64_t>(a.seed);
  opt.rtlOnly = a.rtlOnly;
  // generated engines may take the narrow requantization operand where the seeded run's scales allow
  if (a.rtlOnly) opt.quantization = search::modelQuantization(*m, opt.seed.value_or(c->seed));
  opt.batch = a.phase.batch;
  opt.training = a.phase.training();
  auto bar = TerminalProgress::forTerminal();
  opt.progress = bar.get();
  InterruptGuard guard;
  opt.stop = guard.token();
  auto r = search::exploreModel(*m, *c, opt);
  if (!r) return reportError(r.error());
  if (auto st = search::writeExploreOutputs(a.out, *r); !st) return reportError(st.error());
  if (r->winner < 0) {
    if (r->interrupted && guard.stopRequested())
      return reportInterrupted(diag::error("search.interrupted", {a.out, ""},
                                           "search stopped early (" + r->stopReason +
                                               ") before a design met the bounds; see " + a.out + "/summary.txt",
                                           "run explore again (a larger budget finds more)"));
    reportError(search::infeasibleDiagnostic(*r, c->file));
    return kExitInfeasible;
  }
  const auto& w = r->designs[r->winner];
  std::printf("winner: %s (%s)\n  latency %.6g ms, energy %.6g mJ, throughput %.6g %s/s\n",
              w.graph.name.c_str(), w.description.c_str(), w.coarse.latencyS * 1e3, w.coarse.energyJ * 1e3,
              w.coarse.throughputFps, r->training ? "samples" : "inferences");
  std::printf("  %zu pareto-optimal designs; outputs in %s/\n", r->pareto.size(), a.out.c_str());
  if (r->interrupted && guard.stopRequested())
    return reportInterrupted(diag::error("search.interrupted", {a.out, ""},
                                         "search stopped early (" + r->stopReason + "); wrote the best design so far to " +
                                             a.out + "/best/",
                                         "run explore again to search the whole budget"));
  if (r->interrupted)
    std::fprintf(stderr, "note: search stopped early (%s); wrote the best design so far\n", r->stopReason.c_str());
  return kExitOk;
}

}  // namespace

void registerExploreCommand(CLI::App& app, Dispatch& dispatch) {
  auto args = std::make_shared<ExploreArgs>();
  auto* cmd = app.add_subcommand("explore", "Search accelerator designs and mappings for a model under constraints");
  cmd->add_option("--model,-m", args->model, "Built-in model name or a .json/.onnx path")->required();
  addInputShapeOption(cmd, args->inputShapes);
  cmd->add_option("--constraints,-c", args->constraints,
                  "Constraint file path or built-in name (designs/constraints, docs/constraints.md)")
      ->required();
  cmd->add_option("-o,--output", args->out, "Output folder (default explore_out)");
  cmd->add_option("--threads", args->threads, "Worker threads (0 = all cores; default: the constraint file)")
      ->check(CLI::Range(0, 4096));
  cmd->add_option("--seed", args->seed, "Random seed (default: the constraint file)")
      ->check(CLI::Range(int64_t{0}, INT64_MAX));
  cmd->add_option("--budget-evals", args->budgetEvals, "Search evaluation budget (default: the constraint file)")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 50));
  cmd->add_flag("--rtl-only", args->rtlOnly, "Only templates and IPs the code generator can emit");
  addPhaseOptions(cmd, args->phase, "search for one training step");
  cmd->callback([&dispatch, args] { dispatch.action = [args] { return runExplore(*args); }; });
}

}  // namespace dnnchip::cli
