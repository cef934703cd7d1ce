#!/usr/bin/python3
"""Exports torchvision models for the importer's model-zoo test (run by ctest, Debian torch 1.13,
torchvision 0.14), shapes only (export_params=False), several models per process.

For every export it writes <tag>.onnx and one entry of OUTDIR/<list>.json:
  {"tag", "model", "file", "opset", "dynamic_batch", "inputs", "input_shape", "modules": [...],
   "total_macs", "output_shape"}
`modules` is the independent count the importer is checked against: forward hooks on the torch
modules during the export's own trace (so the count is of exactly the traced computation):
  - Conv2d: output elements x (in_channels / groups) x kernel area;
  - Linear: output elements x in_features (on any number of leading dimensions);
  - BatchNorm2d not applied to a Conv2d's output (DenseNet): output elements (its per-channel
    multiply; a BN on a convolution's output folds into it and costs nothing);
  - MultiheadAttention (its projections and its two batched matmuls run functionally inside the
    module, where no module hook sees them; its forward is wrapped during the export): q/k/v
    projections and out_proj from the module's embed_dim and the query/key lengths it was called
    with, and heads x L x S x head_dim for each of the scores and the context, per batch element.
A dynamically batched export (dynamic_axes on the batch of the input and output) is traced at
batch 1 and imported with --input-shape at batch 2 (`import_batch`); its expected counts are the
batch-1 hooks with every output's batch set to 2 and the MACs doubled, which the C++ test applies.

Usage: export_zoo.py OUTDIR --list NAME --models M[:OPSET[:dyn]] ...
   or: export_zoo.py OUTDIR --list NAME --all-classification [--opsets 11 13 17] [--dynamic both]
       [--rotate]
Models keep torchvision's own initialization: the exporter merges parameters of equal values
(deduplicate_initializers), so a changed initialization would change the exported graph.
"""
import argparse
import json
import os
import sys
import time

import torch
import torchvision


def build(name):
    """A model by name: torchvision classification, detection/segmentation backbones."""
    torch.manual_seed(0)
    if name.startswith("backbone:"):
        return backbone(name.split(":", 1)[1])
    if name.startswith("seg:"):
        return segmentation(name.split(":", 1)[1])
    if name.startswith("small:"):
        return small(name.split(":", 1)[1])
    return getattr(torchvision.models, name)(weights=None).eval()


class Features(torch.nn.Module):
    """A backbone that returns a dict of feature maps, as a tuple (ONNX outputs are a list)."""
    def __init__(self, body):
        super().__init__()
        self.body = body

    def forward(self, x):
        y = self.body(x)
        return tuple(y.values()) if isinstance(y, dict) else y


def backbone(kind):
    d = torchvision.models.detection
    if kind == "resnet50_fpn":  # Faster/Mask/Keypoint R-CNN, RetinaNet v1
        m = d.fasterrcnn_resnet50_fpn(weights=None, weights_backbone=None).backbone
    elif kind == "mobilenet_v3_large_fpn":  # Faster R-CNN MobileNetV3
        m = d.fasterrcnn_mobilenet_v3_large_fpn(weights=None, weights_backbone=None).backbone
    elif kind == "retinanet_resnet50_fpn_v2":  # FPN with P6/P7 from P5
        m = d.retinanet_resnet50_fpn_v2(weights=None, weights_backbone=None).backbone
    elif kind == "fcos_resnet50_fpn":
        m = d.fcos_resnet50_fpn(weights=None, weights_backbone=None).backbone
    elif kind == "ssd300_vgg16":
        m = d.ssd300_vgg16(weights=None, weights_backbone=None).backbone
    elif kind == "ssdlite320_mobilenet_v3_large":
        m = d.ssdlite320_mobilenet_v3_large(weights=None, weights_backbone=None).backbone
    else:
        raise SystemExit("unknown backbone " + kind)
    return Features(m).eval()


def segmentation(kind):
    s = torchvision.models.segmentation
    m = getattr(s, kind)(weights=None, weights_backbone=None, aux_loss=False)

    class Out(torch.nn.Module):
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, x):
            return self.m(x)["out"]
    return Out(m).eval()


