// tb_dw_unit: dw_unit (LANES 4, 16-word rows, 4 slots, 9 taps) against a reference depthwise
// convolution over random int8 maps and weights in [-127, 127] plus the extreme corners (all -128
// activations x all -127 / +127 weights), for 3x3 stride 1 and 2 with padding 1, 3x3 without
// padding, 1x3, 3x1 and 1x1 windows, maps of width 16 (a full slot) and less; each row's outputs
// must come exactly (q+1)*R*S + 3 cycles after its start, and rows started back to back (in the
// cycle after busy falls) must keep that. Run with both multiplier forms (DSP_FREE 1 and 0) and
// with the line buffer written whole or 2 lanes at a time (CHUNK2: two banks); T25: 25 taps and
// 8 slots with 5x5 windows. The streaming cases load each input row once, beside the computing row.
`timescale 1ns/1ps
`default_nettype none
module tb_dw_unit;
`ifdef T25
  localparam LANES = 4, LW = 4, SLOTS = 8, TAPS = 25;   // 5x5 windows need 5 + stride slots
`else
  localparam LANES = 4, LW = 4, SLOTS = 4, TAPS = 9;
`endif
  localparam SWB = $clog2(SLOTS), TWB = $clog2(TAPS);
`ifdef CHUNK2
  localparam CHUNK = 2;   // the line buffer filled 2 lanes per write (2 banks)
`else
  localparam CHUNK = LANES;
`endif
  localparam NB = LANES / CHUNK;
`ifdef DSP_MUL
  localparam DSPF = 0;
`else
  localparam DSPF = 1;
