// Self-dealing (wash trading) must not pay, under any token price path. The model, stated
// precisely:
//   1. The owner burns X token base units for data credits (at whatever price) and receives DC;
//      the ledger records X as their cost basis (docs/ledger.md, "Data credits and their cost
//      basis"), which the payer's delegation carries (verify::PayerInfo::lots).
//   2. Later, at whatever price then, the owner's payer key spends all DC on receipts for the
//      owner's own device; the verifier charges those receipts their basis (dc_basis = X).
//   3. The device's usage reward is min(share, cap) with
//        cap = floor(dc_basis x m / 1e6) = floor(X x m / 1e6),   m = usage_cap_multiple_ppm.
//   4. So the reward is at most floor(0.9 X) under the default m = 900000, and the owner's
//      balance changes by reward - X <= -ceil(0.1 X) < 0 for every X > 0, however large the usage
//      pool, however little other usage there is, and whatever the price did in between.
//      Self-dealing also lowers the overflow into availability, so it cannot raise the owner's
//      availability reward either.
#include <gtest/gtest.h>

#include "rewards/compute.h"
#include "verify/test_util.h"
#include "verify/verifier.h"

namespace depin::rewards {
namespace {

using namespace verify::testing;  // NOLINT(google-build-using-namespace)

constexpr uint8_t kOwner = 9;
constexpr uint8_t kOwnersPayer = 50;
constexpr uint8_t kOwnersDevice = 1;
constexpr uint8_t kHonestDevice = 2;

// The epoch with the owner's self-paid receipts (dc credits) and, optionally, an honest device
// with availability, run through the real verifiers and reward computation.
struct Outcome {
  uint64_t owner_reward = 0;
  uint64_t honest_reward = 0;
};

// `price`: the DC price when the epoch closes; `burned`: the tokens the DC cost when bought.
Outcome RunEpoch(uint64_t emission, DcPrice price, uint64_t dc, uint64_t burned,
                 bool honest_device) {
  verify::VerifyParams params;
  std::vector<verify::DeviceInfo> devices = {Device(kOwnersDevice, kOwner, {10, 10})};
  if (honest_device) devices.push_back(Device(kHonestDevice, 70, {10, 10}));
  auto epoch = verify::EpochVerifier::Create(DayEpoch(), params, devices);
  EXPECT_TRUE(epoch.ok());
  std::vector<verify::PayerInfo> payers = {
      {KeyOf(kOwnersPayer), KeyOf(kOwner), dc, {verify::CreditLot{dc, burned}}}};
  EXPECT_TRUE(verify::RegisterDefaultVerifiers(**epoch, params, payers).ok());
  if (dc > 0)
    (*epoch)->Observe(Receipt(kOwnersDevice, kEpochStart + 1000, kOwnersPayer, dc * 24, dc));
  if (honest_device) {
    for (uint64_t h = 0; h < 24; ++h) {
      (*epoch)->Observe(Heartbeat(kHonestDevice, kEpochStart + h * kHourMs, {10, 10}));
    }
    (*epoch)->Observe(Speedtest(kHonestDevice, kEpochStart + 5000, 200'000'000, 20'000'000, 10));
    (*epoch)->Observe(Speedtest(kHonestDevice, kEpochStart + 6000, 200'000'000, 20'000'000, 10));
  }
  verify::EpochWork work = (*epoch)->Finish();
  RewardConfig config = DefaultRewardConfig(KeyOf(80), KeyOf(81));
  RewardInputs in;
  in.emission = emission;
  in.dc_price = price;
  auto m = ComputeRewards(config, in, work);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  Outcome out;
  if (const DeviceEntry* d = FindDevice(*m, KeyOf(kOwnersDevice))) out.owner_reward = d->amount;
  if (const DeviceEntry* d = FindDevice(*m, KeyOf(kHonestDevice))) out.honest_reward = d->amount;
  EXPECT_TRUE(config.usage_cap_multiple_ppm < 1'000'000);
  return out;
}

TEST(SelfDealingTest, OwnerPayingOwnDeviceEndsWithFewerTokens) {
  // Worked example: 1 DC costs 3 base units. The owner starts with 1,000,000 base units and
  // burns X = 1,000,000 for floor(1,000,000 / 3) = 333,333 DC. The device is the only one with
  // usage and the usage pool (40% of 10^12) is huge, so the cap binds:
  //   cap = floor(1,000,000 burned x 0.9) = 900,000.
  // Balance after: 1,000,000 - 1,000,000 + 900,000 = 900,000 < 1,000,000 (lost 100,000).
  const uint64_t start_balance = 1'000'000;
  const DcPrice price{3, 1};
  const uint64_t burned = start_balance;
  const uint64_t dc = burned * price.dc / price.base_units;  // 333,333
  ASSERT_EQ(dc, 333'333u);
  Outcome o = RunEpoch(1'000'000'000'000, price, dc, burned, /*honest_device=*/false);
  EXPECT_EQ(o.owner_reward, 900'000u);
  uint64_t end_balance = start_balance - burned + o.owner_reward;
  EXPECT_LT(end_balance, start_balance);
  EXPECT_EQ(start_balance - end_balance, 100'000u);
}

TEST(SelfDealingTest, APriceCrashBetweenBuyingAndSpendingDoesNotMakeItPay) {
  // Bought at 3 base units per DC; by the time they are spent the token fell 90%, so each DC is
  // worth 30 base units. Valued at that price the DC would cap the reward at 9,000,000 for
  // 1,000,000 burned; the cost basis caps it at 900,000.
  const uint64_t burned = 1'000'000;
  const uint64_t dc = burned / 3;
  for (const DcPrice& at_spend : {DcPrice{30, 1}, DcPrice{3'000, 1}, DcPrice{1, 1'000}}) {
    Outcome o = RunEpoch(1'000'000'000'000, at_spend, dc, burned, /*honest_device=*/false);
    EXPECT_EQ(o.owner_reward, 900'000u) << at_spend.base_units << "/" << at_spend.dc;
    EXPECT_LT(o.owner_reward, burned);
  }
}

TEST(SelfDealingTest, NeverProfitableAcrossAmountsAndPrices) {
  // For a range of burns and prices, with an honest availability device present: the owner's
  // gain from self-dealing (reward with it minus reward without it) is below the tokens burned,
  // i.e. at most floor(0.9 x X).
  const DcPrice prices[] = {{1, 1}, {3, 1}, {7, 2}, {1'000'000, 3}, {1, 100}};
  const uint64_t burns[] = {1, 2, 10, 999, 123'457, 10'000'000'000};
  for (const DcPrice& price : prices) {
    Outcome base = RunEpoch(1'000'000'000, price, 0, 0, /*honest_device=*/true);
    for (uint64_t x : burns) {
      uint64_t dc =
          static_cast<uint64_t>(static_cast<verify::u128>(x) * price.dc / price.base_units);
      if (dc == 0) continue;  // the burn bought nothing; nothing to pay with
      Outcome o = RunEpoch(1'000'000'000, price, dc, x, /*honest_device=*/true);
      uint64_t gain = o.owner_reward - base.owner_reward;
      EXPECT_LE(gain, x * 9 / 10) << "price " << price.base_units << "/" << price.dc << " x=" << x;
      EXPECT_LT(gain, x) << "price " << price.base_units << "/" << price.dc << " x=" << x;
      // The honest device is not harmed beyond losing the overflow the owner's usage took.
      EXPECT_LE(o.honest_reward, base.honest_reward);
    }
  }
}

}  // namespace
}  // namespace depin::rewards
