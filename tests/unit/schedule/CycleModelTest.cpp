// The cycle model against hand-worked numbers (docs/engine.md#cycle-behaviour), and its
// structural properties: double buffering never costs more, stalls appear only when a weight load
// outlasts the compute it overlaps, phases add up. RTL equality is tested by rtl.engine.*.

#include "dnnchip/schedule/CycleModel.h"

#include <gtest/gtest.h>

#include "ModelText.h"

#include <cstdio>

using namespace dnnchip;
using namespace dnnchip::schedule;

namespace {
workload::Model parse(const std::string& layers, const std::string& input) {
  return test::modelFromText(layers, input);
}
}  // namespace

// fc [2 rows x 3] -> 2 features on a 2x2 weight-stationary array, 64-bit AXI, L_RD = 5, L_WR = 3.
// Memory map: x at 0 (6 B), f at 64, weights at 128 (2 blocks x 2 rows x 8 B), bias at 192 (8 B).
// k_chunk 2, 2 channel tiles (2 + 1), 1 output tile, M = 2 = m_tile; 4 bursts in flight each way.
// DMA commands by the event model (cycle 0 = DMA start; cost = max(t, last pop / B + 1) + 3):
//   overhead = fetch+decode+setup 3 + layer_done 1 + group 1 + M tile 2 + 2 red. tiles + 2 = 11
//   LOAD_A   ct=0: pixels at 0 and 3, 2 B, 1 beat each, the AR in the pixel's address cycle:
//            AR 1, beat/pop 6; AR 2, pop 7; t = 3 -> max(3, 8) + 3 = 11; ct=1 (at 2 and 5, 1 B):
//            again 11                                                                   -> 22
//   LOAD_W   16 B = 2 beats, one burst: AR 1, beats 6..7 -> 8 + 3 = 11, two blocks           -> 22
//   LOAD_B   8 B = 1 beat: AR 1, beat 6 -> 7 + 3 = 10                           load total 54
//   COMPUTE  WS: (k_chunk 2 + mt 2 + ROWS 2 + COLS 2 + 1) + 1 = 10, two passes        -> 20
//   VEC      mt + 4 = 6
//   STORE    pixels at 64 and 66, 2 B, 1 beat: WPIX 1, AW 2, W 3, B 6; WPIX 4, AW 5, W 6, B 9;
//            t = 7 -> max(7, 10) + 3 = 13
//   total    11 + 54 + 20 + 6 + 13 = 104
TEST(CycleModel, HandWorkedFc) {
  auto m = parse(R"({"name": "f", "op": "fc", "inputs": ["x"], "out_features": 2})",
                 R"({"name": "x", "shape": [2, 3]})");
  EngineConfig cfg;
  cfg.rows = 2; cfg.cols = 2; cfg.dramReadLatencyCycles = 5; cfg.dramWriteLatencyCycles = 3;
  LoweringOptions tileGathers;  // one gather per channel tile (the numbers below)
  tileGathers.ctGroup = 1;
  auto p = buildProgram(m, cfg, tileGathers);
  ASSERT_TRUE(p.ok()) << p.error().format();
  ASSERT_EQ(p->descriptors[0].weightBase, 128u);
  ASSERT_EQ(p->descriptors[0].biasBase, 192u);
  auto c = predictCycles(*p, cfg);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].overhead, 11u);
  EXPECT_EQ(c[0].load, 54u);
  EXPECT_EQ(c[0].compute, 20u);
  EXPECT_EQ(c[0].vector, 6u);
  EXPECT_EQ(c[0].store, 13u);
  EXPECT_EQ(c[0].stall, 0u);
  EXPECT_EQ(c[0].total(), 104u);
  // Traffic in whole 8-byte beats: 4 gathered pixel runs of 1 beat; 2 weight blocks of 16 B and
  // one 8-byte bias block; 2 stored pixels of 1 beat.
  EXPECT_EQ(c[0].dramBytes[0], 32u);
  EXPECT_EQ(c[0].dramBytes[1], 40u);
  EXPECT_EQ(c[0].dramBytes[2], 16u);

  // Output-stationary: per pass ceil(2/2) * (3*2 + 2 + 2) + 1 = 11, two passes.
  cfg.dataflow = Dataflow::OutputStationary;
  auto os = predictCycles(*p, cfg);
  EXPECT_EQ(os[0].compute, 22u);
  EXPECT_EQ(os[0].total(), 106u);
  // One burst in flight each way: the next read waits for the previous pop, the next write for
  // the previous B. LOAD_A ct=0: AR 1, pop 6; AR 7, pop 12; t = 8 -> 16 (x2);
  // LOAD_W, LOAD_B as above (one burst each); STORE: AW 2, B 6; WPIX 4, AW 7, W 8, B 11 -> 15.
  cfg.dataflow = Dataflow::WeightStationary;
  cfg.readOutstanding = cfg.writeOutstanding = 1;
  auto one = predictCycles(*p, cfg);
  EXPECT_EQ(one[0].load, 16u + 16u + 22u + 10u);
  EXPECT_EQ(one[0].store, 15u);
}

