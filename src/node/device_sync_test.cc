// DeviceSync against a real ledger (the epoch fixture's six devices): every device is loaded at
// start, and while the ledger's store fails a device whose record cannot be read is registered
// inactive — never left able to send on a stale record — and re-read once the store heals,
// without a restart.
#include "node/device_sync.h"

#include <gtest/gtest.h>

#include "epoch/test_fixture.h"
#include "ingest/device_registry.h"
#include "ledger/test_fault_vfs.h"
#include "util/temp_dir.h"

namespace depin::node {
namespace {

using epoch::testing::BuildLedger;
using epoch::testing::DeviceKey;
using epoch::testing::FixtureParams;
using epoch::testing::kDevices;
using epoch::testing::TestNet;

class DeviceSyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::InitCrypto().ok());
    ASSERT_TRUE(BuildLedger(dir_.File("ledger.db")).ok());
    ledger_ = ledger::Ledger::Open(dir_.File("ledger.db"), FixtureParams()).value();
    sync_ = std::make_unique<DeviceSync>(ledger_.get(), &registry_,
                                         std::vector<ingest::KindMask>(4, ingest::kAllKinds));
  }
  bool Active(int i) const {
    std::optional<ingest::DeviceInfo> info = registry_.Lookup(DeviceKey(i).public_key().bytes);
    return info && info->active;
  }
  // A block whose only transaction changes device i's status: OnBlock re-reads device i.
  static ledger::Block TouchingDevice(int i) {
    ledger::Block b;
    b.txs.push_back(ledger::testing::MakeTx(TestNet().gov, 0,
                                            ledger::SetDeviceStatus{DeviceKey(i).public_key(), 0}));
    return b;
  }

  ledger::testing::FaultVfs vfs_{"ledger.db"};  // before the ledger opens; outlives it
  util::TempDir dir_;
  std::unique_ptr<ledger::Ledger> ledger_;
  ingest::InMemoryDeviceRegistry registry_;
  std::unique_ptr<DeviceSync> sync_;
};

TEST_F(DeviceSyncTest, LoadsEveryDeviceAtStart) {
  util::Result<size_t> loaded = sync_->LoadAll();
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(*loaded, static_cast<size_t>(kDevices));
  for (int i = 0; i < kDevices; ++i) EXPECT_TRUE(Active(i)) << i;
}

TEST_F(DeviceSyncTest, UnreadableDeviceIsInactiveUntilTheStoreHeals) {
  ASSERT_TRUE(sync_->LoadAll().ok());
  ASSERT_TRUE(Active(0));
  vfs_.set_failing(true);
  vfs_.StaleOpenHandles();
  EXPECT_FALSE(sync_->LoadAll().ok());  // an error, not "0 devices"
  sync_->OnBlock(TouchingDevice(0));
  EXPECT_FALSE(Active(0));  // its record could not be read: it sends nothing meanwhile
  EXPECT_TRUE(Active(1));   // untouched devices keep their entries
  EXPECT_EQ(sync_->pending_refresh(), 1u);
  sync_->OnBlock(ledger::Block{});  // still failing: still pending
  EXPECT_EQ(sync_->pending_refresh(), 1u);
  EXPECT_FALSE(Active(0));

  vfs_.set_failing(false);
  sync_->OnBlock(ledger::Block{});  // the next block re-reads it
  EXPECT_EQ(sync_->pending_refresh(), 0u);
  EXPECT_TRUE(Active(0));
}

}  // namespace
}  // namespace depin::node
