// The dnnchip binary end to end: every subcommand's help with its options' one spelling, exit
// codes and the diagnostic line for bad input, and the model/lib commands' output structure. Golden text comparisons live in tests/golden/.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "TestSupport.h"
#include "dnnchip/io/Json.h"

using namespace dnnchip;

namespace {

/// Every subcommand, with the option spellings its help must show: one option, one name on every
/// subcommand (-m,--model; -c,--constraints; -o,--output; --budget-evals; --seed; --threads).
struct HelpCase {
  const char* command;
  std::vector<const char*> options;
};
const std::vector<HelpCase>& helpCases() {
  static const std::vector<HelpCase> cases = {
      {"build", {"-m,--model", "-c,--constraints", "-o,--output", "--design", "--seed", "--threads", "--budget-evals",
                 "--phase"}},
      {"explore", {"-m,--model", "-c,--constraints", "-o,--output", "--seed", "--threads", "--budget-evals", "--rtl-only",
                   "--phase", "--optimizer", "--batch"}},
      {"map", {"-m,--model", "--design", "-o,--output", "--seed", "--threads", "--budget-evals", "--objective"}},
      {"predict", {"-m,--model", "--design", "--mapping", "--mode", "--batch", "--json", "--phase", "--optimizer"}},
      {"generate", {"-m,--model", "--design", "-o,--output", "--seed"}},
      {"simulate", {"--design", "--simulator", "--seed", "--vectors", "--timeout"}},
      {"synth", {"--design", "--target", "--no-pnr"}},
      {"graph", {"-o,--output", "--svg", "--json", "--no-ip-check"}},
      {"import", {"-o,--output", "--weights-dir", "--seed", "--skip-unsupported", "--calibration-input"}},
      {"model", {"show"}},
      {"model show", {"--json", "--input-shape"}},
      {"lib", {"list", "show"}},
      {"lib list", {"kind"}},
      {"lib show", {"name"}},
      {"compile", {"-m,--model", "--design", "-o,--output", "--seed", "--prog-depth"}},
      {"validate", {"-o,--output", "--threads", "--suite", "--case", "--update-doc"}},
  };
  return cases;
}

}  // namespace

// The subcommands the top-level help lists (the first word of each line under "Subcommands:").
static std::vector<std::string> listedSubcommands(const std::string& help) {
  std::vector<std::string> names;
  std::istringstream in(help);
  bool inList = false;
  for (std::string line; std::getline(in, line);) {
    std::string lower = line;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return std::tolower(ch); });
    if (lower.rfind("subcommands:", 0) == 0) { inList = true; continue; }
    if (!inList) continue;
    if (line.empty() || line[0] != ' ') break;
    std::istringstream words(line);
    std::string first;
    if (words >> first) names.push_back(first);
  }
  return names;
}

TEST(Cli, HelpOnEverySubcommand) {
  auto top = test::runCli("--help");
  EXPECT_EQ(top.exitCode, 0);
  EXPECT_NE(top.out.find("Usage"), std::string::npos);
  // Every subcommand the binary has is in the table above (a new one cannot skip this check).
  const auto listed = listedSubcommands(top.out);
  EXPECT_GE(listed.size(), 10u) << top.out;
  for (const std::string& name : listed)
    EXPECT_TRUE(std::any_of(helpCases().begin(), helpCases().end(),
                            [&](const HelpCase& c) { return name == c.command; }))
        << "subcommand " << name << " is not in helpCases()";
  for (const HelpCase& c : helpCases()) {
    const std::string cmd = std::string(c.command) + " --help";
    auto r = test::runCli(cmd);
    EXPECT_EQ(r.exitCode, 0) << cmd;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << cmd;
    for (const char* o : c.options) EXPECT_NE(r.out.find(o), std::string::npos) << cmd << ": no " << o << "\n" << r.out;
    // One spelling shown: the budget is --budget-evals, the output folder --output.
    EXPECT_EQ(r.out.find("--budget "), std::string::npos) << cmd;
    EXPECT_EQ(r.out.find("--out "), std::string::npos) << cmd;
    // Top-level help lists the subcommand.
    const std::string first = std::string(c.command).substr(0, std::string(c.command).find(' '));
    EXPECT_NE(top.out.find(first), std::string::npos) << first;
  }
}

