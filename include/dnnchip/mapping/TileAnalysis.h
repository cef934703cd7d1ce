#pragma once
/// \file
/// Internal: used inside the library, its tools and tests; not installed (docs/api.md).
/// Exact tile arithmetic of a Mapping with partial last tiles, allocation-free.
///
/// Each dimension's factors form a mixed-radix number (Mapping.h). A "digit" is one factor at
/// one position (a level's temporal loop, or spatial X/Y). Asked about a tile that spans the
/// digits below a cut, `sumOuter` counts the outer digit tuples that really run (index < bound,
/// some digits forced to 0) and sums the real extent of the tile over them, in O(digits).

#include <array>
#include <cstdint>

#include "dnnchip/mapping/Hierarchy.h"
#include "dnnchip/mapping/Mapping.h"

namespace dnnchip::mapping {

constexpr int kMaxDigits = kMaxLevels + 2;

/// Where a digit sits: a memory level's temporal loop, or a spatial axis.
enum class DigitKind : uint8_t { Temporal, SpatialX, SpatialY };

/// The digits of one dimension with a factor above 1, innermost first, with their strides.
/// Only entries below `count` (and stride up to `count`) are meaningful; the arrays are left
/// uninitialized on purpose (layoutDigits fills them; zeroing them cost 10% of an evaluation).
struct DimDigits {
  int count = 0;
  std::array<int64_t, kMaxDigits> radix;
  std::array<int64_t, kMaxDigits + 1> stride;  ///< stride[k] = product of radix[0..k-1]
  std::array<DigitKind, kMaxDigits> kind;
  std::array<int8_t, kMaxDigits> level;        ///< memory level of a temporal digit, -1 spatial
};

/// Position of every digit: digitsOf[d] for each dimension, plus per level the first digit index
/// that lies outside the level's tile (the "cut").
struct DigitLayout {
  std::array<DimDigits, workload::kNumDims> dims;
  /// cut[level][d]: digits [0, cut) of dimension d form the tile held at `level` (levels below
  /// the mapping's numLevels only).
  std::array<std::array<int8_t, workload::kNumDims>, kMaxLevels> cut;
  /// Index of the first spatial digit of each dimension (== digits of per-PE levels).
  std::array<int8_t, workload::kNumDims> spatialBegin;
};

/// Builds the digit layout of `m` on `h` (numLevels of m must equal h's).
void layoutDigits(const Hierarchy& h, const Mapping& m, DigitLayout& out) noexcept;

/// Count of real outer tuples and the sum of the tile's real extent over them.
struct CountSum {
  int64_t count = 0;
  int64_t sum = 0;
};

/// For dimension digits `dd` with bound `bound`: the tile spans digits [0, cut). Outer digits
/// (index >= cut) are iterated when bit k of `iterMask` is set, else held at 0. Exact.
/// Inline: the coarse model calls it some hundred times per evaluation (TileAnalysis.cpp has
/// the algorithm).
inline CountSum sumOuter(const DimDigits& dd, int64_t bound, int cut, uint32_t iterMask) noexcept {
  const int64_t tile = dd.stride[cut];
  if (cut == dd.count) return {1, tile < bound ? tile : bound};
  if (dd.stride[dd.count] == bound) {  // factors divide the bound: every outer tuple is real and full
    int64_t count = 1;
    for (int k = cut; k < dd.count; ++k)
      if (iterMask >> k & 1u) count *= dd.radix[k];
    return {count, count * tile};
  }
  CountSum r;
  int64_t rem = bound;
  // fullCount[k] = product of iterated radices among digits [cut, k).
  int64_t full[kMaxDigits + 1];
  full[cut] = 1;
  for (int k = cut; k < dd.count; ++k)
    full[k + 1] = full[k] * ((iterMask >> k & 1u) ? dd.radix[k] : 1);
  for (int k = dd.count - 1; k >= cut; --k) {
    const int64_t s = dd.stride[k];
    if (iterMask >> k & 1u) {
      // rem >= stride[k + 1] = s x radix means every value of the digit is real; the division
      // (the costliest instruction here) only for the one partial digit.
      const int64_t q = rem >= dd.stride[k + 1] ? dd.radix[k] : rem / s;
      r.count += q * full[k];
      r.sum += q * full[k] * tile;
      if (q == dd.radix[k]) return r;
      rem -= q * s;
    } else if (rem >= s) {
      r.count += full[k];
      r.sum += full[k] * tile;
      return r;
    }
    if (rem <= 0) return r;
  }
  if (rem > 0) {
    r.count += 1;
    r.sum += tile < rem ? tile : rem;
  }
  return r;
}


/// Number of real digit tuples over the digits whose bit is set in `iterMask` (others held at
/// 0), for the whole range of digits. E.g. all temporal digits: the temporal iteration count.
inline int64_t countReal(const DimDigits& dd, int64_t bound, uint32_t iterMask) noexcept {
  return sumOuter(dd, bound, 0, iterMask).count;
}

/// Full (largest) tile extent of dimension d at `level`: min(product of digits below cut, bound).
inline int64_t tileExtent(const DigitLayout& L, int level, workload::Dim d, int64_t bound) noexcept {
  const int64_t e = L.dims[d].stride[L.cut[level][d]];
  return e < bound ? e : bound;
}

/// Words of tensor t in a tile with per-dimension extents `e` (input: sliding window).
int64_t tileWords(const workload::LoopNest& nest, workload::TensorRole t, const DimArray& e) noexcept;

}  // namespace dnnchip::mapping
