#!/bin/sh
# dnnchip simulate --vectors with activations (docs/quantization.md#activations, docs/codegen.md#vectors):
# a conv with a HardSwish table, a standalone ReLU6 clamp pair and a standalone Sigmoid table,
# whose quant.json files carry "table" / "clamp" built by NumPy from the float functions; the RTL
# outputs must equal an independent NumPy implementation, in the predicted cycles. A layer whose
# activation lacks its table is sim.vectors-quant (exit 2). usage: activations.sh BIN SRCDIR WORKDIR
set -u
BIN=$1; SRC=$2; WORK=$3
PY=/usr/bin/python3
if ! command -v iverilog >/dev/null 2>&1; then
  if [ "${CI:-}" = true ]; then echo "FAIL: iverilog missing (CI=true)"; exit 1; fi
  echo "SKIP: iverilog missing"; exit 77
fi
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$WORK"; mkdir -p "$WORK/v"
"$BIN" generate --design "$SRC/tests/rtl/cosim/designs/ws_3x5.json" --model "$SRC/tests/rtl/cosim/models/acts.json" \
  -o "$WORK/a" >/dev/null || fail generate
grep -q "\.ACT(2)" "$WORK/a/rtl/dnnchip_top.v" || fail "the engine was not built with ACT = 2"
$PY - "$WORK/v" <<'PYEOF' || fail "numpy vectors"
import json, math, sys
import numpy as np
d = sys.argv[1]
rng = np.random.default_rng(11)
def code(v):  # round half up, saturate (docs/quantization.md#activations)
    return np.clip(np.floor(np.asarray(v, dtype=np.float64) + 0.5), -128, 127).astype(np.int64)
def table(f, s_in, s_out):
    return [int(code(f(c * s_in) / s_out)) for c in range(-128, 128)]
hswish = lambda x: x * min(max(x / 6 + 0.5, 0.0), 1.0)
sigmoid = lambda x: 1 / (1 + math.exp(-x))
t_hs = table(hswish, 1 / 8, 1 / 8)
t_sg = table(sigmoid, 6 / 127, 1 / 127)
x = rng.integers(-128, 128, size=(1, 5, 6, 6), dtype=np.int8)
w = rng.integers(-127, 128, size=(7, 5, 3, 3), dtype=np.int8)
b = rng.integers(-3000, 3000, size=(7,), dtype=np.int32)
np.save(f"{d}/hs.input.npy", x); np.save(f"{d}/hs.weight.npy", w); np.save(f"{d}/hs.bias.npy", b)
json.dump({"mult": 23456, "shift": 17, "table": t_hs}, open(f"{d}/hs.quant.json", "w"))
xp = np.pad(x.astype(np.int64), ((0, 0), (0, 0), (1, 1), (1, 1)))
acc = np.zeros((1, 7, 6, 6), dtype=np.int64)
for r in range(3):
    for s in range(3):
        acc += np.einsum("nchw,kc->nkhw", xp[:, :, r:r + 6, s:s + 6], w[:, :, r, s].astype(np.int64))
y = np.clip(((acc + b.reshape(1, 7, 1, 1)) * 23456 + (1 << 16)) >> 17, -128, 127)
np.save(f"{d}/expected_hs.npy", np.array(t_hs, dtype=np.int8)[y + 128])
# ReLU6 at output scale 6/100: [0, 100]; sigmoid from s_in 6/127 to s_out 1/127
xr = rng.integers(-128, 128, size=(1, 7, 6, 6), dtype=np.int8)
np.save(f"{d}/r6.input.npy", xr)
json.dump({"clamp": [int(code(0 / (6 / 100))), int(code(6 / (6 / 100)))]}, open(f"{d}/r6.quant.json", "w"))
np.save(f"{d}/expected_r6.npy", np.clip(xr, 0, 100).astype(np.int8))
np.save(f"{d}/sg.input.npy", xr)
json.dump({"table": t_sg}, open(f"{d}/sg.quant.json", "w"))
np.save(f"{d}/expected_sg.npy", np.array(t_sg, dtype=np.int8)[xr.astype(np.int64) + 128])
PYEOF
"$BIN" simulate --design "$WORK/a" --vectors "$WORK/v" --simulator iverilog || fail "simulate --vectors"
$PY - "$WORK/v" <<'PYEOF' || fail "RTL output differs from the NumPy reference"
import sys, json
import numpy as np
d = sys.argv[1]
for n in ["hs", "r6", "sg"]:
    got, exp = np.load(f"{d}/{n}.output.npy"), np.load(f"{d}/expected_{n}.npy")
    assert got.dtype == np.int8 and got.shape == exp.shape, (n, got.dtype, got.shape)
    assert (got == exp).all(), f"{n} output differs from numpy"
s = json.load(open(f"{d}/sim.json"))
assert s["all_match"] and len(s["layers"]) == 3
for l in s["layers"]:
    assert l["cycles"] == l["predicted_cycles"], l
PYEOF
# an activation without its table: sim.vectors-quant, exit 2
mkdir -p "$WORK/bad"; cp "$WORK/v"/sg.* "$WORK/bad/"
echo '{}' > "$WORK/bad/sg.quant.json"
"$BIN" simulate --design "$WORK/a" --vectors "$WORK/bad" --simulator iverilog > "$WORK/out.txt" 2>&1; rc=$?
[ $rc -eq 2 ] || { cat "$WORK/out.txt"; fail "missing table exited $rc"; }
grep -q "error\[sim.vectors-quant\]" "$WORK/out.txt" || { cat "$WORK/out.txt"; fail "no sim.vectors-quant"; }
echo PASS
