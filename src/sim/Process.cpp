// Tool discovery and process execution for the simulation and synthesis flows. fork/exec with the
// child's stdout and stderr redirected to a log file, in its own process group so a timeout can
// kill the tool and everything it started (Verilator runs make and the compiler). Polls every
// 20 ms for the child's exit, the deadline and a stop request (the caller's io::StopToken: Ctrl-C in the driver);
// the child's own process group does not see a terminal's Ctrl-C, so on a stop request the whole
// group is killed here and reaped before runProcess returns. Cost: the tool's run time.

#include "dnnchip/sim/Process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

namespace dnnchip::sim {

std::optional<std::filesystem::path> findTool(const std::string& name) {
  if (name.empty()) return std::nullopt;
  if (name.find('/') != std::string::npos)
    return ::access(name.c_str(), X_OK) == 0 ? std::optional<std::filesystem::path>(name) : std::nullopt;
  const char* path = std::getenv("PATH");
  std::stringstream ss(path ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(ss, dir, ':')) {
    if (dir.empty()) continue;
    std::filesystem::path p = std::filesystem::path(dir) / name;
    struct stat st {};
    if (::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0) return p;
  }
  return std::nullopt;
}

diag::Diagnostic toolMissing(const std::string& tool, const std::string& purpose) {
  return diag::error("sim.tool-missing", {}, "'" + tool + "' is not on PATH; it is needed for " + purpose,
                     "install it (scripts/setup-deps.sh lists the Debian packages) or put it on PATH");
}

ProcessResult runProcess(const std::vector<std::string>& argv, const std::filesystem::path& workDir,
                         const std::filesystem::path& logFile, int timeoutSeconds, io::StopToken stop) {
  ProcessResult r;
  if (argv.empty()) return r;
  if (stop.stopRequested()) {
    r.interrupted = true;
    return r;
  }
  std::error_code ec;
  // The child changes into workDir before it opens the log: a relative log path (a relative -o
  // folder such as make run's out/default) would otherwise resolve against workDir.
  const std::filesystem::path log = std::filesystem::absolute(logFile, ec);
  if (log.has_parent_path()) std::filesystem::create_directories(log.parent_path(), ec);
  pid_t pid = ::fork();
  if (pid < 0) return r;
  if (pid == 0) {
    ::setpgid(0, 0);
    if (::chdir(workDir.c_str()) != 0) ::_exit(127);
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) fd = ::open("/dev/null", O_WRONLY);  // never the caller's terminal
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      ::close(fd);
    }
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  ::setpgid(pid, pid);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeoutSeconds);
  int status = 0;
  for (;;) {
    pid_t w = ::waitpid(pid, &status, WNOHANG);
    if (w == pid) break;
    if (w < 0) { status = -1; break; }
    const bool stopped = stop.stopRequested();
    if (stopped || std::chrono::steady_clock::now() > deadline) {
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      (stopped ? r.interrupted : r.timedOut) = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (!r.timedOut && !r.interrupted && status >= 0 && WIFEXITED(status)) r.exitCode = WEXITSTATUS(status);
  std::ifstream in(log, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  r.output = buf.str();
  return r;
}

}  // namespace dnnchip::sim