TEST(Cli, OneNameForTheSearchBudgetAndTheOutputFolder) {
  const auto dir = test::tempDir("cli-budget");
  // map's old spelling --budget is a hidden alias (not in the help above): same check, same value.
  auto r = test::runCli("map --model alexnet --design eyeriss_like --budget 10");
  EXPECT_EQ(r.exitCode, 2) << "below the range 100..2^40, like --budget-evals";
  r = test::runCli("map --model alexnet --design eyeriss_like --budget-evals 10");
  EXPECT_EQ(r.exitCode, 2);
  r = test::runCli("map --model alexnet --design eyeriss_like --budget 200 --threads 1 -o '" + (dir / "m").string() + "'");
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(dir / "m" / "mapping.json"));
  // explore takes the budget too: a tiny budget on a real constraint file still runs to a result.
  r = test::runCli("explore -m alexnet -c ultra96 --budget-evals 20 --threads 1 -o '" + (dir / "e").string() + "'");
  EXPECT_TRUE(r.exitCode == 0 || r.exitCode == 3) << r.err;
  EXPECT_TRUE(std::filesystem::exists(dir / "e" / "pareto.json")) << r.err;
}

// The model is -m/--model and the design --design on every subcommand that takes one; model show,
// import and graph also keep their positional form (before, they had only that).
TEST(Cli, ModelAndDesignHaveTheirOptionNamesOnEverySubcommand) {
  for (const char* cmd : {"model show -m alexnet", "model show --model alexnet", "model show alexnet"}) {
    auto r = test::runCli(cmd);
    EXPECT_EQ(r.exitCode, 0) << cmd << ": " << r.err;
    EXPECT_NE(r.out.find("conv1"), std::string::npos) << cmd;
  }
  for (const char* cmd : {"graph --design eyeriss_like", "graph eyeriss_like"}) {
    auto r = test::runCli(cmd);
    EXPECT_EQ(r.exitCode, 0) << cmd << ": " << r.err;
    EXPECT_NE(r.out.find("digraph"), std::string::npos) << cmd;
  }
  // import: the option reaches the same argument (a missing file is io.open, not cli.usage)
  auto r = test::runCli("import -m /nonexistent/x.onnx -o /nonexistent/x.json");
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(r.err.find("cli.usage"), std::string::npos) << r.err;
}

TEST(Cli, UsageErrorsExitTwoWithOneDiagnostic) {
  auto r = test::runCli("model show");
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(r.err.rfind("error[cli.usage]", 0), 0u) << r.err;
  r = test::runCli("frobnicate");
  EXPECT_EQ(r.exitCode, 2);
  r = test::runCli("lib list widgets");
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("error[cli.usage]"), std::string::npos);
}

TEST(Cli, BadModelFilesExitTwoNeverCrash) {
  auto dir = test::tempDir("cli-bad");
  struct Case { const char* text; const char* code; };
  const Case cases[] = {
      {"{\"schema_version\": 1,", "json.syntax"},
      {"[1,2]", "json.type"},
      {"{\"schema_version\": 9, \"name\": \"m\"}", "json.schema-version"},
      {"{\"schema_version\": 1, \"name\": \"m\", \"inputs\": [{\"name\":\"x\",\"shape\":[1,2,4,4]}], \"layers\": "
       "[{\"name\":\"a\",\"op\":\"add\",\"inputs\":[\"b\",\"x\"]},{\"name\":\"b\",\"op\":\"add\",\"inputs\":[\"a\",\"x\"]}]}",
       "model.cycle"},
      {"", "json.syntax"},
      {"\x01\x02garbage", "json.syntax"},
  };
  int i = 0;
  for (auto& c : cases) {
    auto f = test::writeFile(dir / ("m" + std::to_string(i++) + ".json"), c.text);
    auto r = test::runCli("model show '" + f.string() + "'");
    EXPECT_EQ(r.exitCode, 2) << c.text;
    EXPECT_NE(r.err.find(std::string("error[") + c.code + "]"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(f.string()), std::string::npos) << "diagnostic names the file: " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "exactly one diagnostic line: " << r.err;
  }
  auto r = test::runCli("model show no_such_model");
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("error[lib.unknown-name]"), std::string::npos);
  r = test::runCli("model show '" + dir.string() + "'");
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("error[io.open]"), std::string::npos) << r.err;
}

