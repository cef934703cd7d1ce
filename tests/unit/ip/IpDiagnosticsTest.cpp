// Every ip.* diagnostic, provoked by a small bad file written to a temporary folder, plus the
// json.* and value.range codes the loader passes through with file and JSON pointer.

#include <gtest/gtest.h>

#include "TestSupport.h"
#include "dnnchip/ip/IpLibrary.h"

using namespace dnnchip;
namespace fs = std::filesystem;

namespace {

const char* kTech = R"({"schema_version": 1, "description": "test nodes",
  "reference_nm": {"value": 45, "source": "test reference"},
  "nodes": [{"nm": {"value": 45, "source": "test"}, "energy_factor": {"value": 1, "source": "test"},
             "area_factor": {"value": 1, "source": "test"}, "vdd": {"value": 0.9, "source": "test"}}],
  "fpga_energy_factor": {"xc7": {"value": 10, "estimate": "test value"}}})";

std::string sn(double v) { return R"({"value": )" + std::to_string(v) + R"(, "source": "test data"})"; }

std::string controller(const std::string& id = "ctl") {
  return R"({"schema_version": 1, "id": ")" + id + R"(", "kind": "controller", "description": "test",
    "template": "controller.v", "technology_nm": )" + sn(45) + R"(,
    "parameters": {"levels": {"unit": "loops", "min": )" + sn(1) + R"(, "max": )" + sn(8) +
         R"(, "default": )" + sn(4) + R"(}},
    "cost": {"per_tile_overhead_cycles": )" + sn(4) + R"(, "per_layer_overhead_cycles": )" + sn(64) +
         R"(, "energy_pj_per_cycle": )" + sn(1) + R"(, "area_um2": )" + sn(100) + R"(, "lut": )" + sn(10) +
         R"(, "ff": )" + sn(10) + R"(},
    "sources": ["test data"]})";
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
  auto pos = s.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos) s.replace(pos, from.size(), to);
  return s;
}

/// Writes technology.json (unless `tech` is null) and `<stem>.json` = `text`, loads the folder.
diag::Expected<ip::IpLibrary> loadOne(const std::string& tag, const std::string& stem, const std::string& text,
                                      const char* tech = kTech) {
  fs::path dir = test::tempDir("ip-" + tag);
  if (tech) test::writeFile(dir / "technology.json", tech);
  test::writeFile(dir / (stem + ".json"), text);
  return ip::IpLibrary::load(dir);
}

diag::Diagnostic failure(const std::string& tag, const std::string& text, const std::string& stem = "ctl",
                         const char* tech = kTech) {
  auto r = loadOne(tag, stem, text, tech);
  EXPECT_FALSE(r.ok()) << tag;
  return r.ok() ? diag::Diagnostic{} : r.error();
}

}  // namespace

TEST(IpDiagnostics, TheMinimalFileIsValid) {
  auto r = loadOne("valid", "ctl", controller());
  ASSERT_TRUE(r.ok()) << r.error().format();
  auto c = r->controllerCost(*r->find("ctl"), {45, ip::DeviceFamily::Xc7});
  ASSERT_TRUE(c.ok());
  EXPECT_DOUBLE_EQ(c->energyPjPerCycle, 10.0);  // 1 pJ x FPGA factor 10
  EXPECT_DOUBLE_EQ(c->fpga.lut, 10.0);
  auto ice = r->controllerCost(*r->find("ctl"), {45, ip::DeviceFamily::Ice40});
  ASSERT_FALSE(ice.ok());  // no FPGA factor for ice40 in this technology table
  EXPECT_EQ(ice.error().code, "ip.no-technology");
}

TEST(IpDiagnostics, BareNumberIsUnsourced) {
  auto d = failure("bare", replace(controller(), sn(64), "64"));
  EXPECT_EQ(d.code, "ip.unsourced");
  EXPECT_EQ(d.location.pointer, "/cost/per_layer_overhead_cycles");
  EXPECT_NE(d.location.file.find("ctl.json"), std::string::npos);
}

TEST(IpDiagnostics, EmptySourceAndMissingOriginAreUnsourced) {
  EXPECT_EQ(failure("empty-src", replace(controller(), sn(64), R"({"value": 64, "source": ""})")).code, "ip.unsourced");
  EXPECT_EQ(failure("no-origin", replace(controller(), sn(64), R"({"value": 64, "unit": "cycles"})")).code, "ip.unsourced");
  EXPECT_EQ(failure("no-sources", replace(controller(), R"(["test data"])", "[]")).code, "ip.unsourced");
  // A bare number in the technology table is caught too.
  EXPECT_EQ(failure("tech-bare", controller(), "ctl",
                    R"({"schema_version": 1, "description": "t", "reference_nm": 45, "nodes": [], "fpga_energy_factor": {}})")
                .code,
            "ip.unsourced");
}

