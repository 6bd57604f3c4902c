// Onboarding: the ledger side of bringing devices online, as a restartable state machine:
//
//   fund owner  ->  [price]  ->  burn tokens for DC  ->  onboard_device (maker + device co-sign)
//               ->  assert_location  ->  done
//
// Every Step() first reads what the ledger already has (the owner's balance and credits, each
// device's record), so a step interrupted by a crash, a node restart or a rejected transaction is
// simply re-planned from the ledger: nothing is done twice and nothing is skipped. The owner's
// transactions of one step are submitted back to back with consecutive nonces (a burn, then every
// onboarding, then every location assertion) and the step waits only for the last one: same-signer
// transactions commit in nonce order, so the last committed means all committed.
//
// Thread-safety: NonceSigner is thread-safe (several operators may share a funder). An Onboarding
// is driven by one thread at a time.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "crypto/ed25519.h"
#include "fleet/node_api.h"
#include "ledger/tx.h"
#include "util/mutex.h"
#include "util/result.h"

namespace depin::fleet {

// A key whose nonces are counted locally after one read from the node, so a funder shared by many
// operators can have many transactions in flight. Thread-safe.
class NonceSigner {
 public:
  explicit NonceSigner(crypto::KeyPair key) : key_(std::move(key)) {}
  const crypto::KeyPair& key() const { return key_; }
  const ledger::Address& address() const { return key_.public_key(); }
  // The next nonce to use: the node's account nonce the first time (or after Reset), then +1.
  util::Result<uint64_t> Take(NodeApi& api);
  // Forget the local count (after a rejection or a timeout): the next Take asks the node.
  void Reset();

 private:
  crypto::KeyPair key_;
  util::Mutex mu_;
  std::optional<uint64_t> next_ GUARDED_BY(mu_);
};

// The network's economics the agent needs to plan its burns (network.toml [fees], [credits]).
struct Economics {
  uint64_t onboard_fee_dc = 4'000'000;
  uint64_t location_fee_dc = 1'000'000;
  bool first_location_free = true;
  uint32_t token_decimals = 6;
  uint64_t usd_nanos_per_dc = 10'000;
  uint64_t price_usd_e8 = 100'000'000;  // what our price oracle submits: $1 per token
};

// Tokens (base units) that burn into at least `dc` data credits at e.price_usd_e8 (the ledger's
// formula, docs/ledger.md, rounded up).
uint64_t TokensForCredits(const Economics& e, uint64_t dc);

struct ManagedDevice {
  explicit ManagedDevice(crypto::KeyPair k) : key(std::move(k)) {}
  crypto::KeyPair key;
  uint64_t cell = 0;  // the S2 cell to assert
  uint32_t resource_class = 0;
};

// Transaction bodies with their optional fields left at their defaults (signer = owner =
// recipient).
ledger::BurnForCredits Burn(uint64_t tokens);
ledger::OnboardDevice Onboard(const ManagedDevice& device, const ledger::Address& maker);

struct OnboardingKeys {
  NonceSigner* owner = nullptr;            // signs onboarding and assertions; pays the DC
  const crypto::KeyPair* maker = nullptr;  // co-signs onboarding
  NonceSigner* funder = nullptr;           // optional: transfers tokens to a short owner
  NonceSigner* price_oracle = nullptr;     // optional: submits a fresh price before a burn
};

enum class Stage : uint8_t { kFund, kBurn, kOnboard, kDone };
std::string_view StageName(Stage stage);

struct OnboardingOptions {
  int64_t commit_timeout_ms = 30'000;  // a step waits this long for its last tx
  int64_t poll_ms = 20;
  const std::atomic<bool>* stop = nullptr;  // aborts waits (Unavailable "stopping")
};

class Onboarding {
 public:
  Onboarding(OnboardingKeys keys, std::vector<const ManagedDevice*> devices, Economics economics,
             OnboardingOptions options);

  // One pass, as described above. Returns the stage reached (kDone when every device is onboarded
  // by this owner and has its cell asserted). Errors are worth retrying after a backoff
  // (Unavailable: node down or tx rejected; FailedPrecondition: the owner lacks tokens and there
  // is no funder; AlreadyExists: a device belongs to another owner).
  util::Result<Stage> Step(NodeApi& api);
  Stage stage() const { return stage_; }
  size_t onboarded() const { return onboarded_; }  // as of the last Step

 private:
  struct Plan {
    std::vector<const ManagedDevice*> onboard, assert_location;
    uint64_t dc_needed = 0;
  };
  util::Result<Plan> Read(NodeApi& api);
  util::Result<Stage> Fund(NodeApi& api, uint64_t tokens);
  util::Status SubmitPrice(NodeApi& api);
  util::Result<Stage> RunChain(NodeApi& api, const Plan& plan, uint64_t burn_tokens);
  // Submits `tx` signed by `signer` with its next nonce; Unavailable naming the error if refused.
  util::Result<crypto::Hash256> Submit(NodeApi& api, NonceSigner* signer, ledger::TxBody body,
                                       const std::vector<const crypto::KeyPair*>& cosigners);
  // Polls until `id` commits; Unavailable naming the tx error or the timeout otherwise.
  util::Status WaitCommitted(NodeApi& api, const crypto::Hash256& id, std::string* tx_error);

  OnboardingKeys keys_;
  std::vector<const ManagedDevice*> devices_;
  Economics economics_;
  OnboardingOptions options_;
  Stage stage_ = Stage::kFund;
  size_t onboarded_ = 0;
};

}  // namespace depin::fleet
