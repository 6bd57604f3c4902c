// EpochService: close, post, idempotence, resume after a crash at each step, auto-claim.
#include "epoch/service.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "epoch/close.h"
#include "epoch/files.h"
#include "epoch/test_fixture.h"
#include "ledger/records.h"
#include "rewards/manifest_json.h"
#include "util/encoding.h"
#include "util/mutex.h"
#include "util/simulated_env.h"
#include "util/temp_dir.h"

namespace depin::epoch::testing {
namespace {

class EpochServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::InitCrypto().ok());
    ASSERT_TRUE(BuildLedger(dir_.File("ledger.db"), paid_usage_).ok());
    ASSERT_TRUE(BuildLog(dir_.path(), 0, paid_usage_).ok());
    auto l = ledger::Ledger::Open(dir_.File("ledger.db"), FixtureParams());
    ASSERT_TRUE(l.ok());
    ledger_ = std::move(l).value();
  }

  std::unique_ptr<EpochService> Service(bool auto_claim = false) {
    EpochServiceOptions o;
    o.data_dir = dir_.path();
    o.config = FixtureRewardConfig();
    o.oracle = net_.oracle1;
    o.auto_claim = auto_claim;
    o.now_ms = [this] { return now_; };
    o.progress = [this](EpochStep step, uint64_t epoch) {
      steps_.push_back(std::string(EpochStepName(step)) + " " + std::to_string(epoch));
    };
    return std::make_unique<EpochService>(
        std::move(o), ledger_.get(),
        MakeDirectSubmitter(ledger_.get(), net_.producer, [this] { return now_; }));
  }

  std::optional<ledger::RewardRoot> Posted(uint64_t epoch) const {
    auto raw = ledger_->ReadState(ledger::keys::RewardRoot(epoch)).value();
    if (!raw) return std::nullopt;
    return ledger::DecodeRewardRoot(*raw).value();
  }

  bool paid_usage_ = false;  // set by subclasses before SetUp
  TestNet net_;
  util::TempDir dir_;
  std::unique_ptr<ledger::Ledger> ledger_;
  int64_t now_ = ledger::testing::kGenesisMs + static_cast<int64_t>(kEpochMs) + 60'000;
  std::vector<std::string> steps_;
};

TEST_F(EpochServiceTest, RefusesAnEpochThatHasNotEnded) {
  now_ = ledger::testing::kGenesisMs + 5;
  auto r = Service()->Close(0);
  EXPECT_EQ(r.status().code(), util::Code::kFailedPrecondition);
  EXPECT_FALSE(Posted(0));
}

TEST_F(EpochServiceTest, ClosesWritesFilesAndPostsOnce) {
  auto svc = Service();
  auto r = svc->Close(0);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->computed);
  EXPECT_TRUE(r->posted_now);
  auto posted = Posted(0);
  ASSERT_TRUE(posted);
  EXPECT_EQ(posted->root, r->root);
  EXPECT_EQ(posted->total_minted, r->total_minted);
  EXPECT_TRUE(util::Env::Default()->FileExists(ManifestPath(dir_.path(), 0)));
  const uint64_t height = ledger_->height();
  const auto manifest_before = LoadManifestText(util::Env::Default(), dir_.path(), 0).value();

  // Closing again: nothing recomputed, nothing posted, the same root.
  auto again = svc->Close(0);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_FALSE(again->computed);
  EXPECT_FALSE(again->posted_now);
  EXPECT_EQ(again->root, r->root);
  EXPECT_EQ(ledger_->height(), height);
  EXPECT_EQ(steps_, (std::vector<std::string>{"computed 0", "posted 0"}));

  // Files removed (a fresh node over the same ledger and log): the recomputed manifest is
  // byte-identical and the ledger refuses a second root (the service sees it already there).
  ASSERT_TRUE(util::Env::Default()->RemoveFile(LeavesPath(dir_.path(), 0)).ok());
  ASSERT_TRUE(util::Env::Default()->RemoveFile(ManifestPath(dir_.path(), 0)).ok());
  auto third = Service()->Close(0);
  ASSERT_TRUE(third.ok()) << third.status().ToString();
  EXPECT_TRUE(third->computed);
  EXPECT_FALSE(third->posted_now);
  EXPECT_EQ(LoadManifestText(util::Env::Default(), dir_.path(), 0).value(), manifest_before);
  EXPECT_EQ(ledger_->height(), height);
}

