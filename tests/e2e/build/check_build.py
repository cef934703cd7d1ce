#!/usr/bin/env python3
"""End-to-end test of `dnnchip build` on the tiny CNN (tests/e2e/build/tiny_cnn.json).

1. build --simulate all: exit 0, report.html and report.json written.
2. The report's numbers equal those of predict, simulate and synth run separately through the CLI:
   per-layer cycles and energy (predict --mode fine with the chosen design and its mappings),
   simulated cycles and bit-exactness per layer (simulate on the hand-off), Yosys LUT/FF/DSP
   (synth --target <family>).
3. report.html in headless Chromium (check_html.py: no console error, Pareto plot, screenshot).
4. Impossible bounds: exit 3, a report marked infeasible is still written.
5. A malformed constraint file: exit 2 with the constraint file's diagnostic, no report.

Usage: check_build.py DNNCHIP_BIN SOURCE_DIR WORK_DIR
"""
import json
import os
import re
import shutil
import subprocess
import sys


def run(args, **kw):
    print("$ " + " ".join(args), flush=True)
    r = subprocess.run(args, capture_output=True, text=True, **kw)
    sys.stdout.write(r.stdout[-3000:])
    sys.stdout.write(r.stderr[-3000:])
    return r


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def main():
    bin_, src, work = sys.argv[1], sys.argv[2], sys.argv[3]
    here = os.path.join(src, "tests", "e2e", "build")
    model = os.path.join(here, "tiny_cnn.json")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    out = os.path.join(work, "handoff")

    # 1. the flow
    r = run([bin_, "build", "--model", model, "--constraints", os.path.join(here, "tiny_ultra96.json"),
             "-o", out, "--simulate", "all"])
    if r.returncode != 0:
        fail("build exited %d" % r.returncode)
    for i, step in enumerate(["import", "explore", "generate", "simulate", "synth", "report"], 1):
        if "[%d/6] %s:" % (i, step) not in r.stderr:
            fail("no progress line for step %d (%s)" % (i, step))
    summary = [l for l in r.stdout.splitlines() if l.startswith("  ")]
    if "report: " not in r.stdout or len(summary) != 4:
        fail("the report path and a four-line summary (design, predicted, clock, co-simulation) are not printed")
    clock_line = re.match(r"  clock (\d+(?:\.\d+)?) MHz: (NOT )?supported by the clock proxy \(\d+ logic levels", summary[2])
    if not clock_line:
        fail("the summary does not state the clock proxy's evidence: " + summary[2])
    design_mhz = float(clock_line.group(1))  # the clock the search chose (the platform's rule)
    rep = json.load(open(os.path.join(out, "report.json")))
    if not rep["feasible"]:
        fail("the tiny CNN with generous bounds is reported infeasible")
    design = os.path.join(out, rep["flow"]["design_file"])
    mapping = os.path.join(os.path.dirname(design), "mapping.json")

    # 2a. predict run separately: same per-layer cycles and energy
    pj = os.path.join(work, "predict.json")
    args = [bin_, "predict", "--model", model, "--design", design, "--mode", "fine", "--json", pj]
    if os.path.exists(mapping):
        args += ["--mapping", mapping]
    if run(args).returncode != 0:
        fail("predict failed")
    pred = json.load(open(pj))
    plaid = {l["name"]: l for l in pred["layers"]}
    for l in rep["layers"]:
        p = plaid[l["name"]]
        if abs(p["cycles"] - l["cycles"]) > 1e-9 * max(1, p["cycles"]) or \
           abs(p["energy_pj"] - l["energy_pj"]) > 1e-9 * max(1, p["energy_pj"]):
            fail("layer %s: report %s cycles %s pJ, predict %s cycles %s pJ" %
                 (l["name"], l["cycles"], l["energy_pj"], p["cycles"], p["energy_pj"]))
        # the per-layer utilization and energy table: the same utilization, bound, engine phases
        # and energy by block as predict's latency terms and energy by node
        def close(a, b):
            return set(a) == set(b) and all(abs(a[k] - b[k]) <= 1e-9 * max(1, abs(b[k])) for k in b)
        phases = {k: v for k, v in p["latency_terms_cycles"].items() if k.startswith("engine_")}
        if abs(l["utilization"] - p["utilization"]) > 1e-9 or l["bound"] != p["bound"] or \
           not close(l["phase_cycles"], phases) or not close(l["energy_by_block_pj"], p["energy_by_node_pj"]):
            fail("layer %s: report utilization/bound/phases/blocks differ from predict's" % l["name"])
    if abs(sum(l["cycle_share"] for l in rep["layers"]) - 1) > 1e-9:
        fail("layers' cycle shares add up to %s" % sum(l["cycle_share"] for l in rep["layers"]))
    if abs(sum(rep["layers_total"]["energy_share_by_block"].values()) - 1) > 1e-9:
        fail("blocks' energy shares add up to %s" % sum(rep["layers_total"]["energy_share_by_block"].values()))
    if abs(pred["total"]["latency_s"] - rep["predicted"]["latency_s"]) > 1e-12 * max(1, pred["total"]["latency_s"]):
        fail("latency: report %s, predict %s" % (rep["predicted"]["latency_s"], pred["total"]["latency_s"]))
    # the cycles table's predicted column is the fine prediction too
    for c in rep["cycles"]:
        if round(plaid[c["layer"]]["cycles"]) != c["predicted"]:
            fail("cycles table %s: predicted %s, predict says %s" % (c["layer"], c["predicted"], plaid[c["layer"]]["cycles"]))

    # 2b. simulate run separately on the hand-off: same RTL cycles, bit-exact
    seed = str(rep["flow"]["seed"])
    r = run([bin_, "simulate", "--design", out, "--seed", seed])
    if r.returncode != 0:
        fail("simulate failed")
    sim = json.load(open(os.path.join(out, "sim", "sim.json")))
    simlayers = {l["layer"] if "layer" in l else l["name"]: l for l in sim["layers"]}
    if len(rep["cycles"]) != len(simlayers):
        fail("report has %d co-simulated layers, simulate %d" % (len(rep["cycles"]), len(simlayers)))
    for c in rep["cycles"]:
        s = simlayers[c["layer"]]
        rtl = s.get("rtl_cycles", s.get("cycles"))
        if rtl != c["simulated"]:
            fail("layer %s: report simulated %s cycles, simulate %s" % (c["layer"], c["simulated"], rtl))
        if c["bit_exact"] is not True:
            fail("layer %s not bit-exact" % c["layer"])

    # 2c. synth run separately: same Yosys counts
    fam = rep["flow"]["family"]
    r = run([bin_, "synth", "--design", out, "--target", fam])
    if r.returncode != 0:
        fail("synth failed")
    m = re.search(r"synthesis \(\w+, yosys\): LUT (\d+), FF (\d+), DSP (\d+)", r.stdout)
    if not m:
        fail("no synthesis line in synth's output")
    syn = rep["synthesis"]
    cp = syn.get("clock_proxy")
    if not cp or cp["design_mhz"] != design_mhz or cp["logic_levels"] <= 0 or not cp["worst_path"] or \
            cp["supported"] != (cp["logic_levels"] <= cp["level_budget"] and cp["supported_mhz"] >= design_mhz):
        fail("report.json's synthesis.clock_proxy is missing or inconsistent: %s" % cp)
    if (int(m.group(1)), int(m.group(2)), int(m.group(3))) != (syn["lut"], syn["ff"], syn["dsp"]):
        fail("synth says LUT/FF/DSP %s, the report %s/%s/%s" % (m.groups(), syn["lut"], syn["ff"], syn["dsp"]))

    # 3. the page in a real browser
    if run(["/usr/bin/python3", os.path.join(src, "tests", "e2e", "report", "check_html.py"),
            os.path.join(out, "report.html"), "--min-points", "1"]).returncode != 0:
        fail("report.html does not pass the headless-Chromium check")
    html = open(os.path.join(out, "report.html")).read()
    if "<svg" not in html.split('class="diagram"')[-1] and shutil.which("dot"):
        fail("no block diagram in the page although Graphviz is installed")

    # 4. impossible bounds: exit 3 and an infeasible report
    bad = os.path.join(work, "infeasible")
    r = run([bin_, "build", "--model", model, "--constraints", os.path.join(here, "impossible.json"), "-o", bad,
             "--no-synth", "--simulate-layers", "1"])
    if r.returncode != 3:
        fail("impossible bounds: exit %d, expected 3" % r.returncode)
    inf = json.load(open(os.path.join(bad, "report.json")))
    if inf["feasible"] or not inf["notes"] or not inf["notes"][0].startswith("INFEASIBLE"):
        fail("the infeasible report is not marked infeasible")
    if "no design meets every bound" not in open(os.path.join(bad, "report.html")).read():
        fail("report.html does not say it is infeasible")

    # 4b. every candidate pruned: nothing to build, flow.no-design, exit 2
    r = run([bin_, "build", "--model", model, "--constraints", os.path.join(here, "no_design.json"),
             "-o", os.path.join(work, "no_design"), "--no-synth"])
    if r.returncode != 2 or "error[flow.no-design]" not in r.stderr:
        fail("no design: exit %d, stderr %r" % (r.returncode, r.stderr[-300:]))

    # 5. malformed constraint file: exit 2, its diagnostic, no report (a stale one is removed)
    mal = os.path.join(work, "malformed")
    os.makedirs(mal)
    open(os.path.join(mal, "report.html"), "w").write("stale")
    r = run([bin_, "build", "--model", model, "--constraints", os.path.join(here, "malformed.json"), "-o", mal])
    if r.returncode != 2 or "error[json.syntax]" not in r.stderr or "malformed.json" not in r.stderr:
        fail("malformed constraints: exit %d, stderr %r" % (r.returncode, r.stderr[-300:]))
    if os.path.exists(os.path.join(mal, "report.html")) or os.path.exists(os.path.join(mal, "report.json")):
        fail("a failed build left a report")
    print("OK")


if __name__ == "__main__":
    main()
