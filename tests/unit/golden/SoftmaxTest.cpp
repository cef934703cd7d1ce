// Integer softmax (docs/quantization.md#softmax): the i-exp at known points, rows with known
// results, and the error against the float softmax that docs/quantization.md quotes.

#include "dnnchip/golden/Softmax.h"

#include <cmath>
#include <cstdio>

#include <gtest/gtest.h>

using namespace dnnchip::golden;

TEST(Softmax, RescaleIsTheInputScaleInUnitsOfLn2Over256) {
  const SoftmaxParams p = softmaxParams(1.0 / 16);
  EXPECT_NEAR(double(p.mult) / std::ldexp(1.0, p.shift), 256.0 / 16 / std::log(2.0), std::ldexp(0.5, -p.shift));
  EXPECT_LE(p.mult, 65535u);
  EXPECT_GE(p.mult, 32768u);  // the largest shift that fits: 16 significant bits
}

TEST(Softmax, ExpHalvesPerLn2AndFollowsTheCurveBetween) {
  const SoftmaxParams p = softmaxParams(std::log(2.0) / 8);  // 8 codes = ln2: d = 8 is one halving
  EXPECT_EQ(softmaxExp(0, p), kSoftmaxExpB * kSoftmaxExpB + kSoftmaxExpC);  // 380,888
  EXPECT_EQ(softmaxExp(8, p), softmaxExp(0, p) >> 1);
  EXPECT_EQ(softmaxExp(24, p), softmaxExp(0, p) >> 3);
  for (int d = 0; d <= 40; ++d)  // within 0.5 % of exp(-d s) at every code (I-BERT's polynomial)
    EXPECT_NEAR(double(softmaxExp(d, p)) / double(softmaxExp(0, p)), std::exp(-d * std::log(2.0) / 8),
                0.005 * std::exp(-d * std::log(2.0) / 8) + 2.0 / double(softmaxExp(0, p)))
        << d;
  EXPECT_EQ(softmaxExp(255, softmaxParams(1.0)), 0);  // e^-255: z > 30
}

TEST(Softmax, KnownRows) {
  const SoftmaxParams p = softmaxParams(1.0 / 8);
  Tensor8 in(Shape{3, 4}, {5, 5, 5, 5,  -100, 100, -100, -100,  0, 0, -128, 127});
  const Tensor8 out = softmax(in, p);
  EXPECT_EQ(out.data, (std::vector<int8_t>{32, 32, 32, 32,  0, 127, 0, 0,  0, 0, 0, 127}));
  // two equal maxima share the mass: 64 each
  const Tensor8 two = softmax(Tensor8(Shape{1, 3}, {40, 40, -128}), p);
  EXPECT_EQ(two.data, (std::vector<int8_t>{64, 64, 0}));
}

TEST(Softmax, ErrorAgainstFloat) {
  // measured: max 0.51..0.59 LSB, rms 0.09..0.32 (rounding to 1/128 alone gives 0.5 and about
  // 0.29); scores of BERT's shape (rows of 128) at three input scales, codes over the whole int8 range
  // and over a narrow one (flat rows, where most of the mass is spread)
  struct Case { double scale; int lo, hi; double maxAbs, rms; };
  for (const Case c : {Case{1.0 / 16, -128, 127, 0.6, 0.2}, Case{1.0 / 16, -16, 16, 0.6, 0.35},
                       Case{1.0 / 4, -128, 127, 0.6, 0.12}, Case{1.0 / 64, -128, 127, 0.6, 0.3}}) {
    const SoftmaxError e = measureSoftmaxError(c.scale, 128, 256, c.lo, c.hi, 7);
    std::printf("softmax s_in 1/%g codes [%d, %d], 256 rows of 128: max %.3f LSB, rms %.3f LSB\n",
                1.0 / c.scale, c.lo, c.hi, e.maxAbs, e.rms);
    EXPECT_LE(e.maxAbs, c.maxAbs);
    EXPECT_LE(e.rms, c.rms);
  }
}
