#pragma once
/// \file
/// Internal: used inside the library, its tools and tests; not installed (docs/api.md).
/// Cooperative stopping for long searches. A SIGINT handler sets a flag the search polls between
/// tasks, so Ctrl-C stops cleanly and the caller still writes the best design found so far.
/// The flag is process-wide. Progress bars are not drawn here; callers pass a
/// diag::ProgressObserver (diag/Progress.h).

#include <atomic>

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

}  // namespace dnnchip::search
