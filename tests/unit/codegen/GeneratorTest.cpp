// Code generator without external tools: design -> engine mapping, determinism of the generated
// folder, structure of the top and scripts, DRAM image layout (NHWC) and readback, the manifest
// round trip, and the codegen.* diagnostics (no-template, not-systolic, not-generated, bad-dump).

#include "dnnchip/codegen/Generator.h"

#include <gtest/gtest.h>

#include "ShippedLibrary.h"
#include "TestSupport.h"
#include "dnnchip/arch/EngineMapping.h"
#include "dnnchip/arch/LoadDesign.h"
#include "dnnchip/io/Files.h"
#include "dnnchip/codegen/DramImage.h"
#include "dnnchip/codegen/Manifest.h"
#include "dnnchip/graph/GraphJson.h"

using namespace dnnchip;

namespace {

const char* kModel = R"({"schema_version": 1, "name": "t",
  "inputs": [{"name": "x", "shape": [1, 5, 6, 6]}],
  "layers": [
    {"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 7, "kernel": [3, 3], "padding": [1, 1, 1, 1], "activation": "relu"},
    {"name": "p", "op": "maxpool", "inputs": ["c"], "kernel": [2, 2]},
    {"name": "f", "op": "flatten", "inputs": ["p"]},
    {"name": "fc", "op": "fc", "inputs": ["f"], "out_features": 3}]})";

workload::Model model() {
  auto m = workload::parseModel(io::Json::parse(kModel), "t.json");
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().format());
  return *m;
}

graph::AcceleratorGraph design(const std::string& file) {
  auto g = graph::loadGraph(test::sourceDir() / file);
  EXPECT_TRUE(g.ok()) << (g.ok() ? "" : g.error().format());
  return g.ok() ? *g : graph::AcceleratorGraph{};
}


}  // namespace

TEST(EngineMapping, TakesArrayAndBuffersFromTheGraph) {
  auto m = arch::mapToEngine(design("tests/rtl/cosim/designs/ws_3x5.json"), test::shippedLibrary());
  ASSERT_TRUE(m.ok()) << m.error().format();
  EXPECT_EQ(m->config.rows, 3);
  EXPECT_EQ(m->config.cols, 5);
  EXPECT_EQ(m->config.dataflow, schedule::Dataflow::WeightStationary);
  EXPECT_EQ(m->config.actBufferWords, 256);  // 768 B / 3
  EXPECT_FALSE(m->config.doubleBuffer);
  EXPECT_EQ(m->config.axiDataBits, 64);
  auto os = arch::mapToEngine(design("designs/accelerators/systolic_os_8x8.json"), test::shippedLibrary());
  ASSERT_TRUE(os.ok());
  EXPECT_EQ(os->config.dataflow, schedule::Dataflow::OutputStationary);
  EXPECT_EQ(os->config.rows, 8);
}

TEST(EngineMapping, Diagnostics) {
  auto bad = arch::mapToEngine(design("tests/rtl/cosim/designs/ws_fp16_no_template.json"), test::shippedLibrary());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "codegen.no-template");
  EXPECT_NE(bad.error().message.find("mac_fp16"), std::string::npos);
  auto eyeriss = arch::mapToEngine(design("designs/accelerators/eyeriss_like.json"), test::shippedLibrary());
  ASSERT_FALSE(eyeriss.ok());
  EXPECT_EQ(eyeriss.error().code, "codegen.not-systolic");
}

