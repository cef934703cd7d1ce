// Co-simulation flow: manifest -> program -> testbench binary (built once per folder, rebuilt when
// the manifest is newer) -> one run per vector set -> DRAM dump -> per-layer comparison with the
// golden model. Seeded mode runs the whole program once (each layer reads the previous layer's
// RTL output from DRAM, and the golden chain is compared layer by layer). Vector mode runs one
// single-descriptor program per layer that has <layer>.input.npy. Cost: the simulator's run time
// plus O(DRAM bytes) to write and parse the hex images.
// Stopping (SimOptions::stop; Ctrl-C in the driver): the running tool's process group is killed
// within 20 ms and cosimulate returns sim.interrupted. Outputs (sim.json, and in vector mode every
// <layer>.output.npy) are written only after the last run, so an interrupted or failed run writes
// none; a testbench build that did not finish leaves no product that a later run could take for
// a finished one (a killed Verilator build's object folder is removed).

#include "dnnchip/sim/CoSim.h"

#include <fstream>
#include <sstream>

#include "dnnchip/arch/Lowering.h"
#include "dnnchip/codegen/DramImage.h"
#include "dnnchip/codegen/Generator.h"
#include "dnnchip/codegen/Manifest.h"
#include "dnnchip/golden/Npy.h"
#include "dnnchip/io/Files.h"
#include "dnnchip/sim/Process.h"

