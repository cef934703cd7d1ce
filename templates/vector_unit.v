// vector_unit: the engine's per-lane integer arithmetic (docs/quantization.md).
// Pre-accumulate path (pooling, add), one register stage: lane j < min(KT, LANES) of pre_out is
// the int8 act[j] * pre_scale (pre_scale unsigned 16-bit; 1 for pooling), low 32 bits; lanes
// beyond are 0. Requantization path, three register stages (latency 3):
//   s1 = acc + (bias_en ? bias : 0)                       (int32, wrapping)
//   s2 = s1 * mult                                         (mult unsigned 16-bit: |s2| < 2^47)
//   y  = clamp((s2 + 2^(shift-1)) >>> shift, relu ? 0 : -128, 127)
// One multiplier and product register (s2) per lane serve both paths: pre_sel = 1 gives them to
// the pre-accumulate path (the controller's accumulate pass; pre_out is s2's low half), 0 to
// requantization; pre_out and y are valid only for products taken in the matching mode. The rounding shift is done on an 11-bit
// window: with a = s2 >>> (shift-1), (s2 + 2^(shift-1)) >>> shift = (a + 1) >>> 1, and a fits
// in 11 signed bits (bits shift+9 and up of s2 all equal its sign) unless y saturates.
// The bias register (LANES int32) is written whole by bias_we.
`default_nettype none
module vector_unit #(
    parameter LANES = 4,
    parameter KT    = 4
) (
    input  wire                clk,
    input  wire                bias_we,
    input  wire [LANES*32-1:0] bias_wdata,
    // pre-accumulate
    input  wire                pre_sel,
    input  wire [KT*8-1:0]     pre_act,
    input  wire [15:0]         pre_scale,
    output wire [LANES*32-1:0] pre_out,
    // requantization
    input  wire [LANES*32-1:0] acc,
    input  wire                bias_en,
    input  wire [15:0]         mult,
    input  wire [4:0]          shift,
    input  wire                relu,
    output reg  [LANES*8-1:0]  y
);
  localparam NPRE = (KT < LANES) ? KT : LANES;
  reg  [LANES*32-1:0] bias;
  reg  [LANES*32-1:0] s1;
  reg  [LANES*49-1:0] s2;

  always @(posedge clk) begin
    if (bias_we) bias <= bias_wdata;
  end

  // bit i of hi_mask: i >= shift + 9 (the window's top bit and up), the bits that must equal the sign for y not to saturate
  wire [47:0] hi_mask = {48{1'b1}} << ({1'b0, shift} + 6'd9);

  genvar g;
  generate
    if (KT > NPRE) begin : g_unused
      wire unused_act = &{1'b0, pre_act[KT*8-1:NPRE*8]};  // rows beyond the lanes
    end
    for (g = 0; g < LANES; g = g + 1) begin : g_lane
      wire signed [31:0] op_a;
      wire        [15:0] op_b = pre_sel ? pre_scale : mult;
      wire signed [48:0] prod = op_a * $signed({1'b0, op_b});
      if (g < NPRE) begin : g_pre
        wire [7:0] a8 = pre_act[g*8+:8];
        assign op_a = pre_sel ? {{24{a8[7]}}, a8} : s1[g*32+:32];
        assign pre_out[g*32+:32] = s2[g*49+:32];
      end else begin : g_zero
        assign op_a = s1[g*32+:32];
        assign pre_out[g*32+:32] = 32'd0;
      end

      // requantization of s2
      wire [48:0]        x    = s2[g*49+:49];
      wire               neg  = x[48];
      wire               fits = ~|((x[47:0] ^ {48{neg}}) & hi_mask);
      wire [10:0]        win  = x[({1'b0, shift} - 6'd1) +: 11];
      wire signed [11:0] a1   = $signed({win[10], win}) + 12'sd1;
      wire signed [10:0] t    = a1[11:1];
      wire               unused_round = a1[0];
      reg  [7:0]         yl;
      always @(*) begin
        if (!fits) yl = neg ? (relu ? 8'd0 : 8'h80) : 8'd127;
        else if (t > 11'sd127) yl = 8'd127;
        else if (relu && t < 11'sd0) yl = 8'd0;
        else if (t < -11'sd128) yl = 8'h80;
        else yl = t[7:0];
      end
      always @(posedge clk) begin
        s1[g*32+:32] <= acc[g*32+:32] + (bias_en ? bias[g*32+:32] : 32'd0);
        s2[g*49+:49] <= prod;
        y[g*8+:8]    <= yl;
      end
    end
  endgenerate
endmodule
`default_nettype wire
