// The layer_pipeline template (DNNBuilder): one engine per stage of consecutive layers, the
// stages running concurrently. Designs need a stage list naming every compute node once; the
// predictor combines stages by the slowest one. No RTL yet.

#include <memory>

#include "../Builtins.h"

namespace dnnchip::arch::pipeline {

namespace {

class LayerPipelineTemplate final : public Template {
 public:
  std::string_view id() const override { return "layer_pipeline"; }
  graph::TemplateRules rules() const override { return {std::nullopt, true}; }
  bool systolicArray() const override { return false; }
  bool pipelined() const override { return true; }
  const Engine* engine() const override { return nullptr; }
};

}  // namespace

std::unique_ptr<Template> makeTemplate() { return std::make_unique<LayerPipelineTemplate>(); }

}  // namespace dnnchip::arch::pipeline
