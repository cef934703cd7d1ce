// The three-stage explore (see Explorer.h). Parallelism: stage 1 is a tbb::parallel_for over
// point ids writing into a per-id slot; stage 2 a parallel_for over designs, nested over distinct
// layer shapes (and, inside searchLayer, over spatial choices); stage 3 a parallel_for over the
// top designs. Every reduction sorts by (cost, id) afterwards, so the schedule never shows in the
// result. Budgets: the evaluation budget is split evenly over designs before stage 2 starts, and
// within a design half evenly over its distinct layer shapes and half by their share of its MACs
// (three quarters searched first, the last quarter warm-started from the other shapes' bests,
// adaptFromSimilar); with more than stage2Focus designs, half of it first, the other half over the
// best stage2Focus after that round (chosen by (feasible, cost, id), so still deterministic). Stage 1 goes best-first: points in order of their cost's lower bound (ideal
// compute time) in fixed chunks of 128, skipping those whose bound exceeds the (8 x stage2Designs)-th
// best cost found before their chunk ("stage1-bound"); the chunking, not the schedule, decides
// what is predicted. Generated engines' closed-form cycles go through one EstimateMemo per run.
// Cost: stage 1 is one default-mapper prediction per point not pruned; stage 2 is bounded by
// the evaluation budget; stage 3 is fineTopK fine predictions. Stopping (Ctrl-C or the wall-clock
// budget) is polled per point in stage 1 (Ctrl-C also before each layer of its prediction and
// lowering), per design in stage 2 and per mapping inside each layer's search, so a stop takes
// effect within one layer's prediction; the report then holds the designs mapped so far
// (partially searched ones included), or stage 1's best survivor with the default mappings when
// stage 2 had mapped none.

#include "dnnchip/search/Explorer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <optional>

#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include "dnnchip/predict/PredictRun.h"
#include "dnnchip/search/PredictionMetrics.h"
#include "dnnchip/mapping/MappingJson.h"
#include "dnnchip/predict/Predictor.h"
#include "dnnchip/search/EstimateMemo.h"
#include "dnnchip/search/Pareto.h"
#include "dnnchip/search/PredictorEvaluator.h"
#include "dnnchip/search/Rng.h"
#include "dnnchip/schedule/Program.h"

namespace dnnchip::search {

namespace {

using Clock = std::chrono::steady_clock;

Metrics metricsOf(const predict::Prediction& p, const platform::Platform& plat) {
  return search::metricsOf(p, plat.isFpga());
}

double largestShare(const Metrics& m, const platform::Platform& p) {
  if (!p.isFpga()) return 0;
  const auto& r = p.resources;
  auto share = [](int64_t used, int64_t have) {
    return have > 0 ? static_cast<double>(used) / static_cast<double>(have) : (used > 0 ? INFINITY : 0.0);
  };
  // on iCE40 the platform loader mirrors sb_mac16, ebr and spram into dsp, bram18 and uram
  return std::max({share(m.dsp, r.dsp), share(m.bram18, r.bram18), share(m.uram, r.uram),
                   share(m.lut, r.lut), share(m.ff, r.ff)});
}

// Structural key of a loop nest: layers with equal keys share one mapping search.
using NestKey = std::array<int64_t, workload::kNumDims + 8>;
NestKey keyOf(const workload::LoopNest& n) {
  NestKey k{};
  for (int d = 0; d < workload::kNumDims; ++d) k[d] = n.bound[d];
  int i = workload::kNumDims;
  for (int64_t v : {n.strideH, n.strideW, n.dilationH, n.dilationW, n.padTop, n.padLeft, n.inH, n.inW}) k[i++] = v;
  return k;
}

struct Stage1 {
  bool done = false;
  std::string pruned;  // reason, empty if it survived
  double cost = 0;
  bool feasible = false;  // meets every bound with the default mappings
  bool engineScheduled = false;  // its cycles are the generated engine's, whatever the mappings
  // The prepared design's resources and area (when it prepared): a point with fewer bursts in
  // flight is compared with its sibling's, see stage 1.
  struct Resources {
    ip::FpgaResources fpga;
    double areaUm2 = 0;
  };
  std::optional<Resources> resources;
};

bool better(double ca, uint64_t ia, double cb, uint64_t ib) { return search::better({ca, ia}, {cb, ib}); }

/// Stage 1 passes kRerank x stage2Designs designs to a short mapping search that re-ranks them.
constexpr size_t kRerank = 8;
/// The re-ranking searches its designs in waves of this many (the lower-bound skip's unit).
constexpr size_t kRerankWave = 16;

/// The convergence curve samples stage 2 after 1/2^k of every layer search's evaluations.
constexpr int kCurveHalvings = 6;

/// The best feasible (cost, id) of a set, for the convergence curve.
struct BestFeasible {
  std::optional<double> cost;
  std::optional<uint64_t> id;
  void offer(double c, uint64_t i) {
    if (!cost || better(c, i, *cost, *id)) {
      cost = c;
      id = i;
    }
  }
};

}  // namespace

LayerObjective layerObjective(const Objective& o) {
  LayerObjective l;
  auto set = [&](double lat, double en) {
    l.wLatency = lat;
    l.wEnergy = en;
  };
  if (!o.weighted) {
    switch (o.metric) {
      case Metric::Energy:
      case Metric::Power: set(1e-4, 1.0); break;
      case Metric::Edp:
      case Metric::Area: set(1.0, 1.0); break;
      default: set(1.0, 1e-4); break;  // latency, throughput, throughput per DSP
    }
    return l;
  }
  auto w = [&](Metric m) { return o.weights[static_cast<int>(m)]; };
  double lat = w(Metric::Latency) + w(Metric::Edp) + w(Metric::Throughput) + w(Metric::ThroughputPerDsp);
  double en = w(Metric::Energy) + w(Metric::Edp) + w(Metric::Power);
  set(std::max(lat, 1e-4), std::max(en, 1e-4));
  return l;
}

std::vector<BoundCheck> checkBounds(const Metrics& m, const Constraints& c, const platform::Platform& p) {
  std::vector<BoundCheck> out;
  auto add = [&](std::string name, double value, std::optional<double> mn, std::optional<double> mx) {
    BoundCheck b{std::move(name), value, mn, mx, true, 0};
    if (mn && value < *mn) {
      b.met = false;
      b.violation = *mn > 0 ? (*mn - value) / *mn : 1;
    }
    if (mx && value > *mx) {
      b.met = false;
      b.violation = *mx > 0 ? (value - *mx) / *mx : INFINITY;
    }
    out.push_back(std::move(b));
  };
  for (const Bound& b : c.bounds) {
    switch (b.metric) {
      case Metric::Latency:
        add("latency_ms", m.latencyS * 1e3, b.min ? std::optional(*b.min * 1e3) : std::nullopt,
            b.max ? std::optional(*b.max * 1e3) : std::nullopt);
        break;
      case Metric::Throughput: add("throughput_fps", m.throughputFps, b.min, b.max); break;
      case Metric::Power: add("power_w", m.powerW, b.min, b.max); break;
      case Metric::Area: add("area_mm2", m.areaMm2, b.min, b.max); break;
      case Metric::Energy:
        add("energy_mj", m.energyJ * 1e3, b.min ? std::optional(*b.min * 1e3) : std::nullopt,
            b.max ? std::optional(*b.max * 1e3) : std::nullopt);
        break;
      default: break;
    }
  }
  if (p.isFpga()) {
    const auto& r = p.resources;  // iCE40: sb_mac16, ebr, spram mirrored into dsp, bram18, uram
    auto share = [&](const char* name, int64_t used, int64_t have, std::optional<double> limit) {
      double s = have > 0 ? static_cast<double>(used) / static_cast<double>(have) : (used > 0 ? INFINITY : 0.0);
      add(name, s, std::nullopt, limit.value_or(1.0));
    };
    share("dsp_share", m.dsp, r.dsp, c.shares.dsp);
    share("bram_share", m.bram18, r.bram18, c.shares.bram);
    share("uram_share", m.uram, r.uram, c.shares.uram);
    share("lut_share", m.lut, r.lut, c.shares.lut);
    share("ff_share", m.ff, r.ff, c.shares.ff);
  } else if (p.budgets.areaMm2) {
    bool bounded = false;
    for (const Bound& b : c.bounds) bounded = bounded || (b.metric == Metric::Area && b.max);
    if (!bounded) add("area_mm2", m.areaMm2, std::nullopt, *p.budgets.areaMm2);
  }
  return out;
}

namespace {

/// The design's coarse cost with the mappings found after 1/2^k of each layer search's
/// evaluations (k = kCurveHalvings .. 1), for the convergence curve.
struct CurveSample {
  int64_t evaluations = 0;  // of all the design's layer searches up to that point
  bool feasible = false;
  double cost = 0;
};

/// One design's mapping search and its score (stage 2, and the re-ranking's short searches).
struct Stage2 {
  bool done = false;
  std::string pruned;
  DesignResult r;
  LayerSearchResult counts;
  std::vector<CurveSample> curve;
  std::vector<LayerSearchResult> found;  // per (engine, layer shape) task, kept by the re-ranking
};

/// One run of explore(): the state the stages share, and one member function per stage (run()
/// calls them in order). Mappings stay objects (predict::LayerMappings) from the searches to the
/// predictions; only the results' mapping files are written as JSON, once per scored design.
class ExploreStages {
 public:
  ExploreStages(const workload::Model& input, const Constraints& c, const platform::Platform& plat,
             const ip::IpLibrary& lib, const ExploreOptions& opt)
      : input_(input), c_(c), plat_(plat), lib_(lib), opt_(opt), start_(Clock::now()) {}

