#!/usr/bin/env python3
"""Replays the fuzz corpora (seeds and every regression input) through the normal `dnnchip`
binary: each file must end with exit 0 or 2 (a value or one coded diagnostic; explore may also
end with 3, no design meets the bounds), never a signal, an internal error (exit 1), a sanitizer
report, or a run past the timeout.

  model/*.json        dnnchip model show FILE
  onnx/*.onnx         dnnchip model show FILE; dnnchip import FILE -o ... --weights-dir ...
  design/*.json       dnnchip graph FILE -o ...
  platform/*.json     dnnchip explore --model tiny_cnn with a constraint file naming FILE
  constraints/*.json  dnnchip explore --model tiny_cnn --constraints FILE
  mapping/*.json      dnnchip predict --model/--design of designs/validation/timeloop_eyeriss_like
                      --mapping FILE
(.npy files are read only by `simulate --vectors`, which needs a simulator: they are fuzzed by
fuzz_npy but not replayed here.)

usage: replay_corpora.py DNNCHIP SOURCE_DIR WORK_DIR
"""
import json
import os
import shutil
import subprocess
import sys

BIN, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
CORPUS = os.path.join(SRC, "tests", "fuzz", "corpus")
TINY = os.path.join(SRC, "tests", "e2e", "build", "tiny_cnn.json")
VAL = os.path.join(SRC, "designs", "validation", "timeloop_eyeriss_like")
ENV = dict(os.environ, DNNCHIP_DATA=SRC)
BAD_TEXT = ("error[internal", "AddressSanitizer", "runtime error:", "LeakSanitizer")

shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
failures, runs = [], 0


def run(args, label, ok=(0, 2)):
    global runs
    runs += 1
    try:
        r = subprocess.run([BIN] + args, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           text=True, errors="replace", timeout=120)
    except subprocess.TimeoutExpired:
        failures.append(f"{label}: timed out after 120 s")
        return
    bad = [t for t in BAD_TEXT if t in r.stderr]
    if r.returncode not in ok or bad:
        failures.append(f"{label}: exit {r.returncode}{' ' + str(bad) if bad else ''}\n    {r.stderr.strip()[:400]}")


def files(kind):
    d = os.path.join(CORPUS, kind)
    return sorted(os.path.join(d, f) for f in os.listdir(d)) if os.path.isdir(d) else []


for f in files("model"):
    run(["model", "show", f], f)
for i, f in enumerate(files("onnx")):
    run(["model", "show", f], f)
    run(["import", f, "-o", os.path.join(WORK, f"onnx{i}.json"), "--weights-dir", os.path.join(WORK, f"w{i}")],
        f + " (import with weights)")
for i, f in enumerate(files("design")):
    run(["graph", f, "-o", os.path.join(WORK, f"d{i}.dot")], f)
for i, f in enumerate(files("platform")):
    cons = os.path.join(WORK, f"platform{i}.json")
    with open(cons, "w") as out:
        json.dump({"schema_version": 1, "platform": f, "objective": "latency", "budget": {"max_evaluations": 256}}, out)
    run(["explore", "--model", TINY, "--constraints", cons, "-o", os.path.join(WORK, f"pe{i}")], f, (0, 2, 3))
for i, f in enumerate(files("constraints")):
    run(["explore", "--model", TINY, "--constraints", f, "-o", os.path.join(WORK, f"ce{i}")], f, (0, 2, 3))
for f in files("mapping"):
    run(["predict", "--model", os.path.join(VAL, "model.json"), "--design", os.path.join(VAL, "design.json"),
         "--mapping", f], f)

print(f"{runs} runs over {CORPUS}")
for f in failures:
    print("FAIL " + f)
sys.exit(1 if failures else 0)
