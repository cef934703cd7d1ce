// Integer layer normalization (docs/quantization.md#layer-normalization): the integer square
// root, rows with known results, and the error against the float layer norm that
// docs/quantization.md quotes.

#include "dnnchip/golden/LayerNorm.h"

#include <cmath>
#include <cstdio>

#include <gtest/gtest.h>

#include "dnnchip/golden/ModelRunner.h"

using namespace dnnchip::golden;

TEST(LayerNorm, IntegerSqrtIsTheFloor) {
  for (int64_t v = 0; v < 100000; ++v) {
    const int64_t r = integerSqrt(v);
    ASSERT_TRUE(r * r <= v && (r + 1) * (r + 1) > v) << v;
  }
  Rng rng(3);
  for (int i = 0; i < 10000; ++i) {
    const int64_t v = int64_t(rng.next() >> 2);  // < 2^62
    const int64_t r = integerSqrt(v);
    ASSERT_TRUE(r * r <= v && (r + 1) * (r + 1) > v) << v;
  }
}

TEST(LayerNorm, KnownRows) {
  // gamma 1, beta 0, s_out 1/32 on 4 channels: (x - mean) / sigma = +-1 for a row +-a
  const LayerNormParams p = layerNormParams({1, 1, 1, 1}, {0, 0, 0, 0}, 1.0 / 32);
  EXPECT_EQ(p.shift, 39);  // gamma sqrt(n) / s_out = 64, times 2^(shift - 31) at most 32767
  EXPECT_EQ(p.gain[0], 16384);
  const Tensor8 out = layerNorm(Tensor8(Shape{3, 4}, {10, -10, 10, -10,  7, 7, 7, 7,  -128, 127, -128, 127}), p);
  EXPECT_EQ(out.data, (std::vector<int8_t>{32, -32, 32, -32,  0, 0, 0, 0,  -32, 32, -32, 32}));
  // beta moves the output by beta / s_out; a constant row gives beta alone
  const LayerNormParams q = layerNormParams({2, 1, 1, 1}, {0.25, 0, -1, 0}, 1.0 / 32);
  const Tensor8 o2 = layerNorm(Tensor8(Shape{2, 4}, {3, -3, 3, -3,  9, 9, 9, 9}), q);
  EXPECT_EQ(o2.data, (std::vector<int8_t>{72, -32, 0, -32,  8, 0, -32, 0}));
}

TEST(LayerNorm, ErrorAgainstFloat) {
  // measured: max 0.50..0.52 LSB, rms 0.289: the rounding to the output code and nothing else
  struct Case { int n; double sigma; double maxAbs, rms; };
  for (const Case c : {Case{768, 30, 0.55, 0.3}, Case{768, 4, 0.55, 0.3}, Case{64, 30, 0.55, 0.3}}) {
    const LayerNormError e = measureLayerNormError(c.n, 64, c.sigma, 11);
    std::printf("layernorm n %d, sigma %g codes, 64 rows: max %.3f LSB, rms %.3f LSB (s_out %.4f)\n", c.n,
                c.sigma, e.maxAbs, e.rms, e.outScale);
    EXPECT_LE(e.maxAbs, c.maxAbs);
    EXPECT_LE(e.rms, c.rms);
  }
}
