/* dnnchip_rt: runtime for the dnnchip SoC top (templates/soc/dnnchip_soc.v; docs/soc.md).
 * C99, libc only. Loads a model compiled by `dnnchip compile` into a memory region the engine
 * reaches, sets the registers, starts, waits (poll or interrupt) and reads outputs and counters.
 * Register access and memory copies go through a small platform layer (dnnchip_platform): bare
 * metal (pointers), Linux /dev/mem or UIO (mmap), or a simulator (tests/rtl/soc).
 *
 * Memory region layout (offsets from the region's start, which must be 4 KiB aligned):
 *   [0, P)             the program: one 128-byte slot per descriptor, End last (PROG_BASE)
 *   [P, P + image)     the engine's image: weights, biases, activations (DRAM_BASE = region + P)
 * P and the tensors' offsets come from the compiled model (model.rt). */
#ifndef DNNCHIP_RT_H
#define DNNCHIP_RT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- registers (byte offsets in the 4 KiB AXI4-Lite window; docs/soc.md#registers) */
#define DNNCHIP_REG_ID            0x000u /* RO 0x444E4302: "DNC", register map version 2 */
#define DNNCHIP_REG_CTRL          0x004u /* WO bit0 start (ignored while busy) */
#define DNNCHIP_REG_STATUS        0x008u /* RO bit0 busy, bit1 done, bit2 error */
#define DNNCHIP_REG_IRQ_ENABLE    0x00Cu /* RW bit0 done, bit1 error */
#define DNNCHIP_REG_IRQ_STATUS    0x010u /* RW1C bit0 done, bit1 error */
#define DNNCHIP_REG_ERR_CODE      0x014u /* RO [3:0] code (DNNCHIP_E_*), [5:4] AXI response */
#define DNNCHIP_REG_ERR_INDEX     0x018u /* RO descriptor index of the error */
#define DNNCHIP_REG_DRAM_BASE     0x01Cu /* RW bus address added to every engine address (4 KiB aligned, else error 9) */
#define DNNCHIP_REG_PROG_BASE     0x020u /* RW bus address of the program (128-byte aligned, else error 9) */
#define DNNCHIP_REG_PROG_COUNT    0x024u /* RW descriptors to fetch, End included */
/* 64-bit counters: the low word here, the high word at DNNCHIP_REG_HI(low offset). Read the low
 * word first: that read latches the high word, which the high register then returns */
#define DNNCHIP_REG_CYCLES        0x028u /* RO cycles of the last run (fetch + engine + 2) */
#define DNNCHIP_REG_FETCH_CYCLES  0x02Cu /* RO program fetch cycles */
#define DNNCHIP_REG_ENGINE_CYCLES 0x030u /* RO engine busy cycles */
#define DNNCHIP_REG_RD_BYTES      0x034u /* RO bytes read (R beats x DATA_W/8, fetch included) */
#define DNNCHIP_REG_WR_BYTES      0x038u /* RO bytes written (W beats x DATA_W/8) */
#define DNNCHIP_REG_AR_STALL      0x03Cu /* RO cycles with ARVALID and not ARREADY */
#define DNNCHIP_REG_R_WAIT        0x040u /* RO cycles with a read outstanding and no R beat */
#define DNNCHIP_REG_W_STALL       0x044u /* RO cycles with AWVALID or WVALID not accepted */
#define DNNCHIP_REG_LAYERS        0x048u /* RO layers finished */
#define DNNCHIP_REG_LAST_LAYER    0x04Cu /* RO cycles of the last finished layer */
#define DNNCHIP_REG_CFG0          0x050u /* RO ROWS, COLS, DATAFLOW, DOUBLE_BUFFER, PACK-1, FUSE_ADD, log2(DATA_W/32) */
#define DNNCHIP_REG_CFG1          0x054u /* RO ACT_DEPTH | ACC_DEPTH << 16 */
#define DNNCHIP_REG_CFG2          0x058u /* RO PROG_DEPTH | BURST_MAX-1 << 16 | RD_OUT-1 << 24 | WR_OUT-1 << 28 */
#define DNNCHIP_REG_DRAM_SIZE     0x05Cu /* RW bytes of the engine's window from DRAM_BASE (0: unchecked) */
#define DNNCHIP_REG_CFG3          0x060u /* RO POOL_DEPTH [15:0] (0: no pool unit) | W_GROUP [23:16] | WIDE_GATHER [24] */
#define DNNCHIP_REG_WDOG_LIMIT    0x064u /* RW watchdog: a run lasting this many cycles stops with error 8 (0: off) */
#define DNNCHIP_REG_HI(lo)        ((lo) - 0x028u + 0x080u) /* high word of the counter at `lo` (0x028..0x044) */
#define DNNCHIP_REG_LAYER_TABLE   0x100u /* RO cycles of descriptor i at 0x100 + 4 i */
#define DNNCHIP_ID_VALUE          0x444E4302u