TEST(IpDiagnostics, UnknownKind) {
  auto d = failure("kind", replace(controller(), R"("kind": "controller")", R"("kind": "sequencer")"));
  EXPECT_EQ(d.code, "ip.unknown-kind");
  EXPECT_EQ(d.location.pointer, "/kind");
}

TEST(IpDiagnostics, CostValueOutOfRange) {
  auto d = failure("range", replace(controller(), sn(100), R"({"value": -5, "source": "test data"})"));
  EXPECT_EQ(d.code, "value.range");
  EXPECT_EQ(d.location.pointer, "/cost/area_um2/value");
}

TEST(IpDiagnostics, ParameterOutOfRange) {
  auto r = loadOne("param", "ctl", controller());
  ASSERT_TRUE(r.ok());
  auto st = r->find("ctl")->checkParam("levels", 9);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "ip.param-range");
  EXPECT_NE(st.error().message.find("[1, 8]"), std::string::npos) << st.error().message;
  EXPECT_EQ(r->find("ctl")->checkParam("depth", 1).error().code, "ip.unknown-param");
}

TEST(IpDiagnostics, InconsistentParameterRangeIsABadModel) {
  auto d = failure("minmax", replace(controller(), R"("default": )" + sn(4), R"("default": )" + sn(12)));
  EXPECT_EQ(d.code, "ip.bad-model");
  EXPECT_EQ(d.location.pointer, "/parameters/levels");
}

TEST(IpDiagnostics, UnknownIpName) {
  auto r = loadOne("unknown", "ctl", controller());
  ASSERT_TRUE(r.ok());
  auto g = r->get("ctrl");
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.error().code, "ip.unknown");
  EXPECT_NE(g.error().hint.find("\"ctl\""), std::string::npos) << g.error().hint;
  EXPECT_EQ(r->get("ctl", ip::IpKind::Mac).error().code, "ip.wrong-kind");
}

TEST(IpDiagnostics, MalformedJson) {
  auto d = failure("syntax", "{\"schema_version\": 1,\n \"id\": }");
  EXPECT_EQ(d.code, "json.syntax");
  EXPECT_EQ(d.location.pointer, "2:8");
}

TEST(IpDiagnostics, MissingAndUnknownFields) {
  auto missing = failure("missing", replace(controller(), R"("lut": )" + sn(10) + ",", ""));
  EXPECT_EQ(missing.code, "json.missing-field");
  EXPECT_EQ(missing.location.pointer, "/cost");
  auto noTech = failure("missing-tech", replace(controller(), R"("technology_nm": )" + sn(45) + ",", ""));
  EXPECT_EQ(noTech.code, "json.missing-field");
  auto typo = failure("typo", replace(controller(), R"("lut": )", R"("luts": )"));
  EXPECT_EQ(typo.code, "json.unknown-field");
  EXPECT_EQ(failure("schema", replace(controller(), R"("schema_version": 1)", R"("schema_version": 2)")).code,
            "json.schema-version");
}

TEST(IpDiagnostics, IdMustMatchFileName) {
  auto d = failure("idname", controller("other"));
  EXPECT_EQ(d.code, "ip.id-mismatch");
  EXPECT_EQ(d.location.pointer, "/id");
}

TEST(IpDiagnostics, TemplateMustBeAVerilogFileName) {
  EXPECT_EQ(failure("tpl", replace(controller(), R"("controller.v")", R"("../rtl/controller.sv")")).code,
            "ip.bad-template");
  EXPECT_TRUE(loadOne("tpl-null", "ctl", replace(controller(), R"("controller.v")", "null")).ok());
}

TEST(IpDiagnostics, TechnologyTableMissingOrNodeUnknown) {
  EXPECT_EQ(failure("notech", controller(), "ctl", nullptr).code, "ip.no-technology");
  auto d = failure("node", replace(controller(), R"("technology_nm": )" + sn(45), R"("technology_nm": )" + sn(22)));
  EXPECT_EQ(d.code, "ip.no-technology");
  EXPECT_EQ(d.location.pointer, "/technology_nm");
}

