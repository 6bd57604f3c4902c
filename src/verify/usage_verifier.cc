#include "verify/usage_verifier.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "verify/fixed_point.h"

namespace depin::verify {

using util::Result;
using util::Status;

namespace {

uint64_t SaturatingAdd(uint64_t a, u128 b) {
  u128 sum = static_cast<u128>(a) + b;
  return sum > UINT64_MAX ? UINT64_MAX : static_cast<uint64_t>(sum);
}

}  // namespace

size_t UsageVerifier::ReceiptKeyHash::operator()(const ReceiptKey& k) const {
  // Payer keys are public keys (uniform bytes); mixing in session and sequence is enough.
  uint64_t h = 0;
  std::memcpy(&h, k.payer.bytes.data(), sizeof h);
  h ^= k.session_id * 0x9E3779B97F4A7C15ull;
  h ^= (k.sequence + 0x632BE59BD9B4E019ull) * 0xC2B2AE3D27D4EB4Full;
  return static_cast<size_t>(h ^ (h >> 29));
}

Result<std::unique_ptr<UsageVerifier>> UsageVerifier::Create(const VerifyParams& params,
                                                             std::vector<PayerInfo> payers,
                                                             const std::vector<ReceiptKey>& prior) {
  std::sort(payers.begin(), payers.end(),
            [](const PayerInfo& a, const PayerInfo& b) { return a.payer < b.payer; });
  for (size_t i = 1; i < payers.size(); ++i) {
    if (payers[i - 1].payer == payers[i].payer) {
      return Status::InvalidArgument("verify: payer " + payers[i].payer.ToHex() + " listed twice");
    }
  }
  std::unique_ptr<UsageVerifier> v(new UsageVerifier(params, std::move(payers)));
  v->claimed_.insert(prior.begin(), prior.end());
  return v;
}

UsageVerifier::UsageVerifier(const VerifyParams& params, std::vector<PayerInfo> payers)
    : params_(params) {
  payers_.reserve(payers.size());
  for (const PayerInfo& p : payers) payers_.push_back({p, 0});
}

std::optional<InvalidReason> UsageVerifier::Observe(const ReportView& report,
                                                    const DeviceInfo& device, DeviceWork& work) {
  const UsageBody& u = report.usage;
  if (report.received_ms - std::min(report.received_ms, u.timestamp_ms) >
      params_.receipt_max_age_ms) {
    return InvalidReason::kStaleReceipt;
  }
  if (u.timestamp_ms > report.device_ms + params_.max_clock_skew_ms) {
    return InvalidReason::kReceiptTime;
  }
  if (!claimed_.insert({u.payer, u.session_id, u.sequence}).second) {
    return InvalidReason::kDuplicateReceipt;
  }
  if (u.bytes == 0 || u.dc_amount == 0) return InvalidReason::kEmptyReceipt;
  auto it = std::lower_bound(payers_.begin(), payers_.end(), u.payer,
                             [](const Payer& p, const Key& k) { return p.info.payer < k; });
  if (it == payers_.end() || !(it->info.payer == u.payer)) return InvalidReason::kUnknownPayer;
  if (it->info.dc_balance - it->burned < u.dc_amount) return InvalidReason::kInsufficientDc;
  it->burned += u.dc_amount;
  const uint64_t basis = it->TakeBasis(u.dc_amount);
  // Per-device sums saturate: several payers' u64 balances together can exceed 2^64.
  u128 backed = std::min<u128>(u.bytes, static_cast<u128>(u.dc_amount) * params_.bytes_per_dc);
  work.usage_bytes = SaturatingAdd(work.usage_bytes, backed);
  work.dc_burned = SaturatingAdd(work.dc_burned, u.dc_amount);
  work.dc_basis = SaturatingAdd(work.dc_basis, basis);
  ++work.receipts;
  if (it->info.owner == device.owner) {
    work.self_paid_dc = SaturatingAdd(work.self_paid_dc, u.dc_amount);
  }
  return std::nullopt;
}

uint64_t UsageVerifier::Payer::TakeBasis(uint64_t dc) {
  // Within a lot of C DC with basis B, the first t DC taken carry floor(B x t / C): the same
  // floor ledger::BasisShare gives settle_usage when it takes t from that delegation at once, so
  // the receipts of an epoch together carry exactly the basis its settlement removes.
  uint64_t basis = 0;
  while (dc > 0 && lot < info.lots.size()) {
    const CreditLot& l = info.lots[lot];
    if (l.dc == 0) {
      ++lot;
      continue;
    }
    const uint64_t take = std::min(dc, l.dc - lot_taken);
    const u128 before = static_cast<u128>(l.basis) * lot_taken / l.dc;
    lot_taken += take;
    const u128 after = static_cast<u128>(l.basis) * lot_taken / l.dc;
    basis = SaturatingAdd(basis, after - before);
    dc -= take;
    if (lot_taken == l.dc) {
      ++lot;
      lot_taken = 0;
    }
  }
  return basis;
}

void UsageVerifier::Finish(EpochWork& epoch) {
  epoch.payer_burns.clear();
  for (const Payer& p : payers_) {
    if (p.burned > 0) epoch.payer_burns.push_back({p.info.payer, p.burned});
  }
}

}  // namespace depin::verify
