// The search objective: metric names, values and the scalar cost. A weighted objective sums
// weighted natural logarithms of the metrics, so weights are unit-free exponents (minimizing
// latency^a * energy^b); higher-is-better metrics enter negated. Cost: O(number of metrics).

#include "dnnchip/search/Objective.h"

#include <cmath>
#include <cstdio>
#include <limits>

namespace dnnchip::search {

namespace {
constexpr std::array<std::string_view, static_cast<int>(Metric::kCount)> kNames = {
    "latency", "energy", "edp", "throughput", "throughput_per_dsp", "area", "power"};
}

std::string_view metricName(Metric m) { return kNames[static_cast<int>(m)]; }

std::optional<Metric> metricFromName(std::string_view name) {
  for (int i = 0; i < static_cast<int>(Metric::kCount); ++i)
    if (kNames[i] == name) return static_cast<Metric>(i);
  return std::nullopt;
}

bool higherIsBetter(Metric m) { return m == Metric::Throughput || m == Metric::ThroughputPerDsp; }

double metricValue(const Metrics& x, Metric m) {
  switch (m) {
    case Metric::Latency: return x.latencyS;
    case Metric::Energy: return x.energyJ;
    case Metric::Edp: return x.latencyS * x.energyJ;
    case Metric::Throughput: return x.throughputFps;
    case Metric::ThroughputPerDsp: {
      int64_t units = x.dsp > 0 ? x.dsp : x.macUnits;
      return units > 0 ? x.throughputFps / static_cast<double>(units) : 0.0;
    }
    case Metric::Area: return x.areaMm2;
    case Metric::Power: return x.powerW;
    case Metric::kCount: break;
  }
  return 0.0;
}

double Objective::cost(const Metrics& x) const {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  if (!weighted) {
    double v = metricValue(x, metric);
    if (higherIsBetter(metric)) return v > 0 ? 1.0 / v : kInf;
    return v;
  }
  double sum = 0;
  for (int i = 0; i < static_cast<int>(Metric::kCount); ++i) {
    if (weights[i] == 0) continue;
    double v = metricValue(x, static_cast<Metric>(i));
    if (!(v > 0)) return kInf;
    sum += (higherIsBetter(static_cast<Metric>(i)) ? -weights[i] : weights[i]) * std::log(v);
  }
  return sum;
}

std::string Objective::describe() const {
  if (!weighted) return std::string(metricName(metric));
  std::string s = "weighted_sum(";
  bool first = true;
  for (int i = 0; i < static_cast<int>(Metric::kCount); ++i) {
    if (weights[i] == 0) continue;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s%s=%g", first ? "" : ", ",
                  std::string(kNames[i]).c_str(), weights[i]);
    s += buf;
    first = false;
  }
  return s + ")";
}

}  // namespace dnnchip::search
