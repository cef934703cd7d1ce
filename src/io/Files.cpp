// Whole-file reads and atomic writes. An atomic write goes to "<target>.tmp.<pid>" beside the
// target, flushed to the disk (fsync) and only then renamed over it, so readers never see a
// partial file, and an interrupted run - or a crash or power loss after the rename - leaves the
// old file (or none, or the whole new one) in place, never an empty one.

#include "dnnchip/io/Files.h"

#include <fstream>
#include <sstream>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace dnnchip::io {

diag::Expected<std::string> readTextFile(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    return diag::error("io.open", {path.string(), ""}, "file does not exist",
                       "check the path, or use a built-in name (dnnchip lib list)");
  if (std::filesystem::is_directory(path, ec))
    return diag::error("io.open", {path.string(), ""}, "expected a file but found a folder",
                       "name a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return diag::error("io.open", {path.string(), ""}, "cannot open file for reading", "check its permissions");
  // One read into a string of the file's size: a stringstream grows by copying, which cost a
  // second per 100 MB ONNX file (ResNet-50 with weights). Files that change size while read, or
  // report none (pipes), fall back to reading until the end.
  std::string text;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > 0) {
    text.resize(static_cast<size_t>(size));
    in.read(text.data(), static_cast<std::streamsize>(size));
    text.resize(static_cast<size_t>(in.gcount()));
  }
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) text.append(buf, static_cast<size_t>(in.gcount()));
  if (in.bad()) return diag::error("io.open", {path.string(), ""}, "read error", "check the file and the disk");
  return text;
}

diag::Status writeFileAtomic(const std::filesystem::path& path, std::string_view content) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  if (ec)
    return diag::error("io.write", {path.string(), ""}, "cannot create folder: " + ec.message(),
                       "choose an output location you can write to");
  auto tmp = path;
  tmp += ".tmp." + std::to_string(::getpid());
  {
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0)
      return diag::error("io.write", {path.string(), ""}, "cannot open for writing",
                         "choose an output location you can write to");
    bool ok = true;
    for (size_t done = 0; ok && done < content.size();) {
      const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
      if (n < 0 && errno == EINTR) continue;
      ok = n > 0;
      if (ok) done += static_cast<size_t>(n);
    }
    ok = ok && ::fsync(fd) == 0;
    ok = ::close(fd) == 0 && ok;
    if (!ok) {
      std::filesystem::remove(tmp, ec);
      return diag::error("io.write", {path.string(), ""}, "write failed (disk full?)",
                         "free space or choose another location");
    }
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return diag::error("io.write", {path.string(), ""}, "cannot move the finished file into place",
                       "choose an output location you can write to");
  }
  return diag::Status::success();
}

}  // namespace dnnchip::io
