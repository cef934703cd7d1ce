#!/usr/bin/env python3
"""Every file dnnchip writes reads back into the commands that take that kind of file (issue 16,
item 7), with the same result as the original:

- built-ins as files: `lib show KIND NAME > f.json` for every model, design, constraint file and
  platform; the file gives the same `model show --json`, `predict --json`, `explore` Pareto front
  as the built-in name (a platform through a copy of a constraint file that names the file);
- explore's best/design.json and best/mapping.json: `predict` on them reproduces best/prediction.json;
- map's mapping.json: `predict --mapping` on it reproduces the prediction map reports for it;
- generate's dnnchip_design.json: `predict --design` on it gives the source design's cycles.

Usage: roundtrip.py DNNCHIP_BIN SOURCE_DIR WORK_DIR
"""
import json
import os
import shutil
import subprocess
import sys

BIN, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
TINY = os.path.join(SRC, "tests", "e2e", "build", "tiny_cnn.json")
failures = []


def run(args, ok=(0,)):
    r = subprocess.run([BIN] + args, capture_output=True, text=True)
    if r.returncode not in ok:
        failures.append("dnnchip %s: exit %d\n%s" % (" ".join(args), r.returncode, r.stderr[-2000:]))
    return r


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


def load(path):
    with open(path) as f:
        return json.load(f)


def without(j, keys):
    """The JSON without the fields that name where an input came from (a built-in name or a path)."""
    if isinstance(j, dict):
        return {k: without(v, keys) for k, v in j.items() if k not in keys}
    if isinstance(j, list):
        return [without(v, keys) for v in j]
    return j


def names(kind):
    r = run(["lib", "list", kind])
    return [l.split()[0] for l in r.stdout.splitlines()[2:] if l.startswith("  ")]


def shown(kind, name):
    r = run(["lib", "show", kind, name])
    path = os.path.join(WORK, "lib", kind, name + ".json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(r.stdout)
    try:
        json.loads(r.stdout)
    except ValueError as e:
        failures.append("lib show %s %s: stdout is not the JSON alone (%s)" % (kind, name, e))
    return path


def same_prediction(a, b, what):
    if not check(os.path.exists(a) and os.path.exists(b), "%s: no prediction to compare" % what):
        return False
    ja, jb = load(a), load(b)
    return check(without(ja, {"design", "model"}) == without(jb, {"design", "model"}),
                 "%s: the predictions differ" % what)


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    P = lambda *p: os.path.join(WORK, *p)

    # Models: the file's per-layer table is the built-in's.
    for m in names("models"):
        f = shown("models", m)
        a, b = run(["model", "show", "--json", m]), run(["model", "show", "--json", f])
        check(a.stdout and a.stdout == b.stdout, "model %s: `model show --json` differs between the name and `lib show`'s file" % m)

    # Designs: the same coarse prediction (AlexNet, which every reference design maps).
    for d in names("designs"):
        f = shown("designs", d)
        for stale in (P("pd_name.json"), P("pd_file.json")):
            if os.path.exists(stale):
                os.remove(stale)
        run(["predict", "--model", "alexnet", "--design", d, "--mode", "coarse", "--json", P("pd_name.json")])
        run(["predict", "--model", "alexnet", "--design", f, "--mode", "coarse", "--json", P("pd_file.json")])
        same_prediction(P("pd_name.json"), P("pd_file.json"), "design " + d)

    # Constraint files and the platforms they name: the same Pareto front on the tiny CNN.
    common = ["--model", TINY, "--budget-evals", "2000", "--threads", "1", "--seed", "1"]
    for c in names("constraints"):
        f = shown("constraints", c)
        a = run(["explore", "--constraints", c, "-o", P("ex_name", c)] + common, ok=(0, 3))
        b = run(["explore", "--constraints", f, "-o", P("ex_file", c)] + common, ok=(0, 3))
        check(a.returncode == b.returncode, "constraints %s: exit %d by name, %d from the file" % (c, a.returncode, b.returncode))
        if os.path.exists(P("ex_name", c, "pareto.json")):
            check(load(P("ex_name", c, "pareto.json")) == load(P("ex_file", c, "pareto.json")),
                  "constraints %s: the Pareto fronts differ between the name and the file" % c)
        # The platform it names, as a file: the same front again.
        cj = load(f)
        if isinstance(cj.get("platform"), str):
            cj["platform"] = shown("platforms", cj["platform"])
            with open(P("lib", "constraints", c + "_platform_file.json"), "w") as out:
                json.dump(cj, out, indent=2)
            run(["explore", "--constraints", P("lib", "constraints", c + "_platform_file.json"),
                 "-o", P("ex_plat", c)] + common, ok=(0, 3))
            if os.path.exists(P("ex_name", c, "pareto.json")):
                check(load(P("ex_name", c, "pareto.json")) == load(P("ex_plat", c, "pareto.json")),
                      "platform of %s: the Pareto fronts differ between the name and `lib show`'s file" % c)

    # explore's best design and mapping: predict reproduces its prediction.
    ex = P("ex_name", "ultra96", "best")
    if check(os.path.exists(os.path.join(ex, "design.json")), "explore on ultra96 wrote no best/design.json"):
        run(["predict", "--model", TINY, "--design", os.path.join(ex, "design.json"),
             "--mapping", os.path.join(ex, "mapping.json"), "--json", P("p_best.json")])
        same_prediction(os.path.join(ex, "prediction.json"), P("p_best.json"), "explore's best design and mapping")

    # map's mapping file: predict on it reproduces the prediction map wrote.
    run(["map", "--model", "alexnet", "--design", "eyeriss_like", "--budget-evals", "2000", "--threads", "1",
         "-o", P("map")])
    if check(os.path.exists(P("map", "mapping.json")), "map wrote no mapping.json"):
        run(["predict", "--model", "alexnet", "--design", "eyeriss_like", "--mapping", P("map", "mapping.json"),
             "--json", P("p_map.json")])
        run(["predict", "--model", "alexnet", "--design", "eyeriss_like", "--json", P("p_default.json")])
        if os.path.exists(P("map", "prediction.json")):
            same_prediction(P("map", "prediction.json"), P("p_map.json"), "map's mapping")
        else:
            # Without a written prediction, the mapping must at least be the one predict applies:
            # a default-mapped prediction that equals it would mean the file was ignored.
            check(load(P("p_map.json")) != load(P("p_default.json")), "predict --mapping ignored map's mapping.json")

    # generate's design file: predict --design on it gives the source design's cycles.
    run(["generate", "--design", "systolic_ws_8x8", "--model", TINY, "-o", P("gen")])
    gd = P("gen", "dnnchip_design.json")
    if check(os.path.exists(gd), "generate wrote no dnnchip_design.json"):
        run(["predict", "--model", TINY, "--design", "systolic_ws_8x8", "--mode", "fine", "--json", P("pg_name.json")])
        run(["predict", "--model", TINY, "--design", gd, "--mode", "fine", "--json", P("pg_file.json")])
        a, b = load(P("pg_name.json")), load(P("pg_file.json"))
        check(a["total"] == b["total"], "generate's dnnchip_design.json predicts %s, the source design %s"
              % (b["total"], a["total"]))

    for f in failures:
        print("FAIL: " + f)
    if failures:
        sys.exit(1)
    print("all output kinds read back with the same results")


if __name__ == "__main__":
    main()
