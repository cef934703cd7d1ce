// Import: the public entry points of the ONNX importer, as a readable list of steps:
// read + validate + shape-infer (OnnxReader) -> lower to layers (Lowering) -> Model::finalize
// (the workload's own shape inference) -> check every layer's parameters against the shapes of
// the activations it reads -> check the model against the model format's own limits (so `import`
// never writes a file the loader rejects) -> cross-check every layer's shape against ONNX's ->
// calibrate and quantize the weights when the file has them (Calibration). Also the --model
// dispatcher and the writer of the weights folder.

#include "dnnchip/onnx/Import.h"

#include <cctype>

#include "OnnxGraph.h"
#include "dnnchip/golden/Npy.h"
#include "dnnchip/io/Files.h"
#include "dnnchip/io/Json.h"
#include "dnnchip/workload/Checked.h"

namespace dnnchip::onnx {

std::string sanitizeName(std::string_view name) {
  size_t start = 0;
  while (start < name.size() && name[start] == '/') ++start;
  std::string out;
  for (char c : name.substr(start)) {
    unsigned char u = static_cast<unsigned char>(c);
    out += (std::isalnum(u) || c == '_' || c == '.' || c == '-') ? c : '_';
  }
  if (out == "." || out == "..") out = "_" + out;
  return out;
}

namespace {

// ONNX shape inference and the workload's own must agree on every layer output.
diag::Status crossCheck(const detail::Graph& g, const detail::Lowered& low, const workload::Model& m) {
  for (const auto& L : m.layers) {
    auto t = low.tensorOf.find(L.name);
    if (t == low.tensorOf.end()) continue;
    auto s = g.shapes.find(t->second);
    if (s == g.shapes.end() || s->second == L.outputShape) continue;
    if (workload::elementCount(s->second) == workload::elementCount(L.outputShape) && L.isLayoutOnly()) continue;
    return diag::error("onnx.shape", {g.file, "tensor '" + t->second + "'"},
                       "layer '" + L.name + "' computes shape " + workload::shapeText(L.outputShape) +
                           " but ONNX shape inference gives " + workload::shapeText(s->second),
                       "the model uses an op variant the importer maps wrongly: please report it with the file");
  }
  return {};
}

// Weights and biases must fit the activations their layer reads: the float reference pass and the
// quantizer index them with the activation's sizes (a conv weight of the wrong channel count, or a
// Gemm weight that does not match its input, was read past its end).
diag::Status checkParams(const detail::Graph& g, const detail::Lowered& low, const workload::Model& m) {
  for (const auto& L : m.layers) {
    if (L.op != workload::OpKind::Conv2d && L.op != workload::OpKind::Fc) continue;
    auto p = low.params.find(L.name);
    if (p == low.params.end()) continue;
    const workload::Shape& in = L.inputShapes[0];
    const int64_t K = L.op == workload::OpKind::Conv2d ? L.outChannels : L.outFeatures;
    const workload::Shape want = L.op == workload::OpKind::Conv2d
                                     ? workload::Shape{K, in[1] / L.groups, L.kernel[0], L.kernel[1]}
                                     : workload::Shape{K, in.back()};
    auto t = low.tensorOf.find(L.name);
    const diag::Location loc{g.file, "tensor '" + (t == low.tensorOf.end() ? L.name : t->second) + "'"};
    const std::string hint = "the weights do not belong to this network (a damaged or hand-edited file): re-export the model";
    if (p->second.weightShape != want)
      return diag::error("onnx.shape", loc,
                         "layer '" + L.name + "' reads a " + workload::shapeText(in) + " input, so its weight must be " +
                             workload::shapeText(want) + ", the file's is " + workload::shapeText(p->second.weightShape),
                         hint);
    const auto& w = p->second.weight;
    if (!w.empty() && static_cast<int64_t>(w.size()) != workload::elementCount(want))
      return diag::error("onnx.shape", loc, "layer '" + L.name + "' has " + std::to_string(w.size()) + " weight values for shape " +
                                                workload::shapeText(want), hint);
    const auto& b = p->second.bias;
    if (!b.empty() && static_cast<int64_t>(b.size()) != K)
      return diag::error("onnx.shape", loc, "layer '" + L.name + "' has " + std::to_string(b.size()) + " bias values for " +
                                                std::to_string(K) + " outputs", hint);
  }
  return {};
}

// The model format's own limits (value ranges of the fields, as the model loader checks them).
diag::Status checkLoadable(const workload::Model& m, const std::string& file) {
  auto back = workload::parseModel(workload::toJson(m), file);
  if (back) return {};
  diag::Diagnostic d = back.error();
  d.message = "the imported model is outside what a model file may hold (" + d.location.pointer + "): " + d.message;
  d.location.pointer = "";
  return d;
}

}  // namespace

diag::Expected<ImportResult> importModel(const std::filesystem::path& path, const ImportOptions& options) {
  auto graph = detail::readGraph(path, options.inputShapes);
  if (!graph) return graph.error();
  auto low = detail::lower(*graph, options);
  if (!low) return low.error();
  ImportResult r;
  r.model = std::move(low->model);
  if (r.model.name == "onnx_model") r.model.name = sanitizeName(path.stem().string());
  if (auto st = r.model.finalize(path.string()); !st) return st.error();
  if (auto st = checkParams(*graph, *low, r.model); !st) return st.error();
  if (auto st = checkLoadable(r.model, path.string()); !st) return st.error();
  if (auto st = crossCheck(*graph, *low, r.model); !st) return st.error();
  r.skipped = std::move(low->skipped);
  r.hasWeights = low->hasWeights;
  r.params = std::move(low->params);
  if (r.hasWeights && options.quantizeWeights)
    if (auto st = detail::calibrate(r, options, path.string(), detail::modelScales(graph->quant, *low, r.model)); !st) return st.error();
  return r;
}

diag::Expected<std::map<std::string, std::vector<float>>> runReference(
    const ImportResult& result, const std::map<std::string, std::vector<float>>& inputs, io::StopToken stop) {
  return detail::forwardFloat(result.model, result.params, inputs, stop);
}

diag::Expected<std::pair<std::string, workload::Shape>> parseInputShape(std::string_view text) {
  auto bad = [&](const std::string& why) {
    return diag::error("onnx.input-shape", {"", "--input-shape " + std::string(text)}, "--input-shape '" + std::string(text) + "': " + why,
                       "write it as NAME=1,3,224,224 (or 1x3x224x224; NAME may be left out for a model with one input)");
  };
  std::string name;
  std::string_view dims = text;
  if (auto eq = text.rfind('='); eq != std::string_view::npos) {
    name = std::string(text.substr(0, eq));
    dims = text.substr(eq + 1);
    if (name.empty()) return bad("the name before '=' is empty");
  }
  workload::Shape shape;
  std::string cur;
  auto flush = [&]() -> bool {
    if (cur.empty() || cur.size() > 10) return false;
    const int64_t v = std::stoll(cur);
    if (v < 1 || v > workload::kMaxDim) return false;
    shape.push_back(v);
    cur.clear();
    return true;
  };
  for (char c : dims) {
    if (std::isdigit(static_cast<unsigned char>(c))) cur += c;
    else if (c == ',' || c == 'x' || c == 'X') {
      if (!flush()) return bad("each dimension must be a number from 1 to 2^31");
    } else {
      return bad(std::string("unexpected character '") + c + "'");
    }
  }
  if (!flush()) return bad("each dimension must be a number from 1 to 2^31");
  return std::pair<std::string, workload::Shape>{name, shape};
}

diag::Expected<InputShapes> parseInputShapes(const std::vector<std::string>& texts) {
  InputShapes shapes;
  for (const auto& text : texts) {
    auto s = parseInputShape(text);
    if (!s) return s.error();
    if (!shapes.emplace(s->first, s->second).second)
      return diag::error("onnx.input-shape", {"", "--input-shape " + text},
                         "--input-shape is given twice for " + (s->first.empty() ? "the input" : "'" + s->first + "'"),
                         "give each input's shape once");
  }
  return shapes;
}

diag::Expected<workload::Model> loadModelAny(std::string_view nameOrPath, const InputShapes& shapes) {
  std::string s(nameOrPath);
  if (s.size() > 5) {
    std::string ext = s.substr(s.size() - 5);
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext == ".onnx") {
      ImportOptions o;
      o.quantizeWeights = false;
      o.inputShapes = shapes;
      auto r = importModel(s, o);
      if (!r) return r.error();
      return std::move(r->model);
    }
  }
  if (!shapes.empty())
    return diag::error("onnx.input-shape", {s, ""}, "--input-shape applies to an .onnx model; '" + s + "' is a model JSON or built-in name",
                       "leave --input-shape out (a model JSON has fixed shapes), or pass the .onnx file");
  return workload::loadModelByName(nameOrPath);
}

