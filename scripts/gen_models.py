#!/usr/bin/env python3
"""Generates the built-in models in designs/models/*.json (model format schema_version 1).

The architectures are written here as small builder functions that follow the papers and the
torchvision / HuggingFace reference implementations layer by layer, so that the JSON is
reproducible and reviewable. Plain python3, no torch. Output is deterministic: one layer object per
line, 2-space indent, fields in a fixed order.

  python3 scripts/gen_models.py            # (re)write designs/models/*.json
  python3 scripts/gen_models.py --check    # exit 1 and list the files that differ from the script
  python3 scripts/gen_models.py --out DIR  # write into DIR instead

Conventions shared by all models:
  - batch 1, NCHW, int8 activations and weights with int32 accumulators (the format's default,
    written out explicitly);
  - inference graph: BatchNorm is folded into the preceding convolution (which therefore has a
    bias: the folded BN shift), dropout is the identity and omitted, the CNNs end at the logits
    (no softmax), as the torchvision models do.
"""

import argparse
import json
import os
import sys

SCHEMA_VERSION = 1
PRECISION = {"activation_bits": 8, "weight_bits": 8, "accumulator_bits": 32}


class Builder:
    """Accumulates layers of one model; every method returns the name of the tensor it produces."""

    def __init__(self, name, description, source, inputs):
        self.name = name
        self.description = description
        self.source = source
        self.inputs = [{"name": n, "shape": list(s)} for n, s in inputs]
        self.layers = []
        self.names = set(n for n, _ in inputs)

    def _add(self, layer):
        assert layer["name"] not in self.names, "duplicate name " + layer["name"]
        self.names.add(layer["name"])
        self.layers.append(layer)
        return layer["name"]

    def conv(self, name, x, out_channels, kernel, stride=1, pad=0, groups=1, bias=True,
             activation=None):
        layer = {"name": name, "op": "conv2d", "inputs": [x], "out_channels": out_channels,
                 "kernel": [kernel, kernel], "stride": [stride, stride],
                 "padding": [pad, pad, pad, pad], "dilation": [1, 1], "groups": groups,
                 "bias": bias}
        if activation:
            layer["activation"] = activation
        return self._add(layer)

    def maxpool(self, name, x, kernel, stride, pad=0):
        return self._add({"name": name, "op": "maxpool", "inputs": [x], "kernel": [kernel, kernel],
                          "stride": [stride, stride], "padding": [pad, pad, pad, pad],
                          "ceil_mode": False})

    def global_avgpool(self, name, x):
        return self._add({"name": name, "op": "global_avgpool", "inputs": [x]})

    def flatten(self, name, x):
        return self._add({"name": name, "op": "flatten", "inputs": [x], "axis": 1})

    def fc(self, name, x, out_features, activation=None, bias=True):
        layer = {"name": name, "op": "fc", "inputs": [x], "out_features": out_features,
                 "bias": bias}
        if activation:
            layer["activation"] = activation
        return self._add(layer)

    def add(self, name, a, b, activation=None):
        layer = {"name": name, "op": "add", "inputs": [a, b]}
        if activation:
            layer["activation"] = activation
        return self._add(layer)

    def matmul(self, name, a, b, transpose_b=False):
        return self._add({"name": name, "op": "matmul", "inputs": [a, b],
                          "transpose_b": transpose_b})

    def reshape(self, name, x, shape):
        return self._add({"name": name, "op": "reshape", "inputs": [x], "shape": list(shape)})

    def transpose(self, name, x, perm):
        return self._add({"name": name, "op": "transpose", "inputs": [x], "perm": list(perm)})

    def softmax(self, name, x, axis=-1):
        return self._add({"name": name, "op": "softmax", "inputs": [x], "axis": axis})

    def layernorm(self, name, x, epsilon, axis=-1):
        return self._add({"name": name, "op": "layernorm", "inputs": [x], "axis": axis,
                          "epsilon": epsilon})

    def model(self, outputs, batch_norm_folded=False):
        m = {
            "schema_version": SCHEMA_VERSION,
            "name": self.name,
            "description": self.description,
            "source": self.source,
            "precision": dict(PRECISION),
        }
        if batch_norm_folded:  # every conv2d carries a folded BatchNorm (unfolded for training)
            m["batch_norm_folded"] = True
        m.update({
            "inputs": self.inputs,
            "layers": self.layers,
            "outputs": list(outputs),
        })
        return m


# ---- AlexNet ------------------------------------------------------------------------------------

