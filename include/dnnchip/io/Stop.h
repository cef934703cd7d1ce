#pragma once
/// \file
/// Cooperative stopping of long-running library code (searches, the golden model, the ONNX
/// reference pass, external tool runs). The caller owns a StopSource and passes its token in the
/// options of the call (ExploreOptions::stop, MapRequest::stop, BuildOptions::stop,
/// SimOptions::stop, SynthOptions::stop, onnx::ImportOptions::stop, ...); the library only polls
/// the token. It installs no signal handler and reads no global: the `dnnchip` driver owns its
/// SIGINT handler (src/cli/Interrupt.h), which calls requestStop() on the driver's StopSource.
///
/// Not std::stop_source: its request_stop() may take a lock and run callbacks, so it is not
/// async-signal-safe. Here requestStop() is one store to a lock-free atomic, which a signal
/// handler may do.

#include <atomic>

namespace dnnchip::io {

class StopSource;

/// A view of a StopSource's request. A default-constructed token never stops. Copyable and cheap
/// (one pointer); the StopSource must outlive every token taken from it.
class StopToken {
 public:
  StopToken() = default;
  /// True once the source's requestStop() was called (and clear() not since). One relaxed load.
  bool stopRequested() const noexcept { return flag_ != nullptr && flag_->load(std::memory_order_relaxed); }

 private:
  friend class StopSource;
  explicit StopToken(const std::atomic<bool>* flag) : flag_(flag) {}
  const std::atomic<bool>* flag_ = nullptr;
};

/// Owns one stop request. Not copyable (tokens point into it).
class StopSource {
 public:
  StopSource() = default;
  StopSource(const StopSource&) = delete;
  StopSource& operator=(const StopSource&) = delete;

  /// Asks every call holding a token of this source to stop at its next check (searches within a
  /// task, tool runs within 20 ms; the tool's process group is killed). Async-signal-safe and
  /// callable from any thread.
  void requestStop() noexcept { flag_.store(true, std::memory_order_relaxed); }
  /// Forgets an earlier request (before a new run).
  void clear() noexcept { flag_.store(false, std::memory_order_relaxed); }
  bool stopRequested() const noexcept { return flag_.load(std::memory_order_relaxed); }
  StopToken token() const noexcept { return StopToken(&flag_); }

 private:
  static_assert(std::atomic<bool>::is_always_lock_free, "requestStop() must be async-signal-safe");
  std::atomic<bool> flag_{false};
};

}  // namespace dnnchip::io