def small(kind):
    """torchvision's own architecture code at a reduced size, for the CI groups: the same graph
    patterns as the full model, exported in seconds instead of minutes."""
    if kind == "maxvit":  # maxvit_t's blocks (MBConv, block and grid attention with relative-position
        # biases) at 64 x 64, two stages of one layer; maxvit_t itself takes over 2 min to export
        return torchvision.models.maxvit.MaxVit(
            input_size=(64, 64), stem_channels=16, partition_size=4, block_channels=[32, 64], block_layers=[1, 1],
            head_dim=16, stochastic_depth_prob=0.0, num_classes=10).eval()
    if kind == "vit":  # vit_b_16's graph (patch conv, class token Expand + Concat, position
        # embedding, nn.MultiheadAttention, MLP) at 64 x 64, 2 layers of width 64; vit_b_16 itself
        # takes 40-90 s to export
        return torchvision.models.vision_transformer.VisionTransformer(
            image_size=64, patch_size=16, num_layers=2, num_heads=4, hidden_dim=64, mlp_dim=128, num_classes=10).eval()
    raise SystemExit("unknown small model " + kind)


def input_size(name):
    # Inception v3 is defined on 299 x 299; every other model here on 224 x 224 (ViT and
    # MaxViT only there), the SSD backbones on their own sizes.
    if name == "inception_v3":
        return 299
    if name == "backbone:ssd300_vgg16":
        return 300
    if name == "backbone:ssdlite320_mobilenet_v3_large":
        return 320
    if name.startswith("small:"):
        return 64
    return 224


def ints(shape):
    """Sizes as plain ints (under a trace with dynamic axes torch hands out 0-d tensors)."""
    return [int(d) for d in shape]