TEST(Cli, ModelShowJsonHasLayersAndTotals) {
  auto dir = test::tempDir("cli-json");
  auto f = test::writeFile(dir / "m.json", R"({"schema_version":1,"name":"tiny","inputs":[{"name":"x","shape":[1,3,8,8]}],
    "layers":[{"name":"c1","op":"conv2d","inputs":["x"],"out_channels":4,"kernel":[3,3],"padding":[1,1,1,1]},
              {"name":"f","op":"flatten","inputs":["c1"]},{"name":"fc","op":"fc","inputs":["f"],"out_features":10}]})");
  auto r = test::runCli("model show --json '" + f.string() + "'");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  auto j = io::Json::parse(r.out);
  EXPECT_EQ(j["name"], "tiny");
  ASSERT_EQ(j["layers"].size(), 3u);
  EXPECT_EQ(j["layers"][0]["name"], "c1");
  EXPECT_EQ(j["layers"][0]["op"], "conv2d");
  EXPECT_EQ(j["layers"][0]["macs"], 4 * 3 * 8 * 8 * 9);
  EXPECT_EQ(j["layers"][2]["macs"], 256 * 10);
  EXPECT_EQ(j["total_macs"], 4 * 3 * 8 * 8 * 9 + 2560);
  EXPECT_EQ(j["layers"][0]["loops"]["K"], 4);
}

// --json [FILE] means the same on every command with a JSON form (model show, predict, graph):
// without FILE the JSON alone on stdout, with FILE the JSON there and the text on stdout.
TEST(Cli, JsonOptionHasOneMeaningOnEveryCommand) {
  auto dir = test::tempDir("cli-json-any");
  auto f = test::writeFile(dir / "m.json", R"({"schema_version":1,"name":"tiny","inputs":[{"name":"x","shape":[1,3,8,8]}],
    "layers":[{"name":"c1","op":"conv2d","inputs":["x"],"out_channels":4,"kernel":[3,3],"padding":[1,1,1,1]},
              {"name":"f","op":"flatten","inputs":["c1"]},{"name":"fc","op":"fc","inputs":["f"],"out_features":10}]})");
  const std::string model = "'" + f.string() + "'";
  struct Case {
    std::string command;  // without --json
    std::string textMark;  // in the text output, never in the JSON
  };
  const std::vector<Case> cases = {{"model show " + model, "total: "},
                                   {"predict --design eyeriss_like -m " + model, " on design "},
                                   {"graph eyeriss_like", "digraph"}};
  int i = 0;
  for (const Case& c : cases) {
    auto plain = test::runCli(c.command);
    ASSERT_EQ(plain.exitCode, 0) << c.command << ": " << plain.err;
    EXPECT_NE(plain.out.find(c.textMark), std::string::npos) << c.command << ":\n" << plain.out;
    // --json alone: stdout is the JSON and nothing else
    auto onStdout = test::runCli(c.command + " --json");
    ASSERT_EQ(onStdout.exitCode, 0) << c.command << " --json: " << onStdout.err;
    EXPECT_EQ(onStdout.out.find(c.textMark), std::string::npos) << c.command << " --json:\n" << onStdout.out;
    io::Json printed;
    ASSERT_NO_THROW(printed = io::Json::parse(onStdout.out)) << c.command << " --json:\n" << onStdout.out;
    // --json FILE: the same JSON in FILE, the text on stdout as without --json
    const auto file = dir / ("out" + std::to_string(i++) + ".json");
    auto toFile = test::runCli(c.command + " --json '" + file.string() + "'");
    ASSERT_EQ(toFile.exitCode, 0) << c.command << " --json FILE: " << toFile.err;
    EXPECT_EQ(toFile.out, plain.out) << c.command;
    auto written = io::readJsonFile(file);
    ASSERT_TRUE(written.ok()) << c.command;
    EXPECT_EQ(*written, printed) << c.command;
  }
}

