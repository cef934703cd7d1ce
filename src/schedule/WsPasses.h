// wsPassesSpan: the cycles the controller spends in C_CP / C_CP_W on one reduction tile of a
// weight-stationary layer with DOUBLE_BUFFER = 1, where the tile's passes run back to back
// (docs/engine.md#cycle-behaviour, "WS passes with DOUBLE_BUFFER"). Decision cycles counted from
// the first C_CP cycle (L_0 = 0); pass n loads its k rows in L_n .. L_n+k-1 and streams its mt
// pixels in P_n .. E_n = P_n+mt-1:
//   L_n = max(L_{n-1} + k, L_{n-1} + lw(n), E_{n-2} + LAT - 1)   (n >= 1; the last term n >= 2)
//   P_n = max(E_{n-1} + 1, L_n + k)
//   span = E_{N-1} + LAT + 4                                      (drain, C_CP_W)
// lw(n) is the LOAD_W cost of block n (issued at L_{n-1}); lw = 0 gives the span the array alone
// imposes. *dmaFree (optional) receives the first cycle the DMA is free for the next reduction
// tile's overlapped gather: L_{N-2} + lw(N-1) once the last block has arrived, 1 when N = 1.
// Cost O(N). T is uint64_t for the exact model, double for the estimate's means.
#pragma once

#include <algorithm>
#include <cstdint>

namespace dnnchip::schedule::detail {

template <class T, class LoadW>
T wsPassesSpan(uint64_t k, uint64_t mt, uint64_t lat, uint64_t passes, LoadW&& lw,
               T* dmaFree = nullptr) {
  T l = 0, p = T(k), e = T(k + mt - 1), ePrev2 = 0;  // L_0, P_0, E_0; E_{n-2}
  bool haveE2 = false;
  if (dmaFree) *dmaFree = T(1);
  for (uint64_t n = 1; n < passes; ++n) {
    const T lwn = T(lw(n));
    if (dmaFree && n + 1 == passes) *dmaFree = l + lwn;
    T ln = l + std::max<T>(T(k), lwn);
    if (haveE2) ln = std::max<T>(ln, ePrev2 + T(lat - 1));
    const T pn = std::max<T>(e + 1, ln + T(k));
    ePrev2 = e;
    haveE2 = true;
    l = ln;
    p = pn;
    e = pn + T(mt - 1);
  }
  (void)p;
  return e + T(lat + 4);
}

}  // namespace dnnchip::schedule::detail