  diag::Expected<ExploreReport> run() {
    std::optional<tbb::global_control> limit;
    const int threads = opt_.threads.value_or(c_.threads);
    if (threads > 0) limit.emplace(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));
    if (diag::Status s = setUp(); !s.ok()) return s.error();
    stage1();
    noteStop();
    collectSurvivors();
    distinctShapes();
    rerank();
    stage2();
    noteStop();
    fallbackWhenStopped();
    convergenceOfStage2();
    collectDesigns();
    stage3();
    pickWinner();
    paretoFront();
    rep_.engineEstimates = memo_.lookups();
    rep_.engineEstimatesComputed = memo_.computed();
    rep_.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    return std::move(rep_);
  }

 private:
  // ---- set-up: the model (or a training step's passes), the space, bounds and budgets ----
  diag::Status setUp() {
    rep_.model = input_.name;
    // A training step is searched as its passes (docs/training.md): an ordinary model whose layers
    // (forward, backward-data, backward-weight, update) the mapper and the predictors evaluate like
    // inference layers, without the generated engine's schedule (the engine runs inference only).
    if (opt_.training) {
      workload::TrainingOptions to = *opt_.training;
      to.batch = std::max<int64_t>(1, opt_.batch);
      auto st = workload::trainingStep(input_, to);
      if (!st) return st.error();
      step_ = std::move(*st);
      rep_.training = step_->options;
      passes_ = step_->passModel();
    }
    model_ = step_ ? &passes_ : &input_;
    // Inference: `batch` inferences per run (PredictOptions::batch); training: in the passes' shapes.
    batch_ = step_ ? 1 : std::max<int64_t>(1, opt_.batch);
    samples_ = double(std::max<int64_t>(1, opt_.batch));  // per run or per step
    rep_.batch = std::max<int64_t>(1, opt_.batch);
    rep_.platform = plat_.name;
    rep_.objective = c_.objective.describe();
    rep_.seed = opt_.seed.value_or(c_.seed);

    auto spaceOr = DesignSpace::create(c_, plat_, lib_, opt_.rtlOnly, model_);
    if (!spaceOr) return spaceOr.error();
    if (opt_.quantization) {  // the narrow requantization operand where the model's scales allow it
      if (auto refused = schedule::narrowRequantRefusal(*model_, *opt_.quantization, 27)) {
        rep_.requantNote = "32-bit requantization operand: layer '" + *refused +
                           "' scales too finely for the 27-bit one (docs/quantization.md#narrow-requantization)";
      } else {
        spaceOr->setRequantOperandBits(27);
        rep_.requantOperandBits = 27;
        rep_.requantNote = "27-bit requantization operand where it saves DSPs: every layer's scale passes the rule "
                           "(docs/quantization.md#narrow-requantization)";
      }
    }
    space_.emplace(std::move(*spaceOr));
    rep_.spaceSize = space_->size();

    const workload::Model& model = *model_;
    for (size_t i = 0; i < model.layers.size(); ++i)
      if (model.layers[i].isCompute()) {
        computeLayers_.push_back(static_cast<int>(i));
        totalMacs_ += static_cast<double>(model.layers[i].macs()) * static_cast<double>(batch_);
      }
    if (computeLayers_.empty())
      return diag::error("search.no-compute", {model.name, ""}, "the model has no compute layer to map",
                         "explore needs at least one conv2d, fc or matmul layer");

    for (const Bound& b : c_.bounds) {
      if (b.metric == Metric::Latency && b.max) maxLatency_ = *b.max;
      if (b.metric == Metric::Throughput && b.min) minThroughput_ = *b.min;
    }
    if (c_.budget.maxSeconds)
      deadline_ = start_ + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(*c_.budget.maxSeconds));
    // Coarse engine estimates, shared by every prediction of this run (points that differ only in
    // what the estimate does not read share their descriptors' cycles); the lowering's own
    // estimates (ct_group, folds, fused adds) likewise.
    coarse_.engineCycleCache = &memo_;
    coarse_.loweringMemo = &loweringMemo_;
    coarse_.batch = batch_;
    coarse_.engineSchedule = !step_;
    // Ctrl-C inside a stage 1 point's prediction (per layer, lowering included): a ResNet-50
    // prediction is tens of milliseconds of CPU, seconds of wall time on a loaded machine. A point
    // stopped there is left undone (not a partial result), so an uninterrupted run is unchanged.
    stage1Opts_ = coarse_;
    stage1Opts_.stop = opt_.stop;
    {
      const double clockHz = space_->clockMhz() * 1e6;
      int64_t most = 0;
      for (const ArrayShape& sh : space_->shapes()) most = std::max<int64_t>(most, int64_t{sh.rows} * sh.cols);
      rep_.idealLatencyS = totalMacs_ / (static_cast<double>(most) * clockHz);
      rep_.idealThroughputFps = samples_ / rep_.idealLatencyS;
    }
    idealBounds_ = !c_.objective.weighted &&
                   (c_.objective.metric == Metric::Latency || c_.objective.metric == Metric::Throughput);
    return diag::Status::success();
  }