TEST(Generator, DeterministicAndComplete) {
  auto g = design("tests/rtl/cosim/designs/ws_3x5.json");
  codegen::GenerateOptions opt;
  opt.templatesDir = test::sourceDir() / "templates";
  auto a = codegen::generateDesign(g, test::shippedLibrary(), model(), opt);
  auto b = codegen::generateDesign(g, test::shippedLibrary(), model(), opt);
  ASSERT_TRUE(a.ok()) << a.error().format();
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*a, *b);
  for (const char* f : {"rtl/dnnchip_top.v", "rtl/dnnchip_engine.v", "filelist.f", "data/program.hex",
                        "data/dram.hex", "data/expected.hex", "data/check.hex", "tb/tb_core.v", "tb/axi_dram_model.v",
                        "tb/tb_main.cpp", "tb/tb_icarus.v", "sim/run_verilator.sh", "sim/run_icarus.sh",
                        "synth/yosys_xc7.ys", "synth/yosys_xcup.ys", "synth/yosys_ice40.ys", "synth/yosys_generic.ys",
                        "synth/vivado.tcl", "synth/dnnchip_top.xdc", "synth/dnnchip_top.sdc", "README.md",
                        "dnnchip_design.json", "soc/dnnchip_soc.v", "soc/dnnchip_soc_top.v", "soc/filelist.f",
                        "runtime/dnnchip_rt.h", "runtime/dnnchip_rt.c", "runtime/dnnchip_rt.py",
                        "runtime/dnnchip_zynq.h", "soc/vivado_bd.tcl", "soc/zynq_platforms.tcl", "soc/platform.tcl"})
    EXPECT_TRUE(a->count(f)) << f;
  const std::string& top = a->at("rtl/dnnchip_top.v");
  EXPECT_NE(top.find(".ROWS(3)"), std::string::npos);
  EXPECT_NE(top.find(".COLS(5)"), std::string::npos);
  EXPECT_NE(top.find(".DATAFLOW(0)"), std::string::npos);
  EXPECT_NE(top.find("dnnchip_engine #("), std::string::npos);
  // The SoC top: the design's engine parameters and the default PROG_DEPTH, not in filelist.f.
  const std::string& soc = a->at("soc/dnnchip_soc_top.v");
  EXPECT_NE(soc.find("dnnchip_soc #("), std::string::npos);
  EXPECT_NE(soc.find(".ROWS(3)"), std::string::npos);
  EXPECT_NE(soc.find(".PROG_DEPTH(256)"), std::string::npos);
  EXPECT_NE(a->at("soc/platform.tcl").find("set dnnchip_platform pynq_z1"), std::string::npos);
  EXPECT_EQ(a->at("filelist.f").find("soc/"), std::string::npos);
  EXPECT_NE(a->at("soc/filelist.f").find("rtl/dnnchip_engine.v"), std::string::npos);
  EXPECT_EQ(a->at("soc/filelist.f").find("rtl/dnnchip_top.v"), std::string::npos);
  EXPECT_NE(a->at("synth/yosys_xcup.ys").find("synth_xilinx -family xcup"), std::string::npos);
  EXPECT_NE(a->at("synth/yosys_ice40.ys").find("synth_ice40 -dsp -spram -abc9 -dff -top dnnchip_ice40"), std::string::npos);
  // The iCE40 top: the engine on spram_axi behind 24 pins, all placed by the PCF; not in filelist.f.
  const std::string& ice = a->at("rtl/dnnchip_ice40.v");
  EXPECT_NE(ice.find("spram_axi #("), std::string::npos);
  EXPECT_NE(ice.find(".RD_LAT(16)"), std::string::npos);
  EXPECT_NE(ice.find("output wire [7:0] host_rdata"), std::string::npos);
  EXPECT_EQ(a->at("filelist.f").find("dnnchip_ice40"), std::string::npos);
  const std::string& pcf = a->at("synth/dnnchip_ice40.pcf");
  size_t pins = 0;
  for (size_t at = pcf.find("set_io "); at != std::string::npos; at = pcf.find("set_io ", at + 1)) ++pins;
  EXPECT_EQ(pins, 24u);
  EXPECT_NE(a->at("synth/dnnchip_top.xdc").find("create_clock -period 10.000"), std::string::npos);
  // Program: conv + pool + fc = 3 descriptors + End.
  EXPECT_EQ(std::count(a->at("data/program.hex").begin(), a->at("data/program.hex").end(), '\n'), 4);
  opt.seed = 2;
  auto c = codegen::generateDesign(g, test::shippedLibrary(), model(), opt);
  ASSERT_TRUE(c.ok());
  EXPECT_NE(a->at("data/dram.hex"), c->at("data/dram.hex"));
  EXPECT_EQ(a->at("rtl/dnnchip_top.v"), c->at("rtl/dnnchip_top.v"));
}

TEST(Generator, WritesAndReadsBackTheManifest) {
  auto dir = test::tempDir("codegen_manifest");
  codegen::GenerateOptions opt;
  opt.templatesDir = test::sourceDir() / "templates";
  auto files = codegen::generateDesign(design("designs/accelerators/systolic_os_8x8.json"), test::shippedLibrary(), model(), opt);
  ASSERT_TRUE(files.ok()) << files.error().format();
  ASSERT_TRUE(codegen::writeFileSet(dir, *files).ok());
  auto m = codegen::loadManifest(dir);
  ASSERT_TRUE(m.ok()) << m.error().format();
  EXPECT_EQ(m->manifest.config.dataflow, schedule::Dataflow::OutputStationary);
  EXPECT_EQ(m->model.layers.size(), 4u);
  EXPECT_EQ(codegen::loadManifest(dir / "rtl").error().code, "codegen.not-generated");
  EXPECT_TRUE(std::filesystem::status(dir / "sim/run_icarus.sh").permissions() != std::filesystem::perms::none);
}

