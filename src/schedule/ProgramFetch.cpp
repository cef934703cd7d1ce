// The program in memory for the SoC top: binary slots and the fetch's cycles. The fetch walks the
// same burst split as the DMA's linear reads (at most BURST_MAX beats, never across 4 KiB) but
// keeps one burst in flight, so its cost is a plain sum over bursts: L_RD + beats each, plus the
// check-and-start cycle. Cost: O(bursts). Tested against the RTL by tests/rtl/soc (FETCH_CYCLES).

#include "dnnchip/schedule/ProgramFetch.h"

#include <algorithm>

namespace dnnchip::schedule {

std::vector<uint8_t> encodeProgramBinary(const Program& p) {
  std::vector<uint8_t> out((p.descriptors.size() + 1) * kDescriptorSlotBytes, 0);
  for (size_t i = 0; i < p.descriptors.size(); ++i) {
    const auto words = p.descriptors[i].encode();
    for (size_t w = 0; w < words.size(); ++w)
      for (size_t b = 0; b < 4; ++b)
        out[i * kDescriptorSlotBytes + 4 * w + b] = static_cast<uint8_t>(words[w] >> (8 * b));
  }
  return out;  // the last slot stays zero: End
}

uint64_t programFetchCycles(uint32_t descriptors, uint64_t progBase, const EngineConfig& cfg) {
  const uint64_t bytes = static_cast<uint64_t>(cfg.axiBytes());
  uint64_t left = uint64_t{descriptors} * kDescriptorSlotBytes / bytes;
  uint64_t addr = progBase / kDescriptorSlotBytes * kDescriptorSlotBytes;
  uint64_t cycles = 1;  // check the last slot and start the engine
  while (left > 0) {
    const uint64_t len = std::min({left, static_cast<uint64_t>(cfg.burstMaxBeats), (4096 - addr % 4096) / bytes});
    cycles += static_cast<uint64_t>(cfg.dramReadLatencyCycles) + len;
    left -= len;
    addr += len * bytes;
  }
  return cycles;
}

}  // namespace dnnchip::schedule