namespace dnnchip::sim {

namespace fs = std::filesystem;
using workload::Layer;
using workload::OpKind;

namespace {

struct Testbench {
  std::vector<std::string> runArgv;
};

std::string tail(const std::string& text, size_t lines) {
  if (text.empty()) return text;
  size_t pos = text.size();
  for (size_t n = 0; n <= lines && pos > 0; ++n) {
    pos = text.rfind('\n', pos - 1);
    if (pos == std::string::npos) return text;
  }
  return text.substr(pos + 1);
}

bool newerThan(const fs::path& a, const fs::path& b) {
  std::error_code e1, e2;
  auto ta = fs::last_write_time(a, e1), tb = fs::last_write_time(b, e2);
  return !e1 && !e2 && ta >= tb;
}

diag::Expected<Testbench> buildTestbench(const fs::path& dir, Simulator which, int timeout, io::StopToken stop) {
  Testbench tb;
  const fs::path manifest = dir / codegen::kManifestFile;
  std::vector<std::string> argv;
  fs::path product, log;
  if (which == Simulator::Verilator) {
    if (!findTool("verilator")) return toolMissing("verilator", "co-simulation (or pass --simulator iverilog)");
    product = dir / "sim" / "obj_verilator" / "tb_sim";
    log = dir / "sim" / "verilator_build.log";
    argv = {"verilator", "--cc", "--exe", "--build", "-j", "2", "-Wno-fatal", "-Wno-lint", "-Wno-style",
            "--top-module", "tb_core", "-Mdir", "sim/obj_verilator", "-o", "tb_sim", "-f", "filelist.f",
            "tb/axi_dram_model.v", "tb/tb_core.v", fs::absolute(dir / "tb" / "tb_main.cpp").string()};
    tb.runArgv = {product.string()};
  } else {
    if (!findTool("iverilog")) return toolMissing("iverilog", "co-simulation (or pass --simulator verilator)");
    if (!findTool("vvp")) return toolMissing("vvp", "co-simulation with Icarus Verilog");
    product = dir / "sim" / "tb_icarus.vvp";
    log = dir / "sim" / "iverilog_build.log";
    argv = {"iverilog", "-g2012", "-s", "tb_icarus", "-o", "sim/tb_icarus.vvp", "-c", "filelist.f",
            "tb/axi_dram_model.v", "tb/tb_core.v", "tb/tb_icarus.v"};
    tb.runArgv = {"vvp", "-n", product.string()};
  }
  if (fs::exists(product) && newerThan(product, manifest)) return tb;
  std::error_code ec;
  fs::remove(product, ec);  // stale; a build cut short must not leave it looking current
  fs::create_directories(dir / "sim", ec);
  ProcessResult r = runProcess(argv, dir, log, timeout, stop);
  if (r.interrupted || r.timedOut) {
    // Killed mid-way: a compiler may have left a truncated object file that make would reuse.
    fs::remove(product, ec);
    if (which == Simulator::Verilator) fs::remove_all(dir / "sim" / "obj_verilator", ec);
  }
  if (r.interrupted)
    return diag::error("sim.interrupted", {dir.string(), ""},
                       "stopped (Ctrl-C) while " + argv[0] + " built the testbench; nothing was written",
                       "run the command again to build it");
  if (r.timedOut)
    return diag::error("sim.timeout", {log.string(), ""}, "building the testbench took longer than " +
                       std::to_string(timeout) + " s", "see the log; simulate a smaller model");
  if (r.exitCode != 0 || !fs::exists(product))
    return diag::error("sim.build-failed", {log.string(), ""},
                       argv[0] + " failed to build the testbench (exit " + std::to_string(r.exitCode) +
                           "): " + tail(r.output, 6),
                       "see the log; regenerate the design folder with the same dnnchip version");
  return tb;
}

struct RunOutcome {
  std::map<int, uint64_t> layerCycles;  // descriptor index -> layer_cycles
  uint64_t total = 0;
  std::vector<uint8_t> dump;
};

diag::Expected<RunOutcome> runOnce(const fs::path& work, const codegen::RunImage& img, uint32_t memBytes,
                                   const Testbench& tb, int timeout, io::StopToken stop, const std::string& what) {
  std::vector<uint8_t> dram = img.dram, expected = img.expected;
  dram.resize(memBytes, 0);
  expected.resize(memBytes, 0);
  std::string checks;
  {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%016llx\n", static_cast<unsigned long long>(img.checkedRanges.size()));
    checks += buf;
    for (auto [a, b] : img.checkedRanges) {
      std::snprintf(buf, sizeof buf, "%016llx\n", static_cast<unsigned long long>((uint64_t{a} << 32) | b));
      checks += buf;
    }
  }
  for (auto [name, text] : std::vector<std::pair<std::string, std::string>>{
           {"program.hex", schedule::encodeProgram(img.program)},
           {"dram.hex", codegen::encodeByteHex(dram)},
           {"expected.hex", codegen::encodeByteHex(expected)},
           {"check.hex", checks}})
    if (auto s = io::writeFileAtomic(work / name, text); !s) return s.error();
  std::error_code ec;
  fs::remove(work / "result.txt", ec);
  fs::remove(work / "dram_out.hex", ec);
  ProcessResult r = runProcess(tb.runArgv, work, work / "run.log", timeout, stop);
  if (r.interrupted) {
    fs::remove(work / "result.txt", ec);
    fs::remove(work / "dram_out.hex", ec);
    return diag::error("sim.interrupted", {work.string(), ""},
                       "stopped (Ctrl-C) while simulating " + what + "; nothing was written",
                       "run the command again");
  }
  if (r.timedOut)
    return diag::error("sim.timeout", {(work / "run.log").string(), ""},
                       "the simulation ran longer than " + std::to_string(timeout) + " s",
                       "simulate a smaller model, or use --simulator verilator");
  auto result = io::readTextFile(work / "result.txt");
  if (r.exitCode != 0 || !result)
    return diag::error("sim.run-failed", {(work / "run.log").string(), ""},
                       "the simulation did not finish (exit " + std::to_string(r.exitCode) + "): " + tail(r.output, 6),
                       "see the log");
  RunOutcome out;
  std::istringstream in(*result);
  std::string key;
  bool timedOut = false;
  while (in >> key) {
    if (key == "layer") {
      uint64_t idx = 0, cyc = 0, edge = 0;
      in >> idx >> cyc >> edge;
      out.layerCycles[static_cast<int>(idx)] = cyc;
    } else if (key == "total") {
      in >> out.total;
    } else if (key == "timeout") {
      timedOut = true;
    }
    std::string rest;
    std::getline(in, rest);
  }
  if (timedOut)
    return diag::error("sim.timeout", {(work / "result.txt").string(), ""},
                       "the engine did not signal done within the testbench's cycle limit",
                       "the RTL hangs on this program; see run.log");
  auto dumpText = io::readTextFile(work / "dram_out.hex");
  if (!dumpText) return dumpText.error();
  auto dump = codegen::decodeByteHex(*dumpText, memBytes);
  if (!dump) return dump.error();
  out.dump = std::move(*dump);
  return out;
}

std::string coordinates(const workload::Shape& s, int64_t flat) {
  static const char* n4[] = {"n", "c", "h", "w"};
  std::vector<int64_t> idx(s.size());
  for (size_t i = s.size(); i-- > 0;) {
    idx[i] = flat % s[i];
    flat /= s[i];
  }
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    std::string name = s.size() == 4 ? n4[i] : (s.size() == 2 ? (i == 0 ? "row" : "col") : "d" + std::to_string(i));
    out += (out.empty() ? "" : " ") + name + "=" + std::to_string(idx[i]);
  }
  return out;
}

void compare(LayerSimResult& r, const golden::Tensor8& expected, const golden::Tensor8& got) {
  r.compared = true;
  r.elements = expected.size();
  r.match = true;
  for (size_t i = 0; i < expected.data.size(); ++i)
    if (expected.data[i] != got.data[i]) {
      r.match = false;
      r.firstMismatch = static_cast<int64_t>(i);
      r.firstMismatchAt = coordinates(expected.shape, static_cast<int64_t>(i));
      r.got = got.data[i];
      r.expected = expected.data[i];
      return;
    }
}

// ---- per-layer vectors -----------------------------------------------------------------------

diag::Diagnostic missingVector(const fs::path& file, const std::string& layer) {
  return diag::error("sim.vectors-missing", {file.string(), ""},
                     "layer '" + layer + "' has an input vector but no " + file.filename().string(),
                     "add the file (docs/codegen.md#vectors lists what each layer needs)");
}

// The activation of a layer from its quant.json (docs/codegen.md#vectors): "clamp": [lo, hi]
// (ReLU6, Clip: int8 bounds in the output's domain) and "table": 256 int8 entries (smooth
// functions: entry c + 128 for code c). A layer whose activation needs one and lacks it is
// sim.vectors-quant.
golden::ActivationParams readActivation(const io::JsonView& v, const Layer& L) {
  golden::ActivationParams a;
  const std::string act(workload::activationName(L.activation));
  if (auto c = v.find("clamp")) {
    if (!golden::usesClamp(L.activation))
      c->fail("sim.vectors-quant", "layer '" + L.name + "' has activation '" + act + "', which has no clamp pair",
              "give \"clamp\" only for relu6 and clip layers");
    auto items = c->items();
    if (items.size() != 2) c->fail("sim.vectors-quant", "\"clamp\" needs two int8 bounds [lo, hi]", "write \"clamp\": [lo, hi]");
    a.lo = static_cast<int8_t>(items[0].asInt(-128, 127));
    a.hi = static_cast<int8_t>(items[1].asInt(a.lo, 127));
  } else if (golden::usesClamp(L.activation)) {
    v.fail("sim.vectors-quant", "layer '" + L.name + "' has activation '" + act + "' but no \"clamp\" [lo, hi]",
           "add \"clamp\": the bounds divided by the output scale, rounded (docs/quantization.md#activations)");
  }
  if (auto t = v.find("table")) {
    if (!golden::usesTable(L.activation))
      t->fail("sim.vectors-quant", "layer '" + L.name + "' has activation '" + act + "', which has no table",
              "give \"table\" only for sigmoid, hardsigmoid, hardswish, silu, gelu and tanh layers");
    auto items = t->items();
    if (items.size() != 256) t->fail("sim.vectors-quant", "\"table\" needs 256 int8 entries", "give one entry per int8 code, -128 first");
    for (auto& e : items) a.table.push_back(static_cast<int8_t>(e.asInt(-128, 127)));
  } else if (golden::usesTable(L.activation)) {
    v.fail("sim.vectors-quant", "layer '" + L.name + "' has activation '" + act + "' but no \"table\"",
           "add \"table\": 256 int8 entries, f(c * s_in) / s_out rounded for c = -128..127 (docs/quantization.md#activations)");
  }
  return a;
}

diag::Expected<golden::QuantParams> readQuant(const fs::path& file, const Layer& L, golden::ActivationParams* act) {
  auto json = io::readJsonFile(file);
  if (!json) return json.error();
  return diag::capture([&] {
    io::JsonView v(*json, file.string());
    v.rejectUnknown({"mult", "mult_b", "shift", "relu", "clamp", "table"});
    *act = readActivation(v, L);
    golden::QuantParams q;
    q.mult = static_cast<uint32_t>(v.at("mult").asInt(0, golden::kMaxMult));
    q.shift = static_cast<int>(v.at("shift").asInt(golden::kMinShift, golden::kMaxShift));
    if (auto b = v.find("mult_b")) q.multB = static_cast<uint32_t>(b->asInt(0, golden::kMaxMult));
    else if (L.op == OpKind::Add) v.fail("sim.vectors-quant", "an add layer needs \"mult_b\", the multiplier of its second input",
                                         "add \"mult_b\" (0..65535)");
    bool relu = L.activation == workload::ActivationKind::Relu;
    // dnnchip import writes relu for ReLU6 too (its lower bound); the clamp pair holds it
    const bool reluOk = relu || L.activation == workload::ActivationKind::Relu6;
    if (auto r = v.find("relu")) {
      if (r->asBool() != relu && !(r->asBool() && reluOk))
        r->fail("sim.vectors-quant",
                std::string("\"relu\" is ") + (relu ? "false" : "true") + " but layer '" + L.name + "' " +
                    (relu ? "has" : "has no") + " ReLU in the model",
                "make \"relu\" agree with the model (the program is generated from it)");
    }
    q.relu = relu;
    return q;
  });
}

struct LayerVectors {
  std::vector<golden::Tensor8> inputs;
  golden::LayerParams params;
};

// Returns nullopt (as an empty optional inside Expected) when the layer has no input vector.
diag::Expected<std::optional<LayerVectors>> readLayerVectors(const fs::path& vdir, const Layer& L) {
  const fs::path input = vdir / (L.name + ".input.npy");
  if (!fs::exists(input)) return std::optional<LayerVectors>{};
  LayerVectors v;
  std::vector<fs::path> inputFiles = {input};
  if (L.inputs.size() > 1) inputFiles.push_back(vdir / (L.name + ".input_b.npy"));
  for (size_t i = 0; i < inputFiles.size(); ++i) {
    if (!fs::exists(inputFiles[i])) return missingVector(inputFiles[i], L.name);
    auto t = golden::readNpyInt8(inputFiles[i]);
    if (!t) return t.error();
    if (auto s = golden::checkShape(t->shape, L.inputShapes[i], inputFiles[i].string(),
                                    "input " + std::to_string(i) + " of layer '" + L.name + "'"); !s)
      return s.error();
    v.inputs.push_back(std::move(*t));
  }
  if (golden::hasWeights(L)) {
    fs::path wf = vdir / (L.name + ".weight.npy");
    if (!fs::exists(wf)) return missingVector(wf, L.name);
    auto w = golden::readNpyInt8(wf);
    if (!w) return w.error();
    if (auto s = golden::checkShape(w->shape, golden::weightShape(L), wf.string(), "weight of layer '" + L.name + "'"); !s)
      return s.error();
    if (auto s = golden::checkWeightRange(*w, wf.string(), "weight of layer '" + L.name + "'"); !s) return s.error();
    v.params.weight = std::move(*w);
    fs::path bf = vdir / (L.name + ".bias.npy");
    if (fs::exists(bf)) {
      auto b = golden::readNpyInt32(bf);
      if (!b) return b.error();
      if (auto s = golden::checkShape(b->shape, {golden::weightShape(L)[0]}, bf.string(), "bias of layer '" + L.name + "'"); !s)
        return s.error();
      v.params.bias = std::move(*b);
    } else if (L.bias) {
      return missingVector(bf, L.name);
    }
  }
  fs::path qf = vdir / (L.name + ".quant.json");
  const bool needsAct = golden::usesClamp(L.activation) || golden::usesTable(L.activation);
  if (golden::hasQuant(L)) {
    if (!fs::exists(qf)) return missingVector(qf, L.name);
    auto q = readQuant(qf, L, &v.params.act);
    if (!q) return q.error();
    v.params.quant = *q;
  } else if (needsAct) {  // a pool or standalone activation: quant.json holds only the activation
    if (!fs::exists(qf)) return missingVector(qf, L.name);
    auto json = io::readJsonFile(qf);
    if (!json) return json.error();
    auto a = diag::capture([&] {
      io::JsonView jv(*json, qf.string());
      jv.rejectUnknown({"clamp", "table"});
      return readActivation(jv, L);
    });
    if (!a) return a.error();
    v.params.act = *a;
  }
  if (L.op == OpKind::AvgPool) {
    v.params.quant = golden::averageQuant(L.kernel[0] * L.kernel[1]);
  } else if (L.op == OpKind::GlobalAvgPool) {
    v.params.quant = golden::averageQuant(L.inputShapes[0][2] * L.inputShapes[0][3]);
  }
  return std::optional<LayerVectors>(std::move(v));
}

}  // namespace