// A packed design (mac_int8_pack2 on xcup): PACK = 2 reaches the top and the manifest, the xcup
// Yosys script and the Vivado TCL select the DSP48E2 instance; the unpacked design has none of it.
TEST(Generator, PassesPackToTheTopAndTheDsp48E2DefineToTheXcupScripts) {
  auto g = design("designs/accelerators/systolic_ws_8x8.json");
  g.family = ip::DeviceFamily::XcUp;
  for (graph::NodeId id : g.computeNodes()) g.mutableNode(id).ip = "mac_int8_pack2";
  codegen::GenerateOptions opt;
  opt.templatesDir = test::sourceDir() / "templates";
  auto a = codegen::generateDesign(g, test::shippedLibrary(), model(), opt);
  ASSERT_TRUE(a.ok()) << a.error().format();
  EXPECT_NE(a->at("rtl/dnnchip_top.v").find(".PACK(2)"), std::string::npos);
  EXPECT_TRUE(a->count("rtl/mac_pe_pack2.v"));
  // The SoC top: the design's engine parameters and the default PROG_DEPTH, not in filelist.f.
  const std::string& soc = a->at("soc/dnnchip_soc_top.v");
  EXPECT_NE(soc.find("dnnchip_soc #("), std::string::npos);
  EXPECT_NE(soc.find(".PACK(2)"), std::string::npos);
  EXPECT_NE(soc.find(".PROG_DEPTH(256)"), std::string::npos);
  EXPECT_EQ(a->at("filelist.f").find("soc/"), std::string::npos);
  EXPECT_NE(a->at("soc/filelist.f").find("rtl/dnnchip_engine.v"), std::string::npos);
  EXPECT_EQ(a->at("soc/filelist.f").find("rtl/dnnchip_top.v"), std::string::npos);
  EXPECT_NE(a->at("synth/yosys_xcup.ys").find("verilog_defines -DDNNCHIP_DSP48E2"), std::string::npos);
  EXPECT_EQ(a->at("synth/yosys_xc7.ys").find("DNNCHIP_DSP48E2"), std::string::npos);
  EXPECT_NE(a->at("synth/vivado.tcl").find("-verilog_define DNNCHIP_DSP48E2"), std::string::npos);
  auto dir = test::tempDir("codegen_pack");
  ASSERT_TRUE(codegen::writeFileSet(dir, *a).ok());
  auto m = codegen::loadManifest(dir);
  ASSERT_TRUE(m.ok()) << m.error().format();
  EXPECT_EQ(m->manifest.config.pack, 2);

  auto u = codegen::generateDesign(design("designs/accelerators/systolic_ws_8x8.json"), test::shippedLibrary(), model(), opt);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->at("rtl/dnnchip_top.v").find(".PACK("), std::string::npos);
  EXPECT_EQ(u->at("synth/yosys_xcup.ys").find("DNNCHIP_DSP48E2"), std::string::npos);
}

TEST(DramImage, NhwcLayoutRoundTrip) {
  schedule::TensorPlacement p;
  p.baseAddress = 4;
  p.shape = {1, 2, 2, 3};
  golden::Tensor8 t({1, 2, 2, 3}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});  // NCHW
  std::vector<uint8_t> img(32, 0);
  codegen::storeActivation(img, p, t);
  // NHWC: pixel (0,0) holds channels 0 and 1: values 0 and 6.
  EXPECT_EQ(img[4], 0);
  EXPECT_EQ(img[5], 6);
  EXPECT_EQ(img[6], 1);
  EXPECT_EQ(codegen::loadActivation(img, p, t.shape), t);
  // A flattened [1, 12] view of the same placement reads back in C (NCHW) order.
  EXPECT_EQ(codegen::loadActivation(img, p, {1, 12}).data, t.data);
}

