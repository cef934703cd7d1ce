#!/bin/sh
# Co-simulation test of one (design, model): generate, lint the generated RTL with
# verilator -Wall, simulate against the golden model (bit-exact), and require the RTL's cycles per
# layer and in total to equal schedule::predictCycles exactly.
# usage: cosim.sh BIN DESIGN MODEL WORKDIR verilator|iverilog
# Exit 77 (skip) when a tool is missing, unless CI=true (then fail).
set -u
BIN=$1; DESIGN=$2; MODEL=$3; WORK=$4; SIM=$5
need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "${CI:-}" = true ]; then echo "FAIL: $1 is not on PATH (CI=true)" >&2; exit 1; fi
  echo "SKIP: $1 is not on PATH"; exit 77
}
need verilator
if [ "$SIM" = iverilog ]; then need iverilog; need vvp; fi
rm -rf "$WORK"
"$BIN" generate --design "$DESIGN" --model "$MODEL" -o "$WORK" || { echo "FAIL: generate"; exit 1; }
(cd "$WORK" && verilator --lint-only -Wall --top-module dnnchip_top -f filelist.f) || { echo "FAIL: lint"; exit 1; }
"$BIN" simulate --design "$WORK" --simulator "$SIM" > "$WORK/simulate.txt" 2>&1
rc=$?
cat "$WORK/simulate.txt"
[ $rc -eq 0 ] || { echo "FAIL: simulate exit $rc"; exit 1; }
# Every layer row compares simulated ($3) with predicted ($4) cycles; the total line must be there
# and agree too. No layer row or no total line (empty or truncated output) is a failure.
awk 'NR > 1 && $1 != "total:" && NF >= 4 && $3 ~ /^[0-9]+$/ { rows++; if ($3 != $4) { print "FAIL: cycles differ from the prediction: " $0; bad = 1 } }
     $1 == "total:" { seen = 1; p = $5; sub(/\)/, "", p); sub(/,/, "", p); if ($2 != p) { print "FAIL: total " $2 " != predicted " p; bad = 1 } }
     END { if (!seen) { print "FAIL: no total line in the simulate output"; bad = 1 }
           if (!rows) { print "FAIL: no layer rows in the simulate output"; bad = 1 }
           exit bad }' "$WORK/simulate.txt" || exit 1
echo PASS