io::Json SimReport::toJson() const {
  io::Json j;
  j["simulator"] = simulator;
  j["mode"] = perLayerVectors ? "vectors" : "seeded";
  io::Json layers = io::Json::array();
  for (const auto& l : this->layers) {
    io::Json e = {{"name", l.layer}, {"op", l.op}, {"cycles", l.rtlCycles}, {"predicted_cycles", l.predictedCycles}};
    e["compared"] = l.compared;
    e["match"] = l.match;
    if (l.compared && !l.match)
      e["first_mismatch"] = {{"index", l.firstMismatch}, {"at", l.firstMismatchAt}, {"got", l.got}, {"expected", l.expected}};
    layers.push_back(e);
  }
  j["layers"] = layers;
  j["total"] = {{"cycles", rtlTotalCycles}, {"predicted_cycles", predictedTotalCycles}};
  j["all_match"] = allMatch;
  return j;
}

diag::Diagnostic mismatchDiagnostic(const SimReport& r) {
  for (const auto& l : r.layers)
    if (l.compared && !l.match)
      return diag::error("sim.mismatch", {"", "layer '" + l.layer + "'"},
                         "layer '" + l.layer + "' differs from the golden model at element " +
                             std::to_string(l.firstMismatch) + " (" + l.firstMismatchAt + "): RTL " +
                             std::to_string(l.got) + ", golden " + std::to_string(l.expected),
                         "the RTL does not compute the layer bit-exactly; report this with the design folder");
  return diag::error("sim.mismatch", {}, "no mismatch", "");
}