def alexnet():
    b = Builder(
        "alexnet",
        "AlexNet as in Krizhevsky et al. (the original two-GPU layout): 227x227 input, conv2, conv4 "
        "and conv5 in 2 groups, conv3 across both halves; conv1..conv5 = 665,784,864 MACs, "
        "724,406,816 with fc6..fc8. Local response normalization (after conv1 and conv2) is not "
        "modelled (no such op; it is a vector-unit pass of a few operations per element and is "
        "dropped by most hardware reimplementations); dropout is the identity at inference; the "
        "output is the fc8 logits (no softmax).",
        "A. Krizhevsky, I. Sutskever, G. Hinton, 'ImageNet Classification with Deep Convolutional "
        "Neural Networks', NIPS 2012, Fig. 2; 227x227 input and grouping as in Caffe's "
        "models/bvlc_alexnet/deploy.prototxt",
        [("data", [1, 3, 227, 227])])
    x = b.conv("conv1", "data", 96, 11, stride=4, pad=0, activation="relu")       # 55x55
    x = b.maxpool("pool1", x, 3, 2)                                                # 27x27
    x = b.conv("conv2", x, 256, 5, pad=2, groups=2, activation="relu")             # 27x27
    x = b.maxpool("pool2", x, 3, 2)                                                # 13x13
    x = b.conv("conv3", x, 384, 3, pad=1, activation="relu")
    x = b.conv("conv4", x, 384, 3, pad=1, groups=2, activation="relu")
    x = b.conv("conv5", x, 256, 3, pad=1, groups=2, activation="relu")
    x = b.maxpool("pool5", x, 3, 2)                                                # 6x6
    x = b.flatten("flatten", x)                                                    # 9216
    x = b.fc("fc6", x, 4096, activation="relu")
    x = b.fc("fc7", x, 4096, activation="relu")
    x = b.fc("fc8", x, 1000)
    return b.model([x])


# ---- VGG-16 -------------------------------------------------------------------------------------

VGG16_CFG = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]


def vgg16():
    b = Builder(
        "vgg16",
        "VGG-16 (configuration D): 13 3x3 convolutions (padding 1) in five stages, each closed by "
        "a 2x2 max pool, then fc 25088-4096-4096-1000; 224x224 input. 15,346,630,656 conv MACs, "
        "15,470,264,320 in all; 138,357,544 parameters. torchvision's adaptive 7x7 average pool is "
        "the identity at 224x224 and is omitted; dropout is the identity at inference; the output "
        "is the logits.",
        "K. Simonyan, A. Zisserman, 'Very Deep Convolutional Networks for Large-Scale Image "
        "Recognition', ICLR 2015, Table 1 column D; torchvision.models.vgg16",
        [("data", [1, 3, 224, 224])])
    x = "data"
    stage, index = 1, 1
    for v in VGG16_CFG:
        if v == "M":
            x = b.maxpool("pool%d" % stage, x, 2, 2)
            stage, index = stage + 1, 1
        else:
            x = b.conv("conv%d_%d" % (stage, index), x, v, 3, pad=1, activation="relu")
            index += 1
    x = b.flatten("flatten", x)
    x = b.fc("fc6", x, 4096, activation="relu")
    x = b.fc("fc7", x, 4096, activation="relu")
    x = b.fc("fc8", x, 1000)
    return b.model([x])


# ---- ResNet-18 / ResNet-50 ----------------------------------------------------------------------

def resnet_stem(b):
    x = b.conv("conv1", "data", 64, 7, stride=2, pad=3, activation="relu")        # 112x112
    return b.maxpool("maxpool", x, 3, 2, pad=1)                                    # 56x56


def basic_block(b, prefix, x, in_planes, planes, stride):
    y = b.conv(prefix + "_conv1", x, planes, 3, stride=stride, pad=1, activation="relu")
    y = b.conv(prefix + "_conv2", y, planes, 3, stride=1, pad=1)
    shortcut = x
    if stride != 1 or in_planes != planes:
        shortcut = b.conv(prefix + "_downsample", x, planes, 1, stride=stride)
    return b.add(prefix + "_add", y, shortcut, activation="relu")


def bottleneck(b, prefix, x, in_planes, planes, stride):
    # torchvision v1.5: the stride sits on the 3x3 convolution.
    out_planes = planes * 4
    y = b.conv(prefix + "_conv1", x, planes, 1, activation="relu")
    y = b.conv(prefix + "_conv2", y, planes, 3, stride=stride, pad=1, activation="relu")
    y = b.conv(prefix + "_conv3", y, out_planes, 1)
    shortcut = x
    if stride != 1 or in_planes != out_planes:
        shortcut = b.conv(prefix + "_downsample", x, out_planes, 1, stride=stride)
    return b.add(prefix + "_add", y, shortcut, activation="relu")


