#pragma once
// The dnnchip command-line driver: each subcommand lives in src/cli/<Name>Command.cpp and exposes
// one register function, called explicitly from main.cpp (no static self-registration). A
// subcommand's action returns the process exit code: 0 success, 2 bad input (a diagnostic was
// printed), 3 no design meets the bounds, 1 an internal failure.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/io/Json.h"
#include "dnnchip/workload/Model.h"
#include "dnnchip/workload/Training.h"

namespace dnnchip::cli {

constexpr int kExitOk = 0;
constexpr int kExitInternal = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitInfeasible = 3;
constexpr int kExitInterrupted = 130;  ///< Ctrl-C stopped the run (a search writes its best so far)

/// Where a subcommand stores its action; main runs the one the user chose.
struct Dispatch {
  std::function<int()> action;
};

/// Prints `d` to stderr in the stable format and returns kExitBadInput.
int reportError(const diag::Diagnostic& d);
/// Prints a warning or note to stderr.
void reportNote(const diag::Diagnostic& d);
/// Prints a stop request's diagnostic (sim.interrupted, flow.interrupted) as one note line and
/// returns kExitInterrupted.
int reportInterrupted(diag::Diagnostic d);

/// Reads a --model argument: built-in name, model JSON path, or .onnx path (with the
/// --input-shape arguments that fix its symbolic dimensions).
diag::Expected<workload::Model> loadModelArg(const std::string& nameOrPath, const std::vector<std::string>& inputShapes = {});
/// Adds the --input-shape option (repeatable) of a command that takes an .onnx --model.
void addInputShapeOption(CLI::App* cmd, std::vector<std::string>& shapes);

/// --phase, --optimizer and --batch of predict and explore (docs/training.md).
struct PhaseArgs {
  std::string phase = "inference", optimizer = "sgd_momentum";
  int64_t batch = 1;  ///< inferences per run, or samples per training step
  /// The training step's options (optimizer, batch) with --phase training, else nullopt.
  std::optional<workload::TrainingOptions> training() const;
};
/// Adds the three options; `trainingHelp` says what --phase training does for the command.
void addPhaseOptions(CLI::App* cmd, PhaseArgs& a, const std::string& trainingHelp);

/// --json [FILE] (JsonArg.cpp), the same on every command with a JSON form of its result: without
/// FILE the JSON replaces the text on stdout, with FILE it is written there and the text stays.
struct JsonArg {
  CLI::Option* option = nullptr;  ///< owned by the CLI::App
  std::string file;
  bool requested() const { return option && option->count() > 0; }
  /// The JSON takes stdout: the command prints no text.
  bool toStdout() const { return requested() && file.empty(); }
  /// Writes `j` where asked (nothing when --json was not given).
  diag::Status emit(const io::Json& j) const;
};
/// Adds --json [FILE]; `what` names the JSON form in the help ("the report").
void addJsonOption(CLI::App* cmd, JsonArg& a, const std::string& what);

// One per command file. Keep alphabetical.
void registerBuildCommand(CLI::App& app, Dispatch& dispatch);
void registerCompileCommand(CLI::App& app, Dispatch& dispatch);
void registerExploreCommand(CLI::App& app, Dispatch& dispatch);
void registerGenerateCommand(CLI::App& app, Dispatch& dispatch);
void registerGraphCommand(CLI::App& app, Dispatch& dispatch);
void registerImportCommand(CLI::App& app, Dispatch& dispatch);
void registerLibCommand(CLI::App& app, Dispatch& dispatch);
void registerMapCommand(CLI::App& app, Dispatch& dispatch);
void registerModelCommand(CLI::App& app, Dispatch& dispatch);
void registerPredictCommand(CLI::App& app, Dispatch& dispatch);
void registerSimulateCommand(CLI::App& app, Dispatch& dispatch);
void registerSynthCommand(CLI::App& app, Dispatch& dispatch);
void registerValidateCommand(CLI::App& app, Dispatch& dispatch);

}  // namespace dnnchip::cli
