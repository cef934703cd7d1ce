// vector_unit: the engine's per-lane integer arithmetic (docs/quantization.md).
// Pre-accumulate path (pooling, add), two register stages (the operand registers s1/ob, then
// the product s2): lane j < min(KT, LANES) of pre_out is the int8 act[j] * pre_scale (pre_scale
// unsigned 16-bit; 1 for pooling), low 32 bits; lanes beyond are 0. Requantization path, three
// register stages (latency 3):
//   s1 = acc + (bias_en ? bias : 0)                       (int32, wrapping)
//   s2 = s1 * mult                                         (mult unsigned 16-bit: |s2| < 2^47)
//   yq = clamp((s2 + 2^(shift-1)) >>> shift, lo, hi)       lo, hi: clamp_en ? clamp_lo, clamp_hi
//                                                          : relu ? 0 : -128, 127
// and, with ACT = 2, a fourth stage (the activation table, docs/quantization.md#activations):
//   y  = lut_en ? T[yq + 128] (one cycle after yq) : yq
// ACT = 0 builds neither the clamp pair nor the table (clamp_en and lut_en are ignored), 1 the
// clamp pair, 2 both. The table (256 int8 entries, shared by the lanes, one copy per lane so each
// lane has its own read port) is written DATA_W bits at a time by tab_we: word i holds entries
// i*B .. i*B + B - 1 (B = DATA_W/8), entry e = code + 128 in byte e mod B.
// One multiplier, operand registers (s1, ob) and product register (s2) per lane serve both paths:
// pre_sel = 1 gives them to the pre-accumulate path (the controller's accumulate pass; pre_out is
// s2's low half), 0 to requantization; pre_sel and mult/pre_scale are taken into the operand
// registers, so pre_out and y are valid only for products whose operands were taken in the
// matching mode. The rounding shift is done on an 11-bit
// window: with a = s2 >>> (shift-1), (s2 + 2^(shift-1)) >>> shift = (a + 1) >>> 1, and a fits
// in 11 signed bits (bits shift+9 and up of s2 all equal its sign) unless y saturates.
// The bias register (LANES int32) is written whole by bias_we.
// RQ_W (27..32) is the multiplier's signed operand width: at 32, s1 is the int32 sum and the
// 32x17 product takes two DSP48E2 per lane; below 32, s1 is the sum saturated to RQ_W bits,
// so the product is RQ_W x 17 bits and fits one DSP48E2 (27x18) with its product register
// inside. Saturation is exact only for layers whose requantization saturates anyway for
// |s| >= 2^(RQ_W-1) or whose |acc + bias| never reaches it (docs/quantization.md#narrow-requantization);
// the lowering checks every layer before it gives a program to an engine with RQ_W < 32.
// RQ_LUT = 1 builds the multiplier in fabric (16 partial products and a four-deep adder tree, no
// DSP slice): same products, same latency; the engine's DSPs all go to the array.
`default_nettype none
module vector_unit #(
    parameter LANES  = 4,
    parameter KT     = 4,
    parameter ACT    = 0,    // 0 ReLU only, 1 + clamp pair, 2 + activation table
    parameter DATA_W = 64,   // table write width (the DMA's beat)
    parameter RQ_W   = 32,   // requantization operand bits: 32 exact int32, 27 one DSP48E2 per lane
    parameter RQ_LUT = 0,    // 1: the multiplier in fabric (partial products, no DSP)
    parameter SH_REG = 0     // 1: shift - 1 and the saturation mask in registers (see below)
) (
    input  wire                clk,
    input  wire                bias_we,
    input  wire [LANES*32-1:0] bias_wdata,
    // pre-accumulate
    input  wire                pre_sel,
    input  wire [KT*8-1:0]     pre_act,
    input  wire [15:0]         pre_scale,
    output wire [LANES*32-1:0] pre_out,
    // requantization
    input  wire [LANES*32-1:0] acc,
    input  wire                bias_en,
    input  wire [15:0]         mult,
    input  wire [4:0]          shift,
    input  wire                relu,
    // activations (ACT >= 1: clamp pair; ACT = 2: table)
    input  wire                clamp_en,
    input  wire [7:0]          clamp_lo,
    input  wire [7:0]          clamp_hi,
    input  wire                lut_en,
    input  wire                tab_we,
    input  wire [7:0]          tab_waddr,
    input  wire [DATA_W-1:0]   tab_wdata,
    output wire [LANES*8-1:0]  y
);
  localparam NPRE = (KT < LANES) ? KT : LANES;
  localparam PW   = RQ_W + 17;   // product bits (|s1 * mult| < 2^(RQ_W+16))
  reg  [LANES*32-1:0] bias;
  reg  [LANES*RQ_W-1:0] s1;
  reg  [LANES*16-1:0] ob;   // op_b per lane (one copy each: a DSP input register has one load)
  reg  [LANES*PW-1:0] s2;
  reg  [LANES*8-1:0]  yq;
  // the clamp pair: the descriptor's with ACT >= 1 and clamp_en, else ReLU's or int8's
  wire               cl_on = (ACT >= 1) && clamp_en;
  wire signed [10:0] lo    = cl_on ? {{3{clamp_lo[7]}}, clamp_lo} : (relu ? 11'sd0 : -11'sd128);
  wire signed [10:0] hi    = cl_on ? {{3{clamp_hi[7]}}, clamp_hi} : 11'sd127;

  always @(posedge clk) begin
    if (bias_we) bias <= bias_wdata;
  end

  // bit i of hi_mask: i >= shift + 9 (the window's top bit and up), the bits that must equal the sign for y not to saturate
  wire [PW-2:0] hi_mask_c = {(PW-1){1'b1}} << ({1'b0, shift} + 6'd9);
  wire [5:0]    shm1_c    = {1'b0, shift} - 6'd1;   // the window's low bit
  wire [PW-2:0] hi_mask;
  wire [5:0]    shm1;
  generate
    if (SH_REG != 0) begin : g_shreg
      // shift is a descriptor field, steady for a whole layer and set many cycles before the
      // layer's first requantization, so both are registered a cycle after it with no cycle
      // cost: the yq stage then starts at flip-flops instead of the controller's descriptor
      // register, an adder and a shifter (clock proxy, docs/timing.md; not on the iCE40)
      reg [PW-2:0] hi_mask_r;
      reg [5:0]    shm1_r;
      always @(posedge clk) begin
        hi_mask_r <= hi_mask_c;
        shm1_r    <= shm1_c;
      end
      assign hi_mask = hi_mask_r;
      assign shm1    = shm1_r;
    end else begin : g_shcomb
      assign hi_mask = hi_mask_c;
      assign shm1    = shm1_c;
    end
  endgenerate

  genvar g;
  generate
    if (KT > NPRE) begin : g_unused
      wire unused_act = &{1'b0, pre_act[KT*8-1:NPRE*8]};  // rows beyond the lanes
    end
    for (g = 0; g < LANES; g = g + 1) begin : g_lane
      // the multiplier's operands are registers (s1 is op_a, ob op_b: the DSP's A/B input
      // registers), so no mux or adder sits in front of the DSP (clock proxy, docs/timing.md)
      wire signed [RQ_W-1:0] op_a = s1[g*RQ_W+:RQ_W];
      wire        [15:0]     op_b = ob[g*16+:16];
      wire signed [PW-1:0]   prod;
      if (RQ_LUT != 0) begin : g_lutmul
        // op_a * op_b without `*` (Yosys would take a DSP for it): partial product i is op_a << i
        // where bit i of the unsigned op_b is set (l0), summed as a balanced tree four adders deep
        wire [16*PW-1:0] l0;
        wire [8*PW-1:0]  l1;
        wire [4*PW-1:0]  l2;
        wire [2*PW-1:0]  l3;
        genvar i;
        for (i = 0; i < 16; i = i + 1) begin : g_pp
          assign l0[i*PW+:PW] = op_b[i] ? ({{(PW-RQ_W){op_a[RQ_W-1]}}, op_a} << i) : {PW{1'b0}};
        end
        for (i = 0; i < 8; i = i + 1) begin : g_s1
          assign l1[i*PW+:PW] = l0[2*i*PW+:PW] + l0[(2*i+1)*PW+:PW];
        end
        for (i = 0; i < 4; i = i + 1) begin : g_s2
          assign l2[i*PW+:PW] = l1[2*i*PW+:PW] + l1[(2*i+1)*PW+:PW];
        end
        for (i = 0; i < 2; i = i + 1) begin : g_s3
          assign l3[i*PW+:PW] = l2[2*i*PW+:PW] + l2[(2*i+1)*PW+:PW];
        end
        assign prod = l3[0+:PW] + l3[PW+:PW];
      end else begin : g_dspmul
        assign prod = op_a * $signed({1'b0, op_b});
      end
      wire signed [31:0]     rq_s = acc[g*32+:32] + (bias_en ? bias[g*32+:32] : 32'd0);
      wire        [RQ_W-1:0] rq_a;
      if (RQ_W < 32) begin : g_sat
        // saturate the int32 sum to RQ_W bits (exact where the lowering allows it)
        wire in_range = (rq_s[31:RQ_W-1] == {(33-RQ_W){rq_s[31]}});
        assign rq_a = in_range ? rq_s[RQ_W-1:0] : {rq_s[31], {(RQ_W-1){~rq_s[31]}}};
      end else begin : g_full
        assign rq_a = rq_s;
      end
      wire        [RQ_W-1:0] s1_d;
      if (g < NPRE) begin : g_pre
        wire [7:0] a8 = pre_act[g*8+:8];
        assign s1_d = pre_sel ? {{(RQ_W-8){a8[7]}}, a8} : rq_a;
        assign pre_out[g*32+:32] = s2[g*PW+:32];
      end else begin : g_zero
        assign s1_d = rq_a;
        assign pre_out[g*32+:32] = 32'd0;
      end

      // requantization of s2
      wire [PW-1:0]      x    = s2[g*PW+:PW];
      wire               neg  = x[PW-1];
      wire               fits = ~|((x[PW-2:0] ^ {(PW-1){neg}}) & hi_mask);
      wire [10:0]        win  = x[shm1 +: 11];
      wire signed [11:0] a1   = $signed({win[10], win}) + 12'sd1;
      wire signed [10:0] t    = a1[11:1];
      wire               unused_round = a1[0];
      reg  [7:0]         yl;
      always @(*) begin
        if (!fits) yl = neg ? lo[7:0] : hi[7:0];
        else if (t > hi) yl = hi[7:0];
        else if (t < lo) yl = lo[7:0];
        else yl = t[7:0];
      end
      always @(posedge clk) begin
        s1[g*RQ_W+:RQ_W] <= s1_d;
        ob[g*16+:16] <= pre_sel ? pre_scale : mult;
        s2[g*PW+:PW] <= prod;
        yq[g*8+:8]   <= yl;
      end
    end
  endgenerate

  // ---- the activation table: a fourth stage behind the clamp (ACT = 2)
  generate
    if (ACT >= 2) begin : g_lut
      localparam B    = DATA_W / 8;
      localparam LB   = $clog2(B);
      localparam TD   = 256 / B;                 // table words (B <= 64 divides 256)
      localparam TAW  = (TD > 1) ? $clog2(TD) : 1;
      genvar k;
      for (k = 0; k < LANES; k = k + 1) begin : g_tab
        // distributed RAM: the entry's word is read asynchronously and only its byte registered
        reg  [DATA_W-1:0] tab [0:TD-1];
        reg  [7:0]        yt;
        wire [7:0]        e    = {~yq[k*8+7], yq[k*8+:7]};   // entry = code + 128
        wire [DATA_W-1:0] word = tab[e[7:LB]];
        always @(posedge clk) begin
          if (tab_we) tab[tab_waddr[TAW-1:0]] <= tab_wdata;
          yt <= word[e[LB-1:0]*8+:8];
        end
        assign y[k*8+:8] = lut_en ? yt : yq[k*8+:8];
      end
      if (TAW < 8) begin : g_wa
        wire unused_wa = &{1'b0, tab_waddr[7:TAW]};
      end
    end else begin : g_nolut
      assign y = yq;
      wire unused_lut = &{1'b0, lut_en, tab_we, tab_waddr, tab_wdata};
    end
    if (ACT < 1) begin : g_nocl
      wire unused_cl = &{1'b0, clamp_lo, clamp_hi};
    end
  endgenerate
endmodule
`default_nettype wire
