#pragma once
/// \file
/// The template registry: accelerator templates by id. It is filled by one explicit call,
/// registerBuiltinTemplates() (as CIRCT registers its passes), never by static self-registering
/// objects, which a static library's linker may drop. builtinRegistry() is the filled registry
/// the library uses by default; a tool or test that adds its own templates builds its own
/// Registry, registers the built-ins and its additions, and passes it where a registry is taken.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dnnchip/arch/Template.h"
#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/graph/AcceleratorGraph.h"

namespace dnnchip::arch {

class Registry {
 public:
  /// Adds `t`. arch.duplicate-template when a template of the same id is registered already.
  diag::Status add(std::unique_ptr<Template> t);
  /// The template of that id, or nullptr.
  const Template* find(std::string_view id) const;
  /// The template `design` names; graph.bad-enum at its "/template" when none of that id exists.
  diag::Expected<const Template*> resolve(const graph::AcceleratorGraph& design) const;
  /// Every template, in registration order.
  std::vector<const Template*> all() const;
  /// "systolic_ws, systolic_os, ...", in registration order (for hints).
  std::string idList() const;

 private:
  std::vector<std::unique_ptr<Template>> templates_;
};

/// Registers dnnchip's templates (systolic_ws, systolic_os, spatial_array, layer_pipeline) in `r`.
void registerBuiltinTemplates(Registry& r);

/// A registry holding the built-in templates, filled on first use by registerBuiltinTemplates()
/// and constant afterwards (safe to read from several threads).
const Registry& builtinRegistry();

}  // namespace dnnchip::arch