def resnet(name, block, blocks, expansion, description, source):
    b = Builder(name, description, source, [("data", [1, 3, 224, 224])])
    x = resnet_stem(b)
    in_planes = 64
    for stage, (planes, count) in enumerate(zip([64, 128, 256, 512], blocks), start=1):
        for i in range(count):
            stride = 2 if (i == 0 and stage > 1) else 1
            x = block(b, "layer%d_%d" % (stage, i), x, in_planes, planes, stride)
            in_planes = planes * expansion
    x = b.global_avgpool("avgpool", x)
    x = b.flatten("flatten", x)
    x = b.fc("fc", x, 1000)
    return b.model([x], batch_norm_folded=True)


RESNET_COMMON = (
    " Layer names follow torchvision's modules with '_' for '.' (layer2_0_downsample is "
    "layer2.0.downsample). BatchNorm is folded into each convolution, whose bias is the folded BN "
    "shift (torchvision's convolutions have bias=False and a BN after each); the output is the fc "
    "logits.")


def resnet18():
    return resnet(
        "resnet18", basic_block, [2, 2, 2, 2], 1,
        "ResNet-18 as torchvision.models.resnet18: 7x7/2 stem, 3x3/2 max pool, four stages of two "
        "basic blocks (64, 128, 256, 512 channels; stride 2 on the first 3x3 and a 1x1/2 "
        "downsample convolution on the shortcut of stages 2-4), global average pool, fc 1000; "
        "224x224 input; 1,814,073,344 MACs." + RESNET_COMMON,
        "K. He, X. Zhang, S. Ren, J. Sun, 'Deep Residual Learning for Image Recognition', CVPR "
        "2016, Table 1; torchvision.models.resnet18 (11,689,512 parameters with BN)")


def resnet50():
    return resnet(
        "resnet50", bottleneck, [3, 4, 6, 3], 4,
        "ResNet-50 v1.5 as torchvision.models.resnet50: 7x7/2 stem, 3x3/2 max pool, stages of 3, "
        "4, 6, 3 bottleneck blocks (1x1, 3x3, 1x1 with 4x expansion; stride 2 on the 3x3 of the "
        "first block of stages 2-4, and a 1x1 downsample convolution on the first shortcut of "
        "every stage), global average pool, fc 1000; 224x224 input; 4,089,184,256 MACs."
        + RESNET_COMMON,
        "K. He, X. Zhang, S. Ren, J. Sun, 'Deep Residual Learning for Image Recognition', CVPR "
        "2016, Table 1; torchvision.models.resnet50 (v1.5, 25,557,032 parameters with BN)")


# ---- MobileNet-V2 -------------------------------------------------------------------------------

# torchvision inverted_residual_setting: expansion t, output channels c, repeats n, first stride s.
MOBILENET_V2_CFG = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1),
                    (6, 160, 3, 2), (6, 320, 1, 1)]


def mobilenet_v2():
    b = Builder(
        "mobilenet_v2",
        "MobileNet-V2 (width 1.0, 224x224) as torchvision.models.mobilenet_v2: 3x3/2 stem conv "
        "(32), 17 inverted residual blocks (1x1 expansion with ReLU6, 3x3 depthwise with ReLU6 "
        "where groups == channels, linear 1x1 projection; a residual add when the stride is 1 and "
        "the channels match), 1x1 conv to 1280 with ReLU6, global average pool, fc 1000; "
        "300,774,272 MACs. Layer names follow torchvision's features.<i> with '_' for '.'. "
        "BatchNorm is folded into each convolution (the bias is the folded BN shift); dropout is "
        "the identity at inference; the output is the logits.",
        "M. Sandler, A. Howard, M. Zhu, A. Zhmoginov, L.-C. Chen, 'MobileNetV2: Inverted Residuals "
        "and Linear Bottlenecks', CVPR 2018, Table 2; torchvision.models.mobilenet_v2 (3,504,872 "
        "parameters with BN)",
        [("data", [1, 3, 224, 224])])
    x = b.conv("features_0", "data", 32, 3, stride=2, pad=1, activation="relu6")   # 112x112
    channels = 32
    index = 1
    for t, c, n, s in MOBILENET_V2_CFG:
        for i in range(n):
            stride = s if i == 0 else 1
            prefix = "features_%d" % index
            hidden = channels * t
            y = x
            if t != 1:
                y = b.conv(prefix + "_expand", y, hidden, 1, activation="relu6")
            y = b.conv(prefix + "_dw", y, hidden, 3, stride=stride, pad=1, groups=hidden,
                       activation="relu6")
            y = b.conv(prefix + "_project", y, c, 1)
            if stride == 1 and channels == c:
                y = b.add(prefix + "_add", x, y)
            x = y
            channels = c
            index += 1
    x = b.conv("features_%d" % index, x, 1280, 1, activation="relu6")
    x = b.global_avgpool("avgpool", x)
    x = b.flatten("flatten", x)
    x = b.fc("classifier", x, 1000)
    return b.model([x], batch_norm_folded=True)


