// softmax_unit: integer softmax of one row of int8 codes, bit-exact with golden::softmax
// (docs/quantization.md#softmax: I-BERT's i-exp on differences rescaled to the unit ln2 / 256, one
// division per row). LANES codes per word; the row (n codes, words 0 .. ceil(n/LANES) - 1, code
// i in lane i mod LANES of word i / LANES) is written through the load port, which also keeps the
// row's running maximum (lanes flagged invalid by ld_mask are ignored; ld_clr starts a new row).
// A `go` pulse then runs, with nw = ceil(n / LANES) (docs/engine.md#softmax-unit):
//   exp pass   nw word reads, e_i per lane (rescale multiply, polynomial, shift), the row sum
//   division   f = floor(2^40 / sum), restoring, 22 steps (sum >= e(0) = 380,888 > 2^18)
//   out pass   nw word reads, e_i again, y_i = min(127, (e_i f + 2^32) >> 33) on out_data
// Cycles from the go cycle to the done pulse inclusive: 2 nw + 34 (schedule::softmaxUnitCycles).
// Output word k leaves in out_valid / out_addr / out_data; lanes past n carry 0. Cost per lane:
// an 8 x 16 multiplier (rescale), a 9 x 9 square, a 19 x 22 multiplier (output), and a LANES-input
// adder tree; one 36-bit restoring divider; the row RAM (DEPTH words of LANES bytes).
`default_nettype none
module softmax_unit #(
    parameter LANES = 4,
    parameter DEPTH = 64,                          // row words: rows up to DEPTH * LANES codes
    parameter AW    = (DEPTH > 1) ? $clog2(DEPTH) : 1
) (
    input  wire               clk,
    input  wire               rst_n,
    // load port: one row word per cycle, any order
    input  wire               ld_clr,              // start a new row (clears the running maximum)
    input  wire               ld_we,
    input  wire [AW-1:0]      ld_addr,
    input  wire [LANES-1:0]   ld_mask,             // lanes holding codes of the row
    input  wire [8*LANES-1:0] ld_data,
    // the layer's rescale: t = (d mult + 2^(shift-1)) >> shift, d = max - q
    input  wire [15:0]        mult,
    input  wire [4:0]         shift,               // 1..31
    input  wire               go,                  // run the row of n codes (idle only)
    input  wire [15:0]        n,                   // 1 .. DEPTH * LANES
    output wire               busy,
    output reg                done,                // 1 cycle, the row's last cycle
    output reg                out_valid,
    output reg  [AW-1:0]      out_addr,
    output reg  [8*LANES-1:0] out_data
);
  localparam [2:0] S_IDLE = 3'd0, S_EXP = 3'd1, S_EDR = 3'd2, S_DIV = 3'd3, S_OUT = 3'd4,
                   S_ODR = 3'd5;
  localparam [31:0] LANES32 = LANES;

  reg [2:0]  st;
  reg [15:0] rem;                                  // codes of the row from the word being read
  reg [AW-1:0] ra;                                 // word being read
  reg [4:0]  cnt;                                  // drain / division steps
  reg signed [7:0] mx;                             // running maximum of the row
  reg [35:0] sum;                                  // row sum of e_i, < 2^35 (n < 2^16)
  reg [35:0] drem;                                 // division remainder
  reg [21:0] f;                                    // floor(2^40 / sum) < 2^22

  // row RAM: one write port, one registered read port
  reg [8*LANES-1:0] mem[0:DEPTH-1];
  reg [8*LANES-1:0] q1;
  always @(posedge clk) begin
    if (ld_we) mem[ld_addr] <= ld_data;
    q1 <= mem[ra];
  end

  // running maximum over the loaded words (an invalid lane reads as -128, the floor of int8)
  reg signed [7:0] wmax;
  integer l;
  always @(*) begin
    wmax = -8'sd128;
    for (l = 0; l < LANES; l = l + 1)
      if (ld_mask[l] && ($signed(ld_data[8*l +: 8]) > wmax)) wmax = $signed(ld_data[8*l +: 8]);
  end
  always @(posedge clk) begin
    if (!rst_n || ld_clr) mx <= -8'sd128;
    else if (ld_we && (wmax > mx)) mx <= wmax;
  end

  // read issue: a word in S_EXP / S_OUT, with its lane mask (lane l holds a code if l < rem)
  wire issue = (st == S_EXP) || (st == S_OUT);
  reg [LANES-1:0] imask;
  integer i;
  always @(*) begin
    for (i = 0; i < LANES; i = i + 1) imask[i] = ({16'd0, rem} > i);
  end

  // the exp pipeline, shared by both passes: read (v1), rescale product (v2), polynomial (v3),
  // shifted exponential (v4), then the sum (exp pass) or the output product (v5) and code (v6)
  reg             v1, v2, v3, v4, v5, o1, o2, o3, o4, o5;
  reg [AW-1:0]    a1, a2, a3, a4, a5;
  reg [LANES-1:0] m1, m2, m3, m4, m5;
  reg [24*LANES-1:0] p2;                           // d * mult, < 2^24
  reg [19*LANES-1:0] poly3;                        // (500 - r)^2 + 130888, < 2^19
  reg [5*LANES-1:0]  z3;                           // min(t >> 8, 31)
  reg [19*LANES-1:0] e4;                           // poly >> z (0 for z > 30)
  reg [41*LANES-1:0] y5;                           // e * f < 2^41

  // per-lane arithmetic of each stage (combinational; registered below)
  reg [35:0]         esum;
  reg [24*LANES-1:0] p_n;
  reg [19*LANES-1:0] poly_n;
  reg [5*LANES-1:0]  z_n;
  reg [19*LANES-1:0] e_n;
  reg [41*LANES-1:0] y_n;
  reg [8:0]  d;
  reg [24:0] tt;
  reg [8:0]  rr;
  integer k;
  always @(*) begin
    esum = 36'd0;
    for (k = 0; k < LANES; k = k + 1) begin
      d  = {mx[7], mx} - {q1[8*k+7], q1[8*k +: 8]};                    // 0..255 on valid lanes
      p_n[24*k +: 24] = {16'd0, d[7:0]} * {8'd0, mult};
      tt = ({1'b0, p2[24*k +: 24]} + (25'd1 << (shift - 5'd1))) >> shift;
      rr = 9'd500 - {1'b0, tt[7:0]};                                    // 245..500
      poly_n[19*k +: 19] = {10'd0, rr} * {10'd0, rr} + 19'd130888;
      z_n[5*k +: 5] = (tt[23:8] > 16'd30) ? 5'd31 : tt[12:8];
      e_n[19*k +: 19] = (!m3[k] || (z3[5*k +: 5] == 5'd31)) ? 19'd0 : (poly3[19*k +: 19] >> z3[5*k +: 5]);
      y_n[41*k +: 41] = {22'd0, e4[19*k +: 19]} * {19'd0, f};
      esum = esum + {17'd0, e4[19*k +: 19]};
    end
  end

  always @(posedge clk) begin
    v1 <= issue; o1 <= (st == S_OUT); a1 <= ra; m1 <= imask;
    v2 <= v1;    o2 <= o1;            a2 <= a1; m2 <= m1;
    v3 <= v2;    o3 <= o2;            a3 <= a2; m3 <= m2;
    v4 <= v3;    o4 <= o3;            a4 <= a3; m4 <= m3;
    v5 <= v4;    o5 <= o4;            a5 <= a4; m5 <= m4;
    p2 <= p_n; poly3 <= poly_n; z3 <= z_n; e4 <= e_n; y5 <= y_n;
  end

  // output codes: min(127, (e f + 2^32) >> 33)
  reg [8*LANES-1:0] ycode;
  reg [41:0] yr;
  integer j;
  always @(*) begin
    for (j = 0; j < LANES; j = j + 1) begin
      yr = {1'b0, y5[41*j +: 41]} + (42'd1 << 32);
      ycode[8*j +: 8] = !m5[j] ? 8'd0 : ((yr[41:33] > 9'd127) ? 8'd127 : {1'b0, yr[39:33]});
    end
  end

  wire [15:0] nw_rem = rem - LANES32[15:0];
  wire [36:0] dsh    = {drem, 1'b0};

  always @(posedge clk) begin
    done      <= 1'b0;
    out_valid <= v5 && o5;
    out_addr  <= a5;
    out_data  <= ycode;
    if (v4 && !o4) sum <= sum + esum;
    if (!rst_n) begin
      st <= S_IDLE; done <= 1'b0; out_valid <= 1'b0; ra <= {AW{1'b0}}; rem <= 16'd0;
      cnt <= 5'd0; sum <= 36'd0; drem <= 36'd0; f <= 22'd0;
    end else begin
      case (st)
        S_IDLE: if (go) begin
          st <= S_EXP; ra <= {AW{1'b0}}; rem <= n; sum <= 36'd0;
        end
        S_EXP, S_OUT: begin
          ra  <= ra + 1'b1;
          rem <= nw_rem;
          if ({16'd0, rem} <= LANES32) begin
            cnt <= 5'd0;
            st  <= (st == S_EXP) ? S_EDR : S_ODR;
          end
        end
        S_EDR: begin                               // the last word's e reaches the sum
          cnt <= cnt + 1'b1;
          if (cnt == 5'd4) begin
            st <= S_DIV; cnt <= 5'd0; drem <= 36'h4_0000; f <= 22'd0;  // 2^40 >> 22 = 2^18
          end
        end
        S_DIV: begin                               // quotient bit 21 - cnt
          if (dsh >= {1'b0, sum}) begin
            drem <= dsh[35:0] - sum;
            f    <= {f[20:0], 1'b1};
          end else begin
            drem <= dsh[35:0];
            f    <= {f[20:0], 1'b0};
          end
          cnt <= cnt + 1'b1;
          if (cnt == 5'd21) begin
            st <= S_OUT; ra <= {AW{1'b0}}; rem <= n;
          end
        end
        S_ODR: begin                               // the last word's code leaves
          cnt <= cnt + 1'b1;
          if (cnt == 5'd4) begin
            st <= S_IDLE; done <= 1'b1;
          end
        end
        default: st <= S_IDLE;
      endcase
    end
  end
  assign busy = (st != S_IDLE);
  wire unused = &{1'b0, dsh[36], tt[24], d[8], yr[40], yr[32:0]};
endmodule
`default_nettype wire
