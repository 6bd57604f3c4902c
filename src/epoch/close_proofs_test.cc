// CloseEpoch with the verifiers chosen by resource class: over the fixture's real report log and
// ledger (every device is class 0), with class 0 configured in different ways.
#include <gtest/gtest.h>

#include "epoch/close.h"
#include "epoch/poc_entropy.h"
#include "epoch/test_fixture.h"
#include "util/temp_dir.h"
#include "verify/registry.h"

namespace depin::epoch::testing {
namespace {

constexpr verify::KindMask kHeartbeat = verify::KindBitOf(verify::ReportKind::kHeartbeat);
constexpr verify::KindMask kCoverage = verify::KindBitOf(verify::ReportKind::kCoverageBeacon) |
                                       verify::KindBitOf(verify::ReportKind::kCoverageWitness);

class EpochCloseProofsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::InitCrypto().ok());
    ASSERT_TRUE(BuildLedger(dir_.File("ledger.db")).ok());
    ASSERT_TRUE(BuildLog(dir_.path(), 0).ok());
    ledger_ = ledger::Ledger::Open(dir_.File("ledger.db"), FixtureParams()).value();
    snap_ = SnapshotAtEpochEnd(*ledger_, EpochWindowOf(FixtureParams(), 0).end_ms).value();
  }

  util::Result<rewards::Manifest> Close(verify::KindMask class0) {
    CloseInputs in =
        FixtureCloseInputs(*ledger_, dir_.path(), EpochWindowOf(FixtureParams(), 0), snap_);
    in.config.verify.min_heartbeat_hours = 8;
    in.config.verifiers.classes = {{"only", class0}};
    in.config.verifiers.network_id = "test-1";
    return CloseEpoch(in);
  }

  util::TempDir dir_;
  std::unique_ptr<ledger::Ledger> ledger_;
  EpochSnapshot snap_;
};

uint32_t Invalid(const rewards::DeviceEntry& d, verify::InvalidReason r) {
  return d.invalid[static_cast<size_t>(r)];
}

TEST_F(EpochCloseProofsTest, TheClassDecidesWhichReportsAreVerified) {
  // Class 0 accepts heartbeats only: the fixture's speedtests are not accepted, and no
  // speedtest tier scales the uptime units.
  auto m = Close(kHeartbeat);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  for (int i = 0; i < kDevices; ++i) {
    const rewards::DeviceEntry* d = rewards::FindDevice(*m, DeviceKey(i).public_key());
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(Invalid(*d, verify::InvalidReason::kKindNotAccepted), 2u) << i;
    EXPECT_EQ(d->speedtests, 0u);
  }
  // With every default kind accepted the same speedtests count.
  auto all = Close(kHeartbeat | verify::KindBitOf(verify::ReportKind::kSpeedtest) |
                   verify::KindBitOf(verify::ReportKind::kDataTransfer));
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(rewards::FindDevice(*all, DeviceKey(0).public_key())->speedtests, 2u);
}

TEST_F(EpochCloseProofsTest, ACoverageClassEarnsFromCoverageOnly) {
  // Heartbeats but no beacons: coverage units replace uptime units, so nobody earns and the
  // availability budget is unallocated rather than paid for uptime.
  auto m = Close(kHeartbeat | kCoverage);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  for (const rewards::DeviceEntry& d : m->devices) {
    EXPECT_TRUE(d.units_from_proofs);
    EXPECT_EQ(d.availability_amount, 0u);
  }
}

TEST_F(EpochCloseProofsTest, AnUnreadableEntropyLogStopsTheCloseUntilItIsRepaired) {
  util::Env* env = util::Env::Default();
  ASSERT_TRUE(env->CreateDirs(dir_.File("poc")).ok());
  const std::string bad = "0 1 2 3 zz zz\n1 2 3 4 zz zz\n";
  ASSERT_TRUE(env->WriteFileAtomic(EntropyLogPath(dir_.path()), util::AsBytes(bad)).ok());
  auto m = Close(kHeartbeat | kCoverage);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("PoC entropy log"), std::string::npos)
      << m.status().ToString();
  EXPECT_NE(m.status().message().find("entropy.log:1:"), std::string::npos);
  // Classes without coverage do not read it.
  EXPECT_TRUE(Close(kHeartbeat).ok());
  ASSERT_TRUE(env->RemoveFile(EntropyLogPath(dir_.path())).ok());
  EXPECT_TRUE(Close(kHeartbeat | kCoverage).ok());
}

}  // namespace
}  // namespace depin::epoch::testing
