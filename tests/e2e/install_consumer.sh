#!/usr/bin/env bash
# cmake --install into a temporary prefix, then build and run a consumer project against it with
# DNNCHIP_DATA unset: the installed library must find its installed data. Only the public headers
# are installed (docs/api.md): the umbrella header is, internal ones are not.
set -euo pipefail
BUILD=$1; SRC=$2
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cmake --install "$BUILD" --prefix "$WORK/prefix" >/dev/null
test -x "$WORK/prefix/bin/dnnchip"
test -f "$WORK/prefix/include/dnnchip/workload/Model.h"
test -f "$WORK/prefix/include/dnnchip/dnnchip.h"
for internal in flow/Steps.h flow/Ticker.h; do
  test -f "$SRC/include/dnnchip/$internal" || { echo "$internal is not in the source tree any more"; exit 1; }
  if test -e "$WORK/prefix/include/dnnchip/$internal"; then echo "internal header installed: $internal"; exit 1; fi
done
test -d "$WORK/prefix/share/dnnchip/ip_library"
test -f "$WORK/prefix/lib/cmake/dnnchip/dnnchipConfig.cmake"
cmake -S "$SRC/tests/e2e/install_consumer" -B "$WORK/consumer" -DCMAKE_PREFIX_PATH="$WORK/prefix" \
  -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$WORK/consumer" >/dev/null
# The library finds the installed data when told where it is ...
out=$(DNNCHIP_DATA="$WORK/prefix/share/dnnchip" "$WORK/consumer/consumer" alexnet)
[ "$out" = "alexnet 724406816" ] || { echo "consumer printed: $out"; exit 1; }
# ... and the installed CLI finds it beside itself, with DNNCHIP_DATA unset.
unset DNNCHIP_DATA
root=$("$WORK/prefix/bin/dnnchip" lib list | sed -n 1p)  # sed reads all: no SIGPIPE under pipefail
[ "$root" = "data: $WORK/prefix/share/dnnchip" ] || { echo "installed CLI used: $root"; exit 1; }
"$WORK/prefix/bin/dnnchip" model show alexnet >/dev/null
echo "install_consumer: OK"