/* ---- engine error codes (ERR_CODE[3:0]) */
#define DNNCHIP_E_NONE       0 /* no error */
#define DNNCHIP_E_RD_RESP    1 /* RRESP != OKAY during the run */
#define DNNCHIP_E_WR_RESP    2 /* BRESP != OKAY during the run */
#define DNNCHIP_E_FETCH_RESP 3 /* RRESP != OKAY while fetching the program */
#define DNNCHIP_E_OPCODE     4 /* unknown opcode in a descriptor */
#define DNNCHIP_E_NO_END     5 /* the last descriptor is not End */
#define DNNCHIP_E_COUNT      6 /* PROG_COUNT is 0 or above PROG_DEPTH */
#define DNNCHIP_E_ADDR       7 /* an engine burst outside DRAM_BASE + [0, DRAM_SIZE) */
#define DNNCHIP_E_TIMEOUT    8 /* the run lasted WDOG_LIMIT cycles (the engine is held in reset until the next start) */
#define DNNCHIP_E_ALIGN      9 /* PROG_BASE not 128-byte or DRAM_BASE not 4 KiB aligned (ERR_INDEX: the register's offset) */
#define DNNCHIP_E_REGION    10 /* the program or the DRAM_SIZE window outside the top's MEM_LO..MEM_HI (ERR_INDEX: offset) */

/* ---- runtime return codes (negative; a positive value from dnnchip_wait is DNNCHIP_E_*) */
#define DNNCHIP_OK            0
#define DNNCHIP_ERR_IO       -1 /* a file could not be read, or the platform failed */
#define DNNCHIP_ERR_FORMAT   -2 /* model.rt is damaged */
#define DNNCHIP_ERR_TIMEOUT  -3 /* the engine did not finish in time */
#define DNNCHIP_ERR_ENGINE   -4 /* ID or CFG registers do not match the compiled model */
#define DNNCHIP_ERR_RANGE    -5 /* the model does not fit the memory region, or a bad index */
#define DNNCHIP_ERR_BUSY     -6 /* the engine is running */
#define DNNCHIP_ERR_UNIT     -7 /* the model needs a unit the engine lacks: a pool unit's line buffer (CFG3 POOL_DEPTH
                                   below the model's), or the wide gather */

/* ---- platform layer */
typedef struct dnnchip_platform {
  void *ctx;
  uint32_t (*reg_read)(void *ctx, uint32_t offset);
  void (*reg_write)(void *ctx, uint32_t offset, uint32_t value);
  /* copies to / from the memory region at a byte offset; 0 on success */
  int (*mem_write)(void *ctx, uint64_t offset, const void *src, size_t n);
  int (*mem_read)(void *ctx, uint64_t offset, void *dst, size_t n);
  /* optional: blocks until the interrupt fires (1), or timeout_ms passes (0); NULL: poll */
  int (*wait_irq)(void *ctx, uint32_t timeout_ms);
  /* optional: called between two status reads while polling (sleep, yield, clock a simulator) */
  void (*poll_delay)(void *ctx);
  uint64_t mem_phys; /* bus address of the region's offset 0 as the engine sees it */
  uint64_t mem_size; /* bytes of the region */
  /* owned by the built-in platforms */
  volatile uint32_t *regs;
  uint8_t *mem;
  size_t regs_map_bytes, mem_map_bytes;
  int fd_regs, fd_mem;
} dnnchip_platform;

/* Bare metal (or any already mapped memory): registers at `regs`, the region at `mem`, seen by
 * the engine at bus address `mem_phys`. */
int dnnchip_platform_pointers(dnnchip_platform *p, volatile void *regs, void *mem, uint64_t mem_phys,
                              uint64_t mem_size);
/* Linux: maps the registers (4 KiB at reg_phys) and the region from /dev/mem (needs root and a
 * region the kernel does not use: reserved-memory or a CMA buffer such as u-dma-buf). */
int dnnchip_platform_devmem(dnnchip_platform *p, uint64_t reg_phys, uint64_t mem_phys, uint64_t mem_size);
/* Linux UIO: registers are map0 of `uio_dev` (e.g. "/dev/uio0"), interrupts by read(); the region
 * from /dev/mem as above. */
int dnnchip_platform_uio(dnnchip_platform *p, const char *uio_dev, uint64_t mem_phys, uint64_t mem_size);
void dnnchip_platform_close(dnnchip_platform *p);

