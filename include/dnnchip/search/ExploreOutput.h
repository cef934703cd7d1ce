#pragma once
/// \file
/// The output folder of `dnnchip explore`: pareto.json and pareto.csv (every non-dominated
/// feasible design: latency, energy, throughput, power, area or resources), best/design.json (the
/// winner's accelerator graph, loadable by `dnnchip predict --design` and the code generator),
/// best/mapping.json (its per-layer mappings in the predictor's mapping-file format, for
/// `--mapping`), best/prediction.json (its coarse prediction report), convergence.json (the best
/// objective against mapping evaluations) and summary.txt (the search counts, the convergence and
/// the winner against every bound). Every file is written atomically; none contains timings, so
/// equal inputs give byte-identical files.

#include <filesystem>
#include <string>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/io/Json.h"
#include "dnnchip/search/Explorer.h"

namespace dnnchip::search {

/// pareto.json content.
io::Json paretoJson(const ExploreReport& r);
/// convergence.json content (docs/search.md#convergence-curve).
io::Json convergenceJson(const ExploreReport& r);
/// pareto.csv content (header line, then one line per design).
std::string paretoCsv(const ExploreReport& r);
/// summary.txt content.
std::string summaryText(const ExploreReport& r);

/// Writes the whole folder (io.write on failure). best/ only when there is a winner.
diag::Status writeExploreOutputs(const std::filesystem::path& dir, const ExploreReport& r);

}  // namespace dnnchip::search
