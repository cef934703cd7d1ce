// tb_acc_buffer: write / add (wrapping) / signed max read-modify-writes on 3 lanes, one per cycle
// to distinct addresses, then reads through the read port, against a reference array.
module tb_acc_buffer;
  localparam L = 3, D = 10;
  reg clk = 0, acc_valid = 0;
  reg [1:0] acc_op = 0;
  reg [3:0] acc_addr = 0, rd_addr = 0;
  reg [L*32-1:0] acc_data = 0;
  wire [L*32-1:0] rd_data;
  reg [31:0] model [0:D*L-1];
  reg [31:0] v;
  integer i, j, a, errors = 0, round;
  acc_buffer #(.LANES(L), .DEPTH(D)) dut (.clk(clk), .acc_valid(acc_valid), .acc_op(acc_op),
      .acc_addr(acc_addr), .acc_data(acc_data), .rd_addr(rd_addr), .rd_data(rd_data));
  always #5 clk = ~clk;
  initial begin
    for (round = 0; round < 6; round = round + 1) begin
      for (a = 0; a < D; a = a + 1) begin
        acc_valid = 1; acc_addr = a;
        acc_op = (round == 0) ? 2'd0 : (round % 2 ? 2'd1 : 2'd2);
        for (j = 0; j < L; j = j + 1) begin
          v = $random;
          if (round == 3 && j == 0) v = 32'h7fffffff;  // wrap on add
          acc_data[j*32+:32] = v;
          if (acc_op == 2'd0) model[a*L+j] = v;
          else if (acc_op == 2'd1) model[a*L+j] = model[a*L+j] + v;
          else if ($signed(v) > $signed(model[a*L+j])) model[a*L+j] = v;
        end
        @(posedge clk); #1;
      end
      acc_valid = 0;
      @(posedge clk); @(posedge clk); #1;
    end
    for (a = 0; a < D; a = a + 1) begin
      rd_addr = a;
      @(posedge clk); #1;
      for (j = 0; j < L; j = j + 1)
        if (rd_data[j*32+:32] !== model[a*L+j]) begin
          errors = errors + 1; $display("addr %0d lane %0d: %h want %h", a, j, rd_data[j*32+:32], model[a*L+j]);
        end
    end
    if (errors == 0) $display("PASS tb_acc_buffer"); else $display("FAIL tb_acc_buffer %0d errors", errors);
    $finish;
  end
endmodule