// Issue 18: the user's input of an fc that reads a flattened 4-D map (conv -> pool -> flatten ->
// fc, C = 7, H x W = 3 x 3) was written through the flatten's alias placement in N,C order, while
// the engine reads the map it aliases as N,H,W,C. The flattened tensor (C order of [N,C,H,W]) must
// land on exactly the bytes the 4-D map would, and read back the same way through the alias.
TEST(DramImage, FlattenedMapVectorIsStoredAsTheMapTheFcReads) {
  const workload::Model m = model();
  schedule::EngineConfig cfg;
  cfg.rows = 4;
  cfg.cols = 4;
  cfg.actBufferWords = 256;
  cfg.accBufferWords = 256;
  auto prog = schedule::buildProgram(m, cfg);
  ASSERT_TRUE(prog.ok()) << prog.error().format();
  const auto* pool = prog->find("p", schedule::TensorKind::Activation);
  const auto* flat = prog->find("f", schedule::TensorKind::Activation);
  ASSERT_TRUE(pool && flat);
  ASSERT_EQ(pool->baseAddress, flat->baseAddress);  // the flatten aliases the pool's bytes
  std::vector<int8_t> v(7 * 3 * 3);
  for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<int8_t>(i * 37 % 251 - 125);
  golden::Tensor8 map({1, 7, 3, 3}, v), flattened({1, 63}, v);
  auto run = golden::randomRun(m, 7);  // weights for the image; the activations are ours
  ASSERT_TRUE(run.ok());
  const golden::ModelParams& params = run->params;
  auto viaMap = codegen::buildDramImage(*prog, cfg, m, params, {{"p", &map}});
  auto viaFlatten = codegen::buildDramImage(*prog, cfg, m, params, {{"f", &flattened}});
  EXPECT_EQ(viaMap, viaFlatten);
  // Pixel (h 0, w 1) holds channel 0 then channel 1: NCHW elements 1 and 10.
  EXPECT_EQ(static_cast<int8_t>(viaFlatten[pool->baseAddress + 7]), v[1]);
  EXPECT_EQ(static_cast<int8_t>(viaFlatten[pool->baseAddress + 8]), v[10]);
  // Reading the flatten's output back gives the flattened tensor (the symmetric path).
  const auto* place = codegen::outputPlacement(*prog, m, m.layerIndex("f"));
  ASSERT_TRUE(place);
  EXPECT_EQ(codegen::loadActivation(viaMap, *place, {1, 63}).data, v);
}

TEST(DramImage, HaloColumnsAreZero) {
  // A model input read by a width-folded conv: 1 column left, 2 right of each 3-pixel row.
  schedule::TensorPlacement p;
  p.baseAddress = 2;
  p.shape = {1, 2, 2, 3};
  p.haloLeft = 1;
  p.haloRight = 2;
  p.sizeBytes = 2 * (1 + 3 + 2) * 2;
  golden::Tensor8 t({1, 2, 2, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});  // NCHW
  std::vector<uint8_t> img(40, 0x55);
  codegen::storeActivation(img, p, t);
  // Row h = 0: halo pixel, pixels w = 0..2 (channels 0, 1), two halo pixels.
  EXPECT_EQ(std::vector<uint8_t>(img.begin() + 2, img.begin() + 14),
            (std::vector<uint8_t>{0, 0, 1, 7, 2, 8, 3, 9, 0, 0, 0, 0}));
  EXPECT_EQ(img[14], 0);   // row h = 1 starts with its halo pixel
  EXPECT_EQ(img[16], 4);   // (h 1, w 0, c 0)
  EXPECT_EQ(img[26], 0x55);  // past the placement: untouched
  EXPECT_EQ(img[1], 0x55);
  EXPECT_EQ(codegen::loadActivation(img, p, t.shape), t);
}

TEST(DramImage, HexDumps) {
  std::vector<uint8_t> bytes = {0x00, 0x7f, 0x80, 0xff};
  EXPECT_EQ(codegen::encodeByteHex(bytes), "00\n7f\n80\nff\n");
  auto back = codegen::decodeByteHex("// comment\n@1\n7f\n80 ff\nxx\n", 6);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, (std::vector<uint8_t>{0, 0x7f, 0x80, 0xff, 0, 0}));
  auto bad = codegen::decodeByteHex("00\nzz\nqq\n", 4);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "codegen.bad-dump");
}

