// The systolic templates systolic_ws and systolic_os: every compute node has the template's
// dataflow, operands move PE to PE, and designs are generated as the layer-sequential engine of
// templates/dnnchip_engine.v (mapping rules in EngineMapping.cpp, the program from
// schedule::buildProgram, cycles from schedule's exact model or its closed form). The generated
// tops instantiate dnnchip_engine (simulation and FPGA tops) and spram_axi (the iCE40 top).

#include <memory>

#include "../Builtins.h"
#include "SystolicEngine.h"
#include "dnnchip/arch/Engine.h"
#include "dnnchip/arch/Lowering.h"
#include "dnnchip/schedule/CycleModel.h"

namespace dnnchip::arch::systolic {

namespace {

class SystolicEngine final : public Engine {
 public:
  explicit SystolicEngine(graph::Dataflow df) : df_(df) {}
  std::string_view rtlVariant() const override { return df_ == graph::Dataflow::OutputStationary ? "os" : "ws"; }
  diag::Expected<EngineMapping> map(const graph::AcceleratorGraph& design, const ip::IpLibrary& lib) const override {
    return mapDesign(design, lib);
  }
  diag::Expected<schedule::Program> lower(const workload::Model& model, schedule::EngineConfig& cfg) const override {
    return lowerForConfig(model, cfg);
  }
  std::vector<schedule::LayerCycles> cycles(const schedule::Program& program, const schedule::EngineConfig& cfg,
                                            bool exact) const override {
    return exact ? schedule::predictCycles(program, cfg) : schedule::estimateCycles(program, cfg);
  }
  std::vector<std::string> rtlTopModules() const override { return {"dnnchip_engine", "spram_axi"}; }

 private:
  graph::Dataflow df_;
};

class SystolicTemplate final : public Template {
 public:
  explicit SystolicTemplate(graph::Dataflow df) : df_(df), engine_(df) {}
  std::string_view id() const override {
    return df_ == graph::Dataflow::OutputStationary ? "systolic_os" : "systolic_ws";
  }
  graph::TemplateRules rules() const override { return {df_, false}; }
  bool systolicArray() const override { return true; }
  bool pipelined() const override { return false; }
  const Engine* engine() const override { return &engine_; }

 private:
  graph::Dataflow df_;
  SystolicEngine engine_;
};

}  // namespace

std::unique_ptr<Template> makeTemplate(graph::Dataflow dataflow) {
  return std::make_unique<SystolicTemplate>(dataflow);
}

}  // namespace dnnchip::arch::systolic
