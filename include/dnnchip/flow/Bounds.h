#pragma once
/// \file
/// The chosen design against every hard bound of the constraint file: metric bounds (min and/or
/// max on latency, throughput, power, area, energy) and resource shares (DSP, BRAM, URAM, LUT,
/// FF against the platform's totals), as report rows, plus one sentence per bound that is missed.

#include <optional>
#include <string>
#include <vector>

#include "dnnchip/platform/Platform.h"
#include "dnnchip/report/Report.h"
#include "dnnchip/search/Constraints.h"
#include "dnnchip/search/Objective.h"

namespace dnnchip::flow {

struct BoundCheck {
  std::vector<report::BoundRow> rows;
  std::vector<std::string> missed;  ///< "max latency: 0.31 s > 0.1 s" for each row not met
  bool allMet() const { return missed.empty(); }
};

/// Checks `m` against `c`. Resource shares need the platform's totals (`p`); without a platform
/// (inline resources) the constraint file's inline resources are used.
BoundCheck checkBounds(const search::Constraints& c, const search::Metrics& m, const platform::Platform* p);

/// The SI unit of a metric ("s", "J", "inf/s", "W", "mm2", "J*s", "inf/s/DSP").
std::string metricUnit(search::Metric m);

}  // namespace dnnchip::flow
