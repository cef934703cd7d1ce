// layernorm_unit: integer layer normalization of one row of int8 codes, bit-exact with
// golden::layerNorm (docs/quantization.md#layer-normalization: I-BERT's IntLayerNorm with exact
// centering n x_i - S, an integer square root and one division per row). LANES codes per word;
// the row (n codes, code i in lane i mod LANES of word i / LANES) is written through the load
// port, which also keeps the row sum S (lanes flagged invalid by ld_mask are ignored; ld_clr
// starts a new row); the per-channel gain g_i (int16) and bias b_i (int64) of code i sit in the
// parameter RAM at the same word and lane, written through the parameter port. A `go` pulse
// then runs, with nw = ceil(n / LANES) (docs/engine.md#layernorm-unit):
//   variance pass  nw word reads: c_i = n x_i - S, c_i^2, V = sum c_i^2 (V < 2^52 for n <= 4096)
//   square root    k = floor(sqrt(V)), the golden model's bit-pair iteration from 2^52: 27 steps
//   division       f = floor((2^31 - 1) / k) (0 for k = 0), restoring: 31 steps
//   output pass    nw word reads: h_i = c_i f, y_i = clamp((h_i g_i + b_i + 2^(shift-1)) >> shift)
// Cycles from the go cycle to the done cycle inclusive: 2 nw + 71 (schedule::layerNormUnitCycles).
// Output word k leaves on out_valid / out_addr / out_data (lanes past n carry 0).
`default_nettype none
module layernorm_unit #(
    parameter LANES = 4,
    parameter DEPTH = 64,                          // row words: rows up to DEPTH * LANES <= 4096 codes
    parameter AW    = (DEPTH > 1) ? $clog2(DEPTH) : 1
) (
    input  wire                clk,
    input  wire                rst_n,
    input  wire                ld_clr,             // start a new row (clears the row sum)
    input  wire                ld_we,
    input  wire [AW-1:0]       ld_addr,
    input  wire [LANES-1:0]    ld_mask,            // lanes holding codes of the row
    input  wire [8*LANES-1:0]  ld_data,
    input  wire                pr_we,              // parameter port: gains and biases of a word
    input  wire [AW-1:0]       pr_addr,
    input  wire [16*LANES-1:0] pr_gain,            // int16 per lane
    input  wire [64*LANES-1:0] pr_bias,            // int64 per lane
    input  wire [5:0]          shift,              // 1..62
    input  wire                go,
    input  wire [12:0]         n,                  // 1 .. DEPTH * LANES
    output wire                busy,
    output reg                 done,
    output reg                 out_valid,
    output reg  [AW-1:0]       out_addr,
    output reg  [8*LANES-1:0]  out_data
);
  localparam [2:0] S_IDLE = 3'd0, S_VAR = 3'd1, S_VDR = 3'd2, S_SQRT = 3'd3, S_DIV = 3'd4,
                   S_OUT = 3'd5, S_ODR = 3'd6;
  localparam [31:0] LANES32 = LANES;

  reg [2:0]  st;
  reg [12:0] rem;                                  // codes of the row from the word being read
  reg [AW-1:0] ra;
  reg [4:0]  cnt;
  reg signed [19:0] s_row;                         // S = sum x_i, |S| <= 128 n <= 2^19
  reg [52:0] v;                                    // V = sum c_i^2 < 2^52
  reg [52:0] sq_rem, sq_root, sq_bit;              // bit-pair square root
  reg [31:0] drem;                                 // division remainder (< k < 2^26)
  reg [30:0] f;                                    // floor((2^31 - 1) / k) < 2^31
  reg [25:0] k;

  // row and parameter RAMs, one registered read port each (same address)
  reg [8*LANES-1:0]  mem[0:DEPTH-1];
  reg [16*LANES-1:0] gmem[0:DEPTH-1];
  reg [64*LANES-1:0] bmem[0:DEPTH-1];
  reg [8*LANES-1:0]  q1;
  reg [16*LANES-1:0] g1;
  reg [64*LANES-1:0] b1;
  always @(posedge clk) begin
    if (ld_we) mem[ld_addr] <= ld_data;
    if (pr_we) begin
      gmem[pr_addr] <= pr_gain;
      bmem[pr_addr] <= pr_bias;
    end
    q1 <= mem[ra];
    g1 <= gmem[ra];
    b1 <= bmem[ra];
  end

  // row sum over the loaded words
  reg signed [19:0] wsum;
  integer l;
  always @(*) begin
    wsum = 20'sd0;
    for (l = 0; l < LANES; l = l + 1)
      if (ld_mask[l]) wsum = wsum + {{12{ld_data[8*l+7]}}, ld_data[8*l +: 8]};
  end
  always @(posedge clk) begin
    if (!rst_n || ld_clr) s_row <= 20'sd0;
    else if (ld_we) s_row <= s_row + wsum;
  end

  wire issue = (st == S_VAR) || (st == S_OUT);
  reg [LANES-1:0] imask;
  integer i;
  always @(*) begin
    for (i = 0; i < LANES; i = i + 1) imask[i] = ({19'd0, rem} > i);
  end

  // pipeline: read (1), centering c (2), c^2 or h = c f (3), h g (4), + b, shift, clamp (5)
  reg             v1, v2, v3, v4, o1, o2, o3, o4;
  reg [AW-1:0]    a1, a2, a3, a4;
  reg [LANES-1:0] m1, m2, m3, m4;
  reg [21*LANES-1:0] c2;                           // n x - S, signed
  reg [16*LANES-1:0] g2, g3;
  reg [64*LANES-1:0] b2, b3, b4;
  reg [42*LANES-1:0] sq3;                          // c^2 (variance pass)
  reg [32*LANES-1:0] h3;                           // c f (output pass), |h| < 2^31
  reg [48*LANES-1:0] hg4;                          // h g, signed

  reg [21*LANES-1:0] c_n;
  reg [42*LANES-1:0] sq_n;
  reg [32*LANES-1:0] h_n;
  reg [48*LANES-1:0] hg_n;
  reg [52:0]         vsum;
  reg signed [20:0]  cc;
  reg signed [41:0]  cw, sq;
  reg signed [52:0]  hh;
  integer j;
  always @(*) begin
    vsum = 53'd0;
    for (j = 0; j < LANES; j = j + 1) begin
      c_n[21*j +: 21] = $signed({1'b0, n}) * $signed(q1[8*j +: 8]) - $signed({s_row[19], s_row});
      cc = $signed(c2[21*j +: 21]);
      cw = {{21{cc[20]}}, cc};
      sq = cw * cw;
      sq_n[42*j +: 42] = sq[41:0];
      hh = cc * $signed({1'b0, f});
      h_n[32*j +: 32] = hh[31:0];
      hg_n[48*j +: 48] = $signed(h3[32*j +: 32]) * $signed(g3[16*j +: 16]);
      if (m3[j]) vsum = vsum + {11'd0, sq3[42*j +: 42]};
    end
  end

  always @(posedge clk) begin
    v1 <= issue; o1 <= (st == S_OUT); a1 <= ra; m1 <= imask;
    v2 <= v1;    o2 <= o1;            a2 <= a1; m2 <= m1;
    v3 <= v2;    o3 <= o2;            a3 <= a2; m3 <= m2;
    v4 <= v3;    o4 <= o3;            a4 <= a3; m4 <= m3;
    c2 <= c_n; g2 <= g1; b2 <= b1;
    sq3 <= sq_n; h3 <= h_n; g3 <= g2; b3 <= b2;
    hg4 <= hg_n; b4 <= b3;
  end

  // output codes: clamp((h g + b + 2^(shift-1)) >>> shift, -128, 127)
  reg [8*LANES-1:0] ycode;
  reg signed [64:0] acc, shf;
  integer t;
  always @(*) begin
    for (t = 0; t < LANES; t = t + 1) begin
      acc = {{17{hg4[48*t+47]}}, hg4[48*t +: 48]} + {b4[64*t+63], b4[64*t +: 64]} + (65'sd1 <<< (shift - 6'd1));
      shf = acc >>> shift;
      if (!m4[t])          ycode[8*t +: 8] = 8'd0;
      else if (shf > 127)  ycode[8*t +: 8] = 8'd127;
      else if (shf < -128) ycode[8*t +: 8] = 8'h80;
      else                 ycode[8*t +: 8] = shf[7:0];
    end
  end

  wire [53:0] sq_try = {1'b0, sq_root} + {1'b0, sq_bit};
  wire [32:0] dsh    = {drem, 1'b0};               // remainder times 2 plus the numerator's bit 1
  wire        nbit   = 1'b1;                       // 2^31 - 1: every numerator bit is 1

  always @(posedge clk) begin
    done      <= 1'b0;
    out_valid <= v4 && o4;
    out_addr  <= a4;
    out_data  <= ycode;
    if (v3 && !o3) v <= v + vsum;
    if (!rst_n) begin
      st <= S_IDLE; done <= 1'b0; out_valid <= 1'b0; ra <= {AW{1'b0}}; rem <= 13'd0; cnt <= 5'd0;
      v <= 53'd0; sq_rem <= 53'd0; sq_root <= 53'd0; sq_bit <= 53'd0; drem <= 32'd0; f <= 31'd0; k <= 26'd0;
    end else begin
      case (st)
        S_IDLE: if (go) begin
          st <= S_VAR; ra <= {AW{1'b0}}; rem <= n; v <= 53'd0;
        end
        S_VAR, S_OUT: begin
          ra  <= ra + 1'b1;
          rem <= rem - LANES32[12:0];
          if ({19'd0, rem} <= LANES32) begin
            cnt <= 5'd0;
            st  <= (st == S_VAR) ? S_VDR : S_ODR;
          end
        end
        S_VDR: begin                               // the last word's c^2 reaches V
          cnt <= cnt + 1'b1;
          if (cnt == 5'd2) begin
            st <= S_SQRT; cnt <= 5'd0;
            sq_root <= 53'd0; sq_bit <= 53'd1 << 52;
          end
        end
        S_SQRT: begin                              // sq_rem starts as V (its first step reads v)
          if (((cnt == 5'd0) ? v : sq_rem) >= sq_try[52:0]) begin
            sq_rem  <= ((cnt == 5'd0) ? v : sq_rem) - sq_try[52:0];
            sq_root <= (sq_root >> 1) + sq_bit;
          end else begin
            sq_rem  <= (cnt == 5'd0) ? v : sq_rem;
            sq_root <= sq_root >> 1;
          end
          sq_bit <= sq_bit >> 2;
          cnt <= cnt + 1'b1;
          if (cnt == 5'd26) begin
            st <= S_DIV; cnt <= 5'd0; drem <= 32'd0; f <= 31'd0;
          end
        end
        S_DIV: begin                               // quotient bit 30 - cnt of (2^31 - 1) / k
          if (cnt == 5'd0) k <= sq_root[25:0];
          if ({dsh[32:1], nbit} >= {7'd0, (cnt == 5'd0) ? sq_root[25:0] : k}) begin
            drem <= {dsh[31:1], nbit} - {6'd0, (cnt == 5'd0) ? sq_root[25:0] : k};
            f    <= {f[29:0], 1'b1};
          end else begin
            drem <= {dsh[31:1], nbit};
            f    <= {f[29:0], 1'b0};
          end
          cnt <= cnt + 1'b1;
          if (cnt == 5'd30) begin
            st <= S_OUT; ra <= {AW{1'b0}}; rem <= n;
          end
        end
        S_ODR: begin                               // the last word's code leaves
          cnt <= cnt + 1'b1;
          if (cnt == 5'd3) begin
            st <= S_IDLE; done <= 1'b1;
          end
        end
        default: st <= S_IDLE;
      endcase
    end
  end
  assign busy = (st != S_IDLE);
  wire unused = &{1'b0, sq_try[53], dsh[0], hh[52:32], shf[64:8], acc, sq_rem[52], cw};
endmodule
`default_nettype wire
