"""Exports a MobileNet-v3-style block with torchvision's SqueezeExcitation (HardSigmoid scale) to
ONNX (tests/rtl/cosim/se_onnx.sh). torch 1.13 writes hardswish as x * HardSigmoid(x), so the
import has Muls of two maps beside the SE's channel scale. usage: se_export.py OUT.onnx"""
import sys, torch, torchvision
from torchvision.ops import SqueezeExcitation
torch.manual_seed(0)
class Block(torch.nn.Module):
    def __init__(s):
        super().__init__()
        s.ex = torch.nn.Conv2d(8, 16, 1)
        s.dw = torch.nn.Conv2d(16, 16, 3, padding=1, groups=16)
        s.se = SqueezeExcitation(16, 8, scale_activation=torch.nn.Hardsigmoid)
        s.pr = torch.nn.Conv2d(16, 8, 1)
    def forward(s, x):
        y = torch.nn.functional.hardswish(s.ex(x))
        y = torch.nn.functional.hardswish(s.dw(y))
        return s.pr(s.se(y)) + x
m = Block().eval()
torch.onnx.export(m, torch.randn(1, 8, 8, 8), sys.argv[1], opset_version=13, do_constant_folding=True)
