// systolic_ws: ROWS x COLS weight-stationary systolic array of mac_pe with two weight banks per PE.
// Weights: while w_shift is high, w_in (COLS int8, one reduction row) enters row 0 of bank w_bank
// and every row of that bank moves down one; pushing rows k-1, ..., 1, 0 leaves row i in PE row i.
// The other bank holds still. Weight registers reset to 0. Activations: a_in (ROWS int8, one
// pixel's reduction vector) with in_valid and a_bank, one pixel per cycle; row r is delayed r
// cycles (skew), activations move one column right per cycle, partial sums one row down. The
// bank bit travels with the activation through the skew and along the row, so PE (r, c) multiplies
// the pixel that entered in cycle t by bank a_bank(t) in cycle t + r + c. Column c's sum leaves
// the bottom at t+ROWS+c and is delayed COLS-1-c cycles (deskew), so out (COLS int32) and
// out_valid appear exactly LAT = ROWS+COLS-1 cycles after the pixel entered:
// out[c] = sum_r a_in[r] * w[a_bank][r][c]. Invalid cycles feed zeros.
// Bank rule (the caller keeps it): the last PE to use the pixel of cycle t is (ROWS-1, COLS-1) in
// cycle t + LAT - 1, so bank b may shift in cycle u only if every pixel with a_bank = b entered
// in a cycle t <= u - (LAT - 1); a pixel entering in cycle t sees every shift of cycles < t.
// The PE stays a plain p <= c + a*b (the bank mux is on b). BANKS = 1 builds bank 0 only (the
// engine without DOUBLE_BUFFER): w_bank and a_bank are then ignored.
// PACK = 2 (COLS even, ROWS <= 16, weights in [-127, 127]): columns 2j and 2j+1 share one
// mac_pe_pack2 (one DSP48E2, WP486 packing) fed by the activation of column 2j, the packed partial
// sum cascading down the DSP column; activations still take one cycle per logical column (two
// registers per pair). The PE registers its activation and bank bit inside the DSP (BREG,
// INMODEREG) and selects the bank with the pre-adder (the bank mux and the packing add leave the
// path into the DSP, clock proxy docs/timing.md), so a pair multiplies one cycle later and
// LAT = ROWS + COLS: the pair's sums leave the bottom at t+ROWS+2j+1, are split (lo = p[18:0],
// hi = p[37:19] + p[18], sign-extended) and both delayed COLS-1-2j cycles. The weights enter the
// banks as {w_hi - (w_lo < 0), w_lo} per pair (mac_pe_pack2's form, the packing add done once at
// w_in). The interface and the bank rule (in terms of LAT) are those of PACK = 1 (the last pair
// uses a pixel's weights in t + LAT - 2, one cycle before the rule's bound).
// WSKEW = 1 (skewed weight loads): column c's weight chain (PACK = 2: pair j's) shifts D cycles
// after w_shift, D = c (PACK = 2: 2j + 1), with w_bank and w_in delayed alike (w_in through a
// delay line per column, no reset: shift-register LUTs on Xilinx), so the load of a bank follows
// the pixels along the row as the activations do. A column then uses the pixel of cycle t at most
// until t + ROWS - 1 + D, and a shift in cycle u reaches it in u + D: the bank rule becomes
// t <= u - (ROWS - 1), the array's LAT less its COLS (PACK = 2: COLS + 1) cycles of skew, and a
// pixel entering in cycle t still sees every shift of the cycles before t (it reaches column c
// at t + c >= u + 1 + D). Two passes then share only k + ROWS - 2 cycles of a bank's turnaround
// instead of k + LAT - 2 (docs/engine.md#skewed-weight-loads). The pixel path and LAT are unchanged.
`default_nettype none
module systolic_ws #(
    parameter ROWS  = 4,
    parameter COLS  = 4,
    parameter BANKS = 2,  // 1: bank 0 only (w_bank, a_bank ignored), no second weight register
    parameter PACK  = 1,  // 2: two columns per PE (mac_pe_pack2), COLS even, ROWS <= 16
    parameter WSKEW = 0   // 1: skewed weight loads (bank rule ROWS - 1 instead of LAT - 1)
) (
    input  wire               clk,
    input  wire               rst_n,
    input  wire               w_shift,
    input  wire               w_bank,
    input  wire [COLS*8-1:0]  w_in,
    input  wire               in_valid,
    input  wire               a_bank,
    input  wire [ROWS*8-1:0]  a_in,
    output wire               out_valid,
    output wire [COLS*32-1:0] out
);
  localparam LAT = ROWS + COLS - 1 + ((PACK == 2) ? 1 : 0);  // PACK = 2: the DSP's input registers
  localparam UW = 8 * PACK, NU = COLS / PACK;  // a weight unit: a column (PACK = 2: a pair)
  // WSKEW = 1: per unit, the shift and bank bits and the row entering its chain, each delayed D(u)
  /* verilator lint_off UNUSEDSIGNAL */
  wire [NU-1:0]     sh_v, bk_v;
  wire [COLS*8-1:0] wd_v;
  /* verilator lint_on UNUSEDSIGNAL */

  reg  [COLS*8-1:0]  wreg0[0:ROWS-1];
  wire [COLS*8-1:0]  w1[0:ROWS-1];             // bank 1 (0 with BANKS = 1)
  wire [ROWS*8-1:0]  a_masked = in_valid ? a_in : {ROWS * 8{1'b0}};
  wire [7:0]         a_sk[0:ROWS-1];           // skewed activation entering column 0 of row r
  wire [ROWS-1:0]    b_sk;                     // its bank bit
  wire [7:0]         a_h[0:ROWS-1][0:COLS];    // activation entering PE (r,c) from the left
  wire               b_h[0:ROWS-1][0:COLS];    // its bank bit
  wire [31:0]        ps[0:ROWS][0:COLS-1];     // partial sum entering PE (r,c) from above
  reg  [LAT-1:0]     vpipe;

  // the row entering the banks: PACK = 2 stores each pair as {w_hi - (w_lo < 0), w_lo}, the
  // high byte of the 27-bit packed operand w_hi * 2^19 + w_lo (mac_pe_pack2)
  wire [COLS*8-1:0]  w_ent;
  genvar e;
  generate
    if (PACK == 2) begin : g_went
      for (e = 0; e < COLS / 2; e = e + 1) begin : g_pair
        assign w_ent[16*e+:16] = {w_in[16*e+8+:8] - {7'd0, w_in[16*e+7]}, w_in[16*e+:8]};
      end
    end else begin : g_went1
      assign w_ent = w_in;
    end
  endgenerate

  genvar r, c;
  generate
    if (WSKEW == 0) begin : g_wflat
      assign sh_v = {NU{w_shift}};
      assign bk_v = {NU{w_bank}};
      assign wd_v = w_ent;
      integer k;
      always @(posedge clk) begin
        if (!rst_n) begin
          for (k = 0; k < ROWS; k = k + 1) wreg0[k] <= {COLS * 8{1'b0}};
        end else if (w_shift && !(w_bank && BANKS > 1)) begin
          wreg0[0] <= w_ent;
          for (k = 1; k < ROWS; k = k + 1) wreg0[k] <= wreg0[k-1];
        end
      end
    end else begin : g_wskew
      // skewed weight loads: unit u shifts its chain D(u) cycles after w_shift (D = u; PACK = 2:
      // 2u + 1); the shift and bank bits on one delay line tapped per unit, the data on a delay
      // line per unit (no reset, so shift-register LUTs)
      localparam DMAX = (PACK == 2) ? 2 * NU - 1 : NU - 1;
      localparam DL = (DMAX < 2) ? 2 : DMAX;
      reg  [DL-1:0]     shd, bkd;  // [d-1]: w_shift / w_bank of d cycles ago
      always @(posedge clk) begin
        if (!rst_n) shd <= {DL{1'b0}};
        else shd <= {shd[DL-2:0], w_shift};
        bkd <= {bkd[DL-2:0], w_bank};
      end
      for (c = 0; c < NU; c = c + 1) begin : g_u
        localparam D = (PACK == 2) ? 2 * c + 1 : c;
        assign sh_v[c] = (D == 0) ? w_shift : shd[(D == 0 ? 1 : D)-1];
        assign bk_v[c] = (D == 0) ? w_bank : bkd[(D == 0 ? 1 : D)-1];
        if (D == 0) begin : g_d0
          assign wd_v[c*UW+:UW] = w_ent[c*UW+:UW];
        end else if (D == 1) begin : g_d1
          reg [UW-1:0] d;
          always @(posedge clk) d <= w_ent[c*UW+:UW];
          assign wd_v[c*UW+:UW] = d;
        end else begin : g_dn
          reg [UW*D-1:0] d;
          always @(posedge clk) d <= {d[UW*D-UW-1:0], w_ent[c*UW+:UW]};
          assign wd_v[c*UW+:UW] = d[UW*D-1-:UW];
        end
      end
      integer u0, k0;
      always @(posedge clk) begin
        if (!rst_n) begin
          for (k0 = 0; k0 < ROWS; k0 = k0 + 1) wreg0[k0] <= {COLS * 8{1'b0}};
        end else begin
          for (u0 = 0; u0 < NU; u0 = u0 + 1)
            if (sh_v[u0] && !(bk_v[u0] && BANKS > 1)) begin
              wreg0[0][u0*UW+:UW] <= wd_v[u0*UW+:UW];
              for (k0 = 1; k0 < ROWS; k0 = k0 + 1) wreg0[k0][u0*UW+:UW] <= wreg0[k0-1][u0*UW+:UW];
            end
        end
      end
    end
  endgenerate

  always @(posedge clk) begin
    if (!rst_n) vpipe <= {LAT{1'b0}};
    else vpipe <= {vpipe[LAT-2:0], in_valid};
  end
  assign out_valid = vpipe[LAT-1];

  generate
    if (BANKS > 1 && WSKEW != 0) begin : g_bank1s
      reg [COLS*8-1:0] wreg1[0:ROWS-1];
      integer u1, k1;
      always @(posedge clk) begin
        if (!rst_n) begin
          for (k1 = 0; k1 < ROWS; k1 = k1 + 1) wreg1[k1] <= {COLS * 8{1'b0}};
        end else begin
          for (u1 = 0; u1 < NU; u1 = u1 + 1)
            if (sh_v[u1] && bk_v[u1]) begin
              wreg1[0][u1*UW+:UW] <= wd_v[u1*UW+:UW];
              for (k1 = 1; k1 < ROWS; k1 = k1 + 1) wreg1[k1][u1*UW+:UW] <= wreg1[k1-1][u1*UW+:UW];
            end
        end
      end
      for (r = 0; r < ROWS; r = r + 1) begin : g_w1
        assign w1[r] = wreg1[r];
      end
    end else if (BANKS > 1) begin : g_bank1
      reg [COLS*8-1:0] wreg1[0:ROWS-1];
      integer k1;
      always @(posedge clk) begin
        if (!rst_n) begin
          for (k1 = 0; k1 < ROWS; k1 = k1 + 1) wreg1[k1] <= {COLS * 8{1'b0}};
        end else if (w_shift && w_bank) begin
          wreg1[0] <= w_ent;
          for (k1 = 1; k1 < ROWS; k1 = k1 + 1) wreg1[k1] <= wreg1[k1-1];
        end
      end
      for (r = 0; r < ROWS; r = r + 1) begin : g_w1
        assign w1[r] = wreg1[r];
      end
    end else begin : g_bank0_only
      for (r = 0; r < ROWS; r = r + 1) begin : g_w1
        assign w1[r] = {COLS * 8{1'b0}};
      end
    end

    for (r = 0; r < ROWS; r = r + 1) begin : g_skew
      if (r == 0) begin : g_d0
        assign a_sk[r] = a_masked[7:0];
        assign b_sk[r] = a_bank;
      end else if (r == 1) begin : g_d1
        reg [7:0] d;
        reg       bd;
        always @(posedge clk) begin
          d  <= a_masked[15:8];
          bd <= a_bank;
        end
        assign a_sk[r] = d;
        assign b_sk[r] = bd;
      end else begin : g_dn
        reg [8*r-1:0] d;
        reg [r-1:0]   bd;
        always @(posedge clk) begin
          d  <= {d[8*r-9:0], a_masked[8*r+:8]};
          bd <= {bd[r-2:0], a_bank};
        end
        assign a_sk[r] = d[8*r-1-:8];
        assign b_sk[r] = bd[r-1];
      end
      assign a_h[r][0] = a_sk[r];
      assign b_h[r][0] = b_sk[r];
    end

    for (c = 0; c < COLS; c = c + 1) begin : g_top
      assign ps[0][c] = 32'd0;
    end

    for (r = 0; r < ROWS; r = r + 1) begin : g_row
      for (c = 0; c < COLS; c = c + 1) begin : g_col
        reg [7:0] a_q;
        reg       b_q;
        always @(posedge clk) begin
          a_q <= a_h[r][c];
          b_q <= b_h[r][c];
        end
        assign a_h[r][c+1] = a_q;
        assign b_h[r][c+1] = b_q;
        if (PACK == 1) begin : g_pe
          wire [7:0] w = (BANKS > 1 && b_h[r][c]) ? w1[r][c*8+:8] : wreg0[r][c*8+:8];
          mac_pe #(.AW(8), .BW(8), .CW(32)) pe (
              .clk(clk), .en(1'b1), .a(a_h[r][c]), .b(w), .c(ps[r][c]), .p(ps[r+1][c]));
        end
      end
    end

    if (PACK == 2) begin : g_pack
      wire [47:0] pp[0:ROWS-1][0:COLS/2-1];      // packed partial sum (cascade) entering pair (r,j)
      wire [47:0] pbot[0:COLS/2-1];              // the last row's sum into the fabric
      for (r = 0; r < ROWS; r = r + 1) begin : g_row
        for (c = 0; c < COLS / 2; c = c + 1) begin : g_pair
          wire [47:0] pout;
          mac_pe_pack2 #(.TOP(r == 0 ? 1 : 0), .LAST(r + 1 == ROWS ? 1 : 0)) pe (
              .clk(clk), .a(a_h[r][2*c]), .bank(BANKS > 1 && b_h[r][2*c]), .w0(wreg0[r][(2*c)*8+:16]),
              .w1(w1[r][(2*c)*8+:16]), .pcin(pp[r][c]), .pout(pout));
          if (r + 1 < ROWS) begin : g_casc
            assign pp[r+1][c] = pout;
          end else begin : g_last
            assign pbot[c] = pout;
          end
        end
      end
      for (c = 0; c < COLS / 2; c = c + 1) begin : g_split
        assign pp[0][c] = 48'd0;
        wire [37:0] p = pbot[c][37:0];        // |L|, |H| < 2^18: p fits 38 bits
        wire [18:0] hi = p[37:19] + {18'd0, p[18]};
        assign ps[ROWS][2*c]   = {{13{p[18]}}, p[18:0]};
        assign ps[ROWS][2*c+1] = {{13{hi[18]}}, hi};
      end
      for (r = 0; r < ROWS; r = r + 1) begin : g_unused
        for (c = 0; c < COLS; c = c + 1) begin : g_col
          if (r > 0) begin : g_ps
            assign ps[r][c] = 32'd0;
          end
        end
      end
    end

    for (c = 0; c < COLS; c = c + 1) begin : g_deskew
      localparam D = COLS - 1 - (PACK == 2 ? c - c % 2 : c);
      if (D == 0) begin : g_d0
        assign out[c*32+:32] = ps[ROWS][c];
      end else if (D == 1) begin : g_d1
        reg [31:0] d;
        always @(posedge clk) d <= ps[ROWS][c];
        assign out[c*32+:32] = d;
      end else begin : g_dn
        reg [32*D-1:0] d;
        always @(posedge clk) d <= {d[32*D-33:0], ps[ROWS][c]};
        assign out[c*32+:32] = d[32*D-1-:32];
      end
    end
  endgenerate
endmodule
`default_nettype wire