// The same fc with a sigmoid: its table takes the bias region's first 256 bytes (bias region at
// 192, the bias block now at 448). LOAD_T, once per layer: 256 B = 32 beats in two bursts of 16:
// AR 1, beats 6..21 (pop 21); AR 2, first beat max(7, 22) = 22, pop 37; t = 3 -> max(3, 38) + 3
// = 41. VEC one stage longer: mt + 5 = 7. Total 104 + 41 + 1 = 146.
TEST(CycleModel, HandWorkedFcWithTable) {
  auto m = parse(R"({"name": "f", "op": "fc", "inputs": ["x"], "out_features": 2, "activation": "sigmoid"})",
                 R"({"name": "x", "shape": [2, 3]})");
  EngineConfig cfg;
  cfg.rows = 2; cfg.cols = 2; cfg.dramReadLatencyCycles = 5; cfg.dramWriteLatencyCycles = 3;
  LoweringOptions tileGathers;  // one gather per channel tile, as in HandWorkedFc above
  tileGathers.ctGroup = 1;
  auto p = buildProgram(m, cfg, tileGathers);
  ASSERT_TRUE(p.ok()) << p.error().format();
  ASSERT_TRUE(p->descriptors[0].lutEnable);
  ASSERT_EQ(p->descriptors[0].biasBase, 192u);
  auto c = predictCycles(*p, cfg);
  EXPECT_EQ(c[0].load, 54u + 41u);
  EXPECT_EQ(c[0].vector, 7u);
  EXPECT_EQ(c[0].total(), 146u);
  EXPECT_EQ(c[0].dramBytes[1], 40u + 256u);
  auto e = estimateCycles(*p, cfg);  // the closed form agrees on this single-tile layer
  EXPECT_EQ(e[0].vector, 7u);
  EXPECT_EQ(e[0].load, c[0].load);
}

// Padded pixels and reads in flight (event model, docs/engine.md#cycle-behaviour); a run that
// crosses an 8-byte word costs one more beat.
TEST(CycleModel, PaddingAndAlignment) {
  auto m = parse(R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 2, "kernel": [1, 3],
                     "padding": [0, 1, 0, 1], "bias": false})",
                 R"({"name": "x", "shape": [1, 3, 1, 3]})");
  EngineConfig cfg;
  cfg.rows = 4; cfg.cols = 2; cfg.dramReadLatencyCycles = 10; cfg.dramWriteLatencyCycles = 2;
  auto p = buildProgram(m, cfg);
  ASSERT_TRUE(p.ok());
  auto c = predictCycles(*p, cfg);
  // 3 output pixels, 3 reduction tiles (s = 0, 1, 2), 3 channels per pixel run at 3*w:
  //  s=0: q=0 pad (push 1, pop 2), q=1 at 0 (AR 2, pop 12), q=2 at 3 (AR 3, pop 13), t = 4
  //                                                              -> max(4, 14) + 3 = 17
  //  s=1: at 0 (AR 1, pop 11), 3 (AR 2, pop 12), 6 (6..8 crosses a word: 2 beats; AR 3,
  //       beats 13..14), t = 4                                   -> 15 + 3 = 18
  //  s=2: at 3 (AR 1, pop 11), 6 (AR 2, beats 12..13), pad (push 3, pop 14 behind the read)
  //                                                              -> 15 + 3 = 18
  //  weights: k_chunk = 3, so 3 blocks of 3 rows x 8 B = 3 beats: AR 1, beats 11..13
  //                                                              -> (14 + 3) * 3 = 51
  EXPECT_EQ(p->descriptors[0].kChunk, 3u);
  EXPECT_EQ(c[0].load, 17u + 18u + 18u + 51u);
}

