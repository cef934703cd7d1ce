// tb_vector_unit: requantization y = clamp(((acc + bias) * mult + 2^(shift-1)) >>> shift) with and
// without bias and ReLU, including saturation and int32 wrap of acc + bias, against a 64-bit
// reference (3-cycle latency); the pre-accumulate path (x * scale; scale 1 for pooling) after 2 cycles on
// the same multiplier (pre_sel). Then the activations (ACT = 2): a random table written 64 bits
// at a time, random clamp pairs (with and without ReLU) and the table one cycle later (latency 4).
module tb_vector_unit;
  localparam L = 4, KT = 3;
  reg clk = 0, bias_we = 0, pre_sel = 0, bias_en = 0, relu = 0;
  reg [L*32-1:0] bias_wdata = 0, acc = 0;
  reg [KT*8-1:0] pre_act = 0;
  reg [15:0] pre_scale = 0, mult = 0;
  reg [4:0] shift = 1;
  wire [L*32-1:0] pre_out;
  wire [L*8-1:0] y;
  reg [L*32-1:0] bias_m;
  reg signed [63:0] s, t;
  reg signed [31:0] sum;
  reg [7:0] want [0:L-1];
  integer i, j, k, lo_i, hi_i, errors = 0;
  reg clamp_en = 0, lut_en = 0, tab_we = 0;
  reg [7:0] clamp_lo = 0, clamp_hi = 0, tab_waddr = 0;
  reg [63:0] tab_wdata = 0;
  reg [7:0] table_m [0:255];
  reg signed [8:0] lo_e, hi_e;
`ifdef RQ_LUT
  localparam MUL_LUT = 1;  // the multiplier in fabric (rtl.tb.vector_unit.lut)
`else
  localparam MUL_LUT = 0;
`endif
  vector_unit #(.LANES(L), .KT(KT), .ACT(2), .DATA_W(64), .RQ_LUT(MUL_LUT)) dut (.clk(clk), .bias_we(bias_we), .bias_wdata(bias_wdata),
      .pre_sel(pre_sel), .pre_act(pre_act), .pre_scale(pre_scale), .pre_out(pre_out), .acc(acc),
      .bias_en(bias_en), .mult(mult), .shift(shift), .relu(relu), .clamp_en(clamp_en), .clamp_lo(clamp_lo),
      .clamp_hi(clamp_hi), .lut_en(lut_en), .tab_we(tab_we), .tab_waddr(tab_waddr), .tab_wdata(tab_wdata), .y(y));
  always #5 clk = ~clk;
  initial begin
    bias_we = 1; bias_wdata = {32'h7fffffff, 32'hffff8000, 32'd1000, -32'sd77}; bias_m = bias_wdata;
    @(posedge clk); #1 bias_we = 0;
    // random operands, then values next to every rounding and saturation edge:
    // acc = k * 2^shift + 2^(shift-1) + d at mult 1 for k in {-129, -128, 127, 128}, d in -1..1
    for (i = 0; i < 400 + 23 * 12; i = i + 1) begin
      bias_en = (i < 400) ? i % 2 : 0; relu = (i % 3) == 0;
      if (i < 400) begin
        mult = (i < 20) ? 16'hffff : $random; shift = (i < 40) ? 1 + i % 31 : 1 + {$random} % 31;
        for (j = 0; j < L; j = j + 1) acc[j*32+:32] = (i % 5 == 0) ? $random : ($random % 4096);
      end else begin
        mult = 1; shift = 1 + (i - 400) / 12;
        for (j = 0; j < L; j = j + 1)
          acc[j*32+:32] = (((i - 400) % 4 == 0) ? -129 : ((i - 400) % 4 == 1) ? -128 :
                           ((i - 400) % 4 == 2) ? 127 : 128) * (32'sd1 <<< shift)
                          + (32'sd1 <<< (shift - 1)) + (((i - 400) / 4) % 3) - 1 + j - 1;
      end
      for (j = 0; j < L; j = j + 1) begin
        sum = $signed(acc[j*32+:32]) + (bias_en ? $signed(bias_m[j*32+:32]) : 0);
        s = sum * $signed({48'd0, mult});
        t = (s + (64'sd1 <<< (shift - 1))) >>> shift;
        if (t > 127) want[j] = 127;
        else if (relu && t < 0) want[j] = 0;
        else if (t < -128) want[j] = 8'h80;
        else want[j] = t[7:0];
      end
      @(posedge clk); #1;
      acc = {L*32{1'bx}};
      @(posedge clk); @(posedge clk); #1;
      for (j = 0; j < L; j = j + 1)
        if (y[j*8+:8] !== want[j]) begin
          errors = errors + 1; $display("case %0d lane %0d: %h want %h (shift %0d mult %0d)", i, j, y[j*8+:8], want[j], shift, mult);
        end
    end
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
    // activations: the table (entry e = code + 128 in byte e mod 8 of word e / 8)
    pre_sel = 0; bias_en = 0;
    for (i = 0; i < 256; i = i + 1) table_m[i] = $random;
    for (i = 0; i < 32; i = i + 1) begin
      tab_we = 1; tab_waddr = i;
      for (j = 0; j < 8; j = j + 1) tab_wdata[j*8+:8] = table_m[i*8+j];
      @(posedge clk); #1;
    end
    tab_we = 0;
    for (i = 0; i < 600; i = i + 1) begin
      relu = (i % 3) == 0; clamp_en = (i % 4) != 1; lut_en = (i % 5) >= 2;
      mult = $random; shift = 1 + {$random} % 31;
      lo_i = {$random} % 200; lo_i = lo_i - 128; k = 128 - lo_i; hi_i = lo_i + {$random} % k;
      lo_e = lo_i; hi_e = hi_i;
      clamp_lo = lo_e[7:0]; clamp_hi = hi_e[7:0];
      if (!clamp_en) begin lo_e = relu ? 0 : -128; hi_e = 127; end
      for (j = 0; j < L; j = j + 1) acc[j*32+:32] = (i % 7 == 0) ? $random : ($random % 8192);
      for (j = 0; j < L; j = j + 1) begin
        s = $signed(acc[j*32+:32]) * $signed({48'd0, mult});
        t = (s + (64'sd1 <<< (shift - 1))) >>> shift;
        if (t > hi_e) t = hi_e;
        if (t < lo_e) t = lo_e;
        want[j] = lut_en ? table_m[{~t[7], t[6:0]}] : t[7:0];
      end
      @(posedge clk); #1;
      acc = {L*32{1'bx}};
      @(posedge clk); @(posedge clk); #1;
      if (lut_en) begin @(posedge clk); #1; end
      for (j = 0; j < L; j = j + 1)
        if (y[j*8+:8] !== want[j]) begin
          errors = errors + 1; $display("act case %0d lane %0d: %h want %h (clamp %0d lut %0d)", i, j, y[j*8+:8], want[j], clamp_en, lut_en);
        end
    end
    if (errors == 0) $display("PASS tb_vector_unit"); else $display("FAIL tb_vector_unit %0d errors", errors);
    $finish;
  end
endmodule
