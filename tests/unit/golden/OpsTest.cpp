// Hand-computed cases for every golden op and the requantization edges (negative rounding,
// shift 31, int32 wrap of acc + bias, clamps, ReLU).

#include "dnnchip/golden/Ops.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

using namespace dnnchip::golden;

namespace {
QuantParams q(uint32_t mult, int shift, bool relu = false) {
  QuantParams p;
  p.mult = mult;
  p.shift = shift;
  p.relu = relu;
  return p;
}
Tensor8 seq4(int64_t n, int64_t c, int64_t h, int64_t w, int start = 1) {
  Tensor8 t({n, c, h, w});
  for (size_t i = 0; i < t.data.size(); ++i) t.data[i] = static_cast<int8_t>(start + static_cast<int>(i));
  return t;
}
}  // namespace

TEST(Requantize, RoundsHalfUpWithArithmeticShift) {
  EXPECT_EQ(requantize(100, 0, q(1, 1)), 50);   // (100 + 1) >> 1
  EXPECT_EQ(requantize(101, 0, q(1, 1)), 51);   // 102 >> 1
  EXPECT_EQ(requantize(-1, 0, q(1, 1)), 0);     // (-1 + 1) >> 1
  EXPECT_EQ(requantize(-2, 0, q(1, 1)), -1);    // -1 >> 1 = -1 (floor)
  EXPECT_EQ(requantize(-3, 0, q(1, 1)), -1);    // -2 >> 1
  EXPECT_EQ(requantize(-4, 0, q(1, 1)), -2);    // -3 >> 1 = -2
  EXPECT_EQ(requantize(10, -13, q(3, 2)), -2);  // (-9 + 2) >> 2 = -7 >> 2 = -2
}

TEST(Requantize, Shift31AndFullMultiplier) {
  EXPECT_EQ(requantize(1 << 30, 0, q(1, 31)), 1);         // (2^30 + 2^30) >> 31
  EXPECT_EQ(requantize((1 << 30) - 1, 0, q(1, 31)), 0);
  EXPECT_EQ(requantize(-(1 << 30), 0, q(1, 31)), 0);
  EXPECT_EQ(requantize(-(1 << 30) - 1, 0, q(1, 31)), -1);
  // 64-bit product: (2^31 - 1) * 65535 does not overflow; the result clamps.
  EXPECT_EQ(requantize(INT32_MAX, 0, q(65535, 31)), 127);
  EXPECT_EQ(requantize(INT32_MIN, 0, q(65535, 31)), -128);
  // 100000 * 65535 + 2^30 >> 31 = 3.05.. -> 3
  EXPECT_EQ(requantize(100000, 0, q(65535, 31)), 3);
}

TEST(Requantize, AccPlusBiasWrapsTo32Bits) {
  // INT32_MAX + 1 wraps to INT32_MIN: (-2^31 + 2^30) >> 31 = -1.
  EXPECT_EQ(requantize(INT32_MAX, 1, q(1, 31)), -1);
}

TEST(Requantize, ClampsAndRelu) {
  EXPECT_EQ(requantize(1000, 0, q(1, 1)), 127);
  EXPECT_EQ(requantize(-1000, 0, q(1, 1)), -128);
  EXPECT_EQ(requantize(-1000, 0, q(1, 1, true)), 0);
  EXPECT_EQ(requantize(254, 0, q(1, 1, true)), 127);
  EXPECT_EQ(requantize(252, 0, q(1, 1, true)), 126);
}

TEST(Requantize, AverageQuantApproximatesReciprocal) {
  QuantParams a4 = averageQuant(4);
  EXPECT_EQ(a4.shift, 17);
  EXPECT_EQ(a4.mult, 32768u);
  QuantParams a9 = averageQuant(9);
  EXPECT_EQ(a9.shift, 19);
  EXPECT_EQ(a9.mult, 58254u);  // round(2^19 / 9)
  QuantParams a49 = averageQuant(49);
  EXPECT_EQ(a49.shift, 21);
  EXPECT_EQ(a49.mult, 42799u);  // round(2^21 / 49)
  EXPECT_TRUE(validQuant(averageQuant(1)));
  EXPECT_TRUE(validQuant(averageQuant(3136)));
}

