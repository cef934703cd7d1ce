// Cost functions on the shipped library, against values computed by hand from the JSON numbers
// (docs/ip_library.md gives the equations).

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "ShippedLibrary.h"
#include "TestSupport.h"
#include "dnnchip/ip/IpLibrary.h"

using namespace dnnchip;
using ip::CostTarget;
using ip::DeviceFamily;

namespace {

const ip::IpEntry& entry(const char* id) {
  const ip::IpEntry* e = test::shippedLibrary().find(id);
  if (!e) throw std::runtime_error(std::string("missing IP ") + id);
  return *e;
}

ip::MemoryCost mem(const char* id, int64_t bytes, int width, CostTarget t) {
  auto r = test::shippedLibrary().memoryCost(entry(id), bytes, width, t);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().format());
  return r.ok() ? *r : ip::MemoryCost{};
}

ip::MacCost mac(const char* id, int bits, CostTarget t) {
  auto r = test::shippedLibrary().macCost(entry(id), bits, t);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().format());
  return r.ok() ? *r : ip::MacCost{};
}

constexpr CostTarget kAsic45{45, DeviceFamily::Asic};
constexpr CostTarget kAsic65{65, DeviceFamily::Asic};
constexpr CostTarget kAsic28{28, DeviceFamily::Asic};
constexpr CostTarget kZu3eg{16, DeviceFamily::XcUp};
constexpr CostTarget kZ7{28, DeviceFamily::Xc7};
constexpr CostTarget kUp5k{40, DeviceFamily::Ice40};

}  // namespace

TEST(SramCost, ReproducesHorowitzAnchorsAndFollowsSqrtLaw) {
  EXPECT_NEAR(mem("sram", 8192, 64, kAsic45).readEnergyPj, 10.0, 1e-9);
  EXPECT_NEAR(mem("sram", 32768, 64, kAsic45).readEnergyPj, 20.0, 1e-9);
  EXPECT_NEAR(mem("sram", 1048576, 64, kAsic45).readEnergyPj, 100.0, 1e-9);
  // 16 KiB lies halfway (in log) between 8 KiB (10 pJ) and 32 KiB (20 pJ): 10 * sqrt(2).
  EXPECT_NEAR(mem("sram", 16384, 64, kAsic45).readEnergyPj, 14.1421356, 1e-6);
  // 128 KiB: t = log(4)/log(32) = 0.4 between 20 and 100 pJ: 20 * 5^0.4 = 38.07 pJ.
  EXPECT_NEAR(mem("sram", 131072, 64, kAsic45).readEnergyPj, 38.0730, 1e-3);
  // 2 MiB: beyond the last anchor, sqrt law: 100 * sqrt(2).
  EXPECT_NEAR(mem("sram", 2097152, 64, kAsic45).readEnergyPj, 141.421356, 1e-5);
  // Half the width, half the energy per access (width exponent 1).
  EXPECT_NEAR(mem("sram", 8192, 32, kAsic45).readEnergyPj, 5.0, 1e-9);
}

TEST(SramCost, EnergyAndAreaGrowWithCapacity) {
  double prevE = 0, prevA = 0;
  for (int64_t kib : {1, 4, 16, 64, 108, 256, 1024, 4096}) {
    auto c = mem("sram", kib * 1024, 64, kAsic45);
    EXPECT_GT(c.readEnergyPj, prevE) << kib;
    EXPECT_GT(c.areaUm2, prevA) << kib;
    EXPECT_GT(c.leakageMw, 0.0);
    prevE = c.readEnergyPj;
    prevA = c.areaUm2;
  }
  // Area: 8 KiB = 65536 bits * 0.60 um2 + 5000 um2 periphery.
  EXPECT_NEAR(mem("sram", 8192, 64, kAsic45).areaUm2, 65536 * 0.60 + 5000, 1e-6);
}

