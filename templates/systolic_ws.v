// systolic_ws: ROWS x COLS weight-stationary systolic array of mac_pe.
// Weights: while w_shift is high, w_in (COLS int8, one reduction row) enters row 0 and every row
// moves down one; pushing rows k-1, ..., 1, 0 leaves row i in PE row i. Weight registers reset
// to 0. Activations: a_in (ROWS int8, one pixel's reduction vector) with in_valid, one pixel per
// cycle; row r is delayed r cycles (skew), activations move one column right per cycle, partial
// sums one row down. Column c's sum leaves the bottom at t+ROWS+c and is delayed COLS-1-c cycles
// (deskew), so out (COLS int32) and out_valid appear exactly LAT = ROWS+COLS-1 cycles after the
// pixel entered: out[c] = sum_r a_in[r] * w[r][c]. Invalid cycles feed zeros.
`default_nettype none
module systolic_ws #(
    parameter ROWS = 4,
    parameter COLS = 4
) (
    input  wire               clk,
    input  wire               rst_n,
    input  wire               w_shift,
    input  wire [COLS*8-1:0]  w_in,
    input  wire               in_valid,
    input  wire [ROWS*8-1:0]  a_in,
    output wire               out_valid,
    output wire [COLS*32-1:0] out
);
  localparam LAT = ROWS + COLS - 1;

  reg  [COLS*8-1:0]  wreg[0:ROWS-1];
  wire [ROWS*8-1:0]  a_masked = in_valid ? a_in : {ROWS * 8{1'b0}};
  wire [7:0]         a_sk[0:ROWS-1];           // skewed activation entering column 0 of row r
  wire [7:0]         a_h[0:ROWS-1][0:COLS];    // activation entering PE (r,c) from the left
  wire [31:0]        ps[0:ROWS][0:COLS-1];     // partial sum entering PE (r,c) from above
  reg  [LAT-1:0]     vpipe;
  integer k;

  always @(posedge clk) begin
    if (!rst_n) begin
      for (k = 0; k < ROWS; k = k + 1) wreg[k] <= {COLS * 8{1'b0}};
    end else if (w_shift) begin
      wreg[0] <= w_in;
      for (k = 1; k < ROWS; k = k + 1) wreg[k] <= wreg[k-1];
    end
  end

  always @(posedge clk) begin
    if (!rst_n) vpipe <= {LAT{1'b0}};
    else vpipe <= {vpipe[LAT-2:0], in_valid};
  end
  assign out_valid = vpipe[LAT-1];

  genvar r, c;
  generate
    for (r = 0; r < ROWS; r = r + 1) begin : g_skew
      if (r == 0) begin : g_d0
        assign a_sk[r] = a_masked[7:0];
      end else if (r == 1) begin : g_d1
        reg [7:0] d;
        always @(posedge clk) d <= a_masked[15:8];
        assign a_sk[r] = d;
      end else begin : g_dn
        reg [8*r-1:0] d;
        always @(posedge clk) d <= {d[8*r-9:0], a_masked[8*r+:8]};
        assign a_sk[r] = d[8*r-1-:8];
      end
      assign a_h[r][0] = a_sk[r];
    end

    for (c = 0; c < COLS; c = c + 1) begin : g_top
      assign ps[0][c] = 32'd0;
    end

    for (r = 0; r < ROWS; r = r + 1) begin : g_row
      for (c = 0; c < COLS; c = c + 1) begin : g_col
        reg [7:0] a_q;
        always @(posedge clk) a_q <= a_h[r][c];
        assign a_h[r][c+1] = a_q;
        mac_pe #(.AW(8), .BW(8), .CW(32)) pe (
            .clk(clk), .en(1'b1), .a(a_h[r][c]), .b(wreg[r][c*8+:8]), .c(ps[r][c]), .p(ps[r+1][c]));
      end
    end

    for (c = 0; c < COLS; c = c + 1) begin : g_deskew
      localparam D = COLS - 1 - c;
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
