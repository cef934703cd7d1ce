// `dnnchip build`, the orchestration: runs the steps of Steps.h in order over one BuildContext and
// hands one progress line per step to the caller's sink. It computes nothing itself. On a step's error the flow stops
// with that diagnostic and removes any report an earlier run left in the folder, so a failed flow
// never leaves a report that looks current. An infeasible search is not an error: the remaining
// steps run on the closest design and the report is marked infeasible (exit 3 in the CLI).
// Stopping (BuildOptions::stop; Ctrl-C in the driver): the running step stops at its next check (the
// search keeps its best so far in explore/; a tool's processes are killed), the flow runs no
// further step, writes no report and leaves DIR/interrupted.txt naming the step it stopped in and
// the steps that finished; the result is flow.interrupted. Any run removes an earlier run's
// interrupted.txt and report first, so a folder with report.json is a finished run's; once the
// inputs loaded (step 1), it also removes every other entry an earlier build wrote there
// (buildOutputEntries(), in a folder marked as a build's by DIR/.dnnchip-build), so a stopped run
// or one with --no-synth never leaves an earlier run's rtl/ or synth/ output beside its own.

#include "dnnchip/flow/Build.h"

#include <algorithm>
#include <string>
#include <system_error>

#include "dnnchip/flow/Steps.h"
#include "dnnchip/io/Files.h"

namespace dnnchip::flow {

namespace {

constexpr const char* kInterruptedFile = "interrupted.txt";
constexpr const char* kMarkerFile = ".dnnchip-build";

void removeStaleReport(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::remove(dir / "report.html", ec);
  std::filesystem::remove(dir / "report.json", ec);
  std::filesystem::remove(dir / kInterruptedFile, ec);
}

/// True when DIR holds an earlier build's output: the marker this flow writes, or (folders of
/// builds older than the marker) a dnnchip_design.json written by the generator.
bool isBuildFolder(const std::filesystem::path& dir) {
  std::error_code ec;
  if (std::filesystem::exists(dir / kMarkerFile, ec)) return true;
  auto text = io::readTextFile(dir / "dnnchip_design.json");
  return text && text->find("\"generator\": \"dnnchip generate\"") != std::string::npos;
}

/// Removes what an earlier build wrote into DIR (only in a build folder: a user's own files in a
/// folder never built into are left alone) and marks DIR as a build folder.
diag::Status claimOutputFolder(const std::filesystem::path& dir) {
  std::error_code ec;
  if (isBuildFolder(dir))
    for (const auto& entry : buildOutputEntries()) std::filesystem::remove_all(dir / entry, ec);
  return io::writeFileAtomic(dir / kMarkerFile,
                             "This folder is the output of `dnnchip build`. A new build into it first removes\n"
                             "every entry an earlier build wrote (docs/build.md, \"Output folder\").\n");
}

/// Writes DIR/interrupted.txt and returns flow.interrupted: where the flow stopped, what finished.
diag::Diagnostic interrupted(const std::filesystem::path& dir, int index, const std::string& step,
                             const std::vector<std::string>& finished) {
  std::string done;
  for (const auto& f : finished) done += (done.empty() ? "" : ", ") + f;
  if (done.empty()) done = "none";
  const std::string where = "step " + std::to_string(index) + "/" + std::to_string(kNumSteps) + " (" + step + ")";
  std::string text = "dnnchip build was interrupted (Ctrl-C) in " + where + ".\nFinished steps: " + done + ".\n";
  if (step == "explore")
    text += "The search stopped early; explore/ holds the best design found so far (explore/summary.txt).\n";
  text += "This folder is not a complete hand-off: report.html and report.json were not written, and the\n"
          "interrupted step's files may be unfinished; later steps wrote nothing (an earlier build's output\n"
          "was removed when this one started). Run the build again.\n";
  const auto file = dir / kInterruptedFile;
  auto st = io::writeFileAtomic(file, text);
  return diag::error("flow.interrupted", {st ? file.string() : dir.string(), ""},
                     "stopped (Ctrl-C) in " + where + "; finished: " + done + "; no report was written",
                     "run the build again");
}

}  // namespace

const std::vector<std::string>& buildOutputEntries() {
  static const std::vector<std::string> entries = {
      "explore",   "rtl",        "tb",                  "sim",               "data",
      "synth",     "cosim",      "soc",                 "runtime",           "README.md",           "filelist.f",        "dnnchip_design.json",
      "block_diagram.dot", "block_diagram.svg", "report.html", "report.json", kInterruptedFile};
  return entries;
}

diag::Expected<BuildResult> runBuild(const BuildOptions& options, const ProgressSink& progress) {
  if (options.training)  // checked before the output folder is touched: nothing is written
    return diag::error("flow.training-unsupported", {options.model, ""},
                       "build generates an inference engine: it has no backward-data, backward-weight or weight "
                       "update datapath, so it cannot build a training accelerator for this model",
                       "use 'dnnchip predict' or 'dnnchip explore' with --phase training for a training step's "
                       "latency, energy and traffic (docs/training.md), or build with --phase inference");
  BuildContext ctx;
  ctx.options = options;
  BuildResult result;
  removeStaleReport(options.outDir);

  int index = 0;
  std::vector<std::string> finished;
  auto step = [&](const char* name, auto&& fn) -> diag::Status {
    ++index;
    diag::Expected<std::string> line = fn();
    // A stop request outranks the step's own outcome: a killed tool's failure is not the cause.
    // The report step is the last: once it ran, the run is complete (a stop before it was seen
    // after the synth step).
    if (index < kNumSteps && options.stop.stopRequested()) return interrupted(options.outDir, index, name, finished);
    if (!line) return line.error();
    finished.push_back(name);
    std::string text = std::string(name) + ": " + *line;
    ctx.stageLines.push_back(text);
    if (progress) progress("[" + std::to_string(index) + "/" + std::to_string(kNumSteps) + "] " + text);
    return {};
  };

  diag::Status st;
  if (!(st = step("import", [&]() -> diag::Expected<std::string> {
        auto line = importStep(ctx);
        if (!line) return line;
        if (auto claimed = claimOutputFolder(options.outDir); !claimed) return claimed.error();
        return line;
      })))
    return st.error();
  if (!(st = step("explore", [&] { return exploreStep(ctx); }))) return st.error();
  if (!(st = step("generate", [&] { return generateStep(ctx); }))) return st.error();
  if (!(st = step("simulate", [&] { return simulateStep(ctx); }))) return st.error();
  if (!(st = step("synth", [&] { return synthStep(ctx); }))) return st.error();
  if (!(st = step("report", [&] { return reportStep(ctx, result); }))) {
    removeStaleReport(options.outDir);
    return st.error();
  }
  return result;
}

}  // namespace dnnchip::flow
