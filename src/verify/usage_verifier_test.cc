// Paid usage: DC burned from payer balances in log order, DC-backed bytes, self-dealing flag.
#include "verify/usage_verifier.h"

#include <gtest/gtest.h>

#include "verify/test_util.h"

namespace depin::verify {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)

size_t Invalid(const DeviceWork& w, InvalidReason r) { return w.invalid[static_cast<size_t>(r)]; }

EpochWork RunEpoch(std::vector<DeviceInfo> devices, std::vector<PayerInfo> payers,
                   const std::vector<ReportView>& reports,
                   const std::vector<ReceiptKey>& prior_receipts = {}) {
  VerifyParams params;  // 24 bytes per DC, receipts valid for 1 h, 5 min clock skew
  auto epoch = EpochVerifier::Create(DayEpoch(), params, std::move(devices));
  EXPECT_TRUE(epoch.ok());
  EXPECT_TRUE(
      RegisterDefaultVerifiers(**epoch, params, std::move(payers), {}, prior_receipts).ok());
  for (const auto& r : reports) (*epoch)->Observe(r);
  return (*epoch)->Finish();
}

TEST(UsageVerifierTest, BurnsInLogOrderAndCountsBackedBytes) {
  // Payer 50 (owned by account 60) holds 100 DC.
  std::vector<PayerInfo> payers = {{KeyOf(50), KeyOf(60), 100, {}}};
  std::vector<ReportView> r = {
      Receipt(1, kEpochStart + 1, 50, 1'000, 40),  // 1000 bytes > 40 * 24 = 960: backed 960
      Receipt(2, kEpochStart + 2, 50, 480, 50),    // 480 <= 1200: backed 480; 90 DC burned so far
      Receipt(1, kEpochStart + 3, 50, 240, 11),    // 90 + 11 > 100: insufficient, rejected whole
      Receipt(1, kEpochStart + 4, 50, 240, 10),    // exactly the last 10 DC: backed 240
      Receipt(2, kEpochStart + 5, 51, 240, 10),    // unknown payer
      Receipt(2, kEpochStart + 6, 50, 0, 10),      // zero bytes
  };
  EpochWork w = RunEpoch({Device(1, 9), Device(2, 9)}, payers, r);
  EXPECT_EQ(w.work[0].receipts, 2u);
  EXPECT_EQ(w.work[0].dc_burned, 50u);
  EXPECT_EQ(w.work[0].usage_bytes, 960u + 240u);
  EXPECT_EQ(Invalid(w.work[0], InvalidReason::kInsufficientDc), 1u);
  EXPECT_EQ(w.work[1].dc_burned, 50u);
  EXPECT_EQ(w.work[1].usage_bytes, 480u);
  EXPECT_EQ(Invalid(w.work[1], InvalidReason::kUnknownPayer), 1u);
  EXPECT_EQ(Invalid(w.work[1], InvalidReason::kEmptyReceipt), 1u);
  ASSERT_EQ(w.payer_burns.size(), 1u);
  EXPECT_EQ(w.payer_burns[0].payer, KeyOf(50));
  EXPECT_EQ(w.payer_burns[0].dc_burned, 100u);
}

// One genuine receipt re-wrapped in new reports (later device and receive times) is paid once;
// the payer's DC is burned once.
TEST(UsageVerifierTest, ReceiptReplayedInNewReportsIsPaidOnce) {
  std::vector<PayerInfo> payers = {{KeyOf(50), KeyOf(60), 1'000, {}}};
  ReportView original = Receipt(1, kEpochStart + 1'000, 50, 2'400, 100);
  ReportView replay = original;
  replay.device_ms = replay.received_ms = kEpochStart + 60'000;
  ReportView replay2 = original;
  replay2.device_ms = replay2.received_ms = kEpochStart + 120'000;
  EpochWork w = RunEpoch({Device(1, 9)}, payers, {original, replay, replay2});
  EXPECT_EQ(w.work[0].receipts, 1u);
  EXPECT_EQ(w.work[0].dc_burned, 100u);
  EXPECT_EQ(Invalid(w.work[0], InvalidReason::kDuplicateReceipt), 2u);
  ASSERT_EQ(w.payer_burns.size(), 1u);
  EXPECT_EQ(w.payer_burns[0].dc_burned, 100u);
}

// A receipt that appeared in an earlier epoch's log (the close passes it as prior) earns nothing.
TEST(UsageVerifierTest, ReceiptSeenInAnEarlierEpochIsRefused) {
  std::vector<PayerInfo> payers = {{KeyOf(50), KeyOf(60), 1'000, {}}};
  ReportView replay = Receipt(1, kEpochStart + 1'000, 50, 2'400, 100);
  ReportView fresh = Receipt(1, kEpochStart + 2'000, 50, 2'400, 100);
  const ReceiptKey seen{replay.usage.payer, replay.usage.session_id, replay.usage.sequence};
  EpochWork w = RunEpoch({Device(1, 9)}, payers, {replay, fresh}, {seen});
  EXPECT_EQ(w.work[0].receipts, 1u);
  EXPECT_EQ(w.work[0].dc_burned, 100u);
  EXPECT_EQ(Invalid(w.work[0], InvalidReason::kDuplicateReceipt), 1u);
}

// The same session and sequence under another payer is another receipt.
TEST(UsageVerifierTest, ReceiptKeyIncludesThePayer) {
  std::vector<PayerInfo> payers = {{KeyOf(50), KeyOf(60), 1'000, {}},
                                   {KeyOf(51), KeyOf(61), 1'000, {}}};
  ReportView a = Receipt(1, kEpochStart + 1'000, 50, 2'400, 100);
  ReportView b = a;
  b.usage.payer = KeyOf(51);
  EpochWork w = RunEpoch({Device(1, 9)}, payers, {a, b});
  EXPECT_EQ(w.work[0].receipts, 2u);
  EXPECT_EQ(w.work[0].dc_burned, 200u);
}

// A receipt received more than receipt_max_age_ms (1 h) after its payer signed it is stale; one
// signed after the report carrying it (beyond the clock skew) is impossible. Neither burns DC.
TEST(UsageVerifierTest, ReceiptTimeIsCheckedAgainstTheReport) {
  std::vector<PayerInfo> payers = {{KeyOf(50), KeyOf(60), 1'000, {}}};
  ReportView stale = Receipt(1, kEpochStart + 2 * kHourMs, 50, 2'400, 100);
  stale.usage.timestamp_ms = kEpochStart + kHourMs - 1;  // 1 h + 1 ms before it was received
  ReportView edge = Receipt(1, kEpochStart + 2 * kHourMs, 50, 2'400, 100);
  edge.usage.timestamp_ms = kEpochStart + kHourMs;  // exactly 1 h: still valid
  ReportView future = Receipt(1, kEpochStart + 3 * kHourMs, 50, 2'400, 100);
  future.usage.timestamp_ms = future.device_ms + VerifyParams{}.max_clock_skew_ms + 1;
  ReportView before_epoch = Receipt(1, kEpochStart + 10, 50, 2'400, 100);
  before_epoch.usage.timestamp_ms = kEpochStart - 2 * kHourMs;  // signed long before the epoch
  EpochWork w = RunEpoch({Device(1, 9)}, payers, {stale, edge, future, before_epoch});
  EXPECT_EQ(w.work[0].receipts, 1u);
  EXPECT_EQ(w.work[0].dc_burned, 100u);
  EXPECT_EQ(Invalid(w.work[0], InvalidReason::kStaleReceipt), 2u);
  EXPECT_EQ(Invalid(w.work[0], InvalidReason::kReceiptTime), 1u);
}

TEST(UsageVerifierTest, FlagsDcPaidByTheDevicesOwnOwner) {
  // Device 1 is owned by account 9, and so is payer 50: self-dealing. Payer 51 is a customer.
  std::vector<PayerInfo> payers = {{KeyOf(51), KeyOf(70), 1'000, {}},
                                   {KeyOf(50), KeyOf(9), 1'000, {}}};
  std::vector<ReportView> r = {
      Receipt(1, kEpochStart + 1, 50, 2'400, 100),
      Receipt(1, kEpochStart + 2, 51, 2'400, 100),
  };
  EpochWork w = RunEpoch({Device(1, 9)}, payers, r);
  EXPECT_EQ(w.work[0].dc_burned, 200u);
  EXPECT_EQ(w.work[0].self_paid_dc, 100u);
  ASSERT_EQ(w.payer_burns.size(), 2u);
  EXPECT_EQ(w.payer_burns[0].payer, KeyOf(50));  // sorted by payer key
}

TEST(UsageVerifierTest, ReceiptsCarryTheCostBasisOfTheLotsInSettlementOrder) {
  // Payer 50 holds two owners' delegations, in the order settle_usage debits them: 30 DC bought
  // for 100 base units, then 20 DC bought for 1,000. Receipts take DC from the first lot, then
  // the second; within a lot the first t DC carry floor(B x t / C).
  std::vector<PayerInfo> payers = {{KeyOf(50), KeyOf(60), 50, {{30, 100}, {20, 1'000}}}};
  std::vector<ReportView> r = {
      Receipt(1, kEpochStart + 1, 50, 240, 10),  // 10 of lot 1: floor(100 x 10 / 30) = 33
      Receipt(2, kEpochStart + 2, 50, 240, 25),  // 20 of lot 1 (100 - 33 = 67), 5 of lot 2 (250)
      Receipt(1, kEpochStart + 3, 50, 240, 15),  // the last 15 of lot 2: 1,000 - 250 = 750
  };
  EpochWork w = RunEpoch({Device(1, 9), Device(2, 9)}, payers, r);
  EXPECT_EQ(w.work[0].dc_basis, 33u + 750u);
  EXPECT_EQ(w.work[1].dc_basis, 67u + 250u);
  // Together exactly the basis the settlement of all 50 DC removes.
  EXPECT_EQ(w.work[0].dc_basis + w.work[1].dc_basis, 1'100u);
  // A payer whose DC carry no basis (bought before the ledger recorded it) backs no cap.
  EpochWork none = RunEpoch({Device(1, 9)}, {{KeyOf(50), KeyOf(60), 50, {}}},
                            {Receipt(1, kEpochStart + 1, 50, 240, 10)});
  EXPECT_EQ(none.work[0].dc_burned, 10u);
  EXPECT_EQ(none.work[0].dc_basis, 0u);
}

TEST(UsageVerifierTest, DuplicatePayerIsRefused) {
  auto v = UsageVerifier::Create({}, {{KeyOf(50), KeyOf(9), 1, {}}, {KeyOf(50), KeyOf(9), 2, {}}});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), util::Code::kInvalidArgument);
}

TEST(UsageVerifierTest, HugeBytesDoNotOverflow) {
  std::vector<PayerInfo> payers = {{KeyOf(50), KeyOf(60), UINT64_MAX, {}}};
  std::vector<ReportView> r = {
      Receipt(1, kEpochStart + 1, 50, UINT64_MAX, UINT64_MAX / 2),
      Receipt(1, kEpochStart + 2, 50, UINT64_MAX, UINT64_MAX / 2),
  };
  EpochWork w = RunEpoch({Device(1, 9)}, payers, r);
  EXPECT_EQ(w.work[0].receipts, 2u);
  EXPECT_EQ(w.work[0].usage_bytes, UINT64_MAX);  // saturates
}

TEST(UsageVerifierTest, DcFromSeveralFullPayersSaturates) {
  // Two payers with 2^64 - 1 DC each pay one device: its DC total saturates instead of wrapping
  // (a wrapped total would shrink its usage cap).
  std::vector<PayerInfo> payers = {{KeyOf(50), KeyOf(9), UINT64_MAX, {}},
                                   {KeyOf(51), KeyOf(9), UINT64_MAX, {}}};
  std::vector<ReportView> r = {
      Receipt(1, kEpochStart + 1, 50, 24, UINT64_MAX),
      Receipt(1, kEpochStart + 2, 51, 24, UINT64_MAX),
  };
  EpochWork w = RunEpoch({Device(1, 9)}, payers, r);
  EXPECT_EQ(w.work[0].receipts, 2u);
  EXPECT_EQ(w.work[0].dc_burned, UINT64_MAX);
  EXPECT_EQ(w.work[0].self_paid_dc, UINT64_MAX);
  EXPECT_EQ(w.work[0].usage_bytes, 48u);
}

}  // namespace
}  // namespace depin::verify
