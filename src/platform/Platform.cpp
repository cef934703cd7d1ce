// Platform files (designs/platforms/<name>.json, docs/platforms.md): parse -> validate -> build.
// Every number is a sourced number (ip.unsourced otherwise, via io::JsonView::asSourcedNumber and a
// walk that rejects bare numbers). Checks: kind/family spelling and agreement, resource fields
// allowed for the family, RAMB18 = 2 x RAMB36, default clock <= max clock, ASIC area budget present,
// the memory port's widths, counts and latencies in range and its sustained bandwidth <= the DRAM's
// peak (platform.memory-port).
// Cost O(size of the file).

#include "dnnchip/platform/Platform.h"

#include <algorithm>
#include <cmath>

#include "dnnchip/io/DataPaths.h"

namespace dnnchip::platform {

namespace {

using io::Json;
using io::JsonView;

int64_t count(const JsonView& r, std::string_view key) {
  auto v = r.find(key);
  if (!v) return 0;
  double d = v->asSourcedNumber(0, 1e12);
  if (d != std::floor(d)) v->at("value").fail("value.range", "a resource count must be a whole number", "write an integer");
  return static_cast<int64_t>(d);
}

/// A whole number in [lo, hi] from a sourced field, else platform.memory-port.
int portCount(const JsonView& mp, std::string_view key, int lo, int hi, const std::string& what) {
  auto v = mp.at(key);
  const double d = v.asSourcedNumber();
  if (d != std::floor(d) || d < lo || d > hi)
    v.at("value").fail("platform.memory-port", what + " must be a whole number from " + std::to_string(lo) + " to " +
                       std::to_string(hi), "correct the value from the platform's reference manual");
  return static_cast<int>(d);
}

double portPositive(const JsonView& mp, std::string_view key, double hi, const std::string& what) {
  auto v = mp.at(key);
  const double d = v.asSourcedNumber();
  if (!(d > 0) || d > hi)
    v.at("value").fail("platform.memory-port", what + " must be above 0 and at most " + std::to_string(int64_t(hi)),
                       "correct the value from the platform's reference manual or a measurement");
  return d;
}

MemoryPort parseMemoryPort(const JsonView& mp, const DramSpec& dram) {
  mp.rejectUnknown({"ports", "data_bits", "max_mhz", "read_latency_ns", "write_latency_ns",
                    "sustained_bandwidth_bytes_per_sec", "read_acceptance", "write_acceptance", "max_burst_beats"});
  MemoryPort m;
  m.ports = portCount(mp, "ports", 1, 64, "the number of ports");
  m.dataBits = portCount(mp, "data_bits", 32, 512, "the port width");
  if ((m.dataBits & (m.dataBits - 1)) != 0)
    mp.at("data_bits").at("value").fail("platform.memory-port", "the port width must be a power of two (32..512 bits)",
                                        "use 32, 64, 128, 256 or 512");
  m.maxMhz = portPositive(mp, "max_mhz", 1e5, "the port clock (MHz)");
  m.readLatencyNs = portPositive(mp, "read_latency_ns", 1e5, "the read latency (ns)");
  m.writeLatencyNs = portPositive(mp, "write_latency_ns", 1e5, "the write latency (ns)");
  m.sustainedBytesPerSec = portPositive(mp, "sustained_bandwidth_bytes_per_sec", 1e15, "the sustained bandwidth (B/s)");
  if (dram.bandwidthBytesPerSec > 0 && m.sustainedBytesPerSec > dram.bandwidthBytesPerSec)
    mp.at("sustained_bandwidth_bytes_per_sec").at("value").fail(
        "platform.memory-port", "the sustained bandwidth is above the DRAM's peak bandwidth",
        "the fabric cannot sustain more than dram.bandwidth_bytes_per_sec; lower one or correct the other");
  m.readAcceptance = portCount(mp, "read_acceptance", 1, 256, "the read acceptance (bursts)");
  m.writeAcceptance = portCount(mp, "write_acceptance", 1, 256, "the write acceptance (bursts)");
  m.maxBurstBeats = portCount(mp, "max_burst_beats", 1, 256, "the longest burst (beats)");
  return m;
}

Resources parseResources(const JsonView& r, ip::DeviceFamily fam) {
  Resources res;
  if (fam == ip::DeviceFamily::Ice40) {
    r.rejectUnknown({"lut", "ff", "ebr", "spram", "sb_mac16", "io_pins"});
    res.ebr = count(r, "ebr");
    res.spram = count(r, "spram");
    res.sbMac16 = count(r, "sb_mac16");
    res.dsp = res.sbMac16;
    res.bram18 = res.ebr;
    res.uram = res.spram;
  } else {
    r.rejectUnknown({"dsp", "bram18", "bram36", "uram", "lut", "ff", "lutram_luts", "io_pins"});
    res.dsp = count(r, "dsp");
    res.bram36 = count(r, "bram36");
    res.bram18 = r.has("bram18") ? count(r, "bram18") : 2 * res.bram36;
    res.uram = count(r, "uram");
    res.lutramLuts = count(r, "lutram_luts");
    if (res.bram18 != 2 * res.bram36)
      r.at("bram18").fail("platform.inconsistent",
                          "bram18 must be twice bram36 (each RAMB36 site is two RAMB18)",
                          "give the datasheet's RAMB36 count and twice it for bram18");
  }
  res.lut = static_cast<int64_t>(r.at("lut").asSourcedNumber(1, 1e9));
  r.at("ff");  // required (json.missing-field)
  res.ff = count(r, "ff");
  res.ioPins = count(r, "io_pins");
  return res;
}

// "pl_clocks_mhz", "logic_levels" and "primitive_fmax_mhz" (docs/platforms.md#clock): all three or
// none; the candidates ascend and include the default clock.
void parseClockRule(const JsonView& clock, Clock& c) {
  auto cands = clock.find("pl_clocks_mhz");
  auto levels = clock.find("logic_levels");
  auto prims = clock.find("primitive_fmax_mhz");
  if (!cands && !levels && !prims) return;
  if (!cands || !levels || !prims)
    clock.fail("platform.clock", "\"pl_clocks_mhz\", \"logic_levels\" and \"primitive_fmax_mhz\" come together",
               "give all three (docs/platforms.md#clock) or none");
  for (auto& v : cands->items()) {
    const double mhz = v.asSourcedNumber(1e-3, 1e5);
    if (!c.candidatesMhz.empty() && mhz <= c.candidatesMhz.back())
      v.fail("platform.clock", "the PL clocks must ascend", "sort pl_clocks_mhz");
    c.candidatesMhz.push_back(mhz);
  }
  if (std::find(c.candidatesMhz.begin(), c.candidatesMhz.end(), c.defaultMhz) == c.candidatesMhz.end())
    cands->fail("platform.clock", "the default clock is not one of the PL clocks", "add default_mhz to pl_clocks_mhz");
  levels->rejectUnknown({"ns_per_level", "uncertainty_ns", "dsp_unregistered_levels"});
  prims->rejectUnknown({"clock_tree", "dsp_all_registers", "dsp_no_mreg", "dsp_preadd_no_adreg", "dsp_no_pipeline", "bram"});
  ClockRule r;
  r.nsPerLevel = levels->at("ns_per_level").asSourcedNumber(1e-3, 100);
  r.uncertaintyNs = levels->at("uncertainty_ns").asSourcedNumber(0, 100);
  r.dspUnregisteredLevels = static_cast<int>(levels->at("dsp_unregistered_levels").asSourcedNumber(0, 100));
  r.clockTreeMhz = prims->at("clock_tree").asSourcedNumber(1, 1e5);
  r.dspAllRegistersMhz = prims->at("dsp_all_registers").asSourcedNumber(1, 1e5);
  r.dspNoMregMhz = prims->at("dsp_no_mreg").asSourcedNumber(1, 1e5);
  r.dspPreaddNoAdregMhz = prims->at("dsp_preadd_no_adreg").asSourcedNumber(1, 1e5);
  r.dspNoPipelineMhz = prims->at("dsp_no_pipeline").asSourcedNumber(1, 1e5);
  r.bramMhz = prims->at("bram").asSourcedNumber(1, 1e5);
  c.rule = r;
}

Platform parse(const Json& json, const std::string& file) {
  JsonView root(json, file);
  if (!root.isObject()) root.fail("json.type", "a platform file must be a JSON object", "see docs/platforms.md");
  root.requireSchemaVersion(1);
  root.rejectUnknown({"schema_version", "name", "description", "kind", "family", "device", "board",
                      "technology_nm", "resources", "dram", "memory_port", "buffer_ip", "clock", "budgets", "sources"});
  root.rejectBareNumbers();
  Platform p;
  p.file = file;
  p.name = root.at("name").asString();
  if (!file.empty()) {
    std::string stem = std::filesystem::path(file).stem().string();
    if (stem != p.name)
      root.at("name").fail("platform.name-mismatch", "name \"" + p.name + "\" differs from the file name \"" + stem + "\"",
                           "name the file <name>.json");
  }
  p.description = root.at("description").asString();

  auto kindView = root.at("kind");
  std::string kind = kindView.asString();
  if (kind == "fpga") p.kind = PlatformKind::Fpga;
  else if (kind == "asic") p.kind = PlatformKind::Asic;
  else kindView.fail("platform.bad-kind", "unknown platform kind \"" + kind + "\"", "use \"fpga\" or \"asic\"");

  auto famView = root.at("family");
  auto fam = ip::parseDeviceFamily(famView.asString());
  if (!fam) famView.fail("platform.bad-family", "unknown family \"" + famView.asString() + "\"",
                         "use xc7 (Zynq-7000/7-series), xcup (UltraScale+), ice40 or asic");
  if ((*fam == ip::DeviceFamily::Asic) != (p.kind == PlatformKind::Asic))
    famView.fail("platform.family-mismatch", "family \"" + famView.asString() + "\" does not match kind \"" + kind + "\"",
                 "an ASIC has family \"asic\"; an FPGA has xc7, xcup or ice40");
  p.family = *fam;
  p.device = root.at("device").asString();
  if (auto b = root.find("board")) p.board = b->asString();
  p.technologyNm = static_cast<int>(std::lround(root.at("technology_nm").asSourcedNumber(1, 1000)));

  if (p.kind == PlatformKind::Fpga) p.resources = parseResources(root.at("resources"), p.family);
  else if (auto r = root.find("resources"))
    r->fail("platform.bad-kind", "an ASIC platform has no FPGA resources", "remove \"resources\"; use \"budgets\"");

  auto dram = root.at("dram");
  if (!dram.raw().is_null()) {
    dram.rejectUnknown({"type", "bandwidth_bytes_per_sec", "energy_pj_per_bit", "capacity_bytes"});
    p.dram.ipId = dram.at("type").asString();
    p.dram.bandwidthBytesPerSec = dram.at("bandwidth_bytes_per_sec").asSourcedNumber(1, 1e15);
    p.dram.energyPjPerBit = dram.at("energy_pj_per_bit").asSourcedNumber(1e-6, 1e6);
    if (auto c = dram.find("capacity_bytes")) p.dram.capacityBytes = static_cast<int64_t>(c->asSourcedNumber(0, 1e18));
  }
  if (auto mp = root.find("memory_port"); mp && !mp->raw().is_null()) {
    if (!p.hasDram())
      mp->fail("platform.memory-port", "a memory port without DRAM", "remove \"memory_port\" or describe the \"dram\"");
    p.memoryPort = parseMemoryPort(*mp, p.dram);
  }

  if (auto b = root.find("buffer_ip")) p.bufferIp = b->asString();

  auto clock = root.at("clock");
  clock.rejectUnknown({"default_mhz", "max_mhz", "pl_clocks_mhz", "logic_levels", "primitive_fmax_mhz"});
  p.clock.defaultMhz = clock.at("default_mhz").asSourcedNumber(1e-3, 1e5);
  p.clock.maxMhz = clock.at("max_mhz").asSourcedNumber(1e-3, 1e5);
  if (p.clock.defaultMhz > p.clock.maxMhz)
    clock.at("default_mhz").fail("platform.clock", "the default clock is above the maximum clock",
                                 "lower default_mhz or raise max_mhz");
  parseClockRule(clock, p.clock);

  auto budgets = root.at("budgets");
  budgets.rejectUnknown({"power_mw", "area_mm2", "on_chip_sram_bytes"});
  p.budgets.powerMw = budgets.at("power_mw").asSourcedNumber(0, 1e9);
  if (auto a = budgets.find("area_mm2")) p.budgets.areaMm2 = a->asSourcedNumber(1e-6, 1e6);
  if (auto s = budgets.find("on_chip_sram_bytes")) p.budgets.onChipSramBytes = static_cast<int64_t>(s->asSourcedNumber(1, 1e15));
  if (p.kind == PlatformKind::Asic && !p.budgets.areaMm2)
    budgets.fail("platform.missing-budget", "an ASIC platform needs an area budget", "add \"area_mm2\" to \"budgets\"");

  if (root.at("sources").asStringArray().empty())
    root.at("sources").fail("ip.unsourced", "\"sources\" is empty", "list the datasheets and papers the numbers come from");
  return p;
}

}  // namespace

int ClockRule::levelBudget(double mhz) const {
  if (mhz <= 0 || nsPerLevel <= 0) return 0;
  // The 1e-9 keeps an exact quotient (3.5 ns / 0.35 ns = 10) from rounding down.
  return std::max(0, static_cast<int>(std::floor((1000.0 / mhz - uncertaintyNs) / nsPerLevel + 1e-9)));
}

double ClockRule::dspFmaxMhz(const DspRegisters& r) const {
  if (r.preadd && !r.adreg) return r.mreg ? dspPreaddNoAdregMhz : dspNoPipelineMhz;
  return r.mreg ? dspAllRegistersMhz : dspNoMregMhz;
}

double Clock::supportedMhz(int levels, const std::vector<DspRegisters>& dsps, bool usesBram) const {
  std::vector<double> cands = candidatesMhz.empty() ? std::vector<double>{defaultMhz} : candidatesMhz;
  double best = 0.0;
  for (double f : cands) {
    if (f > maxMhz) continue;
    if (rule) {
      if (levels > rule->levelBudget(f) || f > rule->clockTreeMhz) continue;
      if (usesBram && f > rule->bramMhz) continue;
      bool dspOk = true;
      for (const auto& d : dsps) dspOk = dspOk && f <= rule->dspFmaxMhz(d);
      if (!dspOk) continue;
    }
    best = std::max(best, f);
  }
  return best;
}

int MemoryPort::cycles(double ns, double mhz) {
  // ns * MHz / 1000 cycles; the 1e-9 keeps an exact product (150 ns at 200 MHz = 30) from rounding up.
  return std::max(1, static_cast<int>(std::ceil(ns * mhz / 1000.0 - 1e-9)));
}

std::string_view toString(PlatformKind kind) { return kind == PlatformKind::Fpga ? "fpga" : "asic"; }

diag::Expected<Platform> parsePlatform(const io::Json& json, const std::string& file) {
  return diag::capture([&] { return parse(json, file); });
}

diag::Expected<Platform> loadPlatform(const std::filesystem::path& path) {
  auto json = io::readJsonFile(path);
  if (!json) return json.error();
  return parsePlatform(*json, path.string());
}

diag::Expected<Platform> loadPlatformByName(std::string_view nameOrPath) {
  auto path = io::resolveDataFile(nameOrPath, "designs/platforms", ".json", "platform");
  if (!path) return path.error();
  return loadPlatform(*path);
}

std::vector<std::string> builtinPlatforms() { return io::builtinNames("designs/platforms", ".json"); }

diag::Status checkAgainstLibrary(const Platform& p, const ip::IpLibrary& lib) {
  if (p.hasDram()) {
    auto d = lib.get(p.dram.ipId, ip::IpKind::Dram);
    if (!d) {
      diag::Diagnostic e = d.error();
      e.location = {p.file, "/dram/type"};
      return e;
    }
  }
  if (p.bufferIp) {
    const ip::IpEntry* e = lib.find(*p.bufferIp);
    if (!e)
      return diag::error("ip.unknown", {p.file, "/buffer_ip"}, "buffer_ip names no IP: \"" + *p.bufferIp + "\"",
                         "name an on-chip memory IP of ip_library/ (dnnchip lib list)");
    if (!ip::isOnChipMemory(e->kind))
      return diag::error("ip.wrong-kind", {p.file, "/buffer_ip"},
                         "buffer_ip \"" + *p.bufferIp + "\" is a " + std::string(ip::toString(e->kind)) +
                             ", not an on-chip memory",
                         "name an on-chip memory IP (sram, bram18, ice40_ebr, ...)");
  }
  auto t = lib.technology(p.technologyNm);
  if (!t) {
    diag::Diagnostic e = t.error();
    e.location = {p.file, "/technology_nm"};
    return e;
  }
  return diag::Status::success();
}

}  // namespace dnnchip::platform
