// spram_axi: on-chip memory standing in for the engine's DRAM on an iCE40 UltraPlus: an AXI4
// slave over a single-port RAM of MEM_BYTES (default 128 KiB, the UP5K's four SB_SPRAM256KA of
// 16K x 16 each, inferred by `synth_ice40 -spram` as two side by side times two deep), plus a
// byte-wide host port to fill it before a run and read it back after.
// AXI timing is the engine's DRAM contract (docs/engine.md#dram-timing, as templates/sim/
// axi_dram_model.v): arready/awready are 1 while idle; read beat i of a burst accepted in cycle t
// is valid in cycle t + RD_LAT + i; wready is 1 from the cycle after the AW handshake until wlast;
// bvalid rises WR_LAT cycles after the wlast handshake. So the engine's cycle count with this
// memory is the one the cycle model predicts for read/write latencies RD_LAT/WR_LAT.
// Limits: one port and one burst at a time (an acceptance of 1: arready/awready fall until the
// burst's last beat / B response), so the engine on it runs with RD_OUT = WR_OUT = 1 (family ice40,
// codegen::mapToEngine), a read burst and a write burst never overlap, and the host port must only
// be used while the engine is idle (it wins over AXI). Addresses wrap modulo MEM_BYTES; bursts are INCR of full DATA_W beats, aligned.
// Host port: host_clr sets the byte address to 0; host_we writes host_wdata there and advances
// it; host_re reads the byte there and advances it, host_rdata holds it from two cycles later
// until the next host_re. RD_LAT >= 1, WR_LAT >= 1.
`default_nettype none
module spram_axi #(
    parameter ADDR_W    = 32,
    parameter DATA_W    = 32,
    parameter MEM_BYTES = 131072,
    parameter RD_LAT    = 2,
    parameter WR_LAT    = 1
) (
    input  wire                clk,
    input  wire                rst_n,
    // host port
    input  wire                host_clr,
    input  wire                host_we,
    input  wire                host_re,
    input  wire [7:0]          host_wdata,
    output reg  [7:0]          host_rdata,
    // AXI4 slave
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
  localparam B     = DATA_W / 8;
  localparam LB    = $clog2(B);
  localparam WORDS = MEM_BYTES / B;
  localparam BA_W  = $clog2(MEM_BYTES);   // byte address bits
  localparam WA_W  = BA_W - LB;           // word address bits
  localparam [31:0] RD_W32 = RD_LAT - 1;
  localparam [31:0] WR_W32 = WR_LAT - 1;
  localparam [7:0]  RD_WAIT0 = RD_W32[7:0];   // latencies up to 256 cycles
  localparam [7:0]  WR_WAIT0 = WR_W32[7:0];

  // ---- the RAM: one port, byte enables, registered read that holds during writes
  reg  [DATA_W-1:0] mem[0:WORDS-1];
  reg  [DATA_W-1:0] q;
  reg               m_en, m_we;
  reg  [WA_W-1:0]   m_addr;
  reg  [DATA_W-1:0] m_wdata;
  reg  [B-1:0]      m_be;
  integer i;
  always @(posedge clk) begin
    if (m_en) begin
      if (m_we) begin
        for (i = 0; i < B; i = i + 1)
          if (m_be[i]) mem[m_addr][i*8+:8] <= m_wdata[i*8+:8];
      end else begin
        q <= mem[m_addr];
      end
    end
  end

  // ---- read channel (same state as axi_dram_model; the RAM is read one cycle ahead)
  reg              rd_busy;
  reg [7:0]        rd_wait;
  reg [BA_W-1:0]   rd_addr;
  reg [8:0]        rd_left;
  assign s_axi_arready = !rd_busy;
  assign s_axi_rvalid  = rd_busy && (rd_wait == 8'd0);
  assign s_axi_rlast   = s_axi_rvalid && (rd_left == 9'd1);
  assign s_axi_rresp   = 2'b00;
  assign s_axi_rdata   = q;
  // byte address of the beat valid in the next cycle
  wire [BA_W-1:0] rd_next = !rd_busy ? s_axi_araddr[BA_W-1:0] :
                            (s_axi_rvalid && s_axi_rready) ? rd_addr + B[BA_W-1:0] : rd_addr;
  always @(posedge clk) begin
    if (!rst_n) begin
      rd_busy <= 1'b0;
    end else if (!rd_busy) begin
      if (s_axi_arvalid) begin
        rd_busy <= 1'b1;
        rd_wait <= RD_WAIT0;
        rd_addr <= s_axi_araddr[BA_W-1:0];
        rd_left <= {1'b0, s_axi_arlen} + 9'd1;
      end
    end else if (rd_wait != 8'd0) begin
      rd_wait <= rd_wait - 8'd1;
    end else if (s_axi_rready) begin
      rd_addr <= rd_addr + B[BA_W-1:0];
      rd_left <= rd_left - 9'd1;
      if (rd_left == 9'd1) rd_busy <= 1'b0;
    end
  end

  // ---- write channel
  reg              wr_busy, wr_data_done;
  reg [7:0]        wr_wait;
  reg [BA_W-1:0]   wr_addr;
  assign s_axi_awready = !wr_busy;
  assign s_axi_wready  = wr_busy && !wr_data_done;
  assign s_axi_bvalid  = wr_busy && wr_data_done && (wr_wait == 8'd0);
  assign s_axi_bresp   = 2'b00;
  wire axi_w = s_axi_wready && s_axi_wvalid;
  always @(posedge clk) begin
    if (!rst_n) begin
      wr_busy      <= 1'b0;
      wr_data_done <= 1'b0;
    end else if (!wr_busy) begin
      if (s_axi_awvalid) begin
        wr_busy      <= 1'b1;
        wr_data_done <= 1'b0;
        wr_addr      <= s_axi_awaddr[BA_W-1:0];
      end
    end else if (!wr_data_done) begin
      if (s_axi_wvalid) begin
        wr_addr <= wr_addr + B[BA_W-1:0];
        if (s_axi_wlast) begin
          wr_data_done <= 1'b1;
          wr_wait      <= WR_WAIT0;
        end
      end
    end else if (wr_wait != 8'd0) begin
      wr_wait <= wr_wait - 8'd1;
    end else if (s_axi_bready) begin
      wr_busy      <= 1'b0;
      wr_data_done <= 1'b0;
    end
  end

  // ---- host port
  reg  [BA_W-1:0] h_addr;
  reg  [LB-1:0]   h_lane;
  reg             h_rd1;
  always @(posedge clk) begin
    if (!rst_n) begin
      h_addr <= {BA_W{1'b0}};
      h_rd1  <= 1'b0;
    end else begin
      if (host_clr) h_addr <= {BA_W{1'b0}};
      else if (host_we || host_re) h_addr <= h_addr + 1'b1;
      h_rd1 <= host_re;
    end
    h_lane <= h_addr[LB-1:0];
    if (h_rd1) host_rdata <= q[h_lane*8+:8];
  end

  // ---- RAM port: host, else an AXI write beat, else the next read beat
  always @(*) begin
    if (host_we || host_re) begin
      m_en    = 1'b1;
      m_we    = host_we;
      m_addr  = h_addr[BA_W-1:LB];
      m_wdata = {B{host_wdata}};
      m_be    = {{(B-1){1'b0}}, host_we} << h_addr[LB-1:0];
    end else if (axi_w) begin
      m_en    = 1'b1;
      m_we    = 1'b1;
      m_addr  = wr_addr[BA_W-1:LB];
      m_wdata = s_axi_wdata;
      m_be    = s_axi_wstrb;
    end else begin
      m_en    = 1'b1;
      m_we    = 1'b0;
      m_addr  = rd_next[BA_W-1:LB];
      m_wdata = s_axi_wdata;
      m_be    = {B{1'b0}};
    end
  end

  wire unused_ok = &{1'b0, s_axi_awaddr, s_axi_awlen, s_axi_awsize, s_axi_awburst, s_axi_arsize,
                     s_axi_arburst, s_axi_araddr, rd_next[LB-1:0], RD_W32, WR_W32};
endmodule
`default_nettype wire
