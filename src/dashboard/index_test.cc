// LedgerIndex keeps only the newest block rows in memory and reads older ones back from the
// ledger, so a long chain does not grow the dashboard's memory.
#include "dashboard/index.h"

#include <gtest/gtest.h>

#include "epoch/test_fixture.h"
#include "util/temp_dir.h"

namespace depin::dashboard::testing {
namespace {

using namespace depin::epoch::testing;  // the epoch's fixture: BuildLedger, FixtureParams, ...

TEST(LedgerIndexTest, HoldsOnlyTheNewestBlocksAndReadsOlderOnesFromTheLedger) {
  ASSERT_TRUE(crypto::InitCrypto().ok());
  util::TempDir dir;
  ASSERT_TRUE(BuildLedger(dir.File("ledger.db")).ok());  // block 1 onboards kDevices devices
  auto l = ledger::Ledger::Open(dir.File("ledger.db"), FixtureParams());
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  TestNet net;
  uint64_t alice_nonce = 2 * kDevices;  // BuildLedger's onboard and assert transactions
  for (int64_t h = 2; h <= 6; ++h) {
    ledger::Tx tx = ledger::testing::MakeTx(net.alice, alice_nonce++,
                                            ledger::Transfer{net.bob.public_key(), 5});
    // Block 5 moves device 0 as well: its row is updated long after its onboarding block left.
    std::vector<ledger::Tx> txs{tx};
    if (h == 6) {  // alice stakes on device 3: the device's history shows it
      txs.push_back(ledger::testing::MakeTx(
          net.alice, alice_nonce++,
          ledger::Stake{ledger::testing::kToken, DeviceKey(3).public_key()}));
    }
    if (h == 5) {
      txs.push_back(ledger::testing::MakeTx(
          net.alice, alice_nonce++,
          ledger::AssertLocation{DeviceKey(0).public_key(),
                                 verify::S2CellAt({kLat, 86'000'000}, 30)}));
    }
    std::vector<const ledger::Tx*> ptrs;
    for (const auto& t : txs) ptrs.push_back(&t);
    auto b = (*l)->ProduceBlock(ptrs, ledger::testing::kGenesisMs + 1000 * h, net.producer);
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    for (ledger::TxError e : b->results) ASSERT_EQ(e, ledger::TxError::kOk);
  }

  LedgerIndex index(l->get(), /*recent_blocks=*/2);
  ASSERT_TRUE(index.Sync().ok());
  EXPECT_EQ(index.height(), 6u);
  EXPECT_EQ(index.blocks_held(), 2u);
  std::vector<BlockRow> rows = index.LatestBlocks(0, 10);
  ASSERT_EQ(rows.size(), 6u);
  for (size_t i = 0; i < rows.size(); ++i) {
    const uint64_t height = 6 - i;
    auto block = (*l)->GetBlock(height);
    ASSERT_TRUE(block.ok() && block->has_value());
    EXPECT_EQ(rows[i].height, height);
    EXPECT_EQ(rows[i].hash, ledger::BlockHash((*block)->header)) << height;
    EXPECT_EQ(rows[i].timestamp_ms, (*block)->header.timestamp_ms);
    EXPECT_EQ(rows[i].tx_count, (*block)->header.tx_count);
  }
  // A page entirely below the held blocks, and single blocks on both sides of the boundary.
  std::vector<BlockRow> deep = index.LatestBlocks(3, 2);
  ASSERT_EQ(deep.size(), 2u);
  EXPECT_EQ(deep[0].height, 3u);
  EXPECT_EQ(deep[1].height, 2u);
  EXPECT_TRUE(index.LatestBlocks(6, 10).empty());
  ASSERT_TRUE(index.Block(1).has_value());
  EXPECT_EQ(index.Block(1)->timestamp_ms, ledger::testing::kGenesisMs + 1000);
  EXPECT_EQ(index.Block(6)->height, 6u);
  EXPECT_FALSE(index.Block(7).has_value());
  EXPECT_FALSE(index.Block(0).has_value());

  // Devices keep their onboarding time, in key order, with device 0's new location.
  EXPECT_EQ(index.device_count(), static_cast<size_t>(kDevices));
  std::vector<DeviceRow> devices = index.Devices(0, 100);
  ASSERT_EQ(devices.size(), static_cast<size_t>(kDevices));
  for (size_t i = 1; i < devices.size(); ++i) EXPECT_LT(devices[i - 1].key, devices[i].key);
  for (const DeviceRow& d : devices) {
    EXPECT_EQ(d.onboarded_ms, ledger::testing::kGenesisMs + 1000);
    EXPECT_EQ(d.onboarded_height, 1u);
  }
  std::optional<DeviceRow> moved = index.Device(DeviceKey(0).public_key());
  ASSERT_TRUE(moved.has_value());
  EXPECT_NEAR(moved->lng, 8.6, 1e-6);
  EXPECT_EQ(index.RegisteredBefore(ledger::testing::kGenesisMs + 1001),
            static_cast<uint64_t>(kDevices));
  EXPECT_EQ(index.RegisteredBefore(ledger::testing::kGenesisMs + 1000), 0u);

  std::vector<TxRow> device3 = index.TxsOf(DeviceKey(3).public_key());
  ASSERT_FALSE(device3.empty());
  EXPECT_EQ(device3[0].kind, ledger::TxKind::kStake);  // newest first
  EXPECT_EQ(device3[0].height, 6u);
  EXPECT_EQ(index.TxsOf(net.bob.public_key()).size(), 5u);  // the five transfers
}

}  // namespace
}  // namespace depin::dashboard::testing