TEST_F(EpochServiceTest, ResumesAfterACrashBetweenWritingAndPosting) {
  // First run "crashes" after computing: the post fails.
  EpochServiceOptions o;
  o.data_dir = dir_.path();
  o.config = FixtureRewardConfig();
  o.oracle = net_.oracle1;
  o.now_ms = [this] { return now_; };
  EpochService crashing(std::move(o), ledger_.get(), [](const ledger::Tx&) {
    return util::Result<ledger::TxError>(util::Status::Unavailable("killed"));
  });
  EXPECT_EQ(crashing.Close(0).status().code(), util::Code::kUnavailable);
  EXPECT_FALSE(Posted(0));
  EXPECT_TRUE(util::Env::Default()->FileExists(LeavesPath(dir_.path(), 0)));
  auto root_on_disk = LoadEpochLeaves(util::Env::Default(), dir_.path(), 0).value().root;

  auto r = Service()->Close(0);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->computed);  // resumed from the files
  EXPECT_TRUE(r->posted_now);
  EXPECT_EQ(Posted(0)->root, root_on_disk);
}

TEST_F(EpochServiceTest, DetectsAManifestThatDisagreesWithThePostedRoot) {
  ASSERT_TRUE(Service()->Close(0).ok());
  // Damage: a different (but self-consistent) leaves file for the posted epoch.
  rewards::Manifest other;
  other.epoch = 0;
  other.leaves = {{DeviceKey(0).public_key(), 7}};
  other.root = crypto::MerkleRoot(rewards::RewardLeafHashes(other.leaves));
  ASSERT_TRUE(WriteEpochFiles(util::Env::Default(), dir_.path(), other).ok());
  EXPECT_EQ(Service()->Close(0).status().code(), util::Code::kCorruption);
}

TEST_F(EpochServiceTest, CatchUpClosesInOrderAndAutoClaimPaysOwners) {
  now_ += 2 * static_cast<int64_t>(kEpochMs);  // epochs 0, 1 and 2 have ended
  const uint64_t alice_before = ledger_->ReadAccount(net_.alice.public_key()).value().balance;
  auto svc = Service(/*auto_claim=*/true);
  auto r = svc->CatchUp();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_TRUE(Posted(0) && Posted(1) && Posted(2));
  // Epochs 1 and 2 have no reports: device cumulative totals carry over unchanged.
  auto l0 = LoadEpochLeaves(util::Env::Default(), dir_.path(), 0).value();
  auto l2 = LoadEpochLeaves(util::Env::Default(), dir_.path(), 2).value();
  uint64_t devices_total = 0;
  for (const auto& leaf : l0.leaves) {
    if (ledger_->ReadDevice(leaf.key).value()) devices_total += leaf.cumulative;
  }
  EXPECT_GT(devices_total, 0u);
  EXPECT_EQ((*r)[0].claims, 4u);  // devices 2..5 earned
  EXPECT_EQ(ledger_->ReadAccount(net_.alice.public_key()).value().balance,
            alice_before + devices_total);
  for (const auto& leaf : l2.leaves) {
    auto it = std::find_if(l0.leaves.begin(), l0.leaves.end(),
                           [&](const auto& x) { return x.key == leaf.key; });
    if (ledger_->ReadDevice(leaf.key).value()) {
      ASSERT_NE(it, l0.leaves.end());
      EXPECT_EQ(it->cumulative, leaf.cumulative);
    }
  }
  // Nothing is left to do.
  auto idle = Service()->CatchUp();
  ASSERT_TRUE(idle.ok());
  EXPECT_TRUE(idle->empty());
}

