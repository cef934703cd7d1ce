#!/bin/sh
# The iCE40 flow of a generated design: its iCE40 top (rtl/dnnchip_ice40.v: the engine on the
# UP5K's SPRAM through spram_axi, a byte-wide host port, 24 pins) lints with verilator -Wall,
# runs the model through its pins only in Icarus (tb_ice40.v: fill over the host port, start,
# read back) bit-exact and in exactly the cycles `dnnchip simulate` measures and the cycle model
# predicts; `dnnchip synth --target ice40` maps it without latches onto 4 SB_SPRAM256KA, nextpnr
# packs it with every pin of the iCEBreaker PCF placed, and places and routes it on a UP5K at
# an Fmax at or above the design's clock; then the synthesized netlist runs the model again,
# gate level, bit-exact in the same cycles; at a clock it cannot meet, synth reports NOT met.
# usage: ice40.sh BIN DESIGN MODEL WORK [--no-synth]
# Exit 77 (skip) when a tool is missing, unless CI=true (then fail).
set -u
BIN=$1; DESIGN=$2; MODEL=$3; WORK=$4; MODE=${5:-}
HERE=$(cd "$(dirname "$0")" && pwd)
need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "${CI:-}" = true ]; then echo "FAIL: $1 is not on PATH (CI=true)" >&2; exit 1; fi
  echo "SKIP: $1 is not on PATH"; exit 77
}
need verilator; need iverilog; need vvp
if [ "$MODE" != --no-synth ]; then need yosys; need nextpnr-ice40; fi
rm -rf "$WORK"
"$BIN" generate --design "$DESIGN" --model "$MODEL" -o "$WORK" >/dev/null || { echo "FAIL: generate"; exit 1; }
cd "$WORK" || exit 1

# 1. lint of the iCE40 top with everything below it
verilator --lint-only -Wall --top-module dnnchip_ice40 -f filelist.f rtl/dnnchip_ice40.v || { echo "FAIL: lint"; exit 1; }

# 2. the reference run (AXI DRAM model with the design's latencies) and the cycle model
"$BIN" simulate --design . --simulator iverilog > simulate.txt 2>&1 || { cat simulate.txt; echo "FAIL: simulate"; exit 1; }
cat simulate.txt
ref=$(awk '$1 == "total:" { print $2 }' simulate.txt)
pred=$(awk '$1 == "total:" { p = $5; sub(/\)/, "", p); sub(/,/, "", p); print p }' simulate.txt)
[ -n "$ref" ] && [ "$ref" = "$pred" ] || { echo "FAIL: simulated $ref cycles, predicted $pred"; exit 1; }

# 3. the iCE40 top through its pins, on spram_axi
bytes=$(wc -l < data/dram.hex)
[ "$bytes" -le 131072 ] || { echo "FAIL: the DRAM image ($bytes bytes) exceeds the 128 KiB of SPRAM"; exit 1; }
mkdir -p ice40_run && cp data/program.hex data/dram.hex data/expected.hex data/check.hex ice40_run/
iverilog -g2012 -s tb_ice40 -P tb_ice40.MEM_BYTES="$bytes" -o ice40_run/tb_ice40.vvp -c filelist.f \
  rtl/dnnchip_ice40.v "$HERE/tb_ice40.v" || { echo "FAIL: iverilog"; exit 1; }
(cd ice40_run && vvp -n tb_ice40.vvp > tb_ice40.txt) || { cat ice40_run/tb_ice40.txt; echo "FAIL: vvp"; exit 1; }
cat ice40_run/tb_ice40.txt
grep -q '^PASS' ice40_run/tb_ice40.txt || { echo "FAIL: iCE40 top output differs from the golden model"; exit 1; }
got=$(awk '$1 == "total" { print $2 }' ice40_run/tb_ice40.txt)
[ "$got" = "$ref" ] || { echo "FAIL: iCE40 top took $got cycles, the DRAM model run $ref"; exit 1; }
echo "iCE40 top: bit-exact, $got cycles (= simulate = predicted)"
[ "$MODE" = --no-synth ] && { echo PASS; exit 0; }

