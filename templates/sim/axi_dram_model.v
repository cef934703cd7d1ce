// axi_dram_model: simulation-only AXI4 slave memory with the engine's DRAM timing contract
// (docs/engine.md#dram-timing), parameterized with a platform's memory port (docs/platforms.md).
// Reads: up to RD_ACCEPT bursts accepted and not yet finished (arready = fewer than that); data
// returns in order, one beat per cycle at most: beat 0 of a burst whose AR handshake is in cycle t
// is valid from cycle t + RD_LAT, and no earlier than the cycle after the previous beat. Writes:
// up to WR_ACCEPT bursts accepted whose B response is still owed (awready = fewer than that);
// wready is 1 while an accepted burst still owes data, from the cycle after its AW handshake;
// bvalid of a burst rises WR_LAT cycles after its wlast handshake, responses in order. Bandwidth:
// each data channel moves a beat only with a token: a bucket of BW_DEN + BW_NUM - 1 units gains
// BW_NUM per cycle and a beat takes BW_DEN (BW_NUM = BW_DEN: one beat per cycle, no cap).
// Checks (each prints FAIL and ends the simulation): a burst crossing a 4 KiB boundary, longer
// than MAX_BURST beats, not INCR, or narrower than the bus. MEM_FILE ($readmemh, one byte per
// word, address 0 first) initializes memory; a cycle with `dump` high writes it to DUMP_FILE.
`default_nettype none
module axi_dram_model #(
    parameter ADDR_W    = 32,
    parameter DATA_W    = 64,
    parameter MEM_BYTES = 1 << 20,
    parameter RD_LAT    = 16,
    parameter WR_LAT    = 8,
    parameter RD_ACCEPT = 16,
    parameter WR_ACCEPT = 16,
    parameter MAX_BURST = 256,
    parameter BW_NUM    = 1,
    parameter BW_DEN    = 1,
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
  localparam B  = DATA_W / 8;
  localparam LB = $clog2(B);
  localparam integer BUCKET = BW_DEN + BW_NUM - 1;
  reg [7:0] mem[0:MEM_BYTES-1];
  integer i;
  initial begin
    for (i = 0; i < MEM_BYTES; i = i + 1) mem[i] = 8'd0;
    if (MEM_FILE != "") $readmemh(MEM_FILE, mem);
  end

  reg [31:0] now = 32'd0;  // cycle index
  always @(posedge clk) now <= rst_n ? now + 32'd1 : 32'd0;

  // ---- protocol checks on every address handshake
  task check_burst(input [ADDR_W-1:0] a, input [7:0] len, input [2:0] size, input [1:0] burst, input is_rd);
    begin
      if ({20'd0, a[11:0]} + ({24'd0, len} + 32'd1) * B > 32'd4096) begin
        $display("FAIL axi_dram_model: %s burst at %h of %0d beats crosses a 4 KiB boundary",
                 is_rd ? "read" : "write", a, len + 1);
        $finish;
      end
      if ({24'd0, len} + 32'd1 > MAX_BURST) begin
        $display("FAIL axi_dram_model: %s burst at %h has %0d beats, more than MAX_BURST %0d",
                 is_rd ? "read" : "write", a, len + 1, MAX_BURST);
        $finish;
      end
      if (burst != 2'b01 || size != LB[2:0]) begin
        $display("FAIL axi_dram_model: %s burst at %h is not a full-width INCR burst (size %0d, burst %0d)",
                 is_rd ? "read" : "write", a, size, burst);
        $finish;
      end
    end
  endtask

  // ---- read channel: a queue of accepted bursts (address, beats, first-beat cycle)
  reg [ADDR_W-1:0] rq_addr  [0:RD_ACCEPT-1];
  reg [8:0]        rq_len   [0:RD_ACCEPT-1];
  reg [31:0]       rq_ready [0:RD_ACCEPT-1];
  integer          rq_head, rq_tail, rq_count;
  reg [8:0]        rd_beat;
  integer          rcredit;
  assign s_axi_arready = rq_count < RD_ACCEPT;
  assign s_axi_rvalid  = rq_count != 0 && now >= rq_ready[rq_head] && rcredit >= BW_DEN;
  assign s_axi_rlast   = s_axi_rvalid && (rd_beat + 9'd1 == rq_len[rq_head]);
  assign s_axi_rresp   = 2'b00;
  wire [ADDR_W-1:0] rd_addr = rq_addr[rq_head] + {{(ADDR_W-9-LB){1'b0}}, rd_beat, {LB{1'b0}}};
  genvar gi;
  generate
    for (gi = 0; gi < B; gi = gi + 1) begin : g_rd
      assign s_axi_rdata[gi*8+:8] = mem[(rd_addr + gi) % MEM_BYTES];
    end
  endgenerate
  always @(posedge clk) begin
    if (!rst_n) begin
      rq_head <= 0; rq_tail <= 0; rq_count <= 0; rd_beat <= 9'd0; rcredit <= BUCKET;
    end else begin
      if (s_axi_arvalid && s_axi_arready) begin
        check_burst(s_axi_araddr, s_axi_arlen, s_axi_arsize, s_axi_arburst, 1'b1);
        rq_addr[rq_tail]  <= {s_axi_araddr[ADDR_W-1:LB], {LB{1'b0}}};
        rq_len[rq_tail]   <= {1'b0, s_axi_arlen} + 9'd1;
        rq_ready[rq_tail] <= now + RD_LAT;
        rq_tail <= (rq_tail + 1) % RD_ACCEPT;
      end
      if (s_axi_rvalid && s_axi_rready) begin
        rcredit <= (rcredit - BW_DEN + BW_NUM > BUCKET) ? BUCKET : rcredit - BW_DEN + BW_NUM;
        if (s_axi_rlast) begin
          rd_beat <= 9'd0;
          rq_head <= (rq_head + 1) % RD_ACCEPT;
        end else begin
          rd_beat <= rd_beat + 9'd1;
        end
      end else begin
        rcredit <= (rcredit + BW_NUM > BUCKET) ? BUCKET : rcredit + BW_NUM;
      end
      rq_count <= rq_count + ((s_axi_arvalid && s_axi_arready) ? 1 : 0) - ((s_axi_rvalid && s_axi_rready && s_axi_rlast) ? 1 : 0);
    end
  end

  // ---- write channel: accepted bursts owing data (in order), then owing a response at a cycle
  reg [ADDR_W-1:0] wq_addr [0:WR_ACCEPT-1];
  reg [31:0]       bq_due  [0:WR_ACCEPT-1];
  integer          wq_head, wq_tail, wq_data;   // bursts accepted whose data is not complete
  integer          bq_head, bq_tail, bq_count;  // bursts whose data is complete, B owed
  integer          w_count;                     // accepted bursts whose B is not yet handshaken
  reg [ADDR_W-1:0] wr_addr;
  reg              wr_mid;                      // inside a burst's data (wr_addr valid)
  reg [31:0]       aw_cycle [0:WR_ACCEPT-1];
  integer          wcredit;
  assign s_axi_awready = w_count < WR_ACCEPT;
  assign s_axi_wready  = wq_data != 0 && now > aw_cycle[wq_head] && wcredit >= BW_DEN;
  assign s_axi_bvalid  = bq_count != 0 && now >= bq_due[bq_head];
  assign s_axi_bresp   = 2'b00;
  wire [ADDR_W-1:0] w_at = wr_mid ? wr_addr : wq_addr[wq_head];
  always @(posedge clk) begin
    if (!rst_n) begin
      wq_head <= 0; wq_tail <= 0; wq_data <= 0; bq_head <= 0; bq_tail <= 0; bq_count <= 0;
      w_count <= 0; wr_mid <= 1'b0; wcredit <= BUCKET;
    end else begin
      if (s_axi_awvalid && s_axi_awready) begin
        check_burst(s_axi_awaddr, s_axi_awlen, s_axi_awsize, s_axi_awburst, 1'b0);
        wq_addr[wq_tail]  <= {s_axi_awaddr[ADDR_W-1:LB], {LB{1'b0}}};
        aw_cycle[wq_tail] <= now;
        wq_tail <= (wq_tail + 1) % WR_ACCEPT;
      end
      if (s_axi_wvalid && s_axi_wready) begin
        for (i = 0; i < B; i = i + 1)
          if (s_axi_wstrb[i]) mem[(w_at + i) % MEM_BYTES] <= s_axi_wdata[i*8+:8];
        wcredit <= (wcredit - BW_DEN + BW_NUM > BUCKET) ? BUCKET : wcredit - BW_DEN + BW_NUM;
        if (s_axi_wlast) begin
          wr_mid <= 1'b0;
          wq_head <= (wq_head + 1) % WR_ACCEPT;
          bq_due[bq_tail] <= now + WR_LAT;
          bq_tail <= (bq_tail + 1) % WR_ACCEPT;
        end else begin
          wr_mid  <= 1'b1;
          wr_addr <= w_at + B;
        end
      end else begin
        wcredit <= (wcredit + BW_NUM > BUCKET) ? BUCKET : wcredit + BW_NUM;
      end
      if (s_axi_bvalid && s_axi_bready) bq_head <= (bq_head + 1) % WR_ACCEPT;
      wq_data  <= wq_data + ((s_axi_awvalid && s_axi_awready) ? 1 : 0) - ((s_axi_wvalid && s_axi_wready && s_axi_wlast) ? 1 : 0);
      bq_count <= bq_count + ((s_axi_wvalid && s_axi_wready && s_axi_wlast) ? 1 : 0) - ((s_axi_bvalid && s_axi_bready) ? 1 : 0);
      w_count  <= w_count + ((s_axi_awvalid && s_axi_awready) ? 1 : 0) - ((s_axi_bvalid && s_axi_bready) ? 1 : 0);
    end
  end

  always @(posedge clk) if (dump) $writememh(DUMP_FILE, mem);
endmodule
`default_nettype wire
