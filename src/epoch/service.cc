#include "epoch/service.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "epoch/close.h"
#include "epoch/files.h"
#include "ledger/records.h"
#include "util/encoding.h"

namespace depin::epoch {

using util::Result;
using util::Status;

SubmitFn MakeDirectSubmitter(ledger::Ledger* ledger, crypto::KeyPair producer,
                             std::function<int64_t()> now_ms) {
  return [ledger, producer = std::move(producer),
          now_ms = std::move(now_ms)](const ledger::Tx& tx) -> Result<ledger::TxError> {
    if (!ledger::VerifyTxSignatures(tx)) return ledger::TxError::kBadSignature;
    const int64_t ts = std::max(now_ms(), ledger->tip_timestamp_ms() + 1);
    DEPIN_ASSIGN_OR_RETURN(ledger::ProducedBlock b, ledger->ProduceBlock({&tx}, ts, producer));
    return b.results.empty() ? ledger::TxError::kMalformed : b.results[0];
  };
}

EpochService::EpochService(EpochServiceOptions options, const ledger::Ledger* ledger,
                           SubmitFn submit)
    : options_(std::move(options)),
      ledger_(ledger),
      submit_(std::move(submit)),
      first_open_(options_.first_epoch) {
  if (!options_.now_ms) {
    util::Env* env = options_.env;
    options_.now_ms = [env] { return env->NowUnixMillis(); };
  }
}

std::string_view EpochStepName(EpochStep step) {
  switch (step) {
    case EpochStep::kComputed:
      return "computed";
    case EpochStep::kPosted:
      return "posted";
    case EpochStep::kSettled:
      return "settled";
    case EpochStep::kClaimed:
      return "claimed";
  }
  return "unknown";
}

EpochService::~EpochService() { Stop(); }

void EpochService::Progress(EpochStep step, uint64_t epoch) const {
  spdlog::info("epoch {}: {}", epoch, EpochStepName(step));
  if (options_.progress) options_.progress(step, epoch);
}

ledger::Tx EpochService::Signed(ledger::TxBody body, uint64_t nonce) const {
  ledger::Tx tx;
  tx.signer = options_.oracle->public_key();
  tx.nonce = nonce;
  tx.fee = ledger_->machine().params().min_fee;
  tx.body = std::move(body);
  tx.network_id = ledger_->machine().params().chain_id;
  ledger::SignTx(&tx, *options_.oracle);
  return tx;
}

Result<ledger::TxError> EpochService::SubmitSigned(ledger::TxBody body) {
  if (!options_.oracle) return Status::FailedPrecondition("epoch service: no reward-oracle key");
  DEPIN_ASSIGN_OR_RETURN(const ledger::Account oracle,
                         ledger_->ReadAccount(options_.oracle->public_key()));
  return submit_(Signed(std::move(body), oracle.nonce));
}
bool EpochService::Complete(uint64_t epoch) const {
  // A store error counts as incomplete: Close then reads again and reports it.
  Result<std::optional<util::Bytes>> root = ledger_->ReadState(ledger::keys::RewardRoot(epoch));
  if (!root.ok() || !root->has_value() ||
      !options_.env->FileExists(LeavesPath(options_.data_dir, epoch))) {
    return false;
  }
  Result<std::vector<ledger::SettleUsage>> pending = PendingSettlements(epoch);
  return pending.ok() && pending->empty();  // an error is reported by Close
}

Result<std::vector<ledger::SettleUsage>> EpochService::PendingSettlements(uint64_t epoch) const {
  DEPIN_ASSIGN_OR_RETURN(std::vector<verify::PayerBurn> burns,
                         LoadPayerBurns(options_.env, options_.data_dir, epoch));
  std::erase_if(burns, [](const verify::PayerBurn& b) { return b.dc_burned == 0; });
  std::vector<ledger::SettleUsage> pending;
  for (size_t from = 0; from < burns.size(); from += kSettleChunk) {
    const auto chunk = static_cast<uint32_t>(from / kSettleChunk);
    DEPIN_ASSIGN_OR_RETURN(std::optional<util::Bytes> settled,
                           ledger_->ReadState(ledger::keys::UsageSettlement(epoch, chunk)));
    if (settled) continue;
    ledger::SettleUsage s{epoch, chunk, {}};
    for (size_t i = from; i < std::min(burns.size(), from + kSettleChunk); ++i) {
      s.debits.push_back({burns[i].payer, burns[i].dc_burned});
    }
    pending.push_back(std::move(s));
  }
  return pending;
}

Result<std::vector<ledger::TxError>> EpochService::SubmitEach(std::vector<ledger::TxBody> bodies) {
  if (!options_.oracle) return Status::FailedPrecondition("epoch service: no reward-oracle key");
  std::vector<ledger::TxError> results;
  if (!options_.submit_all) {
    for (ledger::TxBody& b : bodies) {
      DEPIN_ASSIGN_OR_RETURN(ledger::TxError e, SubmitSigned(std::move(b)));
      results.push_back(e);
    }
    return results;
  }
  for (size_t from = 0; from < bodies.size(); from += kClaimChunk) {
    DEPIN_ASSIGN_OR_RETURN(const ledger::Account oracle,
                           ledger_->ReadAccount(options_.oracle->public_key()));
    uint64_t nonce = oracle.nonce;
    std::vector<ledger::Tx> txs;
    for (size_t i = from; i < std::min(bodies.size(), from + kClaimChunk); ++i) {
      txs.push_back(Signed(std::move(bodies[i]), nonce++));
    }
    DEPIN_ASSIGN_OR_RETURN(std::vector<ledger::TxError> r, options_.submit_all(txs));
    results.insert(results.end(), r.begin(), r.end());
  }
  return results;
}

Result<uint64_t> EpochService::Settle(uint64_t epoch) {
  DEPIN_ASSIGN_OR_RETURN(std::vector<ledger::SettleUsage> pending, PendingSettlements(epoch));
  if (pending.empty()) return 0;
  std::vector<ledger::TxBody> bodies(pending.begin(), pending.end());
  DEPIN_ASSIGN_OR_RETURN(std::vector<ledger::TxError> results, SubmitEach(std::move(bodies)));
  uint64_t committed = 0;
  for (size_t i = 0; i < results.size() && i < pending.size(); ++i) {
    const ledger::TxError e = results[i];
    // usage_already_settled: an earlier run (or another oracle) applied this chunk.
    if (e == ledger::TxError::kOk || e == ledger::TxError::kUsageAlreadySettled) {
      committed += e == ledger::TxError::kOk;
      continue;
    }
    return Status::FailedPrecondition("epoch " + std::to_string(epoch) + ": settle_usage chunk " +
                                      std::to_string(pending[i].chunk) +
                                      " rejected: " + std::string(ledger::TxErrorName(e)));
  }
  if (results.size() != pending.size()) {
    return Status::Internal("epoch " + std::to_string(epoch) + ": " +
                            std::to_string(results.size()) + " outcomes for " +
                            std::to_string(pending.size()) + " settle_usage txs");
  }
  Progress(EpochStep::kSettled, epoch);
  return committed;
}

Result<CloseOutcome> EpochService::Close(uint64_t epoch) {
  const ledger::StateMachine& machine = ledger_->machine();
  const verify::EpochWindow window = EpochWindowOf(machine.params(), epoch);
  const std::string where = "epoch " + std::to_string(epoch);
  if (static_cast<uint64_t>(std::max<int64_t>(options_.now_ms(), 0)) < window.end_ms) {
    return Status::FailedPrecondition(where + " has not ended");
  }
  CloseOutcome out;
  out.epoch = epoch;
  std::optional<ledger::RewardRoot> posted;
  DEPIN_ASSIGN_OR_RETURN(std::optional<util::Bytes> posted_raw,
                         ledger_->ReadState(ledger::keys::RewardRoot(epoch)));
  if (posted_raw) {
    DEPIN_ASSIGN_OR_RETURN(posted, ledger::DecodeRewardRoot(*posted_raw));
  }

  // Step 2: the manifest, from disk when an earlier run wrote it.
  Result<EpochLeaves> leaves = LoadEpochLeaves(options_.env, options_.data_dir, epoch);
  if (!leaves.ok() && leaves.status().code() != util::Code::kNotFound) return leaves.status();
  if (!leaves.ok()) {
    std::vector<rewards::RewardLeaf> prior;
    verify::SpeedtestHistory prior_speedtests;
    if (epoch < options_.first_epoch) {
      return Status::FailedPrecondition(where + " is before the first rewarded epoch " +
                                        std::to_string(options_.first_epoch));
    }
    if (epoch > options_.first_epoch) {
      Result<EpochLeaves> previous = LoadEpochLeaves(options_.env, options_.data_dir, epoch - 1);
      if (!previous.ok()) {
        return Status::FailedPrecondition(
            where + ": the previous epoch is not closed: " + previous.status().ToString());
      }
      prior = std::move(previous->leaves);
      DEPIN_ASSIGN_OR_RETURN(prior_speedtests,
                             LoadSpeedtestHistory(options_.env, options_.data_dir, epoch - 1));
    }
    DEPIN_ASSIGN_OR_RETURN(EpochSnapshot snap, SnapshotAtEpochEnd(*ledger_, window.end_ms));
    CloseInputs in;
    in.env = options_.env;
    in.data_dir = options_.data_dir;
    in.window = window;
    in.config = options_.config;
    in.snapshot = &snap;
    in.emission = EpochEmission(machine, epoch, snap);
    in.prior = std::move(prior);
    in.prior_speedtests = std::move(prior_speedtests);
    in.network_id = machine.params().chain_id;
    CloseStats stats;
    verify::SpeedtestHistory speedtests;
    Result<rewards::Manifest> manifest = CloseEpoch(in, &stats, &speedtests);
    if (!manifest.ok()) return manifest.status().WithContext(where);
    spdlog::info("{}: {} records ({} corrupt) against {} devices at height {}, root {}", where,
                 stats.records, stats.corrupt_records, snap.devices.size(), snap.height,
                 util::HexEncode(manifest->root));
    // The leaves file marks the epoch complete, so the history and the burns are written first.
    DEPIN_RETURN_IF_ERROR(
        WriteSpeedtestHistory(options_.env, options_.data_dir, epoch, speedtests));
    DEPIN_RETURN_IF_ERROR(
        WritePayerBurns(options_.env, options_.data_dir, epoch, manifest->payer_burns));
    DEPIN_RETURN_IF_ERROR(WriteEpochFiles(options_.env, options_.data_dir, *manifest));
    out.computed = true;
    leaves = EpochLeaves{std::move(manifest->leaves), manifest->root, TotalMinted(*manifest)};
    Progress(EpochStep::kComputed, epoch);
  }
  out.root = leaves->root;
  out.total_minted = leaves->total_minted;

  // Step 3: post, unless the ledger already holds a root for the epoch.
  if (!posted) {
    DEPIN_ASSIGN_OR_RETURN(ledger::TxError e,
                           SubmitSigned(ledger::PostRewardRoot{epoch, out.root, out.total_minted}));
    if (e == ledger::TxError::kOk) {
      out.posted_now = true;
    } else if (e != ledger::TxError::kEpochAlreadyPosted) {
      return Status::FailedPrecondition(
          where + ": post_reward_root rejected: " + std::string(ledger::TxErrorName(e)));
    }
    DEPIN_ASSIGN_OR_RETURN(std::optional<util::Bytes> raw,
                           ledger_->ReadState(ledger::keys::RewardRoot(epoch)));
    if (!raw) return Status::Internal(where + ": root not in the ledger after posting");
    DEPIN_ASSIGN_OR_RETURN(posted, ledger::DecodeRewardRoot(*raw));
    Progress(EpochStep::kPosted, epoch);
  }
  if (posted->root != out.root) {
    return Status::Corruption(where + ": the ledger holds root " + util::HexEncode(posted->root) +
                              " but the manifest's root is " + util::HexEncode(out.root));
  }
  // Step 4: debit the payers' DC burned on paid usage.
  DEPIN_ASSIGN_OR_RETURN(out.settled, Settle(epoch));
  if (options_.auto_claim) {
    DEPIN_ASSIGN_OR_RETURN(out.claims, AutoClaim(epoch, leaves->leaves));
    Progress(EpochStep::kClaimed, epoch);
  }
  return out;
}

Status EpochService::CheckClaim(uint64_t epoch, const ledger::Address& device,
                                ledger::TxError e) const {
  if (e == ledger::TxError::kOk || e == ledger::TxError::kNothingToClaim) return Status::Ok();
  return Status::FailedPrecondition("epoch " + std::to_string(epoch) + ": claim for " +
                                    device.ToBase58() +
                                    " rejected: " + std::string(ledger::TxErrorName(e)));
}

Result<uint64_t> EpochService::AutoClaim(uint64_t epoch,
                                         const std::vector<rewards::RewardLeaf>& leaves) {
  if (!options_.oracle) return Status::FailedPrecondition("epoch service: no reward-oracle key");
  const crypto::MerkleTree tree(rewards::RewardLeafHashes(leaves));  // one tree, every proof
  std::vector<ledger::ClaimRewards> claims;
  for (size_t i = 0; i < leaves.size(); ++i) {
    const rewards::RewardLeaf& leaf = leaves[i];
    DEPIN_ASSIGN_OR_RETURN(std::optional<ledger::Device> device, ledger_->ReadDevice(leaf.key));
    if (!device) continue;  // recipients are paid by their own pools
    uint64_t claimed = 0;
    DEPIN_ASSIGN_OR_RETURN(std::optional<util::Bytes> raw,
                           ledger_->ReadState(ledger::keys::Claimed(leaf.key)));
    if (raw) {
      DEPIN_ASSIGN_OR_RETURN(claimed, ledger::DecodeU64(*raw));
    }
    if (leaf.cumulative <= claimed) continue;
    DEPIN_ASSIGN_OR_RETURN(crypto::MerkleProof proof, tree.Proof(i));
    claims.push_back({leaf.key, epoch, leaf.cumulative, std::move(proof)});
  }
  uint64_t committed = 0;
  if (!options_.submit_all) {
    for (ledger::ClaimRewards& c : claims) {
      const ledger::Address device = c.device;
      DEPIN_ASSIGN_OR_RETURN(ledger::TxError e, SubmitSigned(std::move(c)));
      DEPIN_RETURN_IF_ERROR(CheckClaim(epoch, device, e));
      committed += e == ledger::TxError::kOk;
    }
    return committed;
  }
  for (size_t from = 0; from < claims.size(); from += kClaimChunk) {
    const size_t to = std::min(claims.size(), from + kClaimChunk);
    DEPIN_ASSIGN_OR_RETURN(const ledger::Account oracle,
                           ledger_->ReadAccount(options_.oracle->public_key()));
    uint64_t nonce = oracle.nonce;
    std::vector<ledger::Tx> txs;
    for (size_t i = from; i < to; ++i) txs.push_back(Signed(claims[i], nonce++));
    DEPIN_ASSIGN_OR_RETURN(std::vector<ledger::TxError> results, options_.submit_all(txs));
    for (size_t i = 0; i < results.size(); ++i) {
      DEPIN_RETURN_IF_ERROR(CheckClaim(epoch, claims[from + i].device, results[i]));
      committed += results[i] == ledger::TxError::kOk;
    }
  }
  return committed;
}

Result<std::vector<CloseOutcome>> EpochService::CatchUp() {
  const ledger::LedgerParams& p = ledger_->machine().params();
  const uint64_t current = ledger::EpochOf(p, options_.now_ms());
  std::vector<CloseOutcome> done;
  for (uint64_t e = first_open_; e < current; ++e) {
    if (Complete(e) && !options_.auto_claim) {
      first_open_ = e + 1;
      continue;
    }
    DEPIN_ASSIGN_OR_RETURN(CloseOutcome o, Close(e));
    if (o.computed || o.posted_now || o.settled > 0 || o.claims > 0) done.push_back(o);
    first_open_ = e + 1;
  }
  return done;
}

void EpochService::Start() {
  thread_ = std::thread([this] {
    const auto poll_micros = static_cast<uint64_t>(std::max<int64_t>(options_.poll_ms, 1)) * 1000;
    while (!stop_.notified()) {
      Result<std::vector<CloseOutcome>> r = CatchUp();
      if (!r.ok()) spdlog::error("epoch close: {}", r.status().ToString());
      {
        util::MutexLock lock(mu_);
        last_error_ = r.status();
      }
      options_.env->SleepForMicros(poll_micros, &stop_);
    }
  });
}

void EpochService::Stop() {
  stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

Status EpochService::last_error() const {
  util::MutexLock lock(mu_);
  return last_error_;
}

}  // namespace depin::epoch
