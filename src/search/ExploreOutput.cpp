// Writers of the explore output folder (ExploreOutput.h). Numbers are printed with %.6g so the
// text is identical across runs and platforms with the same libc; designs appear in (cost, id)
// order as the search reduced them. Each file goes through io::writeFileAtomic; a run without a
// winner removes the best/ folder an earlier run may have left.

#include "dnnchip/search/ExploreOutput.h"

#include <cstdio>

#include "dnnchip/graph/GraphJson.h"
#include "dnnchip/io/Files.h"
#include "dnnchip/io/NumberFormat.h"

namespace dnnchip::search {

namespace {

io::Json designJson(const DesignResult& d) {
  io::Json j;
  j["id"] = d.point.id;
  j["description"] = d.description;
  j["design"] = d.graph.name;
  j["latency_ms"] = d.coarse.latencyS * 1e3;
  j["energy_mj"] = d.coarse.energyJ * 1e3;
  j["throughput_fps"] = d.coarse.throughputFps;
  j["power_w"] = d.coarse.powerW;
  j["area_mm2"] = d.coarse.areaMm2;
  j["resources"] = {{"dsp", d.coarse.dsp}, {"bram18", d.coarse.bram18}, {"uram", d.coarse.uram},
                    {"lut", d.coarse.lut}, {"ff", d.coarse.ff}, {"largest_share", d.largestShare}};
  j["cost"] = d.cost;
  if (d.fine) j["fine"] = {{"latency_ms", d.fine->latencyS * 1e3}, {"energy_mj", d.fine->energyJ * 1e3}};
  return j;
}

/// The fields every JSON file of the folder opens with: schema_version, model, platform,
/// objective, seed.
io::Json runHeader(const ExploreReport& r) {
  io::Json j;
  j["schema_version"] = 1;
  j["model"] = r.model;
  j["platform"] = r.platform;
  j["objective"] = r.objective;
  j["seed"] = r.seed;
  // only when set, so an inference search at batch 1 writes what it always wrote
  if (r.training) {
    j["phase"] = "training";
    j["optimizer"] = std::string(workload::optimizerName(r.training->optimizer));
  }
  if (r.training || r.batch > 1) j["batch"] = r.batch;
  return j;
}

}  // namespace

io::Json paretoJson(const ExploreReport& r) {
  io::Json j = runHeader(r);
  j["metrics"] = "coarse predictor; fine re-scoring of the best designs under \"fine\"";
  io::Json arr = io::Json::array();
  for (size_t i : r.pareto) arr.push_back(designJson(r.designs[i]));
  j["designs"] = arr;
  return j;
}

io::Json convergenceJson(const ExploreReport& r) {
  io::Json j = runHeader(r);
  j["metric"] = "objective (coarse) of the best feasible design after the mapping evaluations so far";
  io::Json arr = io::Json::array();
  for (const ConvergencePoint& p : r.convergence) {
    io::Json e{{"stage", p.stage}, {"evaluations", p.evaluations}};
    e["cost"] = p.cost ? io::Json(*p.cost) : io::Json(nullptr);
    e["design"] = p.design ? io::Json(*p.design) : io::Json(nullptr);
    arr.push_back(std::move(e));
  }
  j["points"] = arr;
  return j;
}

std::string paretoCsv(const ExploreReport& r) {
  std::string s = "id,description,latency_ms,energy_mj,throughput_fps,power_w,area_mm2,dsp,bram18,uram,lut,ff,largest_share,cost\n";
  for (size_t i : r.pareto) {
    const DesignResult& d = r.designs[i];
    s += std::to_string(d.point.id) + ",\"" + d.description + "\"," + io::formatNumber(d.coarse.latencyS * 1e3, 6) + "," +
         io::formatNumber(d.coarse.energyJ * 1e3, 6) + "," + io::formatNumber(d.coarse.throughputFps, 6) + "," + io::formatNumber(d.coarse.powerW, 6) + "," +
         io::formatNumber(d.coarse.areaMm2, 6) + "," + std::to_string(d.coarse.dsp) + "," + std::to_string(d.coarse.bram18) + "," +
         std::to_string(d.coarse.uram) + "," + std::to_string(d.coarse.lut) + "," + std::to_string(d.coarse.ff) +
         "," + io::formatNumber(d.largestShare, 6) + "," + io::formatNumber(d.cost, 6) + "\n";
  }
  return s;
}

std::string summaryText(const ExploreReport& r) {
  std::string s;
  s += "dnnchip explore\n";
  s += "model:      " + r.model + "\n";
  s += "platform:   " + r.platform + "\n";
  s += "objective:  " + r.objective + "\n";
  s += "seed:       " + std::to_string(r.seed) + "\n";
  if (!r.requantNote.empty()) s += "requant:    " + r.requantNote + "\n";
  if (r.training)
    s += "phase:      training step (batch " + std::to_string(r.batch) + ", " +
         std::string(workload::optimizerName(r.training->optimizer)) +
         "; forward, backward and update passes, docs/training.md)\n";
  else if (r.batch > 1)
    s += "batch:      " + std::to_string(r.batch) + " inferences per run\n";
  if (r.interrupted) s += "stopped early: " + r.stopReason + " (results are the best found so far)\n";
  s += "\nsearch\n";
  s += "  design points in the space:        " + std::to_string(r.spaceSize) + "\n";
  s += "  stage 1 predicted (default maps):  " + std::to_string(r.designsEvaluated) + "\n";
  if (r.engineEstimates > 0)
    s += "  engine cycle estimates:            " + std::to_string(r.engineEstimates) + " descriptors, " +
         std::to_string(r.engineEstimatesComputed) + " computed (the rest from the memo)\n";
  if (r.stage1MappingsEvaluated > 0)
    s += "  stage 1 re-rank mappings evaluated: " + std::to_string(r.stage1MappingsEvaluated) + "\n";
  if (r.rerankSkipped > 0)
    s += "  stage 1 re-rank designs skipped:    " + std::to_string(r.rerankSkipped) + " (lower bound above the " +
         "chosen designs' costs)\n";
  s += "  stage 2 designs mapped:            " + std::to_string(r.designs.size()) + "\n";
  s += "  stage 2 mappings evaluated:        " + std::to_string(r.mappingsEvaluated) + "\n";
  s += "  stage 2 mapping subtrees pruned:   " + std::to_string(r.mappingsPruned) + "\n";
  for (const auto& [k, v] : r.invalidMappings) s += "  invalid mappings, " + k + ": " + std::to_string(v) + "\n";
  s += "  designs pruned, by reason:\n";
  for (const auto& [k, v] : r.pruned) s += "    " + k + ": " + std::to_string(v) + "\n";
  s += "  pareto-optimal feasible designs:   " + std::to_string(r.pareto.size()) + "\n";
  if (!r.convergence.empty()) {
    s += "\nconvergence (objective of the best feasible design, coarse, by mapping evaluations)\n";
    for (const ConvergencePoint& p : r.convergence) {
      std::string e = std::to_string(p.evaluations);
      s += "  " + std::string(e.size() < 12 ? 12 - e.size() : 0, ' ') + e + "  " +
           (p.cost ? io::formatNumber(*p.cost, 6) + " (point " + std::to_string(*p.design) + ")" : std::string("none feasible")) +
           "  " + p.stage + (p.stage == "stage 1" ? " (default mappings)" : "") + "\n";
    }
  }
  s += "\nwinner\n";
  if (r.winner < 0) {
    s += "  none: " + infeasibleMessage(r) + "\n";
    return s;
  }
  const DesignResult& w = r.designs[r.winner];
  s += "  design:     " + w.graph.name + " (point " + std::to_string(w.point.id) + ")\n";
  s += "  what:       " + w.description + "\n";
  s += "  latency:    " + io::formatNumber(w.coarse.latencyS * 1e3, 6) + " ms coarse" +
       (w.fine ? ", " + io::formatNumber(w.fine->latencyS * 1e3, 6) + " ms fine" : std::string()) + "\n";
  s += "  energy:     " + io::formatNumber(w.coarse.energyJ * 1e3, 6) + " mJ coarse" +
       (w.fine ? ", " + io::formatNumber(w.fine->energyJ * 1e3, 6) + " mJ fine" : std::string()) + "\n";
  s += "  throughput: " + io::formatNumber(w.coarse.throughputFps, 6) + (r.training ? " samples/s\n" : " inferences/s\n");
  s += "  power:      " + io::formatNumber(w.coarse.powerW, 6) + " W\n";
  if (w.coarse.areaMm2 > 0) s += "  area:       " + io::formatNumber(w.coarse.areaMm2, 6) + " mm2\n";
  else
    s += "  resources:  " + std::to_string(w.coarse.dsp) + " DSP, " + std::to_string(w.coarse.bram18) +
         " BRAM18, " + std::to_string(w.coarse.uram) + " URAM, " + std::to_string(w.coarse.lut) + " LUT, " +
         std::to_string(w.coarse.ff) + " FF\n";
  s += "\nbounds (coarse prediction of the winner)\n";
  for (const BoundCheck& b : w.checks) {
    s += "  " + b.name + " = " + io::formatNumber(b.value, 6);
    if (b.min) s += "  min " + io::formatNumber(*b.min, 6);
    if (b.max) s += "  max " + io::formatNumber(*b.max, 6);
    s += b.met ? "  met\n" : "  VIOLATED\n";
  }
  return s;
}

diag::Status writeExploreOutputs(const std::filesystem::path& dir, const ExploreReport& r) {
  // Without a winner, a best/ left by an earlier run into the same folder would contradict this
  // run's summary: remove it first.
  if (r.winner < 0) {
    std::error_code ec;
    std::filesystem::remove_all(dir / "best", ec);
    if (ec)
      return diag::error("io.write", {(dir / "best").string(), ""},
                         "cannot remove the previous run's best/ folder: " + ec.message(),
                         "remove it by hand or write to another folder (-o)");
  }
  if (auto st = io::writeFileAtomic(dir / "pareto.json", paretoJson(r).dump(2) + "\n"); !st) return st;
  if (auto st = io::writeFileAtomic(dir / "pareto.csv", paretoCsv(r)); !st) return st;
  if (auto st = io::writeFileAtomic(dir / "convergence.json", convergenceJson(r).dump(2) + "\n"); !st) return st;
  if (r.winner >= 0) {
    const DesignResult& w = r.designs[r.winner];
    if (auto st = io::writeFileAtomic(dir / "best" / "design.json", graph::toJson(w.graph).dump(2) + "\n"); !st)
      return st;
    if (auto st = io::writeFileAtomic(dir / "best" / "mapping.json", w.mappings.dump(2) + "\n"); !st) return st;
    if (auto st = io::writeFileAtomic(dir / "best" / "prediction.json", w.prediction.dump(2) + "\n"); !st) return st;
  }
  return io::writeFileAtomic(dir / "summary.txt", summaryText(r));
}

}  // namespace dnnchip::search
