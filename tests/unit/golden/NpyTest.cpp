// .npy reading and writing: round trips, files written by NumPy (/usr/bin/python3), and every
// npy.* diagnostic (wrong dtype, Fortran order, truncated data, not an .npy file, wrong shape).

#include "dnnchip/golden/Npy.h"

#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "TestSupport.h"
#include "dnnchip/io/Files.h"

using namespace dnnchip;
using namespace dnnchip::golden;

namespace {
int runPython(const std::string& script) {
  std::filesystem::path dir = test::tempDir("npy_py");
  test::writeFile(dir / "gen.py", script);
  return std::system(("/usr/bin/python3 " + (dir / "gen.py").string()).c_str());
}
}  // namespace

TEST(Npy, RoundTripInt8AndInt32) {
  Tensor8 a({2, 3, 1, 2}, {-128, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 127});
  auto ra = decodeNpyInt8(encodeNpy(a), "a.npy");
  ASSERT_TRUE(ra.ok()) << ra.error().format();
  EXPECT_EQ(*ra, a);
  Tensor32 b({3}, {INT32_MIN, -1, INT32_MAX});
  auto rb = decodeNpyInt32(encodeNpy(b), "b.npy");
  ASSERT_TRUE(rb.ok());
  EXPECT_EQ(*rb, b);
  std::string bytes = encodeNpy(b);
  EXPECT_EQ((bytes.size() - 3 * 4) % 64, 0u);  // header padded to 64 bytes
  EXPECT_NE(bytes.find("'shape': (3,)"), std::string::npos);
}

TEST(Npy, WritesFilesAtomically) {
  auto dir = test::tempDir("npy_write");
  Tensor8 a({2, 2}, {1, 2, 3, 4});
  ASSERT_TRUE(writeNpy(dir / "a.npy", a).ok());
  auto r = readNpyInt8(dir / "a.npy");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, a);
  EXPECT_EQ(readNpyInt8(dir / "missing.npy").error().code, "io.open");
}

TEST(Npy, ReadsNumpyWrittenFiles) {
  auto dir = test::tempDir("npy_numpy");
  std::string d = dir.string();
  ASSERT_EQ(runPython("import numpy as np\n"
                      "a = (np.arange(24, dtype=np.int64).reshape(2, 3, 4) * 11 - 128).astype(np.int8)\n"
                      "np.save('" + d + "/a.npy', a)\n"
                      "b = np.array([-2147483648, -7, 0, 2147483647], dtype=np.int32)\n"
                      "np.save('" + d + "/b.npy', b)\n"
                      "with open('" + d + "/v2.npy', 'wb') as f:\n"
                      "    np.lib.format.write_array(f, a, version=(2, 0))\n"
                      "np.save('" + d + "/f.npy', a.astype(np.float32))\n"
                      "np.save('" + d + "/fortran.npy', np.asfortranarray(a))\n"
                      "np.save('" + d + "/be.npy', b.astype('>i4'))\n"
                      "np.save('" + d + "/scalar.npy', np.int8(-5))\n"),
            0);
  auto a = readNpyInt8(dir / "a.npy");
  ASSERT_TRUE(a.ok()) << a.error().format();
  EXPECT_EQ(a->shape, (Shape{2, 3, 4}));
  for (int i = 0; i < 24; ++i) EXPECT_EQ(a->data[static_cast<size_t>(i)], static_cast<int8_t>(i * 11 - 128));
  auto v2 = readNpyInt8(dir / "v2.npy");
  ASSERT_TRUE(v2.ok()) << v2.error().format();
  EXPECT_EQ(*v2, *a);
  auto b = readNpyInt32(dir / "b.npy");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->data, (std::vector<int32_t>{INT32_MIN, -7, 0, INT32_MAX}));
  auto s = readNpyInt8(dir / "scalar.npy");
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->shape.empty());
  EXPECT_EQ(s->data, (std::vector<int8_t>{-5}));

  EXPECT_EQ(readNpyInt8(dir / "f.npy").error().code, "npy.dtype");
  EXPECT_EQ(readNpyInt32(dir / "a.npy").error().code, "npy.dtype");
  EXPECT_EQ(readNpyInt32(dir / "be.npy").error().code, "npy.dtype");
  EXPECT_EQ(readNpyInt8(dir / "fortran.npy").error().code, "npy.header");
}

TEST(Npy, NumpyReadsOurFiles) {
  auto dir = test::tempDir("npy_ours");
  ASSERT_TRUE(writeNpy(dir / "o.npy", Tensor8({2, 3}, {1, -2, 3, -4, 5, -128})).ok());
  ASSERT_TRUE(writeNpy(dir / "p.npy", Tensor32({2}, {-100000, 7})).ok());
  std::string d = dir.string();
  EXPECT_EQ(runPython("import numpy as np, sys\n"
                      "o = np.load('" + d + "/o.npy'); p = np.load('" + d + "/p.npy')\n"
                      "ok = o.dtype == np.int8 and o.shape == (2, 3) and o.tolist() == [[1, -2, 3], [-4, 5, -128]]\n"
                      "ok = ok and p.dtype == np.int32 and p.tolist() == [-100000, 7]\n"
                      "sys.exit(0 if ok else 1)\n"),
            0);
}

TEST(Npy, DiagnosesBadFiles) {
  EXPECT_EQ(decodeNpyInt8("hello world, not numpy", "x.npy").error().code, "npy.not-npy");
  EXPECT_EQ(decodeNpyInt8("", "x.npy").error().code, "npy.not-npy");
  std::string good = encodeNpy(Tensor8({4, 4}, std::vector<int8_t>(16, 1)));
  auto cut = decodeNpyInt8(std::string_view(good).substr(0, good.size() - 3), "cut.npy");
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.error().code, "npy.truncated");
  EXPECT_EQ(cut.error().location.file, "cut.npy");
  EXPECT_EQ(decodeNpyInt8(std::string_view(good).substr(0, 20), "h.npy").error().code, "npy.truncated");
  std::string broken = good;
  broken.replace(broken.find("'shape'"), 7, "'shapf'");
  EXPECT_EQ(decodeNpyInt8(broken, "b.npy").error().code, "npy.header");
  auto st = checkShape({1, 2}, {1, 3}, "w.npy", "weight of conv1");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, "npy.shape");
  EXPECT_NE(st.error().message.find("1x3"), std::string::npos);
  EXPECT_TRUE(checkShape({1, 3}, {1, 3}, "w.npy", "w").ok());
}
