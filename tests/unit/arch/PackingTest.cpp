// The packed MAC IP (mac_int8_pack2, two int8 MACs per DSP48E2) on systolic designs: the engine
// mapping sets PACK = 2 for a legal array, and the template rejects every illegal one with
// arch.pack at the field that breaks it (docs/engine.md#dsp-packing).
#include <gtest/gtest.h>

#include "ShippedLibrary.h"
#include "TestSupport.h"
#include "dnnchip/arch/DesignCheck.h"
#include "dnnchip/arch/EngineMapping.h"
#include "dnnchip/graph/GraphJson.h"

using namespace dnnchip;

namespace {

/// systolic_ws_8x8 with the packed MAC IP, `rows` x `cols`, on `family`.
graph::AcceleratorGraph packed(int rows, int cols, const std::string& family = "xcup") {
  auto g = graph::loadGraphByName("systolic_ws_8x8");
  EXPECT_TRUE(g.ok());
  g->family = ip::parseDeviceFamily(family);
  for (graph::NodeId id : g->computeNodes()) {
    graph::Node& n = g->mutableNode(id);
    n.ip = "mac_int8_pack2";
    n.rows = rows;
    n.cols = cols;
  }
  return *g;
}

std::optional<diag::Diagnostic> packError(const graph::AcceleratorGraph& g) {
  for (const auto& d : arch::verifyDesign(g, &test::shippedLibrary()))
    if (d.code == "arch.pack") return d;
  return std::nullopt;
}

}  // namespace

TEST(Packing, ALegalPackedArrayMapsToPack2) {
  const auto g = packed(16, 16);
  EXPECT_FALSE(packError(g)) << packError(g)->format();
  auto m = arch::mapToEngine(g, test::shippedLibrary());
  ASSERT_TRUE(m.ok()) << m.error().format();
  EXPECT_EQ(m->config.pack, 2);
  EXPECT_EQ(m->config.rows, 16);
  EXPECT_EQ(m->config.cols, 16);
}

TEST(Packing, TheUnpackedIpMapsToPack1) {
  auto g = graph::loadGraphByName("systolic_ws_8x8");
  ASSERT_TRUE(g.ok());
  auto m = arch::mapToEngine(*g, test::shippedLibrary());
  ASSERT_TRUE(m.ok()) << m.error().format();
  EXPECT_EQ(m->config.pack, 1);
}

TEST(Packing, MoreThan16RowsIsRejected) {
  const auto d = packError(packed(24, 16));
  ASSERT_TRUE(d);
  EXPECT_NE(d->location.pointer.find("/rows"), std::string::npos);
  EXPECT_NE(d->message.find("2^18"), std::string::npos);
  EXPECT_FALSE(arch::mapToEngine(packed(24, 16), test::shippedLibrary()).ok());
}

TEST(Packing, AnOddColumnCountIsRejected) {
  const auto d = packError(packed(8, 5));
  ASSERT_TRUE(d);
  EXPECT_NE(d->location.pointer.find("/cols"), std::string::npos);
}

TEST(Packing, AFamilyWithoutDsp48E2IsRejected) {
  for (const char* fam : {"xc7", "ice40"}) {
    const auto d = packError(packed(8, 8, fam));
    ASSERT_TRUE(d) << fam;
    EXPECT_NE(d->message.find("DSP48E2"), std::string::npos);
  }
}

TEST(Packing, TheOutputStationaryArrayIsRejected) {
  auto g = graph::loadGraphByName("systolic_os_8x8");
  ASSERT_TRUE(g.ok());
  g->family = ip::DeviceFamily::XcUp;
  for (graph::NodeId id : g->computeNodes()) g->mutableNode(id).ip = "mac_int8_pack2";
  const auto d = packError(*g);
  ASSERT_TRUE(d);
  EXPECT_NE(d->location.pointer.find("/dataflow"), std::string::npos);
}

TEST(Packing, TheIpCostsHalfADsp48E2PerMac) {
  const ip::IpEntry* e = test::shippedLibrary().find("mac_int8_pack2");
  ASSERT_TRUE(e);
  auto r = test::shippedLibrary().rtlFpga(*e, ip::DeviceFamily::XcUp, 256, "ws");
  ASSERT_TRUE(r);
  EXPECT_DOUBLE_EQ(r->dsp, 128);
  EXPECT_FALSE(test::shippedLibrary().rtlFpga(*e, ip::DeviceFamily::Xc7, 256, "ws"));
}
