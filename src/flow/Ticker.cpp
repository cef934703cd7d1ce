// Elapsed-time indicator for long external tool runs (Yosys, Verilator): a helper thread redraws
// one stderr line per second while the caller's work runs; nothing is drawn unless stderr is a
// terminal. The work itself runs on the calling thread, so its results need no synchronization.

#include "dnnchip/flow/Ticker.h"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include "dnnchip/search/Progress.h"

namespace dnnchip::flow {

void withTicker(const std::string& label, const std::function<void()>& work) {
  if (!search::Progress::stderrIsTerminal()) {
    work();
    return;
  }
  std::mutex m;
  std::condition_variable cv;
  bool done = false;
  const auto start = std::chrono::steady_clock::now();
  std::thread ticker([&] {
    std::unique_lock<std::mutex> lock(m);
    while (!cv.wait_for(lock, std::chrono::seconds(1), [&] { return done; })) {
      auto s = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start).count();
      std::fprintf(stderr, "\r      %s  %02lld:%02lld elapsed", label.c_str(), static_cast<long long>(s / 60),
                   static_cast<long long>(s % 60));
      std::fflush(stderr);
    }
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  });
  auto stop = [&] {
    {
      std::lock_guard<std::mutex> lock(m);
      done = true;
    }
    cv.notify_one();
    ticker.join();
  };
  try {
    work();
  } catch (...) {
    stop();
    throw;
  }
  stop();
}

}  // namespace dnnchip::flow
