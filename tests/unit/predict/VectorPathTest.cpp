// A vector-unit layer's off-chip traffic crosses what lies between the DRAM and the vector unit:
// on the Xilinx DPU validation design (PG338: all feature-map traffic through the core's two
// 128-bit AXI data ports, the `axi_data` DMA node at 32 B per cycle) with a DRAM wider than those
// ports (the board's DDR4 at its theoretical 68.3 B per cycle) a residual add is bound by the
// ports, not by the DRAM. With the ports made wider than the DRAM the same layer follows the DRAM.

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

std::string writeVariant(const io::Json& j, const std::string& name) {
  const std::filesystem::path f = std::filesystem::path(::testing::TempDir()) / name;
  std::ofstream(f) << j.dump(2);
  return f.string();
}

void setBandwidth(io::Json& j, const std::string& node, double bytesPerCycle) {
  for (auto& n : j.at("nodes"))
    if (n.at("name") == node) n["bandwidth_bytes_per_cycle"] = bytesPerCycle;
}

TEST(PredictorVectorPath, ResidualAddBoundByTheDmaBetweenDramAndVectorUnit) {
  std::ifstream in(kDesign);
  io::Json j = io::Json::parse(in);
  const double dma = nodeBandwidth(j, "axi_data");
  ASSERT_EQ(dma, 32);
  const double dram = 68.3;  // the ZCU102's DDR4-2400 at its theoretical peak, wider than the ports
  setBandwidth(j, "dram", dram);
  // layer1_0_add: two 56x56x64 int8 inputs and one output
  const double bytes = 3.0 * 56 * 56 * 64;

  const std::string narrowPorts = writeVariant(j, "dpu_theoretical_ddr.json");
  const Prediction p = run(narrowPorts);
  const LayerPrediction* add = layerNamed(p, "layer1_0_add");
  ASSERT_NE(add, nullptr);
  EXPECT_EQ(add->bound, "axi_data");
  EXPECT_EQ(add->cycles, std::ceil(bytes / dma));

  // The same design with the data ports wider than the DRAM: the DRAM bounds the add again.
  setBandwidth(j, "axi_data", 4 * dram);
  for (auto& e : j.at("edges")) e["width_bits"] = std::max(e.value("width_bits", 0), int(32 * dram));
  const std::string widePorts = writeVariant(j, "dpu_wide_ports.json");
  const Prediction q = run(widePorts);
  const LayerPrediction* add2 = layerNamed(q, "layer1_0_add");
  ASSERT_NE(add2, nullptr);
  EXPECT_EQ(add2->bound, "dram");
  EXPECT_EQ(add2->cycles, std::ceil(bytes / dram));
  std::filesystem::remove(narrowPorts);
  std::filesystem::remove(widePorts);
}

}  // namespace
}  // namespace dnnchip::predict
