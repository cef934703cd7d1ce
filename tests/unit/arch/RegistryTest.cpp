// The template registry: the built-in templates and their facts, lookups and duplicate ids,
// loading and verifying designs against their template (unknown template, a template's rules),
// and mapToEngine's dispatch.
#include <gtest/gtest.h>

#include <filesystem>

#include "ShippedLibrary.h"
#include "TestSupport.h"
#include "dnnchip/arch/DesignCheck.h"
#include "dnnchip/arch/Engine.h"
#include "dnnchip/arch/EngineMapping.h"
#include "dnnchip/arch/LoadDesign.h"
#include "dnnchip/arch/Registry.h"
#include "dnnchip/graph/GraphJson.h"

using namespace dnnchip;

namespace {

std::filesystem::path writeDesign(const std::string& name, const std::string& templateName,
                                  const std::string& dataflow) {
  const std::string text = R"({"schema_version": 1, "name": ")" + name + R"(", "template": ")" + templateName +
                           R"(", "clock_mhz": 100, "technology_nm": 45,
  "nodes": [{"name": "dram", "kind": "dram", "ip": "ddr4", "width_bits": 64},
            {"name": "buf", "kind": "buffer", "ip": "sram", "capacity_bytes": 4096, "width_bits": 64,
             "holds": ["input", "weight", "output"]},
            {"name": "pe", "kind": "compute", "ip": "mac_int8", "rows": 2, "cols": 2, "dataflow": ")" +
                           dataflow + R"("}],
  "edges": [{"from": "dram", "to": "buf", "tensors": ["input", "weight"], "width_bits": 64},
            {"from": "buf", "to": "pe", "tensors": ["input", "weight"], "width_bits": 64},
            {"from": "pe", "to": "buf", "tensors": ["output"], "width_bits": 64},
            {"from": "buf", "to": "dram", "tensors": ["output"], "width_bits": 64}]})";
  return test::writeFile(test::tempDir("arch-registry") / (name + ".json"), text);
}

}  // namespace

TEST(Registry, HoldsTheBuiltinTemplatesInRegistrationOrder) {
  const arch::Registry& r = arch::builtinRegistry();
  EXPECT_EQ(r.idList(), "systolic_ws, systolic_os, spatial_array, layer_pipeline");
  const arch::Template* ws = r.find("systolic_ws");
  const arch::Template* os = r.find("systolic_os");
  const arch::Template* spatial = r.find("spatial_array");
  const arch::Template* pipeline = r.find("layer_pipeline");
  ASSERT_TRUE(ws && os && spatial && pipeline);
  EXPECT_EQ(r.find("systolic"), nullptr);
  EXPECT_EQ(ws->rules().dataflow, graph::Dataflow::WeightStationary);
  EXPECT_EQ(os->rules().dataflow, graph::Dataflow::OutputStationary);
  EXPECT_FALSE(spatial->rules().dataflow.has_value());
  EXPECT_TRUE(pipeline->rules().stages);
  EXPECT_FALSE(ws->rules().stages);
  EXPECT_TRUE(ws->systolicArray() && os->systolicArray());
  EXPECT_FALSE(spatial->systolicArray() || pipeline->systolicArray());
  EXPECT_TRUE(pipeline->pipelined());
  EXPECT_FALSE(ws->pipelined() || spatial->pipelined());
  ASSERT_NE(ws->engine(), nullptr);
  ASSERT_NE(os->engine(), nullptr);
  EXPECT_EQ(ws->engine()->rtlVariant(), "ws");
  EXPECT_EQ(os->engine()->rtlVariant(), "os");
  EXPECT_EQ(ws->engine()->rtlTopModules(), (std::vector<std::string>{"dnnchip_engine", "spram_axi"}));
  EXPECT_EQ(spatial->engine(), nullptr);
  EXPECT_EQ(pipeline->engine(), nullptr);
}

TEST(Registry, RejectsADuplicateId) {
  arch::Registry r;
  arch::registerBuiltinTemplates(r);
  arch::Registry other;
  arch::registerBuiltinTemplates(other);
  // Moving a template of an id already present into r is refused, and r keeps its four.
  class Copy final : public arch::Template {
   public:
    std::string_view id() const override { return "spatial_array"; }
    graph::TemplateRules rules() const override { return {}; }
    bool systolicArray() const override { return false; }
    bool pipelined() const override { return false; }
    const arch::Engine* engine() const override { return nullptr; }
  };
  auto st = r.add(std::make_unique<Copy>());
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "arch.duplicate-template");
  EXPECT_EQ(r.all().size(), 4u);
}

TEST(Registry, EveryShippedDesignVerifiesUnderItsTemplate) {
  int count = 0;
  for (const auto& e : std::filesystem::directory_iterator(test::sourceDir() / "designs" / "accelerators")) {
    if (e.path().extension() != ".json") continue;
    ++count;
    auto g = arch::loadDesign(e.path().string());
    ASSERT_TRUE(g.ok()) << g.error().format();
    for (const auto& d : arch::verifyDesign(*g, &test::shippedLibrary())) ADD_FAILURE() << d.format();
  }
  EXPECT_GE(count, 6);
}

TEST(Registry, AnUnknownTemplateFailsAtLoadAtItsPointer) {
  auto g = arch::loadDesign(writeDesign("unknown", "systolic", "weight_stationary").string());
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.error().code, "graph.bad-enum");
  EXPECT_EQ(g.error().location.pointer, "/template");
  EXPECT_NE(g.error().hint.find("systolic_ws, systolic_os, spatial_array, layer_pipeline"), std::string::npos);
  // The graph module alone accepts any name; the registry is what knows templates.
  EXPECT_TRUE(graph::loadGraphByName(writeDesign("unknown2", "systolic", "weight_stationary").string()).ok());
}

TEST(Registry, ATemplatesRulesApplyAtLoad) {
  auto g = arch::loadDesign(writeDesign("wrong_df", "systolic_ws", "output_stationary").string());
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.error().code, "graph.bad-kind");
  EXPECT_EQ(g.error().location.pointer, "/nodes/2/dataflow");
  EXPECT_NE(g.error().message.find("template systolic_ws needs dataflow weight_stationary"), std::string::npos);
  EXPECT_TRUE(arch::loadDesign(writeDesign("right_df", "systolic_os", "output_stationary").string()).ok());
}

TEST(Registry, MapToEngineNeedsATemplateWithAnEngine) {
  auto g = arch::loadDesign(writeDesign("spatial", "spatial_array", "row_stationary").string());
  ASSERT_TRUE(g.ok()) << g.error().format();
  auto m = arch::mapToEngine(*g, test::shippedLibrary());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, "codegen.not-systolic");
  EXPECT_NE(m.error().message.find("builds systolic_ws and systolic_os engines"), std::string::npos);
}
