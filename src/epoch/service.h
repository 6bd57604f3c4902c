// EpochService: runs the epoch close on a timer and makes it crash-safe and idempotent.
//
// Closing epoch e (docs/rewards.md, "Epoch close state machine"):
//   1. ENDED      now >= end of e. Epochs are closed in order: e's prior cumulative totals are
//                 e-1's leaves file, so e-1 must be complete first.
//   2. COMPUTED   snapshot of the ledger at e's boundary + the log's records of e -> manifest
//                 (CloseEpoch), written atomically as epoch-<e>.json then epoch-<e>.leaves.
//                 Skipped when the leaves file is already there (a restart after this point).
//   3. POSTED     post_reward_root(e, root, minted) signed by the reward-oracle key. The ledger
//                 accepts one root per epoch (epoch_already_posted), so a post repeated after a
//                 crash changes nothing; the service then checks the posted root equals its own.
//   4. SETTLED    the manifest's payer burns (epoch-<e>.burns, written before the leaves file)
//                 are debited on the ledger by settle_usage txs of kSettleChunk payers each,
//                 chunk i of epoch e applied once (usage_already_settled counts as done).
//   5. CLAIMED    (dev auto-claim only) claim_rewards for every device leaf not yet claimed.
// A crash anywhere resumes at the first incomplete step: recomputation from the same log and
// snapshot gives the identical manifest, so whatever was written or posted before still matches.
//
// The timer sleeps on options.env (util::Env::SleepForMicros), so a test with a
// util::SimulatedEnv decides when each poll happens; Stop() ends the sleep through a Wakeup.
//
// Thread-safety: Close and CatchUp must not run concurrently with each other (the timer thread
// started by Start() is the only caller while it runs); Start/Stop from the owning thread;
// last_error() from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include "crypto/ed25519.h"
#include "http/router.h"
#include "ledger/ledger.h"
#include "rewards/config.h"
#include "rewards/manifest.h"
#include "util/env.h"
#include "util/mutex.h"
#include "util/result.h"

namespace depin::epoch {

// Submits a transaction and waits until it is committed (kOk) or rejected (its TxError).
// Errors are failures to submit or to learn the outcome.
using SubmitFn = std::function<util::Result<ledger::TxError>(const ledger::Tx&)>;
// Submits transactions together (consecutive nonces of one signer) and waits for every outcome,
// in order.
using SubmitAllFn =
    std::function<util::Result<std::vector<ledger::TxError>>(const std::vector<ledger::Tx>&)>;

// For a single-producer dev network, tests and the CLI: applies the tx in a new block signed by
// `producer` at max(now_ms(), tip + 1).
SubmitFn MakeDirectSubmitter(ledger::Ledger* ledger, crypto::KeyPair producer,
                             std::function<int64_t()> now_ms);

// The steps of closing an epoch (above), reported to EpochServiceOptions::progress as each
// completes. Step 1 (ENDED) is a check, not a step that is reported.
enum class EpochStep { kComputed, kPosted, kSettled, kClaimed };
// "computed", "posted", "settled", "claimed": the word logged and printed for a step.
std::string_view EpochStepName(EpochStep step);

struct EpochServiceOptions {
  util::Env* env = util::Env::Default();
  std::string data_dir;  // log in <data_dir>/reports, manifests in <data_dir>/rewards
  rewards::RewardConfig config;
  std::optional<crypto::KeyPair> oracle;  // a reward-oracle key (required); pays auto-claims
  bool auto_claim = false;                // dev mode: claim every device's reward after posting
  // Optional: auto-claims go out in chunks of kClaimChunk through this (a few blocks for
  // thousands of devices) instead of one submit-and-wait each.
  SubmitAllFn submit_all;
  int64_t poll_ms = 1000;  // how often the timer looks for ended epochs (on env's clock)
  // The network's first rewarded epoch: CatchUp starts here and its prior cumulative totals are
  // empty. A node whose genesis time is far in the past (dev networks start at the Unix epoch)
  // sets it to the epoch of its first block, so it does not walk through empty epochs.
  uint64_t first_epoch = 0;
  std::function<int64_t()> now_ms;  // defaults to env->NowUnixMillis()
  // Called after each step (the node applies report retention once an epoch is computed; tests
  // and the CLI print EpochStepName, and the crash test kills the process on one of them).
  std::function<void(EpochStep step, uint64_t epoch)> progress;
};

struct CloseOutcome {
  uint64_t epoch = 0;
  crypto::Hash256 root{};
  uint64_t total_minted = 0;
  bool computed = false;    // this call computed the manifest (false: found on disk)
  bool posted_now = false;  // this call's post committed
  uint64_t settled = 0;     // settle_usage chunks committed
  uint64_t claims = 0;      // auto-claims committed
};

class EpochService {
 public:
  static constexpr size_t kClaimChunk = 500;  // below the mempool's per-account limit
  static constexpr size_t kSettleChunk = 50;  // payers per settle_usage (ledger::kMaxUsageDebits)

  EpochService(EpochServiceOptions options, const ledger::Ledger* ledger, SubmitFn submit);
  ~EpochService();
  EpochService(const EpochService&) = delete;
  EpochService& operator=(const EpochService&) = delete;

  // Brings epoch `epoch` to SETTLED (and CLAIMED with auto_claim). FailedPrecondition if it has
  // not ended or the previous epoch is not complete; Corruption if the ledger holds a different
  // root than the recomputed manifest.
  util::Result<CloseOutcome> Close(uint64_t epoch);
  // Closes every ended epoch that is not complete, oldest first.
  util::Result<std::vector<CloseOutcome>> CatchUp();

  // Runs CatchUp every poll_ms on a thread until Stop(). Errors are logged and retried.
  void Start();
  void Stop();
  util::Status last_error() const;

 private:
  bool Complete(uint64_t epoch) const;
  // The settle_usage bodies of `epoch` not yet applied on the ledger.
  util::Result<std::vector<ledger::SettleUsage>> PendingSettlements(uint64_t epoch) const;
  util::Result<uint64_t> Settle(uint64_t epoch);
  // Submits `bodies` signed by the oracle (through submit_all when set, in chunks of
  // kClaimChunk), and returns each outcome in order.
  util::Result<std::vector<ledger::TxError>> SubmitEach(std::vector<ledger::TxBody> bodies);
  util::Result<uint64_t> AutoClaim(uint64_t epoch, const std::vector<rewards::RewardLeaf>& leaves);
  util::Result<ledger::TxError> SubmitSigned(ledger::TxBody body);
  ledger::Tx Signed(ledger::TxBody body, uint64_t nonce) const;
  util::Status CheckClaim(uint64_t epoch, const ledger::Address& device, ledger::TxError e) const;
  void Progress(EpochStep step, uint64_t epoch) const;

  EpochServiceOptions options_;
  const ledger::Ledger* ledger_;
  SubmitFn submit_;
  uint64_t first_open_;  // every epoch below is complete (or before first_epoch)

  std::thread thread_;
  util::Wakeup stop_;  // ends the timer thread's sleep
  mutable util::Mutex mu_;
  util::Status last_error_ GUARDED_BY(mu_);
};

// Serves the manifest files under <data_dir>/rewards (epoch_routes.cc):
//   GET /v1/epochs/{epoch}/manifest       the canonical manifest JSON
//   GET /v1/epochs/{epoch}/devices/{key}  amount, cumulative, Merkle proof and explanation
// 404 when the epoch has no manifest, 400 for a malformed epoch or key.
void AddEpochRoutes(http::Router* router, util::Env* env, std::string data_dir);

}  // namespace depin::epoch