TEST(CycleModel, DoubleBufferingHidesWeightLoads) {
  auto m = parse(R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 16, "kernel": [3, 3],
                     "padding": [1, 1, 1, 1]})", R"({"name": "x", "shape": [1, 8, 6, 6]})");
  EngineConfig cfg;
  cfg.rows = 4; cfg.cols = 4;
  LoweringOptions tileGathers;  // one gather per channel tile (the numbers below)
  tileGathers.ctGroup = 1;
  auto p = buildProgram(m, cfg, tileGathers);
  ASSERT_TRUE(p.ok());
  auto single = predictCycles(*p, cfg)[0];
  cfg.doubleBuffer = true;
  auto dbl = predictCycles(*p, cfg)[0];
  EXPECT_LT(dbl.total(), single.total());
  // 18 reduction tiles of 4 passes of k = 4 rows and mt = 36 pixels on a 4x4 array (LAT 7).
  // Without double buffering each pass costs k + mt + ROWS + COLS + 2 = 50.
  EXPECT_EQ(single.compute, 18u * 4u * 50u);
  // With it the passes run back to back (mt = 36 >= k + LAT - 2 and the 24-cycle weight load
  // is shorter than a pass): k + 4 * mt + LAT + 3 per reduction tile, no stall; with tile overlap
  // the 17 tiles before the M tile's last leave their passes at E + 3, without the LAT + 1 drain.
  EXPECT_EQ(dbl.compute, 18u * (4u + 4u * 36u + 7u + 3u) - 17u * (7u + 1u));
  EXPECT_EQ(dbl.stall, 0u);
  // 3 of the 4 weight loads per reduction tile hide behind compute.
  const uint64_t lw = 3 + 16 + 4 + 1;  // default L_RD 16, 4 rows x 8 B, the drain cycle
  // 3 of the 4 weight loads per reduction tile hide behind compute, and the gathers of reduction
  // tiles 1..17 overlap the previous tile's passes from the cycle its last block arrived (3 * lw)
  // on: only the rest of each gather shows (docs/engine.md, overlapped gathers).
  const uint64_t gathers = single.load - 18u * 4u * lw;  // the 18 LOAD_A commands
  const uint64_t exposed = dbl.load - 18u * lw;
  EXPECT_LT(exposed, gathers);
  EXPECT_GT(exposed, gathers / 18u);  // tile 0's gather is not overlapped

  // With a long DRAM latency the weight blocks pace the passes: block n is issued when block
  // n-1's command is done, (n-1) * lw, and counted in the buffer one cycle before its own done
  // (its last row's write, docs/engine.md#weight-streams): pass n loads at n * lw - 1, and the
  // stall is the excess over the back-to-back span.
  cfg.dramReadLatencyCycles = 200;
  auto slow = predictCycles(*p, cfg)[0];
  const uint64_t lwSlow = 3 + 200 + 4 + 1;  // the drain cycle
  EXPECT_EQ(slow.compute, dbl.compute);
  // Its gathers outlast the passes: tile kt+1's is issued at 3 * lwSlow, when tile kt's last
  // block's command is done, and C_KN (span = 3 * lwSlow - 1 + 50) waits for the rest, gather - 1
  // - 49 cycles; with tile overlap C_KN comes LAT + 1 = 8 cycles sooner (span = 3 * lwSlow - 1 + 42)
  // and waits for 8 more.
  EngineConfig single200 = cfg;
  single200.doubleBuffer = false;
  const uint64_t gathersSlow = predictCycles(*p, single200)[0].load - 18u * 4u * lwSlow;
  EXPECT_EQ(slow.load, 18u * lwSlow + gathersSlow - 17u * 42u);
  EXPECT_EQ(slow.stall, 18u * ((3u * lwSlow - 1u + 4u + 36u - 1u + 7u + 4u) - (4u + 4u * 36u + 7u + 3u)));
}

