/* dnnchip_rt: see dnnchip_rt.h. C99 and libc; the Linux platforms use POSIX open/mmap/read.
 * model.rt is a line format ("key values...") that fscanf reads, so no JSON parser is needed;
 * `dnnchip compile` writes it beside dnnchip_model.json with the same facts. */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE
#endif
#include "dnnchip_rt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__linux__)
#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

/* ---- built-in platforms */
static uint32_t ptr_reg_read(void *ctx, uint32_t off) {
  dnnchip_platform *p = (dnnchip_platform *)ctx;
  return p->regs[off / 4];
}
static void ptr_reg_write(void *ctx, uint32_t off, uint32_t v) {
  dnnchip_platform *p = (dnnchip_platform *)ctx;
  p->regs[off / 4] = v;
}
static int ptr_mem_write(void *ctx, uint64_t off, const void *src, size_t n) {
  dnnchip_platform *p = (dnnchip_platform *)ctx;
  memcpy(p->mem + off, src, n);
  return 0;
}
static int ptr_mem_read(void *ctx, uint64_t off, void *dst, size_t n) {
  dnnchip_platform *p = (dnnchip_platform *)ctx;
  memcpy(dst, p->mem + off, n);
  return 0;
}

int dnnchip_platform_pointers(dnnchip_platform *p, volatile void *regs, void *mem, uint64_t mem_phys,
                              uint64_t mem_size) {
  memset(p, 0, sizeof *p);
  p->ctx = p;
  p->reg_read = ptr_reg_read;
  p->reg_write = ptr_reg_write;
  p->mem_write = ptr_mem_write;
  p->mem_read = ptr_mem_read;
  p->regs = (volatile uint32_t *)regs;
  p->mem = (uint8_t *)mem;
  p->mem_phys = mem_phys;
  p->mem_size = mem_size;
  p->fd_regs = p->fd_mem = -1;
  return DNNCHIP_OK;
}

#if defined(__linux__)
static void *map_phys(int fd, uint64_t phys, size_t n) {
  void *v = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)phys);
  return v == MAP_FAILED ? NULL : v;
}

static int uio_wait(void *ctx, uint32_t timeout_ms) {
  dnnchip_platform *p = (dnnchip_platform *)ctx;
  uint32_t one = 1, count;
  struct pollfd pfd;
  if (write(p->fd_regs, &one, sizeof one) != (ssize_t)sizeof one) return 0; /* unmask */
  pfd.fd = p->fd_regs;
  pfd.events = POLLIN;
  pfd.revents = 0;
  if (poll(&pfd, 1, timeout_ms ? (int)timeout_ms : -1) <= 0) return 0;
  return read(p->fd_regs, &count, sizeof count) == (ssize_t)sizeof count;
}

static void sleep_poll(void *ctx) {
  (void)ctx;
  usleep(10);
}

int dnnchip_platform_devmem(dnnchip_platform *p, uint64_t reg_phys, uint64_t mem_phys, uint64_t mem_size) {
  int fd = open("/dev/mem", O_RDWR | O_SYNC);
  void *regs, *mem;
  if (fd < 0) return DNNCHIP_ERR_IO;
  regs = map_phys(fd, reg_phys, 4096);
  mem = map_phys(fd, mem_phys, (size_t)mem_size);
  if (!regs || !mem) {
    if (regs) munmap(regs, 4096);
    if (mem) munmap(mem, (size_t)mem_size);
    close(fd);
    return DNNCHIP_ERR_IO;
  }
  dnnchip_platform_pointers(p, regs, mem, mem_phys, mem_size);
  p->poll_delay = sleep_poll;
  p->regs_map_bytes = 4096;
  p->mem_map_bytes = (size_t)mem_size;
  p->fd_mem = fd;
  return DNNCHIP_OK;
}

