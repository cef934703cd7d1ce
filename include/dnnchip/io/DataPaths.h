#pragma once
/// \file
/// Where dnnchip's data folders (ip_library/, templates/, designs/) are. Search order:
///   1. the DNNCHIP_DATA environment variable, if set;
///   2. beside the executable's source tree (build tree: <exe>/../ and <exe>/../..);
///   3. the install prefix: <exe>/../share/dnnchip.
/// A folder qualifies when it contains ip_library/ and designs/.

#include <filesystem>
#include <string>
#include <string_view>

#include "dnnchip/diag/Diagnostic.h"

namespace dnnchip::io {

/// Records argv[0] (or /proc/self/exe) so dataRoot() can search beside the executable.
void setExecutablePath(const std::filesystem::path& exe);

/// The data root, or io.data-root if none is found.
diag::Expected<std::filesystem::path> dataRoot();

/// Resolves a built-in name or a path. If `nameOrPath` names an existing file it is returned;
/// otherwise <dataRoot>/<folder>/<nameOrPath><extension> is tried. `what` ("model", "design",
/// "platform", "constraints") is used in the diagnostic (lib.unknown-name), which lists the
/// built-in names in that folder.
diag::Expected<std::filesystem::path> resolveDataFile(std::string_view nameOrPath,
                                                      std::string_view folder,
                                                      std::string_view extension,
                                                      std::string_view what);

/// The built-in names (file stems, sorted) in <dataRoot>/<folder> with `extension`.
std::vector<std::string> builtinNames(std::string_view folder, std::string_view extension);

}  // namespace dnnchip::io
