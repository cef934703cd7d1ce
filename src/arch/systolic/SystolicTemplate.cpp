// The systolic templates systolic_ws and systolic_os: every compute node has the template's
// dataflow, operands move PE to PE, and designs are generated as the layer-sequential engine of
// templates/dnnchip_engine.v (mapping rules in EngineMapping.cpp, the program from
// schedule::buildProgram, cycles from schedule's exact model or its closed form). The generated
// tops instantiate dnnchip_engine (simulation and FPGA tops) and spram_axi (the iCE40 top).
// The search varies systolic_ws_8x8 / systolic_os_8x8 (family "systolic", which the constraint
// files let run ws and os) and sizes buffer words to the array edges.

#include <algorithm>
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
  diag::Expected<schedule::Program> lower(const workload::Model& model, schedule::EngineConfig& cfg,
                                          const schedule::LoweringOptions& options) const override {
    return lowerForConfig(model, cfg, options);
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
  std::vector<diag::Diagnostic> verify(const graph::AcceleratorGraph& design, const ip::IpLibrary* lib) const override {
    auto d = Template::verify(design, lib);
    if (!lib) return d;
    for (graph::NodeId id : design.computeNodes())  // the packed array's limits (EngineMapping.cpp)
      if (auto p = packOf(design, design.node(id), *lib); !p) d.push_back(p.error());
    return d;
  }
  SearchSpec search() const override {
    const bool os = df_ == graph::Dataflow::OutputStationary;
    return {"systolic", {"ws", "os"}, {{os ? "os" : "ws", os ? "systolic_os_8x8" : "systolic_ws_8x8"}}, false};
  }
  void instantiate(graph::AcceleratorGraph& g, int rows, int cols) const override {
    for (graph::NodeId id = 0; id < static_cast<graph::NodeId>(g.numNodes()); ++id) {
      graph::Node& n = g.mutableNode(id);
      if (n.kind == graph::NodeKind::Vector) n.lanes = cols;
      if (n.kind != graph::NodeKind::Buffer || !n.capacityBytes) continue;
      // The engine's buffer words follow the array edges.
      const bool in = n.holds.has(graph::Tensor::Input), w = n.holds.has(graph::Tensor::Weight),
                 out = n.holds.has(graph::Tensor::Output);
      if (in && !out) n.widthBits = rows * 8;
      if (out && !in) n.widthBits = cols * 32;
      if (w && !in && !out) n.widthBits = std::max(64, cols * 8);
    }
  }

 private:
  graph::Dataflow df_;
  SystolicEngine engine_;
};

}  // namespace

std::unique_ptr<Template> makeTemplate(graph::Dataflow dataflow) {
  return std::make_unique<SystolicTemplate>(dataflow);
}

}  // namespace dnnchip::arch::systolic
