// tb_row_reuse_addr: the row-reuse pass addresses against their closed form. 400 random layers
// (R, S 1..5, stride 1 or 2 each way, out_q 1..9, 1..4 channel tiles per group, 1..4 output rows
// per M tile, a last M tile shorter than its rows, 1..3 passes per tile, chunk regions with spare
// words), every tile (r, s, gi) of the group in the reduction order (gi fastest, then s, then r):
// each pixel's word must be gi*chunk_words + (p*stride_h + r)*Wb + q*stride_w + s, with pixels
// decided back to back, with idle cycles between them, and passes back to back (a pass's first
// pixel in the cycle after the previous pass's last); tile_base is checked at every tile.
`timescale 1ns/1ps
`default_nettype none
module tb_row_reuse_addr;
  localparam AW = 10;
  reg clk = 1'b0;
  always #5 clk = ~clk;
  reg           rst_n = 1'b0;
  reg  [AW-1:0] wb = 0, row_jump = 0, chunk_words = 0, stride_w = 0, s_len = 1;
  reg  [15:0]   out_q = 1;
  reg  [7:0]    gs = 1;
  reg           tile_first = 0, tile_next = 0, pass_load = 0, pix = 0, pix_last = 0;
  wire [AW-1:0] tile_base, addr;
  row_reuse_addr #(.AW(AW)) dut (
      .clk(clk), .rst_n(rst_n), .wb(wb), .out_q(out_q), .stride_w(stride_w), .row_jump(row_jump),
      .s_len(s_len), .gs(gs), .chunk_words(chunk_words), .tile_first(tile_first),
      .tile_next(tile_next), .tile_base(tile_base), .pass_load(pass_load), .pix(pix),
      .pix_last(pix_last), .addr(addr));

  integer seed, errors, checks, cases, tries;
  integer R, S, sh, sw, Q, G, ro, mt, np, Wb, rr, chunk;
  integer r, s, gi, pass, i, e, gap, burst;

  // the cycle after the next rising edge's inputs are set: drive just after an edge
  task tick;
    begin
      @(posedge clk);
      #1;
    end
  endtask

  initial begin
    seed = 20261207;
    errors = 0; checks = 0; cases = 0; tries = 0;
    repeat (3) tick;
    rst_n = 1'b1;
    tick;
    while (cases < 400 && tries < 4000) begin
      tries = tries + 1;
      R  = 1 + ($random(seed) & 32'h7fff) % 5;
      S  = 1 + ($random(seed) & 32'h7fff) % 5;
      sh = 1 + ($random(seed) & 1);
      sw = 1 + ($random(seed) & 1);
      Q  = 1 + ($random(seed) & 32'h7fff) % 9;
      G  = 1 + ($random(seed) & 3);
      ro = 1 + ($random(seed) & 3);
      mt = (ro - 1) * Q + 1 + ($random(seed) & 32'h7fff) % Q;   // the last row may be partial
      np = 1 + ($random(seed) & 32'h7fff) % 3;
      Wb = (Q - 1) * sw + S;
      rr = (ro - 1) * sh + R;
      chunk = rr * Wb + ($random(seed) & 3);
      if (G * chunk <= (1 << AW)) begin
        cases = cases + 1;
        wb = Wb; out_q = Q; stride_w = sw; s_len = S; gs = G; chunk_words = chunk;
        row_jump = sh * Wb - (Q - 1) * sw;
        burst = $random(seed) & 1;   // 1: no idle cycle anywhere in this case
        tile_first = 1'b1;
        tick;
        tile_first = 1'b0;
        for (r = 0; r < R; r = r + 1)
          for (s = 0; s < S; s = s + 1)
            for (gi = 0; gi < G; gi = gi + 1) begin
              if (r != 0 || s != 0 || gi != 0) begin
                tile_next = 1'b1;
                tick;
                tile_next = 1'b0;
              end
              tick;   // tile_base is valid from the second cycle after the pulse
              e = gi * chunk + r * Wb + s;
              checks = checks + 1;
              if (tile_base !== e[AW-1:0]) begin
                errors = errors + 1;
                if (errors < 10) $display("FAIL tile_base R%0d S%0d sh%0d sw%0d Q%0d G%0d tile (%0d,%0d,%0d): %0d, expected %0d",
                                          R, S, sh, sw, Q, G, r, s, gi, tile_base, e);
              end
              pass_load = 1'b1;
              tick;
              pass_load = 1'b0;
              for (pass = 0; pass < np; pass = pass + 1)
                for (i = 0; i < mt; i = i + 1) begin
                  gap = burst ? 0 : ($random(seed) & 3);
                  if (gap == 3) gap = 0;
                  while (gap > 0) begin
                    tick;
                    gap = gap - 1;
                  end
                  pix = 1'b1;
                  pix_last = (i == mt - 1);
                  e = gi * chunk + ((i / Q) * sh + r) * Wb + (i % Q) * sw + s;
                  checks = checks + 1;
                  if (addr !== e[AW-1:0]) begin
                    errors = errors + 1;
                    if (errors < 10) $display("FAIL addr R%0d S%0d sh%0d sw%0d Q%0d G%0d mt%0d tile (%0d,%0d,%0d) pass %0d pixel %0d: %0d, expected %0d",
                                              R, S, sh, sw, Q, G, mt, r, s, gi, pass, i, addr, e);
                  end
                  tick;
                  pix = 1'b0;
                  pix_last = 1'b0;
                end
            end
      end
    end
    if (cases < 400) begin
      errors = errors + 1;
      $display("FAIL only %0d cases fit", cases);
    end
    if (errors == 0) $display("PASS row_reuse_addr: %0d cases, %0d checks", cases, checks);
    else $display("FAIL row_reuse_addr: %0d errors in %0d checks", errors, checks);
    $finish;
  end
endmodule
`default_nettype wire