TEST_F(EpochServiceTest, AutoClaimsGoOutTogetherWhenTheNodeCanBatch) {
  now_ += 2 * static_cast<int64_t>(kEpochMs);
  const uint64_t alice_before = ledger_->ReadAccount(net_.alice.public_key()).value().balance;
  EpochServiceOptions o;
  o.data_dir = dir_.path();
  o.config = FixtureRewardConfig();
  o.oracle = net_.oracle1;
  o.auto_claim = true;
  o.now_ms = [this] { return now_; };
  std::vector<size_t> batches;
  // One block for all of a batch's claims, as the node's mempool would produce.
  o.submit_all =
      [&](const std::vector<ledger::Tx>& txs) -> util::Result<std::vector<ledger::TxError>> {
    batches.push_back(txs.size());
    std::vector<const ledger::Tx*> ptrs;
    for (const auto& t : txs) ptrs.push_back(&t);
    const int64_t ts = std::max(now_, ledger_->tip_timestamp_ms() + 1);
    DEPIN_ASSIGN_OR_RETURN(ledger::ProducedBlock b, ledger_->ProduceBlock(ptrs, ts, net_.producer));
    return b.results;
  };
  EpochService svc(std::move(o), ledger_.get(),
                   MakeDirectSubmitter(ledger_.get(), net_.producer, [this] { return now_; }));
  auto r = svc.CatchUp();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)[0].claims, 4u);               // devices 2..5 earned in epoch 0
  EXPECT_EQ(batches, std::vector<size_t>{4});  // in one batch; later epochs had nothing new
  uint64_t devices_total = 0;
  util::Result<EpochLeaves> epoch0 = LoadEpochLeaves(util::Env::Default(), dir_.path(), 0);
  ASSERT_TRUE(epoch0.ok()) << epoch0.status().ToString();
  for (const auto& leaf : epoch0->leaves) {
    if (ledger_->ReadDevice(leaf.key).value()) devices_total += leaf.cumulative;
  }
  EXPECT_EQ(ledger_->ReadAccount(net_.alice.public_key()).value().balance,
            alice_before + devices_total);
}

TEST_F(EpochServiceTest, SpeedtestsCarryIntoTheNextEpochWithinTheWindow) {
  now_ += 2 * static_cast<int64_t>(kEpochMs);  // epochs 0, 1 and 2 (24 h each) have ended
  auto svc = Service();
  ASSERT_TRUE(svc->CatchUp().ok());
  util::Env* env = util::Env::Default();
  // Epoch 0's log has two speedtests per device, 2 h into the epoch.
  auto h0 = LoadSpeedtestHistory(env, dir_.path(), 0);
  ASSERT_TRUE(h0.ok()) << h0.status().ToString();
  ASSERT_EQ(h0->size(), static_cast<size_t>(kDevices));
  EXPECT_EQ((*h0)[0].samples.size(), 2u);
  // Epoch 1 has no reports, but its end is within 48 h of those tests: they still count.
  auto h1 = LoadSpeedtestHistory(env, dir_.path(), 1);
  ASSERT_TRUE(h1.ok());
  EXPECT_EQ(*h1, *h0);
  // Epoch 2 ends 70 h after them: out of the window.
  auto h2 = LoadSpeedtestHistory(env, dir_.path(), 2);
  ASSERT_TRUE(h2.ok());
  EXPECT_TRUE(h2->empty());
}

TEST_F(EpochServiceTest, DamagedSpeedtestHistoryStopsTheNextClose) {
  now_ += static_cast<int64_t>(kEpochMs);  // epochs 0 and 1 have ended
  ASSERT_TRUE(Service()->Close(0).ok());
  ASSERT_TRUE(util::Env::Default()
                  ->WriteFileAtomic(SpeedtestsPath(dir_.path(), 0), util::Bytes{1, 0, 0, 0})
                  .ok());
  auto r = Service()->Close(1);
  EXPECT_EQ(r.status().code(), util::Code::kCorruption) << r.status().ToString();
  EXPECT_FALSE(Posted(1));
}

TEST_F(EpochServiceTest, FirstEpochStartsTheChainOfCumulativeTotals) {
  now_ += 3 * static_cast<int64_t>(kEpochMs);  // epochs 0..3 have ended
  EpochServiceOptions o;
  o.data_dir = dir_.path();
  o.config = FixtureRewardConfig();
  o.oracle = net_.oracle1;
  o.first_epoch = 2;
  o.now_ms = [this] { return now_; };
  EpochService svc(std::move(o), ledger_.get(),
                   MakeDirectSubmitter(ledger_.get(), net_.producer, [this] { return now_; }));
  EXPECT_EQ(svc.Close(1).status().code(), util::Code::kFailedPrecondition);
  auto r = svc.CatchUp();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].epoch, 2u);
  EXPECT_EQ((*r)[1].epoch, 3u);
  EXPECT_FALSE(Posted(0) || Posted(1));
  EXPECT_TRUE(Posted(2) && Posted(3));
}