TEST(IpDiagnostics, BadMemoryModels) {
  const std::string anchor1 = R"({"capacity_bytes": )" + sn(8192) + R"(, "width_bits": )" + sn(64) +
                              R"(, "read_energy_pj": )" + sn(10) + R"(, "write_energy_pj": )" + sn(10) + "}";
  const std::string anchor0 = R"({"capacity_bytes": )" + sn(1024) + R"(, "width_bits": )" + sn(64) +
                              R"(, "read_energy_pj": )" + sn(4) + R"(, "write_energy_pj": )" + sn(4) + "}";
  auto sram = [&](const std::string& anchors) {
    return R"({"schema_version": 1, "id": "s", "kind": "sram", "description": "t", "template": null,
      "technology_nm": )" + sn(45) + R"(, "parameters": {
        "capacity_bytes": {"unit": "bytes", "min": )" + sn(512) + R"(, "max": )" + sn(1048576) + R"(, "default": )" + sn(8192) + R"(},
        "width_bits": {"unit": "bits", "min": )" + sn(8) + R"(, "max": )" + sn(1024) + R"(, "default": )" + sn(64) + R"(}},
      "cost": {"anchors": )" + anchors + R"(, "capacity_exponent": )" + sn(0.5) + R"(, "width_exponent": )" + sn(1) +
           R"(, "area_um2_per_bit": )" + sn(0.6) + R"(, "area_overhead_um2": )" + sn(0) +
           R"(, "leakage_mw_per_kib": )" + sn(0.01) + R"(, "read_latency_cycles": )" + sn(1) + R"(},
      "sources": ["test data"]})";
  };
  auto ok = loadOne("sram-ok", "s", sram("[" + anchor0 + "," + anchor1 + "]"));
  ASSERT_TRUE(ok.ok()) << ok.error().format();
  const std::string withParams = sram("[" + anchor0 + "," + anchor1 + "]");
  // A memory IP must declare the parameters memoryCost() checks, with positive minimums.
  auto noParams = failure("sram-params", replace(withParams, R"("width_bits": {"unit")", R"("word_bits": {"unit")"), "s");
  EXPECT_EQ(noParams.code, "ip.bad-model");
  EXPECT_EQ(noParams.location.pointer, "/parameters");
  auto zeroMin = failure("sram-zero", replace(withParams, R"("min": )" + sn(512), R"("min": )" + sn(0)), "s");
  EXPECT_EQ(zeroMin.code, "ip.bad-model");
  EXPECT_EQ(zeroMin.location.pointer, "/parameters/capacity_bytes");
  auto unsorted = failure("sram-order", sram("[" + anchor1 + "," + anchor0 + "]"), "s");
  EXPECT_EQ(unsorted.code, "ip.bad-model");
  EXPECT_EQ(unsorted.location.pointer, "/cost/anchors/1");
  EXPECT_EQ(failure("sram-empty", sram("[]"), "s").code, "ip.bad-model");

  const std::string bram = R"({"schema_version": 1, "id": "b", "kind": "bram18", "description": "t", "template": null,
      "parameters": {"capacity_bytes": {"unit": "bytes", "min": )" + sn(1) + R"(, "max": )" + sn(65536) +
                           R"(, "default": )" + sn(2304) + R"(}, "width_bits": {"unit": "bits", "min": )" + sn(1) +
                           R"(, "max": )" + sn(72) + R"(, "default": )" + sn(36) + R"(}}, "cost": {"capacity_bits": )" + sn(18432) + R"(, "configurations": [{"width_bits": )" + sn(36) +
                           R"(, "depth": )" + sn(1024) + R"(}], "ports": )" + sn(2) + R"(, "read_latency_cycles": )" + sn(1) +
                           R"(, "read_energy_pj": )" + sn(10) + R"(, "write_energy_pj": )" + sn(10) +
                           R"(, "families": ["xc7"]}, "sources": ["test data"]})";
  auto over = failure("bram-over", bram, "b");  // 36 x 1024 = 36864 bits > 18432
  EXPECT_EQ(over.code, "ip.bad-model");
  EXPECT_EQ(over.location.pointer, "/cost/configurations/0");
  EXPECT_EQ(failure("bram-fam", replace(replace(bram, sn(1024), sn(512)), R"(["xc7"])", R"(["virtex2"])"), "b").code,
            "ip.bad-model");
  EXPECT_TRUE(loadOne("bram-ok", "b", replace(bram, sn(1024), sn(512))).ok());
}

