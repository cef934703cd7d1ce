// SIGINT -> io::requestStop() for the lifetime of an InterruptGuard (see Interrupt.h). The handler
// only stores to a lock-free atomic, which is async-signal-safe.

#include "Interrupt.h"

#include "dnnchip/io/Stop.h"

namespace dnnchip::cli {

namespace {
extern "C" void onSigint(int) { io::requestStop(); }
}  // namespace

InterruptGuard::InterruptGuard() {
  io::clearStop();
  struct sigaction sa {};
  sa.sa_handler = onSigint;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESETHAND | SA_RESTART;
  installed_ = ::sigaction(SIGINT, &sa, &previous_) == 0;
}

InterruptGuard::~InterruptGuard() {
  if (installed_) ::sigaction(SIGINT, &previous_, nullptr);
}

}  // namespace dnnchip::cli
