#pragma once
/// \file
/// Accelerator-graph JSON (schema_version 1, docs/graph.md): parse -> validate -> build, with a
/// located diagnostic (file + JSON pointer) for unknown fields, wrong types and bad values; and
/// the writer, so that parseGraph(toJson(g)) reproduces g.

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/graph/AcceleratorGraph.h"
#include "dnnchip/io/Json.h"

namespace dnnchip::graph {

/// How a loader checks the graph it built. Empty: verify() without an IP library and without
/// template rules (the checks that do not depend on what the template means);
/// arch::loadDesign passes the template registry's check.
using GraphCheck = std::function<diag::Status(const AcceleratorGraph&)>;

/// Parses a design already in memory; `file` names it in diagnostics. Runs `check` and returns
/// its first error (json.*, value.*, graph.*).
diag::Expected<AcceleratorGraph> parseGraph(const io::Json& json, const std::string& file,
                                            const GraphCheck& check = {});
/// Reads and parses a design file (io.open, json.syntax, then as parseGraph). A generated design's
/// manifest (dnnchip_design.json, with "generator" and "design" members) reads as its "design"
/// member; loadGraphByName also takes a generated design folder (its dnnchip_design.json).
diag::Expected<AcceleratorGraph> loadGraph(const std::filesystem::path& path, const GraphCheck& check = {});
/// A built-in design name (designs/accelerators/<name>.json) or a path (lib.unknown-name).
diag::Expected<AcceleratorGraph> loadGraphByName(std::string_view nameOrPath, const GraphCheck& check = {});
/// Serializes a graph (schema_version 1, fields in documented order, defaults omitted).
io::Json toJson(const AcceleratorGraph& g);

}  // namespace dnnchip::graph
