#!/bin/sh
# Squeeze-and-excitation from PyTorch (docs/engine.md#elementwise-multiply): se_export.py writes a
# MobileNet-v3-style block with torchvision.ops.SqueezeExcitation to ONNX at test time, dnnchip
# import reads it, and cosim.sh generates, lints and co-simulates it bit-exact in the predicted
# cycles. The import must give three Muls (two hardswish products of maps, the SE channel scale),
# all run on the engine. usage: se_onnx.sh BIN SRCDIR WORKDIR
set -u
BIN=$1; SRC=$2; WORK=$3
PY=/usr/bin/python3
if ! $PY -c "import torch, torchvision" >/dev/null 2>&1; then
  if [ "${CI:-}" = true ]; then echo "FAIL: python3-torch / python3-torchvision missing (CI=true)"; exit 1; fi
  echo "SKIP: python3-torch missing"; exit 77
fi
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$WORK"; mkdir -p "$WORK"
$PY "$SRC/tests/rtl/cosim/se_export.py" "$WORK/se.onnx" >/dev/null 2>&1 || fail "torch export"
"$BIN" import "$WORK/se.onnx" -o "$WORK/se.json" || fail import
sh "$SRC/tests/rtl/cosim/cosim.sh" "$BIN" "$SRC/tests/rtl/cosim/designs/ws_3x5.json" "$WORK/se.json" "$WORK/g" iverilog
rc=$?
[ $rc -eq 0 ] || exit $rc
n=$(awk '$2 == "mul" && $5 == "match" { n++ } END { print n + 0 }' "$WORK/g/simulate.txt")
[ "$n" -eq 3 ] || fail "expected 3 bit-exact mul layers, got $n"
grep -q '[.]MUL(1)' "$WORK/g/rtl/dnnchip_top.v" || fail "the engine was not built with MUL = 1"
echo PASS
