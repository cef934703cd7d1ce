// Prediction -> Metrics: unit conversion (pJ to J, um^2 to mm^2) and one rounding rule for FPGA
// resources: ceil(x - 1e-9), so a sum that is an integer up to floating error is not bumped to
// the next one. Cost O(1).

#include "dnnchip/search/PredictionMetrics.h"

#include <cmath>

namespace dnnchip::search {

int64_t roundUpResource(double v) { return static_cast<int64_t>(std::ceil(v - 1e-9)); }

Metrics metricsOf(const predict::Prediction& p, bool fpga) {
  Metrics m;
  m.latencyS = p.latencyS;
  m.energyJ = p.energyPj * 1e-12;
  m.throughputFps = p.throughputInfPerS;
  m.powerW = p.powerW;
  m.areaMm2 = fpga ? 0.0 : p.resources.areaUm2 * 1e-6;
  const auto& f = p.resources.fpga;
  m.dsp = roundUpResource(f.dsp);
  m.bram18 = roundUpResource(f.bram18 + 2 * f.bram36);
  m.uram = roundUpResource(f.uram);
  m.lut = roundUpResource(f.lut + f.lutramLuts);
  m.ff = roundUpResource(f.ff);
  return m;
}

}  // namespace dnnchip::search
