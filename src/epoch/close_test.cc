// CloseEpoch over a real report log and a real (SQLite) ledger.
#include "epoch/close.h"

#include <gtest/gtest.h>

#include "epoch/test_fixture.h"
#include "rewards/manifest_json.h"
#include "util/temp_dir.h"

namespace depin::epoch::testing {
namespace {

class EpochCloseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::InitCrypto().ok());
    ASSERT_TRUE(BuildLedger(dir_.File("ledger.db")).ok());
    ASSERT_TRUE(BuildLog(dir_.path(), 0).ok());
    auto l = ledger::Ledger::Open(dir_.File("ledger.db"), FixtureParams());
    ASSERT_TRUE(l.ok()) << l.status().ToString();
    ledger_ = std::move(l).value();
  }

  util::Result<rewards::Manifest> Close(const EpochSnapshot& snap, bool verify_sigs = false) {
    CloseInputs in =
        FixtureCloseInputs(*ledger_, dir_.path(), EpochWindowOf(FixtureParams(), 0), snap);
    in.verify_signatures = verify_sigs;
    return CloseEpoch(in, &stats_);
  }

  util::TempDir dir_;
  std::unique_ptr<ledger::Ledger> ledger_;
  CloseStats stats_;
};

TEST_F(EpochCloseTest, SnapshotHasTheLocatedDevicesOfTheBoundaryBlock) {
  auto snap = SnapshotAtEpochEnd(*ledger_, EpochWindowOf(FixtureParams(), 0).end_ms);
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();
  EXPECT_EQ(snap->height, 1u);
  ASSERT_EQ(snap->devices.size(), static_cast<size_t>(kDevices));
  for (size_t i = 1; i < snap->devices.size(); ++i) {
    EXPECT_LT(snap->devices[i - 1].key, snap->devices[i].key);
  }
  for (const auto& d : snap->devices) {
    EXPECT_TRUE(d.has_asserted_location);
    EXPECT_NEAR(d.asserted_location.lat_e7, kLat, 200);  // a level-30 cell is ~1 cm
    EXPECT_EQ(d.owner, TestNet().alice.public_key());
  }
  // No price was ever submitted: usage caps are zero.
  EXPECT_EQ(snap->dc_price.base_units, kNoPriceDcPrice.base_units);
  // A boundary before the onboarding block sees the genesis state only.
  auto early = SnapshotAtEpochEnd(*ledger_, ledger::testing::kGenesisMs + 500);
  ASSERT_TRUE(early.ok());
  EXPECT_EQ(early->height, 0u);
  EXPECT_TRUE(early->devices.empty());
}

TEST_F(EpochCloseTest, DeviceSuspendedBeforeTheBoundaryEarnsNothing) {
  TestNet net;
  auto before =
      Close(SnapshotAtEpochEnd(*ledger_, EpochWindowOf(FixtureParams(), 0).end_ms).value());
  ASSERT_TRUE(before.ok());
  const crypto::PublicKey device = DeviceKey(5).public_key();  // the busiest device earns
  const rewards::DeviceEntry* earned = rewards::FindDevice(*before, device);
  ASSERT_NE(earned, nullptr);
  ASSERT_GT(earned->amount, 0u);

  ledger::Tx suspend = ledger::testing::MakeTx(
      net.gov, 0,
      ledger::SetDeviceStatus{device, static_cast<uint8_t>(ledger::DeviceStatus::kSuspended), 1});
  auto b = ledger_->ProduceBlock({&suspend}, ledger::testing::kGenesisMs + 2000, net.producer);
  ASSERT_TRUE(b.ok() && b->committed && b->results[0] == ledger::TxError::kOk);
  auto snap = SnapshotAtEpochEnd(*ledger_, EpochWindowOf(FixtureParams(), 0).end_ms);
  ASSERT_TRUE(snap.ok());
  auto after = Close(*snap);
  ASSERT_TRUE(after.ok());
  const rewards::DeviceEntry* suspended = rewards::FindDevice(*after, device);
  ASSERT_NE(suspended, nullptr);
  EXPECT_EQ(suspended->amount, 0u);
  EXPECT_TRUE(suspended->deactivated);
  EXPECT_EQ(after->emission, before->emission);  // the same emission, paid to the others
}