// The timer runs on simulated time: nothing is closed while the clock stands before the end of
// epoch 0, however often the thread could have polled; one poll after the clock passes it, the
// epoch is closed and posted.
TEST_F(EpochServiceTest, TimerThreadClosesEndedEpochsOnTheEnvsClock) {
  util::SimulatedEnv sim(util::Env::Default(), ledger::testing::kGenesisMs + 5);
  util::Mutex mu;
  util::CondVar cv;
  std::vector<EpochStep> steps;
  EpochServiceOptions o;
  o.env = &sim;  // files go to disk through it; now_ms defaults to its clock
  o.data_dir = dir_.path();
  o.config = FixtureRewardConfig();
  o.oracle = net_.oracle1;
  o.poll_ms = 1000;
  o.progress = [&](EpochStep step, uint64_t) {
    util::MutexLock lock(mu);
    steps.push_back(step);
    cv.NotifyAll();
  };
  EpochService svc(
      std::move(o), ledger_.get(),
      MakeDirectSubmitter(ledger_.get(), net_.producer, [&sim] { return sim.NowUnixMillis(); }));
  svc.Start();
  sim.WaitForSleeps(1);  // the first poll is done and the thread sleeps
  sim.AdvanceByMillis(kEpochMs - 1000);
  sim.WaitForSleeps(2);  // a second poll, still inside epoch 0, is done
  EXPECT_FALSE(Posted(0).has_value());
  sim.AdvanceByMillis(60'000);  // past the end of epoch 0
  {
    util::MutexLock lock(mu);
    EXPECT_TRUE(cv.WaitFor(mu, std::chrono::seconds(60), [&]() REQUIRES(mu) {
      return std::find(steps.begin(), steps.end(), EpochStep::kPosted) != steps.end();
    }));
    EXPECT_EQ(steps.front(), EpochStep::kComputed);
  }
  svc.Stop();
  EXPECT_TRUE(Posted(0).has_value());
  EXPECT_TRUE(svc.last_error().ok()) << svc.last_error().ToString();
}

// Stop() ends the timer's sleep through its Wakeup: it returns although simulated time never
// moves and the poll interval is a day.
TEST_F(EpochServiceTest, StopEndsTheTimersSleep) {
  util::SimulatedEnv sim(util::Env::Default(), ledger::testing::kGenesisMs + 5);
  EpochServiceOptions o;
  o.env = &sim;
  o.data_dir = dir_.path();
  o.config = FixtureRewardConfig();
  o.oracle = net_.oracle1;
  o.poll_ms = 24 * 3600 * 1000;
  EpochService svc(
      std::move(o), ledger_.get(),
      MakeDirectSubmitter(ledger_.get(), net_.producer, [&sim] { return sim.NowUnixMillis(); }));
  svc.Start();
  sim.WaitForSleeps(1);
  svc.Stop();
  EXPECT_EQ(sim.NowMicros(), 0u);
  EXPECT_FALSE(Posted(0).has_value());
}

http::Response Get(const http::Router& router, const std::string& path) {
  http::Request req;
  req.method = "GET";
  req.path = path;
  req.target = path;
  http::Response got;
  router.Dispatch(req, http::Responder([&got](http::Response r) { got = std::move(r); }));
  return got;
}

TEST_F(EpochServiceTest, ApiServesTheManifestAndADevicesProof) {
  auto r = Service()->Close(0);
  ASSERT_TRUE(r.ok());
  http::Router router;
  AddEpochRoutes(&router, util::Env::Default(), dir_.path());
  http::Response m = Get(router, "/v1/epochs/0/manifest");
  EXPECT_EQ(m.status, 200);
  EXPECT_EQ(m.body, LoadManifestText(util::Env::Default(), dir_.path(), 0).value());
  const std::string key = DeviceKey(5).public_key().ToBase58();
  http::Response d = Get(router, "/v1/epochs/0/devices/" + key);
  ASSERT_EQ(d.status, 200) << d.body;
  auto j = nlohmann::json::parse(d.body);
  EXPECT_EQ(j["device"], key);
  // The proof verifies against the posted root with the ledger's own leaf hash.
  crypto::MerkleProof proof;
  proof.leaf_index = j["proof"]["leaf_index"].get<uint64_t>();
  proof.leaf_count = j["proof"]["leaf_count"].get<uint64_t>();
  for (const auto& s : j["proof"]["siblings"]) {
    auto bytes = util::HexDecodeExact(s.get<std::string>(), 32).value();
    crypto::Hash256 h;
    std::copy(bytes.begin(), bytes.end(), h.begin());
    proof.siblings.push_back(h);
  }
  const uint64_t cumulative = std::stoull(j["cumulative"].get<std::string>());
  EXPECT_GT(cumulative, 0u);
  EXPECT_TRUE(crypto::VerifyMerkleProof(
      Posted(0)->root, ledger::StateMachine::RewardLeaf(DeviceKey(5).public_key(), cumulative),
      proof));
  EXPECT_NE(j["explanation"].get<std::string>().find("hours"), std::string::npos);
  EXPECT_EQ(Get(router, "/v1/epochs/9/manifest").status, 404);
  EXPECT_EQ(Get(router, "/v1/epochs/x1/manifest").status, 400);
  EXPECT_EQ(Get(router, "/v1/epochs/0/devices/not-a-key").status, 400);
}

// SETTLED: the payer's DC burned on paid usage (the manifest's payer_burns) is debited from its
// delegations on the ledger, in owner-key order, once.
class EpochSettleTest : public EpochServiceTest {
 protected:
  EpochSettleTest() { paid_usage_ = true; }

  uint64_t Delegated(const crypto::KeyPair& owner) const {
    auto raw =
        ledger_
            ->ReadState(ledger::keys::Delegation(owner.public_key(), UsagePayerKey().public_key()))
            .value();
    return raw ? ledger::DecodeU64(*raw).value() : 0;
  }
  uint64_t CreditsSpent() const {
    return ledger::DecodeGlobals(*ledger_->ReadState(ledger::keys::Globals()).value())
        .value()
        .credits_spent;
  }
  uint64_t ManifestBurn() const {
    auto m =
        rewards::ManifestFromJson(LoadManifestText(util::Env::Default(), dir_.path(), 0).value());
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    if (!m.ok()) return 0;
    EXPECT_EQ(m->payer_burns.size(), 1u);
    uint64_t total = 0;
    for (const auto& b : m->payer_burns) {
      EXPECT_EQ(b.payer, UsagePayerKey().public_key());
      total += b.dc_burned;
    }
    return total;
  }
};

TEST_F(EpochSettleTest, ClosingDebitsThePayersDelegationsByExactlyTheManifestsBurnsOnce) {
  ASSERT_EQ(Delegated(net_.alice), kAliceDelegatedDc);
  ASSERT_EQ(Delegated(net_.bob), kBobDelegatedDc);
  const uint64_t spent_before = CreditsSpent();
  auto svc = Service();
  auto r = svc->Close(0);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->settled, 1u);
  const uint64_t burned = ManifestBurn();
  ASSERT_EQ(burned, kReceiptDc[0] + kReceiptDc[1]) << "the fixture's receipts were not counted";
  EXPECT_EQ(Delegated(net_.alice) + Delegated(net_.bob),
            kAliceDelegatedDc + kBobDelegatedDc - burned);
  // The lower owner key is drained first.
  const bool alice_first = net_.alice.public_key() < net_.bob.public_key();
  const uint64_t first_held = alice_first ? kAliceDelegatedDc : kBobDelegatedDc;
  EXPECT_EQ(Delegated(alice_first ? net_.alice : net_.bob),
            first_held - std::min(first_held, burned));
  EXPECT_EQ(CreditsSpent(), spent_before + burned);
  auto raw = ledger_->ReadState(ledger::keys::UsageSettlement(0, 0)).value();
  ASSERT_TRUE(raw);
  EXPECT_EQ(ledger::DecodeUsageSettlement(*raw).value().debited, burned);
  EXPECT_EQ(steps_, (std::vector<std::string>{"computed 0", "posted 0", "settled 0"}));

  // Again, and through CatchUp: nothing is submitted and nothing changes.
  const uint64_t height = ledger_->height();
  const uint64_t alice = Delegated(net_.alice), bob = Delegated(net_.bob);
  auto again = svc->Close(0);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->settled, 0u);
  auto caught = Service()->CatchUp();
  ASSERT_TRUE(caught.ok()) << caught.status().ToString();
  EXPECT_TRUE(caught->empty());
  EXPECT_EQ(ledger_->height(), height);
  EXPECT_EQ(Delegated(net_.alice), alice);
  EXPECT_EQ(Delegated(net_.bob), bob);
  EXPECT_EQ(CreditsSpent(), spent_before + burned);
}

