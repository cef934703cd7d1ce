#pragma once
/// \file
/// `dnnchip generate`: from an accelerator design (systolic template) and a model to a folder with
/// the RTL (generated top + template copies), the tile program, a self-checking testbench with an
/// AXI4 DRAM model, Verilator/Icarus scripts, synthesis scripts (Yosys xc7/xcup/ice40, Vivado,
/// generic ASIC + SDC), a filelist, a manifest and a README (docs/codegen.md). All files are
/// produced in memory first and then written, so an error leaves no partial output; the same
/// design, model and seed give the same bytes.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "dnnchip/arch/Registry.h"
#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/golden/ModelRunner.h"
#include "dnnchip/graph/AcceleratorGraph.h"
#include "dnnchip/io/Stop.h"
#include "dnnchip/ip/IpLibrary.h"
#include "dnnchip/schedule/CycleModel.h"
#include "dnnchip/schedule/Program.h"
#include "dnnchip/workload/Model.h"

namespace dnnchip::codegen {

/// Relative path -> content of every file of a generated design.
using FileSet = std::map<std::string, std::string>;

/// The generated design's top module name and manifest file name.
constexpr const char* kTopModule = "dnnchip_top";
constexpr const char* kManifestFile = "dnnchip_design.json";
/// The iCE40 UltraPlus top (rtl/dnnchip_ice40.v: the engine on on-chip SPRAM with a byte-wide host
/// port) and the size of that memory: the UP5K's four SB_SPRAM256KA of 32 KiB.
constexpr const char* kIce40TopModule = "dnnchip_ice40";
constexpr uint32_t kIce40MemBytes = 131072;

struct GenerateOptions {
  uint64_t seed = 1;          ///< seed of the testbench's built-in vectors (golden::randomRun)
  std::filesystem::path templatesDir;  ///< empty: <dataRoot>/templates
  /// A stop request ends the golden run early (golden.interrupted); nothing is returned.
  io::StopToken stop;
};

/// Data of one run of the engine: program (quant fields set), initial DRAM image and the image
/// expected after the run (every layer's output written in program order).
struct RunImage {
  schedule::Program program;
  std::vector<uint8_t> dram;
  std::vector<uint8_t> expected;
  std::vector<std::pair<uint32_t, uint32_t>> checkedRanges;  ///< [base, base+size) of layer outputs
};

/// Builds the run data for `params` (inputs given by name) on a lowered program: the quantization
/// (and, on an engine with RQ_W < 32, schedule::narrowRequant: `codegen.requant-narrow`), the DRAM
/// image and the expected outputs.
diag::Expected<RunImage> makeRunImage(const schedule::Program& program, const schedule::EngineConfig& cfg,
                      const workload::Model& model, const golden::ModelParams& params,
                      const std::map<std::string, const golden::Tensor8*>& activations,
                      const golden::ModelOutputs& outputs);

/// Produces every file of the generated design: the model lowered for the design's engine
/// (arch::lower with `registry`), the Verilog of templates/ the engine's top modules need
/// (Engine::rtlTopModules and every module they instantiate, nothing else), and the generated
/// files. codegen.templates-missing when a needed module or IP template is not in templates/.
diag::Expected<FileSet> generateDesign(const graph::AcceleratorGraph& design, const ip::IpLibrary& lib,
                                       const workload::Model& model, const GenerateOptions& options,
                                       const arch::Registry& registry = arch::builtinRegistry());

/// Writes the files under `dir` (each atomically; folders created). io.write on failure.
diag::Status writeFileSet(const std::filesystem::path& dir, const FileSet& files);

}  // namespace dnnchip::codegen
