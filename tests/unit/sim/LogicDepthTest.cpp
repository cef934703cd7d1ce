// The logic-depth proxy on small netlists in Yosys' write_json shape (cells with type,
// port_directions and connections; netnames): chains of N LUTs between flip-flops give N levels,
// carry runs count once, start and end penalties follow report_failfast, loops are diagnosed, and
// the platform's clock rule turns levels into a supported clock.

#include "dnnchip/sim/LogicDepth.h"

#include <gtest/gtest.h>

#include "dnnchip/platform/Platform.h"

using namespace dnnchip;
using dnnchip::io::Json;

namespace {

// A netlist builder: nets are integers from 2 (0/1 are Yosys' constant names, unused here).
struct Net {
  Json j = {{"modules", {{"top", {{"ports", Json::object()}, {"cells", Json::object()}, {"netnames", Json::object()}}}}}};
  int next = 2;
  Json& mod() { return j["modules"]["top"]; }
  int net(const std::string& name = "") {
    int n = next++;
    if (!name.empty()) mod()["netnames"][name] = {{"hide_name", 0}, {"bits", {n}}};
    return n;
  }
  void port(const std::string& name, const char* dir, int bit) { mod()["ports"][name] = {{"direction", dir}, {"bits", {bit}}}; }
  void cell(const std::string& name, const std::string& type, std::vector<std::pair<std::string, int>> in,
            std::vector<std::pair<std::string, int>> out, Json params = Json::object()) {
    Json c = {{"type", type}, {"parameters", params}, {"port_directions", Json::object()}, {"connections", Json::object()}};
    for (auto& [p, b] : in) {
      c["port_directions"][p] = "input";
      c["connections"][p] = {b};
    }
    for (auto& [p, b] : out) {
      c["port_directions"][p] = "output";
      c["connections"][p] = {b};
    }
    mod()["cells"][name] = c;
  }
  // FDRE q <= d; returns q.
  int ff(const std::string& name, int d, int clk) {
    int q = net(name + ".q");
    cell(name, "FDRE", {{"C", clk}, {"D", d}, {"CE", clk}, {"R", clk}}, {{"Q", q}});
    return q;
  }
};

// reg -> N LUT6 in series -> reg (the last LUT drives only the flip-flop: packed, no end penalty).
Json lutChain(int n) {
  Net b;
  int clk = b.net("clk");
  b.port("clk", "input", clk);
  int q0 = b.net("src.q");
  int x = q0;
  for (int i = 0; i < n; ++i) {
    int o = b.net();
    b.cell("lut" + std::to_string(i), "LUT6", {{"I0", x}, {"I1", q0}}, {{"O", o}});
    x = o;
  }
  b.ff("dst", x, clk);
  // the source register, fed by itself
  b.cell("src", "FDRE", {{"C", clk}, {"D", q0}}, {{"Q", q0}});
  return b.j;
}

}  // namespace

TEST(LogicDepth, ChainOfNLutsIsNLevels) {
  for (int n : {1, 3, 7}) {
    auto r = sim::analyzeLogicDepth(lutChain(n), "top", 0, 8);
    ASSERT_TRUE(r) << r.error().format();
    EXPECT_EQ(r->worst.levels, n) << n;
    EXPECT_EQ(r->worst.luts, n);
    EXPECT_EQ(r->worst.start.type, "FDRE");
    EXPECT_EQ(r->worst.end.type, "FDRE");
    EXPECT_EQ(r->worst.end.signal, "dst.q");
    EXPECT_EQ(r->worst.cells.size(), static_cast<size_t>(n));
  }
}

TEST(LogicDepth, EndPenaltyWhenTheLastLutFansOut) {
  Json j = lutChain(4);
  // The last LUT also drives an output port: fanout 2, it cannot pack with the flip-flop.
  auto& m = j["modules"]["top"];
  int last = m["cells"]["lut3"]["connections"]["O"][0].get<int>();
  m["ports"]["y"] = {{"direction", "output"}, {"bits", {last}}};
  auto r = sim::analyzeLogicDepth(j, "top", 0, 8);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->worst.levels, 5);
  EXPECT_EQ(r->worstIo.end.type, "port");
}

