// Costs of the remaining IP kinds, each resolved once per design instance:
//   DRAM:       bandwidth per channel = channel_width_bits / 8 * data_rate_mtps * 1e6 B/s.
//   NoC/bus:    energy per bit per hop (node-scaled); area = area_um2_per_bit * width;
//               FPGA LUT/FF = per-bit figures * width.
//   DMA:        fixed setup cycles; energy per bit; area; FPGA LUT/FF = fixed + per-data-bit * width;
//               longest burst = max_burst_beats * width / 8 bytes.
//   Vector:     energy per lane op and area per lane scaled by (bits / reference_bits)^width_exponent;
//               FPGA LUT/FF per lane scaled linearly in bits.
//   Controller: per-tile and per-layer overhead cycles, energy per cycle, area, LUT/FF.
// Energies are node-scaled (and multiplied by the FPGA/ASIC factor on FPGA families); areas are
// node-scaled on ASIC and zero on FPGA. Cost O(1) each.

#include <cmath>

#include "Detail.h"

namespace dnnchip::ip {

using detail::val;
using detail::wrongKind;

diag::Expected<DramCost> IpLibrary::dramCost(const IpEntry& ip) const {
  if (ip.kind != IpKind::Dram) return wrongKind(ip, "a dram");
  const io::Json& m = ip.model;
  DramCost c;
  c.energyPjPerBit = val(m, "energy_pj_per_bit");
  c.bandwidthBytesPerSec = val(m, "channel_width_bits") / 8.0 * val(m, "data_rate_mtps") * 1e6;
  c.readLatencyNs = val(m, "read_latency_ns");
  return c;
}

diag::Expected<LinkCost> IpLibrary::linkCost(const IpEntry& ip, int widthBits, const CostTarget& target) const {
  if (ip.kind != IpKind::Noc) return wrongKind(ip, "a noc");
  if (auto st = ip.checkParam("width_bits", widthBits); !st) return st.error();
  auto es = energyScale(ip, target);
  if (!es) return es.error();
  auto as = areaScale(ip, target);
  if (!as) return as.error();
  const io::Json& m = ip.model;
  LinkCost c;
  c.energyPjPerBitHop = val(m, "energy_pj_per_bit_hop") * *es;
  c.areaUm2 = val(m, "area_um2_per_bit") * widthBits * *as;
  c.latencyCyclesPerHop = static_cast<int>(std::lround(val(m, "latency_cycles_per_hop")));
  if (target.family != DeviceFamily::Asic) {
    c.fpga.lut = val(m, "lut_per_bit") * widthBits;
    c.fpga.ff = val(m, "ff_per_bit") * widthBits;
  }
  return c;
}

diag::Expected<DmaCost> IpLibrary::dmaCost(const IpEntry& ip, int widthBits, const CostTarget& target) const {
  if (ip.kind != IpKind::Dma) return wrongKind(ip, "a dma");
  if (auto st = ip.checkParam("width_bits", widthBits); !st) return st.error();
  auto es = energyScale(ip, target);
  if (!es) return es.error();
  auto as = areaScale(ip, target);
  if (!as) return as.error();
  const io::Json& m = ip.model;
  DmaCost c;
  c.setupCycles = val(m, "setup_cycles");
  c.energyPjPerBit = val(m, "energy_pj_per_bit") * *es;
  c.areaUm2 = val(m, "area_um2") * *as;
  c.maxBurstBytes = static_cast<int>(std::lround(val(m, "max_burst_beats") * widthBits / 8.0));
  if (target.family != DeviceFamily::Asic) {
    c.fpga.lut = val(m, "lut") + val(m, "lut_per_data_bit") * widthBits;
    c.fpga.ff = val(m, "ff") + val(m, "ff_per_data_bit") * widthBits;
  }
  return c;
}

diag::Expected<VectorCost> IpLibrary::vectorCost(const IpEntry& ip, int lanes, int bits,
                                                 const CostTarget& target) const {
  if (ip.kind != IpKind::Vector) return wrongKind(ip, "a vector unit");
  if (auto st = ip.checkParam("lanes", lanes); !st) return st.error();
  if (auto st = ip.checkParam("width_bits", bits); !st) return st.error();
  auto es = energyScale(ip, target);
  if (!es) return es.error();
  auto as = areaScale(ip, target);
  if (!as) return as.error();
  const io::Json& m = ip.model;
  const double ratio = bits / val(m, "reference_bits");
  const double widthScale = std::pow(ratio, val(m, "width_exponent"));
  VectorCost c;
  c.energyPjPerLaneOp = val(m, "energy_pj_per_lane_op") * widthScale * *es;
  c.areaUm2 = val(m, "area_um2_per_lane") * lanes * widthScale * *as;
  c.latencyCycles = static_cast<int>(std::lround(val(m, "latency_cycles")));
  c.fmaxMhz = val(m, "fmax_mhz");
  if (target.family != DeviceFamily::Asic) {
    c.fpga.lut = val(m, "lut_per_lane") * lanes * ratio;
    c.fpga.ff = val(m, "ff_per_lane") * lanes * ratio;
  }
  return c;
}

diag::Expected<ControllerCost> IpLibrary::controllerCost(const IpEntry& ip, const CostTarget& target) const {
  if (ip.kind != IpKind::Controller) return wrongKind(ip, "a controller");
  auto es = energyScale(ip, target);
  if (!es) return es.error();
  auto as = areaScale(ip, target);
  if (!as) return as.error();
  const io::Json& m = ip.model;
  ControllerCost c;
  c.perTileOverheadCycles = val(m, "per_tile_overhead_cycles");
  c.perLayerOverheadCycles = val(m, "per_layer_overhead_cycles");
  c.energyPjPerCycle = val(m, "energy_pj_per_cycle") * *es;
  c.areaUm2 = val(m, "area_um2") * *as;
  if (target.family != DeviceFamily::Asic) {
    c.fpga.lut = val(m, "lut");
    c.fpga.ff = val(m, "ff");
  }
  return c;
}

std::optional<FpgaResources> IpLibrary::rtlFpga(const IpEntry& ip, DeviceFamily family, double units,
                                                std::string_view dataflow, bool fusedAdd, bool poolUnit,
                                                int requantBits, bool mulUnit, bool dwUnit, bool lutMult,
                                                bool softmaxUnit, bool weightSkew) const {
  if (!ip.rtl.is_object()) return std::nullopt;
  auto it = ip.rtl.find(std::string(toString(family)));
  if (it == ip.rtl.end()) return std::nullopt;
  FpgaResources r;
  // Per-data-bit figures measured as the slope from a calibrated width count the bits above it
  // (the fixed part is the calibrated width's): dma_axi's "calibrated_data_bits".
  double calibrated = 0;
  if (auto c = it->find("calibrated_data_bits"); c != it->end()) calibrated = c->at("value").get<double>();
  for (const auto& [key, v] : it->items()) {
    const std::string_view k = key;
    if ((k.ends_with("_ws") || k.ends_with("_os")) && !k.ends_with(std::string("_") + std::string(dataflow))) continue;
    if (k.ends_with("_fused_add") && !fusedAdd) continue;
    if (k.ends_with("_pool_unit") && !poolUnit) continue;
    if (k.ends_with("_mul_unit") && !mulUnit) continue;
    if (k.ends_with("_dw_unit") && !dwUnit) continue;
    if (k.ends_with("_rqlut") && !lutMult) continue;
    if (k.ends_with("_wskew") && !weightSkew) continue;
    if (lutMult) {  // the fabric multiplier's figure replaces the DSP one, whatever the operand width
      const std::string_view base = k.ends_with("_rq27") ? k.substr(0, k.size() - 5) : k;
      if (it->contains(std::string(base) + "_rqlut")) continue;
    }
    if (k.ends_with("_softmax_unit") && !softmaxUnit) continue;
    if (k.ends_with("_rq27") && requantBits != 27) continue;
    if (requantBits == 27 && it->contains(key + "_rq27")) continue;  // replaced by the narrow figure
    if (k == "calibrated_data_bits") continue;
    const double x = v.at("value").get<double>();
    const bool perUnit = key.find("_per_") != std::string::npos;
    const double amount = !perUnit ? x : k.ends_with("_per_data_bit") ? x * (units - calibrated) : x * units;
    if (key.rfind("dsp", 0) == 0) r.dsp += amount;
    else if (key.rfind("lut", 0) == 0) r.lut += amount;
    else if (key.rfind("ff", 0) == 0) r.ff += amount;
  }
  return r;
}

}  // namespace dnnchip::ip
