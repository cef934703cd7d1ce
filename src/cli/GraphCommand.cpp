// `dnnchip graph D [-o FILE.dot] [--svg FILE.svg] [--json [FILE.json]]`: loads an accelerator
// design (built-in name or path), verifies it against the IP library and writes its Graphviz DOT
// text (stdout by default; --json without a file puts the normalized design JSON on stdout instead,
// --json FILE.json writes it there). SVG is drawn by running `dot -Tsvg` when Graphviz is installed: with -o,
// FILE.svg is written beside FILE.dot, or a note says why not; --svg asks for it explicitly and
// then a missing `dot` is an error (graph.dot-missing, exit 2). Every output is written atomically.

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include <unistd.h>

#include "Command.h"
#include "Interrupt.h"
#include "dnnchip/arch/LoadDesign.h"
#include "dnnchip/arch/DesignCheck.h"
#include "dnnchip/graph/GraphDot.h"
#include "dnnchip/graph/GraphJson.h"
#include "dnnchip/io/Files.h"
#include "dnnchip/ip/IpLibrary.h"
#include "dnnchip/sim/Process.h"

namespace dnnchip::cli {

namespace {

struct GraphOptions {
  std::string design;
  std::string dotFile;
  std::string svgFile;
  JsonArg json;
  bool noIpCheck = false;
};

/// Runs `dot -Tsvg` on `dotText` and writes the SVG to `svgPath` (whole or not at all). A stop
/// request kills `dot` and writes nothing (graph.interrupted).
diag::Status renderSvg(const std::filesystem::path& dotTool, const std::string& dotText,
                       const std::filesystem::path& svgPath, io::StopToken stop) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path dir = fs::temp_directory_path(ec) / ("dnnchip-graph-" + std::to_string(::getpid()));
  fs::create_directories(dir, ec);
  const fs::path in = dir / "graph.dot", out = dir / "graph.svg";
  if (auto st = io::writeFileAtomic(in, dotText); !st) return st;
  auto r = sim::runProcess({dotTool.string(), "-Tsvg", "-o", out.string(), in.string()}, dir,
                           dir / "dot.log", 60, stop);
  diag::Status result;
  if (r.interrupted) {
    fs::remove_all(dir, ec);
    return diag::error("graph.interrupted", {svgPath.string(), ""},
                       "stopped (Ctrl-C) while `dot` drew the SVG; nothing was written", "run dnnchip graph again");
  }
  auto svg = r.exitCode == 0 ? io::readTextFile(out)
                             : diag::Expected<std::string>(diag::error("graph.dot-failed", {}, ""));
  if (!svg)
    result = diag::error("graph.dot-failed", {svgPath.string(), ""},
                         "`dot -Tsvg` failed (exit " + std::to_string(r.exitCode) +
                             (r.timedOut ? ", timed out" : "") + "): " + r.output,
                         "check the Graphviz installation, or write only the DOT file with -o");
  else
    result = io::writeFileAtomic(svgPath, *svg);
  fs::remove_all(dir, ec);
  return result;
}

int runGraph(const GraphOptions& o) {
  auto g = arch::loadDesign(o.design);
  if (!g) return reportError(g.error());
  if (!o.noIpCheck) {
    auto lib = ip::IpLibrary::loadDefault();
    if (!lib) return reportError(lib.error());
    auto problems = arch::verifyDesign(*g, &*lib);
    if (!problems.empty()) {
      for (const auto& d : problems) reportNote(d);
      return kExitBadInput;
    }
  }
  // The SVG first: if it fails, nothing else is written.
  const std::string dot = graph::toDot(*g);
  std::optional<std::filesystem::path> dotTool;
  std::filesystem::path svgPath;
  if (!o.svgFile.empty()) {
    dotTool = sim::findTool("dot");
    if (!dotTool)
      return reportError(diag::error("graph.dot-missing", {},
                                     "--svg needs Graphviz `dot`, which is not on PATH",
                                     "install graphviz (apt-get install graphviz) or drop --svg "
                                     "and render the DOT text elsewhere"));
    svgPath = o.svgFile;
  } else if (!o.dotFile.empty()) {
    dotTool = sim::findTool("dot");
    if (dotTool)
      svgPath = std::filesystem::path(o.dotFile).replace_extension(".svg");
    else
      reportNote({diag::Severity::Note, "graph.dot-missing", {},
                  "Graphviz `dot` is not installed; writing " + o.dotFile + " without an SVG",
                  "install graphviz (apt-get install graphviz) to get the SVG"});
  }
  if (dotTool && !svgPath.empty()) {
    InterruptGuard guard;  // Ctrl-C while dot runs: dot is killed, its temporary folder removed, exit 130
    if (auto st = renderSvg(*dotTool, dot, svgPath, guard.token()); !st)
      return guard.stopRequested() ? reportInterrupted(st.error()) : reportError(st.error());
  }
  if (auto st = o.json.emit(graph::toJson(*g)); !st) return reportError(st.error());
  if (o.dotFile.empty()) {
    if (!o.json.toStdout()) std::cout << dot;
  } else if (auto st = io::writeFileAtomic(o.dotFile, dot); !st) {
    return reportError(st.error());
  }
  return kExitOk;
}

}  // namespace

void registerGraphCommand(CLI::App& app, Dispatch& dispatch) {
  auto o = std::make_shared<GraphOptions>();
  auto* cmd = app.add_subcommand(
      "graph",
      "Check an accelerator design and draw it: Graphviz DOT on stdout (or -o FILE.dot, plus "
      "FILE.svg when Graphviz is installed). Format: docs/graph.md");
  cmd->add_option("design,--design", o->design,  // --design as on every other subcommand, or positional
                  "built-in design (dnnchip lib list designs) or a design JSON path")
      ->required();
  cmd->add_option("-o,--output", o->dotFile, "write the DOT text to this file instead of stdout");
  cmd->add_option("--svg", o->svgFile,
                  "also render an SVG with Graphviz `dot` (error graph.dot-missing without it)");
  addJsonOption(cmd, o->json, "the design in normalized form (docs/graph.md)");
  cmd->add_flag("--no-ip-check", o->noIpCheck,
                "skip checking IP ids and parameter ranges against ip_library/");
  cmd->callback([o, &dispatch] { dispatch.action = [o] { return runGraph(*o); }; });
}

}  // namespace dnnchip::cli
