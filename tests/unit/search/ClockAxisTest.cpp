// The clock axis (docs/timing.md#where-it-is-used): with clock_mhz left free on a platform with a
// clock rule, each engine point runs at the highest PL clock the measured depth of its
// configuration supports (designs/characterization/engine_logic_depth.json); a clock fixed by the
// constraints holds for every point; a malformed characterization is search.characterization.
#include <gtest/gtest.h>

#include <algorithm>

#include <fstream>

#include "ConstraintsText.h"
#include "TestSupport.h"
#include "dnnchip/arch/EngineMapping.h"
#include "dnnchip/ip/IpLibrary.h"
#include "dnnchip/platform/Platform.h"
#include "dnnchip/search/ClockCharacterization.h"
#include "dnnchip/search/DesignSpace.h"
#include "dnnchip/workload/Model.h"

using namespace dnnchip;
using namespace dnnchip::search;

namespace {

const ip::IpLibrary& library() {
  static const ip::IpLibrary lib = *ip::IpLibrary::loadDefault();
  return lib;
}

}  // namespace

TEST(ClockAxis, ShippedCharacterizationLoadsAndFindsEntries) {
  auto c = loadClockCharacterization();
  ASSERT_TRUE(c) << c.error().format();
  ASSERT_FALSE(c->entries.empty());
  for (const DepthEntry& e : c->entries) {
    const DepthLookup f = c->find(e.family, e.pack, e.axiDataBits, e.units);
    ASSERT_NE(f.entry, nullptr);
    if (e.programFree) {  // each entry is the one its own configuration stands on
      EXPECT_EQ(f.entry, &e) << e.source;
      EXPECT_TRUE(f.why.empty());
    }
    EXPECT_GT(e.levels, 0);
  }
  const DepthLookup xc7 = c->find("xc7", 1, 512, {});  // no 512-bit engine measured
  ASSERT_NE(xc7.entry, nullptr);
  EXPECT_FALSE(xc7.why.empty());  // a stand-in, or (ROM-baked entries only) the one-step rule
  EXPECT_EQ(c->find("ice40", 1, 64, {}).entry, nullptr);
}

namespace {

DepthEntry measured(int levels, EngineUnits units, const std::string& source) {
  DepthEntry e;
  e.family = "xcup";
  e.pack = 2;
  e.axiDataBits = 128;
  e.rows = 16;
  e.cols = 32;
  e.units = units;
  e.levels = levels;
  e.bram = true;
  e.source = source;
  return e;
}

const platform::Clock& ultra96Clock() {
  static const platform::Platform p = *platform::loadPlatformByName("ultra96");
  return p.clock;
}

}  // namespace

// The key has the engine's optional units: a configuration with the depthwise unit stands on an
// entry whose netlist has the unit (13 levels: 200 MHz on the Ultra96), not on the one measured
// without it (11 levels: 250 MHz), which a lookup by family, pack and AXI width alone returned.
TEST(ClockCharacterization, ConfigurationStandsOnAnEntryWithEveryUnitItBuilds) {
  ClockCharacterization c;
  EngineUnits dw;
  dw.depthwise = true;
  dw.activation = 1;
  c.entries = {measured(11, {}, "resnet18 design, no program"), measured(13, dw, "mobilenet_v2 design, no program")};
  EngineUnits point;
  point.depthwise = true;
  const DepthLookup l = c.find("xcup", 2, 128, point);
  ASSERT_NE(l.entry, nullptr);
  EXPECT_EQ(l.entry->levels, 13);
  EXPECT_FALSE(l.unmeasuredUnit);
  EXPECT_DOUBLE_EQ(ClockCharacterization::supportedMhz(ultra96Clock(), l), 200);
  // without the unit: the closest covering entry (no extra units), 250 MHz
  const DepthLookup plain = c.find("xcup", 2, 128, {});
  ASSERT_NE(plain.entry, nullptr);
  EXPECT_EQ(plain.entry->levels, 11);
  EXPECT_DOUBLE_EQ(ClockCharacterization::supportedMhz(ultra96Clock(), plain), 250);
  // the activation clamps alone: only the depthwise entry has them
  EngineUnits clamps;
  clamps.activation = 1;
  EXPECT_EQ(c.find("xcup", 2, 128, clamps).entry->levels, 13);
  // a 64-bit port stands on the deepest covering entry of the same pack
  const DepthLookup narrow = c.find("xcup", 2, 64, point);
  ASSERT_NE(narrow.entry, nullptr);
  EXPECT_EQ(narrow.entry->levels, 13);
  EXPECT_NE(narrow.why.find("stands in"), std::string::npos);
}

