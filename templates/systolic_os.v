// systolic_os: ROWS x COLS output-stationary systolic array of mac_pe.
// Row r holds one output pixel, column c one output channel; each PE keeps its own sum.
// Operands: `ld` writes ld_word (KT int8, the reduction vector of one pixel) into staging row
// ld_row. Each `step` consumes one reduction index: byte 0 of every staging row (the rows then
// shift right by one byte) enters row r after r cycles of skew, w_in (COLS int8) enters column c
// after c cycles; `first` (with the first step) restarts the sums. A step issued in cycle t
// reaches PE (r,c) in cycle t+r+c, so the sums are final LAT = ROWS+COLS-1 cycles after the last
// step. `drain`: out_row shows PE row 0's sums and all rows shift up one (row ROWS-1 gets 0);
// ROWS drain cycles read rows 0..ROWS-1 in order.
`default_nettype none
module systolic_os #(
    parameter ROWS = 4,
    parameter COLS = 4,
    parameter KT   = 4
) (
    input  wire               clk,
    input  wire               rst_n,
    input  wire               ld,
    input  wire [$clog2(ROWS+1)-1:0] ld_row,
    input  wire [KT*8-1:0]    ld_word,
    input  wire               step,
    input  wire               first,
    input  wire [COLS*8-1:0]  w_in,
    input  wire               drain,
    output wire [COLS*32-1:0] out_row
);
  reg  [KT*8-1:0] stage[0:ROWS-1];
  wire [9:0]      a_sk[0:ROWS-1];           // {step, first, a} entering row r
  wire [9:0]      a_h[0:ROWS-1][0:COLS];    // {valid, first, a} entering PE (r,c) from the left
  wire [7:0]      w_sk[0:COLS-1];
  wire [7:0]      w_v[0:ROWS][0:COLS-1];    // weight entering PE (r,c) from above
  wire [31:0]     p[0:ROWS][0:COLS-1];
  integer k;

  always @(posedge clk) begin
    if (!rst_n) begin
      for (k = 0; k < ROWS; k = k + 1) stage[k] <= {KT * 8{1'b0}};
    end else begin
      for (k = 0; k < ROWS; k = k + 1) begin
        if (ld && ld_row == k[$clog2(ROWS+1)-1:0]) stage[k] <= ld_word;
        else if (step) stage[k] <= {8'd0, stage[k][KT*8-1:8]};
      end
    end
  end

  genvar r, c;
  generate
    for (r = 0; r < ROWS; r = r + 1) begin : g_skew
      wire [9:0] x = {step, first, step ? stage[r][7:0] : 8'd0};
      if (r == 0) begin : g_d0
        assign a_sk[r] = x;
      end else if (r == 1) begin : g_d1
        reg [9:0] d;
        always @(posedge clk) d <= rst_n ? x : 10'd0;
        assign a_sk[r] = d;
      end else begin : g_dn
        reg [10*r-1:0] d;
        always @(posedge clk) d <= rst_n ? {d[10*r-11:0], x} : {10 * r{1'b0}};
        assign a_sk[r] = d[10*r-1-:10];
      end
      assign a_h[r][0] = a_sk[r];
    end

    for (c = 0; c < COLS; c = c + 1) begin : g_wskew
      wire [7:0] x = step ? w_in[c*8+:8] : 8'd0;
      if (c == 0) begin : g_d0
        assign w_sk[c] = x;
      end else if (c == 1) begin : g_d1
        reg [7:0] d;
        always @(posedge clk) d <= x;
        assign w_sk[c] = d;
      end else begin : g_dn
        reg [8*c-1:0] d;
        always @(posedge clk) d <= {d[8*c-9:0], x};
        assign w_sk[c] = d[8*c-1-:8];
      end
      assign w_v[0][c] = w_sk[c];
      assign p[ROWS][c] = 32'd0;
      assign out_row[c*32+:32] = p[0][c];
    end

    for (r = 0; r < ROWS; r = r + 1) begin : g_row
      for (c = 0; c < COLS; c = c + 1) begin : g_col
        reg [9:0] a_q;
        reg [7:0] w_q;
        always @(posedge clk) begin
          a_q <= rst_n ? a_h[r][c] : 10'd0;
          w_q <= w_v[r][c];
        end
        assign a_h[r][c+1] = a_q;
        assign w_v[r+1][c] = w_q;
        wire        v  = a_h[r][c][9];
        wire        f  = a_h[r][c][8];
        wire [31:0] cin = drain ? p[r+1][c] : (f ? 32'd0 : p[r][c]);
        wire [7:0]  aa  = drain ? 8'd0 : a_h[r][c][7:0];
        wire [7:0]  bb  = drain ? 8'd0 : w_v[r][c];
        mac_pe #(.AW(8), .BW(8), .CW(32)) pe (
            .clk(clk), .en(v | drain), .a(aa), .b(bb), .c(cin), .p(p[r][c]));
      end
    end
  endgenerate
endmodule
`default_nettype wire
