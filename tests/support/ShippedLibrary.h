#pragma once
// The IP library shipped in ip_library/, loaded once per test binary. Header-only, like
// ModelText.h: the support library is linked into every unit binary, most of which do not link ip.

#include <gtest/gtest.h>

#include "TestSupport.h"
#include "dnnchip/ip/IpLibrary.h"

namespace dnnchip::test {

/// The source tree's ip_library/; a load error fails the calling test and yields an empty library.
inline const ip::IpLibrary& shippedLibrary() {
  static const ip::IpLibrary l = [] {
    auto r = ip::IpLibrary::load(sourceDir() / "ip_library");
    if (!r) ADD_FAILURE() << r.error().format();
    return r ? std::move(*r) : ip::IpLibrary{};
  }();
  return l;
}

}  // namespace dnnchip::test
