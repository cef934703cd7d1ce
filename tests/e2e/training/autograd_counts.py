#!/usr/bin/python3
"""The training step's passes against PyTorch's real backward graph (issue 19 item 3).

For torchvision's ResNet-18 (batch 2, 224x224) and torch.nn.TransformerEncoderLayer (the
fixture transformer_encoder_layer.json beside this file) it runs one forward and backward pass
in PyTorch and counts, from the ops autograd actually executes (a TorchDispatchMode sees every
aten op of the backward graph), the MACs of each matrix op from its operand shapes:
convolution_backward (grad_input and grad_weight separately, as its output_mask asks),
mm / addmm / bmm / baddbmm (a product whose result has a parameter's shape is a weight gradient,
the others data gradients). The saved activations are the tensors autograd keeps for backward
(torch.autograd.graph.saved_tensors_hooks), deduplicated by storage address and size, without
parameters, buffers and 0-d scalars, in bytes. These must equal what `dnnchip predict --phase
training --json` reports: the MACs of its fwd, bwd_data and bwd_weight rows (for ResNet-18 also
per layer and pass) and its saved_bytes.

Usage: autograd_counts.py DNNCHIP_BIN OUT_DIR [DESIGN]. Exit 0 on agreement, 1 on a mismatch,
77 (skip) when torch is missing unless CI=true (then 1).
"""

import json
import os
import subprocess
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))


def need_torch():
    try:
        import torch  # noqa: F401
        import torchvision  # noqa: F401
    except ImportError as e:
        print(f"torch/torchvision not importable ({e}); install python3-torch python3-torchvision")
        sys.exit(1 if os.environ.get("CI") == "true" else 77)


def prod(xs):
    p = 1
    for x in xs:
        p *= int(x)
    return p


def torch_counts(model, inputs):
    """MACs per (pass, layer) from the executed aten ops, and saved-for-backward bytes."""
    import torch
    from torch.utils._python_dispatch import TorchDispatchMode

    aten = torch.ops.aten
    params = {p.data_ptr(): n for n, p in model.named_parameters()}
    param_shapes = {tuple(p.shape) for p in model.parameters()}
    excluded = set(params) | {b.data_ptr() for b in model.buffers()}

    macs = defaultdict(int)  # (pass, layer or "") -> MACs

    class Counter(TorchDispatchMode):
        phase = "fwd"

        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            out = func(*args, **(kwargs or {}))
            f = func.overloadpacket
            if f is aten.convolution:
                x, w = args[0], args[1]
                layer = params.get(w.data_ptr(), "").rsplit(".", 1)[0]
                macs[("fwd", layer)] += out.numel() * w.numel() // w.shape[0]
            elif f is aten.convolution_backward:
                grad, w, mask = args[0], args[2], args[10]
                layer = params.get(w.data_ptr(), "").rsplit(".", 1)[0]
                n = grad.numel() * w.numel() // w.shape[0]
                if mask[0]:
                    macs[("bwd_data", layer)] += n
                if mask[1]:
                    macs[("bwd_weight", layer)] += n
            elif f in (aten.mm, aten.addmm, aten.bmm, aten.baddbmm):
                a, b = (args[1], args[2]) if f in (aten.addmm, aten.baddbmm) else (args[0], args[1])
                n = prod(a.shape) * b.shape[-1]
                if self.phase == "fwd":
                    kind = "fwd"
                elif f in (aten.mm, aten.addmm) and (tuple(out.shape) in param_shapes
                                                       or tuple(out.shape[::-1]) in param_shapes):
                    kind = "bwd_weight"
                else:
                    kind = "bwd_data"
                macs[(kind, "")] += n
            return out

    saved = {}

    def pack(t):
        if t.dim() == 0:  # a scalar operand (q / sqrt(d)): not an activation; an unwrapped copy,
            return t.clone()  # since the dispatch mode turns a wrapped number into a float
        if t.data_ptr() not in excluded:
            saved[(t.data_ptr(), t.numel(), t.dtype)] = t.numel() * t.element_size()
        return t

    # forward MACs from a forward without autograd (PyTorch 1.13's dispatch mode turns a saved
    # 0-d scalar into a Python float, which its backward then rejects), then the recorded forward
    # and its backward under the counter
    counter = Counter()
    with torch.no_grad(), counter:
        model(*inputs)
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        y = model(*inputs)
    loss = y.float().sum()
    counter.phase = "bwd"
    with counter:
        loss.backward()
    return macs, sum(saved.values())


