// A systolic design's graph -> the layer-sequential engine's parameters. Rules (docs/codegen.md):
//   ROWS, COLS, DATAFLOW   the single compute node (rows, cols, weight/output stationary);
//   ACT_DEPTH              innermost memory holding inputs: capacity / ROWS bytes, power of two down
//                          (halved for WS with DOUBLE_BUFFER: two banks, overlapped gathers);
//   ACC_DEPTH              innermost memory holding outputs/psums: capacity / (4*COLS), power of two down;
//   DOUBLE_BUFFER          the memory holding weights next to the array is double-buffered;
//   PACK                   the compute node's MAC IP's "macs_per_pe" (packOf: 2 only for WS,
//                          rows <= 16, even cols, family xcup);
//   DATA_W                 width of the first edge from DRAM on the input route (32..512, power of two);
//   DRAM latencies         design params "dram_read_latency_cycles"/"dram_write_latency_cycles"
//                          (1..100000) when given, else the EngineConfig defaults (docs/engine.md); explore
//                          stamps them from the platform's memory_port (search/DesignSpace.cpp);
//   bursts in flight       design params "dma_read_outstanding"/"dma_write_outstanding" (1..16,
//                          default 4; family ice40: 1, spram_axi serves one burst at a time);
//   FUSE_ADD               design param "fuse_residual_add" (bool) when given, else on except on
//                          family ice40 (residual_add's 2 multipliers per lane would not fit the
//                          UP5K's 8 SB_MAC16 beside the array);
//   POOL_DEPTH             the pool unit's line buffer (fused 3x3/2 max pool): design param
//                          "pool_line_words" (0..65535) when given, else ACT_DEPTH words (as deep
//                          as the staging buffer); "fuse_max_pool": false, and family ice40, 0;
//   RQ_W                   design param "requant_operand_bits": 32 (default) or 27 (the vector
//                          unit's sum saturated to 27 bits, one DSP48E2 per lane; not on ice40,
//                          whose SB_MAC16 are 16x16); the lowering checks each layer's scale.
//   RQ_LUT                 design param "requant_mult": "dsp" (default) or "lut" (the vector unit's
//                          multiplier in fabric, no DSP slice; not on ice40).
//   WSKEW                  design param "weight_skew" (bool, default false; WS only, not on ice40,
//                          whose UP5K has no logic cells for the delay lines): skewed weight loads
//                          (docs/engine.md#skewed-weight-loads).
//   DW, DW_LW              design param "depthwise_unit" (bool, default false; not on ice40,
//                          whose UP5K has no logic cells for it) and "depthwise_line_bits"
//                          (3..12, default 7: rows of up to 127 pixels): the depthwise unit
//                          (docs/engine.md#depthwise-unit-dw_unit).
// The params are one table (engineParams): a value of the wrong type or out of range, or one the
// iCE40 engine cannot take, is codegen.engine-param at /params/<name>.
// Every compute, DMA, vector, NoC and controller node naming an IP must have that IP's RTL template
// (the "template" field); memories are inferred RAM whatever IP they name.
// Cost O(nodes + edges).

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "SystolicEngine.h"

namespace dnnchip::arch::systolic {

using graph::Node;
using graph::NodeKind;

namespace {

diag::Diagnostic designError(const graph::AcceleratorGraph& g, std::string code, const std::string& pointer,
                             std::string message, std::string hint) {
  return diag::error(std::move(code), {g.file, pointer}, std::move(message), std::move(hint));
}

std::string nodePointer(const Node& n) { return "/nodes/" + std::to_string(n.id); }

int powerOfTwoAtMost(int64_t v) {
  int p = 1;
  while (static_cast<int64_t>(p) * 2 <= v && p < (1 << 24)) p *= 2;
  return p;
}

// One design parameter of the engine (the "params" of a design, rules at the top of this file):
// the values it takes, the one value the iCE40 engine takes where that is narrower, and the
// EngineConfig field it sets. mapDesign applies the rows in order after the defaults, so a later
// row may override an earlier one (fuse_max_pool false clears pool_line_words).
struct EngineParam {
  enum class Kind { Bool, Int, OneOf };
  const char* key;
  Kind kind;
  int64_t lo = 0, hi = 0;         // Kind::Int: a whole number lo..hi
  std::vector<io::Json> oneOf;    // Kind::OneOf: one of these (a number or a string)
  io::Json ice40 = nullptr;       // not null: the only value a design for family ice40 may give
  const char* ice40Why = "";      // why the iCE40 engine takes only that value
  const char* hint = "";
  void (*apply)(schedule::EngineConfig&, const io::Json&) = nullptr;

