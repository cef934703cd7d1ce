// Dominance, the (cost, id) total order and the Pareto front. The front is computed by sorting on
// (latency, energy, ..., id) and keeping each entry not dominated by an earlier kept one; a later
// entry can never dominate an earlier one in that lexicographic order except through equal keys,
// which are deduplicated. Cost: O(n log n + n * front size).

#include "dnnchip/search/Pareto.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <tuple>

namespace dnnchip::search {

bool better(const Scored& a, const Scored& b) {
  bool an = std::isnan(a.cost), bn = std::isnan(b.cost);
  if (an != bn) return bn;
  if (!an && a.cost != b.cost) return a.cost < b.cost;
  return a.id < b.id;
}

ParetoKey paretoKey(const Metrics& m, double largestResourceShare) {
  ParetoKey k;
  k.latencyS = m.latencyS;
  k.energyJ = m.energyJ;
  k.areaOrShare = m.areaMm2 > 0 ? m.areaMm2 : largestResourceShare;
  k.inverseThroughput = m.throughputFps > 0 ? 1.0 / m.throughputFps : INFINITY;
  return k;
}

bool dominates(const ParetoKey& a, const ParetoKey& b) {
  bool noWorse = a.latencyS <= b.latencyS && a.energyJ <= b.energyJ &&
                 a.areaOrShare <= b.areaOrShare && a.inverseThroughput <= b.inverseThroughput;
  bool better = a.latencyS < b.latencyS || a.energyJ < b.energyJ ||
                a.areaOrShare < b.areaOrShare || a.inverseThroughput < b.inverseThroughput;
  return noWorse && better;
}

std::vector<size_t> paretoFront(const std::vector<ParetoKey>& keys, const std::vector<uint64_t>& ids) {
  std::vector<size_t> order(keys.size());
  std::iota(order.begin(), order.end(), size_t{0});
  auto tuple = [&](size_t i) {
    const ParetoKey& k = keys[i];
    return std::make_tuple(k.latencyS, k.energyJ, k.areaOrShare, k.inverseThroughput, ids[i]);
  };
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return tuple(a) < tuple(b); });
  std::vector<size_t> front;
  for (size_t i : order) {
    bool drop = false;
    for (size_t f : front) {
      const ParetoKey& a = keys[f];
      const ParetoKey& b = keys[i];
      bool same = a.latencyS == b.latencyS && a.energyJ == b.energyJ &&
                  a.areaOrShare == b.areaOrShare && a.inverseThroughput == b.inverseThroughput;
      if (same || dominates(a, b)) {
        drop = true;
        break;
      }
    }
    if (!drop) front.push_back(i);
  }
  return front;
}

}  // namespace dnnchip::search
