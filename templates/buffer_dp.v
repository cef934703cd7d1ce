// buffer_dp: simple dual-port RAM, one write port and one registered read port, same clock.
// Infers block RAM (Xilinx RAMB18/36, iCE40 SB_RAM40_4K) in Yosys; read-during-write to the same
// address returns the old data. Cost: DEPTH x W bits. DEPTH need not be a power of two.
`default_nettype none
module buffer_dp #(
    parameter W     = 32,
    parameter DEPTH = 256,
    parameter AW    = (DEPTH > 1) ? $clog2(DEPTH) : 1
) (
    input  wire          clk,
    input  wire          we,
    input  wire [AW-1:0] waddr,
    input  wire [W-1:0]  wdata,
    input  wire [AW-1:0] raddr,
    output reg  [W-1:0]  rdata
);
  reg [W-1:0] mem[0:DEPTH-1];
  always @(posedge clk) begin
    if (we) mem[waddr] <= wdata;
    rdata <= mem[raddr];
  end
endmodule
`default_nettype wire
