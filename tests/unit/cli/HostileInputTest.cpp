// Hostile and corrupted input through the dnnchip binary (issue 13): every file below once ended
// in a signal, an `error[internal]` or a wrong exit code. Each must now give exactly one coded
// diagnostic naming the file, and exit 2.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "TestSupport.h"

using namespace dnnchip;

namespace {

void expectOneDiagnostic(const test::RunResult& r, const std::string& code, const std::string& file) {
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_NE(r.err.find("error[" + code + "]: " + file), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "exactly one diagnostic line: " << r.err;
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST(HostileInput, JsonNumberBeyondDoubleRangeAndDeepNesting) {
  auto dir = test::tempDir("hostile-json");
  auto huge = test::writeFile(dir / "huge.json", "{\"schema_version\": 1e309}");
  expectOneDiagnostic(test::runCli("model show '" + huge.string() + "'"), "value.range", huge.string() + ":1:");
  std::string deep(100000, '[');
  auto nested = test::writeFile(dir / "deep.json", deep);
  expectOneDiagnostic(test::runCli("model show '" + nested.string() + "'"), "json.depth", nested.string() + ":1:65");
  // The same parser reads every format: a constraint file too.
  expectOneDiagnostic(test::runCli("explore --model resnet18 --constraints '" + nested.string() + "' -o '" +
                                   (dir / "out").string() + "'"),
                      "json.depth", nested.string());
  EXPECT_FALSE(std::filesystem::exists(dir / "out" / "summary.txt"));
}

TEST(HostileInput, OverflowingModelCountsAreRefused) {
  auto dir = test::tempDir("hostile-model");
  auto f = test::writeFile(dir / "m.json", R"({"schema_version":1,"name":"m","inputs":[{"name":"x","shape":[1,16777216,4096,4096]}],
    "layers":[{"name":"c","op":"conv2d","inputs":["x"],"out_channels":16777216,"kernel":[1,1]}]})");
  expectOneDiagnostic(test::runCli("model show '" + f.string() + "'"), "model.too-large", f.string() + ":/layers/0");
}

// A platform whose DRAM names an SRAM, or no IP at all, was pruned design by design and ended in
// exit 3 "infeasible" instead of the diagnostic docs/diagnostics.md promises.
TEST(HostileInput, PlatformDramMustNameADramIp) {
  auto dir = test::tempDir("hostile-platform");
  const std::string pynq = slurp(test::sourceDir() / "designs/platforms/pynq_z1.json");
  const std::string needle = "\"type\": \"ddr3\"";
  ASSERT_NE(pynq.find(needle), std::string::npos);
  struct Case { const char* type; const char* code; };
  for (const Case& c : {Case{"sram", "ip.wrong-kind"}, Case{"no_such_dram", "ip.unknown"}}) {
    auto sub = dir / c.type;
    std::string text = pynq;
    text.replace(text.find(needle), needle.size(), std::string("\"type\": \"") + c.type + "\"");
    auto plat = test::writeFile(sub / "pynq_z1.json", text);
    std::string cons = slurp(test::sourceDir() / "designs/constraints/pynq_z1.json");
    cons.replace(cons.find("\"pynq_z1\""), 9, "\"" + plat.string() + "\"");
    auto consFile = test::writeFile(sub / "c.json", cons);
    auto r = test::runCli("explore --model resnet18 --constraints '" + consFile.string() + "' -o '" +
                          (sub / "out").string() + "'");
    expectOneDiagnostic(r, c.code, plat.string() + ":/dram/type");
  }
}
