// loadDesign: graph::loadGraphByName with arch::checkDesign as its check, so the diagnostics of a
// design file come in the verifier's order with the template's rules applied. Cost: one parse and
// one verify; a design naming a built-in platform with a memory port is then held to that port
// (arch.memory-port): no DRAM path wider than its data_bits (a generated engine, one AXI master)
// or than all its ports together (other templates), no more bursts in flight than it accepts. Cost: one more parse of the platform file.

#include "dnnchip/arch/LoadDesign.h"

#include "dnnchip/arch/DesignCheck.h"
#include "dnnchip/graph/GraphJson.h"

#include <algorithm>

namespace dnnchip::arch {

diag::Status checkMemoryPort(const graph::AcceleratorGraph& g, const platform::Platform& p, bool oneMaster) {
  if (!p.memoryPort) return diag::Status::success();
  const platform::MemoryPort& mp = *p.memoryPort;
  const int most = oneMaster ? mp.dataBits : mp.dataBits * std::max(mp.ports, 1);
  for (const graph::Edge& e : g.edges()) {
    if (e.tensors.empty() || e.widthBits <= most) continue;
    if (g.node(e.from).kind != graph::NodeKind::Dram && g.node(e.to).kind != graph::NodeKind::Dram) continue;
    return diag::error("arch.memory-port", {g.file, "/edges/" + std::to_string(e.id) + "/width_bits"},
                       "the DRAM path " + g.node(e.from).name + " -> " + g.node(e.to).name + " is " +
                           std::to_string(e.widthBits) + " bits wide, but platform " + p.name +
                           (oneMaster ? "'s memory port is " + std::to_string(mp.dataBits) + " bits and the engine has one AXI master"
                                      : " has " + std::to_string(mp.ports) + " memory ports of " + std::to_string(mp.dataBits) + " bits"),
                       "use at most " + std::to_string(most) + " bits (memory_port.data_bits" +
                           (oneMaster ? "" : " x ports") + " of the platform)");
  }
  for (auto [key, most] : {std::pair{"dma_read_outstanding", mp.readAcceptance},
                           std::pair{"dma_write_outstanding", mp.writeAcceptance}}) {
    auto it = g.params.find(key);
    // compared at 64 bits: a value beyond int must not wrap below `most`
    if (it == g.params.end() || !it->is_number_integer()) continue;
    if (it->is_number_unsigned() ? it->get<uint64_t>() <= uint64_t(std::max(most, 0)) : it->get<int64_t>() <= most) continue;
    return diag::error("arch.memory-port", {g.file, std::string("/params/") + key},
                       "\"" + std::string(key) + "\" is " + it->dump() + ", but platform " + p.name +
                           "'s memory port accepts " + std::to_string(most) + " bursts",
                       "keep at most " + std::to_string(most) + " bursts in flight (memory_port acceptance)");
  }
  return diag::Status::success();
}

diag::Expected<graph::AcceleratorGraph> loadDesign(std::string_view nameOrPath, const Registry& registry) {
  return graph::loadGraphByName(nameOrPath, [&](const graph::AcceleratorGraph& g) -> diag::Status {
    if (auto st = checkDesign(g, nullptr, registry); !st) return st;
    if (!g.platform) return diag::Status::success();
    // Only built-in platform names: a design naming a platform this installation does not have is
    // not checked against it (the predictor does not read platforms).
    auto p = platform::loadPlatformByName(*g.platform);
    if (!p) return diag::Status::success();
    // A generated engine drives one AXI master; other templates may model several ports as one
    // wide DRAM edge (the DPU's two 128-bit masters in designs/validation/).
    auto t = registry.resolve(g);
    return checkMemoryPort(g, *p, t && (*t)->engine() != nullptr);
  });
}

}  // namespace dnnchip::arch
