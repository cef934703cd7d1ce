#pragma once
/// \file
/// Internal: used inside the library, its tools and tests; not installed (docs/api.md).
/// Pareto dominance and deterministic selection. Every candidate carries a stable point id; ties
/// on cost are broken on the id, so a reduction over any split of the work (any thread count)
/// returns the same winner, and the Pareto front is listed in a fixed order.

#include <cstdint>
#include <vector>

#include "dnnchip/search/Objective.h"

namespace dnnchip::search {

/// A scored candidate: lower cost wins, then lower id.
struct Scored {
  double cost = 0;
  uint64_t id = 0;
};
/// Strict total order on (cost, id). NaN costs sort last.
bool better(const Scored& a, const Scored& b);

/// The criteria a Pareto front is built on, all minimized: latency, energy, area (or, on an
/// FPGA, the largest share of any resource) and 1/throughput.
struct ParetoKey {
  double latencyS = 0, energyJ = 0, areaOrShare = 0, inverseThroughput = 0;
};
ParetoKey paretoKey(const Metrics& m, double largestResourceShare);

/// True when `a` is no worse than `b` in every criterion and better in at least one.
bool dominates(const ParetoKey& a, const ParetoKey& b);

/// Indices of the non-dominated entries of `keys`, ordered by (latency, energy, id). Entries with
/// identical keys keep only the lowest id. O(n^2) in the worst case; n is the number of designs.
std::vector<size_t> paretoFront(const std::vector<ParetoKey>& keys, const std::vector<uint64_t>& ids);

}  // namespace dnnchip::search
