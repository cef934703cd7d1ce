// tb_spram_axi: spram_axi in lockstep with the DRAM model it stands in for (axi_dram_model, same
// RD_LAT / WR_LAT), for three parameter sets (RD/WR 1/1 and 2/1 at 32 bits, 5/3 at 64 bits).
// Both memories start with the same bytes (spram_axi's written over its host port), then a random
// master runs 300 bursts of 1..8 beats, one at a time, writes with random strobes and reads with
// rready sometimes low; every cycle the two slaves' handshake outputs must be equal, and rdata
// whenever rvalid. Finally the host port reads spram_axi back byte by byte against the model.
module tb_spram_axi;
  reg clk = 1'b0, rst_n = 1'b0;
  always #5 clk = ~clk;
  wire [2:0] err, fin;
  spram_pair #(.RD(1), .WR(1), .DW(32), .SEED(11)) p0 (.clk(clk), .rst_n(rst_n), .err(err[0]), .fin(fin[0]));
  spram_pair #(.RD(2), .WR(1), .DW(32), .SEED(22)) p1 (.clk(clk), .rst_n(rst_n), .err(err[1]), .fin(fin[1]));
  spram_pair #(.RD(5), .WR(3), .DW(64), .SEED(33)) p2 (.clk(clk), .rst_n(rst_n), .err(err[2]), .fin(fin[2]));
  initial begin
    repeat (4) @(posedge clk);
    rst_n <= 1'b1;
    wait (&fin);
    @(posedge clk);
    if (|err) $display("tb_spram_axi: FAIL (%b)", err);
    else $display("tb_spram_axi: PASS");
    $finish;
  end
endmodule

