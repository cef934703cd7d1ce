// The SIGINT stop flag. The handler only stores to a lock-free atomic, which is async-signal-safe.

#include "dnnchip/search/Progress.h"

#include <csignal>

namespace dnnchip::search {

namespace {
std::atomic<bool> gStop{false};
extern "C" void onSigint(int) { gStop.store(true, std::memory_order_relaxed); }
}  // namespace

bool stopRequested() { return gStop.load(std::memory_order_relaxed); }
void requestStop() { gStop.store(true, std::memory_order_relaxed); }
void clearStop() { gStop.store(false, std::memory_order_relaxed); }

InterruptGuard::InterruptGuard() {
  clearStop();
  previous_ = std::signal(SIGINT, onSigint);
  if (previous_ == SIG_ERR) previous_ = SIG_DFL;
}
InterruptGuard::~InterruptGuard() { std::signal(SIGINT, previous_); }

}  // namespace dnnchip::search
