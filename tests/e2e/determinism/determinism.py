#!/usr/bin/env python3
"""Byte-identical outputs across processes and thread counts (issue 12: the unit tests' determinism
checks render twice inside one process, which cannot see state that differs between runs: heap
contents, addresses, hash seeds). Each command below runs twice as separate processes, the second
with another thread count and with glibc filling every new and freed heap block with a byte
(MALLOC_PERTURB_), so a read of uninitialized or freed memory changes its bytes; the two output
folders must be equal file for file, byte for byte.

- explore of the tiny CNN on the Ultra96 constraints (--threads 1, then 2);
- map of AlexNet on eyeriss_like (--threads 1, then 2);
- generate of the tiny CNN on the 3x5 WS co-simulation design.

Usage: determinism.py DNNCHIP_BIN SOURCE_DIR WORK_DIR [break]
"break" changes one byte of the second explore folder, so the test must fail (the check that it can).
"""
import os
import shutil
import subprocess
import sys

BIN, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
BREAK = len(sys.argv) > 4 and sys.argv[4] == "break"
TINY = os.path.join(SRC, "tests", "e2e", "build", "tiny_cnn.json")
failures = []


def run(args, env_extra):
    env = dict(os.environ)
    env.update(env_extra)
    r = subprocess.run([BIN] + args, capture_output=True, text=True, env=env)
    if r.returncode != 0:
        failures.append("dnnchip %s: exit %d\n%s" % (" ".join(args), r.returncode, r.stderr[-2000:]))
    return r


def files(folder):
    out = {}
    for root, _, names in os.walk(folder):
        for n in names:
            p = os.path.join(root, n)
            with open(p, "rb") as f:
                out[os.path.relpath(p, folder)] = f.read()
    return out


def compare(what, a, b):
    fa, fb = files(a), files(b)
    if not fa:
        failures.append("%s: no output in %s" % (what, a))
    if sorted(fa) != sorted(fb):
        failures.append("%s: files in one folder only: %s" % (what, sorted(set(fa) ^ set(fb))))
    for name in sorted(set(fa) & set(fb)):
        if fa[name] != fb[name]:
            failures.append("%s: %s differs between the two processes" % (what, name))


CASES = [
    ("explore", ["explore", "-m", TINY, "-c", "ultra96", "--budget-evals", "3000", "--seed", "3"], "--threads"),
    ("map", ["map", "-m", "alexnet", "--design", "eyeriss_like", "--budget-evals", "3000", "--seed", "3"], "--threads"),
    ("generate", ["generate", "-m", TINY, "--design", os.path.join(SRC, "tests", "rtl", "cosim", "designs", "ws_3x5.json")], None),
]

shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
for name, args, threads in CASES:
    a, b = os.path.join(WORK, name + "_a"), os.path.join(WORK, name + "_b")
    run(args + ["-o", a] + ([threads, "1"] if threads else []), {})
    run(args + ["-o", b] + ([threads, "2"] if threads else []), {"MALLOC_PERTURB_": "165"})
    if BREAK and name == "explore":
        p = os.path.join(b, "pareto.json")
        with open(p, "ab") as f:
            f.write(b" ")
    compare(name, a, b)

for f in failures:
    print("FAIL:", f)
print("determinism: %d cases, %s" % (len(CASES), "FAILED" if failures else "all byte-identical"))
sys.exit(1 if failures else 0)