TEST_F(EpochSettleTest, ResumesAfterACrashBeforeOrAfterTheSettlementCommitted) {
  const uint64_t held = kAliceDelegatedDc + kBobDelegatedDc;
  // Run 1 "crashes" when it submits settle_usage: posted, nothing debited.
  auto direct = MakeDirectSubmitter(ledger_.get(), net_.producer, [this] { return now_; });
  auto crash_on_settle = [&](bool after_commit) {
    EpochServiceOptions o;
    o.data_dir = dir_.path();
    o.config = FixtureRewardConfig();
    o.oracle = net_.oracle1;
    o.now_ms = [this] { return now_; };
    return std::make_unique<EpochService>(
        std::move(o), ledger_.get(),
        [&, after_commit](const ledger::Tx& tx) -> util::Result<ledger::TxError> {
          if (!std::holds_alternative<ledger::SettleUsage>(tx.body)) return direct(tx);
          if (after_commit) (void)direct(tx);
          return util::Status::Unavailable("killed");
        });
  };
  EXPECT_EQ(crash_on_settle(false)->Close(0).status().code(), util::Code::kUnavailable);
  ASSERT_TRUE(Posted(0));
  EXPECT_EQ(Delegated(net_.alice) + Delegated(net_.bob), held);
  // Run 2 commits the settlement but "dies" before learning it.
  EXPECT_EQ(crash_on_settle(true)->Close(0).status().code(), util::Code::kUnavailable);
  const uint64_t burned = ManifestBurn();
  EXPECT_EQ(Delegated(net_.alice) + Delegated(net_.bob), held - burned);
  // Run 3 finds the chunk settled: nothing submitted, nothing debited twice.
  const uint64_t height = ledger_->height();
  auto r = Service()->Close(0);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->settled, 0u);
  EXPECT_EQ(ledger_->height(), height);
  EXPECT_EQ(Delegated(net_.alice) + Delegated(net_.bob), held - burned);
}