TEST(Cli, PredictTrainingShowsThePassesAndInferenceDoesNot) {
  auto dir = test::tempDir("cli-training");
  auto f = test::writeFile(dir / "m.json", R"({"schema_version":1,"name":"tiny","inputs":[{"name":"x","shape":[1,3,8,8]}],
    "layers":[{"name":"c1","op":"conv2d","inputs":["x"],"out_channels":4,"kernel":[3,3],"padding":[1,1,1,1],"activation":"relu"},
              {"name":"f","op":"flatten","inputs":["c1"]},{"name":"fc","op":"fc","inputs":["f"],"out_features":10}]})");
  auto t = test::runCli("predict --design eyeriss_like --phase training --optimizer adam --batch 2 -m '" + f.string() +
                        "' --json '" + (dir / "t.json").string() + "'");
  ASSERT_EQ(t.exitCode, 0) << t.err;
  for (const char* row : {"c1 ", "c1.act_grad", "c1.bwd_weight", "fc.bwd_data", "fc.bwd_weight", "fc.update", "adam"})
    EXPECT_NE(t.out.find(row), std::string::npos) << row << "\n" << t.out;
  EXPECT_EQ(t.out.find("c1.bwd_data"), std::string::npos) << "the model input needs no gradient";
  auto j = *io::readJsonFile(dir / "t.json");
  EXPECT_EQ(j["phase"], "training");
  EXPECT_EQ(j["batch"], 2);
  EXPECT_EQ(j["training"]["passes"]["bwd_weight"]["macs"], 2 * (4 * 3 * 8 * 8 * 9 + 2560));
  EXPECT_EQ(j["training"]["parameters"], 4 * 3 * 9 + 4 + 2560 + 10);
  for (const auto& l : j["layers"]) EXPECT_TRUE(l.contains("pass"));
  auto i = test::runCli("predict --design eyeriss_like --batch 2 -m '" + f.string() + "' --json '" +
                        (dir / "i.json").string() + "'");
  ASSERT_EQ(i.exitCode, 0) << i.err;
  auto k = *io::readJsonFile(dir / "i.json");
  EXPECT_FALSE(k.contains("phase"));
  EXPECT_FALSE(k.contains("training"));
  for (const auto& l : k["layers"]) EXPECT_FALSE(l.contains("pass"));
}

namespace {
std::filesystem::path tinyTrainingModel(const std::filesystem::path& dir) {
  return test::writeFile(dir / "m.json", R"({"schema_version":1,"name":"tiny","inputs":[{"name":"x","shape":[1,3,8,8]}],
    "layers":[{"name":"c1","op":"conv2d","inputs":["x"],"out_channels":4,"kernel":[3,3],"padding":[1,1,1,1],"activation":"relu"},
              {"name":"f","op":"flatten","inputs":["c1"]},{"name":"fc","op":"fc","inputs":["f"],"out_features":10}]})");
}
}  // namespace

// build --phase training: the generated engine has no backward datapath, so one coded diagnostic,
// exit 2 and nothing written (the output folder is not even created).
TEST(Cli, BuildRefusesATrainingStepWithOneDiagnostic) {
  auto dir = test::tempDir("cli-build-training");
  auto f = tinyTrainingModel(dir);
  auto r = test::runCli("build --phase training -m '" + f.string() + "' -c ultra96 --no-synth -o '" +
                        (dir / "out").string() + "'");
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_NE(r.err.find("flow.training-unsupported"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "out"));
}

