// A usage receipt is paid at most once, ever, through the real epoch close: a copy re-wrapped in
// another report of the same epoch, or in the next epoch, is duplicate_receipt and burns nothing;
// and PriorReceipts looks back exactly as far as a receipt can stay valid.
#include "epoch/receipts.h"

#include <gtest/gtest.h>

#include "epoch/close.h"
#include "epoch/test_fixture.h"
#include "util/temp_dir.h"

namespace depin::epoch::testing {
namespace {

constexpr uint64_t kMinuteMs = 60'000;
const uint64_t kEpoch1Start = static_cast<uint64_t>(ledger::testing::kGenesisMs) + kEpochMs;

size_t Invalid(const rewards::DeviceEntry& d, verify::InvalidReason r) {
  return d.invalid[static_cast<size_t>(r)];
}

class EpochReceiptsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::InitCrypto().ok());
    ASSERT_TRUE(BuildLedger(dir_.File("ledger.db"), /*paid_usage=*/true).ok());
    auto l = ledger::Ledger::Open(dir_.File("ledger.db"), FixtureParams());
    ASSERT_TRUE(l.ok()) << l.status().ToString();
    ledger_ = std::move(l).value();
  }

  // A receipt from the fixture's payer for device `i`'s traffic, signed at `signed_ms`.
  static wire::v1::SignedUsageReceipt Receipt(int i, uint64_t sequence, uint64_t dc,
                                              uint64_t signed_ms) {
    wire::v1::UsageReceipt u;
    const crypto::PublicKey payer = UsagePayerKey().public_key();
    const crypto::PublicKey device = DeviceKey(i).public_key();
    u.set_payer_key(payer.bytes.data(), payer.bytes.size());
    u.set_device_key(device.bytes.data(), device.bytes.size());
    u.set_session_id(9);
    u.set_sequence(sequence);
    u.set_bytes_down(dc * 24);
    u.set_dc_amount(dc);
    u.set_timestamp_ms(signed_ms);
    return std::move(wire::SignUsageReceipt(u, ledger::testing::kTestChainId, UsagePayerKey()))
        .value();
  }

  // Appends device `i`'s reports carrying `receipts` to `epoch`'s log, each received (and
  // stamped) at its time, and seals the epoch.
  void Append(uint64_t epoch, int i,
              const std::vector<std::pair<wire::v1::SignedUsageReceipt, uint64_t>>& receipts) {
    ingest::ReportLogOptions o;
    o.data_dir = dir_.path();
    auto log = ingest::ReportLog::Open(o);
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    std::vector<util::Bytes> payloads;
    std::vector<ingest::AppendRecord> records;
    for (const auto& [receipt, at] : receipts) {
      wire::v1::Report r = ingest::MakeHeartbeat(DeviceKey(i).public_key(), at, kLat, kLon);
      *r.mutable_data_transfer() = receipt;
      auto bytes = ingest::SignReportToBytes(r, ledger::testing::kTestChainId, DeviceKey(i));
      ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
      payloads.emplace_back();
      ingest::EncodeSignedReportPayload(*bytes, &payloads.back());
    }
    for (size_t k = 0; k < payloads.size(); ++k) {
      records.push_back({receipts[k].second, payloads[k]});
    }
    ASSERT_TRUE((*log)->AppendAndWait(epoch, records).ok());
    ASSERT_TRUE((*log)->AdvanceEpoch(epoch + 1).ok());
    ASSERT_TRUE((*log)->Close().ok());
  }

  rewards::Manifest Close(uint64_t epoch) {
    auto m = CloseFixtureEpoch(*ledger_, dir_.path(), epoch);
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    return m.ok() ? std::move(m).value() : rewards::Manifest{};
  }

  static uint64_t Burned(const rewards::Manifest& m) {
    uint64_t dc = 0;
    for (const verify::PayerBurn& b : m.payer_burns) dc += b.dc_burned;
    return dc;
  }

  util::TempDir dir_;
  std::unique_ptr<ledger::Ledger> ledger_;
};