module spram_pair #(
    parameter RD = 2, parameter WR = 1, parameter DW = 32, parameter SEED = 1
) (
    input wire clk, input wire rst_n, output reg err, output reg fin
);
  localparam B = DW / 8, MEM = 4096, NOPS = 300;
  localparam [2:0] SZ = $clog2(B);
  reg  [31:0] awaddr = 0, araddr = 0;
  reg  [7:0]  awlen = 0, arlen = 0;
  reg         awvalid = 0, arvalid = 0, wvalid = 0, wlast = 0, rready = 1;
  reg  [DW-1:0] wdata = 0;
  reg  [B-1:0]  wstrb = 0;
  reg         host_clr = 0, host_we = 0, host_re = 0;
  reg  [7:0]  host_wdata = 0;
  wire [7:0]  host_rdata;
  wire        a_awready, a_wready, a_bvalid, a_arready, a_rvalid, a_rlast;
  wire        m_awready, m_wready, m_bvalid, m_arready, m_rvalid, m_rlast;
  wire [1:0]  a_bresp, a_rresp, m_bresp, m_rresp;
  wire [DW-1:0] a_rdata, m_rdata;
  integer seed, op, k, beats, i;
  reg [7:0] byte0;

  spram_axi #(.ADDR_W(32), .DATA_W(DW), .MEM_BYTES(MEM), .RD_LAT(RD), .WR_LAT(WR)) a (
      .clk(clk), .rst_n(rst_n), .host_clr(host_clr), .host_we(host_we), .host_re(host_re),
      .host_wdata(host_wdata), .host_rdata(host_rdata),
      .s_axi_awaddr(awaddr), .s_axi_awlen(awlen), .s_axi_awsize(SZ), .s_axi_awburst(2'b01),
      .s_axi_awvalid(awvalid), .s_axi_awready(a_awready), .s_axi_wdata(wdata), .s_axi_wstrb(wstrb),
      .s_axi_wlast(wlast), .s_axi_wvalid(wvalid), .s_axi_wready(a_wready), .s_axi_bresp(a_bresp),
      .s_axi_bvalid(a_bvalid), .s_axi_bready(1'b1), .s_axi_araddr(araddr), .s_axi_arlen(arlen),
      .s_axi_arsize(SZ), .s_axi_arburst(2'b01), .s_axi_arvalid(arvalid), .s_axi_arready(a_arready),
      .s_axi_rdata(a_rdata), .s_axi_rresp(a_rresp), .s_axi_rlast(a_rlast), .s_axi_rvalid(a_rvalid),
      .s_axi_rready(rready));
  axi_dram_model #(.ADDR_W(32), .DATA_W(DW), .MEM_BYTES(MEM), .RD_LAT(RD), .WR_LAT(WR), .RD_ACCEPT(1), .WR_ACCEPT(1)) m (
      .clk(clk), .rst_n(rst_n), .dump(1'b0),
      .s_axi_awaddr(awaddr), .s_axi_awlen(awlen), .s_axi_awsize(SZ), .s_axi_awburst(2'b01),
      .s_axi_awvalid(awvalid), .s_axi_awready(m_awready), .s_axi_wdata(wdata), .s_axi_wstrb(wstrb),
      .s_axi_wlast(wlast), .s_axi_wvalid(wvalid), .s_axi_wready(m_wready), .s_axi_bresp(m_bresp),
      .s_axi_bvalid(m_bvalid), .s_axi_bready(1'b1), .s_axi_araddr(araddr), .s_axi_arlen(arlen),
      .s_axi_arsize(SZ), .s_axi_arburst(2'b01), .s_axi_arvalid(arvalid), .s_axi_arready(m_arready),
      .s_axi_rdata(m_rdata), .s_axi_rresp(m_rresp), .s_axi_rlast(m_rlast), .s_axi_rvalid(m_rvalid),
      .s_axi_rready(rready));

  // lockstep check, between edges
  always @(negedge clk) if (rst_n) begin
    if ({a_awready, a_wready, a_bvalid, a_arready, a_rvalid, a_rlast, a_bresp, a_rresp} !==
        {m_awready, m_wready, m_bvalid, m_arready, m_rvalid, m_rlast, m_bresp, m_rresp}) begin
      if (!err) $display("spram_pair RD %0d WR %0d: handshakes differ at %0t", RD, WR, $time);
      err = 1'b1;
    end
    if (m_rvalid && a_rdata !== m_rdata) begin
      if (!err) $display("spram_pair RD %0d WR %0d: rdata %h, model %h at %0t", RD, WR, a_rdata, m_rdata, $time);
      err = 1'b1;
    end
  end

  initial begin
    err = 1'b0;
    fin = 1'b0;
    seed = SEED;
    wait (rst_n);
    @(posedge clk);
    // the same initial bytes in both: host port into spram_axi, directly into the model
    host_clr <= 1'b1;
    @(posedge clk) host_clr <= 1'b0;
    for (i = 0; i < MEM; i = i + 1) begin
      byte0 = $random(seed);
      host_we <= 1'b1;
      host_wdata <= byte0;
      m.mem[i] = byte0;
      @(posedge clk);
    end
    host_we <= 1'b0;
    @(posedge clk);
    for (op = 0; op < NOPS; op = op + 1) begin
      beats = 1 + ({$random(seed)} % 8);
      if ($random(seed) & 1) begin
        awaddr  <= ({$random(seed)} % (MEM / B - 8)) * B;
        awlen   <= beats - 1;
        awvalid <= 1'b1;
        @(posedge clk);
        while (!m_awready) @(posedge clk);
        awvalid <= 1'b0;
        for (k = 0; k < beats; k = k + 1) begin
          wdata  <= {$random(seed), $random(seed)};
          wstrb  <= $random(seed);
          wvalid <= 1'b1;
          wlast  <= (k == beats - 1);
          @(posedge clk);
          while (!m_wready) @(posedge clk);
        end
        wvalid <= 1'b0;
        wlast  <= 1'b0;
        @(posedge clk);
        while (!m_bvalid) @(posedge clk);
      end else begin
        araddr  <= ({$random(seed)} % (MEM / B - 8)) * B;
        arlen   <= beats - 1;
        arvalid <= 1'b1;
        @(posedge clk);
        while (!m_arready) @(posedge clk);
        arvalid <= 1'b0;
        k = 0;
        while (k < beats) begin
          rready <= ({$random(seed)} % 4) != 0;
          @(posedge clk);
          if (m_rvalid && rready) k = k + 1;
        end
        rready <= 1'b1;
      end
      @(posedge clk);
    end
    // read spram_axi back over the host port
    repeat (RD + WR + 2) @(posedge clk);
    host_clr <= 1'b1;
    @(posedge clk) host_clr <= 1'b0;
    for (i = 0; i < MEM; i = i + 1) begin
      host_re <= 1'b1;
      @(posedge clk) host_re <= 1'b0;
      repeat (3) @(posedge clk);
      if (host_rdata !== m.mem[i]) begin
        if (!err) $display("spram_pair RD %0d WR %0d: byte %0d reads %h, model %h", RD, WR, i, host_rdata, m.mem[i]);
        err = 1'b1;
      end
    end
    fin = 1'b1;
  end
endmodule
