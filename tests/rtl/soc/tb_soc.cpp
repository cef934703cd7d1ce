// tb_soc: the C runtime (templates/runtime/dnnchip_rt.c) drives the Verilated SoC top
// (templates/soc/dnnchip_soc.v in tb_soc.v) through a simulated register bus: the platform layer's
// reg_read / reg_write run AXI4-Lite transactions on the model's port, clocking it; mem_write /
// mem_read poke the AXI memory model's array; wait_irq clocks until the interrupt line rises.
// Usage: Vtb_soc <mem_phys> <model dir>...
// Runs every compiled model on the same engine (the first one by polling, the others by
// interrupt, then the first again): every output byte against the golden output `dnnchip compile`
// wrote, every counter against the prediction. Then the failure paths on the first model: an
// RRESP and a BRESP error injected by the memory, a fetch error, an unknown opcode, a program
// without End and a PROG_COUNT of 0 must each stop with the documented ERR_CODE / ERR_INDEX and
// leave the engine idle, and a clean run must follow. Then a memory that never answers a read
// (first with the watchdog off: the run hangs until the memory answers; then with WDOG_LIMIT, in
// the fetch and in the engine's first layer: error 8 at exactly WDOG_LIMIT + 1 cycles, the
// interrupt, and a clean run after), misaligned and out-of-range base registers (errors 9, 10),
// the 64-bit counters (a counter preset near 2^32 carries into its high word; a low-word read
// latches the high word) and CFG3. Exit 0 when all pass.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "Vtb_soc.h"
#include "Vtb_soc___024root.h"
#include "dnnchip_rt.h"
#include "verilated.h"