TEST(Generator, DiagnosesMissingTemplatesAndEngineLimits) {
  auto g = design("tests/rtl/cosim/designs/ws_3x5.json");
  codegen::GenerateOptions opt;
  opt.templatesDir = test::tempDir("codegen_no_templates");
  auto r = codegen::generateDesign(g, test::shippedLibrary(), model(), opt);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "codegen.templates-missing");
  for (const auto& n : g.nodes())
    if (n.kind == graph::NodeKind::Compute) g.mutableNode(n.id).rows = 100;
  auto m = arch::mapToEngine(g, test::shippedLibrary());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, "codegen.engine-param");
  // A one-row array: the engine needs two (it failed later with an unlocated value.range).
  for (const auto& n : g.nodes())
    if (n.kind == graph::NodeKind::Compute) g.mutableNode(n.id).rows = 1;
  m = arch::mapToEngine(g, test::shippedLibrary());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, "codegen.engine-param");
  EXPECT_NE(m.error().message.find("2..64"), std::string::npos) << m.error().message;
}

// Bursts in flight: the design's params (1..16, default 4), one each way on iCE40 (spram_axi
// serves one burst at a time); a value out of range is codegen.engine-param at the param.
TEST(EngineMapping, BurstsInFlight) {
  auto g = design("tests/rtl/cosim/designs/ws_3x5.json");
  auto m = arch::mapToEngine(g, test::shippedLibrary());
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->config.readOutstanding, 4);
  EXPECT_EQ(m->config.writeOutstanding, 4);
  g.params["dma_read_outstanding"] = 8;
  g.params["dma_write_outstanding"] = 2;
  m = arch::mapToEngine(g, test::shippedLibrary());
  ASSERT_TRUE(m.ok()) << m.error().format();
  EXPECT_EQ(m->config.readOutstanding, 8);
  EXPECT_EQ(m->config.writeOutstanding, 2);
  g.params["dma_read_outstanding"] = 17;
  m = arch::mapToEngine(g, test::shippedLibrary());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, "codegen.engine-param");
  EXPECT_EQ(m.error().location.pointer, "/params/dma_read_outstanding");

  auto ice = design("tests/rtl/cosim/designs/ice40_2x2.json");
  auto mi = arch::mapToEngine(ice, test::shippedLibrary());
  ASSERT_TRUE(mi.ok()) << mi.error().format();
  EXPECT_EQ(mi->config.readOutstanding, 1);
  EXPECT_EQ(mi->config.writeOutstanding, 1);
  EXPECT_EQ(mi->config.dramReadLatencyCycles, 2);
  ice.params["dma_write_outstanding"] = 2;
  mi = arch::mapToEngine(ice, test::shippedLibrary());
  ASSERT_FALSE(mi.ok());
  EXPECT_EQ(mi.error().code, "codegen.engine-param");
}

