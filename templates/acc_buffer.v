// acc_buffer: the int32 accumulator RAM, LANES x 32-bit words, DEPTH words.
// Port 1 is a read-modify-write pipeline: in cycle t (acc_valid) it reads word acc_addr; in
// cycle t+1 it writes acc_data (op 0), old + acc_data (op 1, wrapping) or max(old, acc_data)
// (op 2, signed) per lane. Consecutive RMWs must not hit the same address (the controller never
// does). Port 2 reads (rd_addr in cycle t, rd_data in t+1) when port 1 is idle in cycle t.
// One inferred block RAM (1 write, 1 registered read).
`default_nettype none
module acc_buffer #(
    parameter LANES = 4,
    parameter DEPTH = 1024,
    parameter AW    = (DEPTH > 1) ? $clog2(DEPTH) : 1
) (
    input  wire                clk,
    input  wire                acc_valid,
    input  wire [1:0]          acc_op,
    input  wire [AW-1:0]       acc_addr,
    input  wire [LANES*32-1:0] acc_data,
    input  wire [AW-1:0]       rd_addr,
    output wire [LANES*32-1:0] rd_data
);
  reg  [LANES*32-1:0] mem[0:DEPTH-1];
  reg  [LANES*32-1:0] q;
  reg                 s_valid;
  reg  [1:0]          s_op;
  reg  [AW-1:0]       s_addr;
  reg  [LANES*32-1:0] s_data;
  reg  [LANES*32-1:0] nv;
  reg  [32:0]         r;
  integer i;

  wire [AW-1:0] ra = acc_valid ? acc_addr : rd_addr;
  assign rd_data = q;

  // one 33-bit adder per lane: old + new (op 1), or old - new, whose sign picks the max (op 2)
  always @(*) begin
    for (i = 0; i < LANES; i = i + 1) begin
      r = {q[i*32+31], q[i*32+:32]}
          + ((s_op == 2'd2) ? ~{s_data[i*32+31], s_data[i*32+:32]} : {s_data[i*32+31], s_data[i*32+:32]})
          + {32'd0, s_op == 2'd2};
      case (s_op)
        2'd1: nv[i*32+:32] = r[31:0];
        2'd2: nv[i*32+:32] = r[32] ? s_data[i*32+:32] : q[i*32+:32];
        default: nv[i*32+:32] = s_data[i*32+:32];
      endcase
    end
  end

  always @(posedge clk) begin
    q <= mem[ra];
    if (s_valid) mem[s_addr] <= nv;
    s_valid <= acc_valid;
    s_op    <= acc_op;
    s_addr  <= acc_addr;
    s_data  <= acc_data;
  end
endmodule
`default_nettype wire
