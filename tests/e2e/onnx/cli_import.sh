#!/bin/bash
# dnnchip import end to end: a model with weights gives a model JSON and a vectors folder; an
# unsupported op exits 2 with onnx.unsupported-op. Usage: cli_import.sh DNNCHIP FIXTURES OUTDIR
set -u
bin=$1; fx=$2; out=$3
rm -rf "$out"; mkdir -p "$out"
fail() { echo "FAIL: $*"; exit 1; }
"$bin" import "$fx/resnet18_w.onnx" -o "$out/r18.json" --weights-dir "$out/w" --seed 3 || fail "import exited $?"
[ -s "$out/r18.json" ] || fail "no model JSON"
grep -q '"schema_version": 1' "$out/r18.json" || fail "model JSON has no schema_version"
n=$(ls "$out/w" | grep -c '\.quant\.json$'); [ "$n" = 21 ] || fail "expected 21 quantized layers, found $n"
ls "$out/w"/*.weight.npy >/dev/null && ls "$out/w"/*.bias.npy >/dev/null || fail "weights missing"
"$bin" model show "$out/r18.json" >/dev/null || fail "model show cannot read the imported JSON"
# Same input and seed: byte-identical outputs.
"$bin" import "$fx/resnet18_w.onnx" -o "$out/r18b.json" --weights-dir "$out/w2" --seed 3 || fail "second import"
cmp -s "$out/r18.json" "$out/r18b.json" || fail "model JSON differs between runs"
diff -r -q "$out/w" "$out/w2" >/dev/null || fail "weights differ between runs"
# Not ONNX: exit 2, one diagnostic, no output file.
echo "not a model" > "$out/bad.onnx"
"$bin" import "$out/bad.onnx" -o "$out/bad.json" 2>"$out/err.txt"; rc=$?
[ $rc = 2 ] || fail "bad file exited $rc"
grep -q 'onnx.parse' "$out/err.txt" || fail "no onnx.parse diagnostic"
[ ! -e "$out/bad.json" ] || fail "partial output written"
"$bin" import --help | grep -q -- '--skip-unsupported' || fail "--help lacks --skip-unsupported"
echo PASS
