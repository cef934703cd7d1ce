// tb_layernorm_unit: rows of int8 codes through layernorm_unit against golden::layerNorm, cycle for
// cycle against schedule::layerNormUnitCycles. The vectors (tb_layernorm_unit_vec.hex) are written
// by unit_vectors from the golden model: lengths 1 .. 256 (partial last words, a constant row),
// random means and deviations, gains of both signs, per-row output scales. Each row is loaded
// in reverse word order after ld_clr, its gains and biases through the parameter port, then run;
// every output lane is compared (lanes past n must be 0) and the go-to-done cycles must equal the
// predicted figure. -DL8: 8 lanes.
module tb_layernorm_unit;
`ifdef L8
  localparam L = 8;
`else
  localparam L = 4;
`endif
  localparam DEPTH = 256 / L;
  localparam AW = $clog2(DEPTH);
  reg clk = 0, rst_n = 0, ld_clr = 0, ld_we = 0, pr_we = 0, go = 0;
  reg [AW-1:0] ld_addr = 0, pr_addr = 0;
  reg [L-1:0] ld_mask = 0;
  reg [8*L-1:0] ld_data = 0;
  reg [16*L-1:0] pr_gain = 0;
  reg [64*L-1:0] pr_bias = 0;
  reg [12:0] n = 0;
  reg [5:0] shift = 1;
  wire busy, done, out_valid;
  wire [AW-1:0] out_addr;
  wire [8*L-1:0] out_data;
  layernorm_unit #(.LANES(L), .DEPTH(DEPTH)) dut (.clk(clk), .rst_n(rst_n), .ld_clr(ld_clr),
      .ld_we(ld_we), .ld_addr(ld_addr), .ld_mask(ld_mask), .ld_data(ld_data), .pr_we(pr_we),
      .pr_addr(pr_addr), .pr_gain(pr_gain), .pr_bias(pr_bias), .shift(shift), .go(go), .n(n),
      .busy(busy), .done(done), .out_valid(out_valid), .out_addr(out_addr), .out_data(out_data));
  always #5 clk = ~clk;

  reg [31:0] v[0:8191];
  reg [7:0] got[0:DEPTH*L-1];
  reg [DEPTH-1:0] seen;
  integer fin, rows, row, p, i, w, nw, c, want_cycles, base_in, base_g, base_b, base_out;
  integer errors = 0, checked = 0;
  initial begin
    $readmemh("tb_layernorm_unit_vec.hex", v);
    rows = v[0];
    p = 1;
    repeat (2) @(negedge clk);
    rst_n = 1;
    for (row = 0; row < rows; row = row + 1) begin
      n = v[p][12:0]; shift = v[p + 1][5:0]; want_cycles = v[p + 2];
      base_in = p + 3; base_g = base_in + n; base_b = base_g + n; base_out = base_b + 2 * n;
      p = base_out + n;
      nw = (n + L - 1) / L;
      @(negedge clk); ld_clr = 1;
      @(negedge clk); ld_clr = 0;
      for (w = nw - 1; w >= 0; w = w - 1) begin
        ld_we = 1; ld_addr = w; pr_we = 1; pr_addr = w;
        for (i = 0; i < L; i = i + 1) begin
          ld_mask[i] = (w * L + i < n);
          ld_data[8*i +: 8] = (w * L + i < n) ? v[base_in + w * L + i][7:0] : $random;
          pr_gain[16*i +: 16] = (w * L + i < n) ? v[base_g + w * L + i][15:0] : $random;
          pr_bias[64*i +: 64] = (w * L + i < n) ? {v[base_b + 2 * (w * L + i) + 1], v[base_b + 2 * (w * L + i)]}
                                                : {$random, $random};
        end
        @(negedge clk);
      end
      ld_we = 0; pr_we = 0; ld_mask = 0;
      for (i = 0; i < DEPTH * L; i = i + 1) got[i] = 8'hxx;
      seen = 0;
      go = 1; c = 0;
      @(negedge clk); go = 0;
      fin = 0;
      while (!fin) begin
        c = c + 1;
        if (out_valid) begin
          if (seen[out_addr]) begin errors = errors + 1; $display("FAIL row %0d: word %0d twice", row, out_addr); end
          seen[out_addr] = 1'b1;
          for (i = 0; i < L; i = i + 1) got[out_addr * L + i] = out_data[8*i +: 8];
        end
        if (done || c > 10000) fin = 1;
        else @(negedge clk);
      end
      if (c + 1 != want_cycles) begin
        errors = errors + 1;
        $display("FAIL row %0d (n %0d): %0d cycles, predicted %0d", row, n, c + 1, want_cycles);
      end
      for (i = 0; i < nw * L; i = i + 1) begin
        checked = checked + 1;
        if (got[i] !== ((i < n) ? v[base_out + i][7:0] : 8'd0)) begin
          errors = errors + 1;
          if (errors < 10) $display("FAIL row %0d (n %0d) code %0d: got %0d want %0d", row, n, i, got[i],
                                    (i < n) ? v[base_out + i][7:0] : 8'd0);
        end
      end
      if (busy) begin errors = errors + 1; $display("FAIL row %0d: busy after done", row); end
      $display("row %0d: n %0d shift %0d, %0d cycles", row, n, shift, c + 1);
    end
    if (errors == 0 && rows > 0) $display("PASS tb_layernorm_unit: %0d rows, %0d codes, L %0d", rows, checked, L);
    else $display("FAIL tb_layernorm_unit: %0d errors", errors);
    $finish;
  end
endmodule
