// A vector-unit layer's off-chip traffic crosses what lies between the DRAM and the vector unit:
// on the Xilinx DPU validation design (PG338: all feature-map traffic through the core's two
// 128-bit AXI data ports, the `axi_data` DMA node at 32 B per cycle) a residual add is bound by
// those ports, not by the board's DDR4 (68.3 B per cycle). With the ports made wider than the
// DRAM the same layer follows the DRAM again.

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "dnnchip/io/Json.h"
#include "dnnchip/predict/PredictRun.h"
#include "dnnchip/workload/Model.h"

namespace dnnchip::predict {
namespace {

const std::string kDesign = std::string(DNNCHIP_SOURCE_DIR) + "/designs/validation/dpu_zcu102_resnet50/design.json";

const LayerPrediction* layerNamed(const Prediction& p, const std::string& name) {
  for (const LayerPrediction& l : p.layers)
    if (l.name == name) return &l;
  return nullptr;
}

Prediction run(const std::string& design) {
  auto model = workload::loadModelByName("resnet18");
  EXPECT_TRUE(model.ok());
  PredictRequest req;
  req.design = design;
  auto p = predictModel(*model, req);
  EXPECT_TRUE(p.ok()) << p.error().format();
  return *p;
}

double nodeBandwidth(const io::Json& design, const std::string& name) {
  for (const auto& n : design.at("nodes"))
    if (n.at("name") == name) return n.at("bandwidth_bytes_per_cycle").get<double>();
  ADD_FAILURE() << "no node " << name;
  return 0;
}

TEST(PredictorVectorPath, ResidualAddBoundByTheDmaBetweenDramAndVectorUnit) {
  std::ifstream in(kDesign);
  io::Json j = io::Json::parse(in);
  const double dma = nodeBandwidth(j, "axi_data");
  const double dram = nodeBandwidth(j, "dram");
  ASSERT_LT(dma, dram);
  // layer1_0_add: two 56x56x64 int8 inputs and one output
  const double bytes = 3.0 * 56 * 56 * 64;

  const Prediction p = run(kDesign);
  const LayerPrediction* add = layerNamed(p, "layer1_0_add");
  ASSERT_NE(add, nullptr);
  EXPECT_EQ(add->bound, "axi_data");
  EXPECT_EQ(add->cycles, std::ceil(bytes / dma));

  // The same design with the data ports wider than the DRAM: the DRAM bounds the add again.
  for (auto& n : j.at("nodes"))
    if (n.at("name") == "axi_data") n["bandwidth_bytes_per_cycle"] = 4 * dram;
  for (auto& e : j.at("edges")) e["width_bits"] = std::max(e.value("width_bits", 0), int(32 * dram));
  const std::filesystem::path wide = std::filesystem::path(::testing::TempDir()) / "dpu_wide_ports.json";
  {
    std::ofstream out(wide);
    out << j.dump(2);
  }
  const Prediction q = run(wide.string());
  const LayerPrediction* add2 = layerNamed(q, "layer1_0_add");
  ASSERT_NE(add2, nullptr);
  EXPECT_EQ(add2->bound, "dram");
  EXPECT_EQ(add2->cycles, std::ceil(bytes / dram));
  std::filesystem::remove(wide);
}

}  // namespace
}  // namespace dnnchip::predict
