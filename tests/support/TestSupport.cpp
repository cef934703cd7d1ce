#include "TestSupport.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <system_error>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

namespace dnnchip::test {

namespace fs = std::filesystem;

fs::path sourceDir() {
  if (const char* s = std::getenv("DNNCHIP_SOURCE_DIR")) return s;
  return DNNCHIP_SOURCE_DIR;
}

namespace {
// The folders tempDir() made in this process, removed when it exits (each gtest case runs in its
// own process under ctest, so nothing outlives the test). DNNCHIP_KEEP_TEST_TMP=1 keeps them for
// a post-mortem.
struct TempFolders {
  std::mutex mutex;
  std::vector<fs::path> paths;
  ~TempFolders() {
    const char* keep = std::getenv("DNNCHIP_KEEP_TEST_TMP");
    if (keep && *keep && std::string(keep) != "0") return;
    std::error_code ec;
    for (const auto& p : paths) fs::remove_all(p, ec);
  }
};
TempFolders& tempFolders() {
  static TempFolders folders;
  return folders;
}
}  // namespace

fs::path tempDir(const std::string& tag) {
  fs::path p = fs::temp_directory_path() / ("dnnchip-test-" + tag + "-" + std::to_string(::getpid()));
  fs::remove_all(p);
  fs::create_directories(p);
  auto& folders = tempFolders();
  std::lock_guard<std::mutex> lock(folders.mutex);
  if (std::find(folders.paths.begin(), folders.paths.end(), p) == folders.paths.end()) folders.paths.push_back(p);
  return p;
}

static std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

RunResult runCli(const std::string& args) {
  const char* bin = std::getenv("DNNCHIP_BIN");
  if (!bin || !*bin) bin = DNNCHIP_BIN_PATH;
  fs::path dir = tempDir("cli");
  std::string cmd = std::string("'") + bin + "' " + args + " >'" + (dir / "out").string() + "' 2>'" +
                    (dir / "err").string() + "' </dev/null";
  int status = std::system(cmd.c_str());
  RunResult r;
  r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(dir / "out");
  r.err = slurp(dir / "err");
  fs::remove_all(dir);
  return r;
}

fs::path writeFile(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

}  // namespace dnnchip::test
