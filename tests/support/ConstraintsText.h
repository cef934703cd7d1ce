#pragma once
// Search constraints on a named platform that allow the systolic templates only, for tests of the
// design space's axes. Header-only, like ModelText.h: most unit binaries do not link search.

#include <string>

#include <gtest/gtest.h>

#include "dnnchip/io/Json.h"
#include "dnnchip/search/Constraints.h"

namespace dnnchip::test {

/// A latency objective on `platform`, templates {"systolic"}; a parse error fails the calling test.
inline search::Constraints systolicConstraintsOn(const std::string& platform) {
  auto j = io::parseJson(R"({"schema_version":1,"platform":")" + platform +
                             R"(","objective":"latency","allowed":{"templates":["systolic"]}})",
                         "t.json");
  EXPECT_TRUE(j.ok());
  auto c = search::parseConstraints(*j, "t.json", {platform}, {});
  EXPECT_TRUE(c.ok()) << c.error().format();
  return *c;
}

}  // namespace dnnchip::test
