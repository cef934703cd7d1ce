#pragma once
// The Timeloop eyeriss_like reference (Accelergy-Project/timeloop-accelergy-exercises,
// workspace/example_designs/example_designs/eyeriss_like/ref_outputs/default_problem) as a
// hand-built EngineModel, so the reuse analysis is tested without the graph and JSON layers.

#include "dnnchip/mapping/Mapping.h"
#include "dnnchip/predict/EngineModel.h"
#include "dnnchip/workload/Layer.h"

namespace dnnchip::predict::testing {

inline workload::LoopNest timeloopNest() {
  using workload::Dim;
  workload::LoopNest n;
  n.bound[Dim::K] = 32;
  n.bound[Dim::C] = 3;
  n.bound[Dim::P] = 112;
  n.bound[Dim::Q] = 112;
  n.bound[Dim::R] = 3;
  n.bound[Dim::S] = 3;
  n.strideH = n.strideW = 2;
  n.inH = n.inW = 225;
  return n;
}

/// Levels: DRAM, shared_glb, ifmap_spad, weights_spad, psum_spad (per PE from index 2).
inline EngineModel timeloopEngine() {
  using workload::Dim;
  EngineModel e;
  mapping::Hierarchy& h = e.hierarchy;
  h.inputBits = h.weightBits = h.outputBits = 8;
  h.partialSumBits = 16;
  auto level = [](const char* name, bool dram, mapping::TensorFlags keep, int64_t capBits, int64_t inst, int width) {
    mapping::MemoryLevel l;
    l.name = name;
    l.isDram = dram;
    l.canKeep = keep;
    l.capacityBits = capBits;
    l.instances = inst;
    l.accessWidthBits = width;
    l.doubleBuffered = true;
    return l;
  };
  h.levels = {level("DRAM", true, {true, true, true}, 0, 1, 64),
              level("shared_glb", false, {true, false, true}, 16384 * 64, 1, 64),
              level("ifmap_spad", false, {true, false, false}, 12 * 16, 168, 16),
              level("weights_spad", false, {false, true, false}, 192 * 16, 168, 16),
              level("psum_spad", false, {false, false, true}, 16 * 16, 168, 16)};
  h.firstPerPeLevel = 2;
  h.array.name = "pe_array";
  h.array.meshX = 14;
  h.array.meshY = 12;
  for (int d = 0; d < workload::kNumDims; ++d) h.array.allowX[d] = h.array.allowY[d] = true;
  e.energy[0] = {512, 512, 0};
  e.energy[1] = {18.18, 14.14, 0};
  e.energy[2] = {0.202, 0.177, 0};
  e.energy[3] = {1.977, 1.882, 0};
  e.energy[4] = {0.251, 0.219, 0};
  e.macPj = 0.2077;
  e.readBitsPerCycle[1] = e.writeBitsPerCycle[1] = 128;
  for (int l = 2; l < 5; ++l) e.readBitsPerCycle[l] = e.writeBitsPerCycle[l] = 16;
  e.clockHz = 1e9;
  return e;
}

/// DRAM [P8 Q2 M4] | GLB [P14 Q4] | X Q14 | Y C3 S3 | weights_spad R3 | psum_spad M8.
inline mapping::Mapping timeloopMapping(const mapping::Hierarchy& h) {
  using workload::Dim;
  mapping::Mapping m = mapping::Mapping::trivial(h);
  m.levels[0].factor[Dim::P] = 8;
  m.levels[0].factor[Dim::Q] = 2;
  m.levels[0].factor[Dim::K] = 4;
  m.levels[0].order = {Dim::P, Dim::Q, Dim::K, Dim::G, Dim::N, Dim::C, Dim::R, Dim::S};
  m.levels[1].factor[Dim::P] = 14;
  m.levels[1].factor[Dim::Q] = 4;
  m.levels[1].order = {Dim::P, Dim::Q, Dim::G, Dim::N, Dim::K, Dim::C, Dim::R, Dim::S};
  m.spatialX[Dim::Q] = 14;
  m.spatialY[Dim::C] = 3;
  m.spatialY[Dim::S] = 3;
  m.levels[3].factor[Dim::R] = 3;
  m.levels[4].factor[Dim::K] = 8;
  return m;
}

}  // namespace dnnchip::predict::testing