def dnnchip_counts(binary, model, batch, design, out):
    subprocess.run([binary, "predict", "--model", model, "--design", design, "--phase", "training",
                    "--batch", str(batch), "--json", out], check=True, stdout=subprocess.DEVNULL)
    with open(out) as f:
        report = json.load(f)
    macs = defaultdict(int)
    for row in report["layers"]:
        if row["macs"]:  # per layer for convolutions (as torch's are attributed by weight), else a total
            layer = row["name"].split(".", 1)[0] if row["op"] == "conv2d" else ""
            macs[(row["pass"], layer)] += row["macs"]
    return macs, report["training"]


def totals(macs):
    t = defaultdict(int)
    for (kind, _), n in macs.items():
        t[kind] += n
    return {k: t[k] for k in ("fwd", "bwd_data", "bwd_weight")}


def compare(name, theirs, ours, training, failures):
    t, o = totals(theirs), totals(ours)
    for k in t:
        status = "ok" if t[k] == o[k] else "MISMATCH"
        print(f"{name}: {k:10s} torch {t[k]:>14,d}  dnnchip {o[k]:>14,d}  {status}")
        if t[k] != o[k]:
            failures.append(f"{name} {k} MACs: torch {t[k]} dnnchip {o[k]}")
        if training["passes"][k]["macs"] != o[k]:
            failures.append(f"{name} {k}: the report's pass total {training['passes'][k]['macs']} != rows {o[k]}")


def compare_memory(name, model, saved, training, failures):
    """Saved-for-backward bytes and trained parameters."""
    print(f"{name}: saved bytes torch {saved:,d}  dnnchip {training['saved_bytes']:,d}  "
          f"{'ok' if saved == training['saved_bytes'] else 'MISMATCH'}")
    if saved != training["saved_bytes"]:
        failures.append(f"{name} saved bytes: torch {saved} dnnchip {training['saved_bytes']}")
    params = sum(p.numel() for p in model.parameters())
    if params != training["parameters"]:
        failures.append(f"{name} parameters: torch {params} dnnchip {training['parameters']}")


def main():
    need_torch()
    import torch
    import torchvision

    binary, out_dir = sys.argv[1], sys.argv[2]
    design = sys.argv[3] if len(sys.argv) > 3 else "systolic_ws_8x8"
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(0)
    failures = []

    # ResNet-18, batch 2: totals, and per layer and pass (torch module "layer1.0.conv1" is our
    # "layer1_0_conv1"; the batch-norm layers carry no MACs)
    net = torchvision.models.resnet18()
    net.train()
    theirs, saved = torch_counts(net, (torch.randn(2, 3, 224, 224),))
    ours, training = dnnchip_counts(binary, "resnet18", 2, design, os.path.join(out_dir, "resnet18.json"))
    compare("resnet18", theirs, ours, training, failures)
    def ours_name(layer):  # torchvision's "layer2.0.downsample.0" is our "layer2_0_downsample"
        return layer.replace(".downsample.0", ".downsample").replace(".", "_")

    for (kind, layer), n in sorted(theirs.items()):
        if layer and ours.get((kind, ours_name(layer))) != n:
            failures.append(f"resnet18 {layer} {kind}: torch {n} MACs, dnnchip {ours.get((kind, ours_name(layer)))}")
    per_layer = {(k, l) for (k, l) in ours if k != "fwd" and l}
    theirs_layers = {(k, ours_name(l)) for (k, l) in theirs if k != "fwd" and l}
    if per_layer - theirs_layers:
        failures.append(f"resnet18: dnnchip backward passes torch does not run: {sorted(per_layer - theirs_layers)}")
    compare_memory("resnet18", net, saved, training, failures)

    # TransformerEncoderLayer (the fixture holds batch 2)
    enc = torch.nn.TransformerEncoderLayer(d_model=64, nhead=4, dim_feedforward=128, dropout=0.0,
                                           activation="relu", batch_first=True)
    enc.train()
    theirs, saved = torch_counts(enc, (torch.randn(2, 8, 64),))
    ours, training = dnnchip_counts(binary, os.path.join(HERE, "transformer_encoder_layer.json"), 1, design,
                                    os.path.join(out_dir, "encoder.json"))
    compare("encoder", theirs, ours, training, failures)
    compare_memory("encoder", enc, saved, training, failures)

    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
