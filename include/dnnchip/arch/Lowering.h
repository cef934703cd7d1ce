#pragma once
/// \file
/// Lowering a model for a design's engine: the design mapped onto the engine of its template
/// (mapToEngine), then the model as the engine's tile program.

#include "dnnchip/arch/EngineMapping.h"
#include "dnnchip/arch/Registry.h"
#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/graph/AcceleratorGraph.h"
#include "dnnchip/ip/IpLibrary.h"
#include "dnnchip/schedule/Program.h"
#include "dnnchip/workload/Model.h"

namespace dnnchip::arch {

class Engine;

/// A design's engine and the program it runs.
struct Lowered {
  const Engine* engine = nullptr;  ///< the template's engine (owned by the registry)
  EngineMapping mapping;
  schedule::Program program;
};

/// Lowers `model` for `design`: mapToEngine, then the engine's lower() with PROG_DEPTH sized to
/// the program (next power of two above descriptors + End, at least 16), then the golden
/// model's support check. Diagnostics: those of mapToEngine, schedule.*, golden.unsupported.
diag::Expected<Lowered> lower(const graph::AcceleratorGraph& design, const ip::IpLibrary& lib,
                              const workload::Model& model, const Registry& registry = builtinRegistry());
/// Same, for a design whose template `tmpl` is already looked up (codegen.not-systolic when it has
/// no engine); `options` go to the engine's lower() (the predictor passes its caller's memo).
diag::Expected<Lowered> lower(const Template& tmpl, const graph::AcceleratorGraph& design, const ip::IpLibrary& lib,
                              const workload::Model& model, const schedule::LoweringOptions& options = {});

/// The layer-sequential engine's program for a configuration already fixed (simulate reads it
/// from the manifest); sets cfg.progDepth as lower() does.
diag::Expected<schedule::Program> lowerForConfig(const workload::Model& model, schedule::EngineConfig& cfg,
                                                 const schedule::LoweringOptions& options = {});

}  // namespace dnnchip::arch
