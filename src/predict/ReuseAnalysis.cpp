// Coarse reuse analysis of one compute layer (see ReuseAnalysis.h for the model).
//
// Algorithm per tensor t and keeping level l: the loops above l (temporal, outermost first
// across levels) are scanned from the innermost outward; the leading run of loops irrelevant to
// t is "stationary" and does not refill l. For each dimension the digits outside l's tile are
// either iterated or held at 0 (stationary loops; spatial digits of dimensions irrelevant to t
// when counting multicast reads or reduced writes) and TileAnalysis::sumOuter gives the exact
// count of real tile visits and the sum of their real extents; the access count is the product
// over dimensions (input rows and columns combine P with R and Q with S through the window).
// Cost: O(levels x tensors x dims x digits), about a microsecond or less; no allocation.
// Sliding windows: when the innermost loop above a level is an iterated P/Q/R/S loop (no
// stationary loop in between), consecutive input tiles overlap and only the new rows or columns
// are counted (windowSaving; exact when that loop's factors divide its bound).
// Limits: input windows include halo/padding positions (as Timeloop); bandwidth of a PE-local
// level is the average per active PE; a path's bandwidth is aggregate over its destinations.

#include "dnnchip/predict/ReuseAnalysis.h"

#include <algorithm>
#include <cmath>

#include "dnnchip/mapping/TileAnalysis.h"

namespace dnnchip::predict {

using mapping::CountSum;
using mapping::DigitKind;
using mapping::DigitLayout;
using mapping::Mapping;
using workload::Dim;
using workload::TensorRole;

namespace {

constexpr int kD = workload::kNumDims;

struct Rel {
  std::array<std::array<bool, kD>, kNumTensors> r{};
  Rel() {
    for (int t = 0; t < kNumTensors; ++t)
      for (int d = 0; d < kD; ++d) r[t][d] = workload::LoopNest::relevant(static_cast<TensorRole>(t), static_cast<Dim>(d));
  }
};
const Rel kRel;

enum class SpatialMode { Instances, Distinct };

/// Per-dimension visit counts and extent sums of one traffic() call, as two plain arrays: no
/// member initializers (every element is written before it is read; zeroing such arrays on each
/// call, rep stos and the stores stalled behind it, took a fifth of an evaluation) and no 16-byte
/// struct copies (a copy loading what two 8-byte stores just wrote stalls store forwarding).
struct DimCounts {
  int64_t count[kD];
  int64_t sum[kD];
  void set(int d, int64_t c, int64_t s) {
    count[d] = c;
    sum[d] = s;
  }
  void set(int d, const CountSum& x) { set(d, x.count, x.sum); }
};

/// Everything one evaluation needs about the digit structure, with per-dimension bit masks of
/// the temporal and spatial digits and of each level's digit (so masks are O(1) to build).
struct Ctx {
  const mapping::Hierarchy* h;
  const workload::LoopNest* nest;
  const Mapping* m;
  DigitLayout L;
  int firstPe;
  std::array<uint32_t, kD> temporalBits, spatialBits;
  std::array<std::array<uint32_t, kD>, kMaxLevels> levelBit;  ///< rows [0, m->numLevels) only