TEST(SramCost, TechnologyScaling65To28ReducesEnergyAndArea) {
  auto at65 = mem("sram_cacti65", 131072, 64, kAsic65);
  auto at28 = mem("sram_cacti65", 131072, 64, kAsic28);
  EXPECT_NEAR(at65.readEnergyPj, 18.18, 1e-9);  // the Accelergy anchor at its own node
  EXPECT_NEAR(at65.writeEnergyPj, 14.14, 1e-9);
  EXPECT_NEAR(at28.readEnergyPj, 18.18 * 0.55 / 1.6, 1e-9);
  EXPECT_LT(at28.readEnergyPj, at65.readEnergyPj);
  EXPECT_LT(at28.areaUm2, at65.areaUm2);
  EXPECT_LT(mac("mac_int8", 8, kAsic28).energyPjPerOp, mac("mac_int8", 8, kAsic65).energyPjPerOp);
}

TEST(RegFileCost, AccelergySpadsAndInterpolation) {
  auto ifmap = mem("regfile", 24, 16, kAsic65);
  EXPECT_NEAR(ifmap.readEnergyPj, 0.202, 1e-12);
  EXPECT_NEAR(ifmap.writeEnergyPj, 0.177, 1e-12);
  EXPECT_NEAR(mem("regfile", 448, 16, kAsic65).readEnergyPj, 1.977, 1e-12);
  // 36 B between 24 B (0.202) and 48 B (0.251): 0.202 * (0.251/0.202)^(log 1.5 / log 2).
  EXPECT_NEAR(mem("regfile", 36, 16, kAsic65).readEnergyPj, 0.202 * std::pow(0.251 / 0.202, std::log(1.5) / std::log(2.0)), 1e-12);
  EXPECT_FALSE(mem("regfile", 24, 16, kZ7).supported);  // no ASIC register file on an FPGA: use lutram
}

TEST(MacCost, AsicEnergyAreaAndWidthScaling) {
  auto m8 = mac("mac_int8", 8, kAsic45);
  EXPECT_NEAR(m8.energyPjPerOp, 0.30, 1e-12);  // Horowitz 8-bit mult 0.2 + 32-bit add 0.1
  EXPECT_NEAR(m8.areaUm2, 419, 1e-9);
  EXPECT_EQ(m8.fpga.dsp, 0.0);
  EXPECT_NEAR(mac("mac_int8", 6, kAsic45).energyPjPerOp, 0.30 * std::pow(6.0 / 8.0, 1.55), 1e-12);
  EXPECT_LT(mac("mac_int4", 4, kAsic45).energyPjPerOp, m8.energyPjPerOp);
  EXPECT_GT(mac("mac_int16", 16, kAsic45).energyPjPerOp, m8.energyPjPerOp);
  EXPECT_NEAR(mac("mac_fp16", 16, kAsic45).energyPjPerOp, 1.5, 1e-12);
  auto outside = test::shippedLibrary().macCost(entry("mac_int8"), 12, kAsic45);
  ASSERT_FALSE(outside.ok());
  EXPECT_EQ(outside.error().code, "ip.param-range");
}

// The floating-point MACs and adders of a training step (docs/training.md#precision): Horowitz's
// 45 nm operation energies and areas, scaled by technology.json's factors like every other IP.
TEST(MacCost, FloatingPointMacsFromHorowitzTable) {
  auto f32 = mac("mac_fp32", 32, kAsic45);
  EXPECT_NEAR(f32.energyPjPerOp, 3.7 + 0.9, 1e-12);  // 32-bit FP mult + 32-bit FP add
  EXPECT_NEAR(f32.areaUm2, 7700 + 4184, 1e-9);
  EXPECT_NEAR(mac("mac_fp32", 32, kAsic65).energyPjPerOp, 4.6 * 1.6, 1e-12);  // 65 nm energy factor
  EXPECT_NEAR(mac("mac_fp32", 32, kAsic28).areaUm2, 11884 * 0.37, 1e-9);     // 28 nm area factor
  EXPECT_NEAR(mac("mac_fp16", 16, kAsic45).areaUm2, 1640 + 1360, 1e-9);
  EXPECT_NEAR(mac("mac_bf16", 16, kAsic45).energyPjPerOp, 1.48, 1e-12);
  // fp32 costs more than the 16-bit formats, which cost more than int8
  EXPECT_GT(f32.energyPjPerOp, mac("mac_bf16", 16, kAsic45).energyPjPerOp);
  EXPECT_GT(mac("mac_fp16", 16, kAsic45).energyPjPerOp, mac("mac_int8", 8, kAsic45).energyPjPerOp);
  // binary32 only; no FPGA mapping (several DSP slices per MAC), so not supported there
  EXPECT_EQ(test::shippedLibrary().macCost(entry("mac_fp32"), 16, kAsic45).error().code, "ip.param-range");
  EXPECT_FALSE(mac("mac_fp32", 32, kZu3eg).supported);
}

