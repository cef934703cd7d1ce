"""The Python wrapper (templates/runtime/dnnchip_rt.py) over the C library on the pointer platform,
with ordinary memory standing in for the registers and the region: struct layouts against
dnnchip_model.json, load / inputs / outputs at the documented offsets and registers, the engine
check, and wait / start on preset STATUS values; the engine check against CFG3 with POOL_MODEL_DIR, a
model whose program fuses a max pool (refused by an engine without a pool unit, or with a line buffer
one word short), and the 64-bit counter reads.
usage: test_rt_py.py LIB RUNTIME_DIR MODEL_DIR POOL_MODEL_DIR"""
import ctypes as C
import json
import sys

lib, rtdir, mdir, pdir = sys.argv[1:5]
sys.path.insert(0, rtdir)
import dnnchip_rt as D  # noqa: E402

fails = 0


def check(ok, what):
    global fails
    print(("  ok   " if ok else "  FAIL ") + what)
    fails += 0 if ok else 1


rt = D.Runtime(lib)
man = json.load(open(mdir + "/dnnchip_model.json"))
regs = (C.c_uint32 * 1024)()
mem = (C.c_uint8 * (1 << 20))()
phys = 0x20000000
p = rt.pointers(C.addressof(regs), C.addressof(mem), phys, 1 << 20)
m = rt.open_model(mdir)
pred = man["predicted"]
check((m.pred_fetch, m.pred_engine, m.pred_total, m.pred_rd_bytes, m.pred_wr_bytes) ==
      (pred["fetch_cycles"], pred["engine_cycles"], pred["total_cycles"], pred["read_bytes"], pred["write_bytes"]),
      "predicted counters read through the Model struct")
check([m.pred_layer[i] for i in range(m.n_layers)] == [l["cycles"] for l in pred["layers"]], "per-layer predictions")
check(m.input_names() == [t["name"] for t in man["inputs"]] and m.output_names() == [t["name"] for t in man["outputs"]],
      "tensor names")
regs[D.REG_ID // 4] = D.ID_VALUE
for k, r in enumerate((D.REG_CFG0, D.REG_CFG1, D.REG_CFG2, D.REG_CFG3)):
    regs[r // 4] = man["engine_id"][k]
rt.check_engine(p, m)
check(True, "check_engine accepts the compiled engine's CFG registers")
regs[D.REG_CFG0 // 4] ^= 1
try:
    rt.check_engine(p, m)
    check(False, "check_engine refuses another engine")
except D.RuntimeError_ as e:
    check(e.code == -4, "check_engine refuses another engine (%d)" % e.code)
regs[D.REG_CFG0 // 4] ^= 1


def refused(model, code, what):
    try:
        rt.check_engine(p, model)
        check(False, what + " (accepted)")
    except D.RuntimeError_ as e:
        check(e.code == code, "%s (%d, %s)" % (what, e.code, e))


# CFG3: what a program needs of the engine. The fused max pool's model needs its line buffer.
pman = json.load(open(pdir + "/dnnchip_model.json"))
pm = rt.open_model(pdir)
need = pman["requires"]["pool_line_words"]
check(need > 0 and pm.need_pool_words == need and pm.engine_id[3] == pman["engine_id"][3],
      "the pool model needs %d line-buffer words (manifest requires, model.rt needs)" % need)
check(m.need_pool_words == man["requires"]["pool_line_words"] == 0, "the first model needs no pool unit")
cfg3 = pman["engine_id"][3]
regs[D.REG_CFG3 // 4] = cfg3
rt.check_engine(p, pm)
check(True, "the pool model runs on the engine it was compiled for (POOL_DEPTH %d)" % (cfg3 & 0xFFFF))
regs[D.REG_CFG3 // 4] = cfg3 & ~0xFFFF
refused(pm, D.ERR_UNIT, "an engine without a pool unit (POOL_DEPTH 0) refuses the fused pool's model")
rt.check_engine(p, m)
check(True, "... and still runs the model without a fused pool")
regs[D.REG_CFG3 // 4] = (cfg3 & ~0xFFFF) | (need - 1)
refused(pm, D.ERR_UNIT, "a line buffer one word short (POOL_DEPTH %d) refuses it" % (need - 1))
regs[D.REG_CFG3 // 4] = (cfg3 & ~0xFFFF) | need
rt.check_engine(p, pm)
check(True, "a line buffer of exactly %d words runs it" % need)
if pm.need_wide_gather:
    regs[D.REG_CFG3 // 4] = cfg3 & ~(1 << 24)
    refused(pm, D.ERR_UNIT, "an engine without the wide gather refuses a program with ct_group > 1")
regs[D.REG_CFG3 // 4] = cfg3 ^ (3 << 16)
refused(pm, D.ERR_ENGINE, "another W_GROUP is another engine")
regs[D.REG_CFG3 // 4] = man["engine_id"][3]
# 64-bit counters: low word, then the high word register
regs[D.REG_CYCLES // 4] = 0x89ABCDEF
regs[D.reg_hi(D.REG_CYCLES) // 4] = 0x17
check(rt.counters(p)["cycles"] == 0x17_89ABCDEF, "counters: CYCLES as a 64-bit value from its two words")
rt.load(p, m)
prog = open(mdir + "/program.bin", "rb").read()
image = open(mdir + "/image.bin", "rb").read()
po, io_ = man["program"]["offset"], man["image"]["offset"]
check(bytes(mem[po:po + len(prog)]) == prog, "program.bin at the program offset")
check(bytes(mem[io_:io_ + len(image)]) == image, "image.bin at the image offset")
check(regs[D.REG_DRAM_BASE // 4] == phys + io_ and regs[D.REG_PROG_BASE // 4] == phys + po and
      regs[D.REG_PROG_COUNT // 4] == man["program"]["descriptors"] and
      regs[D.REG_DRAM_SIZE // 4] == man["image"]["size_bytes"], "DRAM_BASE, PROG_BASE, PROG_COUNT, DRAM_SIZE")
t = man["inputs"][0]
data = bytes((i * 7 + 3) & 255 for i in range(t["size_bytes"]))
rt.write_input(p, m, 0, data)
check(bytes(mem[io_ + t["offset"]:io_ + t["offset"] + len(data)]) == data, "write_input at the input's offset")
o = man["outputs"][0]
for i in range(o["size_bytes"]):
    mem[io_ + o["offset"] + i] = (i * 11 + 5) & 255
check(rt.read_output(p, m, 0) == bytes((i * 11 + 5) & 255 for i in range(o["size_bytes"])), "read_output")
regs[D.REG_STATUS // 4] = 2
check(rt.wait(p, False, 5) == 0, "wait: done")
regs[D.REG_STATUS // 4] = 6
regs[D.REG_ERR_CODE // 4] = 4 | (2 << 4)
regs[D.REG_ERR_INDEX // 4] = 3
check(rt.wait(p, False, 5) == 4 and rt.error(p) == {"code": 4, "name": "unknown opcode", "descriptor": 3,
                                                      "axi_resp": 2}, "wait / error: engine error 4 at 3")
regs[D.REG_STATUS // 4] = 1
for call, code, what in ((lambda: rt.wait(p, False, 3), -3, "wait times out while busy"),
                         (lambda: rt.start(p), -6, "start refuses while busy")):
    try:
        call()
        check(False, what)
    except D.RuntimeError_ as e:
        check(e.code == code, what)
print("FAIL" if fails else "PASS python wrapper")
sys.exit(1 if fails else 0)
