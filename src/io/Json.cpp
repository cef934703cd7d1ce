// JSON reading with located diagnostics. Text is parsed with nlohmann's SAX parser (iterative)
// into a DOM built here, so two things hold for any input, however hostile: nesting deeper than
// kMaxJsonDepth stops the parse (json.depth) before the DOM exists, which keeps every later
// recursive walk or copy of a value (params, mapping roots, dumps) shallow; and every error the
// parser reports - syntax (json.syntax), a number beyond double range such as 1e309
// (value.range) - becomes one diagnostic with the line and column computed from the byte offset,
// never an exception. Every typed accessor checks type and range and names the JSON pointer of the
// offending value. Cost: one pass over the text, O(depth) extra memory.

#include "dnnchip/io/Json.h"

#include <cmath>
#include <new>
#include <sstream>

#include "dnnchip/io/Files.h"

namespace dnnchip::io {

namespace {

std::string typeName(const Json& v) { return std::string(v.type_name()); }

std::string lineColumn(std::string_view text, size_t byteOffset) {
  size_t line = 1, col = 1;
  for (size_t i = 0; i < text.size() && i + 1 < byteOffset; ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return std::to_string(line) + ":" + std::to_string(col);
}

std::string numberText(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

}  // namespace

std::string escapePointerToken(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

namespace {

// Builds the DOM from SAX events with a depth limit, and records the first error with its byte
// offset instead of throwing. The stack holds the open containers; each is the last element of
// its parent, which does not grow while the child is open, so the pointers stay valid.
class DomBuilder final : public nlohmann::json_sax<Json> {
 public:
  explicit DomBuilder(Json& root) : root_(root) {}

  bool null() override { return put(nullptr) != nullptr; }
  bool boolean(bool v) override { return put(v) != nullptr; }
  bool number_integer(number_integer_t v) override { return put(v) != nullptr; }
  bool number_unsigned(number_unsigned_t v) override { return put(v) != nullptr; }
  bool number_float(number_float_t v, const string_t&) override { return put(v) != nullptr; }
  bool string(string_t& v) override { return put(std::move(v)) != nullptr; }
  bool binary(binary_t&) override { return fail("json.syntax", "binary values are not JSON"); }
  bool start_object(std::size_t) override { return open(Json::object()); }
  bool key(string_t& k) override {
    key_ = std::move(k);
    return true;
  }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(Json::array()); }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t position, const std::string&, const Json::exception& ex) override {
    // nlohmann's message starts with "[json.exception.parse_error.101] parse error at line ...";
    // an out-of-range number (406, e.g. 1e309) is a range problem, everything else syntax.
    std::string what = ex.what();
    auto pos = what.find("] ");
    std::string detail = pos == std::string::npos ? what : what.substr(pos + 2);
    const bool range = dynamic_cast<const Json::out_of_range*>(&ex) != nullptr;
    position_ = position;
    return fail(range ? "value.range" : "json.syntax",
                range ? detail + " (beyond the range of a double)" : "malformed JSON: " + detail);
  }

  const std::optional<std::pair<std::string, std::string>>& error() const { return error_; }
  std::size_t position() const { return position_; }
  void setPosition(std::size_t p) { position_ = p; }

 private:
  template <class V>
  Json* put(V&& v) {
    if (stack_.empty()) {
      root_ = Json(std::forward<V>(v));
      return &root_;
    }
    Json& parent = *stack_.back();
    if (parent.is_array()) {
      parent.emplace_back(std::forward<V>(v));
      return &parent.back();
    }
    Json& slot = parent[key_];
    slot = Json(std::forward<V>(v));
    return &slot;
  }
  bool open(Json container) {
    if (stack_.size() >= kMaxJsonDepth)
      return fail("json.depth", "values are nested more than " + std::to_string(kMaxJsonDepth) + " levels deep");
    stack_.push_back(put(std::move(container)));
    return true;
  }
  bool close() {
    stack_.pop_back();
    return true;
  }
  bool fail(std::string code, std::string message) {
    if (!error_) error_.emplace(std::move(code), std::move(message));
    return false;
  }

  Json& root_;
  std::vector<Json*> stack_;
  std::string key_;
  std::optional<std::pair<std::string, std::string>> error_;
  std::size_t position_ = 0;
};

// Counts bytes the parser consumed until it stopped at a depth error: the SAX interface gives no
// position for container starts, so it is found by scanning to the (kMaxJsonDepth + 1)-th open
// bracket outside strings.
std::size_t depthErrorOffset(std::string_view text) {
  std::size_t depth = 0;
  bool inString = false, escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') inString = false;
    } else if (c == '"') {
      inString = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) return i + 1;
    } else if (c == ']' || c == '}') {
      if (depth) --depth;
    }
  }
  return text.size();
}

}  // namespace

