#pragma once
/// \file
/// One accelerator template (the design file's "template"): what it requires of a design
/// (verify), how the predictor reads its compute arrays, and, when its designs become RTL, its
/// engine (Engine.h). Templates are registered in an arch::Registry by one explicit call
/// (registerBuiltinTemplates); adding a template is a new class and one line there.

#include <string_view>
#include <vector>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/graph/AcceleratorGraph.h"
#include "dnnchip/graph/TemplateRules.h"
#include "dnnchip/ip/IpLibrary.h"

namespace dnnchip::arch {

class Engine;

class Template {
 public:
  virtual ~Template() = default;
  /// The id design files name in "template" ("systolic_ws"); unique in a registry.
  virtual std::string_view id() const = 0;
  /// The structural rules the graph verifier checks for this template.
  virtual graph::TemplateRules rules() const = 0;
  /// Every problem of `design` (which names this template): the graph's checks under rules(),
  /// then any checks of the template's own. `lib` as for AcceleratorGraph::verify (may be null).
  virtual std::vector<diag::Diagnostic> verify(const graph::AcceleratorGraph& design, const ip::IpLibrary* lib) const {
    const graph::TemplateRules r = rules();
    return design.verify(lib, &r);
  }
  /// Operands move from PE to PE (a systolic array): the predictor's mapping::ComputeArray::systolic.
  virtual bool systolicArray() const = 0;
  /// Each stage's engine runs its own layers concurrently with the others (a layer pipeline): the
  /// predictor combines layers by the slowest stage rather than by adding them.
  virtual bool pipelined() const = 0;
  /// The RTL engine its designs are generated as, or nullptr when it has none. Owned by the
  /// template; lives as long as it.
  virtual const Engine* engine() const = 0;
};

}  // namespace dnnchip::arch
