// Platforms: every built-in file loads and agrees with the IP library; datasheet values spot-
// checked; every platform.* code (and ip.unsourced / lib.unknown-name on platforms) provoked by a
// small bad file.

#include "dnnchip/platform/Platform.h"

#include <gtest/gtest.h>

#include "ShippedLibrary.h"
#include "TestSupport.h"

using namespace dnnchip;
using platform::Platform;

namespace {

Platform builtin(const std::string& name) {
  auto p = platform::loadPlatform(test::sourceDir() / "designs/platforms" / (name + ".json"));
  if (!p) ADD_FAILURE() << p.error().format();
  return p ? *p : Platform{};
}

std::string sn(double v) { return R"({"value": )" + std::to_string(v) + R"(, "source": "test datasheet"})"; }

std::string fpga() {
  return R"({"schema_version": 1, "name": "p", "description": "test board", "kind": "fpga", "family": "xc7",
    "device": "xc7z020clg400-1", "board": "test", "technology_nm": )" + sn(28) + R"(,
    "resources": {"dsp": )" + sn(220) + R"(, "bram36": )" + sn(140) + R"(, "bram18": )" + sn(280) +
         R"(, "lut": )" + sn(53200) + R"(, "ff": )" + sn(106400) + R"(},
    "dram": {"type": "ddr3", "bandwidth_bytes_per_sec": )" + sn(2.1e9) + R"(, "energy_pj_per_bit": )" + sn(70) + R"(},
    "clock": {"default_mhz": )" + sn(100) + R"(, "max_mhz": )" + sn(200) + R"(},
    "budgets": {"power_mw": )" + sn(2500) + R"(},
    "sources": ["test datasheet"]})";
}

std::string asic() {
  return R"({"schema_version": 1, "name": "p", "description": "test chip", "kind": "asic", "family": "asic",
    "device": "65 nm", "technology_nm": )" + sn(65) + R"(, "dram": null,
    "clock": {"default_mhz": )" + sn(200) + R"(, "max_mhz": )" + sn(250) + R"(},
    "budgets": {"power_mw": )" + sn(278) + R"(, "area_mm2": )" + sn(12.25) + R"(},
    "sources": ["test datasheet"]})";
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
  auto pos = s.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos) s.replace(pos, from.size(), to);
  return s;
}

diag::Expected<Platform> loadText(const std::string& tag, const std::string& text, const std::string& stem = "p") {
  auto path = test::writeFile(test::tempDir("plat-" + tag) / (stem + ".json"), text);
  return platform::loadPlatform(path);
}

diag::Diagnostic failure(const std::string& tag, const std::string& text, const std::string& stem = "p") {
  auto r = loadText(tag, text, stem);
  EXPECT_FALSE(r.ok()) << tag;
  return r.ok() ? diag::Diagnostic{} : r.error();
}

}  // namespace

TEST(Platform, EveryBuiltinLoadsAndAgreesWithTheLibrary) {
  auto names = platform::builtinPlatforms();
  EXPECT_EQ(names, (std::vector<std::string>{"asic_28nm", "asic_65nm", "ice40_up5k", "pynq_z1", "ultra96", "zc706"}));
  for (auto& n : names) {
    auto p = platform::loadPlatformByName(n);
    ASSERT_TRUE(p.ok()) << p.error().format();
    EXPECT_EQ(p->name, n);
    EXPECT_GT(p->clock.defaultMhz, 0.0);
    EXPECT_LE(p->clock.defaultMhz, p->clock.maxMhz);
    EXPECT_GT(p->budgets.powerMw, 0.0);
    auto st = platform::checkAgainstLibrary(*p, test::shippedLibrary());
    EXPECT_TRUE(st.ok()) << (st.ok() ? "" : st.error().format());
    // The platform's cost target resolves in the library (its node is in technology.json).
    auto m = test::shippedLibrary().macCost(*test::shippedLibrary().find("mac_int8"), 8, p->costTarget());
    EXPECT_TRUE(m.ok()) << n;
  }
}

