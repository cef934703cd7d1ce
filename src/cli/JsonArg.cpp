// The --json [FILE] option of every command with a JSON form of its result (model show, predict,
// graph): one spelling, one meaning. Without FILE the JSON replaces the command's text on stdout
// (`> out.json` reads back); with FILE it is written there atomically and the text stays on stdout.

#include <cstdio>

#include "Command.h"
#include "dnnchip/io/Files.h"

namespace dnnchip::cli {

void addJsonOption(CLI::App* cmd, JsonArg& a, const std::string& what) {
  a.option = cmd->add_option("--json", a.file,
                             what + " as JSON: on stdout instead of the text, or written to FILE when given")
                 ->expected(0, 1)
                 ->type_name("[FILE]");
}

diag::Status JsonArg::emit(const io::Json& j) const {
  if (!requested()) return diag::Status::success();
  const std::string text = j.dump(2) + "\n";
  if (file.empty()) {
    std::fputs(text.c_str(), stdout);
    return diag::Status::success();
  }
  return io::writeFileAtomic(file, text);
}

}  // namespace dnnchip::cli
