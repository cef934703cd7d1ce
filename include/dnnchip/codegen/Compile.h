#pragma once
/// \file
/// `dnnchip compile`: a model for an already generated engine behind the SoC top
/// (templates/soc/dnnchip_soc.v). Writes the program (binary descriptor slots), the engine's
/// memory image (packed weights and biases), the seeded test input and its golden output, a JSON
/// manifest and the runtime's plain-text description (docs/soc.md#compile-output). Reuses
/// arch::lower (buildProgram), makeRunImage (packWeights, packBias, the golden run) and
/// schedule::predictCycles; nothing is written unless every file is ready.

#include <cstdint>

#include "dnnchip/arch/Registry.h"
#include "dnnchip/codegen/Generator.h"
#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/graph/AcceleratorGraph.h"
#include "dnnchip/io/Stop.h"
#include "dnnchip/ip/IpLibrary.h"
#include "dnnchip/schedule/Program.h"
#include "dnnchip/workload/Model.h"

namespace dnnchip::codegen {

/// The compiled model's manifest and the runtime's description file.
constexpr const char* kCompiledManifestFile = "dnnchip_model.json";
constexpr const char* kRuntimeDescFile = "model.rt";

struct CompileOptions {
  uint64_t seed = 1;   ///< seed of the weights, biases and test input (golden::randomRun)
  int progDepth = 0;   ///< PROG_DEPTH of the target SoC top; 0: schedule::kSocProgDepth
  io::StopToken stop;  ///< a stop request ends the golden run early (golden.interrupted)
};

/// What a program needs of the engine that runs it, beyond the CFG fields that must match: the
/// runtime refuses an engine with less (docs/soc.md#registers, CFG3).
struct EngineNeeds {
  uint32_t poolLineWords = 0;  ///< words of the pool unit's line buffer its fused max pools use (0: none)
  bool wideGather = false;     ///< a descriptor gathers several channel tiles (ct_group > 1)
};
EngineNeeds engineNeeds(const schedule::Program& program);

/// Compiles `model` for the engine of `design` (the engine parameters of dnnchip generate plus
/// PROG_DEPTH). Diagnostics: those of arch::lower (a layer the engine cannot hold names the layer
/// and the limit: codegen.unsupported-op, codegen.buffer-too-small, ...) and
/// codegen.program-too-long (descriptors + End exceed PROG_DEPTH).
diag::Expected<FileSet> compileModel(const graph::AcceleratorGraph& design, const ip::IpLibrary& lib,
                                     const workload::Model& model, const CompileOptions& options,
                                     const arch::Registry& registry = arch::builtinRegistry());

}  // namespace dnnchip::codegen
