// tb_dma_axi: the DMA against the DRAM model, in six configurations at once (read/write latency,
// bursts in flight RD_OUT/WR_OUT, data width; BURST_MAX 2 so that runs split into bursts). Each
// case (dma_case) checks data and the exact cycles of every command against an event model of the
// DMA written here independently of the C++ one (docs/engine.md#cycle-behaviour), and that the
// bursts in flight reach but never exceed RD_OUT / WR_OUT.
// 1. Gather, 3x3 output pixels of a 4x5 (H x W) NHWC map with 5 channels, tap (r,s) = (0,0) of a
//    3x3 window with padding 1: 3 bytes from channel 1; padded positions get pad_value, bytes >=
//    cnt 0. The address steps are the descriptor's (q 5, row 25 - 2*5, image 100 - 2*25 - 2*5),
//    base = 64 + channel 1 + tap offset -(1*5 + 1)*5; it must end at the next image (x = 100).
//    A second gather starts inside the map at (p, q) = (1, 2) and crosses a row.
// 2. Weights: 3 rows of 12 bytes (COLS 12) from 16 bytes before a 4 KiB boundary (split burst).
// 3. Store: 4 staging words of which 3 bytes go to unaligned addresses 5 bytes apart, then 9 words
//    of 12 bytes 21 bytes apart (several bursts per pixel on 32-bit data).
module dma_case #(
    parameter RD = 5, parameter WR = 3, parameter RD_OUT = 1, parameter WR_OUT = 1,
    parameter DW = 64, parameter ID = 0
) (
    output reg finished,
    output integer errors
);
  localparam ROWS = 4, COLS = 12, B = DW / 8, BURST = 2;
  localparam ROW_BYTES = ((COLS + B - 1) / B) * B;
  reg clk = 0, rst_n = 0, start = 0;
  reg [2:0] cmd = 0;
  reg [31:0] base = 0, count = 0, x0 = 0;
  reg [15:0] p0 = 0, q0 = 0, cstride = 5;
  reg [7:0] cnt = 0;
  wire done;
  wire act_we, wb_we, bias_we;
  wire [3:0] act_waddr, stg_raddr;
  wire [2:0] wb_waddr;
  wire [ROWS*8-1:0] act_wdata;
  wire [COLS*8-1:0] wb_wdata;
  wire [COLS*32-1:0] bias_wdata;
  wire [15:0] end_p, end_q;
  wire [17:0] end_ph, end_qw;
  wire [31:0] end_x;
  reg [COLS*8-1:0] stg [0:15];
  wire [31:0] awaddr, araddr; wire [7:0] awlen, arlen; wire [2:0] awsize, arsize;
  wire [1:0] awburst, arburst, bresp, rresp;
  wire awvalid, awready, wlast, wvalid, wready, bvalid, bready, arvalid, arready, rlast, rvalid, rready;
  wire [DW-1:0] wdata, rdata; wire [B-1:0] wstrb;
  reg [ROWS*8-1:0] act [0:15];
  reg [COLS*8-1:0] wb [0:7];
  reg [7:0] exp_b;
  integer i, j, p, q, h, w, t0, cost, cyc = 0, rd_fly = 0, wr_fly = 0, rd_max = 0, wr_max = 0;

  dma_axi #(.DATA_W(DW), .BURST_MAX(BURST), .ROWS(ROWS), .COLS(COLS), .ACT_AW(4), .WB_AW(3), .STG_AW(4),
            .RD_OUT(RD_OUT), .WR_OUT(WR_OUT)) dut (
    .clk(clk), .rst_n(rst_n), .start(start), .cmd(cmd), .done(done), .base(base), .count(count),
    .p0(p0), .q0(q0), .ph0({2'd0, p0}), .qw0({2'd0, q0}), .x0(x0), .roff(16'd0), .soff(16'd0),
    .cnt(cnt), .kch(cnt), .ridx0(16'd0), .wstride(count[15:0]), .pad_value(8'hA5), .waddr0(3'd1), .in_h(16'd4), .in_w(16'd5), .out_p(16'd3),
    .out_q(16'd3), .stride_h(8'd1), .stride_w(8'd1), .pad_t(8'd1), .pad_l(8'd1), .cstride(cstride),
    .q_step(32'd5), .row_step(32'd15), .img_step(32'd40),
    .end_p(end_p), .end_q(end_q), .end_ph(end_ph), .end_qw(end_qw), .end_x(end_x),
    .act_we(act_we), .act_waddr(act_waddr), .act_wdata(act_wdata), .wb_we(wb_we), .wb_waddr(wb_waddr),
    .wb_wdata(wb_wdata), .bias_we(bias_we), .bias_wdata(bias_wdata), .stg_raddr(stg_raddr),
    .stg_rdata(stg[stg_raddr]),
    .m_axi_awaddr(awaddr), .m_axi_awlen(awlen), .m_axi_awsize(awsize), .m_axi_awburst(awburst),
    .m_axi_awvalid(awvalid), .m_axi_awready(awready), .m_axi_wdata(wdata), .m_axi_wstrb(wstrb),
    .m_axi_wlast(wlast), .m_axi_wvalid(wvalid), .m_axi_wready(wready), .m_axi_bresp(bresp),
    .m_axi_bvalid(bvalid), .m_axi_bready(bready), .m_axi_araddr(araddr), .m_axi_arlen(arlen),
    .m_axi_arsize(arsize), .m_axi_arburst(arburst), .m_axi_arvalid(arvalid), .m_axi_arready(arready),
    .m_axi_rdata(rdata), .m_axi_rresp(rresp), .m_axi_rlast(rlast), .m_axi_rvalid(rvalid),
    .m_axi_rready(rready));
  axi_dram_model #(.DATA_W(DW), .MEM_BYTES(8192), .RD_LAT(RD), .WR_LAT(WR), .RD_ACCEPT(RD_OUT),
                   .WR_ACCEPT(WR_OUT), .MAX_BURST(BURST)) mem (
    .clk(clk), .rst_n(rst_n), .dump(1'b0),
    .s_axi_awaddr(awaddr), .s_axi_awlen(awlen), .s_axi_awsize(awsize), .s_axi_awburst(awburst),
    .s_axi_awvalid(awvalid), .s_axi_awready(awready), .s_axi_wdata(wdata), .s_axi_wstrb(wstrb),
    .s_axi_wlast(wlast), .s_axi_wvalid(wvalid), .s_axi_wready(wready), .s_axi_bresp(bresp),
    .s_axi_bvalid(bvalid), .s_axi_bready(bready), .s_axi_araddr(araddr), .s_axi_arlen(arlen),
    .s_axi_arsize(arsize), .s_axi_arburst(arburst), .s_axi_arvalid(arvalid), .s_axi_arready(arready),
    .s_axi_rdata(rdata), .s_axi_rresp(rresp), .s_axi_rlast(rlast), .s_axi_rvalid(rvalid),
    .s_axi_rready(rready));
  always #5 clk = ~clk;
  always @(posedge clk) begin
    cyc <= cyc + 1;
    if (act_we) act[act_waddr] <= act_wdata;
    if (wb_we) wb[wb_waddr] <= wb_wdata;
    if (rst_n) begin
      rd_fly = rd_fly + ((arvalid && arready) ? 1 : 0) - ((rvalid && rready && rlast) ? 1 : 0);
      wr_fly = wr_fly + ((awvalid && awready) ? 1 : 0) - ((bvalid && bready) ? 1 : 0);
      if (rd_fly > rd_max) rd_max = rd_fly;
      if (wr_fly > wr_max) wr_max = wr_fly;
    end
    if (rst_n && ((arvalid && !arready) || (awvalid && !awready))) begin
      errors = errors + 1; $display("case %0d: address refused (DMA above the acceptance)", ID);
    end
  end

  // ---- event model of the DMA's commands (docs/engine.md#cycle-behaviour)
  integer m_t, m_ret, m_k, m_lastb, m_ev;
  integer m_ev_t [0:15];  // pop cycles (reads) or B cycles (writes) of the last 16 entries
  task m_begin; begin m_t = 1; m_ret = 0; m_k = 0; m_lastb = 0; end endtask
  task m_slot(input integer n, input integer t); begin
    m_ev = t;
    if (m_k >= n && m_ev_t[(m_k - n) % 16] + 1 > m_ev) m_ev = m_ev_t[(m_k - n) % 16] + 1;
  end endtask
  task m_pad; begin
    m_slot(RD_OUT, m_t);
    m_t = m_ev + 1;
    if (m_ret + 1 > m_ev + 1) m_ret = m_ret + 1; else m_ret = m_ev + 1;
    m_ev_t[m_k % 16] = m_ret; m_k = m_k + 1;
  end endtask
  // bursts of n bytes at a: read (is_rd) or write
  task m_bursts(input integer a, input integer n, input is_rd);
    integer al, rem, len, first;
    begin
      al = a - a % B; rem = (a % B + n + B - 1) / B;
      while (rem > 0) begin
        len = rem; if (len > BURST) len = BURST; if (len > (4096 - al % 4096) / B) len = (4096 - al % 4096) / B;
        if (is_rd) begin
          m_slot(RD_OUT, m_t);
          first = m_ev + RD; if (m_ret + 1 > first) first = m_ret + 1;
          m_ret = first + len - 1; m_ev_t[m_k % 16] = m_ret; m_k = m_k + 1; m_t = m_ev + 1;
        end else begin
          m_slot(WR_OUT, m_t);
          m_t = m_ev + len + 1; m_lastb = m_ev + len + WR; m_ev_t[m_k % 16] = m_lastb; m_k = m_k + 1;
        end
        rem = rem - len; al = al + len * B;
      end
    end
  endtask
  // a gather pixel's first AR leaves in its address cycle; a store pixel has an address cycle first
  task m_pixel(input integer a, input integer n, input is_rd); begin m_t = m_t + (is_rd ? 0 : 1); m_bursts(a, n, is_rd); end endtask
  // start cycle .. done cycle (the controller adds its issue cycle)
  function integer m_cost(input integer dummy);
    begin
      m_cost = (m_t > m_ret + 1 ? m_t : m_ret + 1);
      if (m_lastb + 1 > m_cost) m_cost = m_lastb + 1;
      m_cost = m_cost + 2 + dummy;
    end
  endfunction

  task run(input [1:0] c, input [31:0] b, input [31:0] n, input [7:0] k);
    begin
      cmd = c; base = b; count = n; cnt = k; start = 1; t0 = cyc;
      @(posedge clk); #1 start = 0;
      while (!done) begin @(posedge clk); #1; end
      cost = cyc - t0 + 1;
      @(posedge clk); #1;
    end
  endtask
  task expect_cost(input [8*8-1:0] what);
    begin
      if (cost != m_cost(0)) begin
        errors = errors + 1; $display("case %0d: %0s cycles %0d, model %0d", ID, what, cost, m_cost(0));
      end
    end
  endtask

  integer ww0;
  initial begin
    errors = 0; finished = 0;
    for (i = 0; i < 8192; i = i + 1) mem.mem[i] = (i * 7 + 3 + ID) & 255;
    repeat (2) @(posedge clk); #1 rst_n = 1;
    // 1. gather of the map at 64
    run(2'd0, 32'd64 + 32'd1 - 32'd30, 32'd9, 8'd3);
    m_begin;
    for (p = 0; p < 3; p = p + 1) for (q = 0; q < 3; q = q + 1) begin
      h = p - 1; w = q - 1;
      if (h < 0 || w < 0) m_pad; else m_pixel(64 + (h * 5 + w) * 5 + 1, 3, 1'b1);
      for (j = 0; j < ROWS; j = j + 1) begin
        if (h < 0 || w < 0) exp_b = 8'hA5;
        else if (j >= 3) exp_b = 0;
        else exp_b = mem.mem[64 + (h * 5 + w) * 5 + 1 + j];
        if (act[p*3+q][j*8+:8] !== exp_b) begin
          errors = errors + 1; $display("case %0d: gather pixel %0d byte %0d: %h want %h", ID, p*3+q, j, act[p*3+q][j*8+:8], exp_b);
        end
      end
    end
    expect_cost("gather");
    if (end_p != 0 || end_q != 0 || end_ph != 0 || end_qw != 0 || end_x != 100) begin
      errors = errors + 1; $display("case %0d: end %0d %0d %0d %0d %0d", ID, end_p, end_q, end_ph, end_qw, end_x);
    end
    // pixels (1, 2) and (2, 0): input (0, 1) at 70 and a padded one; ends at (2, 1), x = 55
    p0 = 1; q0 = 2; x0 = 35;
    run(2'd0, 32'd64 + 32'd1 - 32'd30, 32'd2, 8'd3);
    m_begin; m_pixel(70, 3, 1'b1); m_pad;
    expect_cost("gather2");
    for (j = 0; j < 3; j = j + 1)
      if (act[0][j*8+:8] !== mem.mem[70 + j] || act[1][j*8+:8] !== 8'hA5) begin
        errors = errors + 1; $display("case %0d: second gather byte %0d", ID, j);
      end
    if (end_p != 2 || end_q != 1 || end_ph != 2 || end_qw != 1 || end_x != 55) begin
      errors = errors + 1; $display("case %0d: end %0d %0d %0d %0d %0d", ID, end_p, end_q, end_ph, end_qw, end_x);
    end
    // 2. weights: 3 rows of ROW_BYTES from 4096 - 16, across the boundary
    run(2'd1, 32'd4080, 32'd3, 8'd0);
    m_begin; m_bursts(4080, 3 * ROW_BYTES, 1'b1);
    for (i = 0; i < 3; i = i + 1) for (j = 0; j < COLS; j = j + 1)
      if (wb[1 + i][j*8+:8] !== mem.mem[4080 + ROW_BYTES * i + j]) begin
        errors = errors + 1; $display("case %0d: weight row %0d byte %0d", ID, i, j);
      end
    expect_cost("weights");
    // 3. store 4 pixels of 3 bytes at 203 + 5i, then 9 pixels of 12 bytes at 1000 + 21i
    for (i = 0; i < 16; i = i + 1) for (j = 0; j < COLS; j = j + 1) stg[i][j*8+:8] = 8'h10 * i + j;
    run(2'd3, 32'd203, 32'd4, 8'd3);
    m_begin; for (i = 0; i < 4; i = i + 1) m_pixel(203 + 5 * i, 3, 1'b0);
    expect_cost("store");
    for (i = 0; i < 4; i = i + 1) for (j = 0; j < 4; j = j + 1) begin
      exp_b = (j < 3) ? 8'h10 * i + j : (((203 + 5 * i + j) * 7 + 3 + ID) & 255);
      if (mem.mem[203 + 5 * i + j] !== exp_b) begin
        errors = errors + 1; $display("case %0d: store pixel %0d byte %0d: %h want %h", ID, i, j, mem.mem[203 + 5*i + j], exp_b);
      end
    end
    cstride = 21;
    run(2'd3, 32'd1000, 32'd9, 8'd12);
    m_begin; for (i = 0; i < 9; i = i + 1) m_pixel(1000 + 21 * i, 12, 1'b0);
    expect_cost("store2");
    for (i = 0; i < 9; i = i + 1) for (j = 0; j < 12; j = j + 1)
      if (mem.mem[1000 + 21 * i + j] !== 8'h10 * i + j) begin
        errors = errors + 1; $display("case %0d: store2 pixel %0d byte %0d", ID, i, j);
      end
    if (rd_max > RD_OUT || wr_max > WR_OUT || (RD_OUT > 1 && rd_max < 2) || (WR_OUT > 1 && wr_max < 2)) begin
      errors = errors + 1; $display("case %0d: bursts in flight read %0d write %0d", ID, rd_max, wr_max);
    end
    $display("case %0d (RD %0d WR %0d RD_OUT %0d WR_OUT %0d DATA_W %0d): %0d errors, most in flight %0d / %0d",
             ID, RD, WR, RD_OUT, WR_OUT, DW, errors, rd_max, wr_max);
    finished = 1;
  end
endmodule

module tb_dma_axi;
  wire [5:0] fin;
  wire [31:0] e0, e1, e2, e3, e4, e5;
  dma_case #(.RD(5),  .WR(3),  .RD_OUT(1), .WR_OUT(1), .DW(64),  .ID(0)) c0 (.finished(fin[0]), .errors(e0));
  dma_case #(.RD(5),  .WR(3),  .RD_OUT(4), .WR_OUT(4), .DW(64),  .ID(1)) c1 (.finished(fin[1]), .errors(e1));
  dma_case #(.RD(40), .WR(20), .RD_OUT(4), .WR_OUT(4), .DW(64),  .ID(2)) c2 (.finished(fin[2]), .errors(e2));
  dma_case #(.RD(60), .WR(30), .RD_OUT(8), .WR_OUT(8), .DW(128), .ID(3)) c3 (.finished(fin[3]), .errors(e3));
  dma_case #(.RD(30), .WR(12), .RD_OUT(1), .WR_OUT(2), .DW(128), .ID(4)) c4 (.finished(fin[4]), .errors(e4));
  dma_case #(.RD(33), .WR(17), .RD_OUT(8), .WR_OUT(3), .DW(32),  .ID(5)) c5 (.finished(fin[5]), .errors(e5));
  initial begin
    wait (&fin);
    if (e0 + e1 + e2 + e3 + e4 + e5 == 0) $display("PASS tb_dma_axi");
    else $display("FAIL tb_dma_axi %0d errors", e0 + e1 + e2 + e3 + e4 + e5);
    $finish;
  end
endmodule
