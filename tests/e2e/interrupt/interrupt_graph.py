#!/usr/bin/env python3
"""Ctrl-C while `dnnchip graph --svg` waits for Graphviz (issue 13, stopping).

A stand-in `dot` on PATH that sleeps makes the wait deterministic. SIGINT 1 s after the start
must end dnnchip within 2 s with exit 130 and one `graph.interrupted` note, kill the stand-in
(no process of its group left), write no SVG and leave no dnnchip-graph-<pid> temporary folder.

usage: interrupt_graph.py DNNCHIP WORK_DIR
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

BIN, WORK = sys.argv[1], sys.argv[2]
shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(os.path.join(WORK, "bin"))
fake = os.path.join(WORK, "bin", "dot")
marker = os.path.join(WORK, "dot.pid")
with open(fake, "w") as f:
    f.write(f"#!/bin/sh\necho $$ > {marker}\nexec sleep 60\n")
os.chmod(fake, 0o755)
env = dict(os.environ, PATH=os.path.join(WORK, "bin") + ":" + os.environ.get("PATH", "/usr/bin:/bin"))
svg = os.path.join(WORK, "eyeriss.svg")
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)


p = subprocess.Popen([BIN, "graph", "eyeriss_like", "--svg", svg], env=env,
                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
deadline = time.monotonic() + 60
while not os.path.exists(marker) and time.monotonic() < deadline and p.poll() is None:
    time.sleep(0.05)
check(os.path.exists(marker), "the stand-in dot started")
time.sleep(1.0)
t0 = time.monotonic()
p.send_signal(signal.SIGINT)
try:
    err = p.communicate(timeout=30)[1]
except subprocess.TimeoutExpired:
    p.kill()
    err = p.communicate()[1]
dt = time.monotonic() - t0
check(p.returncode == 130, f"exit 130 (got {p.returncode})")
check(dt < 2.0, f"stopped {dt:.2f} s after SIGINT (< 2 s)")
lines = [l for l in err.splitlines() if l.strip()]
check(len(lines) == 1 and "[graph.interrupted]" in lines[0], f"one graph.interrupted line (got {lines})")
check(not os.path.exists(svg), "no SVG written")
tmp = os.path.join(tempfile.gettempdir(), f"dnnchip-graph-{p.pid}")
check(not os.path.exists(tmp), f"no temporary folder left ({tmp})")
if os.path.exists(marker):
    pid = int(open(marker).read().strip() or 0)
    time.sleep(0.2)
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        state = "gone"
    check(state in ("gone", "Z"), f"the stand-in dot was killed (state {state})")
sys.exit(1 if failures else 0)
