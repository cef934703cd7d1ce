#pragma once
// The CLI's progress display: implements diag::ProgressObserver on stderr. A counted phase (a
// search stage) is a bar with points, best cost and time left, redrawn at most ten times a
// second; an uncounted phase (Yosys, Verilator) is "label  elapsed mm:ss", redrawn once a second
// by a helper thread and cleared when it ends. Commands create one only when stderr is a
// terminal (forTerminal()), so pipes and logs stay quiet.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "dnnchip/diag/Progress.h"

namespace dnnchip::cli {

class TerminalProgress final : public diag::ProgressObserver {
 public:
  TerminalProgress() = default;
  ~TerminalProgress() override;
  TerminalProgress(const TerminalProgress&) = delete;
  TerminalProgress& operator=(const TerminalProgress&) = delete;

  /// A display when stderr is a terminal, nullptr otherwise.
  static std::unique_ptr<TerminalProgress> forTerminal();

  void begin(const std::string& label, std::optional<int64_t> total) override;
  void add(int64_t points) override;
  void setBest(double cost) override;
  void end() override;

 private:
  void drawBar(bool final);
  void stopTicker();

  std::string label_;
  bool counted_ = false;
  int64_t total_ = 1;
  std::atomic<int64_t> done_{0};
  std::atomic<double> best_{0};
  std::atomic<bool> haveBest_{false};
  std::atomic<int64_t> lastDrawNs_{0};
  std::chrono::steady_clock::time_point start_;
  std::mutex drawMutex_;
  bool finished_ = true;
  // Uncounted phases: the helper thread and how to stop it.
  std::thread ticker_;
  std::mutex tickMutex_;
  std::condition_variable tickCv_;
  bool tickDone_ = false;
};

}  // namespace dnnchip::cli
