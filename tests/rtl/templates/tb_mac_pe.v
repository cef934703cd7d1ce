// tb_mac_pe: p <= c + a*b for random signed operands, held while en is low.
module tb_mac_pe;
  reg clk = 0, en = 0;
  reg signed [7:0] a, b;
  reg signed [31:0] c;
  wire signed [31:0] p;
  reg signed [31:0] want;
  integer i, errors = 0;
  mac_pe dut (.clk(clk), .en(en), .a(a), .b(b), .c(c), .p(p));
  always #5 clk = ~clk;
  initial begin
    for (i = 0; i < 300; i = i + 1) begin
      a = $random; b = $random; c = $random;
      if (i < 4) begin a = (i & 1) ? -8'sd128 : 8'sd127; b = (i & 2) ? -8'sd128 : 8'sd127; end
      en = 1;
      want = c + a * b;
      @(posedge clk); #1;
      if (p !== want) begin errors = errors + 1; $display("mismatch %0d*%0d+%0d = %0d", a, b, c, p); end
      en = 0; a = 1; b = 1; c = 0;
      @(posedge clk); #1;
      if (p !== want) begin errors = errors + 1; $display("en=0 did not hold"); end
    end
    if (errors == 0) $display("PASS tb_mac_pe"); else $display("FAIL tb_mac_pe %0d errors", errors);
    $finish;
  end
endmodule
