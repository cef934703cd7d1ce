#!/usr/bin/python3
"""Exports the ONNX fixtures of the ONNX importer tests into OUTDIR (run by ctest, Debian torch).

For each model it writes <name>.onnx and <name>.macs.json. The MAC counts are independent of
the importer: Conv2d and Linear MACs come from forward hooks on the torch modules (output
elements x input channels per group x kernel area, or output elements x in_features); the
attention matmuls, which torch runs functionally inside MultiheadAttention, are counted from the
module's shapes (2 x heads x seq^2 x head_dim), and so is its out_proj Linear.

Usage: export_fixtures.py OUTDIR [--with-weights NAME ...] [--only NAME ...]
CNNs are exported without parameters (export_params=False) unless named in --with-weights.
"""
import argparse
import json
import os
import sys

import torch
import torchvision


def conv_linear_macs(model, x):
    """Per-module MACs of Conv2d and Linear modules via forward hooks, in call order."""
    rows = []
    hooks = []

    def hook(name):
        def f(mod, inp, out):
            if isinstance(mod, torch.nn.Conv2d):
                k = mod.kernel_size[0] * mod.kernel_size[1]
                macs = out.numel() * (mod.in_channels // mod.groups) * k
                rows.append({"module": name, "kind": "conv2d", "out_shape": list(out.shape),
                             "groups": mod.groups, "kernel": list(mod.kernel_size), "macs": macs})
            elif isinstance(mod, torch.nn.Linear):
                macs = out.numel() * mod.in_features
                rows.append({"module": name, "kind": "fc", "out_shape": list(out.shape), "macs": macs})
        return f

    for name, mod in model.named_modules():
        if isinstance(mod, (torch.nn.Conv2d, torch.nn.Linear)):
            hooks.append(mod.register_forward_hook(hook(name)))
    # Under autograd, so that TransformerEncoderLayer takes its module path, not the fused one.
    with torch.enable_grad():
        model(x)
    for h in hooks:
        h.remove()
    return rows


def export(model, x, path, params, opset=14):
    torch.onnx.export(model, x, path, export_params=params, do_constant_folding=True,
                      opset_version=opset, input_names=["input"], output_names=["output"])


def cnn(outdir, name, with_weights):
    torch.manual_seed(0)
    model = getattr(torchvision.models, name)(weights=None).eval()
    x = torch.randn(1, 3, 224, 224)
    rows = conv_linear_macs(model, x)
    suffix = "_w" if with_weights else ""
    export(model, x, os.path.join(outdir, name + suffix + ".onnx"), with_weights)
    if with_weights:  # the float reference check: torch's own output on the same input
        import numpy
        with torch.no_grad():
            y = model(x)
        numpy.save(os.path.join(outdir, name + ".input.npy"), x.numpy().astype(numpy.float32))
        numpy.save(os.path.join(outdir, name + ".output.npy"), y.numpy().astype(numpy.float32))
    with open(os.path.join(outdir, name + ".macs.json"), "w") as f:
        json.dump({"model": name, "total_macs": sum(r["macs"] for r in rows), "modules": rows}, f, indent=1)


def transformer(outdir, name, d_model, nhead, ff, seq, activation, opset):
    torch.manual_seed(0)
    model = torch.nn.TransformerEncoderLayer(d_model=d_model, nhead=nhead, dim_feedforward=ff,
                                             batch_first=True, activation=activation, dropout=0.0)
    model.eval()
    x = torch.randn(1, seq, d_model)
    rows = conv_linear_macs(model, x)  # linear1, linear2 (out_proj runs functionally: counted below)
    hd = d_model // nhead
    att = []
    w = model.self_attn.in_proj_weight  # (3 d_model, d_model): the q, k and v projections
    for part in ("q", "k", "v"):
        att.append({"module": "self_attn.in_proj." + part, "kind": "fc", "out_shape": [1, seq, w.shape[0] // 3],
                    "macs": seq * (w.shape[0] // 3) * w.shape[1]})
    att.append({"module": "self_attn.scores", "kind": "matmul", "out_shape": [nhead, seq, seq],
                "macs": nhead * seq * seq * hd})
    att.append({"module": "self_attn.context", "kind": "matmul", "out_shape": [nhead, seq, hd],
                "macs": nhead * seq * seq * hd})
    o = model.self_attn.out_proj
    att.append({"module": "self_attn.out_proj", "kind": "fc", "out_shape": [1, seq, o.out_features],
                "macs": seq * o.out_features * o.in_features})
    rows = att + [r for r in rows if r["module"] != "self_attn.out_proj"]
    # The fast path (torch._transformer_encoder_layer_fwd) has no ONNX export; tracing needs the
    # reference path, which runs when autograd is recording.
    with torch.enable_grad():
        export(model, x, os.path.join(outdir, name + ".onnx"), True, opset)
    with open(os.path.join(outdir, name + ".macs.json"), "w") as f:
        json.dump({"model": name, "total_macs": sum(r["macs"] for r in rows), "modules": rows}, f, indent=1)


def unsupported(outdir):
    """A small graph with an op the importer does not map (Abs) between two supported ones."""
    import onnx
    from onnx import TensorProto, helper
    nodes = [helper.make_node("Relu", ["x"], ["a"], name="first_relu"),
             helper.make_node("Abs", ["a"], ["b"], name="the_abs"),
             helper.make_node("Sigmoid", ["b"], ["y"], name="last_sigmoid")]
    g = helper.make_graph(nodes, "unsupported", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 16])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 16])])
    onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 14)]), os.path.join(outdir, "unsupported_abs.onnx"))


def dynamic_batch(outdir):
    """ResNet-18 with a dynamic batch (shapes only): dnnchip import --input-shape fixes it."""
    torch.manual_seed(0)
    model = torchvision.models.resnet18(weights=None).eval()
    torch.onnx.export(model, torch.randn(1, 3, 224, 224), os.path.join(outdir, "resnet18_dyn.onnx"),
                      export_params=False, do_constant_folding=True, opset_version=13,
                      input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--with-weights", nargs="*", default=[])
    ap.add_argument("--only", nargs="*", default=None)
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    torch.set_num_threads(1)
    todo = a.only or ["alexnet", "vgg16", "resnet18", "resnet50", "mobilenet_v2", "transformer", "transformer_gelu17",
                     "unsupported", "resnet18_dyn"]
    for name in todo:
        if name == "unsupported":
            unsupported(a.outdir)
        elif name == "resnet18_dyn":
            dynamic_batch(a.outdir)
        elif name == "transformer":
            transformer(a.outdir, name, 768, 12, 3072, 128, "relu", 14)
        elif name == "transformer_gelu17":
            transformer(a.outdir, name, 64, 4, 128, 16, "gelu", 17)
        else:
            cnn(a.outdir, name, name in a.with_weights)
        print("exported", name, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
