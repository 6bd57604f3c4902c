// depin: the OpenDePIN command line and daemon. See README.md for every subcommand.
#include <cstdio>
#include <string>

#include "cli.h"
#include "node/node.h"

namespace {

bool HasSubcommand(CLI::App& app, const std::string& name) {
  for (const CLI::App* sub : app.get_subcommands({})) {
    if (sub->check_name(name)) return true;
  }
  return false;
}

int Run(int argc, char** argv) {
  CLI::App app{
      "depin — OpenDePIN: run, operate and audit a decentralized physical infrastructure "
      "network",
      "depin"};
  app.require_subcommand(1, 1);
  app.set_help_all_flag("--help-all", "Show help for every subcommand");
  depin::cli::Selected selected;
  // Logs go to stderr from the start: stdout is for results (`--json` must be pure JSON), and
  // spdlog's own default logger writes to stdout. `depin node` sets its --log-level later.
  (void)depin::node::ConfigureLogging("info");
  depin::cli::RegisterVersionCommand(app, selected);
  depin::cli::RegisterKeysCommands(app, selected);
  depin::cli::RegisterInitCommand(app, selected);
  depin::cli::RegisterNodeCommand(app, selected);
  depin::cli::RegisterLedgerCommands(app, selected);
  depin::cli::RegisterQueryCommand(app, selected);
  depin::cli::RegisterDeviceCommands(app, selected);
  depin::cli::RegisterRewardsCommands(app, selected);
  depin::cli::RegisterFleetCommand(app, selected);
  depin::cli::RegisterTxCommands(app, selected);
  depin::cli::RegisterSimCommand(app, selected);
  depin::cli::RegisterAdminCommands(app, selected);
  depin::cli::RegisterBenchCommands(app, selected);

  if (argc > 1 && argv[1][0] != '-' && !HasSubcommand(app, argv[1])) {
    std::fprintf(stderr, "depin: unknown command '%s' (see depin --help)\n", argv[1]);
    return depin::cli::kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "depin: %s (see depin --help)\n", e.what());
    return depin::cli::kExitUsage;
  }
  if (!selected.action) {
    std::fprintf(stderr, "depin: no command given (see depin --help)\n");
    return depin::cli::kExitUsage;
  }
  depin::util::Status status = selected.action();
  if (!status.ok()) {
    std::fprintf(stderr, "depin %s: %s\n", selected.command.c_str(),
                 std::string(status.message()).c_str());
    // A format this depin does not read is not a failure of the data: as for a usage error, the
    // fix is to run something else (the depin that wrote it), so scripts can tell them apart.
    if (status.code() == depin::util::Code::kUnsupported) return depin::cli::kExitUsage;
    return depin::cli::kExitError;
  }
  return depin::cli::kExitOk;
}

}  // namespace

int main(int argc, char** argv) { return Run(argc, argv); }
