#pragma once
/// \file
/// Progress of long library work, reported to the caller instead of printed: the library never
/// writes to stdout or stderr (Diagnostic.h). A caller that wants a progress bar implements
/// ProgressObserver (the CLI draws one on a terminal, src/cli/TerminalProgress.cpp) and passes it
/// in the options of the long-running call; without one (nullptr) nothing is reported.

#include <cstdint>
#include <optional>
#include <string>

namespace dnnchip::diag {

/// Receives the phases of a long computation. A phase is counted (a search stage: `total`
/// points, reported with add()) or uncounted (an external tool run of unknown length). Phases do
/// not nest. begin() and end() come from the thread that runs the computation; add() and setBest()
/// may come from many worker threads at once and must be cheap and thread-safe.
class ProgressObserver {
 public:
  virtual ~ProgressObserver() = default;
  /// A phase starts; `total` is its number of points, nullopt when its length is unknown.
  virtual void begin(const std::string& label, std::optional<int64_t> total) = 0;
  /// `points` more points of the current counted phase are done.
  virtual void add(int64_t points) = 0;
  /// A point with this cost was found (lower is better); observers keep the lowest.
  virtual void setBest(double cost) = 0;
  /// The current phase ended (finished, stopped or failed).
  virtual void end() = 0;
};

/// One phase on an optional observer: begin() on construction, end() on destruction (so an early
/// return or exception still ends it). Every call is a no-op without an observer. The observer is
/// not owned and must outlive the phase.
class ProgressPhase {
 public:
  ProgressPhase(ProgressObserver* observer, const std::string& label, std::optional<int64_t> total)
      : observer_(observer) {
    if (observer_) observer_->begin(label, total);
  }
  ~ProgressPhase() {
    if (observer_) observer_->end();
  }
  ProgressPhase(const ProgressPhase&) = delete;
  ProgressPhase& operator=(const ProgressPhase&) = delete;

  void add(int64_t points) {
    if (observer_) observer_->add(points);
  }
  void setBest(double cost) {
    if (observer_) observer_->setBest(cost);
  }

 private:
  ProgressObserver* observer_;
};

}  // namespace dnnchip::diag