  bool shouldStop() const {
    if (opt_.stop.stopRequested()) return true;
    return deadline_ && Clock::now() > *deadline_;
  }
  void noteStop() {
    if (!rep_.interrupted && shouldStop()) {
      rep_.interrupted = true;
      rep_.stopReason = opt_.stop.stopRequested() ? "interrupted (Ctrl-C)" : "wall-clock budget";
    }
  }

  diag::Expected<predict::Prediction> predictOne(const predict::DesignModel& d, const predict::PredictOptions& po) const {
    auto pr = predict::predict(d, *model_, po);
    if (pr && step_) predict::annotateTraining(*pr, *step_);
    return pr;
  }
  /// The coarse prediction of design `d` under `mappings` (layers it does not name: the default mapper).
  diag::Expected<predict::Prediction> predictCoarse(const predict::DesignModel& d,
                                                    const predict::LayerMappings& mappings) const {
    predict::PredictOptions po = coarse_;
    po.layerMappings = &mappings;
    return predictOne(d, po);
  }
  bool meetsEveryBound(const Metrics& m) const {
    const auto checks = checkBounds(m, c_, plat_);
    return std::all_of(checks.begin(), checks.end(), [](const BoundCheck& b) { return b.met; });
  }
  /// A cost lower bound of point `p` (ideal compute time on all MAC units at the point's own
  /// clock) when the objective is latency or throughput, else -infinity.
  double costLowerBound(const DesignPoint& p) const {
    return idealBounds_ ? totalMacs_ / (static_cast<double>(space_->macUnits(p)) * space_->clockMhz(p) * 1e6)
                        : -std::numeric_limits<double>::infinity();
  }
  /// The mapping file of `mappings` on design `d` (the form DesignResult::mappings and
  /// best/mapping.json have): compute layers in model order.
  io::Json mappingFileJson(const predict::DesignModel& d, const predict::LayerMappings& mappings) const {
    io::Json layers = io::Json::object();
    for (int li : computeLayers_) {
      const std::string& name = model_->layers[li].name;
      auto it = mappings.find(name);
      if (it == mappings.end()) continue;  // the default mapper takes the layer
      const auto& h = d.engines[d.engineForLayer(name)].hierarchy;
      layers[name] = mapping::toJson(it->second, h);
    }
    return io::Json{{"schema_version", 1}, {"layers", layers}};
  }

  // ---- stage 1: every point, default mapper, bounds and resources ----
  // Two passes: first the points at the bursts axis' first (largest) value, then the others, each
  // compared with its sibling's resources from the first pass instead of preparing the sibling
  // again. Best-first with a sound bound: points go in order of their cost's lower bound (ideal
  // compute time, when the objective is latency or throughput), in fixed chunks; before each chunk
  // the (kRerank x stage2Designs)-th best cost so far is the threshold, and a point whose bound
  // exceeds it cannot reach the re-ranking ("stage1-bound", not predicted). The chunks do not
  // depend on the thread count, so neither does which points are predicted.
  void stage1() {
    const uint64_t n = space_->size();
    s1_.assign(n, Stage1{});
    // stage 1 keeps kRerank x stage2Designs designs for the re-ranking before stage 2
    const size_t stage1Keep = kRerank * opt_.stage2Designs;
    diag::ProgressPhase bar(opt_.progress, "stage 1", static_cast<int64_t>(n));
    std::vector<uint64_t> firstPass, secondPass;
    std::vector<double> bound(n);
    for (uint64_t id = 0; id < n; ++id) {
      const DesignPoint p = space_->point(id);
      bound[id] = costLowerBound(p);
      (p.bursts == 0 ? firstPass : secondPass).push_back(id);
    }
    std::vector<double> best;  // costs of the predicted points so far, ascending, at most stage1Keep
    constexpr size_t kChunk = 128;
    for (auto* ids : {&firstPass, &secondPass}) {
      std::stable_sort(ids->begin(), ids->end(), [&](uint64_t a, uint64_t b) { return bound[a] < bound[b]; });
      for (size_t from = 0; from < ids->size(); from += kChunk) {
        const size_t to = std::min(ids->size(), from + kChunk);
        tbb::parallel_for(from, to, [&](size_t i) { evaluatePoint((*ids)[i], bar); });
        for (size_t i = from; i < to; ++i) {
          const Stage1& r = s1_[(*ids)[i]];
          if (!r.done || !r.pruned.empty()) continue;
          best.insert(std::upper_bound(best.begin(), best.end(), r.cost), r.cost);
          if (best.size() > stage1Keep) best.pop_back();
        }
        if (best.size() == stage1Keep && stage1Keep > 0) threshold_ = best.back();
      }
    }
  }