`endif
  reg clk = 0, rst_n = 0;
  always #5 clk = ~clk;

  reg               ld_we = 0, wt_we = 0, start = 0;
  reg  [SWB-1:0]    ld_slot = 0;
  reg  [LW-1:0]     ld_col = 0;
  reg  [CHUNK*8-1:0] ld_data = 0;
  reg  [LANES*8-1:0] wt_data = 0;
  reg  [0:0]        ld_chunk = 0;
  reg  [TWB-1:0]    wt_tap = 0;
  reg  signed [15:0] h0 = 0;
  reg  [15:0]       in_h = 0, in_w = 0, out_q = 0;
  reg  [3:0]        r_k = 0, s_k = 0, stride_w = 0, pad_l = 0;
  wire              busy, out_v;
  wire [LANES*32-1:0] out_sum;

  dw_unit #(.LANES(LANES), .CHUNK(CHUNK), .LW(LW), .SLOTS(SLOTS), .TAPS(TAPS), .DSP_FREE(DSPF)) dut (
      .clk(clk), .rst_n(rst_n), .ld_we(ld_we), .ld_slot(ld_slot), .ld_col(ld_col),
      .ld_chunk(ld_chunk), .ld_data(ld_data),
      .wt_we(wt_we), .wt_tap(wt_tap), .wt_data(wt_data), .start(start), .h0(h0), .in_h(in_h),
      .in_w(in_w), .out_q(out_q), .r_k(r_k), .s_k(s_k), .stride_w(stride_w), .pad_l(pad_l),
      .busy(busy), .out_v(out_v), .out_sum(out_sum));

  // the map [h][w][lane] and the weights [tap][lane]
  reg signed [7:0] x [0:16*16*LANES-1];
  reg signed [7:0] w [0:TAPS*LANES-1];
  integer errors = 0, checked = 0, cyc = 0, ld_beside = 0;
  always @(posedge clk) cyc <= cyc + 1;
  always @(posedge clk) if (ld_we && busy) ld_beside <= ld_beside + 1;   // writes beside a row

  // expected outputs of the current row, and when they must come
  reg signed [31:0] ref_sum [0:256*LANES-1];
  integer exp_cyc [0:255];
  integer q_seen = 0, q_total = 0, rows_open = 0;
  integer R, S, SH, SW, PT, PL, H, W, P, Q;

  always @(posedge clk) begin
    if (out_v) begin : chk
      integer l;
      if (q_seen >= q_total) begin
        $display("FAIL: out_v with no output expected (cycle %0d)", cyc);
        errors = errors + 1;
      end else begin
        if (cyc != exp_cyc[q_seen]) begin
          $display("FAIL: output %0d out at cycle %0d, expected %0d", q_seen, cyc, exp_cyc[q_seen]);
          errors = errors + 1;
        end
        for (l = 0; l < LANES; l = l + 1)
          if ($signed(out_sum[l*32+:32]) !== ref_sum[q_seen*LANES+l]) begin
            if (errors < 10)
              $display("FAIL: R%0d S%0d stride %0d pad %0d/%0d %0dx%0d column %0d lane %0d: %0d, expected %0d",
                       R, S, SH, PT, PL, H, W, q_seen, l, $signed(out_sum[l*32+:32]), ref_sum[q_seen*LANES+l]);
            errors = errors + 1;
          end
        checked = checked + 1;
        q_seen = q_seen + 1;
      end
    end
  end

  // chunks of a row in the DMA's order: chunk j of every pixel, then chunk j + 1
  task load_row(input integer h);
    integer c, l, j;
    begin
      for (j = 0; j < NB; j = j + 1)
        for (c = 0; c < W; c = c + 1) begin
          @(negedge clk);
          ld_we = 1; ld_slot = h[SWB-1:0]; ld_col = c[LW-1:0]; ld_chunk = j[0:0];
          for (l = 0; l < CHUNK; l = l + 1) ld_data[l*8+:8] = x[(h*16 + c)*LANES + j*CHUNK + l];
        end
      @(negedge clk); ld_we = 0;
    end
  endtask

  task expect_row(input integer p, input integer c0);
    integer q, r, s, l, hh, ww, acc;
    begin
      for (q = 0; q < Q; q = q + 1) begin
        for (l = 0; l < LANES; l = l + 1) begin
          acc = 0;
          for (r = 0; r < R; r = r + 1)
            for (s = 0; s < S; s = s + 1) begin
              hh = p*SH - PT + r; ww = q*SW - PL + s;
              if (hh >= 0 && hh < H && ww >= 0 && ww < W)
                acc = acc + x[(hh*16 + ww)*LANES + l] * w[(r*S + s)*LANES + l];
            end
          ref_sum[(q_total + q)*LANES + l] = acc;
        end
        // cyc lags the posedge count by one: the cycle start + (q+1)*R*S + 3 of dw_unit's contract
        exp_cyc[q_total + q] = c0 + (q + 1)*R*S + 2;
      end
      q_total = q_total + Q;
    end
  endtask

  // start output row p in the coming posedge (called at a negedge)
  task start_row(input integer p);
    begin
      h0 = p*SH - PT; in_h = H; in_w = W; out_q = Q;
      r_k = R; s_k = S; stride_w = SW; pad_l = PL;
      start = 1;
      expect_row(p, cyc + 1);
      @(negedge clk); start = 0;
    end
  endtask

  task wait_row;
    begin
      while (busy) @(negedge clk);
      repeat (4) @(negedge clk);
      if (q_seen != q_total) begin
        $display("FAIL: %0d of %0d columns came out", q_seen, q_total);
        errors = errors + 1;
      end
    end
  endtask

  // mode 0 random, 1 all -128 x -127, 2 all -128 x 127
  task run_case(input integer r_, input integer s_, input integer sh_, input integer pad_,
                input integer h_, input integer w_, input integer mode, input integer b2b);
    integer i, t, l, p, h, hlo, hhi, top, cur_lo;
    begin
      q_seen = 0; q_total = 0;
      R = r_; S = s_; SH = sh_; SW = sh_; PT = pad_; PL = pad_; H = h_; W = w_;
      P = (H + 2*pad_ - R) / SH + 1; Q = (W + 2*pad_ - S) / SW + 1;
      for (i = 0; i < 16*16*LANES; i = i + 1)
        x[i] = (mode == 0) ? $random : -8'sd128;
      for (i = 0; i < TAPS*LANES; i = i + 1) begin
        w[i] = (mode == 1) ? -8'sd127 : (mode == 2) ? 8'sd127 : ($random % 128);
        if (w[i] == -8'sd128) w[i] = -8'sd127;
      end
      for (t = 0; t < R*S; t = t + 1) begin
        @(negedge clk);
        wt_we = 1; wt_tap = t[TWB-1:0];
        for (l = 0; l < LANES; l = l + 1) wt_data[l*8+:8] = w[t*LANES + l];
      end
      @(negedge clk); wt_we = 0;
      if (b2b == 2) begin
        // streaming, as an engine would run it: each input row is loaded once, while the
        // previous output row computes unless its slot is one that row reads (then in the cycle
        // after busy falls), and each row starts as soon as its rows are in and busy is low
        top = -1; cur_lo = -1000; ld_beside = 0;
        for (p = 0; p < P; p = p + 1) begin
          hlo = p*SH - PT; hhi = hlo + R - 1;
          for (h = top + 1; h <= hhi && h < H; h = h + 1) begin
            if (h - SLOTS >= cur_lo) while (busy) @(negedge clk);
            load_row(h);
            top = h;
          end
          while (busy) @(negedge clk);
          start_row(p);
          cur_lo = hlo;
        end
        wait_row;
        if (ld_beside == 0) begin
          $display("FAIL: the streaming case loaded no row beside a computing row");
          errors = errors + 1;
        end
      end else if (b2b == 1) begin
        // rows of the first two output rows' windows, then the rows started back to back
        // (P <= 2 and every needed row fits the 4 slots: the small maps below)
        for (h = 0; h < H; h = h + 1) load_row(h);
        for (p = 0; p < P; p = p + 1) begin
          start_row(p);
          while (busy) @(negedge clk);
          // the next start comes in the cycle after busy falls, while this row's last
          // outputs are still in the pipeline
        end
        wait_row;
      end else begin
        for (p = 0; p < P; p = p + 1) begin
          hlo = p*SH - PT; hhi = hlo + R - 1;
          for (h = hlo; h <= hhi; h = h + 1)
            if (h >= 0 && h < H) load_row(h);
          start_row(p);
          wait_row;
        end
      end
    end
  endtask

  initial begin
    repeat (3) @(negedge clk);
    rst_n = 1;
    repeat (2) @(negedge clk);
    run_case(3, 3, 1, 1, 7, 16, 0, 0);   // full-width rows
    run_case(3, 3, 2, 1, 9, 11, 0, 0);
    run_case(3, 3, 2, 1, 8, 16, 0, 0);
    run_case(3, 3, 1, 0, 6, 9, 0, 0);
    run_case(1, 3, 1, 1, 3, 7, 0, 0);
    run_case(3, 1, 2, 0, 7, 5, 0, 0);
    run_case(1, 1, 1, 0, 2, 13, 0, 0);
    run_case(3, 3, 1, 1, 5, 16, 1, 0);   // -128 x -127 on every tap
    run_case(3, 3, 1, 1, 5, 16, 2, 0);   // -128 x 127
    run_case(3, 3, 1, 1, 3, 6, 0, 1);    // back to back (rows 0..2 fit the slots)
    run_case(3, 3, 2, 1, 4, 16, 0, 1);
    run_case(3, 3, 1, 1, 12, 16, 0, 2);  // streaming: loads beside the computing row
    run_case(3, 3, 2, 1, 13, 14, 0, 2);
    if (TAPS >= 25) begin
      run_case(5, 5, 1, 2, 9, 16, 0, 2);
      run_case(5, 5, 2, 2, 11, 13, 0, 2);
      run_case(5, 5, 1, 2, 6, 16, 1, 0);  // -128 x -127 on 25 taps: -416,256
      run_case(5, 5, 1, 2, 6, 16, 2, 0);
    end
    if (errors == 0) $display("PASS tb_dw_unit (DSP_FREE %0d, %0d bank(s), %0d taps): %0d output pixels", DSPF, NB, TAPS, checked);
    else $display("FAIL tb_dw_unit: %0d errors", errors);
    $finish;
  end
endmodule
`default_nettype wire
