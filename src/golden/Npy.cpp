// NumPy .npy reader and writer. Format (numpy/lib/format.py): magic "\x93NUMPY", major, minor
// version bytes, a little-endian header length (2 bytes in 1.0, 4 bytes in 2.0/3.0), then an ASCII
// (3.0: UTF-8) Python dict literal {'descr': ..., 'fortran_order': ..., 'shape': (...), } padded
// with spaces and a newline, then the raw C-ordered elements. The dict parser accepts exactly the
// Python literals numpy writes (quoted strings, True/False, tuples of integers) in any key order.
// Cost O(bytes). Limits: int8 and little-endian int32 only; Fortran order is rejected.

#include "dnnchip/golden/Npy.h"

#include <cctype>
#include <cstring>
#include <map>

#include "dnnchip/io/Files.h"

namespace dnnchip::golden {
namespace {

constexpr char kMagic[] = "\x93NUMPY";

struct Header {
  std::string descr;
  bool fortran = false;
  Shape shape;
};

class DictParser {
 public:
  DictParser(std::string_view text, const std::string& file) : t_(text), file_(file) {}

  Header parse() {
    Header h;
    bool haveDescr = false, haveOrder = false, haveShape = false;
    skip();
    expect('{');
    for (;;) {
      skip();
      if (peek() == '}') { ++i_; break; }
      std::string key = quoted();
      skip();
      expect(':');
      skip();
      if (key == "descr") { h.descr = quoted(); haveDescr = true; }
      else if (key == "fortran_order") { h.fortran = boolean(); haveOrder = true; }
      else if (key == "shape") { h.shape = tuple(); haveShape = true; }
      else bad("unknown header key '" + key + "'");
      skip();
      if (peek() == ',') { ++i_; continue; }
      skip();
      if (peek() == '}') { ++i_; break; }
      bad("expected ',' or '}'");
    }
    if (!haveDescr || !haveOrder || !haveShape) bad("header lacks descr, fortran_order or shape");
    return h;
  }

 private:
  char peek() const { return i_ < t_.size() ? t_[i_] : '\0'; }
  void skip() { while (i_ < t_.size() && std::isspace(static_cast<unsigned char>(t_[i_]))) ++i_; }
  void expect(char c) { if (peek() != c) bad(std::string("expected '") + c + "'"); ++i_; }
  [[noreturn]] void bad(const std::string& what) const {
    diag::fail("npy.header", {file_, ""}, "malformed .npy header: " + what,
               "write the file with numpy.save (or dnnchip) so the header is a standard dict");
  }
  std::string quoted() {
    char q = peek();
    if (q != '\'' && q != '"') bad("expected a quoted string");
    ++i_;
    size_t start = i_;
    while (i_ < t_.size() && t_[i_] != q) ++i_;
    if (i_ >= t_.size()) bad("unterminated string");
    return std::string(t_.substr(start, i_++ - start));
  }
  bool boolean() {
    if (t_.substr(i_, 4) == "True") { i_ += 4; return true; }
    if (t_.substr(i_, 5) == "False") { i_ += 5; return false; }
    bad("expected True or False");
  }
  Shape tuple() {
    expect('(');
    Shape s;
    for (;;) {
      skip();
      if (peek() == ')') { ++i_; break; }
      if (!std::isdigit(static_cast<unsigned char>(peek()))) bad("expected a dimension");
      int64_t v = 0;
      while (std::isdigit(static_cast<unsigned char>(peek()))) {
        v = v * 10 + (t_[i_++] - '0');
        if (v > (int64_t{1} << 40)) bad("dimension too large");
      }
      if (peek() == 'L') ++i_;  // Python 2 long suffix
      s.push_back(v);
      skip();
      if (peek() == ',') { ++i_; continue; }
      skip();
      if (peek() == ')') { ++i_; break; }
      bad("expected ',' or ')'");
    }
    return s;
  }

