#pragma once
/// \file
/// The cooperative stop request of long-running library code (searches, external tool runs). The
/// library only polls it; it never installs a signal handler. The `dnnchip` driver owns the
/// process-wide SIGINT handler (src/cli/Interrupt.h), which calls requestStop(); an embedding
/// program may call requestStop() from any thread, or from its own signal handler (the flag is a
/// lock-free atomic, so setting it is async-signal-safe).

namespace dnnchip::io {

/// True once requestStop() was called (and clearStop() not since). Cheap: one relaxed load.
bool stopRequested();
/// Asks every search and tool run to stop at its next check (searches within a task, tool runs
/// within 20 ms; the tool's process group is killed). Async-signal-safe.
void requestStop();
/// Forgets an earlier stop request (before a new run).
void clearStop();

}  // namespace dnnchip::io
