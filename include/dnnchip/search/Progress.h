#pragma once
/// \file
/// Progress reporting and cooperative stopping for long searches. The bar (points evaluated,
/// best cost so far, estimated time left) goes to stderr only when stderr is a terminal; in a
/// pipe or a log it stays quiet. A SIGINT handler sets a flag the search polls between tasks,
/// so Ctrl-C stops cleanly and the caller still writes the best design found so far.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace dnnchip::search {

/// Set by the SIGINT handler (or by requestStop()); polled by the search.
bool stopRequested();
void requestStop();
void clearStop();

/// Installs a SIGINT handler that calls requestStop() for the lifetime of this object and
/// restores the previous handler afterwards. The first Ctrl-C stops the search; a second one,
/// with the previous handler back in place, ends the process as usual.
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

 private:
  void (*previous_)(int) = nullptr;
};

/// A thread-safe progress bar. add() is cheap (one relaxed atomic add); redrawing is throttled to
/// ten times per second and done by whichever thread notices the time has come.
class Progress {
 public:
  /// `enabled` defaults to isatty(stderr).
  explicit Progress(std::string label, int64_t total, bool enabled);
  explicit Progress(std::string label, int64_t total);
  ~Progress();

  void add(int64_t points);
  void setBest(double cost);
  void finish();
  static bool stderrIsTerminal();

 private:
  void draw(bool final);
  std::string label_;
  int64_t total_;
  bool enabled_;
  std::atomic<int64_t> done_{0};
  std::atomic<double> best_{0};
  std::atomic<bool> haveBest_{false};
  std::atomic<int64_t> lastDrawNs_{0};
  std::chrono::steady_clock::time_point start_;
  std::mutex drawMutex_;
  bool finished_ = false;
};

}  // namespace dnnchip::search
