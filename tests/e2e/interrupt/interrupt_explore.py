#!/usr/bin/env python3
"""Ctrl-C during a real `dnnchip explore` and `dnnchip map` (issue 13, stopping).

The run's stderr is a pseudo-terminal, so dnnchip draws its progress bars there and the test sees
which stage is running: the stage-1 bar is drawn every 100 ms and ends with a newline when stage 2
starts.

  stage 2: SIGINT once stage 2 runs (a budget of minutes); dnnchip must exit 130 within a second
           (measured here with a 2 s allowance for a loaded machine), write best/ and a summary
           that says it was interrupted.
  stage 1: SIGINT while stage 1 runs; exit 130 and a summary that says it was interrupted and does
           not blame a bound for the missing winner.
  map:     SIGINT 2 s into `map` with a budget of hours; exit 130 within a second, mapping.json
           (marked interrupted) and prediction.json written.
  reuse:   an infeasible run into the folder of a feasible run must not leave its best/ behind.

usage: interrupt_explore.py DNNCHIP SOURCE_DIR WORK_DIR
"""
import json
import os
import pty
import select
import shutil
import signal
import subprocess
import sys
import time

BIN, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def constraints(path, budget, bounds):
    with open(path, "w") as f:
        json.dump({
            "schema_version": 1,
            "description": "interrupt test",
            "platform": "ultra96",
            "bounds": bounds,
            "objective": "latency",
            "precision": {"activation_bits": 8, "weight_bits": 8, "accumulator_bits": 32},
            "budget": {"max_evaluations": budget},
            "seed": 1,
        }, f)
    return path


def run(model, cons, out, wait_for, timeout=120):
    """Starts explore, sends SIGINT once `wait_for` appears on its (pty) stderr; returns
    (exit code, seconds from SIGINT to exit, stderr text, whether SIGINT was sent)."""
    master, slave = pty.openpty()
    env = dict(os.environ, DNNCHIP_DATA=SRC)
    p = subprocess.Popen([BIN, "explore", "--model", model, "--constraints", cons, "-o", out, "--threads", "2"],
                         stdout=subprocess.DEVNULL, stderr=slave, stdin=subprocess.DEVNULL, env=env)
    os.close(slave)
    text, sent, t0, start = "", False, None, time.monotonic()
    while True:
        r, _, _ = select.select([master], [], [], 0.05)
        if r:
            try:
                chunk = os.read(master, 4096).decode(errors="replace")
            except OSError:
                chunk = ""
            text += chunk
        if not sent and wait_for(text):
            p.send_signal(signal.SIGINT)
            sent, t0 = True, time.monotonic()
        if p.poll() is not None:
            break
        if time.monotonic() - start > timeout:
            p.kill()
            break
    elapsed = time.monotonic() - t0 if t0 else None
    p.wait()
    try:
        while True:
            r, _, _ = select.select([master], [], [], 0.05)
            if not r:
                break
            chunk = os.read(master, 4096)
            if not chunk:
                break
            text += chunk.decode(errors="replace")
    except OSError:
        pass
    os.close(master)
    return p.returncode, elapsed, text, sent


def read(path):
    with open(path) as f:
        return f.read()


def partial_files(folder):
    """Files an unfinished write would leave: io::writeFileAtomic's NAME.tmp.PID before its rename,
    and empty files."""
    found = []
    for root, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            if ".tmp." in name or os.path.getsize(path) == 0:
                found.append(os.path.relpath(path, folder))
    return found


shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)

# ---- stage 2: a budget that would take minutes -------------------------------------------------
out2 = os.path.join(WORK, "stage2")
cons2 = constraints(os.path.join(WORK, "stage2.json"), 2_000_000_000, {"dsp_share": {"max": 0.9}})
rc, dt, err, sent = run("resnet18", cons2, out2, lambda t: "stage 1 [" in t and "\n" in t.split("stage 1 [")[-1])
check(sent, "stage 2: SIGINT sent after stage 1 finished")
check(rc == 130, f"stage 2: exit 130 (got {rc})")
check(dt is not None and dt < 2.0, f"stage 2: stopped {dt if dt is None else round(dt, 2)} s after SIGINT (< 2 s)")
summary = read(os.path.join(out2, "summary.txt")) if os.path.exists(os.path.join(out2, "summary.txt")) else ""
check("stopped early: interrupted (Ctrl-C)" in summary, "stage 2: summary says it was interrupted")
check(os.path.exists(os.path.join(out2, "best", "design.json")), "stage 2: best/design.json written")
check(os.path.exists(os.path.join(out2, "best", "mapping.json")), "stage 2: best/mapping.json written")
check("note[search.interrupted]" in err, "stage 2: one coded note (search.interrupted) on stderr")
check(partial_files(out2) == [], f"stage 2: no partial file left {partial_files(out2)}")

