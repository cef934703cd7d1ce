// engine_harness: runs dnnchip_engine on a small model in Icarus Verilog (or Verilator) and checks
// (1) every layer's output bytes against the golden model and (2) every layer's cycle count
// against schedule::predictCycles, exactly. Steps: build the model, draw seeded parameters and
// golden outputs (golden::randomRun), lower with schedule::buildProgram, write program.hex and the
// DRAM image (NHWC activations, packed weights and biases), write a testbench around the engine
// and templates/sim/axi_dram_model.v, simulate, parse the per-layer cycles and the DRAM dump.
// Usage: engine_harness <case> <rows> <cols> <ws|os> <double-buffer 0|1> <templates-dir> <work-dir>
//        [iverilog|verilator] [AXI data bits, default 64] [activation buffer words, default 64]
//        [L_RD [L_WR [RD_OUT [WR_OUT]]]]: the memory timing, each optional in this order, defaults
//        7 4 4 4 (a DRAM read latency alone, e.g. 1, makes weight blocks cheap for the back-to-back
//        WS passes). Exit 0 on PASS, 1 on a mismatch, 2 on a harness/tool error.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "dnnchip/codegen/DramImage.h"
#include "dnnchip/golden/ModelRunner.h"
#include "dnnchip/io/Json.h"
#include "dnnchip/schedule/CycleModel.h"
#include "dnnchip/schedule/Program.h"
#include "dnnchip/workload/Model.h"

namespace fs = std::filesystem;
using namespace dnnchip;

