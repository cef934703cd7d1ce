// mac_pe_pack2: one processing element computing two int8 MACs that share the activation, the
// shared-operand packing of Xilinx WP486 ("Deep Learning with INT8 Optimization on Xilinx
// Devices") on one DSP48E2. The multiplier forms AD * a with the packed weight pair
// AD = w_hi * 2^19 + w_lo (27 bits) and the activation on B (sign-extended to 18 bits), and the
// post-adder adds the packed partial sum from the PE above: p <= pcin + AD * a, registered once
// (PREG = 1). pcin/pcout are the DSP's own 48-bit cascade, so a column of these PEs keeps its
// partial sums inside the DSP column.
// Two weight banks: w0 and w1 each hold a pair as {w_hi - (w_lo < 0), w_lo} (systolic_ws stores
// them so), whose 27-bit packed operand is {w_hi - (w_lo < 0), 11 copies of w_lo[7], w_lo} =
// w_hi * 2^19 + sext(w_lo) with no adder. Bank 0's operand is on A, bank 1's on D, and the
// pre-adder picks one: D + 0 (INMODE: D on, A zeroed) when bank = 1, 0 + A (D off) when 0.
// The activation and the bank bit are registered inside the DSP (BREG = 1, INMODEREG = 1), the
// weights are not (they change only when the bank shifts): the product of the activation of
// cycle t with the weights of cycle t + 1 is in p at the edge ending t + 1 (one cycle later than
// an unregistered PE; systolic_ws counts it in LAT). No fabric logic sits between a register and
// the DSP's pins (clock proxy, docs/timing.md).
// After ROWS such PEs, p = H * 2^19 + L with L = sum a*w_lo and H = sum a*w_hi; the array's bottom
// splits it (systolic_ws PACK = 2): lo = sext(p[18:0]), hi = p[37:19] + p[18].
// Exact while |L| and |H| stay below 2^18 and w_hi - (w_lo < 0) fits 8 bits: weights in
// [-127, 127] (never -128) and ROWS <= 16 give 16 * 128 * 127 = 260,096 < 2^18
// (docs/engine.md#dsp-packing).
// TOP = 1 is the first row (p <= 0 + AD * a, pcin ignored); LAST = 1 the column's last, whose
// sum leaves on P into the fabric instead of on the PCOUT cascade.
// Default: a behavioural model written exactly as the DSP computes (the registered activation and
// bank, the pre-adder's choice, 27x18 signed product, 48-bit post-adder), so co-simulation
// exercises the packing arithmetic. With `DNNCHIP_DSP48E2 defined (the generated Yosys/Vivado
// scripts for family xcup) the PE is an explicit DSP48E2 instance (UG579): BREG = 1, INMODEREG = 1,
// no other input or multiplier register, PREG = 1, AMULTSEL = "AD", INMODE = {0, 0, bank, bank, 0}
// (UG579 table "INMODE Functions": bit 2 enables D, bit 1 zeroes A, bit 4 = 0 takes B2, the
// register), OPMODE Z = PCIN (TOP: 0), Y:X = M. Yosys 0.23 does not infer the post-adder and PREG
// into the DSP48E2 from the behavioural form, hence the instance.
`default_nettype none
module mac_pe_pack2 #(
    parameter TOP  = 0,
    /* verilator lint_off UNUSEDPARAM */  // LAST matters to the DSP48E2 variant only
    parameter LAST = 0
    /* verilator lint_on UNUSEDPARAM */
) (
    input  wire               clk,
    input  wire signed [7:0]  a,
    input  wire               bank,   // the weight bank of this cycle's activation
    input  wire        [15:0] w0,     // bank 0's pair {w_hi - (w_lo < 0), w_lo}
    input  wire        [15:0] w1,     // bank 1's pair
    input  wire        [47:0] pcin,
    output wire        [47:0] pout    // LAST = 0: PCOUT, the next PE's pcin (the DSP's dedicated
                                      // cascade); LAST = 1: P, the sum into the fabric
);
  wire [26:0] pk0 = {w0[15:8], {11{w0[7]}}, w0[7:0]};
  wire [26:0] pk1 = {w1[15:8], {11{w1[7]}}, w1[7:0]};
  wire [17:0] b18 = {{10{a[7]}}, a};
`ifdef DNNCHIP_DSP48E2
  wire [47:0] p_fab, p_casc;
  DSP48E2 #(
      .AMULTSEL("AD"), .BMULTSEL("B"), .PREADDINSEL("A"), .USE_MULT("MULTIPLY"), .USE_SIMD("ONE48"),
      .A_INPUT("DIRECT"), .B_INPUT("DIRECT"), .USE_PATTERN_DETECT("NO_PATDET"),
      .AREG(0), .ACASCREG(0), .BREG(1), .BCASCREG(1), .DREG(0), .ADREG(0), .MREG(0), .CREG(0),
      .INMODEREG(1), .OPMODEREG(0), .ALUMODEREG(0), .CARRYINREG(0), .CARRYINSELREG(0), .PREG(1)
  ) u_dsp (
      .CLK(clk),
      .A({{3{pk0[26]}}, pk0}), .D(pk1), .B(b18), .C(48'd0),
      .ACIN(30'd0), .BCIN(18'd0), .PCIN(TOP != 0 ? 48'd0 : pcin), .CARRYCASCIN(1'b0), .MULTSIGNIN(1'b0),
      .INMODE({2'b00, bank, bank, 1'b0}),                    // bank 1: D + 0; bank 0: 0 + A
      .OPMODE(TOP != 0 ? 9'b00_000_01_01 : 9'b00_001_01_01), // W = 0, Z = 0 or PCIN, Y:X = M
      .ALUMODE(4'b0000), .CARRYIN(1'b0), .CARRYINSEL(3'b000),
      .CEA1(1'b0), .CEA2(1'b0), .CEAD(1'b0), .CEALUMODE(1'b0), .CEB1(1'b0), .CEB2(1'b1), .CEC(1'b0),
      .CECARRYIN(1'b0), .CECTRL(1'b0), .CED(1'b0), .CEINMODE(1'b1), .CEM(1'b0), .CEP(1'b1),
      .RSTA(1'b0), .RSTALLCARRYIN(1'b0), .RSTALUMODE(1'b0), .RSTB(1'b0), .RSTC(1'b0), .RSTCTRL(1'b0),
      .RSTD(1'b0), .RSTINMODE(1'b0), .RSTM(1'b0), .RSTP(1'b0),
      .ACOUT(), .BCOUT(), .CARRYCASCOUT(), .CARRYOUT(), .MULTSIGNOUT(), .OVERFLOW(), .P(p_fab),
      .PATTERNBDETECT(), .PATTERNDETECT(), .PCOUT(p_casc), .UNDERFLOW(), .XOROUT());
  assign pout = (LAST != 0) ? p_fab : p_casc;
`else
  reg  [17:0]        breg;                                  // BREG
  reg                bank_r;                                // INMODEREG (its bank bits)
  always @(posedge clk) begin
    breg   <= b18;
    bank_r <= bank;
  end
  wire [26:0]        ad = bank_r ? pk1 : pk0;               // the pre-adder: D + 0 or 0 + A
  wire signed [44:0] m  = $signed(ad) * $signed(breg);      // the 27x18 multiplier
  wire [47:0]        z  = (TOP != 0) ? 48'd0 : pcin;
  reg  [47:0]        preg;
  always @(posedge clk) preg <= z + {{3{m[44]}}, m};         // the 48-bit post-adder and PREG
  assign pout = preg;
`endif
endmodule
`default_nettype wire
