// pool_unit: a 3x3 / stride 2 / pad 1 max pool in the engine's output path
// (docs/engine.md#fused-max-pool), behind the vector unit. It takes the requantized int8 outputs
// of a convolution's output tile one pixel per cycle in raster order (conv rows p, columns q of
// an even-sized map, the M tile starting at an even row) and writes the pool's outputs.
//   column max: a line buffer (buffer_dp, DEPTH words of LANES bytes) holds, per column q of the
//     output tile (address `addr` = tile base + q), the max of the pool row's rows seen so far:
//     row p = 0 of an image starts it (the top padding never wins), an even row p > 0 adds to it
//     (max), an odd row p = 2*pp + 1 completes column q of pool row pp, c = max(buffer, y), and
//     starts the next pool row's column with y alone (rows 2*pp + 1 .. 2*pp + 3);
//   row max (odd rows only): pool column pq = max(c[2pq-1], c[2pq], c[2pq+1]), the left padding
//     (q = 0) never winning; h keeps c of the last odd column, r the max of h and the even one.
// Each completed pool pixel is written to `out_waddr` = 0, 1, ... (reset by `clr`), LANES bytes.
// Timing: inputs in cycle t (y, in_v, flags, addr), the line buffer read in t (data in t+1), the
// column max and the line buffer write in t+1, the pool pixel's write (out_we) in t+2. A column's
// next read is Q >= 2 cycles later than its write, so no read sees a stale word.
// Cost: DEPTH x LANES bytes of RAM, 3 x LANES int8 comparators and 2 x LANES + 2 registers bytes.
`default_nettype none
module pool_unit #(
    parameter LANES = 4,
    parameter DEPTH = 64,   // line buffer words: (output tiles of a layer) x (conv output width)
    parameter AW    = (DEPTH > 1) ? $clog2(DEPTH) : 1,
    parameter OW    = 8     // output word address bits (the staging buffer's)
) (
    input  wire               clk,
    input  wire               clr,        // a new output tile: the output address restarts at 0
    input  wire               in_v,       // a conv output pixel
    input  wire [LANES*8-1:0] y,
    input  wire               row_first,  // its row is row 0 of an image
    input  wire               row_odd,
    input  wire               col_first,  // its column is 0
    input  wire               col_odd,
    input  wire [AW-1:0]      addr,       // line buffer word of its column
    output reg                out_we,
    output reg  [OW-1:0]      out_waddr,
    output reg  [LANES*8-1:0] out_z
);
  reg               v1, first1, rodd1, cfirst1, codd1;
  reg [AW-1:0]      addr1;
  reg [LANES*8-1:0] y1, h, r;
  reg [OW-1:0]      cnt;
  wire [LANES*8-1:0] cm, c, lb_w, rowmax, pooled;

  buffer_dp #(.W(LANES * 8), .DEPTH(DEPTH)) u_line (
      .clk(clk), .we(v1), .waddr(addr1), .wdata(lb_w), .raddr(addr), .rdata(cm));

  function automatic [7:0] smax(input [7:0] a, input [7:0] b);
    smax = ($signed(a) > $signed(b)) ? a : b;
  endfunction

  genvar l;
  generate
    for (l = 0; l < LANES; l = l + 1) begin : g_lane
      assign c[l*8+:8]      = first1 ? y1[l*8+:8] : smax(cm[l*8+:8], y1[l*8+:8]);
      assign lb_w[l*8+:8]   = rodd1 ? y1[l*8+:8] : c[l*8+:8];
      assign rowmax[l*8+:8] = cfirst1 ? c[l*8+:8] : smax(h[l*8+:8], c[l*8+:8]);
      assign pooled[l*8+:8] = smax(r[l*8+:8], c[l*8+:8]);
    end
  endgenerate

  always @(posedge clk) begin
    v1      <= in_v;
    first1  <= row_first;
    rodd1   <= row_odd;
    cfirst1 <= col_first;
    codd1   <= col_odd;
    addr1   <= addr;
    y1      <= y;
    out_we  <= 1'b0;
    if (clr) cnt <= {OW{1'b0}};
    if (v1 && rodd1) begin
      if (codd1) begin
        out_we    <= 1'b1;
        out_waddr <= cnt;
        out_z     <= pooled;
        h         <= c;
        cnt       <= cnt + 1'b1;
      end else begin
        r <= rowmax;
      end
    end
  end
endmodule
`default_nettype wire
