// tb_soc: dnnchip_soc on axi_dram_model (the engine's DRAM timing) with an error injector between
// them: a read burst whose address lies in [inj_rd_lo, inj_rd_hi) returns SLVERR on every beat, a
// write burst in [inj_wr_lo, inj_wr_hi) gets a SLVERR write response (data is still written), and
// while stall_en is high a read burst in [stall_lo, stall_hi) never gets its R beats (nor does any
// burst behind it: one ID, in order): a memory that never answers. The C++ harness (tb_soc.cpp) drives the AXI4-Lite port through the C runtime and pokes the memory.
`default_nettype none
module tb_soc #(
    parameter ROWS = 4, parameter COLS = 4, parameter DATAFLOW = 0, parameter ACT_DEPTH = 256,
    parameter ACC_DEPTH = 1024, parameter DOUBLE_BUFFER = 0, parameter W_GROUP = 1, parameter PACK = 1, parameter WSKEW = 0,
    parameter FUSE_ADD = 1, parameter POOL_DEPTH = 0, parameter RQ_W = 32, parameter RQ_LUT = 0,
    parameter DATA_W = 64, parameter BURST_MAX = 16, parameter RD_OUT = 4, parameter WR_OUT = 4,
    parameter PROG_DEPTH = 256, parameter RD_LAT = 16, parameter WR_LAT = 8,
    parameter MEM_BYTES = 1 << 20,
    parameter [32:0] MEM_LO = 33'd0, parameter [32:0] MEM_HI = 33'h1_0000_0000
) (
    input  wire        clk,
    input  wire        rst_n,
    output wire        irq,
    input  wire [11:0] s_axil_awaddr,
    input  wire        s_axil_awvalid,
    output wire        s_axil_awready,
    input  wire [31:0] s_axil_wdata,
    input  wire [3:0]  s_axil_wstrb,
    input  wire        s_axil_wvalid,
    output wire        s_axil_wready,
    output wire [1:0]  s_axil_bresp,
    output wire        s_axil_bvalid,
    input  wire        s_axil_bready,
    input  wire [11:0] s_axil_araddr,
    input  wire        s_axil_arvalid,
    output wire        s_axil_arready,
    output wire [31:0] s_axil_rdata,
    output wire [1:0]  s_axil_rresp,
    output wire        s_axil_rvalid,
    input  wire        s_axil_rready,
    input  wire [31:0] inj_rd_lo,
    input  wire [31:0] inj_rd_hi,
    input  wire [31:0] inj_wr_lo,
    input  wire [31:0] inj_wr_hi,
    input  wire [31:0] stall_lo,
    input  wire [31:0] stall_hi,
    input  wire        stall_en,
    // the end (bus address) of the highest write burst since wr_max_clr
    input  wire        wr_max_clr,
    output reg  [32:0] wr_max
);
  wire [31:0] awaddr, araddr;
  wire [7:0] awlen, arlen;
  wire [2:0] awsize, arsize;
  wire [1:0] awburst, arburst, bresp_m, rresp_m, bresp, rresp;
  wire awvalid, awready, wlast, wvalid, wready, bvalid, bready, arvalid, arready, rlast, rvalid, rready;
  wire rvalid_m, rready_m, stalled;
  wire [DATA_W-1:0] wdata, rdata;
  wire [DATA_W/8-1:0] wstrb;

  dnnchip_soc #(
      .ROWS(ROWS), .COLS(COLS), .DATAFLOW(DATAFLOW), .ACT_DEPTH(ACT_DEPTH), .ACC_DEPTH(ACC_DEPTH),
      .DOUBLE_BUFFER(DOUBLE_BUFFER), .W_GROUP(W_GROUP), .PACK(PACK), .WSKEW(WSKEW), .FUSE_ADD(FUSE_ADD),
      .POOL_DEPTH(POOL_DEPTH), .RQ_W(RQ_W), .RQ_LUT(RQ_LUT), .DATA_W(DATA_W),
      .BURST_MAX(BURST_MAX), .RD_OUT(RD_OUT), .WR_OUT(WR_OUT), .PROG_DEPTH(PROG_DEPTH),
      .MEM_LO(MEM_LO), .MEM_HI(MEM_HI)
  ) u_soc (
      .clk(clk), .rst_n(rst_n), .irq(irq),
      .s_axil_awaddr(s_axil_awaddr), .s_axil_awvalid(s_axil_awvalid), .s_axil_awready(s_axil_awready),
      .s_axil_wdata(s_axil_wdata), .s_axil_wstrb(s_axil_wstrb), .s_axil_wvalid(s_axil_wvalid),
      .s_axil_wready(s_axil_wready), .s_axil_bresp(s_axil_bresp), .s_axil_bvalid(s_axil_bvalid),
      .s_axil_bready(s_axil_bready), .s_axil_araddr(s_axil_araddr), .s_axil_arvalid(s_axil_arvalid),
      .s_axil_arready(s_axil_arready), .s_axil_rdata(s_axil_rdata), .s_axil_rresp(s_axil_rresp),
      .s_axil_rvalid(s_axil_rvalid), .s_axil_rready(s_axil_rready),
      .m_axi_awaddr(awaddr), .m_axi_awlen(awlen), .m_axi_awsize(awsize), .m_axi_awburst(awburst),
      .m_axi_awvalid(awvalid), .m_axi_awready(awready), .m_axi_wdata(wdata), .m_axi_wstrb(wstrb),
      .m_axi_wlast(wlast), .m_axi_wvalid(wvalid), .m_axi_wready(wready), .m_axi_bresp(bresp),
      .m_axi_bvalid(bvalid), .m_axi_bready(bready), .m_axi_araddr(araddr), .m_axi_arlen(arlen),
      .m_axi_arsize(arsize), .m_axi_arburst(arburst), .m_axi_arvalid(arvalid), .m_axi_arready(arready),
      .m_axi_rdata(rdata), .m_axi_rresp(rresp), .m_axi_rlast(rlast), .m_axi_rvalid(rvalid),
      .m_axi_rready(rready));

  axi_dram_model #(
      .DATA_W(DATA_W), .MEM_BYTES(MEM_BYTES), .RD_LAT(RD_LAT), .WR_LAT(WR_LAT), .RD_ACCEPT(RD_OUT),
      .WR_ACCEPT(WR_OUT), .MAX_BURST(BURST_MAX), .MEM_FILE(""), .DUMP_FILE("tb_soc_dump.hex")
  ) u_mem (
      .clk(clk), .rst_n(rst_n), .dump(1'b0),
      .s_axi_awaddr(awaddr), .s_axi_awlen(awlen), .s_axi_awsize(awsize), .s_axi_awburst(awburst),
      .s_axi_awvalid(awvalid), .s_axi_awready(awready), .s_axi_wdata(wdata), .s_axi_wstrb(wstrb),
      .s_axi_wlast(wlast), .s_axi_wvalid(wvalid), .s_axi_wready(wready), .s_axi_bresp(bresp_m),
      .s_axi_bvalid(bvalid), .s_axi_bready(bready), .s_axi_araddr(araddr), .s_axi_arlen(arlen),
      .s_axi_arsize(arsize), .s_axi_arburst(arburst), .s_axi_arvalid(arvalid), .s_axi_arready(arready),
      .s_axi_rdata(rdata), .s_axi_rresp(rresp_m), .s_axi_rlast(rlast), .s_axi_rvalid(rvalid_m),
      .s_axi_rready(rready_m));

  // error injector: one flag per accepted burst, in order (one ID: responses return in order)
  reg rf [0:31];
  reg sf [0:31];
  reg wf [0:31];
  reg [4:0] rh = 5'd0, rt = 5'd0, wh = 5'd0, wt = 5'd0;
  always @(posedge clk) begin
    if (!rst_n) begin
      rh <= 5'd0; rt <= 5'd0; wh <= 5'd0; wt <= 5'd0;
    end else begin
      if (arvalid && arready) begin
        rf[rt] <= (araddr >= inj_rd_lo) && (araddr < inj_rd_hi);
        sf[rt] <= (araddr >= stall_lo) && (araddr < stall_hi);
        rt <= rt + 5'd1;
      end
      if (rvalid && rready && rlast) rh <= rh + 5'd1;
      if (awvalid && awready) begin wf[wt] <= (awaddr >= inj_wr_lo) && (awaddr < inj_wr_hi); wt <= wt + 5'd1; end
      if (bvalid && bready) wh <= wh + 5'd1;
    end
  end
  wire [32:0] aw_end = {1'b0, awaddr} + (({25'd0, awlen} + 33'd1) << awsize);
  always @(posedge clk)
    if (!rst_n || wr_max_clr) wr_max <= 33'd0;
    else if (awvalid && awready && aw_end > wr_max) wr_max <= aw_end;
  assign rresp = (rh != rt && rf[rh]) ? 2'b10 : rresp_m;
  assign stalled  = stall_en && rh != rt && sf[rh];
  assign rvalid   = rvalid_m && !stalled;
  assign rready_m = rready && !stalled;
  assign bresp = (wh != wt && wf[wh]) ? 2'b10 : bresp_m;
endmodule
`default_nettype wire
