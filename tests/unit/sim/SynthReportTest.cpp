// Parsing Yosys `stat` blocks (Xilinx and iCE40 cell names, latches, the last block wins) and
// nextpnr-ice40 timing/utilization lines, on log excerpts in the tools' exact format (Yosys 0.23,
// nextpnr-ice40 0.4).

#include "dnnchip/sim/SynthReport.h"

#include <gtest/gtest.h>
#include <sys/types.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "dnnchip/io/Stop.h"
#include "dnnchip/sim/Process.h"
#include "dnnchip/sim/Synth.h"
#include "TestSupport.h"

using namespace dnnchip::sim;

TEST(SynthReport, XilinxStatMapsCells) {
  const char* log =
      "=== sub ===\n\n   Number of cells:                 3\n     LUT2                            3\n\n"
      "=== top ===\n\n   Number of wires:               120\n   Number of cells:                 99\n"
      "     BUFG                            1\n     CARRY4                          6\n"
      "     DSP48E1                         4\n     FDRE                           40\n"
      "     FDSE                            2\n     LUT1                            3\n"
      "     LUT6                           20\n     RAM64X1D                        2\n"
      "     RAMB18E1                        3\n     RAMB36E1                        1\n"
      "     IBUF                           17\n\nEnd of script.\n";
  auto r = parseYosysStat(log);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->luts, 23);
  EXPECT_EQ(r->ffs, 42);
  EXPECT_EQ(r->dsps, 4);
  EXPECT_EQ(r->bram18, 3);
  EXPECT_EQ(r->bram36, 1);
  EXPECT_EQ(r->bram18Equivalent(), 5);
  EXPECT_EQ(r->lutRams, 2);
  EXPECT_EQ(r->carries, 6);
  EXPECT_EQ(r->latches, 0);
  EXPECT_EQ(r->cells, 99);
}

TEST(SynthReport, Ice40StatAndLatches) {
  const char* log =
      "   Number of cells:                 12\n     SB_CARRY                        2\n"
      "     SB_DFFER                        4\n     SB_LUT4                         3\n"
      "     SB_MAC16                        1\n     SB_RAM40_4K                     1\n"
      "     $_DLATCH_P_                     1\n";
  auto r = parseYosysStat(log);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->luts, 3);
  EXPECT_EQ(r->ffs, 4);
  EXPECT_EQ(r->dsps, 1);
  EXPECT_EQ(r->ice40Ebr, 1);
  EXPECT_EQ(r->latches, 1);
  EXPECT_FALSE(parseYosysStat("no statistics here").has_value());
  EXPECT_TRUE(yosysReportsLatch("No latch inferred for signal `\\a'.\nLatch inferred for signal `\\m.\\q' from process"));
  EXPECT_FALSE(yosysReportsLatch("No latch inferred for signal `\\a'."));
}

TEST(SynthReport, NextpnrTimingLastWins) {
  const char* log =
      "Info: Device utilisation:\nInfo: \t         ICESTORM_LC:  1234/ 5280    23%\n"
      "Info: \t        ICESTORM_RAM:     4/   30    13%\nInfo: \t        ICESTORM_DSP:     2/    8    25%\n"
      "Info: Max frequency for clock 'clk$SB_IO_IN_$glb_clk': 30.10 MHz (PASS at 12.00 MHz)\n"
      "Info: Max frequency for clock 'clk$SB_IO_IN_$glb_clk': 27.55 MHz (PASS at 12.00 MHz)\n";
  PnrReport r = parseNextpnrLog(log);
  ASSERT_TRUE(r.fmaxMhz.has_value());
  EXPECT_DOUBLE_EQ(*r.fmaxMhz, 27.55);
  EXPECT_DOUBLE_EQ(*r.targetMhz, 12.0);
  EXPECT_TRUE(r.timingPass);
  EXPECT_EQ(r.logicCells, 1234);
  EXPECT_EQ(r.logicCellsAvailable, 5280);
  EXPECT_EQ(r.rams, 4);
  EXPECT_EQ(r.dsps, 2);
  EXPECT_FALSE(parseNextpnrLog("nothing").fmaxMhz.has_value());
}

TEST(SynthReport, NextpnrPackOnlyUtilization) {
  // nextpnr-ice40 0.4 --pack-only of dnnchip_ice40 (ice40_2x2 before the multiplier-free engine,
  // which did not fit): utilization over 100 %, no timing.
  const char* log =
      "Info: promoting clk$SB_IO_IN (fanout 1955)\nInfo: Device utilisation:\n"
      "Info: \t         ICESTORM_LC:  6594/ 5280   124%\nInfo: \t        ICESTORM_RAM:     6/   30    20%\n"
      "Info: \t               SB_IO:    24/   96    25%\nInfo: \t               SB_GB:     8/    8   100%\n"
      "Info: \t        ICESTORM_DSP:    20/    8   250%\n";
  PnrReport r = parseNextpnrLog(log);
  EXPECT_FALSE(r.fmaxMhz.has_value());
  EXPECT_EQ(r.logicCells, 6594);
  EXPECT_EQ(r.logicCellsAvailable, 5280);
  EXPECT_EQ(r.rams, 6);
  EXPECT_EQ(r.dsps, 20);
  EXPECT_EQ(r.ios, 24);
}

