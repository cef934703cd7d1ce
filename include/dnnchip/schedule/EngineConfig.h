#pragma once
/// \file
/// Parameters of the layer-sequential engine (templates/dnnchip_engine.v) that the schedule and the
/// cycle model depend on, including the DRAM timing of the generated testbench's AXI model
/// (templates/sim/axi_dram_model.v). docs/engine.md is the contract these fields mirror.

#include <cstdint>
#include <string_view>

namespace dnnchip::schedule {

/// Which systolic array the engine instantiates (Verilog parameter DATAFLOW: 0 = WS, 1 = OS).
enum class Dataflow { WeightStationary = 0, OutputStationary = 1 };
std::string_view dataflowName(Dataflow d);

struct EngineConfig {
  int rows = 4;                        ///< ROWS: array rows; also channels per reduction tile (KT)
  int cols = 4;                        ///< COLS: array columns = output channels per N tile
  Dataflow dataflow = Dataflow::WeightStationary;
  int actBufferWords = 256;            ///< ACT_DEPTH: words of ROWS bytes = pixels per M tile (max)
  int accBufferWords = 1024;           ///< ACC_DEPTH: words of COLS int32 (M tile x N tiles)
  bool doubleBuffer = false;           ///< DOUBLE_BUFFER: weight buffer has two banks (see engine.md)
  /// W_GROUP: WS with DOUBLE_BUFFER only: weight blocks one LOAD_W command streams (1, 2, 4, 8 or
  /// 16); the weight buffer holds two halves of that many blocks (2 x weightGroup x rows words of
  /// COLS bytes; docs/engine.md#weight-streams). 1 = one block per command.
  int weightGroup = 1;
  int pack = 1;                        ///< PACK: int8 MACs per PE (2: two columns per DSP48E2, WS only,
                                       ///< rows <= 16, cols even; LAT one more, engine.md#dsp-packing)
  int axiDataBits = 64;                ///< DATA_W (a power of two, 32..512)
  int axiAddrBits = 32;                ///< ADDR_W
  int burstMaxBeats = 16;              ///< BURST_MAX: longest AXI burst the DMA issues (<= 256)
  int progDepth = 64;                  ///< PROG_DEPTH: descriptors the program memory holds
  int dramReadLatencyCycles = 16;      ///< L_RD of the DRAM model: AR handshake to first R beat
  int dramWriteLatencyCycles = 8;      ///< L_WR of the DRAM model: last W beat to B response
  int readOutstanding = 4;             ///< RD_OUTSTANDING: read bursts (and padded pixels) the DMA keeps in flight, 1..16
  int writeOutstanding = 4;            ///< WR_OUTSTANDING: write bursts the DMA posts before their B responses, 1..16
  /// FUSE_ADD: the engine has residual_add (2 multipliers per lane) and runs residual adds in the
  /// output path of their producing GEMM (docs/engine.md#fused-residual-add); off, every add is a
  /// descriptor of its own
  bool fuseResidualAdd = true;
  /// WIDE_GATHER: the DMA can split a gathered run into the words of several channel tiles
  /// (docs/engine.md#wide-gather); off (the iCE40 engine, for its logic cells), ct_group is 1
  bool wideGather = true;
  /// POOL_DEPTH: words (COLS bytes each) of the pool unit's line buffer (templates/pool_unit.v), a
  /// 3x3/2 max pool in the output path of the convolution it follows
  /// (docs/engine.md#fused-max-pool); a conv fuses its pool only if numNTiles * outQ words fit.
  /// 0: no pool unit, every max pool is a descriptor of its own
  int poolLineWords = 0;
  /// RQ_W: the vector unit's requantization operand bits (templates/vector_unit.v). 32: the exact
  /// int32 sum, two DSP48E2 per lane; 27: the sum saturated to 27 bits, one DSP48E2 per lane,
  /// exact for layers under docs/quantization.md#narrow-requantization (the lowering checks them).
  /// No cycle cost.
  int requantBits = 32;
  /// RQ_LUT: the vector unit's requantization multiplier in fabric (partial products and an adder
  /// tree, no DSP slice; design param "requant_mult": "lut") instead of DSP slices ("dsp", the
  /// default). Same products and latency, so no cycle cost; its LUTs are ip_library/vector_unit.json's
  /// "_rqlut" figures. Never on iCE40.
  bool requantLutMult = false;
  /// DW: the depthwise unit (templates/dw_unit.v, docs/engine.md#depthwise-unit-dw_unit): COLS
  /// channel lanes beside the array that run a depthwise layer one output row at a time from a
  /// line buffer of 4 input rows of 2^depthwiseLineBits pixels. Off: not built (always off on
  /// iCE40), every depthwise layer runs on the array.
  bool depthwiseUnit = false;
  int depthwiseLineBits = 6;  ///< DW_LW: log2 of the unit's row slot (input width < 2^bits)

  /// WSKEW: the WS array's skewed weight loads (templates/systolic_ws.v): column c's weight chain
  /// (PACK = 2: pair j's) shifts c (2j + 1) cycles after the load, following the pixels, so a PE
  /// bank is free ROWS - 1 cycles after its last pixel entered instead of LAT - 1
  /// (docs/engine.md#skewed-weight-loads). Design param "weight_skew"; off on iCE40.
  bool weightSkew = false;

  int axiBytes() const { return axiDataBits / 8; }  ///< bytes per AXI beat
};

/// LAT of the WS array (templates/systolic_ws.v): cycles from a pixel entering it to its sums
/// leaving, ROWS + COLS - 1; with PACK = 2 one more (the DSP48E2 registers the activation and
/// the bank bit, docs/engine.md#dsp-packing). The bank rule and the drains count in it.
inline uint64_t wsArrayLatency(const EngineConfig& c) {
  return uint64_t(c.rows) + uint64_t(c.cols) - 1 + (c.pack == 2 ? 1 : 0);
}

/// The latency in the WS array's bank rule: a PE bank may be reloaded (its first row decided)
/// wsBankLatency - 1 decision cycles after the last pixel that used it (docs/engine.md#cycle-behaviour).
/// LAT, or ROWS with skewed weight loads (the skew takes the row's COLS cycles out of the rule).
inline uint64_t wsBankLatency(const EngineConfig& c) {
  return c.weightSkew ? uint64_t(c.rows) : wsArrayLatency(c);
}

}  // namespace dnnchip::schedule
