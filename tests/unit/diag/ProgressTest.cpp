// ProgressPhase: begin on construction and end on every way out, no-op without an observer.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "dnnchip/diag/Progress.h"

using namespace dnnchip::diag;

namespace {

struct Recorder final : ProgressObserver {
  std::vector<std::string> events;
  void begin(const std::string& label, std::optional<int64_t> total) override {
    events.push_back("begin " + label + " " + (total ? std::to_string(*total) : "?"));
  }
  void add(int64_t points) override { events.push_back("add " + std::to_string(points)); }
  void setBest(double cost) override { events.push_back("best " + std::to_string(static_cast<int>(cost))); }
  void end() override { events.push_back("end"); }
};

}  // namespace

TEST(ProgressPhase, ForwardsToTheObserverAndEndsOnScopeExit) {
  Recorder r;
  {
    ProgressPhase p(&r, "stage 1", 10);
    p.add(3);
    p.setBest(7);
  }
  EXPECT_EQ(r.events, (std::vector<std::string>{"begin stage 1 10", "add 3", "best 7", "end"}));
}

TEST(ProgressPhase, EndsWhenTheWorkThrows) {
  Recorder r;
  try {
    ProgressPhase p(&r, "synth", std::nullopt);
    throw std::runtime_error("tool crashed");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(r.events, (std::vector<std::string>{"begin synth ?", "end"}));
}

TEST(ProgressPhase, WithoutAnObserverDoesNothing) {
  ProgressPhase p(nullptr, "quiet", 5);
  p.add(1);
  p.setBest(1);
  SUCCEED();
}
