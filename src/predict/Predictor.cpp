// Whole-model prediction (see Predictor.h): per layer choose the engine and mapping, evaluate
// (coarse reuse analysis or fine tile simulation), cost vector layers on the vector unit, then
// combine: layer-sequential engines add layer latencies; a layer pipeline's throughput is set
// by its slowest stage and its latency by the pipeline depth (stages x slowest stage).
// Cost: one default mapping and one evaluation per compute layer (fine: one step per tile).

#include "dnnchip/predict/Predictor.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "dnnchip/arch/Engine.h"
#include "dnnchip/arch/Lowering.h"
#include "dnnchip/mapping/DefaultMapper.h"
#include "dnnchip/mapping/MappingCheck.h"
#include "dnnchip/predict/FineSimulator.h"
#include "dnnchip/schedule/CycleModel.h"

namespace dnnchip::predict {

using workload::Dim;

workload::LoopNest batchedNest(const workload::Layer& layer, int64_t batch) {
  workload::LoopNest n = *layer.loopNest();
  n.bound[Dim::N] *= std::max<int64_t>(1, batch);
  return n;
}

namespace {

void addNamed(NamedValues& v, const std::string& name, double x) {
  for (auto& [k, val] : v)
    if (k == name) {
      val += x;
      return;
    }
  v.emplace_back(name, x);
}

// The measured fraction of zero inputs of `layer`, 0 when the options give none.
double zeroFraction(const PredictOptions& opt, const std::string& layer) {
  if (!opt.inputZeroFraction) return 0;
  for (const auto& [name, z] : *opt.inputZeroFraction)
    if (name == layer) return std::clamp(z, 0.0, 1.0);
  return 0;
}

// Data gating (Eyeriss JSSC'17): a PE that sees a zero input skips its MAC and the read of the
// weight it would multiply, so a fraction z of both energies is not spent.
void applyDataGating(LayerEval& r, double z) {
  if (z <= 0) return;
  const double savedMac = r.macEnergyPj * z;
  const double savedRead = r.weightOperandReadPj * z;
  r.macEnergyPj -= savedMac;
  r.weightOperandReadPj -= savedRead;
  if (r.weightOperandLevel >= 0) r.levelEnergyPj[r.weightOperandLevel] -= savedRead;
  r.tensorEnergyPj[1] -= savedRead;
  r.energyPj -= savedMac + savedRead;
}

int stageForLayer(const DesignModel& d, const workload::Layer& l) {
  for (size_t i = 0; i < d.graph.stages.size(); ++i) {
    const auto& s = d.graph.stages[i].layers;
    if (std::find(s.begin(), s.end(), l.name) != s.end()) return static_cast<int>(i);
  }
  return -1;
}

diag::Expected<LayerPrediction> predictCompute(const DesignModel& d, const workload::Layer& layer, const PredictOptions& opt,
                                               std::map<std::string, double>& capacityUse) {
  LayerPrediction lp;
  const int ei = d.engineForLayer(layer.name);
  const EngineModel& em = d.engines[ei];
  const mapping::Hierarchy& h = em.hierarchy;
  const workload::LoopNest nest = batchedNest(layer, opt.batch);
  lp.unit = h.array.name;
  lp.macs = nest.macs();
  diag::Location where;
  if (opt.layerMappings) {
    if (auto it = opt.layerMappings->find(layer.name); it != opt.layerMappings->end()) {
      lp.mapping = it->second;
      lp.mappingFromFile = true;
      where = {"", "layer '" + layer.name + "' (given mapping)"};
    }
  } else if (opt.mappings) {
    if (auto fm = mapping::mappingForLayer(*opt.mappings, layer.name, h)) {
      if (!*fm) return fm->error();
      lp.mapping = **fm;
      lp.mappingFromFile = true;
      where = {opt.mappings->file, opt.mappings->layerPointer.at(layer.name)};
    }
  }
  if (!lp.mappingFromFile) {
    lp.mapping = mapping::defaultMapping(h, nest);
    where = {"", "layer '" + layer.name + "' (default mapping)"};
  }
  lp.hasMapping = true;
  if (diag::Status s = mapping::validate(h, nest, lp.mapping, where); !s.ok()) {
    diag::Diagnostic diag = s.error();
    diag.message = "layer '" + layer.name + "': " + diag.message;
    return diag;
  }
  PreparedLayer prepared(em, nest);
  lp.eval = prepared.evaluate(lp.mapping);
  if (em.dataGating) applyDataGating(lp.eval, zeroFraction(opt, layer.name));
  const LayerEval& r = lp.eval;
  lp.activePes = r.activePes;
  lp.cycles = r.cycles;
  lp.bound = boundName(em, r);
  lp.energyPj = r.energyPj;
  lp.utilization = r.utilization;
  for (int t = 0; t < 3; ++t) lp.energyByTensorPj[t] = r.tensorEnergyPj[t];
  addNamed(lp.energyByNodePj, h.array.name, r.macEnergyPj);
  for (int l = 0; l < h.numLevels(); ++l) addNamed(lp.energyByNodePj, h.levels[l].name, r.levelEnergyPj[l]);
  for (int l = 0; l < h.numLevels(); ++l) {
    const std::array<double, 3> wordBytes{h.inputBits / 8.0, h.weightBits / 8.0, h.outputBits / 8.0};
    double bytes = 0;
    for (int t = 0; t < 3; ++t) bytes += (r.reads[l][t] + r.fills[l][t] + r.updates[l][t]) * wordBytes[t];
    addNamed(lp.accessBytesByNode, h.levels[l].name, bytes);
  }
  if (r.pathEnergyPj > 0) addNamed(lp.energyByNodePj, "paths", r.pathEnergyPj);
  if (r.controllerEnergyPj > 0) addNamed(lp.energyByNodePj, "controller", r.controllerEnergyPj);
  if (r.clockEnergyPj > 0) addNamed(lp.energyByNodePj, h.array.name + ".clock", r.clockEnergyPj);
  lp.terms.emplace_back("compute", r.computeCycles);
  for (int l = 0; l < h.numLevels(); ++l) lp.terms.emplace_back(h.levels[l].name, r.levelCycles[l]);
  for (size_t i = 0; i < em.paths.size() && i < r.pathCycles.size(); ++i)
    lp.terms.emplace_back(em.pathNames[i], r.pathCycles[i]);
  lp.terms.emplace_back("fill_drain", r.fillDrainCycles);
  lp.terms.emplace_back("exposed_fills", r.exposedFillCycles);
  lp.terms.emplace_back("controller_overhead", r.overheadCycles);
  for (int l = 1; l < h.numLevels(); ++l)
    if (h.levels[l].capacityBits > 0) {
      const double use = double(mapping::levelTileBits(h, nest, lp.mapping, l)) / double(h.levels[l].capacityBits);
      capacityUse[h.levels[l].name] = std::max(capacityUse[h.levels[l].name], use);
    }
  if (opt.mode == Mode::Fine) {
    const FineResult f = simulateLayer(em, nest, lp.mapping, r, d.dramBitsPerCycle);
    // The per-cycle clock energy follows the simulated cycles, not the coarse estimate.
    const double clockDelta = (f.cycles - r.cycles) * em.clockPjPerCycle;
    if (clockDelta != 0) {
      lp.energyPj += clockDelta;
      addNamed(lp.energyByNodePj, h.array.name + ".clock", clockDelta);
    }
    lp.cycles = f.cycles;
    lp.utilization = f.cycles > 0 ? double(lp.macs) / (f.cycles * double(h.totalPes())) : 0;
    lp.stallCyclesByNode.emplace_back(h.array.name, f.computeStallCycles);
    lp.stallCyclesByNode.emplace_back(d.dramName.empty() ? "dram" : d.dramName, f.dmaStallCycles);
    lp.terms.emplace_back("fine_compute_busy", f.computeBusyCycles);
    lp.terms.emplace_back("fine_dram_busy", f.dmaBusyCycles);
    lp.terms.emplace_back("fine_tiles", double(f.tiles));
    if (f.computeStallCycles > f.computeBusyCycles) lp.bound = d.dramName.empty() ? "dram" : d.dramName;
  }
  // A fused activation runs on the vector unit in the output stage (energy only, overlapped).
  const int64_t vops = layer.vectorOps() * std::max<int64_t>(1, opt.batch);
  if (vops > 0 && d.hasVector) {
    const double ve = double(vops) * d.vectorPjPerLaneOp;
    lp.vectorOps = vops;
    lp.energyPj += ve;
    addNamed(lp.energyByNodePj, d.vectorName, ve);
  }
  return lp;
}

LayerPrediction predictVector(const DesignModel& d, const workload::Layer& layer, const PredictOptions& opt) {
  LayerPrediction lp;
  const int64_t b = std::max<int64_t>(1, opt.batch);
  lp.vectorOps = layer.vectorOps() * b;
  // a training update moves its weights, gradients and optimizer state at their own width
  const double bits = layer.vectorTensorBits.value_or(d.graph.precision.activationBits);
  const double dramBits = double(layer.inputElements() + layer.outputElements()) * double(b) * bits;
  // No vector unit: the compute array's PEs act as lanes at MAC cost.
  const EngineModel& em = d.engines.front();
  const int lanes = d.hasVector ? d.vectorLanes : static_cast<int>(em.hierarchy.totalPes());
  const double pjPerOp = d.hasVector ? d.vectorPjPerLaneOp : em.macPj;
  lp.unit = d.hasVector ? d.vectorName : em.hierarchy.array.name;
  const double opCycles = std::ceil(double(lp.vectorOps) / double(std::max(1, lanes)));
  const double memCycles = d.vectorMemBitsPerCycle > 0 ? std::ceil(dramBits / d.vectorMemBitsPerCycle) : 0;
  lp.cycles = std::max(opCycles, memCycles);
  const std::string memName = !d.vectorMemName.empty() ? d.vectorMemName : d.dramName.empty() ? "dram" : d.dramName;
  lp.bound = memCycles > opCycles ? memName : "vector";
  lp.utilization = lp.cycles > 0 ? double(lp.vectorOps) / (lp.cycles * double(std::max(1, lanes))) : 0;
  const double opE = double(lp.vectorOps) * pjPerOp;
  const double memE = dramBits * d.dramPjPerBit;
  lp.energyPj = opE + memE;
  addNamed(lp.energyByNodePj, lp.unit, opE);
  if (!d.dramName.empty()) addNamed(lp.energyByNodePj, d.dramName, memE);
  if (!d.hasVector && em.clockPjPerCycle > 0) {  // the array's clock runs while its PEs act as lanes
    const double clock = lp.cycles * em.clockPjPerCycle;
    lp.energyPj += clock;
    addNamed(lp.energyByNodePj, lp.unit + ".clock", clock);
  }
  const double inBits = double(layer.inputElements()) * double(b) * bits;
  lp.energyByTensorPj[0] = inBits * d.dramPjPerBit;
  lp.energyByTensorPj[2] = memE - lp.energyByTensorPj[0];
  lp.terms.emplace_back("vector_ops", opCycles);
  lp.terms.emplace_back(memName, memCycles);
  return lp;
}

/// A generated systolic design's own schedule: the model lowered to the RTL engine's program, then
/// per layer the engine's phases, exact (fine mode: schedule::predictCycles, equal to the RTL) or
/// in closed form (coarse mode: schedule::estimateCycles). Indexed by model layer (phases of a
/// layer's descriptors summed, as the RTL's per-layer counters count them). Nothing when the design
/// is not a generated engine or the model does not lower onto it (then the mapping-based models
/// are used and a note says why). `fusedInto[i]` is the GEMM layer an add layer i runs in (a fused
/// residual add, counted in that layer's cycles), else -1.
struct EngineSchedule {
  std::vector<schedule::LayerCycles> cycles;
  std::vector<int> fusedInto;
};
std::optional<EngineSchedule> engineCycles(const DesignModel& d, const workload::Model& model, Mode mode,
                                           EngineCycleCache* cache, schedule::LoweringMemo* loweringMemo,
                                           std::vector<diag::Diagnostic>& notes, io::StopToken stop) {
  if (!d.tmpl || !d.tmpl->engine() || !d.library) return std::nullopt;
  schedule::LoweringOptions lowering;
  lowering.memo = loweringMemo;
  lowering.stop = stop;
  auto lowered = arch::lower(*d.tmpl, d.graph, *d.library, model, lowering);
  if (!lowered) {
    diag::Diagnostic n = lowered.error();
    n.severity = diag::Severity::Note;
    n.message = std::string(mode == Mode::Fine ? "fine mode uses the tile simulation"
                                               : "coarse mode uses the mapping's reuse analysis") +
                ", not the engine schedule: " + n.message;
    notes.push_back(n);
    return std::nullopt;
  }
  const auto& cfg = lowered->mapping.config;
  auto perDescriptor = mode == Mode::Coarse && cache ? cache->estimate(*lowered->engine, lowered->program, cfg)
                                                     : lowered->engine->cycles(lowered->program, cfg, mode == Mode::Fine);
  EngineSchedule out;
  out.fusedInto.assign(model.layers.size(), -1);
  for (const auto& desc : lowered->program.descriptors)
    if (desc.fuseAdd && desc.fusedAddIndex >= 0 && size_t(desc.fusedAddIndex) < model.layers.size())
      out.fusedInto[size_t(desc.fusedAddIndex)] = desc.layerIndex;
    else if (desc.fusePool && desc.fusedPoolIndex >= 0 && size_t(desc.fusedPoolIndex) < model.layers.size())
      out.fusedInto[size_t(desc.fusedPoolIndex)] = desc.layerIndex;
  std::vector<schedule::LayerCycles>& cycles = out.cycles;
  cycles.resize(model.layers.size());
  for (const schedule::LayerCycles& lc : perDescriptor) {
    if (lc.layerIndex < 0 || lc.layerIndex >= static_cast<int>(cycles.size())) continue;
    schedule::LayerCycles& c = cycles[lc.layerIndex];
    c.layerIndex = lc.layerIndex;
    c.overhead += lc.overhead;
    c.load += lc.load;
    c.compute += lc.compute;
    c.vector += lc.vector;
    c.store += lc.store;
    c.stall += lc.stall;
    for (int t = 0; t < 3; ++t) c.dramBytes[t] += lc.dramBytes[t];
  }
  return out;  // the End descriptor's kEndCycles are added to the network total by predict()
}

/// Overrides a layer's cycles, terms and bound with the engine's phases (times `batch`: the engine
/// runs one inference after another).
void applyEngineCycles(LayerPrediction& lp, const schedule::LayerCycles& c, double batch, double pes, bool compute) {
  lp.cycles = double(c.total()) * batch;
  if (lp.cycles <= 0) return;
  lp.terms.clear();
  const std::pair<const char*, uint64_t> phases[] = {{"engine_dma_read", c.load},  {"engine_array", c.compute},
                                                     {"engine_vector", c.vector},  {"engine_dma_write", c.store},
                                                     {"engine_weight_stall", c.stall}, {"engine_control", c.overhead}};
  uint64_t most = 0;
  for (const auto& [name, v] : phases) {
    lp.terms.emplace_back(name, double(v) * batch);
    if (v > most) {
      most = v;
      lp.bound = name;
    }
  }
  if (compute) lp.utilization = double(lp.macs) / (lp.cycles * pes);
}

/// Replaces the DRAM part of a layer's energy by the engine's own traffic: the bytes each tensor
/// moves over the AXI port (im2col gathers re-read inputs per window position, weights are
/// re-read per M tile) x 8 x the DRAM's pJ per bit. `old` is the DRAM energy per tensor the
/// mapping-based model gave; other levels, MACs and paths keep their figures.
void applyEngineTraffic(LayerPrediction& lp, const schedule::LayerCycles& c, double batch, const DesignModel& d,
                        const std::array<double, 3>& old) {
  double delta = 0;
  for (int t = 0; t < 3; ++t) {
    const double now = double(c.dramBytes[t]) * batch * 8.0 * d.dramPjPerBit;
    lp.energyByTensorPj[t] += now - old[t];
    delta += now - old[t];
  }
  lp.energyPj += delta;
  addNamed(lp.energyByNodePj, d.dramName, delta);
}

/// The DRAM-level energy per tensor of a mapping-based compute-layer prediction (the level-0
/// term of PreparedLayer::evaluate), or nothing when level 0 is not the design's DRAM.
std::optional<std::array<double, 3>> mappedDramEnergy(const LayerPrediction& lp, const EngineModel& em,
                                                      const DesignModel& d) {
  const mapping::Hierarchy& h = em.hierarchy;
  if (h.numLevels() == 0 || d.dramName.empty() || h.levels[0].name != d.dramName) return std::nullopt;
  const std::array<double, 3> bits{double(h.inputBits), double(h.weightBits), double(h.outputBits)};
  std::array<double, 3> e{};
  for (int t = 0; t < 3; ++t)
    e[t] = lp.eval.reads[0][t] * perWordPj(em.energy[0].readPj, h.levels[0].accessWidthBits, bits[t]) +
           (lp.eval.fills[0][t] + lp.eval.updates[0][t]) *
               perWordPj(em.energy[0].writePj, h.levels[0].accessWidthBits, bits[t]);
  return e;
}

}  // namespace

diag::Expected<Prediction> predict(const DesignModel& d, const workload::Model& model, const PredictOptions& opt) {
  if (opt.layerMappings) {
    for (const auto& [name, m] : *opt.layerMappings) {
      (void)m;
      const workload::Layer* l = model.findLayer(name);
      if (!l || !l->isCompute())
        return diag::error("mapping.unknown-layer", {"", "layer '" + name + "'"},
                           "a mapping is given for '" + name + "', which is not a compute layer of model '" +
                               model.name + "'",
                           "map only the conv2d, fc and matmul layers `dnnchip model show` lists");
    }
  } else if (opt.mappings) {
    if (diag::Status s = mapping::checkLayersExist(*opt.mappings, model); !s.ok()) return s.error();
  }
  Prediction p;
  p.model = model.name;
  p.design = d.graph.name;
  p.mode = opt.mode;
  p.batch = std::max<int64_t>(1, opt.batch);
  p.clockHz = d.clockHz;
  p.resources = d.resources;
  // residual_add's multiply mode is built only for a program with an elementwise Mul
  if (std::any_of(model.layers.begin(), model.layers.end(),
                  [](const workload::Layer& l) { return l.op == workload::OpKind::Mul; })) {
    p.resources.fpga.dsp += d.resources.mulUnitFpga.dsp;
    p.resources.fpga.lut += d.resources.mulUnitFpga.lut;
    p.resources.fpga.ff += d.resources.mulUnitFpga.ff;
  }
  // softmax_unit likewise only for a program with a softmax
  if (std::any_of(model.layers.begin(), model.layers.end(),
                  [](const workload::Layer& l) { return l.op == workload::OpKind::Softmax; })) {
    p.resources.fpga.dsp += d.resources.softmaxUnitFpga.dsp;
    p.resources.fpga.lut += d.resources.softmaxUnitFpga.lut;
    p.resources.fpga.ff += d.resources.softmaxUnitFpga.ff;
  }
  std::map<std::string, double> capacityUse;
  std::map<std::string, double> levelBusy;
  std::vector<double> stage(d.graph.stages.size(), 0.0);
  double unstaged = 0;
  std::vector<double> engineMacs(d.engines.size(), 0.0);
  const auto engine = opt.engineSchedule
                          ? engineCycles(d, model, opt.mode, opt.engineCycleCache, opt.loweringMemo, p.notes, opt.stop)
                          : std::optional<EngineSchedule>{};
  auto stopped = [&] {  // also after the lowering: a stopped lowering is not a lowering that failed
    return diag::error("search.interrupted", {}, "prediction stopped (Ctrl-C)", "");
  };
  if (opt.stop.stopRequested()) return stopped();
  std::map<int, size_t> rowOf;  // model layer -> its row in p.layers (fused adds have none)
  p.exactEngineSchedule = engine.has_value() && opt.mode == Mode::Fine;
  p.engineSchedule = engine.has_value();
  for (const diag::Diagnostic& n : d.notes) p.notes.push_back(n);
  for (size_t li = 0; li < model.layers.size(); ++li) {
    if (opt.stop.stopRequested()) return stopped();
    const workload::Layer& layer = model.layers[li];
    LayerPrediction lp;
    if (layer.isCompute()) {
      auto r = predictCompute(d, layer, opt, capacityUse);
      if (!r) return r.error();
      lp = std::move(*r);
      const int ei = d.engineForLayer(layer.name);
      engineMacs[ei] += double(lp.macs);
      const EngineModel& em = d.engines[ei];
      for (int l = 0; l < em.hierarchy.numLevels(); ++l) levelBusy[em.hierarchy.levels[l].name] += lp.eval.levelCycles[l];
    } else if (layer.isLayoutOnly()) {
      lp.unit = "-";
      lp.bound = "-";
    } else {
      lp = predictVector(d, layer, opt);
    }
    if (engine) {  // the generated engine's own schedule and traffic, one inference after another
      const schedule::LayerCycles& c = engine->cycles[li];
      applyEngineCycles(lp, c, double(p.batch), double(d.engines.front().hierarchy.totalPes()), layer.isCompute());
      if (layer.isCompute()) {
        if (auto old = mappedDramEnergy(lp, d.engines[d.engineForLayer(layer.name)], d))
          applyEngineTraffic(lp, c, double(p.batch), d, *old);
      } else if (!layer.isLayoutOnly() && !d.dramName.empty()) {
        applyEngineTraffic(lp, c, double(p.batch), d, {lp.energyByTensorPj[0], 0.0, lp.energyByTensorPj[2]});
      }
    }
    lp.name = layer.name;
    lp.op = std::string(workload::opName(layer.op));
    p.macs += lp.macs;
    p.energyPj += lp.energyPj;
    for (const auto& [k, v] : lp.energyByNodePj) addNamed(p.energyByNodePj, k, v);
    for (int t = 0; t < 3; ++t) p.energyByTensorPj[t] += lp.energyByTensorPj[t];
    const int s = d.pipelined ? stageForLayer(d, layer) : -1;
    if (s >= 0)
      stage[s] += lp.cycles;
    else
      unstaged += lp.cycles;
    const int into = engine ? engine->fusedInto[li] : -1;
    if (into >= 0 && rowOf.count(into)) {
      // a residual add fused into its GEMM's output path: one row "conv+add" with the GEMM's
      // cycles and traffic (the add's own DRAM energy is 0 above) and both layers' energy
      LayerPrediction& row = p.layers[rowOf[into]];
      row.name += "+" + lp.name;
      row.vectorOps += lp.vectorOps;
      row.energyPj += lp.energyPj;
      for (const auto& [k, v] : lp.energyByNodePj) addNamed(row.energyByNodePj, k, v);
      for (int t = 0; t < 3; ++t) row.energyByTensorPj[t] += lp.energyByTensorPj[t];
      continue;
    }
    rowOf[int(li)] = p.layers.size();
    p.layers.push_back(std::move(lp));
  }
  // The engine's End descriptor (fetch, decode, done) after the last layer: in the total, which
  // is then the RTL's start-to-done count, not in any layer.
  if (engine) unstaged += double(schedule::kEndCycles) * double(p.batch);
  double interval;
  if (d.pipelined && !stage.empty()) {
    const double slowest = *std::max_element(stage.begin(), stage.end());
    interval = slowest + unstaged;
    p.cycles = double(stage.size()) * slowest + unstaged;
    for (size_t i = 0; i < stage.size(); ++i) p.stageCycles.emplace_back(d.graph.stages[i].name, stage[i]);
  } else {
    p.cycles = unstaged;
    interval = unstaged;
  }
  p.latencyS = p.cycles / d.clockHz;
  const double intervalS = interval / d.clockHz;
  p.throughputInfPerS = intervalS > 0 ? double(p.batch) / intervalS : 0;
  p.gops = intervalS > 0 ? 2.0 * double(p.macs) / intervalS / 1e9 : 0;
  p.powerW = (p.latencyS > 0 ? p.energyPj * 1e-12 / p.latencyS : 0) + d.resources.leakageMw * 1e-3;
  for (size_t i = 0; i < d.engines.size(); ++i) {
    const double pes = double(d.engines[i].hierarchy.totalPes());
    p.computeUtilization.emplace_back(d.engines[i].hierarchy.array.name,
                                      p.cycles > 0 ? engineMacs[i] / (p.cycles * pes) : 0);
  }
  for (const graph::Node& n : d.graph.nodes()) {
    if (!n.isMemory()) continue;
    auto it = levelBusy.find(n.name);
    p.memoryBandwidthUtilization.emplace_back(n.name, it != levelBusy.end() && p.cycles > 0 ? it->second / p.cycles : 0);
    if (n.kind != graph::NodeKind::Dram) {
      auto c = capacityUse.find(n.name);
      p.memoryCapacityUtilization.emplace_back(n.name, c != capacityUse.end() ? c->second : 0);
    }
  }
  return p;
}

}  // namespace dnnchip::predict
