// A long external tool run as one uncounted progress phase. The library draws nothing: the
// observer (the CLI's TerminalProgress) shows the elapsed time; ProgressPhase ends the phase on
// every way out of `work`.

#include "dnnchip/flow/Ticker.h"

namespace dnnchip::flow {

void withTicker(diag::ProgressObserver* observer, const std::string& label, const std::function<void()>& work) {
  diag::ProgressPhase phase(observer, label, std::nullopt);
  work();
}

}  // namespace dnnchip::flow
