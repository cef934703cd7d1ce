#!/usr/bin/python3
"""Writes small quantized ONNX models (issue 18) and an independent integer reference for them.

Usage: quantized_models.py OUTDIR

Models, built with onnx.helper (Debian python3-onnx 1.12, no onnxruntime):
  qdq.onnx   QDQ form (QuantizeLinear/DequantizeLinear around float ops, as onnxruntime's
             quantize_static writes it with symmetric int8): Conv+Relu, Conv 1x1, Add (residual),
             GlobalAveragePool, Flatten, Gemm. One tensor is uint8 with zero point 128.
  qop.onnx   QOperator form: QLinearConv, QLinearConv, com.microsoft QLinearAdd, DequantizeLinear,
             GlobalAveragePool, QuantizeLinear, Flatten, QLinearMatMul.
and bad_*.onnx, each with one quantization the engine cannot represent, plus manifest.json; and
torch_default.onnx / torch_sym.onnx, quantized by PyTorch itself (torch_ptq below).

The reference is ONNX's definition computed here in numpy with exact integers: int32 accumulators of
the integer operands (zero points removed), y = saturate(round_half_even(acc * s_x * s_w / s_y) +
zp_y) in float64, as onnxruntime's QLinearConv does; QLinearAdd/QDQ Add:
saturate(round_half_even((a * s_a + b * s_b) / s_y) + zp_y). It does not use the importer's
multiplier/shift. For each conv/fc/add layer it writes the layer's int8 input(s) and output
(<layer>.ref_in.npy, .ref_in_b.npy, .ref_out.npy, uint8 moved to int8 by -128) and the file's
integer weights and biases (<layer>.ref_w.npy, .ref_b.npy) so the test can check that the importer
carries them unchanged.
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(18)


def rhe(x):
    return np.round(x)  # numpy rounds half to even, as ONNX QuantizeLinear does


def quant(x, s, zp, unsigned=False):
    lo, hi = (0, 255) if unsigned else (-128, 127)
    return np.clip(rhe(x / s) + zp, lo, hi).astype(np.int64)


def near_tie(x, s):
    """int8 mask: x / s lies within 2^-8 of a half-integer, where the half-to-even rounding of ONNX and the
    engine's half-up rounding with a 16-bit multiplier (relative error below 2^-15, so below 2^-8 for
    |x / s| <= 128) may pick neighbouring integers."""
    v = x / s
    return (np.abs(v - np.floor(v) - 0.5) <= 2.0 ** -8).astype(np.int8)


def conv_int(x, w, pad):
    """x [N,C,H,W] int, w [K,C,R,S] int, stride 1: exact int64 accumulators."""
    n, c, h, wd = x.shape
    k, _, r, s = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh, ow = h + 2 * pad - r + 1, wd + 2 * pad - s + 1
    out = np.zeros((n, k, oh, ow), dtype=np.int64)
    for i in range(r):
        for j in range(s):
            patch = xp[:, :, i:i + oh, j:j + ow]
            out += np.einsum('nchw,kc->nkhw', patch, w[:, :, i, j])
    return out


def int8_of(q, unsigned):
    return (q - 128 if unsigned else q).astype(np.int8)


class Builder:
    def __init__(self):
        self.nodes, self.inits = [], []

    def const(self, name, arr, dtype):
        self.inits.append(numpy_helper.from_array(np.asarray(arr, dtype=dtype), name))
        return name

    def scale(self, name, s):
        return self.const(name, np.float32(s), np.float32)

    def zp(self, name, z, unsigned=False):
        return self.const(name, np.array(z), np.uint8 if unsigned else np.int8)

    def node(self, op, ins, outs, name, domain=None, **attrs):
        self.nodes.append(helper.make_node(op, ins, outs, name=name, domain=domain, **attrs))

    def qdq(self, t, s, z=0, unsigned=False, tag=None):
        """QuantizeLinear + DequantizeLinear on activation t; returns the DQ output."""
        tag = tag or t
        sn, zn = self.scale(tag + '_s', s), self.zp(tag + '_zp', z, unsigned)
        self.node('QuantizeLinear', [t, sn, zn], [t + '_q'], 'q_' + tag)
        self.node('DequantizeLinear', [t + '_q', sn, zn], [t + '_dq'], 'dq_' + tag)
        return t + '_dq'

    def dq_const(self, name, q, s, dtype, axis=None, zp=None):
        qn = self.const(name + '_int', q, dtype)
        sn = self.const(name + '_s', np.asarray(s, dtype=np.float32), np.float32)
        ins = [qn, sn]
        if zp is not None:
            ins.append(self.const(name + '_zp', zp, dtype))
        kw = {} if axis is None else {'axis': axis}
        self.node('DequantizeLinear', ins, [name], 'dq_' + name, **kw)
        return name

    def save(self, path, inputs, outputs, opset=13, ms=False):
        g = helper.make_graph(self.nodes, 'g', inputs, outputs, self.inits)
        ops = [helper.make_opsetid('', opset)] + ([helper.make_opsetid('com.microsoft', 1)] if ms else [])
        m = helper.make_model(g, opset_imports=ops, producer_name='quantized_models.py')
        m.ir_version = 8
        onnx.save(m, path)


def weights(shape):
    w = rng.integers(-127, 128, size=shape)
    return w


def write_ref(folder, layer, **arrays):
    for k, v in arrays.items():
        np.save(os.path.join(folder, f'{layer}.ref_{k}.npy'), v)


def qdq_model(out):
    """x -> Conv3x3+Relu -> Conv1x1 -> Add(relu path) -> GAP -> Flatten -> Gemm."""
    b = Builder()
    N, C, H, W, K, F = 1, 3, 8, 8, 8, 10
    sx, s1, s2, s3, s4, s5 = 0.02, 0.05, 0.04, 0.06, 0.03, 0.1
    w1s, w2s, w3s = 0.004, 0.01, 0.02
    x = rng.normal(0, 1, size=(N, C, H, W)).astype(np.float32)
    w1, w2, w3 = weights((K, C, 3, 3)), weights((K, K, 1, 1)), weights((F, K))
    b1 = rng.integers(-2000, 2000, size=K)
    b2 = rng.integers(-2000, 2000, size=K)
    b3 = rng.integers(-500, 500, size=F)
    xd = b.qdq('x', sx)
    b.node('Conv', [xd, b.dq_const('w1', w1, w1s, np.int8), b.dq_const('b1', b1, sx * w1s, np.int32)], ['c1'], 'conv1',
           pads=[1, 1, 1, 1], kernel_shape=[3, 3])
    b.node('Relu', ['c1'], ['r1'], 'relu1')
    r1d = b.qdq('r1', s1)
    b.node('Conv', [r1d, b.dq_const('w2', w2, w2s, np.int8), b.dq_const('b2', b2, s1 * w2s, np.int32)], ['c2'], 'conv2',
           kernel_shape=[1, 1])
    c2d = b.qdq('c2', s2, 128, unsigned=True)  # uint8 with zero point 128: int8 exactly
    b.node('Add', [c2d, r1d], ['a'], 'add')
    ad = b.qdq('a', s3)
    b.node('GlobalAveragePool', [ad], ['gap'], 'gap')
    gd = b.qdq('gap', s4)
    b.node('Flatten', [gd], ['flat'], 'flatten', axis=1)
    b.node('Gemm', ['flat', b.dq_const('w3', w3, w3s, np.int8), b.dq_const('b3', b3, s4 * w3s, np.int32)], ['y'], 'fc',
           transB=1)
    yd = b.qdq('y', s5)
    b.save(os.path.join(out, 'qdq.onnx'), [helper.make_tensor_value_info('x', TensorProto.FLOAT, [N, C, H, W])],
           [helper.make_tensor_value_info(yd, TensorProto.FLOAT, [N, F])])
    # Reference in integers.
    xq = quant(x, sx, 0)
    acc1 = conv_int(xq, w1, 1) + b1[None, :, None, None]
    r1q = quant(np.maximum(acc1 * (sx * w1s), 0), s1, 0)  # Relu before Q: the float relu of the dequantized conv
    t1 = near_tie(np.maximum(acc1 * (sx * w1s), 0), s1)
    acc2 = conv_int(r1q, w2, 0) + b2[None, :, None, None]
    c2q = quant(acc2 * (s1 * w2s), s2, 128, unsigned=True)
    t2 = near_tie(acc2 * (s1 * w2s), s2)
    aq = quant((c2q - 128) * s2 + r1q * s1, s3, 0)
    ta = near_tie((c2q - 128) * s2 + r1q * s1, s3)
    gq = quant(aq.mean(axis=(2, 3), keepdims=True) * s3, s4, 0)
    acc3 = gq.reshape(N, K) @ w3.T + b3[None, :]
    yq = quant(acc3 * (s4 * w3s), s5, 0)
    t3 = near_tie(acc3 * (s4 * w3s), s5)
    np.save(os.path.join(out, 'qdq.input.npy'), x)
    write_ref(out, 'conv1', **{'in': int8_of(xq, False), 'out': int8_of(r1q, False), 'tie': t1, 'w': w1.astype(np.int8), 'b': b1.astype(np.int32)})
    write_ref(out, 'conv2', **{'in': int8_of(r1q, False), 'out': int8_of(c2q, True), 'tie': t2, 'w': w2.astype(np.int8), 'b': b2.astype(np.int32)})
    write_ref(out, 'add', **{'in': int8_of(c2q, True), 'in_b': int8_of(r1q, False), 'out': int8_of(aq, False), 'tie': ta})
    write_ref(out, 'fc', **{'in': int8_of(gq.reshape(N, K), False), 'out': int8_of(yq, False), 'tie': t3, 'w': w3.astype(np.int8),
                            'b': b3.astype(np.int32)})
    return {'model': 'qdq.onnx', 'layers': ['conv1', 'conv2', 'add', 'fc'],
            'scales': {'x': sx, 'conv1': s1, 'conv2': s2, 'add': s3, 'fc': s5}}


def qop_model(out):
    """x -> Q -> QLinearConv -> QLinearConv -> QLinearAdd -> DQ -> GAP -> Q -> Flatten -> QLinearMatMul -> DQ."""
    b = Builder()
    N, C, H, W, K, F = 1, 4, 6, 6, 8, 5
    sx, s1, s2, s3, s4, s5 = 0.03, 0.05, 0.05, 0.07, 0.04, 0.08
    w1s, w2s, w3s = 0.006, 0.009, 0.015
    x = rng.normal(0, 1, size=(N, C, H, W)).astype(np.float32)
    w1, w2, w3 = weights((K, C, 3, 3)), weights((K, K, 3, 3)), weights((K, F))  # MatMul B is K x F
    b1 = rng.integers(-3000, 3000, size=K)
    b2 = rng.integers(-3000, 3000, size=K)
    Z = b.zp('zero', 0)
    Zu = b.zp('zero_u', 128, unsigned=True)
    S = {n: b.scale('s_' + n, v) for n, v in dict(x=sx, c1=s1, c2=s2, a=s3, g=s4, y=s5, w1=w1s, w2=w2s, w3=w3s).items()}
    b.node('QuantizeLinear', ['x', S['x'], Zu], ['xq'], 'quant_x')  # uint8, zero point 128
    b.const('w1', w1, np.int8)
    b.const('w2', w2, np.int8)
    b.const('w3', w3, np.int8)
    b.const('b1', b1, np.int32)
    b.const('b2', b2, np.int32)
    b.node('QLinearConv', ['xq', S['x'], Zu, 'w1', S['w1'], Z, S['c1'], Z, 'b1'], ['c1'], 'qconv1', pads=[1, 1, 1, 1])
    b.node('QLinearConv', ['c1', S['c1'], Z, 'w2', S['w2'], Z, S['c2'], Z, 'b2'], ['c2'], 'qconv2', pads=[1, 1, 1, 1])
    b.node('QLinearAdd', ['c2', S['c2'], Z, 'c1', S['c1'], Z, S['a'], Z], ['a'], 'qadd', domain='com.microsoft')
    b.node('DequantizeLinear', ['a', S['a'], Z], ['af'], 'dq_a')
    b.node('GlobalAveragePool', ['af'], ['g'], 'gap')
    b.node('QuantizeLinear', ['g', S['g'], Z], ['gq'], 'quant_g')
    b.node('Flatten', ['gq'], ['flat'], 'flatten', axis=1)
    b.node('QLinearMatMul', ['flat', S['g'], Z, 'w3', S['w3'], Z, S['y'], Z], ['yq'], 'qmatmul')
    b.node('DequantizeLinear', ['yq', S['y'], Z], ['y'], 'dq_y')
    b.save(os.path.join(out, 'qop.onnx'), [helper.make_tensor_value_info('x', TensorProto.FLOAT, [N, C, H, W])],
           [helper.make_tensor_value_info('y', TensorProto.FLOAT, [N, F])], ms=True)
    xq = quant(x, sx, 128, unsigned=True)
    v1 = (conv_int(xq - 128, w1, 1) + b1[None, :, None, None]) * (sx * w1s)
    c1 = quant(v1, s1, 0)
    v2 = (conv_int(c1, w2, 1) + b2[None, :, None, None]) * (s1 * w2s)
    c2 = quant(v2, s2, 0)
    a = quant(c2 * s2 + c1 * s1, s3, 0)
    g = quant((a * s3).mean(axis=(2, 3), keepdims=True), s4, 0)
    y = quant((g.reshape(N, K) @ w3) * (s4 * w3s), s5, 0)
    ty = near_tie((g.reshape(N, K) @ w3) * (s4 * w3s), s5)
    np.save(os.path.join(out, 'qop.input.npy'), x)
    write_ref(out, 'qconv1', **{'in': int8_of(xq, True), 'out': int8_of(c1, False), 'tie': near_tie(v1, s1), 'w': w1.astype(np.int8), 'b': b1.astype(np.int32)})
    write_ref(out, 'qconv2', **{'in': int8_of(c1, False), 'out': int8_of(c2, False), 'tie': near_tie(v2, s2), 'w': w2.astype(np.int8), 'b': b2.astype(np.int32)})
    write_ref(out, 'qadd', **{'in': int8_of(c2, False), 'in_b': int8_of(c1, False), 'out': int8_of(a, False), 'tie': near_tie(c2 * s2 + c1 * s1, s3)})
    write_ref(out, 'qmatmul', **{'in': int8_of(g.reshape(N, K), False), 'out': int8_of(y, False), 'tie': ty,
                                 'w': np.ascontiguousarray(w3.T).astype(np.int8), 'b': np.zeros(F, np.int32)})
    return {'model': 'qop.onnx', 'layers': ['qconv1', 'qconv2', 'qadd', 'qmatmul'],
            'scales': {'x': sx, 'qconv1': s1, 'qconv2': s2, 'qadd': s3, 'qmatmul': s5}}


def bad_model(out, name, kind):
    """One conv in QDQ form with a single quantization the engine cannot hold."""
    b = Builder()
    if kind == 'act_zp':  # uint8 with zero point 0 (onnxruntime's default after a ReLU)
        xd = b.qdq('x', 0.02, 0, unsigned=True)
    elif kind == 'act_int8_zp':
        xd = b.qdq('x', 0.02, 5)
    else:
        xd = b.qdq('x', 0.02, 0)
    w = weights((4, 3, 3, 3))
    if kind == 'per_channel':
        wn = b.dq_const('w', w, [0.01, 0.02, 0.01, 0.03], np.int8, axis=0)
    elif kind == 'weight_zp':
        wn = b.dq_const('w', w, 0.01, np.int8, zp=np.int8(3))
    elif kind == 'weight_m128':
        w[1, 0, 0, 0] = -128
        wn = b.dq_const('w', w, 0.01, np.int8)
    else:
        wn = b.dq_const('w', w, 0.01, np.int8)
    b.node('Conv', [xd, wn], ['c'], 'conv', kernel_shape=[3, 3])
    if kind == 'mismatch':  # Q and DQ of one tensor with different scales
        sn, s2, zn = b.scale('c_s', 0.05), b.scale('c_s2', 0.06), b.zp('c_zp', 0)
        b.node('QuantizeLinear', ['c', sn, zn], ['c_q'], 'q_c')
        b.node('DequantizeLinear', ['c_q', s2, zn], ['c_dq'], 'dq_c')
        y = 'c_dq'
    elif kind == 'out_zp':  # the conv's output asymmetric (uint8 zero point 10), read by an add
        y = b.qdq('c', 0.05, 10, unsigned=True)
        b.node('Add', [y, y], ['sum'], 'residual')
        y = 'sum'
    elif kind == 'dynamic':
        b.node('DynamicQuantizeLinear', ['c'], ['c_q', 'c_s', 'c_zp'], 'dynq')
        b.node('DequantizeLinear', ['c_q', 'c_s', 'c_zp'], ['c_dq'], 'dq_c')
        y = 'c_dq'
    else:
        y = b.qdq('c', 0.05)
    path = os.path.join(out, name)
    b.save(path, [helper.make_tensor_value_info('x', TensorProto.FLOAT, [1, 3, 6, 6])],
           [helper.make_tensor_value_info(y, TensorProto.FLOAT, [1, 4, 4, 4])])
    return path


def torch_ptq(out):
    """PyTorch eager post-training static quantization (torch 1.13), exported by torch.onnx (QDQ with
    QuantizeLinear -> Cast -> DequantizeLinear on activations and Cast(ConstantOfShape) bias zero
    points): QuantStub, Conv 3x3 pad 1 + ReLU (fused), Conv 3x3 pad 1, residual add, DeQuantStub.
    Twice: with torch's default fbgemm qconfig (uint8 activations with a computed zero point, which
    the engine cannot run: onnx.quant-zero-point) and with symmetric observers (quint8 zero point
    128, int8 weights in [-127, 127] per tensor), which imports with the model's own integers:
    torch_sym.<layer>.torch_w.npy holds PyTorch's int_repr() of each conv weight and manifest
    'imports' the scales, for the test to compare."""
    import torch  # Debian python3-torch; missing, this script fails and so does onnx.quantized
    from torch.ao.quantization import MinMaxObserver, QConfig

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.q = torch.quantization.QuantStub()
            self.c = torch.nn.Conv2d(3, 8, 3, padding=1)
            self.r = torch.nn.ReLU()
            self.c2 = torch.nn.Conv2d(8, 8, 3, padding=1)
            self.add = torch.nn.quantized.FloatFunctional()
            self.dq = torch.quantization.DeQuantStub()

        def forward(self, x):
            a = self.r(self.c(self.q(x)))
            return self.dq(self.add.add(self.c2(a), a))

    def make(qconfig, name):
        torch.manual_seed(18)
        m = Net().eval()
        m.qconfig = qconfig
        torch.quantization.fuse_modules(m, [['c', 'r']], inplace=True)
        torch.quantization.prepare(m, inplace=True)
        m(torch.randn(8, 3, 16, 16))
        torch.quantization.convert(m, inplace=True)
        torch.onnx.export(m, torch.randn(1, 3, 16, 16), os.path.join(out, name + '.onnx'), opset_version=13)
        return m

    make(torch.quantization.get_default_qconfig('fbgemm'), 'torch_default')
    sym = QConfig(activation=MinMaxObserver.with_args(dtype=torch.quint8, qscheme=torch.per_tensor_symmetric),
                  weight=MinMaxObserver.with_args(dtype=torch.qint8, qscheme=torch.per_tensor_symmetric,
                                                  quant_min=-127, quant_max=127))
    m = make(sym, 'torch_sym')
    layers = {}
    for layer, mod in (('c_Conv', m.c), ('c2_Conv', m.c2)):
        w = mod.weight()
        np.save(os.path.join(out, 'torch_sym.%s.torch_w.npy' % layer), w.int_repr().numpy().astype(np.int8))
        layers[layer] = {'weight_scale': float(w.q_scale()), 'output_scale': float(mod.scale),
                         'output_zero_point': int(mod.zero_point)}
    # PyTorch's own quantized forward pass on a seeded N(0, 1) input (calibrated on 8 others), each
    # layer's integer operands and result as int8 (quint8 - 128): what the golden model, run with
    # the imported parameters on the same operands, is compared with.
    torch.manual_seed(1818)
    with torch.no_grad():
        xq = m.q(torch.randn(1, 3, 16, 16))
        a = m.c(xq)
        y2 = m.c2(a)
        y = m.add.add(y2, a)

    def i8(t):
        return (t.int_repr().numpy().astype(np.int16) - 128).astype(np.int8)
    for layer, ins, res in (('c_Conv', [xq], a), ('c2_Conv', [a], y2), ('Add', [y2, a], y)):
        np.save(os.path.join(out, 'torch_sym.%s.torch_in.npy' % layer), i8(ins[0]))
        if len(ins) > 1:
            np.save(os.path.join(out, 'torch_sym.%s.torch_in_b.npy' % layer), i8(ins[1]))
        np.save(os.path.join(out, 'torch_sym.%s.torch_out.npy' % layer), i8(res))
    return {'model': 'torch_sym.onnx', 'layers': layers, 'input_scale': float(m.q.scale),
            'input_zero_point': int(m.q.zero_point), 'compared': ['c_Conv', 'c2_Conv', 'Add']}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    manifest = {'models': [qdq_model(out), qop_model(out)], 'bad': [], 'imports': [torch_ptq(out)]}
    for name, kind, code, words in [
        ('bad_per_channel.onnx', 'per_channel', 'onnx.quant-unsupported', 'per-channel'),
        ('bad_weight_zp.onnx', 'weight_zp', 'onnx.quant-unsupported', 'zero point'),
        ('bad_weight_m128.onnx', 'weight_m128', 'onnx.quant-unsupported', '-128'),
        ('bad_act_zp.onnx', 'act_zp', 'onnx.quant-zero-point', 'zero point 0 (uint8)'),
        ('bad_act_int8_zp.onnx', 'act_int8_zp', 'onnx.quant-zero-point', 'zero point 5 (int8)'),
        ('bad_mismatch.onnx', 'mismatch', 'onnx.quant-mismatch', 'scale'),
        ('bad_dynamic.onnx', 'dynamic', 'onnx.quant-unsupported', 'dynamic quantization'),
    ]:
        bad_model(out, name, kind)
        manifest['bad'].append({'model': name, 'code': code, 'words': words})
    # An asymmetric tensor inside the model: what its producer and its reader lack.
    bad_model(out, 'bad_out_zp.onnx', 'out_zp')
    for words in ("zero point 10 (uint8)", "output zero point added after the requantization shift of 'conv' (Conv)",
                  "a constant term in the residual add 'residual' (Add)"):
        manifest['bad'].append({'model': 'bad_out_zp.onnx', 'code': 'onnx.quant-zero-point', 'words': words})
    # What the engine lacks for the model input of the default-qconfig model, which the first conv
    # pads: padding with the zero point and the input offset, each naming the conv.
    manifest['bad'].append({'model': 'torch_default.onnx', 'code': 'onnx.quant-zero-point',
                            'words': "padding with the zero point for '/c/Conv' (Conv)"})
    manifest['bad'].append({'model': 'torch_default.onnx', 'code': 'onnx.quant-zero-point',
                            'words': "the input offset of '/c/Conv' (Conv)"})
    with open(os.path.join(out, 'manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=1)


if __name__ == '__main__':
    main()
