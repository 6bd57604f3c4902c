// Node's epoch service: closes every ended epoch on a timer (epoch_service.h), posting each
// reward root through the node's own mempool and block producer (commit_waiter.h), and in dev
// mode claims every device's reward for its owner.
//
// The first rewarded epoch is the epoch of block 1 — a property of the chain, so it is the same
// after every restart. A fresh network has no block yet; the service then starts when the first
// block commits (MaybeStartEpochs from the producer's on_commit).
//
// An epoch is closed only `CloseDelayMs` after it ends, so a block or report stamped just before
// the boundary is durable before the close reads the ledger and the log.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "crypto/key_file.h"
#include "node/epoch_config.h"
#include "node/node.h"

namespace depin::node {

int64_t CloseDelayMs(int64_t epoch_length_ms) {
  return std::clamp<int64_t>(epoch_length_ms / 10, 1'000, 60'000);
}

util::Status Node::PrepareEpochs() {
  util::Env* env = options_.env;
  DEPIN_ASSIGN_OR_RETURN(rewards::RewardConfig reward_config, RewardConfigFromNetwork(config_));
  const std::string key_path = util::JoinPath(options_.data_dir, "keys/reward-oracle.key");
  util::Result<crypto::KeyPair> oracle = crypto::ReadKeyFile(env, key_path);
  if (!oracle.ok()) return oracle.status().WithContext("epochs: reward-oracle key");
  const std::string address = oracle->public_key().ToBase58();
  if (std::find(config_.keys.reward_oracles.begin(), config_.keys.reward_oracles.end(), address) ==
      config_.keys.reward_oracles.end()) {
    return util::Status::FailedPrecondition(key_path + ": its public key " + address +
                                            " is not one of keys.reward_oracles");
  }
  EpochServiceOptions o;
  o.env = env;
  o.data_dir = options_.data_dir;
  o.config = std::move(reward_config);
  o.oracle = std::move(oracle).value();
  o.auto_claim = options_.dev;
  o.poll_ms =
      std::clamp<int64_t>(static_cast<int64_t>(config_.epoch.length_seconds) * 100, 250, 5'000);
  const int64_t delay = CloseDelayMs(static_cast<int64_t>(config_.epoch.length_seconds) * 1000);
  o.now_ms = [env, delay] { return env->NowUnixMillis() - delay; };
  o.progress = [](std::string_view step, uint64_t epoch) {
    spdlog::info("epochs: epoch {} {}", epoch, step);
  };
  {
    std::lock_guard<std::mutex> lock(epochs_mu_);
    epoch_options_ = std::move(o);
  }
  MaybeStartEpochs();
  return util::Status::Ok();
}

void Node::MaybeStartEpochs() {
  std::lock_guard<std::mutex> lock(epochs_mu_);
  if (epochs_ || !epoch_options_ || stopping_epochs_) return;
  util::Result<std::optional<ledger::Block>> first = ledger_->GetBlock(1);
  if (!first.ok()) {
    spdlog::error("epochs: reading block 1: {}", first.status().ToString());
    return;
  }
  if (!first->has_value()) return;  // no block yet: started by the first commit
  EpochServiceOptions o = *epoch_options_;
  o.first_epoch = ledger::EpochOf(ledger_->machine().params(), (*first)->header.timestamp_ms);
  spdlog::info("epochs: rewarding from epoch {}{}", o.first_epoch,
               o.auto_claim ? " (dev: auto-claim)" : "");
  CommitWaiter* waiter = waiter_.get();
  o.submit_all = [waiter](const std::vector<ledger::Tx>& txs) {
    return waiter->SubmitAllAndWait(txs);
  };
  epochs_ = std::make_unique<EpochService>(
      std::move(o), ledger_.get(),
      [waiter](const ledger::Tx& tx) { return waiter->SubmitAndWait(tx); });
  epochs_->Start();
  epochs_started_ = true;
}

void Node::StopEpochs() {
  std::unique_ptr<EpochService> epochs;
  {
    std::lock_guard<std::mutex> lock(epochs_mu_);
    stopping_epochs_ = true;
    epochs = std::move(epochs_);
  }
  if (waiter_) waiter_->Shutdown();  // a close waiting for a commit gives up now
  if (epochs) epochs->Stop();
}

}  // namespace depin::node
