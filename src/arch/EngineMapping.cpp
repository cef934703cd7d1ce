// mapToEngine: the design's template from the registry, then its engine's map(). A template
// without an engine is codegen.not-systolic, naming the templates that have one.

#include "dnnchip/arch/EngineMapping.h"

#include "dnnchip/arch/Engine.h"
#include "dnnchip/arch/Registry.h"

namespace dnnchip::arch {

diag::Expected<EngineMapping> mapToEngine(const graph::AcceleratorGraph& g, const ip::IpLibrary& lib,
                                          const Registry& registry) {
  auto t = registry.resolve(g);
  if (!t) return t.error();
  const Engine* engine = (*t)->engine();
  if (!engine) {
    std::string withEngine;
    for (const Template* o : registry.all())
      if (o->engine()) withEngine += (withEngine.empty() ? "" : " and ") + std::string(o->id());
    return diag::error("codegen.not-systolic", {g.file, "/template"},
                       "design '" + g.name + "' uses the " + g.templateName +
                           " template; the code generator builds " + withEngine + " engines",
                       "generate RTL for a systolic design (e.g. designs/accelerators/systolic_*.json)");
  }
  return engine->map(g, lib);
}

diag::Expected<EngineMapping> mapToEngine(const graph::AcceleratorGraph& g, const ip::IpLibrary& lib) {
  return mapToEngine(g, lib, builtinRegistry());
}

}  // namespace dnnchip::arch