# ---- BERT-base encoder layer --------------------------------------------------------------------

def bert_base_encoder():
    seq, hidden, heads, ffn = 128, 768, 12, 3072
    head_dim = hidden // heads
    b = Builder(
        "bert_base_encoder",
        "One BERT-base encoder layer (post-LN, as HuggingFace BertLayer): sequence 128, hidden 768, "
        "12 heads of 64, FFN 3072 with GELU. Q, K, V projections (fc 768->768), heads split by "
        "reshape [1,128,12,64] and transpose to [1,12,128,64]; scores = Q x K^T (matmul with "
        "transpose_b) [1,12,128,128], softmax, context = P x V, heads merged by transpose and "
        "reshape, output projection, residual add, LayerNorm (eps 1e-12), FFN 768->3072 (GELU) "
        "->768, residual add, LayerNorm. The 1/sqrt(64) score scale is not a layer: in integer "
        "hardware it is folded into the requantization of the scores. The attention mask (all "
        "zeros for an unpadded sequence) and dropout are omitted. 931,135,488 MACs; 7,084,800 fc "
        "parameters (+3,072 LayerNorm gamma/beta = 7,087,872 per layer as published).",
        "J. Devlin, M.-W. Chang, K. Lee, K. Toutanova, 'BERT: Pre-training of Deep Bidirectional "
        "Transformers for Language Understanding', NAACL 2019 (BERT-base: L=12, H=768, A=12); "
        "A. Vaswani et al., 'Attention Is All You Need', NeurIPS 2017; HuggingFace transformers "
        "BertLayer",
        [("hidden_states", [1, seq, hidden])])
    x = "hidden_states"

    def heads_of(name, t):
        r = b.reshape(name + "_heads", t, [1, seq, heads, head_dim])
        return b.transpose(name + "_t", r, [0, 2, 1, 3])                         # [1,12,128,64]

    q = heads_of("query", b.fc("query", x, hidden))
    k = heads_of("key", b.fc("key", x, hidden))
    v = heads_of("value", b.fc("value", x, hidden))
    s = b.matmul("scores", q, k, transpose_b=True)                                 # [1,12,128,128]
    p = b.softmax("probs", s, axis=-1)
    c = b.matmul("context", p, v)                                                  # [1,12,128,64]
    c = b.transpose("context_t", c, [0, 2, 1, 3])                                  # [1,128,12,64]
    c = b.reshape("context_merged", c, [1, seq, hidden])
    a = b.fc("attn_out", c, hidden)
    a = b.add("attn_residual", a, x)
    a = b.layernorm("attn_norm", a, 1e-12)
    f = b.fc("ffn_in", a, ffn, activation="gelu")
    f = b.fc("ffn_out", f, hidden)
    f = b.add("ffn_residual", f, a)
    f = b.layernorm("ffn_norm", f, 1e-12)
    return b.model([f])


MODELS = [alexnet, vgg16, resnet18, resnet50, mobilenet_v2, bert_base_encoder]


# ---- output -------------------------------------------------------------------------------------

def dumps(model):
    """2-space indented JSON with one layer per line (reviewable diffs, stable byte for byte)."""
    def one(value):
        return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))

    lines = ["{"]
    keys = list(model.keys())
    for i, key in enumerate(keys):
        comma = "," if i + 1 < len(keys) else ""
        value = model[key]
        if key in ("inputs", "layers"):
            lines.append("  %s: [" % one(key))
            for j, item in enumerate(value):
                lines.append("    " + one(item) + ("," if j + 1 < len(value) else ""))
            lines.append("  ]" + comma)
        else:
            lines.append("  %s: %s%s" % (one(key), one(value), comma))
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.join(os.path.dirname(here), "designs", "models")
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true",
                    help="compare the files with what this script generates; exit 1 on a difference")
    ap.add_argument("--out", default=default_out, help="output folder (default: designs/models)")
    args = ap.parse_args()

    differ = []
    for build in MODELS:
        model = build()
        text = dumps(model)
        assert json.loads(text) == model
        path = os.path.join(args.out, model["name"] + ".json")
        if args.check:
            try:
                with open(path, encoding="utf-8") as f:
                    current = f.read()
            except OSError:
                current = None
            if current != text:
                differ.append(path)
        else:
            os.makedirs(args.out, exist_ok=True)
            tmp = path + ".tmp"
            with open(tmp, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
            os.replace(tmp, path)
            print("wrote " + path)
    if differ:
        for path in differ:
            print("differs from scripts/gen_models.py: " + path, file=sys.stderr)
        print("run: python3 scripts/gen_models.py  (then review the diff)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
