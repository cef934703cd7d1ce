// The packing axis of the design space: the packed MAC IP (mac_int8_pack2, two int8 MACs per
// DSP48E2) is a MAC choice on UltraScale+ only, never on a 7-series, iCE40 or ASIC platform, and
// its instantiated points with more than 16 rows are illegal with arch.pack (docs/search.md).
#include <gtest/gtest.h>

#include <algorithm>

#include "dnnchip/ip/IpLibrary.h"
#include "dnnchip/platform/Platform.h"
#include "ConstraintsText.h"
#include "dnnchip/search/DesignSpace.h"

using namespace dnnchip;
using namespace dnnchip::search;

namespace {

using test::systolicConstraintsOn;

bool offersPacking(const std::string& platform) {
  auto lib = ip::IpLibrary::loadDefault();
  EXPECT_TRUE(lib.ok());
  auto p = platform::loadPlatformByName(platform);
  EXPECT_TRUE(p.ok()) << p.error().format();
  auto s = DesignSpace::create(systolicConstraintsOn(platform), *p, *lib, true, nullptr);
  EXPECT_TRUE(s.ok()) << s.error().format();
  const auto& m = s->macIps();
  EXPECT_NE(std::find(m.begin(), m.end(), "mac_int8"), m.end()) << platform;
  return std::find(m.begin(), m.end(), "mac_int8_pack2") != m.end();
}

}  // namespace

TEST(PackingAxis, OnlyUltraScalePlusOffersThePackedMac) {
  EXPECT_TRUE(offersPacking("ultra96"));
  EXPECT_FALSE(offersPacking("pynq_z1"));   // DSP48E1: 25-bit pre-adder, docs/engine.md
  EXPECT_FALSE(offersPacking("zc706"));
  EXPECT_FALSE(offersPacking("asic_28nm"));
}

TEST(PackingAxis, PackedPointsAbove16RowsAreIllegal) {
  auto lib = ip::IpLibrary::loadDefault();
  ASSERT_TRUE(lib.ok());
  auto p = platform::loadPlatformByName("ultra96");
  ASSERT_TRUE(p.ok());
  auto s = DesignSpace::create(systolicConstraintsOn("ultra96"), *p, *lib, true, nullptr);
  ASSERT_TRUE(s.ok());
  int legal = 0, illegal = 0;
  for (uint64_t id = 0; id < s->size(); ++id) {
    const DesignPoint pt = s->point(id);
    if (s->macIps()[pt.mac] != "mac_int8_pack2" || pt.buffer != 0) continue;
    auto g = s->instantiate(pt);
    int rows = 0, cols = 0;
    if (g.ok())
      for (auto n : g->computeNodes()) rows = g->node(n).rows, cols = g->node(n).cols;
    if (g.ok()) {
      ++legal;
      EXPECT_LE(rows, 16);
      EXPECT_EQ(cols % 2, 0);
    } else {
      ++illegal;
      EXPECT_EQ(g.error().code, "arch.pack") << g.error().format();
    }
  }
  EXPECT_GT(legal, 0);
  EXPECT_GT(illegal, 0);
}
