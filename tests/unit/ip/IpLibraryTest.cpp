// The shipped IP library: it loads without diagnostics, every number in every file carries a
// source or an estimate (checked on the raw JSON, independently of the loader), ids and kinds.

#include "dnnchip/ip/IpLibrary.h"

#include <gtest/gtest.h>

#include "TestSupport.h"
#include "dnnchip/io/Json.h"

using namespace dnnchip;

namespace {

ip::IpLibrary shipped() {
  auto lib = ip::IpLibrary::load(test::sourceDir() / "ip_library");
  if (!lib) ADD_FAILURE() << lib.error().format();
  return lib ? std::move(*lib) : ip::IpLibrary{};
}

/// Counts numbers that are not inside {"value": v, "source"|"estimate": "..."}; records where.
void walk(const io::Json& j, const std::string& ptr, std::vector<std::string>& bad, int& sourced) {
  if (j.is_object()) {
    if (j.contains("value")) {
      bool ok = j["value"].is_number() &&
                ((j.contains("source") && j["source"].is_string() && j["source"].get<std::string>().size() >= 4) ||
                 (j.contains("estimate") && j["estimate"].is_string() && j["estimate"].get<std::string>().size() >= 4));
      if (!ok) bad.push_back(ptr);
      else ++sourced;
      return;
    }
    for (auto it = j.begin(); it != j.end(); ++it)
      if (!(ptr.empty() && it.key() == "schema_version")) walk(it.value(), ptr + "/" + it.key(), bad, sourced);
  } else if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i) walk(j[i], ptr + "/" + std::to_string(i), bad, sourced);
  } else if (j.is_number()) {
    bad.push_back(ptr);
  }
}

}  // namespace

TEST(IpLibrary, ShippedLibraryLoadsWithoutDiagnostics) {
  auto lib = ip::IpLibrary::load(test::sourceDir() / "ip_library");
  ASSERT_TRUE(lib.ok()) << lib.error().format();
  EXPECT_GE(lib->ids().size(), 20u);
  EXPECT_EQ(lib->technologyNodes(), (std::vector<int>{16, 28, 40, 45, 65}));
}

TEST(IpLibrary, LoadDefaultUsesTheDataRoot) {
  auto lib = ip::IpLibrary::loadDefault();  // DNNCHIP_DATA points at the source tree under ctest
  ASSERT_TRUE(lib.ok()) << lib.error().format();
  EXPECT_NE(lib->find("mac_int8"), nullptr);
}

TEST(IpLibrary, EveryNumberInEveryFileIsSourcedOrEstimated) {
  namespace fs = std::filesystem;
  int files = 0;
  for (const char* folder : {"ip_library", "designs/platforms"}) {
    for (auto& de : fs::directory_iterator(test::sourceDir() / folder)) {
      if (de.path().extension() != ".json") continue;
      ++files;
      auto j = io::readJsonFile(de.path());
      ASSERT_TRUE(j.ok()) << j.error().format();
      std::vector<std::string> bad;
      int sourced = 0;
      walk(*j, "", bad, sourced);
      EXPECT_TRUE(bad.empty()) << de.path() << ": bare or unsourced number at " << (bad.empty() ? "" : bad[0]);
      EXPECT_GT(sourced, 0) << de.path();
    }
  }
  EXPECT_GE(files, 27);
}

TEST(IpLibrary, TheRawWalkCatchesABareNumber) {
  // The walk above must be able to fail: a bare number and an empty source are both caught.
  std::vector<std::string> bad;
  int sourced = 0;
  walk(io::Json::parse(R"({"schema_version":1,"a":{"value":1,"source":"DS891"},"b":{"c":[2]},"d":{"value":3,"source":""}})"),
       "", bad, sourced);
  EXPECT_EQ(bad, (std::vector<std::string>{"/b/c/0", "/d"}));
  EXPECT_EQ(sourced, 1);
}

TEST(IpLibrary, CoversTheRequiredIps) {
  auto lib = shipped();
  using K = ip::IpKind;
  const std::vector<std::pair<const char*, K>> want = {
      {"mac_int4", K::Mac},        {"mac_int8", K::Mac},         {"mac_int16", K::Mac},
      {"mac_fp16", K::Mac},        {"mac_bf16", K::Mac},         {"mac_fp32", K::Mac},
      {"adder_fp32", K::Vector},   {"adder_fp16", K::Vector},    {"adder_bf16", K::Vector},
      {"regfile", K::RegFile},
      {"sram", K::Sram},           {"sram_cacti65", K::Sram},    {"bram18", K::Bram18},
      {"bram36", K::Bram36},       {"uram", K::Uram},            {"lutram", K::LutRam},
      {"ice40_ebr", K::Ice40Ebr},  {"ice40_spram", K::Ice40Spram}, {"ddr3", K::Dram},
      {"ddr4", K::Dram},           {"lpddr4", K::Dram},          {"hbm2", K::Dram},
      {"noc", K::Noc},             {"dma_axi", K::Dma},          {"vector_unit", K::Vector},
      {"controller", K::Controller}};
  for (auto& [id, kind] : want) {
    const ip::IpEntry* e = lib.find(id);
    ASSERT_NE(e, nullptr) << id;
    EXPECT_EQ(e->kind, kind) << id;
    EXPECT_FALSE(e->description.empty());
    EXPECT_FALSE(e->numbers.empty());
  }
  EXPECT_EQ(lib.idsOfKind(K::Dram), (std::vector<std::string>{"ddr3", "ddr4", "hbm2", "lpddr4"}));
}

