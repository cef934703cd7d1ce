#pragma once
/// \file
/// One compute engine of a design, resolved once into plain numbers for the coarse model: the
/// mapping hierarchy (structure), per-level access energies, the MAC energy, the data paths
/// between levels with their bandwidths, and the per-tile overheads. Built by prepareDesign()
/// (DesignModel.h) from the accelerator graph and the IP library, or filled directly in tests.
/// Holds no strings that the inner loop reads; evaluation never allocates.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "dnnchip/mapping/Hierarchy.h"

namespace dnnchip::predict {

using mapping::kMaxLevels;
using mapping::kNumTensors;

/// Energy of one access of `accessWidthBits` at a memory level.
struct LevelEnergy {
  double readPj = 0;    ///< one read access
  double writePj = 0;   ///< one write access (fills and updates)
  double leakageMw = 0; ///< static power of all instances
};

/// A data path between two adjacent storage levels (or a level and the array), for bandwidth.
struct PathLimit {
  int parent = 0;               ///< outer level index
  int child = -1;               ///< inner level index, -1 = the compute array
  uint8_t tensorMask = 0;       ///< bit t: tensor t travels on this path
  double bitsPerCycle = 0;      ///< aggregate; 0 = unlimited
  double energyPjPerBit = 0;    ///< NoC/link energy per bit moved
  bool multicast = true;        ///< one read reaches every PE that needs the same data
};

struct EngineModel {
  mapping::Hierarchy hierarchy;
  std::array<LevelEnergy, kMaxLevels> energy{};
  /// Read and write bandwidth of one instance of each level, bits per cycle; 0 = unlimited.
  std::array<double, kMaxLevels> readBitsPerCycle{}, writeBitsPerCycle{};
  double macPj = 0;                      ///< one MAC
  std::vector<PathLimit> paths;          ///< at most 2 * kMaxLevels entries are used
  std::vector<std::string> pathNames;    ///< report names of the paths (edge or NoC node)
  double perTileOverheadCycles = 0;      ///< controller cycles per on-chip tile
  double perLayerOverheadCycles = 0;     ///< controller cycles to start a layer
  double controllerPjPerCycle = 0;
  /// The array's activity-independent energy per cycle (the compute node's pe_cycle_energy_pj x
  /// its PEs): clock and control of every PE, charged for each cycle a layer runs.
  double clockPjPerCycle = 0;
  bool dataGating = false;               ///< PEs skip the MAC and weight read on a zero input
  double clockHz = 1e9;
};

}  // namespace dnnchip::predict
