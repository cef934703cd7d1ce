#pragma once
/// \file
/// The hooks of a template whose designs run on a generated RTL engine: how a design maps onto
/// the engine's parameters, how a model lowers to the engine's tile program, the engine's cycle
/// model, and which Verilog modules of templates/ the generated top instantiates (the code
/// generator copies their closure, nothing else). A template without RTL has no Engine.

#include <string>
#include <string_view>
#include <vector>

#include "dnnchip/arch/EngineMapping.h"
#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/graph/AcceleratorGraph.h"
#include "dnnchip/ip/IpLibrary.h"
#include "dnnchip/schedule/CycleModel.h"
#include "dnnchip/schedule/EngineConfig.h"
#include "dnnchip/schedule/Program.h"
#include "dnnchip/workload/Model.h"

namespace dnnchip::arch {

class Engine {
 public:
  virtual ~Engine() = default;
  /// The engine variant's key in the IP library's "rtl" figures ("ws", "os").
  virtual std::string_view rtlVariant() const = 0;
  /// The engine's parameters for `design` (its template already known to have this engine).
  /// Diagnostics as arch::mapToEngine, except graph.bad-enum.
  virtual diag::Expected<EngineMapping> map(const graph::AcceleratorGraph& design, const ip::IpLibrary& lib) const = 0;
  /// The model as the engine's tile program for `cfg` (cfg.progDepth is sized to the program);
  /// `options.memo` keeps the lowering's estimates across calls.
  virtual diag::Expected<schedule::Program> lower(const workload::Model& model, schedule::EngineConfig& cfg,
                                                  const schedule::LoweringOptions& options) const = 0;
  /// Cycles per program descriptor: `exact` the engine's own count (equal to the RTL), else the
  /// closed form the search ranks with.
  virtual std::vector<schedule::LayerCycles> cycles(const schedule::Program& program, const schedule::EngineConfig& cfg,
                                                    bool exact) const = 0;
  /// The Verilog modules (in templates/) the generated top files instantiate; the code generator
  /// copies the files defining them and every module they instantiate in turn.
  virtual std::vector<std::string> rtlTopModules() const = 0;
};

}  // namespace dnnchip::arch
