#pragma once
/// \file
/// Mapping JSON (docs/mapping.md, schema_version 1). One layer's mapping is an object
///   {"levels": [{"level": "GLB", "factors": {"P": 14, "Q": 4}, "order": ["P", "Q"],
///                "keep": ["input", "output"]}, ...],
///    "spatial": {"X": {"Q": 14}, "Y": {"C": 3, "S": 3}}}
/// naming levels by their graph node; levels not listed have all factors 1. A mapping file for a
/// whole model is {"schema_version": 1, "layers": {"<layer>": {...}}}; layers absent from it get
/// the default mapper.

#include <filesystem>
#include <map>
#include <string>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/io/Json.h"
#include "dnnchip/mapping/Hierarchy.h"
#include "dnnchip/mapping/Mapping.h"
#include "dnnchip/workload/Model.h"

namespace dnnchip::mapping {

/// A parsed mapping file: per layer the JSON object and where it is, resolved per engine later.
struct MappingFile {
  std::string file;
  io::Json root;                                  ///< the whole document
  std::map<std::string, std::string> layerPointer; ///< layer name -> JSON pointer of its object
};

/// Reads a model mapping file (io.*, json.*, mapping.* diagnostics).
diag::Expected<MappingFile> loadMappingFile(const std::filesystem::path& path);
/// Parses one already in memory.
diag::Expected<MappingFile> parseMappingFile(const io::Json& json, const std::string& file);

/// mapping.unknown-layer if the file names a layer the model does not have (or a layer that is
/// not a compute layer).
diag::Status checkLayersExist(const MappingFile& f, const workload::Model& model);

/// Resolves one layer's mapping object against an engine's hierarchy (mapping.level-name for an
/// unknown level, json.*/value.* for malformed fields). Does not run checkMapping().
diag::Expected<Mapping> parseMapping(const io::JsonView& obj, const Hierarchy& h);

/// The mapping of `layer` from the file, if it has one.
std::optional<diag::Expected<Mapping>> mappingForLayer(const MappingFile& f, const std::string& layer,
                                                        const Hierarchy& h);

/// One layer's mapping as JSON (parseMapping(toJson(m)) == m).
io::Json toJson(const Mapping& m, const Hierarchy& h);

}  // namespace dnnchip::mapping
