// Internal to src/codegen: the text emitters the generator calls. Each takes the prepared data
// (engine mapping, program, names) and only formats it; nothing here decides anything.
#pragma once

#include <string>
#include <vector>

#include "dnnchip/arch/EngineMapping.h"
#include "dnnchip/graph/AcceleratorGraph.h"
#include "dnnchip/schedule/Program.h"

namespace dnnchip::codegen::emit {

/// Everything the emitters need, decided by the generator.
struct DesignFacts {
  std::string designName;
  std::string modelName;
  arch::EngineMapping mapping;
  double clockMhz = 100.0;
  uint32_t memBytes = 0;              ///< DRAM model size (program.dramBytes rounded up)
  int maxRanges = 1;                  ///< size of the testbench's checked-range table
  uint64_t maxCycles = 0;             ///< default timeout of the testbench
  int activationUnit = 0;             ///< ACT: 0 ReLU only, 1 clamp pair, 2 + table (schedule::activationUnit)
  bool poolUnit = false;              ///< POOL_DEPTH = poolLineWords: the program fuses a max pool
  bool dwUnit = false;                ///< DW = 1: a depthwise layer runs on the depthwise unit
  bool mulUnit = false;               ///< MUL = 1: the program has an elementwise Mul (schedule::usesMul)
  uint32_t softmaxWords = 0;          ///< SOFTMAX = 1, SMX_WORDS = this: the program has a softmax (schedule::softmaxWords)
  std::vector<std::string> rtlFiles;  ///< rtl/ files, top last
  std::vector<std::string> tbFiles;   ///< tb/ Verilog files
};

std::string topModule(const DesignFacts& f);
std::string ice40Top(const DesignFacts& f);   ///< dnnchip_ice40: the top on SPRAM with a host port
std::string ice40Pcf(const DesignFacts& f);   ///< its pins on an iCEBreaker
std::string tbCore(const DesignFacts& f);
std::string tbIcarus(const DesignFacts& f);
std::string tbVerilatorMain(const DesignFacts& f);
std::string filelist(const DesignFacts& f, const std::string& prefix);
std::string runVerilatorScript(const DesignFacts& f);
std::string runIcarusScript(const DesignFacts& f);
std::string lintScript(const DesignFacts& f);
std::string yosysScript(const DesignFacts& f, const std::string& target);  ///< xc7, xcup, ice40, generic
std::string vivadoTcl(const DesignFacts& f);
std::string xdc(const DesignFacts& f);
std::string sdc(const DesignFacts& f);
std::string readme(const DesignFacts& f);
/// The SoC hand-off (EmitSoc.cpp): the SoC top with the design's parameters, its file list.
constexpr const char* kSocTopModule = "dnnchip_soc_top";
std::string socTop(const DesignFacts& f);
std::string socFilelist(const DesignFacts& f);
/// soc/platform.tcl: the platform, clock and data width soc/vivado_bd.tcl builds for.
std::string socPlatformTcl(const DesignFacts& f, const std::string& platform);

}  // namespace dnnchip::codegen::emit
