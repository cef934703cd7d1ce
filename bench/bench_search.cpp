// Search speed (docs/performance.md#search): whole-network explore of ResNet-50 under the Ultra96
// constraint file with 1 and 2 threads (the ratio is the parallel speed-up), and the mapping-only
// search of AlexNet conv3 on Timeloop's eyeriss_like engine (target: under 1 s).
#include <benchmark/benchmark.h>

#include <cstdlib>

#include "dnnchip/graph/GraphJson.h"
#include "dnnchip/ip/IpLibrary.h"
#include "dnnchip/predict/DesignModel.h"
#include "dnnchip/search/ExploreRun.h"
#include "dnnchip/search/MapRun.h"
#include "dnnchip/search/MappingSpace.h"
#include "dnnchip/search/PredictorEvaluator.h"

using namespace dnnchip;

namespace {

void setData() { setenv("DNNCHIP_DATA", DNNCHIP_SOURCE_DIR, 0); }

void BM_ExploreResNet50Ultra96(benchmark::State& state) {
  setData();
  auto model = workload::loadModelByName("resnet50");
  auto c = search::loadConstraints("ultra96");
  if (!model || !c) {
    state.SkipWithError("cannot load resnet50 or the ultra96 constraints");
    return;
  }
  search::ExploreOptions opt;
  opt.threads = static_cast<int>(state.range(0));
  double cost = 0;
  for (auto _ : state) {
    auto r = search::exploreModel(*model, *c, opt);
    if (!r || r->winner < 0) {
      state.SkipWithError("explore failed");
      return;
    }
    cost = r->designs[r->winner].cost;
    state.counters["mappings"] = static_cast<double>(r->mappingsEvaluated);
  }
  state.counters["winner_latency_s"] = cost;
}
BENCHMARK(BM_ExploreResNet50Ultra96)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

void BM_MapAlexNetConv3(benchmark::State& state) {
  setData();
  auto lib = ip::IpLibrary::loadDefault();
  auto g = graph::loadGraph(std::string(DNNCHIP_SOURCE_DIR) + "/designs/validation/timeloop_eyeriss_like/design.json");
  auto model = workload::loadModelByName("alexnet");
  if (!lib || !g || !model) {
    state.SkipWithError("cannot load the validation design or alexnet");
    return;
  }
  auto d = predict::prepareDesign(*g, &*lib);
  if (!d) {
    state.SkipWithError("prepareDesign failed");
    return;
  }
  const workload::Layer* conv3 = model->findLayer("conv3");
  workload::LoopNest nest = predict::batchedNest(*conv3, 1);
  double cycles = 0;
  for (auto _ : state) {
    search::PredictorEvaluator eval(d->engines.front(), nest);
    search::MappingSpace space(eval);
    auto r = search::searchLayer(space, {1.0, 1e-4}, 400000, 1, 3);
    cycles = r.cost.cycles;
    state.counters["evaluated"] = static_cast<double>(r.evaluated);
  }
  state.counters["cycles"] = cycles;
}
BENCHMARK(BM_MapAlexNetConv3)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