  /// Stage 1 of one point: sound bounds, instantiation, resources, then one default-mapper prediction.
  void evaluatePoint(uint64_t id, diag::ProgressPhase& bar) {
    if (shouldStop()) return;
    Stage1& out = s1_[id];
    out.done = true;
    DesignPoint p = space_->point(id);
    // Sound bounds first (no prediction needed): ideal compute time on all MAC units at the
    // point's own clock (an engine point may run above the platform's default clock).
    double ideal = totalMacs_ / (static_cast<double>(space_->macUnits(p)) * space_->clockMhz(p) * 1e6);
    if (maxLatency_ && ideal > *maxLatency_) {
      out.pruned = "latency-lower-bound";
      return;
    }
    if (minThroughput_ && samples_ / ideal < *minThroughput_) {
      out.pruned = "throughput-upper-bound";
      return;
    }
    auto g = space_->instantiate(p);
    if (!g) {
      out.pruned = "illegal:" + g.error().code;
      return;
    }
    auto d = predict::prepareDesign(*g, &lib_);
    if (!d) {
      out.pruned = "illegal:" + d.error().code;
      return;
    }
    out.resources = Stage1::Resources{d->resources.fpga, d->resources.areaUm2};
    // Fewer bursts in flight than the axis' first (largest) value never shorten a transfer
    // (docs/engine.md#cycle-behaviour) and change no energy; when they save no resource either
    // (the IP library charges none, Yosys finds none), the point is dominated by its sibling.
    if (p.bursts != 0) {
      const Stage1& sib = s1_[p.id - static_cast<uint64_t>(p.bursts)];
      if (sib.resources) {
        const ip::FpgaResources &a = d->resources.fpga, &b = sib.resources->fpga;
        if (a.dsp == b.dsp && a.bram18 == b.bram18 && a.bram36 == b.bram36 && a.uram == b.uram &&
            a.lutramLuts == b.lutramLuts && a.lut == b.lut && a.ff == b.ff &&
            d->resources.areaUm2 == sib.resources->areaUm2) {
          out.pruned = "dominated:bursts";
          return;
        }
      }
    }
    // Resources and area do not depend on the mapping: prune on them before predicting.
    predict::Prediction resOnly;
    resOnly.resources = d->resources;
    Metrics rm = metricsOf(resOnly, plat_);
    for (const BoundCheck& b : checkBounds(rm, c_, plat_))
      if (!b.met && (b.name.find("_share") != std::string::npos || b.name == "area_mm2")) {
        out.pruned = b.name;
        return;
      }
    if (costLowerBound(p) > threshold_) {
      out.pruned = "stage1-bound";
      return;
    }
    auto pr = predictOne(*d, stage1Opts_);
    if (!pr && opt_.stop.stopRequested()) {
      out = Stage1{};  // not evaluated
      return;
    }
    if (!pr) {
      out.pruned = "unmappable:" + pr.error().code;
      return;
    }
    Metrics m = metricsOf(*pr, plat_);
    out.cost = c_.objective.cost(m);
    out.feasible = meetsEveryBound(m);
    out.engineScheduled = pr->engineSchedule;
    bar.add(1);
    bar.setBest(out.cost);
  }

  /// Stage 1's predicted points, by (cost, id), and its convergence point.
  void collectSurvivors() {
    for (uint64_t id = 0; id < s1_.size(); ++id) {
      if (!s1_[id].done) continue;
      if (!s1_[id].pruned.empty()) {
        ++rep_.pruned[s1_[id].pruned];
        continue;
      }
      ++rep_.designsEvaluated;
      survivors_.push_back(id);
    }
    std::sort(survivors_.begin(), survivors_.end(),
              [&](uint64_t a, uint64_t b) { return better(s1_[a].cost, a, s1_[b].cost, b); });
    BestFeasible b;
    for (uint64_t id : survivors_)
      if (s1_[id].feasible) b.offer(s1_[id].cost, id);
    rep_.convergence.push_back({"stage 1", 0, b.cost, b.id});
  }

  /// Distinct layer shapes (ResNet-50's 53 convolutions have far fewer shapes): one mapping
  /// search per shape and engine.
  void distinctShapes() {
    const workload::Model& model = *model_;
    std::vector<NestKey> keys;
    layerNest_.assign(model.layers.size(), -1);
    for (int li : computeLayers_) {
      workload::LoopNest nest = predict::batchedNest(model.layers[li], batch_);
      NestKey k = keyOf(nest);
      auto it = std::find(keys.begin(), keys.end(), k);
      if (it == keys.end()) {
        keys.push_back(k);
        nests_.push_back(nest);
        layerNest_[li] = static_cast<int>(nests_.size() - 1);
      } else {
        layerNest_[li] = static_cast<int>(it - keys.begin());
      }
    }
    lobj_ = layerObjective(c_.objective);
    stage2Count_ = std::min(survivors_.size(), opt_.stage2Designs);
  }

  /// Predicts design `p` under `mappings` and fills `out` with its metrics and bound checks.
  void score(const DesignPoint& p, graph::AcceleratorGraph g, const predict::DesignModel& d,
             predict::LayerMappings mappings, Stage2& out) const {
    out.done = true;
    auto pr = predictCoarse(d, mappings);
    if (!pr) {
      out.pruned = "unmappable:" + pr.error().code;
      return;
    }
    DesignResult& r = out.r;
    r.point = p;
    r.description = space_->describe(p);
    r.graph = std::move(g);
    r.mappings = mappingFileJson(d, mappings);
    r.layerMappings = std::move(mappings);
    r.prediction = predict::toJson(*pr);
    r.coarse = metricsOf(*pr, plat_);
    r.coarse.macUnits = space_->macUnits(p);
    r.largestShare = largestShare(r.coarse, plat_);
    r.cost = c_.objective.cost(r.coarse);
    r.checks = checkBounds(r.coarse, c_, plat_);
    r.feasible = std::all_of(r.checks.begin(), r.checks.end(), [](const BoundCheck& b) { return b.met; });
  }
  /// The coarse cost and feasibility of design `d` under `mappings`.
  std::optional<CurveSample> costUnder(const predict::DesignModel& d, const predict::LayerMappings& mappings) const {
    auto pr = predictCoarse(d, mappings);
    if (!pr) return std::nullopt;
    const Metrics m = metricsOf(*pr, plat_);
    return CurveSample{0, meetsEveryBound(m), c_.objective.cost(m)};
  }

