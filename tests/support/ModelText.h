#pragma once
// A finalized workload::Model from the text of its layers and inputs, for tests that build small
// models inline. Header-only: the support library is linked into every unit binary, most of which
// do not link the workload module.

#include <string>

#include <gtest/gtest.h>

#include "dnnchip/io/Json.h"
#include "dnnchip/workload/Model.h"

namespace dnnchip::test {

/// Parses {"schema_version": 1, "name": "t", "inputs": [input], "layers": [layers]}; a parse error
/// fails the calling test and returns an empty model.
inline workload::Model modelFromText(const std::string& layers, const std::string& input) {
  std::string text = R"({"schema_version": 1, "name": "t", "inputs": [)" + input +
                     R"(], "layers": [)" + layers + "]}";
  auto m = workload::parseModel(io::Json::parse(text), "t.json");
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().format());
  return m.ok() ? *m : workload::Model{};
}

}  // namespace dnnchip::test
