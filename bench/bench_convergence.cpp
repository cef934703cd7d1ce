// Search convergence (issue 20, docs/search.md#convergence): every built-in model (designs/models)
// under every built-in constraint file (designs/constraints), explored at the constraint file's
// evaluation budget and at 50x that budget, 2 threads. Per pair: the winner's objective at both
// budgets (the fine cost where stage 3 re-scored it, as the winner is chosen), their gap in
// percent ((default - 50x) / 50x, or exp(default - 50x) - 1 for a weighted objective, whose cost
// is a sum of logarithms; positive: the longer search found better), the wall time of
// each run and how many designs stage 1 predicted. A pair without a feasible design reports
// feasible = 0 and no gap. One iteration per pair; filter with --benchmark_filter=resnet50.
//
// BM_Stage1Retention (issue 20 item 2): on spaces small enough to send every design to stage 2
// (AlexNet on PYNQ-Z1's resources, spatial-array templates, whose cost depends on the mapping),
// how many of the true top 10 (every stage-1 design mapped with 20,000 evaluations per layer
// shape, ranked by the coarse objective) the default stage 1 passes on to stage 2; how far apart
// the true top 10 are (top10_span_pct: the 10th's cost over the best's, minus 1), the regret (the
// true cost of the best design stage 2 gets over the true best, minus 1, in percent) and how many
// of the designs within 1 % of the true best stage 2 gets (kept_within_1pct of within_1pct).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "dnnchip/io/Json.h"
#include "dnnchip/search/ExploreRun.h"

using namespace dnnchip;

namespace {

std::vector<std::string> builtins(const char* folder) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(std::string(DNNCHIP_SOURCE_DIR) + "/designs/" + folder))
    if (e.path().extension() == ".json") out.push_back(e.path().stem().string());
  std::sort(out.begin(), out.end());
  return out;
}

struct Outcome {
  bool feasible = false;
  double cost = 0, seconds = 0;
  int64_t predicted = 0;
};

Outcome runOnce(const workload::Model& model, search::Constraints c, int64_t budget) {
  c.budget.maxEvaluations = budget;
  search::ExploreOptions opt;
  opt.threads = 2;
  const auto t0 = std::chrono::steady_clock::now();
  auto r = search::exploreModel(model, c, opt);
  Outcome o;
  o.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!r || r->winner < 0) return o;
  const search::DesignResult& w = r->designs[r->winner];
  o.feasible = true;
  o.cost = w.fine ? c.objective.cost(*w.fine) : w.cost;
  o.predicted = r->designsEvaluated;
  return o;
}

void BM_Convergence(benchmark::State& state, const std::string& modelName, const std::string& constraintName) {
  auto model = workload::loadModelByName(modelName);
  auto c = search::loadConstraints(constraintName);
  if (!model || !c) {
    state.SkipWithError("cannot load the model or the constraint file");
    return;
  }
  const int64_t budget = c->budget.maxEvaluations;
  Outcome d, l;
  for (auto _ : state) {
    d = runOnce(*model, *c, budget);
    l = runOnce(*model, *c, 50 * budget);
  }
  state.counters["feasible"] = d.feasible && l.feasible ? 1 : 0;
  state.counters["cost_default"] = d.cost;
  state.counters["cost_50x"] = l.cost;
  // a weighted objective's cost is a sum of logarithms: its gap is exp(difference) - 1
  if (d.feasible && l.feasible && c->objective.weighted) state.counters["gap_pct"] = 100.0 * std::expm1(d.cost - l.cost);
  else if (d.feasible && l.feasible && l.cost != 0) state.counters["gap_pct"] = 100.0 * (d.cost - l.cost) / std::fabs(l.cost);
  state.counters["s_default"] = d.seconds;
  state.counters["s_50x"] = l.seconds;
  state.counters["stage1_predicted"] = static_cast<double>(d.predicted);
}

