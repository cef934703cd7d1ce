// Parsing, ordering and shape inference of the workload IR, and one test per model.* code.
#include <gtest/gtest.h>

#include "dnnchip/workload/Model.h"

using namespace dnnchip;
using namespace dnnchip::workload;

namespace {

diag::Expected<Model> parse(const std::string& layers, const std::string& inputs = R"([{"name":"x","shape":[1,3,32,32]}])") {
  auto j = io::parseJson(R"({"schema_version":1,"name":"t","inputs":)" + inputs + R"(,"layers":[)" + layers + "]}", "t.json");
  EXPECT_TRUE(j.ok());
  return parseModel(*j, "t.json");
}

std::string code(const diag::Expected<Model>& m) { return m.ok() ? "ok" : m.error().code; }

}  // namespace

TEST(ModelParse, ConvOutputShapeAndLoopNest) {
  auto m = parse(R"({"name":"c","op":"conv2d","inputs":["x"],"out_channels":16,"kernel":[3,3],"stride":[2,2],"padding":[1,1,1,1]})");
  ASSERT_TRUE(m.ok()) << m.error().format();
  const Layer& L = m->layers[0];
  EXPECT_EQ(L.outputShape, (Shape{1, 16, 16, 16}));
  auto n = *L.loopNest();
  EXPECT_EQ(n[K], 16);
  EXPECT_EQ(n[C], 3);
  EXPECT_EQ(n[P], 16);
  EXPECT_EQ(n[R], 3);
  EXPECT_EQ(L.macs(), 16LL * 3 * 16 * 16 * 9);
  EXPECT_EQ(L.weightElements(), 16 * 3 * 9);
  EXPECT_EQ(L.biasElements(), 16);
}

TEST(ModelParse, DepthwiseIsGroupsWithOneChannel) {
  auto m = parse(R"({"name":"dw","op":"conv2d","inputs":["x"],"out_channels":3,"kernel":[3,3],"groups":3,"padding":[1,1,1,1]})");
  ASSERT_TRUE(m.ok()) << m.error().format();
  auto n = *m->layers[0].loopNest();
  EXPECT_EQ(n[G], 3);
  EXPECT_EQ(n[K], 1);
  EXPECT_EQ(n[C], 1);
  EXPECT_EQ(m->layers[0].macs(), 3LL * 32 * 32 * 9);
}

TEST(ModelParse, DilationAndAsymmetricPadding) {
  auto m = parse(R"({"name":"c","op":"conv2d","inputs":["x"],"out_channels":4,"kernel":[3,3],"dilation":[2,2],"padding":[0,1,2,3]})");
  ASSERT_TRUE(m.ok());
  // H: (32 + 0 + 2 - 2*2 - 1)/1 + 1 = 30; W: (32 + 1 + 3 - 5)/1 + 1 = 32
  EXPECT_EQ(m->layers[0].outputShape, (Shape{1, 4, 30, 32}));
}

TEST(ModelParse, FcOnLastDimAndBatchedMatmul) {
  auto m = parse(R"({"name":"q","op":"fc","inputs":["x"],"out_features":64},
                    {"name":"k","op":"fc","inputs":["x"],"out_features":64},
                    {"name":"s","op":"matmul","inputs":["q","k"],"transpose_b":true},
                    {"name":"sm","op":"softmax","inputs":["s"]})",
                 R"([{"name":"x","shape":[2,128,32]}])");
  ASSERT_TRUE(m.ok()) << m.error().format();
  EXPECT_EQ(m->layers[0].outputShape, (Shape{2, 128, 64}));
  EXPECT_EQ(m->layers[0].macs(), 2LL * 128 * 32 * 64);
  EXPECT_EQ(m->layers[2].outputShape, (Shape{2, 128, 128}));
  EXPECT_EQ(m->layers[2].macs(), 2LL * 128 * 128 * 64);
  EXPECT_EQ(m->layers[3].vectorOps(), 5LL * 2 * 128 * 128);
}

