// EstimateMemo: the engine's closed-form cycles per (engine, configuration, descriptor), shared by
// every coarse prediction of one explore. A lookup builds the key (16 configuration words, the 26
// encoded descriptor words, 3 lowering words that are not encoded), then takes the entry's write
// lock in a tbb::concurrent_hash_map: the first thread to ask estimates the descriptor alone (a
// one-descriptor Program through Engine::cycles) while holding the lock, later ones read it. Cost:
// one hash of 45 words per descriptor on a hit; a miss costs the estimate itself. Memory: about
// 300 bytes per distinct descriptor (ResNet-50 on the Ultra96 space: 16,800 of 44,520 lookups).
// Invariant: a key holds every input of the estimate (the static_asserts below fail when a field
// is added to EngineConfig or LayerDescriptor, so the key is extended with it).

#include "dnnchip/search/EstimateMemo.h"

#include <array>

#include <tbb/concurrent_hash_map.h>

#include "dnnchip/schedule/EstimateKey.h"
#include "dnnchip/search/Rng.h"

namespace dnnchip::search {

namespace {

using schedule::EngineConfig;
using schedule::LayerDescriptor;

struct Key {
  const arch::Engine* engine = nullptr;  ///< identity only (templates' engines are singletons)
  schedule::EstimateKeyWords words{};
  bool operator==(const Key& o) const { return engine == o.engine && words == o.words; }
};

struct KeyHash {
  static size_t hash(const Key& k) {
    uint64_t h = splitMix64(reinterpret_cast<uintptr_t>(k.engine));
    for (uint32_t w : k.words) h = splitMix64(h ^ w);
    return static_cast<size_t>(h);
  }
  static bool equal(const Key& a, const Key& b) { return a == b; }
};

}  // namespace

struct EstimateMemo::Table {
  tbb::concurrent_hash_map<Key, schedule::LayerCycles, KeyHash> map;
};

EstimateMemo::EstimateMemo() : table_(std::make_unique<Table>()) {}
EstimateMemo::~EstimateMemo() = default;

std::vector<schedule::LayerCycles> EstimateMemo::estimate(const arch::Engine& engine, const schedule::Program& program,
                                                          const EngineConfig& cfg) {
  std::vector<schedule::LayerCycles> out;
  out.reserve(program.descriptors.size());
  Key key;
  key.engine = &engine;
  schedule::Program one;
  for (const LayerDescriptor& d : program.descriptors) {
    key.words = schedule::estimateKey(d, cfg);
    lookups_.fetch_add(1, std::memory_order_relaxed);
    decltype(table_->map)::accessor acc;
    if (table_->map.insert(acc, key)) {  // new: estimate it under the entry's lock
      one.descriptors.assign(1, d);
      auto c = engine.cycles(one, cfg, false);
      acc->second = c.empty() ? schedule::LayerCycles{} : c.front();
      computed_.fetch_add(1, std::memory_order_relaxed);
    }
    schedule::LayerCycles lc = acc->second;
    lc.layerIndex = d.layerIndex;
    out.push_back(lc);
  }
  return out;
}

}  // namespace dnnchip::search