TEST(IpDiagnostics, FpgaMappingOnlyForMacs) {
  auto d = failure("fpga", replace(controller(), R"("sources")", R"("fpga": {"xc7": {}}, "sources")"));
  EXPECT_EQ(d.code, "ip.bad-model");
  EXPECT_EQ(d.location.pointer, "/fpga");
}

TEST(IpDiagnostics, MissingFolder) {
  auto r = ip::IpLibrary::load(test::tempDir("ip-none") / "nope");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "io.open");
}

// "rtl": Yosys figures of the template per FPGA family; fixed plus per-unit parts; checked like
// every other number (sourced, in range, the fields of the kind, a known family, a template).
TEST(IpDiagnostics, RtlFiguresParseAndScale) {
  const std::string rtl = R"("rtl": {"xc7": {"dsp": )" + sn(4) + R"(, "lut": )" + sn(1400) + R"(, "ff": )" + sn(900) + R"(}},
    "sources")";
  auto r = loadOne("rtl", "ctl", replace(controller(), R"("sources")", rtl));
  ASSERT_TRUE(r.ok()) << r.error().format();
  auto f = r->rtlFpga(*r->find("ctl"), ip::DeviceFamily::Xc7, 1, "ws");
  ASSERT_TRUE(f.has_value());
  EXPECT_DOUBLE_EQ(f->dsp, 4);
  EXPECT_DOUBLE_EQ(f->lut, 1400);
  EXPECT_DOUBLE_EQ(f->ff, 900);
  EXPECT_FALSE(r->rtlFpga(*r->find("ctl"), ip::DeviceFamily::XcUp, 1, "ws").has_value()) << "no xcup figures";

  EXPECT_EQ(failure("rtl-family", replace(controller(), R"("sources")", replace(rtl, "xc7", "virtex2"))).code, "ip.bad-model");
  EXPECT_EQ(failure("rtl-field", replace(controller(), R"("sources")", replace(rtl, R"("lut")", R"("luts")"))).code,
            "json.unknown-field");
  EXPECT_EQ(failure("rtl-bare", replace(controller(), R"("sources")", replace(rtl, sn(1400), "1400"))).code, "ip.unsourced");
  EXPECT_EQ(failure("rtl-no-template", replace(replace(controller(), R"("sources")", rtl), R"("controller.v")", "null")).code,
            "ip.bad-model");

  // The controller's optional per-dataflow parts add to the fixed one for their dataflow only,
  // and are checked like the others when present.
  const std::string withOs = replace(rtl, R"(, "ff": )" + sn(900), R"(, "ff": )" + sn(900) + R"(, "lut_os": )" + sn(400));
  auto os = loadOne("rtl-os", "ctl", replace(controller(), R"("sources")", withOs));
  ASSERT_TRUE(os.ok()) << os.error().format();
  EXPECT_DOUBLE_EQ(os->rtlFpga(*os->find("ctl"), ip::DeviceFamily::Xc7, 1, "os")->lut, 1800);
  EXPECT_DOUBLE_EQ(os->rtlFpga(*os->find("ctl"), ip::DeviceFamily::Xc7, 1, "ws")->lut, 1400);
  EXPECT_EQ(failure("rtl-os-range", replace(controller(), R"("sources")", replace(withOs, sn(400), sn(-1)))).code,
            "value.range");
  EXPECT_EQ(failure("rtl-os-bare", replace(controller(), R"("sources")", replace(withOs, sn(400), "400"))).code,
            "ip.unsourced");
}

TEST(IpDiagnostics, BuiltInRtlFiguresFollowTheDataflow) {
  auto lib = ip::IpLibrary::loadDefault();
  ASSERT_TRUE(lib.ok());
  const ip::IpEntry* mac = lib->find("mac_int8");
  ASSERT_NE(mac, nullptr);
  auto ws = lib->rtlFpga(*mac, ip::DeviceFamily::Xc7, 64, "ws");
  auto os = lib->rtlFpga(*mac, ip::DeviceFamily::Xc7, 64, "os");
  ASSERT_TRUE(ws && os);
  EXPECT_DOUBLE_EQ(ws->dsp, 64);  // one DSP48E1 per MAC in the generated array
  EXPECT_DOUBLE_EQ(os->dsp, 64);
  EXPECT_GT(os->lut, ws->lut) << "the output-stationary array's operand multiplexers";
}
