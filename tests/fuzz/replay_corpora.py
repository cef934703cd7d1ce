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
  npy/*.npy           dnnchip simulate --design D --vectors V, FILE as conv1's input, weight and
                      bias in an otherwise valid vectors folder (D: systolic_ws_8x8 generated for
                      the tiny CNN). Vectors are read and checked before any tool runs, and PATH
                      holds no simulator, so a file that passes ends in sim.tool-missing (exit 2)
                      without a simulation. The regress-npy-* files must give their own code.

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
NO_TOOLS = dict(ENV, PATH=os.path.join(WORK, "empty-path"))  # no verilator, no iverilog

shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
failures, runs = [], 0


def run(args, label, ok=(0, 2), env=ENV, code=None):
    """`code`: the diagnostic the run must print (once, as its only error)."""
    global runs
    runs += 1
    try:
        r = subprocess.run([BIN] + args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           text=True, errors="replace", timeout=120)
    except subprocess.TimeoutExpired:
        failures.append(f"{label}: timed out after 120 s")
        return
    bad = [t for t in BAD_TEXT if t in r.stderr]
    if r.returncode not in ok or bad:
        failures.append(f"{label}: exit {r.returncode}{' ' + str(bad) if bad else ''}\n    {r.stderr.strip()[:400]}")
    elif code is not None:
        errors = [l for l in r.stderr.splitlines() if l.startswith("error[")]
        if len(errors) != 1 or not errors[0].startswith(f"error[{code}]"):
            failures.append(f"{label}: expected one error[{code}], got {errors}")


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

# .npy through `simulate --vectors`: conv1 of the tiny CNN takes a 1x3x12x12 int8 input, an
# 8x3x3x3 int8 weight, an 8-element int32 bias and conv1.quant.json.
def npy(descr, shape, payload):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (
        descr, "".join(f"{d}, " for d in shape))
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode() + payload


os.makedirs(NO_TOOLS["PATH"])
design = os.path.join(WORK, "npy_design")
r = subprocess.run([BIN, "generate", "--design", "systolic_ws_8x8", "--model", TINY, "-o", design], env=ENV,
                   capture_output=True, text=True, timeout=120)
if r.returncode != 0:
    failures.append(f"generate the design for the .npy replay: exit {r.returncode}: {r.stderr[:400]}")
VALID = {"input": npy("|i1", (1, 3, 12, 12), bytes(432)), "weight": npy("|i1", (8, 3, 3, 3), bytes(216)),
         "bias": npy("<i4", (8,), bytes(32))}
EXPECT = {  # regression inputs named after the failure they check, and the code each must give
    "regress-npy-header-truncated.npy": "npy.truncated", "regress-npy-fortran-order.npy": "npy.header",
    "regress-npy-huge-shape.npy": "npy.truncated", "regress-npy-shape-mismatch.npy": "npy.shape",
    "float32_wrong_dtype.npy": "npy.dtype", "truncated.npy": "npy.truncated",
}
for i, f in enumerate(files("npy")):
    for role in ("input", "weight", "bias"):
        vdir = os.path.join(WORK, f"npy{i}_{role}")
        os.makedirs(vdir)
        for r_, data in VALID.items():
            with open(os.path.join(vdir, f"conv1.{r_}.npy"), "wb") as out:
                out.write(data)
        with open(os.path.join(vdir, "conv1.quant.json"), "w") as out:
            json.dump({"mult": 1, "shift": 8, "relu": True}, out)
        shutil.copyfile(f, os.path.join(vdir, f"conv1.{role}.npy"))
        expected = EXPECT.get(os.path.basename(f))
        run(["simulate", "--design", design, "--vectors", vdir], f"{f} (simulate --vectors, as conv1.{role}.npy)",
            ok=(2,), env=NO_TOOLS, code=expected if role == "input" else None)

print(f"{runs} runs over {CORPUS}")
for f in failures:
    print("FAIL " + f)
sys.exit(1 if failures else 0)