TEST_F(EpochCloseTest, ClosesFromTheLogAndCountsBadRecords) {
  auto snap = SnapshotAtEpochEnd(*ledger_, EpochWindowOf(FixtureParams(), 0).end_ms);
  ASSERT_TRUE(snap.ok());
  auto m = Close(*snap);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->emission, FixtureParams().emission.initial_per_epoch);
  EXPECT_EQ(m->corrupt_records, 1u);
  EXPECT_EQ(stats_.corrupt_records, 1u);
  // 8+10+12+14+16+18 heartbeats, 12 speedtests, 1 late heartbeat.
  EXPECT_EQ(m->reports_seen, 78u + 12u + 1u);
  const rewards::DeviceEntry* d0 = rewards::FindDevice(*m, DeviceKey(0).public_key());
  ASSERT_NE(d0, nullptr);
  EXPECT_EQ(d0->invalid[static_cast<size_t>(verify::InvalidReason::kOutsideEpoch)], 1u);
  EXPECT_FALSE(d0->uptime_ok);  // 8 hours < 12
  EXPECT_EQ(d0->amount, 0u);
  const rewards::DeviceEntry* d5 = rewards::FindDevice(*m, DeviceKey(5).public_key());
  ASSERT_NE(d5, nullptr);
  EXPECT_TRUE(d5->uptime_ok);
  EXPECT_EQ(d5->location_trust_ppm, 1'000'000u);
  EXPECT_GT(d5->amount, 0u);
  EXPECT_EQ(d5->cumulative, d5->amount);
  // Devices 2..5 qualify equally; the availability pool (40% + the unused usage 40%) is split
  // four ways and floored.
  const uint64_t pool = m->emission / 10 * 8;
  EXPECT_EQ(d5->amount, pool / 4);
}

TEST_F(EpochCloseTest, SameInputsGiveTheIdenticalManifest) {
  auto snap = SnapshotAtEpochEnd(*ledger_, EpochWindowOf(FixtureParams(), 0).end_ms);
  ASSERT_TRUE(snap.ok());
  auto a = Close(*snap);
  auto b = Close(*snap, /*verify_sigs=*/true);  // honest log: signatures change nothing
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->root, b->root);
  EXPECT_EQ(rewards::ManifestHash(*a), rewards::ManifestHash(*b));
}

TEST_F(EpochCloseTest, PriorCumulativeCarriesOver) {
  auto snap = SnapshotAtEpochEnd(*ledger_, EpochWindowOf(FixtureParams(), 0).end_ms);
  ASSERT_TRUE(snap.ok());
  auto first = Close(*snap);
  ASSERT_TRUE(first.ok());
  CloseInputs in =
      FixtureCloseInputs(*ledger_, dir_.path(), EpochWindowOf(FixtureParams(), 0), *snap);
  in.emission = first->emission;
  in.prior = first->leaves;
  auto second = CloseEpoch(in);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  const auto* d = rewards::FindDevice(*second, DeviceKey(5).public_key());
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->prior_cumulative, d->amount);
  EXPECT_EQ(d->cumulative, 2 * d->amount);
}

TEST_F(EpochCloseTest, AnEpochWithNoLogIsEmptyNotAnError) {
  auto snap = SnapshotAtEpochEnd(*ledger_, EpochWindowOf(FixtureParams(), 7).end_ms);
  ASSERT_TRUE(snap.ok());
  CloseInputs in =
      FixtureCloseInputs(*ledger_, dir_.path(), EpochWindowOf(FixtureParams(), 7), *snap);
  in.emission = 1000;
  auto m = CloseEpoch(in);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->reports_seen, 0u);
  EXPECT_EQ(m->unallocated_total + m->recipients[0].amount + m->recipients[1].amount, 1000u);
}

}  // namespace
}  // namespace depin::epoch::testing
