// controller: runs the tile program (docs/engine.md). Reads one 832-bit descriptor per layer from
// the program memory (loaded by $readmemh when PROG_INIT = 1, or, with PROG_INIT = 0, written while idle through
// the prog_we port in 32-bit words: the SoC top fetches the program from DRAM that way), runs the loops g / M tile / reduction tile (r, s, ct) / output tile,
// issues DMA commands and sequences the array, accumulate and requantization passes itself. Every
// pass has a fixed length computed from the descriptor and the parameters (WS without
// DOUBLE_BUFFER: k_chunk + mt + LAT + 2, LAT = ROWS + COLS - 1 (PACK = 2: ROWS + COLS); OS: ceil(mt/ROWS)*(3*ROWS + COLS + k_chunk); accumulate mt + 4; requantize
// mt + 4), so the cycle count is a closed function of the program and the DRAM timing.
// With DOUBLE_BUFFER the weight block of output tile nt+1 loads into the other bank while the
// array computes tile nt; on the WS array the passes of one reduction tile also run back to back:
// pass nt+1's rows shift into the other PE weight bank while pass nt streams, its pixels follow
// pass nt's last pixel (stalling only for its weight block or for its bank, see docs/engine.md),
// and each output's accumulator address and op ride a delay line of LAT+1 stages beside the
// array. A GEMM with a fused residual add (descriptor bit 6) reads the skip operand's tile into
// the staging buffer after the bias (C_LS), and its requantization pass feeds each output and
// the skip byte of the same position through residual_add (mt + 7 cycles). Reports layer_done / layer_idx / layer_cycles per layer.
// A wide gather (descriptor ct_group > 1) reads the channel run of ct_group reduction tiles of a
// tap once, at the group's first tile; the group's later tiles read their words at gi * mt; with
// overlapped gathers the next group's run comes in pieces, one behind each tile of the group.
// No multiplier: the descriptor carries the pixel count and the address steps (words 16..23),
// the tile loops keep running sums, and the gather's position at the end of an M tile (from the
// DMA) starts the next one.
// With MUL = 1 an add descriptor with mul (w14[6]) is the elementwise Mul: one accumulate pass of
// operand a (the identity), then the fused add's path (C_LS, residual_add) in multiply mode with
// the skip operand b; with broadcast (w14[5]) b is one pixel per image, read at stride 0.
`default_nettype none
module controller #(
    parameter ROWS          = 4,
    parameter COLS          = 4,
    parameter DATAFLOW      = 0,
    parameter ACT_DEPTH     = 256,
    parameter ACC_DEPTH     = 1024,
    parameter DOUBLE_BUFFER = 0,
    parameter PACK          = 1,   // the WS array's PACK: 2 adds a cycle to its latency (LAT, systolic_ws)
    parameter WSKEW         = 0,   // the WS array's skewed weight loads: a bank is free ROWS - 1 cycles after its last pixel
    parameter W_GROUP       = 1,   // WS + DOUBLE_BUFFER: weight blocks per LOAD_W stream (1, 2, 4, 8, 16)
    parameter FUSE_ADD      = 1,
    parameter MUL           = 0,   // 1: add descriptors with mul (w14[6]) run the elementwise Mul
    parameter ACT           = 0,   // 0 ReLU only, 1 + clamp pair, 2 + activation table (vector_unit)
    parameter WIDE_GATHER   = 1,   // 0: ct_group is taken as 1 (no wide-gather logic)
    parameter POOL_DEPTH    = 0,   // pool_unit's line buffer words; 0: no fused max pool (fuse_pool ignored)
    parameter DW            = 0,   // 1: depthwise descriptors (op 5) run on dw_unit; 0: op 5 is not built
    parameter DW_LW         = 6,   // log2 of dw_unit's row slot (words): the gather's chunk stride
    parameter DW_SW         = 2,   // log2 of dw_unit's row slots
    parameter SOFTMAX       = 0,   // 1: softmax descriptors (op 6) run their rows through softmax_unit
    parameter DATA_W        = 64,
    parameter ADDR_W        = 32,
    parameter PROG_DEPTH    = 64,
    parameter PROG_FILE     = "program.hex",
    parameter PROG_INIT     = 1,   // 1: $readmemh(PROG_FILE) at time 0; 0: the memory starts empty
    parameter ACT_AW        = (ACT_DEPTH > 1) ? $clog2(ACT_DEPTH) : 1,
    parameter ACC_AW        = (ACC_DEPTH > 1) ? $clog2(ACC_DEPTH) : 1,
    parameter WB_DEPTH      = (DOUBLE_BUFFER != 0) ? ((DATAFLOW == 0) ? 2 * W_GROUP * ROWS : 2 * ROWS) : ROWS,
    parameter WB_AW         = (WB_DEPTH > 1) ? $clog2(WB_DEPTH) : 1,
    parameter PROG_AW       = (PROG_DEPTH > 1) ? $clog2(PROG_DEPTH) : 1,
    parameter LB_AW         = (POOL_DEPTH > 1) ? $clog2(POOL_DEPTH) : 1
) (
    input  wire              clk,
    input  wire              rst_n,
    input  wire              start,
    // stop: sampled when a descriptor is decoded; high, the program ends there as if it were End
    // (the layer in progress runs to its end first, so every AXI transaction it started completes)
    input  wire              stop,
    // program memory write port (use while idle): word w of descriptor prog_waddr is written with
    // prog_wdata[32w+31:32w] where prog_wmask[w] is set
    input  wire              prog_we,
    input  wire [15:0]       prog_waddr,
    input  wire [25:0]       prog_wmask,
    input  wire [831:0]      prog_wdata,
    output wire              busy,
    output reg               done,
    output reg               layer_done,
    output reg  [15:0]       layer_idx,
    output reg  [31:0]       layer_cycles,
    // DMA
    output reg               dma_start,
    output reg  [2:0]        dma_cmd,
    input  wire              dma_done,
    output reg  [ADDR_W-1:0] dma_base,
    output reg  [31:0]       dma_count,
    output wire [15:0]       dma_p0,
    output wire [15:0]       dma_q0,
    output wire [17:0]       dma_ph0,
    output wire [17:0]       dma_qw0,
    output wire [ADDR_W-1:0] dma_x0,
    output wire [15:0]       dma_roff,
    output wire [15:0]       dma_soff,
    output reg  [7:0]        dma_cnt,
    output wire [7:0]        dma_kch,      // gather: bytes per activation-buffer word (k_chunk)
    output reg  [15:0]       dma_ridx0,    // gather: buffer word of its first pixel
    output reg  [15:0]       dma_wstride,  // gather: words from one chunk of a pixel to the next
    output wire [7:0]        dma_pad_value,
    output reg  [WB_AW-1:0]  dma_waddr0,
    output wire [15:0]       g_in_h,
    output wire [15:0]       g_in_w,
    output wire [15:0]       g_out_p,
    output wire [15:0]       g_out_q,
    output wire [7:0]        g_stride_h,
    output wire [7:0]        g_stride_w,
    output wire [7:0]        g_pad_t,
    output wire [7:0]        g_pad_l,
    output wire [15:0]       g_cstride,
    output wire [ADDR_W-1:0] g_q_step,
    output wire [ADDR_W-1:0] g_row_step,
    output wire [ADDR_W-1:0] g_img_step,
    input  wire [15:0]       end_p,
    input  wire [15:0]       end_q,
    input  wire [17:0]       end_ph,
    input  wire [17:0]       end_qw,
    input  wire [ADDR_W-1:0] end_x,
    // buffers and datapath
    output reg  [ACT_AW-1:0] act_raddr,
    output wire              act_rbank,   // activation-buffer bank read (overlapped gathers)
    output reg               act_wbank,   // ... and written by the gather under way
    output reg  [WB_AW-1:0]  wb_raddr,
    output reg               ws_w_shift,
    output reg               ws_w_bank,
    output reg               ws_in_valid,
    output reg               ws_a_bank,
    input  wire              ws_out_valid,
    input  wire              wb_wr,       // the DMA writes a weight-buffer row (weight streams)
    output reg               os_ld,
    output reg  [$clog2(ROWS+1)-1:0] os_ld_row,
    output reg               os_step,
    output reg               os_first,
    output reg               os_drain,
    output reg               acc_valid,
    output reg  [1:0]        acc_op,
    output reg  [ACC_AW-1:0] acc_addr,
    output wire              acc_sel_pre,
    output reg  [ACC_AW-1:0] acc_raddr,
    output wire [15:0]       pre_scale,
    output wire              pre_sel,
    output wire              bias_en,
    output wire [15:0]       vec_mult,
    output wire [4:0]        vec_shift,
    output wire              vec_relu,
    output reg               stg_we,
    output reg  [ACT_AW-1:0] stg_waddr,
    // fused residual add: the requantization pass reads the skip operand from staging
    output wire              stg_rsel,    // the staging read port is the controller's
    output reg  [ACT_AW-1:0] stg_raddr,
    output wire              add_fused,   // staging takes residual_add's output
    output wire [15:0]       add_mult_y,
    output wire [15:0]       add_mult_skip,
    output wire [4:0]        add_shift,
    output wire              add_relu,
    output wire              add_mul,     // residual_add in multiply mode
    // activations (descriptor words 24..25): the clamp pair and the table, loaded by LOAD_T (C_LT)
    output wire              vec_clamp_en,
    output wire [7:0]        vec_clamp_lo,
    output wire [7:0]        vec_clamp_hi,
    output wire              vec_lut_en,
    // fused max pool (descriptor fuse_pool, pool_unit): each requantized pixel's position, in the
    // cycle its int8 output leaves the vector unit, and the line buffer word of its column
    output reg               pool_clr,
    output reg               pool_v,
    output reg               pool_first,
    output reg               pool_rodd,
    output reg               pool_cfirst,
    output reg               pool_codd,
    output reg  [LB_AW-1:0]  pool_addr,
    // depthwise unit (DW = 1, docs/engine.md#depthwise-unit-dw_unit): the layer's activation and
    // weight writes go to it (dw_sel, dw_wl), the row slot and column offset of the gather under
    // way, a row's start and its outputs (dw_out_v, one per output column, into accumulator word q)
    output wire              dw_sel,
    output wire              dw_wl,
    output reg  [DW_SW-1:0]  dw_slot,
    output reg  [3:0]        dw_coff,
    output reg               dw_start,
    output wire [15:0]       dw_h0,
    output wire [7:0]        dw_r,
    output wire [7:0]        dw_s,
    input  wire              dw_out_v,
    // softmax unit (SOFTMAX = 1, docs/engine.md#softmax-on-the-engine): after a softmax
    // descriptor's accumulate passes, each row (pixel ri of the M tile, its channel tiles in
    // accumulator words ct * m_tile + ri) is read into the unit (row_ld one cycle after the read's
    // address: the engine registers it once more, beside the accumulator's data), run (row_go)
    // and its output words written back in place while the unit emits them (row_sel, row_out_v)
    output wire              row_sel,
    output reg               row_clr,
    output reg               row_ld,
    output reg  [15:0]       row_ldaddr,
    output reg  [15:0]       row_rem,     // codes of the row from word row_ldaddr on
    output reg               row_go,
    output wire [15:0]       row_n,
    output wire [15:0]       row_mult,
    output wire [4:0]        row_shift,
    input  wire              row_out_v,
    input  wire              row_done
);
  localparam B          = DATA_W / 8;
  localparam ROW_BYTES  = ((COLS + B - 1) / B) * B;
  localparam BIAS_BYTES = ((4 * COLS + B - 1) / B) * B;
  localparam [31:0] ACC4 = 4, ACT4 = 4;
  // pass counters: a pass is at most k_chunk (< 256) + m_tile (<= ACT_DEPTH) + 3 ROWS + COLS + 4
  // (and wide enough to index the accumulator)
  localparam PW0 = $clog2(ACT_DEPTH + 3 * ROWS + COLS + 264);
  localparam PW = (PW0 > ACC_AW) ? PW0 : ACC_AW;
  localparam [31:0] ROWS32 = ROWS, COLS32 = COLS;
  localparam [PW-1:0] ROWS_P = ROWS32[PW-1:0], COLS_P = COLS32[PW-1:0], P3 = 3, P4 = 4, P6 = 6, P7 = 7;
  // the WS pass length k + mt + ROWS + COLS + 1 = k + mt + LAT + 2 adds PACK = 2's cycle to the
  // COLS constant (the same adders as without it: the iCE40's engine is short of logic cells)
  localparam [31:0] COLSX32 = COLS + ((PACK == 2) ? 1 : 0);
  localparam [PW-1:0] COLSX_P = COLSX32[PW-1:0];
  localparam [31:0] ACT3 = 3, ACT7 = 7;
  localparam OP_GEMM = 4'd1, OP_MAX = 4'd2, OP_ADD = 4'd4;  // 3 = average pool

  // state register: 5 bits; 6 with the softmax unit's two row states (so an engine without it
  // keeps its state register and decoders, which the iCE40's logic cells cannot spare)
  localparam SW = (SOFTMAX != 0) ? 6 : 5;
  localparam [SW-1:0] C_IDLE = 0, C_FETCH = 1, C_DECODE = 2, C_SETUP = 3, C_MT = 4,
             C_LA = 5, C_LA_W = 6, C_LW = 7, C_LW_W = 8, C_CP = 9,
             C_CP_W = 10, C_ACC = 11, C_KN = 12, C_OUT = 13, C_LB = 14,
             C_LB_W = 15, C_VEC = 16, C_ST = 17, C_ST_W = 18, C_JN = 19,
             C_MN = 20, C_GN = 21, C_LD = 22, C_END = 23, C_LS = 24,
             C_LS_W = 25, C_LT = 26, C_LT_W = 27,
             C_PF_W = 28, C_DW = 29, C_DWL = 30, C_DWL_W = 31;
  localparam [5:0] C_RL6 = 6'd32, C_RG6 = 6'd33;
  localparam [SW-1:0] C_RL = C_RL6[SW-1:0], C_RG = C_RG6[SW-1:0];  // (SOFTMAX = 1 only)

  // ---- program memory
  reg [831:0] prog[0:PROG_DEPTH-1];
  generate
    if (PROG_INIT != 0) begin : g_prog_init
      initial $readmemh(PROG_FILE, prog);
    end
  endgenerate
  // the write port exists only where the program is written (PROG_INIT = 0, the SoC top's fetch):
  // a ROM engine keeps its program memory a ROM (on the iCE40 the port alone cost ~100 LCs)
  generate
    if (PROG_INIT == 0) begin : g_prog_write
      integer pw;
      always @(posedge clk)
        if (prog_we)
          for (pw = 0; pw < 26; pw = pw + 1)
            if (prog_wmask[pw]) prog[prog_waddr[PROG_AW-1:0]][pw*32 +: 32] <= prog_wdata[pw*32 +: 32];
    end else begin : g_prog_rom
      wire unused_prog_w = &{1'b0, prog_we, prog_wmask, prog_wdata};
    end
  endgenerate
  reg [831:0] prog_q;             // read in C_FETCH, held for the whole layer
  wire [831:0] d = prog_q;         // current descriptor
  wire [3:0]  d_op      = d[3:0];
  wire        d_relu    = d[4];
  wire        d_bias    = d[5];
  wire [7:0]  d_pad     = d[15:8];
  wire [15:0] d_mtile   = d[31:16];
  wire [31:0] d_in      = d[63:32];
  wire [31:0] d_in2     = d[95:64];
  wire [31:0] d_wbase   = d[127:96];
  wire [31:0] d_bbase   = d[159:128];
  wire [31:0] d_out     = d[191:160];
  wire [15:0] d_groups  = d[287:272];
  generate
    if (ADDR_W < 32) begin : g_aw
      // addresses narrower than the descriptor's 32-bit fields (the iCE40 top: 17 bits): the high
      // bits of the address and address-step fields are not read
      wire unused_aw = &{1'b0, d_in[31:ADDR_W], d_in2[31:ADDR_W], d_out[31:ADDR_W], d_wbase[31:ADDR_W],
                         bb_0[31:ADDR_W], st_taps[31:ADDR_W], st_kc[31:ADDR_W], st_gr[31:ADDR_W], st_bias[31:ADDR_W],
                         d[575:544+ADDR_W], d[607:576+ADDR_W], d[639:608+ADDR_W], d[671:640+ADDR_W],
                         d[703:672+ADDR_W], d[735:704+ADDR_W], d[767:736+ADDR_W]};
    end
  endgenerate
  wire [15:0] d_incs    = d[303:288];
  wire [15:0] d_outcs   = d[319:304];
  wire [15:0] d_cg      = d[335:320];
  wire [15:0] d_kg      = d[351:336];
  wire [7:0]  d_r       = d[359:352];
  wire [7:0]  d_s       = d[367:360];
  wire [7:0]  d_dilh    = d[391:384];
  wire [7:0]  d_dilw    = d[399:392];
  wire [15:0] d_mult    = d[431:416];
  wire [15:0] d_multb   = d[447:432];
  wire [4:0]  d_shift   = d[452:448];
  wire [7:0]  d_kchunk  = d[463:456];
  wire [PW-1:0] kchunk_p = {{(PW-8){1'b0}}, d_kchunk};  // zero-extended: ACT_AW, WB_AW may exceed 8
  wire [7:0]  d_nchunk  = d[471:464];
  // wide gather: one gather per ct_group channel tiles of a tap (0 counts as 1), reading their
  // grun = ct_group * k_chunk channel bytes as one run; the tiles after a group's first read
  // their words (tile gi at gi * mt) without a gather
  wire [7:0]  d_ctg     = (WIDE_GATHER != 0) ? d[479:472] : 8'd1;
  wire [7:0]  d_grun    = d[815:808];
  wire        wide      = (d_ctg > 8'd1);
  // registered (the descriptor is held from C_FETCH on; grun is first used in the tile loops), so
  // the overlapped gather's dma_cnt does not start at the ct_group compare (clock proxy)
  // (WIDE_GATHER = 0, the iCE40's engine, short of logic cells: grun is k_chunk, no register)
  reg  [7:0]  grun_r;
  always @(posedge clk) grun_r <= wide ? d_grun : d_kchunk;
  wire [7:0]  grun = (WIDE_GATHER != 0) ? grun_r : d_kchunk;
  wire [15:0] d_gpiece  = d[831:816];   // ceil(m_tile / ct_group): pixels of one overlapped piece
  wire [15:0] d_nct     = d[495:480];
  wire [15:0] d_nnt     = d[511:496];
  wire [31:0] d_M       = d[543:512];   // batch * out_p * out_q
  wire [ADDR_W-1:0] d_win0  = d[640+:ADDR_W];  // tap offset of (r, s) = (0, 0)
  wire [ADDR_W-1:0] d_sstep = d[672+:ADDR_W];  // tap offset step to the next s
  wire [ADDR_W-1:0] d_rstep = d[704+:ADDR_W];  // ... from the last s to the next r
  wire [ADDR_W-1:0] d_mstep = d[736+:ADDR_W];  // store address step to the next M tile
  wire        is_gemm   = (d_op == OP_GEMM);
  // depthwise on dw_unit (op 5, DW = 1): word 13's upper half holds R*S (the weight rows), the
  // taps s = pad_l .. pad_l + sk - 1 whose gathers fill a row, and the first r gathered after an
  // image's first output row (R - stride_h: the rows the previous window did not hold)
  wire        is_dw     = (DW != 0) && (d_op == 4'd5);
  // softmax (op 6, SOFTMAX = 1): a 1x1 identity pool whose accumulated rows softmax_unit rewrites
  // in place before the output tiles; its rescale in words 24 / 25 (mult, shift), n = cg
  wire        is_row    = (SOFTMAX != 0) && (d_op == 4'd6);
  wire [ACC_AW-1:0] ri_next;
  assign row_sel   = (SOFTMAX != 0) && (st == C_RG);
  assign row_n     = d_cg;
  assign row_mult  = d[783:768];
  assign row_shift = d[804:800];
  wire [7:0]  d_taps    = d[439:432];
  wire [3:0]  d_dsk     = d[443:440];
  wire [3:0]  d_drf     = d[447:444];
  // elementwise Mul (MUL = 1): an add descriptor with mul, its skip per image with broadcast
  wire        mulm      = (MUL != 0) && (FUSE_ADD != 0) && (d_op == OP_ADD) && d[454];
  wire        bcast     = mulm && d[453];
  wire        fuse      = (is_gemm | mulm) & d[6] & (FUSE_ADD != 0);  // residual add in the output path
  // the activation table (ACT = 2, bit 825): loaded once per layer from bias_base (the bias blocks
  // follow it, 256 bytes on), and one more vector stage in the requantization pass
  wire        lut       = (ACT >= 2) && d[807];
  wire [PW-1:0] lut_p   = {{(PW-1){1'b0}}, lut};
  wire [ACT_AW-1:0] lut_a = {{(ACT_AW-1){1'b0}}, lut};
  // fused 3x3/2 max pool (w14[7]): the requantized outputs go through pool_unit (2 stages), which
  // writes the completed pool pixels to staging; the store writes mt/4 of them at the pool's place
  wire        fpool     = is_gemm & d[455] & (POOL_DEPTH != 0);
  wire [PW-1:0] vec_len = mt + (fuse ? P7 : fpool ? P6 : P4) + lut_p; // requantization pass (+ residual_add's 3 or pool_unit's 2 stages, + table)
  // The registers placed for the clock proxy below (branch ctl300) exist on tile-overlap engines
  // (WS, DOUBLE_BUFFER, wide gather: the Ultra96's), whose clock the logic-depth proxy gives; the
  // others (the iCE40's, its clock from nextpnr and its logic cells counted) keep the computed form.
  localparam XR = ((DOUBLE_BUFFER != 0) && (DATAFLOW == 0) && (WIDE_GATHER != 0)) ? 1 : 0;
  // the requantization pass's length, registered (clock proxy: d -> fpool -> the add -> pc + 1 ==
  // vec_len -> the st enable was the controller's deepest path, 9-10 levels): mt is set in C_MT and
  // the descriptor in C_FETCH, C_VEC comes many cycles later
  reg  [PW-1:0] vec_len_r;
  always @(posedge clk) vec_len_r <= vec_len;
  wire [PW-1:0] vec_end = (XR != 0) ? vec_len_r : vec_len;

  assign g_in_h     = d[207:192];
  assign g_in_w     = d[223:208];
  assign g_out_p    = d[239:224];
  assign g_out_q    = d[255:240];
  assign g_stride_h = d[375:368];
  assign g_stride_w = d[383:376];
  assign g_pad_t    = d[407:400];
  assign g_pad_l    = d[415:408];
  assign dma_pad_value = d_pad;
  assign g_q_step   = d[544+:ADDR_W];
  assign g_row_step = d[576+:ADDR_W];
  assign g_img_step = d[608+:ADDR_W];

  // ---- loop state
  reg [SW-1:0] st;
  reg [31:0] cyc;            // cycles of the current layer so far
  reg [15:0] g;
  reg [31:0] m_left;         // output pixels from M tile m0 on (M - m0)
  reg [PW-1:0] mt;
  reg [15:0] p0r, q0r;        // gather position of the M tile's first pixel m0: p, q ...
  reg [17:0] ph0r, qw0r;      // ... p * stride_h, q * stride_w ...
  reg [ADDR_W-1:0] x0r;       // ... and its byte offset (dma_axi)
  reg [ADDR_W-1:0] tap;       // byte offset of the window tap (r, s)
  reg [ADDR_W-1:0] mstore;    // store offset of M tile m0: m0 * out_cstride
  reg [7:0]  r, s;
  reg [15:0] ct, nt, j;
  reg [7:0]  gi;             // wide gather: the tile's index in its channel group
  reg [ACT_AW-1:0] aoff;     // ... and the activation-buffer word of its first pixel (gi * mt)
  reg [15:0] roff, soff, coff, gbase_c, gbase_k, ocoff;
  // weight and bias pointers at the address width (17 bits on the iCE40 top: narrower adders);
  // the byte steps are formed at 32 bits as before and their low ADDR_W bits added
  reg [ADDR_W-1:0] wptr, wptr_g, bptr, bptr_g;
  wire [31:0] st_taps = d_taps * ROW_BYTES;
  wire [31:0] st_kc   = d_kchunk * ROW_BYTES;
  wire [31:0] st_gr   = g_rows * ROW_BYTES;
  wire [31:0] st_bias = BIAS_BYTES;
  wire [31:0] bb_0    = d_bbase + (lut ? 32'd256 : 32'd0);
  reg [ACC_AW-1:0] rb, vrb;   // accumulator region bases
  reg [ACC_AW-1:0] ct_base;   // pool / add: accumulator region of channel tile ct (ct * m_tile)
  reg        bank;
  reg [PW-1:0] pc;           // cycle within a pass
  reg [PW-1:0] pl;           // length of the pass
  reg [PW-1:0] wcnt;         // array outputs accumulated in this pass
  reg        dma_seen;       // double buffering: overlapped weight load finished
  reg        ovl;            // double buffering: a weight load runs beside this pass
  reg [15:0] vp, vq;         // fused pool: output row / column of the pixel the pass hands on
  reg [LB_AW-1:0] lbase;     // ... and the line buffer word of column 0 of output tile j (j * Q)
  reg [7:0]  dw_rf;          // depthwise: the first window row this M tile gathers
  reg [15:0] dwq;            // ... and the outputs of its row received
  reg [PW-1:0] ri;           // softmax: the row (pixel of the M tile) in the unit
  reg [ACC_AW-1:0] rla, rwa; // ... the accumulator word of its next read / write (+= m_tile)
  assign ri_next = ri[ACC_AW-1:0] + 1'b1;

  // ---- back-to-back WS passes (DOUBLE_BUFFER, DATAFLOW 0); decision cycle c drives the buffer
  // read addresses, c+1 the array's shift / valid inputs, c+2 the array (docs/engine.md)
  localparam LAT = ROWS + COLS - 1 + ((PACK == 2) ? 1 : 0);  // systolic_ws's LAT
  localparam BLAT = (WSKEW != 0) ? ROWS : LAT;  // the bank rule's latency (systolic_ws WSKEW)
  localparam [31:0] BFREE32 = BLAT - 2, DRAIN32 = LAT + 1;
  localparam [8:0] BFREE = BFREE32[8:0];  // a bank's last pixel decision to its first reload - 1
  localparam [8:0] DRAIN = DRAIN32[8:0];  // the last pixel decision to the last accumulator issue
  reg [15:0] l_nt;           // the pass whose weight rows load (passes below it are loaded)
  reg        l_on;           // a load is under way
  reg [7:0]  lr;             // its next row
  reg [8:0]  bc0, bc1;       // cycles until PE bank 0 / 1 may be reloaded
  reg [8:0]  drn;            // cycles until the last output of the reduction tile is issued
  reg [PW-1:0] sp;           // pixel of pass nt that streams next
  reg        ld_d, ldb_d;    // weight row read issued last cycle, its bank
  reg        px_d, pxb_d, pxo_d;  // pixel read issued last cycle, its bank, its op (1 = add)
  reg [ACC_AW-1:0] pxa_d;    // its accumulator address
  // ---- overlapped gathers (same condition): the gather of reduction tile kt+1 runs into the
  // other activation bank while tile kt's passes stream, issued once tile kt's last weight block
  // has arrived (the DMA runs one command at a time); its indices advance when it is issued
  reg        abank;          // activation bank the passes read
  reg        w_last;         // the tile's last weight block has been issued
  reg        wq;             // a weight block is outstanding
  reg        pf;             // a piece of the next group's gather was issued in this tile
  reg        g_done;         // ... and has finished
  reg        dchain;         // the gather continues the previous one's position (end_*)
  reg [15:0] g_roff, g_soff; // the window offsets of the tap being gathered
  reg [15:0] g_coff;         // wide gather: channel offset of the current group's first tile
  reg [PW-1:0] pstart;       // first pixel of the piece this tile gathers (gi * g_piece)
  reg        fk;             // first_kt of the tile whose passes stream
  reg [LAT:0] dl_v, dl_o;    // delay line beside the array: valid, op ...
  reg [(LAT+1)*ACC_AW-1:0] dl_a;  // ... and accumulator address, stage LAT = the array output
  // ---- weight streams (docs/engine.md#weight-streams): block 0 of a reduction tile comes alone
  // (C_LW), blocks 1.. in groups of up to W_GROUP, one LOAD_W command each, into the two halves
  // of the weight buffer (W_GROUP * k_chunk rows each; block 0 in half 0, group i in half i mod
  // 2). Group 1 is issued with pass 0's load, group i+1 once group i's command is done and group
  // i's first pass has begun loading (no pass reads the half it overwrites any more). A
  // pass loads once its own block is complete in the buffer (rows counted as the DMA writes them).
  localparam WG_LOG = (W_GROUP > 1) ? $clog2(W_GROUP) : 0;
  localparam [31:0] WG32 = W_GROUP;
  localparam [4:0] WGP = WG32[4:0];
  reg [4:0]  l_gp;           // position of pass l_nt in its group (1..W_GROUP; pass 0: W_GROUP)
  reg        l_h;            // half of the weight buffer pass l_nt reads
  reg [WB_AW-1:0] l_sb;      // its block's first word
  reg [15:0] wblk;           // blocks of the tile issued so far
  reg [15:0] wfirst;         // first block of the last group issued
  reg        wi_h;           // its half
  reg [15:0] w_in_b;         // blocks complete in the weight buffer (block 0 counts from C_CP)
  reg [7:0]  w_in_r;         // rows of the next block written
  wire [WB_AW+7:0] kch_x = {{WB_AW{1'b0}}, d_kchunk};   // (WB_AW may exceed 8 bits)
  wire [WB_AW+7:0] lr_x  = {{WB_AW{1'b0}}, lr};
  wire [WB_AW-1:0] kch_w  = kch_x[WB_AW-1:0];
  wire unused_wx = &{1'b0, kch_x[WB_AW+7:WB_AW], lr_x[WB_AW+7:WB_AW], pc_x[WB_AW+PW-1:WB_AW], gc_x[WB_AW+PW-1:WB_AW]};
  wire [WB_AW-1:0] gk     = kch_w << WG_LOG;   // words of one half
  wire       bb2b     = (DOUBLE_BUFFER != 0) && (DATAFLOW == 0);
  wire [WB_AW-1:0] l_base = l_sb;
  wire       l_bfree  = l_nt[0] ? (bc1 == 9'd0) : (bc0 == 9'd0);
  wire       cp0      = (pc == {PW{1'b0}});   // first cycle of the reduction tile's passes
  // tile overlap (docs/engine.md#tile-overlap; not on the iCE40, WIDE_GATHER = 0, short of logic
  // cells): a reduction tile other than its M tile's last leaves C_CP once its last pixel is
  // decided; the delay line drains beside the next tile's C_KN / C_LW, whose pass 0 waits for PE
  // bank 0 (bc0, in C_LW_W) and pass 1 for bank 1 (bc1, kept across tiles). kt_last is registered: the
  // indices hold from C_KN to the next C_KN, and C_CP's exit is never its first cycle.
  wire       tovl     = bb2b && (WIDE_GATHER != 0);
  reg        kt_last;
  reg        lw_seen;        // block 0's LOAD_W is done (C_LW_W waits for PE bank 0)
  // a load starts: pass 0 in the first cycle, pass l_nt when its block arrived (dma_seen), pass
  // l_nt-2 has streamed (nt >= l_nt-1) and its bank's last pixel is LAT-1 cycles in (l_bfree)
  // (a pass after its group's first finds its block in: the group arrived as one command)
  wire       l_go     = cp0 || (!l_on && (l_nt < d_nnt) && (w_in_b > l_nt) && (nt + 16'd1 >= l_nt) && l_bfree);
  wire [15:0] l_gnt   = cp0 ? 16'd0 : l_nt;
  wire [WB_AW-1:0] l_gbase = cp0 ? {WB_AW{1'b0}} : l_sb;
  // the pass starting to load (l_gnt): its group position and half; the next pass's words
  wire [4:0]  cur_gp  = cp0 ? WGP : l_gp;
  wire        cur_h   = cp0 ? 1'b0 : l_h;
  wire        cur_end = (cur_gp == WGP);                // the pass ends its group (pass 0 does)
  wire [4:0]  nxt_gp  = cur_end ? 5'd1 : cur_gp + 5'd1;
  wire        nxt_h   = cur_end ? ~cur_h : cur_h;
  wire [WB_AW-1:0] nxt_sb = cur_end ? (cur_h ? {WB_AW{1'b0}} : gk) : l_gbase + kch_w;
  // the group issued when a group's first pass starts: the next up to W_GROUP blocks. Its size,
  // rows and whether it ends the tile are registered for both cases where the wide gather's
  // registers are (clock proxy: pc -> cp0 -> subtract -> min -> add -> compare into w_last was 15
  // levels): pass 0's group (cp0) starts at block 1 and depends on the descriptor only; a later
  // group starts at wblk, which changes only when a group is issued (wq set). A group ends the
  // tile iff the blocks left after its start are at most W_GROUP. Each register takes two cycles
  // (d_nnt - 1 or d_nnt - wblk and its test against W_GROUP, then the count and rows from them;
  // subtract -> min -> shift-add in one cycle was 18 levels on the 16x32 Ultra96 designs, wblk ->
  // gr_next and d -> gr_first): the descriptor is read in C_FETCH and first used in C_CP, after
  // C_DECODE, C_SETUP and C_MT at least; the next group is issued (wi_go needs !wq) after this
  // command's dma_done, at the earliest four cycles after the issue (the DMA takes the start,
  // issues the read, receives its beats and drains), so the registers hold the current values
  // whenever they are used: same cycles. Below W_GROUP the blocks left fit in WG_LOG bits: the
  // rows are at most WG_LOG shifted copies of k_chunk, a full group's k_chunk << WG_LOG.
  function automatic [15:0] grp_cnt(input [15:0] left);
    grp_cnt = (left >= {11'd0, WGP}) ? {11'd0, WGP} : left;
  endfunction
  function automatic [15:0] grp_rows(input [15:0] cnt, input [7:0] kch);  // cnt * kch, cnt <= 16
    integer b;
    begin
      grp_rows = 16'd0;
      for (b = 0; b < 5; b = b + 1)
        if (cnt[b]) grp_rows = grp_rows + ({8'd0, kch} << b);
    end
  endfunction
  wire [15:0] cur_wb  = cp0 ? 16'd1 : wblk;
  wire [15:0] wb_left = d_nnt - cur_wb;
  wire [15:0] left1   = d_nnt - 16'd1;
  wire [15:0] leftn   = d_nnt - wblk;
  reg  [15:0] gc_first, gc_next, gr_first, gr_next;
  reg         gl_first, gl_next;
  reg  [15:0] l1_r;                                     // d_nnt - 1, a cycle behind the descriptor
  reg         l1_full;
  wire [15:0] l1_lo  = l1_r & {11'd0, WGP - 5'd1};
  reg  [15:0] ln_r;                                     // d_nnt - wblk, a cycle behind wblk
  reg         ln_full;                                  // ... >= W_GROUP (a full group)
  wire [15:0] ln_lo  = ln_r & {11'd0, WGP - 5'd1};      // ... when below W_GROUP (a power of 2)
  always @(posedge clk) begin
    l1_r     <= left1;
    l1_full  <= (left1 >= {11'd0, WGP});
    gc_first <= l1_full ? {11'd0, WGP} : l1_lo;
    gr_first <= l1_full ? ({8'd0, d_kchunk} << WG_LOG) : grp_rows(l1_lo, d_kchunk);
    gl_first <= (l1_r <= {11'd0, WGP});
    ln_r     <= leftn;
    ln_full  <= (leftn >= {11'd0, WGP});
    gc_next  <= ln_full ? {11'd0, WGP} : ln_lo;
    gr_next  <= ln_full ? ({8'd0, d_kchunk} << WG_LOG) : grp_rows(ln_lo, d_kchunk);
    gl_next  <= (ln_r <= {11'd0, WGP});
  end
  // (WIDE_GATHER = 0, the iCE40's engine, short of logic cells: computed, as before)
  wire [15:0] gc_c    = (wb_left >= {11'd0, WGP}) ? {11'd0, WGP} : wb_left;
  reg  [15:0] gr_c;                                     // gc_c * k_chunk by shift-add (gc_c <= 16)
  integer gb;
  always @* begin
    gr_c = 16'd0;
    for (gb = 0; gb < 5; gb = gb + 1)
      if (gc_c[gb]) gr_c = gr_c + ({8'd0, d_kchunk} << gb);
  end
  wire [15:0] g_cnt   = (WIDE_GATHER != 0) ? (cp0 ? gc_first : gc_next) : gc_c;
  wire [15:0] g_rows  = (WIDE_GATHER != 0) ? (cp0 ? gr_first : gr_next) : gr_c;
  wire        wg_last = (WIDE_GATHER != 0) ? (cp0 ? gl_first : gl_next) : (cur_wb + gc_c >= d_nnt);
  // group 1, with pass 0's load (cur_wb is 1 there: on XR engines the compare reads d_nnt alone,
  // not through the cur_wb mux; clock proxy, pc -> cp0 -> cur_wb -> compare -> the group
  // registers' enables was 8 levels)
  wire        g_issue = cp0 && ((XR != 0) ? (16'd1 < d_nnt) : (cur_wb < d_nnt));
  // group i+1: the DMA is free and group i's first pass has begun loading its rows (so every
  // pass of group i-1, whose half group i+1 overwrites, has loaded them)
  wire        wf_on   = (l_nt > wfirst) || ((l_nt == wfirst) && l_on) || (l_go && (l_gnt == wfirst));
  wire        wi_go   = bb2b && !cp0 && !wq && !w_last && wf_on;

  assign busy      = (st != C_IDLE);
  assign dw_sel    = is_dw;
  assign dw_wl     = is_dw && (st == C_DWL_W);
  assign dw_h0     = ph0r[15:0] - {8'd0, g_pad_t};
  assign dw_r      = d_r;
  assign dw_s      = d_s;
  // a tap whose gather fills (part of) a window row: r from dw_rf on, s in pad_l .. pad_l + sk - 1
  wire   dw_need   = (r >= dw_rf) && (s >= g_pad_l) && ({4'd0, s} < {4'd0, g_pad_l} + {8'd0, d_dsk});
  assign act_rbank = abank;
  assign acc_sel_pre = !is_gemm;
  wire unused_desc = &{1'b0, prog_waddr, d[479:472], d[454:453], d[7], d[271:256], d_gpiece, mt_c[31:PW]};
  assign stg_rsel      = (st == C_VEC);
  assign add_fused     = fuse;
  assign add_mult_y    = d[783:768];
  assign add_mult_skip = d[799:784];
  assign add_shift     = d[804:800];
  assign add_relu      = d[805];
  assign add_mul       = mulm;
  // word 24 is the clamp pair without fuse_add (the fused add's multipliers with it)
  assign vec_clamp_en  = (ACT >= 1) && d[806];
  assign vec_clamp_lo  = d[775:768];
  assign vec_clamp_hi  = d[783:776];
  assign vec_lut_en    = lut;
  assign dma_kch   = d_kchunk;
  wire   dch       = (WIDE_GATHER != 0) && dchain;
  assign dma_p0    = dch ? end_p : p0r;
  assign dma_q0    = dch ? end_q : q0r;
  assign dma_ph0   = dch ? end_ph : ph0r;
  assign dma_qw0   = dch ? end_qw : qw0r;
  assign dma_x0    = dch ? end_x : x0r;
  // the gathered tap's offsets: latched when an overlapped gather is issued (the indices advance
  // later, in C_KN), else the current tile's
  assign dma_roff  = bb2b ? g_roff : ((d_op == OP_ADD) ? 16'd0 : roff);
  assign dma_soff  = bb2b ? g_soff : soff;
  assign g_cstride = (bcast && dma_cmd == 3'd4) ? 16'd0 :             // broadcast skip: one pixel
                     (dma_cmd == 3'd3 || dma_cmd == 3'd4) ? d_outcs : d_incs;
  assign pre_scale = (d_op == OP_ADD) ? ((r == 8'd0) ? d_mult : d_multb) : 16'd1;  // pools: x * 1
  assign pre_sel   = (st == C_ACC);   // the vector unit's multiplier serves the accumulate pass
  assign bias_en   = (is_gemm | is_dw) & d_bias;
  assign vec_mult  = (d_op == OP_ADD) ? 16'd1 : d_mult;
  assign vec_shift = d_shift;
  assign vec_relu  = d_relu;

  wire [31:0] mt_c     = (m_left < {16'd0, d_mtile}) ? m_left : {16'd0, d_mtile};
  wire [15:0] c_left   = d_cg - coff;
  wire [15:0] o_left   = d_kg - ocoff;
  wire        first_kt = (r == 8'd0) && (s == 8'd0) && (ct == 16'd0);
  wire        last_ct  = (ct + 16'd1 == d_nct);
  wire        last_s   = (s + 8'd1 == d_s);
  wire        last_r   = (r + 8'd1 == d_r);
  always @(posedge clk) kt_last <= last_ct && last_s && last_r;
  wire [15:0] n_out    = is_gemm ? d_nnt : d_nct;
  // the next channel group's first tile (the overlapped gather's target): the same tap after
  // this group's grun channels, or the next tap's channel 0
  // (XR: a register written with g_coff, from the value g_coff takes: 0 in C_MT,
  // at a group's end in C_KN 0 or coff + k_chunk; clock proxy: grun -> the add -> the compare ->
  // has_ng -> pf_go -> the dma_* enables was 8 levels)
  reg         ng_tap_r;
  wire        ng_tap0  = ({9'd0, grun} >= {1'b0, d_cg});                                   // g_coff = 0
  wire        ng_tapn  = ({1'b0, coff + {8'd0, d_kchunk}} + {9'd0, grun} >= {1'b0, d_cg});  // coff + k_chunk
  wire        ng_tap   = (WIDE_GATHER == 0) ? last_ct :                                     // last group of the tap
                         ((XR != 0) ? ng_tap_r : ({1'b0, g_coff} + {9'd0, grun} >= {1'b0, d_cg}));
  wire [15:0] ng_coff  = ng_tap ? 16'd0 : ((WIDE_GATHER == 0) ? coff : g_coff) + {8'd0, grun};
  wire [ADDR_W-1:0] ng_tapo = !ng_tap ? tap : (last_s ? tap + d_rstep : tap + d_sstep);
  // registered: pf_go is never true in a reduction tile's first cycle (cp0), and the inputs
  // (g_coff, coff, ct, grun, the descriptor) do not change inside C_CP, so at pf_go the register
  // holds d_cg - ng_coff of the same tile (keeps the subtract off the dma_cnt path)
  // (WIDE_GATHER = 0: computed, fewer cells)
  reg  [15:0] ng_cleft_r;
  always @(posedge clk) ng_cleft_r <= d_cg - ng_coff;
  wire [15:0] ng_cleft = (WIDE_GATHER != 0) ? ng_cleft_r : d_cg - ng_coff;
  // the overlapped gather's DRAM address, registered the same way (clock proxy: s -> ng_tapo ->
  // a three-operand add -> the dma_base mux was 12 levels on the Ultra96, docs/timing.md), in two
  // stages: the channel part gbase_c + ng_coff and the tap part d_in + ng_tapo (or d_win0) beside
  // each other, each sum formed for every outcome of ng_tap / last_s and chosen after, then their
  // sum (s -> last_s -> ng_tapo -> the add was 11 levels with one stage, grun -> ng_tap ->
  // ng_coff -> two adds 10 with the choice before the adds). Valid two cycles after an input
  // changes: the inputs change in C_KN (pm_r a cycle later) and C_CP, where pf_go reads it (never
  // in cp0), is entered from C_LW_W only, after C_LW and block 0's LOAD_W, so at least four
  // cycles after C_KN. (WIDE_GATHER = 0, the iCE40's engine: computed, fewer cells.)
  wire [ADDR_W-1:0] ng_addr_c = d_in[ADDR_W-1:0] + {{(ADDR_W-16){1'b0}}, gbase_c + ng_coff} +
                                ((tovl && pm_r) ? d_win0 : ng_tapo);
  reg  [ADDR_W-1:0] ng_addr_r, ng_atap_r;
  reg  [15:0]       ng_ach_r;
  wire [15:0]       ng_ach_n  = gbase_c + ((WIDE_GATHER == 0) ? coff : g_coff) + {8'd0, grun};
  wire [ADDR_W-1:0] ng_at0    = d_in[ADDR_W-1:0] + tap;
  wire [ADDR_W-1:0] ng_atr    = d_in[ADDR_W-1:0] + tap + d_rstep;
  wire [ADDR_W-1:0] ng_ats    = d_in[ADDR_W-1:0] + tap + d_sstep;
  wire [ADDR_W-1:0] ng_atw    = d_in[ADDR_W-1:0] + d_win0;
  always @(posedge clk) begin
    ng_ach_r  <= ng_tap ? gbase_c : ng_ach_n;
    ng_atap_r <= (tovl && pm_r) ? ng_atw : (!ng_tap ? ng_at0 : (last_s ? ng_atr : ng_ats));
    ng_addr_r <= ng_atap_r + {{(ADDR_W-16){1'b0}}, ng_ach_r};
  end
  wire [ADDR_W-1:0] ng_addr = (WIDE_GATHER != 0) ? ng_addr_r : ng_addr_c;
  // the other DMA addresses on XR engines (clock proxy: a three-operand add, then the
  // dma_base mux, was 9-10 levels for C_LA's gather and C_LS's / C_ST's skip and store). C_LA's
  // gather: the layer's base plus the group's channel base is a register (gbase_c changes in
  // C_SETUP / C_GN, at least two cycles before C_LA: C_MT lies between; the same sum as gbase_c +
  // coff at 16 bits, channel offsets being below 2^16), and the choice of the add's second operand
  // (r != 0) is a flag kept with r, so one add of coff and tap is left. The skip and store
  // addresses are registers: ocoff changes in C_JN and C_KN, C_LS / C_ST come two cycles later at
  // the earliest (C_OUT between), mstore and gbase_k in C_SETUP / C_MN / C_GN (C_MT between); the
  // skip prefetch's (output tile 0, in C_CP) likewise.
  reg               la2;       // an add's second operand (r != 0; set with r in C_MT and C_KN)
  reg  [ADDR_W-1:0] la_in_r, la_in2_r, ls_addr_r, ls0_addr_r, st_addr_r;
  always @(posedge clk) begin
    la_in_r    <= d_in[ADDR_W-1:0] + {{(ADDR_W-16){1'b0}}, gbase_c};
    la_in2_r   <= d_in2[ADDR_W-1:0] + {{(ADDR_W-16){1'b0}}, gbase_c};
    ls_addr_r  <= d_in2[ADDR_W-1:0] + {{(ADDR_W-16){1'b0}}, gbase_k + ocoff} + (bcast ? {ADDR_W{1'b0}} : mstore);
    ls0_addr_r <= d_in2[ADDR_W-1:0] + {{(ADDR_W-16){1'b0}}, gbase_k} + mstore;
    st_addr_r  <= d_out[ADDR_W-1:0] + {{(ADDR_W-16){1'b0}}, gbase_k + ocoff} + mstore;
  end
  wire [ADDR_W-1:0] la_addr  = (XR != 0) ?
                               ((la2 ? la_in2_r : la_in_r) + {{(ADDR_W-16){1'b0}}, coff} + tap) :
                               ((((d_op == OP_ADD) && (r != 8'd0)) ? d_in2[ADDR_W-1:0] : d_in[ADDR_W-1:0])
                                + {{(ADDR_W-16){1'b0}}, gbase_c + coff} + tap);
  wire [ADDR_W-1:0] ls_addr  = (XR != 0) ? ls_addr_r :
                               d_in2[ADDR_W-1:0] + {{(ADDR_W-16){1'b0}}, gbase_k + ocoff} + (bcast ? {ADDR_W{1'b0}} : mstore);
  wire [ADDR_W-1:0] ls0_addr = (XR != 0) ? ls0_addr_r :
                               d_in2[ADDR_W-1:0] + {{(ADDR_W-16){1'b0}}, gbase_k} + mstore;
  wire [ADDR_W-1:0] st_addr  = (XR != 0) ? st_addr_r :
                               d_out[ADDR_W-1:0] + {{(ADDR_W-16){1'b0}}, gbase_k + ocoff} + mstore;
  wire [15:0] ng_roff  = (ng_tap && last_s) ? roff + {8'd0, d_dilh} : roff;
  wire [15:0] ng_soff  = !ng_tap ? soff : (last_s ? 16'd0 : soff + {8'd0, d_dilw});
  wire        has_ng   = !(ng_tap && last_s && last_r);
  // M tile prefetch (docs/engine.md#m-tile-prefetch; tile overlap engines only): the tiles of an
  // M tile's last channel group, which have no next group to gather, gather in pieces the first
  // group of the next M tile of the same group g (tap (0, 0), channel 0, its mt_next pixels from
  // where the last gather ended) into the other bank, so the next M tile starts without its
  // gather. Registered (the inputs hold from C_MT / C_KN on and a piece is never issued in a
  // tile's first C_CP cycle, at least two cycles after C_KN): pm_r, mtg_r (the pixels the pieces
  // of this tile's target count: mt_next or mt)
  reg  [31:0] mrest_r;       // M - m0 - mt: pixels after this M tile (in this group g)
  reg  [PW-1:0] mnx_r;       // mt of the next M tile
  reg         hnm_r;         // a next M tile follows in this group g
  reg         pm_r;          // this tile's piece is the next M tile's prefetch
  reg  [PW-1:0] mtg_r;       // pixels of the piece's target gather
  reg         pfm;           // the next M tile's first group has been prefetched
  reg  [15:0] pv0r;          // fused pool: the M tile's first output row (p0r moves on at a prefetch)
  wire        pm_c     = tovl && is_gemm && !has_ng && hnm_r;
  // block-0 prefetch (docs/engine.md#block-0-prefetch-ws-double_buffer--1-wide_gather--1): a
  // reduction tile other than its M tile's last loads the next tile's block 0 once every pass of
  // its own has decided its weight rows and the DMA is done with the tile's weight streams and its
  // gather piece (if it has one); not a depthwise-unit layer (is_gemm), not on the iCE40 (tovl)
  reg         b0p;           // the next tile's block 0 was issued (cleared when its passes start)
  reg         b0d;           // ... and is done
  wire        pwant    = (has_ng || (tovl && pm_r)) && pcnz;
  wire        b0_go    = tovl && is_gemm && !cp0 && !kt_last && !b0p && (l_nt == d_nnt) && !l_on &&
                         w_last && !wq && (pf ? g_done : !pwant);
  // skip prefetch (docs/engine.md#skip-prefetch): the M tile's last tile of a fused add reads
  // output tile 0's skip operand into staging at the same point; C_OUT waits for its done
  reg         lsp;           // output tile 0's skip was issued (cleared in C_LS)
  reg         lsd;           // ... and is done
  wire        ls_go    = tovl && is_gemm && fuse && !cp0 && kt_last && !lsp && (l_nt == d_nnt) && !l_on &&
                         w_last && !wq && (pf ? g_done : !pwant);
  always @(posedge clk) begin
    mrest_r <= m_left - {{(32-PW){1'b0}}, mt};
    mnx_r   <= (mrest_r < {16'd0, d_mtile}) ? mrest_r[PW-1:0] : d_mtile[PW-1:0];
    hnm_r   <= (mrest_r != 32'd0);
    pm_r    <= pm_c;
    mtg_r   <= pm_c ? mnx_r : mt;
  end
  // the piece of it this tile gathers: pixels pstart .. (the group's last tile: up to mt)
  wire [PW-1:0] p_mt   = tovl ? mtg_r : mt;
  wire [PW-1:0] p_left = (pstart < p_mt) ? p_mt - pstart : {PW{1'b0}};
  wire [PW-1:0] gpc_p  = d_gpiece[PW-1:0];
  wire [PW-1:0] pcount_c = (g_last || p_left < gpc_p) ? p_left : gpc_p;
  // registered like ng_cleft_r (read at pf_go only, inputs steady in C_CP: clock proxy, pstart ->
  // p_left -> the minimum -> pcount != 0 -> pf_go -> the dma_* enables was 10 levels); the
  // iCE40's engine (WIDE_GATHER = 0) computes it
  reg  [PW-1:0] pcount_r;
  reg           pcnz_r;
  // (its inputs in parallel, clock proxy: pstart -> p_left -> p_left < g_piece -> the minimum ->
  // != 0 into pcnz was 9 levels: p_left < g_piece is p_mt < pstart + g_piece when pstart < p_mt,
  // else g_piece != 0, and pcount != 0 is pstart < p_mt or g_piece != 0 by the same choice)
  wire [PW:0]   p_end   = {1'b0, pstart} + {1'b0, gpc_p};
  wire          p_in    = (pstart < p_mt);
  wire          gpc_nz  = (gpc_p != {PW{1'b0}});
  wire          p_take  = g_last || (p_in ? ({1'b0, p_mt} < p_end) : gpc_nz);   // p_left is the count
  always @(posedge clk) begin
    pcount_r <= p_take ? p_left : gpc_p;
    pcnz_r   <= p_take ? p_in : gpc_nz;
  end
  wire [PW-1:0] pcount = (WIDE_GATHER != 0) ? pcount_r : pcount_c;
  wire          pcnz   = (WIDE_GATHER != 0) ? pcnz_r : (pcount_c != {PW{1'b0}});
  wire        g_last   = (WIDE_GATHER == 0) || last_ct || (gi + 8'd1 >= d_ctg);   // the last tile of its channel group
  // C_KN's next state when a tile follows: waiting for this tile's piece (C_LA_W), block 0 of a
  // group whose words are in (C_LW), or C_LA (gathers at a group's start, else finds the words)
  wire        kn_wait  = pf && !(g_done || dma_done);
  wire [SW-1:0] kn_next = kn_wait ? C_LA_W : ((bb2b && is_gemm && g_last) ? C_LW : C_LA);
  wire        pf_go    = bb2b && is_gemm && !cp0 && (has_ng || (tovl && pm_r)) && pcnz && !pf && w_last && !wq;
  wire [PW-1:0] ws_len = kchunk_p + mt + ROWS_P + COLSX_P + 1'b1;  // k + mt + LAT + 2
  wire [PW-1:0] os_gl  = 3 * ROWS_P + COLS_P + kchunk_p;
  wire        db       = (DOUBLE_BUFFER != 0);
  wire [WB_AW-1:0] bank_base = (db && bank) ? ROWS[WB_AW-1:0] : {WB_AW{1'b0}};
  wire [WB_AW-1:0] obank_base = (db && !bank) ? ROWS[WB_AW-1:0] : {WB_AW{1'b0}};

  // OS pass position: group gidx (first pixel grow = gidx*ROWS), cycle gc within the group
  reg  [PW-1:0] gc, grow;
  wire [WB_AW+PW-1:0] pc_x = {{WB_AW{1'b0}}, pc}, gc_x = {{WB_AW{1'b0}}, gc};  // (WB_AW may exceed PW)
  wire [PW-1:0] drn0   = 2 * ROWS_P + COLS_P - 1'b1 + kchunk_p;
  wire [PW-1:0] drow   = grow + (gc - drn0 - 1'b1);
  wire          os_end = (gc + 1'b1 == os_gl) && (grow + ROWS_P >= mt);
  reg  [15:0] pidx;          // descriptor being run

  always @(posedge clk) begin
    dma_start   <= 1'b0;
    layer_done  <= 1'b0;
    done        <= 1'b0;
    ws_w_shift  <= 1'b0;
    ws_in_valid <= 1'b0;
    ws_w_bank   <= 1'b0;
    ws_a_bank   <= 1'b0;
    ld_d        <= 1'b0;
    px_d        <= 1'b0;
    os_ld       <= 1'b0;
    os_step     <= 1'b0;
    os_first    <= 1'b0;
    os_drain    <= 1'b0;
    acc_valid   <= 1'b0;
    stg_we      <= 1'b0;
    pool_v      <= 1'b0;
    pool_clr    <= 1'b0;
    dw_start    <= 1'b0;
    row_clr     <= 1'b0;
    row_ld      <= 1'b0;
    row_go      <= 1'b0;
    if (!rst_n) begin
      st        <= C_IDLE;
      layer_idx <= 16'd0;
      os_ld_row <= {$clog2(ROWS+1){1'b0}};
      if (tovl) begin
        bc0     <= 9'd0;
        bc1     <= 9'd0;
        drn     <= 9'd0;
      end
    end else begin
      cyc <= cyc + 32'd1;
      // back-to-back WS passes: the delay line's outputs become accumulator RMWs and the bank /
      // drain counters run in every state with tile overlap, so a reduction tile's drain overlaps
      // the next tile's start; without it (the iCE40) in C_CP only, as before (the drain ends there)
      if (bb2b && (tovl || (st == C_CP))) begin
        if (dl_v[LAT]) begin
          acc_valid <= 1'b1;
          acc_op    <= {1'b0, dl_o[LAT]};
          acc_addr  <= dl_a[LAT*ACC_AW+:ACC_AW];
        end
        if (bc0 != 9'd0) bc0 <= bc0 - 1'b1;
        if (bc1 != 9'd0) bc1 <= bc1 - 1'b1;
        if (drn != 9'd0) drn <= drn - 1'b1;
      end
      if (tovl && b0p && dma_done) b0d <= 1'b1;
      if (tovl && lsp && dma_done) lsd <= 1'b1;
      case (st)
        C_IDLE: if (start) begin
          pidx      <= 16'd0;
          st        <= C_FETCH;
        end
        C_FETCH: begin
          cyc    <= 32'd1;
          prog_q <= prog[pidx[PROG_AW-1:0]];
          st     <= C_DECODE;
        end
        C_DECODE: begin
          st <= (prog_q[3:0] == 4'd0 || stop) ? C_END : C_SETUP;
        end
        C_SETUP: begin
          g       <= 16'd0;
          m_left  <= d_M;
          p0r <= 16'd0; q0r <= 16'd0; ph0r <= 18'd0; qw0r <= 18'd0;
          x0r     <= {ADDR_W{1'b0}};
          mstore  <= {ADDR_W{1'b0}};
          gbase_c <= 16'd0;
          gbase_k <= 16'd0;
          wptr_g  <= d_wbase[ADDR_W-1:0];
          bptr_g  <= bb_0[ADDR_W-1:0];
          abank   <= 1'b0;
          act_wbank <= 1'b0;
          dchain  <= 1'b0;
          pf      <= 1'b0;
          pfm     <= 1'b0;
          b0p     <= 1'b0;
          lsp     <= 1'b0;
          st      <= lut ? C_LT : C_MT;
        end
        // the activation table (LOAD_T): 256 bytes at bias_base, once per layer
        C_LT: begin
          dma_start <= 1'b1;
          dma_cmd   <= 3'd5;
          dma_base  <= d_bbase[ADDR_W-1:0];
          dma_count <= 32'd1;
          st        <= C_LT_W;
        end
        C_LT_W: if (dma_done) st <= C_MT;
        C_MT: begin
          mt   <= mt_c[PW-1:0];
          pv0r <= p0r;
          r <= 8'd0; s <= 8'd0; ct <= 16'd0;
          la2 <= 1'b0;
          ct_base <= {ACC_AW{1'b0}};
          tap  <= d_win0;
          roff <= 16'd0; soff <= 16'd0; coff <= 16'd0;
          gi   <= 8'd0;
          aoff <= {ACT_AW{1'b0}};
          g_coff <= 16'd0;
          ng_tap_r <= ng_tap0;
          pstart <= {PW{1'b0}};
          wptr <= wptr_g;
          bptr <= bptr_g;
          bank <= 1'b0;
          // depthwise: the image's first row gathers every window row, later rows the new ones;
          // a group's first M tile loads its R*S weight rows into dw_unit first
          dw_rf <= ((DW != 0) && (p0r != 16'd0)) ? {4'd0, d_drf} : 8'd0;
          st   <= (is_dw && (m_left == d_M)) ? C_DWL : C_LA;
        end
        // (DW = 0: the depthwise states are unreachable; the constant conditions below let
        // synthesis drop their logic, which the iCE40's logic cells cannot spare)
        C_DWL: if (DW != 0) begin
          dma_start  <= 1'b1;
          dma_cmd    <= 3'd1;
          dma_base   <= wptr;
          dma_count  <= {24'd0, d_taps};
          dma_waddr0 <= {WB_AW{1'b0}};
          st         <= C_DWL_W;
        end
        C_DWL_W: if ((DW != 0) && dma_done) begin
          wptr   <= wptr + st_taps[ADDR_W-1:0];
          wptr_g <= wptr + st_taps[ADDR_W-1:0];   // (the group's next M tiles load no weights)
          st     <= C_LA;
        end
        // ---- reduction tile: gather the activations
        C_LA: if (is_dw && !dw_need) begin
          st <= C_KN;   // depthwise: a tap whose row is in dw_unit already or read by another tap
        end else if ((gi == 8'd0) && !(tovl && pfm)) begin
          dma_start    <= 1'b1;
          dma_cmd      <= 3'd0;
          dma_base     <= la_addr;
          dma_count    <= {{(32-PW){1'b0}}, mt};
          dma_cnt      <= (c_left < {8'd0, grun}) ? c_left[7:0] : grun;
          dma_ridx0    <= 16'd0;
          dma_wstride  <= is_dw ? (16'd1 << DW_LW) : {{(16-PW){1'b0}}, mt};
          // (DW = 0: constant zero, so the registers have a driver and synthesis drops them)
          dw_slot      <= (DW != 0) ? dw_h0[DW_SW-1:0] + r[DW_SW-1:0] : {DW_SW{1'b0}};
          dw_coff      <= (DW != 0) ? s[3:0] - g_pad_l[3:0] : 4'd0;
          dchain       <= 1'b0;
          g_roff       <= (d_op == OP_ADD) ? 16'd0 : roff;
          g_soff       <= soff;
          act_wbank    <= abank;
          st           <= C_LA_W;
        end else begin
          // a later tile of a wide gather's group, or a prefetched M tile's first: its words are
          // in the buffer already
          if (gi == 8'd0) pfm <= 1'b0;
          nt <= 16'd0;
          rb <= is_gemm ? {ACC_AW{1'b0}} : ct_base;
          pc <= {PW{1'b0}};
          if (is_gemm) begin
            st <= C_LW;
          end else begin
            pl <= mt + P4;
            st <= C_ACC;
          end
        end
        C_LA_W: if (dma_done && is_dw) begin
          st <= C_KN;
        end else if (dma_done) begin
          nt <= 16'd0;
          rb <= is_gemm ? {ACC_AW{1'b0}} : ct_base;
          pc <= {PW{1'b0}};
          if (is_gemm) begin
            st <= C_LW;
          end else begin
            pl <= mt + P4;
            st <= C_ACC;
          end
        end
        C_LW: begin
          if (tovl) lw_seen <= b0p && (b0d || dma_done);
          if (!(tovl && b0p)) begin  // (prefetched: block 0 is in or on its way)
            dma_start  <= 1'b1;
            dma_cmd    <= 3'd1;
            dma_base   <= wptr;
            dma_count  <= {24'd0, d_kchunk};
            dma_waddr0 <= bank_base;
          end
          st         <= C_LW_W;
        end
        // (tile overlap: the passes start once block 0 is in and PE bank 0 is free of the
        // previous tile's pixels, bc0 = 0 in the first C_CP cycle, so pass 0 may shift its rows in
        // from that cycle; lw_seen keeps a done that came earlier)
        // (without tile overlap, the iCE40, the form before it: its logic cells are counted)
        C_LW_W: if (tovl) begin
          if (dma_done) begin
            if (!b0p) wptr <= wptr + st_kc[ADDR_W-1:0];
            lw_seen <= 1'b1;
          end
          if ((dma_done || lw_seen) && (bc0 <= 9'd1)) begin
            lw_seen <= 1'b0;
            b0p     <= 1'b0;
            pc   <= {PW{1'b0}};
            pl   <= ws_len;
            wcnt <= {PW{1'b0}};
            gc   <= {PW{1'b0}};
            grow <= {PW{1'b0}};
            st   <= C_CP;
          end
        end else if (dma_done) begin
          wptr <= wptr + st_kc[ADDR_W-1:0];
          pc   <= {PW{1'b0}};
          pl   <= ws_len;
          wcnt <= {PW{1'b0}};
          gc   <= {PW{1'b0}};
          grow <= {PW{1'b0}};
          st   <= C_CP;
        end
        // ---- array pass over mt pixels for output tile nt (weights in bank `bank`)
        C_CP: if (bb2b) begin
          // loader: pass l_nt's rows into PE bank l_nt[0] once its block is in the weight buffer
          // and the bank's last pixel is LAT-1 cycles in; starting it issues block l_nt+1
          ws_w_shift  <= ld_d;
          ws_w_bank   <= ld_d & ldb_d;
          ws_in_valid <= px_d;
          ws_a_bank   <= px_d & pxb_d;
          if (dma_done) begin
            dma_seen <= 1'b1;
            wq       <= 1'b0;
          end
          if (cp0) begin
            pc   <= {{(PW-1){1'b0}}, 1'b1};
            if (!tovl) begin  // (with tile overlap they run on from the previous tile)
              bc0 <= 9'd0;
              bc1 <= 9'd0;
              drn <= 9'd0;
            end
            sp   <= {PW{1'b0}};
            fk   <= first_kt;
            wq   <= 1'b0;
          end
          if (l_go) begin
            wb_raddr <= l_gbase + (kch_w - 1'b1);
            ld_d     <= 1'b1;
            ldb_d    <= l_gnt[0];
            lr       <= 8'd1;
            l_on     <= (d_kchunk != 8'd1);
            l_nt     <= l_gnt + {15'd0, d_kchunk == 8'd1};
            if (d_kchunk == 8'd1) begin
              l_gp <= nxt_gp;
              l_h  <= nxt_h;
              l_sb <= nxt_sb;
            end else if (cp0) begin
              l_gp <= WGP;
              l_h  <= 1'b0;
              l_sb <= {WB_AW{1'b0}};
            end
            if (cp0) w_last <= 1'b1;
            if (g_issue) begin
              wq         <= 1'b1;
              w_last     <= wg_last;
              wblk       <= cur_wb + g_cnt;
              wfirst     <= cur_wb;
              wi_h       <= 1'b1;
              dma_start  <= 1'b1;
              dma_cmd    <= 3'd1;
              dma_base   <= wptr;
              dma_count  <= {16'd0, g_rows};
              dma_waddr0 <= gk;
              wptr       <= wptr + st_gr[ADDR_W-1:0];
              dma_seen   <= 1'b0;
            end
          end else if (l_on) begin
            wb_raddr <= l_base + (kch_w - 1'b1 - lr_x[WB_AW-1:0]);
            ld_d     <= 1'b1;
            ldb_d    <= l_nt[0];
            lr       <= lr + 8'd1;
            if (lr + 8'd1 == d_kchunk) begin
              l_on <= 1'b0;
              l_nt <= l_nt + 16'd1;
              l_gp <= nxt_gp;
              l_h  <= nxt_h;
              l_sb <= nxt_sb;
            end
          end
          // weight streams: the next group into the other half; blocks counted as they arrive
          if (wi_go) begin
            wq         <= 1'b1;
            w_last     <= wg_last;
            wblk       <= wblk + g_cnt;
            wfirst     <= wblk;
            wi_h       <= ~wi_h;
            dma_start  <= 1'b1;
            dma_cmd    <= 3'd1;
            dma_base   <= wptr;
            dma_count  <= {16'd0, g_rows};
            dma_waddr0 <= wi_h ? {WB_AW{1'b0}} : gk;
            wptr       <= wptr + st_gr[ADDR_W-1:0];
          end
          if (cp0) begin
            w_in_b <= 16'd1;
            w_in_r <= 8'd0;
          end else if (wb_wr) begin
            w_in_r <= (w_in_r + 8'd1 == d_kchunk) ? 8'd0 : w_in_r + 8'd1;
            if (w_in_r + 8'd1 == d_kchunk) w_in_b <= w_in_b + 16'd1;
          end
          // streamer: pass nt's pixels, back to back, once its rows are in (nt < l_nt)
          if (!cp0 && (nt < l_nt)) begin
            act_raddr <= aoff + sp[ACT_AW-1:0];
            px_d      <= 1'b1;
            pxb_d     <= nt[0];
            pxo_d     <= !fk;
            pxa_d     <= rb + sp[ACC_AW-1:0];
            if (sp + 1'b1 == mt) begin
              sp <= {PW{1'b0}};
              nt <= nt + 16'd1;
              rb <= rb + d_mtile[ACC_AW-1:0];
              if (nt[0]) bc1 <= BFREE;
              else bc0 <= BFREE;
              if (nt + 16'd1 == d_nnt) drn <= DRAIN;
            end else begin
              sp <= sp + 1'b1;
            end
          end
          // the next tile's gather into the other bank, once the DMA is free for good
          if (pf_go) begin
            dma_start   <= 1'b1;
            dma_cmd     <= 3'd0;
            dma_base    <= ng_addr;
            dma_count   <= {{(32-PW){1'b0}}, pcount};
            dma_cnt     <= (ng_cleft < {8'd0, grun}) ? ng_cleft[7:0] : grun;
            dma_ridx0   <= {{(16-PW){1'b0}}, pstart};
            dma_wstride <= {{(16-PW){1'b0}}, p_mt};
            dchain      <= (pstart != {PW{1'b0}}) || (tovl && pm_r);
            g_roff      <= (tovl && pm_r) ? 16'd0 : ng_roff;
            // a prefetch's first piece continues where this M tile's last gather ended: the next
            // M tile's first pixel, which becomes its start (C_MN keeps it)
            if (tovl && pm_r) begin
              pfm <= 1'b1;
              if (pstart == {PW{1'b0}}) begin
                p0r <= end_p; q0r <= end_q; ph0r <= end_ph; qw0r <= end_qw; x0r <= end_x;
              end
            end
            g_soff      <= ng_soff;
            act_wbank   <= ~abank;
            pf          <= 1'b1;
            g_done      <= 1'b0;
          end
          if (pf && dma_done) g_done <= 1'b1;
          // the next tile's block 0 into the weight buffer's first rows, once no pass reads them
          if (b0_go) begin
            dma_start  <= 1'b1;
            dma_cmd    <= 3'd1;
            dma_base   <= wptr;
            dma_count  <= {24'd0, d_kchunk};
            dma_waddr0 <= {WB_AW{1'b0}};
            wptr       <= wptr + st_kc[ADDR_W-1:0];
            b0p        <= 1'b1;
            b0d        <= 1'b0;
          end
          if (ls_go) begin  // (the skip of output tile 0: ocoff = 0)
            dma_start  <= 1'b1;
            dma_cmd    <= 3'd4;
            dma_base   <= ls0_addr;
            dma_count  <= {{(32-PW){1'b0}}, mt};
            dma_cnt    <= (d_kg < {8'd0, d_nchunk}) ? d_kg[7:0] : d_nchunk;
            lsp        <= 1'b1;
            lsd        <= 1'b0;
          end
          // the tile's last pixel is decided: drained (the M tile's last tile: the vector pass
          // reads the accumulator next), or, with tile overlap, on at once (the delay line drains)
          if (!cp0 && (nt == d_nnt) && ((drn == 9'd0) || (tovl && !kt_last))) st <= C_CP_W;
        end else begin
          pc <= pc + 1'b1;
          if (pc == {PW{1'b0}}) begin
            ovl      <= db && (nt + 16'd1 < d_nnt);
            dma_seen <= 1'b0;
            if (db && (nt + 16'd1 < d_nnt)) begin
              dma_start  <= 1'b1;
              dma_cmd    <= 3'd1;
              dma_base   <= wptr;
              dma_count  <= {24'd0, d_kchunk};
              dma_waddr0 <= obank_base;
            end
          end else if (dma_done) begin
            dma_seen <= 1'b1;
          end
          if (DATAFLOW == 0) begin
            if (pc < kchunk_p) wb_raddr <= bank_base + (kch_w - 1'b1 - pc_x[WB_AW-1:0]);
            if (pc >= 1 && pc <= kchunk_p) ws_w_shift <= 1'b1;
            if (pc >= kchunk_p && pc < kchunk_p + mt)
              act_raddr <= aoff + pc[ACT_AW-1:0] - kchunk_p[ACT_AW-1:0];
            if (pc > kchunk_p && pc <= kchunk_p + mt) ws_in_valid <= 1'b1;
            if (ws_out_valid) begin
              acc_valid   <= 1'b1;
              acc_op      <= first_kt ? 2'd0 : 2'd1;
              acc_addr    <= rb + wcnt[ACC_AW-1:0];
              wcnt        <= wcnt + 1'b1;
            end
          end else begin
            gc <= (gc + 1'b1 == os_gl) ? {PW{1'b0}} : gc + 1'b1;
            if (gc + 1'b1 == os_gl) grow <= grow + ROWS_P;
            if (gc < ROWS_P) act_raddr <= aoff + grow[ACT_AW-1:0] + gc[ACT_AW-1:0];
            if (gc >= 1 && gc <= ROWS_P) begin
              os_ld     <= 1'b1;
              os_ld_row <= gc[$clog2(ROWS+1)-1:0] - 1'b1;
            end
            if (gc >= ROWS_P && gc < ROWS_P + kchunk_p)
              wb_raddr <= bank_base + (gc_x[WB_AW-1:0] - ROWS[WB_AW-1:0]);
            if (gc >= ROWS_P + 1'b1 && gc <= ROWS_P + kchunk_p) begin
              os_step  <= 1'b1;
              os_first <= (gc == ROWS_P + 1'b1);
            end
            if (gc >= drn0 && gc < drn0 + ROWS_P) os_drain <= 1'b1;
            if (gc > drn0 && gc <= drn0 + ROWS_P) begin
              acc_valid   <= (drow < mt);
              acc_op      <= first_kt ? 2'd0 : 2'd1;
              acc_addr    <= rb + drow[ACC_AW-1:0];
            end
          end
          if ((DATAFLOW == 0) ? (pc + 1'b1 == pl) : os_end) st <= C_CP_W;
        end
        C_PF_W: if (dma_done) st <= C_OUT;
        C_CP_W: if (bb2b) begin
          if (pf && dma_done) g_done <= 1'b1;
          st <= C_KN;   // the reduction tile's passes are over and the array is drained
        end else begin
          // entered for one cycle when the pass is over; waits here for an overlapped load
          if (!ovl || dma_seen || dma_done) begin
            rb <= rb + d_mtile[ACC_AW-1:0];
            nt <= nt + 16'd1;
            if (nt + 16'd1 < d_nnt) begin
              if (ovl) begin
                wptr <= wptr + st_kc[ADDR_W-1:0];
                bank <= ~bank;
                pc   <= {PW{1'b0}};
                wcnt <= {PW{1'b0}};
                gc   <= {PW{1'b0}};
                grow <= {PW{1'b0}};
                st   <= C_CP;
              end else begin
                st <= C_LW;
              end
            end else begin
              st <= C_KN;
            end
          end
        end
        C_ACC: begin
          pc <= pc + 1'b1;
          if (pc < mt) act_raddr <= aoff + pc[ACT_AW-1:0];
          if (pc >= 4 && pc < mt + P4) begin
            acc_valid   <= 1'b1;
            acc_op      <= ((r == 8'd0) && (s == 8'd0)) ? 2'd0 : ((d_op == OP_MAX) ? 2'd2 : 2'd1);
            acc_addr    <= rb + pc[ACC_AW-1:0] - ACC4[ACC_AW-1:0];
          end
          if (pc + 1'b1 == pl) st <= C_KN;
        end
        C_KN: begin
          // the next tile: its indices; with overlapped gathers (bb2b) the next group's words
          // came in pieces during this group's passes: wait for this tile's piece, then switch
          // the bank at a group's end and load block 0 (C_LW), or find the words (C_LA)
          gi     <= g_last ? 8'd0 : gi + 8'd1;
          aoff   <= g_last ? {ACT_AW{1'b0}} : aoff + mt[ACT_AW-1:0];
          pstart <= g_last ? {PW{1'b0}} : pstart + gpc_p;
          pf     <= 1'b0;
          if (g_last) begin
            g_coff   <= last_ct ? 16'd0 : coff + {8'd0, d_kchunk};
            ng_tap_r <= last_ct ? ng_tap0 : ng_tapn;
          end
          if (bb2b && is_gemm && g_last) begin
            abank <= ~abank;  // (the piece may still be writing act_wbank)
            nt    <= 16'd0;
            pc    <= {PW{1'b0}};
            rb    <= {ACC_AW{1'b0}};
          end
          if (!last_ct) begin
            ct <= ct + 16'd1; coff <= coff + {8'd0, d_kchunk};
            ct_base <= ct_base + d_mtile[ACC_AW-1:0];
            st <= kn_next;
          end else begin
            ct <= 16'd0; coff <= 16'd0;
            ct_base <= {ACC_AW{1'b0}};
            if (!last_s) begin
              s <= s + 8'd1; soff <= soff + {8'd0, d_dilw};
              tap <= tap + d_sstep;
              st <= kn_next;
            end else begin
              s <= 8'd0; soff <= 16'd0;
              if (!last_r) begin
                r <= r + 8'd1; roff <= roff + {8'd0, d_dilh};
                la2 <= (d_op == OP_ADD);
                tap <= tap + d_rstep;
                st <= kn_next;
              end else begin
                j     <= 16'd0;
                ocoff <= 16'd0;
                vrb   <= {ACC_AW{1'b0}};
                lbase <= {LB_AW{1'b0}};
                if (is_dw) begin
                  pc  <= {PW{1'b0}};
                  dwq <= 16'd0;
                end
                if (is_row) begin
                  pc  <= {PW{1'b0}};
                  ri  <= {PW{1'b0}};
                  rla <= {ACC_AW{1'b0}};
                  rwa <= {ACC_AW{1'b0}};
                  row_rem <= d_cg;
                end
                st    <= is_dw ? C_DW : (is_row ? C_RL : ((tovl && kn_wait) ? C_PF_W : C_OUT));   // (a prefetch piece still running)
              end
            end
          end
        end
        // ---- depthwise: dw_unit computes the output row (start in the state's first cycle, taken
        // in the next); column q's sum is written to accumulator word q the cycle it comes out
        C_DW: if (DW != 0) begin
          if (pc == {PW{1'b0}}) begin
            dw_start <= 1'b1;
            pc       <= {{(PW-1){1'b0}}, 1'b1};
          end
          if (dw_out_v) begin
            acc_valid <= 1'b1;
            acc_op    <= 2'd0;
            acc_addr  <= dwq[ACC_AW-1:0];
            dwq       <= dwq + 16'd1;
            if (dwq + 16'd1 == {{(16-PW){1'b0}}, mt}) st <= C_OUT;
          end
        end
        // ---- output tiles: bias, requantize, store
        C_OUT: if (!(tovl && lsp && !lsd && !dma_done)) begin
          pc <= {PW{1'b0}};
          vp <= tovl ? pv0r : p0r;
          vq <= 16'd0;
          pool_clr <= fpool;
          st <= bias_en ? C_LB : (fuse ? C_LS : C_VEC);
        end
        C_LB: begin
          dma_start <= 1'b1;
          dma_cmd   <= 3'd2;
          dma_base  <= bptr;
          dma_count <= 32'd1;
          st        <= C_LB_W;
        end
        C_LB_W: if (dma_done) begin
          bptr <= bptr + st_bias[ADDR_W-1:0];
          pc   <= {PW{1'b0}};
          st   <= fuse ? C_LS : C_VEC;
        end
        // fused residual add: the skip operand's tile (mt pixel runs at the store's addresses)
        C_LS: if (tovl && lsp) begin  // (prefetched: in staging)
          lsp <= 1'b0;
          pc  <= {PW{1'b0}};
          st  <= C_VEC;
        end else begin
          dma_start <= 1'b1;
          dma_cmd   <= 3'd4;
          dma_base  <= ls_addr;
          dma_count <= {{(32-PW){1'b0}}, mt};
          dma_cnt   <= (o_left < {8'd0, d_nchunk}) ? o_left[7:0] : d_nchunk;
          st        <= C_LS_W;
        end
        C_LS_W: if (dma_done) begin
          pc <= {PW{1'b0}};
          st <= C_VEC;
        end
        // requantize: pixel pc's accumulator read in cycle pc+1, its int8 output leaves the vector
        // unit in pc+5 (written to staging then); fused, its skip byte is read from staging in
        // pc+4 (out in pc+5) and residual_add's sum is written in pc+8. With the table (lut) every
        // step after the accumulator read is one cycle later.
        C_VEC: begin
          pc <= pc + 1'b1;
          if (pc < mt) acc_raddr <= vrb + pc[ACC_AW-1:0];
          if (pc >= P3 + lut_p && pc < mt + P3 + lut_p) stg_raddr <= pc[ACT_AW-1:0] - ACT3[ACT_AW-1:0] - lut_a;
          if (!fpool && pc >= (fuse ? P7 : P4) + lut_p) begin
            stg_we    <= 1'b1;
            stg_waddr <= pc[ACT_AW-1:0] - (fuse ? ACT7[ACT_AW-1:0] : ACT4[ACT_AW-1:0]) - lut_a;
          end
          // fused pool: pixel pc-4 (-1 with the table) leaves the vector unit in the next cycle
          if (fpool && pc >= P4 + lut_p && pc < mt + P4 + lut_p) begin
            pool_v      <= 1'b1;
            pool_addr   <= lbase + vq[LB_AW-1:0];
            pool_first  <= (vp == 16'd0);
            pool_rodd   <= vp[0];
            pool_cfirst <= (vq == 16'd0);
            pool_codd   <= vq[0];
            if (vq + 16'd1 == g_out_q) begin
              vq <= 16'd0;
              vp <= (vp + 16'd1 == g_out_p) ? 16'd0 : vp + 16'd1;
            end else begin
              vq <= vq + 16'd1;
            end
          end
          if (pc + 1'b1 == vec_end) st <= C_ST;
        end
        C_ST: begin
          dma_start    <= 1'b1;
          dma_cmd      <= 3'd3;
          dma_base     <= st_addr;
          dma_count    <= {{(32-PW){1'b0}}, fpool ? {2'b00, mt[PW-1:2]} : mt};  // fused pool: mt/4 pool pixels
          dma_cnt      <= (o_left < {8'd0, d_nchunk}) ? o_left[7:0] : d_nchunk;
          st           <= C_ST_W;
        end
        C_ST_W: if (dma_done) st <= C_JN;
        C_JN: begin
          j     <= j + 16'd1;
          ocoff <= ocoff + {8'd0, d_nchunk};
          vrb   <= vrb + d_mtile[ACC_AW-1:0];
          lbase <= lbase + g_out_q[LB_AW-1:0];
          pc    <= {PW{1'b0}};
          st    <= (j + 16'd1 < n_out) ? C_OUT : C_MN;
        end
        C_MN: begin
          m_left <= m_left - {{(32-PW){1'b0}}, mt};
          if (!(tovl && pfm)) begin
            p0r <= end_p; q0r <= end_q; ph0r <= end_ph; qw0r <= end_qw; x0r <= end_x;
          end
          mstore <= mstore + d_mstep;
          st  <= (m_left != {{(32-PW){1'b0}}, mt}) ? C_MT : C_GN;
        end
        C_GN: begin
          if (g + 16'd1 < d_groups) begin
            g       <= g + 16'd1;
            m_left  <= d_M;
            p0r <= 16'd0; q0r <= 16'd0; ph0r <= 18'd0; qw0r <= 18'd0;
            x0r     <= {ADDR_W{1'b0}};
            mstore  <= {ADDR_W{1'b0}};
            gbase_c <= gbase_c + d_cg;
            gbase_k <= gbase_k + d_kg;
            wptr_g  <= wptr;
            bptr_g  <= bptr;
            st      <= C_MT;
          end else begin
            st <= C_LD;
          end
        end
        C_LD: begin
          layer_done   <= 1'b1;
          layer_cycles <= cyc + 32'd1;
          layer_idx    <= pidx;
          pidx         <= pidx + 16'd1;
          st           <= C_FETCH;
        end
        C_END: begin
          done <= 1'b1;
          st   <= C_IDLE;
        end
        default: st <= C_IDLE;
      endcase
      // ---- softmax rows (SOFTMAX = 1): C_RL reads row ri's n_ctiles words (cycles 0 .. nct-1;
      // the unit's ld_clr in cycle 1, its writes in 2 .. nct+1) and starts the unit (go in the
      // first C_RG cycle); C_RG writes each output word back to its accumulator word as the unit
      // emits it and ends with the unit's done (the row's last word)
      if (SOFTMAX == 0) begin  // no unit: constant registers (a driver for synthesis' checks)
        ri <= {PW{1'b0}}; rla <= {ACC_AW{1'b0}}; rwa <= {ACC_AW{1'b0}};
        row_rem <= 16'd0; row_ldaddr <= 16'd0;
      end
      if (SOFTMAX != 0 && st == C_RL) begin
        pc <= pc + 1'b1;
        if (pc == {PW{1'b0}}) row_clr <= 1'b1;
        if ({{(16-PW){1'b0}}, pc} < d_nct) begin
          acc_raddr  <= rla;
          rla        <= rla + d_mtile[ACC_AW-1:0];
          row_ld     <= 1'b1;
          row_ldaddr <= {{(16-PW){1'b0}}, pc};
          if (pc != {PW{1'b0}}) row_rem <= row_rem - {8'd0, d_kchunk};
        end
        row_go <= ({{(16-PW){1'b0}}, pc} == d_nct + 16'd1);
        st     <= ({{(16-PW){1'b0}}, pc} == d_nct + 16'd1) ? C_RG : C_RL;  // (overrides the case's default)
      end
      if (SOFTMAX != 0 && st == C_RG) begin
        if (row_out_v) begin
          acc_valid <= 1'b1;
          acc_op    <= 2'd0;
          acc_addr  <= rwa;
          rwa       <= rwa + d_mtile[ACC_AW-1:0];
        end
        st <= C_RG;  // (overrides the case's default)
        if (row_done) begin
          pc      <= {PW{1'b0}};
          ri      <= ri + 1'b1;
          rla     <= ri_next;
          rwa     <= ri_next;
          row_rem <= d_cg;
          st      <= (ri + 1'b1 == mt) ? C_OUT : C_RL;
        end
      end
    end
  end

  // the delay line: the pixel read issued in cycle c enters the array in c+2 with stage 0 and
  // leaves it in c+2+LAT with stage LAT, which C_CP turns into the accumulator's RMW
  always @(posedge clk) begin
    if (!rst_n) begin
      dl_v <= {(LAT+1){1'b0}};
    end else begin
      dl_v <= {dl_v[LAT-1:0], px_d};
    end
    dl_o <= {dl_o[LAT-1:0], pxo_d};
    dl_a <= {dl_a[LAT*ACC_AW-1:0], pxa_d};
  end
endmodule
`default_nettype wire