TEST_F(EpochReceiptsTest, ReplayInTheSameEpochIsPaidOnce) {
  auto receipt = Receipt(0, 1, 1'000, kEpoch1Start + 10 * kMinuteMs);
  Append(1, 0,
         {{receipt, kEpoch1Start + 11 * kMinuteMs}, {receipt, kEpoch1Start + 12 * kMinuteMs}});
  rewards::Manifest m = Close(1);
  const rewards::DeviceEntry* d0 = rewards::FindDevice(m, DeviceKey(0).public_key());
  ASSERT_NE(d0, nullptr);
  EXPECT_EQ(d0->receipts, 1u);
  EXPECT_EQ(d0->dc_burned, 1'000u);
  EXPECT_EQ(Invalid(*d0, verify::InvalidReason::kDuplicateReceipt), 1u);
  EXPECT_EQ(Burned(m), 1'000u);
}

TEST_F(EpochReceiptsTest, ReplayInTheNextEpochIsNotPaidAgain) {
  // Signed 10 minutes before epoch 1 starts, reported in epoch 0, replayed in epoch 1 (inside the
  // receipt's 1 h validity), next to a fresh receipt.
  auto receipt = Receipt(0, 1, 1'000, kEpoch1Start - 10 * kMinuteMs);
  Append(0, 0, {{receipt, kEpoch1Start - 5 * kMinuteMs}});
  Append(1, 0,
         {{receipt, kEpoch1Start + 5 * kMinuteMs},
          {Receipt(0, 2, 300, kEpoch1Start + 6 * kMinuteMs), kEpoch1Start + 7 * kMinuteMs}});
  rewards::Manifest m0 = Close(0);
  EXPECT_EQ(Burned(m0), 1'000u);
  rewards::Manifest m1 = Close(1);
  const rewards::DeviceEntry* d0 = rewards::FindDevice(m1, DeviceKey(0).public_key());
  ASSERT_NE(d0, nullptr);
  EXPECT_EQ(d0->receipts, 1u);
  EXPECT_EQ(d0->dc_burned, 300u);
  EXPECT_EQ(Invalid(*d0, verify::InvalidReason::kDuplicateReceipt), 1u);
  EXPECT_EQ(Burned(m1), 300u);
}

TEST_F(EpochReceiptsTest, StaleReceiptInTheNextEpochIsRefusedNotLookedUp) {
  // Signed 2 h before epoch 1: stale there whatever the earlier epochs hold.
  auto receipt = Receipt(1, 1, 1'000, kEpoch1Start - 120 * kMinuteMs);
  Append(1, 1, {{receipt, kEpoch1Start + kMinuteMs}});
  rewards::Manifest m = Close(1);
  const rewards::DeviceEntry* d1 = rewards::FindDevice(m, DeviceKey(1).public_key());
  ASSERT_NE(d1, nullptr);
  EXPECT_EQ(d1->receipts, 0u);
  EXPECT_EQ(Invalid(*d1, verify::InvalidReason::kStaleReceipt), 1u);
  EXPECT_EQ(Burned(m), 0u);
}

TEST_F(EpochReceiptsTest, LookbackCoversTheValidityWindowAndNoMore) {
  verify::VerifyParams p;  // 1 h validity, 5 min skew
  const verify::EpochWindow day = EpochWindowOf(FixtureParams(), 5);
  EXPECT_EQ(FirstLookbackEpoch(day, p), 4u);
  EXPECT_EQ(FirstLookbackEpoch(EpochWindowOf(FixtureParams(), 0), p), 0u);
  // 10-minute epochs: 1 h + 10 min of lookback is 7 epochs.
  const verify::EpochWindow short_epoch{100, 1'000'000'000, 1'000'000'000 + 10 * kMinuteMs};
  EXPECT_EQ(FirstLookbackEpoch(short_epoch, p), 93u);
  // Records received before the lookback are not read.
  auto old = Receipt(0, 1, 1'000, kEpoch1Start - 120 * kMinuteMs);
  auto recent = Receipt(0, 2, 1'000, kEpoch1Start - 30 * kMinuteMs);
  Append(0, 0, {{old, kEpoch1Start - 119 * kMinuteMs}, {recent, kEpoch1Start - 29 * kMinuteMs}});
  auto keys = PriorReceipts(util::Env::Default(), dir_.path(), EpochWindowOf(FixtureParams(), 1), p,
                            ledger::testing::kTestChainId);
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ((*keys)[0].sequence, 2u);
}

}  // namespace
}  // namespace depin::epoch::testing