void BM_Stage1Retention(benchmark::State& state, const std::string& objective) {
  auto model = workload::loadModelByName("alexnet");
  auto j = io::parseJson(R"({"schema_version":1,"platform":"pynq_z1","bounds":{"dsp_share":{"max":0.9}},
                             "objective":")" + objective + R"(","allowed":{"templates":["spatial_array"]},
                             "budget":{"max_evaluations":200000},"seed":1})",
                         "retention.json");
  if (!model || !j) {
    state.SkipWithError("cannot load alexnet");
    return;
  }
  auto c = search::parseConstraints(*j, "retention.json", {"pynq_z1"}, {});
  if (!c) {
    state.SkipWithError(c.error().format().c_str());
    return;
  }
  int kept = 0, within = 0, keptWithin = 0;
  size_t mapped = 0;
  double span = 0, regret = 0;
  for (auto _ : state) {
    search::ExploreOptions opt;
    opt.threads = 2;
    auto def = search::exploreModel(*model, *c, opt);
    search::Constraints all = *c;
    opt.stage2Designs = SIZE_MAX;
    opt.fineTopK = 0;
    // every design to stage 2; 20,000 evaluations per (design, layer shape) once the count is known
    auto probe = search::exploreModel(*model, all, [&] {
      search::ExploreOptions o = opt;
      o.stage2Designs = 0;
      return o;
    }());
    if (!def || !probe) {
      state.SkipWithError("explore failed");
      return;
    }
    const int64_t designs = probe->designsEvaluated;
    all.budget.maxEvaluations = designs * 5 * 20000;  // AlexNet: 5 conv shapes + 3 fc
    auto full = search::exploreModel(*model, all, opt);
    if (!full) {
      state.SkipWithError("explore failed");
      return;
    }
    std::vector<const search::DesignResult*> truth;
    for (const auto& d : full->designs)
      if (d.feasible) truth.push_back(&d);
    std::sort(truth.begin(), truth.end(), [](const search::DesignResult* a, const search::DesignResult* b) {
      return a->cost != b->cost ? a->cost < b->cost : a->point.id < b->point.id;
    });
    if (truth.empty()) {
      state.SkipWithError("no feasible design");
      return;
    }
    auto keptByDefault = [&](const search::DesignResult* t) {
      return std::any_of(def->designs.begin(), def->designs.end(),
                         [&](const search::DesignResult& d) { return d.point.id == t->point.id; });
    };
    const double best = truth.front()->cost;
    regret = INFINITY;
    within = keptWithin = 0;
    for (const auto* t : truth) {
      if (keptByDefault(t)) regret = std::min(regret, 100.0 * (t->cost - best) / std::fabs(best));
      if (t->cost <= best + 0.01 * std::fabs(best)) {
        ++within;
        keptWithin += keptByDefault(t);
      }
    }
    truth.resize(std::min<size_t>(truth.size(), 10));
    span = 100.0 * (truth.back()->cost - best) / std::fabs(best);
    kept = 0;
    for (const auto* t : truth) kept += keptByDefault(t);
    mapped = full->designs.size();
  }
  state.counters["kept_of_top10"] = kept;
  state.counters["top10_span_pct"] = span;
  state.counters["regret_pct"] = regret;
  state.counters["within_1pct"] = within;
  state.counters["kept_within_1pct"] = keptWithin;
  state.counters["designs_mapped"] = static_cast<double>(mapped);
}

}  // namespace

int main(int argc, char** argv) {
  setenv("DNNCHIP_DATA", DNNCHIP_SOURCE_DIR, 0);
  for (const std::string& m : builtins("models"))
    for (const std::string& c : builtins("constraints"))
      benchmark::RegisterBenchmark(("BM_Convergence/" + m + "/" + c).c_str(), BM_Convergence, m, c)
          ->Iterations(1)
          ->Unit(benchmark::kSecond)
          ->UseRealTime();
  for (const char* objective : {"latency", "energy", "edp"})
    benchmark::RegisterBenchmark((std::string("BM_Stage1Retention/alexnet/pynq_z1_spatial/") + objective).c_str(),
                                 BM_Stage1Retention, std::string(objective))
        ->Iterations(1)
        ->Unit(benchmark::kSecond)
        ->UseRealTime();
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
