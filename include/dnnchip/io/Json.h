#pragma once
/// \file
/// Reading JSON input files with precise diagnostics. A JsonView is a value inside a parsed
/// document together with its file name and JSON pointer, so every complaint names where it is.
/// Parsing code calls the typed accessors, which throw diag::DiagnosticError on bad input; the
/// loader's public function converts that into an Expected with diag::capture().

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "dnnchip/diag/Diagnostic.h"

namespace dnnchip::io {

using Json = nlohmann::ordered_json;

/// Deepest nesting of arrays and objects a JSON input may have. dnnchip's formats nest fewer than
/// ten levels; the limit keeps every recursive walk or copy of a parsed value shallow.
inline constexpr std::size_t kMaxJsonDepth = 64;

/// Parses `path`. Errors: io.open (missing/unreadable), json.syntax (with line and column),
/// json.depth (nested deeper than kMaxJsonDepth), value.range (a number beyond double range).
diag::Expected<Json> readJsonFile(const std::filesystem::path& path);

/// Parses text that came from `nameForDiagnostics` (the diagnostics of readJsonFile; never
/// throws on any input).
diag::Expected<Json> parseJson(std::string_view text, const std::string& nameForDiagnostics);

/// A located view of a Json value: it refers to the value (not owned), which must outlive the
/// view and every view derived from it, so a temporary Json is rejected.
class JsonView {
 public:
  JsonView(const Json& value, std::string file, std::string pointer = "")
      : v_(&value), file_(std::move(file)), ptr_(std::move(pointer)) {}
  JsonView(const Json&& value, std::string file, std::string pointer = "") = delete;

  const Json& raw() const { return *v_; }
  const std::string& file() const { return file_; }
  const std::string& pointer() const { return ptr_; }
  diag::Location location() const { return {file_, ptr_.empty() ? "/" : ptr_}; }

  bool isObject() const { return v_->is_object(); }
  bool isArray() const { return v_->is_array(); }
  bool isString() const { return v_->is_string(); }
  bool isNumber() const { return v_->is_number(); }
  bool has(std::string_view key) const;

  /// Required member (json.missing-field if absent; json.type if this is not an object).
  JsonView at(std::string_view key) const;
  /// Optional member.
  std::optional<JsonView> find(std::string_view key) const;
  /// Array elements (json.type if not an array).
  std::vector<JsonView> items() const;
  /// Object members in file order (json.type if not an object).
  std::vector<std::pair<std::string, JsonView>> members() const;

  std::string asString() const;
  bool asBool() const;
  /// Integer in [min, max] (json.type, value.range).
  int64_t asInt(int64_t min = INT64_MIN, int64_t max = INT64_MAX) const;
  /// Finite number in [min, max] (json.type, value.range).
  double asNumber(double min = -1e300, double max = 1e300) const;
  /// Array of integers, each in [min, max]; `size` if given must match (value.shape).
  std::vector<int64_t> asIntArray(int64_t min = INT64_MIN, int64_t max = INT64_MAX,
                                  std::optional<size_t> size = std::nullopt) const;
  std::vector<std::string> asStringArray() const;

  /// A sourced number: either a bare object {"value": v, "source": "..."} or
  /// {"value": v, "estimate": "reasoning"}. Anything else is ip.unsourced.
  double asSourcedNumber(double min = -1e300, double max = 1e300) const;

  /// Walks this document: every object with a "value" must be a sourced number and is handed to
  /// `onSourced` (not descended into); any other number, except the top-level "schema_version",
  /// is a bare number (ip.unsourced). The one rule of the IP library, technology table and
  /// platform files ("every number carries its origin").
  void forEachSourcedNumber(const std::function<void(const JsonView&)>& onSourced) const;
  /// forEachSourcedNumber that only checks each sourced number (asSourcedNumber).
  void rejectBareNumbers() const;

  /// json.unknown-field for any member not in `known` (catches typos such as "strid").
  void rejectUnknown(std::initializer_list<std::string_view> known) const;
  void rejectUnknown(const std::vector<std::string>& known) const;

  /// Checks "schema_version" is present and equals `expected` (json.schema-version).
  void requireSchemaVersion(int expected) const;

  [[noreturn]] void fail(std::string code, std::string message, std::string hint = {}) const;

 private:
  JsonView child(const Json& v, std::string_view token) const;
  const Json* v_;
  std::string file_;
  std::string ptr_;
};

/// Escapes a JSON pointer token (RFC 6901).
std::string escapePointerToken(std::string_view token);

}  // namespace dnnchip::io