# ---- stage 1: interrupt while stage 1 runs; the summary must not blame a bound ------------------
out1 = os.path.join(WORK, "stage1")
cons1 = constraints(os.path.join(WORK, "stage1.json"), 400000, {"latency_ms": {"max": 1000}})
rc, dt, err, sent = run("resnet50", cons1, out1, lambda t: "stage 1 [" in t)
check(sent, "stage 1: SIGINT sent while stage 1 ran")
check(rc == 130, f"stage 1: exit 130 (got {rc})")
check(dt is not None and dt < 2.0, f"stage 1: stopped {dt if dt is None else round(dt, 2)} s after SIGINT (< 2 s)")
summary = read(os.path.join(out1, "summary.txt")) if os.path.exists(os.path.join(out1, "summary.txt")) else ""
check("stopped early: interrupted (Ctrl-C)" in summary, "stage 1: summary says it was interrupted")
check("no design meets the bound" not in summary, "stage 1: summary blames no bound")
check("search.infeasible" not in err, "stage 1: no search.infeasible diagnostic")
check("note[search.interrupted]" in err, "stage 1: one coded note (search.interrupted) on stderr")
check(partial_files(out1) == [], f"stage 1: no partial file left {partial_files(out1)}")

# ---- map: SIGINT 2 s into a mapping search with a budget of hours -------------------------------
outm = os.path.join(WORK, "map")
env = dict(os.environ, DNNCHIP_DATA=SRC)
p = subprocess.Popen([BIN, "map", "--model", "resnet50", "--design", "eyeriss_like", "--budget-evals", str(1 << 36),
                      "-o", outm, "--threads", "2"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
time.sleep(2.0)
t0 = time.monotonic()
p.send_signal(signal.SIGINT)
try:
    _, merr = p.communicate(timeout=60)
except subprocess.TimeoutExpired:
    p.kill()
    _, merr = p.communicate()
dt = time.monotonic() - t0
check(p.returncode == 130, f"map: exit 130 (got {p.returncode})")
check(dt < 2.0, f"map: stopped {round(dt, 2)} s after SIGINT (< 2 s)")
mapping = os.path.join(outm, "mapping.json")
check(os.path.exists(mapping) and "interrupted" in read(mapping), "map: mapping.json written and marked interrupted")
check(os.path.exists(os.path.join(outm, "prediction.json")), "map: prediction.json written")
check("note[search.interrupted]" in merr, "map: one coded note (search.interrupted) on stderr")
check(partial_files(outm) == [], f"map: no partial file left {partial_files(outm)}")

# ---- reuse: an infeasible run into the folder of a feasible one removes its best/ --------------
out3 = os.path.join(WORK, "reuse")
env = dict(os.environ, DNNCHIP_DATA=SRC)
ok = constraints(os.path.join(WORK, "feasible.json"), 2000, {"dsp_share": {"max": 0.9}})
r = subprocess.run([BIN, "explore", "--model", "resnet18", "--constraints", ok, "-o", out3], env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=300)
check(r.returncode == 0 and os.path.exists(os.path.join(out3, "best", "design.json")),
      f"reuse: a feasible run writes best/ (exit {r.returncode})")
cons3 = constraints(os.path.join(WORK, "impossible.json"), 2000, {"latency_ms": {"max": 1e-6}})
r = subprocess.run([BIN, "explore", "--model", "resnet18", "--constraints", cons3, "-o", out3], env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=300)
check(r.returncode == 3, f"reuse: the infeasible run exits 3 (got {r.returncode})")
check(not os.path.exists(os.path.join(out3, "best")), "reuse: the earlier run's best/ is gone")
check("none:" in read(os.path.join(out3, "summary.txt")), "reuse: the summary says there is no winner")

if failures:
    print(f"{len(failures)} check(s) failed")
    sys.exit(1)
