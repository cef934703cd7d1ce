#pragma once
/// \file
/// Internal: used inside the library, its tools and tests; not installed (docs/api.md).
/// From a whole-model prediction to the search's Metrics, in one place for the search, the build
/// flow and the tests, with one rounding of the FPGA resources.

#include <cstdint>

#include "dnnchip/predict/Predictor.h"
#include "dnnchip/search/Objective.h"

namespace dnnchip::search {

/// An FPGA resource count rounded up to whole primitives: ceil(v - 1e-9), so a sum that is an
/// integer up to floating error stays that integer.
int64_t roundUpResource(double v);

/// Latency, energy, throughput and power of `p`; ASIC area (0 when `fpga`); FPGA resources
/// rounded up to whole primitives, a RAMB36 counted as two RAMB18 and LUT RAM as LUTs.
/// macUnits is left 0 (the design space knows it).
Metrics metricsOf(const predict::Prediction& p, bool fpga);

}  // namespace dnnchip::search
