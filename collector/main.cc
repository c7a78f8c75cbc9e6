#include <csignal>
#include <iostream>

#include "collector/collector_config.h"
#include "collector/run_collector.h"

namespace {

// The one piece of process-wide state: a signal handler can reach nothing else. A second
// SIGINT or SIGTERM finds the default action again (SA_RESETHAND) and ends the process at once,
// which the spool survives like any crash.
std::atomic<int> received_signal{0};

void OnSignal(int number) { received_signal.store(number); }

void InstallSignalHandlers() {
  struct sigaction action {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  std::signal(SIGPIPE, SIG_IGN);  // a closed stdout must not kill a run mid-push
  // A file size limit (ulimit -f) then fails the spool's write with EFBIG, which it waits out
  // like a full disk, instead of killing the process.
  std::signal(SIGXFSZ, SIG_IGN);
}

}  // namespace

int main(int argc, char** argv) {
  int exit_code = 0;
  const std::optional<sitrep::collector::CollectorConfig> config =
      sitrep::collector::ParseCollectorFlags(argc, argv, std::cout, std::cerr, exit_code);
  if (!config) return exit_code;  // --help, or one line saying what is wrong
  InstallSignalHandlers();
  return sitrep::collector::RunCollector(*config, std::cout, std::cerr, &received_signal);
}
