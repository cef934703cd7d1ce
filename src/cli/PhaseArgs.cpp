// The --phase, --optimizer and --batch options that predict and explore share (docs/training.md):
// one spelling, one check, one translation into workload::TrainingOptions.

#include "Command.h"

namespace dnnchip::cli {

std::optional<workload::TrainingOptions> PhaseArgs::training() const {
  if (phase != "training") return std::nullopt;
  workload::TrainingOptions t;
  t.optimizer = *workload::optimizerFromName(optimizer);  // CLI::IsMember checked the name
  t.batch = batch;
  return t;
}

void addPhaseOptions(CLI::App* cmd, PhaseArgs& a, const std::string& trainingHelp) {
  cmd->add_option("--phase", a.phase,
                  "inference, or training: " + trainingHelp +
                      " (forward, backward-data, backward-weight, update; docs/training.md)")
      ->check(CLI::IsMember({"inference", "training"}));
  cmd->add_option("--optimizer", a.optimizer, "Training: sgd, sgd_momentum (default) or adam")
      ->check(CLI::IsMember({"sgd", "sgd_momentum", "adam"}));
  cmd->add_option("--batch", a.batch, "Inferences per run (training: samples per step)")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 20));
}

}  // namespace dnnchip::cli
