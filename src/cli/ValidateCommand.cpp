// `dnnchip validate [--suite DIR] [--case NAME] [-o FILE] [--update-doc FILE] [--threads N]`: run
// the validation suite against published silicon (docs/validation.md) in coarse mode with each
// case's seeded mapping policy and print predicted vs measured per row, with mean and worst
// error. -o writes the report (JSON if FILE ends in .json, else the Markdown table);
// --update-doc rewrites the table between the validate:begin/end markers of FILE. Exit 0 when
// every row is inside its stored tolerance, 3 when one is not, 2 on a bad case file.

#include <cstdio>
#include <memory>
#include <string>

#include "Command.h"
#include "dnnchip/io/DataPaths.h"
#include "dnnchip/io/Files.h"
#include "dnnchip/validate/ValidationRun.h"

namespace dnnchip::cli {

namespace {

struct ValidateArgs {
  std::string suite, only, out, doc;
  int threads = 0;
};

int runValidate(const ValidateArgs& a) {
  std::filesystem::path suite = a.suite;
  if (suite.empty()) {
    auto root = io::dataRoot();
    if (!root) return reportError(root.error());
    suite = *root / "designs" / "validation";
  }
  validate::RunOptions opt;
  opt.threads = a.threads;
  auto rep = validate::runSuite(suite, a.only, opt);
  if (!rep) return reportError(rep.error());
  for (const std::string& s : rep->skipped)
    std::fprintf(stderr, "note: %s/%s has no case.json (not a published-silicon case); skipped\n",
                 suite.string().c_str(), s.c_str());
  std::fputs(validate::formatTable(*rep).c_str(), stdout);
  if (!a.out.empty()) {
    const bool json = std::filesystem::path(a.out).extension() == ".json";
    const std::string text = json ? validate::toJson(*rep).dump(2) + "\n" : validate::formatMarkdown(*rep);
    if (auto s = io::writeFileAtomic(a.out, text); !s) return reportError(s.error());
  }
  if (!a.doc.empty()) {
    auto doc = io::readTextFile(a.doc);
    if (!doc) return reportError(doc.error());
    auto updated = validate::replaceMarkedBlock(*doc, validate::formatMarkdown(*rep), a.doc);
    if (!updated) return reportError(updated.error());
    if (auto s = io::writeFileAtomic(a.doc, *updated); !s) return reportError(s.error());
  }
  return rep->outsideTolerance == 0 ? kExitOk : kExitInfeasible;
}

}  // namespace

void registerValidateCommand(CLI::App& app, Dispatch& dispatch) {
  auto args = std::make_shared<ValidateArgs>();
  auto* cmd = app.add_subcommand("validate", "Compare predictions with published silicon measurements");
  cmd->add_option("--suite", args->suite, "Folder of validation cases (default designs/validation)");
  cmd->add_option("--case", args->only, "Run only this case (its folder name)");
  cmd->add_option("-o,--output", args->out, "Write the report: JSON if the name ends in .json, else Markdown");
  cmd->add_option("--update-doc", args->doc,
                  "Rewrite the table between <!-- validate:begin --> and <!-- validate:end --> in this file");
  cmd->add_option("--threads", args->threads, "Mapper threads (0 = all cores; results do not depend on it)")
      ->check(CLI::Range(0, 4096));
  cmd->callback([&dispatch, args] { dispatch.action = [args] { return runValidate(*args); }; });
}

}  // namespace dnnchip::cli
