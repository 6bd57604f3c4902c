// Paid-usage verifier: data-transfer receipts co-signed by a payer (router/customer) key that
// holds delegated data credits. Each valid receipt burns its DC from the payer's balance, in log
// order; a receipt the remaining balance cannot cover is rejected whole (insufficient_dc). The
// device's usage is its DC-backed bytes: min(bytes, dc x bytes_per_dc) per receipt. DC paid by a
// payer whose delegating owner also owns the device is recorded as self_paid_dc (wash trading);
// the reward engine's usage cap keeps such self-dealing unprofitable either way. Each receipt's
// DC also carry their cost basis (the tokens burned for them: PayerInfo::lots, taken in the order
// settle_usage debits them), summed per device as dc_basis, which is what that cap is based on.
//
// A receipt is paid at most once, ever (docs/rewards.md section 1.4). Before anything else a
// receipt's own time is checked: received more than receipt_max_age_ms after the payer signed it
// is stale_receipt; signed after the report that carries it (beyond max_clock_skew_ms) is
// receipt_time. Then its (payer, session, sequence) is claimed: a key that appeared in an earlier
// epoch's log inside the validity window (`prior`, gathered by the epoch close) or earlier in this
// epoch's log order is duplicate_receipt. Ingest refuses the same duplicates at the door; this
// check is what makes it hold when two copies slip past ingest (a restart, a log copied from
// elsewhere, two copies in one request).
// Thread-safety: none; driven by one EpochVerifier.
#pragma once

#include <memory>
#include <unordered_set>
#include <vector>

#include "util/result.h"
#include "verify/params.h"
#include "verify/verifier.h"

namespace depin::verify {

class UsageVerifier final : public Verifier {
 public:
  // `payers` in any order; InvalidArgument if a payer key appears twice. `prior`: receipt keys
  // that appeared in earlier epochs' logs (any order, duplicates allowed).
  static util::Result<std::unique_ptr<UsageVerifier>> Create(
      const VerifyParams& params, std::vector<PayerInfo> payers,
      const std::vector<ReceiptKey>& prior = {});

  std::string_view name() const override { return "usage"; }
  std::vector<ReportKind> kinds() const override { return {ReportKind::kDataTransfer}; }
  std::optional<InvalidReason> Observe(const ReportView& report, const DeviceInfo& device,
                                       DeviceWork& work) override;
  // Writes each payer's total burn to epoch.payer_burns.
  void Finish(EpochWork& epoch) override;

 private:
  UsageVerifier(const VerifyParams& params, std::vector<PayerInfo> payers);
  struct Payer {
    PayerInfo info;
    uint64_t burned = 0;
    size_t lot = 0;          // the lot the next DC are taken from
    uint64_t lot_taken = 0;  // DC already taken from it
    // Takes `dc` more DC from the lots in order; returns their cost basis.
    uint64_t TakeBasis(uint64_t dc);
  };
  struct ReceiptKeyHash {
    size_t operator()(const ReceiptKey& k) const;
  };
  VerifyParams params_;
  std::vector<Payer> payers_;  // sorted by payer key
  // Every receipt key claimed so far (membership only, so the set's order never shows).
  std::unordered_set<ReceiptKey, ReceiptKeyHash> claimed_;
};

}  // namespace depin::verify
