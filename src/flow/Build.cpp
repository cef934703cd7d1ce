// `dnnchip build`, the orchestration: runs the steps of Steps.h in order over one BuildContext and
// hands one progress line per step to the caller's sink. It computes nothing itself. On a step's error the flow stops
// with that diagnostic and removes any report an earlier run left in the folder, so a failed flow
// never leaves a report that looks current. An infeasible search is not an error: the remaining
// steps run on the closest design and the report is marked infeasible (exit 3 in the CLI).

#include "dnnchip/flow/Build.h"

#include <system_error>

#include "dnnchip/flow/Steps.h"

namespace dnnchip::flow {

namespace {

void removeStaleReport(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::remove(dir / "report.html", ec);
  std::filesystem::remove(dir / "report.json", ec);
}

}  // namespace

diag::Expected<BuildResult> runBuild(const BuildOptions& options, const ProgressSink& progress) {
  BuildContext ctx;
  ctx.options = options;
  BuildResult result;
  removeStaleReport(options.outDir);

  int index = 0;
  auto step = [&](const char* name, auto&& fn) -> diag::Status {
    ++index;
    diag::Expected<std::string> line = fn();
    if (!line) return line.error();
    std::string text = std::string(name) + ": " + *line;
    ctx.stageLines.push_back(text);
    if (progress) progress("[" + std::to_string(index) + "/" + std::to_string(kNumSteps) + "] " + text);
    return {};
  };

  diag::Status st;
  if (!(st = step("import", [&] { return importStep(ctx); }))) return st.error();
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
