#pragma once
// Helpers shared by the ip module's sources (not installed): reading validated numbers back out of
// an IP's "cost" object, technology scaling, and the per-kind schema tables used by the parser.

#include <string>
#include <string_view>
#include <vector>

#include "dnnchip/io/Json.h"
#include "dnnchip/ip/IpLibrary.h"

namespace dnnchip::ip::detail {

/// The "value" of the sourced number j[key]. Only called on objects the parser validated.
inline double val(const io::Json& j, std::string_view key) {
  return j.at(std::string(key)).at("value").get<double>();
}

/// One sourced number of a cost object and its legal range; required unless `optional`.
struct Field {
  const char* name;
  double min;
  double max;
  bool optional = false;
};

/// Required sourced-number fields of the "cost" object for `kind` (sub-structures such as
/// "anchors", "configurations" and "families" are checked separately by the parser).
const std::vector<Field>& costFields(IpKind kind);

/// Fields of one FPGA MAC mapping ("dsp" or "lut").
const std::vector<Field>& macDspFields();
const std::vector<Field>& macLutFields();

/// Fields of one family's "rtl" object (Yosys figures of the IP's Verilog template) for `kind`;
/// empty for kinds whose RTL resources the memory model gives (buffers) or that have no RTL.
const std::vector<Field>& rtlFields(IpKind kind);

/// ip.wrong-kind for a cost function called on an IP of another kind; `wanted` reads "a mac".
diag::Diagnostic wrongKind(const IpEntry& ip, std::string_view wanted);

/// Levenshtein distance (for "did you mean" lists).
size_t editDistance(std::string_view a, std::string_view b);

}  // namespace dnnchip::ip::detail
