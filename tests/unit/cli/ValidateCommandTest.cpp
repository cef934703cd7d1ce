// `dnnchip validate` end to end: help, one case's table, -o JSON and Markdown, --update-doc, exit 2
// with one coded diagnostic on a bad case file, exit 3 when a row leaves its tolerance.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "TestSupport.h"
#include "dnnchip/io/Json.h"

using namespace dnnchip;

namespace {

std::string readAll(const std::filesystem::path& p) {
  std::ifstream f(p);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

TEST(ValidateCommand, HelpNamesItsOptions) {
  auto r = test::runCli("validate --help");
  EXPECT_EQ(r.exitCode, 0);
  for (const char* o : {"--suite", "--case", "-o,--output", "--update-doc", "--threads"})
    EXPECT_NE(r.out.find(o), std::string::npos) << o;
}

TEST(ValidateCommand, OneCaseTableJsonAndDoc) {
  const auto dir = test::tempDir("cli_validate_one");
  const auto doc = test::writeFile(dir / "doc.md", "# t\n<!-- validate:begin -->\nold\n<!-- validate:end -->\n");
  auto r = test::runCli("validate --case dpu_zcu102_resnet50 --threads 1 -o " + (dir / "r.json").string() +
                        " --update-doc " + doc.string());
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("dpu_zcu102_resnet50"), std::string::npos);
  EXPECT_NE(r.out.find("mean |error|"), std::string::npos);
  auto j = io::readJsonFile(dir / "r.json");
  ASSERT_TRUE(j.ok());
  EXPECT_EQ((*j)["rows"].size(), 1u);
  EXPECT_EQ((*j)["rows"][0]["metric"], "latency_ms");
  const std::string md = readAll(doc);
  EXPECT_EQ(md.find("old"), std::string::npos);
  EXPECT_NE(md.find("| dpu_zcu102_resnet50 |"), std::string::npos);
  auto m = test::runCli("validate --case dpu_zcu102_resnet50 --threads 1 -o " + (dir / "r.md").string());
  ASSERT_EQ(m.exitCode, 0);
  EXPECT_NE(readAll(dir / "r.md").find("| case | hardware |"), std::string::npos);
}

TEST(ValidateCommand, BadCaseFileIsExit2WithOneDiagnostic) {
  const auto dir = test::tempDir("cli_validate_bad");
  test::writeFile(dir / "c" / "case.json",
                  R"({"schema_version": 1, "hardware": "t", "model": "alexnet", "design": "eyeriss_like",
                      "mapping": {"policy": "default"},
                      "measured": [{"metric": "latency_ms", "layers": ["conv9"], "value": 1, "source": "s"}]})");
  auto r = test::runCli("validate --suite " + dir.string());
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("error[validation.unknown-layer]"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("/measured/0/layers/0"), std::string::npos) << r.err;
  auto u = test::runCli("validate --case no_such_case");
  EXPECT_EQ(u.exitCode, 2);
  EXPECT_NE(u.err.find("validation.unknown-case"), std::string::npos);
}

TEST(ValidateCommand, RowOutsideToleranceIsExit3) {
  const auto dir = test::tempDir("cli_validate_fail");
  // 1 ms for AlexNet conv1 at batch 1 on eyeriss_like is far from any prediction.
  test::writeFile(dir / "c" / "case.json",
                  R"({"schema_version": 1, "hardware": "t", "model": "alexnet", "design": "eyeriss_like",
                      "mapping": {"policy": "default"},
                      "measured": [{"metric": "latency_ms", "layers": ["conv1"], "value": 0.001, "source": "s"}]})");
  auto r = test::runCli("validate --suite " + dir.string());
  EXPECT_EQ(r.exitCode, 3) << r.err;
  EXPECT_NE(r.out.find("FAIL"), std::string::npos);
}

}  // namespace