// The engine's design params are one table (arch/systolic/EngineMapping.cpp): each refuses a
// value of the wrong type or out of range with codegen.engine-param at its own pointer, checked at
// 64 bits (2^32 + 27 is not 27, as it was when the value went through int), and each accepted
// value reaches its EngineConfig field.
TEST(EngineMapping, ParamTable) {
  const auto base = design("tests/rtl/cosim/designs/ws_3x5.json");
  const int64_t wrap = int64_t{1} << 32;
  const std::vector<std::pair<std::string, io::Json>> bad = {
      {"dram_read_latency_cycles", "fast"}, {"dram_read_latency_cycles", 0}, {"dram_write_latency_cycles", 16.5},
      {"dram_write_latency_cycles", wrap + 8}, {"fuse_residual_add", 1}, {"pool_line_words", 65536},
      {"pool_line_words", -1}, {"fuse_max_pool", "no"}, {"depthwise_unit", "yes"}, {"depthwise_line_bits", 13},
      {"depthwise_line_bits", wrap + 7}, {"requant_operand_bits", 28}, {"requant_operand_bits", wrap + 27},
      {"requant_operand_bits", 27.0}, {"requant_mult", "fpga"}, {"requant_mult", 1},
      {"dma_read_outstanding", wrap + 1}, {"dma_write_outstanding", 0},
      {"dma_write_outstanding", uint64_t{18446744073709551615ull}}};
  for (const auto& [key, value] : bad) {
    auto g = base;
    g.params[key] = value;
    auto m = arch::mapToEngine(g, test::shippedLibrary());
    ASSERT_FALSE(m.ok()) << key << " = " << value.dump() << " was accepted";
    EXPECT_EQ(m.error().code, "codegen.engine-param");
    EXPECT_EQ(m.error().location.pointer, "/params/" + key);
    EXPECT_NE(m.error().message.find(value.dump()), std::string::npos) << m.error().message;
  }
  auto g = base;
  for (const auto& [key, value] : std::vector<std::pair<std::string, io::Json>>{
           {"dram_read_latency_cycles", 36}, {"dram_write_latency_cycles", 24}, {"fuse_residual_add", false},
           {"pool_line_words", 100}, {"depthwise_unit", true}, {"depthwise_line_bits", 9},
           {"requant_operand_bits", 27}, {"requant_mult", "lut"}, {"dma_read_outstanding", 8},
           {"dma_write_outstanding", 2}})
    g.params[key] = value;
  auto m = arch::mapToEngine(g, test::shippedLibrary());
  ASSERT_TRUE(m.ok()) << m.error().format();
  const schedule::EngineConfig& c = m->config;
  EXPECT_EQ(c.dramReadLatencyCycles, 36);
  EXPECT_EQ(c.dramWriteLatencyCycles, 24);
  EXPECT_FALSE(c.fuseResidualAdd);
  EXPECT_EQ(c.poolLineWords, 100);
  EXPECT_TRUE(c.depthwiseUnit);
  EXPECT_EQ(c.depthwiseLineBits, 9);
  EXPECT_EQ(c.requantBits, 27);
  EXPECT_TRUE(c.requantLutMult);
  EXPECT_EQ(c.readOutstanding, 8);
  EXPECT_EQ(c.writeOutstanding, 2);
  g.params["fuse_max_pool"] = false;  // after pool_line_words: no pool unit
  m = arch::mapToEngine(g, test::shippedLibrary());
  ASSERT_TRUE(m.ok()) << m.error().format();
  EXPECT_EQ(m->config.poolLineWords, 0);

  // the iCE40 engine takes one value of these (and says why)
  for (const auto& [key, value] : std::vector<std::pair<std::string, io::Json>>{
           {"depthwise_unit", true}, {"requant_operand_bits", 27}, {"requant_mult", "lut"}, {"dma_read_outstanding", 2}}) {
    auto ice = design("tests/rtl/cosim/designs/ice40_2x2.json");
    ice.params[key] = value;
    auto mi = arch::mapToEngine(ice, test::shippedLibrary());
    ASSERT_FALSE(mi.ok()) << key;
    EXPECT_EQ(mi.error().code, "codegen.engine-param");
    EXPECT_EQ(mi.error().location.pointer, "/params/" + key);
    EXPECT_NE(mi.error().message.find("on iCE40"), std::string::npos) << mi.error().message;
  }
}

// Issue 16 item 7: the generated folder's manifest is read back by the commands that take a design
// (predict, compile, generate: graph::loadGraph / arch::loadDesign) and a model (its "model"
// member), as what it was generated from; a damaged design inside it is located under /design.
TEST(Generator, ManifestReadsBackAsDesignAndModel) {
  auto g = design("tests/rtl/cosim/designs/ws_3x5.json");
  codegen::GenerateOptions opt;
  opt.templatesDir = test::sourceDir() / "templates";
  auto files = codegen::generateDesign(g, test::shippedLibrary(), model(), opt);
  ASSERT_TRUE(files.ok()) << files.error().format();
  const auto dir = test::tempDir("manifest_reads_back");
  ASSERT_TRUE(codegen::writeFileSet(dir, *files).ok());
  auto back = graph::loadGraph(dir / codegen::kManifestFile);
  ASSERT_TRUE(back.ok()) << back.error().format();
  EXPECT_EQ(graph::toJson(*back), graph::toJson(g));
  auto byFolder = arch::loadDesign(dir.string());
  ASSERT_TRUE(byFolder.ok()) << byFolder.error().format();
  EXPECT_EQ(graph::toJson(*byFolder), graph::toJson(g));
  auto j = io::Json::parse(files->at(codegen::kManifestFile));
  auto m = workload::parseModel(j["model"], "manifest");
  ASSERT_TRUE(m.ok()) << m.error().format();
  EXPECT_EQ(workload::toJson(*m), workload::toJson(model()));
  j["design"]["nodes"][0]["kind"] = "no_such_kind";
  const auto bad = dir / "damaged.json";
  ASSERT_TRUE(io::writeFileAtomic(bad, j.dump(2)).ok());
  auto err = graph::loadGraph(bad);
  ASSERT_FALSE(err.ok());
  EXPECT_EQ(err.error().location.pointer.rfind("/design/nodes/0", 0), 0u) << err.error().format();
}
