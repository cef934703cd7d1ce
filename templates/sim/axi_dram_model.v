// axi_dram_model: simulation-only AXI4 slave memory with the engine's DRAM timing contract
// (docs/engine.md#dram-timing). One read and one write burst at a time: arready/awready are 1
// while idle; read beat i of a burst accepted in cycle t is valid in cycle t + RD_LAT + i; wready
// is 1 from the cycle after the AW handshake until wlast; bvalid rises WR_LAT cycles after the
// wlast handshake. MEM_FILE ($readmemh, one byte per word, address 0 first) initializes memory;
// a cycle with `dump` high writes the whole memory to DUMP_FILE with $writememh.
`default_nettype none
module axi_dram_model #(
    parameter ADDR_W    = 32,
    parameter DATA_W    = 64,
    parameter MEM_BYTES = 1 << 20,
    parameter RD_LAT    = 16,
    parameter WR_LAT    = 8,
    parameter MEM_FILE  = "",
    parameter DUMP_FILE = "dram_out.hex"
) (
    input  wire                clk,
    input  wire                rst_n,
    input  wire                dump,
    input  wire [ADDR_W-1:0]   s_axi_awaddr,
    input  wire [7:0]          s_axi_awlen,
    input  wire [2:0]          s_axi_awsize,
    input  wire [1:0]          s_axi_awburst,
    input  wire                s_axi_awvalid,
    output wire                s_axi_awready,
    input  wire [DATA_W-1:0]   s_axi_wdata,
    input  wire [DATA_W/8-1:0] s_axi_wstrb,
    input  wire                s_axi_wlast,
    input  wire                s_axi_wvalid,
    output wire                s_axi_wready,
    output wire [1:0]          s_axi_bresp,
    output wire                s_axi_bvalid,
    input  wire                s_axi_bready,
    input  wire [ADDR_W-1:0]   s_axi_araddr,
    input  wire [7:0]          s_axi_arlen,
    input  wire [2:0]          s_axi_arsize,
    input  wire [1:0]          s_axi_arburst,
    input  wire                s_axi_arvalid,
    output wire                s_axi_arready,
    output wire [DATA_W-1:0]   s_axi_rdata,
    output wire [1:0]          s_axi_rresp,
    output wire                s_axi_rlast,
    output wire                s_axi_rvalid,
    input  wire                s_axi_rready
);
  localparam B = DATA_W / 8;
  reg [7:0] mem[0:MEM_BYTES-1];
  integer i;
  initial begin
    for (i = 0; i < MEM_BYTES; i = i + 1) mem[i] = 8'd0;
    if (MEM_FILE != "") $readmemh(MEM_FILE, mem);
  end

  // read channel
  reg          rd_busy;
  reg [31:0]   rd_wait;
  reg [ADDR_W-1:0] rd_addr;
  reg [8:0]    rd_left;
  assign s_axi_arready = !rd_busy;
  assign s_axi_rvalid  = rd_busy && (rd_wait == 32'd0);
  assign s_axi_rlast   = s_axi_rvalid && (rd_left == 9'd1);
  assign s_axi_rresp   = 2'b00;
  genvar gi;
  generate
    for (gi = 0; gi < B; gi = gi + 1) begin : g_rd
      assign s_axi_rdata[gi*8+:8] = mem[(rd_addr + gi) % MEM_BYTES];
    end
  endgenerate
  always @(posedge clk) begin
    if (!rst_n) begin
      rd_busy <= 1'b0;
    end else if (!rd_busy) begin
      if (s_axi_arvalid) begin
        rd_busy <= 1'b1;
        rd_wait <= RD_LAT - 1;
        rd_addr <= s_axi_araddr;
        rd_left <= {1'b0, s_axi_arlen} + 9'd1;
      end
    end else if (rd_wait != 32'd0) begin
      rd_wait <= rd_wait - 32'd1;
    end else if (s_axi_rready) begin
      rd_addr <= rd_addr + B;
      rd_left <= rd_left - 9'd1;
      if (rd_left == 9'd1) rd_busy <= 1'b0;
    end
  end

  // write channel
  reg          wr_busy, wr_data_done;
  reg [31:0]   wr_wait;
  reg [ADDR_W-1:0] wr_addr;
  assign s_axi_awready = !wr_busy;
  assign s_axi_wready  = wr_busy && !wr_data_done;
  assign s_axi_bvalid  = wr_busy && wr_data_done && (wr_wait == 32'd0);
  assign s_axi_bresp   = 2'b00;
  always @(posedge clk) begin
    if (!rst_n) begin
      wr_busy      <= 1'b0;
      wr_data_done <= 1'b0;
    end else if (!wr_busy) begin
      if (s_axi_awvalid) begin
        wr_busy      <= 1'b1;
        wr_data_done <= 1'b0;
        wr_addr      <= s_axi_awaddr;
      end
    end else if (!wr_data_done) begin
      if (s_axi_wvalid) begin
        for (i = 0; i < B; i = i + 1)
          if (s_axi_wstrb[i]) mem[(wr_addr + i) % MEM_BYTES] <= s_axi_wdata[i*8+:8];
        wr_addr <= wr_addr + B;
        if (s_axi_wlast) begin
          wr_data_done <= 1'b1;
          wr_wait      <= WR_LAT - 1;
        end
      end
    end else if (wr_wait != 32'd0) begin
      wr_wait <= wr_wait - 32'd1;
    end else if (s_axi_bready) begin
      wr_busy      <= 1'b0;
      wr_data_done <= 1'b0;
    end
  end

  always @(posedge clk) if (dump) $writememh(DUMP_FILE, mem);

  wire unused_ok = &{1'b0, s_axi_awlen, s_axi_awsize, s_axi_awburst, s_axi_arsize, s_axi_arburst};
endmodule
`default_nettype wire
