// SIGINT -> the driver's StopSource for the lifetime of an InterruptGuard (see Interrupt.h). The
// source lives here, in the driver, because a signal handler can reach nothing else; the handler
// only stores to its lock-free atomic, which is async-signal-safe.

#include "Interrupt.h"

namespace dnnchip::cli {

namespace {
io::StopSource gDriverStop;  // the dnnchip process's one stop request (the driver's, not the library's)
extern "C" void onSigint(int) { gDriverStop.requestStop(); }
}  // namespace

InterruptGuard::InterruptGuard() {
  gDriverStop.clear();
  struct sigaction sa {};
  sa.sa_handler = onSigint;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESETHAND | SA_RESTART;
  installed_ = ::sigaction(SIGINT, &sa, &previous_) == 0;
}

InterruptGuard::~InterruptGuard() {
  if (installed_) ::sigaction(SIGINT, &previous_, nullptr);
}

io::StopToken InterruptGuard::token() const { return gDriverStop.token(); }

}  // namespace dnnchip::cli
