// A template is an addition: this file alone defines a toy accelerator template (an
// input-stationary square array with its own rule), registers it beside the built-ins in a
// registry of its own, and runs load, verify and predict on a design that names it, without a
// change to src/. The built-in registry does not know it.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "TestSupport.h"
#include "dnnchip/arch/DesignCheck.h"
#include "dnnchip/arch/LoadDesign.h"
#include "dnnchip/arch/Registry.h"
#include "dnnchip/arch/Template.h"
#include "dnnchip/ip/IpLibrary.h"
#include "dnnchip/predict/DesignModel.h"
#include "dnnchip/predict/Predictor.h"
#include "dnnchip/workload/Model.h"

namespace dnnchip::predict {
namespace {

/// "toy_square": every compute node input-stationary (a rule the graph verifier checks) and
/// square (a check of the template's own); analytical only (no engine), not searched.
class ToySquareTemplate final : public arch::Template {
 public:
  std::string_view id() const override { return "toy_square"; }
  graph::TemplateRules rules() const override { return {graph::Dataflow::InputStationary, false}; }
  std::vector<diag::Diagnostic> verify(const graph::AcceleratorGraph& design, const ip::IpLibrary* lib) const override {
    std::vector<diag::Diagnostic> out = Template::verify(design, lib);
    for (graph::NodeId id : design.computeNodes())
      if (design.node(id).rows != design.node(id).cols)
        out.push_back(diag::error("toy.not-square", {design.file, "/nodes/" + std::to_string(id)},
                                  "the toy_square array must be square", "give it as many rows as columns"));
    return out;
  }
  bool systolicArray() const override { return false; }
  bool pipelined() const override { return false; }
  const arch::Engine* engine() const override { return nullptr; }
};

const arch::Registry& toyRegistry() {
  static const arch::Registry r = [] {
    arch::Registry reg;
    arch::registerBuiltinTemplates(reg);
    EXPECT_TRUE(reg.add(std::make_unique<ToySquareTemplate>()).ok());
    return reg;
  }();
  return r;
}

const ip::IpLibrary& library() {
  static const ip::IpLibrary lib = [] {
    auto l = ip::IpLibrary::loadDefault();
    return l ? std::move(*l) : ip::IpLibrary{};
  }();
  return lib;
}

std::string toyDesign(const std::string& name, int rows, int cols, const std::string& dataflow) {
  const std::string text = R"({"schema_version": 1, "name": ")" + name + R"(", "template": "toy_square",
  "clock_mhz": 200, "technology_nm": 45,
  "nodes": [{"name": "dram", "kind": "dram", "ip": "ddr4", "width_bits": 64, "bandwidth_bytes_per_cycle": 16},
            {"name": "glb", "kind": "buffer", "ip": "sram", "capacity_bytes": 65536, "width_bits": 64,
             "holds": ["input", "weight", "output"]},
            {"name": "pe", "kind": "compute", "ip": "mac_int8", "rows": )" + std::to_string(rows) +
                           R"(, "cols": )" + std::to_string(cols) + R"(, "dataflow": ")" + dataflow + R"("},
            {"name": "vec", "kind": "vector", "ip": "vector_unit", "lanes": 8}],
  "edges": [{"from": "dram", "to": "glb", "tensors": ["input", "weight"], "width_bits": 64},
            {"from": "glb", "to": "pe", "tensors": ["input", "weight"], "width_bits": 64},
            {"from": "pe", "to": "glb", "tensors": ["output"], "width_bits": 64},
            {"from": "glb", "to": "dram", "tensors": ["output"], "width_bits": 64},
            {"from": "glb", "to": "vec", "tensors": ["input"], "width_bits": 64},
            {"from": "vec", "to": "glb", "tensors": ["output"], "width_bits": 64}]})";
  return test::writeFile(test::tempDir("toy-template") / (name + ".json"), text).string();
}

}  // namespace

TEST(ToyTemplate, LoadsVerifiesAndPredictsThroughItsOwnRegistry) {
  auto g = arch::loadDesign(toyDesign("toy8", 8, 8, "input_stationary"), toyRegistry());
  ASSERT_TRUE(g.ok()) << g.error().format();
  for (const auto& d : arch::verifyDesign(*g, &library(), toyRegistry())) ADD_FAILURE() << d.format();

  auto dm = prepareDesign(*g, &library(), toyRegistry());
  ASSERT_TRUE(dm.ok()) << dm.error().format();
  ASSERT_NE(dm->tmpl, nullptr);
  EXPECT_EQ(dm->tmpl->id(), "toy_square");
  EXPECT_FALSE(dm->pipelined);
  ASSERT_EQ(dm->engines.size(), 1u);
  EXPECT_FALSE(dm->engines[0].hierarchy.array.systolic);

  auto model = workload::loadModelByName("alexnet");
  ASSERT_TRUE(model.ok()) << model.error().format();
  PredictOptions opt;
  auto p = predict(*dm, *model, opt);
  ASSERT_TRUE(p.ok()) << p.error().format();
  EXPECT_EQ(p->macs, model->totalMacs());
  EXPECT_GT(p->cycles, double(p->macs) / 64.0);  // never faster than 64 PEs at one MAC a cycle
  EXPECT_TRUE(std::isfinite(p->energyPj) && p->energyPj > 0);
  EXPECT_FALSE(p->engineSchedule);  // no engine: the mapping-based model
}

TEST(ToyTemplate, ItsRulesAndChecksApply) {
  auto wrong = arch::loadDesign(toyDesign("toy_ws", 8, 8, "weight_stationary"), toyRegistry());
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, "graph.bad-kind");
  EXPECT_NE(wrong.error().message.find("template toy_square needs dataflow input_stationary"), std::string::npos);

  auto oblong = arch::loadDesign(toyDesign("toy_oblong", 4, 8, "input_stationary"), toyRegistry());
  ASSERT_FALSE(oblong.ok());
  EXPECT_EQ(oblong.error().code, "toy.not-square");
  EXPECT_EQ(oblong.error().location.pointer, "/nodes/2");
}

TEST(ToyTemplate, TheBuiltinRegistryDoesNotKnowIt) {
  auto g = arch::loadDesign(toyDesign("toy_builtin", 8, 8, "input_stationary"));
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.error().code, "graph.bad-enum");
  EXPECT_EQ(g.error().location.pointer, "/template");
}

}  // namespace dnnchip::predict
