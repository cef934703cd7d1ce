// Progress bar on stderr (terminals only). Drawing is throttled (100 ms) with a CAS on the
// last draw time so at most one thread draws at a time.

#include "dnnchip/search/Progress.h"

#include <cstdio>
#include <unistd.h>

namespace dnnchip::search {

bool Progress::stderrIsTerminal() { return isatty(STDERR_FILENO) == 1; }

Progress::Progress(std::string label, int64_t total, bool enabled)
    : label_(std::move(label)), total_(total > 0 ? total : 1), enabled_(enabled),
      start_(std::chrono::steady_clock::now()) {}
Progress::Progress(std::string label, int64_t total)
    : Progress(std::move(label), total, stderrIsTerminal()) {}
Progress::~Progress() { finish(); }

void Progress::setBest(double cost) {
  if (!enabled_) return;
  double cur = best_.load(std::memory_order_relaxed);
  while ((!haveBest_.load(std::memory_order_relaxed) || cost < cur) &&
         !best_.compare_exchange_weak(cur, cost, std::memory_order_relaxed)) {
  }
  haveBest_.store(true, std::memory_order_relaxed);
}

void Progress::add(int64_t points) {
  if (!enabled_) return;
  done_.fetch_add(points, std::memory_order_relaxed);
  int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                    std::chrono::steady_clock::now() - start_).count();
  int64_t last = lastDrawNs_.load(std::memory_order_relaxed);
  if (now - last < 100'000'000) return;
  if (!lastDrawNs_.compare_exchange_strong(last, now, std::memory_order_relaxed)) return;
  draw(false);
}

void Progress::draw(bool final) {
  std::lock_guard<std::mutex> lock(drawMutex_);
  if (finished_) return;
  int64_t done = done_.load(std::memory_order_relaxed);
  double frac = std::min(1.0, static_cast<double>(done) / static_cast<double>(total_));
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double left = frac > 0 ? elapsed * (1 - frac) / frac : 0;
  constexpr int kWidth = 30;
  int filled = static_cast<int>(frac * kWidth);
  char bar[kWidth + 1];
  for (int i = 0; i < kWidth; ++i) bar[i] = i < filled ? '#' : '.';
  bar[kWidth] = 0;
  char best[48] = "-";
  if (haveBest_.load(std::memory_order_relaxed))
    std::snprintf(best, sizeof best, "%.4g", best_.load(std::memory_order_relaxed));
  std::fprintf(stderr, "\r%s [%s] %3.0f%% %lld points, best %s, %.1fs left   %s", label_.c_str(), bar,
               frac * 100, static_cast<long long>(done), best, left, final ? "\n" : "");
  std::fflush(stderr);
}

void Progress::finish() {
  if (!enabled_) return;
  draw(true);
  std::lock_guard<std::mutex> lock(drawMutex_);
  finished_ = true;
}

}  // namespace dnnchip::search