int dnnchip_platform_uio(dnnchip_platform *p, const char *uio_dev, uint64_t mem_phys, uint64_t mem_size) {
  int fd = open(uio_dev, O_RDWR | O_SYNC);
  int fdm;
  void *regs, *mem;
  if (fd < 0) return DNNCHIP_ERR_IO;
  regs = map_phys(fd, 0, 4096); /* UIO: map N at offset N * page size; map0 */
  fdm = open("/dev/mem", O_RDWR | O_SYNC);
  mem = fdm >= 0 ? map_phys(fdm, mem_phys, (size_t)mem_size) : NULL;
  if (!regs || !mem) {
    if (regs) munmap(regs, 4096);
    if (mem) munmap(mem, (size_t)mem_size);
    if (fdm >= 0) close(fdm);
    close(fd);
    return DNNCHIP_ERR_IO;
  }
  dnnchip_platform_pointers(p, regs, mem, mem_phys, mem_size);
  p->wait_irq = uio_wait;
  p->poll_delay = sleep_poll;
  p->regs_map_bytes = 4096;
  p->mem_map_bytes = (size_t)mem_size;
  p->fd_regs = fd;
  p->fd_mem = fdm;
  return DNNCHIP_OK;
}

void dnnchip_platform_close(dnnchip_platform *p) {
  if (p->regs_map_bytes) munmap((void *)p->regs, p->regs_map_bytes);
  if (p->mem_map_bytes) munmap(p->mem, p->mem_map_bytes);
  if (p->fd_regs >= 0) close(p->fd_regs);
  if (p->fd_mem >= 0) close(p->fd_mem);
  p->regs_map_bytes = p->mem_map_bytes = 0;
  p->fd_regs = p->fd_mem = -1;
}
#else
int dnnchip_platform_devmem(dnnchip_platform *p, uint64_t reg_phys, uint64_t mem_phys, uint64_t mem_size) {
  (void)p; (void)reg_phys; (void)mem_phys; (void)mem_size;
  return DNNCHIP_ERR_IO;
}
int dnnchip_platform_uio(dnnchip_platform *p, const char *uio_dev, uint64_t mem_phys, uint64_t mem_size) {
  (void)p; (void)uio_dev; (void)mem_phys; (void)mem_size;
  return DNNCHIP_ERR_IO;
}
void dnnchip_platform_close(dnnchip_platform *p) { (void)p; }
#endif

/* ---- model description */
static void join(char *out, size_t n, const char *dir, const char *file) {
  snprintf(out, n, "%s/%s", dir, file);
}

int dnnchip_model_open(dnnchip_model *m, const char *dir) {
  char path[700], key[32];
  unsigned long long a, b, c, d, e;
  int version = 0, has_needs = 0;
  FILE *f;
  memset(m, 0, sizeof *m);
  snprintf(m->dir, sizeof m->dir, "%s", dir);
  join(path, sizeof path, dir, "model.rt");
  f = fopen(path, "r");
  if (!f) return DNNCHIP_ERR_IO;
  if (fscanf(f, "dnnchip-model %d", &version) != 1 || version != 2) { /* 1: before CFG3; compile again */
    fclose(f);
    return DNNCHIP_ERR_FORMAT;
  }
  while (fscanf(f, "%31s", key) == 1) {
    int ok = 1;
    if (strcmp(key, "engine") == 0) {
      ok = fscanf(f, "%u %u %u %u", &m->engine_id[0], &m->engine_id[1], &m->engine_id[2], &m->engine_id[3]) == 4;
    } else if (strcmp(key, "needs") == 0) {
      ok = fscanf(f, "%u %u", &m->need_pool_words, &m->need_wide_gather) == 2;
      has_needs = ok;
    } else if (strcmp(key, "program") == 0) {
      ok = fscanf(f, "%*s %llu %llu", &a, &b) == 2;
      m->program_offset = a;
      m->descriptors = (uint32_t)b;
    } else if (strcmp(key, "image") == 0) {
      ok = fscanf(f, "%*s %llu %llu", &a, &b) == 2;
      m->image_offset = a;
      m->image_bytes = b;
    } else if (strcmp(key, "region") == 0) {
      ok = fscanf(f, "%llu", &a) == 1;
      m->region_bytes = a;
    } else if (strcmp(key, "predict") == 0) {
      ok = fscanf(f, "%llu %llu %llu %llu %llu", &a, &b, &c, &d, &e) == 5;
      m->pred_fetch = a; m->pred_engine = b; m->pred_total = c; m->pred_rd_bytes = d; m->pred_wr_bytes = e;
    } else if (strcmp(key, "layer") == 0) {
      ok = fscanf(f, "%llu %llu", &a, &b) == 2 && a < DNNCHIP_MAX_LAYERS;
      if (ok) {
        m->pred_layer[a] = b;
        if (a + 1 > m->n_layers) m->n_layers = (uint32_t)(a + 1);
      }
    } else if (strcmp(key, "input") == 0 || strcmp(key, "output") == 0) {
      int in = key[0] == 'i';
      int *n = in ? &m->n_inputs : &m->n_outputs;
      dnnchip_tensor *t = in ? &m->inputs[*n] : &m->outputs[*n];
      ok = *n < DNNCHIP_MAX_TENSORS && fscanf(f, "%63s %u %u %127s", t->name, &t->offset, &t->size, t->file) == 4;
      if (ok) ++*n;
    } else {
      ok = 0;
    }
    if (!ok) {
      fclose(f);
      return DNNCHIP_ERR_FORMAT;
    }
  }
  fclose(f);
  return m->descriptors > 0 && m->region_bytes > 0 && has_needs ? DNNCHIP_OK : DNNCHIP_ERR_FORMAT;
}

