#include "dnnchip/io/Json.h"

#include <gtest/gtest.h>

#include <string>
#include <type_traits>

#include "TestSupport.h"
#include "dnnchip/io/DataPaths.h"
#include "dnnchip/io/Files.h"

using namespace dnnchip;
using io::Json;
using io::JsonView;

namespace {
diag::Diagnostic failure(const std::function<void()>& f) {
  auto r = diag::capture([&]() -> int { f(); return 0; });
  EXPECT_FALSE(r.ok());
  return r.ok() ? diag::Diagnostic{} : r.error();
}
}  // namespace

// A view refers to its value, which must outlive it: a view of a temporary does not compile.
static_assert(!std::is_constructible_v<dnnchip::io::JsonView, dnnchip::io::Json&&, std::string>);
static_assert(std::is_constructible_v<dnnchip::io::JsonView, const dnnchip::io::Json&, std::string>);

TEST(Json, SyntaxErrorHasLineAndColumn) {
  auto r = io::parseJson("{\n  \"a\": 1,\n  \"b\": ]\n}", "f.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "json.syntax");
  EXPECT_EQ(r.error().location.pointer, "3:8");
}

// Hostile input (issue 13): a number beyond double range was an uncaught out_of_range (exit 1).
TEST(Json, NumberBeyondDoubleRangeIsAValueRangeDiagnostic) {
  auto r = io::parseJson("{\n  \"clock_mhz\": 1e309\n}", "f.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "value.range");
  EXPECT_EQ(r.error().location.file, "f.json");
  EXPECT_EQ(r.error().location.pointer.substr(0, 2), "2:");
  auto neg = io::parseJson("[-1e400]", "g.json");
  ASSERT_FALSE(neg.ok());
  EXPECT_EQ(neg.error().code, "value.range");
}

// Hostile input (issue 13): 100,000 nested arrays overflowed the stack (SIGSEGV).
TEST(Json, DeepNestingIsRefusedWithoutRecursion) {
  for (const char* open : {"[", "{\"a\":"}) {
    std::string text;
    for (int i = 0; i < 100000; ++i) text += open;
    auto r = io::parseJson(text, "deep.json");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "json.depth");
    EXPECT_EQ(r.error().location.pointer, "1:" + std::to_string(64 * std::string(open).size() + 1));
  }
  // At the limit it still parses, and the value copies fine.
  std::string ok(io::kMaxJsonDepth, '[');
  ok += std::string(io::kMaxJsonDepth, ']');
  auto r = io::parseJson(ok, "ok.json");
  ASSERT_TRUE(r.ok()) << r.error().format();
  Json copy = *r;
  EXPECT_EQ(copy.dump(), ok);
}

TEST(Json, ParsedValuesKeepOrderAndDuplicatesKeepTheLast) {
  auto r = io::parseJson(R"({"b": 1, "a": [true, null, "x", 2.5, -3], "b": 4})", "f.json");
  ASSERT_TRUE(r.ok()) << r.error().format();
  EXPECT_EQ(r->dump(), R"({"b":4,"a":[true,null,"x",2.5,-3]})");
  EXPECT_EQ(io::parseJson("[1] 2", "f").error().code, "json.syntax");
  EXPECT_EQ(io::parseJson("", "f").error().code, "json.syntax");
  EXPECT_EQ(io::parseJson("\"\xff\"", "f").error().code, "json.syntax");
}

TEST(Json, PointersNameNestedValues) {
  Json j = Json::parse(R"({"layers":[{"kernel":[3,"x"]}]})");
  JsonView v(j, "m.json");
  auto d = failure([&] { v.at("layers").items()[0].at("kernel").asIntArray(); });
  EXPECT_EQ(d.code, "json.type");
  EXPECT_EQ(d.location.pointer, "/layers/0/kernel/1");
}

TEST(Json, RangeMissingUnknownAndSchema) {
  Json j = Json::parse(R"({"n": -1, "strid": 2})");
  JsonView v(j, "f.json");
  EXPECT_EQ(failure([&] { v.at("n").asInt(1, 10); }).code, "value.range");
  EXPECT_EQ(failure([&] { v.at("missing"); }).code, "json.missing-field");
  EXPECT_EQ(failure([&] { v.rejectUnknown({"n", "stride"}); }).code, "json.unknown-field");
  EXPECT_EQ(failure([&] { v.requireSchemaVersion(1); }).code, "json.schema-version");
  Json two = Json::parse(R"({"schema_version": 2})");
  EXPECT_EQ(failure([&] { JsonView(two, "f").requireSchemaVersion(1); }).code, "json.schema-version");
  EXPECT_EQ(failure([&] { JsonView(j, "f").at("n").asIntArray(0, 1, 2); }).code, "json.type");
  Json arr = Json::parse(R"([1, 2, 3])");
  EXPECT_EQ(failure([&] { JsonView(arr, "f").asIntArray(0, 9, 2); }).code, "value.shape");
}

TEST(Json, SourcedNumbersNeedAnOrigin) {
  Json good = Json::parse(R"({"value": 0.2, "unit": "pJ", "source": "Horowitz ISSCC'14"})");
  EXPECT_DOUBLE_EQ(JsonView(good, "f").asSourcedNumber(), 0.2);
  Json est = Json::parse(R"({"value": 3, "estimate": "scaled from 45 nm by area"})");
  EXPECT_DOUBLE_EQ(JsonView(est, "f").asSourcedNumber(), 3.0);
  Json bare = Json::parse("0.2");
  EXPECT_EQ(failure([&] { JsonView(bare, "f").asSourcedNumber(); }).code, "ip.unsourced");
}

TEST(Files, AtomicWriteLeavesNoTemporary) {
  auto dir = test::tempDir("atomic");
  auto st = io::writeFileAtomic(dir / "sub" / "x.txt", "hello");
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(*io::readTextFile(dir / "sub" / "x.txt"), "hello");
  int files = 0;
  for (auto& e : std::filesystem::directory_iterator(dir / "sub")) { (void)e; ++files; }
  EXPECT_EQ(files, 1);
  EXPECT_EQ(io::readTextFile(dir / "nope").error().code, "io.open");
  EXPECT_EQ(io::readTextFile(dir).error().code, "io.open");
  EXPECT_EQ(io::writeFileAtomic("/proc/no/such/x", "a").error().code, "io.write");
}

TEST(DataPaths, EnvOverrideAndUnknownName) {
  ASSERT_TRUE(io::dataRoot().ok());  // ctest sets DNNCHIP_DATA to the source tree
  auto r = io::resolveDataFile("no_such_model_xyz", "designs/models", ".json", "model");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "lib.unknown-name");
  auto dir = test::tempDir("root");
  setenv("DNNCHIP_DATA", dir.c_str(), 1);
  auto bad = io::dataRoot();
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "io.data-root");
  setenv("DNNCHIP_DATA", test::sourceDir().c_str(), 1);
}
