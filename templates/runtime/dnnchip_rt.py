"""dnnchip_rt: Python (ctypes) wrapper of the dnnchip C runtime (dnnchip_rt.h, docs/soc.md).

Build the shared library once on the target:  cc -O2 -shared -fPIC -o libdnnchip_rt.so dnnchip_rt.c
Debian/PYNQ python3 only: ctypes from the standard library, no other package.

    import dnnchip_rt
    rt = dnnchip_rt.Runtime("./libdnnchip_rt.so")
    dev = rt.devmem(reg_phys=0xA0000000, mem_phys=0x30000000, mem_size=16 << 20)  # or rt.uio(...)
    model = rt.open_model("compiled/resnet18")
    rt.check_engine(dev, model); rt.load(dev, model)
    rt.write_input(dev, model, 0, input_bytes)      # NHWC int8, the placement's bytes
    rt.start(dev); code = rt.wait(dev, use_irq=True, limit=1000)
    out = rt.read_output(dev, model, 0); print(rt.counters(dev))
"""
import ctypes as C

REG_ID, REG_CTRL, REG_STATUS, REG_IRQ_ENABLE, REG_IRQ_STATUS = 0x000, 0x004, 0x008, 0x00C, 0x010
REG_ERR_CODE, REG_ERR_INDEX, REG_DRAM_BASE, REG_PROG_BASE, REG_PROG_COUNT = 0x014, 0x018, 0x01C, 0x020, 0x024
REG_CFG0, REG_CFG1, REG_CFG2, REG_DRAM_SIZE, REG_LAYER_TABLE = 0x050, 0x054, 0x058, 0x05C, 0x100
REG_CYCLES, REG_CFG3, REG_WDOG_LIMIT = 0x028, 0x060, 0x064
ID_VALUE = 0x444E4302
ERR_TIMEOUT, ERR_ENGINE, ERR_UNIT = -3, -4, -7  # runtime codes (DNNCHIP_ERR_*)
E_TIMEOUT, E_ALIGN, E_REGION = 8, 9, 10        # engine codes (DNNCHIP_E_*)


def reg_hi(lo):
    """High word of the 64-bit counter whose low word is at `lo` (read the low word first)."""
    return lo - 0x028 + 0x080
MAX_TENSORS, MAX_LAYERS = 16, 1024

_REG_READ = C.CFUNCTYPE(C.c_uint32, C.c_void_p, C.c_uint32)
_REG_WRITE = C.CFUNCTYPE(None, C.c_void_p, C.c_uint32, C.c_uint32)
_MEM_COPY = C.CFUNCTYPE(C.c_int, C.c_void_p, C.c_uint64, C.c_void_p, C.c_size_t)
_WAIT_IRQ = C.CFUNCTYPE(C.c_int, C.c_void_p, C.c_uint32)
_POLL_DELAY = C.CFUNCTYPE(None, C.c_void_p)


class Platform(C.Structure):
    _fields_ = [("ctx", C.c_void_p), ("reg_read", _REG_READ), ("reg_write", _REG_WRITE),
                ("mem_write", _MEM_COPY), ("mem_read", _MEM_COPY), ("wait_irq", _WAIT_IRQ),
                ("poll_delay", _POLL_DELAY), ("mem_phys", C.c_uint64), ("mem_size", C.c_uint64),
                ("regs", C.c_void_p), ("mem", C.c_void_p), ("regs_map_bytes", C.c_size_t),
                ("mem_map_bytes", C.c_size_t), ("fd_regs", C.c_int), ("fd_mem", C.c_int)]


class Tensor(C.Structure):
    _fields_ = [("name", C.c_char * 64), ("offset", C.c_uint32), ("size", C.c_uint32), ("file", C.c_char * 128)]


class Model(C.Structure):
    _fields_ = [("dir", C.c_char * 512), ("engine_id", C.c_uint32 * 4), ("need_pool_words", C.c_uint32),
                ("need_wide_gather", C.c_uint32), ("descriptors", C.c_uint32),
                ("program_offset", C.c_uint64), ("image_offset", C.c_uint64), ("image_bytes", C.c_uint64),
                ("region_bytes", C.c_uint64), ("n_inputs", C.c_int), ("n_outputs", C.c_int),
                ("inputs", Tensor * MAX_TENSORS), ("outputs", Tensor * MAX_TENSORS),
                ("pred_fetch", C.c_uint64), ("pred_engine", C.c_uint64), ("pred_total", C.c_uint64),
                ("pred_rd_bytes", C.c_uint64), ("pred_wr_bytes", C.c_uint64), ("n_layers", C.c_uint32),
                ("pred_layer", C.c_uint64 * MAX_LAYERS)]

    def input_names(self):
        return [self.inputs[i].name.decode() for i in range(self.n_inputs)]

    def output_names(self):
        return [self.outputs[i].name.decode() for i in range(self.n_outputs)]


class Counters(C.Structure):
    _fields_ = ([(n, C.c_uint64) for n in ("cycles", "fetch_cycles", "engine_cycles", "rd_bytes", "wr_bytes",
                                           "ar_stall", "r_wait", "w_stall")] +
                [(n, C.c_uint32) for n in ("layers", "last_layer")])


class RuntimeError_(Exception):
    """A runtime call failed: .code is the C return code (negative) or the engine's DNNCHIP_E_* code."""

    def __init__(self, code, name):
        super().__init__("dnnchip runtime: %s (%d)" % (name, code))
        self.code = code


