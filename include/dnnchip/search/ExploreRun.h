#pragma once
/// \file
/// `dnnchip explore` as one library call for the CLI, the build flow and the tests: resolves the
/// constraint file's platform (built-in name, path, or inline resources) with the constraint
/// file's clock and DRAM overrides, loads the IP library and runs explore().

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/platform/Platform.h"
#include "dnnchip/search/Constraints.h"
#include "dnnchip/search/Explorer.h"
#include "dnnchip/workload/Model.h"

namespace dnnchip::search {

/// The target platform of `c` (platform.*, lib.unknown-name diagnostics), overrides applied.
diag::Expected<platform::Platform> resolvePlatform(const Constraints& c);

/// resolvePlatform + IpLibrary::loadDefault + explore.
diag::Expected<ExploreReport> exploreModel(const workload::Model& model, const Constraints& c,
                                           const ExploreOptions& opt);

/// The requantization a design generated for `model` at `seed` runs (golden::randomRun's
/// per-layer params, the code generator's), for ExploreOptions::quantization; nullopt when the
/// golden model cannot run the model (the search then keeps the exact 32-bit operand). Cost: one
/// golden run of the model (docs/performance.md, "Engine v2: more MACs on the Ultra96").
std::optional<std::vector<golden::QuantParams>> modelQuantization(const workload::Model& model, uint64_t seed,
                                                                  io::StopToken stop = {});

}  // namespace dnnchip::search