diag::Status writeWeights(const ImportResult& result, const std::filesystem::path& dir) {
  io::Json cal;
  cal["schema_version"] = 1;
  cal["calibration"] = result.calibration;
  io::Json scales = io::Json::object();
  for (const auto& [t, s] : result.activationScales) scales[t] = s;
  cal["activation_scales"] = scales;
  io::Json layers = io::Json::object();
  for (const auto& [name, q] : result.quantized) {
    const auto base = dir / name;
    if (!q.multB) {
      if (auto st = golden::writeNpy(base.string() + ".weight.npy", golden::Tensor8(q.weightShape, q.weight)); !st) return st;
      if (auto st = golden::writeNpy(base.string() + ".bias.npy", golden::Tensor32({static_cast<int64_t>(q.bias.size())}, q.bias)); !st) return st;
    }
    if (!q.input.empty())
      if (auto st = golden::writeNpy(base.string() + ".input.npy", golden::Tensor8(q.inputShape, q.input)); !st) return st;
    if (!q.inputB.empty())
      if (auto st = golden::writeNpy(base.string() + ".input_b.npy", golden::Tensor8(q.inputShape, q.inputB)); !st) return st;
    io::Json qj;
    qj["mult"] = q.mult;
    if (q.multB) qj["mult_b"] = *q.multB;
    qj["shift"] = q.shift;
    qj["relu"] = q.relu;
    if (auto st = io::writeFileAtomic(base.string() + ".quant.json", qj.dump(2) + "\n"); !st) return st;
    if (q.multB) layers[name] = {{"input_scale", q.inputScale}, {"input_b_scale", q.weightScale}, {"output_scale", q.outputScale}};
    else layers[name] = {{"input_scale", q.inputScale}, {"weight_scale", q.weightScale}, {"output_scale", q.outputScale}};
  }
  cal["layers"] = layers;
  if (!result.modelScaled.empty()) cal["model_scaled"] = result.modelScaled;
  return io::writeFileAtomic(dir / "calibration.json", cal.dump(2) + "\n");
}

}  // namespace dnnchip::onnx
