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
  SearchSpec search() const override {
    // Instantiated from dnnbuilder_like (its DRAM, DMA and controller, and the form of one stage)
    // with one stage per group of layers; each engine is a CPF x KPF array, weight-stationary.
    return {"layer_pipeline", {"ws", "os"}, {{"ws", "dnnbuilder_like"}}, true};
  }
};

}  // namespace

std::unique_ptr<Template> makeTemplate() { return std::make_unique<LayerPipelineTemplate>(); }

}  // namespace dnnchip::arch::pipeline