TEST(LogicDepth, CarryRunCountsOnceAndDspEndsGetPenalties) {
  Net b;
  int clk = b.net("clk");
  b.port("clk", "input", clk);
  int q = b.net("a.q");
  b.cell("a", "FDRE", {{"C", clk}, {"D", q}}, {{"Q", q}});
  int l = b.net();
  b.cell("l", "LUT2", {{"I0", q}}, {{"O", l}});
  int c1 = b.net(), c2 = b.net(), c3 = b.net();
  b.cell("c1", "CARRY8", {{"S", l}}, {{"CO", c1}});
  b.cell("c2", "CARRY8", {{"CI", c1}}, {{"CO", c2}});
  b.cell("c3", "CARRY8", {{"CI", c2}}, {{"O", c3}});
  // carry output into a DSP's A pin without AREG: LUT 1 + carry run 1 + end penalty 1 (not a
  // flip-flop) + 8 for the slice's unregistered pre-add and multiply before PREG
  int p = b.net("pe.p");
  b.cell("pe.dsp", "DSP48E2", {{"CLK", clk}, {"A", c3}}, {{"P", p}},
         {{"AREG", "00000000000000000000000000000000"}, {"MREG", "0"}, {"ADREG", "0"}, {"AMULTSEL", "AD"}});
  // DSP output -> LUT -> flip-flop: start penalty 1 + LUT 1 = 2
  int l2 = b.net();
  b.cell("l2", "LUT1", {{"I0", p}}, {{"O", l2}});
  b.ff("z", l2, clk);
  auto r = sim::analyzeLogicDepth(b.j, "top", 2, 8);
  ASSERT_TRUE(r) << r.error().format();
  EXPECT_EQ(r->worst.levels, 11);
  EXPECT_EQ(r->worst.carryCells, 3);
  EXPECT_EQ(r->worst.carryRuns, 1);
  EXPECT_EQ(r->worst.end.type, "DSP48E2");
  EXPECT_EQ(r->endpointsAbove, 1);  // only the DSP's A pin is deeper than 2
  ASSERT_EQ(r->dsps.size(), 1u);
  const auto& [cfg, n] = *r->dsps.begin();
  EXPECT_EQ(cfg.areg, 0);
  EXPECT_EQ(cfg.mreg, 0);
  EXPECT_EQ(cfg.preg, 1);  // left at the primitive's default
  EXPECT_TRUE(cfg.preadd);

  // With AREG on, the same path ends at the input register: 3 levels.
  b.mod()["cells"]["pe.dsp"]["parameters"]["AREG"] = "1";
  auto reg = sim::analyzeLogicDepth(b.j, "top", 2, 8);
  ASSERT_TRUE(reg);
  EXPECT_EQ(reg->worst.levels, 3);

  // Without PREG and MREG the slice is combinational: A -> P -> LUT -> flip-flop z.
  b.mod()["cells"]["pe.dsp"]["parameters"] = {{"AREG", "0"}, {"MREG", "0"}, {"PREG", "0"}};
  auto comb = sim::analyzeLogicDepth(b.j, "top", 2, 8);
  ASSERT_TRUE(comb);
  EXPECT_EQ(comb->worst.levels, 11);  // LUT + carry run + 8 + LUT into z (packed, no end penalty)
  EXPECT_EQ(comb->worst.dsps, 1);
  EXPECT_EQ(comb->worst.end.signal, "z.q");
}

TEST(LogicDepth, CombinationalLoopIsDiagnosed) {
  Net b;
  int x = b.net(), y = b.net();
  b.cell("a", "LUT1", {{"I0", y}}, {{"O", x}});
  b.cell("b", "LUT1", {{"I0", x}}, {{"O", y}});
  auto r = sim::analyzeLogicDepth(b.j, "top", 0, 8);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "sim.logic-loop");
  auto missing = sim::analyzeLogicDepth(b.j, "other", 0, 8);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "sim.netlist");
}

TEST(LogicDepth, UltraScalePlusRuleFromThePlatformFile) {
  auto p = platform::loadPlatformByName("ultra96");
  ASSERT_TRUE(p) << p.error().format();
  ASSERT_TRUE(p->clock.rule);
  const auto& rule = *p->clock.rule;
  // report_failfast: int((period - uncertainty) / 0.350 ns)
  EXPECT_EQ(rule.levelBudget(200), 14);  // (5.000 - 0.10) / 0.35 = 14.0
  EXPECT_EQ(rule.levelBudget(250), 11);  // (4.000 - 0.10) / 0.35 = 11.1
  EXPECT_EQ(rule.levelBudget(300), 9);   // (3.333 - 0.10) / 0.35 = 9.24
  EXPECT_EQ(rule.levelBudget(333), 8);
  const platform::DspRegisters full{true, false, true}, noPipe{false, true, false};
  EXPECT_DOUBLE_EQ(p->clock.supportedMhz(8, {full}, true), 333);
  EXPECT_DOUBLE_EQ(p->clock.supportedMhz(9, {full}, true), 300);
  EXPECT_DOUBLE_EQ(p->clock.supportedMhz(14, {full}, true), 200);
  EXPECT_DOUBLE_EQ(p->clock.supportedMhz(15, {full}, true), 150);
  EXPECT_DOUBLE_EQ(p->clock.supportedMhz(40, {full}, true), 0);
  EXPECT_DOUBLE_EQ(rule.dspFmaxMhz(noPipe), 338);  // DS925 FMAX_NOPIPELINEREG, -1
  EXPECT_DOUBLE_EQ(p->clock.supportedMhz(8, {noPipe}, true), 333);
}