TEST(VectorCost, FloatingPointAddersFromHorowitzTable) {
  auto& lib = test::shippedLibrary();
  auto a32 = lib.vectorCost(entry("adder_fp32"), 14, 32, kAsic45);
  ASSERT_TRUE(a32.ok());
  EXPECT_NEAR(a32->energyPjPerLaneOp, 0.9, 1e-12);
  EXPECT_NEAR(a32->areaUm2, 4184.0 * 14, 1e-9);
  auto a32at65 = lib.vectorCost(entry("adder_fp32"), 14, 32, kAsic65);
  ASSERT_TRUE(a32at65.ok());
  EXPECT_NEAR(a32at65->energyPjPerLaneOp, 0.9 * 1.6, 1e-12);
  EXPECT_NEAR(a32at65->areaUm2, 4184.0 * 14 * 1.5, 1e-9);
  auto a16 = lib.vectorCost(entry("adder_fp16"), 1, 16, kAsic45);
  auto b16 = lib.vectorCost(entry("adder_bf16"), 1, 16, kAsic45);
  ASSERT_TRUE(a16.ok() && b16.ok());
  EXPECT_NEAR(a16->energyPjPerLaneOp, 0.4, 1e-12);
  EXPECT_NEAR(a16->areaUm2, 1360.0, 1e-9);
  EXPECT_NEAR(b16->energyPjPerLaneOp, 0.4, 1e-12);
  EXPECT_EQ(lib.vectorCost(entry("adder_fp16"), 1, 32, kAsic45).error().code, "ip.param-range");
}

TEST(MacCost, PackedInt8OnDsp48e2IsHalfADspPerMac) {
  auto up = mac("mac_int8", 8, kZu3eg);
  EXPECT_TRUE(up.supported);
  EXPECT_DOUBLE_EQ(up.fpga.dsp, 0.5);
  EXPECT_EQ(up.areaUm2, 0.0);
  // Energy on FPGA: ASIC energy at 16 nm (0.3 x factor 0.3) times the FPGA/ASIC factor 10.
  EXPECT_NEAR(up.energyPjPerOp, 0.30 * 0.3 * 10, 1e-12);
  EXPECT_DOUBLE_EQ(mac("mac_int8", 8, kZ7).fpga.dsp, 1.0);     // DSP48E1: one int8 MAC
  EXPECT_DOUBLE_EQ(mac("mac_int16", 16, kZu3eg).fpga.dsp, 1.0);
  EXPECT_DOUBLE_EQ(mac("mac_int16", 16, kUp5k).fpga.dsp, 1.0); // one 16x16 per SB_MAC16
  EXPECT_DOUBLE_EQ(mac("mac_int8", 8, kUp5k).fpga.dsp, 1.0);
}