int dnnchip_check_engine(const dnnchip_platform *p, const dnnchip_model *m) {
  uint32_t cfg3;
  if (p->reg_read(p->ctx, DNNCHIP_REG_ID) != DNNCHIP_ID_VALUE) return DNNCHIP_ERR_ENGINE;
  /* what the program needs: a pool unit whose line buffer holds its fused pools' rows, the wide
   * gather; an engine without them would compute wrong results without any error */
  cfg3 = p->reg_read(p->ctx, DNNCHIP_REG_CFG3);
  if ((cfg3 & 0xFFFFu) < m->need_pool_words) return DNNCHIP_ERR_UNIT;
  if (m->need_wide_gather && !((cfg3 >> 24) & 1u)) return DNNCHIP_ERR_UNIT;
  /* W_GROUP sets the weight streams' timing the prediction assumes */
  if (((cfg3 >> 16) & 0xFFu) != ((m->engine_id[3] >> 16) & 0xFFu)) return DNNCHIP_ERR_ENGINE;
  if (p->reg_read(p->ctx, DNNCHIP_REG_CFG0) != m->engine_id[0]) return DNNCHIP_ERR_ENGINE;
  if (p->reg_read(p->ctx, DNNCHIP_REG_CFG1) != m->engine_id[1]) return DNNCHIP_ERR_ENGINE;
  /* PROG_DEPTH may be deeper than the model was compiled for; the rest must agree */
  if ((p->reg_read(p->ctx, DNNCHIP_REG_CFG2) >> 16) != (m->engine_id[2] >> 16)) return DNNCHIP_ERR_ENGINE;
  if ((p->reg_read(p->ctx, DNNCHIP_REG_CFG2) & 0xFFFFu) < m->descriptors) return DNNCHIP_ERR_ENGINE;
  return DNNCHIP_OK;
}

static int copy_file(const dnnchip_platform *p, const char *dir, const char *file, uint64_t offset,
                     uint64_t expect) {
  char path[700];
  unsigned char buf[4096];
  uint64_t done = 0;
  size_t n;
  FILE *f;
  join(path, sizeof path, dir, file);
  f = fopen(path, "rb");
  if (!f) return DNNCHIP_ERR_IO;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
    if (done + n > expect || p->mem_write(p->ctx, offset + done, buf, n) != 0) {
      fclose(f);
      return DNNCHIP_ERR_IO;
    }
    done += n;
  }
  fclose(f);
  return done == expect ? DNNCHIP_OK : DNNCHIP_ERR_IO;
}

static int set_registers(const dnnchip_platform *p, const dnnchip_model *m) {
  if (p->reg_read(p->ctx, DNNCHIP_REG_STATUS) & 1u) return DNNCHIP_ERR_BUSY;
  p->reg_write(p->ctx, DNNCHIP_REG_DRAM_BASE, (uint32_t)(p->mem_phys + m->image_offset));
  p->reg_write(p->ctx, DNNCHIP_REG_PROG_BASE, (uint32_t)(p->mem_phys + m->program_offset));
  p->reg_write(p->ctx, DNNCHIP_REG_PROG_COUNT, m->descriptors);
  p->reg_write(p->ctx, DNNCHIP_REG_DRAM_SIZE, (uint32_t)m->image_bytes);
  return DNNCHIP_OK;
}

