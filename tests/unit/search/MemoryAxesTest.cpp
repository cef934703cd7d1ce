// The memory-system axes of the design space (docs/search.md): the DMA's AXI data width takes
// every power of two from 32 to the platform's memory_port.data_bits, bursts in flight go up to
// the port's acceptance; an instantiated point carries both to the engine (DATA_W, RD_OUT/WR_OUT),
// and a wider port costs LUTs (ip_library/dma_axi.json). A design file exceeding the platform's
// port fails arch.memory-port.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "dnnchip/arch/EngineMapping.h"
#include "dnnchip/arch/LoadDesign.h"
#include "dnnchip/ip/IpLibrary.h"
#include "dnnchip/platform/Platform.h"
#include "dnnchip/predict/DesignModel.h"
#include "ConstraintsText.h"
#include "dnnchip/search/DesignSpace.h"

using namespace dnnchip;
using namespace dnnchip::search;

namespace {

using test::systolicConstraintsOn;

// The space keeps a pointer to the library: one library for the whole test program.
const ip::IpLibrary& library() {
  static const ip::IpLibrary lib = *ip::IpLibrary::loadDefault();
  return lib;
}

struct Space {
  const ip::IpLibrary& lib;
  DesignSpace space;
};

Space spaceOn(const std::string& platform) {
  auto p = platform::loadPlatformByName(platform);
  EXPECT_TRUE(p.ok()) << p.error().format();
  auto s = DesignSpace::create(systolicConstraintsOn(platform), *p, library(), true, nullptr);
  EXPECT_TRUE(s.ok()) << s.error().format();
  return {library(), std::move(*s)};
}

int dmaWidth(const graph::AcceleratorGraph& g) {
  for (const graph::Node& n : g.nodes())
    if (n.kind == graph::NodeKind::Dma) return n.widthBits;
  return 0;
}

}  // namespace

TEST(MemoryAxes, WidthsAndBurstsFollowThePlatformsPort) {
  Space u = spaceOn("ultra96");  // 128-bit HP ports, 8 bursts each way (UG1085)
  EXPECT_EQ(u.space.portBits(), (std::vector<int>{32, 64, 128}));
  EXPECT_EQ(u.space.burstsInFlight(), (std::vector<int>{8, 4, 2, 1}));
  Space z = spaceOn("pynq_z1");  // 64-bit HP ports
  EXPECT_EQ(z.space.portBits(), (std::vector<int>{32, 64}));
  EXPECT_EQ(z.space.burstsInFlight(), (std::vector<int>{8, 4, 2, 1}));
}

TEST(MemoryAxes, PointCarriesWidthAndBurstsAndAWiderPortCostsLuts) {
  Space u = spaceOn("ultra96");
  const auto& shapes = u.space.shapes();
  std::map<int, double> lutsByWidth;
  int seen = 0;
  for (uint64_t id = 0; id < u.space.size(); ++id) {
    const DesignPoint pt = u.space.point(id);
    ASSERT_TRUE(u.space.check(pt));
    if (shapes[pt.shape].rows != 16 || shapes[pt.shape].cols != 32 || pt.buffer != 1 || pt.act != 0 ||
        u.space.macIps()[pt.mac] != "mac_int8" || u.space.bases()[pt.base].dataflow != "ws")
      continue;
    auto g = u.space.instantiate(pt);
    ASSERT_TRUE(g.ok()) << g.error().format();
    const int w = u.space.portBits()[pt.port], b = u.space.burstsInFlight()[pt.bursts];
    EXPECT_EQ(dmaWidth(*g), w);
    auto m = arch::mapToEngine(*g, u.lib);
    ASSERT_TRUE(m.ok()) << m.error().format();
    EXPECT_EQ(m->config.axiDataBits, w);
    EXPECT_EQ(m->config.readOutstanding, b);
    EXPECT_EQ(m->config.writeOutstanding, b);
    auto dm = predict::prepareDesign(*g, &u.lib);
    ASSERT_TRUE(dm.ok()) << dm.error().format();
    lutsByWidth[w] = dm->resources.fpga.lut;
    ++seen;
  }
  EXPECT_EQ(seen, 3 * 4);
  // 15.2 LUT per data bit on xcup (Yosys on templates/dma_axi.v): 64 bits more cost 973 LUTs.
  EXPECT_NEAR(lutsByWidth[128] - lutsByWidth[64], 15.2 * 64, 1.0);
  EXPECT_NEAR(lutsByWidth[64] - lutsByWidth[32], 15.2 * 32, 1.0);
}

