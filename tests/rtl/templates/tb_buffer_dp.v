// tb_buffer_dp: registered read returns the word written earlier; a read of the address being
// written in the same cycle returns the old word. DEPTH 13 (not a power of two).
module tb_buffer_dp;
  reg clk = 0, we = 0;
  reg [3:0] waddr = 0, raddr = 0;
  reg [11:0] wdata = 0;
  wire [11:0] rdata;
  reg [11:0] model [0:12];
  integer i, a, errors = 0;
  buffer_dp #(.W(12), .DEPTH(13)) dut (.clk(clk), .we(we), .waddr(waddr), .wdata(wdata), .raddr(raddr), .rdata(rdata));
  always #5 clk = ~clk;
  initial begin
    for (i = 0; i < 13; i = i + 1) begin
      we = 1; waddr = i; wdata = $random; model[i] = wdata;
      @(posedge clk); #1;
    end
    we = 0;
    for (i = 0; i < 200; i = i + 1) begin
      a = {$random} % 13;
      raddr = a;
      we = (i % 3 == 0); waddr = a; wdata = $random;
      @(posedge clk); #1;
      if (rdata !== model[a]) begin errors = errors + 1; $display("addr %0d read %h want %h", a, rdata, model[a]); end
      if (we) model[a] = wdata;
      we = 0;
    end
    if (errors == 0) $display("PASS tb_buffer_dp"); else $display("FAIL tb_buffer_dp %0d errors", errors);
    $finish;
  end
endmodule