// explore --phase training --batch N: the search's outputs are the training step's.
TEST(Cli, ExploreTrainingStepWritesItsPhase) {
  auto dir = test::tempDir("cli-explore-training");
  auto f = tinyTrainingModel(dir);
  auto r = test::runCli("explore --phase training --optimizer sgd --batch 4 -m '" + f.string() +
                        "' -c ultra96 --budget-evals 200 --threads 1 -o '" + (dir / "e").string() + "'");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("samples/s"), std::string::npos) << r.out;
  auto p = *io::readJsonFile(dir / "e" / "pareto.json");
  EXPECT_EQ(p["phase"], "training");
  EXPECT_EQ(p["optimizer"], "sgd");
  EXPECT_EQ(p["batch"], 4);
  auto w = *io::readJsonFile(dir / "e" / "best" / "prediction.json");
  EXPECT_EQ(w["phase"], "training");
  EXPECT_EQ(w["training"]["passes"]["bwd_weight"]["macs"], 4 * (4 * 3 * 8 * 8 * 9 + 2560));
}

// A training step on an fp32 design costs each MAC at the fp32 IP's energy (ip_library/mac_fp32.json,
// 4.6 pJ at 45 nm, x 1.6 at the design's 65 nm) and the vector passes at the fp32 adder's.
TEST(Cli, TrainingStepOnAnFp32DesignUsesTheFloatingPointIps) {
  auto dir = test::tempDir("cli-fp32-training");
  auto f = tinyTrainingModel(dir);
  const std::string design = std::string(DNNCHIP_SOURCE_DIR) + "/tests/e2e/training/eyeriss_fp32_train.json";
  auto r = test::runCli("predict --design '" + design + "' --phase training --batch 2 -m '" + f.string() +
                        "' --json '" + (dir / "t.json").string() + "'");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  auto j = *io::readJsonFile(dir / "t.json");
  double macs = 0, arrayPj = 0, vops = 0, gradPj = 0;
  for (const auto& l : j["layers"]) {
    macs += l.value("macs", 0.0);
    vops += l.value("vector_ops", 0.0);
    if (l.contains("energy_by_node_pj")) {
      arrayPj += l["energy_by_node_pj"].value("pe_array", 0.0);
      gradPj += l["energy_by_node_pj"].value("grad_unit", 0.0);
    }
  }
  ASSERT_GT(macs, 0);
  ASSERT_GT(vops, 0);
  EXPECT_NEAR(arrayPj / macs, 4.6 * 1.6, 1e-6);
  EXPECT_NEAR(gradPj / vops, 0.9 * 1.6, 1e-6);
}

TEST(Cli, LibListIpsShowsOnlyIps) {
  auto r = test::runCli("lib list ips");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("mac_int8"), std::string::npos);
  EXPECT_EQ(r.out.find("technology"), std::string::npos) << "the node-scaling table is not an IP: " << r.out;
}

TEST(Cli, LibShowPrintsTheJsonAloneAndAsksForTheKindOfASharedName) {
  auto r = test::runCli("lib show constraints ultra96");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  auto j = io::Json::parse(r.out);  // stdout is the file alone: `> mine.json` reads back
  EXPECT_EQ(j["platform"], "ultra96");
  EXPECT_NE(r.err.find("designs/constraints/ultra96.json"), std::string::npos) << r.err;
  r = test::runCli("lib show platforms ultra96");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(io::Json::parse(r.out)["family"], "xcup");
  r = test::runCli("lib show ultra96");
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(r.err.rfind("error[lib.ambiguous-name]", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("lib show constraints ultra96"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  r = test::runCli("lib show models ultra96");
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("error[lib.unknown-name]"), std::string::npos) << r.err;
  r = test::runCli("lib show widgets resnet18");
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("error[cli.usage]"), std::string::npos) << r.err;
}
