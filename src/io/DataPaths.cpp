// Locating the data folders. The search order is documented in DataPaths.h and docs/formats.md.

#include "dnnchip/io/DataPaths.h"

#include <algorithm>
#include <cstdlib>
#include <vector>

namespace dnnchip::io {

namespace fs = std::filesystem;

namespace {
fs::path& exePath() {
  static fs::path p;
  return p;
}

bool isDataRoot(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p / "ip_library", ec) && fs::is_directory(p / "designs", ec);
}
}  // namespace

void setExecutablePath(const fs::path& exe) { exePath() = exe; }

diag::Expected<fs::path> dataRoot() {
  if (const char* env = std::getenv("DNNCHIP_DATA"); env && *env) {
    if (isDataRoot(env)) return fs::path(env);
    return diag::error("io.data-root", {env, ""},
                       "DNNCHIP_DATA does not name a folder with ip_library/ and designs/",
                       "point DNNCHIP_DATA at the dnnchip source tree or <prefix>/share/dnnchip");
  }
  std::error_code ec;
  fs::path exe = exePath();
  if (exe.empty()) exe = fs::read_symlink("/proc/self/exe", ec);
  std::vector<fs::path> candidates;
  if (!exe.empty()) {
    fs::path dir = fs::absolute(exe, ec).parent_path();
    for (fs::path d = dir; !d.empty() && candidates.size() < 4; d = d.parent_path()) {
      candidates.push_back(d);
      candidates.push_back(d / "share" / "dnnchip");
      if (d == d.root_path()) break;
    }
  }
#ifdef DNNCHIP_SOURCE_DIR
  candidates.emplace_back(DNNCHIP_SOURCE_DIR);
#endif
#ifdef DNNCHIP_INSTALL_DATADIR
  candidates.emplace_back(DNNCHIP_INSTALL_DATADIR);
#endif
  for (auto& c : candidates)
    if (isDataRoot(c)) return fs::weakly_canonical(c, ec);
  return diag::error("io.data-root", {}, "cannot find dnnchip's data folders (ip_library/, designs/)",
                     "set DNNCHIP_DATA to the source tree or to <prefix>/share/dnnchip");
}

std::vector<std::string> builtinNames(std::string_view folder, std::string_view extension) {
  std::vector<std::string> names;
  auto root = dataRoot();
  if (!root) return names;
  std::error_code ec;
  fs::path dir = *root / folder;
  if (!fs::is_directory(dir, ec)) return names;
  for (auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().extension() == extension) names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

diag::Expected<fs::path> resolveDataFile(std::string_view nameOrPath, std::string_view folder,
                                         std::string_view extension, std::string_view what) {
  std::error_code ec;
  fs::path direct(nameOrPath);
  if (fs::is_regular_file(direct, ec)) return direct;
  if (fs::is_directory(direct, ec) && (nameOrPath.find('/') != std::string_view::npos || nameOrPath == "."))
    return diag::error("io.open", {std::string(nameOrPath), ""}, "expected a file but found a folder",
                       "name a " + std::string(what) + " file");
  bool looksLikePath = nameOrPath.find('/') != std::string_view::npos ||
                       direct.has_extension();
  if (!looksLikePath) {
    auto root = dataRoot();
    if (!root) return root.error();
    fs::path p = *root / folder / (std::string(nameOrPath) + std::string(extension));
    if (fs::is_regular_file(p, ec)) return p;
  }
  std::string list;
  for (auto& n : builtinNames(folder, extension)) list += (list.empty() ? "" : ", ") + n;
  return diag::error("lib.unknown-name", {std::string(nameOrPath), ""},
                     "no " + std::string(what) + " file or built-in " + std::string(what) +
                         " by this name",
                     list.empty() ? "give a path to a file" : "give a path or one of: " + list);
}

}  // namespace dnnchip::io