// A unit no measured engine of the family has: no measured clock, so one PL clock below what the
// deepest measured engine supports (docs/timing.md), never that engine's own clock.
TEST(ClockCharacterization, UnitWithoutAMeasuredEngineGetsTheNextLowerClock) {
  ClockCharacterization c;
  c.entries = {measured(11, {}, "resnet18 design, no program"), measured(9, {}, "a shallower run")};
  EngineUnits smx;
  smx.softmax = true;
  const DepthLookup l = c.find("xcup", 2, 128, smx);
  ASSERT_NE(l.entry, nullptr);
  EXPECT_EQ(l.entry->levels, 11);  // the deepest of the family
  EXPECT_TRUE(l.unmeasuredUnit);
  EXPECT_NE(l.why.find("softmax unit"), std::string::npos);
  EXPECT_DOUBLE_EQ(ClockCharacterization::supportedMhz(ultra96Clock(), l), 200);  // 250 by the entry
  // the slowest PL clock has nothing below it
  c.entries = {measured(40, {}, "a very deep run")};
  EXPECT_DOUBLE_EQ(ClockCharacterization::supportedMhz(ultra96Clock(), c.find("xcup", 2, 128, smx)), 100);
  EXPECT_DOUBLE_EQ(ClockCharacterization::supportedMhz(ultra96Clock(), c.find("xc7", 1, 64, smx)), 0);
}

// The activation buffer's depth is part of the key: make run's engine measured 11 levels at
// ACT_DEPTH 512 and 12 at 2048 (dma_cmd -> g_beats), so a 2048-word point does not stand on the
// 512-word entry; an entry measured at 2048 covers both, the closest depth wins.
TEST(ClockCharacterization, DeeperInputBufferNeedsAnEntryMeasuredAtThatDepth) {
  EngineUnits d512, d2048, d1024;
  d512.actDepth = 512;
  d2048.actDepth = 2048;
  d1024.actDepth = 1024;
  ClockCharacterization c;
  c.entries = {measured(11, d512, "x1 design, no program")};
  const DepthLookup shallow = c.find("xcup", 2, 128, d512);
  ASSERT_NE(shallow.entry, nullptr);
  EXPECT_FALSE(shallow.unmeasuredUnit);
  EXPECT_DOUBLE_EQ(ClockCharacterization::supportedMhz(ultra96Clock(), shallow), 250);
  const DepthLookup deep = c.find("xcup", 2, 128, d2048);
  ASSERT_NE(deep.entry, nullptr);
  EXPECT_TRUE(deep.unmeasuredUnit);
  EXPECT_NE(deep.why.find("ACT_DEPTH 2048"), std::string::npos) << deep.why;
  EXPECT_DOUBLE_EQ(ClockCharacterization::supportedMhz(ultra96Clock(), deep), 200);
  // measured at 2048: the deep point stands on it; a 1024-word point takes the closest covering
  c.entries.push_back(measured(10, d2048, "x4 design, no program"));
  c.entries.push_back(measured(12, d1024, "x2 design, no program"));
  EXPECT_EQ(c.find("xcup", 2, 128, d2048).entry->levels, 10);
  EXPECT_EQ(c.find("xcup", 2, 128, d1024).entry->levels, 12);
  EXPECT_EQ(c.find("xcup", 2, 128, d512).entry->levels, 11);
  // an entry that does not record its depth covers no point whose depth is known
  c.entries = {measured(11, {}, "an old run")};
  EXPECT_TRUE(c.find("xcup", 2, 128, d512).unmeasuredUnit);
}

