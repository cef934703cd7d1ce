// tb_dma_axi: the DMA against the DRAM model (RD_LAT 5, WR_LAT 3, BURST_MAX 2, 64-bit data).
// 1. Gather, 3x3 output pixels of a 4x5 (H x W) NHWC map with 5 channels, tap (r,s) = (0,0) of a
//    3x3 window with padding 1: 3 bytes from channel 1; padded positions get pad_value, bytes >=
//    cnt 0. The address steps are the descriptor's (q 5, row 25 - 2*5, image 100 - 2*25 - 2*5),
//    base = 64 + channel 1 + tap offset -(1*5 + 1)*5. The command's cycle count must be
//    2 + sum(pixel costs) (docs/engine.md); it must end at the next image (x = 100). A second
//    gather starts inside the map at (p, q) = (1, 2) and crosses a row.
// 2. Weights: 3 rows of 12 bytes (COLS 12, 2 beats per row) from an address 8 bytes before a
//    4 KiB boundary (split burst).
// 3. Store: 4 staging words of which 3 bytes go to unaligned addresses 5 bytes apart.
module tb_dma_axi;
  localparam ROWS = 4, COLS = 12, B = 8, RD = 5, WR = 3;
  reg clk = 0, rst_n = 0, start = 0;
  reg [1:0] cmd = 0;
  reg [31:0] base = 0, count = 0, x0 = 0;
  reg [15:0] p0 = 0, q0 = 0;
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
  wire [63:0] wdata, rdata; wire [7:0] wstrb;
  reg [ROWS*8-1:0] act [0:15];
  reg [COLS*8-1:0] wb [0:7];
  reg [7:0] exp_b;
  integer i, j, p, q, h, w, t0, cost, errors = 0, cyc = 0;

  dma_axi #(.DATA_W(64), .BURST_MAX(2), .ROWS(ROWS), .COLS(COLS), .ACT_AW(4), .WB_AW(3), .STG_AW(4)) dut (
    .clk(clk), .rst_n(rst_n), .start(start), .cmd(cmd), .done(done), .base(base), .count(count),
    .p0(p0), .q0(q0), .ph0({2'd0, p0}), .qw0({2'd0, q0}), .x0(x0), .roff(16'd0), .soff(16'd0),
    .cnt(cnt), .pad_value(8'hA5), .waddr0(3'd1), .in_h(16'd4), .in_w(16'd5), .out_p(16'd3),
    .out_q(16'd3), .stride_h(8'd1), .stride_w(8'd1), .pad_t(8'd1), .pad_l(8'd1), .cstride(16'd5),
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
  axi_dram_model #(.MEM_BYTES(8192), .RD_LAT(RD), .WR_LAT(WR)) mem (
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
    if (arvalid && arready && ((araddr & 4095) + (arlen + 1) * B > 4096)) begin
      errors = errors + 1; $display("read burst crosses 4 KiB");
    end
    if (arvalid && arready && arlen > 1) begin errors = errors + 1; $display("burst longer than BURST_MAX"); end
  end
  task run(input [1:0] c, input [31:0] b, input [31:0] n, input [7:0] k);
    begin
      cmd = c; base = b; count = n; cnt = k; start = 1; t0 = cyc;
      @(posedge clk); #1 start = 0;
      while (!done) begin @(posedge clk); #1; end
      cost = cyc - t0 + 1;  // start cycle .. done cycle (the controller adds its issue cycle)
      @(posedge clk); #1;
    end
  endtask
  initial begin
    for (i = 0; i < 8192; i = i + 1) mem.mem[i] = (i * 7 + 3) & 255;
    repeat (2) @(posedge clk); #1 rst_n = 1;
    // 1. gather of the map at 64
    run(2'd0, 32'd64 + 32'd1 - 32'd30, 32'd9, 8'd3);
    for (p = 0; p < 3; p = p + 1) for (q = 0; q < 3; q = q + 1) begin
      h = p - 1; w = q - 1;
      for (j = 0; j < ROWS; j = j + 1) begin
        if (h < 0 || w < 0) exp_b = 8'hA5;
        else if (j >= 3) exp_b = 0;
        else exp_b = mem.mem[64 + (h * 5 + w) * 5 + 1 + j];
        if (act[p*3+q][j*8+:8] !== exp_b) begin
          errors = errors + 1; $display("gather pixel %0d byte %0d: %h want %h", p*3+q, j, act[p*3+q][j*8+:8], exp_b);
        end
      end
    end
    // pixel costs: 5 padded (1 each); 4 inside at 65, 70, 90, 95 with 3 bytes; 70..72 and 95..97
    // span two words (2 beats, one burst), the others one. cost = 2 (start, done) + 5 +
    // sum(2 + RD + beats)
    i = 2 + 5 + (2 + RD + 1) + (2 + RD + 2) + (2 + RD + 1) + (2 + RD + 2);
    if (cost != i) begin errors = errors + 1; $display("gather cycles %0d want %0d", cost, i); end
    if (end_p != 0 || end_q != 0 || end_ph != 0 || end_qw != 0 || end_x != 100) begin
      errors = errors + 1; $display("end %0d %0d %0d %0d %0d", end_p, end_q, end_ph, end_qw, end_x);
    end
    // pixels (1, 2) and (2, 0): input (0, 1) at 70 and a padded one; ends at (2, 1), x = 55
    p0 = 1; q0 = 2; x0 = 35;
    run(2'd0, 32'd64 + 32'd1 - 32'd30, 32'd2, 8'd3);
    for (j = 0; j < 3; j = j + 1)
      if (act[0][j*8+:8] !== mem.mem[70 + j] || act[1][j*8+:8] !== 8'hA5) begin
        errors = errors + 1; $display("second gather byte %0d", j);
      end
    if (end_p != 2 || end_q != 1 || end_ph != 2 || end_qw != 1 || end_x != 55) begin
      errors = errors + 1; $display("end %0d %0d %0d %0d %0d", end_p, end_q, end_ph, end_qw, end_x);
    end
    // 2. weights: 3 rows x 2 beats = 6 beats from 4096-16: bursts 2 | 2 (after the boundary) | 2
    run(2'd1, 32'd4080, 32'd3, 8'd0);
    for (i = 0; i < 3; i = i + 1) for (j = 0; j < COLS; j = j + 1)
      if (wb[1 + i][j*8+:8] !== mem.mem[4080 + 16 * i + j]) begin
        errors = errors + 1; $display("weight row %0d byte %0d", i, j);
      end
    if (cost != 2 + 3 * (RD + 2)) begin errors = errors + 1; $display("weight cycles %0d", cost); end
    // 3. store 4 pixels of 3 bytes at base + i*stride = 203, 208, 213, 218
    for (i = 0; i < 16; i = i + 1) for (j = 0; j < COLS; j = j + 1) stg[i][j*8+:8] = 8'h10 * i + j;
    run(2'd3, 32'd203, 32'd4, 8'd3);
    for (i = 0; i < 4; i = i + 1) for (j = 0; j < 4; j = j + 1) begin
      exp_b = (j < 3) ? 8'h10 * i + j : (((203 + 5 * i + j) * 7 + 3) & 255);
      if (mem.mem[203 + 5 * i + j] !== exp_b) begin
        errors = errors + 1; $display("store pixel %0d byte %0d: %h want %h", i, j, mem.mem[203 + 5*i + j], exp_b);
      end
    end
    // each run lies in one 8-byte word: 1 + (1 AW + 1 beat + WR) per pixel
    if (cost != 2 + 4 * (1 + 1 + 1 + WR)) begin errors = errors + 1; $display("store cycles %0d", cost); end
    if (errors == 0) $display("PASS tb_dma_axi"); else $display("FAIL tb_dma_axi %0d errors", errors);
    $finish;
  end
endmodule
