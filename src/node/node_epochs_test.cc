// The node's wiring between its ledger, ingest and epoch service, in process over the real
// ledger database and HTTP server (port 0): a device onboarded on the ledger becomes known to
// ingest with its class's report kinds (and again after a restart), and a dev node closes its
// first epoch by itself, posting the manifest's root through its own mempool, and /metrics shows
// it.
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>

#include "epoch/files.h"
#include "http/test_http.h"
#include "ledger/records.h"
#include "ledger/test_util.h"
#include "node/ingest_service.h"
#include "node/node.h"
#include "node/node_test_util.h"

namespace depin::node {
namespace {

using ledger::testing::MakeCosignedTx;
using ledger::testing::MakeTx;

constexpr auto kDeadline = std::chrono::seconds(30);

// The value of an unlabelled metric in Prometheus text, or nullopt.
std::optional<uint64_t> MetricValue(const std::string& text, const std::string& name) {
  const std::string prefix = "\n" + name + " ";
  const size_t at = text.find(prefix);
  if (at == std::string::npos) return std::nullopt;
  return std::stoull(text.substr(at + prefix.size()));
}

using NodeEpochsTest = testing::DevNetworkTest;

TEST(ReportRetentionTest, KeepsTheNewestComputedEpochsAndEveryEpochDedupStillNeeds) {
  EXPECT_EQ(ReportDropFloor(100, 0, 100), 0u);   // 0: keep everything
  EXPECT_EQ(ReportDropFloor(100, 3, 200), 98u);  // keeps 98, 99, 100 (and later ones)
  EXPECT_EQ(ReportDropFloor(2, 3, 200), 0u);     // fewer epochs than the window
  EXPECT_EQ(ReportDropFloor(3, 3, 200), 1u);
  // The duplicate check needs the epochs from one before the oldest live timestamp's epoch.
  EXPECT_EQ(ReportDropFloor(100, 1, 80), 79u);
  EXPECT_EQ(ReportDropFloor(100, 1, 0), 0u);
}

TEST_F(NodeEpochsTest, DeviceOnboardedOnTheLedgerIsKnownToIngest) {
  const crypto::KeyPair device = crypto::KeyPair::Generate();
  {
    std::unique_ptr<Node> node = StartNode(/*dev=*/false);
    ASSERT_TRUE(node);
    EXPECT_FALSE(node->ingest().registry().Lookup(device.public_key().bytes).has_value());
    Onboard(*node, device);
    // The registry is updated on the producer's thread right after the block is durable, before
    // the commit is announced to waiters.
    std::optional<ingest::DeviceInfo> info =
        node->ingest().registry().Lookup(device.public_key().bytes);
    ASSERT_TRUE(info.has_value());
    EXPECT_TRUE(info->active);
    EXPECT_EQ(info->allowed_kinds, *node->ingest().KindsOfClass("wireless"));
    EXPECT_NE(info->allowed_kinds, 0u);
  }
  // A restarted node loads every device from the ledger before it serves.
  std::unique_ptr<Node> node = StartNode(/*dev=*/false);
  ASSERT_TRUE(node);
  std::optional<ingest::DeviceInfo> info =
      node->ingest().registry().Lookup(device.public_key().bytes);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->allowed_kinds, *node->ingest().KindsOfClass("wireless"));
}

TEST_F(NodeEpochsTest, SuspendedDeviceIsInactiveForIngest) {
  const crypto::KeyPair device = crypto::KeyPair::Generate();
  std::unique_ptr<Node> node = StartNode(/*dev=*/false);
  ASSERT_TRUE(node);
  Onboard(*node, device);
  ASSERT_EQ(Commit(*node, MakeTx(gov_, 2,
                                 ledger::SetDeviceStatus{
                                     device.public_key(),
                                     static_cast<uint8_t>(ledger::DeviceStatus::kSuspended), 7})),
            ledger::TxError::kOk);
  std::optional<ingest::DeviceInfo> info =
      node->ingest().registry().Lookup(device.public_key().bytes);
  ASSERT_TRUE(info.has_value());
  EXPECT_FALSE(info->active);
}

// The ledger knows the network's [[resource_classes]] count (LedgerParams::resource_classes), so
// a device of an undefined class is never onboarded (device_sync still gives such a device no
// report kinds, for ledgers written before the check).
TEST_F(NodeEpochsTest, OnboardingAnUnknownResourceClassIsRefused) {
  const crypto::KeyPair device = crypto::KeyPair::Generate();
  std::unique_ptr<Node> node = StartNode(/*dev=*/false);
  ASSERT_TRUE(node);
  EXPECT_GT(node->ledger().machine().params().resource_classes, 0u);
  ASSERT_EQ(Commit(*node, MakeTx(price_, 0, ledger::SubmitPrice{100'000'000})),
            ledger::TxError::kOk);
  ASSERT_EQ(Commit(*node, MakeTx(gov_, 0, ledger::BurnForCredits{1'000'000'000, 0})),
            ledger::TxError::kOk);
  const uint64_t credits = node->ledger().ReadAccount(gov_.public_key()).value().credits;
  EXPECT_EQ(Commit(*node,
                   MakeCosignedTx(
                       gov_, 1, ledger::OnboardDevice{device.public_key(), maker_.public_key(), 99},
                       {&maker_, &device})),
            ledger::TxError::kUnknownResourceClass);
  EXPECT_FALSE(node->ledger().ReadDevice(device.public_key()).value().has_value());
  EXPECT_FALSE(node->ingest().registry().Lookup(device.public_key().bytes).has_value());
  EXPECT_EQ(node->ledger().ReadAccount(gov_.public_key()).value().credits, credits);
}

TEST_F(NodeEpochsTest, DevNodeClosesAndPostsItsFirstEpoch) {
  SetEpochLength("2s");
  std::unique_ptr<Node> node = StartNode(/*dev=*/true);
  ASSERT_TRUE(node);
  const crypto::KeyPair bob = crypto::KeyPair::Generate();
  ASSERT_EQ(Commit(*node, MakeTx(gov_, 0, ledger::Transfer{bob.public_key(), 5})),
            ledger::TxError::kOk);  // block 1: the first rewarded epoch is its epoch
  util::Result<std::optional<ledger::Block>> first = node->ledger().GetBlock(1);
  ASSERT_TRUE(first.ok() && first->has_value());
  const uint64_t epoch =
      ledger::EpochOf(node->ledger().machine().params(), (*first)->header.timestamp_ms);

  std::optional<util::Bytes> posted;
  const auto deadline = std::chrono::steady_clock::now() + kDeadline;
  while (!posted && std::chrono::steady_clock::now() < deadline) {
    node->WaitForBlock(node->ledger().height() + 1, 500);
    posted = node->ledger().ReadState(ledger::keys::RewardRoot(epoch)).value();
  }
  ASSERT_TRUE(posted.has_value()) << "epoch " << epoch << " was not posted in time";
  util::Result<ledger::RewardRoot> root = ledger::DecodeRewardRoot(*posted);
  ASSERT_TRUE(root.ok());
  util::Result<epoch::EpochLeaves> leaves = epoch::LoadEpochLeaves(env_, dir_.path(), epoch);
  ASSERT_TRUE(leaves.ok()) << leaves.status().ToString();
  EXPECT_EQ(root->root, leaves->root);
  EXPECT_EQ(root->total_minted, leaves->total_minted);
  EXPECT_FALSE(node->ledger().ReadState(ledger::keys::RewardRoot(epoch - 1)).value().has_value());

  // GET /metrics shows the closed epoch and the ledger's token flows (economy_metrics.h). The
  // epoch cache rescans the rewards directory at most once a second, and 2 s epochs keep
  // closing: poll until it shows this epoch or a later one, and bound the ledger's totals by
  // reads taken before and after the scrape.
  std::string text;
  ledger::Globals before, after;
  auto shown = [&text] { return MetricValue(text, "depin_epoch_last_closed"); };
  while ((!shown() || *shown() < epoch) && std::chrono::steady_clock::now() < deadline) {
    before = node->ledger().ReadGlobals().value();
    text = depin::http::testing::HttpGet(node->port(), "/metrics").body();
    after = node->ledger().ReadGlobals().value();
  }
  ASSERT_TRUE(shown().has_value()) << text;
  ASSERT_GE(*shown(), epoch) << text;
  const std::optional<uint64_t> minted = MetricValue(text, "depin_ledger_minted_base_units_total");
  ASSERT_TRUE(minted.has_value()) << text;
  EXPECT_GE(*minted, before.minted);
  EXPECT_LE(*minted, after.minted);
  EXPECT_GE(*minted, leaves->total_minted);
  const std::optional<uint64_t> supply = MetricValue(text, "depin_ledger_supply_base_units");
  ASSERT_TRUE(supply.has_value()) << text;
  EXPECT_GE(*supply, before.supply);
  EXPECT_LE(*supply, after.supply);
  EXPECT_GT(MetricValue(text, "depin_epoch_emission_base_units").value_or(0), 0u) << text;
  EXPECT_NE(text.find("# TYPE depin_ledger_reward_pool_base_units gauge"), std::string::npos);
}

}  // namespace
}  // namespace depin::node
