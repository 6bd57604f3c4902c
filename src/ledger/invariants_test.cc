// Property-style test: long random sequences of valid and invalid transactions never break the
// ledger's invariants:
//   supply = genesis + minted - burned;
//   balances + stakes + unbonding + reward pool = supply (so no balance went "negative");
//   DC held + delegated = DC minted - DC spent, and no tx changes the DC of an unrelated owner;
//   a rejected tx changes nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

#include "ledger/machine_fixture.h"

namespace depin::ledger::testing {
namespace {

__extension__ using u128 = unsigned __int128;  // GCC/Clang 128-bit integer

class InvariantTest : public MachineTest {
 protected:
  std::vector<crypto::KeyPair> users{TestKey(10), TestKey(11), TestKey(12), TestKey(13),
                                     TestKey(14)};
  std::vector<crypto::KeyPair> devices{TestKey(40), TestKey(41), TestKey(42), TestKey(43)};
  std::mt19937_64 rng;
  std::map<TxError, int> outcomes;
  int settled_ok = 0;      // settle_usage transactions that applied
  int settled_debits = 0;  // ... and debited some delegation

  uint64_t R(uint64_t n) { return n == 0 ? 0 : rng() % n; }
  uint64_t Fee() { return R(3) == 0 ? R(3) : 0; }
  const crypto::KeyPair& User() { return users[R(users.size())]; }
  const crypto::KeyPair& Dev() { return devices[R(devices.size())]; }
  // Amounts: mostly affordable, sometimes absurd.
  uint64_t Amount() {
    switch (R(4)) {
      case 0:
        return R(10);
      case 1:
        return R(5 * kToken);
      case 2:
        return R(200 * kToken);
      default:
        return R(4) == 0 ? UINT64_MAX : R(2000 * kToken);
    }
  }
  std::optional<Address> MaybeDev() {
    if (R(2)) return std::nullopt;
    return Dev().public_key();
  }

  Tx RandomTx() {
    const crypto::KeyPair& u = User();
    switch (R(16)) {
      case 0:
        return MakeTx(u, Nonce(u), Transfer{User().public_key(), Amount()}, Fee());
      case 1: {  // to the signer or, sometimes, to another account
        std::optional<Address> to;
        if (R(3) == 0) to = User().public_key();
        return MakeTx(u, Nonce(u), BurnForCredits{Amount(), 0, to}, Fee());
      }
      case 2:
        return MakeTx(u, Nonce(u), DelegateCredits{User().public_key(), Amount() / 1000}, Fee());
      case 3: {
        const crypto::KeyPair& owner = R(2) ? u : User();
        return MakeTx(u, Nonce(u), SpendCredits{owner.public_key(), 1, Amount() / 1000}, Fee());
      }
      case 4: {
        const crypto::KeyPair* o[] = {&net.price1, &net.price2, &net.price3, &u};
        const crypto::KeyPair& k = *o[R(4)];
        return MakeTx(k, Nonce(k), SubmitPrice{R(3) * 50'000'000}, Fee());
      }
      case 5:
        if (R(2)) {
          return MakeTx(net.gov, Nonce(net.gov),
                        SetDeviceStatus{Dev().public_key(), static_cast<uint8_t>(R(4)), 1}, Fee());
        }
        return MakeTx(net.gov, Nonce(net.gov), RegisterMaker{net.maker.public_key(), "m"}, Fee());
      case 6: {  // the signer owns the device, or pays for another owner (who co-signs)
        const crypto::KeyPair& d = Dev();
        const crypto::KeyPair& owner = User();
        if (R(2) && owner.public_key() != u.public_key()) {
          return MakeCosignedTx(
              u, Nonce(u),
              OnboardDevice{d.public_key(), net.maker.public_key(), 1, owner.public_key()},
              {&net.maker, &d, &owner});
        }
        return MakeCosignedTx(u, Nonce(u), OnboardDevice{d.public_key(), net.maker.public_key(), 1},
                              {&net.maker, &d});
      }
      case 7:
        return MakeTx(u, Nonce(u), AssertLocation{Dev().public_key(), 0x89c2590000000000ULL},
                      Fee());
      case 8:
        return MakeTx(u, Nonce(u), TransferDevice{Dev().public_key(), User().public_key()}, Fee());
      case 9:
        return MakeTx(u, Nonce(u), Stake{Amount(), MaybeDev()}, Fee());
      case 10:
        return MakeTx(u, Nonce(u), Unstake{Amount(), MaybeDev()}, Fee());
      case 11:
        return MakeTx(u, Nonce(u), Withdraw{}, Fee());
      case 12: {
        const crypto::KeyPair& k = R(4) ? net.oracle1 : u;
        uint64_t epoch = EpochOf(net.params, now);
        return MakeTx(k, Nonce(k),
                      PostRewardRoot{epoch == 0 ? 0 : R(epoch), Hash256{}, R(150 * kToken)}, Fee());
      }
      case 13: {
        const crypto::KeyPair& k = R(2) ? net.gov : net.oracle1;
        return MakeCosignedTx(k, Nonce(k), Slash{User().public_key(), MaybeDev(), Amount(), 1}, {});
      }
      case 14: {  // settle usage: payers are users (delegates), sometimes unsorted or zero DC
        const crypto::KeyPair& k = R(4) ? net.oracle1 : u;
        const uint64_t epoch = EpochOf(net.params, now);
        SettleUsage b{R(epoch + 1), static_cast<uint32_t>(R(3)), {}};
        for (uint64_t i = 0, n = 1 + R(3); i < n; ++i) {
          b.debits.push_back({User().public_key(), R(8) == 0 ? 0 : Amount() / 1000});
        }
        if (R(4)) {
          std::sort(b.debits.begin(), b.debits.end(),
                    [](const UsageDebit& x, const UsageDebit& y) { return x.payer < y.payer; });
          b.debits.erase(std::unique(b.debits.begin(), b.debits.end(),
                                     [](const UsageDebit& x, const UsageDebit& y) {
                                       return x.payer == y.payer;
                                     }),
                         b.debits.end());
        }
        return MakeTx(k, Nonce(k), b, Fee());
      }
      default: {
        Tx tx = MakeTx(u, Nonce(u) + R(2), Transfer{User().public_key(), R(kToken)});
        if (R(2)) tx.sig[R(64)] ^= 1;
        return tx;
      }
    }
  }