  bool accepts(const io::Json& v, bool onIce40) const {
    bool ok = false;
    switch (kind) {
      case Kind::Bool: ok = v.is_boolean(); break;
      case Kind::Int:  // range-checked at 64 bits: a value beyond int is refused, not truncated
        ok = v.is_number_unsigned() ? v.get<uint64_t>() >= uint64_t(std::max<int64_t>(lo, 0)) && v.get<uint64_t>() <= uint64_t(hi)
             : v.is_number_integer() && v.get<int64_t>() >= lo && v.get<int64_t>() <= hi;
        break;
      case Kind::OneOf:  // 27.0 is not 27: a whole number must be written as one
        ok = std::any_of(oneOf.begin(), oneOf.end(),
                         [&](const io::Json& o) { return o == v && o.is_number_float() == v.is_number_float(); });
        break;
    }
    return ok && (!onIce40 || ice40.is_null() || v == ice40);
  }
  std::string describe(bool onIce40) const {
    std::string s;
    if (kind == Kind::Bool) s = "true or false";
    if (kind == Kind::Int) s = "a whole number from " + std::to_string(lo) + " to " + std::to_string(hi);
    for (size_t i = 0; kind == Kind::OneOf && i < oneOf.size(); ++i)
      s += (i == 0 ? "" : i + 1 == oneOf.size() ? " or " : ", ") + oneOf[i].dump();
    if (onIce40 && !ice40.is_null()) s += " (" + ice40.dump() + " on iCE40" + (*ice40Why ? std::string(": ") + ice40Why : "") + ")";
    return s;
  }
};

const std::vector<EngineParam>& engineParams() {
  using K = EngineParam::Kind;
  using C = schedule::EngineConfig;
  using J = io::Json;
  static const std::vector<EngineParam> table = {
      {"dram_read_latency_cycles", K::Int, 1, 100000, {}, nullptr, "",
       "give the DRAM's read latency in engine clock cycles (explore and build write it from the platform's "
       "memory_port, docs/platforms.md#memory-port)",
       [](C& c, const J& v) { c.dramReadLatencyCycles = v.get<int>(); }},
      {"dram_write_latency_cycles", K::Int, 1, 100000, {}, nullptr, "",
       "give the DRAM's write latency in engine clock cycles (explore and build write it from the platform's "
       "memory_port, docs/platforms.md#memory-port)",
       [](C& c, const J& v) { c.dramWriteLatencyCycles = v.get<int>(); }},
      {"fuse_residual_add", K::Bool, 0, 0, {}, nullptr, "", "true runs residual adds in their convolution's output path",
       [](C& c, const J& v) { c.fuseResidualAdd = v.get<bool>(); }},
      {"pool_line_words", K::Int, 0, 65535, {}, nullptr, "",
       "give the pool unit's line buffer words (output tiles x conv output width), or 0 for none",
       [](C& c, const J& v) { c.poolLineWords = v.get<int>(); }},
      {"fuse_max_pool", K::Bool, 0, 0, {}, nullptr, "", "true runs a 3x3/2 max pool in its convolution's output path",
       [](C& c, const J& v) { if (!v.get<bool>()) c.poolLineWords = 0; }},
      {"depthwise_unit", K::Bool, 0, 0, {}, false, "the UP5K has no logic cells for it",
       "true builds the depthwise unit beside the array (docs/engine.md#depthwise-unit-dw_unit)",
       [](C& c, const J& v) { c.depthwiseUnit = v.get<bool>(); }},
      {"depthwise_line_bits", K::Int, 3, 12, {}, nullptr, "",
       "give log2 of the depthwise unit's row slot (the widest input row + 1, rounded up)",
       [](C& c, const J& v) { c.depthwiseLineBits = v.get<int>(); }},
      {"requant_operand_bits", K::OneOf, 0, 0, {27, 32}, 32, "SB_MAC16 is 16x16",
       "32 multiplies the exact int32 sum; 27 saturates it first and takes one DSP48E2 per lane "
       "(docs/quantization.md#narrow-requantization)",
       [](C& c, const J& v) { c.requantBits = v.get<int>(); }},
      {"requant_mult", K::OneOf, 0, 0, {"dsp", "lut"}, "dsp", "",
       "\"lut\" builds the vector unit's requantization multiplier in fabric and frees its DSP slices "
       "(docs/engine.md)",
       [](C& c, const J& v) { c.requantLutMult = v.get<std::string>() == "lut"; }},
      {"dma_read_outstanding", K::Int, 1, 16, {}, 1, "spram_axi serves one burst at a time",
       "give the bursts the DMA keeps in flight, at most the port's acceptance",
       [](C& c, const J& v) { c.readOutstanding = v.get<int>(); }},
      {"dma_write_outstanding", K::Int, 1, 16, {}, 1, "spram_axi serves one burst at a time",
       "give the bursts the DMA keeps in flight, at most the port's acceptance",
       [](C& c, const J& v) { c.writeOutstanding = v.get<int>(); }},
  };
  return table;
}

}  // namespace

diag::Expected<int> packOf(const graph::AcceleratorGraph& g, const graph::Node& pe, const ip::IpLibrary& lib) {
  if (!pe.ip) return 1;
  const ip::IpEntry* e = lib.find(*pe.ip);
  const ip::ParamRange* p = e ? e->findParam("macs_per_pe") : nullptr;
  if (!p || p->defaultValue <= 1) return 1;
  const int pack = static_cast<int>(p->defaultValue);
  const std::string what = "compute node '" + pe.name + "' packs " + std::to_string(pack) + " int8 MACs per DSP (IP '" +
                           *pe.ip + "')";
  auto fail = [&](const std::string& pointer, const std::string& why, const std::string& hint) {
    return designError(g, "arch.pack", nodePointer(pe) + pointer, what + ", but " + why, hint);
  };
  const std::string unpacked = "use the unpacked MAC IP mac_int8 for this array";
  if (pack != 2) return fail("/ip", "the engine packs exactly 2 (PACK = 2)", unpacked);
  if (pe.dataflow != graph::Dataflow::WeightStationary)
    return fail("/dataflow", "only the weight-stationary array shares the activation between two columns", unpacked);
  if (pe.rows > 16)
    return fail("/rows", "it has " + std::to_string(pe.rows) + " rows: a column's sum of more than 16 products "
                "of int8 x [-127, 127] can reach 2^18 and overflow the 19-bit low field",
                "use at most 16 rows, or " + unpacked);
  if (pe.cols % 2 != 0)
    return fail("/cols", "it has an odd number of columns (" + std::to_string(pe.cols) + ")",
                "use an even number of columns, or " + unpacked);
  if (g.family != ip::DeviceFamily::XcUp)
    return fail("/ip", "family " + (g.family ? std::string(ip::toString(*g.family)) : std::string("(none)")) +
                " has no DSP48E2 (the 27-bit pre-adder the packing needs; DSP48E1's 25 bits leave a "
                "17-bit field, 4 rows)", unpacked);
  return pack;
}

diag::Expected<EngineMapping> mapDesign(const graph::AcceleratorGraph& g, const ip::IpLibrary& lib) {
  EngineMapping m;
  // Templates of every IP instance first: a missing template is the most specific complaint.
  std::set<std::string> templates;
  for (const Node& n : g.nodes()) {
    // Memories are inferred RAM inside buffer_dp / acc_buffer; their IP names the primitive the
    // RAM maps to (BRAM, EBR, SRAM macro), not an RTL module.
    if (!n.ip || graph::isMemory(n.kind)) continue;
    const ip::IpEntry* e = lib.find(*n.ip);
    if (!e) return lib.unknownIp(*n.ip, {g.file, nodePointer(n) + "/ip"});
    if (!e->templateFile)
      return designError(g, "codegen.no-template", nodePointer(n) + "/ip",
                         "node '" + n.name + "' uses IP '" + *n.ip + "', which has no RTL template",
                         "choose an IP with a \"template\" field in ip_library/ for this node, or generate "
                         "a design whose IPs all have templates");
    templates.insert(*e->templateFile);
  }
  m.ipTemplates.assign(templates.begin(), templates.end());

  auto computes = g.computeNodes();
  if (computes.size() != 1)
    return designError(g, "codegen.not-systolic", "/nodes",
                       "design '" + g.name + "' has " + std::to_string(computes.size()) +
                           " compute nodes; the layer-sequential engine has exactly one",
                       "give the design one compute node");
  const Node& pe = g.node(computes[0]);
  m.computeNode = pe.name;
  auto& c = m.config;
  c.rows = pe.rows;
  c.cols = pe.cols;
  if (pe.dataflow == graph::Dataflow::WeightStationary) c.dataflow = schedule::Dataflow::WeightStationary;
  else if (pe.dataflow == graph::Dataflow::OutputStationary) c.dataflow = schedule::Dataflow::OutputStationary;
  else
    return designError(g, "codegen.not-systolic", nodePointer(pe) + "/dataflow",
                       "compute node '" + pe.name + "' is not weight- or output-stationary",
                       "use dataflow weight_stationary or output_stationary");
  // The engine's own range is 2..255 (schedule::EngineConfig); the generator caps it at 64.
  if (c.rows < 2 || c.cols < 2 || c.rows > 64 || c.cols > 64)
    return designError(g, "codegen.engine-param", nodePointer(pe),
                       "array " + std::to_string(c.rows) + "x" + std::to_string(c.cols) +
                           " is outside the engine's 2..64 per side",
                       "use between 2 and 64 rows and columns");

  auto innermost = [&](graph::Tensor t) -> const Node* {
    auto chain = g.storageChain(pe.id, t);
    for (auto id : chain)
      if (g.node(id).kind != NodeKind::Dram && g.node(id).kind != NodeKind::RegFile) return &g.node(id);
    return nullptr;
  };
  const Node* act = innermost(graph::Tensor::Input);
  const Node* wgt = innermost(graph::Tensor::Weight);
  const Node* acc = innermost(graph::Tensor::Output);
  if (!act || !acc)
    return designError(g, "codegen.engine-param", "/nodes",
                       "design '" + g.name + "' has no on-chip buffer for " + std::string(!act ? "inputs" : "outputs"),
                       "add buffer nodes holding input and output between DRAM and the array");
  m.actBufferNode = act->name;
  m.accBufferNode = acc->name;
  m.weightBufferNode = wgt ? wgt->name : "";
  c.actBufferWords = powerOfTwoAtMost(act->capacityBytes.value_or(0) / c.rows);
  c.accBufferWords = powerOfTwoAtMost(acc->capacityBytes.value_or(0) / (4 * c.cols));
  if (act == acc) {  // a unified buffer: split half and half
    c.actBufferWords = std::max(1, c.actBufferWords / 2);
    c.accBufferWords = std::max(1, c.accBufferWords / 2);
  }
  c.doubleBuffer = wgt && wgt->doubleBuffered;
  auto pack = packOf(g, pe, lib);
  if (!pack) return pack.error();
  c.pack = *pack;
  // WS with double buffering overlaps gathers: two activation banks of ACT_DEPTH words each
  if (c.doubleBuffer && c.dataflow == schedule::Dataflow::WeightStationary) {
    c.actBufferWords = std::max(1, c.actBufferWords / 2);
    // weight streams (docs/engine.md#weight-streams): the weight buffer holds two halves of
    // W_GROUP blocks of rows x cols bytes; its capacity says how many (a power of two, 1..16)
    c.weightGroup = std::clamp(powerOfTwoAtMost(wgt->capacityBytes.value_or(0) / (2 * int64_t{c.rows} * c.cols)), 1, 16);
  }
  if (c.actBufferWords < 16 || c.accBufferWords < 16)
    return designError(g, "codegen.engine-param", nodePointer(c.actBufferWords < 16 ? *act : *acc) + "/capacity_bytes",
                       "buffer '" + (c.actBufferWords < 16 ? act->name : acc->name) +
                           "' holds fewer than 16 words of the array's width",
                       "give the buffer at least 16 x rows bytes (inputs) or 64 x cols bytes (outputs)");

  auto route = g.route(pe.id, graph::Tensor::Input);
  if (route.found() && !route.edges.empty()) {
    const auto& last = g.edge(route.edges.back());  // the edge touching DRAM
    int w = last.widthBits;
    if (w < 32 || w > 512 || (w & (w - 1)) != 0)
      return designError(g, "codegen.engine-param", "/edges/" + std::to_string(last.id) + "/width_bits",
                         "the DRAM path is " + std::to_string(w) + " bits wide; the AXI master takes a power "
                         "of two from 32 to 512", "set the DRAM edge width to 32, 64, 128, 256 or 512 bits");
    c.axiDataBits = w;
  }
  // spram_axi (the iCE40 top's memory) serves one burst at a time: one in flight each way.
  const bool ice40 = g.family == ip::DeviceFamily::Ice40;
  if (ice40) c.readOutstanding = c.writeOutstanding = 1;
  // the iCE40 top's memory is spram_axi's 128 KiB (4 SB_SPRAM256KA): 17-bit addresses, so the
  // controller's and the DMA's address adders are 17 bits wide, not 32 (43 of the UP5K's 5,280
  // logic cells on rtl.cosim.ice40.top's 2x2 engine)
  if (ice40) c.axiAddrBits = 17;
  c.fuseResidualAdd = !ice40;
  c.wideGather = !ice40;  // the UP5K has no logic cells left for the chunk steering
  c.poolLineWords = ice40 ? 0 : c.actBufferWords;
  c.depthwiseLineBits = 7;
  // weight_skew's rule depends on the dataflow, which the table does not see
  if (auto it = g.params.find("weight_skew"); it != g.params.end()) {
    const bool ws = c.dataflow == schedule::Dataflow::WeightStationary;
    if (!it->is_boolean() || (it->get<bool>() && (ice40 || !ws)))
      return designError(g, "codegen.engine-param", "/params/weight_skew",
                         std::string("\"weight_skew\" must be true or false") +
                             (ice40 ? " (false on iCE40)" : !ws ? " (false on an output-stationary array)" : ""),
                         "true skews the WS array's weight loads along its columns: a PE bank is free ROWS - 1 "
                         "cycles after its last pixel (docs/engine.md#skewed-weight-loads)");
    c.weightSkew = it->get<bool>();
  }
  for (const EngineParam& p : engineParams()) {
    auto it = g.params.find(p.key);
    if (it == g.params.end()) continue;
    if (!p.accepts(*it, ice40))
      return designError(g, "codegen.engine-param", std::string("/params/") + p.key,
                         "\"" + std::string(p.key) + "\" must be " + p.describe(ice40) + ", not " + it->dump(),
                         p.hint);
    p.apply(c, *it);
  }
  return m;
}

}  // namespace dnnchip::arch::systolic
