#pragma once
/// \file
/// The structural rules an accelerator template imposes on a design, as plain data the graph
/// verifier checks (AcceleratorGraph::verify). The template registry (arch::Registry) supplies
/// them for the design's template; the graph module knows no template by name.

#include <optional>

namespace dnnchip::graph {

enum class Dataflow;

/// What a template requires of a design's structure.
struct TemplateRules {
  /// Every compute node must use this dataflow (graph.bad-kind otherwise); nullopt = any.
  std::optional<Dataflow> dataflow;
  /// The design is a layer pipeline: it needs a stage list and every compute node is the engine
  /// of one stage. When false, a design with stages is an error (graph.bad-stage).
  bool stages = false;
};

}  // namespace dnnchip::graph
