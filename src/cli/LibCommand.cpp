// `dnnchip lib list [KIND]` and `dnnchip lib show NAME`: what is built in — IPs (ip_library/),
// platforms, models, constraint files and reference accelerator designs (designs/...).

#include <cstdio>
#include <iostream>
#include <string_view>

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

int show(const std::string& name) {
  for (const Kind& k : kKinds) {
    auto names = io::builtinNames(k.folder, ".json");
    for (auto& n : names) {
      if (n != name) continue;
      auto root = io::dataRoot();
      auto j = io::readJsonFile(*root / k.folder / (n + ".json"));
      if (!j) return reportError(j.error());
      std::printf("%s %s (%s/%s.json)\n", k.what, n.c_str(), k.folder, n.c_str());
      std::cout << j->dump(2) << "\n";
      return kExitOk;
    }
  }
  return reportError(diag::error("lib.unknown-name", {name, ""}, "nothing built in has this name",
                                 "run `dnnchip lib list` to see the built-in names"));
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
  auto name = std::make_shared<std::string>();
  sh->add_option("name", *name, "A built-in name from `dnnchip lib list`")->required();
  sh->callback([&dispatch, name] { dispatch.action = [name] { return show(*name); }; });
}

}  // namespace dnnchip::cli