TEST(Conv2d, ValidNoPadding) {
  Tensor8 in = seq4(1, 1, 3, 3);  // 1..9
  Tensor8 w({1, 1, 2, 2}, {1, 1, 1, 1});
  WindowParams p;
  p.kernel = {2, 2};
  Tensor32 acc = conv2dAccumulate(in, w, p);
  EXPECT_EQ(acc.shape, (Shape{1, 1, 2, 2}));
  EXPECT_EQ(acc.data, (std::vector<int32_t>{12, 16, 24, 28}));
  Tensor8 y = conv2d(in, w, Tensor32({1}, {-2}), p, q(1, 1));
  EXPECT_EQ(y.data, (std::vector<int8_t>{5, 7, 11, 13}));  // (acc - 2 + 1) >> 1
}

TEST(Conv2d, PaddingInsertsZerosAndStride) {
  Tensor8 in = seq4(1, 1, 3, 3);
  Tensor8 w({1, 1, 3, 3}, std::vector<int8_t>(9, 1));
  WindowParams p;
  p.kernel = {3, 3};
  p.padding = {1, 1, 1, 1};
  Tensor32 acc = conv2dAccumulate(in, w, p);
  EXPECT_EQ(acc.data, (std::vector<int32_t>{12, 21, 16, 27, 45, 33, 24, 39, 28}));
  p.stride = {2, 2};
  acc = conv2dAccumulate(in, w, p);
  EXPECT_EQ(acc.shape, (Shape{1, 1, 2, 2}));
  EXPECT_EQ(acc.data, (std::vector<int32_t>{12, 16, 24, 28}));
}

TEST(Conv2d, DilationAndChannels) {
  Tensor8 in = seq4(1, 2, 3, 3);  // channel 0: 1..9, channel 1: 10..18
  Tensor8 w({2, 2, 2, 2}, {1, 0, 0, 0, /*c1*/ 0, 0, 0, 1,   // k0: in0[r0 s0] + in1[r1 s1]
                           0, 0, 0, 0, /*c1*/ -1, 0, 0, 0});  // k1: -in1[r0 s0]
  WindowParams p;
  p.kernel = {2, 2};
  p.dilation = {2, 2};  // taps at offsets 0 and 2: one output
  Tensor32 acc = conv2dAccumulate(in, w, p);
  EXPECT_EQ(acc.shape, (Shape{1, 2, 1, 1}));
  EXPECT_EQ(acc.data, (std::vector<int32_t>{1 + 18, -10}));
}

TEST(Conv2d, DepthwiseUsesOwnChannel) {
  Tensor8 in = seq4(1, 2, 2, 2);  // c0: 1..4, c1: 5..8
  Tensor8 w({2, 1, 2, 2}, {1, 1, 1, 1, -1, 0, 0, 2});
  WindowParams p;
  p.kernel = {2, 2};
  p.groups = 2;
  Tensor32 acc = conv2dAccumulate(in, w, p);
  EXPECT_EQ(acc.data, (std::vector<int32_t>{10, -5 + 16}));
}

TEST(Conv2d, ExtremeValuesAccumulate) {
  Tensor8 in({1, 4, 1, 1}, {-128, -128, 127, -128});
  Tensor8 w({1, 4, 1, 1}, {-128, -128, -128, 127});
  Tensor32 acc = conv2dAccumulate(in, w, WindowParams{});
  EXPECT_EQ(acc.data[0], 16384 + 16384 - 16256 - 16256);
}

TEST(Fc, MatrixVectorWithBias) {
  Tensor8 in({1, 3}, {1, 2, 3});
  Tensor8 w({2, 3}, {1, 0, -1, 2, 2, 2});
  Tensor8 y = fc(in, w, Tensor32({2}, {10, -5}), q(1, 1));
  EXPECT_EQ(y.shape, (Shape{1, 2}));
  EXPECT_EQ(y.data, (std::vector<int8_t>{4, 4}));  // (8 + 1) >> 1, (7 + 1) >> 1
  Tensor8 two({2, 3}, {1, 2, 3, -1, -1, -1});
  Tensor8 y2 = fc(two, w, Tensor32{}, q(1, 1, true));
  // row 0: acc {-2, 12} -> {(-1)>>1 = -1 -> ReLU 0, 13 >> 1 = 6}; row 1: {0, -6} -> {0, 0}
  EXPECT_EQ(y2.data, (std::vector<int8_t>{0, 6, 0, 0}));
}

