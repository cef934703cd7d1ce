// The design space takes device facts from the platform file, not from code: the buffers of a
// design whose reference block RAM does not exist on the device (iCE40), and every layer-pipeline
// buffer when the search picks no memory IP, take the platform's "buffer_ip". The space owns a
// copy of the model and refuses a temporary IP library.
#include <gtest/gtest.h>

#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

#include "dnnchip/ip/IpLibrary.h"
#include "dnnchip/platform/Platform.h"
#include "dnnchip/search/DesignSpace.h"
#include "dnnchip/search/MappingSpace.h"

using namespace dnnchip;
using namespace dnnchip::search;

namespace {

Constraints constraints(const std::string& platform, const std::string& templates, const std::string& ips = "") {
  auto j = io::parseJson(R"({"schema_version":1,"platform":")" + platform + R"(","allowed":{"templates":[")" +
                             templates + R"("])" + (ips.empty() ? "" : R"(,"ips":[)" + ips + "]") + "}}",
                         "c.json");
  EXPECT_TRUE(j.ok());
  auto c = parseConstraints(*j, "c.json", {platform}, {});
  EXPECT_TRUE(c.ok()) << c.error().format();
  return *c;
}

/// The buffer IPs of the first point of the space that instantiates.
std::set<std::string> bufferIps(const DesignSpace& s) {
  for (uint64_t id = 0; id < s.size(); ++id) {
    auto g = s.instantiate(s.point(id));
    if (!g) continue;
    std::set<std::string> ips;
    for (graph::NodeId n = 0; n < static_cast<graph::NodeId>(g->numNodes()); ++n)
      if (g->node(n).kind == graph::NodeKind::Buffer) ips.insert(g->node(n).ip.value_or("(none)"));
    return ips;
  }
  ADD_FAILURE() << "no point of the space instantiates: "
                << (s.size() ? s.instantiate(s.point(s.size() - 1)).error().format() : "empty space");
  return {};
}

const ip::IpLibrary& lib() {
  static const ip::IpLibrary l = [] {
    auto r = ip::IpLibrary::loadDefault();
    if (!r) ADD_FAILURE() << r.error().format();
    return r ? std::move(*r) : ip::IpLibrary{};
  }();
  return l;
}

}  // namespace

TEST(DesignSpace, Ice40BuffersTakeThePlatformsBufferIp) {
  auto p = platform::loadPlatformByName("ice40_up5k");
  ASSERT_TRUE(p.ok());
  auto c = constraints("ice40_up5k", "systolic");
  c.dramBytesPerSecond = 1e8;  // the UP5K has no DRAM; the search needs a bandwidth
  auto s = DesignSpace::create(c, *p, lib(), /*rtlOnly=*/true);
  ASSERT_TRUE(s.ok()) << s.error().format();
  EXPECT_EQ(bufferIps(*s), (std::set<std::string>{"ice40_ebr"}));  // the file's "buffer_ip"
  p->bufferIp = "ice40_spram";
  auto spram = DesignSpace::create(c, *p, lib(), true);
  ASSERT_TRUE(spram.ok()) << spram.error().format();
  EXPECT_EQ(bufferIps(*spram), (std::set<std::string>{"ice40_spram"}));
  p->bufferIp.reset();  // without one: the family's first on-chip memory IP by id
  auto dflt = DesignSpace::create(c, *p, lib(), true);
  ASSERT_TRUE(dflt.ok()) << dflt.error().format();
  EXPECT_EQ(bufferIps(*dflt), (std::set<std::string>{"ice40_ebr"}));
}

TEST(DesignSpace, PipelineBuffersTakeThePlatformsBufferIpWhenTheSearchPicksNone) {
  auto p = platform::loadPlatformByName("zc706");
  ASSERT_TRUE(p.ok());
  auto m = workload::loadModelByName("alexnet");
  ASSERT_TRUE(m.ok());
  auto c = constraints("zc706", "layer_pipeline", R"("mac_int8")");  // no memory IP to choose from
  auto s = DesignSpace::create(c, *p, lib(), false, &*m);
  ASSERT_TRUE(s.ok()) << s.error().format();
  ASSERT_EQ(s->memoryIps(), std::vector<std::string>{""});
  EXPECT_EQ(bufferIps(*s), (std::set<std::string>{"bram18"}));  // zc706.json's "buffer_ip"
  p->bufferIp = "bram36";
  auto other = DesignSpace::create(c, *p, lib(), false, &*m);
  ASSERT_TRUE(other.ok()) << other.error().format();
  EXPECT_EQ(bufferIps(*other), (std::set<std::string>{"bram36"}));
}

// What a space or a mapping space refers to must outlive it: a temporary does not compile.
template <class Lib>
constexpr bool kCreateAccepts = requires(const Constraints& c, const platform::Platform& p, Lib&& l) {
  DesignSpace::create(c, p, static_cast<Lib&&>(l), false);
};
static_assert(!kCreateAccepts<ip::IpLibrary>);  // a temporary library
static_assert(kCreateAccepts<const ip::IpLibrary&>);
static_assert(!std::is_constructible_v<MappingSpace, LayerEvaluator&&>);
static_assert(std::is_constructible_v<MappingSpace, const LayerEvaluator&>);

TEST(DesignSpace, KeepsItsOwnCopyOfTheModel) {
  auto p = platform::loadPlatformByName("zc706");
  ASSERT_TRUE(p.ok());
  auto c = constraints("zc706", "layer_pipeline");
  std::optional<DesignSpace> s;
  std::string name;
  {
    auto m = workload::loadModelByName("alexnet");
    ASSERT_TRUE(m.ok()) << m.error().format();
    auto created = DesignSpace::create(c, *p, lib(), false, &*m);
    ASSERT_TRUE(created.ok()) << created.error().format();
    s.emplace(std::move(*created));
    name = m->name;
  }  // the model is gone; the space plans and names pipelines from its copy (under
     // make test-sanitize a dangling pointer here is a use after free)
  bool instantiated = false;
  for (uint64_t id = 0; id < s->size() && !instantiated; ++id) {
    auto g = s->instantiate(s->point(id));
    if (!g) continue;
    instantiated = true;
    EXPECT_EQ(g->name.rfind("layer_pipeline_" + name + "_p", 0), 0u) << g->name;
  }
  EXPECT_TRUE(instantiated);
}
