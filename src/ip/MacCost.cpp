// MAC cost resolution and the technology/FPGA energy scaling shared by all cost functions.
// Energy(bits, node) = E_ref * (bits / reference_bits)^energy_width_exponent
//                      * energy_factor(node) / energy_factor(reference node)
//                      [* fpga_energy_factor(family) on an FPGA].
// Area scales the same way with area_width_exponent and area_factor (ASIC only). On an FPGA the
// mapping comes from the IP's "fpga"."<family>" object: "dsp" (1 / macs_per_dsp DSP blocks per MAC,
// so 0.5 for two int8 MACs packed into a DSP48E2) unless MacImpl::Lut, else "lut" (LUT/FF scaled
// with area_width_exponent). No mapping for the family -> supported = false. Cost O(1).

#include <cmath>

#include "Detail.h"

namespace dnnchip::ip {

using detail::val;
using detail::wrongKind;

diag::Expected<double> IpLibrary::energyScale(const IpEntry& ip, const CostTarget& target) const {
  auto tgt = technology(target.technologyNm);
  if (!tgt) return tgt.error();
  double ref = 1.0;
  if (ip.referenceTechnologyNm != 0) {
    auto r = technology(ip.referenceTechnologyNm);
    if (!r) return r.error();
    ref = r->energyFactor;
  }
  double s = tgt->energyFactor / ref;
  if (target.family != DeviceFamily::Asic) {
    auto it = fpgaEnergyFactor_.find(target.family);
    if (it == fpgaEnergyFactor_.end())
      return diag::error("ip.no-technology", {(dir_ / "technology.json").string(), "/fpga_energy_factor"},
                         "no FPGA energy factor for family " + std::string(toString(target.family)),
                         "add the family to \"fpga_energy_factor\" in technology.json");
    s *= it->second;
  }
  return s;
}

diag::Expected<double> IpLibrary::areaScale(const IpEntry& ip, const CostTarget& target) const {
  if (target.family != DeviceFamily::Asic) return 0.0;
  auto tgt = technology(target.technologyNm);
  if (!tgt) return tgt.error();
  auto r = technology(ip.referenceTechnologyNm);
  if (!r) return r.error();
  return tgt->areaFactor / r->areaFactor;
}

diag::Expected<MacCost> IpLibrary::macCost(const IpEntry& ip, int bits, const CostTarget& target) const {
  if (ip.kind != IpKind::Mac) return wrongKind(ip, "a mac");
  if (auto st = ip.checkParam("width_bits", bits); !st) return st.error();
  auto es = energyScale(ip, target);
  if (!es) return es.error();
  auto as = areaScale(ip, target);
  if (!as) return as.error();
  const io::Json& m = ip.model;
  double ratio = bits / val(m, "reference_bits");
  MacCost c;
  c.energyPjPerOp = val(m, "energy_pj_per_op") * std::pow(ratio, val(m, "energy_width_exponent")) * *es;
  double areaRatio = std::pow(ratio, val(m, "area_width_exponent"));
  c.areaUm2 = val(m, "area_um2") * areaRatio * *as;
  c.latencyCycles = static_cast<int>(std::lround(val(m, "latency_cycles")));
  c.initiationInterval = static_cast<int>(std::lround(val(m, "initiation_interval")));
  c.fmaxMhz = val(m, "fmax_mhz");
  if (target.family == DeviceFamily::Asic) return c;

  const std::string fam(toString(target.family));
  const io::Json* map = nullptr;
  if (m.contains("fpga") && m["fpga"].contains(fam)) map = &m["fpga"][fam];
  const bool useDsp = map && map->contains("dsp") && target.macImpl != MacImpl::Lut;
  const bool useLut = map && !useDsp && map->contains("lut") && target.macImpl != MacImpl::Dsp;
  if (useDsp) {
    const io::Json& d = (*map)["dsp"];
    c.fpga.dsp = 1.0 / val(d, "macs_per_dsp");
    c.fpga.lut = val(d, "lut_per_mac");
    c.fpga.ff = val(d, "ff_per_mac");
    c.latencyCycles = static_cast<int>(std::lround(val(d, "latency_cycles")));
    c.fmaxMhz = val(d, "fmax_mhz");
  } else if (useLut) {
    const io::Json& l = (*map)["lut"];
    c.fpga.lut = val(l, "lut_per_mac") * areaRatio;
    c.fpga.ff = val(l, "ff_per_mac") * areaRatio;
    c.latencyCycles = static_cast<int>(std::lround(val(l, "latency_cycles")));
    c.fmaxMhz = val(l, "fmax_mhz");
  } else {
    c.supported = false;
    c.fmaxMhz = 0.0;
  }
  c.areaUm2 = 0.0;
  return c;
}

}  // namespace dnnchip::ip
