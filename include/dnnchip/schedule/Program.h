#pragma once
/// \file
/// The engine's tile program for a model: one descriptor per engine layer plus the DRAM memory
/// map (where every tensor lives). buildProgram lowers a workload::Model; encodeProgram writes the
/// $readmemh file the controller loads; packWeights/packBias write weight and bias bytes in the
/// engine's DRAM layout (docs/engine.md#dram-layout).

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "dnnchip/diag/Diagnostic.h"
#include "dnnchip/golden/Activation.h"
#include "dnnchip/golden/Requantize.h"
#include "dnnchip/io/Stop.h"
#include "dnnchip/schedule/EngineConfig.h"
#include "dnnchip/schedule/LayerDescriptor.h"
#include "dnnchip/workload/Model.h"

namespace dnnchip::schedule {

enum class TensorKind { Activation, Weight, Bias };

/// One tensor's place in DRAM.
struct TensorPlacement {
  std::string name;        ///< activation: tensor name (model input or layer); weight/bias: layer
  TensorKind kind = TensorKind::Activation;
  uint32_t baseAddress = 0;  ///< bytes, 64-byte aligned
  uint32_t sizeBytes = 0;
  int layerIndex = -1;     ///< producing model layer (-1 for a model input)
  /// NCHW (or NC) shape of an activation whose NHWC layout the bytes follow; an alias (flatten,
  /// reshape) carries its storage's shape, so [N, C*H*W] data goes through it in the map's order.
  workload::Shape shape;
  /// Zero columns stored left / right of every row of a 4-D activation (a model input read by a
  /// width-folded convolution, docs/engine.md#dram-layout): element (n, h, w, c) is at
  /// base + ((n*H + h)*(haloLeft + W + haloRight) + haloLeft + w)*C + c; the halo bytes are 0.
  uint32_t haloLeft = 0, haloRight = 0;
  /// Row-stacked layout (a model input read only by a window-folded convolution,
  /// docs/engine.md#dram-layout), when stackRows = R > 0: stackOutRows = P stacked rows per image,
  /// each of haloLeft + W + haloRight pixels of R*C bytes; stacked row p, pixel w', byte r*C + c
  /// (at base + (((n*P + p)*(haloLeft + W + haloRight) + w')*R + r)*C + c) holds input element
  /// (n, c, p*stackStride + r - stackPadTop, w' - haloLeft), 0 outside the input.
  uint32_t stackRows = 0, stackOutRows = 0, stackStride = 1, stackPadTop = 0;
  /// Bytes per pixel when the tensor is a channel slice of a concatenation placed in DRAM (concat
  /// by placement, docs/engine.md#concat-by-placement): element (n, h, w, c) is at
  /// base + ((n*H + h)*W + w)*channelStride + c, base = the concat's base + the slice's first
  /// channel. 0: the tensor's own channel count.
  uint32_t channelStride = 0;
};

struct Program {
  std::vector<LayerDescriptor> descriptors;  ///< in execution order; no End entry
  std::vector<TensorPlacement> tensors;      ///< activations, then weights and biases
  uint32_t dramBytes = 0;                    ///< end of the highest tensor (64-byte aligned)

  /// The placement of a tensor, nullptr if absent.
  const TensorPlacement* find(std::string_view name, TensorKind kind) const;
};

/// Lowers a finalized model onto the engine. Layout-only layers (flatten, reshape of a [N,C,1,1]
/// or 2-D tensor) alias their input; fc after a 4-D flatten becomes a conv with an HxW kernel.
/// A standalone activation runs as an add with multB = 0 and the activation in its output path.
/// Activations set relu / clampEnable / lutEnable (the bounds and table follow from the
/// quantization: setActivation, packTable). A few-channel GEMM may fold its filter width
/// into the reduction (then a model input it alone reads is placed with a zero halo,
/// TensorPlacement::haloLeft/haloRight) and a depthwise layer may run as block-diagonal groups. Errors: codegen.unsupported-op (matmul, softmax,
/// ... or a parameter the engine cannot hold), codegen.buffer-too-small (a tile does not fit).
/// Quantization fields are defaults (mult 1, shift 1; max pool 2/1; avg pool the 1/(kh*kw)
/// approximation of golden::averageQuant); set them with setQuant.
/// The alternative lowerings (docs/engine.md#lowering-and-tile-loops), each still taken only
/// where estimateCycles predicts fewer cycles than the direct one. Off: every layer is lowered
/// directly (tests of the direct lowering).
/// fuseResidualAdd: a residual add runs in the output path of the GEMM that produces one of its
/// operands (LayerDescriptor::fuseAdd) when that GEMM's output has no other reader, is no model
/// output, and is the operand computed last (the other one, the skip, already lies in DRAM); the
/// GEMM's own output is then never stored (fusibleAdds gives the decision).
/// The lowering's memo of per-descriptor cycle estimates (the closed form its choices compare:
/// ct_group candidates, folds, depthwise blocks, fused adds), keyed by every input of that closed
/// form. A caller that lowers many alike configurations owns one and passes it in LoweringOptions
/// (explore keeps one per run); buildProgram without one keeps a memo for that call only. Safe to
/// share between threads; values are pure functions of their keys, so sharing never changes a
/// program.
class LoweringMemo {
 public:
  LoweringMemo();
  ~LoweringMemo();
  LoweringMemo(const LoweringMemo&) = delete;
  LoweringMemo& operator=(const LoweringMemo&) = delete;
  /// Cycles of `d` alone on `cfg` (estimateCycles of a one-descriptor program), computed once.
  uint64_t estimate(const LayerDescriptor& d, const EngineConfig& cfg);
  /// Distinct descriptors held.
  size_t size() const;

