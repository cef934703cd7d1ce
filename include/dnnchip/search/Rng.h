#pragma once
/// \file
/// Internal: used inside the library, its tools and tests; not installed (docs/api.md).
/// Deterministic random streams for the search. Every task draws from a stream derived from
/// (seed, point id), never from a thread id or a shared generator, so results do not depend on
/// how tasks are scheduled. SplitMix64 (Steele et al., OOPSLA 2014) seeds a xoshiro256**
/// generator (Blackman and Vigna 2018); both are a few cycles per draw and allocation-free.

#include <cstdint>

namespace dnnchip::search {

/// One SplitMix64 step: a bijective 64-bit mix.
constexpr uint64_t splitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/// xoshiro256** seeded from (seed, stream id).
class Rng {
 public:
  Rng(uint64_t seed, uint64_t streamId) {
    uint64_t x = splitMix64(seed) ^ splitMix64(streamId * 0xd1b54a32d192ed03ULL + 1);
    for (auto& s : s_) s = x = splitMix64(x);
  }
  uint64_t next() {
    uint64_t result = rotl(s_[1] * 5, 7) * 9;
    uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  /// Uniform integer in [0, n), n > 0 (modulo; the bias is below n / 2^64).
  uint64_t below(uint64_t n) { return next() % n; }
  /// Uniform double in [0, 1).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace dnnchip::search
