// The model-zoo check of issue 18: every export listed by export_zoo.py (torchvision models at
// opsets 11, 13 and 17, batch 1 or a dynamic batch fixed by --input-shape at 2) is imported in
// this one process and compared with the independent count from torch forward hooks: the
// multiset of (MACs, output shape) of the compute layers and the total MACs. A model the importer
// cannot take must be refused with one coded diagnostic naming the op, as listed in
// zoo_expectations.json (and a model listed there as refused that imports is a failure too, so
// the list stays true). An import must have exactly the exporter's inputs (by name). Usage: e2e_onnx_zoo (env DNNCHIP_ONNX_ZOO_DIR, DNNCHIP_ONNX_ZOO_LISTS =
// list names separated by ',', DNNCHIP_ONNX_ZOO_EXPECT = the expectations file).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "dnnchip/io/Json.h"
#include "dnnchip/onnx/Import.h"

namespace dnnchip::onnx {
namespace {

using workload::OpKind;

std::string env(const char* k) {
  const char* v = std::getenv(k);
  return v ? v : "";
}

io::Json readJson(const std::filesystem::path& p) {
  std::ifstream f(p);
  std::stringstream ss;
  ss << f.rdbuf();
  return io::Json::parse(ss.str());
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string t; std::getline(ss, t, ',');)
    if (!t.empty()) out.push_back(t);
  return out;
}

// The hooks' count at the import batch: batch-1 rows scaled (every row's MACs grow with the
// batch, and each output shape's first dimension is the batch).
using Row = std::pair<int64_t, std::vector<int64_t>>;
std::vector<Row> expectedRows(const io::Json& e, int64_t batch) {
  std::vector<Row> want;
  for (const auto& m : e["modules"]) {
    std::vector<int64_t> shape = m["kind"] == "conv2d" ? m["out_shape"].get<std::vector<int64_t>>() : std::vector<int64_t>{};
    if (!shape.empty()) shape[0] *= batch;
    want.push_back({m["macs"].get<int64_t>() * batch, shape});
  }
  std::sort(want.begin(), want.end());
  return want;
}

std::vector<Row> importedRows(const workload::Model& m) {
  std::vector<Row> got;
  for (const auto& L : m.layers)
    if (L.isCompute()) got.push_back({L.macs(), L.op == OpKind::Conv2d ? L.outputShape : std::vector<int64_t>{}});
  std::sort(got.begin(), got.end());
  return got;
}

TEST(TorchVisionZoo, EveryExportImportsWithTheHookCountsOrIsRefusedAsListed) {
  const std::filesystem::path dir = env("DNNCHIP_ONNX_ZOO_DIR");
  ASSERT_FALSE(dir.empty()) << "DNNCHIP_ONNX_ZOO_DIR is not set (run through ctest)";
  const io::Json expect = readJson(env("DNNCHIP_ONNX_ZOO_EXPECT"));
  int imported = 0, refused = 0, exports = 0;
  for (const std::string& list : split(env("DNNCHIP_ONNX_ZOO_LISTS"))) {
    const io::Json l = readJson(dir / (list + ".json"));
    for (const auto& e : l["exports"]) {
      ++exports;
      const std::string model = e["model"], tag = e["tag"];
      SCOPED_TRACE(tag);
      const io::Json* x = expect["models"].contains(model) ? &expect["models"][model] : nullptr;
      const std::string status = x ? (*x)["status"].get<std::string>() : "imports";
      if (e.contains("export_error")) {  // torch itself cannot export it: must be listed as such
        EXPECT_EQ(status, "torch-cannot-export") << e["export_error"].get<std::string>();
        continue;
      }
      ImportOptions o;
      o.quantizeWeights = false;
      const int64_t batch = e["import_batch"].get<int64_t>();
      if (e["dynamic_batch"].get<bool>()) {
        workload::Shape s = e["input_shape"].get<workload::Shape>();
        s[0] = batch;
        o.inputShapes = {{"input", s}};
      }
      auto r = importModel(dir / e["file"].get<std::string>(), o);
      if (status == "refused") {
        ASSERT_FALSE(r.ok()) << tag << " is listed as refused but imports: update zoo_expectations.json";
        EXPECT_EQ(r.error().code, (*x)["code"].get<std::string>());
        for (const auto& op : (*x)["ops"])
          EXPECT_NE(r.error().message.find(op.get<std::string>()), std::string::npos)
              << "the diagnostic does not name " << op.get<std::string>() << ": " << r.error().format();
        ++refused;
        continue;
      }
      ASSERT_TRUE(r.ok()) << r.error().format();
      EXPECT_EQ(status, "imports");
      // The model's inputs are exactly the exporter's: a parameter exported without values that
      // the import takes for one more input (MaxViT's relative-position biases once) fails here.
      std::vector<std::string> inputs;
      for (const auto& in : r->model.inputs) inputs.push_back(in.name);
      EXPECT_EQ(inputs, e["inputs"].get<std::vector<std::string>>()) << "the import has inputs the model does not have";
      EXPECT_EQ(importedRows(r->model), expectedRows(e, batch));
      EXPECT_EQ(r->model.totalMacs(), e["total_macs"].get<int64_t>() * batch);
      ASSERT_EQ(r->model.inputs.size(), 1u);
      EXPECT_EQ(r->model.inputs[0].shape[0], batch);
      for (const auto& out : r->model.outputs) EXPECT_EQ(r->model.tensorShape(out)->at(0), batch) << out;
      std::printf("%-44s %4zu layers %16lld MACs (hooks %lld x batch %lld)\n", tag.c_str(), r->model.layers.size(),
                  static_cast<long long>(r->model.totalMacs()), static_cast<long long>(e["total_macs"].get<int64_t>()),
                  static_cast<long long>(batch));
      ++imported;
    }
  }
  EXPECT_GT(exports, 0);
  std::printf("%d exports: %d imported with the hook counts, %d refused as listed\n", exports, imported, refused);
}

}  // namespace
}  // namespace dnnchip::onnx
