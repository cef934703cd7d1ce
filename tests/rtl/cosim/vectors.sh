#!/bin/sh
# dnnchip simulate --vectors: per-layer .npy vectors written by NumPy, one layer checked against an
# independent NumPy implementation of docs/quantization.md; and the bad-input diagnostics
# (npy.dtype, npy.shape, sim.vectors-missing, golden.weight-range, sim.tool-missing,
# codegen.no-template) with exit 2. Weights are int8 in [-127, 127] (docs/quantization.md).
# Also: generating twice gives identical bytes; an fc reading a flattened 4-D map takes its input
# in the map's C order (issue 18). usage: vectors.sh BIN SRCDIR WORKDIR
set -u
BIN=$1; SRC=$2; WORK=$3
PY=/usr/bin/python3
if ! command -v iverilog >/dev/null 2>&1 || ! command -v verilator >/dev/null 2>&1; then
  if [ "${CI:-}" = true ]; then echo "FAIL: iverilog/verilator missing (CI=true)"; exit 1; fi
  echo "SKIP: iverilog or verilator missing"; exit 77
fi
fail() { echo "FAIL: $*"; exit 1; }
expect_code() {  # expect_code CODE EXIT cmd...
  code=$1; want=$2; shift 2
  "$@" > "$WORK/out.txt" 2>&1; got=$?
  [ $got -eq $want ] || { cat "$WORK/out.txt"; fail "$* exited $got, expected $want"; }
  grep -q "error\[$code\]" "$WORK/out.txt" || { cat "$WORK/out.txt"; fail "no $code diagnostic from: $*"; }
}
rm -rf "$WORK"; mkdir -p "$WORK"
D="$SRC/tests/rtl/cosim/designs/ws_3x5.json"
M="$SRC/tests/rtl/cosim/models/ops.json"
"$BIN" generate --design "$D" --model "$M" -o "$WORK/a" >/dev/null || fail generate
"$BIN" generate --design "$D" --model "$M" -o "$WORK/b" >/dev/null || fail generate twice
diff -r "$WORK/a" "$WORK/b" || fail "generate is not deterministic"
mkdir -p "$WORK/v"
$PY - "$WORK/v" <<'PYEOF' || fail "numpy vectors"
import json, sys
import numpy as np
d = sys.argv[1]
rng = np.random.default_rng(5)
x = rng.integers(-128, 128, size=(1, 5, 6, 6), dtype=np.int8)
w = rng.integers(-127, 128, size=(7, 5, 3, 3), dtype=np.int8)
w[0, 0, 0, 0] = -127
b = rng.integers(-3000, 3000, size=(7,), dtype=np.int32)
np.save(f"{d}/conv3x3_s1_p1.input.npy", x)
np.save(f"{d}/conv3x3_s1_p1.weight.npy", w)
np.save(f"{d}/conv3x3_s1_p1.bias.npy", b)
json.dump({"mult": 23456, "shift": 18, "relu": True}, open(f"{d}/conv3x3_s1_p1.quant.json", "w"))
# independent reference of docs/quantization.md
xp = np.pad(x.astype(np.int64), ((0, 0), (0, 0), (1, 1), (1, 1)))
acc = np.zeros((1, 7, 6, 6), dtype=np.int64)
for r in range(3):
    for s in range(3):
        acc += np.einsum("nchw,kc->nkhw", xp[:, :, r:r + 6, s:s + 6], w[:, :, r, s].astype(np.int64))