namespace {

struct Sim {
  Vtb_soc* top = nullptr;
  uint64_t cycle = 0;
  uint64_t memPhys = 0;
  void tick() {
    top->clk = 1;
    top->eval();
    top->clk = 0;
    top->eval();
    ++cycle;
    if (Verilated::gotFinish()) {
      std::printf("FAIL: the memory model stopped the simulation (protocol check)\n");
      std::exit(1);
    }
  }
};

Sim g;
int failures = 0;

void check(bool ok, const std::string& what) {
  std::printf("%s %s\n", ok ? "  ok  " : "  FAIL", what.c_str());
  if (!ok) ++failures;
}

uint32_t regRead(void*, uint32_t off) {
  Vtb_soc* t = g.top;
  t->s_axil_araddr = off;
  t->s_axil_arvalid = 1;
  for (;;) {
    t->eval();
    bool hs = t->s_axil_arready;
    g.tick();
    if (hs) break;
  }
  t->s_axil_arvalid = 0;
  t->s_axil_rready = 1;
  uint32_t v = 0;
  for (;;) {
    t->eval();
    bool hs = t->s_axil_rvalid;
    v = t->s_axil_rdata;
    g.tick();
    if (hs) break;
  }
  t->s_axil_rready = 0;
  t->eval();
  return v;
}

void regWrite(void*, uint32_t off, uint32_t v) {
  Vtb_soc* t = g.top;
  t->s_axil_awaddr = off;
  t->s_axil_awvalid = 1;
  t->s_axil_wdata = v;
  t->s_axil_wstrb = 0xF;
  t->s_axil_wvalid = 1;
  for (;;) {
    t->eval();
    bool hs = t->s_axil_awready && t->s_axil_wready;
    g.tick();
    if (hs) break;
  }
  t->s_axil_awvalid = 0;
  t->s_axil_wvalid = 0;
  t->s_axil_bready = 1;
  for (;;) {
    t->eval();
    bool hs = t->s_axil_bvalid;
    g.tick();
    if (hs) break;
  }
  t->s_axil_bready = 0;
  t->eval();
}

auto& memArray() { return g.top->rootp->tb_soc__DOT__u_mem__DOT__mem; }

int memWrite(void*, uint64_t off, const void* src, size_t n) {
  const auto* b = static_cast<const uint8_t*>(src);
  for (size_t i = 0; i < n; ++i) memArray()[(g.memPhys + off + i) % (1u << 20)] = b[i];
  return 0;
}

int memRead(void*, uint64_t off, void* dst, size_t n) {
  auto* b = static_cast<uint8_t*>(dst);
  for (size_t i = 0; i < n; ++i) b[i] = memArray()[(g.memPhys + off + i) % (1u << 20)];
  return 0;
}

int waitIrq(void*, uint32_t timeoutMs) {
  // 1 ms = 100,000 cycles of a 100 MHz clock
  const uint64_t limit = g.cycle + uint64_t{timeoutMs} * 100000u;
  while (!g.top->irq) {
    if (timeoutMs && g.cycle >= limit) return 0;
    g.tick();
  }
  return 1;
}

void pollDelay(void*) { g.tick(); }

std::vector<uint8_t> readFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

void injectOff() {
  g.top->inj_rd_lo = g.top->inj_rd_hi = 0;
  g.top->inj_wr_lo = g.top->inj_wr_hi = 0;
  g.top->stall_lo = g.top->stall_hi = 0;
  g.top->stall_en = 0;
}

auto& socCycles() { return g.top->rootp->tb_soc__DOT__u_soc__DOT__c_cycles; }

/// Loads, runs and checks one model; returns the counters.
void runModel(const dnnchip_platform& p, const dnnchip_model& m, bool irq) {
  std::printf("model %s (%u descriptors, %s)\n", m.dir, m.descriptors, irq ? "interrupt" : "polling");
  check(dnnchip_check_engine(&p, &m) == DNNCHIP_OK, "ID and CFG registers match the compiled engine");
  check(dnnchip_load(&p, &m) == DNNCHIP_OK, "program and image loaded");
  check(dnnchip_write_test_inputs(&p, &m) == DNNCHIP_OK, "test input written");
  // the output regions start as 0x5A so that a result never written cannot pass
  for (int i = 0; i < m.n_outputs; ++i) {
    std::vector<uint8_t> fill(m.outputs[i].size, 0x5A);
    memWrite(nullptr, m.image_offset + m.outputs[i].offset, fill.data(), fill.size());
  }
  check(dnnchip_start(&p) == DNNCHIP_OK, "started");
  const int r = dnnchip_wait(&p, irq ? 1 : 0, irq ? 1000 : 10000000);
  check(r == DNNCHIP_OK, std::string("finished without error (") + dnnchip_error_name(r) + ")");
  for (int i = 0; i < m.n_outputs; ++i) {
    std::vector<uint8_t> got(m.outputs[i].size);
    dnnchip_read_output(&p, &m, i, got.data(), got.size());
    const auto want = readFile(std::string(m.dir) + "/" + m.outputs[i].file);
    size_t bad = 0;
    for (size_t k = 0; k < got.size(); ++k) bad += k >= want.size() || got[k] != want[k];
    check(want.size() == got.size() && bad == 0,
          "output " + std::string(m.outputs[i].name) + ": " + std::to_string(got.size()) + " bytes bit-exact (" +
              std::to_string(bad) + " differ)");
  }
  dnnchip_counters c{};
  dnnchip_read_counters(&p, &c);
  auto eq = [](const char* what, uint64_t got, uint64_t want) {
    check(got == want, std::string(what) + ": rtl " + std::to_string(got) + ", predicted " + std::to_string(want));
  };
  eq("fetch cycles", c.fetch_cycles, m.pred_fetch);
  eq("engine cycles", c.engine_cycles, m.pred_engine);
  eq("total cycles", c.cycles, m.pred_total);
  eq("bytes read", c.rd_bytes, m.pred_rd_bytes);
  eq("bytes written", c.wr_bytes, m.pred_wr_bytes);
  eq("layers", c.layers, m.n_layers);
  int layerBad = 0;
  for (uint32_t i = 0; i < m.n_layers; ++i)
    if (dnnchip_layer_cycles(&p, i) != m.pred_layer[i]) {
      std::printf("        layer %u: rtl %u, predicted %llu\n", i, dnnchip_layer_cycles(&p, i),
                  static_cast<unsigned long long>(m.pred_layer[i]));
      ++layerBad;
    }
  check(layerBad == 0, "every layer's cycles (table at 0x100) equal the prediction");
  std::printf("        stalls: AR %u, R wait %u, AW/W %u cycles\n", c.ar_stall, c.r_wait, c.w_stall);
}

/// Runs with the model loaded as is and expects the engine to stop with `code` at `index`.
void expectError(const dnnchip_platform& p, const char* what, int code, uint32_t index, uint32_t resp,
                 int maxLayers, uint32_t timeoutMs = 1000) {
  std::printf("failure: %s\n", what);
  check(dnnchip_start(&p) == DNNCHIP_OK, "started");
  const int r = dnnchip_wait(&p, 1, timeoutMs);
  uint32_t c = 0, idx = 0, rs = 0;
  dnnchip_error(&p, &c, &idx, &rs);
  const uint32_t status = regRead(nullptr, DNNCHIP_REG_STATUS);
  check(r == code && int(c) == code, std::string("ERR_CODE ") + std::to_string(c) + " (" + dnnchip_error_name(int(c)) +
                                         "), expected " + std::to_string(code));
  check(idx == index, "ERR_INDEX " + std::to_string(idx) + ", expected " + std::to_string(index));
  check(rs == resp, "AXI response " + std::to_string(rs) + ", expected " + std::to_string(resp));
  check(status == 6u, "STATUS done + error, not busy (" + std::to_string(status) + ")");
  const uint32_t layers = regRead(nullptr, DNNCHIP_REG_LAYERS);
  check(int(layers) <= maxLayers, "stopped after " + std::to_string(layers) + " layer(s), at most " +
                                      std::to_string(maxLayers));
}

}  // namespace

