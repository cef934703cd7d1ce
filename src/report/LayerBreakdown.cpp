// The per-layer utilization and energy breakdown of the build report: each layer's share of the
// network's cycles, the split of its cycles into the engine's phases (DMA read, array, DMA write,
// weight stall, other), each block's share of its energy, and the network row (energy per image,
// block shares, MAC-weighted utilization over the 3x3 convolutions). Pure arithmetic on the rows
// the flow copied from the fine-mode prediction; O(layers x blocks). Shares of a zero total are 0.
// Block order is deterministic: largest network energy first, ties by name.

#include <algorithm>
#include <map>

#include "dnnchip/report/Report.h"

namespace dnnchip::report {

Phase phaseOf(const std::string& term) {
  if (term == "engine_dma_read") return Phase::Read;
  if (term == "engine_array") return Phase::Array;
  if (term == "engine_dma_write") return Phase::Write;
  if (term == "engine_weight_stall") return Phase::Stall;
  return Phase::Other;
}

const char* phaseName(Phase p) {
  switch (p) {
    case Phase::Read: return "read";
    case Phase::Array: return "array";
    case Phase::Write: return "write";
    case Phase::Stall: return "stall";
    case Phase::Other: return "other";
  }
  return "other";
}

std::string boundLabel(const std::string& term) {
  static const std::pair<const char*, const char*> kLabels[] = {
      {"engine_dma_read", "DMA read"},         {"engine_array", "array"},        {"engine_dma_write", "DMA write"},
      {"engine_weight_stall", "weight stall"}, {"engine_vector", "vector unit"}, {"engine_control", "control"}};
  for (const auto& [t, label] : kLabels)
    if (term == t) return label;
  return term;
}

namespace {
double ratio(double part, double whole) { return whole > 0 ? part / whole : 0.0; }
}  // namespace

LayerBreakdown breakdown(const std::vector<LayerRow>& layers, int64_t batch) {
  LayerBreakdown b;
  std::map<std::string, double> blockTotal;
  double energy = 0, macs3x3 = 0, busy3x3 = 0;
  for (const auto& l : layers) {
    b.totalCycles += l.cycles;
    energy += l.energyPj;
    for (const auto& [node, pj] : l.energyByBlockPj) blockTotal[node] += pj;
    if (l.conv3x3 && l.utilization > 0) {
      macs3x3 += l.macs;
      busy3x3 += l.macs / l.utilization;  // cycles x PEs the layer occupied the array
    }
  }
  for (const auto& [node, pj] : blockTotal)
    if (pj != 0) b.blocks.push_back(node);
  std::stable_sort(b.blocks.begin(), b.blocks.end(),
                   [&](const std::string& x, const std::string& y) { return blockTotal[x] > blockTotal[y]; });
  b.energyPerImagePj = energy / static_cast<double>(std::max<int64_t>(1, batch));
  for (const auto& name : b.blocks) b.networkBlockShare.push_back(ratio(blockTotal[name], energy));
  if (busy3x3 > 0) b.conv3x3Utilization = macs3x3 / busy3x3;

  std::array<double, 5> phaseCycles{};
  double phasedCycles = 0;
  for (const auto& l : layers) {
    LayerBreakdown::Layer row;
    row.cycleShare = ratio(l.cycles, b.totalCycles);
    if (!l.phaseCycles.empty()) {
      std::array<double, 5> share{};
      for (const auto& [term, cycles] : l.phaseCycles) {
        share[static_cast<size_t>(phaseOf(term))] += ratio(cycles, l.cycles);
        phaseCycles[static_cast<size_t>(phaseOf(term))] += cycles;
      }
      row.phaseShare = share;
      phasedCycles += l.cycles;
    }
    for (const auto& name : b.blocks) {
      double pj = 0;
      for (const auto& [node, v] : l.energyByBlockPj)
        if (node == name) pj += v;
      row.blockShare.push_back(ratio(pj, l.energyPj));
    }
    b.layers.push_back(std::move(row));
  }
  if (phasedCycles > 0) {
    std::array<double, 5> share{};
    for (size_t p = 0; p < share.size(); ++p) share[p] = phaseCycles[p] / phasedCycles;
    b.networkPhaseShare = share;
  }
  return b;
}

}  // namespace dnnchip::report
