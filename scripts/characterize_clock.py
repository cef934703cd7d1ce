#!/usr/bin/env python3
r"""Regenerates designs/characterization/engine_logic_depth.json (docs/timing.md#characterization).

For each (design JSON, platform, Yosys target) it runs `dnnchip generate`, turns the generated top
into its program-port form (below) and runs `dnnchip synth`, and records the clock proxy's
findings: the deepest register-to-register path in logic levels, the DSP register configurations,
whether the netlist has block RAM, and the engine's optional units (the depthwise unit, the softmax
unit, residual_add's multiply mode, the activation unit's level) and the activation buffer's depth
(ACT_DEPTH: a deeper buffer widens the DMA's gather counts). The search reads the file to give
each engine configuration the highest PL clock the platform's rule allows, on an entry whose
netlist has every unit the configuration builds (ClockCharacterization::find); `dnnchip build`
re-measures the chosen design's own netlist with its program.

No program: the generated top bakes the tile program into the controller's ROM (PROG_INIT 1), and
Yosys folds the descriptor bits that are constant over that model's program, which hides paths
another model's program has (docs/timing.md, "The program is part of the netlist"). The
characterization therefore synthesizes the engine with PROG_INIT 0 and its program write port
(prog_we, prog_waddr, prog_wmask, prog_wdata) on top-level inputs, as the SoC top loads it at run
time: no descriptor bit is a constant, so the depth holds for any program. The rewrite is checked:
the script stops if the generated top does not have the expected form.

Usage:
  python3 scripts/characterize_clock.py --bin build/dnnchip \
      --run DESIGN.json:ultra96:xcup[:MODEL] --run DESIGN.json:pynq_z1:xc7 [--model resnet18] [--work DIR]
      [--out FILE] [--keep] [--merge OTHER_OUTPUT.json]
MODEL (default --model) is the model the design is generated for: it decides which optional units
the engine builds (a depthwise layer with the design's depthwise_unit, ReLU6 the activation unit's
clamps, ...). --keep keeps the file's entries whose key no run replaces (a run re-measures one
entry); --merge takes the entries of another output of the script (runs made in parallel, each
with its own --out). Each synthesis takes minutes (a 4x8 engine) to tens of minutes (16x32) on two cores.
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


PROG_PORTS = [("prog_we", "", "1'b0"), ("prog_waddr", "[15:0]", "16'd0"), ("prog_wmask", "[25:0]", "26'd0"),
              ("prog_wdata", "[831:0]", "832'd0")]


def program_port_top(text):
    """The generated top with PROG_INIT 0 and the program write port on top-level inputs."""
    def sub(old, new):
        nonlocal text
        if text.count(old) != 1:
            sys.exit("the generated top does not have the expected form (%r found %d times): update "
                     "scripts/characterize_clock.py with src/codegen/EmitRtl.cpp" % (old, text.count(old)))
        text = text.replace(old, new)
    sub("    .PROG_FILE(PROG_FILE)\n", "    .PROG_FILE(PROG_FILE),\n    .PROG_INIT(0)\n")
    for name, width, tie in PROG_PORTS:
        sub("    .%s(%s)" % (name, tie), "    .%s(%s)" % (name, name))
    sub("  input  wire rst_n,\n", "  input  wire rst_n,\n" + "".join(
        "  input  wire %-16s%s,\n" % (width, name) for name, width, _ in PROG_PORTS))
    return text


def engine_params(top):
    """The dnnchip_engine parameters the generated top sets (name -> text)."""
    m = re.search(r"dnnchip_engine #\((.*?)\n  \) u_engine", top, re.S)
    if not m:
        sys.exit("no dnnchip_engine instance in the generated top")
    return dict(re.findall(r"\.(\w+)\(([^)]*)\)", m.group(1)))


def entry(binary, model, design, plat, target, work):
    d = json.load(open(design))
    name = os.path.splitext(os.path.basename(design))[0]
    out = os.path.join(work, "%s_%s_%s" % (name, model, target))
    run([binary, "generate", "--design", design, "-m", model, "-o", out])
    top_path = os.path.join(out, "rtl", "dnnchip_top.v")
    top = open(top_path).read()
    params = engine_params(top)
    with open(top_path, "w") as f:
        f.write(program_port_top(top))
    text = run([binary, "synth", "--design", out, "--target", target, "--platform", plat])
    with open(os.path.join(out, "synth_output.txt"), "w") as f:
        f.write(text)
    m = re.search(r"^logic depth \(register to register\): (\d+) levels (.*)$", text, re.M)
    if not m:
        sys.exit("no logic depth in the synth output of %s:\n%s" % (design, text[-2000:]))
    if re.search(r"^latches: INFERRED", text, re.M):
        sys.exit("%s: synthesis inferred a latch" % design)
    dsps = []
    for g in re.finditer(r"^(DSP48E[12]) x (\d+): AREG=(\d) BREG=(\d) ADREG=(\d) MREG=(\d) PREG=(\d)( \(pre-adder\))?$",
                         text, re.M):
        dsps.append({"mreg": g.group(6) == "1", "preadd": bool(g.group(8)), "adreg": g.group(5) == "1",
                     "count": int(g.group(2))})
    array = next(n for n in d["nodes"] if n["kind"] == "compute")
    dma = next(n for n in d["nodes"] if n["kind"] == "dma")
    pack = int(params.get("PACK", "1"))
    if pack != (2 if array["ip"].endswith("_pack2") else 1):
        sys.exit("%s: the generated top's PACK %d is not the design's MAC IP %s" % (design, pack, array["ip"]))
    units = {
        "depthwise_unit": params.get("DW", "0") == "1",
        "softmax_unit": params.get("SOFTMAX", "0") == "1",
        "mul_unit": params.get("MUL", "0") == "1",
        "activation_unit": int(params.get("ACT", "0")),
        "act_depth": int(params["ACT_DEPTH"]),
    }
    return {
        "family": target,
        "pack": pack,
        "axi_data_bits": dma["width_bits"],
        "rows": int(params["ROWS"]),
        "cols": int(params["COLS"]),
        **units,
        "program": "none",
        "logic_levels": int(m.group(1)),
        "dsp": dsps,
        "bram": bool(re.search(r"^block RAMs: [1-9]", text, re.M)),
        "source": "dnnchip synth --target %s --platform %s on design %s generated for %s, program memory written "
                  "through top-level ports (PROG_INIT 0, no program folded) (%s, %s): worst path %s levels %s"
                  % (target, plat, d["name"], model, yosys_version(), datetime.date.today().isoformat(), m.group(1),
                     m.group(2)),
    }


def key(e):
    return (e["family"], e["pack"], e["axi_data_bits"], e.get("depthwise_unit", False), e.get("softmax_unit", False),
            e.get("mul_unit", False), e.get("activation_unit", 0), e.get("act_depth", 0))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default="build/dnnchip")
    ap.add_argument("--model", default="resnet18")
    ap.add_argument("--run", action="append", default=[], help="DESIGN.json:PLATFORM:TARGET[:MODEL]")
    ap.add_argument("--merge", action="append", default=[],
                    help="take the entries of FILE, an output of this script (runs made in parallel)")
    ap.add_argument("--work", default="characterize_out")
    ap.add_argument("--out", default="designs/characterization/engine_logic_depth.json")
    ap.add_argument("--keep", action="store_true", help="keep the file's entries no run replaces")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    entries = {}
    if a.keep and os.path.exists(a.out):
        for e in json.load(open(a.out))["entries"]:
            entries[key(e)] = e
    for m in a.merge:
        for e in json.load(open(m))["entries"]:
            entries[key(e)] = e
    if not a.run and not a.merge:
        ap.error("give --run or --merge")
    for r in a.run:
        parts = r.split(":")
        design, plat, target = parts[:3]
        e = entry(a.bin, parts[3] if len(parts) > 3 else a.model, design, plat, target, a.work)
        entries[key(e)] = e
        print("%s: %d levels" % (design, e["logic_levels"]), file=sys.stderr)
    doc = {
        "schema_version": 2,
        "description": "Measured logic depth of generated engines (the clock proxy, docs/timing.md), each with the "
                       "program memory written through ports (no program folded into the netlist); written by "
                       "scripts/characterize_clock.py, do not edit by hand",
        "tool": "dnnchip synth (Yosys synth_xilinx, then sim::measureLogicDepth)",
        "entries": [entries[k] for k in sorted(entries)],
    }
    with open(a.out, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