namespace {

// Small models, one per case: layer kinds and sizes of issue 5 point 7.
std::string modelJson(const std::string& name) {
  auto wrap = [&](const std::string& input, const std::string& layers) {
    return R"({"schema_version": 1, "name": ")" + name + R"(", "inputs": [)" + input +
           R"(], "layers": [)" + layers + "]}";
  };
  const std::string in13x11 = R"({"name": "x", "shape": [1, 5, 13, 11]})";
  if (name == "conv3x3")
    return wrap(R"({"name": "x", "shape": [1, 6, 8, 8]})",
                R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 5, "kernel": [3, 3], "padding": [1, 1, 1, 1], "activation": "relu"})");
  if (name == "conv_odd")  // C=5, K=7, 13x11: nothing is a multiple of the array
    return wrap(in13x11,
                R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 7, "kernel": [3, 3], "padding": [1, 1, 1, 1]})");
  if (name == "conv_wide")  // 24x24 = 576 pixels: M tiles of more than 256 pixels
    return wrap(R"({"name": "x", "shape": [1, 5, 24, 24]})",
                R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 6, "kernel": [3, 3], "padding": [1, 1, 1, 1], "activation": "relu"})");
  if (name == "conv7x7s2")
    return wrap(R"({"name": "x", "shape": [1, 3, 15, 13]})",
                R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 6, "kernel": [7, 7], "stride": [2, 2], "padding": [3, 3, 3, 3]})");
  if (name == "conv3x3c3")  // 3 input channels: the width fold with a one-column halo
    return wrap(R"({"name": "x", "shape": [1, 3, 9, 10]})",
                R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 6, "kernel": [3, 3], "padding": [1, 1, 1, 1], "activation": "relu"})");
  if (name == "conv1like")  // ResNet conv1 on a small map: C=3, 7x7, stride 2, pad 3 (fold, 3+ halo)
    return wrap(R"({"name": "x", "shape": [1, 3, 18, 17]})",
                R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 10, "kernel": [7, 7], "stride": [2, 2], "padding": [3, 3, 3, 3], "activation": "relu"},
                   {"name": "c2", "op": "conv2d", "inputs": ["c"], "out_channels": 4, "kernel": [3, 3], "padding": [1, 1, 1, 1]})");
  if (name == "depthwise_s2")  // 10 channels: blocks of 5 on a 4- or 8-row array, stride 2
    return wrap(R"({"name": "x", "shape": [1, 10, 9, 8]})",
                R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 10, "kernel": [3, 3], "stride": [2, 2], "padding": [1, 1, 1, 1], "groups": 10, "activation": "relu"})");
  if (name == "conv1x1")
    return wrap(R"({"name": "x", "shape": [2, 9, 5, 4]})",
                R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 10, "kernel": [1, 1], "bias": false})");
  if (name == "depthwise")
    return wrap(R"({"name": "x", "shape": [1, 6, 7, 7]})",
                R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 6, "kernel": [3, 3], "padding": [1, 1, 1, 1], "groups": 6, "dilation": [1, 1]})");
  if (name == "fc")
    return wrap(R"({"name": "x", "shape": [3, 20]})",
                R"({"name": "f", "op": "fc", "inputs": ["x"], "out_features": 9})");
  // many output tiles with few pixels per M tile: the back-to-back WS passes' bank and
  // weight-load stalls (mt = 1 and 2; conv_many: m_tile 12 with a last M tile of 1)
  // matrix transposes (docs/engine.md#transpose): a model input [10, 12] (10 rows on 4 columns:
  // three output tiles, the last partial) read back by an fc, whose [12, 7] output is transposed
  // again as the model output (12 taps)
  if (name == "transpose")
    return wrap(R"({"name": "x", "shape": [10, 12]})",
                R"({"name": "t", "op": "transpose", "inputs": ["x"], "perm": [1, 0]},
                   {"name": "f", "op": "fc", "inputs": ["t"], "out_features": 7, "activation": "relu"},
                   {"name": "u", "op": "transpose", "inputs": ["f"], "perm": [1, 0]})");
  // matrix products of two activations (docs/engine.md#matmul): a [9, 10] input times the
  // transpose of its own fc projection [9, 10] (transpose_b: scores = x k^T, 9 x 9 on 4 columns:
  // three packed output tiles, the last partial) and the scores times a second projection
  // [9, 6] (no transpose)
  if (name == "matmul" || name == "matmul3d")  // matmul3d: [1, 9, 10], BERT's rank-3 form
    return wrap(name == "matmul" ? R"({"name": "x", "shape": [9, 10]})" : R"({"name": "x", "shape": [1, 9, 10]})",
                R"({"name": "k", "op": "fc", "inputs": ["x"], "out_features": 10},
                   {"name": "v", "op": "fc", "inputs": ["x"], "out_features": 6},
                   {"name": "s", "op": "matmul", "inputs": ["x", "k"], "transpose_b": true},
                   {"name": "o", "op": "matmul", "inputs": ["s", "v"], "transpose_b": false, "activation": "relu"})");
  // softmax on the engine (docs/engine.md#softmax-on-the-engine): one attention head with its
  // softmax (rows of 9 scores: 3 channel tiles on 4 lanes, the last partial), and rows of 37 codes
  // of a model input (10 words on 4 lanes, 13 on 3) read by an fc
  if (name == "attention")
    return wrap(R"({"name": "x", "shape": [9, 10]})",
                R"({"name": "q", "op": "fc", "inputs": ["x"], "out_features": 10},
                   {"name": "k", "op": "fc", "inputs": ["x"], "out_features": 10},
                   {"name": "v", "op": "fc", "inputs": ["x"], "out_features": 6},
                   {"name": "s", "op": "matmul", "inputs": ["q", "k"], "transpose_b": true},
                   {"name": "p", "op": "softmax", "inputs": ["s"], "axis": -1},
                   {"name": "o", "op": "matmul", "inputs": ["p", "v"], "transpose_b": false})");
  if (name == "softmax")
    return wrap(R"({"name": "x", "shape": [6, 37]})",
                R"({"name": "p", "op": "softmax", "inputs": ["x"], "axis": -1},
                   {"name": "f", "op": "fc", "inputs": ["p"], "out_features": 5})");
  if (name == "fc_b1")
    return wrap(R"({"name": "x", "shape": [1, 20]})",
                R"({"name": "f", "op": "fc", "inputs": ["x"], "out_features": 30})");
  if (name == "fc_b2")
    return wrap(R"({"name": "x", "shape": [2, 13]})",
                R"({"name": "f", "op": "fc", "inputs": ["x"], "out_features": 23})");
  if (name == "conv_many")
    return wrap(R"({"name": "x", "shape": [1, 6, 5, 5]})",
                R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 40, "kernel": [3, 3], "padding": [1, 1, 1, 1], "activation": "relu"})");
  if (name == "conv_tiles" || name == "conv_tiles_n2")
    // tile overlap: 12 -> 40 (64) channels, several reduction, output and M tiles (4x16: 3 channel
    // tiles x 9 taps, 3 output tiles, the last pass on PE bank 0; 4x32: 2 output tiles of 16
    // pixels on a 4x4 map, short passes right behind the previous tile's)
    return wrap(name == "conv_tiles" ? R"({"name": "x", "shape": [1, 12, 10, 10]})" : R"({"name": "x", "shape": [1, 12, 4, 4]})",
                R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": )" +
                    std::string(name == "conv_tiles" ? "40" : "64") +
                    R"(, "kernel": [3, 3], "padding": [1, 1, 1, 1], "activation": "relu"})");
  if (name == "conv_c1")  // one input channel: k_chunk = 1, one-row weight loads
    return wrap(R"({"name": "x", "shape": [1, 1, 6, 6]})",
                R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 10, "kernel": [3, 3], "padding": [1, 1, 1, 1]})");
  if (name == "pools")
    return wrap(in13x11,
                R"({"name": "mp", "op": "maxpool", "inputs": ["x"], "kernel": [3, 3], "stride": [2, 2], "padding": [1, 1, 1, 1]},
                   {"name": "ap", "op": "avgpool", "inputs": ["mp"], "kernel": [2, 2], "stride": [2, 2]})");
  if (name == "residual")
    return wrap(R"({"name": "x", "shape": [1, 6, 6, 5]})",
                R"({"name": "c1", "op": "conv2d", "inputs": ["x"], "out_channels": 6, "kernel": [3, 3], "padding": [1, 1, 1, 1], "activation": "relu"},
                   {"name": "s", "op": "add", "inputs": ["c1", "x"], "activation": "relu"})");
  if (name == "residual_ds" || name == "residual_ds_late") {
    // a downsampling residual block: the skip is a strided 1x1 conv's output. In "residual_ds" the
    // downsample runs first and the add fuses into c2 (skip = ds); in "residual_ds_late" it runs
    // last and the add fuses into ds (skip = c2, the add's first operand: multipliers swap)
    const std::string ds = R"({"name": "ds", "op": "conv2d", "inputs": ["x"], "out_channels": 7, "kernel": [1, 1], "stride": [2, 2]})";
    const std::string c2 = R"({"name": "c2", "op": "conv2d", "inputs": ["c1"], "out_channels": 7, "kernel": [3, 3], "padding": [1, 1, 1, 1]})";
    return wrap(R"({"name": "x", "shape": [1, 5, 9, 11]})",
                R"({"name": "c1", "op": "conv2d", "inputs": ["x"], "out_channels": 6, "kernel": [3, 3], "stride": [2, 2], "padding": [1, 1, 1, 1], "activation": "relu"},)" +
                    (name == "residual_ds" ? ds + ", " + c2 : c2 + ", " + ds) +
                    R"(, {"name": "a", "op": "add", "inputs": ["c2", "ds"], "activation": "relu"})");
  }
  if (name == "residual_noadd_relu")  // the add without ReLU, the conv output as its second operand
    return wrap(R"({"name": "x", "shape": [1, 6, 6, 5]})",
                R"({"name": "c1", "op": "conv2d", "inputs": ["x"], "out_channels": 6, "kernel": [3, 3], "padding": [1, 1, 1, 1], "activation": "relu"},
                   {"name": "s", "op": "add", "inputs": ["x", "c1"]})");
  if (name == "mbv2")  // MobileNet-v2-style (docs/quantization.md#activations): an inverted residual
    // (1x1 expansion + ReLU6, depthwise 3x3 + ReLU6, linear 1x1 projection, residual add), a 1x1
    // conv with HardSwish (table), a standalone Sigmoid (table) and a Clip (clamp pair) after a pool
    return wrap(R"({"name": "x", "shape": [1, 6, 6, 5]})",
                R"({"name": "ex", "op": "conv2d", "inputs": ["x"], "out_channels": 12, "kernel": [1, 1], "activation": "relu6"},
                   {"name": "dw", "op": "conv2d", "inputs": ["ex"], "out_channels": 12, "kernel": [3, 3], "padding": [1, 1, 1, 1], "groups": 12, "activation": "relu6"},
                   {"name": "pr", "op": "conv2d", "inputs": ["dw"], "out_channels": 6, "kernel": [1, 1]},
                   {"name": "a", "op": "add", "inputs": ["pr", "x"]},
                   {"name": "hs", "op": "conv2d", "inputs": ["a"], "out_channels": 7, "kernel": [1, 1], "activation": "hardswish"},
                   {"name": "sg", "op": "activation", "inputs": ["hs"], "function": "sigmoid"},
                   {"name": "mp", "op": "maxpool", "inputs": ["sg"], "kernel": [2, 2], "stride": [2, 2], "activation": "clip", "clip_min": -1.0, "clip_max": 4.0},
                   {"name": "th", "op": "conv2d", "inputs": ["mp"], "out_channels": 5, "kernel": [3, 3], "padding": [1, 1, 1, 1], "activation": "tanh"})");
  if (name == "se")  // squeeze-and-excitation (docs/engine.md#elementwise-multiply): 3x3 conv, global
    // pool, 1x1 conv + ReLU, 1x1 conv + HardSigmoid, the channel scale as torchvision writes it
    // (scale first), a mul of two maps with ReLU, a 1x1 conv reading it, and a second scale from an
    // fc + Sigmoid on the flattened pool, reshaped to [1, C, 1, 1], and the fc's [1, C] output times
    // its Sigmoid (hardswish's x * HardSigmoid(x) as torch exports it, on [rows, C]); 10 channels: output tiles of 4, 4, 2
    return wrap(R"({"name": "x", "shape": [1, 6, 6, 5]})",
                R"({"name": "c1", "op": "conv2d", "inputs": ["x"], "out_channels": 10, "kernel": [3, 3], "padding": [1, 1, 1, 1], "activation": "relu"},
                   {"name": "gp", "op": "global_avgpool", "inputs": ["c1"]},
                   {"name": "f1", "op": "conv2d", "inputs": ["gp"], "out_channels": 4, "kernel": [1, 1], "activation": "relu"},
                   {"name": "f2", "op": "conv2d", "inputs": ["f1"], "out_channels": 10, "kernel": [1, 1], "activation": "hardsigmoid"},
                   {"name": "m", "op": "mul", "inputs": ["f2", "c1"]},
                   {"name": "m2", "op": "mul", "inputs": ["m", "c1"], "activation": "relu"},
                   {"name": "pr", "op": "conv2d", "inputs": ["m2"], "out_channels": 6, "kernel": [1, 1]},
                   {"name": "fl", "op": "flatten", "inputs": ["gp"]},
                   {"name": "fa", "op": "fc", "inputs": ["fl"], "out_features": 10},
                   {"name": "sg", "op": "activation", "inputs": ["fa"], "function": "sigmoid"},
                   {"name": "rs", "op": "reshape", "inputs": ["sg"], "shape": [1, 10, 1, 1]},
                   {"name": "m3", "op": "mul", "inputs": ["c1", "rs"]},
                   {"name": "m4", "op": "mul", "inputs": ["fa", "sg"]})");
  if (name == "concat")  // concat by placement: a conv, a depthwise conv, a pool and an add write
    // their channels into one tensor at their offsets (a pixel stride of all 24 channels), which a
    // conv then reads whole; and an fc pair concatenated on [rows, C]
    return wrap(R"({"name": "x", "shape": [1, 5, 6, 6]}, {"name": "v", "shape": [3, 9]})",
                R"({"name": "a", "op": "conv2d", "inputs": ["x"], "out_channels": 6, "kernel": [1, 1], "activation": "relu"},
                   {"name": "b", "op": "conv2d", "inputs": ["x"], "out_channels": 7, "kernel": [3, 3], "padding": [1, 1, 1, 1]},
                   {"name": "p", "op": "maxpool", "inputs": ["x"], "kernel": [3, 3], "stride": [1, 1], "padding": [1, 1, 1, 1]},
                   {"name": "d", "op": "conv2d", "inputs": ["x"], "out_channels": 5, "kernel": [3, 3], "padding": [1, 1, 1, 1], "groups": 5, "activation": "relu6"},
                   {"name": "e", "op": "conv2d", "inputs": ["x"], "out_channels": 1, "kernel": [1, 1]},
                   {"name": "s", "op": "add", "inputs": ["e", "e"]},
                   {"name": "cat", "op": "concat", "inputs": ["a", "b", "p", "d", "s"], "axis": 1},
                   {"name": "c", "op": "conv2d", "inputs": ["cat"], "out_channels": 7, "kernel": [3, 3], "padding": [1, 1, 1, 1]},
                   {"name": "f1", "op": "fc", "inputs": ["v"], "out_features": 5},
                   {"name": "f2", "op": "fc", "inputs": ["v"], "out_features": 6, "activation": "relu"},
                   {"name": "fc", "op": "concat", "inputs": ["f1", "f2"], "axis": -1},
                   {"name": "g", "op": "fc", "inputs": ["fc"], "out_features": 4})");
  // fused max pool (docs/engine.md#fused-max-pool): a 3x3/2/pad-1 max pool in the output path of
  // the conv it reads. convpool: 14x12 conv output, M tiles of whole row pairs and a short last
  // one, two or more output tiles sharing the line buffer, the pool's ReLU moved into the conv,
  // a conv reading the pool. conv1pool: ResNet's conv1 + pool on a small map, batch 2 (M tiles
  // across the image boundary), width-folded conv.
  if (name == "convpool")
    return wrap(R"({"name": "x", "shape": [1, 5, 14, 12]})",
                R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 9, "kernel": [3, 3], "padding": [1, 1, 1, 1]},
                   {"name": "mp", "op": "maxpool", "inputs": ["c"], "kernel": [3, 3], "stride": [2, 2], "padding": [1, 1, 1, 1], "activation": "relu"},
                   {"name": "c2", "op": "conv2d", "inputs": ["mp"], "out_channels": 4, "kernel": [3, 3], "padding": [1, 1, 1, 1]})");
  if (name == "conv1pool")
    return wrap(R"({"name": "x", "shape": [2, 3, 20, 20]})",
                R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 10, "kernel": [7, 7], "stride": [2, 2], "padding": [3, 3, 3, 3], "activation": "relu"},
                   {"name": "mp", "op": "maxpool", "inputs": ["c"], "kernel": [3, 3], "stride": [2, 2], "padding": [1, 1, 1, 1]})");
  if (name == "stem")  // ResNet-50 / MobileNet-v2 stem: C=3, 3x3, stride 2, pad 1, then a 3x3 conv
    return wrap(R"({"name": "x", "shape": [1, 3, 13, 12]})",
                R"({"name": "c", "op": "conv2d", "inputs": ["x"], "out_channels": 9, "kernel": [3, 3], "stride": [2, 2], "padding": [1, 1, 1, 1], "activation": "relu"},
                   {"name": "c2", "op": "conv2d", "inputs": ["c"], "out_channels": 4, "kernel": [3, 3], "padding": [1, 1, 1, 1]})");
  if (name == "net")  // several layers end to end, including flatten + fc
    return wrap(R"({"name": "x", "shape": [1, 3, 12, 12]})",
                R"({"name": "c1", "op": "conv2d", "inputs": ["x"], "out_channels": 8, "kernel": [3, 3], "stride": [2, 2], "padding": [1, 1, 1, 1], "activation": "relu"},
                   {"name": "p1", "op": "maxpool", "inputs": ["c1"], "kernel": [2, 2], "stride": [2, 2]},
                   {"name": "c2", "op": "conv2d", "inputs": ["p1"], "out_channels": 8, "kernel": [3, 3], "padding": [1, 1, 1, 1]},
                   {"name": "a", "op": "add", "inputs": ["c2", "p1"], "activation": "relu"},
                   {"name": "g", "op": "global_avgpool", "inputs": ["a"]},
                   {"name": "fl", "op": "flatten", "inputs": ["g"]},
                   {"name": "f", "op": "fc", "inputs": ["fl"], "out_features": 5})");
  return {};
}

