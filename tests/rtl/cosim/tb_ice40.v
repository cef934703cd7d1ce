// tb_ice40: runs a generated design's iCE40 top (rtl/dnnchip_ice40.v: the engine on spram_axi)
// through its pins only. Fills the memory with data/dram.hex over the byte-wide host port, pulses
// start, counts cycles to done with tb_core's convention (so the total equals `dnnchip
// simulate`'s), reads every checked range back over the host port and compares it with
// data/expected.hex. Prints 'total <cycles>', 'mismatches <n>' and PASS or FAIL.
// Files in the working folder: program.hex, dram.hex, expected.hex, check.hex (as tb_core).
// usage: iverilog -g2012 -P tb_ice40.MEM_BYTES=<bytes of dram.hex> ...; vvp -n
`timescale 1ns/1ps
module tb_ice40 #(
    parameter integer MEM_BYTES  = 4096,
    parameter integer MAX_RANGES = 64,
    parameter integer MAX_CYCLES = 10000000
);
  reg clk = 1'b0;
  always #5 clk = ~clk;

  reg        rst_n = 1'b0, start = 1'b0, host_clr = 1'b0, host_we = 1'b0, host_re = 1'b0;
  reg  [7:0] host_wdata = 8'd0;
  wire [7:0] host_rdata;
  wire       busy, done;

  dnnchip_ice40 dut (
      .clk(clk), .rst_n(rst_n), .start(start), .busy(busy), .done(done), .host_clr(host_clr),
      .host_we(host_we), .host_re(host_re), .host_wdata(host_wdata), .host_rdata(host_rdata));

  reg [7:0]  img[0:MEM_BYTES-1];
  reg [7:0]  exp_mem[0:MEM_BYTES-1];
  reg [63:0] ranges[0:MAX_RANGES];
  integer i, a, n, hi, in_rng, mismatches;
  reg [31:0] edge_count = 32'd0, start_edge = 32'd0, total = 32'd0;

  always @(posedge clk) edge_count <= edge_count + 32'd1;

  initial begin
    $readmemh("dram.hex", img);
    $readmemh("expected.hex", exp_mem);
    $readmemh("check.hex", ranges);
    repeat (4) @(posedge clk);
    rst_n <= 1'b1;
    // fill the memory through the host port
    @(posedge clk) host_clr <= 1'b1;
    @(posedge clk) host_clr <= 1'b0;
    for (i = 0; i < MEM_BYTES; i = i + 1) begin
      host_we    <= 1'b1;
      host_wdata <= img[i];
      @(posedge clk);
    end
    host_we <= 1'b0;
    repeat (4) @(posedge clk);
    // start: the engine samples start = 1 at the next edge; tb_core counts from the one after
    start <= 1'b1;
    start_edge <= edge_count + 32'd2;
    @(posedge clk) start <= 1'b0;
    while (!done) begin
      @(posedge clk);
      if (edge_count - start_edge > MAX_CYCLES) begin
        $display("tb_ice40: FAIL (timeout after %0d cycles)", MAX_CYCLES);
        $finish;
      end
    end
    total = edge_count - start_edge;
    $display("total %0d", total);
    // read back bytes 0 .. the end of the last checked range; compare those in_rng a range
    mismatches = 0;
    n = ranges[0][31:0];
    hi = 0;
    for (i = 1; i <= n && i <= MAX_RANGES; i = i + 1) if (ranges[i][31:0] > hi) hi = ranges[i][31:0];
    @(posedge clk) host_clr <= 1'b1;
    @(posedge clk) host_clr <= 1'b0;
    for (a = 0; a < hi; a = a + 1) begin
      host_re <= 1'b1;
      @(posedge clk) host_re <= 1'b0;
      repeat (3) @(posedge clk);
      in_rng = 0;
      for (i = 1; i <= n && i <= MAX_RANGES; i = i + 1)
        if (a >= ranges[i][63:32] && a < ranges[i][31:0]) in_rng = 1;
      if (in_rng && host_rdata !== exp_mem[a]) begin
        if (mismatches == 0) $display("first %0d %0d %0d", a, host_rdata, exp_mem[a]);
        mismatches = mismatches + 1;
      end
    end
    $display("mismatches %0d", mismatches);
    $display("%s", mismatches == 0 ? "PASS" : "FAIL");
    $finish;
  end
endmodule