TEST(ModelParse, PoolingCeilModeFlattenReshapeTranspose) {
  auto m = parse(R"({"name":"p","op":"maxpool","inputs":["x"],"kernel":[3,3],"stride":[2,2],"ceil_mode":true},
                    {"name":"g","op":"global_avgpool","inputs":["p"]},
                    {"name":"f","op":"flatten","inputs":["p"]},
                    {"name":"r","op":"reshape","inputs":["f"],"shape":[1,3,-1]},
                    {"name":"t","op":"transpose","inputs":["r"],"perm":[0,2,1]})");
  ASSERT_TRUE(m.ok()) << m.error().format();
  EXPECT_EQ(m->layers[0].outputShape, (Shape{1, 3, 16, 16}));  // ceil((32-3)/2)+1 = 16
  EXPECT_EQ(m->findLayer("g")->outputShape, (Shape{1, 3, 1, 1}));
  EXPECT_EQ(m->findLayer("f")->outputShape, (Shape{1, 768}));
  EXPECT_EQ(m->findLayer("r")->outputShape, (Shape{1, 3, 256}));
  EXPECT_EQ(m->findLayer("t")->outputShape, (Shape{1, 256, 3}));
}

TEST(ModelParse, OutOfOrderLayersAreSortedAndConcatAdds) {
  auto m = parse(R"({"name":"cat","op":"concat","inputs":["a","b"],"axis":1},
                    {"name":"a","op":"conv2d","inputs":["x"],"out_channels":4,"kernel":[1,1]},
                    {"name":"b","op":"conv2d","inputs":["x"],"out_channels":5,"kernel":[1,1]},
                    {"name":"sum","op":"add","inputs":["cat","cat"],"activation":"relu"})");
  ASSERT_TRUE(m.ok()) << m.error().format();
  EXPECT_EQ(m->layers[0].name, "a");
  EXPECT_EQ(m->layers[1].name, "b");
  EXPECT_EQ(m->layers[2].name, "cat");
  EXPECT_EQ(m->layers[2].outputShape, (Shape{1, 9, 32, 32}));
  EXPECT_EQ(m->layers[2].inputLayers, (std::vector<int>{0, 1}));
  EXPECT_EQ(m->outputs, std::vector<std::string>{"sum"});
}

TEST(ModelParse, JsonRoundTrip) {
  auto m = parse(R"({"name":"c","op":"conv2d","inputs":["x"],"out_channels":8,"kernel":[3,3],"padding":[1,1,1,1],"activation":"relu6"},
                    {"name":"p","op":"avgpool","inputs":["c"],"kernel":[2,2],"count_include_pad":true},
                    {"name":"a","op":"activation","inputs":["p"],"function":"clip","min":-1,"max":1})");
  ASSERT_TRUE(m.ok()) << m.error().format();
  auto j = toJson(*m);
  auto again = parseModel(j, "rt.json");
  ASSERT_TRUE(again.ok()) << again.error().format();
  EXPECT_EQ(toJson(*again).dump(), j.dump());
  EXPECT_EQ(again->totalMacs(), m->totalMacs());
}

