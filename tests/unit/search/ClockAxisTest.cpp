// The clock axis (docs/timing.md#where-it-is-used): with clock_mhz left free on a platform with a
// clock rule, each engine point runs at the highest PL clock the measured depth of its
// configuration supports (designs/characterization/engine_logic_depth.json); a clock fixed by the
// constraints holds for every point; a malformed characterization is search.characterization.
#include <gtest/gtest.h>

#include <algorithm>

#include <fstream>

#include "ConstraintsText.h"
#include "TestSupport.h"
#include "dnnchip/ip/IpLibrary.h"
#include "dnnchip/platform/Platform.h"
#include "dnnchip/search/ClockCharacterization.h"
#include "dnnchip/search/DesignSpace.h"

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
    const DepthEntry* f = c->find(e.family, e.pack, e.axiDataBits);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->axiDataBits, e.axiDataBits);
    EXPECT_GT(e.levels, 0);
  }
  std::string why;
  const DepthEntry* xc7 = c->find("xc7", 1, 512, &why);  // no 512-bit engine measured
  ASSERT_NE(xc7, nullptr);
  EXPECT_NE(why.find("stands in"), std::string::npos);
  EXPECT_EQ(c->find("ice40", 1, 64), nullptr);
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
    const DepthEntry* e = ch->find("xc7", pack, bits);
    ASSERT_NE(e, nullptr) << mac << " " << bits;
    double expect = p->clock.supportedMhz(e->levels, e->dsps, e->bram);
    ASSERT_GT(expect, 0);
    EXPECT_LT(expect, p->clock.defaultMhz);
    if (s->inputBufferScales()[pt.act] > 1) {  // measured at x1: the next lower PL clock
      double lower = 0;
      for (double c : p->clock.candidatesMhz)
        if (c < expect) lower = std::max(lower, c);
      expect = lower;
    }
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
  std::ofstream(path) << R"({"schema_version":1,"entries":[{"family":"ice40","pack":1,"axi_data_bits":64,
    "rows":4,"cols":4,"logic_levels":9,"dsp":[],"bram":true,"source":"a run somewhere"}]})";
  auto c = loadClockCharacterization(path);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, "search.characterization");
}
