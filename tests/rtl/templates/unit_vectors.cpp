// Test vectors for the row-unit testbenches (tb_softmax_unit.v): random rows run through the golden
// model (golden::softmax) with the cycles the schedule module predicts for them
// (schedule::softmaxUnitCycles), written as one 32-bit hex word per line for $readmemh:
//   rows, then per row: n, mult, shift, cycles, the n input codes, the n expected output codes.
// tb_layernorm_unit.v: rows through golden::layerNorm with schedule::layerNormUnitCycles:
//   rows, then per row: n, shift, cycles, the n codes, the n gains, the n biases (low word, high
//   word), the n expected output codes.
// Usage: unit_vectors softmax|layernorm <lanes> <out.hex> [break]; "break" perturbs one expected
// code, so the testbench must fail (the check that the test can fail).
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>
#include "dnnchip/golden/LayerNorm.h"
#include "dnnchip/golden/ModelRunner.h"
#include "dnnchip/golden/Softmax.h"
#include "dnnchip/schedule/LayerNormUnit.h"
#include "dnnchip/schedule/SoftmaxUnit.h"

namespace {

int writeWords(const std::vector<uint32_t>& words, const char* path) {
  FILE* f = std::fopen(path, "w");
  if (!f) {
    std::fprintf(stderr, "unit_vectors: cannot write %s\n", path);
    return 2;
  }
  for (uint32_t w : words) std::fprintf(f, "%08x\n", w);
  std::fclose(f);
  return 0;
}

int softmaxVectors(int lanes, const char* path, bool broken) {
  using namespace dnnchip;
  const int lengths[] = {1, 2, lanes, lanes + 1, 17, 64, 128, 255, 256, 7, 128, 33};
  const double scales[] = {1.0 / 16, 1.0 / 4, 1.0 / 64, 1.0, 1.0 / 8, 0.01, 1.0 / 16, 0.5, 1.0 / 32, 2.0, 1.0 / 16, 1.0 / 16};
  const int spans[] = {256, 256, 256, 256, 33, 256, 1, 256, 256, 256, 17, 256};  // code ranges
  std::vector<uint32_t> words;
  // the listed rows, then 48 short rows (2..9 codes, scales 1/128 .. 1/2) whose outputs spread
  // over the whole code range, so a small error in the exponential changes some of them
  const int listed = int(sizeof(lengths) / sizeof(lengths[0]));
  const int rows = listed + 48;
  words.push_back(uint32_t(rows));
  golden::Rng rng(15);  // SplitMix64
  for (int r = 0; r < rows; ++r) {
    const bool isShort = r >= listed;
    const int n = isShort ? 2 + int(rng.next() % 8) : lengths[r];
    const double scale = isShort ? std::ldexp(1.0, -1 - int(rng.next() % 7)) : scales[r];
    const int span = isShort ? 256 : spans[r];
    const golden::SoftmaxParams p = golden::softmaxParams(scale);
    golden::Tensor8 in(golden::Shape{1, n});
    const int lo = span == 256 ? -128 : -(span / 2) + 20;
    for (auto& v : in.data) v = int8_t(lo + int(rng.next() % uint64_t(span)));
    const golden::Tensor8 out = golden::softmax(in, p);
    words.push_back(uint32_t(n));
    words.push_back(p.mult);
    words.push_back(uint32_t(p.shift));
    words.push_back(uint32_t(schedule::softmaxUnitCycles(n, lanes)));
    for (int8_t v : in.data) words.push_back(uint32_t(uint8_t(v)));
    for (size_t i = 0; i < out.data.size(); ++i) {
      const bool flip = broken && r == rows - 1 && i == out.data.size() / 2;
      words.push_back(uint32_t(uint8_t(out.data[i])) ^ (flip ? 1u : 0u));
    }
  }
  return writeWords(words, path);
}

// Rows of n codes around a random mean with a random deviation (a constant row among them),
// gamma in [0.5, 1.5] (negative for a quarter of the channels), beta in [-0.5, 0.5], the output
// scale spreading the row's float outputs over int8 (the golden test's setup, per row).
int layerNormVectors(int lanes, const char* path, bool broken) {
  using namespace dnnchip;
  const int lengths[] = {1, 2, lanes, lanes + 1, 17, 64, 768 / 4, 256, 7, 33, 100, 255, 3, 9, 48, 5};
  const int rows = int(sizeof(lengths) / sizeof(lengths[0]));
  std::vector<uint32_t> words;
  words.push_back(uint32_t(rows));
  golden::Rng rng(16);
  for (int r = 0; r < rows; ++r) {
    const int n = lengths[r];
    const int mean = int(rng.next() % 65) - 32;
    const int dev = (r == 5) ? 0 : 1 + int(rng.next() % 60);
    golden::Tensor8 in(golden::Shape{1, n});
    for (auto& v : in.data) {
      const int x = mean + (dev ? int(rng.next() % uint64_t(2 * dev + 1)) - dev : 0);
      v = int8_t(x < -128 ? -128 : (x > 127 ? 127 : x));
    }
    std::vector<double> gamma(static_cast<size_t>(n)), beta(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
      gamma[size_t(i)] = (i % 4 == 3 ? -1.0 : 1.0) * (0.5 + rng.unit());
      beta[size_t(i)] = rng.unit() - 0.5;
    }
    const double outScale = (2.0 * std::sqrt(double(n)) + 0.5) / 127.0 * (0.25 + rng.unit());
    const golden::LayerNormParams p = golden::layerNormParams(gamma, beta, outScale);
    const golden::Tensor8 out = golden::layerNorm(in, p);
    words.push_back(uint32_t(n));
    words.push_back(uint32_t(p.shift));
    words.push_back(uint32_t(schedule::layerNormUnitCycles(n, lanes)));
    for (int8_t v : in.data) words.push_back(uint32_t(uint8_t(v)));
    for (int32_t g : p.gain) words.push_back(uint32_t(g));
    for (int64_t b : p.bias) {
      words.push_back(uint32_t(uint64_t(b)));
      words.push_back(uint32_t(uint64_t(b) >> 32));
    }
    for (size_t i = 0; i < out.data.size(); ++i) {
      const bool flip = broken && r == rows - 1 && i == out.data.size() / 2;
      words.push_back(uint32_t(uint8_t(out.data[i])) ^ (flip ? 1u : 0u));
    }
  }
  return writeWords(words, path);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string what = argc >= 4 ? argv[1] : "";
  if (what != "softmax" && what != "layernorm") {
    std::fprintf(stderr, "usage: unit_vectors softmax|layernorm <lanes> <out.hex> [break]\n");
    return 2;
  }
  const bool broken = argc > 4 && std::string(argv[4]) == "break";
  return what == "softmax" ? softmaxVectors(std::atoi(argv[2]), argv[3], broken)
                           : layerNormVectors(std::atoi(argv[2]), argv[3], broken);
}
