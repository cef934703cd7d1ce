// The process-wide cooperative stop flag (io/Stop.h): one lock-free atomic, so requestStop() may
// be called from a signal handler. Relaxed ordering is enough: the flag carries no data.

#include "dnnchip/io/Stop.h"

#include <atomic>

namespace dnnchip::io {

namespace {
std::atomic<bool> gStop{false};
static_assert(std::atomic<bool>::is_always_lock_free, "requestStop() must be async-signal-safe");
}  // namespace

bool stopRequested() { return gStop.load(std::memory_order_relaxed); }
void requestStop() { gStop.store(true, std::memory_order_relaxed); }
void clearStop() { gStop.store(false, std::memory_order_relaxed); }

}  // namespace dnnchip::io