static int region_ok(const dnnchip_platform *p, const dnnchip_model *m) {
  return (p->mem_phys & 4095u) == 0 && m->region_bytes <= p->mem_size;
}

int dnnchip_load(const dnnchip_platform *p, const dnnchip_model *m) {
  int r;
  if (!region_ok(p, m)) return DNNCHIP_ERR_RANGE;
  if ((r = copy_file(p, m->dir, "program.bin", m->program_offset, (uint64_t)m->descriptors * 128u)) != 0) return r;
  if ((r = copy_file(p, m->dir, "image.bin", m->image_offset, m->image_bytes)) != 0) return r;
  return set_registers(p, m);
}

int dnnchip_load_buffers(const dnnchip_platform *p, const dnnchip_model *m, const void *program,
                         size_t program_bytes, const void *image, size_t image_bytes) {
  if (!region_ok(p, m) || program_bytes != (size_t)m->descriptors * 128u || image_bytes != m->image_bytes)
    return DNNCHIP_ERR_RANGE;
  if (p->mem_write(p->ctx, m->program_offset, program, program_bytes) != 0) return DNNCHIP_ERR_IO;
  if (p->mem_write(p->ctx, m->image_offset, image, image_bytes) != 0) return DNNCHIP_ERR_IO;
  return set_registers(p, m);
}

int dnnchip_write_input(const dnnchip_platform *p, const dnnchip_model *m, int i, const void *data, size_t n) {
  if (i < 0 || i >= m->n_inputs || n != m->inputs[i].size) return DNNCHIP_ERR_RANGE;
  return p->mem_write(p->ctx, m->image_offset + m->inputs[i].offset, data, n) ? DNNCHIP_ERR_IO : DNNCHIP_OK;
}

int dnnchip_read_output(const dnnchip_platform *p, const dnnchip_model *m, int i, void *data, size_t n) {
  if (i < 0 || i >= m->n_outputs || n != m->outputs[i].size) return DNNCHIP_ERR_RANGE;
  return p->mem_read(p->ctx, m->image_offset + m->outputs[i].offset, data, n) ? DNNCHIP_ERR_IO : DNNCHIP_OK;
}

int dnnchip_write_test_inputs(const dnnchip_platform *p, const dnnchip_model *m) {
  int i, r;
  for (i = 0; i < m->n_inputs; ++i)
    if ((r = copy_file(p, m->dir, m->inputs[i].file, m->image_offset + m->inputs[i].offset, m->inputs[i].size)) != 0)
      return r;
  return DNNCHIP_OK;
}

int dnnchip_set_watchdog(const dnnchip_platform *p, uint32_t cycles) {
  if (p->reg_read(p->ctx, DNNCHIP_REG_STATUS) & 1u) return DNNCHIP_ERR_BUSY;
  p->reg_write(p->ctx, DNNCHIP_REG_WDOG_LIMIT, cycles);
  return DNNCHIP_OK;
}

int dnnchip_start(const dnnchip_platform *p) {
  if (p->reg_read(p->ctx, DNNCHIP_REG_STATUS) & 1u) return DNNCHIP_ERR_BUSY;
  p->reg_write(p->ctx, DNNCHIP_REG_IRQ_STATUS, 3u);
  p->reg_write(p->ctx, DNNCHIP_REG_CTRL, 1u);
  return DNNCHIP_OK;
}

int dnnchip_wait(const dnnchip_platform *p, int use_irq, uint64_t limit) {
  uint32_t status = 0;
  uint64_t polls = 0;
  if (use_irq && p->wait_irq) {
    p->reg_write(p->ctx, DNNCHIP_REG_IRQ_ENABLE, 3u);
    while (!(p->reg_read(p->ctx, DNNCHIP_REG_IRQ_STATUS) & 1u))
      if (!p->wait_irq(p->ctx, (uint32_t)limit)) return DNNCHIP_ERR_TIMEOUT;
    p->reg_write(p->ctx, DNNCHIP_REG_IRQ_STATUS, 3u);
    status = p->reg_read(p->ctx, DNNCHIP_REG_STATUS);
  } else {
    for (;;) {
      status = p->reg_read(p->ctx, DNNCHIP_REG_STATUS);
      if (!(status & 1u) && (status & 2u)) break;
      if (limit && ++polls >= limit) return DNNCHIP_ERR_TIMEOUT;
      if (p->poll_delay) p->poll_delay(p->ctx);
    }
  }
  if (status & 4u) return (int)(p->reg_read(p->ctx, DNNCHIP_REG_ERR_CODE) & 0xFu);
  return DNNCHIP_OK;
}

