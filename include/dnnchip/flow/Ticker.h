#pragma once
/// \file
/// Internal: used inside the library, its tools and tests; not installed (docs/api.md).
/// A long step that has no count of its own (an external tool run) as one uncounted progress
/// phase: the observer (the CLI: "label  elapsed mm:ss" on a terminal) hears begin before the
/// work and end after it, also when the work throws.

#include <functional>
#include <string>

#include "dnnchip/diag/Progress.h"

namespace dnnchip::flow {

/// Runs `work` on the calling thread as one uncounted phase of `observer` (nullptr: just runs it).
void withTicker(diag::ProgressObserver* observer, const std::string& label, const std::function<void()>& work);

}  // namespace dnnchip::flow
