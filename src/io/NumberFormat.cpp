// The one number formatter (see NumberFormat.h): snprintf into a stack buffer; 64 bytes hold any
// %g or %f of a double up to 1e40 at the precisions dnnchip uses. Cost: one snprintf.

#include "dnnchip/io/NumberFormat.h"

#include <cstdio>

namespace dnnchip::io {

std::string formatNumber(double v, int significantDigits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", significantDigits, v);
  return buf;
}

std::string formatFixed(double v, int decimals) {
  char buf[352];  // %f of the largest double is 309 digits before the point
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

}  // namespace dnnchip::io
