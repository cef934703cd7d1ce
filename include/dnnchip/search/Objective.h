#pragma once
/// \file
/// What the search minimizes. A design's predicted Metrics are reduced to one cost (lower is
/// better): a single metric (throughput-type metrics are negated through their reciprocal), or a
/// weighted sum of the metrics' natural logarithms, which is unit-free and makes EDP the special
/// case {latency: 1, energy: 1}. The objective is a parameter of the search, not of the space.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dnnchip::search {

/// Predicted figures of one design (or one layer) in SI units.
struct Metrics {
  double latencyS = 0;      ///< one inference, seconds
  double energyJ = 0;       ///< one inference, joules
  double throughputFps = 0; ///< inferences per second (1/latency unless pipelined)
  double areaMm2 = 0;       ///< ASIC area; 0 on FPGAs
  double powerW = 0;        ///< average power while running
  int64_t dsp = 0, bram18 = 0, uram = 0, lut = 0, ff = 0;  ///< FPGA resources used
  int64_t macUnits = 0;     ///< MAC units instantiated (for throughput per DSP on ASICs)
};

enum class Metric : int {
  Latency = 0,
  Energy,
  Edp,
  Throughput,
  ThroughputPerDsp,
  Area,
  Power,
  kCount
};
/// "latency", "energy", "edp", "throughput", "throughput_per_dsp", "area", "power".
std::string_view metricName(Metric m);
std::optional<Metric> metricFromName(std::string_view name);
/// The value of `m` in SI units (EDP in J*s, throughput per DSP in fps per DSP or MAC unit).
double metricValue(const Metrics& x, Metric m);
/// True for metrics where larger is better.
bool higherIsBetter(Metric m);

struct Objective {
  /// A single metric when `weights` is empty; otherwise sum_m weights[m] * ln(metric_m)
  /// (throughput-type metrics enter with a minus sign).
  Metric metric = Metric::Latency;
  std::array<double, static_cast<int>(Metric::kCount)> weights{};
  bool weighted = false;

  /// Cost to minimize; +infinity for degenerate metrics (zero latency or energy).
  double cost(const Metrics& x) const;
  /// "latency" or "weighted_sum(latency=1, energy=0.5)".
  std::string describe() const;
};

}  // namespace dnnchip::search
