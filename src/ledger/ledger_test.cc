#include "ledger/ledger.h"

#include <gtest/gtest.h>

#include <random>

#include "ledger/test_util.h"
#include "util/env.h"
#include "util/temp_dir.h"
#include "wire/block.h"

namespace depin::ledger::testing {
namespace {

class LedgerTest : public ::testing::Test {
 protected:
  TestNet net;
  util::TempDir dir;
  std::mt19937_64 rng{42};
  std::map<Address, uint64_t> nonces;
  std::vector<crypto::KeyPair> users{TestKey(10), TestKey(11), TestKey(12)};

  std::unique_ptr<Ledger> OpenAt(const std::string& name) {
    auto l = Ledger::Open(dir.File(name), net.params);
    EXPECT_TRUE(l.ok()) << l.status().ToString();
    return l.ok() ? std::move(l).value() : nullptr;
  }
  Tx Next(const crypto::KeyPair& k, TxBody body) {
    return MakeTx(k, nonces[k.public_key()]++, std::move(body));
  }
  std::vector<Tx> RandomBatch(size_t n) {
    std::vector<Tx> txs;
    for (size_t i = 0; i < n; ++i) {
      const crypto::KeyPair& u = users[rng() % users.size()];
      switch (rng() % 4) {
        case 0:
          txs.push_back(Next(u, Stake{1 + rng() % kToken, std::nullopt}));
          break;
        case 1:
          txs.push_back(Next(net.price1, SubmitPrice{1 + rng() % 100'000'000}));
          break;
        default:
          txs.push_back(
              Next(u, Transfer{users[rng() % users.size()].public_key(), 1 + rng() % kToken}));
      }
    }
    return txs;
  }
  static std::vector<const Tx*> Ptrs(const std::vector<Tx>& txs) {
    std::vector<const Tx*> out;
    for (const Tx& t : txs) out.push_back(&t);
    return out;
  }
  int64_t Time(uint64_t h) { return kGenesisMs + static_cast<int64_t>(h * 100); }
};

TEST_F(LedgerTest, ProduceCommitsAndSurvivesReopen) {
  Hash256 state_hash;
  {
    auto l = OpenAt("a.db");
    ASSERT_TRUE(l);
    EXPECT_EQ(l->height(), 0u);
    std::vector<Tx> txs = {Next(net.alice, Transfer{net.bob.public_key(), 7}),
                           MakeTx(net.alice, 5, Transfer{net.bob.public_key(), 1})};  // bad nonce
    auto r = l->ProduceBlock(Ptrs(txs), Time(1), net.producer);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_TRUE(r->committed);
    EXPECT_EQ(r->results[0], TxError::kOk);
    EXPECT_EQ(r->results[1], TxError::kBadNonce);
    EXPECT_EQ(r->block.txs.size(), 1u);
    EXPECT_EQ(l->height(), 1u);
    EXPECT_EQ(l->tip_hash(), r->hash);
    auto loc = l->FindTx(TxId(txs[0]));
    ASSERT_TRUE(loc.ok() && *loc);
    EXPECT_EQ((*loc)->height, 1u);
    EXPECT_FALSE(*l->FindTx(TxId(txs[1])));
    state_hash = l->state_hash();
    EXPECT_EQ(state_hash, r->block.header.state_hash);
  }
  auto l = OpenAt("a.db");
  ASSERT_TRUE(l);
  EXPECT_EQ(l->height(), 1u);
  EXPECT_EQ(l->state_hash(), state_hash);
  EXPECT_EQ(l->ReadAccount(net.bob.public_key()).value().balance, 1000 * kToken + 7);
  EXPECT_TRUE(VerifyChain(dir.File("a.db"), net.params).ok());
}

TEST_F(LedgerTest, NoBlockWhenNothingApplies) {
  auto l = OpenAt("a.db");
  std::vector<Tx> txs = {MakeTx(net.alice, 3, Transfer{net.bob.public_key(), 1})};
  auto r = l->ProduceBlock(Ptrs(txs), Time(1), net.producer);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->committed);
  EXPECT_EQ(l->height(), 0u);
}

// Two nodes fed the same blocks reach identical state hashes; replay matches both.
TEST_F(LedgerTest, FollowerReachesIdenticalStateHashes) {
  auto leader = OpenAt("leader.db");
  auto follower = OpenAt("follower.db");
  ASSERT_TRUE(leader && follower);
  EXPECT_EQ(leader->state_hash(), follower->state_hash());
  for (uint64_t h = 1; h <= 30; ++h) {
    std::vector<Tx> txs = RandomBatch(1 + rng() % 40);
    auto r = leader->ProduceBlock(Ptrs(txs), Time(h), net.producer);
    ASSERT_TRUE(r.ok() && r->committed);
    ASSERT_TRUE(follower->ApplyBlock(r->block).ok());
    ASSERT_EQ(follower->state_hash(), leader->state_hash()) << "height " << h;
    ASSERT_EQ(follower->tip_hash(), leader->tip_hash());
  }
  std::vector<uint64_t> seen;
  ASSERT_TRUE(VerifyChain(dir.File("leader.db"), net.params, [&](uint64_t h, uint64_t tip) {
                EXPECT_EQ(tip, 30u);
                seen.push_back(h);
              }).ok());
  EXPECT_EQ(seen.size(), 30u);
  EXPECT_TRUE(VerifyChain(dir.File("follower.db"), net.params).ok());
}

// A ledger block header is a wire v1 BlockHeader: same hash, and the producer's signature
// verifies over wire's signing bytes; the stored header keeps the network id.
TEST_F(LedgerTest, HeaderHashAndSignatureAreWireV1s) {
  auto leader = OpenAt("leader.db");
  std::vector<Tx> txs = RandomBatch(3);
  auto r = leader->ProduceBlock(Ptrs(txs), Time(1), net.producer);
  ASSERT_TRUE(r.ok() && r->committed);
  const BlockHeader& h = r->block.header;
  EXPECT_EQ(h.network_id, net.params.chain_id);
  const wire::v1::BlockHeader w = ToWireHeader(h);
  EXPECT_EQ(wire::ComputeBlockHash(w).value(), BlockHash(h));
  EXPECT_EQ(wire::BlockHeaderSigningBytes(w).value(), BlockSigningBytes(h));
  EXPECT_TRUE(crypto::Verify(h.producer, wire::BlockHeaderSigningBytes(w).value(), h.sig));
  auto stored = leader->GetBlock(1);
  ASSERT_TRUE(stored.ok() && *stored);
  EXPECT_EQ((*stored)->header.network_id, net.params.chain_id);
  EXPECT_EQ(BlockHash((*stored)->header), BlockHash(h));
  auto decoded = DecodeBlockHeader(EncodeBlockHeader(h));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(BlockHash(*decoded), BlockHash(h));
  util::Bytes truncated = EncodeBlockHeader(h);
  truncated.resize(truncated.size() - 70);
  EXPECT_FALSE(DecodeBlockHeader(truncated).ok());
}

TEST_F(LedgerTest, ApplyBlockRejectsBadBlocksAndChangesNothing) {
  auto leader = OpenAt("leader.db");
  auto follower = OpenAt("follower.db");
  std::vector<Tx> txs = RandomBatch(5);
  auto r = leader->ProduceBlock(Ptrs(txs), Time(1), net.producer);
  ASSERT_TRUE(r.ok() && r->committed);
  Hash256 before = follower->state_hash();
  uint64_t height = 0;
  auto expect_rejected = [&](Block b, util::Code code, std::string_view what) {
    util::Status s = follower->ApplyBlock(b);
    EXPECT_EQ(s.code(), code) << what << ": " << s.ToString();
    EXPECT_EQ(follower->height(), height);
    EXPECT_EQ(follower->state_hash(), before);
  };
  Block b = r->block;
  b.header.prev_hash[0] ^= 1;
  SignBlock(&b.header, net.producer);
  expect_rejected(b, util::Code::kInvalidArgument, "prev hash");
  b = r->block;
  b.header.network_id = "other-chain";
  SignBlock(&b.header, net.producer);
  expect_rejected(b, util::Code::kInvalidArgument, "network id");
  b = r->block;
  SignBlock(&b.header, net.alice);
  expect_rejected(b, util::Code::kPermissionDenied, "unauthorized producer");
  b = r->block;
  b.header.sig[0] ^= 1;
  expect_rejected(b, util::Code::kUnauthenticated, "signature");
  b = r->block;
  b.header.state_hash[0] ^= 1;
  SignBlock(&b.header, net.producer);
  expect_rejected(b, util::Code::kCorruption, "state hash");
  b = r->block;
  b.txs.pop_back();
  expect_rejected(b, util::Code::kInvalidArgument, "tx count");
  b = r->block;
  b.txs[0].sig[3] ^= 1;  // the tx id (and so the root) does not cover signatures
  expect_rejected(b, util::Code::kInvalidArgument, "tx signature");
  b = r->block;
  b.txs[0].nonce += 1;
  expect_rejected(b, util::Code::kInvalidArgument, "tx root");
  ASSERT_TRUE(follower->ApplyBlock(r->block).ok());
  before = follower->state_hash();
  height = 1;
  expect_rejected(r->block, util::Code::kInvalidArgument, "replayed block");
}

TEST_F(LedgerTest, VerifyDetectsTamperedState) {
  {
    auto l = OpenAt("a.db");
    std::vector<Tx> txs = RandomBatch(10);
    ASSERT_TRUE(l->ProduceBlock(Ptrs(txs), Time(1), net.producer).ok());
  }
  ASSERT_TRUE(VerifyChain(dir.File("a.db"), net.params).ok());
  {
    SQLite::Database db(dir.File("a.db"), SQLite::OPEN_READWRITE);
    SQLite::Statement s(db, "UPDATE state SET value = ? WHERE key = ?");
    Account rich{UINT64_MAX / 2, 0, 0};
    util::Bytes v = Encode(rich);
    std::string k = keys::Account(net.carol.public_key());
    s.bind(1, v.data(), static_cast<int>(v.size()));
    s.bind(2, k.data(), static_cast<int>(k.size()));
    ASSERT_EQ(s.exec(), 1);
  }
  util::Status s = VerifyChain(dir.File("a.db"), net.params);
  EXPECT_EQ(s.code(), util::Code::kCorruption) << s.ToString();
}

TEST_F(LedgerTest, RefusesAnotherChainsDatabase) {
  ASSERT_TRUE(OpenAt("a.db"));
  net.params.chain_id = "other";
  auto l = Ledger::Open(dir.File("a.db"), net.params);
  EXPECT_EQ(l.status().code(), util::Code::kFailedPrecondition);
  net.params.chain_id = "test";
  net.params.allocations[0].amount += 1;
  EXPECT_EQ(Ledger::Open(dir.File("a.db"), net.params).status().code(),
            util::Code::kFailedPrecondition);
}

TEST_F(LedgerTest, DevicesOfOwnerAndBlockLookups) {
  auto l = OpenAt("a.db");
  net.params.price_oracle_keys = {net.price1.public_key()};
  crypto::KeyPair dev = TestKey(80);
  std::vector<Tx> txs = {Next(net.gov, RegisterMaker{net.maker.public_key(), "acme"}),
                         Next(net.price1, SubmitPrice{100'000'000}),
                         Next(net.alice, BurnForCredits{50 * kToken})};
  txs.push_back(MakeCosignedTx(net.alice, nonces[net.alice.public_key()]++,
                               OnboardDevice{dev.public_key(), net.maker.public_key(), 2},
                               {&net.maker, &dev}));
  auto r = l->ProduceBlock(Ptrs(txs), Time(1), net.producer);
  ASSERT_TRUE(r.ok());
  for (TxError e : r->results) EXPECT_EQ(e, TxError::kOk) << TxErrorName(e);
  auto devs = l->ReadDevicesOfOwner(net.alice.public_key()).value();
  ASSERT_EQ(devs.size(), 1u);
  EXPECT_EQ(devs[0], dev.public_key());
  EXPECT_TRUE(l->ReadDevicesOfOwner(net.bob.public_key()).value().empty());
  ASSERT_TRUE(l->ReadDevice(dev.public_key()).value());
  auto by_hash = l->GetBlockByHash(r->hash);
  ASSERT_TRUE(by_hash.ok() && *by_hash);
  EXPECT_EQ((*by_hash)->header.height, 1u);
  EXPECT_EQ((*by_hash)->txs.size(), 4u);
}

// Offline readers open read-only: nothing is created where there is no ledger, the committed
// state reads as the writer left it, and no block can be made or applied through it.
TEST_F(LedgerTest, ReadOnlyOpenCreatesNothingReadsTheStateAndRefusesBlocks) {
  auto missing = Ledger::OpenReadOnly(dir.File("none.db"), net.params);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), util::Code::kNotFound) << missing.status().ToString();
  EXPECT_FALSE(util::Env::Default()->FileExists(dir.File("none.db")));

  Hash256 state_hash;
  {
    auto l = OpenAt("a.db");
    ASSERT_TRUE(l);
    std::vector<Tx> txs = {Next(net.alice, Transfer{net.bob.public_key(), 7})};
    ASSERT_TRUE(l->ProduceBlock(Ptrs(txs), Time(1), net.producer).ok());
    state_hash = l->state_hash();
  }
  auto ro = Ledger::OpenReadOnly(dir.File("a.db"), net.params);
  ASSERT_TRUE(ro.ok()) << ro.status().ToString();
  EXPECT_EQ((*ro)->height(), 1u);
  EXPECT_EQ((*ro)->state_hash(), state_hash);
  EXPECT_EQ((*ro)->ReadAccount(net.bob.public_key()).value().balance, 1000 * kToken + 7);
  std::vector<Tx> more = {Next(net.alice, Transfer{net.bob.public_key(), 1})};
  auto produced = (*ro)->ProduceBlock(Ptrs(more), Time(2), net.producer);
  ASSERT_FALSE(produced.ok());
  EXPECT_EQ(produced.status().code(), util::Code::kFailedPrecondition);
  EXPECT_EQ((*ro)->height(), 1u);

  LedgerParams other = net.params;
  other.chain_id = "other";
  EXPECT_FALSE(Ledger::OpenReadOnly(dir.File("a.db"), other).ok());  // still checks the chain
}

}  // namespace
}  // namespace depin::ledger::testing