TEST(Platform, DatasheetValues) {
  Platform u = builtin("ultra96");
  EXPECT_TRUE(u.isFpga());
  EXPECT_EQ(u.family, ip::DeviceFamily::XcUp);
  EXPECT_EQ(u.resources.dsp, 360);
  EXPECT_EQ(u.resources.bram36, 216);
  EXPECT_EQ(u.resources.bram18, 432);
  EXPECT_EQ(u.resources.uram, 0);
  EXPECT_EQ(u.resources.lut, 70560);
  EXPECT_EQ(u.dram.ipId, "lpddr4");
  EXPECT_EQ(u.technologyNm, 16);

  Platform z = builtin("zc706");
  EXPECT_EQ(z.family, ip::DeviceFamily::Xc7);
  EXPECT_EQ(z.resources.dsp, 900);
  EXPECT_EQ(z.resources.bram36, 545);
  EXPECT_EQ(z.resources.lut, 218600);

  Platform p = builtin("pynq_z1");
  EXPECT_EQ(p.resources.dsp, 220);
  EXPECT_EQ(p.resources.bram36, 140);
  EXPECT_DOUBLE_EQ(p.dram.bandwidthBytesPerSec, 2.1e9);

  Platform i = builtin("ice40_up5k");
  EXPECT_EQ(i.family, ip::DeviceFamily::Ice40);
  EXPECT_EQ(i.resources.lut, 5280);
  EXPECT_EQ(i.resources.sbMac16, 8);
  EXPECT_EQ(i.resources.ebr, 30);
  EXPECT_EQ(i.resources.spram, 4);
  EXPECT_EQ(i.resources.dsp, 8);     // mirrored for ip::FpgaResources
  EXPECT_EQ(i.resources.bram18, 30);
  EXPECT_EQ(i.resources.uram, 4);
  EXPECT_EQ(i.resources.ioPins, 39);  // SG48 package
  EXPECT_EQ(i.device, "iCE40UP5K-SG48");
  EXPECT_EQ(i.bufferIp, std::optional<std::string>("ice40_ebr"));
  EXPECT_FALSE(i.hasDram());
  EXPECT_EQ(p.bufferIp, std::optional<std::string>("bram18"));

  Platform e = builtin("asic_65nm");
  EXPECT_FALSE(e.isFpga());
  EXPECT_EQ(e.technologyNm, 65);
  EXPECT_DOUBLE_EQ(e.clock.defaultMhz, 200);
  EXPECT_DOUBLE_EQ(e.budgets.powerMw, 278);
  ASSERT_TRUE(e.budgets.areaMm2.has_value());
  EXPECT_DOUBLE_EQ(*e.budgets.areaMm2, 12.25);
  EXPECT_EQ(e.budgets.onChipSramBytes, std::optional<int64_t>(185856));  // 181.5 KB
  EXPECT_EQ(e.resources.lut, 0);
  EXPECT_EQ(builtin("asic_28nm").costTarget().technologyNm, 28);
  EXPECT_EQ(e.bufferIp, std::optional<std::string>("sram"));
}

TEST(Platform, BufferIpMustBeAnOnChipMemoryOfTheLibrary) {
  auto none = loadText("nobuf", fpga());
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->bufferIp);  // optional: the search then takes the family's first memory IP
  auto unknown = loadText("buf", replace(fpga(), R"("clock": )", R"("buffer_ip": "bram99", "clock": )"));
  ASSERT_TRUE(unknown.ok());
  auto st = platform::checkAgainstLibrary(*unknown, test::shippedLibrary());
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "ip.unknown");
  EXPECT_EQ(st.error().location.pointer, "/buffer_ip");
  auto wrong = loadText("bufkind", replace(fpga(), R"("clock": )", R"("buffer_ip": "mac_int8", "clock": )"));
  ASSERT_TRUE(wrong.ok());
  EXPECT_EQ(platform::checkAgainstLibrary(*wrong, test::shippedLibrary()).error().code, "ip.wrong-kind");
}

TEST(Platform, MinimalFilesAreValid) {
  auto f = loadText("ok-fpga", fpga());
  ASSERT_TRUE(f.ok()) << f.error().format();
  EXPECT_EQ(f->dram.ipId, "ddr3");
  auto a = loadText("ok-asic", asic());
  ASSERT_TRUE(a.ok()) << a.error().format();
  EXPECT_FALSE(a->hasDram());
}

