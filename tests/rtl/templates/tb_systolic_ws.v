// tb_systolic_ws: 3x4 weight-stationary array: shift in 3 weight rows (last row first), stream
// 20 random pixels with gaps; each output appears exactly ROWS+COLS-1 cycles later and equals
// sum_r a[r] * w[r][c].
module tb_systolic_ws;
  localparam R = 3, C = 4, LAT = R + C - 1, NP = 20;
  reg clk = 0, rst_n = 0, w_shift = 0, in_valid = 0;
  reg [C*8-1:0] w_in = 0;
  reg [R*8-1:0] a_in = 0;
  wire out_valid;
  wire [C*32-1:0] out;
  reg signed [7:0] w [0:R-1][0:C-1];
  reg signed [7:0] a [0:NP-1][0:R-1];
  reg signed [31:0] want;
  integer i, r, c, t, sent = 0, got = 0, errors = 0;
  integer sent_at [0:NP-1];
  systolic_ws #(.ROWS(R), .COLS(C)) dut (.clk(clk), .rst_n(rst_n), .w_shift(w_shift), .w_in(w_in),
      .in_valid(in_valid), .a_in(a_in), .out_valid(out_valid), .out(out));
  always #5 clk = ~clk;
  always @(posedge clk) begin
    #1;
    if (out_valid) begin
      if (t - sent_at[got] != LAT) begin errors = errors + 1; $display("latency %0d", t - sent_at[got]); end
      for (c = 0; c < C; c = c + 1) begin
        want = 0;
        for (r = 0; r < R; r = r + 1) want = want + a[got][r] * w[r][c];
        if ($signed(out[c*32+:32]) !== want) begin
          errors = errors + 1; $display("pixel %0d col %0d: %0d want %0d", got, c, $signed(out[c*32+:32]), want);
        end
      end
      got = got + 1;
    end
  end
  always @(posedge clk) t <= t + 1;
  initial begin
    t = 0;
    for (r = 0; r < R; r = r + 1) for (c = 0; c < C; c = c + 1) w[r][c] = $random;
    for (i = 0; i < NP; i = i + 1) for (r = 0; r < R; r = r + 1) a[i][r] = $random;
    a[0][0] = -128; w[0][0] = -128;
    repeat (2) @(posedge clk); #1 rst_n = 1;
    for (r = R - 1; r >= 0; r = r - 1) begin
      w_shift = 1;
      for (c = 0; c < C; c = c + 1) w_in[c*8+:8] = w[r][c];
      @(posedge clk); #1;
    end
    w_shift = 0;
    while (sent < NP) begin
      in_valid = (sent % 7 != 3) || (t % 2 == 0);
      if (in_valid) begin
        for (r = 0; r < R; r = r + 1) a_in[r*8+:8] = a[sent][r];
        sent_at[sent] = t;
        sent = sent + 1;
      end else a_in = {R*8{1'bx}};
      @(posedge clk); #1;
    end
    in_valid = 0;
    repeat (LAT + 3) @(posedge clk);
    if (got != NP) begin errors = errors + 1; $display("got %0d outputs", got); end
    if (errors == 0) $display("PASS tb_systolic_ws"); else $display("FAIL tb_systolic_ws %0d errors", errors);
    $finish;
  end
endmodule
