// The ledger's deterministic state machine: a pure function (state, block context, tx) -> state'.
//
// Apply() runs one transaction whose signatures have already been checked (CheckStateless does
// that, and the mempool runs it in parallel). A rejected transaction returns a specific TxError
// and leaves the state exactly as it was: it is applied in a private Overlay that is merged only
// on success. The block's height and timestamp are the machine's only notion of time. All
// arithmetic is checked u64 with u128 products; no floating point.
//
// Immutable after construction; Apply may be called from several threads on distinct states.
#pragma once

#include <cstdint>
#include <string_view>

#include "ledger/emission.h"
#include "ledger/params.h"
#include "ledger/state.h"
#include "ledger/tx.h"

namespace depin::ledger {
namespace internal {
class TxExec;
}

// Stable codes (their numbers and names appear in the API); never renumber.
enum class TxError : uint8_t {
  kOk = 0,
  kMalformed = 1,            // structure or limit violated (cosigners, name, proof depth, size)
  kBadSignature = 2,         // a signature or co-signature does not verify
  kBadNonce = 3,             // nonce is not the signer's next nonce
  kFeeTooLow = 4,            // fee below the network minimum
  kInsufficientBalance = 5,  // not enough tokens for amount + fee
  kInsufficientCredits = 6,  // not enough data credits (own or delegated)
  kZeroAmount = 7,           // amount (or the DC it would mint, or a price) is zero
  kOverflow = 8,             // a balance or total would exceed 2^64 - 1
  kUnauthorizedKey = 9,      // the signer may not do this (not governance/oracle/owner/delegate)
  kUnknownDevice = 10,
  kUnknownMaker = 11,
  kDeviceExists = 12,
  kMakerExists = 13,
  kMissingCosignature = 14,     // onboard_device lacks the maker's or the device's signature
  kStalePrice = 15,             // no fresh price from the authorized price oracles
  kOverEmissionAllowance = 16,  // reward root mints more than the schedule allows
  kEpochAlreadyPosted = 17,
  kEpochNotClosed = 18,  // reward root for the current or a future epoch
  kUnknownEpoch = 19,    // claim against an epoch without a root
  kBadProof = 20,        // Merkle proof does not match the epoch's root
  kNothingToClaim = 21,  // cumulative amount already claimed
  kInsufficientRewardPool = 22,
  kInsufficientStake = 23,
  kCooldownActive = 24,  // unbonding not released yet
  kNothingToWithdraw = 25,
  kQuorumNotMet = 26,          // slash by oracles without a quorum
  kInvalidCell = 27,           // not a valid S2 cell id
  kStateCorrupt = 28,          // a stored record failed to decode (store damage)
  kBelowMinCredits = 29,       // burn would mint fewer DC than the tx's min_credits
  kWrongNetwork = 30,          // a wire-format tx signed for another network id
  kRootNotPosted = 31,         // settle_usage for an epoch whose reward root is not posted
  kUsageAlreadySettled = 32,   // settle_usage repeated for an (epoch, chunk)
  kUnknownResourceClass = 33,  // onboard_device with a class the network does not define
};
std::string_view TxErrorName(TxError e);

struct BlockContext {
  uint64_t height = 0;
  int64_t timestamp_ms = 0;
};

class StateMachine {
 public:
  // `params` must pass ValidateLedgerParams.
  explicit StateMachine(LedgerParams params);

  const LedgerParams& params() const { return params_; }
  const EmissionSchedule& emission() const { return emission_; }

  // Writes the genesis state (allocations, globals) into an empty state.
  void WriteGenesis(Overlay* state) const;

  // Checks that need no state: limits, cosigner structure, then every signature (the expensive
  // part, ~50 us per signature). Thread-safe.
  TxError CheckStateless(const Tx& tx) const;

  // Applies `tx` on top of `state`. On kOk its writes are merged into `state`; otherwise `state`
  // is unchanged.
  TxError Apply(Overlay* state, const BlockContext& ctx, const Tx& tx) const;

  // The median of fresh price submissions (lower median for an even count), or 0 if none is
  // fresh at `now_ms`.
  uint64_t ConservativePrice(const StateReader& state, int64_t now_ms) const;

  // The Merkle leaf of a reward manifest entry, as wire format v1 defines it:
  // MerkleLeafHash("opendepin/reward-leaf/v1" 0x00 || device || u64 LE cumulative).
  static Hash256 RewardLeaf(const Address& device, uint64_t cumulative);

 private:
  TxError ApplyInScratch(internal::TxExec& x) const;

  LedgerParams params_;
  EmissionSchedule emission_;
};

}  // namespace depin::ledger
