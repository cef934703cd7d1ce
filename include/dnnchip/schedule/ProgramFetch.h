#pragma once
/// \file
/// Programs in memory for the SoC top (templates/soc/dnnchip_soc.v, docs/soc.md): the binary
/// form of a program (each descriptor in a 128-byte slot, End last) and the exact cycles the top
/// spends fetching it over its AXI4 master before the engine starts, and around the engine's run.

#include <cstdint>
#include <vector>

#include "dnnchip/schedule/EngineConfig.h"
#include "dnnchip/schedule/Program.h"

namespace dnnchip::schedule {

/// Bytes of one descriptor slot in memory: the 26 descriptor words (word 0 first, little-endian)
/// and 6 zero words, so that a slot is a whole number of beats for every DATA_W from 32 to 1024.
constexpr uint32_t kDescriptorSlotBytes = 128;
/// PROG_DEPTH of the SoC top unless the design says otherwise: a program memory of 832-bit words
/// takes the same block RAMs for any depth up to 512 (xc7 RAMB36 as 512 x 72), so 256 leaves
/// headroom for ResNet-50 (about 60 descriptors) and deeper networks at no cost.
constexpr int kSocProgDepth = 256;
/// Cycles of the SoC top outside the fetch and the engine's busy cycles: the cycle that pulses
/// the engine's start and the one that sees its done (docs/soc.md#cycles).
constexpr uint64_t kSocRunOverheadCycles = 2;

/// The program as the SoC top fetches it: one slot per descriptor, then an End slot.
std::vector<uint8_t> encodeProgramBinary(const Program& p);

/// Cycles from the first fetch cycle to the cycle before the engine's start (FETCH_CYCLES):
/// `descriptors` slots (End included) read from `progBase` in bursts of at most BURST_MAX beats
/// that never cross 4 KiB, up to RD_OUT in flight: burst k's address once burst k-RD_OUT's last
/// beat is in and after burst k-1's address, its first beat L_RD later but after burst k-1's last
/// beat; plus one cycle to check and start (docs/soc.md#cycles). Assumes the memory accepts the
/// address at once (as the cycle model does for the engine).
uint64_t programFetchCycles(uint32_t descriptors, uint64_t progBase, const EngineConfig& cfg);

}  // namespace dnnchip::schedule