TEST(IpLibrary, TemplatesNameTheRtlFiles) {
  auto lib = shipped();
  EXPECT_EQ(lib.find("mac_int8")->templateFile, std::optional<std::string>("mac_pe.v"));
  EXPECT_EQ(lib.find("dma_axi")->templateFile, std::optional<std::string>("dma_axi.v"));
  EXPECT_EQ(lib.find("vector_unit")->templateFile, std::optional<std::string>("vector_unit.v"));
  EXPECT_EQ(lib.find("controller")->templateFile, std::optional<std::string>("controller.v"));
  EXPECT_EQ(lib.find("bram36")->templateFile, std::optional<std::string>("buffer_dp.v"));
  EXPECT_EQ(lib.find("sram")->templateFile, std::optional<std::string>("buffer_dp.v"));
  EXPECT_FALSE(lib.find("lpddr4")->templateFile.has_value());
  EXPECT_FALSE(lib.find("mac_fp16")->templateFile.has_value());
  EXPECT_FALSE(lib.find("ice40_spram")->templateFile.has_value());  // dual-port buffer_dp cannot map to SPRAM
}

TEST(IpLibrary, EveryReferencedTemplateExists) {
  auto lib = shipped();
  int referenced = 0;
  for (auto& id : lib.ids()) {
    const ip::IpEntry* e = lib.find(id);
    if (!e->templateFile) continue;
    ++referenced;
    EXPECT_TRUE(std::filesystem::is_regular_file(test::sourceDir() / "templates" / *e->templateFile))
        << id << " names templates/" << *e->templateFile;
  }
  EXPECT_GE(referenced, 10);
}

TEST(IpLibrary, IdsAreSortedAndNumbersKeepTheirOrigin) {
  auto lib = shipped();
  auto ids = lib.ids();
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  const ip::IpEntry* lp = lib.find("lpddr4");
  ASSERT_NE(lp, nullptr);
  bool found = false;
  for (auto& n : lp->numbers)
    if (n.pointer == "/cost/energy_pj_per_bit") {
      found = true;
      EXPECT_DOUBLE_EQ(n.value, 8.0);
      EXPECT_FALSE(n.isEstimate);
      EXPECT_NE(n.origin.find("512 pJ"), std::string::npos);
    }
  EXPECT_TRUE(found);
}

TEST(IpLibrary, ParamsAndDefaults) {
  auto lib = shipped();
  const ip::IpEntry* s = lib.find("sram");
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(s->checkParam("capacity_bytes", 110592).ok());
  auto bad = s->checkParam("capacity_bytes", 1e12);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "ip.param-range");
  EXPECT_EQ(bad.error().location.pointer, "/parameters/capacity_bytes");
  auto unknown = s->checkParam("colour", 1);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, "ip.unknown-param");
  EXPECT_EQ(s->defaultParam("width_bits"), std::optional<double>(64));
  EXPECT_FALSE(s->defaultParam("colour").has_value());
}

TEST(IpLibrary, UnknownIpListsCloseNames) {
  auto lib = shipped();
  auto r = lib.get("mac_int9");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "ip.unknown");
  EXPECT_NE(r.error().hint.find("mac_int8"), std::string::npos) << r.error().hint;
  auto far = lib.unknownIp("zzzzzzzzzzzz", {"design.json", "/nodes/3/ip"});
  EXPECT_EQ(far.location.pointer, "/nodes/3/ip");
  EXPECT_NE(far.hint.find("lib list"), std::string::npos);
}

TEST(IpLibrary, WrongKindIsReported) {
  auto lib = shipped();
  auto r = lib.get("sram", ip::IpKind::Dram);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "ip.wrong-kind");
  EXPECT_NE(r.error().hint.find("lpddr4"), std::string::npos);
  auto ok = lib.get("lpddr4", ip::IpKind::Dram);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)->id, "lpddr4");
  auto mac = lib.macCost(*lib.find("sram"), 8, {});
  ASSERT_FALSE(mac.ok());
  EXPECT_EQ(mac.error().code, "ip.wrong-kind");
}

TEST(IpLibrary, KindAndFamilySpellingsRoundTrip) {
  for (auto k : {ip::IpKind::Mac, ip::IpKind::Ice40Spram, ip::IpKind::Controller})
    EXPECT_EQ(ip::parseIpKind(ip::toString(k)), k);
  EXPECT_FALSE(ip::parseIpKind("ram").has_value());
  EXPECT_EQ(ip::parseDeviceFamily("xcup"), ip::DeviceFamily::XcUp);
  EXPECT_FALSE(ip::parseDeviceFamily("virtex").has_value());
  EXPECT_TRUE(ip::isOnChipMemory(ip::IpKind::Uram));
  EXPECT_FALSE(ip::isOnChipMemory(ip::IpKind::Dram));
}