TEST_F(EpochSettleTest, AnOlderEpochWithoutABurnsFileIsSettledFromItsManifest) {
  auto svc = Service();
  // Compute and post without settling (as a node from before settle_usage did).
  EpochServiceOptions o;
  o.data_dir = dir_.path();
  o.config = FixtureRewardConfig();
  o.oracle = net_.oracle1;
  o.now_ms = [this] { return now_; };
  auto direct = MakeDirectSubmitter(ledger_.get(), net_.producer, [this] { return now_; });
  EpochService old(std::move(o), ledger_.get(), [&](const ledger::Tx& tx) {
    if (std::holds_alternative<ledger::SettleUsage>(tx.body)) {
      return util::Result<ledger::TxError>(util::Status::Unavailable("no settle_usage yet"));
    }
    return direct(tx);
  });
  EXPECT_FALSE(old.Close(0).ok());
  ASSERT_TRUE(util::Env::Default()->RemoveFile(PayerBurnsPath(dir_.path(), 0)).ok());
  auto r = svc->Close(0);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->settled, 1u);
  EXPECT_EQ(Delegated(net_.alice) + Delegated(net_.bob),
            kAliceDelegatedDc + kBobDelegatedDc - ManifestBurn());
}

}  // namespace
}  // namespace depin::epoch::testing
