// tb_systolic_os: 3x2 output-stationary array with KT = 4: load 3 pixel vectors, step 4 reduction
// indices with weights, wait ROWS+COLS-1 cycles, drain 3 rows; sums must equal sum_k a[r][k]*w[k][c].
// Two groups back to back check that `first` restarts the sums.
module tb_systolic_os;
  localparam R = 3, C = 2, KT = 4, LAT = R + C - 1;
  reg clk = 0, rst_n = 0, ld = 0, step = 0, first = 0, drain = 0;
  reg [1:0] ld_row = 0;
  reg [KT*8-1:0] ld_word = 0;
  reg [C*8-1:0] w_in = 0;
  wire [C*32-1:0] out_row;
  reg signed [7:0] a [0:R-1][0:KT-1];
  reg signed [7:0] w [0:KT-1][0:C-1];
  reg signed [31:0] want;
  integer g, r, c, k, errors = 0;
  systolic_os #(.ROWS(R), .COLS(C), .KT(KT)) dut (.clk(clk), .rst_n(rst_n), .ld(ld), .ld_row(ld_row),
      .ld_word(ld_word), .step(step), .first(first), .w_in(w_in), .drain(drain), .out_row(out_row));
  always #5 clk = ~clk;
  initial begin
    repeat (2) @(posedge clk); #1 rst_n = 1;
    for (g = 0; g < 2; g = g + 1) begin
      for (r = 0; r < R; r = r + 1) for (k = 0; k < KT; k = k + 1) a[r][k] = $random;
      for (k = 0; k < KT; k = k + 1) for (c = 0; c < C; c = c + 1) w[k][c] = $random;
      if (g == 0) begin a[0][0] = -128; w[0][0] = -128; end
      for (r = 0; r < R; r = r + 1) begin
        ld = 1; ld_row = r;
        for (k = 0; k < KT; k = k + 1) ld_word[k*8+:8] = a[r][k];
        @(posedge clk); #1;
      end
      ld = 0;
      for (k = 0; k < KT; k = k + 1) begin
        step = 1; first = (k == 0);
        for (c = 0; c < C; c = c + 1) w_in[c*8+:8] = w[k][c];
        @(posedge clk); #1;
      end
      step = 0; first = 0; w_in = {C*8{1'bx}};
      repeat (LAT - 1) @(posedge clk);
      #1;
      for (r = 0; r < R; r = r + 1) begin
        drain = 1;
        for (c = 0; c < C; c = c + 1) begin
          want = 0;
          for (k = 0; k < KT; k = k + 1) want = want + a[r][k] * w[k][c];
          if ($signed(out_row[c*32+:32]) !== want) begin
            errors = errors + 1; $display("group %0d row %0d col %0d: %0d want %0d", g, r, c, $signed(out_row[c*32+:32]), want);
          end
        end
        @(posedge clk); #1;
      end
      drain = 0;
    end
    if (errors == 0) $display("PASS tb_systolic_os"); else $display("FAIL tb_systolic_os %0d errors", errors);
    $finish;
  end
endmodule