class Runtime:
    """The C library's calls; every method raises RuntimeError_ where the C call returns an error."""

    def __init__(self, library="./libdnnchip_rt.so"):
        self.lib = L = C.CDLL(library)
        P, M = C.POINTER(Platform), C.POINTER(Model)
        for name, args, res in [
            ("dnnchip_platform_pointers", [P, C.c_void_p, C.c_void_p, C.c_uint64, C.c_uint64], C.c_int),
            ("dnnchip_platform_devmem", [P, C.c_uint64, C.c_uint64, C.c_uint64], C.c_int),
            ("dnnchip_platform_uio", [P, C.c_char_p, C.c_uint64, C.c_uint64], C.c_int),
            ("dnnchip_platform_close", [P], None),
            ("dnnchip_model_open", [M, C.c_char_p], C.c_int),
            ("dnnchip_check_engine", [P, M], C.c_int),
            ("dnnchip_load", [P, M], C.c_int),
            ("dnnchip_write_input", [P, M, C.c_int, C.c_void_p, C.c_size_t], C.c_int),
            ("dnnchip_read_output", [P, M, C.c_int, C.c_void_p, C.c_size_t], C.c_int),
            ("dnnchip_write_test_inputs", [P, M], C.c_int),
            ("dnnchip_set_watchdog", [P, C.c_uint32], C.c_int),
            ("dnnchip_start", [P], C.c_int),
            ("dnnchip_wait", [P, C.c_int, C.c_uint64], C.c_int),
            ("dnnchip_error", [P, C.POINTER(C.c_uint32), C.POINTER(C.c_uint32), C.POINTER(C.c_uint32)], C.c_int),
            ("dnnchip_error_name", [C.c_int], C.c_char_p),
            ("dnnchip_read_counters", [P, C.POINTER(Counters)], C.c_int),
            ("dnnchip_read_counter64", [P, C.c_uint32], C.c_uint64),
            ("dnnchip_layer_cycles", [P, C.c_uint32], C.c_uint32)]:
            f = getattr(L, name)
            f.argtypes, f.restype = args, res

    def _ok(self, r):
        if r < 0:
            raise RuntimeError_(r, self.lib.dnnchip_error_name(r).decode())
        return r

    # platforms
    def pointers(self, regs_addr, mem_addr, mem_phys, mem_size):
        p = Platform()
        self._ok(self.lib.dnnchip_platform_pointers(C.byref(p), regs_addr, mem_addr, mem_phys, mem_size))
        return p

    def devmem(self, reg_phys, mem_phys, mem_size):
        p = Platform()
        self._ok(self.lib.dnnchip_platform_devmem(C.byref(p), reg_phys, mem_phys, mem_size))
        return p

    def uio(self, device, mem_phys, mem_size):
        p = Platform()
        self._ok(self.lib.dnnchip_platform_uio(C.byref(p), device.encode(), mem_phys, mem_size))
        return p

    def close(self, p):
        self.lib.dnnchip_platform_close(C.byref(p))

    # model
    def open_model(self, directory):
        m = Model()
        self._ok(self.lib.dnnchip_model_open(C.byref(m), directory.encode()))
        return m

    def check_engine(self, p, m):
        """Raises RuntimeError_ with code ERR_UNIT when the model needs a unit the engine lacks (a pool
        unit's line buffer, the wide gather), ERR_ENGINE when it was compiled for another engine."""
        self._ok(self.lib.dnnchip_check_engine(C.byref(p), C.byref(m)))

    def load(self, p, m):
        self._ok(self.lib.dnnchip_load(C.byref(p), C.byref(m)))

    def write_input(self, p, m, i, data):
        buf = (C.c_uint8 * len(data)).from_buffer_copy(bytes(data))
        self._ok(self.lib.dnnchip_write_input(C.byref(p), C.byref(m), i, buf, len(data)))

    def read_output(self, p, m, i):
        if not 0 <= i < m.n_outputs:
            raise RuntimeError_(-5, "out of range")
        buf = (C.c_uint8 * m.outputs[i].size)()
        self._ok(self.lib.dnnchip_read_output(C.byref(p), C.byref(m), i, buf, len(buf)))
        return bytes(buf)

    def write_test_inputs(self, p, m):
        self._ok(self.lib.dnnchip_write_test_inputs(C.byref(p), C.byref(m)))

    # run
    def set_watchdog(self, p, cycles):
        """A run lasting `cycles` cycles stops with E_TIMEOUT (0: off)."""
        self._ok(self.lib.dnnchip_set_watchdog(C.byref(p), cycles))

    def start(self, p):
        self._ok(self.lib.dnnchip_start(C.byref(p)))

    def wait(self, p, use_irq=False, limit=0):
        """0 when the run finished cleanly, else the engine's error code (DNNCHIP_E_*)."""
        return self._ok(self.lib.dnnchip_wait(C.byref(p), 1 if use_irq else 0, limit))

    def error(self, p):
        code, index, resp = C.c_uint32(), C.c_uint32(), C.c_uint32()
        self.lib.dnnchip_error(C.byref(p), C.byref(code), C.byref(index), C.byref(resp))
        return {"code": code.value, "name": self.lib.dnnchip_error_name(code.value).decode(),
                "descriptor": index.value, "axi_resp": resp.value}

    def counters(self, p):
        c = Counters()
        self.lib.dnnchip_read_counters(C.byref(p), C.byref(c))
        return {n: getattr(c, n) for n, _ in Counters._fields_}

    def layer_cycles(self, p, m):
        return [self.lib.dnnchip_layer_cycles(C.byref(p), i) for i in range(m.n_layers)]
