// The program in memory for the SoC top: binary slots and the fetch's cycles. The fetch walks the
// same burst split as the DMA's linear reads (at most BURST_MAX beats, never across 4 KiB) with up
// to RD_OUT bursts in flight, as the DMA's read stream (DramCost.h): an event recurrence over the
// bursts plus the check-and-start cycle. Cost: O(bursts). Tested against the RTL by tests/rtl/soc (FETCH_CYCLES).

#include "dnnchip/schedule/ProgramFetch.h"

#include <algorithm>
#include <vector>

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
  // cycle 0: the first fetch cycle (its address handshake). Burst k's address goes out once fewer
  // than N = RD_OUT bursts are in flight (the cycle after burst k-N's last beat) and after burst
  // k-1's address; its first beat comes L_RD cycles later, not before the cycle after burst k-1's
  // last beat; its beats come back to back (docs/soc.md#program-fetch).
  const uint64_t bytes = static_cast<uint64_t>(cfg.axiBytes());
  const uint64_t lat = static_cast<uint64_t>(cfg.dramReadLatencyCycles);
  const size_t n = static_cast<size_t>(std::clamp(cfg.readOutstanding, 1, 16));
  uint64_t left = uint64_t{descriptors} * kDescriptorSlotBytes / bytes;
  uint64_t addr = progBase / kDescriptorSlotBytes * kDescriptorSlotBytes;
  std::vector<uint64_t> lastBeat;  // per burst
  uint64_t ar = 0;
  while (left > 0) {
    const uint64_t len = std::min({left, static_cast<uint64_t>(cfg.burstMaxBeats), (4096 - addr % 4096) / bytes});
    const size_t k = lastBeat.size();
    if (k > 0) ar = std::max(ar + 1, k >= n ? lastBeat[k - n] + 1 : 0);
    const uint64_t first = std::max(ar + lat, k > 0 ? lastBeat[k - 1] + 1 : 0);
    lastBeat.push_back(first + len - 1);
    left -= len;
    addr += len * bytes;
  }
  // the fetch cycles up to the last beat, then one to check the last slot and start the engine
  return lastBeat.empty() ? 1 : lastBeat.back() + 2;
}

}  // namespace dnnchip::schedule
