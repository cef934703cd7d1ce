// Progress on stderr for the CLI (the library reports phases, src/diag's ProgressObserver; it
// never draws). Counted phases: add() is one relaxed atomic add; redrawing is throttled to every
// 100 ms with a CAS on the last draw time, so at most one worker thread draws at a time.
// Uncounted phases: a helper thread redraws the elapsed time once a second until end().

#include "TerminalProgress.h"

#include <algorithm>
#include <cstdio>
#include <unistd.h>

namespace dnnchip::cli {

std::unique_ptr<TerminalProgress> TerminalProgress::forTerminal() {
  if (isatty(STDERR_FILENO) != 1) return nullptr;
  return std::make_unique<TerminalProgress>();
}

TerminalProgress::~TerminalProgress() { end(); }

void TerminalProgress::begin(const std::string& label, std::optional<int64_t> total) {
  end();  // phases do not nest
  std::lock_guard<std::mutex> lock(drawMutex_);
  label_ = label;
  counted_ = total.has_value();
  total_ = total && *total > 0 ? *total : 1;
  done_.store(0, std::memory_order_relaxed);
  haveBest_.store(false, std::memory_order_relaxed);
  lastDrawNs_.store(0, std::memory_order_relaxed);
  start_ = std::chrono::steady_clock::now();
  finished_ = false;
  if (counted_) return;
  tickDone_ = false;
  ticker_ = std::thread([this, label = label_, start = start_] {
    std::unique_lock<std::mutex> tick(tickMutex_);
    while (!tickCv_.wait_for(tick, std::chrono::seconds(1), [&] { return tickDone_; })) {
      auto s = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start).count();
      std::fprintf(stderr, "\r      %s  %02lld:%02lld elapsed", label.c_str(), static_cast<long long>(s / 60),
                   static_cast<long long>(s % 60));
      std::fflush(stderr);
    }
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  });
}

void TerminalProgress::setBest(double cost) {
  double cur = best_.load(std::memory_order_relaxed);
  while ((!haveBest_.load(std::memory_order_relaxed) || cost < cur) &&
         !best_.compare_exchange_weak(cur, cost, std::memory_order_relaxed)) {
  }
  haveBest_.store(true, std::memory_order_relaxed);
}

void TerminalProgress::add(int64_t points) {
  done_.fetch_add(points, std::memory_order_relaxed);
  int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                    std::chrono::steady_clock::now() - start_).count();
  int64_t last = lastDrawNs_.load(std::memory_order_relaxed);
  if (now - last < 100'000'000) return;
  if (!lastDrawNs_.compare_exchange_strong(last, now, std::memory_order_relaxed)) return;
  drawBar(false);
}

void TerminalProgress::drawBar(bool final) {
  std::lock_guard<std::mutex> lock(drawMutex_);
  if (finished_ || !counted_) return;
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

void TerminalProgress::stopTicker() {
  if (!ticker_.joinable()) return;
  {
    std::lock_guard<std::mutex> tick(tickMutex_);
    tickDone_ = true;
  }
  tickCv_.notify_one();
  ticker_.join();
}

void TerminalProgress::end() {
  if (counted_) drawBar(true);
  stopTicker();
  std::lock_guard<std::mutex> lock(drawMutex_);
  finished_ = true;
}

}  // namespace dnnchip::cli
