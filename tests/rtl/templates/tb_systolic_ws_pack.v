// tb_systolic_ws_pack: the packed 16x8 array (PACK = 2, the DSP48E2 packing written as the DSP
// computes) against the unpacked 16x8 array (PACK = 1, one a*b per column) and a reference sum,
// compared on every cycle (out_valid and all 8 outputs; the unpacked array's delayed one cycle,
// the packed array's LAT being R + C). 16 rows is the largest packed array; the
// weights lie in [-127, 127] and the activations in [-128, 127]. 60 passes alternate the two
// banks: the first four are the extreme corners (all activations -128 times all weights -127,
// then all +127, then alternating signs per column pair, then -128 x mixed +-127 with the
// low column of each pair opposite to the high one), the rest random with random gaps.
// +define+W128 lets the corner weights be -128, outside the packed array's contract: the low
// field of 16 products of -128 * -128 is 2^18 and must overflow, so that run must FAIL.
module tb_systolic_ws_pack;
  localparam R = 16, C = 8, LAT = R + C, NPASS = 60, NPX = 12;  // LAT of the packed array
`ifdef W128
  localparam [7:0] WMIN = 8'h80;
`else
  localparam [7:0] WMIN = 8'h81;
`endif
  reg clk = 0, rst_n = 0, w_shift = 0, w_bank = 0, in_valid = 0, a_bank = 0;
  reg [C*8-1:0] w_in = 0;
  reg [R*8-1:0] a_in = 0;
  wire v1, v2;
  wire [C*32-1:0] o1, o2;
  reg signed [7:0] refw [0:1][0:R-1][0:C-1];
  reg signed [7:0] pw [0:R-1][0:C-1];
  reg signed [31:0] exp_q [0:NPASS*NPX-1][0:C-1];
  integer exp_t [0:NPASS*NPX-1];
  integer n, i, r, c, t, got = 0, nexp = 0, errors = 0, seed, b, x;
  reg signed [31:0] want;

  systolic_ws #(.ROWS(R), .COLS(C), .PACK(1)) u1 (.clk(clk), .rst_n(rst_n), .w_shift(w_shift),
      .w_bank(w_bank), .w_in(w_in), .in_valid(in_valid), .a_bank(a_bank), .a_in(a_in),
      .out_valid(v1), .out(o1));
  systolic_ws #(.ROWS(R), .COLS(C), .PACK(2)) u2 (.clk(clk), .rst_n(rst_n), .w_shift(w_shift),
      .w_bank(w_bank), .w_in(w_in), .in_valid(in_valid), .a_bank(a_bank), .a_in(a_in),
      .out_valid(v2), .out(o2));
  reg v1d = 0;
  reg [C*32-1:0] o1d;
  always @(posedge clk) begin
    v1d <= (v1 === 1'b1);  // (0 before the reset reaches the unpacked array)
    o1d <= o1;
  end
  always #5 clk = ~clk;
  always @(posedge clk) t <= t + 1;
  always @(posedge clk) begin
    #1;
    if (v1d !== v2 || (v1d && o1d !== o2)) begin
      errors = errors + 1;
      if (errors < 10) $display("cycle %0d: packed %0b %h, unpacked %0b %h", t, v2, o2, v1d, o1d);
    end
    if (v2) begin
      if (got >= nexp || t - exp_t[got] != LAT) begin
        errors = errors + 1; $display("output %0d at cycle %0d: unexpected or late", got, t);
      end else
        for (c = 0; c < C; c = c + 1)
          if ($signed(o2[c*32+:32]) !== exp_q[got][c]) begin
            errors = errors + 1;
            if (errors < 10) $display("output %0d col %0d: %0d want %0d", got, c, $signed(o2[c*32+:32]), exp_q[got][c]);
          end
      got = got + 1;
    end
  end

  function [7:0] rnd_w(input integer s);   // uniform in [-127, 127]
    rnd_w = ({$random(seed)} % 255) - 127;
  endfunction

  initial begin
    t = 0; seed = 14;
    for (b = 0; b < 2; b = b + 1) for (r = 0; r < R; r = r + 1) for (c = 0; c < C; c = c + 1) refw[b][r][c] = 0;
    repeat (2) @(posedge clk); #1 rst_n = 1;
    for (n = 0; n < NPASS; n = n + 1) begin
      b = n % 2;
      for (r = 0; r < R; r = r + 1) for (c = 0; c < C; c = c + 1)
        case (n)
          0: pw[r][c] = WMIN;
          1: pw[r][c] = 8'sd127;
          2: pw[r][c] = (c % 4 < 2) ? WMIN : 8'sd127;
          3: pw[r][c] = (c % 2 == 0) ? WMIN : 8'sd127;
          default: pw[r][c] = rnd_w(0);
        endcase
      // every earlier pixel has left the array: shift the pass's R rows (last row first) into bank b
      for (r = R - 1; r >= 0; r = r - 1) begin
        w_shift = 1; w_bank = b;
        for (c = 0; c < C; c = c + 1) w_in[c*8+:8] = pw[r][c];
        for (x = R - 1; x > 0; x = x - 1) for (c = 0; c < C; c = c + 1) refw[b][x][c] = refw[b][x-1][c];
        for (c = 0; c < C; c = c + 1) refw[b][0][c] = pw[r][c];
        @(posedge clk); #1;
      end
      w_shift = 0; w_bank = 1'bx;
      i = 0;
      while (i < NPX) begin
        in_valid = (n < 4) || ({$random(seed)} % 4 != 0);
        a_bank = b;
        if (in_valid) begin
          for (r = 0; r < R; r = r + 1) a_in[r*8+:8] = (n < 4 || i == 0) ? 8'h80 : $random(seed);
          for (c = 0; c < C; c = c + 1) begin
            want = 0;
            for (r = 0; r < R; r = r + 1) want = want + $signed(a_in[r*8+:8]) * refw[b][r][c];
            exp_q[nexp][c] = want;
          end
          exp_t[nexp] = t; nexp = nexp + 1; i = i + 1;
        end else a_in = {R*8{1'bx}};
        @(posedge clk); #1;
      end
      in_valid = 0; a_in = {R*8{1'bx}}; a_bank = 1'bx;
      repeat (LAT) @(posedge clk);
      #1;
    end
    repeat (3) @(posedge clk);
    if (got != nexp) begin errors = errors + 1; $display("got %0d outputs, want %0d", got, nexp); end
    if (errors == 0) $display("PASS tb_systolic_ws_pack (%0d pixels in %0d passes, 16 rows, corners %0d)", nexp, NPASS, $signed(exp_q[0][0]));
    else $display("FAIL tb_systolic_ws_pack %0d errors", errors);
    $finish;
  end
endmodule