// One test per diagnostic code of the model module.
TEST(ModelDiagnostics, EveryCodeIsProvoked) {
  EXPECT_EQ(code(parse(R"({"name":"c","op":"conv3d","inputs":["x"]})")), "model.unknown-op");
  EXPECT_EQ(code(parse(R"({"name":"c","op":"conv2d","inputs":["x"],"out_channels":4,"kernel":[1,1],"activation":"swish"})")), "model.unknown-activation");
  EXPECT_EQ(code(parse(R"({"name":"a","op":"add","inputs":["x"]})")), "model.arity");
  EXPECT_EQ(code(parse(R"({"name":"","op":"activation","inputs":["x"],"function":"relu"})")), "model.bad-name");
  EXPECT_EQ(code(parse(R"({"name":"a","op":"activation","inputs":["x"],"function":"relu","clip_min":2,"clip_max":1})")), "model.bad-param");
  EXPECT_EQ(code(parse(R"({"name":"a","op":"activation","inputs":["x"],"function":"relu"},{"name":"a","op":"activation","inputs":["x"],"function":"relu"})")), "model.duplicate-name");
  EXPECT_EQ(code(parse(R"({"name":"a","op":"activation","inputs":["y"],"function":"relu"})")), "model.unknown-tensor");
  EXPECT_EQ(code(parse(R"({"name":"a","op":"add","inputs":["b","x"]},{"name":"b","op":"add","inputs":["a","x"]})")), "model.cycle");
  EXPECT_EQ(code(parse(R"({"name":"c","op":"conv2d","inputs":["x"],"out_channels":4,"kernel":[1,1],"groups":2})")), "model.shape");
  EXPECT_EQ(code(parse(R"({"name":"c","op":"conv2d","inputs":["x"],"out_channels":4,"kernel":[40,40]})")), "model.shape");
  EXPECT_EQ(code(parse(R"({"name":"r","op":"reshape","inputs":["x"],"shape":[7,-1]})")), "model.shape");
  EXPECT_EQ(code(parse("")), "model.empty");
  EXPECT_EQ(code(parse(R"({"name":"c","op":"conv2d","inputs":["x"],"out_channels":0,"kernel":[1,1]})")), "value.range");
  EXPECT_EQ(code(parse(R"({"name":"c","op":"conv2d","inputs":["x"],"out_channels":4,"kernel":[1,1],"strid":[2,2]})")), "json.unknown-field");
  EXPECT_EQ(code(parse(R"({"name":"a","op":"activation","inputs":["x"],"function":"relu"})", R"([{"name":"x","shape":[1,0,4,4]}])")), "model.shape");
}

// Hostile input (issue 13): each dimension was range-checked but products were not, so MAC counts
// wrapped to negative numbers (accepted, exit 0) and a reshape's known product wrapped to 0 and was
// divided by. Every count is now checked against 2^48 (model.too-large).
TEST(ModelDiagnostics, OverflowingCountsAreTooLarge) {
  const std::string relu = R"({"name":"a","op":"activation","inputs":["x"],"function":"relu"})";
  auto big = parse(relu, R"([{"name":"x","shape":[2147483648,2147483648,2147483648]}])");
  EXPECT_EQ(code(big), "model.too-large");
  EXPECT_EQ(big.error().location.pointer, "/inputs/0/shape");
  EXPECT_EQ(code(parse(relu, R"([{"name":"x","shape":[1,1,2147483648,262144]}])")), "model.too-large");
  EXPECT_EQ(code(parse(relu, R"([{"name":"x","shape":[1,1,2147483648,131072]}])")), "ok");  // 2^48 exactly
  auto macs = parse(R"({"name":"c","op":"conv2d","inputs":["x"],"out_channels":16777216,"kernel":[1,1]})",
                    R"([{"name":"x","shape":[1,16777216,4096,4096]}])");
  EXPECT_EQ(code(macs), "model.too-large");
  EXPECT_EQ(macs.error().location.pointer, "/layers/0");
  EXPECT_NE(macs.error().message.find("MAC"), std::string::npos) << macs.error().message;
  auto reshape = parse(R"({"name":"r","op":"reshape","inputs":["x"],"shape":[65536,65536,65536,65536,-1]})");
  EXPECT_EQ(code(reshape), "model.too-large");
  // 2^48 MACs in f1 (at the limit), 2^47 more in f2: the model's total is too large.
  auto total = parse(R"({"name":"f1","op":"fc","inputs":["x"],"out_features":8388608},
                        {"name":"f2","op":"fc","inputs":["f1"],"out_features":8388608})",
                     R"([{"name":"x","shape":[2,16777216]}])");
  EXPECT_EQ(code(total), "model.too-large");
  EXPECT_EQ(total.error().location.pointer, "/layers/1");
  // Counts never wrap: saturated at INT64_MAX.
  EXPECT_EQ(elementCount({1LL << 40, 1LL << 40}), INT64_MAX);
}

TEST(ModelDiagnostics, LocationPointsAtTheOffendingLayer) {
  auto m = parse(R"({"name":"ok","op":"activation","inputs":["x"],"function":"relu"},
                    {"name":"bad","op":"conv2d","inputs":["ok"],"out_channels":4,"kernel":[1,1],"groups":2})");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().location.file, "t.json");
  EXPECT_EQ(m.error().location.pointer, "/layers/1");
  EXPECT_NE(m.error().message.find("bad"), std::string::npos);
}
