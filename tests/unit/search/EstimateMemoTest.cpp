// The explore's memo of the engine's closed-form cycles (EstimateMemo): what it returns equals the
// engine's whole-program estimate field by field (which also checks that the estimate is per
// descriptor, the memo's premise), a second program on the same configuration is served from the
// memo, and configurations that differ in any estimate input (port width, bursts in flight,
// buffer depth, dataflow) never share an entry. Checked once against a memo whose key left out
// the configuration: ConfigurationsNeverShareEntries failed.
#include <gtest/gtest.h>

#include "dnnchip/arch/Lowering.h"
#include "dnnchip/arch/Registry.h"
#include "dnnchip/search/EstimateMemo.h"
#include "dnnchip/workload/Model.h"

using namespace dnnchip;
using namespace dnnchip::schedule;

namespace {

const arch::Engine& systolicEngine() {
  const arch::Template* t = arch::builtinRegistry().find("systolic_ws");
  EXPECT_NE(t, nullptr);
  return *t->engine();
}

void expectSame(const std::vector<LayerCycles>& a, const std::vector<LayerCycles>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    SCOPED_TRACE("descriptor " + std::to_string(i));
    EXPECT_EQ(a[i].layerIndex, b[i].layerIndex);
    EXPECT_EQ(a[i].overhead, b[i].overhead);
    EXPECT_EQ(a[i].load, b[i].load);
    EXPECT_EQ(a[i].compute, b[i].compute);
    EXPECT_EQ(a[i].vector, b[i].vector);
    EXPECT_EQ(a[i].store, b[i].store);
    EXPECT_EQ(a[i].stall, b[i].stall);
    EXPECT_EQ(a[i].dramBytes, b[i].dramBytes);
  }
}

struct Lowered {
  EngineConfig cfg;
  Program program;
};

Lowered lowered(const char* model, EngineConfig cfg) {
  auto m = workload::loadModelByName(model);
  EXPECT_TRUE(m.ok());
  auto p = arch::lowerForConfig(*m, cfg);
  EXPECT_TRUE(p.ok()) << p.error().format();
  return {cfg, *p};
}

EngineConfig base() {
  EngineConfig c;
  c.rows = 16;
  c.cols = 16;
  c.doubleBuffer = true;
  c.axiDataBits = 64;
  c.readOutstanding = 8;
  c.writeOutstanding = 8;
  c.dramReadLatencyCycles = 36;
  c.dramWriteLatencyCycles = 24;
  c.actBufferWords = 1024;
  c.accBufferWords = 2048;
  return c;
}

}  // namespace

TEST(EstimateMemo, EqualsTheWholeProgramEstimate) {
  const arch::Engine& e = systolicEngine();
  search::EstimateMemo memo;
  for (const char* model : {"resnet50", "alexnet"}) {
    SCOPED_TRACE(model);
    Lowered l = lowered(model, base());
    expectSame(memo.estimate(e, l.program, l.cfg), e.cycles(l.program, l.cfg, false));
  }
}

TEST(EstimateMemo, RepeatedProgramsAreServedFromTheMemo) {
  const arch::Engine& e = systolicEngine();
  search::EstimateMemo memo;
  Lowered l = lowered("resnet18", base());
  auto first = memo.estimate(e, l.program, l.cfg);
  const int64_t computed = memo.computed();
  EXPECT_EQ(memo.lookups(), static_cast<int64_t>(l.program.descriptors.size()));
  EXPECT_GT(computed, 0);
  expectSame(memo.estimate(e, l.program, l.cfg), first);
  EXPECT_EQ(memo.computed(), computed);
  EXPECT_EQ(memo.lookups(), 2 * static_cast<int64_t>(l.program.descriptors.size()));
}

TEST(EstimateMemo, ConfigurationsNeverShareEntries) {
  const arch::Engine& e = systolicEngine();
  search::EstimateMemo memo;
  Lowered l = lowered("resnet18", base());
  memo.estimate(e, l.program, l.cfg);
  // The same program on configurations whose estimate differs: each must be its own entry.
  std::vector<EngineConfig> variants;
  for (int bits : {32, 128}) {
    EngineConfig c = base();
    c.axiDataBits = bits;
    variants.push_back(c);
  }
  for (int out : {1, 2}) {
    EngineConfig c = base();
    c.readOutstanding = c.writeOutstanding = out;
    variants.push_back(c);
  }
  {
    EngineConfig c = base();
    c.dataflow = Dataflow::OutputStationary;
    variants.push_back(c);
  }
  {
    EngineConfig c = base();
    c.doubleBuffer = false;
    variants.push_back(c);
  }
  for (const EngineConfig& c : variants) {
    EngineConfig cfg = c;
    cfg.progDepth = l.cfg.progDepth;
    expectSame(memo.estimate(e, l.program, cfg), e.cycles(l.program, cfg, false));
  }
}
