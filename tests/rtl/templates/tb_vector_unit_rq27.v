// tb_vector_unit_rq27: the vector unit with RQ_W = 27 (one DSP48E2 per lane), whose s1 is
// acc + bias saturated to 27 bits. Requantization against the 64-bit reference of
// docs/quantization.md over random and edge operands: every case the narrow-requantization rule
// (docs/quantization.md#narrow-requantization) calls exact must match bit for bit; the cases it
// does not (a sum outside 27 bits with a scale too small to saturate) are counted, and some must
// differ, or the unit under test is not the narrow one. The test also fails unless enough exact
// cases had a sum outside 27 bits (the saturation path exercised). Latency 3, as RQ_W = 32.
module tb_vector_unit_rq27;
  localparam L = 4, KT = 3, W = 27;
  localparam signed [63:0] B = 64'sd1 <<< (W - 1);
  reg clk = 0, bias_we = 0, pre_sel = 0, bias_en = 0, relu = 0;
  reg [L*32-1:0] bias_wdata = 0, acc = 0;
  reg [KT*8-1:0] pre_act = 0;
  reg [15:0] pre_scale = 0, mult = 0;
  reg [4:0] shift = 1;
  wire [L*32-1:0] pre_out;
  wire [L*8-1:0] y;
  reg [L*32-1:0] bias_m;
  reg signed [63:0] s, t, sum64, p2;
  reg signed [31:0] sum;
  reg [7:0] want [0:L-1];
  reg exact [0:L-1];
  integer i, j, errors = 0, checked = 0, big = 0, inexact = 0, differ = 0;
`ifdef RQ_LUT
  localparam MUL_LUT = 1;  // the multiplier in fabric (rtl.tb.vector_unit_rq27.lut)
`else
  localparam MUL_LUT = 0;
`endif
  vector_unit #(.LANES(L), .KT(KT), .ACT(0), .DATA_W(64), .RQ_W(W), .RQ_LUT(MUL_LUT)) dut (.clk(clk), .bias_we(bias_we),
      .bias_wdata(bias_wdata), .pre_sel(pre_sel), .pre_act(pre_act), .pre_scale(pre_scale), .pre_out(pre_out),
      .acc(acc), .bias_en(bias_en), .mult(mult), .shift(shift), .relu(relu), .clamp_en(1'b0), .clamp_lo(8'd0),
      .clamp_hi(8'd0), .lut_en(1'b0), .tab_we(1'b0), .tab_waddr(8'd0), .tab_wdata(64'd0), .y(y));
  always #5 clk = ~clk;
  initial begin
    bias_we = 1; bias_wdata = {32'h7fffffff, 32'hfc000000, 32'd1000, -32'sd77}; bias_m = bias_wdata;
    @(posedge clk); #1 bias_we = 0;
    for (i = 0; i < 3000; i = i + 1) begin
      bias_en = i % 2; relu = (i % 3) == 0;
      shift = (i < 62) ? 1 + i % 31 : 1 + {$random} % 31;
      // mult: random, 0, full scale, or next to the rule's threshold 255 * 2^shift / 2^27 (as small as 1)
      case (i % 4)
        0: mult = $random;
        1: mult = (i % 40 == 1) ? 16'd0 : 16'hffff;
        default: begin
          p2 = (64'sd255 <<< shift) >>> W;
          mult = p2[15:0] + (i % 4 == 2 ? 0 : 1) + (p2 == 0 ? 1 : 0);
        end
      endcase
      for (j = 0; j < L; j = j + 1)
        case ((i + j) % 6)
          0: acc[j*32+:32] = $random;                                    // any int32
          1: acc[j*32+:32] = 32'h80000000 + (i % 3);                     // int32 extremes
          2: acc[j*32+:32] = 32'h7fffffff - (i % 3);
          3: acc[j*32+:32] = ((i % 2) ? B : -B) + (($random % 5) - 2);    // the 27-bit edge
          default: acc[j*32+:32] = $random % 65536;
        endcase
      for (j = 0; j < L; j = j + 1) begin
        sum = $signed(acc[j*32+:32]) + (bias_en ? $signed(bias_m[j*32+:32]) : 0);
        s = sum * $signed({48'd0, mult});
        t = (s + (64'sd1 <<< (shift - 1))) >>> shift;
        if (t > 127) want[j] = 127;
        else if (relu && t < 0) want[j] = 0;
        else if (t < -128) want[j] = 8'h80;
        else want[j] = t[7:0];
        // the rule: the sum stays in W bits, or mult is 0, or a sum beyond saturates anyway
        sum64 = sum;
        exact[j] = (sum64 >= -B && sum64 < B) || mult == 0 ||
                   (2 * B * mult > (64'sd255 <<< shift) && 2 * (B - 1) * mult >= (64'sd253 <<< shift));
        if (exact[j] && !(sum64 >= -B && sum64 < B) && mult != 0) big = big + 1;
      end
      @(posedge clk); #1;
      acc = {L*32{1'bx}};
      @(posedge clk); @(posedge clk); #1;
      for (j = 0; j < L; j = j + 1)
        if (exact[j]) begin
          checked = checked + 1;
          if (y[j*8+:8] !== want[j]) begin
            errors = errors + 1;
            $display("case %0d lane %0d: %h want %h (shift %0d mult %0d)", i, j, y[j*8+:8], want[j], shift, mult);
          end
        end else begin
          inexact = inexact + 1;
          if (y[j*8+:8] !== want[j]) differ = differ + 1;
        end
    end
    // the pre-accumulate path is unchanged by RQ_W (int8 x 16 bits fits 27)
    pre_sel = 1;
    for (i = 0; i < 50; i = i + 1) begin
      pre_scale = (i % 2) ? 16'd1 : $random; pre_act = $random;
      @(posedge clk); @(posedge clk); #1;
      for (j = 0; j < L; j = j + 1) begin
        if (j >= KT) s = 0;
        else s = $signed(pre_act[j*8+:8]) * $signed({1'b0, pre_scale});
        if ($signed(pre_out[j*32+:32]) !== s[31:0]) begin errors = errors + 1; $display("pre lane %0d", j); end
      end
    end
    $display("checked %0d (%0d with the sum beyond 27 bits), outside the rule %0d (%0d differ)", checked, big,
             inexact, differ);
    if (big < 500) begin errors = errors + 1; $display("too few saturating cases checked"); end
    if (differ == 0) begin errors = errors + 1; $display("no case outside the rule differs: not a 27-bit unit"); end
    if (errors == 0) $display("PASS tb_vector_unit_rq27"); else $display("FAIL tb_vector_unit_rq27 %0d errors", errors);
    $finish;
  end
endmodule
