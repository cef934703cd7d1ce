// Lowering a model for a design: map the design onto its template's engine, build the program
// once with a deep program memory to learn its length, then again with PROG_DEPTH the next power
// of two above descriptors + End (at least 16); last the golden model's support check, so a
// lowered program always has a reference to compare against. Cost: two program builds.

#include "dnnchip/arch/Lowering.h"

#include "dnnchip/arch/Engine.h"
#include "dnnchip/golden/ModelRunner.h"
#include "dnnchip/schedule/Program.h"

namespace dnnchip::arch {

diag::Expected<schedule::Program> lowerForConfig(const workload::Model& model, schedule::EngineConfig& cfg,
                                                 const schedule::LoweringOptions& options) {
  cfg.progDepth = 1 << 15;
  auto first = schedule::buildProgram(model, cfg, options);
  if (!first) return first.error();
  int depth = 16;
  while (depth < static_cast<int>(first->descriptors.size()) + 1) depth *= 2;
  cfg.progDepth = depth;
  return schedule::buildProgram(model, cfg, options);
}

diag::Expected<Lowered> lower(const graph::AcceleratorGraph& design, const ip::IpLibrary& lib,
                              const workload::Model& model, const Registry& registry) {
  auto tmpl = registry.resolve(design);
  if (!tmpl) return tmpl.error();
  if (!(*tmpl)->engine()) return mapToEngine(design, lib, registry).error();  // names the templates with one
  return lower(**tmpl, design, lib, model);
}

diag::Expected<Lowered> lower(const Template& tmpl, const graph::AcceleratorGraph& design, const ip::IpLibrary& lib,
                              const workload::Model& model, const schedule::LoweringOptions& options) {
  Lowered out;
  out.engine = tmpl.engine();
  if (!out.engine)
    return diag::error("codegen.not-systolic", {design.file, "/template"},
                       "design '" + design.name + "' uses the " + std::string(tmpl.id()) +
                           " template, which has no RTL engine",
                       "generate RTL for a systolic design (e.g. designs/accelerators/systolic_*.json)");
  auto mapping = out.engine->map(design, lib);
  if (!mapping) return mapping.error();
  out.mapping = std::move(*mapping);
  auto program = out.engine->lower(model, out.mapping.config, options);
  if (!program) return program.error();
  if (auto s = golden::checkSupported(model); !s) return s.error();
  out.program = std::move(*program);
  return out;
}

}  // namespace dnnchip::arch
