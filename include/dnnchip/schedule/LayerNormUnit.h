#pragma once
/// \file
/// Cycle contract of templates/layernorm_unit.v (docs/engine.md#layernorm-unit-layernorm_unit):
/// the integer layer normalization of one row of n int8 codes, LANES codes per row word,
/// bit-exact with golden::layerNorm. The figure is the RTL's, cycle for cycle (rtl.tb.layernorm_unit
/// checks every row it runs against it).
#include <cstdint>

namespace dnnchip::schedule {

/// Registered stages of layernorm_unit's variance path from a word's read to the V update
/// (read, centering, square); the output path has two more (h = c f, h g) before the code leaves.
inline constexpr int64_t kLayerNormVarStages = 3;
/// Steps of the bit-pair square root of V < 2^52 (bits 2^52, 2^50, .., 2^0).
inline constexpr int64_t kLayerNormSqrtSteps = 27;
/// Restoring division steps of f = floor((2^31 - 1) / k).
inline constexpr int64_t kLayerNormDivSteps = 31;

/// Cycles of layernorm_unit from its `go` cycle to its `done` cycle inclusive for a row of n codes
/// (1 <= n <= 4096) on `lanes` lanes, nw = ceil(n / lanes): the go cycle, the variance pass (nw
/// reads and kLayerNormVarStages to V), the square root, the division, the output pass (nw reads,
/// the last code leaving kLayerNormVarStages + 2 cycles after its read):
/// 1 + (nw + 3) + 27 + 31 + (nw + 5) = 2 nw + 67.
int64_t layerNormUnitCycles(int64_t n, int64_t lanes);

}  // namespace dnnchip::schedule