diag::Expected<Json> parseJson(std::string_view text, const std::string& name) {
  Json root;
  DomBuilder builder(root);
  bool ok = false;
  try {
    ok = Json::sax_parse(text.begin(), text.end(), &builder);
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    // The SAX path reports its errors through parse_error; this is a safety net for anything
    // else nlohmann may throw (a malformed input adapter), still a located diagnostic.
    return diag::error("json.syntax", {name, "1:1"}, std::string("malformed JSON: ") + e.what(),
                       "fix the file (a JSON linter helps)");
  }
  if (ok) return root;
  auto err = builder.error().value_or(std::pair<std::string, std::string>{"json.syntax", "malformed JSON"});
  if (err.first == "json.depth") builder.setPosition(depthErrorOffset(text));
  const char* hint = err.first == "json.depth"
                         ? "no dnnchip file nests that deep: the file is damaged or not the expected format"
                     : err.first == "value.range" ? "write a number within about 1.8e308 in magnitude"
                                                  : "fix the syntax at that line and column (a JSON linter helps)";
  return diag::error(err.first, {name, lineColumn(text, builder.position())}, err.second, hint);
}

diag::Expected<Json> readJsonFile(const std::filesystem::path& path) {
  auto text = readTextFile(path);
  if (!text) return text.error();
  return parseJson(*text, path.string());
}

bool JsonView::has(std::string_view key) const {
  return v_->is_object() && v_->contains(std::string(key));
}

JsonView JsonView::child(const Json& v, std::string_view token) const {
  return JsonView(v, file_, ptr_ + "/" + escapePointerToken(token));
}

void JsonView::fail(std::string code, std::string message, std::string hint) const {
  diag::fail(std::move(code), location(), std::move(message), std::move(hint));
}

JsonView JsonView::at(std::string_view key) const {
  if (!v_->is_object())
    fail("json.type", "expected an object here, found " + typeName(*v_),
         "see docs/formats.md for the expected structure");
  auto it = v_->find(std::string(key));
  if (it == v_->end())
    fail("json.missing-field", "required field \"" + std::string(key) + "\" is missing",
         "add \"" + std::string(key) + "\" (see docs/formats.md)");
  return child(*it, key);
}

std::optional<JsonView> JsonView::find(std::string_view key) const {
  if (!v_->is_object())
    fail("json.type", "expected an object here, found " + typeName(*v_),
         "see docs/formats.md for the expected structure");
  auto it = v_->find(std::string(key));
  if (it == v_->end()) return std::nullopt;
  return child(*it, key);
}

std::vector<JsonView> JsonView::items() const {
  if (!v_->is_array())
    fail("json.type", "expected an array here, found " + typeName(*v_),
         "write a JSON array [...]");
  std::vector<JsonView> out;
  out.reserve(v_->size());
  for (size_t i = 0; i < v_->size(); ++i) out.push_back(child((*v_)[i], std::to_string(i)));
  return out;
}

std::vector<std::pair<std::string, JsonView>> JsonView::members() const {
  if (!v_->is_object())
    fail("json.type", "expected an object here, found " + typeName(*v_),
         "write a JSON object {...}");
  std::vector<std::pair<std::string, JsonView>> out;
  for (auto it = v_->begin(); it != v_->end(); ++it) out.emplace_back(it.key(), child(it.value(), it.key()));
  return out;
}

std::string JsonView::asString() const {
  if (!v_->is_string()) fail("json.type", "expected a string, found " + typeName(*v_), "quote the value");
  return v_->get<std::string>();
}

bool JsonView::asBool() const {
  if (!v_->is_boolean()) fail("json.type", "expected true or false, found " + typeName(*v_), "write true or false");
  return v_->get<bool>();
}

int64_t JsonView::asInt(int64_t min, int64_t max) const {
  if (!v_->is_number_integer() && !v_->is_number_unsigned()) {
    if (v_->is_number_float()) {
      double d = v_->get<double>();
      if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15) {
        auto i = static_cast<int64_t>(d);
        if (i < min || i > max)
          fail("value.range", "value " + std::to_string(i) + " is outside [" + std::to_string(min) +
                                  ", " + std::to_string(max) + "]",
               "use a value in that range");
        return i;
      }
    }
    fail("json.type", "expected an integer, found " + typeName(*v_), "write a whole number");
  }
  if (v_->is_number_unsigned() && v_->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))
    fail("value.range", "integer is too large", "use a value below 2^63");
  int64_t i = v_->get<int64_t>();
  if (i < min || i > max)
    fail("value.range", "value " + std::to_string(i) + " is outside [" + std::to_string(min) + ", " +
                            std::to_string(max) + "]",
         "use a value in that range");
  return i;
}

