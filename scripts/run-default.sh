#!/usr/bin/env bash
# The main job on the embedded default model and platform (what `make run` runs).
set -euo pipefail
BUILD_DIR=${1:-build}
BIN="$BUILD_DIR/dnnchip"
OUT=${DNNCHIP_RUN_OUT:-out/default}
mkdir -p "$OUT"
"$BIN" model show resnet18 | tee "$OUT/model.txt"
echo
echo "results: $OUT/model.txt"