/* ---- compiled model (model.rt of a `dnnchip compile` folder) */
#define DNNCHIP_MAX_TENSORS 16
#define DNNCHIP_MAX_LAYERS  1024
typedef struct dnnchip_tensor {
  char name[64];
  uint32_t offset; /* from DRAM_BASE (the image), bytes */
  uint32_t size;   /* bytes, NHWC int8 (docs/engine.md#dram-layout) */
  char file[128];  /* test input / golden output in the folder */
} dnnchip_tensor;

typedef struct dnnchip_model {
  char dir[512];
  uint32_t engine_id[4];       /* CFG0..CFG3 the model was compiled for */
  uint32_t need_pool_words;    /* the pool unit's line buffer words its fused max pools use (0: none) */
  uint32_t need_wide_gather;   /* 1: a descriptor gathers several channel tiles (CFG3 WIDE_GATHER) */
  uint32_t descriptors;        /* program slots, End included */
  uint64_t program_offset;     /* in the region */
  uint64_t image_offset;       /* in the region: DRAM_BASE - region start */
  uint64_t image_bytes;
  uint64_t region_bytes;
  int n_inputs, n_outputs;
  dnnchip_tensor inputs[DNNCHIP_MAX_TENSORS], outputs[DNNCHIP_MAX_TENSORS];
  /* predicted by dnnchip's cycle model for the compiled design's memory timing */
  uint64_t pred_fetch, pred_engine, pred_total, pred_rd_bytes, pred_wr_bytes;
  uint32_t n_layers;
  uint64_t pred_layer[DNNCHIP_MAX_LAYERS];
} dnnchip_model;

typedef struct dnnchip_counters {
  uint64_t cycles, fetch_cycles, engine_cycles, rd_bytes, wr_bytes, ar_stall, r_wait, w_stall; /* 64-bit */
  uint32_t layers, last_layer;
} dnnchip_counters;

/* Reads <dir>/model.rt. */
int dnnchip_model_open(dnnchip_model *m, const char *dir);
/* ID and CFG registers against the model's engine: DNNCHIP_ERR_UNIT when the model needs a unit the
 * engine lacks (CFG3: its pool unit's line buffer, the wide gather), DNNCHIP_ERR_ENGINE when another
 * field differs (PROG_DEPTH may be deeper, POOL_DEPTH larger). */
int dnnchip_check_engine(const dnnchip_platform *p, const dnnchip_model *m);
/* Copies program.bin and image.bin into the region and sets DRAM_BASE, PROG_BASE, PROG_COUNT and
 * DRAM_SIZE (the image's size: the engine may touch nothing else). */
int dnnchip_load(const dnnchip_platform *p, const dnnchip_model *m);
/* Same from buffers already in memory (no file system): program and image bytes. */
int dnnchip_load_buffers(const dnnchip_platform *p, const dnnchip_model *m, const void *program,
                         size_t program_bytes, const void *image, size_t image_bytes);
/* Writes input i (its placement's bytes, NHWC) / reads output i. */
int dnnchip_write_input(const dnnchip_platform *p, const dnnchip_model *m, int i, const void *data, size_t n);
int dnnchip_read_output(const dnnchip_platform *p, const dnnchip_model *m, int i, void *data, size_t n);
/* Writes every input's test vector from the folder. */
int dnnchip_write_test_inputs(const dnnchip_platform *p, const dnnchip_model *m);
/* Sets the watchdog: a run lasting `cycles` cycles stops with DNNCHIP_E_TIMEOUT (0: off; kept
 * across runs). DNNCHIP_ERR_BUSY while one runs. */
int dnnchip_set_watchdog(const dnnchip_platform *p, uint32_t cycles);
/* Starts a run (DNNCHIP_ERR_BUSY while one runs). */
int dnnchip_start(const dnnchip_platform *p);
/* Waits for the end of the run: with use_irq and a wait_irq, by interrupt (limit = timeout in ms),
 * else by polling STATUS (limit = status reads, 0 = no limit). Returns DNNCHIP_OK, a positive
 * DNNCHIP_E_* code when the engine stopped on an error, or DNNCHIP_ERR_TIMEOUT. */
int dnnchip_wait(const dnnchip_platform *p, int use_irq, uint64_t limit);
/* ERR_CODE / ERR_INDEX / AXI response of the last run. */
int dnnchip_error(const dnnchip_platform *p, uint32_t *code, uint32_t *index, uint32_t *resp);
const char *dnnchip_error_name(int code);
int dnnchip_read_counters(const dnnchip_platform *p, dnnchip_counters *c);
/* One 64-bit counter (lo = DNNCHIP_REG_CYCLES .. DNNCHIP_REG_W_STALL): low word, then high word. */
uint64_t dnnchip_read_counter64(const dnnchip_platform *p, uint32_t lo);
uint32_t dnnchip_layer_cycles(const dnnchip_platform *p, uint32_t descriptor);

#ifdef __cplusplus
}
#endif

#endif /* DNNCHIP_RT_H */
