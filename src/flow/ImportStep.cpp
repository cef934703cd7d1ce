// Step 1 of `dnnchip build`: read the model (an .onnx file is imported with its shapes; a JSON
// file or a built-in name is parsed) and the constraint file, and resolve the target platform
// and its device family (which picks the synthesis flow). Every problem is the reading module's
// own diagnostic (onnx.*, model.*, constraints.*, platform.*), returned unchanged.

#include <cstdio>
#include <filesystem>

#include "dnnchip/flow/Steps.h"
#include "dnnchip/flow/ModelSource.h"
#include "dnnchip/platform/Platform.h"
#include "dnnchip/search/ExploreRun.h"

namespace dnnchip::flow {

namespace {

std::string modelSourceOf(const std::string& arg) {
  std::filesystem::path p(arg);
  if (p.extension() == ".onnx") return "ONNX import";
  std::error_code ec;
  if (std::filesystem::is_regular_file(p, ec)) return "model JSON";
  return "built-in";
}

std::string gmac(int64_t macs) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g GMAC", static_cast<double>(macs) / 1e9);
  return buf;
}

}  // namespace

diag::Expected<std::string> importStep(BuildContext& ctx) {
  auto model = loadModelArg(ctx.options.model, ctx.options.inputShapes);
  if (!model) return model.error();
  ctx.model = std::move(model.value());
  ctx.modelSource = modelSourceOf(ctx.options.model);

  auto constraints = search::loadConstraints(ctx.options.constraints);
  if (!constraints) return constraints.error();
  ctx.constraints = std::move(constraints.value());
  if (ctx.options.seed) ctx.constraints.seed = *ctx.options.seed;
  if (ctx.options.threads) ctx.constraints.threads = *ctx.options.threads;
  if (ctx.options.budgetEvals) ctx.constraints.budget.maxEvaluations = *ctx.options.budgetEvals;

  auto platform = search::resolvePlatform(ctx.constraints);
  if (!platform) return platform.error();
  ctx.platformName = ctx.constraints.platform.name.empty() ? "inline platform" : platform->name;
  ctx.family = platform->isFpga() ? platform->family : ip::DeviceFamily::Asic;
  ctx.platform = std::move(platform.value());

  int compute = 0;
  for (auto& L : ctx.model.layers) compute += L.isCompute() ? 1 : 0;
  return ctx.model.name + " (" + ctx.modelSource + ", " + std::to_string(ctx.model.layers.size()) + " layers, " +
         std::to_string(compute) + " compute, " + gmac(ctx.model.totalMacs()) + "); constraints " +
         std::filesystem::path(ctx.constraints.file).filename().string() + " on " + ctx.platformName +
         (ctx.family ? " (" + familyName(ctx.family) + ")" : "");
}

}  // namespace dnnchip::flow
