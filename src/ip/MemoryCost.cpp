// On-chip memory cost: one instance of `capacityBytes` accessed `widthBits` wide.
//
// ASIC (sram, regfile): the access energy at the requested width is first taken at each anchor
// point, E_a * (width / width_a)^width_exponent; between anchors it is interpolated linearly in
// log(capacity)-log(energy), outside them extrapolated with capacity_exponent (the sqrt(capacity)
// law when 0.5). Then scaled by the node's energy factor. Area = capacity_bits * area_um2_per_bit +
// area_overhead_um2, scaled by the node's area factor; leakage = leakage_mw_per_kib * KiB, scaled
// with area (an approximation: leakage follows the transistor count).
//
// FPGA block RAM (bram18/bram36/uram/ice40_ebr/ice40_spram): depth = ceil(capacity_bits / width);
// for every legal configuration (w, d) the count is ceil(width / w) * ceil(depth / d); the
// smallest count wins (ties go to the wider configuration). An access touches ceil(width / w)
// primitives, each costing read_energy_pj. LUTRAM: the simple dual-port form (RAM64X1D) takes
// dual_port_lut_factor LUTs per bit per bits_per_lut words, plus one output-mux LUT per bit per
// extra free_mux_depth words. FPGA primitives are used as given (no node scaling).
// A primitive that the family does not have returns supported = false. Cost O(anchors + configs).

#include <algorithm>
#include <cmath>

#include "Detail.h"

namespace dnnchip::ip {

using detail::val;
using detail::wrongKind;

namespace {

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

bool familyListed(const io::Json& m, DeviceFamily f) {
  if (!m.contains("families")) return false;
  for (auto& s : m["families"])
    if (s.get<std::string>() == toString(f)) return true;
  return false;
}

/// Log-log interpolation of per-access energy over the anchors, at `capacity` and `width`.
double anchoredEnergy(const io::Json& m, const char* key, double capacity, double width) {
  const io::Json& anchors = m["anchors"];
  const double wexp = val(m, "width_exponent");
  const double cexp = val(m, "capacity_exponent");
  std::vector<std::pair<double, double>> pts;  // (capacity, energy at `width`)
  for (auto& a : anchors)
    pts.emplace_back(val(a, "capacity_bytes"), val(a, key) * std::pow(width / val(a, "width_bits"), wexp));
  if (capacity <= pts.front().first) return pts.front().second * std::pow(capacity / pts.front().first, cexp);
  if (capacity >= pts.back().first) return pts.back().second * std::pow(capacity / pts.back().first, cexp);
  for (size_t i = 1; i < pts.size(); ++i) {
    if (capacity <= pts[i].first) {
      double t = std::log(capacity / pts[i - 1].first) / std::log(pts[i].first / pts[i - 1].first);
      return std::exp(std::log(pts[i - 1].second) + t * (std::log(pts[i].second) - std::log(pts[i - 1].second)));
    }
  }
  return pts.back().second;
}

}  // namespace

diag::Expected<MemoryCost> IpLibrary::memoryCost(const IpEntry& ip, int64_t capacityBytes, int widthBits,
                                                 const CostTarget& target) const {
  if (!isOnChipMemory(ip.kind)) return wrongKind(ip, "an on-chip memory");
  if (auto st = ip.checkParam("capacity_bytes", static_cast<double>(capacityBytes)); !st) return st.error();
  if (auto st = ip.checkParam("width_bits", widthBits); !st) return st.error();
  const io::Json& m = ip.model;
  MemoryCost c;
  c.readLatencyCycles = static_cast<int>(std::lround(val(m, "read_latency_cycles")));
  const int64_t bits = capacityBytes * 8;

  if (ip.kind == IpKind::Sram || ip.kind == IpKind::RegFile) {
    c.ports = static_cast<int>(std::lround(ip.defaultParam("ports").value_or(1.0)));
    if (target.family != DeviceFamily::Asic) {
      c.supported = false;
      return c;
    }
    auto es = energyScale(ip, target);
    if (!es) return es.error();
    auto as = areaScale(ip, target);
    if (!as) return as.error();
    c.readEnergyPj = anchoredEnergy(m, "read_energy_pj", static_cast<double>(capacityBytes), widthBits) * *es;
    c.writeEnergyPj = anchoredEnergy(m, "write_energy_pj", static_cast<double>(capacityBytes), widthBits) * *es;
    c.areaUm2 = (static_cast<double>(bits) * val(m, "area_um2_per_bit") + val(m, "area_overhead_um2")) * *as;
    c.leakageMw = val(m, "leakage_mw_per_kib") * (static_cast<double>(capacityBytes) / 1024.0) * *as;
    return c;
  }

  if (!familyListed(m, target.family)) {
    c.supported = false;
    return c;
  }
  const int64_t depth = ceilDiv(bits, widthBits);
  if (ip.kind == IpKind::LutRam) {
    const int64_t perLut = std::llround(val(m, "bits_per_lut"));
    const int64_t freeDepth = std::llround(val(m, "free_mux_depth"));
    const double luts = widthBits * val(m, "dual_port_lut_factor") * static_cast<double>(ceilDiv(depth, perLut));
    c.fpga.lutramLuts = luts;
    c.fpga.lut = static_cast<double>(widthBits) * static_cast<double>(ceilDiv(depth, freeDepth) - 1);
    c.readEnergyPj = widthBits * val(m, "read_energy_pj_per_bit");
    c.writeEnergyPj = widthBits * val(m, "write_energy_pj_per_bit");
    c.ports = 2;
    return c;
  }

  int64_t best = INT64_MAX, bestWide = 0, bestW = 1;
  for (auto& cfg : m["configurations"]) {
    const int64_t w = std::llround(val(cfg, "width_bits"));
    const int64_t d = std::llround(val(cfg, "depth"));
    const int64_t wide = ceilDiv(widthBits, w);
    const int64_t n = wide * ceilDiv(depth, d);
    if (n < best || (n == best && w > bestW)) {
      best = n;
      bestWide = wide;
      bestW = w;
    }
  }
  const double count = static_cast<double>(best);
  switch (ip.kind) {
    case IpKind::Bram18: case IpKind::Ice40Ebr: c.fpga.bram18 = count; break;
    case IpKind::Bram36: c.fpga.bram36 = count; break;
    default: c.fpga.uram = count; break;  // Uram, Ice40Spram
  }
  c.readEnergyPj = static_cast<double>(bestWide) * val(m, "read_energy_pj");
  c.writeEnergyPj = static_cast<double>(bestWide) * val(m, "write_energy_pj");
  c.ports = static_cast<int>(std::lround(val(m, "ports")));
  return c;
}

}  // namespace dnnchip::ip
