// tb_controller: the controller alone on tb_controller_program.hex (one GEMM descriptor: 1x1 conv,
// 3x3 map, C = K = 3 on a 2x2 WS array, k_chunk = n_chunk = 2, m_tile 5, bias; then End; words
// 16..23 as LayerDescriptor::encode derives them) with a
// DMA stub that finishes every command at once and an array stub with the WS latency. Checks the
// command sequence (per M tile: 2 gathers, 4 weight loads, 2 bias loads, 2 stores), the
// accumulator traffic, layer_done / layer_idx / layer_cycles and done. Expected layer cycles:
//   bookkeeping 4 + 1 + 2 * (2 + 2 + 2*2) = 21; 20 commands x 3 = 60;
//   WS passes (2 + mt + 2 + 2 + 1) + 1 = mt + 8: 4 x 13 + 4 x 12 = 100; VEC (mt + 4): 2x9 + 2x8 = 34
//   total 215.
module tb_controller;
  reg clk = 0, rst_n = 0, start = 0;
  wire busy, done, layer_done;
  wire [15:0] layer_idx;
  wire [31:0] layer_cycles;
  wire dma_start; wire [2:0] dma_cmd; reg dma_done = 0;
  wire [31:0] dma_base, dma_count, x0, q_step, row_step, img_step;
  wire [15:0] p0, q0, roff, soff;
  wire [17:0] ph0, qw0;
  wire [7:0] dcnt, padv;
  wire [0:0] waddr0;
  wire [15:0] in_h, in_w, out_p, out_q, cstride;
  wire [7:0] sh, sw, pt, pl;
  wire [3:0] act_raddr, stg_waddr;
  wire [0:0] wb_raddr;
  wire w_shift, in_valid, os_ld, os_step, os_first, os_drain, acc_valid, acc_sel_pre;
  wire [1:0] os_ld_row, acc_op;
  wire [4:0] acc_addr, acc_raddr;
  wire [15:0] pre_scale, vec_mult;
  wire pre_sel, bias_en, vec_relu, stg_we;
  wire [4:0] vec_shift;
  reg [2:0] vpipe = 0;
  integer ncmd [0:3];
  integer nacc = 0, nacc_first = 0, cyc = 0, errors = 0, layers = 0, store_base_sum = 0;
  controller #(.ROWS(2), .COLS(2), .DATAFLOW(0), .ACT_DEPTH(16), .ACC_DEPTH(32), .PROG_DEPTH(4),
               .PROG_FILE("tb_controller_program.hex")) dut (
    .clk(clk), .rst_n(rst_n), .start(start), .stop(1'b0), .prog_we(1'b0), .prog_waddr(16'd0),
    .prog_wmask(26'd0), .prog_wdata(832'd0), .busy(busy), .done(done), .layer_done(layer_done),
    .layer_idx(layer_idx), .layer_cycles(layer_cycles), .dma_start(dma_start), .dma_cmd(dma_cmd),
    .dma_done(dma_done), .dma_base(dma_base), .dma_count(dma_count), .dma_p0(p0), .dma_q0(q0),
    .dma_ph0(ph0), .dma_qw0(qw0), .dma_x0(x0), .dma_roff(roff), .dma_soff(soff), .dma_cnt(dcnt), .dma_pad_value(padv), .dma_waddr0(waddr0), .g_in_h(in_h), .g_in_w(in_w),
    .g_out_p(out_p), .g_out_q(out_q), .g_stride_h(sh), .g_stride_w(sw), .g_pad_t(pt), .g_pad_l(pl),
    .g_cstride(cstride), .g_q_step(q_step), .g_row_step(row_step), .g_img_step(img_step),
    .end_p(16'd0), .end_q(16'd0), .end_ph(18'd0), .end_qw(18'd0), .end_x(32'd0), .act_raddr(act_raddr),
    .wb_raddr(wb_raddr), .ws_w_shift(w_shift), .ws_in_valid(in_valid), .wb_wr(1'b0), .ws_out_valid(vpipe[2]),
    .os_ld(os_ld), .os_ld_row(os_ld_row), .os_step(os_step), .os_first(os_first),
    .os_drain(os_drain), .acc_valid(acc_valid), .acc_op(acc_op), .acc_addr(acc_addr),
    .acc_sel_pre(acc_sel_pre), .acc_raddr(acc_raddr), .pre_scale(pre_scale),
    .pre_sel(pre_sel), .bias_en(bias_en), .vec_mult(vec_mult), .vec_shift(vec_shift), .vec_relu(vec_relu),
    .stg_we(stg_we), .stg_waddr(stg_waddr));
  always #5 clk = ~clk;
  always @(posedge clk) begin
    cyc <= cyc + 1;
    dma_done <= dma_start;
    vpipe <= {vpipe[1:0], in_valid};
    if (dma_start) begin
      ncmd[dma_cmd] = ncmd[dma_cmd] + 1;
      if (dma_cmd == 3'd3) store_base_sum = store_base_sum + dma_base;
    end
    if (acc_valid) begin nacc = nacc + 1; if (acc_op == 2'd0) nacc_first = nacc_first + 1; end
    if (layer_done) begin
      layers = layers + 1;
      if (layer_idx != 0 || layer_cycles != 215) begin
        errors = errors + 1; $display("layer_done idx %0d cycles %0d, want 0 and 215", layer_idx, layer_cycles);
      end
    end
  end
  initial begin
    ncmd[0] = 0; ncmd[1] = 0; ncmd[2] = 0; ncmd[3] = 0;
    repeat (2) @(posedge clk); #1 rst_n = 1;
    start = 1; @(posedge clk); #1 start = 0;
    while (!done && cyc < 2000) @(posedge clk);
    if (!done) begin errors = errors + 1; $display("no done"); end
    if (layers != 1) begin errors = errors + 1; $display("%0d layer_done pulses", layers); end
    if (ncmd[0] != 4 || ncmd[1] != 8 || ncmd[2] != 4 || ncmd[3] != 4) begin
      errors = errors + 1; $display("commands %0d %0d %0d %0d", ncmd[0], ncmd[1], ncmd[2], ncmd[3]);
    end
    // out_base 0x400 + output-channel offsets 0, 2 + M-tile offsets 0, m_tile * out_cstride = 15
    if (store_base_sum != 4 * 32'h400 + 2 * 2 + 2 * 15) begin errors = errors + 1; $display("store bases"); end
    if (nacc != 36 || nacc_first != 18) begin errors = errors + 1; $display("acc %0d first %0d", nacc, nacc_first); end
    if (errors == 0) $display("PASS tb_controller"); else $display("FAIL tb_controller %0d errors", errors);
    $finish;
  end
endmodule
