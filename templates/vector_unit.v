// vector_unit: the engine's per-lane integer arithmetic (docs/quantization.md).
// Pre-accumulate path (pooling, add), one register stage: lane j < min(KT, LANES) of pre_out is
// the sign-extended int8 act[j] (pre_max) or act[j] * pre_scale (pre_scale unsigned 16-bit);
// lanes beyond are 0. Requantization path, three register stages (latency 3):
//   s1 = acc + (bias_en ? bias : 0)                       (int32, wrapping)
//   s2 = s1 * mult                                         (64-bit, mult unsigned 16-bit)
//   y  = clamp((s2 + 2^(shift-1)) >>> shift, relu ? 0 : -128, 127)
// The bias register (LANES int32) is written whole by bias_we. One multiplier per lane per path.
`default_nettype none
module vector_unit #(
    parameter LANES = 4,
    parameter KT    = 4
) (
    input  wire                clk,
    input  wire                bias_we,
    input  wire [LANES*32-1:0] bias_wdata,
    // pre-accumulate
    input  wire [KT*8-1:0]     pre_act,
    input  wire [15:0]         pre_scale,
    input  wire                pre_max,
    output reg  [LANES*32-1:0] pre_out,
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
  reg  [LANES*64-1:0] s2;
  integer j;

  always @(posedge clk) begin
    if (bias_we) bias <= bias_wdata;
  end

  always @(posedge clk) begin
    for (j = 0; j < LANES; j = j + 1) begin
      if (j < NPRE) begin
        if (pre_max)
          pre_out[j*32+:32] <= {{24{pre_act[j*8+7]}}, pre_act[j*8+:8]};
        else
          pre_out[j*32+:32] <= $signed(pre_act[j*8+:8]) * $signed({16'd0, pre_scale});
      end else begin
        pre_out[j*32+:32] <= 32'd0;
      end
    end
  end

  reg signed [63:0] t;
  reg [LANES*8-1:0] y_next;
  always @(*) begin
    for (j = 0; j < LANES; j = j + 1) begin
      t = ($signed(s2[j*64+:64]) + $signed(64'd1 << (shift - 5'd1))) >>> shift;
      if (t > 64'sd127) y_next[j*8+:8] = 8'd127;
      else if (relu && t < 64'sd0) y_next[j*8+:8] = 8'd0;
      else if (t < -64'sd128) y_next[j*8+:8] = 8'h80;
      else y_next[j*8+:8] = t[7:0];
    end
  end

  genvar g;
  generate
    for (g = 0; g < LANES; g = g + 1) begin : g_lane
      wire signed [48:0] prod = $signed(s1[g*32+:32]) * $signed({1'b0, mult});
      always @(posedge clk) begin
        s1[g*32+:32] <= acc[g*32+:32] + (bias_en ? bias[g*32+:32] : 32'd0);
        s2[g*64+:64] <= {{15{prod[48]}}, prod};
      end
    end
  endgenerate

  always @(posedge clk) y <= y_next;
endmodule
`default_nettype wire