y = ((acc + b.reshape(1, 7, 1, 1)) * 23456 + (1 << 17)) >> 18
np.save(f"{d}/expected_conv.npy", np.clip(y, 0, 127).astype(np.int8))
xf = rng.integers(-128, 128, size=(2, 20), dtype=np.int8)
np.save(f"{d}/fc.input.npy", xf)
np.save(f"{d}/fc.weight.npy", rng.integers(-127, 128, size=(10, 20), dtype=np.int8))
np.save(f"{d}/fc.bias.npy", rng.integers(-500, 500, size=(10,), dtype=np.int32))
json.dump({"mult": 30000, "shift": 16}, open(f"{d}/fc.quant.json", "w"))
np.save(f"{d}/maxpool2x2.input.npy", rng.integers(-128, 128, size=(1, 5, 8, 7), dtype=np.int8))
np.save(f"{d}/residual_add.input.npy", rng.integers(-128, 128, size=(1, 7, 6, 6), dtype=np.int8))
np.save(f"{d}/residual_add.input_b.npy", rng.integers(-128, 128, size=(1, 7, 6, 6), dtype=np.int8))
json.dump({"mult": 20000, "mult_b": 40000, "shift": 16, "relu": True}, open(f"{d}/residual_add.quant.json", "w"))
PYEOF
"$BIN" simulate --design "$WORK/a" --vectors "$WORK/v" --simulator iverilog || fail "simulate --vectors"
[ -f "$WORK/v/sim.json" ] || fail "no sim.json"
$PY - "$WORK/v" <<'PYEOF' || fail "RTL output differs from the NumPy reference"
import sys, json
import numpy as np
d = sys.argv[1]
got = np.load(f"{d}/conv3x3_s1_p1.output.npy")
exp = np.load(f"{d}/expected_conv.npy")
assert got.dtype == np.int8 and got.shape == exp.shape, (got.dtype, got.shape)
assert (got == exp).all(), "conv output differs from numpy"
for n in ["fc", "maxpool2x2", "residual_add"]:
    assert np.load(f"{d}/{n}.output.npy").dtype == np.int8
s = json.load(open(f"{d}/sim.json"))
assert s["all_match"] and len(s["layers"]) == 4
for l in s["layers"]:
    assert l["cycles"] == l["predicted_cycles"], l
PYEOF
# Issue 18: the input of an fc that reads a flattened 4-D map (net.json: avg [1,6,2,2] -> flat ->
# classifier) is given as [1, 24] in C order of the map (torch.flatten); the simulator must lay it
# out as the map the engine reads (N,H,W,C). Before the fix it was written N,C: sim.mismatch.
"$BIN" generate --design "$D" --model "$SRC/tests/rtl/cosim/models/net.json" -o "$WORK/n" >/dev/null || fail "generate net"
mkdir -p "$WORK/vn"
$PY - "$WORK/vn" <<'PYEOF' || fail "numpy vectors (flattened map)"
import json, sys
import numpy as np
d = sys.argv[1]
rng = np.random.default_rng(18)
m = rng.integers(-128, 128, size=(1, 6, 2, 2), dtype=np.int8)
x = m.reshape(1, 24)  # torch.flatten(m, 1)
w = rng.integers(-127, 128, size=(5, 24), dtype=np.int8)
b = rng.integers(-2000, 2000, size=(5,), dtype=np.int32)
np.save(f"{d}/classifier.input.npy", x)
np.save(f"{d}/classifier.weight.npy", w)
np.save(f"{d}/classifier.bias.npy", b)
json.dump({"mult": 21000, "shift": 17}, open(f"{d}/classifier.quant.json", "w"))
y = ((x.astype(np.int64) @ w.T.astype(np.int64) + b) * 21000 + (1 << 16)) >> 17
np.save(f"{d}/expected_classifier.npy", np.clip(y, -128, 127).astype(np.int8))
PYEOF
"$BIN" simulate --design "$WORK/n" --vectors "$WORK/vn" --simulator iverilog > "$WORK/out.txt" 2>&1 || {
  cat "$WORK/out.txt"; fail "simulate --vectors on an fc after a flattened map"; }
