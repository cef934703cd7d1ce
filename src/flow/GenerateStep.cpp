// Step 3 of `dnnchip build`: the hand-off. The code generator produces every file of the chosen
// design for the whole model in memory (rtl/, program, tb/, sim and synth scripts, filelist,
// manifest, README), then they are written under DIR, each atomically. The block diagram (DOT
// and Graphviz SVG) is written beside them. Generator diagnostics (codegen.*) stop the flow.

#include "dnnchip/codegen/Generator.h"
#include "dnnchip/flow/BlockDiagram.h"
#include "dnnchip/flow/Steps.h"
#include "dnnchip/ip/IpLibrary.h"

namespace dnnchip::flow {

diag::Expected<std::string> generateStep(BuildContext& ctx) {
  auto lib = ip::IpLibrary::loadDefault();
  if (!lib) return lib.error();
  codegen::GenerateOptions go;
  go.seed = ctx.constraints.seed;
  go.stop = ctx.options.stop;
  auto files = codegen::generateDesign(ctx.explore.design, *lib, ctx.model, go);
  if (!files) return files.error();
  if (auto st = codegen::writeFileSet(ctx.options.outDir, *files); !st) return st.error();

  ctx.generate.dir = ctx.options.outDir;
  ctx.generate.files = files->size();
  ctx.generate.rtlFiles = 0;
  for (auto& [path, text] : *files)
    if (path.rfind("rtl/", 0) == 0) ++ctx.generate.rtlFiles;

  ctx.generate.diagram = renderBlockDiagram(ctx.explore.design, ctx.options.outDir, "block_diagram",
                                            ctx.options.toolTimeoutSeconds, ctx.options.stop);
  if (!ctx.generate.diagram.note.empty()) ctx.notes.push_back(ctx.generate.diagram.note);

  return (ctx.options.outDir / "rtl").string() + " (" + std::to_string(ctx.generate.rtlFiles) + " RTL files, " +
         std::to_string(ctx.generate.files) + " files in all, top " + codegen::kTopModule + ")";
}

}  // namespace dnnchip::flow
