// ONNX import speed (issue 6: ResNet-50 with weights under 2 s). The model is exported by
// tests/e2e/onnx/export_fixtures.py OUT --only resnet50 --with-weights resnet50; set
// DNNCHIP_ONNX_BENCH_MODEL to its path (default: onnx_fixtures/resnet50_w.onnx in the working
// folder). Two cases: shapes only (parse, shape inference, lowering, finalize) and the full import
// with weights (plus BN folding, float reference calibration pass and int8 quantization).

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>

#include "dnnchip/onnx/Import.h"

namespace {

std::filesystem::path modelPath() {
  const char* p = std::getenv("DNNCHIP_ONNX_BENCH_MODEL");
  return p ? p : "onnx_fixtures/resnet50_w.onnx";
}

void run(benchmark::State& state, bool quantize) {
  if (!std::filesystem::exists(modelPath())) {
    state.SkipWithError(("missing " + modelPath().string() + ": run export_fixtures.py (see the file comment)").c_str());
    return;
  }
  dnnchip::onnx::ImportOptions o;
  o.quantizeWeights = quantize;
  for (auto _ : state) {
    auto r = dnnchip::onnx::importModel(modelPath(), o);
    if (!r) {
      state.SkipWithError(r.error().format().c_str());
      return;
    }
    benchmark::DoNotOptimize(r->model.totalMacs());
  }
}

void BM_ImportResNet50Shapes(benchmark::State& s) { run(s, false); }
void BM_ImportResNet50WithWeightsQuantized(benchmark::State& s) { run(s, true); }

}  // namespace

BENCHMARK(BM_ImportResNet50Shapes)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ImportResNet50WithWeightsQuantized)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK_MAIN();
