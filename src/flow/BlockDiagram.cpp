// Block diagram of the chosen accelerator: DOT from the graph module, laid out by Graphviz
// (`dot -Tsvg`, run through sim::runProcess with a time limit), inlined as an <svg> element.
// Graphviz output is deterministic for the same DOT text and version. A missing `dot` is a note,
// not an error: the report then says the diagram was not drawn and where the DOT file is.

#include "dnnchip/flow/BlockDiagram.h"

#include "dnnchip/graph/GraphDot.h"
#include "dnnchip/io/Files.h"
#include "dnnchip/sim/Process.h"

namespace dnnchip::flow {

std::string inlineSvg(const std::string& svgFile) {
  size_t begin = svgFile.find("<svg");
  size_t end = svgFile.rfind("</svg>");
  if (begin == std::string::npos || end == std::string::npos || end < begin) return {};
  return svgFile.substr(begin, end + 6 - begin);
}

BlockDiagram renderBlockDiagram(const graph::AcceleratorGraph& g, const std::filesystem::path& folder,
                                const std::string& stem, int timeoutSeconds, io::StopToken stop) {
  BlockDiagram out;
  out.dot = graph::toDot(g);
  const auto dotPath = folder / (stem + ".dot");
  const auto svgPath = folder / (stem + ".svg");
  if (auto st = io::writeFileAtomic(dotPath, out.dot); !st) {
    out.note = "block diagram not drawn: " + st.error().message;
    return out;
  }
  auto dot = sim::findTool("dot");
  if (!dot) {
    out.note = "block diagram not drawn: Graphviz `dot` is not installed (apt-get install graphviz); "
               "the DOT text is in " + (stem + ".dot");
    return out;
  }
  // dot runs in `folder`: give it the file names, not paths relative to our working directory.
  auto r = sim::runProcess({dot->string(), "-Tsvg", "-o", stem + ".svg", stem + ".dot"}, folder,
                           folder / (stem + ".dot.log"), timeoutSeconds, stop);
  std::error_code ec;
  std::filesystem::remove(folder / (stem + ".dot.log"), ec);
  auto text = r.exitCode == 0 ? io::readTextFile(svgPath) : diag::Expected<std::string>(diag::error("io.open", {}, ""));
  if (!text || (out.svg = inlineSvg(*text)).empty()) {
    out.note = r.interrupted ? "block diagram not drawn: stopped; the DOT text is in " + (stem + ".dot")
                             : "block diagram not drawn: `dot -Tsvg` failed (exit " + std::to_string(r.exitCode) +
                                   (r.timedOut ? ", timed out" : "") + "); the DOT text is in " + (stem + ".dot");
    std::filesystem::remove(svgPath, ec);
  }
  return out;
}

}  // namespace dnnchip::flow
