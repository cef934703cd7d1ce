// tb_systolic_ws: 3x4 weight-stationary array with two weight banks. Part 1 (one bank): shift in
// 3 weight rows (last row first), stream 20 random pixels with gaps; each output appears exactly
// ROWS+COLS-1 cycles later and equals sum_r a[r] * w[r][c]. Part 2 (both banks, back to back):
// 40 passes of random k (1..ROWS rows) and mt (1..7 pixels) alternate banks; pass n+1's rows shift
// into the other bank while pass n streams, its pixels follow pass n's last pixel with no gap
// unless its bank is not loaded yet, and a bank shifts at the earliest cycle the bank rule allows
// (its last pixel entered LAT-1 cycles before; +define+EARLY shifts one cycle sooner and must
// FAIL). The reference keeps both banks' registers as the shift chain leaves them and computes
// every pixel's sums with its bank at entry. +define+PACK2 runs the same checks on the packed
// array (PACK = 2, two columns per DSP): its LAT is R + C (the DSP's input registers), the bank
// rule the same in terms of LAT, weights in [-127, 127] (the -128 corners become -127).
// +define+WSKEW builds the array with skewed weight loads (WSKEW = 1): the same checks with the
// bank rule's latency R instead of LAT (a bank shifts R-1 cycles after its last pixel entered;
// with +define+EARLY R-2, which must FAIL).
module tb_systolic_ws;
`ifdef PACK2
  localparam PACK = 2;
`else
  localparam PACK = 1;
`endif
`ifdef WSKEW
  localparam WSKEW = 1;
`else
  localparam WSKEW = 0;
`endif
  localparam R = 3, C = 4, LAT = R + C - 1 + ((PACK == 2) ? 1 : 0), NP = 20, NPASS = 40, MAXO = 400;
  localparam BL = (WSKEW != 0) ? R : LAT;  // the bank rule's latency
`ifdef EARLY
  localparam SLACK = BL - 2;
`else
  localparam SLACK = BL - 1;
