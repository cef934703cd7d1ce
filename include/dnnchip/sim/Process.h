#pragma once
/// \file
/// Running the external EDA tools (Verilator, Icarus, Yosys, nextpnr): finding them on PATH and
/// running one command with its output captured to a log file and a wall-clock limit.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/io/Stop.h"

namespace dnnchip::sim {

/// The absolute path of `name` on PATH (or `name` itself if it contains a '/' and is executable);
/// nullopt if not found.
std::optional<std::filesystem::path> findTool(const std::string& name);

/// sim.tool-missing for `tool` (`purpose` says what it is needed for, e.g. "simulation").
diag::Diagnostic toolMissing(const std::string& tool, const std::string& purpose);

/// Outcome of one process run.
struct ProcessResult {
  int exitCode = -1;        ///< the process's exit status; -1 if it was killed or did not start
  bool timedOut = false;
  bool interrupted = false;  ///< a stop request (`stop`) killed it, or came before it started
  std::string output;       ///< stdout and stderr interleaved (also written to the log file)
};

/// Runs argv[0] with arguments in `workDir`; stdout and stderr go to `logFile` (and are returned).
/// Kills the process group after `timeoutSeconds`, or within 20 ms of a stop request on `stop`
/// (then `interrupted`; a stop requested before the call starts nothing). Never throws.
ProcessResult runProcess(const std::vector<std::string>& argv, const std::filesystem::path& workDir,
                         const std::filesystem::path& logFile, int timeoutSeconds, io::StopToken stop = {});

}  // namespace dnnchip::sim
