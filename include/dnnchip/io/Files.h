#pragma once
/// \file
/// File helpers: whole-file reads, and atomic writes (a temporary beside the target, then rename),
/// so that an output file is written whole or not at all.

#include <filesystem>
#include <string>
#include <string_view>

#include "dnnchip/diag/Diagnostic.h"

namespace dnnchip::io {

/// Reads a whole file (io.open on failure).
diag::Expected<std::string> readTextFile(const std::filesystem::path& path);

/// Writes `content` to `path` atomically; creates parent folders (io.write on failure).
diag::Status writeFileAtomic(const std::filesystem::path& path, std::string_view content);

}  // namespace dnnchip::io