$PY - "$WORK/vn" <<'PYEOF' || fail "fc after a flattened map differs from the NumPy reference"
import sys
import numpy as np
d = sys.argv[1]
got, exp = np.load(f"{d}/classifier.output.npy"), np.load(f"{d}/expected_classifier.npy")
assert got.shape == exp.shape and (got == exp).all(), (got, exp)
PYEOF
# bad vectors
mkdir -p "$WORK/bad"
cp "$WORK/v"/conv3x3_s1_p1.* "$WORK/bad/"
$PY -c "import numpy as np; np.save('$WORK/bad/conv3x3_s1_p1.input.npy', np.zeros((1,5,6,6), np.float32))"
expect_code npy.dtype 2 "$BIN" simulate --design "$WORK/a" --vectors "$WORK/bad" --simulator iverilog
$PY -c "import numpy as np; np.save('$WORK/bad/conv3x3_s1_p1.input.npy', np.zeros((1,5,6,7), np.int8))"
expect_code npy.shape 2 "$BIN" simulate --design "$WORK/a" --vectors "$WORK/bad" --simulator iverilog
$PY -c "import numpy as np; np.save('$WORK/bad/conv3x3_s1_p1.input.npy', np.zeros((1,5,6,6), np.int8))"
rm "$WORK/bad/conv3x3_s1_p1.weight.npy"
expect_code sim.vectors-missing 2 "$BIN" simulate --design "$WORK/a" --vectors "$WORK/bad" --simulator iverilog
# a weight of -128 (outside [-127, 127]): golden.weight-range
$PY -c "import numpy as np; w = np.load('$WORK/v/conv3x3_s1_p1.weight.npy'); w[3, 1, 2, 0] = -128; np.save('$WORK/bad/conv3x3_s1_p1.weight.npy', w)"
expect_code golden.weight-range 2 "$BIN" simulate --design "$WORK/a" --vectors "$WORK/bad" --simulator iverilog
cp "$WORK/v/conv3x3_s1_p1.weight.npy" "$WORK/bad/"
echo '{"mult": 5, "shift": 3, "relu": false}' > "$WORK/bad/conv3x3_s1_p1.quant.json"
expect_code sim.vectors-quant 2 "$BIN" simulate --design "$WORK/a" --vectors "$WORK/bad" --simulator iverilog
# missing simulator: an empty PATH
expect_code sim.tool-missing 2 env PATH=/nonexistent "$BIN" simulate --design "$WORK/a" --simulator verilator
expect_code codegen.not-generated 2 "$BIN" simulate --design "$WORK/v"
expect_code codegen.no-template 2 "$BIN" generate --design "$SRC/tests/rtl/cosim/designs/ws_fp16_no_template.json" --model "$M" -o "$WORK/c"
[ ! -e "$WORK/c" ] || fail "partial output after codegen.no-template"
# a wrong MAC (p <= c + a*b + 1) must be caught: sim.mismatch, exit 4, naming layer and element
cp -r "$WORK/a" "$WORK/g"; rm -f "$WORK/g/sim/tb_icarus.vvp"
sed -i 's/if (en) p <= c + /if (en) p <= 1 + c + /' "$WORK/g/rtl/mac_pe.v"
grep -q 'p <= 1 + c' "$WORK/g/rtl/mac_pe.v" || fail "could not inject the MAC fault"
expect_code sim.mismatch 4 "$BIN" simulate --design "$WORK/g" --simulator iverilog
grep -q "layer 'conv3x3_s1_p1'" "$WORK/out.txt" || fail "sim.mismatch does not name the first layer"
# tool failures: a timeout, a damaged simulator image, RTL that does not compile
expect_code sim.timeout 1 "$BIN" simulate --design "$WORK/a" --simulator iverilog --timeout 0
cp -r "$WORK/a" "$WORK/e"
echo "garbage" > "$WORK/e/sim/tb_icarus.vvp"; touch "$WORK/e/sim/tb_icarus.vvp"
expect_code sim.run-failed 1 "$BIN" simulate --design "$WORK/e" --simulator iverilog
cp -r "$WORK/a" "$WORK/f"; rm -f "$WORK/f/sim/tb_icarus.vvp"
echo "module broken(;" >> "$WORK/f/rtl/dnnchip_top.v"
expect_code sim.build-failed 1 "$BIN" simulate --design "$WORK/f" --simulator iverilog
if command -v yosys >/dev/null 2>&1; then
  # Small stand-ins for the RTL so Yosys runs in a second: a syntax error, then a latch.
  for v in "$WORK"/f/rtl/*.v; do : > "$v"; done
  echo "module dnnchip_top(input wire clk; endmodule" > "$WORK/f/rtl/dnnchip_top.v"
  expect_code sim.synth-failed 1 "$BIN" synth --design "$WORK/f" --target generic
  printf 'module dnnchip_top(input wire en, input wire d, output reg q);\n  always @(*) if (en) q = d;\nendmodule\n' > "$WORK/f/rtl/dnnchip_top.v"
  expect_code sim.latch 1 "$BIN" synth --design "$WORK/f" --target generic
  expect_code sim.bad-target 2 "$BIN" synth --design "$WORK/f" --target vhdl
fi
echo PASS