# 4. synthesis and, when it fits, place and route on the UP5K
"$BIN" synth --design . --target ice40 > synth.txt 2>&1; rc=$?
cat synth.txt
[ $rc -eq 0 ] || { echo "FAIL: synth exit $rc"; exit 1; }
grep -q "latches: none" synth.txt || { echo "FAIL: latch"; exit 1; }
grep -q "^predictor estimate (ice40)" synth.txt || { echo "FAIL: no predictor estimate beside Yosys' counts"; exit 1; }
grep -q "SPRAM 4," synth.txt || { echo "FAIL: the memory did not map onto 4 SB_SPRAM256KA"; exit 1; }
pins=$(grep -c '^set_io ' synth/dnnchip_ice40.pcf)
[ "$pins" -le 39 ] || { echo "FAIL: $pins pins, the SG48 package has 39 I/O"; exit 1; }
# nextpnr always packs (exact utilization, every PCF pin placed on an SG48 I/O) ...
grep -Eq "^nextpnr-ice40 packing \(UP5K SG48\): .* $pins/39 pins" synth.txt || { echo "FAIL: nextpnr did not pack the $pins pins"; exit 1; }
# ... and the design fits a UP5K, so it is placed and routed and must meet its clock (12 MHz, the
# iCEBreaker oscillator).
grep -q "^nextpnr-ice40 (UP5K): Fmax .* (met)" synth.txt || { echo "FAIL: not placed and routed, or Fmax below the design clock"; exit 1; }

# 5. the synthesized netlist itself (SB_LUT4, SB_CARRY, SB_MAC16, SB_SPRAM256KA, ... with Yosys'
# simulation models of the iCE40 cells) runs the model through the pins bit-exact in the same
# cycles: the synthesis flow, ABC9 included, kept the function.
cells="$(dirname "$(command -v yosys)")/../share/yosys/ice40/cells_sim.v"
[ -f "$cells" ] || { echo "FAIL: no iCE40 cell models at $cells"; exit 1; }
yosys -q -p "read_json synth/dnnchip_ice40.json; write_verilog -noattr ice40_run/netlist.v" > ice40_run/netlist.txt 2>&1 \
  || { cat ice40_run/netlist.txt; echo "FAIL: netlist export"; exit 1; }
iverilog -g2012 -DNO_ICE40_DEFAULT_ASSIGNMENTS -s tb_ice40 -P tb_ice40.MEM_BYTES="$bytes" -o ice40_run/tb_netlist.vvp \
  "$cells" ice40_run/netlist.v "$HERE/tb_ice40.v" || { echo "FAIL: iverilog (netlist)"; exit 1; }
(cd ice40_run && vvp -n tb_netlist.vvp > tb_netlist.txt) || { cat ice40_run/tb_netlist.txt; echo "FAIL: vvp (netlist)"; exit 1; }
grep -q '^PASS' ice40_run/tb_netlist.txt || { cat ice40_run/tb_netlist.txt; echo "FAIL: the synthesized netlist's output differs from the golden model"; exit 1; }
got=$(awk '$1 == "total" { print $2 }' ice40_run/tb_netlist.txt)
[ "$got" = "$ref" ] || { echo "FAIL: the synthesized netlist took $got cycles, the RTL $ref"; exit 1; }
echo "iCE40 netlist (post-synthesis): bit-exact, $got cycles"

# 6. a clock the design cannot meet (40 MHz) is reported as NOT met with nextpnr's Fmax, not as a
# failed place and route (nextpnr exits 1 on a missed --freq unless told to allow it).
cd .. && rm -rf "$WORK.fast" && cp -r "$WORK" "$WORK.fast" && cd "$WORK.fast" || exit 1
sed -i 's/"clock_mhz": [0-9.]*/"clock_mhz": 40.0/' dnnchip_design.json
"$BIN" synth --design . --target ice40 > synth_fast.txt 2>&1 || { cat synth_fast.txt; echo "FAIL: synth at 40 MHz"; exit 1; }
grep -q "^nextpnr-ice40 (UP5K): Fmax .* against 40.00 MHz requested (NOT met)" synth_fast.txt \
  || { cat synth_fast.txt; echo "FAIL: a missed clock is not reported as NOT met"; exit 1; }
grep "^nextpnr-ice40 (UP5K)" synth_fast.txt
echo PASS
