#!/bin/sh
# Generates a design and dry-runs its soc/vivado_bd.tcl in tclsh (vivado_dryrun.tcl): Tcl that
# runs through on every Zynq platform, files that exist, addresses equal to the runtime's header.
# usage: vivado_tcl.sh BIN DESIGN MODEL WORKDIR. Exit 77 (skip) without tclsh unless CI=true.
set -u
BIN=$1; DESIGN=$2; MODEL=$3; WORK=$4
HERE=$(cd "$(dirname "$0")" && pwd)
if ! command -v tclsh >/dev/null 2>&1; then
  if [ "${CI:-}" = true ]; then echo "FAIL: tclsh is not on PATH (CI=true)"; exit 1; fi
  echo "SKIP: tclsh is not on PATH"; exit 77
fi
rm -rf "$WORK"
"$BIN" generate --design "$DESIGN" --model "$MODEL" -o "$WORK" > /dev/null || { echo "FAIL: generate"; exit 1; }
tclsh "$HERE/vivado_dryrun.tcl" "$WORK"