 private:
  struct Table;
  std::unique_ptr<Table> table_;
};

/// fuseMaxPool: a 3x3 / stride 2 / pad 1 max pool runs in the output path of the convolution it
/// reads (LayerDescriptor::fusePool) where fusiblePools allows it, the engine has a pool unit
/// (EngineConfig::poolLineWords) and estimateCycles predicts fewer cycles than the two layers.
struct LoweringOptions {
  bool foldWidth = true;        ///< few-channel GEMMs: filter width folded into the reduction
  bool depthwiseBlocks = true;  ///< depthwise: blocks of channels as block-diagonal dense groups
  bool fuseResidualAdd = true;  ///< residual adds in their producing GEMM's output path
  /// Wide gather: channel tiles of a tap per gather (LayerDescriptor::ctGroup). 0: chosen per
  /// layer by the estimate; n >= 1: n wherever it fits (1 = one gather per tile, as before).
  uint32_t ctGroup = 0;
  /// Depthwise blocks wider than min(ROWS, COLS) channels (up to 4 * max(ROWS, COLS), 255): one
  /// gather run per pixel and tap for the whole block; off, blocks stop at min(ROWS, COLS).
  bool wideDepthwiseBlocks = true;
  /// Where estimates are kept across calls; not owned, it must outlive the call. nullptr: a memo
  /// for this call only.
  LoweringMemo* memo = nullptr;
  bool fuseMaxPool = true;      ///< 3x3/2 max pools in the output path of their convolution (last: keeps aggregate initializers)
  /// Depthwise layers on the engine's depthwise unit (cfg.depthwiseUnit): taken where legal and
  /// the estimate is lower (default), everywhere legal (`forceDepthwiseUnit`, for tests), or never.
  bool depthwiseUnit = true;
  bool forceDepthwiseUnit = false;
  /// Few-channel GEMMs reading a model input only they read, on an engine with WIDE_GATHER: the
  /// whole filter window folded into the reduction over a row-stacked input (FoldedWindow)
  bool foldWindow = true;
  /// Row reuse (WeightLowering::RowReuse, engines with cfg.rowReuse): taken where legal and the
  /// estimate is lower (default), never, or (`forceRowReuse`, for tests) wherever legal.
  bool rowReuse = true;
  bool forceRowReuse = false;
  /// Ctrl-C (explore's stage 1): checked before each layer is lowered; once requested,
  /// buildProgram returns search.interrupted instead of a program. Unset: never stops.
  io::StopToken stop{};
};
diag::Expected<Program> buildProgram(const workload::Model& model, const EngineConfig& cfg,
                                     const LoweringOptions& options = {});

/// Sets a descriptor's requantization fields (mult, multB 0..65535, shift 1..31).
void setQuant(LayerDescriptor& d, uint32_t mult, uint32_t multB, uint32_t shift, bool relu);
/// For an engine whose vector unit saturates the requantization sum to cfg.requantBits < 32 bits
/// (RQ_W, docs/quantization.md#narrow-requantization): rewrites each GEMM's (mult, shift) to
/// (mult * 2^j, shift + j), which changes no result, as far as mult < 2^16 and shift <= 31 allow,
/// then checks that every descriptor's sums stay in range or saturate anyway. Call it after the
/// quantization is set. A layer outside the rule is a `codegen.requant-narrow` diagnostic; with
/// requantBits 32 it does nothing.
std::optional<diag::Diagnostic> narrowRequant(Program& program, const EngineConfig& cfg);
/// Rule 3 of docs/quantization.md#narrow-requantization for one scale: rewrites (mult, shift) to
/// (mult * 2^j, shift + j) as far as mult < 2^16 and shift <= 31 allow and says whether a sum
/// beyond `bits` bits saturates the int8 output on both sides (true for bits >= 32 or mult 0).
bool narrowScaleSaturates(uint32_t& mult, uint32_t& shift, int bits);
/// The model-level form of narrowRequant, before any engine is chosen (the search): the name of
/// the first layer whose requantization (`quant`, one per model layer, as golden::randomRun's
/// params) may leave `bits` bits without saturating, or nullopt when every layer passes. It
/// exempts only what narrowRequant finds in range by construction whatever the lowering (adds,
/// muls, max pools) and checks every other scale on rule 3, so it is never looser than
/// narrowRequant on any program lowered from the model.
std::optional<std::string> narrowRequantRefusal(const workload::Model& model,
                                                const std::vector<golden::QuantParams>& quant, int bits);
/// Sets a descriptor's clamp pair from the layer's activation (clampEnable when it clamps; with
/// relu the lower bound is at least 0). The table itself goes into DRAM (packTable).
void setActivation(LayerDescriptor& d, const golden::ActivationParams& a);
/// The 256 table bytes of a descriptor with lutEnable: the activation's table, or the identity
/// if it has none.
std::vector<int8_t> tableBytes(const golden::ActivationParams& a);
/// Sets a fused add's fields from the add layer's quantization (multA of its first operand, multB
/// of its second): addMultY / addMultSkip follow fusedOutputIsB.
void setFusedAddQuant(LayerDescriptor& d, uint32_t multA, uint32_t multB, uint32_t shift, bool relu);

/// An elementwise Mul's quantization (docs/quantization.md#elementwise-multiply): the identity in
/// the accumulate and vector passes (mult 2, shift 1, no clamp), the layer's mult / shift / ReLU
/// in residual_add's multiply mode (addMultY, addShift, addRelu; addMultSkip 0).
void setMulQuant(LayerDescriptor& d, uint32_t mult, uint32_t shift, bool relu);
/// A softmax descriptor's rescale (golden::SoftmaxParams, in its layer's QuantParams): mult
/// 1..65535 into addMultY (w24[15:0]), shift 1..31 into addShift (w25[4:0]).
void setSoftmaxQuant(LayerDescriptor& d, uint32_t mult, uint32_t shift);

/// The lowering's fusion decision, per model layer: for each add layer, the index of the GEMM
/// layer (conv2d or fc) it fuses into, else -1 (also -1 for every other layer). An add fuses
/// into the producer of the operand computed last when that producer is a conv2d/fc reading no
/// flattened map whose output has exactly one reader (the add), is not a model output and is not
/// aliased, and both operands have the add's shape.
std::vector<int> fusibleAdds(const workload::Model& model);

/// For each layer: the index of the convolution whose output path can run it as a fused max pool
/// (docs/engine.md#fused-max-pool), else -1. A max pool qualifies if its window is 3x3, stride 2,
/// padding 1 on every side, dilation 1, its input an even-sized map that only this pool reads,
/// produced by a conv2d and no model output, and its activation none or ReLU (a ReLU moves into
/// the conv's requantization, where max and ReLU commute; the conv must then have none or ReLU).
std::vector<int> fusiblePools(const workload::Model& model);

/// The program memory file: one line per descriptor, 128 hex digits (word 15 first), followed by
/// one all-zero End descriptor; lines end with '\n'.
std::string encodeProgram(const Program& p);
/// Parses encodeProgram's output back (stops at the End descriptor); used by tests and tools.
std::vector<LayerDescriptor> decodeProgram(const std::string& hex);

/// Bytes of the weight region of a Gemm descriptor, from weights in the workload layout
/// [G*Kg][Cg][R][S] (row-major, int8): blocks of kChunk rows x ceil(COLS/axiBytes)*axiBytes
/// bytes, ordered (g, r, s, ctile, ntile) (RowReuse: (g, channel group, r, s, ctile, ntile)); unused positions are 0.
std::vector<int8_t> packWeights(const LayerDescriptor& d, const EngineConfig& cfg,
                                std::span<const int8_t> weightKCRS);
/// Bytes of the bias region of a Gemm descriptor from int32 bias [G*Kg]: per (g, ntile) a block
/// of ceil(4*COLS/axiBytes)*axiBytes bytes, little-endian int32, unused lanes 0 (after the
/// activation table's 256 bytes when lutEnable; packTable fills those).
std::vector<uint8_t> packBias(const LayerDescriptor& d, const EngineConfig& cfg,
                              std::span<const int32_t> bias);
uint32_t weightRegionBytes(const LayerDescriptor& d, const EngineConfig& cfg);
/// Bytes of the bias region: the activation table (lutEnable, first) and the bias blocks.
uint32_t biasRegionBytes(const LayerDescriptor& d, const EngineConfig& cfg);
/// Bytes of one activation table (docs/engine.md#dram-layout): entry e = code + 128.
constexpr uint32_t kActivationTableBytes = 256;
/// Writes the activation table (256 int8 entries, entry e for code e - 128) into the first bytes
/// of a bias region (packBias's output, or empty for a descriptor without bias) and returns it.
std::vector<uint8_t> packTable(const LayerDescriptor& d, const EngineConfig& cfg, std::span<const int8_t> table,
                               std::vector<uint8_t> region);
/// The engine's activation hardware a program needs (dnnchip_engine parameter ACT): 2 if a
/// descriptor uses a table, 1 if one uses a clamp pair, else 0.
int activationUnit(const Program& p);

/// True if a descriptor of the program is an elementwise Mul: the engine needs MUL = 1.
bool usesMul(const Program& p);

/// Row words softmax_unit needs for the program's softmax descriptors (their largest n_ctiles;
/// dnnchip_engine SMX_WORDS), 0 if it has none (SOFTMAX = 0).
uint32_t softmaxWords(const Program& p);

}  // namespace dnnchip::schedule