TEST(MaxPool, PaddingIsIgnored) {
  Tensor8 in({1, 1, 2, 2}, {-5, -6, -7, -8});
  WindowParams p;
  p.kernel = {2, 2};
  p.padding = {1, 1, 1, 1};
  Tensor8 y = maxPool(in, p);
  EXPECT_EQ(y.shape, (Shape{1, 1, 3, 3}));
  EXPECT_EQ(y.data, (std::vector<int8_t>{-5, -5, -6, -5, -5, -6, -7, -7, -8}));
}

TEST(MaxPool, StrideTwo) {
  Tensor8 in = seq4(1, 1, 4, 4, -8);  // -8..7
  WindowParams p;
  p.kernel = {2, 2};
  p.stride = {2, 2};
  EXPECT_EQ(maxPool(in, p).data, (std::vector<int8_t>{-3, -1, 5, 7}));
}

TEST(AvgPool, ZeroPaddingAndRounding) {
  Tensor8 in({1, 1, 2, 2}, {1, 2, 3, 4});
  WindowParams p;
  p.kernel = {2, 2};
  EXPECT_EQ(avgPool(in, p, averageQuant(4)).data, (std::vector<int8_t>{3}));  // 10/4 = 2.5 rounds up
  Tensor8 neg({1, 1, 2, 2}, {-1, -2, -3, -4});
  EXPECT_EQ(avgPool(neg, p, averageQuant(4)).data, (std::vector<int8_t>{-2}));  // -2.5 rounds up to -2
  p.padding = {1, 1, 0, 0};
  p.stride = {1, 1};
  // Windows at the top-left corner sum only real positions and still divide by 4.
  Tensor32 s = avgPoolSum(in, p);
  EXPECT_EQ(s.data, (std::vector<int32_t>{1, 3, 4, 10}));
  EXPECT_EQ(avgPool(in, p, averageQuant(4)).data, (std::vector<int8_t>{0, 1, 1, 3}));
}

TEST(GlobalAvgPool, AveragesEachChannel) {
  Tensor8 in({1, 2, 2, 2}, {1, 2, 3, 4, -100, -100, -100, -101});
  Tensor8 y = globalAvgPool(in, averageQuant(4));
  EXPECT_EQ(y.shape, (Shape{1, 2, 1, 1}));
  EXPECT_EQ(y.data, (std::vector<int8_t>{3, -100}));  // 2.5 -> 3, -100.25 -> -100
}

TEST(Add, TwoMultipliersRoundingAndClamp) {
  QuantParams p = q(16384, 15);  // a * 0.5
  p.multB = 32768;               // b * 1.0
  Tensor8 a({4}, {100, 127, -128, 3});
  Tensor8 b({4}, {-50, 127, -128, 0});
  EXPECT_EQ(add(a, b, p).data, (std::vector<int8_t>{0, 127, -128, 2}));  // 1.5 -> 2
  p.relu = true;
  EXPECT_EQ(add(a, b, p).data, (std::vector<int8_t>{0, 127, 0, 2}));
}

TEST(Mul, ExactProductRoundsHalfUpAndClamps) {
  // 3*5*2^14 / 2^15 = 7.5 -> 8; -7.5 -> -7 (half up); the extreme product -128*-128*65535 at
  // shift 24 is 63.999 -> 64, at shift 31 0.49999 -> 0; at shift 1 it saturates
  Tensor8 a({5}, {3, -3, -128, 127, -128});
  Tensor8 b({5}, {5, 5, -128, 127, 1});
  EXPECT_EQ(mul(a, b, q(16384, 15)).data, (std::vector<int8_t>{8, -7, 127, 127, -64}));
  EXPECT_EQ(requantizeMul(-128, -128, q(65535, 24)), 64);
  EXPECT_EQ(requantizeMul(-128, -128, q(65535, 31)), 0);
  EXPECT_EQ(requantizeMul(-128, 127, q(65535, 1)), -128);
  EXPECT_EQ(mul(a, b, q(16384, 15, true)).data, (std::vector<int8_t>{8, 0, 127, 127, 0}));
}

