// row_reuse_addr: activation-buffer addresses of the WS passes in the row-reuse mode
// (docs/engine.md, "Row reuse"; a template with its own testbench, not instantiated by the engine
// yet). In that mode a channel group's gather writes the input region of an M tile once: rows
// p0*stride_h - pad_t .. of the M tile's output rows plus the window's halo, columns -pad_l ..
// Wb - 1 - pad_l (Wb = (out_q - 1)*stride_w + S), padding materialized, chunk j of region pixel i
// at word j*chunk_words + i (the gather's wstride = chunk_words). The group's reduction tiles
// (r, s, gi; gi, the channel tile in the group, fastest, then s, then r) read their pixels from
// it: pixel i = (p, q) of the M tile (p = i / out_q, q = i mod out_q) of tile (r, s, gi) is word
//   gi*chunk_words + (p*stride_h + r)*Wb + q*stride_w + s                    (dilation 1)
// kept as running sums, no multiplier:
//   - tile walk: `tile_first` sets (r, s, gi) = (0, 0, 0), `tile_next` steps gi, then s, then r
//     (gs = the group's channel tiles, s_len = S); tile_base = gi*chunk_words + r*Wb + s is valid
//     from the second cycle after either pulse (two register stages: the chunk and tap sums, then
//     their sum), which the controller's C_LW / C_LW_W cycles before any pixel decision cover.
//   - pixel walk: `addr` is the word of the next pixel; a cycle with `pix` consumes it and steps to
//     the next pixel (+ stride_w, or + row_jump = stride_h*Wb - (out_q - 1)*stride_w after a row's
//     last q); `pix` with `pix_last` (the pass's last pixel) reloads tile_base and q = 0 for the
//     next pass, which may follow in the next cycle (passes back to back). `pass_load` reloads
//     without a pixel (before a tile's first pass).
// Every output is a register; the deepest path is a 2:1 mux in front of one AW-bit adder.
`default_nettype none
module row_reuse_addr #(
    parameter AW = 9     // activation-buffer word address bits (ACT_AW), >= 2
) (
    input  wire          clk,
    input  wire          rst_n,
    // layer geometry (steady for the descriptor)
    input  wire [AW-1:0] wb,           // Wb, the region's width in pixels
    input  wire [15:0]   out_q,        // output pixels per row, >= 1
    input  wire [AW-1:0] stride_w,     // (a region that fits the buffer has S, stride_w < 2^AW)
    input  wire [AW-1:0] row_jump,     // stride_h*Wb - (out_q - 1)*stride_w (mod 2^AW)
    input  wire [AW-1:0] s_len,        // S, >= 1
    input  wire [7:0]    gs,           // channel tiles of the group, >= 1
    input  wire [AW-1:0] chunk_words,  // words of one chunk's region (the gather's wstride)
    // tile walk
    input  wire          tile_first,
    input  wire          tile_next,
    output reg  [AW-1:0] tile_base,
    // pixel walk
    input  wire          pass_load,
    input  wire          pix,
    input  wire          pix_last,
    output reg  [AW-1:0] addr
);
  reg [7:0]    gi;              // channel tile in the group
  reg [AW-1:0] si;              // window column
  reg          gi_last, si_last;
  reg [AW-1:0] cb;              // gi*chunk_words
  reg [AW-1:0] tap;             // r*Wb + s
  reg [AW-1:0] rstep;           // Wb - S + 1: from (r, S-1) to (r+1, 0)
  reg [15:0]   qr;              // out_q - 1 - q of the next pixel
  reg          q_last;          // qr == 0

  always @(posedge clk) begin
    if (!rst_n) begin
      gi <= 8'd0; si <= {AW{1'b0}}; gi_last <= 1'b0; si_last <= 1'b0;
      cb <= {AW{1'b0}}; tap <= {AW{1'b0}}; rstep <= {AW{1'b0}};
      tile_base <= {AW{1'b0}};
      addr <= {AW{1'b0}}; qr <= 16'd0; q_last <= 1'b0;
    end else begin
      rstep <= wb - s_len + {{(AW-1){1'b0}}, 1'b1};
      tile_base <= cb + tap;
      if (tile_first) begin
        gi <= 8'd0; si <= {AW{1'b0}};
        gi_last <= (gs == 8'd1);
        si_last <= (s_len == {{(AW-1){1'b0}}, 1'b1});
        cb <= {AW{1'b0}};
        tap <= {AW{1'b0}};
      end else if (tile_next) begin
        if (!gi_last) begin
          gi      <= gi + 8'd1;
          gi_last <= (gi + 8'd2 == gs);
          cb      <= cb + chunk_words;
        end else begin
          gi      <= 8'd0;
          gi_last <= (gs == 8'd1);
          cb      <= {AW{1'b0}};
          if (!si_last) begin
            si      <= si + {{(AW-1){1'b0}}, 1'b1};
            si_last <= (si + {{(AW-2){1'b0}}, 2'd2} == s_len);
            tap     <= tap + {{(AW-1){1'b0}}, 1'b1};
          end else begin
            si      <= {AW{1'b0}};
            si_last <= (s_len == {{(AW-1){1'b0}}, 1'b1});
            tap     <= tap + rstep;
          end
        end
      end
      if (pass_load || (pix && pix_last)) begin
        addr   <= tile_base;
        qr     <= out_q - 16'd1;
        q_last <= (out_q == 16'd1);
      end else if (pix) begin
        if (q_last) begin
          addr   <= addr + row_jump;
          qr     <= out_q - 16'd1;
          q_last <= (out_q == 16'd1);
        end else begin
          addr   <= addr + stride_w;
          qr     <= qr - 16'd1;
          q_last <= (qr == 16'd1);
        end
      end
    end
  end
endmodule
`default_nettype wire
