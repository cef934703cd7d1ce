#pragma once
/// \file
/// The view of an accelerator the mapping search works on: a memory hierarchy, outermost (DRAM)
/// first, with a spatial PE array below one level. Each level keeps some tensors (the others
/// bypass it), has a capacity (shared or per tensor), per-word access energies, a bandwidth and a
/// number of instances (one per PE below the array). It is derived from an accelerator graph and
/// the IP library (or written in a test), never holds IP numbers of its own.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "dnnchip/workload/Layer.h"

namespace dnnchip::search {

constexpr int kNumTensors = 3;  ///< workload::TensorRole Input, Weight, Output
constexpr int kMaxLevels = 4;   ///< DRAM, global buffer, up to two PE-local levels

struct MemLevel {
  std::string name;
  std::array<bool, kNumTensors> keeps{true, true, true};
  /// Capacity in data words: one shared pool when `sharedWords` > 0, else per tensor
  /// (`tensorWords`, 0 = unlimited for that tensor). DRAM is unlimited (all zero).
  int64_t sharedWords = 0;
  std::array<int64_t, kNumTensors> tensorWords{0, 0, 0};
  /// Energy per data-word access, picojoules (a wide memory's per-access energy divided by the
  /// words per access).
  std::array<double, kNumTensors> readPj{0, 0, 0};
  std::array<double, kNumTensors> writePj{0, 0, 0};
  /// Data words per cycle one instance can move (reads + writes); 0 = unlimited.
  double wordsPerCycle = 0;
};

struct ArchSpec {
  std::string name;
  std::vector<MemLevel> levels;  ///< [0] is DRAM; at most kMaxLevels
  /// The PE array sits below levels[spatialLevel]; deeper levels are per PE.
  int spatialLevel = 1;
  int64_t meshX = 1, meshY = 1;
  /// Dimensions each array axis may unroll (the dataflow); indexed by workload::Dim.
  std::array<bool, workload::kNumDims> allowX{}, allowY{};
  double macPj = 0;           ///< energy of one MAC
  double clockHz = 1e9;
  int64_t wordBits = 16;      ///< data word width (for capacity in bytes, reporting)

  int numLevels() const { return static_cast<int>(levels.size()); }
};

}  // namespace dnnchip::search
