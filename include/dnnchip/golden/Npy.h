#pragma once
/// \file
/// NumPy .npy files (format versions 1.0, 2.0 and 3.0), read and written without Python: int8
/// ('|i1') and little-endian int32 ('<i4') arrays in C order. Diagnostics: npy.not-npy (bad magic),
/// npy.header (malformed header dict, Fortran order), npy.dtype (another element type),
/// npy.truncated (fewer data bytes than the shape needs), npy.shape (a shape the caller rejects).

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/golden/Tensor.h"

namespace dnnchip::golden {

/// Element type of an .npy file this project handles.
enum class NpyDtype { Int8, Int32 };

/// Serializes a tensor as .npy version 1.0 (header padded to a multiple of 64 bytes).
std::string encodeNpy(const Tensor8& t);
std::string encodeNpy(const Tensor32& t);

/// Parses .npy bytes; `file` names the source in diagnostics.
diag::Expected<Tensor8> decodeNpyInt8(std::string_view bytes, const std::string& file);
diag::Expected<Tensor32> decodeNpyInt32(std::string_view bytes, const std::string& file);

/// Reads an .npy file (io.open if it cannot be read).
diag::Expected<Tensor8> readNpyInt8(const std::filesystem::path& path);
diag::Expected<Tensor32> readNpyInt32(const std::filesystem::path& path);

/// Writes an .npy file atomically (io.write on failure).
diag::Status writeNpy(const std::filesystem::path& path, const Tensor8& t);
diag::Status writeNpy(const std::filesystem::path& path, const Tensor32& t);

/// npy.shape diagnostic unless `actual` equals `expected`; `what` names the array ("input of conv1").
diag::Status checkShape(const Shape& actual, const Shape& expected, const std::string& file,
                        const std::string& what);

}  // namespace dnnchip::golden
