// `dnnchip lib list [KIND]` and `dnnchip lib show [KIND] NAME`: what is built in — IPs (ip_library/),
// platforms, models, constraint files and reference accelerator designs (designs/...).

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string_view>
#include <vector>

#include "Command.h"
#include "dnnchip/io/DataPaths.h"
#include "dnnchip/io/Json.h"

namespace dnnchip::cli {

namespace {

struct Kind {
  const char* name;
  const char* folder;
  const char* what;
};
constexpr Kind kKinds[] = {
    {"ips", "ip_library", "IP"},
    {"platforms", "designs/platforms", "platform"},
    {"models", "designs/models", "model"},
    {"designs", "designs/accelerators", "design"},
    {"constraints", "designs/constraints", "constraints file"},
};

std::string describe(const std::filesystem::path& file) {
  auto j = io::readJsonFile(file);
  if (!j || !j->is_object()) return "";
  for (const char* key : {"description", "device", "kind"})
    if (j->contains(key) && (*j)[key].is_string()) return (*j)[key].get<std::string>();
  return "";
}

int list(const std::string& which) {
  auto root = io::dataRoot();
  if (!root) return reportError(root.error());
  std::printf("data: %s\n", root->string().c_str());
  bool any = false;
  for (const Kind& k : kKinds) {
    if (!which.empty() && which != k.name) continue;
    any = true;
    std::printf("%s:\n", k.name);
    for (auto& n : io::builtinNames(k.folder, ".json")) {
      // ip_library/technology.json is the node-scaling table the IP cost models share, not an IP.
      if (std::string_view(k.name) == "ips" && n == "technology") continue;
      std::string d = describe(*root / k.folder / (n + ".json"));
      if (d.size() > 90) d = d.substr(0, 87) + "...";
      std::printf("  %-28s %s\n", n.c_str(), d.c_str());
    }
  }
  if (!any)
    return reportError(diag::error("cli.usage", {}, "unknown kind \"" + which + "\"",
                                   "use one of: ips, platforms, models, designs, constraints"));
  return kExitOk;
}

/// `lib show [KIND] NAME`: the entry's JSON alone on stdout, so `dnnchip lib show constraints ultra96
/// > mine.json` is a file every command that takes that kind reads back (tests/e2e/roundtrip); which
/// file it came from goes to stderr. A name built in as two kinds (the platform and the constraint
/// file `ultra96`) needs the kind: showing the first one found would hand a user the wrong file.
int show(const std::vector<std::string>& args) {
  const std::string kind = args.size() == 2 ? args[0] : "";
  const std::string& name = args.back();
  if (!kind.empty() && std::none_of(std::begin(kKinds), std::end(kKinds), [&](const Kind& k) { return kind == k.name; }))
    return reportError(diag::error("cli.usage", {}, "unknown kind \"" + kind + "\"",
                                   "use one of: ips, platforms, models, designs, constraints"));
  auto root = io::dataRoot();
  if (!root) return reportError(root.error());
  std::vector<const Kind*> found;
  for (const Kind& k : kKinds) {
    if (!kind.empty() && kind != k.name) continue;
    auto names = io::builtinNames(k.folder, ".json");
    if (std::find(names.begin(), names.end(), name) != names.end()) found.push_back(&k);
  }
  if (found.empty())
    return reportError(diag::error("lib.unknown-name", {name, ""},
                                   kind.empty() ? "nothing built in has this name" : "no built-in " + kind + " has this name",
                                   "run `dnnchip lib list` to see the built-in names"));
  if (found.size() > 1) {
    std::string kinds;
    for (const Kind* k : found) kinds += std::string(kinds.empty() ? "" : " or ") + "`dnnchip lib show " + k->name + " " + name + "`";
    return reportError(diag::error("lib.ambiguous-name", {name, ""}, "more than one kind of built-in entry has this name",
                                   "say which: " + kinds));
  }
  const Kind& k = *found.front();
  auto j = io::readJsonFile(*root / k.folder / (name + ".json"));
  if (!j) return reportError(j.error());
  std::fprintf(stderr, "%s %s (%s/%s.json)\n", k.what, name.c_str(), k.folder, name.c_str());
  std::cout << j->dump(2) << "\n";
  return kExitOk;
}

}  // namespace

void registerLibCommand(CLI::App& app, Dispatch& dispatch) {
  auto* lib = app.add_subcommand("lib", "List and show built-in IPs, platforms, models, designs and constraints");
  lib->require_subcommand(1);
  auto* ls = lib->add_subcommand("list", "List built-in names with a one-line description");
  auto kind = std::make_shared<std::string>();
  ls->add_option("kind", *kind, "ips | platforms | models | designs | constraints (default: all)");
  ls->callback([&dispatch, kind] { dispatch.action = [kind] { return list(*kind); }; });
  auto* sh = lib->add_subcommand("show", "Print a built-in entry's JSON");
  auto args = std::make_shared<std::vector<std::string>>();
  sh->add_option("name", *args, "[KIND] NAME: a built-in name from `dnnchip lib list`, with its kind where two kinds share it")
      ->required()
      ->expected(1, 2);
  sh->callback([&dispatch, args] { dispatch.action = [args] { return show(*args); }; });
}

}  // namespace dnnchip::cli