TEST(MacCost, LutMultipliersAndUnsupportedMappings) {
  CostTarget lut = kZu3eg;
  lut.macImpl = ip::MacImpl::Lut;
  auto m = mac("mac_int8", 8, lut);
  EXPECT_TRUE(m.supported);
  EXPECT_EQ(m.fpga.dsp, 0.0);
  EXPECT_DOUBLE_EQ(m.fpga.lut, 90.0);
  EXPECT_GT(m.fpga.ff, 0.0);
  CostTarget iceLut = kUp5k;
  iceLut.macImpl = ip::MacImpl::Lut;
  EXPECT_FALSE(mac("mac_int16", 16, iceLut).supported);  // no LUT mapping for 16-bit on iCE40
  EXPECT_FALSE(mac("mac_fp16", 16, kUp5k).supported);    // no floating point on iCE40
  CostTarget dspOnly = kZ7;
  dspOnly.macImpl = ip::MacImpl::Dsp;
  EXPECT_DOUBLE_EQ(mac("mac_int4", 4, dspOnly).fpga.dsp, 1.0);
}

TEST(BlockRamCost, Count108KiBAt64BitsByHand) {
  // 108 KB = 110592 B = 884736 bits; at 64 bits wide the depth is 13824 words.
  // RAMB36 512x72: ceil(64/72)=1 x ceil(13824/512)=27 -> 27 (1Kx36 would need 2 x 14 = 28).
  auto b36 = mem("bram36", 110592, 64, kZu3eg);
  EXPECT_TRUE(b36.supported);
  EXPECT_DOUBLE_EQ(b36.fpga.bram36, 27.0);
  EXPECT_DOUBLE_EQ(b36.fpga.bram18, 0.0);
  EXPECT_DOUBLE_EQ(b36.readEnergyPj, 20.0);  // one RAMB36 touched per 64-bit access
  // RAMB18 512x36: ceil(64/36)=2 x 27 = 54 (1Kx18 would need 4 x 14 = 56).
  EXPECT_DOUBLE_EQ(mem("bram18", 110592, 64, kZ7).fpga.bram18, 54.0);
  // URAM288 4Kx72: ceil(13824/4096) = 4.
  EXPECT_DOUBLE_EQ(mem("uram", 110592, 64, kZu3eg).fpga.uram, 4.0);
  EXPECT_FALSE(mem("uram", 110592, 64, kZ7).supported);     // 7-series has no UltraRAM
  EXPECT_FALSE(mem("bram36", 110592, 64, kAsic65).supported);
  // A deep, narrow buffer picks the narrow aspect ratio: 4 KiB x 1 bit = 32768 x 1 -> one RAMB36.
  EXPECT_DOUBLE_EQ(mem("bram36", 4096, 1, kZ7).fpga.bram36, 1.0);
  // A wide one stacks side by side: 256-bit x 512 words = 16 KiB -> ceil(256/72) = 4 RAMB36.
  EXPECT_DOUBLE_EQ(mem("bram36", 16384, 256, kZ7).fpga.bram36, 4.0);
}

TEST(BlockRamCost, Ice40EbrSpramAndLutram) {
  EXPECT_DOUBLE_EQ(mem("ice40_ebr", 512, 16, kUp5k).fpga.bram18, 1.0);   // 256 x 16
  EXPECT_DOUBLE_EQ(mem("ice40_ebr", 4096, 16, kUp5k).fpga.bram18, 8.0);  // 2048 words / 256
  EXPECT_DOUBLE_EQ(mem("ice40_spram", 65536, 16, kUp5k).fpga.uram, 2.0); // 32768 words / 16384
  EXPECT_FALSE(mem("ice40_spram", 65536, 16, kZu3eg).supported);
  auto small = mem("lutram", 128, 16, kZ7);  // 64 x 16: 16 bits x 2 LUTs (RAM64X1D)
  EXPECT_DOUBLE_EQ(small.fpga.lutramLuts, 32.0);
  EXPECT_DOUBLE_EQ(small.fpga.lut, 0.0);
  auto deep = mem("lutram", 1024, 16, kZ7);  // 512 x 16: 16 x 2 x 8 LUTs, plus one mux LUT per bit
  EXPECT_DOUBLE_EQ(deep.fpga.lutramLuts, 256.0);
  EXPECT_DOUBLE_EQ(deep.fpga.lut, 16.0);
  EXPECT_EQ(deep.readLatencyCycles, 0);
}

