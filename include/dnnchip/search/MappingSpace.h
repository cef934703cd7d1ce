#pragma once
/// \file
/// The mapping space of one layer on one engine (a mapping::Hierarchy behind a LayerEvaluator), separate from the algorithms that search it
/// (ExhaustiveMapper, AnnealingMapper). It lists the spatial unrollings the dataflow allows, the
/// ways to split each dimension's remaining bound over the temporal levels, and the loop-order
/// choices; it checks and verifies points and gives each a stable id. The per-layer objective is
/// a parameter (LayerObjective), not part of the space.

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "dnnchip/search/LayerEvaluator.h"
#include "dnnchip/search/LoopMapping.h"
#include "dnnchip/io/Stop.h"
#include "dnnchip/workload/Layer.h"

namespace dnnchip::search {

/// What a layer's mapping minimizes: wLatency*ln(cycles) + wEnergy*ln(energy).
struct LayerObjective {
  double wLatency = 1.0;
  double wEnergy = 1e-4;
  double score(const MappingCost& c) const;
};

/// One spatial unrolling: factors on X and Y.
struct SpatialChoice {
  DimFactors x{}, y{};
  int64_t pes = 1;
};

class MappingSpace {
 public:
  /// Refers to `eval` (not owned; it must outlive the space), so a temporary is rejected.
  explicit MappingSpace(const LayerEvaluator& eval);
  explicit MappingSpace(const LayerEvaluator&& eval) = delete;

  const mapping::Hierarchy& hierarchy() const { return eval_->hierarchy(); }
  const workload::LoopNest& nest() const { return nest_; }
  int levels() const { return levels_; }

  /// Spatial unrollings allowed by the dataflow and the array, most active PEs first (ties in
  /// a fixed order), at most `limit`; only choices using at least `minShare` of the best count.
  /// An array with a fixed spatial mapping (mapping::fixedSpatialFactors) has exactly that one
  /// choice; its factors need not divide the layer's bounds.
  std::vector<SpatialChoice> spatialChoices(size_t limit, double minShare) const;

  /// The trip count left for the temporal levels of dimension `d` under spatial factors x * y:
  /// ceil(bound / (x * y)) (the bound itself divided when they divide it; otherwise the last
  /// pass is partial, as on hardware whose spatial mapping is fixed).
  int64_t temporalBound(int d, int64_t x, int64_t y) const;

  /// For a spatial choice: per dimension, every way to split the remaining bound over the
  /// temporal levels (level 0 first in each tuple).
  std::vector<std::vector<std::array<int32_t, kMaxLevels>>> temporalSplits(const SpatialChoice& s) const;

  /// Number of temporal points (splits times orders) for a spatial choice, saturating at 2^62.
  int64_t temporalCount(const SpatialChoice& s) const;
  /// Loop-order choices per level (3 stationary tensors) at levels whose order matters.
  int orderLevels() const { return levels_ > 1 ? levels_ - 1 : 0; }

  /// check(): a structurally well-formed point (each dimension's temporal factors multiply to
  /// temporalBound() of its spatial factors, sizes in range).
  bool check(const LoopMapping& m) const;
  /// verify(): check() plus the model's validity (fan-out, dataflow, capacity).
  MappingCost verify(const LoopMapping& m) const { return eval_->evaluate(m.toMapping(hierarchy())); }
  /// Whether the levels' tiles fit (exact, mapping::levelTileBits), for pruning.
  bool fits(const LoopMapping& m) const;
  /// A stable id: a 64-bit hash of the point's factors and orders.
  static uint64_t pointId(const LoopMapping& m);

  /// The evaluator's lower bound on every mapping with `temporalIterations` (LayerEvaluator).
  MappingCost lowerBound(double temporalIterations) const { return eval_->lowerBound(temporalIterations); }

  /// A valid starting point for a spatial choice: every temporal factor at level 0 (DRAM).
  LoopMapping outermost(const SpatialChoice& s) const;

  /// A mapping of another layer shape on the same engine, carried over to this layer: the same
  /// spatial factors (when they are one of this layer's spatialChoices(24, 0.5)) and loop orders,
  /// per dimension each level below DRAM keeping the largest divisor of `from`'s factor that
  /// still divides what is left of this layer's bound (innermost level first), DRAM the rest.
  /// std::nullopt when the spatial factors are not a choice here or the tiles do not fit.
  std::optional<LoopMapping> adapt(const LoopMapping& from) const;
  /// adapt() with this layer's spatialChoices(24, 0.5) computed once by the caller.
  std::optional<LoopMapping> adapt(const LoopMapping& from, const std::vector<SpatialChoice>& choices) const;

