#pragma once
/// \file
/// Internal: used inside the library, its tools and tests; not installed (docs/api.md).
/// Numbers as text for reports, summaries, DOT labels and JSON-side strings: one formatter, so
/// the same value prints the same way everywhere (printf's %g and %f, locale-independent for the
/// C locale dnnchip runs in).

#include <string>

namespace dnnchip::io {

/// `v` with `significantDigits` significant digits (printf "%.<n>g"): 1234.5 -> "1235" at 4.
std::string formatNumber(double v, int significantDigits = 4);
/// `v` with `decimals` digits after the point (printf "%.<n>f"): 2.5 -> "2" at 0 (round to even).
std::string formatFixed(double v, int decimals);

}  // namespace dnnchip::io
