#pragma once
/// \file
/// Validity of a Mapping for a layer on a Hierarchy, in two forms: checkMapping() is
/// allocation-free and returns a failure class with its numbers (the search counts classes, as
/// Timeloop's EvalStatus); describe() turns a failure into a diagnostic whose message says
/// precisely what is wrong ("GLB capacity exceeded by 4,096 B").

#include <cstdint>
#include <string>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/mapping/Hierarchy.h"
#include "dnnchip/mapping/Mapping.h"
#include "dnnchip/workload/Layer.h"

namespace dnnchip::mapping {

enum class Failure : uint8_t {
  None = 0,
  Levels,     ///< mapping.levels: level count differs from the hierarchy
  Factors,    ///< mapping.factors: factors of a dimension do not cover its bound exactly
  Fanout,     ///< mapping.fanout: spatial factors exceed an array axis
  Dataflow,   ///< mapping.dataflow: a dimension the dataflow does not unroll on that axis
  Bypass,     ///< mapping.bypass: a level keeps a tensor it cannot hold, or DRAM drops one
  Capacity,   ///< mapping.capacity: a level's tiles do not fit
  kCount
};
/// Stable diagnostic code of a failure class ("mapping.capacity").
const char* failureCode(Failure f);

struct CheckResult {
  Failure failure = Failure::None;
  int level = -1;                 ///< level involved (Capacity, Bypass), or axis 0=X 1=Y (Fanout)
  int dim = -1;                   ///< dimension involved (Factors, Dataflow)
  int tensor = -1;                ///< tensor involved (Bypass)
  int64_t value = 0;              ///< what the mapping asks (bits, PEs, product)
  int64_t limit = 0;              ///< what is available (bits, PEs, bound)
  bool ok() const { return failure == Failure::None; }
};

/// Checks `m` for loop nest `nest` on `h`. Never allocates, never throws.
CheckResult checkMapping(const Hierarchy& h, const workload::LoopNest& nest, const Mapping& m) noexcept;

struct DigitLayout;
/// As above, also leaving the mapping's digit layout in `layout` (valid when the level count and
/// factors passed, i.e. for every failure but Levels and Factors) so callers need not rebuild it.
CheckResult checkMapping(const Hierarchy& h, const workload::LoopNest& nest, const Mapping& m,
                         DigitLayout& layout) noexcept;

/// Bits a level needs per instance for its tiles of the kept tensors (partial sums at
/// partialSumBits when a reduction loop lies above the level).
int64_t levelTileBits(const Hierarchy& h, const workload::LoopNest& nest, const Mapping& m, int level) noexcept;

/// The diagnostic for a failed check; `where` locates the mapping (file and JSON pointer).
diag::Diagnostic describe(const CheckResult& r, const Hierarchy& h, const workload::LoopNest& nest,
                          const Mapping& m, diag::Location where = {});

/// checkMapping() then describe() on failure.
diag::Status validate(const Hierarchy& h, const workload::LoopNest& nest, const Mapping& m,
                      diag::Location where = {});

/// "4,096" — integer with thousands separators (for messages).
std::string withCommas(int64_t v);

}  // namespace dnnchip::mapping
