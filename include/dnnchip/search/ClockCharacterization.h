#pragma once
/// \file
/// The measured logic depth of the generated engine per configuration
/// (designs/characterization/engine_logic_depth.json, written by
/// scripts/characterize_clock.py from `dnnchip synth` runs; docs/timing.md#characterization): the
/// search cannot run Yosys per design point, so it reads the depth measured on a generated engine
/// of the same family, DSP packing and AXI width whose netlist has every optional unit the point
/// builds, and gives the point the highest PL clock the platform's rule allows for it. Entries are
/// measured with the program memory written through ports (no program folded into the netlist),
/// so they hold for any model's program. `dnnchip build` re-measures the chosen design's own
/// netlist.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/platform/Platform.h"
#include "dnnchip/workload/Model.h"

namespace dnnchip::search {

/// The engine's optional units that add RTL (and so paths) beyond the array, buffers, DMA,
/// controller, vector unit, residual add and pool unit every measured engine has.
struct EngineUnits {
  bool depthwise = false;  ///< DW: dw_unit
  bool softmax = false;    ///< SOFTMAX: softmax_unit
  bool mul = false;        ///< MUL: residual_add's multiply mode
  int activation = 0;      ///< ACT: 0 ReLU, 1 + clamp pair, 2 + table (each level contains the one below)
  /// ACT_DEPTH, the activation buffer's words: not a unit, but a deeper buffer widens the DMA's
  /// gather counts and offsets (one level more at 2048 words than at 512 on make run's engine), so
  /// an entry stands for configurations up to its own depth. 0: not known (covers nothing deeper).
  int actDepth = 0;

  /// "depthwise unit, softmax unit, ..." or "none".
  std::string describe() const;
};

/// The optional units (other than the depthwise unit, a design choice) the generated engine may
/// build for `model`: the softmax unit for a Softmax layer, the multiply mode for an elementwise
/// Mul, the activation unit's clamps for ReLU6/Clip and its table for the table activations
/// (golden::usesClamp, golden::usesTable). An upper bound: the compiler may run a layer without
/// its unit, never with a unit this leaves out.
EngineUnits engineUnitsOf(const workload::Model& model);

/// One measured engine.
struct DepthEntry {
  std::string family;     ///< "xc7" or "xcup"
  int pack = 1;           ///< int8 MACs per DSP (mac_int8_pack2: 2)
  int axiDataBits = 0;    ///< DATA_W
  int rows = 0, cols = 0; ///< the array it was measured on
  EngineUnits units;      ///< the optional units its netlist has
  /// Measured with the program memory written through ports ("program": "none"); false: with a
  /// program in the ROM ("rom"), whose constant descriptor bits Yosys folded, so the entry holds
  /// for that program only and covers no configuration.
  bool programFree = true;
  int levels = 0;         ///< deepest register-to-register path (logic levels)
  std::vector<platform::DspRegisters> dsps;  ///< DSP register configurations in the netlist
  bool bram = false;      ///< the netlist has block RAM
  std::string source;     ///< the run it comes from and its worst path

  /// The entry's netlist has every unit of `u` (a unit at the same or a higher level) and an
  /// activation buffer at least as deep; whether it was measured without a program is programFree's.
  bool covers(const EngineUnits& u) const;
};

/// What the characterization says of one engine configuration.
struct DepthLookup {
  const DepthEntry* entry = nullptr;  ///< the entry it stands on; nullptr: the family was not measured
  /// No entry of the family measured without a program has every unit of the configuration: the
  /// clock claimed is one PL clock below what `entry` (the deepest of the family) supports
  /// (docs/timing.md).
  bool unmeasuredUnit = false;
  std::string why;  ///< set when the entry is not an exact measurement of the configuration
};

struct ClockCharacterization {
  std::vector<DepthEntry> entries;
  std::string file;

  /// Among the entries measured without a program whose netlist has every unit of `units`: the
  /// one of (family, pack, axiDataBits) with the fewest units beyond them (the deepest among
  /// equals); else the deepest of the same family and pack, else of the same family (a
  /// conservative stand-in, said so in `why`); else, when none has all the units, the deepest
  /// entry of the family with `unmeasuredUnit` set.
  DepthLookup find(const std::string& family, int pack, int axiDataBits, const EngineUnits& units) const;

  /// The highest PL clock of `clock` that the lookup's entry supports (one candidate lower with
  /// `unmeasuredUnit`; the slowest candidate when none is supported); 0 without an entry.
  static double supportedMhz(const platform::Clock& clock, const DepthLookup& lookup);
};

/// Reads designs/characterization/engine_logic_depth.json (io.*, json.*, search.characterization).
diag::Expected<ClockCharacterization> loadClockCharacterization();
diag::Expected<ClockCharacterization> loadClockCharacterization(const std::filesystem::path& path);

}  // namespace dnnchip::search
