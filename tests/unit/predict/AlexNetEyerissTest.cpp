// AlexNet on the built-in eyeriss_like design with the predictor's default mappings (batch 4,
// 200 MHz): MACs per layer exact, and conv1..conv5 latency and energy in a band of +-5 % around
// their measured error against the published chip.
//
// Source: Chen, Krishna, Emer, Sze, "Eyeriss: An Energy-Efficient Reconfigurable Accelerator for
// Deep Convolutional Neural Networks", IEEE JSSC 52(1), 2017: AlexNet CONV1-5, batch 4, 200 MHz:
// 115.3 ms per batch (34.7 frames/s) at 278 mW chip power, i.e. 32.1 mJ on chip (DRAM excluded).
//
// This is not the validation claim. docs/validation.md's claim (conv1..conv5 within 10 % in
// latency and power) is for the chip as measured (designs/validation/eyeriss_jssc17_alexnet: its
// 2.4 B/cycle link, PE-set folding, data gating, the per-PE clock energy) with searched mappings;
// ValidationSuite.EveryRowInsideItsStoredTolerance asserts it. Here the greedy default mapper on
// the generic design is measured at 343.4 ms (2.98x the chip, +198 %: weights bypass the GLB and
// the default mappings leave the layers bound by the 64-bit weight NoC) and 44.05 mJ (1.37x, +37 %:
// it adds DRAM, which the chip's power excludes, and has neither data gating nor the clock term).
// The band pins that error (docs/predictor.md#validation-measured): a change to the default mapper or the
// cost model that moves it by more than 5 % fails here and must be explained there.

#include <gtest/gtest.h>

#include <map>

#include "dnnchip/predict/PredictRun.h"
#include "dnnchip/workload/Model.h"

namespace dnnchip::predict {
namespace {

constexpr double kPublishedMs = 115.3;  // JSSC'17, CONV1-5, batch 4
constexpr double kPublishedMj = 32.1;   // 278 mW x 115.3 ms, chip only
// The default mapper's measured error against the chip (this commit's prediction), as ratios.
constexpr double kLatencyRatio = 343.4 / kPublishedMs;  // 2.98x
constexpr double kEnergyRatio = 44.05 / kPublishedMj;   // 1.37x
constexpr double kBand = 0.05;                          // +-5 % around those ratios

TEST(AlexNetEyeriss, MacsExactAndDefaultMapperErrorInItsStatedBand) {
  auto model = workload::loadModelByName("alexnet");
  ASSERT_TRUE(model.ok());
  PredictRequest req;
  req.design = "eyeriss_like";
  req.batch = 4;
  auto p = predictModel(*model, req);
  ASSERT_TRUE(p.ok()) << p.error().format();
  // Published per-layer MACs of one image (Krizhevsky et al.'s two-group layout), times batch 4.
  const std::map<std::string, int64_t> macs = {{"conv1", 105415200}, {"conv2", 223948800},
                                               {"conv3", 149520384}, {"conv4", 112140288},
                                               {"conv5", 74760192}};
  double cycles = 0, energy = 0;
  int seen = 0;
  for (const LayerPrediction& l : p->layers) {
    auto it = macs.find(l.name);
    if (it == macs.end()) continue;
    ++seen;
    EXPECT_EQ(l.macs, 4 * it->second) << l.name;
    EXPECT_FALSE(l.mappingFromFile) << l.name;
    cycles += l.cycles;
    energy += l.energyPj;
  }
  ASSERT_EQ(seen, 5);
  const double ms = cycles / 200e6 * 1e3;
  const double mj = energy * 1e-9;
  // never below the compute bound (all 168 PEs busy: 79.3 ms)
  EXPECT_GE(ms, 4.0 * 665784864.0 / 168.0 / 200e6 * 1e3);
  EXPECT_NEAR(ms / kPublishedMs, kLatencyRatio, kBand * kLatencyRatio) << ms << " ms";
  EXPECT_NEAR(mj / kPublishedMj, kEnergyRatio, kBand * kEnergyRatio) << mj << " mJ";
  RecordProperty("conv_latency_ms", std::to_string(ms));
  RecordProperty("conv_energy_mj", std::to_string(mj));
}

}  // namespace
}  // namespace dnnchip::predict