TEST(OtherCosts, DramBandwidthPerChannel) {
  auto bw = [](const char* id) {
    auto r = test::shippedLibrary().dramCost(entry(id));
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : ip::DramCost{};
  };
  EXPECT_DOUBLE_EQ(bw("lpddr4").bandwidthBytesPerSec, 6.4e9);   // 16 bit x 3200 MT/s
  EXPECT_DOUBLE_EQ(bw("lpddr4").energyPjPerBit, 8.0);           // 512 pJ / 64 bits
  EXPECT_DOUBLE_EQ(bw("ddr3").bandwidthBytesPerSec, 12.8e9);    // 64 bit x 1600 MT/s
  EXPECT_DOUBLE_EQ(bw("ddr4").bandwidthBytesPerSec, 19.2e9);    // 64 bit x 2400 MT/s
  EXPECT_DOUBLE_EQ(bw("hbm2").bandwidthBytesPerSec, 32e9);      // 128 bit x 2000 MT/s
  EXPECT_LT(bw("hbm2").energyPjPerBit, bw("lpddr4").energyPjPerBit);
  EXPECT_LT(bw("lpddr4").energyPjPerBit, bw("ddr3").energyPjPerBit);
  EXPECT_EQ(test::shippedLibrary().dramCost(entry("sram")).error().code, "ip.wrong-kind");
}

TEST(OtherCosts, LinkDmaVectorController) {
  auto link = test::shippedLibrary().linkCost(entry("noc"), 64, kAsic45);
  ASSERT_TRUE(link.ok());
  EXPECT_NEAR(link->energyPjPerBitHop, 0.11, 1e-12);
  EXPECT_NEAR(link->areaUm2, 40.0 * 64, 1e-9);
  EXPECT_EQ(link->fpga.lut, 0.0);
  auto linkFpga = test::shippedLibrary().linkCost(entry("noc"), 64, kZ7);
  ASSERT_TRUE(linkFpga.ok());
  EXPECT_DOUBLE_EQ(linkFpga->fpga.ff, 64.0);
  EXPECT_EQ(test::shippedLibrary().linkCost(entry("noc"), 4096, kAsic45).error().code, "ip.param-range");

  auto dma = test::shippedLibrary().dmaCost(entry("dma_axi"), 64, kZu3eg);
  ASSERT_TRUE(dma.ok());
  EXPECT_EQ(dma->maxBurstBytes, 2048);  // 256 beats x 8 bytes
  EXPECT_DOUBLE_EQ(dma->fpga.lut, 400.0 + 64.0);
  EXPECT_GT(dma->setupCycles, 0.0);

  auto vec = test::shippedLibrary().vectorCost(entry("vector_unit"), 16, 8, kAsic45);
  ASSERT_TRUE(vec.ok());
  EXPECT_NEAR(vec->energyPjPerLaneOp, 0.15 * 0.5, 1e-12);
  EXPECT_NEAR(vec->areaUm2, 600.0 * 16 * 0.5, 1e-9);
  EXPECT_EQ(test::shippedLibrary().vectorCost(entry("vector_unit"), 0, 8, kAsic45).error().code, "ip.param-range");

  auto ctl = test::shippedLibrary().controllerCost(entry("controller"), kAsic65);
  ASSERT_TRUE(ctl.ok());
  EXPECT_DOUBLE_EQ(ctl->perTileOverheadCycles, 4.0);
  EXPECT_NEAR(ctl->energyPjPerCycle, 1.0 * 1.6, 1e-12);
}

TEST(OtherCosts, UnknownTechnologyNode) {
  auto r = test::shippedLibrary().macCost(entry("mac_int8"), 8, {7, DeviceFamily::Asic});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "ip.no-technology");
  EXPECT_NE(r.error().hint.find("65"), std::string::npos);
}
