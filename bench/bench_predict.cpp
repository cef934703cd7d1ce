// Predictor speed: coarse (layer, mapping) evaluations per second on a VGG-16 conv layer
// (conv3_1: C=128, K=256, 56x56, 3x3) on the eyeriss_like and systolic_ws_8x8 designs, and fine
// mode on a whole ResNet-50. Figures go to docs/performance.md.

#include <benchmark/benchmark.h>

#include "dnnchip/graph/GraphJson.h"
#include "dnnchip/ip/IpLibrary.h"
#include "dnnchip/mapping/DefaultMapper.h"
#include "dnnchip/predict/DesignModel.h"
#include "dnnchip/predict/PredictRun.h"
#include "dnnchip/predict/Predictor.h"
#include "dnnchip/predict/ReuseAnalysis.h"
#include "dnnchip/schedule/CycleModel.h"
#include "dnnchip/schedule/Program.h"
#include "dnnchip/workload/Model.h"

namespace {

using namespace dnnchip;

void coarseVgg(benchmark::State& state, const char* design) {
  auto model = workload::loadModelByName("vgg16");
  auto g = graph::loadGraphByName(design);
  auto lib = ip::IpLibrary::loadDefault();
  if (!model || !g || !lib) {
    state.SkipWithError("cannot load vgg16, the design or the IP library");
    return;
  }
  auto dm = predict::prepareDesign(*g, &*lib);
  if (!dm) {
    state.SkipWithError(dm.error().format().c_str());
    return;
  }
  const workload::Layer* layer = model->findLayer("conv3_1");
  if (!layer) layer = &model->layers[0];
  const workload::LoopNest nest = *layer->loopNest();
  const predict::EngineModel& em = dm->engines.front();
  const predict::PreparedLayer p(em, nest);
  // Vary the mapping a little per call so the work is not hoisted: alternate two valid mappings.
  const mapping::Mapping m0 = mapping::defaultMapping(em.hierarchy, nest);
  mapping::Mapping m1 = m0;
  std::swap(m1.levels[0].order[0], m1.levels[0].order[7]);
  int64_t n = 0;
  for (auto _ : state) {
    const predict::LayerEval r = p.evaluate((n++ & 1) ? m1 : m0);
    benchmark::DoNotOptimize(r.cycles);
  }
  state.SetItemsProcessed(n);
}

void BM_CoarseVggConvEyeriss(benchmark::State& s) { coarseVgg(s, "eyeriss_like"); }
void BM_CoarseVggConvSystolicWs(benchmark::State& s) { coarseVgg(s, "systolic_ws_8x8"); }
BENCHMARK(BM_CoarseVggConvEyeriss);
BENCHMARK(BM_CoarseVggConvSystolicWs);

void resnet50(benchmark::State& state, const char* design, predict::Mode mode) {
  auto model = workload::loadModelByName("resnet50");
  if (!model) {
    state.SkipWithError("cannot load resnet50");
    return;
  }
  predict::PredictRequest req;
  req.design = design;
  req.mode = mode;
  for (auto _ : state) {
    auto p = predict::predictModel(*model, req);
    if (!p) {
      state.SkipWithError(p.error().format().c_str());
      return;
    }
    benchmark::DoNotOptimize(p->cycles);
  }
}
void BM_FineResnet50Eyeriss(benchmark::State& s) { resnet50(s, "eyeriss_like", predict::Mode::Fine); }
void BM_FineResnet50SystolicWs(benchmark::State& s) { resnet50(s, "systolic_ws_8x8", predict::Mode::Fine); }
BENCHMARK(BM_FineResnet50Eyeriss)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_FineResnet50SystolicWs)->Unit(benchmark::kMillisecond)->Iterations(1);

// Coarse mode on a generated design: lowering plus the engine schedule in closed form.
void BM_CoarseResnet50SystolicWs(benchmark::State& s) { resnet50(s, "systolic_ws_8x8", predict::Mode::Coarse); }
BENCHMARK(BM_CoarseResnet50SystolicWs)->Unit(benchmark::kMillisecond);

// The engine's cycle model alone on ResNet-50's program for a 16x16 engine (128-bit AXI): the
// exact pixel walk (fine) against the closed form (coarse).
void engineCycles(benchmark::State& state, bool exact) {
  auto model = workload::loadModelByName("resnet50");
  schedule::EngineConfig cfg;
  cfg.rows = cfg.cols = 16;
  cfg.axiDataBits = 128;
  cfg.actBufferWords = 1024;
  cfg.accBufferWords = 4096;
  auto prog = model ? schedule::buildProgram(*model, cfg) : diag::Expected<schedule::Program>(model.error());
  if (!prog) {
    state.SkipWithError(prog.error().format().c_str());
    return;
  }
  for (auto _ : state) {
    auto c = exact ? schedule::predictCycles(*prog, cfg) : schedule::estimateCycles(*prog, cfg);
    benchmark::DoNotOptimize(c.data());
  }
}
void BM_EngineCyclesExactResnet50(benchmark::State& s) { engineCycles(s, true); }
void BM_EngineCyclesClosedFormResnet50(benchmark::State& s) { engineCycles(s, false); }
BENCHMARK(BM_EngineCyclesExactResnet50)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_EngineCyclesClosedFormResnet50)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
