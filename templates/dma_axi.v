// dma_axi: the engine's AXI4 master. Six commands (docs/engine.md):
//  0 GATHER  im2col: for `count` output pixels from (p0,q0) in NHWC order, reads the run of
//            `cnt` channel bytes at input (h,w) = (p*stride_h + roff - pad_t, q*stride_w + soff -
//            pad_l) and splits it into chunks of `kch` bytes (a wide gather: one run for several
//            reduction tiles): chunk j of pixel i goes to activation-buffer word
//            ridx0 + i + j*wstride (a piece of a gather starts at pixel ridx0 of the tile)
//            (bytes past the chunk or the run are 0); a position outside the input writes
//            pad_value to every byte of its ceil(cnt/kch) words without a DRAM access. The run's address is
//            base + x, x a running byte offset: x0 at the first pixel, + q_step to the next q,
//            + row_step from a row's last q to the next p, + img_step from an image's last pixel
//            to the next (the controller folds the tap and channel offsets into base; ph0 = p0 *
//            stride_h, qw0 = q0 * stride_w). Ends with the next pixel's p, q, ph, qw, x.
//  1 WEIGHTS linear read of `count` rows of ROW_BEATS beats into weight-buffer words waddr0...
//  2 BIAS    linear read of BIAS_BEATS beats into the vector unit's bias register.
//  3 STORE   for `count` pixels, writes staging word i's first `cnt` bytes to base + i*cstride.
//  5 TABLE   linear read of 256/B beats (256 bytes) into the vector unit's activation table, beat i
//            to table word i (issued once per layer, like BIAS; docs/engine.md).
//  4 SKIP    for `count` pixels, reads the `cnt` bytes at base + i*cstride into staging word i
//            (bytes >= cnt are 0): a fused residual add's skip operand, at the store's addresses.
//            Issued like GATHER pixels that are all inside the image (x from 0, + cstride each).
// Every transfer is split at 4 KiB boundaries and at BURST_MAX beats (single AXI ID, in order).
// Reads are decoupled: the issue side sends AR for the next bursts while data comes back, up to
// RD_OUT entries in flight (a gather pixel's first AR leaves in its address cycle); each AR (and each padded pixel, which needs no AR) pushes a tag
// {pad, last burst of the pixel, byte offset} into an in-order queue, and the return side writes
// the beats into the buffers as the head tag says (a padded pixel at the head takes one cycle,
// rready low). A gather beat that ends a chunk while bytes of the next chunk follow in it is held
// one cycle per such chunk end (rready low: one buffer write per cycle), a padded pixel takes one
// cycle per chunk. Writes are posted: up to WR_OUT bursts whose B response is outstanding. The exact
// cycle costs are an event model (docs/engine.md#cycle-behaviour, schedule/DramCost.h).
`default_nettype none
module dma_axi #(
    parameter ADDR_W    = 32,
    parameter DATA_W    = 64,
    parameter BURST_MAX = 16,
    parameter ROWS      = 4,
    parameter COLS      = 4,
    parameter ACT_AW    = 8,
    parameter WB_AW     = 3,
    parameter STG_AW    = 8,
    parameter RD_OUT    = 4,   // read bursts + padded pixels in flight, 1..16
    parameter WR_OUT    = 4,   // write bursts awaiting B, 1..16
    parameter WIDE      = 1,   // 0: a gather is one chunk per pixel (no wide-gather logic)
    parameter ADDR_REGS = 1    // 1: gather address and input row/column kept in registers beside
                               // x, ph, qw (shorter paths, docs/timing.md); 0: computed (fewer cells)
) (
    input  wire                clk,
    input  wire                rst_n,
    // command
    input  wire                start,
    input  wire [2:0]          cmd,
    output wire                done,
    input  wire [ADDR_W-1:0]   base,
    input  wire [31:0]         count,
    input  wire [15:0]         p0,
    input  wire [15:0]         q0,
    input  wire [17:0]         ph0,
    input  wire [17:0]         qw0,
    input  wire [ADDR_W-1:0]   x0,
    input  wire [15:0]         roff,
    input  wire [15:0]         soff,
    input  wire [7:0]          cnt,
    input  wire [7:0]          kch,          // GATHER: bytes per buffer word (chunk), 1..ROWS
    input  wire [15:0]         ridx0,        // GATHER: buffer word of the first pixel
    input  wire [15:0]         wstride,      // GATHER: words from a pixel's chunk to its next
    input  wire [7:0]          pad_value,
    input  wire [WB_AW-1:0]    waddr0,
    // layer geometry
    input  wire [15:0]         in_h,
    input  wire [15:0]         in_w,
    input  wire [15:0]         out_p,
    input  wire [15:0]         out_q,
    input  wire [7:0]          stride_h,
    input  wire [7:0]          stride_w,
    input  wire [7:0]          pad_t,
    input  wire [7:0]          pad_l,
    input  wire [15:0]         cstride,
    input  wire [ADDR_W-1:0]   q_step,
    input  wire [ADDR_W-1:0]   row_step,
    input  wire [ADDR_W-1:0]   img_step,
    output reg  [15:0]         end_p,
    output reg  [15:0]         end_q,
    output reg  [17:0]         end_ph,
    output reg  [17:0]         end_qw,
    output reg  [ADDR_W-1:0]   end_x,
    // buffers
    output reg                 act_we,
    output reg  [ACT_AW-1:0]   act_waddr,
    output reg  [ROWS*8-1:0]   act_wdata,
    output reg                 wb_we,
    output reg  [WB_AW-1:0]    wb_waddr,
    output reg  [COLS*8-1:0]   wb_wdata,
    output reg                 bias_we,
    output reg  [COLS*32-1:0]  bias_wdata,
    output wire [STG_AW-1:0]   stg_raddr,
    input  wire [COLS*8-1:0]   stg_rdata,
    output reg                 stg_we,
    output reg  [STG_AW-1:0]   stg_waddr,
    output reg  [COLS*8-1:0]   stg_wdata,
    output reg                 tab_we,
    output reg  [7:0]          tab_waddr,
    output reg  [DATA_W-1:0]   tab_wdata,
    // AXI4 master
    output wire [ADDR_W-1:0]   m_axi_awaddr,
    output wire [7:0]          m_axi_awlen,
    output wire [2:0]          m_axi_awsize,
    output wire [1:0]          m_axi_awburst,
    output wire                m_axi_awvalid,
    input  wire                m_axi_awready,
    output reg  [DATA_W-1:0]   m_axi_wdata,
    output reg  [DATA_W/8-1:0] m_axi_wstrb,
    output wire                m_axi_wlast,
    output wire                m_axi_wvalid,
    input  wire                m_axi_wready,
    input  wire [1:0]          m_axi_bresp,
    input  wire                m_axi_bvalid,
    output wire                m_axi_bready,
    output wire [ADDR_W-1:0]   m_axi_araddr,
    output wire [7:0]          m_axi_arlen,
    output wire [2:0]          m_axi_arsize,
    output wire [1:0]          m_axi_arburst,
    output wire                m_axi_arvalid,
    input  wire                m_axi_arready,
    input  wire [DATA_W-1:0]   m_axi_rdata,
    input  wire [1:0]          m_axi_rresp,
    input  wire                m_axi_rlast,
    input  wire                m_axi_rvalid,
    output wire                m_axi_rready
);
  localparam B          = DATA_W / 8;
  localparam LB         = $clog2(B);
  localparam ROW_BEATS  = (COLS + B - 1) / B;
  localparam BIAS_BEATS = (4 * COLS + B - 1) / B;
  localparam TAB_BEATS  = 256 / B;
  localparam [31:0] B32 = B;
  localparam [31:0] C32 = COLS;
  localparam [15:0] B16 = B32[15:0];
  localparam signed [9:0] BS = B32[9:0];
  localparam signed [9:0] COLS_S = C32[9:0];
  localparam NA = (ROWS > COLS) ? ROWS : COLS;   // lanes a read pixel is assembled in
  // pixel and row counters: a command moves at most max(ACT_DEPTH, ROWS) pixels or rows
  localparam CW = ((ACT_AW > 7) ? ACT_AW : 7) + 1;

  localparam S_IDLE = 4'd0, S_PIX = 4'd1, S_AR = 4'd2, S_DRAIN = 4'd3, S_DONE = 4'd5,
             S_WPIX = 4'd6, S_AW = 4'd7, S_W = 4'd8, S_BDRAIN = 4'd9;
  // tag queue: a power of two >= RD_OUT entries of {pad, last, offset}
  localparam TPW = (RD_OUT > 1) ? $clog2(RD_OUT) : 1;
  localparam TD  = 1 << TPW;
  localparam TW  = LB + 2;
  localparam [4:0] RD_OUT5 = RD_OUT[4:0];
  localparam [4:0] WR_OUT5 = WR_OUT[4:0];

  reg [3:0]        st;
  reg [2:0]        c_cmd;
  reg [CW-1:0]     idx;          // issue side: pixel or row index
  reg [CW-1:0]     c_count;
  reg [15:0]       p, q;
  reg [17:0]       ph, qw;       // p * stride_h, q * stride_w
  reg [ADDR_W-1:0] x;            // byte offset of pixel (p, q) from base
  reg [ADDR_W-1:0] g_addr_r;     // base + x, kept beside x (no adder before the burst sizing)
  reg [8:0]        g_beats_r;    // beats of the pixel's run at g_addr_r, kept beside it
  reg [7:0]        cnt_m1;       // cnt - 1, set at the command's start (cnt >= 1, held)
  reg [8:0]        rb_h, rb_h1;  // ADDR_REGS: h = (cnt + B - 1) >> LB and h + 1, set at the start
  reg [15:0]       c_cstr;       // ADDR_REGS: cstride, held from the command's start
  reg [ADDR_W-1:0] cur_a;        // aligned address of the next burst
  reg [15:0]       rem;          // beats still to request
  reg [8:0]        blen;         // beats of the write burst in progress
  reg [8:0]        bcnt;         // beats of it done
  reg signed [9:0] bpos;         // store: byte position of the current beat's lane 0 in the run
                                 // (-(B-1) .. 255 + 2B: 10 bits for B <= 64)
  reg [LB-1:0]     pix_off;      // gather: byte offset of the pixel's run in its first beat
  reg [ADDR_W-1:0] pix_addr;     // store: address of pixel idx
  reg [4:0]        rd_fly;       // read tags pushed and not yet popped (0..RD_OUT)
  reg [4:0]        wr_fly;       // write bursts accepted whose B has not come (0..WR_OUT)
  reg [TW-1:0]     tagq [0:TD-1];
  reg [TPW-1:0]    t_head, t_tail;
  // return side
  reg [CW-1:0]     ridx;         // activation-buffer word the next gathered pixel goes to
  reg              r_first;      // the next beat starts a pixel
  reg              c_first;      // ... or a chunk (the assembly word starts empty)
  reg [8:0]        cs;           // run position of the chunk being assembled (0, kch, 2 kch, ..)
  reg [9:0]        cs_nx;        // cs + c_kch, kept beside cs (the next chunk's start, registered
  reg              cs_run;       // so the return path has no adder before c_end); cs_nx >= cnt
  reg [CW-1:0]     wo;           // its word offset: chunk index * count
  reg [7:0]        c_kch;        // chunk bytes of the command (SKIP: cnt, one chunk)
  reg              c_run0;       // c_kch >= cnt, set with c_kch (cnt is held for the command;
                                 // clock proxy: the compare leaves the pop -> rd_fly path)
  reg [CW-1:0]     c_wstr;       // word step from one chunk to the next
  reg signed [9:0] rbpos;        // byte position of the next beat's lane 0 in the pixel's run
  reg [NA*8-1:0]   asm_w;
  reg [15:0]       wbeat;
  reg [WB_AW-1:0]  widx;         // weight-buffer word being filled
  reg [ROW_BEATS*DATA_W-1:0]  wsr;
  reg [BIAS_BEATS*DATA_W-1:0] bsr;

  // ---- burst length: min(rem, BURST_MAX, beats to the next 4 KiB boundary)
  // (cur_a is B-aligned: beats to the boundary b4k = K4 - cur_a[11:LB], K4 = 4096 / B). Which of
  // the three is the minimum is decided from rem + cur_a[11:LB] and constant compares, and each
  // result (rem - blen, cur_a + blen * B) has its own adder behind that choice, so no adder
  // feeds another on the rem -> rem loop (clock proxy, docs/timing.md; same values as
  // min(min(rem, BURST_MAX), b4k))
  localparam [16:0] K4      = 17'd4096 >> LB;
  localparam [16:0] BM17    = BURST_MAX;
  wire [16:0] ca4k    = {5'd0, cur_a[11:0]} >> LB;           // beats since the last boundary
  wire [16:0] b4k     = K4 - ca4k;                            // 1..K4
  wire        rem_bm  = ({1'b0, rem} <= BM17);                 // rem <= BURST_MAX
  wire        rem_4k  = ({1'b0, rem} + ca4k <= K4);            // rem <= b4k
  wire        bm_4k   = (BM17 + ca4k <= K4);                   // BURST_MAX <= b4k
  wire        sel_rem = rem_bm && rem_4k;                      // blen = rem: the last burst
  wire        sel_bm  = !sel_rem && bm_4k;                     // blen = BURST_MAX
  // (ADDR_REGS = 0, the iCE40's engine: min, then one subtract and one add, fewer logic cells)
  wire [15:0] lim1    = (rem < BURST_MAX) ? rem : BURST_MAX[15:0];
  wire [15:0] blen_n  = (lim1 < b4k[15:0]) ? lim1 : b4k[15:0];
  wire [15:0] blen_c  = (ADDR_REGS == 0) ? blen_n : sel_rem ? rem : sel_bm ? BURST_MAX[15:0] : b4k[15:0];
  wire        last_c  = (ADDR_REGS == 0) ? (rem == blen_n) : sel_rem;
  wire [15:0] rem_nb  = (ADDR_REGS == 0) ? rem - blen_n
                      : sel_rem ? 16'd0 : sel_bm ? rem - BURST_MAX[15:0] : rem - b4k[15:0];
  wire [ADDR_W-1:0] cur_nb = (ADDR_REGS == 0) ? cur_a + ({{(ADDR_W-16){1'b0}}, blen_n} << LB)
                           : sel_rem ? cur_a + ({{(ADDR_W-16){1'b0}}, rem} << LB)
                           : sel_bm  ? cur_a + ({{(ADDR_W-16){1'b0}}, BURST_MAX[15:0]} << LB)
                                     : {cur_a[ADDR_W-1:12] + 1'b1, 12'd0};

  // ---- gather address generation for pixel (n,p,q)
  // input row / column of the pixel, kept beside ph / qw (no adder before the padding test)
  reg  signed [19:0] hh_r, ww_r;
  wire signed [19:0] hh_0 = $signed({4'd0, roff}) - $signed({12'd0, pad_t});   // at ph = 0
  wire signed [19:0] ww_0 = $signed({4'd0, soff}) - $signed({12'd0, pad_l});   // at qw = 0
  wire signed [19:0] hh = (ADDR_REGS != 0) ? hh_r : $signed({2'd0, ph}) + hh_0;
  wire signed [19:0] ww = (ADDR_REGS != 0) ? ww_r : $signed({2'd0, qw}) + ww_0;
  wire in_img = (hh >= 0) && (hh < $signed({4'd0, in_h})) && (ww >= 0) && (ww < $signed({4'd0, in_w}));
  wire [ADDR_W-1:0] g_addr = (ADDR_REGS != 0) ? g_addr_r : base + x;
  wire [LB-1:0] g_off = g_addr[LB-1:0];
  wire [LB-1:0] s_off = pix_addr[LB-1:0];
  // beats of a run of cnt bytes starting at byte offset o of a beat: (o + cnt + B - 1) >> LB.
  // With ADDR_REGS the beats are split: (o + cnt + B - 1) >> LB = h + (o + l >= B), h = (cnt + B - 1) >> LB
  // (rb_h, and rb_h1 = h + 1, registers set at the command's start) and l = (cnt - 1) mod B (the low
  // bits of cnt_m1), so a new value is a carry out of LB-bit operands choosing one of two registers,
  // no adder over cnt after the address's low bits (clock proxy: dma_cmd -> the controller's cstride
  // mux -> go_skip -> run_beats -> g_beats_r was 11 levels on make run's design, 12 with the
  // activation buffer x4, docs/timing.md)
  function automatic rb_cy(input [LB-1:0] o, input [LB-1:0] l);
    reg [LB:0] t;
    begin
      t     = {1'b0, o} + {1'b0, l};
      rb_cy = t[LB];
    end
  endfunction
  // (ADDR_REGS: a register written with g_addr_r, from the low bits of its new value, so the
  // first-burst choice reads a register; clock proxy, docs/timing.md)
  wire [15:0] g_beats = (ADDR_REGS != 0) ? {7'd0, g_beats_r} : ({{(16-LB){1'b0}}, g_off} + {8'd0, cnt} + B16 - 16'd1) >> LB;
  wire [15:0] s_beats = ({{(16-LB){1'b0}}, s_off} + {8'd0, cnt} + B16 - 16'd1) >> LB;
  wire last_pix = (idx + 1'b1 == c_count);
  wire skip_cmd = (c_cmd == 3'd4);
  wire pix_cmd  = (c_cmd == 3'd0) || skip_cmd;   // commands that walk pixels with S_PIX
  wire pix_in   = in_img || skip_cmd;            // the pixel's bytes come from DRAM

  // next gather coordinates
  wire        q_wrap = (q + 16'd1 == out_q);
  wire        p_wrap = q_wrap && (p + 16'd1 == out_p);

  // the next pixel's run beats for each step (only the step's low bits reach them; one small
  // adder each, chosen by the same wraps as the step)
  // (the skip's step is c_cstr, a register: the controller's cstride is a mux on dma_cmd)
  wire [15:0]   cstr      = (ADDR_REGS != 0) ? c_cstr : cstride;
  wire [LB-1:0] gb_lo     = g_addr_r[LB-1:0];
  wire [LB-1:0] rb_l      = cnt_m1[LB-1:0];
  wire [LB-1:0] go_skip   = gb_lo + cstr[LB-1:0];
  wire [LB-1:0] go_q      = gb_lo + q_step[LB-1:0];
  wire [LB-1:0] go_row    = gb_lo + row_step[LB-1:0];
  wire [LB-1:0] go_img    = gb_lo + img_step[LB-1:0];
  wire          cy_adv    = skip_cmd ? rb_cy(go_skip, rb_l) : !q_wrap ? rb_cy(go_q, rb_l)
                          : !p_wrap ? rb_cy(go_row, rb_l) : rb_cy(go_img, rb_l);
  wire [ADDR_W-1:0] gx0   = (cmd == 3'd4) ? {ADDR_W{1'b0}} : x0;   // x at a command's start
  // at the start, from the inputs: h of cnt, and l = (cnt - 1) mod B = (cnt + B - 1) mod B
  wire [8:0]    h_cnt     = ({1'b0, cnt} + B32[8:0] - 9'd1) >> LB;
  wire [8:0]    h1_cnt    = ({1'b0, cnt} + B32[8:0] + B32[8:0] - 9'd1) >> LB;   // h + 1, one adder
  wire [LB-1:0] l_cnt     = cnt[LB-1:0] - 1'b1;
  // the first pixel's carry, formed for both choices of gx0 and chosen after (dma_cmd leaves the
  // adders' path: cmd -> gx0 -> base + gx0 -> the carry -> g_beats_r was 10 levels alone)
  wire [LB-1:0] go_x0     = base[LB-1:0] + x0[LB-1:0];
  wire          cy_start  = (cmd == 3'd4) ? rb_cy(base[LB-1:0], l_cnt) : rb_cy(go_x0, l_cnt);

  // the gather's next pixel (nonblocking updates; called from the clocked block)
  task advance;
    begin
      if (skip_cmd) begin
        x <= x + {{(ADDR_W-16){1'b0}}, cstr}; g_addr_r <= g_addr_r + {{(ADDR_W-16){1'b0}}, cstr};
      end else if (!q_wrap) begin
        q <= q + 16'd1; qw <= qw + {10'd0, stride_w}; x <= x + q_step; g_addr_r <= g_addr_r + q_step;
        ww_r <= ww_r + $signed({12'd0, stride_w});
      end else begin
        q <= 16'd0; qw <= 18'd0; ww_r <= ww_0;
        if (!p_wrap) begin
          p <= p + 16'd1; ph <= ph + {10'd0, stride_h}; x <= x + row_step; g_addr_r <= g_addr_r + row_step;
          hh_r <= hh_r + $signed({12'd0, stride_h});
        end else begin
          p <= 16'd0; ph <= 18'd0; x <= x + img_step; g_addr_r <= g_addr_r + img_step; hh_r <= hh_0;
        end
      end
    end
  endtask

  // ---- the tag queue and the return side's view of its head
  wire          can_push = (rd_fly < RD_OUT5);
  wire [TW-1:0] head;           // the head tag (a register beside the queue with ADDR_REGS, below)
  wire          h_valid  = (rd_fly != 5'd0);
  wire          h_pad    = h_valid && head[TW-1];
  wire          h_last   = head[TW-2];
  wire [LB-1:0] h_off    = head[LB-1:0];
  wire          r_beat   = m_axi_rvalid && !h_pad;   // rready = !h_pad
  // a gather pixel's first burst goes out from the address state itself (S_PIX), later ones and
  // linear reads from S_AR
  wire [ADDR_W-1:0] g_al   = {g_addr[ADDR_W-1:LB], {LB{1'b0}}};
  // (the pixel's first burst: min(g_beats, BURST_MAX, beats to the boundary), chosen the same way
  // as blen_c above; when it is not the pixel's last, it is BURST_MAX or the boundary's)
  wire [16:0]       g_ca4k = {5'd0, g_al[11:0]} >> LB;
  wire [16:0]       g_b4k  = K4 - g_ca4k;
  // (g_beats + g_ca4k <= K4, the run ends by the 4 KiB boundary, is g_addr[11:0] + cnt - 1 <
  // 4096 for cnt >= 1: one adder's carry out, with ADDR_REGS; clock proxy)
  wire [12:0]       g_e4k  = {1'b0, g_addr[11:0]} + {5'd0, cnt_m1};
  wire              g_in4k = (ADDR_REGS != 0) ? !g_e4k[12] : ({1'b0, g_beats} + g_ca4k <= K4);
  wire              g_sel  = ({1'b0, g_beats} <= BM17) && g_in4k;
  wire              g_selbm = !g_sel && (BM17 + g_ca4k <= K4);
  wire [15:0]       g_lim  = (g_beats < BURST_MAX) ? g_beats : BURST_MAX[15:0];
  wire [15:0]       g_blen_n   = (g_lim < g_b4k[15:0]) ? g_lim : g_b4k[15:0];
  wire [15:0]       g_blen = (ADDR_REGS == 0) ? g_blen_n : g_sel ? g_beats : g_selbm ? BURST_MAX[15:0] : g_b4k[15:0];
  wire              g_last = (ADDR_REGS == 0) ? (g_beats == g_blen_n) : g_sel;
  wire [ADDR_W-1:0] g_cur_nb = (ADDR_REGS == 0) ? g_al + ({{(ADDR_W-16){1'b0}}, g_blen_n} << LB)
                             : g_selbm ? g_al + ({{(ADDR_W-16){1'b0}}, BURST_MAX[15:0]} << LB)
                                       : {g_al[ADDR_W-1:12] + 1'b1, 12'd0};
  wire [15:0]       g_rem_nb = (ADDR_REGS == 0) ? g_beats - g_blen_n
                             : g_selbm ? g_beats - BURST_MAX[15:0] : g_beats - g_b4k[15:0];
  wire              pix_ar = (st == S_PIX) && pix_in;
  wire [ADDR_W-1:0] ar_a   = pix_ar ? g_al : cur_a;
  wire [7:0]        ar_len = pix_ar ? g_blen[7:0] : blen_c[7:0];  // <= BURST_MAX <= 256: 256 wraps to 0, arlen 255
  // the AXI lengths (beats - 1): with ADDR_REGS each outcome of the choice less one, so no
  // decrement follows the choice (the boundary's b4k - 1 = (K4 - 1) ^ ca4k, K4 a power of two)
  localparam [7:0] BM_M1 = BURST_MAX - 1;
  localparam [7:0] K4_M1 = K4[7:0] - 8'd1;
  wire [7:0]        g_lenm1 = g_sel ? g_beats[7:0] - 8'd1 : g_selbm ? BM_M1 : K4_M1 ^ g_ca4k[7:0];
  wire [7:0]        lenm1_c = sel_rem ? rem[7:0] - 8'd1 : sel_bm ? BM_M1 : K4_M1 ^ ca4k[7:0];
  wire [7:0]        ar_lenm1 = (ADDR_REGS == 0) ? ar_len - 8'd1 : pix_ar ? g_lenm1 : lenm1_c;
  wire [7:0]        aw_lenm1 = (ADDR_REGS == 0) ? blen_c[7:0] - 8'd1 : lenm1_c;
  wire              ar_last = pix_ar ? g_last : last_c;  // g_beats == g_blen, rem == blen_c
  wire [LB-1:0]     ar_off = pix_ar ? g_off : pix_off;
  wire          ar_fire  = ((st == S_AR) || pix_ar) && can_push && m_axi_arready;
  wire          pad_push = (st == S_PIX) && !pix_in && can_push;
  wire          push     = ar_fire || pad_push;
  wire          pop;             // a tag leaves the queue (assigned below the byte steering)
  wire [LB:0]   h_bend0;         // B - h_off: the head pixel's first beat ends at run byte B - h_off
  generate
    if (ADDR_REGS != 0) begin : g_bq
      reg [LB:0] bq [0:TD-1];      // B - ar_off of each tag, written with it
      wire [LB:0] bq_in = B32[LB:0] - {1'b0, ar_off};
      always @(posedge clk) if (rst_n && push) bq[t_tail] <= bq_in;
      // the head entry (tag and B - ar_off) kept in registers, so the return side's paths start
      // at flip-flops, not at a LUT-RAM read (clock proxy: tagq -> h_off -> the byte steering ->
      // asm_w was 11 levels on the Ultra96, docs/timing.md). The next head is the entry after it
      // (t_head + 1, written at least a cycle before whenever two or more are in flight) or, when
      // the queue is empty after this cycle's pop, the tag pushed in this cycle.
      reg  [TW-1:0]  hq;
      reg  [LB:0]    hbq;
      wire [TPW-1:0] t_next = t_head + 1'b1;
      wire           h_new  = pop ? (rd_fly == 5'd1) : (rd_fly == 5'd0);
      always @(posedge clk) begin
        if (h_new) begin
          hq  <= {pad_push, ar_last, ar_off};
          hbq <= bq_in;
        end else if (pop) begin
          hq  <= tagq[t_next];
          hbq <= bq[t_next];
        end
      end
      assign head    = hq;
      assign h_bend0 = hbq;
    end else begin : g_nbq          // (the iCE40's engine: unused, b_end adds after the mux)
      assign head    = tagq[t_head];
      assign h_bend0 = {(LB + 1){1'b0}};
    end
  endgenerate
  wire          aw_fire  = m_axi_awvalid && m_axi_awready;
  wire          b_fire   = m_axi_bvalid;             // bready = 1

  // ---- byte steering: gather beats into the pixel's word, store beats from the staging word
  wire signed [9:0] bpos_r = r_first ? -$signed({{(10-LB){1'b0}}, h_off}) : rbpos;
  wire [NA*8-1:0]   asm_r  = (r_first || c_first) ? {NA * 8{1'b0}} : asm_w;
  // the chunk under assembly: run positions cs_r .. ce_r; it ends in this beat (c_end), and the
  // next chunk's first byte follows in the same beat (c_hold: the beat is held a cycle)
  wire [8:0]         cs_r   = (r_first || WIDE == 0) ? 9'd0 : cs;
  wire [CW-1:0]      wo_r   = (r_first || WIDE == 0) ? {CW{1'b0}} : wo;
  // start of the next chunk (cs_r + c_kch) and whether the chunk ends the run (c_nxt >= cnt): at a
  // pixel's first beat from c_kch alone, later from the registers kept beside cs (clock proxy:
  // the adder and compare leave the return path, docs/timing.md)
  wire               r_zero = r_first || WIDE == 0;
  wire [9:0]         c_nxt  = r_zero ? {2'd0, c_kch} : cs_nx;
  wire               c_run  = r_zero ? ((ADDR_REGS != 0) ? c_run0 : (c_kch >= cnt)) : cs_run;
  wire [9:0]         c_nn   = {1'b0, c_nxt[8:0]} + {2'd0, c_kch};  // cs_nx once cs <= c_nxt
  wire signed [11:0] c_lim  = c_run ? $signed({4'd0, cnt}) : $signed({2'd0, c_nxt});
  // (at a pixel's first beat, B - h_off: kept in a queue beside the tags with ADDR_REGS, so the
  // tag-queue head's path has no negation and adder before the chunk-end compare; clock proxy,
  // 12 levels on the Ultra96 as tagq -> -h_off -> + B -> compare -> pop -> rd_fly, docs/timing.md)
  // (ADDR_REGS = 0, the iCE40's engine: one adder after the first-beat mux, fewer cells)
  wire signed [11:0] b_end  = (ADDR_REGS == 0) ? $signed({{2{bpos_r[9]}}, bpos_r}) + $signed({{(12-LB-1){1'b0}}, B32[LB:0]})
                            : r_first ? $signed({{(11-LB){1'b0}}, h_bend0})
                                      : $signed({{2{rbpos[9]}}, rbpos}) + $signed({{(12-LB-1){1'b0}}, B32[LB:0]});
  // (WIDE = 0: one chunk per pixel, written with the pixel's last beat as before)
  wire               c_end  = (WIDE == 0) ? (m_axi_rlast && h_last) : (c_lim <= b_end);  // last byte c_lim-1 < bpos + B
  wire               c_hold = (WIDE != 0) && c_end && !c_run && (c_lim < b_end);
  wire               r_hold = pix_cmd && c_hold;    // the head beat is held this cycle
  assign pop = (h_pad && (c_run || WIDE == 0)) || (r_beat && !r_hold && m_axi_rlast);
  reg [NA*8-1:0]   asm_next;
  reg [DATA_W-1:0] wd_c;
  reg [B-1:0]      ws_c;
  integer j;
  reg signed [9:0] li;
  reg signed [11:0] lc;
  always @(*) begin
    for (j = 0; j < NA; j = j + 1) begin
      lc = $signed({3'd0, cs_r}) + $signed(j[11:0]) - $signed({{2{bpos_r[9]}}, bpos_r});
      if (lc >= 0 && lc < $signed({2'd0, BS}) && j < c_kch && $signed({3'd0, cs_r}) + $signed(j[11:0]) < $signed({4'd0, cnt}))
        asm_next[j*8+:8] = m_axi_rdata[lc[LB-1:0]*8+:8];
      else asm_next[j*8+:8] = asm_r[j*8+:8];
    end
    for (j = 0; j < B; j = j + 1) begin
      li = bpos + $signed(j[9:0]);
      if (li >= 0 && li < $signed({2'd0, cnt}) && li < COLS_S) begin
        wd_c[j*8+:8] = stg_rdata[li[8:0]*8+:8];
        ws_c[j]      = 1'b1;
      end else begin
        wd_c[j*8+:8] = 8'd0;
        ws_c[j]      = 1'b0;
      end
    end
  end

  wire [ROW_BEATS*DATA_W-1:0]  wsr_next;
  wire [BIAS_BEATS*DATA_W-1:0] bsr_next;
  generate
    if (ROW_BEATS == 1) begin : g_w1
      assign wsr_next = m_axi_rdata;
    end else begin : g_wn
      assign wsr_next = {m_axi_rdata, wsr[ROW_BEATS*DATA_W-1:DATA_W]};
    end
    if (BIAS_BEATS == 1) begin : g_b1
      assign bsr_next = m_axi_rdata;
    end else begin : g_bn
      assign bsr_next = {m_axi_rdata, bsr[BIAS_BEATS*DATA_W-1:DATA_W]};
    end
  endgenerate
  wire [15:0] bpw = (c_cmd == 3'd2) ? BIAS_BEATS[15:0] : ROW_BEATS[15:0];

  // ---- AXI outputs
  assign m_axi_araddr  = ar_a;
  assign m_axi_arlen   = ar_lenm1;
  assign m_axi_arsize  = LB[2:0];
  assign m_axi_arburst = 2'b01;
  assign m_axi_arvalid = ((st == S_AR) || pix_ar) && can_push;
  assign m_axi_rready  = !h_pad && !(pix_cmd && c_hold);
  assign m_axi_awaddr  = cur_a;
  assign m_axi_awlen   = aw_lenm1;
  assign m_axi_awsize  = LB[2:0];
  assign m_axi_awburst = 2'b01;
  assign m_axi_awvalid = (st == S_AW) && (wr_fly < WR_OUT5);
  assign m_axi_wvalid  = (st == S_W);
  assign m_axi_wlast   = (st == S_W) && (bcnt + 9'd1 == blen);
  assign m_axi_bready  = 1'b1;
  assign stg_raddr     = idx[STG_AW-1:0];  // STG_AW = ACT_AW < CW
  always @(*) begin
    m_axi_wdata = wd_c;
    m_axi_wstrb = ws_c;
  end

  // g_beats_r in a block of its own, its two writes in front of the hold: the command's start
  // (from the inputs) and the cycles advance() runs in (the issue side below), so the carries
  // reach it through one choice, not the issue side's state and burst multiplexers (clock proxy)
  wire adv_now = (st == S_PIX) ? (pix_in ? (ar_fire && ar_last) : can_push)
                               : ((st == S_AR) && ar_fire && ar_last && pix_cmd);
  always @(posedge clk) begin
    if (st == S_IDLE && start) g_beats_r <= cy_start ? h1_cnt : h_cnt;
    else if (adv_now)          g_beats_r <= cy_adv ? rb_h1 : rb_h;
  end

  // ---- issue side: pixels, AR / AW bursts, W beats
  always @(posedge clk) begin
    if (!rst_n) begin
      st <= S_IDLE;
    end else begin
      case (st)
        S_IDLE: if (start) begin
          c_cmd   <= cmd;
          c_count <= count[CW-1:0];
          idx     <= {CW{1'b0}};
          p <= p0; q <= q0; ph <= ph0; qw <= qw0; x <= (cmd == 3'd4) ? {ADDR_W{1'b0}} : x0;
          g_addr_r <= base + gx0;
          cnt_m1   <= cnt - 8'd1;
          rb_h     <= h_cnt;
          rb_h1    <= h1_cnt;
          c_cstr   <= cstride;
          hh_r <= $signed({2'd0, ph0}) + hh_0; ww_r <= $signed({2'd0, qw0}) + ww_0;
          cur_a   <= {base[ADDR_W-1:LB], {LB{1'b0}}};
          rem     <= (cmd == 3'd2) ? BIAS_BEATS[15:0] : (cmd == 3'd5) ? TAB_BEATS[15:0]
                                             : count[15:0] * ROW_BEATS[15:0];
          pix_addr <= base;
          case (cmd)
            3'd0, 3'd4: st <= S_PIX;
            3'd3: st <= S_WPIX;
            default: st <= S_AR;
          endcase
        end
        S_PIX: begin
          if (pix_in) begin
            if (ar_fire) begin
              if (ar_last) begin
                idx <= idx + 1'b1;
                advance();
                if (last_pix) st <= S_DRAIN;
              end else begin
                cur_a   <= g_cur_nb;   // g_al + g_blen * B (g_sel is 0 here)
                rem     <= g_rem_nb;   // g_beats - g_blen
                pix_off <= g_off;
                st      <= S_AR;
              end
            end
          end else if (can_push) begin
            idx <= idx + 1'b1;
            advance();
            if (last_pix) st <= S_DRAIN;
          end
        end
        S_AR: if (ar_fire) begin
          cur_a <= cur_nb;
          rem   <= rem_nb;
          if (ar_last) begin
            if (pix_cmd) begin
              idx <= idx + 1'b1;
              advance();
              st <= last_pix ? S_DRAIN : S_PIX;
            end else begin
              st <= S_DRAIN;
            end
          end
        end
        S_DRAIN: if (rd_fly == 5'd0) st <= S_DONE;
        S_WPIX: begin
          cur_a <= {pix_addr[ADDR_W-1:LB], {LB{1'b0}}};
          rem   <= s_beats;
          bpos  <= -$signed({{(10-LB){1'b0}}, s_off});
          st    <= S_AW;
        end
        S_AW: if (aw_fire) begin
          blen  <= blen_c[8:0];
          bcnt  <= 9'd0;
          cur_a <= cur_nb;
          rem   <= rem_nb;
          st    <= S_W;
        end
        S_W: if (m_axi_wready) begin
          bpos <= bpos + BS;
          bcnt <= bcnt + 9'd1;
          if (bcnt + 9'd1 == blen) begin
            if (rem != 16'd0) begin
              st <= S_AW;
            end else begin
              idx      <= idx + 1'b1;
              pix_addr <= pix_addr + {{(ADDR_W-16){1'b0}}, cstr};
              st       <= last_pix ? S_BDRAIN : S_WPIX;
            end
          end
        end
        S_BDRAIN: if (wr_fly == 5'd0) st <= S_DONE;
        S_DONE: begin
          if (c_cmd == 3'd0) begin
            end_p <= p; end_q <= q; end_ph <= ph; end_qw <= qw; end_x <= x;
          end
          st    <= S_IDLE;
        end
        default: st <= S_IDLE;
      endcase
    end
  end

  // ---- the tag queue and the in-flight counts
  always @(posedge clk) begin
    if (!rst_n) begin
      t_head <= {TPW{1'b0}};
      t_tail <= {TPW{1'b0}};
      rd_fly <= 5'd0;
      wr_fly <= 5'd0;
    end else begin
      if (push) begin
        tagq[t_tail] <= {pad_push, ar_last, ar_off};
        t_tail <= t_tail + 1'b1;
      end
      if (pop) t_head <= t_head + 1'b1;
      rd_fly <= rd_fly + {4'd0, push} - {4'd0, pop};
      wr_fly <= wr_fly + {4'd0, aw_fire} - {4'd0, b_fire};
    end
  end

  // ---- return side: beats (and padded pixels) into the buffers, in tag order
  always @(posedge clk) begin
    act_we  <= 1'b0;
    stg_we  <= 1'b0;
    wb_we   <= 1'b0;
    bias_we <= 1'b0;
    tab_we  <= 1'b0;
    if (!rst_n) begin
      r_first <= 1'b1;
    end else if (st == S_IDLE && start) begin
      ridx    <= (cmd == 3'd0 && WIDE != 0) ? ridx0[CW-1:0] : {CW{1'b0}};
      r_first <= 1'b1;
      c_kch   <= (cmd == 3'd4 || WIDE == 0) ? cnt : kch;
      c_run0  <= (cmd == 3'd4 || WIDE == 0) || (kch >= cnt);
      c_wstr  <= wstride[CW-1:0];
      wbeat   <= 16'd0;
      widx    <= waddr0;
    end else if (h_pad) begin
      // a padded pixel: one word per chunk, one per cycle (a SKIP command never pads)
      act_we    <= 1'b1;
      act_waddr <= ridx[ACT_AW-1:0] + wo_r[ACT_AW-1:0];
      act_wdata <= {ROWS{pad_value}};
      if (c_run || WIDE == 0) begin
        ridx    <= ridx + 1'b1;
        r_first <= 1'b1;
      end else begin
        cs      <= c_nxt[8:0];
        cs_nx   <= c_nn;
        cs_run  <= (c_nn >= {2'd0, cnt});
        wo      <= wo_r + c_wstr;
        r_first <= 1'b0;
      end
    end else if (r_beat) begin
      if (pix_cmd) begin
        // the beat's bytes of the chunk under assembly; a chunk that ends here is written
        asm_w   <= asm_next;
        r_first <= 1'b0;
        c_first <= 1'b0;
        cs      <= cs_r;
        cs_nx   <= c_nxt;
        cs_run  <= c_run;
        wo      <= wo_r;
        if (!r_hold) rbpos <= bpos_r + BS;
        else rbpos <= bpos_r;
        if (c_end) begin
          if (skip_cmd) begin
            stg_we    <= 1'b1;
            stg_waddr <= ridx[STG_AW-1:0];
            stg_wdata <= asm_next[COLS*8-1:0];
          end else begin
            act_we    <= 1'b1;
            act_waddr <= ridx[ACT_AW-1:0] + wo_r[ACT_AW-1:0];
            act_wdata <= asm_next[ROWS*8-1:0];
          end
          cs      <= c_nxt[8:0];
          cs_nx   <= c_nn;
          cs_run  <= (c_nn >= {2'd0, cnt});
          wo      <= wo_r + c_wstr;
          c_first <= 1'b1;
        end
        if (!r_hold && m_axi_rlast && h_last) begin
          ridx      <= ridx + 1'b1;
          r_first   <= 1'b1;
        end
      end else if (c_cmd == 3'd5) begin
        tab_we    <= 1'b1;
        tab_waddr <= wbeat[7:0];
        tab_wdata <= m_axi_rdata;
        wbeat     <= wbeat + 16'd1;
      end else begin
        wsr <= wsr_next;
        bsr <= bsr_next;
        if (wbeat + 16'd1 == bpw) begin
          wbeat <= 16'd0;
          if (c_cmd == 3'd2) begin
            bias_we    <= 1'b1;
            bias_wdata <= bsr_next[COLS*32-1:0];
          end else begin
            wb_we    <= 1'b1;
            wb_waddr <= widx;
            wb_wdata <= wsr_next[COLS*8-1:0];
            widx     <= widx + 1'b1;
          end
        end else begin
          wbeat <= wbeat + 16'd1;
        end
      end
    end
  end

  assign done = (st == S_DONE);
  wire unused_ok = &{1'b0, m_axi_bresp, m_axi_rresp, wsr, bsr, count[31:16], ridx0, wstride, b4k[16], blen_c[15:9], g_b4k[16], g_blen[15:8], g_e4k[11:0]};
endmodule
`default_nettype wire
