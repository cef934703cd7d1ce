// wsPassesSpan: the cycles the controller spends in C_CP / C_CP_W on one reduction tile of a
// weight-stationary layer with DOUBLE_BUFFER = 1, where the tile's passes run back to back
// (docs/engine.md#cycle-behaviour, "WS passes with DOUBLE_BUFFER"). Decision cycles counted from
// the first C_CP cycle (L_0 = 0); pass n loads its k rows in L_n .. L_n+k-1 and streams its mt
// pixels in P_n .. E_n = P_n+mt-1:
//   L_n = max(L_{n-1} + k, arrival of n's group, E_{n-2} + BL - 1)    (n >= 1; the last n >= 2)
//   P_n = max(E_{n-1} + 1, L_n + k)
//   span = E_{N-1} + LAT + 4                                      (drain, C_CP_W)
// (lat = LAT, the array's latency; bankLat = BL, the bank rule's: LAT, or ROWS with skewed weight
// loads, schedule::wsBankLatency.)
// Weight streams: block 0 is loaded before the passes; blocks 1.. come in groups of up to
// `group` blocks, one LOAD_W command each (group i = blocks (i-1)*group+1 .. i*group). Group 1 is
// issued at L_0; group i+1 at I_{i+1} = max(D_i, L_{f_i}), D_i = I_i + lwg_i (the command's
// cost, issue to the registered done: the DMA is free) and f_i group i's first pass (once it
// loads, no pass reads the half group i+1 overwrites). Pass n needs its own block:
// L_n >= I_i + in_i(n), the cycle the controller counts the block's last row written.
// lwg(first block, blocks, in) returns the cost and writes in[0 .. blocks-1]; lwg = 0 (and in =
// 0) gives the span the array alone imposes. *dmaFree (optional) receives the first cycle the DMA
// is free for the next reduction tile's overlapped gather: D of the last group, 1 when N = 1.
// Tile overlap (docs/engine.md#tile-overlap): bank1Free is the first decision cycle (relative to
// this tile's first C_CP cycle) at which pass 1 may shift into PE bank 1, from the previous tile's
// last pass on that bank; with overlapDrain the tile leaves C_CP once its last pixel is decided
// (span = E_{N-1} + 3, the delay line drains beside the next tile's start) instead of after the
// drain. lastE0 / lastE1 (optional) receive E of the tile's last pass on PE bank 0 / 1 (E1 stays
// untouched when N = 1). loaded (optional) receives L_{N-1} + k, the first cycle at which every pass
// of the tile has decided its weight rows (the block-0 prefetch may then overwrite block 0's rows).
// Cost O(N). T is uint64_t for the exact model, double for the estimate's means.
#pragma once

#include <algorithm>
#include <cstdint>

namespace dnnchip::schedule::detail {

constexpr uint64_t kMaxWeightGroup = 16;  ///< W_GROUP at most (controller.v)

template <class T, class LoadGroup>
T wsPassesSpan(uint64_t k, uint64_t mt, uint64_t lat, uint64_t bankLat, uint64_t passes, uint64_t group, LoadGroup&& lwg,
               T* dmaFree = nullptr, T bank1Free = T(0), bool overlapDrain = false, T* lastE0 = nullptr,
               T* lastE1 = nullptr, T* loaded = nullptr) {
  T l = 0, e = T(k + mt - 1), ePrev2 = 0;  // L_0, E_0; E_{n-2}
  bool haveE2 = false;
  if (lastE0) *lastE0 = e;
  if (dmaFree) *dmaFree = T(1);
  group = std::clamp<uint64_t>(group, 1, kMaxWeightGroup);
  uint64_t issued = 1, gFirst = 0;  // blocks issued (block 0 before the passes); current group's first
  T issueAt = 0, done = 0, lFirst = 0;  // the current group's issue and done; L of its first pass
  T in[kMaxWeightGroup] = {};
  auto issue = [&](T at) {
    const uint64_t cnt = std::min(group, passes - issued);
    uint64_t off[kMaxWeightGroup] = {};
    done = at + T(lwg(issued, cnt, off));
    for (uint64_t j = 0; j < cnt; ++j) in[j] = T(off[j]);
    issueAt = at;
    gFirst = issued;
    issued += cnt;
    if (dmaFree && issued == passes) *dmaFree = done;
  };
  if (passes > 1) issue(T(0));
  for (uint64_t n = 1; n < passes; ++n) {
    if (n == issued) issue(std::max<T>(done, lFirst));  // the next group, once allowed
    T ln = std::max<T>(l + T(k), issueAt + in[n - gFirst]);
    if (haveE2) ln = std::max<T>(ln, ePrev2 + T(bankLat - 1));
    if (n == 1) ln = std::max<T>(ln, bank1Free);
    if (n == gFirst) lFirst = ln;
    const T pn = std::max<T>(e + 1, ln + T(k));
    ePrev2 = e;
    haveE2 = true;
    l = ln;
    e = pn + T(mt - 1);
    if (n % 2 == 1 && lastE1) *lastE1 = e;
    if (n % 2 == 0 && lastE0) *lastE0 = e;
  }
  if (loaded) *loaded = l + T(k);
  return overlapDrain ? e + T(3) : e + T(lat + 4);
}

}  // namespace dnnchip::schedule::detail