  std::string_view t_;
  size_t i_ = 0;
  const std::string& file_;
};

uint32_t readLe(std::string_view b, size_t at, int n) {
  uint32_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[at + static_cast<size_t>(i)]);
  return v;
}

// Returns the parsed header and the offset of the data.
std::pair<Header, size_t> parseHeader(std::string_view bytes, const std::string& file) {
  if (bytes.size() < 10 || std::memcmp(bytes.data(), kMagic, 6) != 0)
    diag::fail("npy.not-npy", {file, ""}, "not a NumPy .npy file (the magic string \\x93NUMPY is missing)",
               "save the array with numpy.save(path, array)");
  const int major = static_cast<unsigned char>(bytes[6]);
  if (major < 1 || major > 3)
    diag::fail("npy.header", {file, ""}, "unsupported .npy format version " + std::to_string(major),
               "write format version 1.0, 2.0 or 3.0 (numpy.save does)");
  const int lenBytes = major == 1 ? 2 : 4;
  if (bytes.size() < static_cast<size_t>(8 + lenBytes))
    diag::fail("npy.truncated", {file, ""}, "the .npy header is truncated", "write the file again");
  const size_t headerLen = readLe(bytes, 8, lenBytes);
  const size_t dataAt = 8 + static_cast<size_t>(lenBytes) + headerLen;
  if (bytes.size() < dataAt)
    diag::fail("npy.truncated", {file, ""}, "the .npy header is truncated", "write the file again");
  Header h = DictParser(bytes.substr(8 + static_cast<size_t>(lenBytes), headerLen), file).parse();
  if (h.fortran)
    diag::fail("npy.header", {file, ""}, "the array is stored in Fortran order",
               "save a C-ordered array (numpy.ascontiguousarray)");
  return {h, dataAt};
}

std::string dtypeName(NpyDtype d) { return d == NpyDtype::Int8 ? "int8 ('|i1')" : "int32 ('<i4')"; }

template <class T>
Tensor<T> decode(std::string_view bytes, const std::string& file, NpyDtype want) {
  auto [h, at] = parseHeader(bytes, file);
  bool ok = want == NpyDtype::Int8 ? (h.descr == "|i1" || h.descr == "<i1" || h.descr == "i1" || h.descr == "b")
                                   : (h.descr == "<i4" || (h.descr == "=i4"));
  if (!ok)
    diag::fail("npy.dtype", {file, ""}, "element type '" + h.descr + "', expected " + dtypeName(want),
               "convert the array with .astype(numpy." + std::string(want == NpyDtype::Int8 ? "int8" : "int32") + ")");
  const int64_t count = workload::elementCount(h.shape);
  const size_t need = static_cast<size_t>(count) * sizeof(T);
  if (bytes.size() - at < need)
    diag::fail("npy.truncated", {file, ""},
               "the file holds " + std::to_string(bytes.size() - at) + " data bytes, shape " +
                   workload::shapeText(h.shape) + " needs " + std::to_string(need),
               "write the file again; it was cut short");
  Tensor<T> t;
  t.shape = h.shape;
  t.data.resize(static_cast<size_t>(count));
  for (size_t i = 0; i < t.data.size(); ++i) {
    if constexpr (sizeof(T) == 1) t.data[i] = static_cast<T>(bytes[at + i]);
    else t.data[i] = static_cast<T>(readLe(bytes, at + i * 4, 4));
  }
  return t;
}

template <class T>
std::string encode(const Tensor<T>& t, const char* descr) {
  std::string dict = std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': (";
  for (size_t i = 0; i < t.shape.size(); ++i) {
    dict += std::to_string(t.shape[i]);
    if (t.shape.size() == 1 || i + 1 < t.shape.size()) dict += ",";
    if (i + 1 < t.shape.size()) dict += " ";
  }
  dict += "), }";
  // Pad so that magic(6) + version(2) + length(2) + dict + '\n' is a multiple of 64.
  size_t total = 10 + dict.size() + 1;
  dict.append((64 - total % 64) % 64, ' ');
  dict += '\n';
  std::string out(kMagic, 6);
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(dict.size() & 0xff);
  out += static_cast<char>((dict.size() >> 8) & 0xff);
  out += dict;
  out.reserve(out.size() + t.data.size() * sizeof(T));
  for (T v : t.data) {
    uint32_t u = static_cast<uint32_t>(v);
    for (size_t b = 0; b < sizeof(T); ++b) out += static_cast<char>((u >> (8 * b)) & 0xff);
  }
  return out;
}

}  // namespace

std::string encodeNpy(const Tensor8& t) { return encode(t, "|i1"); }
std::string encodeNpy(const Tensor32& t) { return encode(t, "<i4"); }

diag::Expected<Tensor8> decodeNpyInt8(std::string_view bytes, const std::string& file) {
  return diag::capture([&] { return decode<int8_t>(bytes, file, NpyDtype::Int8); });
}
diag::Expected<Tensor32> decodeNpyInt32(std::string_view bytes, const std::string& file) {
  return diag::capture([&] { return decode<int32_t>(bytes, file, NpyDtype::Int32); });
}

diag::Expected<Tensor8> readNpyInt8(const std::filesystem::path& path) {
  auto bytes = io::readTextFile(path);
  if (!bytes) return bytes.error();
  return decodeNpyInt8(*bytes, path.string());
}
diag::Expected<Tensor32> readNpyInt32(const std::filesystem::path& path) {
  auto bytes = io::readTextFile(path);
  if (!bytes) return bytes.error();
  return decodeNpyInt32(*bytes, path.string());
}

diag::Status writeNpy(const std::filesystem::path& path, const Tensor8& t) {
  return io::writeFileAtomic(path, encodeNpy(t));
}
diag::Status writeNpy(const std::filesystem::path& path, const Tensor32& t) {
  return io::writeFileAtomic(path, encodeNpy(t));
}

diag::Status checkShape(const Shape& actual, const Shape& expected, const std::string& file,
                        const std::string& what) {
  if (actual == expected) return {};
  return diag::error("npy.shape", {file, ""},
                     what + " has shape " + workload::shapeText(actual) + ", expected " +
                         workload::shapeText(expected),
                     "save the array with shape " + workload::shapeText(expected));
}

}  // namespace dnnchip::golden