def hooked_export(model, x, path, opset, dynamic):
    """Exports (shapes only) while forward hooks record each module's MACs and output shape."""
    rows, hooks = [], []

    conv_outputs = {}  # id -> tensor (held, so that no later tensor reuses the id)

    def hook(name):
        def f(mod, inp, out):
            if isinstance(mod, torch.nn.Conv2d):
                k = mod.kernel_size[0] * mod.kernel_size[1]
                rows.append({"module": name, "kind": "conv2d", "out_shape": ints(out.shape),
                             "macs": int(out.numel()) * (mod.in_channels // mod.groups) * k})
                conv_outputs[id(out)] = out
            elif isinstance(mod, torch.nn.BatchNorm2d) and id(inp[0]) not in conv_outputs:
                # Not on a convolution's output (DenseNet's pre-activation BN): a per-channel
                # affine, one multiply per element (the importer's 1x1 depthwise convolution).
                rows.append({"module": name, "kind": "conv2d", "out_shape": ints(out.shape),
                             "macs": int(out.numel())})
            elif isinstance(mod, torch.nn.Linear):
                rows.append({"module": name, "kind": "fc", "out_shape": ints(out.shape),
                             "macs": int(out.numel()) * mod.in_features})
        return f

    # nn.MultiheadAttention is called with keyword arguments (ViT), which forward hooks of torch
    # 1.13 do not see: its forward is wrapped for the export instead, recording the query and key.
    mha = {id(m): n for n, m in model.named_modules() if isinstance(m, torch.nn.MultiheadAttention)}
    original_mha = torch.nn.MultiheadAttention.forward

    def mha_forward(mod, query, key, value, *args, **kwargs):
        out = original_mha(mod, query, key, value, *args, **kwargs)
        name = mha.get(id(mod))
        if name is not None:
            bf = mod.batch_first
            L, S = (int(query.shape[1]), int(key.shape[1])) if bf else (int(query.shape[0]), int(key.shape[0]))
            B = int(query.shape[0] if bf else query.shape[1])
            E, H = mod.embed_dim, mod.num_heads
            hd = E // H
            for part, n in (("q", L), ("k", S), ("v", S)):
                rows.append({"module": name + ".in_proj." + part, "kind": "fc", "out_shape": [], "macs": B * n * E * E})
            rows.append({"module": name + ".scores", "kind": "matmul", "out_shape": [], "macs": B * H * L * S * hd})
            rows.append({"module": name + ".context", "kind": "matmul", "out_shape": [], "macs": B * H * L * S * hd})
            rows.append({"module": name + ".out_proj", "kind": "fc", "out_shape": [], "macs": B * L * E * E})
        return out
    for name, mod in model.named_modules():
        # out_proj of an attention module runs functionally; the MHA hook counts it.
        if any(name.startswith(a + ".") for a in mha.values()):
            continue
        if isinstance(mod, (torch.nn.Conv2d, torch.nn.Linear, torch.nn.BatchNorm2d)):
            hooks.append(mod.register_forward_hook(hook(name)))
    kw = {}
    if dynamic:
        kw["dynamic_axes"] = {"input": {0: "batch"}}
    # With attention, under autograd: nn.MultiheadAttention takes its module path (the fused fast
    # path it takes without autograd has no ONNX export). Without, no autograd (no saved tensors).
    torch.nn.MultiheadAttention.forward = mha_forward
    try:
        with torch.enable_grad() if mha else torch.no_grad():
            torch.onnx.export(model, x, path, export_params=False, do_constant_folding=True,
                              opset_version=opset, input_names=["input"], **kw)
    finally:
        torch.nn.MultiheadAttention.forward = original_mha
        for h in hooks:
            h.remove()
    return rows


def export_one(outdir, name, opset, dynamic):
    model = build(name)
    s = input_size(name)
    x = torch.randn(1, 3, s, s)
    safe = name.replace(":", "_")
    tag = "%s_op%d%s" % (safe, opset, "_dyn" if dynamic else "")
    path = os.path.join(outdir, tag + ".onnx")
    t0 = time.time()
    rows = hooked_export(model, x, path, opset, dynamic)
    # "inputs": the model's own inputs (what torch.onnx.export was given); every other graph
    # input of a shapes-only export is a parameter, which the import must not take for an input.
    return {"tag": tag, "model": name, "file": tag + ".onnx", "opset": opset, "dynamic_batch": dynamic,
            "inputs": ["input"], "input_shape": [1, 3, s, s], "import_batch": 2 if dynamic else 1,
            "modules": rows, "total_macs": sum(r["macs"] for r in rows),
            "export_seconds": round(time.time() - t0, 2)}


def classification_models():
    m = torchvision.models
    return sorted(n for n in m.list_models(module=m))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--list", required=True, help="name of the JSON list written into OUTDIR")
    ap.add_argument("--models", nargs="*", default=[], help="NAME[:OPSET[:dyn]]")
    ap.add_argument("--all-classification", action="store_true")
    ap.add_argument("--opsets", nargs="*", type=int, default=[13])
    ap.add_argument("--dynamic", choices=["no", "yes", "both"], default="no")
    ap.add_argument("--rotate", action="store_true", help="one export per model, cycling through the variants")
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    torch.set_num_threads(1)
    torch.set_flush_denormal(True)
    todo = []
    for spec in a.models:
        p = spec.split(":")
        # backbone:NAME, seg:NAME and small:NAME keep their prefix
        if p[0] in ("backbone", "seg", "small"):
            p = [p[0] + ":" + p[1]] + p[2:]
        todo.append((p[0], int(p[1]) if len(p) > 1 else 13, len(p) > 2 and p[2] == "dyn"))
    if a.all_classification:
        dyn = {"no": [False], "yes": [True], "both": [False, True]}[a.dynamic]
        variants = [(o, d) for o in a.opsets for d in dyn]
        for k, n in enumerate(classification_models()):
            # --rotate: one export per model, the variants taken in turn; else every variant.
            for o, d in [variants[k % len(variants)]] if a.rotate else variants:
                todo.append((n, o, d))
    entries = []
    for name, opset, dyn in todo:
        try:
            e = export_one(a.outdir, name, opset, dyn)
        except Exception as ex:  # an export torch itself cannot do: recorded, the test reports it
            e = {"tag": name, "model": name, "opset": opset, "dynamic_batch": dyn,
                 "export_error": "%s: %s" % (type(ex).__name__, str(ex).splitlines()[0] if str(ex) else "")}
        entries.append(e)
        print("exported", e["tag"], e.get("export_seconds", e.get("export_error")), file=sys.stderr, flush=True)
        # Rewritten after each export (atomically): a long run cut short keeps what it did.
        with open(os.path.join(a.outdir, a.list + ".json.tmp"), "w") as f:
            json.dump({"exports": entries}, f, indent=1)
        os.replace(os.path.join(a.outdir, a.list + ".json.tmp"), os.path.join(a.outdir, a.list + ".json"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
