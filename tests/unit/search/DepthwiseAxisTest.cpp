// The depthwise-unit axis of the design space (docs/search.md): offered only for a model with a
// depthwise layer on an FPGA other than iCE40; the slowest axis, so a space without it keeps its
// point ids; its points carry "depthwise_unit" and a row slot wide enough for the model's widest
// depthwise row, and are priced with the unit's measured logic (ip_library/vector_unit.json).
#include <gtest/gtest.h>

#include "ConstraintsText.h"
#include "dnnchip/ip/IpLibrary.h"
#include "dnnchip/platform/Platform.h"
#include "dnnchip/predict/Predictor.h"
#include "dnnchip/search/DesignSpace.h"
#include "dnnchip/workload/Model.h"

using namespace dnnchip;
using namespace dnnchip::search;

namespace {

const ip::IpLibrary& lib() {
  static const ip::IpLibrary l = [] {
    auto r = ip::IpLibrary::loadDefault();
    if (!r) ADD_FAILURE() << r.error().format();
    return r ? std::move(*r) : ip::IpLibrary{};
  }();
  return l;
}

DesignSpace space(const std::string& platform, const std::string& model, double dram = 0) {
  auto p = platform::loadPlatformByName(platform);
  EXPECT_TRUE(p.ok()) << p.error().format();
  auto m = workload::loadModelByName(model);
  EXPECT_TRUE(m.ok()) << m.error().format();
  auto c = test::systolicConstraintsOn(platform);
  if (dram > 0) c.dramBytesPerSecond = dram;
  auto s = DesignSpace::create(c, *p, lib(), /*rtlOnly=*/true, &*m);
  EXPECT_TRUE(s.ok()) << s.error().format();
  return std::move(*s);
}

}  // namespace

TEST(DepthwiseAxis, OnlyModelsWithDepthwiseLayersOnFpgasOtherThanIce40) {
  EXPECT_EQ(space("ultra96", "mobilenet_v2").depthwiseUnits(), (std::vector<bool>{false, true}));
  EXPECT_EQ(space("zc706", "mobilenet_v2").depthwiseUnits(), (std::vector<bool>{false, true}));
  EXPECT_EQ(space("ultra96", "resnet18").depthwiseUnits(), std::vector<bool>{false});
  // 5,278 of the UP5K's 5,280 logic cells without the unit: never on iCE40
  EXPECT_EQ(space("ice40_up5k", "mobilenet_v2", 1e8).depthwiseUnits(), std::vector<bool>{false});
  EXPECT_EQ(space("asic_28nm", "mobilenet_v2").depthwiseUnits(), std::vector<bool>{false});
}

TEST(DepthwiseAxis, IsAnAxisAboveAllButTheInputBufferAndSetsTheDesignParams) {
  const DesignSpace with = space("ultra96", "mobilenet_v2");
  const DesignSpace without = space("ultra96", "resnet18");
  ASSERT_EQ(with.size(), 2 * without.size());
  // only the input buffer's factor (inputBufferScales) is slower
  const uint64_t half = without.size() / with.inputBufferScales().size();
  int checked = 0;
  for (uint64_t id = 0; id < half && checked < 3; ++id) {
    const DesignPoint off = with.point(id), on = with.point(id + half);
    EXPECT_TRUE(with.check(off));
    EXPECT_TRUE(with.check(on));
    EXPECT_EQ(off.dwUnit, 0);
    EXPECT_EQ(on.dwUnit, 1);
    EXPECT_EQ(on.base, off.base);
    EXPECT_EQ(on.shape, off.shape);
    EXPECT_EQ(on.bursts, off.bursts);
    EXPECT_EQ(on.act, off.act);
    auto gOff = with.instantiate(off);
    auto gOn = with.instantiate(on);
    ASSERT_EQ(gOff.ok(), gOn.ok());
    if (!gOff.ok()) continue;
    ++checked;
    EXPECT_FALSE(gOff->params.contains("depthwise_unit"));
    ASSERT_TRUE(gOn->params.contains("depthwise_unit"));
    EXPECT_TRUE(gOn->params["depthwise_unit"].get<bool>());
    // MobileNet-v2's widest depthwise input row is 112 pixels plus 2 of padding: a 128-pixel slot
    EXPECT_EQ(gOn->params["depthwise_line_bits"].get<int>(), 7);
    EXPECT_NE(with.describe(on).find("dw-unit"), std::string::npos);
    // priced with the unit's logic and its line buffer; same DSPs (its lanes are DSP-free)
    auto dOff = predict::prepareDesign(*gOff, &lib());
    auto dOn = predict::prepareDesign(*gOn, &lib());
    ASSERT_TRUE(dOff.ok() && dOn.ok());
    EXPECT_GT(dOn->resources.fpga.lut, dOff->resources.fpga.lut + 100);
    EXPECT_GT(dOn->resources.fpga.ff, dOff->resources.fpga.ff);
    EXPECT_EQ(dOn->resources.fpga.dsp, dOff->resources.fpga.dsp);
  }
  EXPECT_EQ(checked, 3);
}
