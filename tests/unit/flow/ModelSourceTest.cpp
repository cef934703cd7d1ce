// The --model argument: built-in names and model JSON always load; an .onnx path is imported when
// the build has the importer and is onnx.disabled (one diagnostic naming the file) when it does not.
#include "dnnchip/flow/ModelSource.h"

#include <gtest/gtest.h>

#include "TestSupport.h"
#include "dnnchip/io/Files.h"

using namespace dnnchip;

TEST(ModelSource, BuiltInNameLoadsInEveryBuild) {
  auto m = flow::loadModelArg("resnet18");
  ASSERT_TRUE(m.ok()) << m.error().format();
  EXPECT_EQ(m->name, "resnet18");
}

TEST(ModelSource, OnnxPathDependsOnTheBuild) {
  // A file that is not an ONNX model: the importer (when built) reports onnx.parse; a build
  // without it must say so instead of reading the bytes as JSON.
  auto dir = test::tempDir("model_source");
  auto path = dir / "Net.ONNX";
  ASSERT_TRUE(io::writeFileAtomic(path, "not a protobuf").ok());
  auto m = flow::loadModelArg(path.string());
  ASSERT_FALSE(m.ok());
  if (flow::onnxImportAvailable()) {
    EXPECT_EQ(m.error().code, "onnx.parse") << m.error().format();
  } else {
    EXPECT_EQ(m.error().code, "onnx.disabled") << m.error().format();
    EXPECT_EQ(m.error().location.file, path.string());
  }
}