 private:
  const LayerEvaluator* eval_;  ///< not owned
  workload::LoopNest nest_;
  int levels_;
};

/// One improvement of a layer search's best mapping: after `evaluated` evaluations (counted in the
/// search's deterministic order: choice after choice, as searchLayer reduces them), the best
/// mapping became `mapping` with `score`.
struct SearchImprovement {
  int64_t evaluated = 0;
  double score = 0;
  uint64_t id = 0;
  LoopMapping mapping{};
};

/// Result of searching one layer's mappings.
struct LayerSearchResult {
  bool found = false;
  LoopMapping best{};
  MappingCost cost{};
  double score = 0;
  uint64_t id = 0;
  int64_t evaluated = 0;  ///< mappings evaluated with the reuse model
  int64_t pruned = 0;     ///< subtrees cut before evaluation (capacity, fan-out)
  std::array<int64_t, static_cast<int>(mapping::Failure::kCount)> invalid{};  ///< per failure class
  bool truncated = false; ///< the budget ran out before the space was exhausted
  /// Every new best (score, id) in evaluation order: the convergence of the search, from which
  /// the best mapping after any number of evaluations can be read (bestAfter).
  std::vector<SearchImprovement> trace;
  void merge(const LayerSearchResult& o);  ///< keeps the better (score, id); sums counts; no trace
  /// merge() as if `o`'s evaluations came after this result's: `o`'s improvements that beat the
  /// best so far join the trace, shifted by this result's evaluation count.
  void append(const LayerSearchResult& o);
  /// Records the current best as an improvement at the current evaluation count (searchers call
  /// it whenever they replace the best).
  void recordBest() { trace.push_back({evaluated, score, id, best}); }
  /// The best mapping found within the first `evaluations` evaluations; nullptr when none was.
  const SearchImprovement* bestAfter(int64_t evaluations) const;
};

/// One search algorithm over a MappingSpace for a fixed spatial choice. Deterministic given
/// (seed, streamId); allocates in its inner loop only to record an improvement of the best.
class MappingSearcher {
 public:
  virtual ~MappingSearcher() = default;
  virtual const char* name() const = 0;
  /// `start`, when given, is a valid mapping of spatial choice `s` to start from (a warm start:
  /// the best an earlier search of the same layer on the same engine found); searchers that
  /// enumerate ignore it. `stop`: a stop request ends the search early with the best found so
  /// far (`truncated` where the searcher counts it).
  virtual LayerSearchResult search(const MappingSpace& space, const SpatialChoice& s,
                                   const LayerObjective& obj, int64_t budget, uint64_t seed,
                                   uint64_t streamId, const LoopMapping* start = nullptr,
                                   io::StopToken stop = {}) const = 0;
};

/// Exhaustive enumeration with capacity pruning (ExhaustiveMapper.cpp).
const MappingSearcher& exhaustiveMapper();
/// Seeded simulated annealing over factor moves and order changes (AnnealingMapper.cpp).
const MappingSearcher& annealingMapper();

/// Searches one layer: up to 24 spatial choices (at least half the best PE count) in the order of
/// their lower bounds (compute bound), in waves; a choice whose bound exceeds the best score found
/// is skipped and its budget goes to the others; per choice the exhaustive mapper when its space
/// fits the budget share, simulated annealing otherwise; reduces on (score, id).
/// `prior`, when given, is an earlier search of the same layer on the same engine (the explore's
/// re-ranking): its best is the incumbent from the start (its spatial choice's annealing starts
/// from it, and choices whose bound exceeds it are cut before they open), and the result is
/// never worse than it. Its evaluations are not counted again. A stop request (`stop`) ends
/// every choice's search at its next check; no new wave opens.
LayerSearchResult searchLayer(const MappingSpace& space, const LayerObjective& obj, int64_t budget,
                              uint64_t seed, uint64_t streamId, const LayerSearchResult* prior = nullptr,
                              io::StopToken stop = {});

/// Warm starts from similar shapes: evaluates `candidates` (best mappings of other layer shapes on
/// the same engine, in a fixed order) adapted to this layer (MappingSpace::adapt) and returns
/// them as a search result (every adapted candidate counted as evaluated; those that do not
/// adapt or fit cost nothing), so its best can be the incumbent (`prior`) of a searchLayer.
LayerSearchResult adaptFromSimilar(const MappingSpace& space, const LayerObjective& obj,
                                   const std::vector<const LoopMapping*>& candidates);

/// The proven optimum of the whole mapping space (every spatial choice, every temporal split and
/// loop order), enumerated without a budget; spatial choices whose lower bound exceeds the best
/// score found are skipped (sound: none of their mappings can be better). For spaces small
/// enough to enumerate (tests, `dnnchip map --exhaustive`); the cost grows with the product of
/// the dimensions' divisor counts.
LayerSearchResult searchLayerExhaustive(const MappingSpace& space, const LayerObjective& obj);

}  // namespace dnnchip::search
