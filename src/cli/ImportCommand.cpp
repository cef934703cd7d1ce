// `dnnchip import model.onnx -o model.json [--weights-dir DIR] [--skip-unsupported]
//  [--calibration-input X.npy] [--seed S] [--input-shape [NAME=]D0,D1,...]...`: imports an ONNX model into the workload format and,
// when the file has initializers and --weights-dir is given, writes the quantized weights in the
// `dnnchip simulate --vectors` format. Outputs are written whole or not at all.

#include <cstdio>

#include "Command.h"
#include "Interrupt.h"
#include "dnnchip/flow/ModelSource.h"
#include "dnnchip/io/Files.h"
#if DNNCHIP_HAVE_ONNX
#include "dnnchip/onnx/Import.h"
#endif

namespace dnnchip::cli {

namespace {

struct ImportArgs {
  std::string input;
  std::string output;
  std::string weightsDir;
  std::string calibrationInput;
  bool skipUnsupported = false;
  uint64_t seed = 1;
  std::vector<std::string> inputShapes;
};

int runImport(const ImportArgs& a) {
#if !DNNCHIP_HAVE_ONNX
  return reportError(flow::onnxDisabled(a.input));
#else
  onnx::ImportOptions o;
  o.skipUnsupported = a.skipUnsupported;
  o.quantizeWeights = !a.weightsDir.empty();
  o.calibrationInput = a.calibrationInput;
  o.seed = a.seed;
  auto shapes = onnx::parseInputShapes(a.inputShapes);
  if (!shapes) return reportError(shapes.error());
  o.inputShapes = std::move(*shapes);
  if (!a.calibrationInput.empty() && a.weightsDir.empty())
    return reportError(diag::error("cli.usage", {}, "--calibration-input needs --weights-dir", "add --weights-dir DIR"));
  InterruptGuard guard;  // Ctrl-C in the calibration pass: onnx.interrupted, nothing written, exit 130
  o.stop = guard.token();
  auto r = onnx::importModel(a.input, o);
  if (!r && r.error().code == "onnx.interrupted") return reportInterrupted(r.error());
  if (!r) return reportError(r.error());
  if (guard.stopRequested())
    return reportInterrupted(diag::error("onnx.interrupted", {a.input, ""}, "import stopped (Ctrl-C); no model was written",
                                         "run the import again"));
  for (const auto& s : r->skipped)
    reportNote(diag::Diagnostic{diag::Severity::Warning, "onnx.skipped", {a.input, ""}, "skipped unsupported node " + s,
                                "its consumers read its input instead"});
  if (!a.weightsDir.empty()) {
    if (!r->hasWeights)
      reportNote(diag::Diagnostic{diag::Severity::Warning, "onnx.no-weights", {a.input, ""},
                                  "the model has no initializers: no weights written", "export with export_params=True"});
    else if (auto st = onnx::writeWeights(*r, a.weightsDir); !st)
      return reportError(st.error());
  }
  if (auto st = io::writeFileAtomic(a.output, workload::toJson(r->model).dump(2) + "\n"); !st) return reportError(st.error());
  std::fprintf(stderr, "imported %s: %zu layers, %.3f G MACs%s\n", a.input.c_str(), r->model.layers.size(),
               static_cast<double>(r->model.totalMacs()) / 1e9,
               r->quantized.empty() ? "" : (", " + std::to_string(r->quantized.size()) + " layers quantized").c_str());
  // The model's inputs as imported (a shapes-only export's parameters are not among them): what
  // --input-shape names, here and in predict/explore/map/build.
  for (const auto& t : r->model.inputs)
    std::fprintf(stderr, "  input '%s': %s\n", t.name.c_str(), workload::shapeText(t.shape).c_str());
  return kExitOk;
#endif
}

}  // namespace

void registerImportCommand(CLI::App& app, Dispatch& dispatch) {
  auto args = std::make_shared<ImportArgs>();
  auto* cmd = app.add_subcommand("import", "Import an ONNX model (from PyTorch) into the workload JSON format");
  cmd->add_option("model,-m,--model", args->input, "the .onnx file")->required();  // -m/--model as elsewhere
  cmd->add_option("-o,--output", args->output, "the model JSON to write")->required();
  cmd->add_option("--weights-dir", args->weightsDir,
                  "write quantized weights (<layer>.weight.npy, .bias.npy, .quant.json, .input.npy) here");
  cmd->add_flag("--skip-unsupported", args->skipUnsupported,
                "import the rest when an op is unsupported (its consumers read its input) and list what was skipped");
  cmd->add_option("--calibration-input", args->calibrationInput,
                  "float32 .npy input for the min/max calibration (default: a seeded N(0,1) input)");
  cmd->add_option("--seed", args->seed, "seed of the random calibration input")->capture_default_str();
  cmd->add_option("--input-shape", args->inputShapes,
                  "[NAME=]D0,D1,... (or 1x3x224x224): the shape of a graph input with symbolic dimensions "
                  "(a dynamic batch); repeat for several inputs");
  cmd->callback([args, &dispatch] { dispatch.action = [args] { return runImport(*args); }; });
}

}  // namespace dnnchip::cli