  /// Maps design `id` (a mapping search per distinct layer shape, `shapeBudget` evaluations per
  /// shape in all) and scores it into `out`; with `sampleCurve`, also its cost part of the way
  /// through the searches (out.curve); `prior`: earlier searches of the design to warm-start
  /// from; `keep`: leave this round's searches in out.found.
  void mapDesign(uint64_t id, int64_t shapeBudget, Stage2& out, bool sampleCurve,
                 const std::vector<LayerSearchResult>* prior, bool keep) const {
    const workload::Model& model = *model_;
    DesignPoint p = space_->point(id);
    auto g = space_->instantiate(p);
    auto d = g ? predict::prepareDesign(*g, &lib_) : diag::Expected<predict::DesignModel>(g.error());
    if (!d) {
      out.done = true;
      out.pruned = "illegal:" + d.error().code;
      return;
    }
    // One mapping search per distinct (engine, layer shape): a layer pipeline maps each layer on
    // its stage's engine; a layer-sequential design has one engine, so tasks are the shapes.
    std::vector<int> layerTask(model.layers.size(), -1);
    std::vector<std::pair<int, int>> tasks;  // (engine, nest)
    for (int li : computeLayers_) {
      const std::pair<int, int> t{d->engineForLayer(model.layers[li].name), layerNest_[li]};
      auto it = std::find(tasks.begin(), tasks.end(), t);
      layerTask[li] = static_cast<int>(it - tasks.begin());
      if (it == tasks.end()) tasks.push_back(t);
    }
    // The design's budget (shapeBudget per distinct shape) goes half evenly to the tasks and half
    // by each task's share of the design's MACs (its shape's MACs times the layers that have it),
    // so the layers that dominate the objective get the longer searches.
    const int64_t all = shapeBudget * static_cast<int64_t>(nests_.size());
    const int64_t nTasks = std::max<int64_t>(1, static_cast<int64_t>(tasks.size()));
    std::vector<double> macShare(tasks.size(), 0.0);
    double macSum = 0;
    for (int li : computeLayers_) {
      const double m = static_cast<double>(nests_[layerNest_[li]].macs());
      macShare[layerTask[li]] += m;
      macSum += m;
    }
    auto budgetOf = [&](size_t k) {
      const double share = macSum > 0 ? macShare[k] / macSum : 1.0 / static_cast<double>(nTasks);
      return std::max<int64_t>(all / 2 / nTasks + static_cast<int64_t>(static_cast<double>(all / 2) * share), 256);
    };
    // Two phases when there are several tasks: three quarters of each task's budget on its own
    // search, then the last quarter warm-started from the best of the first phase's searches of
    // the other shapes on the same engine, adapted to this shape (adaptFromSimilar), where one of
    // them beats this shape's own best, else from that best.
    const bool similar = tasks.size() > 1;
    std::vector<LayerSearchResult> found(tasks.size());
    tbb::parallel_for(size_t{0}, tasks.size(), [&](size_t k) {
      PredictorEvaluator eval(d->engines[tasks[k].first], nests_[tasks[k].second]);
      MappingSpace ms(eval);
      const int64_t budget = budgetOf(k);
      found[k] = searchLayer(ms, lobj_, similar ? budget - budget / 4 : budget, rep_.seed,
                             splitMix64(p.id) ^ (k * 0x9e3779b97f4a7c15ULL),
                             prior && prior->size() == tasks.size() ? &(*prior)[k] : nullptr, opt_.stop);
    });
    if (similar && !opt_.stop.stopRequested()) {
      std::vector<std::optional<LoopMapping>> firstBest(tasks.size());
      for (size_t k = 0; k < tasks.size(); ++k)
        if (found[k].found) firstBest[k] = found[k].best;
      tbb::parallel_for(size_t{0}, tasks.size(), [&](size_t k) {
        PredictorEvaluator eval(d->engines[tasks[k].first], nests_[tasks[k].second]);
        MappingSpace ms(eval);
        std::vector<const LoopMapping*> others;
        for (size_t j = 0; j < tasks.size(); ++j)
          if (j != k && firstBest[j] && tasks[j].first == tasks[k].first) others.push_back(&*firstBest[j]);
        found[k].append(adaptFromSimilar(ms, lobj_, others));
        const int64_t budget = budgetOf(k);
        const int64_t left = budget / 4 - static_cast<int64_t>(others.size());
        if (left > 0)
          found[k].append(searchLayer(ms, lobj_, left, rep_.seed,
                                      splitMix64(splitMix64(p.id) ^ (k * 0x9e3779b97f4a7c15ULL)),
                                      found[k].found ? &found[k] : nullptr, opt_.stop));
      });
    }
    // Each layer's best mapping after `found[k].evaluated >> halvings` evaluations of its search.
    auto mappingsAfter = [&](int halvings) {
      predict::LayerMappings m;
      for (int li : computeLayers_) {
        const LayerSearchResult& f = found[layerTask[li]];
        const SearchImprovement* best = f.bestAfter(f.evaluated >> halvings);
        if (!best) continue;  // the default mapper takes the layer
        m[model.layers[li].name] = best->mapping.toMapping(d->engines[tasks[layerTask[li]].first].hierarchy);
      }
      return m;
    };
    if (sampleCurve)
      for (int k = kCurveHalvings; k >= 1; --k) {
        CurveSample cs;
        if (auto at = costUnder(*d, mappingsAfter(k))) cs = *at;
        for (const auto& f : found) cs.evaluations += f.evaluated >> k;
        out.curve.push_back(cs);
      }
    for (const auto& f : found) out.counts.merge(f);
    score(p, std::move(*g), *d, mappingsAfter(0), out);
    if (keep) {
      for (auto& f : found) f.trace.clear();
      out.found = std::move(found);
    }
  }

  /// A lower bound on design `id`'s coarse cost under any mappings (latency, energy and EDP
  /// objectives; std::nullopt where none is derived: engine-scheduled or pipelined designs, whose
  /// totals are not sums of the layers' mapped costs, and fixed spatial mappings). Per compute
  /// layer PredictorEvaluator::lowerBound at the layer's most usable PEs (the array's PEs, at most
  /// the product of the bounds of the dimensions its axes may unroll: a per-layer utilization
  /// bound), summed as the predictor sums a layer-sequential design's layers (others add >= 0).
  std::optional<double> designLowerBound(uint64_t id) const {
    if (s1_[id].engineScheduled) return std::nullopt;
    auto g = space_->instantiate(space_->point(id));
    if (!g) return std::nullopt;
    auto d = predict::prepareDesign(*g, &lib_);
    if (!d || d->pipelined) return std::nullopt;
    double cycles = 0, energyPj = 0;
    for (int li : computeLayers_) {
      const predict::EngineModel& em = d->engines[d->engineForLayer(model_->layers[li].name)];
      const workload::LoopNest nest = predict::batchedNest(model_->layers[li], coarse_.batch);
      const mapping::ComputeArray& arr = em.hierarchy.array;
      if (mapping::fixedSpatialFactors(arr, nest.bound)) return std::nullopt;
      double unrollable = 1;
      for (int dim = 0; dim < workload::kNumDims; ++dim)
        if (arr.allowX[dim] || arr.allowY[dim]) unrollable *= static_cast<double>(nest.bound[dim]);
      const double pes = std::max(1.0, std::min(static_cast<double>(arr.meshX) * static_cast<double>(arr.meshY), unrollable));
      const MappingCost lb = PredictorEvaluator(em, nest).lowerBound(static_cast<double>(nest.macs()) / pes);
      cycles += lb.cycles;
      energyPj += lb.energyPj;
    }
    Metrics m;
    m.latencyS = cycles / d->clockHz;
    m.energyJ = energyPj * 1e-12;
    return c_.objective.cost(m);
  }

