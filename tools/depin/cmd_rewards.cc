// `depin rewards ...`: epoch reward manifests of a data directory (docs/rewards.md).
//   explain <device> --epoch N    the device's derivation in plain words (rewards::ExplainDevice)
//   recompute --epoch N           recomputes the manifest from the report log and the ledger and
//                                 checks its root equals the root posted for the epoch
//   close --epoch N               (dev, node stopped) closes and posts epoch N into ledger.db
//   claim <device> --epoch N      (dev, node stopped) claims the device's cumulative reward
// The dev commands apply transactions directly to <dir>/ledger.db in a block signed with
// keys/producer.key; the reward-oracle key is keys/reward-oracle.key.
#include <cstdio>
#include <memory>
#include <string>

#include "cli.h"
#include "config/epoch_config.h"
#include "crypto/key_file.h"
#include "epoch/close.h"
#include "epoch/files.h"
#include "epoch/recompute.h"
#include "epoch/service.h"
#include "ingest/log_version.h"
#include "ledger/records.h"
#include "node/data_dir_lock.h"
#include "node/node.h"
#include "rewards/explain.h"
#include "rewards/manifest_json.h"
#include "util/encoding.h"

namespace depin::cli {

// Defined in cmd_ledger.cc.
util::Result<ledger::LedgerParams> LedgerParamsFromNetworkFile(const std::string& path);

namespace {

struct RewardsArgs {
  std::string dir = ".";
  uint64_t epoch = 0;
  std::string device;
  bool verify_signatures = false;
};

struct Opened {
  std::unique_ptr<util::FileLock> lock;  // <dir>/LOCK: shared to read, exclusive to write
  ledger::LedgerParams params;
  rewards::RewardConfig config;
  std::unique_ptr<ledger::Ledger> ledger;
};

// `writes`: the command changes the ledger or the data directory (close, claim). `reads_log`: it
// reads the report log (recompute, close), whose format version is checked first, as the node
// does (ingest/log_version.h): another version is refused by name (exit 2), nothing recorded.
util::Result<Opened> Open(const RewardsArgs& a, bool create = false, bool writes = false,
                          bool reads_log = false) {
  DEPIN_RETURN_IF_ERROR(crypto::InitCrypto());
  DEPIN_RETURN_IF_ERROR(node::ConfigureLogging("warn"));  // stderr; stdout is for results
  Opened o;
  DEPIN_ASSIGN_OR_RETURN(
      o.lock, node::LockDataDir(util::Env::Default(), a.dir,
                                writes ? util::LockMode::kExclusive : util::LockMode::kShared));
  const std::string network = a.dir + "/network.toml";
  DEPIN_ASSIGN_OR_RETURN(o.params, LedgerParamsFromNetworkFile(network));
  DEPIN_ASSIGN_OR_RETURN(config::NetworkConfig nc,
                         config::LoadNetworkConfig(util::Env::Default(), network));
  DEPIN_ASSIGN_OR_RETURN(o.config, config::RewardConfigFromNetwork(nc));
  if (reads_log) {
    DEPIN_RETURN_IF_ERROR(
        ingest::CheckReportLogFormat(util::Env::Default(), a.dir, /*record=*/false));
  }
  const std::string db = a.dir + "/ledger.db";
  if (!create && !util::Env::Default()->FileExists(db))
    return util::Status::NotFound(db + ": no ledger");
  if (writes) {
    DEPIN_ASSIGN_OR_RETURN(o.ledger, ledger::Ledger::Open(db, o.params));
  } else {
    DEPIN_ASSIGN_OR_RETURN(o.ledger, ledger::Ledger::OpenReadOnly(db, o.params));
  }
  return o;
}

util::Status Explain(const RewardsArgs& a) {
  DEPIN_ASSIGN_OR_RETURN(auto lock,
                         node::LockDataDir(util::Env::Default(), a.dir, util::LockMode::kShared));
  DEPIN_ASSIGN_OR_RETURN(crypto::PublicKey device, crypto::PublicKey::FromBase58(a.device));
  DEPIN_ASSIGN_OR_RETURN(std::string text,
                         epoch::LoadManifestText(util::Env::Default(), a.dir, a.epoch));
  DEPIN_ASSIGN_OR_RETURN(rewards::Manifest m, rewards::ManifestFromJsonForDevice(text, device));
  std::fputs(rewards::ExplainDevice(m, device).c_str(), stdout);
  return util::Status::Ok();
}

util::Status Recompute(const RewardsArgs& a) {
  DEPIN_ASSIGN_OR_RETURN(Opened o, Open(a, /*create=*/false, /*writes=*/false, /*reads_log=*/true));
  DEPIN_ASSIGN_OR_RETURN(epoch::RecomputeResult r,
                         epoch::RecomputeEpoch(util::Env::Default(), a.dir, *o.ledger, o.config,
                                               a.epoch, a.verify_signatures));
  std::printf("epoch %llu: %llu records (%llu corrupt), %zu devices at ledger height %llu\n",
              static_cast<unsigned long long>(a.epoch),
              static_cast<unsigned long long>(r.stats.records),
              static_cast<unsigned long long>(r.stats.corrupt_records), r.devices,
              static_cast<unsigned long long>(r.height));
  std::printf("recomputed root %s, minted %llu\n", util::HexEncode(r.root).c_str(),
              static_cast<unsigned long long>(r.total_minted));
  if (!r.posted) {
    return util::Status::NotFound("epoch " + std::to_string(a.epoch) + " has no posted root");
  }
  std::printf("posted     root %s, minted %llu\n", util::HexEncode(r.posted->root).c_str(),
              static_cast<unsigned long long>(r.posted->total_minted));
  if (!r.matches()) {
    return util::Status::Corruption("epoch " + std::to_string(a.epoch) +
                                    ": the recomputed manifest differs from the posted root");
  }
  std::printf("ok: the posted root is reproduced\n");
  return util::Status::Ok();
}

util::Result<std::unique_ptr<epoch::EpochService>> DevService(const RewardsArgs& a, Opened& o) {
  util::Env* env = util::Env::Default();
  DEPIN_ASSIGN_OR_RETURN(crypto::KeyPair producer,
                         crypto::ReadKeyFile(env, a.dir + "/keys/producer.key"));
  DEPIN_ASSIGN_OR_RETURN(crypto::KeyPair oracle,
                         crypto::ReadKeyFile(env, a.dir + "/keys/reward-oracle.key"));
  epoch::EpochServiceOptions so;
  so.data_dir = a.dir;
  so.config = o.config;
  so.oracle = oracle;
  so.progress = [](epoch::EpochStep step, uint64_t epoch) {
    const std::string_view name = epoch::EpochStepName(step);
    std::printf("%.*s %llu\n", static_cast<int>(name.size()), name.data(),
                static_cast<unsigned long long>(epoch));
    std::fflush(stdout);
  };
  ledger::Ledger* l = o.ledger.get();
  return std::make_unique<epoch::EpochService>(
      std::move(so), l,
      epoch::MakeDirectSubmitter(l, producer, [env] { return env->NowUnixMillis(); }));
}

util::Status Close(const RewardsArgs& a) {
  DEPIN_ASSIGN_OR_RETURN(Opened o, Open(a, /*create=*/true, /*writes=*/true, /*reads_log=*/true));
  DEPIN_ASSIGN_OR_RETURN(auto svc, DevService(a, o));
  DEPIN_ASSIGN_OR_RETURN(epoch::CloseOutcome r, svc->Close(a.epoch));
  std::printf("epoch %llu closed: root %s, minted %llu%s\n",
              static_cast<unsigned long long>(r.epoch), util::HexEncode(r.root).c_str(),
              static_cast<unsigned long long>(r.total_minted),
              r.posted_now ? "" : " (already posted)");
  return util::Status::Ok();
}

util::Status Claim(const RewardsArgs& a) {
  DEPIN_ASSIGN_OR_RETURN(crypto::PublicKey device, crypto::PublicKey::FromBase58(a.device));
  DEPIN_ASSIGN_OR_RETURN(Opened o, Open(a, /*create=*/false, /*writes=*/true));
  DEPIN_ASSIGN_OR_RETURN(epoch::EpochLeaves leaves,
                         epoch::LoadEpochLeaves(util::Env::Default(), a.dir, a.epoch));
  rewards::Manifest m;
  m.epoch = a.epoch;
  m.leaves = std::move(leaves.leaves);
  DEPIN_ASSIGN_OR_RETURN(crypto::MerkleProof proof, rewards::RewardProof(m, device));
  uint64_t cumulative = 0;
  for (const auto& leaf : m.leaves) {
    if (leaf.key == device) cumulative = leaf.cumulative;
  }
  util::Env* env = util::Env::Default();
  DEPIN_ASSIGN_OR_RETURN(crypto::KeyPair producer,
                         crypto::ReadKeyFile(env, a.dir + "/keys/producer.key"));
  DEPIN_ASSIGN_OR_RETURN(crypto::KeyPair payer,
                         crypto::ReadKeyFile(env, a.dir + "/keys/reward-oracle.key"));
  ledger::Tx tx;
  tx.signer = payer.public_key();
  DEPIN_ASSIGN_OR_RETURN(const ledger::Account oracle, o.ledger->ReadAccount(tx.signer));
  tx.nonce = oracle.nonce;
  tx.fee = o.params.min_fee;
  tx.body = ledger::ClaimRewards{device, a.epoch, cumulative, proof};
  tx.network_id = o.params.chain_id;
  ledger::SignTx(&tx, payer);
  auto submit =
      epoch::MakeDirectSubmitter(o.ledger.get(), producer, [env] { return env->NowUnixMillis(); });
  DEPIN_ASSIGN_OR_RETURN(ledger::TxError e, submit(tx));
  if (e != ledger::TxError::kOk) {
    return util::Status::FailedPrecondition("claim_rewards rejected: " +
                                            std::string(ledger::TxErrorName(e)));
  }
  std::printf("claimed: cumulative %llu for %s (epoch %llu)\n",
              static_cast<unsigned long long>(cumulative), a.device.c_str(),
              static_cast<unsigned long long>(a.epoch));
  return util::Status::Ok();
}

}  // namespace

void RegisterRewardsCommands(CLI::App& app, Selected& selected) {
  CLI::App* group = app.add_subcommand("rewards", "Epoch reward manifests: explain, recompute");
  group->require_subcommand(1, 1);
  auto args = std::make_shared<RewardsArgs>();
  auto common = [&](CLI::App* c) {
    c->add_option("--dir", args->dir, "Data directory (default .)");
    c->add_option("--epoch", args->epoch, "Epoch number")->required();
  };
  CLI::App* ex = AddCommand(*group, selected, "explain", "How a device's reward was derived",
                            [args] { return [args] { return Explain(*args); }; });
  ex->add_option("device", args->device, "Device key (base58)")->required();
  common(ex);
  CLI::App* re = AddCommand(*group, selected, "recompute",
                            "Recompute an epoch from the log and check the posted root",
                            [args] { return [args] { return Recompute(*args); }; });
  re->add_flag("--verify-signatures", args->verify_signatures,
               "Also check every report's signature");
  common(re);
  CLI::App* cl = AddCommand(*group, selected, "close", "(dev) Close and post an epoch",
                            [args] { return [args] { return Close(*args); }; });
  common(cl);
  CLI::App* claim = AddCommand(*group, selected, "claim", "(dev) Claim a device's reward",
                               [args] { return [args] { return Claim(*args); }; });
  claim->add_option("device", args->device, "Device key (base58)")->required();
  common(claim);
}

}  // namespace depin::cli
