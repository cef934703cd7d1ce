#pragma once
// The driver's SIGINT handler (issue 12: the library owns none). While an InterruptGuard lives, the
// first Ctrl-C calls io::requestStop(), which the searches and the tool runs poll; the handler is
// installed with SA_RESETHAND, so a second Ctrl-C ends the process as usual.

#include <signal.h>

namespace dnnchip::cli {

class InterruptGuard {
 public:
  /// Clears any earlier stop request and installs the handler.
  InterruptGuard();
  /// Restores the previous handler.
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

 private:
  struct sigaction previous_ {};
  bool installed_ = false;
};

}  // namespace dnnchip::cli
