#!/bin/sh
# Yosys synthesis of a generated design: must succeed with no latch (dnnchip synth exits 1 and
# prints sim.latch otherwise) and report DSPs for the MAC array. usage: synth.sh BIN DESIGN MODEL WORK TARGET
set -u
BIN=$1; DESIGN=$2; MODEL=$3; WORK=$4; TARGET=$5
if ! command -v yosys >/dev/null 2>&1; then
  if [ "${CI:-}" = true ]; then echo "FAIL: yosys missing (CI=true)"; exit 1; fi
  echo "SKIP: yosys missing"; exit 77
fi
rm -rf "$WORK"
"$BIN" generate --design "$DESIGN" --model "$MODEL" -o "$WORK" >/dev/null || { echo "FAIL: generate"; exit 1; }
"$BIN" synth --design "$WORK" --target "$TARGET" > "$WORK/synth.txt" 2>&1; rc=$?
cat "$WORK/synth.txt"
[ $rc -eq 0 ] || { echo "FAIL: synth exit $rc"; exit 1; }
grep -q "latches: none" "$WORK/synth.txt" || { echo "FAIL: latch"; exit 1; }
grep -Eq "DSP [1-9]" "$WORK/synth.txt" || { echo "FAIL: the MAC array did not map to DSP blocks"; exit 1; }
echo PASS