diag::Expected<SimReport> cosimulate(const fs::path& designDir, const SimOptions& opt) {
  // Absolute: the tools run inside the design and work folders, and their argv names files here.
  std::error_code absErr;
  const fs::path dir = fs::absolute(designDir, absErr);
  auto loaded = codegen::loadManifest(dir);
  if (!loaded) return loaded.error();
  const workload::Model& model = loaded->model;
  schedule::EngineConfig cfg = loaded->manifest.config;
  // Per-layer vectors run each layer on its own: no fused residual add (it needs two layers' data).
  schedule::LoweringOptions lowering;
  lowering.fuseResidualAdd = !opt.vectorsDir.has_value();
  auto program = arch::lowerForConfig(model, cfg, lowering);
  if (!program) return program.error();
  if (auto s = golden::checkSupported(model); !s) return s.error();
  const uint32_t memBytes = loaded->manifest.memBytes;

  // Read and check all vectors before running any tool: bad input fails fast.
  std::vector<std::pair<const schedule::LayerDescriptor*, LayerVectors>> perLayer;
  if (opt.vectorsDir) {
    if (!fs::is_directory(*opt.vectorsDir))
      return diag::error("io.open", {opt.vectorsDir->string(), ""}, "the vectors folder does not exist",
                         "pass a folder holding <layer>.input.npy files");
    for (const auto& d : program->descriptors) {
      const Layer& L = model.layers[static_cast<size_t>(d.layerIndex)];
      auto v = readLayerVectors(*opt.vectorsDir, L);
      if (!v) return v.error();
      if (*v) perLayer.emplace_back(&d, std::move(**v));
    }
    if (perLayer.empty())
      return diag::error("sim.vectors-missing", {opt.vectorsDir->string(), ""},
                         "no <layer>.input.npy for any layer the engine runs",
                         "name the files after the layers, as `dnnchip model show M --json` lists them");
  }

  auto tb = buildTestbench(dir, opt.simulator, opt.timeoutSeconds, opt.stop);
  if (!tb) return tb.error();

  SimReport rep;
  rep.simulator = opt.simulator == Simulator::Verilator ? "verilator" : "iverilog";
  rep.perLayerVectors = opt.vectorsDir.has_value();
  auto describe = [&](const schedule::LayerDescriptor& d) {
    LayerSimResult r;
    r.layerIndex = d.layerIndex;
    r.layer = (d.fuseAdd || d.fusePool) ? d.layerName : model.layers[static_cast<size_t>(d.layerIndex)].name;
    r.op = std::string(workload::opName(model.layers[static_cast<size_t>(d.layerIndex)].op));
    return r;
  };

  if (!opt.vectorsDir) {
    auto run = golden::randomRun(model, opt.seed, opt.stop);
    if (!run) return run.error();
    std::map<std::string, const golden::Tensor8*> inputs;
    for (const auto& [name, t] : run->params.inputs) inputs[name] = &t;
    auto made = codegen::makeRunImage(*program, cfg, model, run->params, inputs, run->outputs);
    if (!made) return made.error();
    auto img = std::move(*made);
    auto predicted = schedule::predictCycles(img.program, cfg);
    fs::path work = dir / "sim" / ("run_seed" + std::to_string(opt.seed));
    auto out = runOnce(work, img, memBytes, *tb, opt.timeoutSeconds, opt.stop,
                       "the whole program (" + std::to_string(img.program.descriptors.size()) + " layers)");
    if (!out) return out.error();
    rep.rtlTotalCycles = out->total;
    rep.predictedTotalCycles = schedule::kEndCycles;
    for (size_t i = 0; i < img.program.descriptors.size(); ++i) {
      const auto& d = img.program.descriptors[i];
      LayerSimResult r = describe(d);
      r.rtlCycles = out->layerCycles.count(static_cast<int>(i)) ? out->layerCycles[static_cast<int>(i)] : 0;
      r.predictedCycles = i < predicted.size() ? predicted[i].total() : 0;
      rep.predictedTotalCycles += r.predictedCycles;
      const int outIdx = d.outputLayerIndex();  // a fused conv+add stores the add's output
      const Layer& L = model.layers[static_cast<size_t>(outIdx)];
      if (const auto* place = codegen::outputPlacement(img.program, model, outIdx)) {
        golden::Tensor8 got = codegen::loadActivation(out->dump, *place, L.outputShape);
        compare(r, run->outputs.layers[static_cast<size_t>(outIdx)], got);
      }
      rep.layers.push_back(r);
    }
  } else {
    rep.predictedTotalCycles = 0;
    std::vector<std::pair<fs::path, golden::Tensor8>> outputs;  // written once every layer ran
    for (auto& [dp, vec] : perLayer) {
      const auto& d = *dp;
      const Layer& L = model.layers[static_cast<size_t>(d.layerIndex)];
      std::vector<const golden::Tensor8*> ins;
      for (const auto& t : vec.inputs) ins.push_back(&t);
      auto expected = golden::runLayer(L, ins, vec.params, opt.stop);
      if (!expected) return expected.error();
      golden::ModelParams params;
      params.layers.resize(model.layers.size());
      params.layers[static_cast<size_t>(d.layerIndex)] = vec.params;
      golden::ModelOutputs outs;
      outs.layers.resize(model.layers.size());
      outs.layers[static_cast<size_t>(d.layerIndex)] = *expected;
      std::map<std::string, const golden::Tensor8*> acts;
      for (size_t i = 0; i < L.inputs.size(); ++i) acts[L.inputs[i]] = &vec.inputs[i];
      schedule::Program one = *program;
      one.descriptors = {d};
      auto made = codegen::makeRunImage(one, cfg, model, params, acts, outs);
      if (!made) return made.error();
      auto img = std::move(*made);
      auto predicted = schedule::predictCycles(img.program, cfg);
      fs::path work = dir / "sim" / "run_vectors" / L.name;
      auto out = runOnce(work, img, memBytes, *tb, opt.timeoutSeconds, opt.stop, "layer '" + L.name + "'");
      if (!out) return out.error();
      LayerSimResult r = describe(d);
      r.rtlCycles = out->layerCycles.count(0) ? out->layerCycles[0] : 0;
      r.predictedCycles = predicted.empty() ? 0 : predicted[0].total();
      rep.rtlTotalCycles += out->total;
      rep.predictedTotalCycles += r.predictedCycles + schedule::kEndCycles;
      if (const auto* place = codegen::outputPlacement(img.program, model, d.layerIndex)) {
        golden::Tensor8 got = codegen::loadActivation(out->dump, *place, L.outputShape);
        compare(r, *expected, got);
        outputs.emplace_back(*opt.vectorsDir / (L.name + ".output.npy"), std::move(got));
      }
      rep.layers.push_back(r);
    }
    for (const auto& [file, tensor] : outputs)
      if (auto s = golden::writeNpy(file, tensor); !s) return s.error();
  }
  rep.allMatch = true;
  for (const auto& l : rep.layers) rep.allMatch = rep.allMatch && (!l.compared || l.match);
  fs::path json = opt.vectorsDir ? *opt.vectorsDir / "sim.json" : dir / "sim" / "sim.json";
  if (auto s = io::writeFileAtomic(json, rep.toJson().dump(2) + "\n"); !s) return s.error();
  return rep;
}

}  // namespace dnnchip::sim