TEST(Process, RunsAndTimesOutAndFindsTools) {
  auto dir = dnnchip::test::tempDir("process");
  auto ok = runProcess({"sh", "-c", "echo hello; exit 3"}, dir, dir / "a.log", 10);
  EXPECT_EQ(ok.exitCode, 3);
  EXPECT_EQ(ok.output, "hello\n");
  auto slow = runProcess({"sleep", "5"}, dir, dir / "b.log", 1);
  EXPECT_TRUE(slow.timedOut);
  EXPECT_TRUE(findTool("sh").has_value());
  EXPECT_FALSE(findTool("dnnchip-no-such-tool-xyz").has_value());
  EXPECT_EQ(toolMissing("verilator", "simulation").code, "sim.tool-missing");
}

// A relative work folder and log path (as `-o out/default` gives) resolve against the caller's
// working directory, not against the folder the child changes into (make run regression).
TEST(Process, RelativeWorkFolderAndLog) {
  auto base = dnnchip::test::tempDir("process-rel");
  std::filesystem::create_directories(base / "out" / "default");
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(base);
  auto r = runProcess({"sh", "-c", "echo from-child; pwd"}, "out/default", "out/default/x.log", 10);
  std::filesystem::current_path(cwd);
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_EQ(r.output.rfind("from-child\n", 0), 0u) << r.output;
  EXPECT_NE(r.output.find("out/default"), std::string::npos) << "the child ran in the work folder: " << r.output;
  EXPECT_TRUE(std::filesystem::exists(base / "out" / "default" / "x.log"));
}

// A stop request (Ctrl-C in the driver) kills the tool's whole process group within a poll
// period, the grandchild a tool started (make's compiler) included, and a stop requested before
// the call starts nothing. A run given no token (or another source's) is not stopped.
TEST(Process, StopRequestKillsTheToolAndWhatItStarted) {
  auto dir = dnnchip::test::tempDir("process-stop");
  std::filesystem::remove(dir / "grandchild.pid");
  dnnchip::io::StopSource source;
  std::thread stopper([&source] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    source.requestStop();
  });
  const auto start = std::chrono::steady_clock::now();
  auto r = runProcess({"sh", "-c", "sleep 30 & echo $! > grandchild.pid; wait"}, dir, dir / "s.log", 60, source.token());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  stopper.join();
  EXPECT_TRUE(r.interrupted);
  EXPECT_FALSE(r.timedOut);
  EXPECT_EQ(r.exitCode, -1);
  EXPECT_LT(seconds, 5.0);  // generous: the poll period is 20 ms
  std::ifstream in(dir / "grandchild.pid");
  pid_t grandchild = 0;
  ASSERT_TRUE(in >> grandchild);
  // The grandchild is reparented when its parent dies; wait for whoever reaps it.
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    std::ifstream stat("/proc/" + std::to_string(grandchild) + "/stat");
    std::string text;
    std::getline(stat, text);
    gone = !stat || text.find(") Z ") != std::string::npos;
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(gone) << "the tool's child " << grandchild << " survived";
  auto again = runProcess({"sh", "-c", "echo never > ran.txt"}, dir, dir / "t.log", 10, source.token());
  EXPECT_TRUE(again.interrupted);
  EXPECT_FALSE(std::filesystem::exists(dir / "ran.txt"));
  // The request belongs to `source` alone: a run without its token starts and finishes.
  auto other = runProcess({"sh", "-c", "echo ran > ran.txt"}, dir, dir / "u.log", 10);
  EXPECT_FALSE(other.interrupted);
  EXPECT_EQ(other.exitCode, 0);
  EXPECT_TRUE(std::filesystem::exists(dir / "ran.txt"));
}

TEST(Synth, RejectsUnknownTargetBeforeAnything) {
  dnnchip::sim::SynthOptions o;
  o.target = "vhdl";
  o.timeoutSeconds = 10;
  auto r = dnnchip::sim::synthesize("/nonexistent", o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "sim.bad-target");
}

TEST(Synth, Ice40DeviceComesFromThePlatformFile) {
  auto p = dnnchip::platform::loadPlatformByName("ice40_up5k");
  ASSERT_TRUE(p.ok()) << p.error().format();
  auto d = dnnchip::sim::ice40Device(*p);
  ASSERT_TRUE(d.ok()) << d.error().format();
  EXPECT_EQ(d->name, "UP5K");
  EXPECT_EQ(d->package, "SG48");
  EXPECT_EQ(d->nextpnrDeviceFlag(), "--up5k");
  EXPECT_EQ(d->nextpnrPackage(), "sg48");
  EXPECT_EQ(d->sbMac16, 8);
  EXPECT_EQ(d->ebr, 30);
  EXPECT_EQ(d->spram, 4);
  EXPECT_EQ(d->ioPins, 39);
  // Another part string in the same file is another device: nothing about the UP5K is in the code.
  p->device = "iCE40UP3K-UWG30";
  p->resources.ebr = 20;
  auto d3 = dnnchip::sim::ice40Device(*p);
  ASSERT_TRUE(d3.ok());
  EXPECT_EQ(d3->nextpnrDeviceFlag(), "--up3k");
  EXPECT_EQ(d3->nextpnrPackage(), "uwg30");
  EXPECT_EQ(d3->ebr, 20);
}

TEST(Synth, PlaceAndRouteOnANonIce40PlatformIsSimBadPlatform) {
  auto p = dnnchip::platform::loadPlatformByName("pynq_z1");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(dnnchip::sim::ice40Device(*p).error().code, "sim.bad-platform");
  dnnchip::sim::SynthOptions o;
  o.target = "ice40";
  o.platform = *p;
  auto r = dnnchip::sim::synthesize("/nonexistent", o);  // rejected before reading the folder
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "sim.bad-platform");
}
