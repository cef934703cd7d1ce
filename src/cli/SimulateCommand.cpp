// `dnnchip simulate --design DIR [--vectors VDIR] [--simulator verilator|iverilog] [--seed S]`:
// co-simulates a generated design against the golden model and prints cycles per layer beside
// the cycle model's prediction. Exit 0 when every layer matches bit for bit, 4 on a mismatch
// (sim.mismatch names the layer and the first differing element), 2 on bad input, 1 when a tool
// fails, 130 on Ctrl-C (the simulator's processes are killed, sim.json and .output.npy files are
// not written).

#include <cstdio>

#include "Command.h"
#include "Interrupt.h"
#include "dnnchip/sim/CoSim.h"

namespace dnnchip::cli {

namespace {

constexpr int kExitMismatch = 4;

int runSimulate(const std::string& dir, const std::string& vectors, const std::string& simulator, uint64_t seed,
                int timeout) {
  sim::SimOptions opt;
  opt.seed = seed;
  opt.timeoutSeconds = timeout;
  if (simulator == "verilator") opt.simulator = sim::Simulator::Verilator;
  else if (simulator == "iverilog" || simulator == "icarus") opt.simulator = sim::Simulator::Icarus;
  else
    return reportError(diag::error("cli.usage", {}, "unknown simulator '" + simulator + "'",
                                   "use --simulator verilator or --simulator iverilog"));
  if (!vectors.empty()) opt.vectorsDir = vectors;
  InterruptGuard guard;  // Ctrl-C: the simulator is killed, nothing is written, exit 130
  opt.stop = guard.token();
  auto rep = sim::cosimulate(dir, opt);
  if (!rep) {
    const auto& code = rep.error().code;
    if (code == "sim.interrupted" || code == "golden.interrupted") return reportInterrupted(rep.error());
    bool toolFailure = code == "sim.build-failed" || code == "sim.run-failed" || code == "sim.timeout";
    reportError(rep.error());
    return toolFailure ? kExitInternal : kExitBadInput;
  }
  std::printf("%-24s %-14s %12s %12s  %s\n", "layer", "op", "rtl cycles", "predicted", "golden");
  for (const auto& l : rep->layers)
    std::printf("%-24s %-14s %12llu %12llu  %s\n", l.layer.c_str(), l.op.c_str(),
                static_cast<unsigned long long>(l.rtlCycles), static_cast<unsigned long long>(l.predictedCycles),
                !l.compared ? "-" : l.match ? ("match (" + std::to_string(l.elements) + " elements)").c_str()
                                            : ("MISMATCH at " + std::to_string(l.firstMismatch)).c_str());
  std::printf("total: %llu cycles (predicted %llu), simulator %s, %s\n",
              static_cast<unsigned long long>(rep->rtlTotalCycles),
              static_cast<unsigned long long>(rep->predictedTotalCycles), rep->simulator.c_str(),
              rep->allMatch ? "all layers bit-exact" : "MISMATCH");
  if (!rep->allMatch) {
    reportError(sim::mismatchDiagnostic(*rep));
    return kExitMismatch;
  }
  return kExitOk;
}

}  // namespace

void registerSimulateCommand(CLI::App& app, Dispatch& dispatch) {
  auto* cmd = app.add_subcommand("simulate", "Co-simulate a generated design against the golden model");
  auto dir = std::make_shared<std::string>();
  auto vectors = std::make_shared<std::string>();
  auto simulator = std::make_shared<std::string>("verilator");
  auto seed = std::make_shared<uint64_t>(1);
  auto timeout = std::make_shared<int>(1800);
  cmd->add_option("--design", *dir, "Folder written by dnnchip generate")->required();
  cmd->add_option("--timeout", *timeout, "Limit per tool run, seconds (default 1800)");
  cmd->add_option("--vectors", *vectors, "Folder of per-layer .npy vectors (default: seeded random, end to end)");
  cmd->add_option("--simulator", *simulator, "verilator (default) or iverilog");
  cmd->add_option("--seed", *seed, "Seed of the random vectors (default 1)");
  cmd->callback([&dispatch, dir, vectors, simulator, seed, timeout] {
    dispatch.action = [dir, vectors, simulator, seed, timeout] {
      return runSimulate(*dir, *vectors, *simulator, *seed, *timeout);
    };
  });
}

}  // namespace dnnchip::cli
