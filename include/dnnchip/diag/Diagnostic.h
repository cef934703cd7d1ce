#pragma once
/// \file
/// Diagnostics: every user-facing problem is one Diagnostic with a severity, a stable code, a
/// location (file plus JSON pointer, or ONNX node name) and one sentence that says what to do.
/// Library code never prints or exits; it returns Expected<T>. The CLI prints and maps to exit 2.

#include <exception>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace dnnchip::diag {

enum class Severity { Note, Warning, Error };

/// Where a problem is. `file` may be empty (command-line input); `pointer` is an RFC 6901 JSON
/// pointer ("/layers/3/kernel"), an ONNX node name ("node 'Conv_12'"), or empty.
struct Location {
  std::string file;
  std::string pointer;
};

struct Diagnostic {
  Severity severity = Severity::Error;
  std::string code;     ///< stable identifier, e.g. "json.syntax"; listed in docs/diagnostics.md
  Location location;
  std::string message;  ///< what is wrong
  std::string hint;     ///< one sentence saying what to do

  /// "error[json.syntax]: file.json:/layers/3: message; hint"
  std::string format() const;
};

/// Thrown only inside parsing code (io/, loaders) and caught at the loader's public boundary,
/// where it becomes an Expected error. Never escapes the library's public API.
class DiagnosticError : public std::exception {
 public:
  explicit DiagnosticError(Diagnostic d) : diag_(std::move(d)) {}
  const Diagnostic& diagnostic() const { return diag_; }
  const char* what() const noexcept override { return diag_.message.c_str(); }

 private:
  Diagnostic diag_;
};

/// Convenience constructor for an error diagnostic.
Diagnostic error(std::string code, Location loc, std::string message, std::string hint = {});

/// [[noreturn]] helper for parsing code: throws DiagnosticError.
[[noreturn]] void fail(std::string code, Location loc, std::string message, std::string hint = {});

/// A value or the diagnostic that explains why there is none.
template <class T>
class Expected {
 public:
  Expected(T value) : v_(std::move(value)) {}                // NOLINT: implicit by design
  Expected(Diagnostic d) : v_(std::move(d)) {}               // NOLINT: implicit by design
  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Diagnostic& error() const { return std::get<Diagnostic>(v_); }

 private:
  std::variant<T, Diagnostic> v_;
};

/// Expected<void>: success or a diagnostic.
class Status {
 public:
  Status() = default;
  Status(Diagnostic d) : d_(std::move(d)) {}  // NOLINT: implicit by design
  static Status success() { return {}; }
  bool ok() const { return !d_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Diagnostic& error() const { return *d_; }

 private:
  std::optional<Diagnostic> d_;
};

/// Runs `f` (which may throw DiagnosticError) and converts the outcome into Expected<T>.
template <class F>
auto capture(F&& f) -> Expected<decltype(f())> {
  try {
    return f();
  } catch (const DiagnosticError& e) {
    return e.diagnostic();
  }
}

/// Collects warnings and notes during a run (errors stop the run and travel as Expected).
class DiagnosticSink {
 public:
  void report(Diagnostic d) { items_.push_back(std::move(d)); }
  const std::vector<Diagnostic>& items() const { return items_; }

 private:
  std::vector<Diagnostic> items_;
};

}  // namespace dnnchip::diag
