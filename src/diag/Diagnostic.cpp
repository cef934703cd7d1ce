// Diagnostic formatting and constructors. The format is stable and parsed by tests and by users'
// scripts: "<severity>[<code>]: <file>:<pointer>: <message>; <hint>".

#include "dnnchip/diag/Diagnostic.h"

namespace dnnchip::diag {

namespace {
const char* severityName(Severity s) {
  switch (s) {
    case Severity::Note: return "note";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
  }
  return "error";
}
}  // namespace

std::string Diagnostic::format() const {
  std::string out = severityName(severity);
  out += "[" + code + "]: ";
  if (!location.file.empty()) {
    out += location.file;
    out += location.pointer.empty() ? ": " : ":" + location.pointer + ": ";
  } else if (!location.pointer.empty()) {
    out += location.pointer + ": ";
  }
  out += message;
  if (!hint.empty()) out += "; " + hint;
  return out;
}

Diagnostic error(std::string code, Location loc, std::string message, std::string hint) {
  return Diagnostic{Severity::Error, std::move(code), std::move(loc), std::move(message),
                    std::move(hint)};
}

void fail(std::string code, Location loc, std::string message, std::string hint) {
  throw DiagnosticError(error(std::move(code), std::move(loc), std::move(message), std::move(hint)));
}

}  // namespace dnnchip::diag
