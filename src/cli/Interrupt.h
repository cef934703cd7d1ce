#pragma once
// The driver's SIGINT handler and the StopSource it sets (issue 12: the library owns neither; it
// polls the io::StopToken passed in its options). While an InterruptGuard lives, the first Ctrl-C
// requests a stop on the driver's StopSource; the handler is installed with SA_RESETHAND, so a
// second Ctrl-C ends the process as usual. A command takes guard.token() into the options of the
// library call it makes.

#include <signal.h>

#include "dnnchip/io/Stop.h"

namespace dnnchip::cli {

class InterruptGuard {
 public:
  /// Clears any earlier stop request and installs the handler.
  InterruptGuard();
  /// Restores the previous handler.
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  /// The token to put into a library call's options.
  io::StopToken token() const;
  /// True once Ctrl-C was pressed while this guard lived.
  bool stopRequested() const { return token().stopRequested(); }

 private:
  struct sigaction previous_ {};
  bool installed_ = false;
};

}  // namespace dnnchip::cli
