#pragma once
// Helpers shared by the unit tests: paths into the source tree, running the CLI, temp folders.

#include <filesystem>
#include <string>

namespace dnnchip::test {

/// The source tree (data folders live there).
std::filesystem::path sourceDir();

/// A fresh, empty temporary folder unique to the calling test process (tag + pid), removed with
/// its contents when the process exits unless DNNCHIP_KEEP_TEST_TMP is set.
std::filesystem::path tempDir(const std::string& tag);

struct RunResult {
  int exitCode = -1;
  std::string out;  ///< stdout
  std::string err;  ///< stderr
};

/// Runs the built `dnnchip` binary with `args` (a shell-quoted string) and captures its output.
RunResult runCli(const std::string& args);

/// Writes `text` to `path` (creating folders) and returns the path.
std::filesystem::path writeFile(const std::filesystem::path& path, const std::string& text);

}  // namespace dnnchip::test
