// Spellings of IpKind and DeviceFamily as they appear in JSON ("mac", "bram36", "xcup", ...), and
// the per-kind tables of required cost fields with their legal ranges. Lookup is a linear scan of
// a few entries; the tables are the single place that says what a valid cost model contains.

#include <algorithm>
#include <array>
#include <utility>

#include "Detail.h"

namespace dnnchip::ip {

namespace {
constexpr std::array<std::pair<IpKind, std::string_view>, 14> kKinds{{
    {IpKind::Mac, "mac"},
    {IpKind::RegFile, "regfile"},
    {IpKind::Sram, "sram"},
    {IpKind::Bram18, "bram18"},
    {IpKind::Bram36, "bram36"},
    {IpKind::Uram, "uram"},
    {IpKind::LutRam, "lutram"},
    {IpKind::Ice40Ebr, "ice40_ebr"},
    {IpKind::Ice40Spram, "ice40_spram"},
    {IpKind::Dram, "dram"},
    {IpKind::Noc, "noc"},
    {IpKind::Dma, "dma"},
    {IpKind::Vector, "vector"},
    {IpKind::Controller, "controller"},
}};
constexpr std::array<std::pair<DeviceFamily, std::string_view>, 4> kFamilies{{
    {DeviceFamily::Asic, "asic"},
    {DeviceFamily::Xc7, "xc7"},
    {DeviceFamily::XcUp, "xcup"},
    {DeviceFamily::Ice40, "ice40"},
}};
}  // namespace

std::string_view toString(IpKind kind) {
  for (auto& [k, s] : kKinds)
    if (k == kind) return s;
  return "?";
}

std::optional<IpKind> parseIpKind(std::string_view text) {
  for (auto& [k, s] : kKinds)
    if (s == text) return k;
  return std::nullopt;
}

bool isOnChipMemory(IpKind kind) {
  switch (kind) {
    case IpKind::RegFile: case IpKind::Sram: case IpKind::Bram18: case IpKind::Bram36:
    case IpKind::Uram: case IpKind::LutRam: case IpKind::Ice40Ebr: case IpKind::Ice40Spram:
      return true;
    default:
      return false;
  }
}

std::string_view toString(DeviceFamily family) {
  for (auto& [f, s] : kFamilies)
    if (f == family) return s;
  return "?";
}

std::optional<DeviceFamily> parseDeviceFamily(std::string_view text) {
  for (auto& [f, s] : kFamilies)
    if (s == text) return f;
  return std::nullopt;
}

namespace detail {

const std::vector<Field>& rtlFields(IpKind kind) {
  static const std::vector<Field> none;
  // The array's registers and muxes beside the PE differ by dataflow (systolic_ws.v / systolic_os.v).
  // A PE built for one dataflow only (mac_pe_pack2: WS) has no figures for the other.
  // "_wskew": the WS array's skewed weight loads (WSKEW = 1), added only in engines built with them.
  static const std::vector<Field> mac = {{"dsp_per_mac", 0, 16},          {"lut_per_mac_ws", 0, 1e5, true},
                                         {"ff_per_mac_ws", 0, 1e5, true}, {"lut_per_mac_os", 0, 1e5, true},
                                         {"ff_per_mac_os", 0, 1e5, true}, {"lut_per_mac_ws_wskew", 0, 1e5, true},
                                         {"ff_per_mac_ws_wskew", 0, 1e5, true}};
  // The fused residual add (residual_add.v) counts only in engines built with it (FUSE_ADD), the
  // pool unit's logic (pool_unit.v) only in engines with one (POOL_DEPTH > 0); a figure ending in
  // "_rq27" replaces its base figure in engines whose vector unit has RQ_W = 27, "_rqlut" its base
  // and "_rq27" figures in engines whose vector unit multiplies in fabric (RQ_LUT); the multiply mode
  // of residual_add ("_mul_unit") counts only for a model with an elementwise Mul (MUL = 1), the
  // depthwise unit's logic (dw_unit.v, "_dw_unit") only in engines with one (DW = 1), the softmax
  // unit's (softmax_unit.v, "_softmax_unit") only for a model with a softmax (SOFTMAX = 1).
  static const std::vector<Field> vec = {{"dsp", 0, 1e4},          {"lut", 0, 1e6},          {"ff", 0, 1e6},
                                         {"dsp_per_lane", 0, 1e3}, {"lut_per_lane", 0, 1e5}, {"ff_per_lane", 0, 1e5},
                                         {"dsp_per_lane_rq27", 0, 1e3, true},
                                         {"dsp_per_lane_rqlut", 0, 1e3, true},
                                         {"lut_per_lane_rqlut", 0, 1e5, true},
                                         {"dsp_per_lane_fused_add", 0, 1e3, true},
                                         {"lut_per_lane_fused_add", 0, 1e5, true},
                                         {"ff_per_lane_fused_add", 0, 1e5, true},
                                         {"lut_per_lane_mul_unit", 0, 1e5, true},
                                         {"ff_per_lane_mul_unit", 0, 1e5, true},
                                         {"lut_pool_unit", 0, 1e5, true},
                                         {"ff_pool_unit", 0, 1e5, true},
                                         {"lut_per_lane_pool_unit", 0, 1e5, true},
                                         {"ff_per_lane_pool_unit", 0, 1e5, true},
                                         {"lut_dw_unit", 0, 1e5, true},
                                         {"ff_dw_unit", 0, 1e5, true},
                                         {"lut_per_lane_dw_unit", 0, 1e5, true},
                                         {"ff_per_lane_dw_unit", 0, 1e5, true},
                                         {"lut_softmax_unit", 0, 1e5, true},
                                         {"ff_softmax_unit", 0, 1e5, true},
                                         {"dsp_per_lane_softmax_unit", 0, 1e3, true},
                                         {"lut_per_lane_softmax_unit", 0, 1e5, true},
                                         {"ff_per_lane_softmax_unit", 0, 1e5, true}};
  // calibrated_data_bits: the AXI width the fixed part was measured at; per-data-bit figures
  // then count the bits above it (below it, they subtract).
  static const std::vector<Field> dma = {{"dsp", 0, 1e4},              {"lut", 0, 1e6}, {"ff", 0, 1e6},
                                         {"lut_per_data_bit", 0, 1e4}, {"ff_per_data_bit", 0, 1e4},
                                         {"calibrated_data_bits", 0, 1024, true}};
  // Optional per-dataflow additions to the controller's fixed logic (on iCE40 its
  // output-stationary tile loops cost 20 % more).
  static const std::vector<Field> ctrl = {{"dsp", 0, 1e4},          {"lut", 0, 1e6},          {"ff", 0, 1e6},
                                          {"lut_ws", 0, 1e6, true}, {"ff_ws", 0, 1e6, true}, {"lut_os", 0, 1e6, true},
                                          {"ff_os", 0, 1e6, true}};
  switch (kind) {
    case IpKind::Mac: return mac;
    case IpKind::Vector: return vec;
    case IpKind::Dma: return dma;
    case IpKind::Controller: return ctrl;
    default: return none;
  }
}

const std::vector<Field>& costFields(IpKind kind) {
  static const std::vector<Field> mac = {
      {"reference_bits", 1, 64},          {"energy_pj_per_op", 1e-6, 1e6},
      {"area_um2", 1e-3, 1e9},            {"energy_width_exponent", 0, 4},
      {"area_width_exponent", 0, 4},      {"latency_cycles", 0, 1000},
      {"initiation_interval", 1, 1000},   {"fmax_mhz", 1e-3, 1e5}};
  static const std::vector<Field> asicMem = {
      {"capacity_exponent", 0, 2},        {"width_exponent", 0, 2},
      {"area_um2_per_bit", 1e-6, 1e6},    {"area_overhead_um2", 0, 1e9},
      {"leakage_mw_per_kib", 0, 1e6},     {"read_latency_cycles", 0, 1000}};
  static const std::vector<Field> block = {
      {"capacity_bits", 1, 1e9},          {"ports", 1, 8},
      {"read_latency_cycles", 0, 1000},   {"read_energy_pj", 0, 1e6},
      {"write_energy_pj", 0, 1e6}};
  static const std::vector<Field> lutram = {
      {"bits_per_lut", 1, 1e6},           {"dual_port_lut_factor", 1, 16},
      {"free_mux_depth", 1, 1e9},         {"read_latency_cycles", 0, 1000},
      {"read_energy_pj_per_bit", 0, 1e6}, {"write_energy_pj_per_bit", 0, 1e6}};
  static const std::vector<Field> dram = {
      {"energy_pj_per_bit", 1e-6, 1e6},   {"channel_width_bits", 1, 8192},
      {"data_rate_mtps", 1e-3, 1e6},      {"read_latency_ns", 0, 1e6}};
  static const std::vector<Field> noc = {
      {"energy_pj_per_bit_hop", 0, 1e6},  {"area_um2_per_bit", 0, 1e9},
      {"latency_cycles_per_hop", 0, 1000}, {"lut_per_bit", 0, 1e6},
      {"ff_per_bit", 0, 1e6}};
  static const std::vector<Field> dma = {
      {"setup_cycles", 0, 1e6},           {"energy_pj_per_bit", 0, 1e6},
      {"area_um2", 0, 1e9},               {"lut", 0, 1e7},
      {"ff", 0, 1e7},                     {"lut_per_data_bit", 0, 1e4},
      {"ff_per_data_bit", 0, 1e4},        {"max_burst_beats", 1, 1e6}};
  static const std::vector<Field> vec = {
      {"reference_bits", 1, 64},          {"energy_pj_per_lane_op", 0, 1e6},
      {"width_exponent", 0, 4},           {"area_um2_per_lane", 0, 1e9},
      {"lut_per_lane", 0, 1e6},           {"ff_per_lane", 0, 1e6},
      {"latency_cycles", 0, 1000},        {"fmax_mhz", 1e-3, 1e5}};
  static const std::vector<Field> ctrl = {
      {"per_tile_overhead_cycles", 0, 1e6}, {"per_layer_overhead_cycles", 0, 1e9},
      {"energy_pj_per_cycle", 0, 1e6},    {"area_um2", 0, 1e9},
      {"lut", 0, 1e7},                    {"ff", 0, 1e7}};
  switch (kind) {
    case IpKind::Mac: return mac;
    case IpKind::RegFile: case IpKind::Sram: return asicMem;
    case IpKind::Bram18: case IpKind::Bram36: case IpKind::Uram: case IpKind::Ice40Ebr:
    case IpKind::Ice40Spram: return block;
    case IpKind::LutRam: return lutram;
    case IpKind::Dram: return dram;
    case IpKind::Noc: return noc;
    case IpKind::Dma: return dma;
    case IpKind::Vector: return vec;
    case IpKind::Controller: return ctrl;
  }
  return ctrl;
}

const std::vector<Field>& macDspFields() {
  static const std::vector<Field> f = {{"macs_per_dsp", 1, 16}, {"lut_per_mac", 0, 1e5},
                                       {"ff_per_mac", 0, 1e5},  {"latency_cycles", 0, 1000},
                                       {"fmax_mhz", 1e-3, 1e5}};
  return f;
}

const std::vector<Field>& macLutFields() {
  static const std::vector<Field> f = {{"lut_per_mac", 1e-3, 1e6}, {"ff_per_mac", 0, 1e6},
                                       {"latency_cycles", 0, 1000}, {"fmax_mhz", 1e-3, 1e5}};
  return f;
}

diag::Diagnostic wrongKind(const IpEntry& ip, std::string_view wanted) {
  return diag::error("ip.wrong-kind", {ip.file, "/kind"},
                     "IP \"" + ip.id + "\" is a " + std::string(toString(ip.kind)) + ", not " +
                         std::string(wanted),
                     "pick an IP of the right kind (`dnnchip lib list ips`)");
}

size_t editDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace detail
}  // namespace dnnchip::ip