// DesignSpace::actDepth (the key the search looks up) is the ACT_DEPTH the code generator gives
// the point's instantiated design, over the buffer scale and the input-buffer factor.
TEST(ClockAxis, PointActDepthIsTheGeneratedEnginesActDepth) {
  auto p = platform::loadPlatformByName("ultra96");
  ASSERT_TRUE(p);
  auto s = DesignSpace::create(test::systolicConstraintsOn("ultra96"), *p, library(), true, nullptr);
  ASSERT_TRUE(s) << s.error().format();
  ASSERT_EQ(s->inputBufferScales().size(), 3u);
  int checked = 0, deeper = 0;
  for (uint64_t id = 0; id < s->size() && checked < 60; id += 211) {
    const DesignPoint pt = s->point(id);
    auto g = s->instantiate(pt);
    if (!g) continue;
    auto m = arch::mapToEngine(*g, library());
    if (!m) continue;  // a point the engine cannot take (the search drops it too)
    EXPECT_EQ(s->actDepth(pt), m->config.actBufferWords) << s->describe(pt);
    deeper += s->inputBufferScales()[pt.act] > 1;
    ++checked;
  }
  EXPECT_GT(checked, 20);
  EXPECT_GT(deeper, 5);
}

TEST(ClockCharacterization, ModelDecidesTheUnitsItMayBuild) {
  auto mbv2 = workload::loadModelByName("mobilenet_v2");
  ASSERT_TRUE(mbv2) << mbv2.error().format();
  const EngineUnits m = engineUnitsOf(*mbv2);
  EXPECT_EQ(m.activation, 1);  // ReLU6: the clamp pair
  EXPECT_FALSE(m.softmax);
  EXPECT_FALSE(m.depthwise);  // a design choice, not the model's
  auto bert = workload::loadModelByName("bert_base_encoder");
  ASSERT_TRUE(bert) << bert.error().format();
  const EngineUnits b = engineUnitsOf(*bert);
  EXPECT_TRUE(b.softmax);
  EXPECT_EQ(b.activation, 2);  // GELU: the table
  auto r18 = workload::loadModelByName("resnet18");
  ASSERT_TRUE(r18);
  EXPECT_EQ(engineUnitsOf(*r18).describe(), "none");
}

// Every Ultra96 engine point of MobileNet-v2 runs at the clock of the entry its own units stand
// on: with the depthwise unit, an entry measured with the unit.
TEST(ClockAxis, DepthwisePointsTakeTheClockOfAnEngineWithTheUnit) {
  auto p = platform::loadPlatformByName("ultra96");
  ASSERT_TRUE(p);
  auto m = workload::loadModelByName("mobilenet_v2");
  ASSERT_TRUE(m);
  auto s = DesignSpace::create(test::systolicConstraintsOn("ultra96"), *p, library(), true, &*m);
  ASSERT_TRUE(s) << s.error().format();
  auto ch = loadClockCharacterization();
  ASSERT_TRUE(ch);
  ASSERT_EQ(s->depthwiseUnits().size(), 2u);
  int checked[2] = {0, 0};
  for (uint64_t id = 0; id < s->size() && checked[0] + checked[1] < 40; id += 89) {
    const DesignPoint pt = s->point(id);
    auto g = s->instantiate(pt);
    if (!g) continue;
    const std::string& mac = s->macIps()[pt.mac];
    EngineUnits u = engineUnitsOf(*m);
    u.depthwise = s->depthwiseUnits()[pt.dwUnit];
    u.actDepth = s->actDepth(pt);
    const DepthLookup l = ch->find("xcup", mac.find("_pack2") != std::string::npos ? 2 : 1, s->portBits()[pt.port], u);
    ASSERT_NE(l.entry, nullptr);
    if (!l.unmeasuredUnit) {
      EXPECT_TRUE(l.entry->covers(u)) << l.entry->source;
    }
    EXPECT_DOUBLE_EQ(g->clockMhz, ClockCharacterization::supportedMhz(p->clock, l)) << s->describe(pt);
    ++checked[u.depthwise];
  }
  EXPECT_GT(checked[0], 3);
  EXPECT_GT(checked[1], 3);
}

