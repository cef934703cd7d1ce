#pragma once
/// \file
/// A constraint file: what the user asks the Chip Builder for. The target platform (a built-in
/// name from designs/platforms/ or inline resources), clock and DRAM bandwidth overrides, hard
/// bounds on the predicted metrics, the objective, the precision, the allowed templates,
/// dataflows and IPs, the search budget, the seed and the thread count.
/// Format: docs/constraints.md (schema_version 1). Parse, then validate: every problem is one
/// constraints.* (or json.* / value.*) diagnostic with the JSON pointer of the offending value.

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/io/Json.h"
#include "dnnchip/search/Objective.h"

namespace dnnchip::search {

/// The template families constraint files name in allowed.templates ("systolic", "spatial_array",
/// "layer_pipeline"): the search families of the built-in template registry, in registration
/// order (docs/search.md).
std::vector<std::string> templateFamilies();
/// The dataflow names constraint files use in allowed.dataflows ("ws", "os", "rs": which operand
/// stays in the PEs), in the order the registry's families first name them.
std::vector<std::string> dataflowNames();

/// Resources of an FPGA (or the budget of an ASIC). Counts are device totals.
struct ResourceBudget {
  int64_t dsp = 0;
  int64_t bram18 = 0;  ///< 18 Kb block RAMs (a BRAM36 counts as two)
  int64_t uram = 0;    ///< 288 Kb UltraRAMs
  int64_t lut = 0;
  int64_t ff = 0;
};

/// The target: either a platform name (resolved by the platform module) or inline limits.
struct PlatformRef {
  std::string name;                        ///< built-in name or file path; empty when inline
  std::string kind;                        ///< "fpga" or "asic" (inline only)
  std::optional<ResourceBudget> resources; ///< inline resources
  std::optional<double> areaMm2;           ///< inline ASIC area budget
  std::optional<double> clockMhz;          ///< inline clock
  std::optional<double> dramBytesPerSecond;
};

/// One hard bound: min and/or max on a metric. A design meets it when min <= value <= max.
struct Bound {
  Metric metric = Metric::Latency;
  std::optional<double> min;
  std::optional<double> max;
  std::string pointer;  ///< JSON pointer in the constraint file, for messages
};

/// Shares of the platform's resources a design may use (0..1].
struct ResourceShares {
  std::optional<double> dsp, bram, uram, lut, ff;
};

struct Budget {
  int64_t maxEvaluations = 2'000'000;  ///< coarse (layer, mapping) evaluations; deterministic
  std::optional<double> maxSeconds;    ///< wall-clock stop; makes results timing-dependent
};

struct Constraints {
  std::string file;  ///< where it was read from (diagnostics)
  std::string description;
  PlatformRef platform;
  std::optional<double> clockMhz;            ///< overrides the platform's clock
  std::optional<double> dramBytesPerSecond;  ///< overrides the platform's DRAM bandwidth
  std::vector<Bound> bounds;                 ///< latency, throughput, power, area, energy
  ResourceShares shares;
  Objective objective;
  int activationBits = 8, weightBits = 8, accumulatorBits = 32;
  std::vector<std::string> templates;  ///< allowed families; all when the file does not restrict
  std::vector<std::string> dataflows;  ///< allowed; all when the file does not restrict
  std::vector<std::string> ips;      ///< allowed IP names; empty = every IP in the library
  Budget budget;
  uint64_t seed = 1;
  int threads = 0;  ///< 0 = all hardware threads

  bool allowsTemplate(std::string_view family) const;
  bool allowsDataflow(std::string_view dataflow) const;
  bool allowsIp(std::string_view name) const;
};

/// Parses and validates a constraint object. `knownPlatforms` are the names accepted for
/// "platform" (the built-ins); `knownIps`, when non-empty, the names accepted in "allowed.ips".
diag::Expected<Constraints> parseConstraints(const io::Json& json, const std::string& file,
                                             const std::vector<std::string>& knownPlatforms,
                                             const std::vector<std::string>& knownIps);

/// Reads a constraint file by path or built-in name (designs/constraints/<name>.json), checking
/// the platform against designs/platforms/ and IPs against ip_library/.
diag::Expected<Constraints> loadConstraints(std::string_view nameOrPath);

/// Serializes back to schema_version 1 (parseConstraints(toJson(c)) round-trips).
io::Json toJson(const Constraints& c);

}  // namespace dnnchip::search