int fail(const std::string& msg) {
  std::cerr << "engine_harness: " << msg << "\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 8) return fail("usage: engine_harness <case> <rows> <cols> <ws|os> <db> <templates> <work> [sim [axi_bits [act_words [lrd [lwr [rd_out [wr_out]]]]]]]");
  const std::string caseName = argv[1];
  schedule::EngineConfig cfg;
  cfg.rows = std::atoi(argv[2]);
  cfg.cols = std::atoi(argv[3]);
  cfg.dataflow = std::string(argv[4]) == "os" ? schedule::Dataflow::OutputStationary
                                              : schedule::Dataflow::WeightStationary;
  cfg.doubleBuffer = std::atoi(argv[5]) != 0;
  // "<db>w<G>" (e.g. 1w4): weight streams of G blocks (W_GROUP, docs/engine.md#weight-streams)
  if (const char* w = std::strchr(argv[5], 'w')) cfg.weightGroup = std::atoi(w + 1);
  cfg.actBufferWords = 64;    // small buffers: several M tiles even on small maps
  cfg.accBufferWords = 128;
  cfg.dramReadLatencyCycles = 7;
  cfg.dramWriteLatencyCycles = 4;
  cfg.burstMaxBeats = 4;
  cfg.poolLineWords = 64;     // the pool unit (fused max pool): 64 words of COLS bytes
  const fs::path templates = argv[6];
  const fs::path work = argv[7];
  const std::string sim = argc > 8 ? argv[8] : "iverilog";
  if (argc > 9) cfg.axiDataBits = std::atoi(argv[9]);
  if (argc > 10) {  // deeper activation buffer: address widths above 8 bits (controller regression)
    cfg.actBufferWords = std::atoi(argv[10]);
    cfg.accBufferWords = 2 * cfg.actBufferWords;
  }
  // memory timing (a platform's memory port), each optional in order: DRAM read latency (1 makes
  // weight blocks cheap, so the WS array's bank rule paces the passes), write latency, read and
  // write bursts in flight
  if (argc > 11) cfg.dramReadLatencyCycles = std::atoi(argv[11]);
  if (argc > 12) cfg.dramWriteLatencyCycles = std::atoi(argv[12]);
  if (argc > 13) cfg.readOutstanding = std::atoi(argv[13]);
  if (argc > 14) cfg.writeOutstanding = std::atoi(argv[14]);
  const int dw = cfg.axiDataBits;
  fs::create_directories(work);

  // conv_c1 exists for k_chunk = 1 (one-row weight loads in the back-to-back passes): keep it
  // direct, the width fold would make it 3 channels of 3 taps
  schedule::LoweringOptions lowering;
  // "<case>_g<N>": wide gathers of N channel tiles wherever they fit (docs/engine.md#wide-gather)
  // "<case>_rq27": the vector unit's 27-bit requantization operand (RQ_W 27, one DSP48E2 per lane)
  std::string baseName = caseName;
  // "<case>_dwu": the depthwise unit (DW = 1, 32-pixel row slots), every depthwise layer it can
  // run forced onto it (the harness fails if none is)
  const bool dwu = baseName.size() > 4 && baseName.ends_with("_dwu");
  if (dwu) {
    cfg.depthwiseUnit = true;
    cfg.depthwiseLineBits = 5;
    lowering.forceDepthwiseUnit = true;
    baseName = baseName.substr(0, baseName.size() - 4);
  }
  // "<case>_wskew": skewed weight loads (WSKEW 1, docs/engine.md#skewed-weight-loads); before it
  // "_p2": the packed array (PACK 2, two columns per DSP48E2 PE, its behavioural model)
  if (baseName.size() > 6 && baseName.ends_with("_wskew")) {
    cfg.weightSkew = true;
    baseName = baseName.substr(0, baseName.size() - 6);
  }
  if (baseName.size() > 3 && baseName.ends_with("_p2")) {
    cfg.pack = 2;
    baseName = baseName.substr(0, baseName.size() - 3);
  }
  // "<case>_rqlut": the vector unit's requantization multiplier in fabric (RQ_LUT 1)
  if (baseName.size() > 6 && baseName.ends_with("_rqlut")) {
    cfg.requantLutMult = true;
    baseName = baseName.substr(0, baseName.size() - 6);
  }
  if (baseName.size() > 5 && baseName.ends_with("_rq27")) {
    cfg.requantBits = 27;
    baseName = baseName.substr(0, baseName.size() - 5);
  }
  // "<case>_win": the window fold (docs/engine.md#alternative-lowerings, a row-stacked model
  // input), required to be taken; without it the cases keep the lowerings they were written for
  const bool win = baseName.size() > 4 && baseName.ends_with("_win");
  lowering.foldWindow = win;
  if (win) baseName = baseName.substr(0, baseName.size() - 4);
  std::string modelName = baseName;
  if (auto at = baseName.rfind("_g"); at != std::string::npos && at + 2 < baseName.size() &&
      std::all_of(baseName.begin() + long(at) + 2, baseName.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    lowering.ctGroup = uint32_t(std::atoi(baseName.c_str() + at + 2));
    modelName = baseName.substr(0, at);
  }
  if (modelName == "conv_c1") lowering.foldWidth = false;
  // "<case>_unfused": the same model with every layer run on its own (no fused residual add)
  if (modelName.size() > 8 && modelName.ends_with("_unfused")) {
    lowering.fuseResidualAdd = false;
    lowering.fuseMaxPool = false;
    modelName = modelName.substr(0, modelName.size() - 8);
  }
  std::string json = modelJson(modelName);
  if (json.empty()) return fail("unknown case " + caseName);
  auto model = workload::parseModel(io::Json::parse(json), modelName);
  if (!model) return fail(model.error().format());
  auto run = golden::randomRun(*model, 1234);
  if (!run) return fail(run.error().format());
  auto prog = schedule::buildProgram(*model, cfg, lowering);
  if (!prog) return fail(prog.error().format());
  if (dwu && std::none_of(prog->descriptors.begin(), prog->descriptors.end(), [](const auto& d) {
        return d.lowering == schedule::WeightLowering::DepthwiseUnit;
      }))
    return fail("no layer of the _dwu case runs on the depthwise unit");
  if (win && std::none_of(prog->descriptors.begin(), prog->descriptors.end(), [](const auto& d) {
        return d.lowering == schedule::WeightLowering::FoldedWindow;
      }))
    return fail("no layer of the _win case is window-folded");
  // residual cases exist for the fused add: require it (and its absence when unfused)
  const bool fused = std::any_of(prog->descriptors.begin(), prog->descriptors.end(),
                                 [](const auto& d) { return d.fuseAdd; });
  if (modelName.starts_with("residual") && fused == !lowering.fuseResidualAdd)
    return fail(fused ? "the unfused lowering fused an add" : "the residual add was not fused");
  const bool pooled = std::any_of(prog->descriptors.begin(), prog->descriptors.end(),
                                  [](const auto& d) { return d.fusePool; });
  if ((modelName == "convpool" || modelName == "conv1pool") && pooled == !lowering.fuseMaxPool)
    return fail(pooled ? "the unfused lowering fused a max pool" : "the max pool was not fused");

  // Quantization from the golden parameters.
  for (auto& d : prog->descriptors) {
    const auto& l = model->layers[size_t(d.layerIndex)];
    const auto& q = run->params.layers[size_t(d.layerIndex)].quant;
    if ((d.op == schedule::EngineOp::Gemm && d.lowering != schedule::WeightLowering::Identity) ||
        l.op == workload::OpKind::Add)  // a transpose keeps its identity requantization
      schedule::setQuant(d, q.mult, q.multB, uint32_t(q.shift), d.relu);
    if (d.mul) schedule::setMulQuant(d, q.mult, uint32_t(q.shift), d.addRelu);
    if (d.op == schedule::EngineOp::Softmax) schedule::setSoftmaxQuant(d, q.mult, uint32_t(q.shift));
    if (d.fuseAdd) {
      const auto& qa = run->params.layers[size_t(d.fusedAddIndex)].quant;
      schedule::setFusedAddQuant(d, qa.mult, qa.multB, uint32_t(qa.shift), d.addRelu);
    }
    schedule::setActivation(d, run->params.layers[size_t(d.layerIndex)].act);
  }
  if (auto bad = schedule::narrowRequant(*prog, cfg)) return fail(bad->format());
  const int actUnit = schedule::activationUnit(*prog);
  if (modelName == "se" && std::count_if(prog->descriptors.begin(), prog->descriptors.end(),
                                         [](const auto& d) { return d.mul && d.broadcastSkip; }) != 2)
    return fail("the se case needs two channel-scale muls");
  if (caseName.starts_with("mbv2") && actUnit != 2) return fail("the mbv2 case needs clamp pairs and tables");

  // DRAM image.
  std::vector<uint8_t> dram(prog->dramBytes, 0);
  for (const auto& [name, t] : run->params.inputs)  // the placement's layout (halo, row stack included)
    codegen::storeActivation(dram, *prog->find(name, schedule::TensorKind::Activation), t);
  for (const auto& d : prog->descriptors) {
    if (d.op != schedule::EngineOp::Gemm) continue;
    const auto& lp = run->params.layers[size_t(d.layerIndex)];
    auto w = schedule::packWeights(d, cfg, lp.weight.data);
    std::copy(w.begin(), w.end(), reinterpret_cast<int8_t*>(dram.data()) + d.weightBase);
    if (d.biasEnable) {
      std::vector<int32_t> bias = lp.bias.data;
      if (bias.empty()) bias.assign(size_t(d.groups * d.kg), 0);
      auto b = schedule::packBias(d, cfg, bias);
      std::copy(b.begin(), b.end(), dram.data() + d.biasBase);
    }
  }
  for (const auto& d : prog->descriptors)  // activation tables: the first 256 bytes of the bias region
    if (d.lutEnable) {
      auto t = schedule::packTable(d, cfg, schedule::tableBytes(run->params.layers[size_t(d.layerIndex)].act), {});
      std::copy(t.begin(), t.begin() + schedule::kActivationTableBytes, dram.data() + d.biasBase);
    }
  {
    std::ofstream f(work / "dram.hex");
    char buf[4];
    for (uint8_t b : dram) { std::snprintf(buf, sizeof buf, "%02x", b); f << buf << "\n"; }
    std::ofstream p(work / "program.hex");
    p << schedule::encodeProgram(*prog);
  }
  auto predicted = schedule::predictCycles(*prog, cfg);
  uint64_t total = schedule::kEndCycles;
  for (const auto& lc : predicted) total += lc.total();

  // Testbench.
  const uint32_t memBytes = std::max<uint32_t>(4096, (prog->dramBytes + 4095) / 4096 * 4096);
  {
    std::ofstream tb(work / "tb.v");
    tb << "`timescale 1ns/1ps\nmodule tb;\n  reg clk = 0, rst_n = 0, start = 0, dump = 0;\n"
       << "  always #5 clk = ~clk;\n"
       << "  wire busy, done, layer_done; wire [15:0] layer_idx; wire [31:0] layer_cycles;\n"
       << "  wire [31:0] awaddr, araddr; wire [7:0] awlen, arlen; wire [2:0] awsize, arsize;\n"
       << "  wire [1:0] awburst, arburst, bresp, rresp; wire awvalid, awready, wlast, wvalid, wready,\n"
       << "       bvalid, bready, arvalid, arready, rlast, rvalid, rready;\n"
       << "  wire [" << dw - 1 << ":0] wdata, rdata; wire [" << dw / 8 - 1 << ":0] wstrb;\n"
       << "  dnnchip_engine #(.ROWS(" << cfg.rows << "), .COLS(" << cfg.cols << "), .DATAFLOW("
       << int(cfg.dataflow) << "), .ACT_DEPTH(" << cfg.actBufferWords << "), .ACC_DEPTH("
       << cfg.accBufferWords << "), .DOUBLE_BUFFER(" << (cfg.doubleBuffer ? 1 : 0)
       << "), .W_GROUP(" << cfg.weightGroup << "), .PACK(" << cfg.pack << "), .WSKEW(" << (cfg.weightSkew ? 1 : 0)
       << "), .ACT(" << actUnit << "), .MUL(" << (schedule::usesMul(*prog) ? 1 : 0) << "), .SOFTMAX(" << (schedule::softmaxWords(*prog) ? 1 : 0)
       << "), .SMX_WORDS(" << std::max<uint32_t>(2, schedule::softmaxWords(*prog)) << "), .POOL_DEPTH(" << (pooled ? cfg.poolLineWords : 0) << "), .DW(" << (cfg.depthwiseUnit ? 1 : 0) << "), .DW_LW(" << cfg.depthwiseLineBits << "), .RQ_W(" << cfg.requantBits << "), .RQ_LUT(" << (cfg.requantLutMult ? 1 : 0) << "), .DATA_W(" << dw << "), .BURST_MAX(" << cfg.burstMaxBeats << "), .RD_OUT(" << cfg.readOutstanding
       << "), .WR_OUT(" << cfg.writeOutstanding << "), .PROG_DEPTH(16), .PROG_FILE(\""
       << (work / "program.hex").string() << "\")) dut (\n"
       << "    .clk(clk), .rst_n(rst_n), .start(start), .stop(1'b0), .prog_we(1'b0), .prog_waddr(16'd0),\n"
       << "    .prog_wmask(26'd0), .prog_wdata(832'd0), .busy(busy), .done(done), .layer_done(layer_done),\n"
       << "    .layer_idx(layer_idx), .layer_cycles(layer_cycles),\n"
       << "    .m_axi_awaddr(awaddr), .m_axi_awlen(awlen), .m_axi_awsize(awsize), .m_axi_awburst(awburst),\n"
       << "    .m_axi_awvalid(awvalid), .m_axi_awready(awready), .m_axi_wdata(wdata), .m_axi_wstrb(wstrb),\n"
       << "    .m_axi_wlast(wlast), .m_axi_wvalid(wvalid), .m_axi_wready(wready), .m_axi_bresp(bresp),\n"
       << "    .m_axi_bvalid(bvalid), .m_axi_bready(bready), .m_axi_araddr(araddr), .m_axi_arlen(arlen),\n"
       << "    .m_axi_arsize(arsize), .m_axi_arburst(arburst), .m_axi_arvalid(arvalid), .m_axi_arready(arready),\n"
       << "    .m_axi_rdata(rdata), .m_axi_rresp(rresp), .m_axi_rlast(rlast), .m_axi_rvalid(rvalid),\n"
       << "    .m_axi_rready(rready));\n"
       << "  axi_dram_model #(.DATA_W(" << dw << "), .MEM_BYTES(" << memBytes << "), .RD_LAT(" << cfg.dramReadLatencyCycles
       << "), .WR_LAT(" << cfg.dramWriteLatencyCycles << "), .RD_ACCEPT(" << cfg.readOutstanding << "), .WR_ACCEPT("
       << cfg.writeOutstanding << "), .MAX_BURST(" << cfg.burstMaxBeats << "), .MEM_FILE(\"" << (work / "dram.hex").string()
       << "\"), .DUMP_FILE(\"" << (work / "dram_out.hex").string() << "\")) mem (\n"
       << "    .clk(clk), .rst_n(rst_n), .dump(dump),\n"
       << "    .s_axi_awaddr(awaddr), .s_axi_awlen(awlen), .s_axi_awsize(awsize), .s_axi_awburst(awburst),\n"
       << "    .s_axi_awvalid(awvalid), .s_axi_awready(awready), .s_axi_wdata(wdata), .s_axi_wstrb(wstrb),\n"
       << "    .s_axi_wlast(wlast), .s_axi_wvalid(wvalid), .s_axi_wready(wready), .s_axi_bresp(bresp),\n"
       << "    .s_axi_bvalid(bvalid), .s_axi_bready(bready), .s_axi_araddr(araddr), .s_axi_arlen(arlen),\n"
       << "    .s_axi_arsize(arsize), .s_axi_arburst(arburst), .s_axi_arvalid(arvalid), .s_axi_arready(arready),\n"
       << "    .s_axi_rdata(rdata), .s_axi_rresp(rresp), .s_axi_rlast(rlast), .s_axi_rvalid(rvalid),\n"
       << "    .s_axi_rready(rready));\n"
       << "  reg [31:0] cyc = 0;\n"
       << "  always @(posedge clk) begin\n"
       << "    cyc <= cyc + 1;\n"
       << "    if (layer_done) $display(\"LAYER %0d %0d\", layer_idx, layer_cycles);\n"
       << "    if (done) begin $display(\"DONE %0d\", cyc); dump <= 1; end\n"
       << "    if (dump) $finish;\n"
       << "    if (cyc > " << (total * 2 + 10000) << ") begin $display(\"TIMEOUT\"); $finish; end\n"
       << "  end\n"
       << "  initial begin\n"
       << "    repeat (3) @(posedge clk); rst_n <= 1; @(posedge clk); start <= 1; @(posedge clk); start <= 0;\n"
       << "  end\nendmodule\n";
  }
  std::vector<std::string> rtl = {"dnnchip_engine.v", "controller.v", "dma_axi.v", "buffer_dp.v",
                                  "acc_buffer.v", "vector_unit.v", "residual_add.v", "pool_unit.v", "dw_unit.v", "softmax_unit.v", "systolic_ws.v",
                                  "systolic_os.v", "mac_pe.v", "mac_pe_pack2.v", "sim/axi_dram_model.v"};
  std::string files;
  for (const auto& f : rtl) files += " " + (templates / f).string();
  const std::string log = (work / "sim.log").string();
  std::string cmd;
  if (sim == "verilator") {
    cmd = "verilator --binary -Wno-fatal -Wno-lint -Wno-style --top-module tb -Mdir " +
          (work / "obj").string() + " " + (work / "tb.v").string() + files + " > " +
          (work / "build.log").string() + " 2>&1 && " + (work / "obj" / "Vtb").string() + " > " + log + " 2>&1";
  } else {
    cmd = "iverilog -g2005 -o " + (work / "sim.vvp").string() + " " + (work / "tb.v").string() + files +
          " > " + (work / "build.log").string() + " 2>&1 && vvp -n " + (work / "sim.vvp").string() +
          " > " + log + " 2>&1";
  }
  if (std::system(cmd.c_str()) != 0) return fail("simulation failed: " + cmd);

  // Cycles.
  std::map<int, uint64_t> measured;
  bool doneSeen = false;
  uint64_t doneCycle = 0;
  {
    std::ifstream f(log);
    std::string line;
    while (std::getline(f, line)) {
      std::istringstream ls(line);
      std::string tag;
      ls >> tag;
      if (tag == "LAYER") { int i; uint64_t c; ls >> i >> c; measured[i] = c; }
      if (tag == "DONE") { doneSeen = true; ls >> doneCycle; }
      if (tag == "TIMEOUT") return fail("simulation timed out");
    }
  }
  if (!doneSeen) return fail("the engine never raised done (see " + log + ")");
  int bad = 0;
  std::cout << "case " << caseName << " " << cfg.rows << "x" << cfg.cols << " "
            << schedule::dataflowName(cfg.dataflow) << (cfg.doubleBuffer ? " double-buffered" : "")
            << (cfg.weightGroup > 1 ? ", weight streams of " + std::to_string(cfg.weightGroup) + " blocks" : "") << "\n";
  for (size_t i = 0; i < predicted.size(); ++i) {
    const auto& lc = predicted[i];
    uint64_t got = measured.count(int(i)) ? measured[int(i)] : 0;
    const auto& d = prog->descriptors[i];
    const char* lowering = d.lowering == schedule::WeightLowering::FoldedWidth     ? " [width folded]"
                           : d.lowering == schedule::WeightLowering::FoldedWindow  ? " [window folded]"
                           : d.lowering == schedule::WeightLowering::BlockDiagonal ? " [depthwise blocks]"
                           : d.lowering == schedule::WeightLowering::DepthwiseUnit ? " [depthwise unit]"
                                                                                   : "";
    if (d.fuseAdd) lowering = d.lowering == schedule::WeightLowering::Direct ? " [fused add]" : " [lowered, fused add]";
    if (d.fusePool) lowering = d.lowering == schedule::WeightLowering::Direct ? " [fused pool]" : " [lowered, fused pool]";
    if (d.lutEnable) lowering = d.fuseAdd ? " [table, fused add]" : " [table]";
    if (d.mul) lowering = d.broadcastSkip ? " [mul, channel scale]" : " [mul]";
    else if (d.clampEnable) lowering = d.lowering == schedule::WeightLowering::BlockDiagonal ? " [depthwise blocks, clamp]" : " [clamp]";
    std::cout << "  layer " << i << " " << d.layerName << lowering << " (groups " << d.groups
              << ", cg " << d.cg << ", kernel " << d.kernelR << "x" << d.kernelS << ", ct_group "
              << d.ctGroup << "/" << d.numCTiles << ", m_tile " << d.mTile << "): rtl " << got
              << " cycles, predicted " << lc.total() << " (load " << lc.load << ", compute "
              << lc.compute << ", vector " << lc.vector << ", store " << lc.store << ", overhead "
              << lc.overhead << ", stall " << lc.stall << ")" << (got == lc.total() ? "" : "  MISMATCH") << "\n";
    if (got != lc.total()) ++bad;
  }

  // Outputs.
  std::vector<uint8_t> out;
  {
    std::ifstream f(work / "dram_out.hex");
    std::string tok;
    while (f >> tok) {
      if (tok.rfind("//", 0) == 0) { std::string rest; std::getline(f, rest); continue; }
      if (tok[0] == '@') continue;
      out.push_back(tok.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos ? uint8_t(std::stoul(tok, nullptr, 16)) : uint8_t(0xEE));
    }
  }
  if (out.size() < prog->dramBytes) return fail("DRAM dump too short");
  for (const auto& d : prog->descriptors) {
    if (d.packsWeights) continue;  // a MatMul's weight blocks, checked through the MatMul's output
    const auto& want = run->outputs.layers[size_t(d.outputLayerIndex())];
    // the output's placement: contiguous NHWC, or a channel slice of a concat (channelStride)
    const auto* place = codegen::outputPlacement(*prog, *model, d.outputLayerIndex());
    if (!place) return fail("no placement for the output of " + d.layerName);
    auto got = codegen::loadActivation(out, *place, want.shape);
    for (size_t e = 0; e < want.data.size(); ++e) {
      if (got.data[e] != want.data[e]) {
        std::cout << "  layer " << d.layerName << ": output element " << e << " (NCHW) is " << int(got.data[e])
                  << ", golden " << int(want.data[e]) << "  MISMATCH\n";
        ++bad;
        break;
      }
    }
  }
  for (const auto& t : prog->tensors)  // concatenations: their producers wrote them in place
    if (t.kind == schedule::TensorKind::Activation && t.layerIndex >= 0 &&
        model->layers[size_t(t.layerIndex)].op == workload::OpKind::Concat) {
      const auto& want = run->outputs.layers[size_t(t.layerIndex)];
      if (codegen::loadActivation(out, t, want.shape).data != want.data) {
        std::cout << "  concat " << t.name << " differs from the golden model  MISMATCH\n";
        ++bad;
      }
    }
  std::cout << (bad ? "FAIL" : "PASS") << "\n";
  return bad ? 1 : 0;
}
