#pragma once
/// \file
/// One accelerator template (the design file's "template"): what it requires of a design
/// (verify), how the predictor reads its compute arrays, and, when its designs become RTL, its
/// engine (Engine.h). Templates are registered in an arch::Registry by one explicit call
/// (registerBuiltinTemplates); adding a template is a new class and one line there.

#include <string>
#include <string_view>
#include <vector>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/graph/AcceleratorGraph.h"
#include "dnnchip/graph/TemplateRules.h"
#include "dnnchip/ip/IpLibrary.h"

namespace dnnchip::arch {

class Engine;

/// A reference design the Chip Builder instantiates a template from.
struct SearchBase {
  std::string dataflow;  ///< the constraint files' name of its dataflow ("ws", "os", "rs")
  std::string design;    ///< designs/accelerators/<design>.json
};

/// How the Chip Builder searches a template (docs/search.md). An empty family: not searched.
struct SearchSpec {
  std::string family;                  ///< constraint files' allowed.templates name ("systolic")
  std::vector<std::string> dataflows;  ///< constraint dataflow names the template runs
  std::vector<SearchBase> bases;       ///< reference designs, in search order
  /// Instantiated from the model, one stage per group of layers (the search's pipeline
  /// planner); the bases' dataflow is then not a choice of the constraints.
  bool stagePerLayer = false;
};

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
  /// How the Chip Builder searches it; the default: it is not searched.
  virtual SearchSpec search() const { return {}; }
  /// Instantiating a design point: after the search has sized `design` (copied from a base) for a
  /// `rows` x `cols` array, the template's own adjustments (the systolic engine's buffer words
  /// follow the array edges). The default changes nothing.
  virtual void instantiate(graph::AcceleratorGraph& design, int rows, int cols) const {}
};

}  // namespace dnnchip::arch
