// dnnchip_engine: the layer-sequential accelerator top (docs/engine.md is the contract).
// Wires the controller (program + tile loops), the DMA (AXI4 master), the activation, weight and
// staging buffers (buffer_dp), the accumulator (acc_buffer), the systolic array (systolic_ws for
// DATAFLOW 0, systolic_os for 1), the vector unit and residual_add (a fused residual add behind
// the vector unit) and pool_unit (a fused 3x3/2 max pool behind it, POOL_DEPTH > 0). The accumulator's data input is registered here (one cycle after the array /
// pre-accumulate output), which the controller accounts for. The staging buffer is written by the
// vector unit (or residual_add) and by the DMA's SKIP reads, and read by the DMA's stores or, in
// a fused requantization pass, by the controller.
// PACK = 2 (WS only) builds the array with two columns per DSP (systolic_ws, mac_pe_pack2): same
// interface, weights in [-127, 127], ROWS <= 16, COLS even; its latency is one cycle more (the
// DSP's input registers), which the controller (PACK) and the cycle model count.
`default_nettype none
module dnnchip_engine #(
    parameter ROWS          = 4,
    parameter COLS          = 4,
    parameter DATAFLOW      = 0,
    parameter ACT_DEPTH     = 256,
    parameter ACC_DEPTH     = 1024,
    parameter DOUBLE_BUFFER = 0,
    parameter W_GROUP       = 1,   // WS + DOUBLE_BUFFER: weight blocks per LOAD_W stream (power of two, 1..16)
    parameter PACK          = 1,
    parameter WSKEW         = 0,   // WS: skewed weight loads (systolic_ws): a PE bank is free ROWS - 1 cycles after its last pixel
    parameter FUSE_ADD      = 1,   // residual_add in the output path (descriptor bit fuse_add)
    parameter MUL           = 0,   // residual_add's multiply mode: the elementwise Mul (descriptor w14[6]); needs FUSE_ADD
    parameter ACT           = 0,   // activations: 0 ReLU only, 1 + clamp pair, 2 + table (vector_unit)
    parameter WIDE_GATHER   = 1,   // gathers of several channel tiles (descriptor ct_group); 0: ct_group 1
    parameter POOL_DEPTH    = 0,   // pool_unit's line buffer words (descriptor fuse_pool); 0: no pool unit
    parameter RQ_W          = 32,  // vector_unit's requantization operand: 32 exact, 27 saturated (one DSP48E2 per lane)
    parameter RQ_LUT        = 0,   // 1: vector_unit's requantization multiplier in fabric (no DSP)
    parameter DW            = 0,   // 1: dw_unit runs depthwise descriptors (op 5); 0: not built
    parameter DW_LW         = 6,   // log2 of dw_unit's row words (input width < 2^DW_LW)
    parameter SOFTMAX       = 0,   // 1: softmax_unit runs softmax descriptors (op 6); 0: not built
    parameter SMX_WORDS     = 32,  // softmax_unit's row words (rows up to SMX_WORDS * min(ROWS, COLS) codes)
    parameter ADDR_W        = 32,
    parameter DATA_W        = 64,
    parameter BURST_MAX     = 16,
    parameter RD_OUT        = 4,
    parameter WR_OUT        = 4,
    parameter PROG_DEPTH    = 64,
    parameter PROG_FILE     = "program.hex",
    parameter PROG_INIT     = 1    // 1: the program memory loads PROG_FILE; 0: written via prog_we
) (
    input  wire                clk,
    input  wire                rst_n,
    input  wire                start,
    input  wire                stop,        // end the program at the next descriptor (tie 0)
    input  wire                prog_we,     // program memory write port (tie 0 with PROG_INIT)
    input  wire [15:0]         prog_waddr,
    input  wire [25:0]         prog_wmask,
    input  wire [831:0]        prog_wdata,
    output wire                busy,
    output wire                done,
    output wire                layer_done,
    output wire [15:0]         layer_idx,
    output wire [31:0]         layer_cycles,
    output wire [ADDR_W-1:0]   m_axi_awaddr,
    output wire [7:0]          m_axi_awlen,
    output wire [2:0]          m_axi_awsize,
    output wire [1:0]          m_axi_awburst,
    output wire                m_axi_awvalid,
    input  wire                m_axi_awready,
    output wire [DATA_W-1:0]   m_axi_wdata,
    output wire [DATA_W/8-1:0] m_axi_wstrb,
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
  localparam ACT_AW   = (ACT_DEPTH > 1) ? $clog2(ACT_DEPTH) : 1;
  localparam ACC_AW   = (ACC_DEPTH > 1) ? $clog2(ACC_DEPTH) : 1;
  // WS + DOUBLE_BUFFER: two halves of W_GROUP blocks (weight streams); OS: two blocks
  localparam WB_DEPTH = (DOUBLE_BUFFER != 0) ? ((DATAFLOW == 0) ? 2 * W_GROUP * ROWS : 2 * ROWS) : ROWS;
  localparam WB_AW    = (WB_DEPTH > 1) ? $clog2(WB_DEPTH) : 1;
  // overlapped gathers (WS with DOUBLE_BUFFER): two activation banks of ACT_DEPTH words, bank 1
  // at word ACT_DEPTH; the gather writes one while the array reads the other
  localparam ACT_BANKS = ((DOUBLE_BUFFER != 0) && (DATAFLOW == 0)) ? 2 : 1;
  localparam ACTB_AW   = ACT_AW + ACT_BANKS - 1;   // ACT_DEPTH >= 2: clog2(2 * D) = clog2(D) + 1
  localparam LB_AW     = (POOL_DEPTH > 1) ? $clog2(POOL_DEPTH) : 1;

  // controller <-> DMA
  wire              dma_start, dma_done;
  wire [2:0]        dma_cmd;
  wire [ADDR_W-1:0] dma_base;
  wire [31:0]       dma_count;
  wire [15:0]       dma_p0, dma_q0, dma_roff, dma_soff;
  wire [17:0]       dma_ph0, dma_qw0, end_ph, end_qw;
  wire [ADDR_W-1:0] dma_x0, end_x, g_q_step, g_row_step, g_img_step;
  wire [7:0]        dma_cnt, dma_kch, dma_pad_value;
  wire [15:0]       dma_ridx0, dma_wstride;
  wire [WB_AW-1:0]  dma_waddr0;
  wire [15:0]       g_in_h, g_in_w, g_out_p, g_out_q, g_cstride, end_p, end_q;
  wire [7:0]        g_stride_h, g_stride_w, g_pad_t, g_pad_l;
  // buffers
  wire              act_we, wb_we, stg_we, bias_we;
  wire [ACT_AW-1:0] act_waddr, act_raddr, stg_waddr, stg_raddr;
  // staging: vector-unit / residual_add writes (controller) and SKIP writes (DMA) never coincide;
  // reads are the DMA's (store) except in a requantization pass (stg_rsel)
  wire              dma_stg_we, stg_rsel, add_fused, add_relu, add_mul;
  wire [ACT_AW-1:0] dma_stg_waddr, dma_stg_raddr, ctl_stg_raddr;
  wire [COLS*8-1:0] dma_stg_wdata, add_z;
  wire [15:0]       add_mult_y, add_mult_skip;
  wire [4:0]        add_shift;
  // fused max pool: pool_unit writes the completed pool pixels (never beside the other two)
  wire              pool_clr, pool_v, pool_first, pool_rodd, pool_cfirst, pool_codd, pool_we;
  wire [LB_AW-1:0]  pool_addr;
  wire [ACT_AW-1:0] pool_waddr;
  wire [COLS*8-1:0] pool_z;
  wire              stg_we_m = stg_we | dma_stg_we | pool_we;
  wire [ACT_AW-1:0] stg_waddr_m = dma_stg_we ? dma_stg_waddr : (pool_we ? pool_waddr : stg_waddr);
  wire [COLS*8-1:0] stg_wdata_m = dma_stg_we ? dma_stg_wdata : (pool_we ? pool_z : (add_fused ? add_z : vec_y));
  assign stg_raddr = stg_rsel ? ctl_stg_raddr : dma_stg_raddr;
  wire              act_rbank, act_wbank;
  wire [ACTB_AW-1:0] act_waddr_b, act_raddr_b;
  generate
    if (ACT_BANKS == 2) begin : g_act2
      localparam [ACTB_AW-1:0] BANK1 = ACT_DEPTH[ACTB_AW-1:0];
      assign act_waddr_b = {1'b0, act_waddr} + (act_wbank ? BANK1 : {ACTB_AW{1'b0}});
      assign act_raddr_b = {1'b0, act_raddr} + (act_rbank ? BANK1 : {ACTB_AW{1'b0}});
    end else begin : g_act1
      assign act_waddr_b = act_waddr;
      assign act_raddr_b = act_raddr;
      wire unused_bank = &{1'b0, act_wbank, act_rbank};
    end
  endgenerate
  wire [WB_AW-1:0]  wb_waddr, wb_raddr;
  wire [ROWS*8-1:0] act_wdata, act_rdata;
  wire [COLS*8-1:0] wb_wdata, wb_rdata, stg_rdata, vec_y;
  wire [COLS*32-1:0] bias_wdata, array_out, pre_out, acc_rdata;
  // datapath control
  wire              ws_w_shift, ws_w_bank, ws_in_valid, ws_a_bank, ws_out_valid;
  wire              os_ld, os_step, os_first, os_drain;
  wire [$clog2(ROWS+1)-1:0] os_ld_row;
  wire              acc_valid, acc_sel_pre;
  wire [1:0]        acc_op;
  wire [ACC_AW-1:0] acc_addr, acc_raddr;
  wire [15:0]       pre_scale, vec_mult;
  wire              pre_sel, bias_en, vec_relu;
  // activations: the clamp pair and the table (LOAD_T writes it through the DMA)
  wire              vec_clamp_en, vec_lut_en, tab_we;
  wire [7:0]        vec_clamp_lo, vec_clamp_hi, tab_waddr;
  wire [DATA_W-1:0] tab_wdata;
  wire [4:0]        vec_shift;
  reg  [COLS*32-1:0] acc_data_q;

  // depthwise unit (DW = 1): its sums into the accumulator in a depthwise layer
  wire              dw_sel, dw_wl, dw_start, dw_out_v;
  wire [1:0]        dw_slot;
  wire [3:0]        dw_coff;
  wire [15:0]       dw_h0;
  wire [7:0]        dw_r, dw_s;
  wire [COLS*32-1:0] dw_sum;
  // softmax unit (SOFTMAX = 1): its output words into the accumulator in place of the rows
  wire              row_sel, row_clr, row_ld, row_go, row_out_v, row_done;
  wire [15:0]       row_ldaddr, row_rem, row_n, row_mult;
  wire [4:0]        row_shift;
  wire [COLS*32-1:0] row_out;
  generate  // (SOFTMAX = 0: the accumulator's input as before the unit, so its netlist is unchanged)
    if (SOFTMAX != 0) begin : g_acc_smx
      always @(posedge clk)
        acc_data_q <= dw_sel ? dw_sum : (row_sel ? row_out : (acc_sel_pre ? pre_out : array_out));
    end else begin : g_acc
      always @(posedge clk) acc_data_q <= dw_sel ? dw_sum : (acc_sel_pre ? pre_out : array_out);
      wire unused_row_out = &{1'b0, row_out};
    end
  endgenerate

  controller #(
      .ROWS(ROWS), .COLS(COLS), .DATAFLOW(DATAFLOW), .ACT_DEPTH(ACT_DEPTH), .ACC_DEPTH(ACC_DEPTH),
      .DOUBLE_BUFFER(DOUBLE_BUFFER), .PACK(PACK), .WSKEW(WSKEW), .W_GROUP(W_GROUP), .FUSE_ADD(FUSE_ADD), .MUL(MUL), .ACT(ACT), .WIDE_GATHER(WIDE_GATHER), .POOL_DEPTH(POOL_DEPTH), .DW(DW), .DW_LW(DW_LW), .DW_SW(2), .SOFTMAX(SOFTMAX), .DATA_W(DATA_W), .ADDR_W(ADDR_W),
      .PROG_DEPTH(PROG_DEPTH), .PROG_FILE(PROG_FILE), .PROG_INIT(PROG_INIT)
  ) u_ctl (
      .clk(clk), .rst_n(rst_n), .start(start), .stop(stop), .prog_we(prog_we),
      .prog_waddr(prog_waddr), .prog_wmask(prog_wmask), .prog_wdata(prog_wdata), .busy(busy), .done(done),
      .layer_done(layer_done), .layer_idx(layer_idx), .layer_cycles(layer_cycles),
      .dma_start(dma_start), .dma_cmd(dma_cmd), .dma_done(dma_done), .dma_base(dma_base),
      .dma_count(dma_count), .dma_p0(dma_p0), .dma_q0(dma_q0), .dma_ph0(dma_ph0),
      .dma_qw0(dma_qw0), .dma_x0(dma_x0), .dma_roff(dma_roff), .dma_soff(dma_soff), .dma_cnt(dma_cnt), .dma_kch(dma_kch), .dma_ridx0(dma_ridx0), .dma_wstride(dma_wstride),
      .dma_pad_value(dma_pad_value), .dma_waddr0(dma_waddr0),
      .g_in_h(g_in_h), .g_in_w(g_in_w), .g_out_p(g_out_p), .g_out_q(g_out_q),
      .g_stride_h(g_stride_h), .g_stride_w(g_stride_w), .g_pad_t(g_pad_t), .g_pad_l(g_pad_l),
      .g_cstride(g_cstride), .g_q_step(g_q_step), .g_row_step(g_row_step),
      .g_img_step(g_img_step), .end_p(end_p), .end_q(end_q), .end_ph(end_ph), .end_qw(end_qw),
      .end_x(end_x), .act_raddr(act_raddr), .act_rbank(act_rbank), .act_wbank(act_wbank), .wb_raddr(wb_raddr), .ws_w_shift(ws_w_shift),
      .ws_w_bank(ws_w_bank), .ws_in_valid(ws_in_valid), .ws_a_bank(ws_a_bank), .wb_wr(wb_we), .ws_out_valid(ws_out_valid), .os_ld(os_ld), .os_ld_row(os_ld_row),
      .os_step(os_step), .os_first(os_first), .os_drain(os_drain), .acc_valid(acc_valid),
      .acc_op(acc_op), .acc_addr(acc_addr), .acc_sel_pre(acc_sel_pre), .acc_raddr(acc_raddr),
      .pre_scale(pre_scale), .pre_sel(pre_sel), .bias_en(bias_en), .vec_mult(vec_mult),
      .vec_shift(vec_shift), .vec_relu(vec_relu), .stg_we(stg_we), .stg_waddr(stg_waddr),
      .stg_rsel(stg_rsel), .stg_raddr(ctl_stg_raddr), .add_fused(add_fused), .add_mult_y(add_mult_y),
      .add_mult_skip(add_mult_skip), .add_shift(add_shift), .add_relu(add_relu), .add_mul(add_mul),
      .vec_clamp_en(vec_clamp_en), .vec_clamp_lo(vec_clamp_lo), .vec_clamp_hi(vec_clamp_hi),
      .vec_lut_en(vec_lut_en), .pool_clr(pool_clr), .pool_v(pool_v), .pool_first(pool_first),
      .pool_rodd(pool_rodd), .pool_cfirst(pool_cfirst), .pool_codd(pool_codd), .pool_addr(pool_addr),
      .dw_sel(dw_sel), .dw_wl(dw_wl), .dw_slot(dw_slot), .dw_coff(dw_coff), .dw_start(dw_start),
      .dw_h0(dw_h0), .dw_r(dw_r), .dw_s(dw_s), .dw_out_v(dw_out_v),
      .row_sel(row_sel), .row_clr(row_clr), .row_ld(row_ld), .row_ldaddr(row_ldaddr),
      .row_rem(row_rem), .row_go(row_go), .row_n(row_n), .row_mult(row_mult),
      .row_shift(row_shift), .row_out_v(row_out_v), .row_done(row_done));

  dma_axi #(
      .ADDR_W(ADDR_W), .DATA_W(DATA_W), .BURST_MAX(BURST_MAX), .ROWS(ROWS), .COLS(COLS),
      .ACT_AW(ACT_AW), .WB_AW(WB_AW), .STG_AW(ACT_AW), .RD_OUT(RD_OUT), .WR_OUT(WR_OUT),
      .WIDE(WIDE_GATHER),
      // the address registers only where the clock comes from the logic-depth proxy: the engine
      // without the wide gather is the iCE40's, short of logic cells, its clock from nextpnr
      .ADDR_REGS(WIDE_GATHER)
  ) u_dma (
      .clk(clk), .rst_n(rst_n), .start(dma_start), .cmd(dma_cmd), .done(dma_done),
      .base(dma_base), .count(dma_count), .p0(dma_p0), .q0(dma_q0), .ph0(dma_ph0), .qw0(dma_qw0),
      .x0(dma_x0), .roff(dma_roff), .soff(dma_soff), .cnt(dma_cnt), .kch(dma_kch), .ridx0(dma_ridx0), .wstride(dma_wstride),
      .pad_value(dma_pad_value), .waddr0(dma_waddr0),
      .in_h(g_in_h), .in_w(g_in_w), .out_p(g_out_p), .out_q(g_out_q), .stride_h(g_stride_h),
      .stride_w(g_stride_w), .pad_t(g_pad_t), .pad_l(g_pad_l), .cstride(g_cstride),
      .q_step(g_q_step), .row_step(g_row_step), .img_step(g_img_step),
      .end_p(end_p), .end_q(end_q), .end_ph(end_ph), .end_qw(end_qw), .end_x(end_x),
      .act_we(act_we), .act_waddr(act_waddr), .act_wdata(act_wdata),
      .wb_we(wb_we), .wb_waddr(wb_waddr), .wb_wdata(wb_wdata),
      .bias_we(bias_we), .bias_wdata(bias_wdata), .stg_raddr(dma_stg_raddr), .stg_rdata(stg_rdata),
      .stg_we(dma_stg_we), .stg_waddr(dma_stg_waddr), .stg_wdata(dma_stg_wdata),
      .tab_we(tab_we), .tab_waddr(tab_waddr), .tab_wdata(tab_wdata),
      .m_axi_awaddr(m_axi_awaddr), .m_axi_awlen(m_axi_awlen), .m_axi_awsize(m_axi_awsize),
      .m_axi_awburst(m_axi_awburst), .m_axi_awvalid(m_axi_awvalid), .m_axi_awready(m_axi_awready),
      .m_axi_wdata(m_axi_wdata), .m_axi_wstrb(m_axi_wstrb), .m_axi_wlast(m_axi_wlast),
      .m_axi_wvalid(m_axi_wvalid), .m_axi_wready(m_axi_wready), .m_axi_bresp(m_axi_bresp),
      .m_axi_bvalid(m_axi_bvalid), .m_axi_bready(m_axi_bready), .m_axi_araddr(m_axi_araddr),
      .m_axi_arlen(m_axi_arlen), .m_axi_arsize(m_axi_arsize), .m_axi_arburst(m_axi_arburst),
      .m_axi_arvalid(m_axi_arvalid), .m_axi_arready(m_axi_arready), .m_axi_rdata(m_axi_rdata),
      .m_axi_rresp(m_axi_rresp), .m_axi_rlast(m_axi_rlast), .m_axi_rvalid(m_axi_rvalid),
      .m_axi_rready(m_axi_rready));

  buffer_dp #(.W(ROWS * 8), .DEPTH(ACT_BANKS * ACT_DEPTH)) u_act (
      .clk(clk), .we(act_we), .waddr(act_waddr_b), .wdata(act_wdata), .raddr(act_raddr_b),
      .rdata(act_rdata));
  buffer_dp #(.W(COLS * 8), .DEPTH(WB_DEPTH)) u_wbuf (
      .clk(clk), .we(wb_we), .waddr(wb_waddr), .wdata(wb_wdata), .raddr(wb_raddr),
      .rdata(wb_rdata));
  buffer_dp #(.W(COLS * 8), .DEPTH(ACT_DEPTH)) u_stg (
      .clk(clk), .we(stg_we_m), .waddr(stg_waddr_m), .wdata(stg_wdata_m), .raddr(stg_raddr),
      .rdata(stg_rdata));
  acc_buffer #(.LANES(COLS), .DEPTH(ACC_DEPTH)) u_acc (
      .clk(clk), .acc_valid(acc_valid), .acc_op(acc_op), .acc_addr(acc_addr),
      .acc_data(acc_data_q), .rd_addr(acc_raddr), .rd_data(acc_rdata));

  vector_unit #(.LANES(COLS), .KT(ROWS), .ACT(ACT), .DATA_W(DATA_W), .RQ_W(RQ_W), .RQ_LUT(RQ_LUT),
                .SH_REG(WIDE_GATHER)) u_vec (
      .clk(clk), .bias_we(bias_we), .bias_wdata(bias_wdata), .pre_sel(pre_sel), .pre_act(act_rdata),
      .pre_scale(pre_scale), .pre_out(pre_out), .acc(acc_rdata),
      .bias_en(bias_en), .mult(vec_mult), .shift(vec_shift), .relu(vec_relu),
      .clamp_en(vec_clamp_en), .clamp_lo(vec_clamp_lo), .clamp_hi(vec_clamp_hi), .lut_en(vec_lut_en),
      .tab_we(tab_we), .tab_waddr(tab_waddr), .tab_wdata(tab_wdata), .y(vec_y));

  generate
    if (FUSE_ADD != 0) begin : g_add
      residual_add #(.LANES(COLS), .MUL(MUL), .SPLIT(WIDE_GATHER != 0 ? 1 : 0)) u_add (
          .clk(clk), .y(vec_y), .x(stg_rdata), .mult_y(add_mult_y), .mult_skip(add_mult_skip),
          .shift(add_shift), .relu(add_relu), .mul(add_mul), .z(add_z));
    end else begin : g_noadd
      assign add_z = vec_y;  // never selected: the controller ignores fuse_add
      wire unused_add = &{1'b0, add_mult_y, add_mult_skip, add_shift, add_relu, add_mul};
    end
  endgenerate

  generate
    if (POOL_DEPTH != 0) begin : g_pool
      pool_unit #(.LANES(COLS), .DEPTH(POOL_DEPTH), .OW(ACT_AW)) u_pool (
          .clk(clk), .clr(pool_clr), .in_v(pool_v), .y(vec_y), .row_first(pool_first),
          .row_odd(pool_rodd), .col_first(pool_cfirst), .col_odd(pool_codd), .addr(pool_addr),
          .out_we(pool_we), .out_waddr(pool_waddr), .out_z(pool_z));
    end else begin : g_nopool
      assign pool_we    = 1'b0;  // the controller ignores fuse_pool
      assign pool_waddr = {ACT_AW{1'b0}};
      assign pool_z     = {(COLS*8){1'b0}};
      wire unused_pool = &{1'b0, pool_clr, pool_v, pool_first, pool_rodd, pool_cfirst, pool_codd, pool_addr};
    end
  endgenerate

  // dw_unit: COLS lanes, its line buffer filled by the layer's gathers (the DMA writes chunk j of
  // the gathered pixel i at word j * 2^DW_LW + i: column i*stride_w + dw_coff, bank j), its
  // weights by the layer's LOAD_W rows (counted from the command's start)
  generate
    if (DW != 0) begin : g_dw
      localparam DCH = (ROWS < COLS) ? ROWS : COLS;      // bytes per gathered word = per bank
      localparam DNB = COLS / DCH;
      localparam DCW = (DNB > 1) ? $clog2(DNB) : 1;
      reg  [3:0]        wtap;
      wire              dw_busy;
      wire [DW_LW-1:0]  wi   = act_waddr[DW_LW-1:0];
      wire [DCW-1:0]    wch;
      if (DNB > 1) begin : g_ch
        assign wch = act_waddr[DW_LW+:DCW];
      end else begin : g_ch1
        assign wch = 1'b0;
      end
      wire [DW_LW-1:0]  wcol = ((g_stride_w == 8'd2) ? {wi[DW_LW-2:0], 1'b0} : wi) + {{(DW_LW-1){1'b0}}, dw_coff[0]};
      always @(posedge clk) wtap <= !dw_wl ? 4'd0 : wtap + {3'd0, wb_we};
      dw_unit #(.LANES(COLS), .CHUNK(DCH), .LW(DW_LW), .SLOTS(4), .TAPS(9), .DSP_FREE(1)) u_dw (
          .clk(clk), .rst_n(rst_n), .ld_we(act_we & dw_sel), .ld_slot(dw_slot), .ld_col(wcol),
          .ld_chunk(wch), .ld_data(act_wdata[DCH*8-1:0]), .wt_we(wb_we & dw_wl), .wt_tap(wtap),
          .wt_data(wb_wdata), .start(dw_start), .h0(dw_h0), .in_h(g_in_h), .in_w(g_in_w),
          .out_q(g_out_q), .r_k(dw_r[3:0]), .s_k(dw_s[3:0]), .stride_w(g_stride_w[3:0]),
          .pad_l(g_pad_l[3:0]), .busy(dw_busy), .out_v(dw_out_v), .out_sum(dw_sum));
      wire unused_dw = &{1'b0, act_waddr, dw_coff[3:1], dw_r[7:4], dw_s[7:4], dw_busy};
    end else begin : g_nodw
      assign dw_out_v = 1'b0;
      assign dw_sum   = {(COLS*32){1'b0}};
      wire unused_dw = &{1'b0, dw_sel, dw_wl, dw_slot, dw_coff, dw_start, dw_h0, dw_r, dw_s};
    end
  endgenerate

  // softmax_unit (SOFTMAX = 1, docs/engine.md#softmax-on-the-engine): min(ROWS, COLS) lanes (a
  // softmax descriptor's k_chunk), loaded from the accumulator's read port (row_ld registered
  // once more here, the cycle the data arrives), its codes back into the accumulator's lanes
  generate
    if (SOFTMAX != 0) begin : g_smx
      localparam SL = (ROWS < COLS) ? ROWS : COLS;
      localparam SAW = (SMX_WORDS > 1) ? $clog2(SMX_WORDS) : 1;
      reg              ld_q;
      reg  [SAW-1:0]   lda_q;
      reg  [SL-1:0]    ldm_q;
      wire [SL*8-1:0]  ld_bytes;
      wire [SL*8-1:0]  sm_out;
      wire [SAW-1:0]   sm_oaddr;
      wire             sm_busy;
      integer sl;
      always @(posedge clk) begin
        ld_q  <= row_ld;
        lda_q <= row_ldaddr[SAW-1:0];
        for (sl = 0; sl < SL; sl = sl + 1) ldm_q[sl] <= ({16'd0, row_rem} > sl);
      end
      genvar gl;
      for (gl = 0; gl < SL; gl = gl + 1) begin : g_lane
        assign ld_bytes[8*gl +: 8]   = acc_rdata[32*gl +: 8];
        assign row_out[32*gl +: 32]  = {24'd0, sm_out[8*gl +: 8]};  // codes 0..127
      end
      if (SL < COLS) begin : g_pad
        assign row_out[COLS*32-1:SL*32] = {((COLS-SL)*32){1'b0}};
      end
      softmax_unit #(.LANES(SL), .DEPTH(SMX_WORDS)) u_smx (
          .clk(clk), .rst_n(rst_n), .ld_clr(row_clr), .ld_we(ld_q), .ld_addr(lda_q), .ld_mask(ldm_q),
          .ld_data(ld_bytes), .mult(row_mult), .shift(row_shift), .go(row_go), .n(row_n),
          .busy(sm_busy), .done(row_done), .out_valid(row_out_v), .out_addr(sm_oaddr), .out_data(sm_out));
      wire unused_smx = &{1'b0, sm_busy, sm_oaddr, row_ldaddr, acc_rdata};
    end else begin : g_nosmx
      assign row_out_v = 1'b0;
      assign row_done  = 1'b0;
      assign row_out   = {(COLS*32){1'b0}};
      wire unused_smx = &{1'b0, row_sel, row_clr, row_ld, row_ldaddr, row_rem, row_go, row_n, row_mult, row_shift};
    end
  endgenerate

  generate
    if (DATAFLOW == 0) begin : g_ws
      systolic_ws #(.ROWS(ROWS), .COLS(COLS), .BANKS((DOUBLE_BUFFER != 0) ? 2 : 1), .PACK(PACK), .WSKEW(WSKEW)) u_array (
          .clk(clk), .rst_n(rst_n), .w_shift(ws_w_shift), .w_bank(ws_w_bank), .w_in(wb_rdata),
          .in_valid(ws_in_valid), .a_bank(ws_a_bank), .a_in(act_rdata), .out_valid(ws_out_valid),
          .out(array_out));
      wire unused_os = &{1'b0, os_ld, os_ld_row, os_step, os_first, os_drain};
    end else begin : g_os
      systolic_os #(.ROWS(ROWS), .COLS(COLS), .KT(ROWS)) u_array (
          .clk(clk), .rst_n(rst_n), .ld(os_ld), .ld_row(os_ld_row), .ld_word(act_rdata),
          .step(os_step), .first(os_first), .w_in(wb_rdata), .drain(os_drain), .out_row(array_out));
      assign ws_out_valid = 1'b0;
      wire unused_ws = &{1'b0, ws_w_shift, ws_w_bank, ws_in_valid, ws_a_bank};
    end
  endgenerate
endmodule
`default_nettype wire
