// Wash trading through a price drop (issue 12): an owner buys data credits, the token price falls
// 90%, and the owner's payer key spends the credits on receipts for the owner's own devices. Run
// through the real path: ledger transactions (burn, delegate, price) in a SQLite ledger, the epoch
// snapshot, the verifiers over a real report log, and the reward engine. The owner's usage reward
// must stay below the tokens burned for the credits it spent; honest usage at a steady price is
// still paid.
#include <gtest/gtest.h>

#include "epoch/close.h"
#include "epoch/test_fixture.h"
#include "util/temp_dir.h"

namespace depin::epoch::testing {
namespace {

// The fixture's network, with prices that stay fresh through the epoch (the snapshot reads the
// price at the epoch's end).
ledger::LedgerParams Params() {
  ledger::LedgerParams p = FixtureParams();
  p.price_max_age_ms = 2 * static_cast<int64_t>(kEpochMs);
  return p;
}

class WashTradingTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(crypto::InitCrypto().ok()); }

  // Block 1: alice onboards the devices; at $1 per token alice and bob each burn one token for
  // 100,000 DC (1,000 base units per DC) and delegate some to the payer key. Block 2 (optional):
  // the price oracle reports $0.10, a 90% crash, before any DC is spent.
  void Build(bool crash) {
    TestNet net;
    auto opened = ledger::Ledger::Open(dir_.File("ledger.db"), Params());
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    ledger_ = std::move(opened).value();
    std::vector<ledger::Tx> txs;
    uint64_t nonce = 0;
    AddOnboardTxs(net, FixtureDeviceKeys(), &nonce, &txs);
    AddPaidUsageTxs(net, &nonce, &txs);
    ASSERT_TRUE(CommitBlock(*ledger_, txs, 1'000).ok());
    if (crash) {
      ASSERT_TRUE(
          CommitBlock(*ledger_,
                      {ledger::testing::MakeTx(net.price1, 1, ledger::SubmitPrice{10'000'000})},
                      2'000)
              .ok());
    }
    ASSERT_TRUE(BuildLog(dir_.path(), 0, /*paid_usage=*/true).ok());
  }

  rewards::Manifest Close() {
    auto m = CloseFixtureEpoch(*ledger_, dir_.path(), 0, Params());
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    return std::move(m).value();
  }

  util::TempDir dir_;
  std::unique_ptr<ledger::Ledger> ledger_;
};

// Every DC in the fixture cost 1,000 base units (one token, 10^8 base units, bought 100,000 DC).
constexpr uint64_t kBaseUnitsPerDc = 1'000;

TEST_F(WashTradingTest, APriceCrashBetweenBuyingAndSpendingCreditsDoesNotMakeSelfDealingPay) {
  Build(/*crash=*/true);
  const rewards::Manifest m = Close();
  // Alice owns every device and delegated DC to the payer that signed their receipts.
  uint64_t usage_paid = 0;
  for (int i = 0; i < 2; ++i) {
    const rewards::DeviceEntry* d = rewards::FindDevice(m, DeviceKey(i).public_key());
    ASSERT_NE(d, nullptr);
    ASSERT_EQ(d->dc_burned, kReceiptDc[i]);
    // The usage pool could pay far more: only the cap holds the reward down.
    EXPECT_GT(d->usage_share, 10 * kReceiptDc[i] * kBaseUnitsPerDc);
    usage_paid += d->usage_amount;
  }
  const uint64_t tokens_burned = (kReceiptDc[0] + kReceiptDc[1]) * kBaseUnitsPerDc;
  EXPECT_LT(usage_paid, tokens_burned)
      << "self-dealing paid " << usage_paid << " base units for DC that cost " << tokens_burned;
  EXPECT_EQ(usage_paid, tokens_burned / 10 * 9);  // the cap: 0.9 x the tokens burned
}

TEST_F(WashTradingTest, HonestUsageAtASteadyPriceIsStillPaid) {
  Build(/*crash=*/false);
  const rewards::Manifest m = Close();
  const rewards::DeviceEntry* d0 = rewards::FindDevice(m, DeviceKey(0).public_key());
  ASSERT_NE(d0, nullptr);
  EXPECT_EQ(d0->usage_amount, kReceiptDc[0] * kBaseUnitsPerDc / 10 * 9);
  EXPECT_GT(d0->usage_amount, 0u);
}

}  // namespace
}  // namespace depin::epoch::testing