TEST(Platform, UnsourcedNumber) {
  auto d = failure("bare", replace(fpga(), R"("lut": )" + sn(53200), R"("lut": 53200)"));
  EXPECT_EQ(d.code, "ip.unsourced");
  EXPECT_EQ(d.location.pointer, "/resources/lut");
  EXPECT_EQ(failure("nosrc", replace(fpga(), R"(["test datasheet"])", "[]")).code, "ip.unsourced");
}

TEST(Platform, BadKindAndFamily) {
  auto k = failure("kind", replace(fpga(), R"("kind": "fpga")", R"("kind": "gpu")"));
  EXPECT_EQ(k.code, "platform.bad-kind");
  EXPECT_EQ(k.location.pointer, "/kind");
  EXPECT_EQ(failure("fam", replace(fpga(), R"("family": "xc7")", R"("family": "stratix")")).code, "platform.bad-family");
  EXPECT_EQ(failure("mismatch", replace(fpga(), R"("family": "xc7")", R"("family": "asic")")).code,
            "platform.family-mismatch");
  auto res = failure("asic-res", replace(asic(), R"("dram": null)", R"("resources": {}, "dram": null)"));
  EXPECT_EQ(res.code, "platform.bad-kind");
}

TEST(Platform, InconsistentBlockRam) {
  auto d = failure("bram", replace(fpga(), sn(280), sn(200)));
  EXPECT_EQ(d.code, "platform.inconsistent");
  EXPECT_EQ(d.location.pointer, "/resources/bram18");
}

TEST(Platform, ClockAndBudget) {
  auto c = failure("clock", replace(fpga(), R"("default_mhz": )" + sn(100), R"("default_mhz": )" + sn(300)));
  EXPECT_EQ(c.code, "platform.clock");
  EXPECT_EQ(c.location.pointer, "/clock/default_mhz");
  auto b = failure("budget", replace(asic(), R"(, "area_mm2": )" + sn(12.25), ""));
  EXPECT_EQ(b.code, "platform.missing-budget");
  EXPECT_EQ(b.location.pointer, "/budgets");
}

TEST(Platform, NameMustMatchFile) {
  auto d = failure("name", fpga(), "q");
  EXPECT_EQ(d.code, "platform.name-mismatch");
}

TEST(Platform, JsonErrorsPassThrough) {
  EXPECT_EQ(failure("syntax", "{\"name\": ").code, "json.syntax");
  EXPECT_EQ(failure("missing", replace(fpga(), R"("device": "xc7z020clg400-1",)", "")).code, "json.missing-field");
  EXPECT_EQ(failure("typo", replace(fpga(), R"("dsp": )", R"("dsps": )")).code, "json.unknown-field");
  EXPECT_EQ(failure("iceres", replace(fpga(), R"("family": "xc7")", R"("family": "ice40")")).code,
            "json.unknown-field");  // Xilinx resource names on an iCE40
  EXPECT_EQ(failure("neg", replace(fpga(), sn(2500), R"({"value": -1, "estimate": "negative"})")).code, "value.range");
}

TEST(Platform, UnknownNameAndUnknownDram) {
  auto r = platform::loadPlatformByName("ultra69");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "lib.unknown-name");
  EXPECT_NE(r.error().hint.find("ultra96"), std::string::npos);

  auto p = loadText("dram", replace(fpga(), R"("type": "ddr3")", R"("type": "ddr5")"));
  ASSERT_TRUE(p.ok());
  auto st = platform::checkAgainstLibrary(*p, test::shippedLibrary());
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "ip.unknown");
  EXPECT_EQ(st.error().location.pointer, "/dram/type");
  auto wrong = loadText("dramkind", replace(fpga(), R"("type": "ddr3")", R"("type": "sram")"));
  ASSERT_TRUE(wrong.ok());
  EXPECT_EQ(platform::checkAgainstLibrary(*wrong, test::shippedLibrary()).error().code, "ip.wrong-kind");
  auto node = loadText("node", replace(fpga(), R"("technology_nm": )" + sn(28), R"("technology_nm": )" + sn(7)));
  ASSERT_TRUE(node.ok());
  auto nst = platform::checkAgainstLibrary(*node, test::shippedLibrary());
  ASSERT_FALSE(nst.ok());
  EXPECT_EQ(nst.error().code, "ip.no-technology");
  EXPECT_EQ(nst.error().location.pointer, "/technology_nm");
}

