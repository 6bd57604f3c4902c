#include "fleet/behaviour.h"

#include <gtest/gtest.h>

#include "fleet/cities.h"
#include "fleet/onboarding.h"
#include "fleet/random.h"
#include "wire/report.h"

namespace depin::fleet {
namespace {

class BehaviourTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(crypto::InitCrypto().ok()); }
};

TEST_F(BehaviourTest, DerivedKeysAreDeterministicAndDistinctPerRoleAndIndex) {
  EXPECT_EQ(DeriveKey(1, "device", 0).public_key(), DeriveKey(1, "device", 0).public_key());
  EXPECT_NE(DeriveKey(1, "device", 0).public_key(), DeriveKey(1, "device", 1).public_key());
  EXPECT_NE(DeriveKey(1, "device", 0).public_key(), DeriveKey(1, "owner", 0).public_key());
  EXPECT_NE(DeriveKey(1, "device", 0).public_key(), DeriveKey(2, "device", 0).public_key());
}

TEST_F(BehaviourTest, SameSeedSameDevicesAndSameReports) {
  BehaviourOptions o;
  EmulatedDevice a = MakeDevice(5, 3, 0, o), b = MakeDevice(5, 3, 0, o);
  EXPECT_EQ(a.managed.key.public_key(), b.managed.key.public_key());
  EXPECT_EQ(a.managed.cell, b.managed.cell);
  EXPECT_NE(a.managed.cell, 0u);
  for (int t = 0; t < 10; ++t) {
    auto ra = Tick(a, 1'700'000'000'000 + t * 5000, o, {}, "fleet-net");
    auto rb = Tick(b, 1'700'000'000'000 + t * 5000, o, {}, "fleet-net");
    ASSERT_EQ(ra.size(), rb.size());
    for (size_t i = 0; i < ra.size(); ++i) {
      EXPECT_EQ(ra[i].SerializeAsString(), rb[i].SerializeAsString());
    }
  }
}

TEST_F(BehaviourTest, HealthyDeviceSendsHeartbeatsNearItsPlacementAndSpeedtests) {
  BehaviourOptions o;
  o.dead_permille = 0;
  o.flaky_permille = 0;
  o.usage_permille = 1000;
  Customer customer(DeriveKey(1, "customer", 0), DeriveKey(1, "router", 0), 99);
  Customer* customers[] = {&customer};
  EmulatedDevice d = MakeDevice(1, 0, 0, o);
  int heartbeats = 0, speedtests = 0, transfers = 0;
  for (int t = 0; t < 6; ++t) {
    for (const auto& r : Tick(d, 1'700'000'000'000 + t * 5000, o, customers, "fleet-net")) {
      ASSERT_TRUE(wire::ReportSigningBytes(r, "fleet-net").ok());  // structurally valid
      if (r.has_heartbeat()) {
        ++heartbeats;
        const auto& loc = r.heartbeat().location();
        EXPECT_LT(DistanceM({loc.lat_e7(), loc.lon_e7()}, d.location), 15.0);
      }
      if (r.has_speedtest()) ++speedtests;
      if (r.has_data_transfer()) {
        ++transfers;
        wire::v1::SignedReport sr;
        *sr.mutable_report() = r;
        const auto& receipt = r.data_transfer().receipt();
        EXPECT_EQ(receipt.device_key(), r.device_key());
        EXPECT_EQ(receipt.dc_amount(),
                  (receipt.bytes_up() + receipt.bytes_down() + kBytesPerDc - 1) / kBytesPerDc);
        EXPECT_TRUE(wire::VerifyUsageReceipt(r.data_transfer(), "fleet-net").ok());
      }
    }
  }
  EXPECT_EQ(heartbeats, 6);
  EXPECT_EQ(speedtests, 3);
  EXPECT_EQ(transfers, 6);
  EXPECT_GT(customer.dc_signed(), 0u);
}

TEST_F(BehaviourTest, ShareOfDeadAndFlakyDevicesFollowsTheOptions) {
  BehaviourOptions o;
  o.dead_permille = 100;
  o.flaky_permille = 200;
  int dead = 0, flaky = 0;
  for (uint64_t i = 0; i < 1000; ++i) {
    EmulatedDevice d = MakeDevice(9, i, 0, o);
    dead += d.dead;
    flaky += d.flaky;
    if (d.dead) {
      EXPECT_TRUE(Tick(d, 1'700'000'000'000, o, {}, "fleet-net").empty());
    }
  }
  EXPECT_NEAR(dead, 100, 40);
  EXPECT_NEAR(flaky, 180, 50);  // 20% of the living 90%
}

TEST_F(BehaviourTest, TokensForCreditsInvertsTheLedgerFormulaRoundingUp) {
  Economics e;  // 6 decimals, $1 per token, 1 DC = $0.00001: 1 base unit = 0.1 DC
  EXPECT_EQ(TokensForCredits(e, 4'000'000), 40'000'000u);
  EXPECT_EQ(TokensForCredits(e, 1), 10u);
  EXPECT_EQ(TokensForCredits(e, 11), 110u);
  e.price_usd_e8 = 300'000'000;  // $3: a third as many tokens, rounded up
  EXPECT_EQ(TokensForCredits(e, 10), 34u);
}

}  // namespace
}  // namespace depin::fleet
