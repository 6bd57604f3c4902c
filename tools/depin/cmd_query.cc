// `depin query <what> [arg]`: reads the ledger database of a network directory directly (no node
// needed; SQLite WAL lets it read while a node writes) and prints the same JSON the node's
// /v1/ledger routes answer (docs/api.md): head, account <address>, devices <owner>,
// device <key>, block <height or hash>, tx <id>.
#include <cstdio>
#include <memory>
#include <string>

#include "cli.h"
#include "config/network_config.h"
#include "ledger/api.h"
#include "ledger/ledger.h"
#include "node/data_dir_lock.h"
#include "util/env.h"

namespace depin::cli {

// Defined in cmd_ledger.cc.
util::Result<ledger::LedgerParams> LedgerParamsFromNetworkFile(const std::string& path);

namespace {

struct QueryArgs {
  std::string what;
  std::string arg;
  std::string dir = ".";
};

util::Status Query(const QueryArgs& args) {
  DEPIN_RETURN_IF_ERROR(crypto::InitCrypto());
  DEPIN_ASSIGN_OR_RETURN(
      auto lock, node::LockDataDir(util::Env::Default(), args.dir, util::LockMode::kShared));
  DEPIN_ASSIGN_OR_RETURN(ledger::LedgerParams params,
                         LedgerParamsFromNetworkFile(args.dir + "/network.toml"));
  DEPIN_ASSIGN_OR_RETURN(std::unique_ptr<ledger::Ledger> chain,
                         ledger::Ledger::OpenReadOnly(args.dir + "/ledger.db", params));
  ledger::Mempool pool(chain->machine(), {.verify_threads = 1},
                       [&](std::string_view key) { return chain->ReadState(key); });
  ledger::LedgerApi api(chain.get(), &pool);
  ledger::ApiReply r;
  if (args.what == "head") {
    r = api.GetHead();
  } else if (args.what == "account") {
    r = api.GetAccount(args.arg);
  } else if (args.what == "devices") {
    r = api.ListDevices(args.arg);
  } else if (args.what == "device") {
    r = api.GetDevice(args.arg);
  } else if (args.what == "block") {
    r = api.GetBlock(args.arg);
  } else if (args.what == "tx") {
    r = api.GetTx(args.arg);
  } else {
    return util::Status::InvalidArgument("unknown query '" + args.what +
                                         "' (head, account, devices, device, block, tx)");
  }
  std::printf("%s\n", r.json.c_str());
  if (r.status >= 400) return util::Status::NotFound("query " + args.what + " failed (see above)");
  return util::Status::Ok();
}

}  // namespace

void RegisterQueryCommand(CLI::App& app, Selected& selected) {
  auto args = std::make_shared<QueryArgs>();
  CLI::App* cmd = AddCommand(app, selected, "query",
                             "Read the ledger: head | account <address> | devices <owner> | "
                             "device <key> | block <height|hash> | tx <id>",
                             [args] { return [args] { return Query(*args); }; });
  cmd->add_option("what", args->what, "head, account, devices, device, block or tx")->required();
  cmd->add_option("arg", args->arg, "The address, key, height, hash or tx id");
  cmd->add_option("--dir", args->dir, "Network data directory (default .)");
}

}  // namespace depin::cli
