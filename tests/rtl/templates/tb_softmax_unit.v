// tb_softmax_unit: rows of int8 codes through softmax_unit against golden::softmax, cycle for
// cycle against schedule::softmaxUnitCycles. The vectors (tb_softmax_unit_vec.hex) are written by
// unit_vectors from the golden model: lengths 1 .. 256 (partial last words, a constant row, narrow
// and full code ranges), input scales 1/64 .. 2. Each row is loaded in reverse word order
// (the load port takes any order) after ld_clr, then run; every output lane is compared (lanes past
// n must be 0) and the go-to-done cycles must equal the predicted figure. -DL8: 8 lanes.
module tb_softmax_unit;
`ifdef L8
  localparam L = 8;
`else
  localparam L = 4;
`endif
  localparam DEPTH = 256 / L;
  localparam AW = $clog2(DEPTH);
  reg clk = 0, rst_n = 0, ld_clr = 0, ld_we = 0, go = 0;
  reg [AW-1:0] ld_addr = 0;
  reg [L-1:0] ld_mask = 0;
  reg [8*L-1:0] ld_data = 0;
  reg [15:0] mult = 0, n = 0;
  reg [4:0] shift = 1;
  wire busy, done, out_valid;
  wire [AW-1:0] out_addr;
  wire [8*L-1:0] out_data;
  softmax_unit #(.LANES(L), .DEPTH(DEPTH)) dut (.clk(clk), .rst_n(rst_n), .ld_clr(ld_clr),
      .ld_we(ld_we), .ld_addr(ld_addr), .ld_mask(ld_mask), .ld_data(ld_data), .mult(mult),
      .shift(shift), .go(go), .n(n), .busy(busy), .done(done), .out_valid(out_valid),
      .out_addr(out_addr), .out_data(out_data));
  always #5 clk = ~clk;

  reg [31:0] v[0:4095];
  reg [7:0] got[0:DEPTH*L-1];
  reg [DEPTH-1:0] seen;
  integer fin, rows, row, p, i, w, nw, c, want_cycles, base_in, base_out, errors = 0, checked = 0;
  initial begin
    $readmemh("tb_softmax_unit_vec.hex", v);
    rows = v[0];
    p = 1;
    repeat (2) @(negedge clk);
    rst_n = 1;
    for (row = 0; row < rows; row = row + 1) begin
      n = v[p][15:0]; mult = v[p + 1][15:0]; shift = v[p + 2][4:0]; want_cycles = v[p + 3];
      base_in = p + 4; base_out = p + 4 + n; p = p + 4 + 2 * n;
      nw = (n + L - 1) / L;
      @(negedge clk); ld_clr = 1;
      @(negedge clk); ld_clr = 0;
      for (w = nw - 1; w >= 0; w = w - 1) begin
        ld_we = 1; ld_addr = w;
        for (i = 0; i < L; i = i + 1) begin
          ld_mask[i] = (w * L + i < n);
          ld_data[8*i +: 8] = (w * L + i < n) ? v[base_in + w * L + i][7:0] : $random;
        end
        @(negedge clk);
      end
      ld_we = 0; ld_mask = 0;
      for (i = 0; i < DEPTH * L; i = i + 1) got[i] = 8'hxx;
      seen = 0;
      go = 1; c = 0;
      @(negedge clk); go = 0;
      // cycle c (go's is 0): capture the output word, stop at done (the last word leaves with it)
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
      $display("row %0d: n %0d mult %0d shift %0d, %0d cycles", row, n, mult, shift, c + 1);
    end
    if (errors == 0 && rows > 0) $display("PASS tb_softmax_unit: %0d rows, %0d codes, L %0d", rows, checked, L);
    else $display("FAIL tb_softmax_unit: %0d errors", errors);
    $finish;
  end
endmodule