  /// Fills the masks (rows of levelBit below the mapping's level count only: zeroing all of
  /// them, and the boundary arrays of evaluate(), on every call cost more than the loops).
  void indexDigits() {
    temporalBits.fill(0);
    spatialBits.fill(0);
    for (int l = 0; l < m->numLevels; ++l) levelBit[l].fill(0);
    for (int d = 0; d < kD; ++d) {
      const mapping::DimDigits& dd = L.dims[d];
      for (int k = 0; k < dd.count; ++k) {
        if (dd.kind[k] == DigitKind::Temporal) {
          temporalBits[d] |= 1u << k;
          levelBit[dd.level[k]][d] = 1u << k;
        } else {
          spatialBits[d] |= 1u << k;
        }
      }
    }
  }
};

/// Per dimension, the digits of the innermost run of temporal loops above `level` that are
/// irrelevant to t (they keep t's tile in place: not iterated when counting refills).
using Stationary = std::array<uint32_t, kD>;

/// The innermost iterated loop above a level when it is also the innermost loop with a trip count
/// above 1 (no stationary loop between it and the tile): its dimension (-1 otherwise), digit
/// index and trip count. Windows slide only along such a loop; with a stationary loop in between
/// the reference model (Timeloop's eyeriss_like output, designs/validation/timeloop_eyeriss_like)
/// refetches the whole tile, and so does this one.
struct Slide {
  int dim = -1;
  int digit = 0;
  int64_t factor = 1;
};

void stationaryLoops(const Ctx& c, int level, int t, Stationary& st, Slide* slide = nullptr) {
  st.fill(0);
  if (slide) *slide = Slide{};
  bool heldAcross = false;  // a stationary loop sits between the tile and the iterated loop
  for (int l = level - 1; l >= 0; --l) {
    const mapping::LevelLoops& lv = c.m->levels[l];
    for (int i = kD - 1; i >= 0; --i) {
      const Dim d = lv.order[i];
      if (lv.factor[d] <= 1) continue;
      if (kRel.r[t][d]) {
        if (slide && !heldAcross) *slide = Slide{d, __builtin_ctz(c.levelBit[l][d]), lv.factor[d]};
        return;
      }
      st[d] |= c.levelBit[l][d];
      heldAcross = true;
    }
  }
}

/// Input words a sliding window saves on one axis (W: out = Q, filter = S; H: P and R) when
/// the innermost iterated loop above the tile is a loop of that axis: consecutive tiles of the
/// run overlap by the window width minus the shift, and only the new columns (rows) are
/// fetched. Returns the columns saved summed over every (out, filter) visit pair of the axis.
/// Exact when the sliding dimension's factors divide its bound; with a partial last tile the
/// non-first steps are counted as count x (factor - 1) / factor.
double windowSaving(const Ctx& c, const std::array<int, kD>& cuts, const Slide& sl, const DimCounts& cs, Dim out,
                    Dim filter, int64_t stride, int64_t dilation) {
  if (sl.dim != out && sl.dim != filter) return 0;
  auto extent = [&](Dim d) {
    const mapping::DimDigits& dd = c.L.dims[d];
    const int64_t e = dd.stride[std::min<int>(cuts[d], dd.count)];
    return std::min(e, c.nest->bound[d]);
  };
  const int64_t width = stride * (extent(out) - 1) + dilation * (extent(filter) - 1) + 1;
  const int64_t shift = (sl.dim == out ? stride : dilation) * c.L.dims[sl.dim].stride[sl.digit];
  const int64_t overlap = width - shift;
  if (overlap <= 0) return 0;
  const Dim other = sl.dim == out ? filter : out;
  const double steps = double(cs.count[sl.dim]) * double(sl.factor - 1) / double(sl.factor);
  return double(overlap) * steps * double(cs.count[other]);
}

/// Mask of iterated outer digits of dimension d for a tile cut at `cut`.
uint32_t outerMask(const Ctx& c, int d, int cut, int t, const Stationary* st, SpatialMode mode,
                   bool temporalToo = true) {
  uint32_t mask = 0;
  if (temporalToo) mask |= c.temporalBits[d] & ~(st ? (*st)[d] : 0u);
  if (mode == SpatialMode::Instances || kRel.r[t][d]) mask |= c.spatialBits[d];
  return mask & ~((1u << cut) - 1u);
}

/// Words of tensor t given per-dimension visit counts and extent sums (input: window rows and
/// columns combine P with R and Q with S).
[[gnu::always_inline]] inline double wordsOf(const Ctx& c, int t, const DimCounts& cs,
                                             const std::array<int, kD>* cuts = nullptr, const Slide* slide = nullptr);

/// Words of tensor t moved across the boundary of a tile cut at `cuts` (per dimension), summed
/// over all real tile visits, with the given stationary loops and spatial mode.
double traffic(const Ctx& c, const std::array<int, kD>& cuts, int t, const Stationary* st, SpatialMode mode,
               bool temporalToo = true, const Slide* slide = nullptr) {
  DimCounts cs;
  for (int d = 0; d < kD; ++d) {
    const mapping::DimDigits& dd = c.L.dims[d];
    if (cuts[d] >= dd.count)  // no loop of d outside the tile: one visit of the whole extent
      cs.set(d, 1, std::min(dd.stride[dd.count], c.nest->bound[d]));
    else
      cs.set(d, mapping::sumOuter(dd, c.nest->bound[d], cuts[d], outerMask(c, d, cuts[d], t, st, mode, temporalToo)));
  }
  return wordsOf(c, t, cs, &cuts, slide);
}

/// traffic() in both spatial modes at once: they differ only in dimensions irrelevant to t.
void trafficBoth(const Ctx& c, const std::array<int, kD>& cuts, int t, const Stationary* st, double& instances,
                 double& distinct, const Slide* slide = nullptr) {
  DimCounts ci, cd;
  for (int d = 0; d < kD; ++d) {
    const mapping::DimDigits& dd = c.L.dims[d];
    if (cuts[d] >= dd.count) {
      const int64_t whole = std::min(dd.stride[dd.count], c.nest->bound[d]);
      ci.set(d, 1, whole);
      cd.set(d, 1, whole);
      continue;
    }
    const uint32_t mi = outerMask(c, d, cuts[d], t, st, SpatialMode::Instances);
    const CountSum inst = mapping::sumOuter(dd, c.nest->bound[d], cuts[d], mi);
    ci.set(d, inst);
    const uint32_t md = kRel.r[t][d] ? mi : outerMask(c, d, cuts[d], t, st, SpatialMode::Distinct);
    cd.set(d, md == mi ? inst : mapping::sumOuter(dd, c.nest->bound[d], cuts[d], md));
  }
  instances = wordsOf(c, t, ci, &cuts, slide);
  distinct = wordsOf(c, t, cd, &cuts, slide);
}

[[gnu::always_inline]] inline double wordsOf(const Ctx& c, int t, const DimCounts& cs, const std::array<int, kD>* cuts,
                                             const Slide* slide) {
  double words = 1;
  if (t == static_cast<int>(TensorRole::Input)) {
    const double cp = cs.count[Dim::P], sp = cs.sum[Dim::P], cr = cs.count[Dim::R], sr = cs.sum[Dim::R];
    const double cq = cs.count[Dim::Q], sq = cs.sum[Dim::Q], cS = cs.count[Dim::S], sS = cs.sum[Dim::S];
    double hsum = cp * cr + c.nest->strideH * cr * (sp - cp) + c.nest->dilationH * cp * (sr - cr);
    double wsum = cq * cS + c.nest->strideW * cS * (sq - cq) + c.nest->dilationW * cq * (sS - cS);
    if (slide && slide->dim >= 0) {  // sliding-window reuse along the innermost iterated loop
      hsum -= windowSaving(c, *cuts, *slide, cs, Dim::P, Dim::R, c.nest->strideH, c.nest->dilationH);
      wsum -= windowSaving(c, *cuts, *slide, cs, Dim::Q, Dim::S, c.nest->strideW, c.nest->dilationW);
    }
    words = hsum * wsum * double(cs.sum[Dim::N]) * double(cs.sum[Dim::G]) * double(cs.sum[Dim::C]) *
            double(cs.count[Dim::K]);
    return words;
  }
  for (int d = 0; d < kD; ++d) words *= kRel.r[t][d] ? double(cs.sum[d]) : double(cs.count[d]);
  return words;
}

/// MAC operand accesses with spatial digits of dimensions irrelevant to t held at 0 (one access
/// per distinct operand across PEs that share it): relevant dimensions contribute their bound.
double distinctMacOperands(const Ctx& c, int t) {
  double words = 1;
  for (int d = 0; d < kD; ++d) {
    if (kRel.r[t][d]) {
      words *= double(c.nest->bound[d]);
      continue;
    }
    const mapping::DimDigits& dd = c.L.dims[d];
    if (dd.count == 0) continue;
    words *= double(mapping::countReal(dd, c.nest->bound[d], c.temporalBits[d]));
  }
  return words;
}

std::array<int, kD> levelCuts(const Ctx& c, int level) {
  std::array<int, kD> cuts{};
  for (int d = 0; d < kD; ++d) cuts[d] = c.L.cut[level][d];
  return cuts;
}

bool holdsPartialSums(const Ctx& c, int level) {
  for (Dim d : {Dim::C, Dim::R, Dim::S})
    if (mapping::tileExtent(c.L, level, d, c.nest->bound[d]) < c.nest->bound[d]) return true;
  return false;
}

}  // namespace

PreparedLayer::PreparedLayer(const EngineModel& engine, const workload::LoopNest& nest)
    : engine_(&engine), nest_(nest), macs_(nest.macs()) {
  const mapping::Hierarchy& h = engine.hierarchy;
  const std::array<double, kPartialSum + 1> wordBits{double(h.inputBits), double(h.weightBits), double(h.outputBits),
                                                     double(h.partialSumBits)};
  for (int l = 0; l < std::min(h.numLevels(), kMaxLevels); ++l)
    for (int k = 0; k <= kPartialSum; ++k) {
      readPjPerWord_[l][k] = perWordPj(engine.energy[l].readPj, h.levels[l].accessWidthBits, wordBits[k]);
      writePjPerWord_[l][k] = perWordPj(engine.energy[l].writePj, h.levels[l].accessWidthBits, wordBits[k]);
    }
}

LayerEval PreparedLayer::evaluate(const Mapping& m) const noexcept {
  LayerEval r;
  const EngineModel& e = *engine_;
  const mapping::Hierarchy& h = e.hierarchy;
  Ctx c;
  r.check = mapping::checkMapping(h, nest_, m, c.L);
  r.macs = macs_;
  if (!r.check.ok()) return r;
  c.h = &h;
  c.nest = &nest_;
  c.m = &m;
  c.firstPe = std::min(h.firstPerPeLevel, m.numLevels);
  c.indexDigits();
  const int n = m.numLevels;
  r.activePes = m.activePes();


  const std::array<double, kNumTensors> wordBits{double(h.inputBits), double(h.weightBits), double(h.outputBits)};
  std::array<std::array<double, kNumTensors>, kMaxLevels> bits;  // word width per level/tensor, rows [0, n)
  std::array<int, kMaxLevels> outputKind;                        // 2, or kPartialSum at levels holding them
  for (int l = 0; l < n; ++l) {
    bits[l] = wordBits;
    outputKind[l] = 2;
    if (l > 0 && holdsPartialSums(c, l)) {
      bits[l][2] = h.partialSumBits;
      outputKind[l] = kPartialSum;
    }
  }
  // Bits moved over each (parent, child) boundary per tensor, for paths (rows [0, n] used).
  std::array<std::array<double, kNumTensors>, kMaxLevels + 1> boundaryBits;  // index child+1
  std::array<std::array<double, kNumTensors>, kMaxLevels + 1> boundaryBitsAll;
  for (int l = 0; l <= n; ++l) boundaryBits[l] = boundaryBitsAll[l] = {};

  Stationary st;
  for (int t = 0; t < kNumTensors; ++t) {
    // Keeping levels, innermost first.
    int chain[kMaxLevels];
    int len = 0;
    for (int l = n - 1; l >= 0; --l)
      if (m.levels[l].keeps[t]) chain[len++] = l;
    if (len == 0) continue;  // impossible after check (DRAM keeps all)
    const int inner = chain[0];
    const bool innerPerPe = inner >= c.firstPe;
    // MAC <-> innermost keeping level.
    // Every MAC reads each operand once (and updates its output): MACs in total, and with
    // multicast/reduction across the array only the distinct ones when the level is shared.
    const double macAll = double(macs_);
    const double macSide = innerPerPe ? macAll : distinctMacOperands(c, t);
    if (t != 2) {
      r.reads[inner][t] += macSide;
    } else {
      // Distinct output elements the innermost level ever holds (per instance copies).
      const std::array<int, kD> cuts = levelCuts(c, inner);
      double distinct = 1;
      for (int d = 0; d < kD; ++d) {
        if (kRel.r[t][d]) {
          distinct *= double(nest_.bound[d]);
        } else if (innerPerPe) {
          distinct *= double(mapping::sumOuter(c.L.dims[d], nest_.bound[d], cuts[d],
                                               outerMask(c, d, cuts[d], t, nullptr, SpatialMode::Instances, false))
                                 .count);
        }
      }
      r.updates[inner][t] += macSide;
      r.reads[inner][t] += std::max(0.0, macSide - distinct);
    }
    boundaryBits[0][t] += macSide * bits[inner][t];
    boundaryBitsAll[0][t] += macAll * bits[inner][t];
    // Level <-> parent.
    for (int i = 0; i + 1 < len; ++i) {
      const int l = chain[i], p = chain[i + 1];
      const bool crosses = l >= c.firstPe && p < c.firstPe;
      Slide slide;
      stationaryLoops(c, l, t, st, t == static_cast<int>(TensorRole::Input) ? &slide : nullptr);
      const std::array<int, kD> cuts = levelCuts(c, l);
      double visits, visitsShared;
      if (crosses)
        trafficBoth(c, cuts, t, &st, visits, visitsShared, &slide);
      else
        visitsShared = visits = traffic(c, cuts, t, &st, SpatialMode::Instances, true, &slide);
      if (t != 2) {
        r.fills[l][t] += visits;
        r.reads[p][t] += visitsShared;
        boundaryBits[l + 1][t] += visitsShared * bits[l][t];
        boundaryBitsAll[l + 1][t] += visits * bits[l][t];
      } else {
        // Drains: every visit leaves once, reduced across PEs sharing the outputs.
        // First visits start empty; later ones read the partial sums back from the parent.
        double distinctShared = 1;
        for (int d = 0; d < kD; ++d)
          if (kRel.r[t][d]) distinctShared *= double(nest_.bound[d]);
        const double refills = std::max(0.0, visitsShared - distinctShared);
        r.updates[p][t] += visitsShared;
        r.reads[p][t] += refills;
        r.fills[l][t] += refills;
        boundaryBits[l + 1][t] += (visitsShared + refills) * bits[l][t];
        boundaryBitsAll[l + 1][t] += (visits + refills) * bits[l][t];
      }
    }
  }

  // Energy.
  for (int l = 0; l < n; ++l) {
    double el = 0;
    for (int t = 0; t < kNumTensors; ++t) {
      const int k = t == 2 ? outputKind[l] : t;
      const double et = r.reads[l][t] * readPjPerWord_[l][k] + (r.fills[l][t] + r.updates[l][t]) * writePjPerWord_[l][k];
      r.tensorEnergyPj[t] += et;
      el += et;
    }
    r.levelEnergyPj[l] = el;
  }
  r.macEnergyPj = double(macs_) * e.macPj;
  for (int l = n - 1; l >= 0; --l)  // levels run outermost (DRAM) first: take the innermost
    if (r.reads[l][1] > 0) {
      r.weightOperandLevel = l;
      r.weightOperandReadPj = r.reads[l][1] * readPjPerWord_[l][1];
      break;
    }

  // Compute cycles: real temporal iterations (spatial digits held at 0).
  double compute = 1;
  for (int d = 0; d < kD; ++d) {
    const mapping::DimDigits& dd = c.L.dims[d];
    if (dd.count == 0) continue;
    compute *= double(mapping::countReal(dd, nest_.bound[d], c.temporalBits[d]));
  }
  r.computeCycles = compute;

  // Level port cycles (per instance; PE-local levels share the load over the active PEs).
  double worst = compute;
  r.bound = BoundKind::Compute;
  for (int l = 0; l < n; ++l) {
    double rb = 0, wb = 0;
    for (int t = 0; t < kNumTensors; ++t) {
      rb += r.reads[l][t] * bits[l][t];
      wb += (r.fills[l][t] + r.updates[l][t]) * bits[l][t];
    }
    const double inst = l >= c.firstPe ? double(std::max<int64_t>(1, r.activePes)) : 1.0;
    double cyc = 0;
    if (e.readBitsPerCycle[l] > 0) cyc = std::max(cyc, rb / inst / e.readBitsPerCycle[l]);
    if (e.writeBitsPerCycle[l] > 0) cyc = std::max(cyc, wb / inst / e.writeBitsPerCycle[l]);
    r.levelCycles[l] = cyc;
    if (cyc > worst) {
      worst = cyc;
      r.bound = BoundKind::Level;
      r.boundIndex = l;
    }
  }
  // Paths between levels.
  const int np = std::min<int>(static_cast<int>(e.paths.size()), 2 * kMaxLevels);
  for (int i = 0; i < np; ++i) {
    const PathLimit& pl = e.paths[i];
    if (pl.child + 1 < 0 || pl.child + 1 > n) continue;
    double b = 0;
    const auto& src = pl.multicast ? boundaryBits[pl.child + 1] : boundaryBitsAll[pl.child + 1];
    for (int t = 0; t < kNumTensors; ++t)
      if (pl.tensorMask >> t & 1u) b += src[t];
    r.pathEnergyPj += b * pl.energyPjPerBit;
    const double cyc = pl.bitsPerCycle > 0 ? b / pl.bitsPerCycle : 0;
    r.pathCycles[i] = cyc;
    if (cyc > worst) {
      worst = cyc;
      r.bound = BoundKind::Path;
      r.boundIndex = i;
    }
  }

  // Tiles streamed through the array: real iterations of the loops above the level that feeds it.
  double passes = 1;
  for (int d = 0; d < kD; ++d) {
    const mapping::DimDigits& dd = c.L.dims[d];
    if (dd.count == 0) continue;
    uint32_t mask = 0;
    for (int l = 0; l < c.firstPe - 1; ++l) mask |= c.levelBit[l][d];
    passes *= double(mapping::countReal(dd, nest_.bound[d], mask));
  }
  if (h.array.systolic)
    r.fillDrainCycles = passes * double(h.array.meshX + h.array.meshY - 2 + h.array.macLatencyCycles);
  for (int l = 1; l < n; ++l) {
    if (h.levels[l].doubleBuffered || e.writeBitsPerCycle[l] <= 0) continue;
    double fb = 0;
    for (int t = 0; t < kNumTensors; ++t) fb += r.fills[l][t] * bits[l][t];
    const double inst = l >= c.firstPe ? double(std::max<int64_t>(1, r.activePes)) : 1.0;
    r.exposedFillCycles += fb / inst / e.writeBitsPerCycle[l];
  }
  r.overheadCycles = e.perLayerOverheadCycles + e.perTileOverheadCycles * passes;
  r.cycles = std::ceil(worst + r.fillDrainCycles + r.exposedFillCycles + r.overheadCycles);
  r.controllerEnergyPj = r.cycles * e.controllerPjPerCycle;
  r.clockEnergyPj = r.cycles * e.clockPjPerCycle;
  r.energyPj = r.macEnergyPj + r.pathEnergyPj + r.controllerEnergyPj + r.clockEnergyPj;
  for (int l = 0; l < n; ++l) r.energyPj += r.levelEnergyPj[l];
  const double pes = double(std::max<int64_t>(1, h.totalPes()));
  r.utilization = r.cycles > 0 ? double(macs_) / (r.cycles * pes) : 0;
  return r;
}

std::string boundName(const EngineModel& e, const LayerEval& r) {
  switch (r.bound) {
    case BoundKind::Compute: return "compute";
    case BoundKind::Level: return e.hierarchy.levels[r.boundIndex].name;
    case BoundKind::Path:
      return r.boundIndex < static_cast<int>(e.pathNames.size()) ? e.pathNames[r.boundIndex] : "path";
    default: return "invalid";
  }
}

}  // namespace dnnchip::predict
