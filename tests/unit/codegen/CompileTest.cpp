// dnnchip compile without external tools: the files and their agreement (program slots, image,
// inputs and golden outputs at their placements, predicted counters = fetch + engine + 2, model.rt
// = manifest), determinism, and codegen.program-too-long (provoked: PROG_DEPTH below the program).

#include "dnnchip/codegen/Compile.h"

#include <gtest/gtest.h>

#include "ModelText.h"
#include "ShippedLibrary.h"
#include "TestSupport.h"
#include "dnnchip/graph/GraphJson.h"
#include "dnnchip/schedule/ProgramFetch.h"

using namespace dnnchip;

namespace {

workload::Model model() {  // conv + flatten + fc: 2 descriptors and End
  return test::modelFromText(
      R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 4, "kernel": [3, 3], "stride": [2, 2], "activation": "relu"},
         {"name": "f", "op": "flatten", "inputs": ["c"]},
         {"name": "fc", "op": "fc", "inputs": ["f"], "out_features": 3})",
      R"({"name": "x", "shape": [1, 5, 7, 7]})");
}

graph::AcceleratorGraph design() {
  auto g = graph::loadGraph(test::sourceDir() / "tests/rtl/cosim/designs/ws_3x5.json");
  EXPECT_TRUE(g.ok()) << (g.ok() ? "" : g.error().format());
  return g.ok() ? *g : graph::AcceleratorGraph{};
}

}  // namespace

TEST(Compile, FilesAgreeAndAreDeterministic) {
  auto a = codegen::compileModel(design(), test::shippedLibrary(), model(), {});
  auto b = codegen::compileModel(design(), test::shippedLibrary(), model(), {});
  ASSERT_TRUE(a.ok()) << a.error().format();
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*a, *b);
  for (const char* f : {"program.bin", "image.bin", "input_x.bin", "expected_fc.bin", "dnnchip_model.json", "model.rt"})
    EXPECT_TRUE(a->count(f)) << f;
  auto j = io::Json::parse(a->at("dnnchip_model.json"));
  // conv + fc = 2 descriptors + End, 128 bytes each, End all zero
  EXPECT_EQ(j["program"]["descriptors"], 3);
  const std::string& prog = a->at("program.bin");
  ASSERT_EQ(prog.size(), 3u * schedule::kDescriptorSlotBytes);
  EXPECT_EQ(prog[0] & 0xF, 1);  // op GEMM
  EXPECT_EQ(prog.substr(2 * 128), std::string(128, '\0'));
  EXPECT_EQ(j["image"]["offset"], 4096);
  EXPECT_EQ(j["image"]["size_bytes"].get<size_t>(), a->at("image.bin").size());
  EXPECT_EQ(j["region_bytes"].get<size_t>(), 4096 + a->at("image.bin").size());
  // the input is not in image.bin (it is zero there), and has its own file at its placement
  const auto& in = j["inputs"][0];
  EXPECT_EQ(in["size_bytes"].get<size_t>(), a->at("input_x.bin").size());
  EXPECT_EQ(a->at("image.bin").substr(in["offset"].get<size_t>(), in["size_bytes"].get<size_t>()),
            std::string(in["size_bytes"].get<size_t>(), '\0'));
  EXPECT_EQ(j["outputs"][0]["size_bytes"], 3);
  const auto& p = j["predicted"];
  EXPECT_EQ(p["total_cycles"].get<uint64_t>(),
            p["fetch_cycles"].get<uint64_t>() + p["engine_cycles"].get<uint64_t>() + schedule::kSocRunOverheadCycles);
  uint64_t layers = schedule::kEndCycles;
  for (const auto& l : p["layers"]) layers += l["cycles"].get<uint64_t>();
  EXPECT_EQ(p["engine_cycles"].get<uint64_t>(), layers);
  EXPECT_NE(a->at("model.rt").find("predict " + std::to_string(p["fetch_cycles"].get<uint64_t>()) + " " +
                                   std::to_string(p["engine_cycles"].get<uint64_t>())),
            std::string::npos);
  // another seed: other weights and input, same program
  codegen::CompileOptions o;
  o.seed = 2;
  auto c = codegen::compileModel(design(), test::shippedLibrary(), model(), o);
  ASSERT_TRUE(c.ok());
  EXPECT_NE(a->at("image.bin"), c->at("image.bin"));
  EXPECT_NE(a->at("input_x.bin"), c->at("input_x.bin"));
}