  // DC attributable to each owner: own credits plus everything it delegated.
  std::map<Address, u128> DcByOwner() {
    std::map<Address, u128> out;
    state.ScanPrefix("a/", [&](std::string_view k, util::ByteView v) {
      Address a;
      std::copy(k.begin() + 2, k.end(), a.bytes.begin());
      out[a] += DecodeAccount(v).value().credits;
    });
    state.ScanPrefix("c/", [&](std::string_view k, util::ByteView v) {
      Address owner;
      std::copy(k.begin() + 2, k.begin() + 34, owner.bytes.begin());
      out[owner] += DecodeU64(v).value();
    });
    for (auto it = out.begin(); it != out.end();) it = it->second == 0 ? out.erase(it) : ++it;
    return out;
  }

  void CheckInvariants() {
    Globals g = G();
    ASSERT_EQ(static_cast<u128>(g.supply) + g.burned, static_cast<u128>(g.genesis) + g.minted);
    u128 balances = 0, credits = 0, staked = 0;
    state.ScanPrefix("a/", [&](std::string_view, util::ByteView v) {
      Account a = DecodeAccount(v).value();
      balances += a.balance;
      credits += a.credits;
    });
    state.ScanPrefix("s/",
                     [&](std::string_view, util::ByteView v) { staked += DecodeU64(v).value(); });
    state.ScanPrefix("u/", [&](std::string_view, util::ByteView v) {
      staked += DecodeUnbonding(v).value().amount;
    });
    state.ScanPrefix("c/",
                     [&](std::string_view, util::ByteView v) { credits += DecodeU64(v).value(); });
    ASSERT_EQ(staked, g.staked);
    ASSERT_EQ(balances + staked + g.reward_pool, g.supply);
    ASSERT_EQ(credits + g.credits_spent, g.credits_minted);
  }

  void RunSequence(uint64_t seed, int steps) {
    rng.seed(seed);
    for (int i = 0; i < steps; ++i) {
      if (R(10) == 0) now += static_cast<int64_t>(R(2 * kEpochMs));
      ++height;
      Tx tx = RandomTx();
      auto dc_before = DcByOwner();
      std::set<Address> allowed{tx.signer};
      if (auto* s = std::get_if<SettleUsage>(&tx.body)) {
        // Settlement debits the owners that delegated to the listed payers.
        state.ScanPrefix("c/", [&](std::string_view k, util::ByteView) {
          Address owner, delegate;
          std::copy(k.begin() + 2, k.begin() + 34, owner.bytes.begin());
          std::copy(k.begin() + 34, k.end(), delegate.bytes.begin());
          for (const UsageDebit& d : s->debits) {
            if (d.payer == delegate) allowed.insert(owner);
          }
        });
      }
      Overlay::Writes before = state.writes();
      const uint64_t spent_before = G().credits_spent;
      TxError e = Run(tx);
      ++outcomes[e];
      if (e != TxError::kOk) {
        ASSERT_TRUE(state.writes() == before) << "rejected " << TxErrorName(e) << " changed state";
        continue;
      }
      if (std::holds_alternative<SettleUsage>(tx.body)) {
        ++settled_ok;
        settled_debits += G().credits_spent > spent_before;
      }
      auto dc_after = DcByOwner();
      if (auto* s = std::get_if<SpendCredits>(&tx.body)) allowed.insert(s->owner);
      if (auto* b = std::get_if<BurnForCredits>(&tx.body); b && b->recipient) {
        allowed.insert(*b->recipient);
      }
      for (const auto& m : {dc_before, dc_after}) {
        for (const auto& [owner, amount] : m) {
          if (allowed.count(owner)) continue;
          ASSERT_EQ(dc_before[owner], dc_after[owner])
              << TxKindName(tx.kind()) << " moved DC of an unrelated owner";
        }
      }
      ASSERT_NO_FATAL_FAILURE(CheckInvariants()) << "after " << TxKindName(tx.kind());
    }
  }

  void SetUp() override {
    net.params.allocations.push_back({users[3].public_key(), 300 * kToken});
    net.params.min_fee = 0;
    net.params.emission.reemit_share_bps = 2000;
    net.params.emission.reemit_cap_per_epoch = 10 * kToken;
    MachineTest::SetUp();
  }
};

TEST_F(InvariantTest, RandomSequencesKeepInvariants) {
  for (uint64_t seed : {1, 2, 3}) {
    ASSERT_NO_FATAL_FAILURE(RunSequence(seed, 1500)) << "seed " << seed;
  }
  // The generator must exercise both outcomes broadly, or the test proves little.
  EXPECT_GT(outcomes[TxError::kOk], 500);
  EXPECT_GT(outcomes.size(), 12u);
  EXPECT_GT(settled_ok, 5) << "settle_usage must succeed sometimes";
  EXPECT_GT(settled_debits, 2) << "and debit delegations sometimes";
}

}  // namespace
}  // namespace depin::ledger::testing
