// Shared plumbing for the `depin` subcommands.
//
// Each cmd_*.cc file registers its subcommands on the CLI11 app. A subcommand's parse callback
// stores the Action to run; main() runs it after parsing and maps the outcome to the exit code:
//   0 ok, 1 error (one line on stderr: "depin <command>: <what and where>"), 2 usage, and data
//   this depin does not read: an Action's util::Code::kUnsupported (a report log or ledger of
//   another format version, named in the one-line error).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

#include "util/status.h"

namespace depin::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitUsage = 2;

using Action = std::function<util::Status()>;

struct Selected {
  std::string command;  // e.g. "keys new", for the error prefix
  Action action;
};

// Adds a subcommand to `parent` whose callback selects `make_action()`'s Action.
// `options` are bound by the caller on the returned App before parsing.
CLI::App* AddCommand(CLI::App& parent, Selected& selected, const std::string& name,
                     const std::string& description, std::function<Action()> make_action);

// One function per command group, each defined in its own cmd_*.cc file.
void RegisterVersionCommand(CLI::App& app, Selected& selected);
void RegisterKeysCommands(CLI::App& app, Selected& selected);     // cmd_keys.cc
void RegisterInitCommand(CLI::App& app, Selected& selected);      // cmd_init.cc
void RegisterNodeCommand(CLI::App& app, Selected& selected);      // cmd_node.cc
void RegisterLedgerCommands(CLI::App& app, Selected& selected);   // cmd_ledger.cc
void RegisterQueryCommand(CLI::App& app, Selected& selected);     // cmd_query.cc
void RegisterDeviceCommands(CLI::App& app, Selected& selected);   // cmd_device.cc
void RegisterRewardsCommands(CLI::App& app, Selected& selected);  // cmd_rewards.cc
void RegisterFleetCommand(CLI::App& app, Selected& selected);     // cmd_fleet.cc
void RegisterTxCommands(CLI::App& app, Selected& selected);       // cmd_tx.cc
void RegisterSimCommand(CLI::App& app, Selected& selected);       // cmd_sim.cc
void RegisterAdminCommands(CLI::App& app, Selected& selected);    // cmd_admin.cc
// `depin bench <what>`: cmd_bench.cc owns the group; each benchmark registers itself here.
void RegisterBenchCommands(CLI::App& app, Selected& selected);  // cmd_bench.cc
void RegisterBenchCrypto(CLI::App& bench, Selected& selected);  // cmd_bench_crypto.cc
void RegisterBenchIngest(CLI::App& bench, Selected& selected);  // cmd_bench_ingest.cc
void RegisterBenchLedger(CLI::App& bench, Selected& selected);  // cmd_bench_ledger.cc
void RegisterBenchProofs(CLI::App& bench, Selected& selected);  // cmd_bench_proofs.cc
void RegisterBenchEpoch(CLI::App& bench, Selected& selected);   // cmd_bench_epoch.cc
void RegisterBenchFraud(CLI::App& bench, Selected& selected);   // cmd_bench_fraud.cc
void RegisterBenchConns(CLI::App& bench, Selected& selected);   // cmd_bench_conns.cc
void RegisterBenchSim(CLI::App& bench, Selected& selected);     // cmd_bench_sim.cc

}  // namespace depin::cli
