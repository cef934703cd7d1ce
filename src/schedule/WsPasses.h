// wsPassesSpan: the cycles the controller spends in C_CP / C_CP_W on one reduction tile of a
// weight-stationary layer with DOUBLE_BUFFER = 1, where the tile's passes run back to back
// (docs/engine.md#cycle-behaviour, "WS passes with DOUBLE_BUFFER"). Decision cycles counted from
// the first C_CP cycle (L_0 = 0); pass n loads its k rows in L_n .. L_n+k-1 and streams its mt
// pixels in P_n .. E_n = P_n+mt-1:
//   L_n = max(L_{n-1} + k, arrival of n's group, E_{n-2} + LAT - 1)   (n >= 1; the last n >= 2)
//   P_n = max(E_{n-1} + 1, L_n + k)
//   span = E_{N-1} + LAT + 4                                      (drain, C_CP_W)
// Weight streams: block 0 is loaded before the passes; blocks 1.. come in groups of up to
// `group` blocks, one LOAD_W command each (group i = blocks (i-1)*group+1 .. i*group). Group 1 is
// issued at L_0, group i+1 at L of group i's first pass; a group's first pass n also needs
// L_n >= issue + lwg(first block, blocks) (the command's cost; the other passes of the group find
// their blocks in). group = 1 is one block per command: lw(n) issued at L_{n-1}. lwg = 0 gives
// the span the array alone imposes. *dmaFree (optional) receives the first cycle the DMA is free
// for the next reduction tile's overlapped gather: the last group's arrival, 1 when N = 1.
// Cost O(N). T is uint64_t for the exact model, double for the estimate's means.
#pragma once

#include <algorithm>
#include <cstdint>

namespace dnnchip::schedule::detail {

template <class T, class LoadGroup>
T wsPassesSpan(uint64_t k, uint64_t mt, uint64_t lat, uint64_t passes, uint64_t group, LoadGroup&& lwg,
               T* dmaFree = nullptr) {
  T l = 0, e = T(k + mt - 1), ePrev2 = 0;  // L_0, E_0; E_{n-2}
  bool haveE2 = false;
  if (dmaFree) *dmaFree = T(1);
  group = std::max<uint64_t>(group, 1);
  uint64_t issued = 1;  // blocks issued (block 0 before the passes)
  T arrive = 0;         // arrival of the last group issued
  auto issue = [&](T at) {
    const uint64_t cnt = std::min(group, passes - issued);
    arrive = at + T(lwg(issued, cnt));
    issued += cnt;
    if (dmaFree && issued == passes) *dmaFree = arrive;
  };
  if (passes > 1) issue(T(0));
  for (uint64_t n = 1; n < passes; ++n) {
    const bool first = (n - 1) % group == 0;  // the first pass of its group
    T ln = l + T(k);
    if (first) ln = std::max<T>(ln, arrive);
    if (haveE2) ln = std::max<T>(ln, ePrev2 + T(lat - 1));
    if (first && issued < passes) issue(ln);
    const T pn = std::max<T>(e + 1, ln + T(k));
    ePrev2 = e;
    haveE2 = true;
    l = ln;
    e = pn + T(mt - 1);
  }
  return e + T(lat + 4);
}

}  // namespace dnnchip::schedule::detail