// On the ZC706 the measured xc7 engines (17 levels) support 100 MHz, not the default 200.
TEST(ClockAxis, EachEnginePointRunsAtTheClockItsMeasuredDepthSupports) {
  auto p = platform::loadPlatformByName("zc706");
  ASSERT_TRUE(p);
  auto s = DesignSpace::create(test::systolicConstraintsOn("zc706"), *p, library(), true, nullptr);
  ASSERT_TRUE(s) << s.error().format();
  auto ch = loadClockCharacterization();
  ASSERT_TRUE(ch);
  int checked = 0;
  for (uint64_t id = 0; id < s->size() && checked < 40; id += 97) {
    DesignPoint pt = s->point(id);
    auto g = s->instantiate(pt);
    if (!g) continue;
    const std::string& mac = s->macIps()[pt.mac];
    const int pack = mac.find("_pack2") != std::string::npos ? 2 : 1;
    const int bits = s->portBits()[pt.port];
    EngineUnits u;
    u.actDepth = s->actDepth(pt);
    const DepthLookup l = ch->find("xc7", pack, bits, u);
    ASSERT_NE(l.entry, nullptr) << mac << " " << bits;
    const double expect = ClockCharacterization::supportedMhz(p->clock, l);
    ASSERT_GT(expect, 0);
    EXPECT_LT(expect, p->clock.defaultMhz);
    EXPECT_DOUBLE_EQ(g->clockMhz, expect) << s->describe(pt);
    EXPECT_DOUBLE_EQ(s->clockMhz(pt), expect);
    ++checked;
  }
  EXPECT_GT(checked, 5);
}

TEST(ClockAxis, ClockFixedByTheConstraintsHoldsForEveryPoint) {
  auto p = platform::loadPlatformByName("ultra96");
  ASSERT_TRUE(p);
  auto j = io::parseJson(R"({"schema_version":1,"platform":"ultra96","clock_mhz":150,"objective":"latency",
                             "allowed":{"templates":["systolic"]}})",
                         "t.json");
  ASSERT_TRUE(j);
  auto c = parseConstraints(*j, "t.json", {"ultra96"}, {});
  ASSERT_TRUE(c) << c.error().format();
  auto s = DesignSpace::create(*c, *p, library(), true, nullptr);
  ASSERT_TRUE(s);
  for (uint64_t id = 0; id < s->size(); id += 131) {
    auto g = s->instantiate(s->point(id));
    if (g) {
      EXPECT_DOUBLE_EQ(g->clockMhz, 150);
    }
  }
}

TEST(ClockAxis, MalformedCharacterizationIsDiagnosed) {
  const auto dir = test::tempDir("clock_axis");
  const auto path = dir / "bad.json";
  std::ofstream(path) << R"({"schema_version":2,"entries":[{"family":"ice40","pack":1,"axi_data_bits":64,
    "rows":4,"cols":4,"depthwise_unit":false,"softmax_unit":false,"mul_unit":false,"activation_unit":0,
    "program":"none","logic_levels":9,"dsp":[],"bram":true,"source":"a run somewhere"}]})";
  auto c = loadClockCharacterization(path);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, "search.characterization");
}

// An entry measured with a program in the controller's ROM holds for that program only (Yosys
// folds its constant descriptor bits): it measures no configuration, so a point on it gets one PL
// clock below what it supports (the old lookup gave the entry's own clock); an unknown "program"
// is refused.
TEST(ClockAxis, EntryMeasuredWithAProgramInTheRomMeasuresNoConfiguration) {
  const auto dir = test::tempDir("clock_axis_rom");
  const auto path = dir / "rom.json";
  auto write = [&](const std::string& program) {
    std::ofstream(path) << R"({"schema_version":2,"entries":[{"family":"xcup","pack":2,"axi_data_bits":128,
      "rows":16,"cols":32,"depthwise_unit":false,"softmax_unit":false,"mul_unit":false,"activation_unit":0,
      "program":")" << program << R"(","logic_levels":11,"dsp":[],"bram":true,"source":"resnet18's design, a run"}]})";
  };
  write("rom");
  auto c = loadClockCharacterization(path);
  ASSERT_TRUE(c) << c.error().format();
  const DepthLookup l = c->find("xcup", 2, 128, {});
  ASSERT_NE(l.entry, nullptr);
  EXPECT_TRUE(l.unmeasuredUnit);
  EXPECT_DOUBLE_EQ(ClockCharacterization::supportedMhz(ultra96Clock(), l), 200);  // 250 by its 11 levels
  write("none");
  c = loadClockCharacterization(path);
  ASSERT_TRUE(c) << c.error().format();
  EXPECT_DOUBLE_EQ(ClockCharacterization::supportedMhz(ultra96Clock(), c->find("xcup", 2, 128, {})), 250);
  write("baked");
  c = loadClockCharacterization(path);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, "search.characterization");
}
