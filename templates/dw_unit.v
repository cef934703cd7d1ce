// dw_unit: depthwise convolution on LANES channel lanes, one MAC per lane per cycle
// (docs/engine.md#depthwise-unit). A weight-stationary array shares each activation along a row,
// so a depthwise layer (every output channel reads only its own input channel) can keep at most
// ROWS of its ROWS x COLS PEs busy; here every lane is one channel and does its own multiply.
//   line buffer: SLOTS x 2^LW words of LANES bytes; input row h of the channel tile lives in
//     slot h mod SLOTS (SLOTS a power of two), pixel w at word slot * 2^LW + w. It is LANES/CHUNK
//     banks (buffer_dp) of CHUNK bytes, so a loader whose words are CHUNK bytes (the engine's
//     DMA writes ROWS-byte chunks) fills a pixel's lanes chunk by chunk: ld_chunk selects the
//     bank, lanes ld_chunk*CHUNK .. +CHUNK-1 (one write per cycle, any order); the unit only reads.
//   weights: TAPS words of LANES int8 (tap t = r*S + s, lane j = channel j of the tile), written
//     through wt_* while idle.
//   one output row per start: with h0 = p*stride_h - pad_t (the first input row of the window,
//     may be negative), for q < out_q, r < R, s < S (s fastest) one tap per cycle: input pixel
//     (h0 + r, q*stride_w - pad_l + s); a position outside [0, in_h) x [0, in_w) contributes 0
//     (the zero padding of convolution), so every lane computes
//       sum[j] = sum_{r,s} x[h0 + r][q*stride_w - pad_l + s][j] * w[r*S + s][j]
//     exactly (ACC_W-bit signed: |sum| <= TAPS * 128 * 127 < 2^(ACC_W-1) for TAPS <= 32),
//     sign-extended to 32 bits on out_sum.
// Timing: start is taken while idle (busy low); the taps issue in the R*S*out_q cycles after the
// start cycle (busy high during them); the sum of column q appears on out_sum with out_v high for
// one cycle, 3 cycles after the cycle that issued its last tap (read address -> RAM data and
// weight word -> product -> accumulate and out_v). So with the start taken in cycle k, column q's
// taps issue in cycles k + q*R*S + 1 .. k + (q+1)*R*S and its sum is out in k + (q+1)*R*S + 3; a next start may follow in
// the cycle after busy falls (the pipeline keeps going). The slots of the rows the current start
// reads must not be written while busy (from the cycle after busy falls they may be); the other
// slots may be written at any time, so the next row's input loads beside the computing row.
// DSP_FREE = 1 writes each 8 x 8 product as a sum of shifted partial products, which Yosys maps
// to LUTs and carry chains (no DSP; for a device whose DSPs the array already takes); 0 writes
// a * b (Yosys maps it to a DSP where the device has them).
// Cost: SLOTS x 2^LW x LANES bytes of RAM (NB banks), TAPS x LANES weight bytes, per lane one 8 x 8
// multiplier, an ACC_W-bit accumulator and 3 x 8 + 16 + ACC_W pipeline register bits.
`default_nettype none
module dw_unit #(
    parameter LANES    = 4,
    parameter CHUNK    = LANES,  // bytes per line-buffer write; divides LANES
    parameter LW       = 6,    // log2 of the words per row slot (the widest input row)
    parameter SLOTS    = 4,    // row slots, a power of two >= R (+ stride_h to load ahead)
    parameter TAPS     = 9,    // largest R*S
    parameter ACC_W    = 20,
    parameter DSP_FREE = 1,
    parameter SW       = (SLOTS > 1) ? $clog2(SLOTS) : 1,
    parameter TW       = (TAPS > 1) ? $clog2(TAPS) : 1,
    parameter NB       = LANES / CHUNK,
    parameter CW       = (NB > 1) ? $clog2(NB) : 1
) (
    input  wire                clk,
    input  wire                rst_n,
    // line buffer write port
    input  wire                ld_we,
    input  wire [SW-1:0]       ld_slot,
    input  wire [LW-1:0]       ld_col,
    input  wire [CW-1:0]       ld_chunk,  // bank (NB > 1; ignored with NB = 1)
    input  wire [CHUNK*8-1:0]  ld_data,
    // weights
    input  wire                wt_we,
    input  wire [TW-1:0]       wt_tap,
    input  wire [LANES*8-1:0]  wt_data,
    // one output row
    input  wire                start,
    input  wire signed [15:0]  h0,        // p*stride_h - pad_t
    input  wire [15:0]         in_h,
    input  wire [15:0]         in_w,
    input  wire [15:0]         out_q,     // >= 1
    input  wire [3:0]          r_k,       // R >= 1
    input  wire [3:0]          s_k,       // S >= 1, R*S <= TAPS
    input  wire [3:0]          stride_w,
    input  wire [3:0]          pad_l,
    output wire                busy,
    output reg                 out_v,
    output wire [LANES*32-1:0] out_sum
);
  localparam DEPTH = SLOTS << LW;

  // ---- issue: one tap per cycle
  reg               run;
  reg signed [16:0] hr;      // h0 + r
  reg signed [16:0] wq;      // q*stride_w - pad_l
  reg signed [16:0] wc;      // wq + s
  reg [15:0]        qleft;   // columns left after this one
  reg [3:0]         rc, sc;
  reg [TW-1:0]      tc;
  reg signed [16:0] h0_r;
  reg [15:0]        ih_r, iw_r;
  reg [3:0]         rk_r, sk_r, sw_r;

  wire s_last = (sc == sk_r - 4'd1);
  wire r_last = (rc == rk_r - 4'd1);
  wire q_last = (qleft == 16'd0);
  wire in_row = !hr[16] && (hr < $signed({1'b0, ih_r}));
  wire in_col = !wc[16] && (wc < $signed({1'b0, iw_r}));
  wire [SW-1:0] slot = hr[SW-1:0];
  wire [LW+SW-1:0] raddr = {slot, wc[LW-1:0]};
  assign busy = run;

  always @(posedge clk) begin
    if (!rst_n) begin
      run <= 1'b0;
    end else if (!run) begin
      if (start) begin
        run   <= 1'b1;
        h0_r  <= {h0[15], h0};
        hr    <= {h0[15], h0};
        ih_r  <= in_h;
        iw_r  <= in_w;
        rk_r  <= r_k;
        sk_r  <= s_k;
        sw_r  <= stride_w;
        wq    <= -$signed({13'd0, pad_l});
        wc    <= -$signed({13'd0, pad_l});
        qleft <= out_q - 16'd1;
        rc    <= 4'd0;
        sc    <= 4'd0;
        tc    <= {TW{1'b0}};
      end
    end else begin
      if (!s_last) begin
        sc <= sc + 4'd1;
        wc <= wc + 17'sd1;
        tc <= tc + 1'b1;
      end else if (!r_last) begin
        sc <= 4'd0;
        rc <= rc + 4'd1;
        hr <= hr + 17'sd1;
        wc <= wq;
        tc <= tc + 1'b1;
      end else begin
        sc    <= 4'd0;
        rc    <= 4'd0;
        hr    <= h0_r;
        tc    <= {TW{1'b0}};
        wq    <= wq + $signed({13'd0, sw_r});
        wc    <= wq + $signed({13'd0, sw_r});
        qleft <= qleft - 16'd1;
        if (q_last) run <= 1'b0;
      end
    end
  end

  // ---- stage 1: line buffer data, weight word
  wire [LANES*8-1:0] xw;
  reg  [LANES*8-1:0] wts [0:TAPS-1];
  reg  [LANES*8-1:0] w1;
  reg                v1, ok1, first1, last1;
  genvar k;
  generate
    for (k = 0; k < NB; k = k + 1) begin : g_bank
      wire we_k;
      if (NB > 1) begin : g_sel
        assign we_k = ld_we && (ld_chunk == k);
      end else begin : g_one
        assign we_k = ld_we;
        wire unused_chunk = &{1'b0, ld_chunk};
      end
      buffer_dp #(.W(CHUNK * 8), .DEPTH(DEPTH)) u_line (
          .clk(clk), .we(we_k), .waddr({ld_slot, ld_col}), .wdata(ld_data), .raddr(raddr),
          .rdata(xw[k*CHUNK*8+:CHUNK*8]));
    end
  endgenerate
  always @(posedge clk) begin
    if (wt_we) wts[wt_tap] <= wt_data;
    w1     <= wts[tc];
    v1     <= run;
    ok1    <= in_row && in_col;
    first1 <= (rc == 4'd0) && (sc == 4'd0);
    last1  <= s_last && r_last;
  end

  // ---- stage 2: products; stage 3: accumulate
  reg [LANES*16-1:0]    p2;
  reg                   v2, first2, last2;
  reg [LANES*ACC_W-1:0] acc;
  genvar j;
  generate
    for (j = 0; j < LANES; j = j + 1) begin : g_lane
      wire [7:0] a = ok1 ? xw[j*8+:8] : 8'd0;
      wire [7:0] b = w1[j*8+:8];
      wire [15:0] prod;
      if (DSP_FREE != 0) begin : g_lut
        // a * b = sum_{i<7} b[i] * (a << i) - b[7] * (a << 7), a sign-extended to 16 bits
        wire [15:0] ax = {{8{a[7]}}, a};
        wire [15:0] pp0 = b[0] ? ax        : 16'd0;
        wire [15:0] pp1 = b[1] ? ax << 1   : 16'd0;
        wire [15:0] pp2 = b[2] ? ax << 2   : 16'd0;
        wire [15:0] pp3 = b[3] ? ax << 3   : 16'd0;
        wire [15:0] pp4 = b[4] ? ax << 4   : 16'd0;
        wire [15:0] pp5 = b[5] ? ax << 5   : 16'd0;
        wire [15:0] pp6 = b[6] ? ax << 6   : 16'd0;
        wire [15:0] pp7 = b[7] ? ax << 7   : 16'd0;
        assign prod = ((pp0 + pp1) + (pp2 + pp3)) + ((pp4 + pp5) + (pp6 - pp7));
      end else begin : g_dsp
        wire signed [15:0] sp = $signed(a) * $signed(b);
        assign prod = sp;
      end
      always @(posedge clk) begin
        p2[j*16+:16] <= prod;
        if (v2) acc[j*ACC_W+:ACC_W] <= first2 ? {{(ACC_W-16){p2[j*16+15]}}, p2[j*16+:16]}
                                              : acc[j*ACC_W+:ACC_W] + {{(ACC_W-16){p2[j*16+15]}}, p2[j*16+:16]};
      end
      assign out_sum[j*32+:32] = {{(32-ACC_W){acc[j*ACC_W+ACC_W-1]}}, acc[j*ACC_W+:ACC_W]};
    end
  endgenerate

  always @(posedge clk) begin
    if (!rst_n) begin
      v2    <= 1'b0;
      out_v <= 1'b0;
    end else begin
      v2    <= v1;
      out_v <= v2 && last2;
    end
    first2 <= first1;
    last2  <= last1;
  end
endmodule
`default_nettype wire
