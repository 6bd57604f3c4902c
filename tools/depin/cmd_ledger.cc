// `depin ledger verify`: replays a ledger database from genesis with the network's parameters and
// checks every block's parent link, producer, signatures, tx root and state hash, then the stored
// state itself (ledger::VerifyChain). On a terminal it shows progress on one line.
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

#include "cli.h"
#include "config/ledger_params.h"
#include "config/network_config.h"
#include "ledger/ledger.h"
#include "node/data_dir_lock.h"
#include "util/env.h"

namespace depin::cli {
namespace {

struct LedgerVerifyArgs {
  std::string dir = ".";
  std::string network;  // default <dir>/network.toml
  std::string db;       // default <dir>/ledger.db
};

util::Status LedgerVerify(const LedgerVerifyArgs& args) {
  DEPIN_RETURN_IF_ERROR(crypto::InitCrypto());
  const std::string network = args.network.empty() ? args.dir + "/network.toml" : args.network;
  const std::string db = args.db.empty() ? config::LedgerDbPath(args.dir) : args.db;
  util::Env* env = util::Env::Default();
  DEPIN_ASSIGN_OR_RETURN(auto lock, node::LockDataDir(env, args.dir, util::LockMode::kShared));
  DEPIN_ASSIGN_OR_RETURN(config::NetworkConfig config, config::LoadNetworkConfig(env, network));
  DEPIN_ASSIGN_OR_RETURN(ledger::LedgerParams params, config::LedgerParamsFromConfig(config));
  if (!env->FileExists(db)) return util::Status::NotFound(db + ": no ledger database");
  const bool tty = isatty(fileno(stderr)) != 0;
  uint64_t last_shown = 0;
  const uint64_t start_us = env->NowMicros();
  util::Status s = ledger::VerifyChain(db, params, [&](uint64_t height, uint64_t tip) {
    if (!tty || (height != tip && height - last_shown < 100)) return;
    last_shown = height;
    std::fprintf(stderr, "\rverifying block %llu / %llu (%3.0f%%)",
                 static_cast<unsigned long long>(height), static_cast<unsigned long long>(tip),
                 tip == 0 ? 100.0 : 100.0 * static_cast<double>(height) / static_cast<double>(tip));
  });
  if (tty) std::fprintf(stderr, "\n");
  DEPIN_RETURN_IF_ERROR(s);
  auto ledger = ledger::Ledger::OpenReadOnly(db, params);
  if (!ledger.ok()) return ledger.status();
  std::printf("ok: %llu blocks verified from genesis in %.1f s; state hash %s\n",
              static_cast<unsigned long long>((*ledger)->height()),
              static_cast<double>(env->NowMicros() - start_us) / 1e6,
              crypto::ToHex((*ledger)->state_hash()).c_str());
  return util::Status::Ok();
}

}  // namespace

util::Result<ledger::LedgerParams> LedgerParamsFromNetworkFile(const std::string& path) {
  return config::LedgerParamsFromNetworkFile(util::Env::Default(), path);
}

void RegisterLedgerCommands(CLI::App& app, Selected& selected) {
  CLI::App* group = app.add_subcommand("ledger", "Inspect and check the embedded ledger");
  group->require_subcommand(1, 1);
  auto args = std::make_shared<LedgerVerifyArgs>();
  CLI::App* verify =
      AddCommand(*group, selected, "verify",
                 "Replay the ledger from genesis, checking every block's signatures and state hash",
                 [args] { return [args] { return LedgerVerify(*args); }; });
  verify->add_option("dir", args->dir, "Network data directory (default .)");
  verify->add_option("--network", args->network, "Network config (default <dir>/network.toml)");
  verify->add_option("--db", args->db, "Ledger database (default <dir>/ledger.db)");
}

}  // namespace depin::cli
