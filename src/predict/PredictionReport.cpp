// The prediction as JSON (docs/predictor.md#json) and as a text table for the terminal.

#include <cstdio>
#include <string>

#include "dnnchip/mapping/MappingJson.h"
#include "dnnchip/predict/Predictor.h"

namespace dnnchip::predict {

namespace {

io::Json named(const NamedValues& v) {
  io::Json o = io::Json::object();
  for (const auto& [k, x] : v) o[k] = x;
  return o;
}

io::Json fpgaJson(const ip::FpgaResources& f) {
  return {{"dsp", f.dsp}, {"bram18", f.bram18}, {"bram36", f.bram36}, {"uram", f.uram},
          {"lutram_luts", f.lutramLuts}, {"lut", f.lut}, {"ff", f.ff}};
}

}  // namespace

io::Json toJson(const Prediction& p) {
  io::Json j;
  j["schema_version"] = 1;
  j["model"] = p.model;
  j["design"] = p.design;
  j["mode"] = p.mode == Mode::Fine ? "fine" : "coarse";
  j["batch"] = p.batch;
  j["engine_schedule"] = p.engineSchedule;
  j["exact_engine_schedule"] = p.exactEngineSchedule;
  j["clock_hz"] = p.clockHz;
  j["total"] = {{"cycles", p.cycles},
                {"latency_s", p.latencyS},
                {"energy_pj", p.energyPj},
                {"power_w", p.powerW},
                {"throughput_inf_per_s", p.throughputInfPerS},
                {"gops", p.gops},
                {"macs", p.macs},
                {"energy_by_node_pj", named(p.energyByNodePj)},
                {"energy_by_tensor_pj",
                 {{"input", p.energyByTensorPj[0]}, {"weight", p.energyByTensorPj[1]}, {"output", p.energyByTensorPj[2]}}}};
  if (!p.stageCycles.empty()) j["total"]["stage_cycles"] = named(p.stageCycles);
  if (p.training) {
    const TrainingSummary& t = *p.training;
    j["phase"] = "training";
    io::Json passes = io::Json::object();
    static constexpr const char* kPass[4] = {"fwd", "bwd_data", "bwd_weight", "update"};
    for (int k = 0; k < 4; ++k)
      passes[kPass[k]] = {{"macs", t.macsByPass[k]}, {"cycles", t.cyclesByPass[k]}, {"energy_pj", t.energyByPassPj[k]}};
    j["training"] = {{"optimizer", t.optimizer},
                     {"passes", passes},
                     {"saved_activation_elements", t.savedActivationElements},
                     {"saved_statistic_elements", t.savedStatisticElements},
                     {"saved_index_elements", t.savedIndexElements},
                     {"saved_bytes", t.savedBytes},
                     {"parameters", t.parameters},
                     {"optimizer_state_elements", t.optimizerStateElements},
                     {"parameter_bytes", t.parameterBytes}};
  }
  io::Json layers = io::Json::array();
  for (const LayerPrediction& l : p.layers) {
    io::Json lj;
    lj["name"] = l.name;
    lj["op"] = l.op;
    if (!l.pass.empty()) lj["pass"] = l.pass;
    lj["unit"] = l.unit;
    lj["cycles"] = l.cycles;
    lj["energy_pj"] = l.energyPj;
    lj["utilization"] = l.utilization;
    lj["bound"] = l.bound;
    lj["macs"] = l.macs;
    lj["vector_ops"] = l.vectorOps;
    lj["active_pes"] = l.activePes;
    lj["energy_by_node_pj"] = named(l.energyByNodePj);
    lj["energy_by_tensor_pj"] = {{"input", l.energyByTensorPj[0]}, {"weight", l.energyByTensorPj[1]},
                                 {"output", l.energyByTensorPj[2]}};
    lj["latency_terms_cycles"] = named(l.terms);
    if (!l.stallCyclesByNode.empty()) lj["stall_cycles_by_node"] = named(l.stallCyclesByNode);
    if (l.hasMapping) lj["mapping_source"] = l.mappingFromFile ? "file" : "default";
    layers.push_back(lj);
  }
  j["layers"] = layers;
  io::Json areaByNode = io::Json::object();
  for (const auto& [k, v] : p.resources.areaByNodeUm2) areaByNode[k] = v;
  j["resources"] = {{"area_um2", p.resources.areaUm2},
                    {"area_mm2", p.resources.areaUm2 * 1e-6},
                    {"leakage_mw", p.resources.leakageMw},
                    {"area_by_node_um2", areaByNode},
                    {"fpga", fpgaJson(p.resources.fpga)},
                    {"fpga_logic_from", p.resources.fpgaLogicFromRtl ? "rtl_synthesis" : "ip_estimates"}};
  j["utilization"] = {{"compute", named(p.computeUtilization)},
                      {"memory_bandwidth", named(p.memoryBandwidthUtilization)},
                      {"memory_capacity", named(p.memoryCapacityUtilization)}};
  return j;
}

std::string formatTable(const Prediction& p) {
  std::string out;
  char buf[512];
  std::snprintf(buf, sizeof buf, "model %s on design %s (%s mode, batch %lld, %.0f MHz)\n", p.model.c_str(),
                p.design.c_str(), p.mode == Mode::Fine ? "fine" : "coarse", static_cast<long long>(p.batch),
                p.clockHz / 1e6);
  out += buf;
  if (p.training) {  // a training step: one row per pass, with its pass and MACs
    std::snprintf(buf, sizeof buf, "%-36s %-10s %-20s %14s %14s %14s %7s  %s\n", "layer", "pass", "op", "macs",
                  "cycles", "energy_uJ", "util", "bound");
    out += buf;
    for (const LayerPrediction& l : p.layers) {
      std::snprintf(buf, sizeof buf, "%-36s %-10s %-20s %14lld %14.0f %14.3f %6.1f%%  %s\n", l.name.c_str(),
                    l.pass.c_str(), l.op.c_str(), static_cast<long long>(l.macs), l.cycles, l.energyPj * 1e-6,
                    100.0 * l.utilization, l.bound.c_str());
      out += buf;
    }
  } else {
    std::snprintf(buf, sizeof buf, "%-28s %-12s %14s %14s %7s  %s\n", "layer", "op", "cycles", "energy_uJ", "util",
                  "bound");
    out += buf;
    for (const LayerPrediction& l : p.layers) {
      std::snprintf(buf, sizeof buf, "%-28s %-12s %14.0f %14.3f %6.1f%%  %s\n", l.name.c_str(), l.op.c_str(),
                    l.cycles, l.energyPj * 1e-6, 100.0 * l.utilization, l.bound.c_str());
      out += buf;
    }
  }
  std::snprintf(buf, sizeof buf,
                "total: %.0f cycles, %.6g s, %.6g uJ, %.4g W, %.4g inf/s, %.4g GOP/s, %lld MACs\n", p.cycles,
                p.latencyS, p.energyPj * 1e-6, p.powerW, p.throughputInfPerS, p.gops, static_cast<long long>(p.macs));
  out += buf;
  if (p.training) {
    const TrainingSummary& t = *p.training;
    static constexpr const char* kPass[4] = {"forward", "backward-data", "backward-weight", "update"};
    for (int k = 0; k < 4; ++k) {
      std::snprintf(buf, sizeof buf, "  %-16s %16lld MACs %14.0f cycles %14.6g uJ\n", kPass[k],
                    static_cast<long long>(t.macsByPass[k]), t.cyclesByPass[k], t.energyByPassPj[k] * 1e-6);
      out += buf;
    }
    std::snprintf(buf, sizeof buf,
                  "training step (%s, batch %lld): saved for backward %lld bytes (%lld activations, %lld statistics, "
                  "%lld indices); %lld parameters, %lld optimizer-state elements, %lld bytes of weights + "
                  "gradients + state; %.4g samples/s\n",
                  t.optimizer.c_str(), static_cast<long long>(p.batch), static_cast<long long>(t.savedBytes),
                  static_cast<long long>(t.savedActivationElements), static_cast<long long>(t.savedStatisticElements),
                  static_cast<long long>(t.savedIndexElements), static_cast<long long>(t.parameters),
                  static_cast<long long>(t.optimizerStateElements), static_cast<long long>(t.parameterBytes),
                  p.throughputInfPerS);
    out += buf;
  }
  if (p.resources.areaUm2 > 0) {
    std::snprintf(buf, sizeof buf, "area: %.4g mm2\n", p.resources.areaUm2 * 1e-6);
    out += buf;
  }
  const ip::FpgaResources& f = p.resources.fpga;
  if (f.dsp + f.bram18 + f.bram36 + f.uram + f.lut + f.ff > 0) {
    std::snprintf(buf, sizeof buf, "fpga: %.0f DSP, %.0f BRAM18, %.0f BRAM36, %.0f URAM, %.0f LUT, %.0f FF%s\n", f.dsp,
                  f.bram18, f.bram36, f.uram, f.lut, f.ff,
                  p.resources.fpgaLogicFromRtl ? " (logic from the templates' Yosys figures)" : "");
    out += buf;
  }
  return out;
}

}  // namespace dnnchip::predict