TEST(Compile, ProgramFetchCycles) {
  schedule::EngineConfig cfg;
  cfg.axiDataBits = 64;
  cfg.burstMaxBeats = 16;
  cfg.dramReadLatencyCycles = 16;
  cfg.readOutstanding = 1;  // one burst in flight: each pays the latency
  // 7 slots of 16 beats, one burst each: 1 + 7 * (16 + 16)
  EXPECT_EQ(schedule::programFetchCycles(7, 0, cfg), 1u + 7u * 32u);
  // a 4 KiB boundary splits the slot that crosses it... none does: slots are 128-byte aligned
  EXPECT_EQ(schedule::programFetchCycles(2, 4096 - 128, cfg), 1u + 2u * 32u);
  cfg.burstMaxBeats = 4;  // 4 bursts of 4 beats per slot
  EXPECT_EQ(schedule::programFetchCycles(1, 0, cfg), 1u + 4u * (16u + 4u));
  // 4 in flight: the latency is paid once when L_RD <= 3 bursts' beats (1 + 16 + 7 x 16)
  cfg.burstMaxBeats = 16;
  cfg.readOutstanding = 4;
  EXPECT_EQ(schedule::programFetchCycles(7, 0, cfg), 1u + 16u + 7u * 16u);
  // 2 in flight behind L_RD 36, bursts of 4 beats: last beats at 39, 43, then burst 2's address
  // waits for burst 0's last beat (40: beats 76..79), burst 3's for burst 1's (44: 80..83); + 2
  cfg.burstMaxBeats = 4;
  cfg.readOutstanding = 2;
  cfg.dramReadLatencyCycles = 36;
  EXPECT_EQ(schedule::programFetchCycles(1, 0, cfg), 85u);
}

TEST(Compile, ProgramLongerThanProgDepthIsRefused) {
  codegen::CompileOptions o;
  o.progDepth = 2;  // 2 descriptors + End need 3
  auto r = codegen::compileModel(design(), test::shippedLibrary(), model(), o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "codegen.program-too-long");
  EXPECT_NE(r.error().message.find("PROG_DEPTH = 2"), std::string::npos);
  EXPECT_NE(r.error().message.find("'fc'"), std::string::npos);  // the first layer that does not fit
  o.progDepth = 3;
  EXPECT_TRUE(codegen::compileModel(design(), test::shippedLibrary(), model(), o).ok());
}

TEST(Compile, RecordsWhatTheProgramNeedsOfTheEngine) {
  // a conv with an 8x8 output whose 3x3/2 max pool fuses into it: the pool unit's line buffer holds
  // one conv row per output tile (8 channels on 5 columns: 2 tiles x 8 words)
  const auto pooled = test::modelFromText(
      R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 8, "kernel": [3, 3], "padding": [1, 1, 1, 1], "activation": "relu"},
         {"name": "p", "op": "maxpool", "inputs": ["c"], "kernel": [3, 3], "stride": [2, 2], "padding": [1, 1, 1, 1]},
         {"name": "f", "op": "flatten", "inputs": ["p"]},
         {"name": "fc", "op": "fc", "inputs": ["f"], "out_features": 5})",
      R"({"name": "x", "shape": [1, 3, 8, 8]})");
  auto a = codegen::compileModel(design(), test::shippedLibrary(), pooled, {});
  ASSERT_TRUE(a.ok()) << a.error().format();
  auto j = io::Json::parse(a->at("dnnchip_model.json"));
  EXPECT_EQ(j["requires"]["pool_line_words"], 16);
  EXPECT_EQ(j["engine"]["pool_line_words"], 256);  // the design's POOL_DEPTH (default ACT_DEPTH)
  EXPECT_EQ(j["engine_id"].size(), 4u);
  EXPECT_EQ(j["engine_id"][3].get<uint32_t>() & 0xFFFFu, 256u);              // CFG3 POOL_DEPTH
  EXPECT_EQ((j["engine_id"][3].get<uint32_t>() >> 16) & 0xFFu, j["engine"]["weight_group"].get<uint32_t>());
  const std::string needs = std::string("needs 16 ") + (j["requires"]["wide_gather"].get<bool>() ? "1" : "0") + "\n";
  EXPECT_NE(a->at("model.rt").find(needs), std::string::npos) << a->at("model.rt");
  EXPECT_EQ(a->at("model.rt").rfind("dnnchip-model 2\n", 0), 0u);
  // without a fused pool the program needs no pool unit
  auto b = codegen::compileModel(design(), test::shippedLibrary(), model(), {});
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(io::Json::parse(b->at("dnnchip_model.json"))["requires"]["pool_line_words"], 0);
}
