// Bound checks for the report: one row per (metric, min/max) pair and per resource share, in
// the constraint file's order (metric bounds first, then shares in DSP, BRAM, URAM, LUT, FF
// order), values in SI units. A share bound with no platform total to divide by is skipped.

#include "dnnchip/flow/Bounds.h"

#include <cstdio>

namespace dnnchip::flow {

namespace {

std::string num(double v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

void add(BoundCheck& out, std::string name, std::string unit, double limit, double value, bool upper) {
  report::BoundRow row{std::move(name), std::move(unit), limit, value, upper};
  if (!row.met())
    out.missed.push_back(row.name + ": " + num(value) + (row.unit.empty() ? "" : " " + row.unit) +
                         (upper ? " > " : " < ") + num(limit) + (row.unit.empty() ? "" : " " + row.unit));
  out.rows.push_back(std::move(row));
}

}  // namespace

std::string metricUnit(search::Metric m) {
  switch (m) {
    case search::Metric::Latency: return "s";
    case search::Metric::Energy: return "J";
    case search::Metric::Edp: return "J*s";
    case search::Metric::Throughput: return "inf/s";
    case search::Metric::ThroughputPerDsp: return "inf/s/DSP";
    case search::Metric::Area: return "mm2";
    case search::Metric::Power: return "W";
    default: return "";
  }
}

BoundCheck checkBounds(const search::Constraints& c, const search::Metrics& m, const platform::Platform* p) {
  BoundCheck out;
  for (auto& b : c.bounds) {
    const std::string name(search::metricName(b.metric));
    const double v = search::metricValue(m, b.metric);
    if (b.min) add(out, "min " + name, metricUnit(b.metric), *b.min, v, false);
    if (b.max) add(out, "max " + name, metricUnit(b.metric), *b.max, v, true);
  }
  search::ResourceBudget total;
  if (p) {
    total.dsp = p->resources.dsp;
    total.bram18 = p->resources.bram18;
    total.uram = p->resources.uram;
    total.lut = p->resources.lut;
    total.ff = p->resources.ff;
  } else if (c.platform.resources) {
    total = *c.platform.resources;
  }
  auto share = [&](const std::optional<double>& limit, const char* name, int64_t used, int64_t avail) {
    if (!limit || avail <= 0) return;
    add(out, std::string("max ") + name + " share", "", *limit, static_cast<double>(used) / static_cast<double>(avail), true);
  };
  share(c.shares.dsp, "DSP", m.dsp, total.dsp);
  share(c.shares.bram, "BRAM", m.bram18, total.bram18);
  share(c.shares.uram, "URAM", m.uram, total.uram);
  share(c.shares.lut, "LUT", m.lut, total.lut);
  share(c.shares.ff, "FF", m.ff, total.ff);
  return out;
}

}  // namespace dnnchip::flow