  // ---- re-ranking: a short mapping search on stage 1's best before stage 2 takes its designs ----
  // Where the cost depends on the mappings (energy; latency of designs without an engine
  // schedule), the default mappings rank designs poorly (docs/search.md#convergence: none of the
  // true top 10 kept on AlexNet/PYNQ-Z1 spatial arrays for energy), so the best kRerank x
  // stage2Designs by stage 1 are re-ranked after a short mapping search before stage 2 takes its
  // designs. The short searches take 1,000 evaluations per layer shape, fewer when the budget
  // divided over the designs re-ranked is smaller, and none below 64 (a tiny --budget-evals stays
  // tiny).
  void rerank() {
    const size_t pre = std::min(survivors_.size(), kRerank * stage2Count_);
    const int64_t rerankBudget =
        std::min<int64_t>(1000, c_.budget.maxEvaluations / std::max<int64_t>(1, static_cast<int64_t>(pre)));
    if (survivors_.size() <= stage2Count_) return;
    if (rerankBudget < 64) {
      rep_.pruned["stage1-rank"] += static_cast<int64_t>(survivors_.size() - stage2Count_);
      survivors_.resize(stage2Count_);
      return;
    }
    std::vector<Stage2> quick(pre);
    // a latency or throughput cost on an engine schedule does not depend on the mappings: kept
    const auto exact = [&](size_t i) { return idealBounds_ && s1_[survivors_[i]].engineScheduled; };
    // In waves of kRerankWave designs in stage-1 order. Before a wave, the stage2Count-th best
    // key-0 cost known (engine-scheduled designs' stage-1 costs, earlier waves' feasible results)
    // is a threshold: a design of the wave outside stage 1's best stage2Count whose lower bound
    // (designLowerBound) exceeds it has at least stage2Count designs strictly better than any
    // cost its search could reach, so it cannot be chosen and is not searched (its key is then
    // "not done", also never chosen). Waves are fixed, so the skips do not depend on threads.
    std::vector<char> skipped(pre, 0);
    const bool boundable = opt_.rerankBound && !c_.objective.weighted &&
                           (c_.objective.metric == Metric::Latency || c_.objective.metric == Metric::Energy ||
                            c_.objective.metric == Metric::Edp);
    for (size_t from = 0; from < pre; from += kRerankWave) {
      const size_t to = std::min(pre, from + kRerankWave);
      if (boundable && to > stage2Count_) {
        std::vector<double> known;
        for (size_t i = 0; i < pre; ++i)
          if (exact(i)) known.push_back(s1_[survivors_[i]].cost);
          else if (i < from && quick[i].done && quick[i].pruned.empty() && quick[i].r.feasible) known.push_back(quick[i].r.cost);
        if (known.size() >= stage2Count_) {
          std::nth_element(known.begin(), known.begin() + static_cast<std::ptrdiff_t>(stage2Count_ - 1), known.end());
          const double threshold = known[stage2Count_ - 1];
          tbb::parallel_for(std::max(from, stage2Count_), to, [&](size_t i) {
            if (exact(i)) return;
            const auto lb = designLowerBound(survivors_[i]);
            if (lb && *lb > threshold) skipped[i] = 1;
          });
        }
      }
      tbb::parallel_for(from, to, [&](size_t i) {
        if (!shouldStop() && !exact(i) && !skipped[i]) mapDesign(survivors_[i], rerankBudget, quick[i], false, nullptr, true);
      });
    }
    for (char k : skipped) rep_.rerankSkipped += k;
    std::vector<size_t> order(pre);
    for (size_t i = 0; i < pre; ++i) order[i] = i;
    auto key = [&](size_t i) {
      if (exact(i)) return std::pair<int, double>{0, s1_[survivors_[i]].cost};
      const Stage2& q = quick[i];
      const bool ok = q.done && q.pruned.empty();
      return std::pair<int, double>{ok ? (q.r.feasible ? 0 : 1) : 2, ok ? q.r.cost : 0.0};
    };
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      const auto ka = key(a), kb = key(b);
      if (ka.first != kb.first) return ka.first < kb.first;
      return better(ka.second, survivors_[a], kb.second, survivors_[b]);
    });
    for (const Stage2& q : quick) rep_.stage1MappingsEvaluated += q.counts.evaluated;
    BestFeasible b;
    for (size_t i = 0; i < pre; ++i) {
      if (exact(i) && s1_[survivors_[i]].feasible) b.offer(s1_[survivors_[i]].cost, survivors_[i]);
      const Stage2& q = quick[i];
      if (!exact(i) && q.done && q.pruned.empty() && q.r.feasible) b.offer(q.r.cost, survivors_[i]);
    }
    rep_.convergence.push_back({"re-rank", rep_.stage1MappingsEvaluated, b.cost, b.id});
    // Stage 2 takes the best stage2Designs of the re-ranking and of stage 1 alike (up to twice
    // as many designs): on spaces where the default mappings rank well (latency on spatial
    // arrays: 10 of the true top 10) the short searches rank worse (6 of 10), elsewhere better.
    std::vector<uint64_t> chosen;
    for (size_t k = 0; k < stage2Count_; ++k) chosen.push_back(survivors_[order[k]]);
    for (size_t k = 0; k < stage2Count_; ++k)
      if (std::find(chosen.begin(), chosen.end(), survivors_[k]) == chosen.end()) chosen.push_back(survivors_[k]);
    for (uint64_t id : chosen) {
      const size_t i = static_cast<size_t>(std::find(survivors_.begin(), survivors_.begin() + pre, id) - survivors_.begin());
      if (i < pre && !quick[i].found.empty()) priors_[id] = std::move(quick[i].found);
    }
    rep_.pruned["stage1-rank"] += static_cast<int64_t>(survivors_.size() - chosen.size());
    survivors_ = std::move(chosen);
  }

  // ---- stage 2: per-layer mapping search on each survivor ----
  // Two rounds when there are more designs than the focus: every design gets half the budget,
  // then the best stage2Focus of them (feasible first, by cost) share the other half, each
  // warm-started from its first round, so the designs that can win get searches long enough to
  // converge (bert_base_encoder/pynq_z1: the 50x winner was in stage 2 at the default budget, but
  // its searches of ~4,000 evaluations per shape left it 38 % above its 50x energy).
  void stage2() {
    const size_t focus = opt_.stage2Focus;
    const bool twoRounds = focus > 0 && focus < survivors_.size();
    const int64_t evalsPerRound = twoRounds ? c_.budget.maxEvaluations / 2 : c_.budget.maxEvaluations;
    const int64_t perTask = std::max<int64_t>(
        evalsPerRound / std::max<int64_t>(1, static_cast<int64_t>(survivors_.size() * nests_.size())), 256);
    s2_.assign(survivors_.size(), Stage2{});
    {
      diag::ProgressPhase bar(opt_.progress, "stage 2", static_cast<int64_t>(survivors_.size()));
      tbb::parallel_for(size_t{0}, survivors_.size(), [&](size_t i) {
        if (shouldStop()) return;
        auto pr = priors_.find(survivors_[i]);
        mapDesign(survivors_[i], perTask, s2_[i], true, pr == priors_.end() ? nullptr : &pr->second, twoRounds);
        bar.add(1);
        if (s2_[i].pruned.empty()) bar.setBest(s2_[i].r.cost);
      });
    }
    if (!twoRounds || shouldStop()) return;
    std::vector<size_t> order;
    for (size_t i = 0; i < s2_.size(); ++i)
      if (s2_[i].done && s2_[i].pruned.empty() && !s2_[i].found.empty()) order.push_back(i);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      if (s2_[a].r.feasible != s2_[b].r.feasible) return s2_[a].r.feasible;
      return better(s2_[a].r.cost, survivors_[a], s2_[b].r.cost, survivors_[b]);
    });
    if (order.size() > focus) order.resize(focus);
    const int64_t perTaskFocus = std::max<int64_t>(
        evalsPerRound / std::max<int64_t>(1, static_cast<int64_t>(order.size() * nests_.size())), 256);
    std::vector<Stage2> more(order.size());
    tbb::parallel_for(size_t{0}, order.size(), [&](size_t k) {
      if (shouldStop()) return;
      const size_t i = order[k];
      mapDesign(survivors_[i], perTaskFocus, more[k], false, &s2_[i].found, false);
    });
    for (size_t k = 0; k < order.size(); ++k) {
      Stage2& m = more[k];
      if (!m.done || !m.pruned.empty()) continue;
      Stage2& s = s2_[order[k]];
      s.r = std::move(m.r);
      s.counts.evaluated += m.counts.evaluated;
      s.counts.pruned += m.counts.pruned;
      for (size_t f = 0; f < s.counts.invalid.size(); ++f) s.counts.invalid[f] += m.counts.invalid[f];
    }
  }

  /// Stopped before stage 2 mapped any design: the best design so far is stage 1's best survivor
  /// with the default mappings (one coarse prediction, milliseconds).
  void fallbackWhenStopped() {
    if (!rep_.interrupted || s2_.empty() || s2_.front().done ||
        std::any_of(s2_.begin(), s2_.end(), [](const Stage2& x) { return x.done && x.pruned.empty(); }))
      return;
    const DesignPoint p = space_->point(survivors_.front());
    auto g = space_->instantiate(p);
    auto d = g ? predict::prepareDesign(*g, &lib_) : diag::Expected<predict::DesignModel>(g.error());
    if (d) score(p, std::move(*g), *d, {}, s2_.front());
  }

  /// Convergence: stage 2's best feasible design after 1/2^k of every design's evaluations, then
  /// after all of them (designs that did not finish, when stopped early, are left out).
  void convergenceOfStage2() {
    for (int k = 0; k <= kCurveHalvings; ++k) {
      BestFeasible b;
      int64_t evaluations = rep_.stage1MappingsEvaluated;
      for (size_t i = 0; i < s2_.size(); ++i) {
        const Stage2& s = s2_[i];
        if (!s.done || !s.pruned.empty()) continue;
        if (k < kCurveHalvings) {
          if (s.curve.size() != kCurveHalvings) continue;  // the interrupted fallback: not searched
          const CurveSample& cs = s.curve[k];
          evaluations += cs.evaluations;
          if (cs.feasible) b.offer(cs.cost, survivors_[i]);
        } else {
          evaluations += s.counts.evaluated;
          if (s.r.feasible) b.offer(s.r.cost, survivors_[i]);
        }
      }
      rep_.convergence.push_back({"stage 2", evaluations, b.cost, b.id});
    }
  }

  /// Stage 2's designs into the report (counts, prune reasons), ordered feasible first by (cost, id).
  void collectDesigns() {
    for (Stage2& s : s2_) {
      if (!s.done) continue;
      rep_.mappingsEvaluated += s.counts.evaluated;
      rep_.mappingsPruned += s.counts.pruned;
      for (int f = 1; f < static_cast<int>(mapping::Failure::kCount); ++f)
        if (s.counts.invalid[f] > 0)
          rep_.invalidMappings[mapping::failureCode(static_cast<mapping::Failure>(f))] += s.counts.invalid[f];
      if (!s.pruned.empty()) {
        ++rep_.pruned[s.pruned];
        continue;
      }
      if (!s.r.feasible)
        for (const BoundCheck& b : s.r.checks)
          if (!b.met) {
            ++rep_.pruned["bound:" + b.name];
            break;
          }
      rep_.designs.push_back(std::move(s.r));
    }
    std::sort(rep_.designs.begin(), rep_.designs.end(), [](const DesignResult& a, const DesignResult& b) {
      if (a.feasible != b.feasible) return a.feasible;
      return better(a.cost, a.point.id, b.cost, b.point.id);
    });
  }

  // ---- stage 3: fine re-scoring of the best feasible designs ----
  void stage3() {
    if (rep_.interrupted) return;
    std::vector<size_t> top;
    for (size_t i = 0; i < rep_.designs.size() && top.size() < opt_.fineTopK; ++i)
      if (rep_.designs[i].feasible) top.push_back(i);
    tbb::parallel_for(size_t{0}, top.size(), [&](size_t t) {
      if (shouldStop()) return;
      DesignResult& r = rep_.designs[top[t]];
      auto d = predict::prepareDesign(r.graph, &lib_);
      if (!d) return;
      predict::PredictOptions po;
      po.mode = predict::Mode::Fine;
      po.loweringMemo = &loweringMemo_;
      po.layerMappings = &r.layerMappings;
      po.batch = batch_;
      po.engineSchedule = !step_;
      auto pr = predictOne(*d, po);
      if (!pr) return;
      Metrics fm = metricsOf(*pr, plat_);
      fm.macUnits = r.coarse.macUnits;
      r.fine = fm;
      r.feasible = r.feasible && meetsEveryBound(fm);
    });
  }

  /// The winner: fine-confirmed feasible designs outrank coarse-only ones; then (cost, id).
  void pickWinner() {
    double bestCost = std::numeric_limits<double>::infinity();
    for (size_t i = 0; i < rep_.designs.size(); ++i) {
      const DesignResult& r = rep_.designs[i];
      if (!r.feasible) continue;
      double cost = r.fine ? c_.objective.cost(*r.fine) : r.cost;
      bool rescored = r.fine.has_value();
      bool incumbentRescored = rep_.winner >= 0 && rep_.designs[rep_.winner].fine.has_value();
      if (rep_.winner < 0 || (rescored && !incumbentRescored) ||
          (rescored == incumbentRescored && better(cost, r.point.id, bestCost, rep_.designs[rep_.winner].point.id))) {
        rep_.winner = static_cast<int>(i);
        bestCost = cost;
      }
    }
  }

  /// The Pareto front of the feasible designs (coarse metrics).
  void paretoFront() {
    std::vector<ParetoKey> pk;
    std::vector<uint64_t> ids;
    std::vector<size_t> where;
    for (size_t i = 0; i < rep_.designs.size(); ++i)
      if (rep_.designs[i].feasible) {
        pk.push_back(paretoKey(rep_.designs[i].coarse, rep_.designs[i].largestShare));
        ids.push_back(rep_.designs[i].point.id);
        where.push_back(i);
      }
    for (size_t f : search::paretoFront(pk, ids)) rep_.pareto.push_back(where[f]);
  }

  const workload::Model& input_;
  const Constraints& c_;
  const platform::Platform& plat_;
  const ip::IpLibrary& lib_;
  const ExploreOptions& opt_;
  const Clock::time_point start_;
  ExploreReport rep_;

  std::optional<workload::TrainingStep> step_;
  workload::Model passes_;              // a training step's passes (empty for inference)
  const workload::Model* model_ = nullptr;  // what is searched: the input, or the passes
  int64_t batch_ = 1;                   // in the predictions' shapes
  double samples_ = 1;                  // inferences per run or samples per step
  std::optional<DesignSpace> space_;
  std::vector<int> computeLayers_;
  double totalMacs_ = 0;
  std::optional<double> maxLatency_, minThroughput_;
  std::optional<Clock::time_point> deadline_;
  EstimateMemo memo_;
  schedule::LoweringMemo loweringMemo_;
  predict::PredictOptions coarse_;
  predict::PredictOptions stage1Opts_;  ///< coarse_ with the run's stop token (stage 1 only)
  bool idealBounds_ = false;            // the objective is latency or throughput: ideal-compute bounds are sound

  std::vector<Stage1> s1_;
  double threshold_ = std::numeric_limits<double>::infinity();  // stage 1's best-first cut
  std::vector<uint64_t> survivors_;     // stage 1's, then the re-ranking's choice
  std::vector<workload::LoopNest> nests_;  // distinct layer shapes
  std::vector<int> layerNest_;          // per model layer: its shape in nests_ (-1: not compute)
  LayerObjective lobj_;
  size_t stage2Count_ = 0;
  std::map<uint64_t, std::vector<LayerSearchResult>> priors_;  // the re-ranking's searches, by design
  std::vector<Stage2> s2_;
};

}  // namespace