TEST(Mul, PerChannelScaleBroadcastsOverPixels) {
  Tensor8 x = seq4(2, 3, 2, 2, -6);                 // [2, 3, 2, 2]
  Tensor8 s({2, 3, 1, 1}, {1, -2, 3, 4, 0, -1});    // one scale per (n, c)
  ASSERT_TRUE(broadcastsPerChannel(x.shape, s.shape));
  EXPECT_FALSE(broadcastsPerChannel(s.shape, x.shape));
  const Tensor8 y = mul(x, s, q(2, 1));             // (2 a b + 1) >> 1 = a b
  for (int64_t n = 0; n < 2; ++n)
    for (int64_t c = 0; c < 3; ++c)
      for (int64_t h = 0; h < 2; ++h)
        for (int64_t w = 0; w < 2; ++w)
          EXPECT_EQ(y.at4(n, c, h, w), x.at4(n, c, h, w) * s.data[size_t(n * 3 + c)]);
}

// Against float (docs/quantization.md#elementwise-multiply): for every pair of int8 codes and
// several real multipliers M = s_a s_b / s_out, mult/2^shift with the largest shift that keeps
// mult <= 65535 (as the import computes it), the output differs from clamp(a b M) by at most
// half an output step plus the multiplier's rounding, 128 * 2^-16 of a step for an output that
// does not saturate.
TEST(Mul, ErrorAgainstFloatIsWithinHalfAStep) {
  const double bound = 0.5 + 128.0 / 65536.0;
  for (double M : {1.0 / 127.0, 0.0123, 0.00781, 3.3e-4, 0.9}) {
    int shift = 1;
    while (shift < 31 && std::nearbyint(M * std::ldexp(1.0, shift + 1)) <= 65535.0) ++shift;
    const QuantParams p = q(static_cast<uint32_t>(std::nearbyint(M * std::ldexp(1.0, shift))), shift);
    ASSERT_GE(p.mult, 32768u);
    double worst = 0;
    for (int a = -128; a <= 127; ++a)
      for (int b = -128; b <= 127; ++b) {
        const double want = std::clamp(double(a) * double(b) * M, -128.0, 127.0);
        worst = std::max(worst, std::abs(double(requantizeMul(int8_t(a), int8_t(b), p)) - want));
      }
    EXPECT_LE(worst, bound) << "M " << M << " mult " << p.mult << " shift " << shift;
  }
}

TEST(Relu, ClampsNegatives) {
  Tensor8 in({3}, {-1, 0, 5});
  EXPECT_EQ(relu(in).data, (std::vector<int8_t>{0, 0, 5}));
}

TEST(Transpose, MovesBytesToThePermutedAxes) {
  Tensor8 m(Shape{2, 3}, {1, 2, 3, 4, 5, 6});
  EXPECT_EQ(transpose(m, {1, 0}).data, (std::vector<int8_t>{1, 4, 2, 5, 3, 6}));
  EXPECT_EQ(transpose(m, {1, 0}).shape, (Shape{3, 2}));
  // [1, 2, 3, 2] -> perm [0, 2, 1, 3] (attention's head split): out[0][h][l][d] = in[0][l][h][d]
  Tensor8 t(Shape{1, 2, 3, 2});
  for (size_t i = 0; i < t.data.size(); ++i) t.data[i] = int8_t(i);
  const Tensor8 o = transpose(t, {0, 2, 1, 3});
  ASSERT_EQ(o.shape, (Shape{1, 3, 2, 2}));
  for (int l = 0; l < 2; ++l)
    for (int h = 0; h < 3; ++h)
      for (int d = 0; d < 2; ++d) EXPECT_EQ(o.at4(0, h, l, d), t.at4(0, l, h, d));
  EXPECT_EQ(transpose(transpose(t, {0, 2, 3, 1}), {0, 3, 1, 2}), t);  // a permutation and its inverse
}