// The input buffer's own factor: {1, 2, 4} on the FPGA families with block RAM, {1} on iCE40; a
// factor multiplies the activation buffer (and so the engine's ACT_DEPTH) and nothing else, and a
// template without an RTL engine refuses factors above 1 as repeats.
TEST(MemoryAxes, InputBufferFactorScalesOnlyTheActivationBuffer) {
  Space u = spaceOn("ultra96");
  ASSERT_EQ(u.space.inputBufferScales(), (std::vector<int>{1, 2, 4}));
  auto ice = platform::loadPlatformByName("ice40_up5k");
  ASSERT_TRUE(ice.ok());
  auto ci = systolicConstraintsOn("ice40_up5k");
  ci.dramBytesPerSecond = 1e8;  // the UP5K board has no DRAM of its own
  auto si = DesignSpace::create(ci, *ice, library(), true, nullptr);
  ASSERT_TRUE(si.ok()) << si.error().format();
  EXPECT_EQ(si->inputBufferScales(), std::vector<int>{1});

  auto bytesOf = [](const graph::AcceleratorGraph& g, graph::Tensor t, bool onlyThat) {
    for (const graph::Node& n : g.nodes())
      if (n.kind == graph::NodeKind::Buffer && n.capacityBytes && n.holds.has(t) &&
          (!onlyThat || !n.holds.has(graph::Tensor::Output)))
        return *n.capacityBytes;
    return int64_t{0};
  };
  const uint64_t third = u.space.size() / 3;
  int checked = 0;
  for (uint64_t id = 0; id < third && checked < 4; ++id) {
    const DesignPoint p1 = u.space.point(id), p4 = u.space.point(id + 2 * third);
    ASSERT_EQ(p1.act, 0);
    ASSERT_EQ(p4.act, 2);
    ASSERT_EQ(p4.shape, p1.shape);
    ASSERT_EQ(p4.buffer, p1.buffer);
    auto g1 = u.space.instantiate(p1);
    auto g4 = u.space.instantiate(p4);
    ASSERT_EQ(g1.ok(), g4.ok()) << (g1.ok() ? g4.error().format() : g1.error().format());
    if (!g1.ok()) continue;
    ++checked;
    EXPECT_EQ(bytesOf(*g4, graph::Tensor::Input, true), 4 * bytesOf(*g1, graph::Tensor::Input, true));
    EXPECT_EQ(bytesOf(*g4, graph::Tensor::Output, false), bytesOf(*g1, graph::Tensor::Output, false));
    auto m1 = arch::mapToEngine(*g1, u.lib);
    auto m4 = arch::mapToEngine(*g4, u.lib);
    ASSERT_TRUE(m1.ok() && m4.ok());
    EXPECT_EQ(m4->config.actBufferWords, 4 * m1->config.actBufferWords);
    EXPECT_EQ(m4->config.accBufferWords, m1->config.accBufferWords);
    EXPECT_NE(u.space.describe(p4).find(" act x4"), std::string::npos) << u.space.describe(p4);
    // the clock characterization's key follows the engine's ACT_DEPTH (ClockAxisTest has the
    // rule): a deeper buffer never gets a faster clock
    EXPECT_EQ(u.space.actDepth(p4), m4->config.actBufferWords);
    EXPECT_LE(u.space.clockMhz(p4), u.space.clockMhz(p1));
  }
  EXPECT_EQ(checked, 4);
}

TEST(MemoryAxes, DesignFileWiderThanThePlatformsPortFails) {
  auto g = arch::loadDesign("systolic_ws_8x8");  // names pynq_z1: 64-bit ports, 8 bursts
  ASSERT_TRUE(g.ok()) << g.error().format();
  auto pynq = platform::loadPlatformByName("pynq_z1");
  ASSERT_TRUE(pynq.ok());
  EXPECT_TRUE(arch::checkMemoryPort(*g, *pynq).ok());
  graph::AcceleratorGraph wide = *g;
  for (const graph::Edge& e : g->edges())
    if (e.widthBits == 64) wide.mutableEdge(e.id).widthBits = 128;
  auto st = arch::checkMemoryPort(wide, *pynq);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "arch.memory-port");
  EXPECT_NE(st.error().location.pointer.find("/width_bits"), std::string::npos);
  // Four 64-bit HP ports together carry 256 bits: a template that models several masters as one
  // edge may be that wide, the generated engine (one master) may not.
  EXPECT_TRUE(arch::checkMemoryPort(wide, *pynq, false).ok());
  auto u96 = platform::loadPlatformByName("ultra96");  // 128-bit ports
  ASSERT_TRUE(u96.ok());
  EXPECT_TRUE(arch::checkMemoryPort(wide, *u96).ok());
  graph::AcceleratorGraph eager = *g;
  eager.params["dma_read_outstanding"] = 9;
  auto sb = arch::checkMemoryPort(eager, *pynq);
  ASSERT_FALSE(sb.ok());
  EXPECT_EQ(sb.error().location.pointer, "/params/dma_read_outstanding");
}

// Bursts in flight are a parameter of the generated engine's DMA only: on a template without an
// engine every value but the first repeats a design, and instantiate() refuses the repeat with
// search.axis-unused (the search counts it as illegal and moves on).
TEST(MemoryAxes, BurstsRepeatOnTemplatesWithoutAnEngine) {
  auto j = io::parseJson(R"({"schema_version":1,"platform":"ultra96","objective":"latency",
                            "allowed":{"templates":["spatial_array"]}})", "t.json");
  ASSERT_TRUE(j.ok());
  auto c = parseConstraints(*j, "t.json", {"ultra96"}, {});
  ASSERT_TRUE(c.ok()) << c.error().format();
  auto p = platform::loadPlatformByName("ultra96");
  ASSERT_TRUE(p.ok());
  auto s = DesignSpace::create(*c, *p, library(), false, nullptr);
  ASSERT_TRUE(s.ok()) << s.error().format();
  int repeats = 0, firsts = 0;
  for (uint64_t id = 0; id < s->size(); ++id) {
    const DesignPoint pt = s->point(id);
    ASSERT_FALSE(s->bases()[pt.base].rtl);
    auto g = s->instantiate(pt);
    if (pt.bursts != 0 || pt.act != 0) {  // the input buffer's factor is the engine's too
      ASSERT_FALSE(g.ok());
      EXPECT_EQ(g.error().code, "search.axis-unused");
      ++repeats;
    } else {
      EXPECT_TRUE(g.ok() || g.error().code != "search.axis-unused");
      ++firsts;
    }
  }
  EXPECT_GT(firsts, 0);
  EXPECT_EQ(repeats, firsts * (static_cast<int>(s->burstsInFlight().size() * s->inputBufferScales().size()) - 1));
}