diag::Expected<ExploreReport> explore(const workload::Model& model, const Constraints& c,
                                      const platform::Platform& plat, const ip::IpLibrary& lib,
                                      const ExploreOptions& opt) {
  ExploreStages run(model, c, plat, lib, opt);
  return run.run();
}

std::string infeasibleMessage(const ExploreReport& r) {
  // The design closest to feasibility: smallest worst violation; report its worst bound.
  const DesignResult* best = nullptr;
  const BoundCheck* worst = nullptr;
  double bestV = std::numeric_limits<double>::infinity();
  for (const DesignResult& d : r.designs) {
    const BoundCheck* w = nullptr;
    for (const BoundCheck& b : d.checks)
      if (!b.met && (!w || b.violation > w->violation)) w = &b;
    if (w && w->violation < bestV) {
      bestV = w->violation;
      best = &d;
      worst = w;
    }
  }
  if (!best && r.interrupted && r.designs.empty())
    return "the search stopped early (" + r.stopReason + ") before it mapped any design, so no bound was checked";
  if (!best) {
    char buf[256];
    auto lb = r.pruned.find("latency-lower-bound");
    if (lb != r.pruned.end() && lb->second > 0 && r.designs.empty()) {
      std::snprintf(buf, sizeof buf,
                    "no design meets the bound \"latency_ms\": the closest design (the largest array) needs at "
                    "least %.6g ms of compute",
                    r.idealLatencyS * 1e3);
      return buf;
    }
    auto tb = r.pruned.find("throughput-upper-bound");
    if (tb != r.pruned.end() && tb->second > 0 && r.designs.empty()) {
      std::snprintf(buf, sizeof buf,
                    "no design meets the bound \"throughput_fps\": the closest design (the largest array) reaches "
                    "at most %.6g inferences/s",
                    r.idealThroughputFps);
      return buf;
    }
    std::string reasons;
    for (const auto& [k, v] : r.pruned) reasons += (reasons.empty() ? "" : ", ") + k + " " + std::to_string(v);
    return "no design of the " + std::to_string(r.spaceSize) + " in the space meets the constraints (pruned: " +
           reasons + ")";
  }
  char buf[512];
  // Stopped early, only part of the space was scored: say so rather than "no design meets".
  const std::string lead = r.interrupted ? "the search stopped early (" + r.stopReason +
                                               ") before a design it scored met every bound; the closest so far misses"
                                         : std::string("no design meets");
  std::snprintf(buf, sizeof buf,
                "%s the bound \"%s\" (%s%s%s): the closest design (%s, point %llu) has %s = %.6g", lead.c_str(),
                worst->name.c_str(), worst->min ? ("min " + std::to_string(*worst->min)).c_str() : "",
                worst->min && worst->max ? ", " : "", worst->max ? ("max " + std::to_string(*worst->max)).c_str() : "",
                best->description.c_str(), static_cast<unsigned long long>(best->point.id), worst->name.c_str(),
                worst->value);
  return buf;
}

diag::Diagnostic infeasibleDiagnostic(const ExploreReport& r, const std::string& constraintFile) {
  return diag::error("search.infeasible", {constraintFile, "/bounds"}, infeasibleMessage(r),
                     "relax that bound or widen the allowed sets (see summary.txt)");
}

}  // namespace dnnchip::search