int dnnchip_error(const dnnchip_platform *p, uint32_t *code, uint32_t *index, uint32_t *resp) {
  uint32_t e = p->reg_read(p->ctx, DNNCHIP_REG_ERR_CODE);
  if (code) *code = e & 0xFu;
  if (resp) *resp = (e >> 4) & 3u;
  if (index) *index = p->reg_read(p->ctx, DNNCHIP_REG_ERR_INDEX);
  return (int)(e & 0xFu);
}

const char *dnnchip_error_name(int code) {
  switch (code) {
    case DNNCHIP_E_NONE: return "none";
    case DNNCHIP_E_RD_RESP: return "read response error";
    case DNNCHIP_E_WR_RESP: return "write response error";
    case DNNCHIP_E_FETCH_RESP: return "read response error while fetching the program";
    case DNNCHIP_E_OPCODE: return "unknown opcode";
    case DNNCHIP_E_NO_END: return "program without End";
    case DNNCHIP_E_COUNT: return "PROG_COUNT is 0 or above PROG_DEPTH";
    case DNNCHIP_E_ADDR: return "access outside the engine's window";
    case DNNCHIP_E_TIMEOUT: return "watchdog timeout (WDOG_LIMIT cycles)";
    case DNNCHIP_E_ALIGN: return "PROG_BASE or DRAM_BASE not aligned";
    case DNNCHIP_E_REGION: return "program or DRAM window outside the allowed bus range";
    case DNNCHIP_ERR_IO: return "I/O error";
    case DNNCHIP_ERR_FORMAT: return "damaged model.rt";
    case DNNCHIP_ERR_TIMEOUT: return "timeout";
    case DNNCHIP_ERR_ENGINE: return "the engine does not match the compiled model";
    case DNNCHIP_ERR_RANGE: return "out of range";
    case DNNCHIP_ERR_BUSY: return "engine busy";
    case DNNCHIP_ERR_UNIT: return "the model needs a unit the engine lacks (pool unit line buffer or wide gather)";
    default: return "unknown";
  }
}

uint64_t dnnchip_read_counter64(const dnnchip_platform *p, uint32_t lo) {
  const uint32_t low = p->reg_read(p->ctx, lo); /* latches the high word */
  return ((uint64_t)p->reg_read(p->ctx, DNNCHIP_REG_HI(lo)) << 32) | low;
}

int dnnchip_read_counters(const dnnchip_platform *p, dnnchip_counters *c) {
  c->cycles = dnnchip_read_counter64(p, DNNCHIP_REG_CYCLES);
  c->fetch_cycles = dnnchip_read_counter64(p, DNNCHIP_REG_FETCH_CYCLES);
  c->engine_cycles = dnnchip_read_counter64(p, DNNCHIP_REG_ENGINE_CYCLES);
  c->rd_bytes = dnnchip_read_counter64(p, DNNCHIP_REG_RD_BYTES);
  c->wr_bytes = dnnchip_read_counter64(p, DNNCHIP_REG_WR_BYTES);
  c->ar_stall = dnnchip_read_counter64(p, DNNCHIP_REG_AR_STALL);
  c->r_wait = dnnchip_read_counter64(p, DNNCHIP_REG_R_WAIT);
  c->w_stall = dnnchip_read_counter64(p, DNNCHIP_REG_W_STALL);
  c->layers = p->reg_read(p->ctx, DNNCHIP_REG_LAYERS);
  c->last_layer = p->reg_read(p->ctx, DNNCHIP_REG_LAST_LAYER);
  return DNNCHIP_OK;
}

uint32_t dnnchip_layer_cycles(const dnnchip_platform *p, uint32_t descriptor) {
  return p->reg_read(p->ctx, DNNCHIP_REG_LAYER_TABLE + 4u * descriptor);
}
