// Renders a report with representative content to the path given, for the headless-Chromium
// check of the report page (check_html.py). The flow's own e2e test checks a real build's report.
#include <cstdio>

#include "dnnchip/io/Files.h"
#include "dnnchip/report/Report.h"

using namespace dnnchip::report;

int main(int argc, char** argv) {
  if (argc < 2) return 1;
  Report r;
  r.title = "dnnchip build: resnet18 on ultra96";
  r.model = "resnet18";
  r.constraints = "ultra96";
  r.platform = "ultra96";
  r.design = "systolic_ws_16x16";
  r.stages = {"import: JSON model, nothing to import", "explore: 4,096 points, 37 on the Pareto front",
              "generate: rtl/ and program", "simulate: 2 layers bit-exact", "synth: yosys synth_xilinx"};
  r.bounds = {{"max_latency_s", "s", 0.05, 0.031, true}, {"max_dsp_share", "", 0.9, 0.71, true},
              {"min_throughput_inf_per_s", "inf/s", 20, 32.2, false}};
  for (int i = 0; i < 12; ++i)
    r.pareto.push_back({"d" + std::to_string(i), 0.01 * (1 + i), 0.02 / (1 + 0.5 * i), i / 12.0, 100.0 / (1 + i), i == 3});
  for (int i = 0; i < 8; ++i)
    r.layers.push_back({.name = "layer" + std::to_string(i), .cycles = 1000.0 * (i + 1), .energyPj = 2e6 * (8 - i),
                        .utilization = 0.5, .bound = i % 3 ? "engine_array" : "engine_dma_read", .op = "conv2d",
                        .macs = 8000.0 * (i + 1), .conv3x3 = i % 2 == 0,
                        .phaseCycles = {{"engine_dma_read", 300.0 * (i + 1)}, {"engine_array", 500.0 * (i + 1)},
                                        {"engine_dma_write", 150.0 * (i + 1)}, {"engine_control", 50.0 * (i + 1)}},
                        .energyByBlockPj = {{"array", 0.5e6 * (8 - i)}, {"acc_buf", 1e6 * (8 - i)},
                                            {"dram", 0.5e6 * (8 - i)}}});
  r.resources = {{"DSP", 256, 256.0, 360.0}, {"LUT", 21000, 19876.0, 70560.0}, {"BRAM18", 120, 118.0, 432.0}};
  r.cycles = {{"conv1", 118000, 118000LL, true}, {"layer1.0.conv1", 40000, std::nullopt, std::nullopt}};
  r.blockDiagramSvg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"60\"><rect x=\"5\" y=\"5\" "
                      "width=\"190\" height=\"50\" fill=\"#def\"/><text x=\"20\" y=\"35\">dram - dma - array</text></svg>";
  r.files = {{"rtl/", "synthesizable Verilog"}, {"tb/", "self-checking testbench"}};
  auto st = dnnchip::io::writeFileAtomic(argv[1], renderHtml(r));
  if (!st) {
    std::fprintf(stderr, "%s\n", st.error().format().c_str());
    return 2;
  }
  return 0;
}