double JsonView::asNumber(double min, double max) const {
  if (!v_->is_number()) fail("json.type", "expected a number, found " + typeName(*v_), "write a number");
  double d = v_->get<double>();
  if (!std::isfinite(d) || d < min || d > max)
    fail("value.range", "value " + numberText(d) + " is outside [" + numberText(min) + ", " + numberText(max) + "]",
         "use a value in that range");
  return d;
}

std::vector<int64_t> JsonView::asIntArray(int64_t min, int64_t max, std::optional<size_t> size) const {
  auto elems = items();
  if (size && elems.size() != *size)
    fail("value.shape", "expected " + std::to_string(*size) + " integers, found " + std::to_string(elems.size()),
         "give exactly " + std::to_string(*size) + " values");
  std::vector<int64_t> out;
  out.reserve(elems.size());
  for (auto& e : elems) out.push_back(e.asInt(min, max));
  return out;
}

std::vector<std::string> JsonView::asStringArray() const {
  std::vector<std::string> out;
  for (auto& e : items()) out.push_back(e.asString());
  return out;
}

double JsonView::asSourcedNumber(double min, double max) const {
  if (!v_->is_object() || !has("value") || (!has("source") && !has("estimate")))
    fail("ip.unsourced",
         "a number here must carry its origin: {\"value\": v, \"source\": \"...\"} or "
         "{\"value\": v, \"estimate\": \"reasoning\"}",
         "add the paper, datasheet or tool output it comes from, or mark it as an estimate");
  rejectUnknown({"value", "unit", "source", "estimate", "note"});
  const JsonView origin = has("source") ? at("source") : at("estimate");
  if (origin.asString().size() < 4)
    origin.fail("ip.unsourced", "the source or estimate text is empty or too short",
                "say where the number comes from");
  return at("value").asNumber(min, max);
}

void JsonView::forEachSourcedNumber(const std::function<void(const JsonView&)>& onSourced) const {
  if (v_->is_object()) {
    if (v_->contains("value")) {
      onSourced(*this);
      return;
    }
    for (auto& [k, c] : members())
      if (!(ptr_.empty() && k == "schema_version")) c.forEachSourcedNumber(onSourced);
  } else if (v_->is_array()) {
    for (auto& e : items()) e.forEachSourcedNumber(onSourced);
  } else if (v_->is_number()) {
    fail("ip.unsourced",
         "a bare number: every number must carry its origin, {\"value\": v, \"source\": \"...\"} or "
         "{\"value\": v, \"estimate\": \"reasoning\"}",
         "wrap it with the paper, datasheet or tool output it comes from, or mark it as an estimate");
  }
}

void JsonView::rejectBareNumbers() const {
  forEachSourcedNumber([](const JsonView& n) { n.asSourcedNumber(); });
}

void JsonView::rejectUnknown(std::initializer_list<std::string_view> known) const {
  rejectUnknown(std::vector<std::string>(known.begin(), known.end()));
}

void JsonView::rejectUnknown(const std::vector<std::string>& known) const {
  if (!v_->is_object()) return;
  for (auto it = v_->begin(); it != v_->end(); ++it) {
    bool ok = false;
    for (auto& k : known) ok = ok || it.key() == k;
    if (!ok) {
      std::string list;
      for (auto& k : known) list += (list.empty() ? "" : ", ") + k;
      child(it.value(), it.key())
          .fail("json.unknown-field", "unknown field \"" + it.key() + "\"",
                "remove it or use one of: " + list);
    }
  }
}

void JsonView::requireSchemaVersion(int expected) const {
  auto v = find("schema_version");
  if (!v)
    fail("json.schema-version", "\"schema_version\" is missing",
         "add \"schema_version\": " + std::to_string(expected));
  int64_t got = v->asInt();
  if (got != expected)
    v->fail("json.schema-version",
            "schema_version " + std::to_string(got) + " is not supported (this dnnchip reads " +
                std::to_string(expected) + ")",
            "convert the file to schema_version " + std::to_string(expected) + " (docs/formats.md)");
}

}  // namespace dnnchip::io
