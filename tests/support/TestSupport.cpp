#include "TestSupport.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <sys/wait.h>
#include <unistd.h>

namespace dnnchip::test {

namespace fs = std::filesystem;

fs::path sourceDir() {
  if (const char* s = std::getenv("DNNCHIP_SOURCE_DIR")) return s;
  return DNNCHIP_SOURCE_DIR;
}

fs::path tempDir(const std::string& tag) {
  fs::path p = fs::temp_directory_path() / ("dnnchip-test-" + tag + "-" + std::to_string(::getpid()));
  fs::remove_all(p);
  fs::create_directories(p);
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
