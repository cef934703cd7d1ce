#!/usr/bin/env bash
# The main job on the embedded default (what `make run` runs): `dnnchip build` of ResNet-18 on the
# Ultra96 constraints into out/default/, then the report's path and a three-line summary.
# Budget and co-simulation size are chosen so the whole run takes minutes on 2 cores
# (docs/build.md#make-run): the search budget is reduced, and the first two compute layers are
# co-simulated as a reduced-size instance (input 56x56 instead of 224x224), which the report says.
set -euo pipefail
BUILD_DIR=${1:-build}
BIN="$BUILD_DIR/dnnchip"
OUT=${DNNCHIP_RUN_OUT:-out/default}
mkdir -p "$OUT"
start=$(date +%s)
status=0
"$BIN" build --model resnet18 --constraints ultra96 -o "$OUT" \
  --budget-evals "${DNNCHIP_RUN_BUDGET:-100000}" --simulate first --simulate-layers 2 \
  --simulate-downscale "${DNNCHIP_RUN_DOWNSCALE:-4}" || status=$?
echo "(dnnchip build took $(( $(date +%s) - start )) s)"
# Exit 3 (no design met the bounds) still wrote the report of the closest design: not a failure
# of `make run`.
if [ "$status" -eq 3 ]; then status=0; fi
exit $status
