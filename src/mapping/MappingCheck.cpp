// Mapping validity: level count, factor coverage, spatial fan-out and dataflow, bypass, capacity.
//
// Factor rule (partial tiles): for each dimension the product of all factors must reach the
// bound, and the outermost factor > 1 must be exactly ceil(bound / product of the factors inside
// it), so no loop has a whole iteration with no work; inner loops may end in a partial tile.
// Capacity: per instance, the sum over kept tensors of the largest tile (in words) times the
// tensor's word width (partial sums at partialSumBits while a reduction loop lies outside the
// tile), doubled when the level is double-buffered. Cost O(levels x dims); no allocation.

#include "dnnchip/mapping/MappingCheck.h"

#include <cstdio>
#include <string>

#include "dnnchip/mapping/TileAnalysis.h"

namespace dnnchip::mapping {

using workload::Dim;
using workload::TensorRole;

const char* failureCode(Failure f) {
  switch (f) {
    case Failure::None: return "ok";
    case Failure::Levels: return "mapping.levels";
    case Failure::Factors: return "mapping.factors";
    case Failure::Fanout: return "mapping.fanout";
    case Failure::Dataflow: return "mapping.dataflow";
    case Failure::Bypass: return "mapping.bypass";
    case Failure::Capacity: return "mapping.capacity";
    default: return "mapping.unknown";
  }
}

std::string withCommas(int64_t v) {
  std::string digits = std::to_string(v < 0 ? -v : v);
  std::string out;
  int n = static_cast<int>(digits.size());
  for (int i = 0; i < n; ++i) {
    out += digits[i];
    if ((n - i - 1) % 3 == 0 && i != n - 1) out += ',';
  }
  return v < 0 ? "-" + out : out;
}

namespace {

/// Output words are partial sums at a level whose tile does not cover every reduction dimension.
bool holdsPartialSums(const DigitLayout& L, const workload::LoopNest& nest, int level) {
  for (Dim d : {Dim::C, Dim::R, Dim::S})
    if (tileExtent(L, level, d, nest[d]) < nest[d]) return true;
  return false;
}

int64_t tileBits(const Hierarchy& h, const workload::LoopNest& nest, const Mapping& m,
                 const DigitLayout& L, int level) {
  DimArray e{};
  for (int d = 0; d < workload::kNumDims; ++d)
    e[d] = tileExtent(L, level, static_cast<Dim>(d), nest.bound[d]);
  int64_t bits = 0;
  const auto& keeps = m.levels[level].keeps;
  if (keeps[0]) bits += tileWords(nest, TensorRole::Input, e) * h.inputBits;
  if (keeps[1]) bits += tileWords(nest, TensorRole::Weight, e) * h.weightBits;
  if (keeps[2])
    bits += tileWords(nest, TensorRole::Output, e) *
            (holdsPartialSums(L, nest, level) ? h.partialSumBits : h.outputBits);
  return h.levels[level].doubleBuffered ? 2 * bits : bits;
}

}  // namespace

int64_t levelTileBits(const Hierarchy& h, const workload::LoopNest& nest, const Mapping& m, int level) noexcept {
  DigitLayout L;
  layoutDigits(h, m, L);
  return tileBits(h, nest, m, L, level);
}

CheckResult checkMapping(const Hierarchy& h, const workload::LoopNest& nest, const Mapping& m) noexcept {
  DigitLayout L;
  return checkMapping(h, nest, m, L);
}

CheckResult checkMapping(const Hierarchy& h, const workload::LoopNest& nest, const Mapping& m,
                         DigitLayout& L) noexcept {
  CheckResult r;
  if (m.numLevels != h.numLevels() || m.numLevels < 1 || m.numLevels > kMaxLevels) {
    r.failure = Failure::Levels;
    r.value = m.numLevels;
    r.limit = h.numLevels();
    return r;
  }
  for (int d = 0; d < workload::kNumDims; ++d) {
    const int64_t bound = nest.bound[d];
    // Any zero or negative factor is a factor error on that dimension.
    bool bad = m.spatialX[d] < 1 || m.spatialY[d] < 1;
    for (int l = 0; l < m.numLevels; ++l) bad = bad || m.levels[l].factor[d] < 1;
    const int64_t prod = bad ? 0 : m.product(static_cast<Dim>(d));
    if (bad || prod < bound) {
      r = {Failure::Factors, -1, d, -1, prod, bound};
      return r;
    }
    // The outermost factor > 1 must be ceil(bound / inner), inner = the product of the factors
    // inside it: with prod = outer x inner >= bound that is (outer - 1) x inner < bound, i.e.
    // prod - inner < bound (no division: two per dimension were a third of this check).
    int64_t inner = 1;
    int64_t outer = 1;
    // Outermost digit order: level 0, 1, ..., firstPe-1, spatial Y, spatial X, per-PE levels.
    const int firstPe = h.firstPerPeLevel;
    auto consider = [&](int64_t f) {
      if (outer > 1)
        inner *= f;
      else if (f > 1)
        outer = f;
    };
    for (int l = 0; l < firstPe && l < m.numLevels; ++l) consider(m.levels[l].factor[d]);
    consider(m.spatialY[d]);
    consider(m.spatialX[d]);
    for (int l = firstPe; l < m.numLevels; ++l) consider(m.levels[l].factor[d]);
    if (outer > 1 && prod - inner >= bound) {
      r = {Failure::Factors, -1, d, -1, prod, bound};
      return r;
    }
  }
  int64_t px = 1, py = 1;
  for (int d = 0; d < workload::kNumDims; ++d) {
    if (m.spatialX[d] > 1 && !h.array.allowX[d]) return {Failure::Dataflow, 0, d, -1, m.spatialX[d], 1};
    if (m.spatialY[d] > 1 && !h.array.allowY[d]) return {Failure::Dataflow, 1, d, -1, m.spatialY[d], 1};
    px *= m.spatialX[d];
    py *= m.spatialY[d];
  }
  if (px > h.array.meshX) return {Failure::Fanout, 0, -1, -1, px, h.array.meshX};
  if (py > h.array.meshY) return {Failure::Fanout, 1, -1, -1, py, h.array.meshY};
  for (int l = 0; l < m.numLevels; ++l)
    for (int t = 0; t < kNumTensors; ++t) {
      const bool keep = m.levels[l].keeps[t];
      if ((keep && !h.levels[l].canKeep[t]) || (l == 0 && !keep))
        return {Failure::Bypass, l, -1, t, keep ? 1 : 0, h.levels[l].canKeep[t] ? 1 : 0};
    }
  layoutDigits(h, m, L);
  for (int l = 0; l < m.numLevels; ++l) {
    const int64_t cap = h.levels[l].capacityBits;
    if (cap <= 0 || h.levels[l].isDram) continue;
    const int64_t bits = tileBits(h, nest, m, L, l);
    if (bits > cap) return {Failure::Capacity, l, -1, -1, bits, cap};
  }
  return r;
}

diag::Diagnostic describe(const CheckResult& r, const Hierarchy& h, const workload::LoopNest& nest,
                          const Mapping& m, diag::Location where) {
  const std::string code = failureCode(r.failure);
  auto bytes = [](int64_t bits) { return withCommas((bits + 7) / 8); };
  switch (r.failure) {
    case Failure::Levels:
      return diag::error(code, where,
                         "mapping has " + std::to_string(r.value) + " levels, the engine '" +
                             h.array.name + "' has " + std::to_string(r.limit),
                         "give one entry per memory level, outermost (DRAM) first");
    case Failure::Factors: {
      const std::string dn = workload::kDimNames[r.dim];
      if (r.value < r.limit)
        return diag::error(code, where,
                           "factors of " + dn + " multiply to " + withCommas(r.value) +
                               ", layer has " + withCommas(r.limit),
                           "make the factors of " + dn + " multiply to at least " +
                               withCommas(r.limit) + " (the last tile may be partial)");
      return diag::error(code, where,
                         "factors of " + dn + " multiply to " + withCommas(r.value) + ", layer has " +
                             withCommas(r.limit) + ": the outermost factor leaves whole iterations empty",
                         "lower the outermost factor of " + dn + " to ceil(bound / inner factors)");
    }
    case Failure::Fanout:
      return diag::error(code, where,
                         "spatial fan-out " + withCommas(r.value) + " exceeds array " +
                             (r.level == 0 ? "width " : "height ") + withCommas(r.limit),
                         std::string("reduce the spatial factors on ") + (r.level == 0 ? "X" : "Y"));
    case Failure::Dataflow:
      return diag::error(code, where,
                         std::string("the dataflow of '") + h.array.name + "' does not unroll " +
                             workload::kDimNames[r.dim] + " on axis " + (r.level == 0 ? "X" : "Y"),
                         "unroll only the dimensions the compute node's dataflow allows");
    case Failure::Bypass: {
      const std::string tn(workload::tensorRoleName(static_cast<TensorRole>(r.tensor)));
      if (r.level == 0 && r.value == 0)
        return diag::error(code, where, "DRAM must keep every tensor; it drops " + tn,
                           "remove the bypass of " + tn + " at DRAM");
      return diag::error(code, where,
                         "level '" + h.levels[r.level].name + "' cannot hold " + tn +
                             " (no path for it in the graph)",
                         "drop " + tn + " from that level's keep list");
    }
    case Failure::Capacity:
      return diag::error(code, where,
                         h.levels[r.level].name + " capacity exceeded by " + bytes(r.value - r.limit) +
                             " B (tiles need " + bytes(r.value) + " B per instance, it has " +
                             bytes(r.limit) + " B)",
                         "shrink the temporal factors at or below " + h.levels[r.level].name);
    default:
      break;
  }
  (void)nest;
  (void)m;
  return diag::error("mapping.unknown", where, "invalid mapping", "");
}

diag::Status validate(const Hierarchy& h, const workload::LoopNest& nest, const Mapping& m,
                      diag::Location where) {
  CheckResult r = checkMapping(h, nest, m);
  if (r.ok()) return diag::Status::success();
  return describe(r, h, nest, m, std::move(where));
}

}  // namespace dnnchip::mapping
