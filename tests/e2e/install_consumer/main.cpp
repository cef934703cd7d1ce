// Loads a built-in model through the installed library and data; prints its MAC count. Includes
// only the umbrella header, so the build proves every installed header compiles against the
// installed tree alone (no public header reaches an internal, uninstalled one).
#include <cstdio>

#include "dnnchip/dnnchip.h"

int main(int argc, char** argv) {
  auto m = dnnchip::workload::loadModelByName(argc > 1 ? argv[1] : "alexnet");
  if (!m) {
    std::fprintf(stderr, "%s\n", m.error().format().c_str());
    return 2;
  }
  std::printf("%s %lld\n", m->name.c_str(), static_cast<long long>(m->totalMacs()));
  return 0;
}
