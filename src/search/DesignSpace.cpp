// The design space: axes (depthwise unit, template base, MAC IP, buffer memory IP, array shape,
// buffer scale, AXI data width, bursts in flight), point ids as mixed-radix indices (depthwise
// unit slowest, so a space without that axis keeps its ids; bursts in flight fastest), and
// instantiation of a
// point as a verified accelerator graph derived from its reference design. Buffers follow the
// array: input-side buffers scale with the rows, output-side ones with the columns, a weight
// block buffer with rows x cols (x the weight-stream group of a double-buffered WS engine,
// weightGroupFor), and every buffer with the point's buffer scale; per-PE register
// files get one instance per PE. Cost: instantiate() copies one reference graph (tens of nodes).

#include "dnnchip/arch/LoadDesign.h"
#include "dnnchip/search/DesignSpace.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>

#include "dnnchip/arch/DesignCheck.h"
#include "dnnchip/arch/Engine.h"
#include "dnnchip/graph/GraphJson.h"

namespace dnnchip::search {

namespace {

// The reference designs each template is instantiated from are the templates' own
// (arch::Template::search()). A layer-pipeline template's reference gives its DRAM, DMA and
// controller nodes and the form of one stage; it gets one stage per compute layer of the model.
// At most this many stages; deeper networks put consecutive layers on one stage (equal MACs).
constexpr int kMaxStages = 16;

constexpr int kSides[] = {2, 4, 8, 12, 16, 24, 32, 48, 64};
constexpr double kScales[] = {0.5, 1, 2, 4};
// Weight blocks per LOAD_W stream of a double-buffered WS engine (W_GROUP, docs/engine.md#weight-
// streams): up to 8 (ResNet-18 / -50 on Ultra96 in fine mode: 16 gains under 0.1 %,
// docs/performance.md), and no deeper than 512 words (2 x W_GROUP x rows), the depth a block RAM
// has at its 36-bit width anyway: the buffer is as wide as a weight row, so the count stays.
int weightGroupFor(int rows) {
  int g = 1;
  while (g < 8 && 2 * (2 * g) * rows <= 512) g *= 2;
  return g;
}

bool fpgaMemoryKind(ip::IpKind k, ip::DeviceFamily f) {
  if (f == ip::DeviceFamily::Ice40) return k == ip::IpKind::Ice40Ebr || k == ip::IpKind::Ice40Spram;
  if (f == ip::DeviceFamily::Asic) return false;
  return k == ip::IpKind::Bram18 || k == ip::IpKind::Bram36 || k == ip::IpKind::Uram ||
         k == ip::IpKind::LutRam;
}

// The platform's buffer IP ("buffer_ip" in its file), else the first (by id) on-chip memory IP
// of its family in the library: SRAM macros on an ASIC, the family's block RAM on an FPGA.
std::string bufferIpFor(const platform::Platform& p, const ip::IpLibrary& lib) {
  if (p.bufferIp) return *p.bufferIp;
  std::string first;
  for (int k = 0; k <= static_cast<int>(ip::IpKind::Controller); ++k) {
    auto kind = static_cast<ip::IpKind>(k);
    if (!(p.isFpga() ? fpgaMemoryKind(kind, p.family) : kind == ip::IpKind::Sram)) continue;
    for (const std::string& id : lib.idsOfKind(kind))
      if (first.empty() || id < first) first = id;
  }
  return first;
}

}  // namespace

namespace {

/// Stages of a layer pipeline for `model`: one per compute layer, or, above kMaxStages compute
/// layers, consecutive compute layers grouped so each group has about total / kMaxStages MACs.
/// A non-compute layer joins the stage of the compute layer before it (the first stage if none).
std::vector<PipelineStagePlan> planStages(const workload::Model& model) {
  std::vector<int> computes;
  int64_t total = 0;
  for (size_t i = 0; i < model.layers.size(); ++i)
    if (model.layers[i].isCompute() && model.layers[i].macs() > 0) {
      computes.push_back(static_cast<int>(i));
      total += model.layers[i].macs();
    }
  if (computes.empty()) return {};
  const int nStages = std::min<int>(kMaxStages, static_cast<int>(computes.size()));
  std::vector<int> stageOfCompute(computes.size());
  int64_t acc = 0;
  int stage = 0;
  for (size_t k = 0; k < computes.size(); ++k) {
    // Open the next stage once the running MACs pass its share, keeping one layer per stage left.
    const int remainingLayers = static_cast<int>(computes.size() - k);
    if (k > 0 && stage + 1 < nStages &&
        (remainingLayers <= nStages - stage - 1 ||
         static_cast<double>(acc) >= static_cast<double>(total) * (stage + 1) / nStages))
      ++stage;
    stageOfCompute[k] = stage;
    acc += model.layers[computes[k]].macs();
  }
  std::vector<PipelineStagePlan> plan(static_cast<size_t>(stage + 1));
  for (size_t i = 0; i < plan.size(); ++i) plan[i].name = "s" + std::to_string(i);
  size_t k = 0;
  int current = 0;
  for (size_t i = 0; i < model.layers.size(); ++i) {
    if (k < computes.size() && computes[k] == static_cast<int>(i)) {
      current = stageOfCompute[k++];
      PipelineStagePlan& st = plan[static_cast<size_t>(current)];
      if (st.first < 0) st.first = static_cast<int>(i);
      st.macs += model.layers[i].macs();
    }
    plan[static_cast<size_t>(current)].layers.push_back(model.layers[i].name);
  }
  return plan;
}

// A buffer's capacity scaled by `ratio`: at least 64 bytes, in whole 64-byte lines.
int64_t scaledCapacity(int64_t bytes, double ratio) {
  const int64_t b = std::max<int64_t>(64, std::llround(static_cast<double>(bytes) * ratio));
  return (b + 63) / 64 * 64;
}

}  // namespace

diag::Expected<DesignSpace> DesignSpace::create(const Constraints& c, const platform::Platform& p,
                                                const ip::IpLibrary& lib, bool rtlOnly,
                                                const workload::Model* model) {
  DesignSpace s;
  s.platform_ = p;
  s.lib_ = &lib;
  if (model) s.model_ = *model;
  s.precision_.activationBits = c.activationBits;
  s.precision_.weightBits = c.weightBits;
  s.precision_.accumulatorBits = c.accumulatorBits;
  // The platform's DRAM and technology node must be in the library the space prices designs
  // with (ip.unknown, ip.wrong-kind, ip.no-technology); otherwise every design would be pruned
  // and the run would end in a misleading "infeasible".
  if (auto st = platform::checkAgainstLibrary(p, lib); !st) return st.error();
  s.bufferIp_ = bufferIpFor(p, lib);
  s.clockMhz_ = c.clockMhz.value_or(p.clock.defaultMhz);
  if (p.clock.maxMhz > 0 && s.clockMhz_ > p.clock.maxMhz)
    return diag::error("constraints.clock", {c.file, "/clock_mhz"},
                       "clock " + std::to_string(s.clockMhz_) + " MHz is above the platform's maximum " +
                           std::to_string(p.clock.maxMhz) + " MHz",
                       "lower clock_mhz");
  // The clock is an axis where the constraints leave it free and the platform states a clock
  // rule and its PL clocks: each engine point takes the highest clock its measured depth allows.
  if (!c.clockMhz && p.clock.rule && !p.clock.candidatesMhz.empty()) {
    auto ch = loadClockCharacterization();
    if (!ch) return ch.error();
    s.clockChar_ = std::move(*ch);
    if (model) s.modelUnits_ = engineUnitsOf(*model);
  }
  s.dramBytesPerSecond_ = c.dramBytesPerSecond.value_or(p.dram.bandwidthBytesPerSec);
  if (!(s.dramBytesPerSecond_ > 0))
    return diag::error("search.no-dram", {c.file, "/platform"},
                       "platform " + p.name + " has no off-chip memory, and every template streams tensors from DRAM",
                       "give \"dram_bandwidth_gbps\" for the external memory the board attaches");

  // Templates with their own bases first (registry order), then those planned per layer.
  const std::vector<const arch::Template*> templates = arch::builtinRegistry().all();
  for (bool perLayer : {false, true})
    for (const arch::Template* t : templates) {
      const arch::SearchSpec spec = t->search();
      if (spec.family.empty() || spec.stagePerLayer != perLayer || !c.allowsTemplate(spec.family)) continue;
      const bool rtl = t->engine() != nullptr;
      if (rtlOnly && !rtl) continue;
      if (perLayer) {  // no dataflow choice of its own (each engine is a CPF x KPF array)
        if (!model || spec.bases.empty()) continue;
        s.stages_ = planStages(*model);
        if (s.stages_.empty()) continue;
        auto g = arch::loadDesign(spec.bases.front().design);
        if (!g) return g.error();
        s.bases_.push_back({t, spec.family, spec.bases.front().dataflow, spec.bases.front().design, rtl, std::move(*g), -1, -1, 1});
        continue;
      }
      for (const arch::SearchBase& b : spec.bases) {
        if (!c.allowsDataflow(b.dataflow)) continue;
        auto g = arch::loadDesign(b.design);
        if (!g) return g.error();
        s.bases_.push_back({t, spec.family, b.dataflow, b.design, rtl, std::move(*g), -1, -1, 1});
        if (!rtl) continue;
        // The engine's own mapping says which node is its activation buffer and how ACT_DEPTH
        // follows the node's capacity.
        TemplateBase& tb = s.bases_.back();
        auto m = t->engine()->map(tb.graph, lib);
        if (!m) return m.error();
        const graph::Node* act = tb.graph.findNode(m->actBufferNode);
        const auto computes = tb.graph.computeNodes();
        if (act && act->capacityBytes && m->config.actBufferWords > 0 && !computes.empty()) {
          const int64_t words = static_cast<int64_t>(std::bit_floor(static_cast<uint64_t>(
              std::max<int64_t>(1, *act->capacityBytes / std::max(m->config.rows, 1)))));
          tb.actBuffer = act->id;
          tb.computeNode = computes.front();
          tb.actDivisor = static_cast<int>(std::max<int64_t>(1, words / m->config.actBufferWords));
        }
      }
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
    // A MAC IP that packs several MACs per PE is a DSP technique (mac_int8_pack2: DSP48E2); its
    // "fpga" mapping names the families that have that DSP, so macCost leaves it out elsewhere.
    const ip::ParamRange* packed = e->findParam("macs_per_pe");
    if (packed && packed->defaultValue > 1 && !p.isFpga()) continue;
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
  // The memory system: the DMA's AXI data width up to the port's (the DMA takes 32..512) and the
  // bursts it keeps in flight up to the port's acceptance (the DMA tracks at most 16 each way).
  if (p.memoryPort && p.memoryPort->dataBits >= 32) {
    for (int w = 32; w <= std::min(p.memoryPort->dataBits, 512); w *= 2) s.portBits_.push_back(w);
    const int most = std::min(std::max(p.memoryPort->readAcceptance, p.memoryPort->writeAcceptance), 16);
    if (most >= 1) s.bursts_.push_back(most);
    for (int b = 1 << 4; b >= 1; b /= 2)
      if (b < most) s.bursts_.push_back(b);
  }
  if (s.portBits_.empty()) s.portBits_.push_back(0);
  if (s.bursts_.empty()) s.bursts_.push_back(0);
  // The depthwise unit: an axis only where it can pay (a depthwise layer) and where its logic is
  // priced and fits (an FPGA other than iCE40: the iCE40 engine fills 5,278 of the UP5K's 5,280
  // logic cells without it). Its row slot covers the widest depthwise input row with its padding.
  if (model && p.isFpga() && p.family != ip::DeviceFamily::Ice40) {
    int64_t widest = -1;
    for (const workload::Layer& l : model->layers)
      if (l.op == workload::OpKind::Conv2d && l.groups >= 2 && l.outChannels == l.groups &&
          !l.inputShapes.empty() && l.inputShapes[0].size() == 4 && l.inputShapes[0][1] == l.groups)
        widest = std::max(widest, l.inputShapes[0][3] + l.padding[1] + l.padding[3]);
    if (widest >= 0) {
      s.dwUnits_.push_back(true);
      s.dwLineBits_ = 3;
      while (s.dwLineBits_ < 12 && (int64_t{1} << s.dwLineBits_) <= widest) ++s.dwLineBits_;
    }
  }
  // The input buffer's own factor: where block RAM is the generated engine's buffer and there is
  // room for more than the array's share of it (not iCE40: its engine's buffers are sized to the
  // UP5K's EBR and SPRAM).
  if (p.isFpga() && p.family != ip::DeviceFamily::Ice40) {
    s.actScales_ = {1, 2, 4};
  }

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
         scales_.size() * portBits_.size() * bursts_.size() * dwUnits_.size() * actScales_.size();
}

DesignPoint DesignSpace::point(uint64_t id) const {
  DesignPoint p;
  p.id = id;
  uint64_t x = id;
  p.bursts = static_cast<int>(x % bursts_.size());
  x /= bursts_.size();
  p.port = static_cast<int>(x % portBits_.size());
  x /= portBits_.size();
  p.buffer = static_cast<int>(x % scales_.size());
  x /= scales_.size();
  p.shape = static_cast<int>(x % shapes_.size());
  x /= shapes_.size();
  p.memory = static_cast<int>(x % memories_.size());
  x /= memories_.size();
  p.mac = static_cast<int>(x % macs_.size());
  x /= macs_.size();
  p.base = static_cast<int>(x % bases_.size());
  x /= bases_.size();
  p.dwUnit = static_cast<int>(x % dwUnits_.size());
  x /= dwUnits_.size();
  p.act = static_cast<int>(x);
  return p;
}

bool DesignSpace::check(const DesignPoint& p) const {
  if (p.base < 0 || p.base >= static_cast<int>(bases_.size())) return false;
  if (p.mac < 0 || p.mac >= static_cast<int>(macs_.size())) return false;
  if (p.memory < 0 || p.memory >= static_cast<int>(memories_.size())) return false;
  if (p.shape < 0 || p.shape >= static_cast<int>(shapes_.size())) return false;
  if (p.buffer < 0 || p.buffer >= static_cast<int>(scales_.size())) return false;
  if (p.port < 0 || p.port >= static_cast<int>(portBits_.size())) return false;
  if (p.bursts < 0 || p.bursts >= static_cast<int>(bursts_.size())) return false;
  if (p.dwUnit < 0 || p.dwUnit >= static_cast<int>(dwUnits_.size())) return false;
  if (p.act < 0 || p.act >= static_cast<int>(actScales_.size())) return false;
  uint64_t id = (static_cast<uint64_t>(p.act) * dwUnits_.size() + p.dwUnit) * bases_.size() + p.base;
  id = ((id * macs_.size() + p.mac) * memories_.size() + p.memory) * shapes_.size() + p.shape;
  id = id * scales_.size() + p.buffer;
  id = (id * portBits_.size() + p.port) * bursts_.size() + p.bursts;
  return id == p.id;
}

int64_t DesignSpace::macUnits(const DesignPoint& p) const {
  if (bases_[p.base].tmpl->search().stagePerLayer) {
    int64_t n = 0;
    for (const ArrayShape& a : pipelineArrays(shapes_[p.shape])) n += int64_t{a.rows} * a.cols;
    return std::max<int64_t>(n, 1);
  }
  return int64_t{shapes_[p.shape].rows} * shapes_[p.shape].cols;
}

std::vector<ArrayShape> DesignSpace::pipelineArrays(const ArrayShape& budget) const {
  const int64_t total = int64_t{budget.rows} * budget.cols;
  const size_t n = stages_.size();
  if (n == 0 || total < static_cast<int64_t>(n)) return {};
  int64_t macs = 0;
  for (const PipelineStagePlan& st : stages_) macs += st.macs;
  // PEs in proportion to MACs, as a rows x cols array (rows a power of two near the square root).
  std::vector<ArrayShape> a(n);
  int64_t used = 0;
  for (size_t i = 0; i < n; ++i) {
    const int64_t share = std::max<int64_t>(1, total * stages_[i].macs / std::max<int64_t>(macs, 1));
    int rows = 1;
    while (int64_t{rows} * 2 * rows * 2 <= share) rows *= 2;
    a[i] = {rows, static_cast<int>(std::max<int64_t>(1, share / rows))};
    used += int64_t{a[i].rows} * a[i].cols;
  }
  // Left-over PEs: one column at a time to the stage with the longest ideal time (lowest index on
  // ties), while a column fits the budget. This is the DNNBuilder-style resource balancing.
  while (true) {
    size_t slow = n;
    double worst = -1;
    for (size_t i = 0; i < n; ++i) {
      const double t = static_cast<double>(stages_[i].macs) / (double(a[i].rows) * a[i].cols);
      if (a[i].rows <= total - used && t > worst) {
        worst = t;
        slow = i;
      }
    }
    if (slow == n) break;
    a[slow].cols += 1;
    used += a[slow].rows;
  }
  return a;
}

std::string DesignSpace::describe(const DesignPoint& p) const {
  const TemplateBase& b = bases_[p.base];
  std::string port;  // " axi128 8/8 bursts": only the axes the platform opens
  if (portBits_[p.port] > 0) port += " axi" + std::to_string(portBits_[p.port]);
  if (bursts_[p.bursts] > 0 && b.rtl && !b.tmpl->search().stagePerLayer) {
    const auto& mp = *platform_.memoryPort;
    port += " " + std::to_string(std::min(bursts_[p.bursts], mp.readAcceptance)) + "/" +
            std::to_string(std::min(bursts_[p.bursts], mp.writeAcceptance)) + " bursts";
  }
  if (dwUnits_[p.dwUnit]) port += " dw-unit";
  if (actScales_[p.act] != 1) port += " act x" + std::to_string(actScales_[p.act]);
  if (b.tmpl->search().stagePerLayer) {
    char buf[96];
    std::snprintf(buf, sizeof buf, " %zu stages, %lld PEs buf x%g", stages_.size(),
                  static_cast<long long>(macUnits(p)), scales_[p.buffer]);
    return b.family + " " + macs_[p.mac] + " " + (memories_[p.memory].empty() ? "base-memories" : memories_[p.memory]) + buf + port;
  }
  std::string s = b.family + "/" + b.dataflow + " " +
                  macs_[p.mac] + " ";
  s += memories_[p.memory].empty() ? "base-memories" : memories_[p.memory];
  char buf[64];
  std::snprintf(buf, sizeof buf, " %dx%d buf x%g", shapes_[p.shape].rows, shapes_[p.shape].cols,
                scales_[p.buffer]);
  return s + buf + port;
}

// What every instantiated point takes from the platform and the constraints: description, clock,
// node, precision, family, the DRAM's IP and bandwidth, and the memory port's timing as engine
// parameters (latencies in cycles of this clock, rounded up; bursts in flight = the point's value
// of that axis, at most the port's acceptance each way), so that search, explore and build see the
// board's latency.
double DesignSpace::clockMhz(const DesignPoint& p) const {
  const TemplateBase& b = bases_[p.base];
  if (!clockChar_ || !b.rtl || b.tmpl->search().stagePerLayer) return clockMhz_;  // no netlist to stand on
  // mac_int8_pack2 packs two int8 MACs per DSP (templates/mac_pe_pack2.v); the engine's AXI width
  // is the point's, or the generator's default 64 bits where the port is not an axis.
  const std::string& mac = macs_[p.mac];
  const int pack = mac.size() > 6 && mac.compare(mac.size() - 6, 6, "_pack2") == 0 ? 2 : 1;
  const int bits = portBits_[p.port] > 0 ? portBits_[p.port] : 64;
  // The units the engine builds: the depthwise unit is the point's; the others follow the model
  // (modelUnits_); and the input buffer's depth, which widens the DMA's gather counts (make run's
  // ResNet-18 design measured 11 levels at ACT_DEPTH 512, 12 at 2048: u_engine.dma_cmd ->
  // u_dma.g_beats). An entry is only used where its netlist has all of them.
  EngineUnits units = modelUnits_;
  units.depthwise = dwUnits_[p.dwUnit];
  units.actDepth = actDepth(p);
  const DepthLookup l = clockChar_->find(std::string(ip::toString(platform_.family)), pack, bits, units);
  const double f = ClockCharacterization::supportedMhz(platform_.clock, l);
  return f > 0 ? f : clockMhz_;
}

void DesignSpace::stampPlatform(graph::AcceleratorGraph& g, const DesignPoint& p) const {
  g.description = "dnnchip explore point " + std::to_string(p.id) + ": " + describe(p) + " (from " +
                  bases_[p.base].design + ")";
  const double clockMhz = this->clockMhz(p);
  g.clockMhz = clockMhz;
  g.technologyNm = platform_.technologyNm;
  g.precision = precision_;
  g.family = platform_.family;
  g.platform = platform_.name;
  for (graph::NodeId id = 0; id < static_cast<graph::NodeId>(g.numNodes()); ++id) {
    graph::Node& n = g.mutableNode(id);
    if (n.kind != graph::NodeKind::Dram) continue;
    if (!platform_.dram.ipId.empty()) n.ip = platform_.dram.ipId;
    n.bandwidthBytesPerCycle = dramBytesPerSecond_ / (clockMhz * 1e6);
  }
  if (const auto& mp = platform_.memoryPort) {
    g.params["dram_read_latency_cycles"] = mp->readLatencyCycles(clockMhz);
    g.params["dram_write_latency_cycles"] = mp->writeLatencyCycles(clockMhz);
    const int b = bursts_[p.bursts];
    g.params["dma_read_outstanding"] = std::min({b, mp->readAcceptance, 16});
    g.params["dma_write_outstanding"] = std::min({b, mp->writeAcceptance, 16});
  }
}

// The point's AXI data width on the DMA and every edge it drives or receives (its AXI side to
// DRAM and its buffer side), and the DMA's bandwidth of one beat per cycle. Width 0 keeps the
// base's.
void DesignSpace::setPortWidth(graph::AcceleratorGraph& g, const DesignPoint& p) const {
  const int w = portBits_[p.port];
  if (w <= 0) return;
  for (graph::NodeId id = 0; id < static_cast<graph::NodeId>(g.numNodes()); ++id) {
    graph::Node& n = g.mutableNode(id);
    if (n.kind != graph::NodeKind::Dma) continue;
    n.widthBits = w;
    n.bandwidthBytesPerCycle = w / 8.0;
    for (graph::EdgeId e = 0; e < static_cast<graph::EdgeId>(g.numEdges()); ++e) {
      graph::Edge& ed = g.mutableEdge(e);
      if (ed.from != id && ed.to != id) continue;
      if (ed.tensors.empty()) continue;  // control
      ed.widthBits = w;
      ed.bytesPerCycle = w / 8.0;
    }
  }
}

// The narrow operand is worth building where the vector IP's Yosys figures for the family price
// it differently (ip_library/vector_unit.json "dsp_per_lane_rq27": one DSP48E2 a lane on xcup;
// xc7 has no such figure, its 27x17 product still takes two DSP48E1).
bool DesignSpace::narrowRequantSaves(const graph::AcceleratorGraph& g) const {
  const std::string family(ip::toString(platform_.family));
  for (graph::NodeId id = 0; id < static_cast<graph::NodeId>(g.numNodes()); ++id) {
    const graph::Node& n = g.node(id);
    if (n.kind != graph::NodeKind::Vector || !n.ip) continue;
    const ip::IpEntry* e = lib_->find(*n.ip);
    if (!e || !e->rtl.is_object()) continue;
    auto f = e->rtl.find(family);
    if (f == e->rtl.end() || !f->is_object()) continue;
    for (const auto& [key, v] : f->items())
      if (std::string_view(key).ends_with("_rq" + std::to_string(requantBits_))) return true;
  }
  return false;
}

// Skewed weight loads (engine param "weight_skew", docs/engine.md#skewed-weight-loads) are built
// where they are priced and can pay: a double-buffered WS array on an FPGA family whose MAC IP has
// the delay lines' Yosys figures ("_wskew": xcup; never iCE40), and a model with a compute layer
// of fewer output pixels per M tile than k + LAT - 2 (k <= ROWS, LAT <= ROWS + COLS), whose passes
// the two-bank rule paces without them. They only ever shorten a pass (the bank rule's latency
// ROWS instead of LAT), so the cycle model prices the gain and the resource model the cost; the
// search does not try the point without them as a separate axis.
bool DesignSpace::weightSkewPays(const graph::AcceleratorGraph& g, int rows, int cols) const {
  if (!model_ || !platform_.isFpga() || platform_.family == ip::DeviceFamily::Ice40) return false;
  const std::string family(ip::toString(platform_.family));
  bool ws = false, db = false, priced = false;
  for (graph::NodeId id = 0; id < static_cast<graph::NodeId>(g.numNodes()); ++id) {
    const graph::Node& n = g.node(id);
    if (n.kind == graph::NodeKind::Buffer && n.doubleBuffered && n.holds.has(graph::Tensor::Weight)) db = true;
    if (n.kind != graph::NodeKind::Compute || !n.ip) continue;
    ws = ws || n.dataflow == graph::Dataflow::WeightStationary;
    const ip::IpEntry* e = lib_->find(*n.ip);
    if (!e || !e->rtl.is_object()) continue;
    auto f = e->rtl.find(family);
    if (f == e->rtl.end() || !f->is_object()) continue;
    for (const auto& [key, v] : f->items())
      if (std::string_view(key).ends_with("_wskew")) priced = true;
  }
  if (!ws || !db || !priced) return false;
  const int64_t bound = int64_t{2} * rows + cols - 2;  // k + LAT - 2 at its largest
  for (const workload::Layer& l : model_->layers) {
    if (!l.isCompute() || l.outputShape.size() < 2 || l.outputShape[1] <= 0) continue;
    if (l.outputElements() / l.outputShape[1] < bound) return true;
  }
  return false;
}

double DesignSpace::bufferRatio(const graph::Node& n, const graph::Node& pe, const DesignPoint& p) const {
  const ArrayShape sh = shapes_[p.shape];
  const double scale = scales_[p.buffer];
  const double rowRatio = static_cast<double>(sh.rows) / std::max(pe.rows, 1);
  const double colRatio = static_cast<double>(sh.cols) / std::max(pe.cols, 1);
  const int64_t basePes = std::max<int64_t>(pe.pes(), 1);
  const bool in = n.holds.has(graph::Tensor::Input), w = n.holds.has(graph::Tensor::Weight),
             out = n.holds.has(graph::Tensor::Output);
  if (w && !in && !out && n.capacityBytes.value_or(0) <= 2 * basePes * 4) {
    double ratio = static_cast<double>(int64_t{sh.rows} * sh.cols) / static_cast<double>(basePes);  // weight block
    // a double-buffered WS engine streams its weights kWeightGroup blocks per command
    // (docs/engine.md#weight-streams): two halves of that many blocks
    if (n.doubleBuffered && pe.dataflow == graph::Dataflow::WeightStationary) ratio *= weightGroupFor(sh.rows);
    return ratio;
  }
  if (in && !out) return rowRatio * scale * actScales_[p.act];
  if (out && !in) return colRatio * scale;
  return std::sqrt(rowRatio * colRatio) * scale;
}

int DesignSpace::actDepth(const DesignPoint& p) const {
  const TemplateBase& b = bases_[p.base];
  // (ids found once in create(): clockMhz calls this per point in the search's stage 1)
  if (b.actBuffer < 0) return 0;
  const graph::Node& act = b.graph.node(b.actBuffer);
  const int64_t bytes = scaledCapacity(*act.capacityBytes, bufferRatio(act, b.graph.node(b.computeNode), p));
  const uint64_t words = std::bit_floor(static_cast<uint64_t>(std::max<int64_t>(1, bytes / shapes_[p.shape].rows)));
  return static_cast<int>(std::max<uint64_t>(1, words / static_cast<uint64_t>(b.actDivisor)));
}

diag::Expected<graph::AcceleratorGraph> DesignSpace::instantiate(const DesignPoint& p) const {
  const TemplateBase& b = bases_[p.base];
  // Bursts in flight are a parameter of the RTL engine's DMA only; elsewhere every value of the
  // axis would be the same design.
  if (p.bursts != 0 && (!b.rtl || b.tmpl->search().stagePerLayer))
    return diag::error("search.axis-unused", {b.design, "/params/dma_read_outstanding"},
                       "bursts in flight are an axis of the generated engine only; this point repeats point " +
                           std::to_string(p.id - static_cast<uint64_t>(p.bursts)),
                       "nothing to do: the search skips the repeat");
  // Likewise the depthwise unit, which only the generated (non-pipeline) engine builds.
  if (dwUnits_[p.dwUnit] && (!b.rtl || b.tmpl->search().stagePerLayer))
    return diag::error("search.axis-unused", {b.design, "/params/depthwise_unit"},
                       "the depthwise unit is an axis of the generated engine only; this point repeats point " +
                           std::to_string(p.id % (size() / dwUnits_.size() / actScales_.size()) +
                                          static_cast<uint64_t>(p.act) * (size() / actScales_.size())),
                       "nothing to do: the search skips the repeat");
  // And the input buffer's own factor, a parameter of the generated engine's ACT_DEPTH.
  if (actScales_[p.act] != 1 && (!b.rtl || b.tmpl->search().stagePerLayer))
    return diag::error("search.axis-unused", {b.design, "/nodes"},
                       "the input buffer's own factor is an axis of the generated engine only; this point repeats "
                       "point " + std::to_string(p.id % (size() / actScales_.size())),
                       "nothing to do: the search skips the repeat");
  if (b.tmpl->search().stagePerLayer) return instantiatePipeline(p);
  graph::AcceleratorGraph g = b.graph;
  const ArrayShape sh = shapes_[p.shape];
  auto computes = g.computeNodes();
  if (computes.empty()) return diag::error("search.empty-space", {b.design, ""}, "reference design has no compute node");
  const graph::Node base = g.node(computes.front());

  g.name = b.design + "_" + std::to_string(sh.rows) + "x" + std::to_string(sh.cols) + "_p" + std::to_string(p.id);
  stampPlatform(g, p);

  for (graph::NodeId id = 0; id < static_cast<graph::NodeId>(g.numNodes()); ++id) {
    graph::Node& n = g.mutableNode(id);
    switch (n.kind) {
      case graph::NodeKind::Compute:
        n.rows = sh.rows;
        n.cols = sh.cols;
        n.ip = macs_[p.mac];
        // A fixed spatial mapping describes the reference's own array; a reshaped array is a new
        // design whose mapping the search chooses.
        n.spatialMapping.reset();
        break;
      case graph::NodeKind::RegFile:
        if (n.instances > 1) n.instances = static_cast<int>(int64_t{sh.rows} * sh.cols);
        break;
      case graph::NodeKind::Buffer: {
        if (!n.capacityBytes) break;
        n.capacityBytes = scaledCapacity(*n.capacityBytes, bufferRatio(n, base, p));
        if (!memories_[p.memory].empty()) {
          n.ip = memories_[p.memory];
        } else if (platform_.isFpga()) {
          // The reference designs' block RAM is Xilinx'; on a family without it (iCE40) the
          // buffer takes the platform's buffer IP.
          const ip::IpEntry* e = n.ip ? lib_->find(*n.ip) : nullptr;
          if (!e || !fpgaMemoryKind(e->kind, platform_.family)) n.ip = bufferIp_;
        }
        break;
      }
      default: break;
    }
  }
  b.tmpl->instantiate(g, sh.rows, sh.cols);
  setPortWidth(g, p);
  if (dwUnits_[p.dwUnit]) {
    g.params["depthwise_unit"] = true;
    g.params["depthwise_line_bits"] = dwLineBits_;
  }
  if (requantBits_ != 32 && b.rtl && narrowRequantSaves(g)) g.params["requant_operand_bits"] = requantBits_;
  if (b.rtl && weightSkewPays(g, sh.rows, sh.cols)) g.params["weight_skew"] = true;
  auto st = arch::checkDesign(g, lib_);
  if (!st) return st.error();
  return g;
}

// A layer pipeline for the model: per stage an input (column) buffer, a double-buffered weight
// buffer and an engine of the balanced shape; stage i's engine writes into stage i+1's input
// buffer, the last stage's engine writes an output buffer that goes back to DRAM through the DMA
// (the network's output at accumulator width, times the buffer scale). Buffer
// sizes follow DNNBuilder's column cache: (R + stride) input columns of the stage's first compute
// layer (its whole input for fc/matmul), and two R x S weight blocks of the engine, times the
// point's buffer scale.
diag::Expected<graph::AcceleratorGraph> DesignSpace::instantiatePipeline(const DesignPoint& p) const {
  const TemplateBase& b = bases_[p.base];
  const std::vector<ArrayShape> arrays = pipelineArrays(shapes_[p.shape]);
  const std::string file = std::string(b.design) + " (layer pipeline point " + std::to_string(p.id) + ")";
  if (arrays.empty() || !model_)
    return diag::error("search.pipeline-budget", {file, ""},
                       "a " + std::to_string(stages_.size()) + "-stage pipeline needs at least one PE per stage",
                       "allow larger array shapes");
  io::Json ref = graph::toJson(b.graph);
  auto refNode = [&](const std::string& name) {
    for (const auto& n : ref["nodes"])
      if (n["name"] == name) return n;
    return io::Json::object();
  };
  const int ab = (precision_.activationBits + 7) / 8, wb = (precision_.weightBits + 7) / 8;
  const double scale = scales_[p.buffer];
  std::string mem = memories_[p.memory];  // empty: the platform's buffer IP
  if (mem.empty()) mem = bufferIp_;
  auto round64 = [](double bytes) { return (std::max<int64_t>(64, std::llround(bytes)) + 63) / 64 * 64; };

  io::Json j = io::Json::object();
  j["schema_version"] = 1;
  j["name"] = "layer_pipeline_" + model_->name + "_p" + std::to_string(p.id);
  j["template"] = "layer_pipeline";
  j["model"] = model_->name;
  j["clock_mhz"] = clockMhz_;
  j["technology_nm"] = platform_.technologyNm;
  j["sources"] = io::Json::array({"dnnchip explore: layer pipeline planned for model " + model_->name +
                                  " from " + b.design + " (DNNBuilder, Zhang et al. ICCAD'18)"});
  io::Json nodes = io::Json::array(), edges = io::Json::array(), stages = io::Json::array();
  nodes.push_back(refNode("dram"));
  nodes.push_back(refNode("dma"));
  io::Json ctl = refNode("controller");
  auto edge = [&](const std::string& from, const std::string& to, std::vector<std::string> tensors, int64_t width) {
    io::Json e{{"from", from}, {"to", to}, {"tensors", tensors}};
    if (width > 0) e["width_bits"] = width;
    edges.push_back(e);
  };
  const int64_t dmaBits = refNode("dma").value("width_bits", int64_t{64});
  edge("dram", "dma", {"input", "weight"}, dmaBits);
  edge("dma", "dram", {"output"}, dmaBits);
  for (size_t i = 0; i < stages_.size(); ++i) {
    const PipelineStagePlan& st = stages_[i];
    const workload::Layer& L = model_->layers[static_cast<size_t>(st.first)];
    const ArrayShape a = arrays[i];
    const bool last = i + 1 == stages_.size();
    const workload::Shape& in = L.inputShapes.at(0);
    double inBytes = static_cast<double>(L.inputElements()) * ab;
    if (L.op == workload::OpKind::Conv2d && in.size() == 4)
      inBytes = static_cast<double>((L.kernel[1] + L.stride[1]) * (in[2] + L.padding[0] + L.padding[2]) * in[1] * ab);
    const double wBytes = 2.0 * a.rows * a.cols * (L.op == workload::OpKind::Conv2d ? L.kernel[0] * L.kernel[1] : 1) * wb;
    const std::string nIn = st.name + "_in", nW = st.name + "_wbuf", nE = st.name + "_engine";
    const int accWidth = std::max(8, a.cols * precision_.accumulatorBits);
    const int inWidth = std::max(8, a.rows * ab * 8);
    std::string layers;
    for (const auto& n : st.layers) layers += (layers.empty() ? "" : ", ") + n;
    nodes.push_back({{"name", nIn}, {"kind", "buffer"}, {"ip", mem},
                     {"description", "column buffer of stage " + st.name + " (" + layers + ")"},
                     {"capacity_bytes", round64(inBytes * scale)}, {"width_bits", inWidth},
                     {"holds", io::Json::array({"input"})}});
    if (last)  // the network's output: partial sums at accumulator width stay on chip until done
      nodes.push_back({{"name", st.name + "_out"}, {"kind", "buffer"}, {"ip", mem},
                       {"description", "output buffer of the last stage"},
                       {"capacity_bytes", round64(double(model_->layers[model_->layers.size() - 1].outputElements()) *
                                                  precision_.accumulatorBits / 8 * scale)},
                       {"width_bits", accWidth}, {"holds", io::Json::array({"output"})}});
    nodes.push_back({{"name", nW}, {"kind", "buffer"}, {"ip", mem},
                     {"description", "weight buffer of stage " + st.name},
                     {"capacity_bytes", round64(wBytes * scale)}, {"width_bits", std::max(8, a.rows * a.cols * wb * 8)},
                     {"holds", io::Json::array({"weight"})}, {"double_buffered", true}});
    nodes.push_back({{"name", nE}, {"kind", "compute"}, {"ip", macs_[p.mac]}, {"rows", a.rows}, {"cols", a.cols},
                     {"dataflow", "no_local_reuse"},
                     {"description", "CPF=" + std::to_string(a.rows) + " x KPF=" + std::to_string(a.cols) +
                                         " engine, PEs balanced to the stage's MACs"}});
    edge("dma", nW, {"weight"}, dmaBits);
    edge(nW, nE, {"weight"}, std::max(8, a.rows * a.cols * wb * 8));
    edge(nIn, nE, {"input"}, std::max(8, a.rows * ab * 8));
    if (i == 0) edge("dma", nIn, {"input"}, dmaBits);
    if (i > 0) edge(stages_[i - 1].name + "_engine", nIn, {"output"}, std::max(8, arrays[i - 1].cols * ab * 8));
    if (last) {
      edge(nE, st.name + "_out", {"output"}, accWidth);
      edge(st.name + "_out", "dma", {"output"}, dmaBits);
    }
    stages.push_back({{"name", st.name}, {"engine", nE}, {"layers", st.layers}});
  }
  nodes.push_back(ctl);
  for (const PipelineStagePlan& st : stages_) edge("controller", st.name + "_engine", {}, 0);
  j["nodes"] = nodes;
  j["edges"] = edges;
  j["stages"] = stages;
  auto parsed = graph::parseGraph(j, file);
  if (!parsed) return parsed.error();
  graph::AcceleratorGraph g = std::move(*parsed);
  stampPlatform(g, p);
  setPortWidth(g, p);
  auto st = arch::checkDesign(g, lib_);
  if (!st) return st.error();
  return g;
}

}  // namespace dnnchip::search
