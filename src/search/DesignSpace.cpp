// The design space: axes (template base, MAC IP, buffer memory IP, array shape, buffer scale),
// point ids as mixed-radix indices (base slowest, buffer scale fastest), and instantiation of a
// point as a verified accelerator graph derived from its reference design. Buffers follow the
// array: input-side buffers scale with the rows, output-side ones with the columns, a weight
// block buffer with rows x cols, and every buffer with the point's buffer scale; per-PE register
// files get one instance per PE. Cost: instantiate() copies one reference graph (tens of nodes).

#include "dnnchip/search/DesignSpace.h"

#include <algorithm>
#include <cmath>

#include "dnnchip/graph/GraphJson.h"

namespace dnnchip::search {

namespace {

struct BaseSpec {
  Template tmpl;
  Dataflow dataflow;
  const char* design;
  bool rtl;
};
// The reference designs each template is instantiated from (designs/accelerators/).
constexpr BaseSpec kBases[] = {
    {Template::Systolic, Dataflow::WeightStationary, "systolic_ws_8x8", true},
    {Template::Systolic, Dataflow::OutputStationary, "systolic_os_8x8", true},
    {Template::SpatialArray, Dataflow::RowStationary, "eyeriss_like", false},
    {Template::SpatialArray, Dataflow::OutputStationary, "shidiannao_like", false},
};

constexpr int kSides[] = {2, 4, 8, 12, 16, 24, 32, 48, 64};
constexpr double kScales[] = {0.5, 1, 2, 4};

bool fpgaMemoryKind(ip::IpKind k, ip::DeviceFamily f) {
  if (f == ip::DeviceFamily::Ice40) return k == ip::IpKind::Ice40Ebr || k == ip::IpKind::Ice40Spram;
  if (f == ip::DeviceFamily::Asic) return false;
  return k == ip::IpKind::Bram18 || k == ip::IpKind::Bram36 || k == ip::IpKind::Uram ||
         k == ip::IpKind::LutRam;
}

}  // namespace

diag::Expected<DesignSpace> DesignSpace::create(const Constraints& c, const platform::Platform& p,
                                                const ip::IpLibrary& lib, bool rtlOnly) {
  DesignSpace s;
  s.platform_ = p;
  s.lib_ = &lib;
  s.precision_.activationBits = c.activationBits;
  s.precision_.weightBits = c.weightBits;
  s.precision_.accumulatorBits = c.accumulatorBits;
  s.clockMhz_ = c.clockMhz.value_or(p.clock.defaultMhz);
  if (p.clock.maxMhz > 0 && s.clockMhz_ > p.clock.maxMhz)
    return diag::error("constraints.clock", {c.file, "/clock_mhz"},
                       "clock " + std::to_string(s.clockMhz_) + " MHz is above the platform's maximum " +
                           std::to_string(p.clock.maxMhz) + " MHz",
                       "lower clock_mhz");
  s.dramBytesPerSecond_ = c.dramBytesPerSecond.value_or(p.dram.bandwidthBytesPerSec);
  if (!(s.dramBytesPerSecond_ > 0))
    return diag::error("search.no-dram", {c.file, "/platform"},
                       "platform " + p.name + " has no off-chip memory, and every template streams tensors from DRAM",
                       "give \"dram_bandwidth_gbps\" for the external memory the board attaches");

  for (const BaseSpec& b : kBases) {
    if (!c.allows(b.tmpl) || !c.allows(b.dataflow)) continue;
    if (rtlOnly && !b.rtl) continue;
    auto g = graph::loadGraphByName(b.design);
    if (!g) return g.error();
    s.bases_.push_back({b.tmpl, b.dataflow, b.design, b.rtl, std::move(*g)});
  }

  int bits = std::max(c.activationBits, c.weightBits);
  for (const std::string& id : lib.idsOfKind(ip::IpKind::Mac)) {
    const ip::IpEntry* e = lib.find(id);
    bool listed = !c.ips.empty() && c.allowsIp(id);
    if (!c.allowsIp(id)) continue;
    if (c.ips.empty() && id.rfind("mac_int", 0) != 0) continue;  // floats only when asked for
    if (rtlOnly && !e->templateFile) continue;
    const ip::ParamRange* w = e->findParam("width_bits");
    if (w && (bits < w->min || bits > w->max)) continue;
    auto cost = lib.macCost(*e, bits, p.costTarget());
    if (!cost || !cost->supported) continue;
    (void)listed;
    s.macs_.push_back(id);
  }

  if (p.isFpga() && !rtlOnly) {
    for (int k : {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}) {
      auto kind = static_cast<ip::IpKind>(k);
      if (!fpgaMemoryKind(kind, p.family)) continue;
      if (kind == ip::IpKind::Uram && p.resources.uram == 0) continue;
      if (kind == ip::IpKind::Ice40Spram && p.resources.spram == 0) continue;
      for (const std::string& id : lib.idsOfKind(kind))
        if (c.allowsIp(id) || c.ips.empty()) s.memories_.push_back(id);
    }
  }
  if (s.memories_.empty()) s.memories_.push_back("");  // keep each base's own buffers

  for (int r : kSides)
    for (int cl : kSides)
      if (cl == r || cl == 2 * r || r == 2 * cl) s.shapes_.push_back({r, cl});
  s.scales_.assign(std::begin(kScales), std::end(kScales));

  if (s.bases_.empty() || s.macs_.empty())
    return diag::error("search.empty-space", {c.file, "/allowed"},
                       s.bases_.empty() ? "no reference design matches the allowed templates and dataflows"
                                        : "no MAC IP supports " + std::to_string(bits) + "-bit operands on " +
                                              p.name,
                       rtlOnly ? "--rtl-only keeps to systolic ws/os with MAC IPs that have a Verilog template"
                               : "widen allowed.templates, allowed.dataflows or allowed.ips");
  return s;
}

uint64_t DesignSpace::size() const {
  return static_cast<uint64_t>(bases_.size()) * macs_.size() * memories_.size() * shapes_.size() *
         scales_.size();
}

DesignPoint DesignSpace::point(uint64_t id) const {
  DesignPoint p;
  p.id = id;
  uint64_t x = id;
  p.buffer = static_cast<int>(x % scales_.size());
  x /= scales_.size();
  p.shape = static_cast<int>(x % shapes_.size());
  x /= shapes_.size();
  p.memory = static_cast<int>(x % memories_.size());
  x /= memories_.size();
  p.mac = static_cast<int>(x % macs_.size());
  x /= macs_.size();
  p.base = static_cast<int>(x);
  return p;
}

bool DesignSpace::check(const DesignPoint& p) const {
  if (p.base < 0 || p.base >= static_cast<int>(bases_.size())) return false;
  if (p.mac < 0 || p.mac >= static_cast<int>(macs_.size())) return false;
  if (p.memory < 0 || p.memory >= static_cast<int>(memories_.size())) return false;
  if (p.shape < 0 || p.shape >= static_cast<int>(shapes_.size())) return false;
  if (p.buffer < 0 || p.buffer >= static_cast<int>(scales_.size())) return false;
  uint64_t id = ((((static_cast<uint64_t>(p.base) * macs_.size() + p.mac) * memories_.size() + p.memory) *
                   shapes_.size() + p.shape) * scales_.size()) + p.buffer;
  return id == p.id;
}

int64_t DesignSpace::macUnits(const DesignPoint& p) const {
  return int64_t{shapes_[p.shape].rows} * shapes_[p.shape].cols;
}

std::string DesignSpace::describe(const DesignPoint& p) const {
  const TemplateBase& b = bases_[p.base];
  std::string s = std::string(templateName(b.tmpl)) + "/" + std::string(dataflowName(b.dataflow)) + " " +
                  macs_[p.mac] + " ";
  s += memories_[p.memory].empty() ? "base-memories" : memories_[p.memory];
  char buf[64];
  std::snprintf(buf, sizeof buf, " %dx%d buf x%g", shapes_[p.shape].rows, shapes_[p.shape].cols,
                scales_[p.buffer]);
  return s + buf;
}

diag::Expected<graph::AcceleratorGraph> DesignSpace::instantiate(const DesignPoint& p) const {
  const TemplateBase& b = bases_[p.base];
  graph::AcceleratorGraph g = b.graph;
  const ArrayShape sh = shapes_[p.shape];
  const double scale = scales_[p.buffer];
  auto computes = g.computeNodes();
  if (computes.empty()) return diag::error("search.empty-space", {b.design, ""}, "reference design has no compute node");
  const graph::Node base = g.node(computes.front());
  const double rowRatio = static_cast<double>(sh.rows) / std::max(base.rows, 1);
  const double colRatio = static_cast<double>(sh.cols) / std::max(base.cols, 1);
  const int64_t basePes = std::max<int64_t>(base.pes(), 1);

  g.name = b.design + "_" + std::to_string(sh.rows) + "x" + std::to_string(sh.cols) + "_p" + std::to_string(p.id);
  g.description = "dnnchip explore point " + std::to_string(p.id) + ": " + describe(p) + " (from " + b.design + ")";
  g.clockMhz = clockMhz_;
  g.technologyNm = platform_.technologyNm;
  g.precision = precision_;
  g.family = std::string(ip::toString(platform_.family));
  g.platform = platform_.name;

  for (graph::NodeId id = 0; id < static_cast<graph::NodeId>(g.numNodes()); ++id) {
    graph::Node& n = g.mutableNode(id);
    switch (n.kind) {
      case graph::NodeKind::Compute:
        n.rows = sh.rows;
        n.cols = sh.cols;
        n.ip = macs_[p.mac];
        break;
      case graph::NodeKind::RegFile:
        if (n.instances > 1) n.instances = static_cast<int>(int64_t{sh.rows} * sh.cols);
        break;
      case graph::NodeKind::Buffer: {
        if (!n.capacityBytes) break;
        double ratio = 1.0;
        bool in = n.holds.has(graph::Tensor::Input), w = n.holds.has(graph::Tensor::Weight),
             out = n.holds.has(graph::Tensor::Output);
        if (w && !in && !out && *n.capacityBytes <= 2 * basePes * 4)
          ratio = static_cast<double>(int64_t{sh.rows} * sh.cols) / static_cast<double>(basePes);  // weight block
        else if (in && !out)
          ratio = rowRatio * scale;
        else if (out && !in)
          ratio = colRatio * scale;
        else
          ratio = std::sqrt(rowRatio * colRatio) * scale;
        int64_t bytes = std::max<int64_t>(64, std::llround(static_cast<double>(*n.capacityBytes) * ratio));
        n.capacityBytes = (bytes + 63) / 64 * 64;
        if (b.tmpl == Template::Systolic) {  // the engine's buffer words follow the array edges
          if (in && !out) n.widthBits = sh.rows * 8;
          if (out && !in) n.widthBits = sh.cols * 32;
          if (w && !in && !out) n.widthBits = std::max(64, sh.cols * 8);
        }
        if (!memories_[p.memory].empty()) n.ip = memories_[p.memory];
        break;
      }
      case graph::NodeKind::Dram:
        if (!platform_.dram.ipId.empty()) n.ip = platform_.dram.ipId;
        n.bandwidthBytesPerCycle = dramBytesPerSecond_ / (clockMhz_ * 1e6);
        break;
      case graph::NodeKind::Vector:
        if (b.tmpl == Template::Systolic) n.lanes = sh.cols;
        break;
      default: break;
    }
  }
  auto st = g.check(lib_);
  if (!st) return st.error();
  return g;
}

}  // namespace dnnchip::search