// Back-to-back WS passes of one pixel each (fc, batch 1): the bank rule paces them. Pass n+2 may
// load its rows into the bank of pass n only LAT - 1 cycles after pass n's pixel, so two passes
// take mt + k + LAT - 2 cycles.
TEST(CycleModel, BackToBackPassesWaitForTheirBank) {
  auto m = parse(R"({"name": "f", "op": "fc", "inputs": ["x"], "out_features": 32, "bias": false})",
                 R"({"name": "x", "shape": [1, 4]})");
  EngineConfig cfg;
  cfg.rows = 4; cfg.cols = 4; cfg.doubleBuffer = true;
  cfg.dramReadLatencyCycles = 1;  // weight blocks of 3 + 1 + 4 + 1 (drain) = 9 cycles
  auto p = buildProgram(m, cfg);
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->descriptors[0].numNTiles, 8u);
  auto c = predictCycles(*p, cfg)[0];
  // k = 4, mt = 1, LAT = 7: L = 0, 4, 10, 14, 20, 24, 30, 34; E_7 = 34 + 4; span = E_7 + LAT + 4
  EXPECT_EQ(c.compute, 38u + 7u + 4u);
  // blocks of 9 cycles pace it instead: block n is issued when block n-1's command is done,
  // 9(n-1), and counted in the buffer at 9n - 1 (its last row's write): L_n = 9n - 1, E_7 = 62 + 4
  EXPECT_EQ(c.stall, (62u + 4u + 7u + 4u) - (38u + 7u + 4u));
}

// Wide gather (docs/engine.md#wide-gather): fc [1 x 8] -> 2 on a 4x2 array, 64-bit AXI, L_RD = 5.
// k_chunk 4, two channel tiles. ctGroup 1: two gathers of one 4-byte run (at 0 and 4): AR 1,
// pop 6, t = 2 -> 7 + 3 = 10 each. ctGroup 2: one gather of the 8-byte run, one beat holding
// chunk 0's end and chunk 1's start (byte 4 is not the first of its beat): held one cycle, pop 7
// -> 8 + 3 = 11, and tile 1's C_LA finds its word in the buffer (1 cycle): 12 instead of 20.
// A padded pixel writes one word per chunk, one per cycle: 3 x 3 conv, pad 1, on a 1 x 1 input.
TEST(CycleModel, WideGatherHandWorked) {
  auto m = parse(R"({"name": "f", "op": "fc", "inputs": ["x"], "out_features": 2, "bias": false})",
                 R"({"name": "x", "shape": [1, 8]})");
  EngineConfig cfg;
  cfg.rows = 4; cfg.cols = 2; cfg.dramReadLatencyCycles = 5; cfg.dramWriteLatencyCycles = 3;
  LoweringOptions one, two;
  one.ctGroup = 1;
  two.ctGroup = 2;
  auto p1 = buildProgram(m, cfg, one), p2 = buildProgram(m, cfg, two);
  ASSERT_TRUE(p1.ok() && p2.ok());
  ASSERT_EQ(p1->descriptors[0].ctGroup, 1u);
  ASSERT_EQ(p2->descriptors[0].ctGroup, 2u);
  auto c1 = predictCycles(*p1, cfg)[0], c2 = predictCycles(*p2, cfg)[0];
  EXPECT_EQ(c1.load - c2.load, 20u - 12u);
  EXPECT_EQ(c1.compute, c2.compute);
  EXPECT_EQ(c1.dramBytes[0], 16u);  // two 1-beat runs against one
  EXPECT_EQ(c2.dramBytes[0], 8u);

    // 9 taps of one pixel: 8 padded (push 1, its two words popped in 2..3: 4 + 3 = 7 cycles, + 1
  // for tile 1's C_LA) and the centre tap (12 as above); with ctGroup 1 each tap costs 2 gathers:
  // padded (pop 2) 3 + 3 = 6, the centre 10. Difference: 8 * (12 - 8) + (20 - 12) = 40.
  auto mc = parse(R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 2, "kernel": [3, 3],
                      "padding": [1, 1, 1, 1], "bias": false})",
                  R"({"name": "x", "shape": [1, 8, 1, 1]})");
  one.foldWidth = two.foldWidth = false;
  one.foldWindow = two.foldWindow = false;
  auto q1 = buildProgram(mc, cfg, one), q2 = buildProgram(mc, cfg, two);
  ASSERT_TRUE(q1.ok() && q2.ok());
  EXPECT_EQ(predictCycles(*q1, cfg)[0].load - predictCycles(*q2, cfg)[0].load, 40u);
}
