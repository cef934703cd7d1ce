// dnnchip: the command-line driver. Parses arguments with CLI11, runs the chosen subcommand and
// turns every failure into a diagnostic and an exit code; library code never exits.

#include <cstdio>
#include <exception>
#include <iostream>

#include "Command.h"
#include "dnnchip/io/DataPaths.h"

namespace dnnchip::cli {

int reportError(const diag::Diagnostic& d) {
  std::fprintf(stderr, "%s\n", d.format().c_str());
  return kExitBadInput;
}

void reportNote(const diag::Diagnostic& d) { std::fprintf(stderr, "%s\n", d.format().c_str()); }

int reportInterrupted(diag::Diagnostic d) {
  d.severity = diag::Severity::Note;
  reportNote(d);
  return kExitInterrupted;
}

}  // namespace dnnchip::cli

int main(int argc, char** argv) {
  using namespace dnnchip;
  if (argc > 0) io::setExecutablePath(argv[0]);
  CLI::App app{"dnnchip: from a DNN and a platform's limits to a predicted, searched and verified "
               "accelerator"};
  app.set_version_flag("--version", std::string("dnnchip ") + DNNCHIP_CLI_VERSION);
  app.require_subcommand(1);
  cli::Dispatch dispatch;
  cli::registerBuildCommand(app, dispatch);
  cli::registerCompileCommand(app, dispatch);
  cli::registerGraphCommand(app, dispatch);
  cli::registerImportCommand(app, dispatch);
  cli::registerLibCommand(app, dispatch);
  cli::registerModelCommand(app, dispatch);
  cli::registerPredictCommand(app, dispatch);
  cli::registerExploreCommand(app, dispatch);
  cli::registerMapCommand(app, dispatch);
  cli::registerGenerateCommand(app, dispatch);
  cli::registerSimulateCommand(app, dispatch);
  cli::registerSynthCommand(app, dispatch);
  cli::registerValidateCommand(app, dispatch);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return cli::reportError(diag::error("cli.usage", {}, e.what(), "see dnnchip --help"));
  }
  try {
    return dispatch.action ? dispatch.action() : cli::kExitInternal;
  } catch (const std::bad_alloc&) {
    return cli::reportError(diag::error("internal.out-of-memory", {}, "ran out of memory",
                                        "reduce the problem size or the search budget"));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error[internal]: %s; please report this as a bug\n", e.what());
    return cli::kExitInternal;
  }
}
