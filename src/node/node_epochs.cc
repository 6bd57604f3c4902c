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

#include "config/epoch_config.h"
#include "crypto/key_file.h"
#include "node/node.h"

namespace depin::node {

int64_t CloseDelayMs(int64_t epoch_length_ms) {
  return std::clamp<int64_t>(epoch_length_ms / 10, 1'000, 60'000);
}

util::Status Node::PrepareEpochs() {
  util::Env* env = options_.env;
  DEPIN_ASSIGN_OR_RETURN(rewards::RewardConfig reward_config,
                         config::RewardConfigFromNetwork(config_));
  const std::string key_path = util::JoinPath(options_.data_dir, "keys/reward-oracle.key");
  util::Result<crypto::KeyPair> oracle = crypto::ReadKeyFile(env, key_path);
  if (!oracle.ok()) return oracle.status().WithContext("epochs: reward-oracle key");
  const std::string address = oracle->public_key().ToBase58();
  if (std::find(config_.keys.reward_oracles.begin(), config_.keys.reward_oracles.end(), address) ==
      config_.keys.reward_oracles.end()) {
    return util::Status::FailedPrecondition(key_path + ": its public key " + address +
                                            " is not one of keys.reward_oracles");
  }
  epoch::EpochServiceOptions o;
  o.env = env;
  o.data_dir = options_.data_dir;
  o.config = std::move(reward_config);
  o.oracle = std::move(oracle).value();
  o.auto_claim = options_.dev;
  o.poll_ms =
      std::clamp<int64_t>(static_cast<int64_t>(config_.epoch.length_seconds) * 100, 250, 5'000);
  const int64_t delay = CloseDelayMs(static_cast<int64_t>(config_.epoch.length_seconds) * 1000);
  o.now_ms = [env, delay] { return env->NowUnixMillis() - delay; };
  o.progress = [this](epoch::EpochStep step, uint64_t epoch) {
    // EpochService logs each step once; this only reacts to it.
    if (step == epoch::EpochStep::kComputed) ApplyReportRetention(epoch);
  };
  {
    util::MutexLock lock(epochs_mu_);
    epoch_options_ = std::move(o);
  }
  MaybeStartEpochs();
  return util::Status::Ok();
}

util::Status Node::StartEntropy() {
  DEPIN_ASSIGN_OR_RETURN(rewards::RewardConfig reward_config,
                         config::RewardConfigFromNetwork(config_));
  if (!verify::SetupRuns(reward_config.verifiers, verify::VerifierId::kCoverage)) {
    return util::Status::Ok();
  }
  epoch::EntropyServiceOptions o;
  o.env = options_.env;
  o.data_dir = options_.data_dir;
  o.network_id = config_.network.id;
  o.genesis_ms = static_cast<uint64_t>(std::max<int64_t>(0, config_.network.genesis_time_ms));
  o.cadence_ms = config_.proofs.entropy_cadence_seconds * 1000;
  const ledger::Ledger* ledger = ledger_.get();
  o.tip = [ledger] { return epoch::LedgerTip{ledger->height(), ledger->tip_hash()}; };
  util::Result<std::unique_ptr<epoch::EntropyService>> service =
      epoch::EntropyService::Open(std::move(o));
  if (!service.ok()) return service.status().WithContext("poc entropy");
  entropy_ = std::move(service).value();
  // The current period at once, so hotspots can beacon as soon as the node serves.
  DEPIN_RETURN_IF_ERROR(entropy_->PublishDue().WithContext("poc entropy"));
  entropy_->Start();
  return util::Status::Ok();
}

void Node::MaybeStartEpochs() {
  util::MutexLock lock(epochs_mu_);
  if (epochs_ || !epoch_options_ || stopping_epochs_) return;
  util::Result<std::optional<ledger::Block>> first = ledger_->GetBlock(1);
  if (!first.ok()) {
    spdlog::error("epochs: reading block 1: {}", first.status().ToString());
    return;
  }
  if (!first->has_value()) return;  // no block yet: started by the first commit
  epoch::EpochServiceOptions o = *epoch_options_;
  o.first_epoch = ledger::EpochOf(ledger_->machine().params(), (*first)->header.timestamp_ms);
  spdlog::info("epochs: rewarding from epoch {}{}", o.first_epoch,
               o.auto_claim ? " (dev: auto-claim)" : "");
  epoch::CommitWaiter* waiter = waiter_.get();
  o.submit_all = [waiter](const std::vector<ledger::Tx>& txs) {
    return waiter->SubmitAllAndWait(txs);
  };
  epochs_ = std::make_unique<epoch::EpochService>(
      std::move(o), ledger_.get(),
      [waiter](const ledger::Tx& tx) { return waiter->SubmitAndWait(tx); });
  epochs_->Start();
  epochs_started_ = true;
}

uint64_t ReportDropFloor(uint64_t computed_epoch, uint64_t retain_epochs,
                         uint64_t oldest_live_epoch) {
  if (retain_epochs == 0 || computed_epoch + 1 <= retain_epochs) return 0;
  const uint64_t keep_closed_from = computed_epoch + 1 - retain_epochs;
  const uint64_t keep_live_from = oldest_live_epoch > 0 ? oldest_live_epoch - 1 : 0;
  return std::min(keep_closed_from, keep_live_from);
}

void Node::ApplyReportRetention(uint64_t computed_epoch) {
  const config::IngestSection& in = config_.ingest;
  if (in.retain_epochs == 0) return;
  // Keep every epoch a live report or a still-valid usage receipt may sit in: ingest rebuilds its
  // duplicate checks from them and the next close looks back for spent receipts.
  const uint64_t window_ms = (std::max(in.max_report_age_seconds, in.receipt_max_age_seconds) +
                              in.max_clock_skew_seconds) *
                             1000;
  const auto now = static_cast<uint64_t>(options_.env->NowUnixMillis());
  const uint64_t oldest_live = ingest_->pipeline().EpochOf(now > window_ms ? now - window_ms : 0);
  const uint64_t drop_before = ReportDropFloor(computed_epoch, in.retain_epochs, oldest_live);
  if (drop_before == 0) return;
  util::Status st = ingest_->log().DropEpochsBefore(drop_before);
  if (!st.ok()) {
    spdlog::warn("ingest: dropping reports before epoch {}: {}", drop_before, st.ToString());
  }
}

void Node::StopEpochs() {
  std::unique_ptr<epoch::EpochService> epochs;
  {
    util::MutexLock lock(epochs_mu_);
    stopping_epochs_ = true;
    epochs = std::move(epochs_);
  }
  if (waiter_) waiter_->Shutdown();  // a close waiting for a commit gives up now
  if (epochs) epochs->Stop();
}

}  // namespace depin::node
