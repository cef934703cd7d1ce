// residual_add: the residual add in the engine's output path (docs/engine.md#fused-residual-add),
// the arithmetic of the separate add layer (docs/quantization.md) on the vector unit's int8 output
// y and the skip operand's int8 byte x, per lane, three register stages (latency 3):
//   s = y * mult_y + x * mult_skip                  (int8 x unsigned 16-bit, exact in 26 bits)
//   e = s + 2^(shift-1)                              (the rounding sum, its own stage: the
//                                                     clock proxy, docs/timing.md; with MUL = 0
//                                                     stage 1 keeps s as its y and x halves and
//                                                     this stage adds them)
//   z = clamp(e >>> shift, relu ? 0 : -128, 127)     (1 <= shift <= 31)
// The rounding sum fits 33 signed bits (|s| < 2^24, 2^(shift-1) <= 2^30).
// Multiply mode (parameter MUL = 1, input mul; docs/quantization.md#elementwise-multiply): the
// engine's elementwise Mul, the same three stages with the skip byte x as the second factor:
//   s = y * mult_y                                   (stage 1 as above, mult_skip taken as 0)
//   e = s * x + 2^(shift-1)                          (x registered with s: 8 partial products of
//                                                     the 25-bit s and the rounding term, a tree of
//                                                     adders from registers only)
//   z = clamp(e >>> shift, relu ? 0 : -128, 127)
// |s| <= 128 * 65535 < 2^23, |s * x| <= 2^30, so e fits the 33 bits of the add's rounding sum.
// With MUL = 0 (the default) none of it is built and mul is ignored: the add's hardware as before.
// The two products are written as shift-and-add over the int8 operand's bits (two's complement:
// bit 7 weighs -2^7), so synthesis builds them from fabric adders, not DSPs: on the boards the
// engine targets the DSPs are the array's (a 16x32 packed array and the vector unit take 320 of
// the ZU3EG's 360), and two DSPs per lane here would not fit beside them.
`default_nettype none
module residual_add #(
    parameter LANES = 4,
    parameter MUL   = 0,
    parameter SPLIT = 1   // 1: stage 1 keeps the y and x halves (MUL = 0; 0 on the iCE40, short of cells)
) (
    input  wire               clk,
    input  wire [LANES*8-1:0] y,
    input  wire [LANES*8-1:0] x,
    input  wire [15:0]        mult_y,
    input  wire [15:0]        mult_skip,
    input  wire [4:0]         shift,
    input  wire               relu,
    input  wire               mul,
    output reg  [LANES*8-1:0] z
);
  reg  [LANES*33-1:0] e;
  wire signed [16:0]  my  = $signed({1'b0, mult_y});
  // multiply mode: stage 1 is y * mult_y alone (the skip byte is the second factor, stage 2)
  wire signed [16:0]  ms  = $signed({1'b0, (MUL != 0 && mul) ? 16'd0 : mult_skip});
  wire        [32:0]  rnd = 33'd1 << (shift - 5'd1);

  // Partial product i of v * m for signed 8-bit v and non-negative 17-bit m: m << i if bit i of v
  // is set, negated for the sign bit (two's complement: bit 7 weighs -2^7).
  // Partial product i of s * v for the 26-bit stage-1 sum s and signed 8-bit v (multiply mode).
  function automatic signed [32:0] pm(input [7:0] v, input signed [25:0] m, input integer i);
    reg signed [32:0] t;
    begin
      t  = v[i] ? ($signed({{7{m[25]}}, m}) <<< i) : 33'sd0;
      pm = (i == 7) ? -t : t;
    end
  endfunction

  function automatic signed [24:0] pp(input [7:0] v, input signed [16:0] m, input integer i);
    reg signed [24:0] t;
    begin
      t  = v[i] ? ($signed({{8{m[16]}}, m}) <<< i) : 25'sd0;
      pp = (i == 7) ? -t : t;
    end
  endfunction

  genvar g;
  generate
    for (g = 0; g < LANES; g = g + 1) begin : g_lane
      wire signed [7:0]  ya = y[g*8+:8];
      wire signed [7:0]  xa = x[g*8+:8];
      // The 16 partial products of both products summed as a balanced tree, four adders deep
      // (a serial sum is 15 deep: 26 logic levels from the staging RAM, docs/timing.md).
      wire signed [25:0] q0 = (pp(ya, my, 0) + pp(ya, my, 1)) + (pp(ya, my, 2) + pp(ya, my, 3));
      wire signed [25:0] q1 = (pp(ya, my, 4) + pp(ya, my, 5)) + (pp(ya, my, 6) + pp(ya, my, 7));
      wire signed [25:0] q2 = (pp(xa, ms, 0) + pp(xa, ms, 1)) + (pp(xa, ms, 2) + pp(xa, ms, 3));
      wire signed [25:0] q3 = (pp(xa, ms, 4) + pp(xa, ms, 5)) + (pp(xa, ms, 6) + pp(xa, ms, 7));
      // Stage 1 registers the y and x halves (MUL = 0) and stage 2 adds them beside the rounding:
      // the staging RAM's x went through four adders into one sum register, 12 logic levels on
      // an Ultra96 8x8 engine against 11 at 250 MHz (docs/timing.md). Multiply mode multiplies
      // the sum in stage 2, so there stage 1 keeps the whole sum, as does SPLIT = 0 (the iCE40
      // engine, whose 26 flip-flops per lane do not fit the UP5K). Same values, same cycles.
      wire signed [25:0] sl;                             // stage 1's sum
      if (MUL != 0 || SPLIT == 0) begin : g_s1
        wire signed [25:0] sum = (q0 + q1) + (q2 + q3);
        reg  signed [25:0] s;
        always @(posedge clk) s <= sum;
        assign sl = s;
      end else begin : g_s2
        reg signed [25:0] sy, sx;
        always @(posedge clk) begin
          sy <= q0 + q1;
          sx <= q2 + q3;
        end
        assign sl = sy + sx;
      end
      wire signed [32:0] el  = e[g*33+:33];
      wire signed [32:0] t   = el >>> shift;
      wire signed [32:0] e_add = {{7{sl[25]}}, sl} + rnd;
      wire signed [32:0] e_nxt;
      if (MUL != 0) begin : g_mul
        reg  [7:0]         xr;                          // x of the pixel whose s is in stage 1
        wire signed [32:0] rs = $signed(rnd);
        wire signed [32:0] e_mul = ((pm(xr, sl, 0) + pm(xr, sl, 1)) + (pm(xr, sl, 2) + pm(xr, sl, 3))) +
                                   ((pm(xr, sl, 4) + pm(xr, sl, 5)) + (pm(xr, sl, 6) + pm(xr, sl, 7))) + rs;
        always @(posedge clk) xr <= xa;
        assign e_nxt = mul ? e_mul : e_add;
      end else begin : g_nomul
        wire unused_mul = &{1'b0, mul};
        assign e_nxt = e_add;
      end
      reg  [7:0]         zl;
      always @(*) begin
        if (t > 33'sd127) zl = 8'd127;
        else if (relu && t < 33'sd0) zl = 8'd0;
        else if (t < -33'sd128) zl = 8'h80;
        else zl = t[7:0];
      end
      always @(posedge clk) begin
        e[g*33+:33] <= e_nxt;
        z[g*8+:8]   <= zl;
      end
    end
  endgenerate
endmodule
`default_nettype wire
