#!/usr/bin/env python3
"""Regenerates designs/characterization/engine_logic_depth.json (docs/timing.md#characterization).

For each (design JSON, platform, Yosys target) it runs `dnnchip generate` and `dnnchip synth` and
records the clock proxy's findings: the deepest register-to-register path in logic levels, the DSP
register configurations and whether the netlist has block RAM. The search reads the file to give
each engine configuration (family, DSP packing, AXI width) the highest PL clock the platform's rule
allows; `dnnchip build` re-measures the chosen design's own netlist.

Usage:
  python3 scripts/characterize_clock.py --bin build/dnnchip --model resnet18 \
      --run DESIGN.json:ultra96:xcup --run DESIGN.json:pynq_z1:xc7 [--work DIR] [--out FILE]
Each synthesis takes minutes (a 4x8 engine) to tens of minutes (16x32) on two cores. Small arrays
measure the same paths as large ones (the deepest paths are per lane or in the controller and DMA,
whose widths follow ACT_DEPTH, ACC_DEPTH and DATA_W, not ROWS x COLS); docs/timing.md records the
check on the 16x32 Ultra96 engine.
"""
import argparse
import datetime
import json
import os
import re
import subprocess
import sys


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(cmd), p.stdout[-2000:]))
    return p.stdout


def yosys_version():
    try:
        return subprocess.run(["yosys", "-V"], stdout=subprocess.PIPE, text=True).stdout.strip()
    except OSError:
        return "yosys (version unknown)"


def entry(binary, model, design, plat, target, work, synth_output=None):
    d = json.load(open(design))
    name = os.path.splitext(os.path.basename(design))[0]
    out = os.path.join(work, "%s_%s" % (name, target))
    if synth_output:  # a `dnnchip synth` run already made (its printed output)
        text = open(synth_output).read()
    else:
        run([binary, "generate", "--design", design, "-m", model, "-o", out])
        text = run([binary, "synth", "--design", out, "--target", target, "--platform", plat])
    m = re.search(r"^logic depth \(register to register\): (\d+) levels (.*)$", text, re.M)
    if not m:
        sys.exit("no logic depth in the synth output of %s:\n%s" % (design, text[-2000:]))
    dsps = []
    for g in re.finditer(r"^(DSP48E[12]) x (\d+): AREG=(\d) BREG=(\d) ADREG=(\d) MREG=(\d) PREG=(\d)( \(pre-adder\))?$",
                         text, re.M):
        dsps.append({"mreg": g.group(6) == "1", "preadd": bool(g.group(8)), "adreg": g.group(5) == "1",
                     "count": int(g.group(2))})
    array = next(n for n in d["nodes"] if n["kind"] == "compute")
    dma = next(n for n in d["nodes"] if n["kind"] == "dma")
    return {
        "family": target,
        "pack": 2 if array["ip"].endswith("_pack2") else 1,
        "axi_data_bits": dma["width_bits"],
        "rows": array["rows"],
        "cols": array["cols"],
        "logic_levels": int(m.group(1)),
        "dsp": dsps,
        "bram": bool(re.search(r"^block RAMs: [1-9]", text, re.M)),
        "source": "dnnchip synth --target %s --platform %s on design %s generated for %s (%s, %s): worst path %s levels %s"
                  % (target, plat, d["name"], model, yosys_version(), datetime.date.today().isoformat(), m.group(1),
                     m.group(2)),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default="build/dnnchip")
    ap.add_argument("--model", default="resnet18")
    ap.add_argument("--run", action="append", required=True,
                    help="DESIGN.json:PLATFORM:TARGET[:SYNTH_OUTPUT] (SYNTH_OUTPUT: the printed output of a "
                         "`dnnchip synth --platform PLATFORM` run on DESIGN.json, instead of running it again)")
    ap.add_argument("--work", default="characterize_out")
    ap.add_argument("--out", default="designs/characterization/engine_logic_depth.json")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    entries = []
    for r in a.run:
        parts = r.split(":")
        design, plat, target = parts[:3]
        entries.append(entry(a.bin, a.model, design, plat, target, a.work, parts[3] if len(parts) > 3 else None))
        print("%s: %d levels" % (design, entries[-1]["logic_levels"]), file=sys.stderr)
    entries.sort(key=lambda e: (e["family"], e["pack"], e["axi_data_bits"]))
    doc = {
        "schema_version": 1,
        "description": "Measured logic depth of generated engines (the clock proxy, docs/timing.md); "
                       "written by scripts/characterize_clock.py, do not edit by hand",
        "tool": "dnnchip synth (Yosys synth_xilinx, then sim::measureLogicDepth)",
        "entries": entries,
    }
    with open(a.out, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
