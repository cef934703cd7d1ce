#!/usr/bin/env python3
"""Ctrl-C during a real `dnnchip build` and `dnnchip simulate` (issue 13, stopping).

Each case sends SIGINT at a deterministic point: once a known progress line has appeared and the
external tool of the stage under test (Verilator, Yosys, vvp) is running as a descendant of
dnnchip, or once the search's stage-2 bar is drawn. Every case checks:
  - exit 130, and the stop within a second of the signal (measured with a 2 s allowance for a
    loaded machine; no other timing is checked),
  - one line after the signal, the interruption note with its code (flow.interrupted or
    sim.interrupted),
  - no descendant process of dnnchip (nor anything in their process groups) still alive,
  - no partial output: no report, no sim.json, no testbench binary that a later run could reuse.

  build/simulate:  SIGINT while Verilator builds the testbench in step 4; a stale report.json of
                   an "earlier run" is gone; interrupted.txt names step 4/6 (simulate).
  build/synth:     SIGINT while Yosys runs in step 5; interrupted.txt names step 5/6 (synth).
  build/explore:   SIGINT in stage 2 of the search in step 2 (pty, progress bars); explore/ holds
                   the best design so far with a summary that says interrupted; no rtl/.
  build/generate:  SIGINT while the golden model of a full-size ResNet-18 runs in step 3; no
                   generated file.
  generate:        `dnnchip generate` of a full-size ResNet-18 stopped in its golden pass; no file.
  compile:         `dnnchip compile` of a full-size ResNet-18 stopped in its golden pass; no file.
  simulate/build:  `dnnchip simulate` stopped while Verilator builds; no obj_verilator product.
  simulate/run:    `dnnchip simulate --simulator iverilog` stopped while vvp runs; no sim.json,
                   no result.txt; the next run builds nothing stale and passes (exit 0).

usage: interrupt_build_simulate.py DNNCHIP SOURCE_DIR WORK_DIR
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
HERE = os.path.join(SRC, "tests", "e2e", "build")
MODEL = os.path.join(HERE, "tiny_cnn.json")
CONS = os.path.join(HERE, "tiny_ultra96.json")
ENV = dict(os.environ, DNNCHIP_DATA=SRC)
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)


def processes():
    """pid -> (ppid, pgid, state, comm) of every process."""
    out = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                s = f.read()
        except OSError:
            continue
        comm = s[s.index("(") + 1:s.rindex(")")]
        rest = s[s.rindex(")") + 2:].split()
        out[int(d)] = (int(rest[1]), int(rest[2]), rest[0], comm)
    return out


def descendants(root):
    procs = processes()
    found, frontier = {}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, pgid, state, comm) in procs.items():
            if ppid == parent and pid not in found:
                found[pid] = (pgid, comm)
                frontier.append(pid)
    return found


def alive(pids, pgids):
    """Processes (not zombies) among `pids` or in one of the process groups `pgids`."""
    return sorted(f"{pid}:{comm}" for pid, (ppid, pgid, state, comm) in processes().items()
                  if state != "Z" and (pid in pids or pgid in pgids))


def run(argv, trigger, timeout=600, use_pty=False):
    """Starts dnnchip, sends SIGINT once trigger(stderr text, descendant comms) is true. Returns
    (exit code, seconds from SIGINT to exit, stderr text, stderr after SIGINT, descendants seen)."""
    if use_pty:
        master, slave = pty.openpty()
        p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=slave, stdin=subprocess.DEVNULL, env=ENV)
        os.close(slave)
        fd = master
    else:
        p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                             env=ENV)
        fd = p.stderr.fileno()
    text, after, seen, t0, start = "", "", {}, None, time.monotonic()

    def drain(wait):
        nonlocal text, after
        got = False
        while True:
            r, _, _ = select.select([fd], [], [], wait)
            if not r:
                return got
            try:
                chunk = os.read(fd, 4096).decode(errors="replace")
            except OSError:
                chunk = ""
            if not chunk:
                return got
            got = True
            text += chunk
            if t0 is not None:
                after += chunk
            wait = 0

    while True:
        drain(0.02)
        if p.poll() is not None:
            break
        seen.update(descendants(p.pid))
        if t0 is None and trigger(text, {c for _, c in seen.values()}):
            p.send_signal(signal.SIGINT)
            t0 = time.monotonic()
        if time.monotonic() - start > timeout:
            p.kill()
            break
    p.wait()
    elapsed = time.monotonic() - t0 if t0 is not None else None
    drain(0.1)
    os.close(fd) if use_pty else p.stderr.close()
    return p.returncode, elapsed, text, after, seen


def common(name, rc, dt, after, seen, code):
    check(dt is not None, f"{name}: SIGINT sent at the trigger point")
    check(rc == 130, f"{name}: exit 130 (got {rc})")
    check(dt is not None and dt < 2.0, f"{name}: stopped {None if dt is None else round(dt, 2)} s after SIGINT (< 2 s)")
    # The search's progress bar (pty runs only) may draw its final state; anything else counts.
    lines = [l for l in after.replace("\r", "\n").split("\n")
             if l.strip() and not l.startswith("\x1b") and not l.startswith("stage ")]
    check(len(lines) == 1 and f"[{code}]" in lines[0], f"{name}: one {code} line after SIGINT (got {lines})")
    # A descendant still in dnnchip's own process group (a forked child before its exec and
    # setpgid, a sanitizer's helper) shares it with this script: only the tools' own groups count.
    left = alive(set(seen), {pgid for pgid, _ in seen.values() if pgid != os.getpgrp()})
    check(not left, f"{name}: no child process left ({left})")


def tool_running(tools):
    return lambda text, comms: any(t in comms for t in tools)


def read(path):
    with open(path) as f:
        return f.read()


shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)

# ---- build, stopped while Verilator builds the testbench (step 4) -------------------------------
out = os.path.join(WORK, "build_sim")
os.makedirs(out)
with open(os.path.join(out, "report.json"), "w") as f:
    f.write('{"stale": "a report of an earlier run"}\n')
rc, dt, err, after, seen = run([BIN, "build", "--model", MODEL, "--constraints", CONS, "-o", out],
                               lambda t, c: "[3/6] generate:" in t and tool_running({"verilator", "make", "cc1plus"})(t, c))
common("build/simulate", rc, dt, after, seen, "flow.interrupted")
check(not os.path.exists(os.path.join(out, "report.json")), "build/simulate: the stale report.json is gone")
check(not os.path.exists(os.path.join(out, "report.html")), "build/simulate: no report.html")
marker = os.path.join(out, "interrupted.txt")
check(os.path.exists(marker) and "step 4/6 (simulate)" in read(marker), "build/simulate: interrupted.txt names step 4/6")
check(not os.path.exists(os.path.join(out, "cosim", "sim", "obj_verilator")),
      "build/simulate: no half-built Verilator object folder")
check(os.path.exists(os.path.join(out, "explore", "best", "design.json")), "build/simulate: explore/best/ kept")

# ---- build, stopped while Yosys runs (step 5) ----------------------------------------------------
out = os.path.join(WORK, "build_synth")
rc, dt, err, after, seen = run([BIN, "build", "--model", MODEL, "--constraints", CONS, "-o", out],
                               lambda t, c: "[4/6] simulate:" in t and "yosys" in c)
common("build/synth", rc, dt, after, seen, "flow.interrupted")
marker = os.path.join(out, "interrupted.txt")
check(os.path.exists(marker) and "step 5/6 (synth)" in read(marker) and "simulate." in read(marker),
      "build/synth: interrupted.txt names step 5/6 and the finished steps")
check(not os.path.exists(os.path.join(out, "report.json")), "build/synth: no report.json")

# ---- build, stopped in stage 2 of the search (step 2) --------------------------------------------
out = os.path.join(WORK, "build_explore")
cons = os.path.join(WORK, "huge_budget.json")
with open(cons, "w") as f:
    json.dump({"schema_version": 1, "description": "interrupt test: a budget of minutes", "platform": "ultra96",
               "bounds": {"dsp_share": {"max": 0.9}}, "objective": "latency",
               "budget": {"max_evaluations": 2_000_000_000}, "seed": 1, "threads": 2}, f)
rc, dt, err, after, seen = run([BIN, "build", "--model", "resnet18", "--constraints", cons, "-o", out],
                               lambda t, c: "stage 1 [" in t and "\n" in t.split("stage 1 [")[-1], use_pty=True)
common("build/explore", rc, dt, after, seen, "flow.interrupted")
marker = os.path.join(out, "interrupted.txt")
check(os.path.exists(marker) and "step 2/6 (explore)" in read(marker), "build/explore: interrupted.txt names step 2/6")
summary = os.path.join(out, "explore", "summary.txt")
check(os.path.exists(summary) and "stopped early: interrupted (Ctrl-C)" in read(summary),
      "build/explore: explore/summary.txt says interrupted")
check(os.path.exists(os.path.join(out, "explore", "best", "design.json")), "build/explore: best design so far written")
check(not os.path.exists(os.path.join(out, "rtl")), "build/explore: nothing generated")

# ---- build, stopped while the golden model of ResNet-18 runs in generate (step 3) -----------------
# The golden pass of a full-size ResNet-18 takes about 20 s; it polls the stop request per output
# channel. SIGINT 0.5 s after step 2's line, when generate is inside it.
out = os.path.join(WORK, "build_generate")
sent_at = []
rc, dt, err, after, seen = run([BIN, "build", "--model", "resnet18", "--constraints", "ultra96", "--design",
                                "systolic_ws_8x8", "-o", out],
                               lambda t, c: "[2/6] explore:" in t and (sent_at or sent_at.append(time.monotonic()))
                               and time.monotonic() - sent_at[0] > 0.5)
common("build/generate", rc, dt, after, seen, "flow.interrupted")
marker = os.path.join(out, "interrupted.txt")
check(os.path.exists(marker) and "step 3/6 (generate)" in read(marker), "build/generate: interrupted.txt names step 3/6")
check(not os.path.exists(os.path.join(out, "rtl")) and not os.path.exists(os.path.join(out, "dnnchip_design.json")),
      "build/generate: no generated file written")

# ---- generate, stopped while the golden model of ResNet-18 runs ------------------------------------
# `dnnchip generate` produces every file in memory first (the golden pass takes about 20 s); SIGINT
# 1 s after the start lands in it. Nothing may be written.
out = os.path.join(WORK, "generate_resnet18")
started = []
rc, dt, err, after, seen = run([BIN, "generate", "--design", "systolic_ws_8x8", "--model", "resnet18", "-o", out],
                               lambda t, c: (started or started.append(time.monotonic()))
                               and time.monotonic() - started[0] > 1.0)
common("generate", rc, dt, after, seen, "generate.interrupted")
check(not os.path.exists(out) or not os.listdir(out), "generate: no file written")

# ---- compile, stopped while the golden run of ResNet-18's test input runs ---------------------------
# `dnnchip compile` also produces every file in memory first; SIGINT 1 s after the start.
out = os.path.join(WORK, "compile_resnet18")
started = []
rc, dt, err, after, seen = run([BIN, "compile", "--design", "systolic_ws_8x8", "--model", "resnet18",
                                "--prog-depth", "960", "-o", out],
                               lambda t, c: (started or started.append(time.monotonic()))
                               and time.monotonic() - started[0] > 1.0)
common("compile", rc, dt, after, seen, "compile.interrupted")
check(not os.path.exists(out) or not os.listdir(out), "compile: no file written")

# ---- simulate, stopped while Verilator builds ------------------------------------------------------
design = os.path.join(WORK, "design")
r = subprocess.run([BIN, "generate", "--design", os.path.join(WORK, "build_sim", "explore", "best", "design.json"),
                    "--model", MODEL, "-o", design], env=ENV, capture_output=True, text=True, timeout=300)
check(r.returncode == 0, f"generate a design for simulate (exit {r.returncode})")
rc, dt, err, after, seen = run([BIN, "simulate", "--design", design],
                               tool_running({"verilator", "make", "cc1plus"}))
common("simulate/build", rc, dt, after, seen, "sim.interrupted")
check(not os.path.exists(os.path.join(design, "sim", "obj_verilator")), "simulate/build: no half-built testbench")
check(not os.path.exists(os.path.join(design, "sim", "sim.json")), "simulate/build: no sim.json")

# ---- simulate with Icarus, stopped while vvp runs ----------------------------------------------------
rc, dt, err, after, seen = run([BIN, "simulate", "--design", design, "--simulator", "iverilog"], tool_running({"vvp"}))
common("simulate/run", rc, dt, after, seen, "sim.interrupted")
check(not os.path.exists(os.path.join(design, "sim", "sim.json")), "simulate/run: no sim.json")
check(not os.path.exists(os.path.join(design, "sim", "run_seed1", "result.txt")), "simulate/run: no result.txt")
r = subprocess.run([BIN, "simulate", "--design", design, "--simulator", "iverilog"], env=ENV, capture_output=True,
                   text=True, timeout=600)
check(r.returncode == 0 and os.path.exists(os.path.join(design, "sim", "sim.json")),
      f"simulate/run: the next run completes (exit {r.returncode}) and writes sim.json")

if failures:
    print(f"{len(failures)} check(s) failed")
    sys.exit(1)
print("all checks passed")
