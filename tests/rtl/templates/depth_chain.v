// Known logic depth for the clock proxy (docs/timing.md): between two flip-flop banks, a chain of
// N explicit LUT6 instances (Yosys keeps instantiated primitives, so the depth is exactly N), and
// beside it a 32-bit adder between registers (a LUT per bit, then the carry chain).
`default_nettype none
module depth_chain #(parameter N = 5) (
  input  wire        clk,
  input  wire [31:0] a,
  input  wire [31:0] b,
  output reg  [31:0] s,
  output reg         y
);
  reg [31:0] ra, rb;
  wire [N:0] c;
  assign c[0] = ra[0];
  genvar i;
  generate
    for (i = 0; i < N; i = i + 1) begin : g
      LUT6 #(.INIT(64'h6996966996696996)) lut (
        .O(c[i+1]), .I0(c[i]), .I1(ra[i+1]), .I2(rb[i]), .I3(rb[i+1]), .I4(ra[i+2]), .I5(rb[i+2]));
    end
  endgenerate
  always @(posedge clk) begin
    ra <= a;
    rb <= b;
    y <= c[N];
    s <= ra + rb;
  end
endmodule
`default_nettype wire