int main(int argc, char** argv) {
  Verilated::commandArgs(argc, argv);
  if (argc < 3) {
    std::fprintf(stderr, "usage: Vtb_soc <mem_phys> <model dir>...\n");
    return 2;
  }
  g.top = new Vtb_soc;
  g.memPhys = std::strtoull(argv[1], nullptr, 0);
  injectOff();
  g.top->rst_n = 0;
  g.top->clk = 0;
  g.top->eval();
  for (int i = 0; i < 4; ++i) g.tick();
  g.top->rst_n = 1;
  g.top->eval();

  dnnchip_platform p{};
  dnnchip_platform_pointers(&p, nullptr, nullptr, g.memPhys, 1u << 20);
  p.reg_read = regRead;
  p.reg_write = regWrite;
  p.mem_write = memWrite;
  p.mem_read = memRead;
  p.wait_irq = waitIrq;
  p.poll_delay = pollDelay;
  p.ctx = nullptr;

  std::vector<dnnchip_model> models(size_t(argc - 2));
  for (int i = 2; i < argc; ++i)
    if (dnnchip_model_open(&models[size_t(i - 2)], argv[i]) != DNNCHIP_OK) {
      std::printf("FAIL: cannot read %s/model.rt\n", argv[i]);
      return 1;
    }
  check(regRead(nullptr, DNNCHIP_REG_ID) == DNNCHIP_ID_VALUE, "ID register");
  for (size_t i = 0; i < models.size(); ++i) runModel(p, models[i], i > 0);
  runModel(p, models[0], true);  // back to the first model on the same engine

  // failure paths on the first model
  const dnnchip_model& m = models[0];
  const uint32_t image = uint32_t(g.memPhys + m.image_offset);
  dnnchip_load(&p, &m);
  dnnchip_write_test_inputs(&p, &m);
  g.top->inj_rd_lo = image;
  g.top->inj_rd_hi = image + uint32_t(m.image_bytes);
  expectError(p, "SLVERR on every engine read", DNNCHIP_E_RD_RESP, 0, 2, 1);
  injectOff();
  g.top->inj_wr_lo = image;
  g.top->inj_wr_hi = image + uint32_t(m.image_bytes);
  expectError(p, "SLVERR on every engine write", DNNCHIP_E_WR_RESP, 0, 2, 1);
  injectOff();
  g.top->inj_rd_lo = uint32_t(g.memPhys + m.program_offset);
  g.top->inj_rd_hi = g.top->inj_rd_lo + 128u * m.descriptors;
  expectError(p, "SLVERR while fetching the program", DNNCHIP_E_FETCH_RESP, 0, 2, 0);
  injectOff();
  uint8_t op = 0;
  memRead(nullptr, m.program_offset + 128, &op, 1);
  const uint8_t bad = uint8_t((op & 0xF0) | 0x9);
  memWrite(nullptr, m.program_offset + 128, &bad, 1);
  expectError(p, "unknown opcode 9 in descriptor 1", DNNCHIP_E_OPCODE, 1, 0, 0);
  memWrite(nullptr, m.program_offset + 128, &op, 1);
  regWrite(nullptr, DNNCHIP_REG_PROG_COUNT, m.descriptors - 1);
  expectError(p, "program without End (PROG_COUNT one short)", DNNCHIP_E_NO_END, m.descriptors - 2, 0, 0);
  regWrite(nullptr, DNNCHIP_REG_PROG_COUNT, 0);
  expectError(p, "PROG_COUNT 0", DNNCHIP_E_COUNT, 0, 0, 0);
  // a window of 64 bytes: the first layer's output lies above it, so its stores must leave memory
  // untouched (strobes cleared) and the run stops with code 7
  dnnchip_load(&p, &m);
  dnnchip_write_test_inputs(&p, &m);
  regWrite(nullptr, DNNCHIP_REG_DRAM_SIZE, 64);
  std::vector<uint8_t> before(size_t(m.image_bytes - 64)), after(before.size());
  memRead(nullptr, m.image_offset + 64, before.data(), before.size());
  expectError(p, "DRAM_SIZE 64: accesses outside the window", DNNCHIP_E_ADDR, 0, 0, 1);
  memRead(nullptr, m.image_offset + 64, after.data(), after.size());
  check(before == after, "nothing written outside the window");
  check(regRead(nullptr, DNNCHIP_REG_WR_BYTES) > 0, "the first layer did issue its stores (" +
                                                        std::to_string(regRead(nullptr, DNNCHIP_REG_WR_BYTES)) + " bytes)");
  runModel(p, m, false);  // and the engine still runs the model cleanly
  // a window that ends at the highest store of a clean run (wr_max: the tb's record of AW bursts):
  // every store lies inside it, but the parameters the model reads above its activations do not:
  // the reads alone raise code 7 (the AR check, registered one cycle after the handshake), every
  // store is performed and the output is bit-exact
  {
    g.top->wr_max_clr = 1;
    regRead(nullptr, DNNCHIP_REG_STATUS);
    g.top->wr_max_clr = 0;
    runModel(p, m, false);
    const uint64_t wmax = g.top->wr_max - (g.memPhys + m.image_offset);
    check(wmax > 0 && wmax < m.image_bytes, "the stores end at image offset " + std::to_string(wmax) + " of " +
                                                std::to_string(m.image_bytes));
    dnnchip_load(&p, &m);
    dnnchip_write_test_inputs(&p, &m);
    regWrite(nullptr, DNNCHIP_REG_DRAM_SIZE, uint32_t(wmax));
    for (int i = 0; i < m.n_outputs; ++i) {
      std::vector<uint8_t> fill(m.outputs[i].size, 0x5A);
      memWrite(nullptr, m.image_offset + m.outputs[i].offset, fill.data(), fill.size());
    }
    std::printf("failure: DRAM_SIZE at the stores' end: reads outside the window, no store\n");
    check(dnnchip_start(&p) == DNNCHIP_OK, "started");
    const int r = dnnchip_wait(&p, 1, 1000);
    uint32_t c = 0, idx = 0, rs = 0;
    dnnchip_error(&p, &c, &idx, &rs);
    check(r == DNNCHIP_E_ADDR && c == DNNCHIP_E_ADDR, "ERR_CODE " + std::to_string(c) + ", expected 7 (at descriptor " +
                                                         std::to_string(idx) + ")");
    check(regRead(nullptr, DNNCHIP_REG_STATUS) == 6u, "STATUS done + error, not busy");
    check(regRead(nullptr, DNNCHIP_REG_WR_BYTES) <= m.pred_wr_bytes, "no more stores than a clean run");
    const uint32_t layers = regRead(nullptr, DNNCHIP_REG_LAYERS);
    if (layers == m.descriptors - 1)
      for (int i = 0; i < m.n_outputs; ++i) {
        std::vector<uint8_t> got(m.outputs[i].size);
        dnnchip_read_output(&p, &m, i, got.data(), got.size());
        check(got == readFile(std::string(m.dir) + "/" + m.outputs[i].file),
              "output " + std::string(m.outputs[i].name) + " bit-exact: the stores inside the window kept their strobes");
      }
  }
  // CFG3: the pool unit, weight group and wide gather the engine was built with (the model's)
  check(regRead(nullptr, DNNCHIP_REG_CFG3) == m.engine_id[3],
        "CFG3 " + std::to_string(regRead(nullptr, DNNCHIP_REG_CFG3)) + " as compiled (" + std::to_string(m.engine_id[3]) + ")");

  // a memory that never answers a read: without the watchdog the run waits as long as the memory
  const uint32_t progBus = uint32_t(g.memPhys + m.program_offset);
  dnnchip_load(&p, &m);
  dnnchip_write_test_inputs(&p, &m);
  g.top->stall_lo = progBus;
  g.top->stall_hi = progBus + 128u * m.descriptors;
  g.top->stall_en = 1;
  std::printf("failure: the program fetch never answered, watchdog off\n");
  check(dnnchip_start(&p) == DNNCHIP_OK, "started");
  check(dnnchip_wait(&p, 0, 20000) == DNNCHIP_ERR_TIMEOUT && (regRead(nullptr, DNNCHIP_REG_STATUS) & 1u),
        "still busy after 20,000 status reads (nothing bounds the wait)");
  g.top->stall_en = 0;
  check(dnnchip_wait(&p, 1, 1000) == DNNCHIP_OK, "finishes once the memory answers");
  // with the watchdog: in the fetch, then in the engine's first layer
  const uint32_t limit = 3000;
  check(dnnchip_set_watchdog(&p, limit) == DNNCHIP_OK, "WDOG_LIMIT set");
  check(regRead(nullptr, DNNCHIP_REG_WDOG_LIMIT) == limit, "WDOG_LIMIT reads back");
  struct Stall {
    const char* what;
    uint32_t lo, hi, index;
  };
  for (const Stall& st : {Stall{"the program fetch never answered", progBus, progBus + 128u * m.descriptors, 0},
                          Stall{"the engine's reads never answered", image, image + uint32_t(m.image_bytes), 0}}) {
    g.top->stall_lo = st.lo;
    g.top->stall_hi = st.hi;
    g.top->stall_en = 1;
    expectError(p, (std::string(st.what) + ", WDOG_LIMIT " + std::to_string(limit)).c_str(), DNNCHIP_E_TIMEOUT,
                st.index, 0, 0, /*timeoutMs=*/10);
    const uint64_t cyc = dnnchip_read_counter64(&p, DNNCHIP_REG_CYCLES);
    check(cyc == limit + 1u, "stopped after WDOG_LIMIT + 1 = " + std::to_string(limit + 1) + " cycles (" +
                                 std::to_string(cyc) + ")");
    // the memory answers late: the top takes and drops those beats, then runs cleanly
    g.top->stall_en = 0;
    for (int i = 0; i < 2000; ++i) g.tick();
    dnnchip_set_watchdog(&p, 0);
    runModel(p, m, true);
    dnnchip_set_watchdog(&p, limit);
  }
  check(dnnchip_set_watchdog(&p, 0) == DNNCHIP_OK, "watchdog off");

  // base registers: alignment, then the bus range [MEM_LO, MEM_HI) of the top (tb: the region's 1 MiB)
  struct Base {
    const char* what;
    uint32_t reg, value;
    int code;
    uint32_t index;
  };
  const uint32_t dramBus = uint32_t(g.memPhys + m.image_offset);
  for (const Base& b : {Base{"PROG_BASE + 64 (not 128-byte aligned)", DNNCHIP_REG_PROG_BASE, progBus + 64, DNNCHIP_E_ALIGN, 0x20},
                        Base{"DRAM_BASE + 0x800 (not 4 KiB aligned)", DNNCHIP_REG_DRAM_BASE, dramBus + 0x800, DNNCHIP_E_ALIGN, 0x1C},
                        Base{"PROG_BASE 4 KiB below MEM_LO", DNNCHIP_REG_PROG_BASE, uint32_t(g.memPhys) - 4096u, DNNCHIP_E_REGION, 0x20},
                        Base{"PROG_BASE: the program's end beyond MEM_HI", DNNCHIP_REG_PROG_BASE,
                             uint32_t(g.memPhys) + (1u << 20) - 128u * (m.descriptors - 1), DNNCHIP_E_REGION, 0x20},
                        Base{"DRAM_SIZE 1 MiB: the window beyond MEM_HI", DNNCHIP_REG_DRAM_SIZE, 1u << 20, DNNCHIP_E_REGION, 0x1C}}) {
    dnnchip_load(&p, &m);
    dnnchip_write_test_inputs(&p, &m);
    regWrite(nullptr, b.reg, b.value);
    expectError(p, b.what, b.code, b.index, 0, 0);
    check(regRead(nullptr, DNNCHIP_REG_RD_BYTES) == 0, "nothing fetched");
  }
  // the program copied to the last bytes below MEM_HI runs (the bound is not one slot too tight)
  const uint64_t topSlot = (uint64_t{1} << 20) - 128u * m.descriptors;
  if (m.region_bytes <= topSlot) {
    dnnchip_load(&p, &m);
    dnnchip_write_test_inputs(&p, &m);
    std::vector<uint8_t> prog(128u * m.descriptors);
    memRead(nullptr, m.program_offset, prog.data(), prog.size());
    memWrite(nullptr, topSlot, prog.data(), prog.size());
    regWrite(nullptr, DNNCHIP_REG_PROG_BASE, uint32_t(g.memPhys + topSlot));
    std::printf("PROG_BASE with the program's end at MEM_HI\n");
    check(dnnchip_start(&p) == DNNCHIP_OK, "started");
    const int r = dnnchip_wait(&p, 1, 1000);
    check(r == DNNCHIP_OK, std::string("runs without error (") + dnnchip_error_name(r) + ")");
  }

  // 64-bit counters: CYCLES raised by 2^32 - total/2 1,000 cycles into a run carries into its high
  // word before the run ends; the pair reads as one value
  std::printf("64-bit counters\n");
  dnnchip_load(&p, &m);
  dnnchip_write_test_inputs(&p, &m);
  check(dnnchip_start(&p) == DNNCHIP_OK, "started");
  for (int i = 0; i < 1000; ++i) g.tick();
  const uint64_t offset = (uint64_t{1} << 32) - m.pred_total / 2;  // wraps within the run's second half
  socCycles() = socCycles() + offset;
  check(dnnchip_wait(&p, 0, 10000000) == DNNCHIP_OK, "finished");
  const uint64_t c64 = dnnchip_read_counter64(&p, DNNCHIP_REG_CYCLES);
  check(c64 == m.pred_total + offset, "CYCLES " + std::to_string(c64) + " = predicted " + std::to_string(m.pred_total) +
                                          " + " + std::to_string(offset) + " (carried into the high word)");
  dnnchip_counters cnt{};
  dnnchip_read_counters(&p, &cnt);
  check(cnt.cycles == c64 && cnt.fetch_cycles == m.pred_fetch && cnt.engine_cycles == m.pred_engine,
        "dnnchip_read_counters: the same 64-bit CYCLES, FETCH and ENGINE as predicted");
  const uint32_t lo = regRead(nullptr, DNNCHIP_REG_CYCLES);
  socCycles() = socCycles() + (uint64_t{5} << 32);  // the high word moves after the low word's read
  const uint32_t hi = regRead(nullptr, DNNCHIP_REG_HI(DNNCHIP_REG_CYCLES));
  check(((uint64_t{hi} << 32) | lo) == c64, "the high word read after the low word is the one latched with it (" +
                                                 std::to_string(hi) + ")");
  check(dnnchip_read_counter64(&p, DNNCHIP_REG_CYCLES) == c64 + (uint64_t{5} << 32), "a new low-word read latches anew");

  std::printf("%s (%llu cycles simulated)\n", failures ? "FAIL" : "PASS", static_cast<unsigned long long>(g.cycle));
  delete g.top;
  return failures ? 1 : 0;
}