namespace {

std::string memoryPort(int bits = 64, double latNs = 150, double sustained = 1.5e9, int acceptance = 8) {
  return R"("memory_port": {"ports": )" + sn(4) + R"(, "data_bits": )" + sn(bits) + R"(, "max_mhz": )" + sn(150) +
         R"(, "read_latency_ns": )" + sn(latNs) + R"(, "write_latency_ns": )" + sn(100) +
         R"(, "sustained_bandwidth_bytes_per_sec": )" + sn(sustained) + R"(, "read_acceptance": )" + sn(acceptance) +
         R"(, "write_acceptance": )" + sn(8) + R"(, "max_burst_beats": )" + sn(16) + "},\n    ";
}

std::string withPort(const std::string& port) { return replace(fpga(), R"("clock": )", port + R"("clock": )"); }

}  // namespace

TEST(Platform, MemoryPortOfTheBoards) {
  // Every built-in platform with DRAM states its memory port; the latencies become cycles of the
  // design's clock, rounded up.
  for (auto& n : platform::builtinPlatforms()) {
    Platform p = builtin(n);
    EXPECT_EQ(p.hasDram(), p.memoryPort.has_value()) << n;
  }
  Platform u = builtin("ultra96");
  ASSERT_TRUE(u.memoryPort);
  EXPECT_EQ(u.memoryPort->dataBits, 128);
  EXPECT_EQ(u.memoryPort->ports, 4);
  EXPECT_EQ(u.memoryPort->readAcceptance, 8);
  EXPECT_EQ(u.memoryPort->maxBurstBeats, 16);
  EXPECT_EQ(u.memoryPort->readLatencyCycles(200), 36);
  EXPECT_EQ(u.memoryPort->writeLatencyCycles(200), 24);
  Platform z = builtin("pynq_z1");
  ASSERT_TRUE(z.memoryPort);
  EXPECT_EQ(z.memoryPort->dataBits, 64);
  EXPECT_EQ(z.memoryPort->readLatencyCycles(100), 15);
  EXPECT_EQ(z.memoryPort->readLatencyCycles(133), 20);  // 19.95 rounds up
  EXPECT_EQ(platform::MemoryPort::cycles(0.5, 100), 1);  // at least one cycle
  EXPECT_FALSE(builtin("ice40_up5k").memoryPort);
  auto ok = loadText("mp-ok", withPort(memoryPort()));
  ASSERT_TRUE(ok.ok()) << ok.error().format();
  EXPECT_DOUBLE_EQ(ok->memoryPort->readLatencyNs, 150);
}

TEST(Platform, MemoryPortOutOfRange) {
  auto w = failure("mp-width", withPort(memoryPort(96)));
  EXPECT_EQ(w.code, "platform.memory-port");
  EXPECT_EQ(w.location.pointer, "/memory_port/data_bits/value");
  auto l = failure("mp-lat", withPort(memoryPort(64, 0)));
  EXPECT_EQ(l.code, "platform.memory-port");
  EXPECT_EQ(l.location.pointer, "/memory_port/read_latency_ns/value");
  auto b = failure("mp-bw", withPort(memoryPort(64, 150, 3e9)));  // above the 2.1 GB/s peak
  EXPECT_EQ(b.code, "platform.memory-port");
  EXPECT_EQ(b.location.pointer, "/memory_port/sustained_bandwidth_bytes_per_sec/value");
  auto a = failure("mp-acc", withPort(memoryPort(64, 150, 1.5e9, 0)));
  EXPECT_EQ(a.code, "platform.memory-port");
  auto nd = failure("mp-nodram", replace(asic(), R"("dram": null)", R"("dram": null, )" + memoryPort().substr(0, memoryPort().rfind(',')) ));
  EXPECT_EQ(nd.code, "platform.memory-port");
  EXPECT_EQ(nd.location.pointer, "/memory_port");
}
