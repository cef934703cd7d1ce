#include "dnnchip/diag/Diagnostic.h"

#include <gtest/gtest.h>

using namespace dnnchip::diag;

TEST(Diagnostic, FormatHasCodeFilePointerMessageAndHint) {
  auto d = error("model.cycle", {"m.json", "/layers/2"}, "layer x is in a cycle", "break it");
  EXPECT_EQ(d.format(), "error[model.cycle]: m.json:/layers/2: layer x is in a cycle; break it");
}

TEST(Diagnostic, FormatWithoutFile) {
  auto d = error("cli.usage", {}, "bad option");
  EXPECT_EQ(d.format(), "error[cli.usage]: bad option");
}

TEST(Diagnostic, CaptureTurnsThrowIntoExpected) {
  auto r = capture([]() -> int { fail("x.y", {"f", "/a"}, "msg", "hint"); });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "x.y");
  auto ok = capture([]() -> int { return 7; });
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 7);
}
