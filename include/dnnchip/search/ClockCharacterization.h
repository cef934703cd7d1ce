#pragma once
/// \file
/// The measured logic depth of the generated engine per configuration
/// (designs/characterization/engine_logic_depth.json, written by
/// scripts/characterize_clock.py from `dnnchip synth` runs; docs/timing.md): the search cannot run
/// Yosys per design point, so it reads the depth measured on a generated engine of the same family,
/// DSP packing and AXI width and gives each point the highest PL clock the platform's rule allows
/// for it. `dnnchip build` re-measures the chosen design's own netlist.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/platform/Platform.h"

namespace dnnchip::search {

/// One measured engine.
struct DepthEntry {
  std::string family;     ///< "xc7" or "xcup"
  int pack = 1;           ///< int8 MACs per DSP (mac_int8_pack2: 2)
  int axiDataBits = 0;    ///< DATA_W
  int rows = 0, cols = 0; ///< the array it was measured on
  int levels = 0;         ///< deepest register-to-register path (logic levels)
  std::vector<platform::DspRegisters> dsps;  ///< DSP register configurations in the netlist
  bool bram = false;      ///< the netlist has block RAM
  std::string source;     ///< the run it comes from and its worst path
};

struct ClockCharacterization {
  std::vector<DepthEntry> entries;
  std::string file;

  /// The entry for (family, pack, axiDataBits); else the deepest entry of the same family and
  /// pack, else of the same family (a conservative stand-in, said so in `why`); nullptr if the
  /// family was not measured.
  const DepthEntry* find(const std::string& family, int pack, int axiDataBits, std::string* why = nullptr) const;
};

/// Reads designs/characterization/engine_logic_depth.json (io.*, json.*, search.characterization).
diag::Expected<ClockCharacterization> loadClockCharacterization();
diag::Expected<ClockCharacterization> loadClockCharacterization(const std::filesystem::path& path);

}  // namespace dnnchip::search