`endif
  reg clk = 0, rst_n = 0, w_shift = 0, w_bank = 0, in_valid = 0, a_bank = 0;
  reg [C*8-1:0] w_in = 0;
  reg [R*8-1:0] a_in = 0;
  wire out_valid;
  wire [C*32-1:0] out;
  reg signed [7:0] w [0:R-1][0:C-1];
  reg signed [7:0] a [0:NP-1][0:R-1];
  reg signed [7:0] refw [0:1][0:R-1][0:C-1];   // reference banks
  reg signed [7:0] pw [0:NPASS-1][0:R-1][0:C-1];
  integer pk [0:NPASS-1], pm [0:NPASS-1], last_t [0:NPASS-1];
  reg signed [31:0] want;
  reg signed [31:0] exp_q [0:MAXO-1][0:C-1];
  integer exp_t [0:MAXO-1];
  integer i, n, r, c, t, sent = 0, got = 0, errors = 0, nexp = 0;
  integer ln, lrow, sn, spx, seed, b;
  reg lrun;
  systolic_ws #(.ROWS(R), .COLS(C), .PACK(PACK), .WSKEW(WSKEW)) dut (.clk(clk), .rst_n(rst_n), .w_shift(w_shift),
      .w_bank(w_bank), .w_in(w_in), .in_valid(in_valid), .a_bank(a_bank), .a_in(a_in),
      .out_valid(out_valid), .out(out));
  always #5 clk = ~clk;
  always @(posedge clk) begin
    #1;
    if (out_valid) begin
      if (got >= nexp) begin errors = errors + 1; $display("unexpected output at %0d", t); end
      else begin
        if (t - exp_t[got] != LAT) begin errors = errors + 1; $display("latency %0d", t - exp_t[got]); end
        for (c = 0; c < C; c = c + 1)
          if ($signed(out[c*32+:32]) !== exp_q[got][c]) begin
            errors = errors + 1;
            $display("output %0d col %0d: %0d want %0d", got, c, $signed(out[c*32+:32]), exp_q[got][c]);
          end
      end
      got = got + 1;
    end
  end
  always @(posedge clk) t <= t + 1;

  // a weight as the array may hold it: the packed array takes [-127, 127]
  function [7:0] wfix(input [7:0] x);
    wfix = (PACK == 2 && x == 8'h80) ? 8'h81 : x;
  endfunction

  // expected sums of the pixel on a_in now, with bank `bank` of the reference
  task expect_pixel(input integer bank);
    begin
      for (c = 0; c < C; c = c + 1) begin
        want = 0;
        for (r = 0; r < R; r = r + 1) want = want + $signed(a_in[r*8+:8]) * refw[bank][r][c];
        exp_q[nexp][c] = want;
      end
      exp_t[nexp] = t;
      nexp = nexp + 1;
    end
  endtask

  // the reference shift of bank `bank` by w_in
  task shift_ref(input integer bank);
    begin
      for (r = R - 1; r > 0; r = r - 1) for (c = 0; c < C; c = c + 1) refw[bank][r][c] = refw[bank][r-1][c];
      for (c = 0; c < C; c = c + 1) refw[bank][0][c] = w_in[c*8+:8];
    end
  endtask

  initial begin
    t = 0;
    seed = 7;
    for (b = 0; b < 2; b = b + 1) for (r = 0; r < R; r = r + 1) for (c = 0; c < C; c = c + 1) refw[b][r][c] = 0;
    for (r = 0; r < R; r = r + 1) for (c = 0; c < C; c = c + 1) w[r][c] = wfix($random(seed));
    for (i = 0; i < NP; i = i + 1) for (r = 0; r < R; r = r + 1) a[i][r] = $random(seed);
    a[0][0] = -128; w[0][0] = wfix(8'h80);
    repeat (2) @(posedge clk); #1 rst_n = 1;
    // ---- part 1: bank 0 only, gaps between pixels
    for (r = R - 1; r >= 0; r = r - 1) begin
      w_shift = 1;
      for (c = 0; c < C; c = c + 1) w_in[c*8+:8] = w[r][c];
      shift_ref(0);
      @(posedge clk); #1;
    end
    w_shift = 0;
    while (sent < NP) begin
      in_valid = (sent % 7 != 3) || (t % 2 == 0);
      if (in_valid) begin
        for (r = 0; r < R; r = r + 1) a_in[r*8+:8] = a[sent][r];
        expect_pixel(0);
        sent = sent + 1;
      end else a_in = {R*8{1'bx}};
      @(posedge clk); #1;
    end
    in_valid = 0;
    repeat (LAT + 3) @(posedge clk);
    #1;
    if (got != NP) begin errors = errors + 1; $display("got %0d outputs, want %0d", got, NP); end
    // ---- part 2: back-to-back passes alternating banks
    for (n = 0; n < NPASS; n = n + 1) begin
      pk[n] = 1 + {$random(seed)} % R;
      pm[n] = 1 + {$random(seed)} % 7;
      if (n >= 30) pk[n] = R;        // full loads with single pixels: the bank rule decides
      if (n >= 30) pm[n] = 1;
      for (r = 0; r < R; r = r + 1) for (c = 0; c < C; c = c + 1) pw[n][r][c] = wfix($random(seed));
    end
    pw[1][0][0] = wfix(8'h80);
    ln = 0; lrow = 0; lrun = 0; sn = 0; spx = 0;
    while (sn < NPASS) begin
      // streamer: the next pixel of pass sn once its bank holds it (its load ended before now)
      in_valid = 0; a_bank = 1'bx; a_in = {R*8{1'bx}};
      w_shift = 0; w_bank = 1'bx; w_in = {C*8{1'bx}};
      if (sn < ln) begin
        in_valid = 1;
        a_bank = sn % 2;
        for (r = 0; r < R; r = r + 1) a_in[r*8+:8] = $random(seed);
        expect_pixel(sn % 2);
        spx = spx + 1;
        if (spx == pm[sn]) begin last_t[sn] = t; spx = 0; sn = sn + 1; end
      end
      // loader: pass ln's rows into bank ln % 2 once its previous user pass ln-2 is done with it
      if (!lrun && ln < NPASS && (ln < 2 || (sn > ln - 2 && t >= last_t[ln-2] + SLACK))) lrun = 1;
      if (lrun) begin
        w_shift = 1;
        w_bank = ln % 2;
        for (c = 0; c < C; c = c + 1) w_in[c*8+:8] = pw[ln][pk[ln] - 1 - lrow][c];
        shift_ref(ln % 2);
        lrow = lrow + 1;
        if (lrow == pk[ln]) begin lrow = 0; lrun = 0; ln = ln + 1; end
      end
      @(posedge clk); #1;
    end
    in_valid = 0; w_shift = 0;
    repeat (LAT + 3) @(posedge clk);
    if (got != nexp) begin errors = errors + 1; $display("got %0d outputs, want %0d", got, nexp); end
    if (errors == 0) $display("PASS tb_systolic_ws (%0d pixels in %0d passes)", nexp, NPASS);
    else $display("FAIL tb_systolic_ws %0d errors", errors);
    $finish;
  end
endmodule
