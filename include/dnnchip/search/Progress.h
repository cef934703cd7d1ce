#pragma once
/// \file
/// Progress reporting for long searches. The bar (points evaluated, best cost so far, estimated
/// time left) goes to stderr only when stderr is a terminal; in a pipe or a log it stays quiet.
/// Stopping is io/Stop.h: the search polls io::stopRequested() and keeps the best found so far.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace dnnchip::search {

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
