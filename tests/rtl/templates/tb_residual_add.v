// tb_residual_add: z = clamp((y*mult_y + x*mult_skip + 2^(shift-1)) >>> shift) with and without
// ReLU against a 64-bit reference (3-cycle latency): random operands and multipliers, the extreme
// operands (-128, 127) at mult 65535, and every shift 1..31. A second instance with MUL = 1 runs
// the same cases in multiply mode (two of three cases: z = clamp((y*mult_y*x + 2^(shift-1)) >>>
// shift), mult_skip ignored; the third in add mode) against its own reference.
module tb_residual_add;
  localparam L = 3;
  reg clk = 0, relu = 0, mm = 0;
  reg [L*8-1:0] y = 0, x = 0;
  reg [15:0] my = 0, ms = 0;
  reg [4:0] shift = 1;
  wire [L*8-1:0] z, zm;
  reg signed [63:0] s, t, sm, tm;
  reg [7:0] want [0:1][0:L-1];
  reg [7:0] wantm [0:1][0:L-1];
  integer i, j, errors = 0, checked = 0;
  residual_add #(.LANES(L)) dut (.clk(clk), .y(y), .x(x), .mult_y(my), .mult_skip(ms), .shift(shift),
      .relu(relu), .mul(1'b1), .z(z));  // MUL = 0: mul is ignored
  residual_add #(.LANES(L), .MUL(1)) dm (.clk(clk), .y(y), .x(x), .mult_y(my), .mult_skip(ms),
      .shift(shift), .relu(relu), .mul(mm), .z(zm));
  always #5 clk = ~clk;
  initial begin
    for (i = 0; i < 600; i = i + 1) begin
      relu = i % 2;
      mm = (i % 3 != 0);
      shift = (i < 62) ? 1 + (i / 2) % 31 : 1 + {$random} % 31;
      my = (i % 7 == 0) ? 16'hffff : $random;
      ms = (i % 11 == 0) ? 16'hffff : $random;
      for (j = 0; j < L; j = j + 1) begin
        y[j*8+:8] = (i % 5 == 0) ? ((j % 2) ? 8'h80 : 8'h7f) : $random;
        x[j*8+:8] = (i % 5 == 0) ? ((j % 2) ? 8'h80 : 8'h7f) : $random;
        s = $signed(y[j*8+:8]) * $signed({48'd0, my}) + $signed(x[j*8+:8]) * $signed({48'd0, ms});
        t = (s + (64'sd1 <<< (shift - 1))) >>> shift;
        if (t > 127) want[i % 2][j] = 127;
        else if (relu && t < 0) want[i % 2][j] = 0;
        else if (t < -128) want[i % 2][j] = 8'h80;
        else want[i % 2][j] = t[7:0];
        sm = mm ? $signed(y[j*8+:8]) * $signed({48'd0, my}) * $signed(x[j*8+:8]) : s;
        tm = (sm + (64'sd1 <<< (shift - 1))) >>> shift;
        if (tm > 127) wantm[i % 2][j] = 127;
        else if (relu && tm < 0) wantm[i % 2][j] = 0;
        else if (tm < -128) wantm[i % 2][j] = 8'h80;
        else wantm[i % 2][j] = tm[7:0];
      end
      @(posedge clk); #1;
      // inputs held for the later stages: the pipeline registers the sum, the rounding sum, then
      // the clamp
      @(posedge clk); #1;
      @(posedge clk); #1;
      for (j = 0; j < L; j = j + 1) begin
        checked = checked + 1;
        if (z[j*8+:8] !== want[i % 2][j]) begin
          errors = errors + 1;
          if (errors < 5) $display("FAIL lane %0d case %0d: got %0d want %0d", j, i, $signed(z[j*8+:8]), $signed(want[i % 2][j]));
        end
        checked = checked + 1;
        if (zm[j*8+:8] !== wantm[i % 2][j]) begin
          errors = errors + 1;
          if (errors < 5) $display("FAIL mul=%0d lane %0d case %0d: got %0d want %0d", mm, j, i, $signed(zm[j*8+:8]), $signed(wantm[i % 2][j]));
        end
      end
    end
    if (errors == 0 && checked == 2 * 600 * L) $display("PASS tb_residual_add");
    else $display("FAIL tb_residual_add: %0d errors", errors);
    $finish;
  end
endmodule
