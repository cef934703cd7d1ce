#pragma once
/// \file
/// Internal: used inside the library, its tools and tests; not installed (docs/api.md).
/// The explore's memo of the engine's closed-form cycles (predict::EngineCycleCache): one entry
/// per (engine, engine configuration, descriptor). Stage 1 predicts thousands of generated designs
/// whose programs are equal descriptor for descriptor wherever the points differ only in what the
/// cycle estimate does not read (the buffer memory's IP, the MAC IP's resources), so most of their
/// descriptors are estimated once.
///
/// Exact by construction: the key holds every field of the engine configuration and of the
/// descriptor (the encoded words and the lowering fields that are not encoded), so two lookups
/// share an entry only when Engine::cycles would be called with equal inputs. This relies on the
/// closed form being per descriptor (descriptor i's cycles depend on descriptor i and the
/// configuration only), which tests/unit/search/EstimateMemoTest.cpp checks against the whole-
/// program estimate. Thread-safe (oneTBB concurrent_hash_map); a key is computed once, under its
/// entry's lock, so the counts are the same for any thread count.

#include <atomic>
#include <cstdint>
#include <memory>

#include "dnnchip/predict/EngineCycleCache.h"

namespace dnnchip::search {

class EstimateMemo final : public predict::EngineCycleCache {
 public:
  EstimateMemo();
  ~EstimateMemo() override;
  EstimateMemo(const EstimateMemo&) = delete;
  EstimateMemo& operator=(const EstimateMemo&) = delete;

  std::vector<schedule::LayerCycles> estimate(const arch::Engine& engine, const schedule::Program& program,
                                              const schedule::EngineConfig& cfg) override;

  /// Descriptors asked for so far, and how many of them were estimated (distinct keys).
  int64_t lookups() const { return lookups_.load(std::memory_order_relaxed); }
  int64_t computed() const { return computed_.load(std::memory_order_relaxed); }

 private:
  struct Table;
  std::unique_ptr<Table> table_;
  std::atomic<int64_t> lookups_{0}, computed_{0};
};

}  // namespace dnnchip::search
