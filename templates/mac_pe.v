// mac_pe: one processing element, a registered multiply-accumulate p <= c + a*b (signed).
// a and b are int8 (AW/BW bits), c and p int32 (CW bits). Written as a single registered
// multiply-add without reset on p so Yosys maps it onto one DSP48 (synth_xilinx) or SB_MAC16
// (synth_ice40 -dsp). `en` gates the register (weight-stationary arrays run it every cycle;
// output-stationary arrays feed c back from p, or from the PE below while draining).
`default_nettype none
module mac_pe #(
    parameter AW = 8,
    parameter BW = 8,
    parameter CW = 32
) (
    input  wire                 clk,
    input  wire                 en,
    input  wire signed [AW-1:0] a,
    input  wire signed [BW-1:0] b,
    input  wire signed [CW-1:0] c,
    output reg  signed [CW-1:0] p
);
  wire signed [AW+BW-1:0] prod = a * b;
  always @(posedge clk) begin
    if (en) p <= c + {{(CW - AW - BW) {prod[AW+BW-1]}}, prod};
  end
endmodule
`default_nettype wire
