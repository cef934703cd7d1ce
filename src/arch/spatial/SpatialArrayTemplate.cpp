// The spatial_array template: a PE array fed by a NoC (Eyeriss, ShiDianNao). Any dataflow, no
// stages, operands do not flow PE to PE, and no RTL: the predictor's reuse analysis is its only
// model.

#include <memory>

#include "../Builtins.h"

namespace dnnchip::arch::spatial {

namespace {

class SpatialArrayTemplate final : public Template {
 public:
  std::string_view id() const override { return "spatial_array"; }
  graph::TemplateRules rules() const override { return {}; }
  bool systolicArray() const override { return false; }
  bool pipelined() const override { return false; }
  const Engine* engine() const override { return nullptr; }
  SearchSpec search() const override {
    // The PE array runs any dataflow; the search varies an Eyeriss-like (rs) and a
    // ShiDianNao-like (os) reference.
    return {"spatial_array", {"ws", "os", "rs"}, {{"rs", "eyeriss_like"}, {"os", "shidiannao_like"}}, false};
  }
};

}  // namespace

std::unique_ptr<Template> makeTemplate() { return std::make_unique<SpatialArrayTemplate>(); }

}  // namespace dnnchip::arch::spatial
