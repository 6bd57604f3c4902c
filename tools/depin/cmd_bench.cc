// `depin bench <what>`: end-to-end benchmarks that print each figure beside the physical limit
// measured in the same run. Each benchmark lives in its own cmd_bench_<what>.cc.
#include "cli.h"

namespace depin::cli {

void RegisterBenchCommands(CLI::App& app, Selected& selected) {
  CLI::App* bench = app.add_subcommand("bench", "Measure throughput against this machine's limits");
  bench->require_subcommand(1, 1);
  RegisterBenchCrypto(*bench, selected);
  RegisterBenchIngest(*bench, selected);
  RegisterBenchLedger(*bench, selected);
  RegisterBenchProofs(*bench, selected);
  RegisterBenchEpoch(*bench, selected);
  RegisterBenchFraud(*bench, selected);
  RegisterBenchConns(*bench, selected);
  RegisterBenchSim(*bench, selected);
}

}  // namespace depin::cli
