#!/bin/sh
# SoC top + C runtime against the real RTL (docs/soc.md#tests): compile two different models for
# one design, check that a model which does not fit is refused (exit 2, no output), Verilate the
# SoC top on the AXI memory model with tb_soc.cpp and the C runtime, and run tb_soc (both models
# bit-exact with counters equal to the prediction, then the failure paths).
# usage: soc.sh BIN DESIGN MODEL_A MODEL_B WORKDIR
# Exit 77 (skip) when a tool is missing, unless CI=true (then fail).
set -u
BIN=$1; DESIGN=$2; MODEL_A=$3; MODEL_B=$4; WORK=$5
HERE=$(cd "$(dirname "$0")" && pwd)
TPL=$(cd "$HERE/../../../templates" && pwd)
need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "${CI:-}" = true ]; then echo "FAIL: $1 is not on PATH (CI=true)" >&2; exit 1; fi
  echo "SKIP: $1 is not on PATH"; exit 77
}
need verilator
need python3
rm -rf "$WORK"
mkdir -p "$WORK"
"$BIN" compile --design "$DESIGN" --model "$MODEL_A" -o "$WORK/a" || { echo "FAIL: compile A"; exit 1; }
"$BIN" compile --design "$DESIGN" --model "$MODEL_B" -o "$WORK/b" --seed 7 || { echo "FAIL: compile B"; exit 1; }
# a model whose program fuses a max pool (needs the pool unit's line buffer: the runtime check)
"$BIN" compile --design "$DESIGN" --model "$HERE/models/stem_pool.json" -o "$WORK/pool" || { echo "FAIL: compile pool"; exit 1; }
# a program deeper than PROG_DEPTH: one diagnostic, exit 2, nothing written
"$BIN" compile --design "$DESIGN" --model "$MODEL_A" -o "$WORK/toolong" --prog-depth 4 > "$WORK/toolong.txt" 2>&1
rc=$?
cat "$WORK/toolong.txt"
[ $rc -eq 2 ] || { echo "FAIL: a program longer than PROG_DEPTH gave exit $rc, not 2"; exit 1; }
grep -q "codegen.program-too-long" "$WORK/toolong.txt" || { echo "FAIL: no codegen.program-too-long"; exit 1; }
[ ! -e "$WORK/toolong" ] || { echo "FAIL: compile wrote output for a model that does not fit"; exit 1; }
# the C runtime is C99 + libc (warnings are errors), and its Python wrapper works over the C library
need cc
cc -std=c99 -Wall -Wextra -Werror -pedantic -O2 -shared -fPIC -o "$WORK/libdnnchip_rt.so" "$TPL/runtime/dnnchip_rt.c" \
  || { echo "FAIL: the C runtime does not build as C99 without warnings"; exit 1; }
python3 "$HERE/test_rt_py.py" "$WORK/libdnnchip_rt.so" "$TPL/runtime" "$WORK/a" "$WORK/pool" || exit 1
# the engine parameters both models were compiled for (they must agree: one engine)
params=$(python3 - "$WORK/a/dnnchip_model.json" "$WORK/b/dnnchip_model.json" <<'PY'
import json, sys
a, b = (json.load(open(p))["engine"] for p in sys.argv[1:3])
if a != b:
    sys.exit("FAIL: the two models were compiled for different engines")
g = {"ROWS": a["rows"], "COLS": a["cols"], "DATAFLOW": 0 if a["dataflow"] == "weight-stationary" else 1,
     "ACT_DEPTH": a["act_depth"], "ACC_DEPTH": a["acc_depth"], "DOUBLE_BUFFER": int(a["double_buffer"]), "W_GROUP": a.get("weight_group", 1),
     "PACK": a["pack"], "WSKEW": int(a.get("weight_skew", False)), "FUSE_ADD": int(a["fuse_residual_add"]), "POOL_DEPTH": a.get("pool_line_words", 0),
     "RQ_W": a.get("requant_operand_bits", 32), "RQ_LUT": int(a.get("requant_mult", "dsp") == "lut"),
     "DATA_W": a["axi_data_bits"],
     "BURST_MAX": a["burst_max_beats"], "RD_OUT": a["read_outstanding"], "WR_OUT": a["write_outstanding"],
     "PROG_DEPTH": a["prog_depth"], "RD_LAT": a["dram_read_latency_cycles"],
     "WR_LAT": a["dram_write_latency_cycles"]}
print(" ".join("-G%s=%d" % kv for kv in g.items()))
PY
) || { echo "$params"; exit 1; }
echo "engine: $params"
RTL="$TPL/soc/dnnchip_soc.v $TPL/dnnchip_engine.v $TPL/controller.v $TPL/dma_axi.v $TPL/buffer_dp.v \
  $TPL/acc_buffer.v $TPL/vector_unit.v $TPL/residual_add.v $TPL/pool_unit.v $TPL/dw_unit.v $TPL/systolic_ws.v $TPL/systolic_os.v \
  $TPL/mac_pe.v $TPL/mac_pe_pack2.v $TPL/sim/axi_dram_model.v"
# shellcheck disable=SC2086
verilator --cc --exe --build -j 2 -O1 --top-module tb_soc --public-flat-rw -Wno-fatal -Wno-lint -Wno-style \
  $params -GMEM_LO=268435456 -GMEM_HI=269484032 -CFLAGS "-I$TPL/runtime -O1" -Mdir "$WORK/obj" "$HERE/tb_soc.v" $RTL "$HERE/tb_soc.cpp" \
  "$TPL/runtime/dnnchip_rt.c" > "$WORK/build.log" 2>&1 || { tail -30 "$WORK/build.log"; echo "FAIL: verilator build"; exit 1; }
# the memory region at a bus address other than 0 (DRAM_BASE and PROG_BASE are added by the top);
# MEM_LO / MEM_HI above: the top may use [0x10000000, 0x10100000), the memory model's 1 MiB there
"$WORK/obj/Vtb_soc" 0x10000000 "$WORK/a" "$WORK/b" || exit 1
