#pragma once
/// \file
/// A progress indicator for a long step that has no count of its own (an external tool run):
/// while the work runs, redraws "label  elapsed mm:ss" on one line of stderr once a second, only
/// when stderr is a terminal (quiet in pipes and logs, like search::Progress), and clears the
/// line when the work ends.

#include <functional>
#include <string>

namespace dnnchip::flow {

/// Runs `work` on the calling thread; a helper thread draws the indicator meanwhile.
void withTicker(const std::string& label, const std::function<void()>& work);

}  // namespace dnnchip::flow
