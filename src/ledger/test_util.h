// Test helpers for the ledger: deterministic keys, a small test network's parameters, and
// builders that sign transactions. For tests and benchmarks only; not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "crypto/ed25519.h"
#include "ledger/params.h"
#include "ledger/records.h"
#include "ledger/state.h"
#include "ledger/tx.h"

namespace depin::ledger::testing {

// The key derived from seed {n, n, ..., n} (distinct keys for distinct n).
inline crypto::KeyPair TestKey(uint8_t n) {
  util::Bytes seed(crypto::kSeedSize, n);
  return crypto::KeyPair::FromSeed(seed).value();
}

inline constexpr uint64_t kToken = 100'000'000;  // 10^8 base units
inline constexpr int64_t kGenesisMs = 1'700'000'000'000;
inline constexpr uint64_t kEpochMs = 1'000;
// TestNet's chain id: what MakeTx and MakeCosignedTx sign for.
inline constexpr char kTestChainId[] = "test";

struct TestNet {
  crypto::KeyPair gov = TestKey(1), producer = TestKey(2), price1 = TestKey(3), price2 = TestKey(4),
                  price3 = TestKey(5), oracle1 = TestKey(6), oracle2 = TestKey(7),
                  oracle3 = TestKey(8), maker = TestKey(9), alice = TestKey(10), bob = TestKey(11),
                  carol = TestKey(12);
  LedgerParams params;

  TestNet() {
    params.chain_id = kTestChainId;
    params.genesis_time_ms = kGenesisMs;
    params.epoch_length_ms = kEpochMs;
    params.allocations = {{alice.public_key(), 1'000 * kToken},
                          {bob.public_key(), 1'000 * kToken},
                          {carol.public_key(), 10 * kToken}};
    params.governance_keys = {gov.public_key()};
    params.producer_keys = {producer.public_key()};
    params.price_oracle_keys = {price1.public_key(), price2.public_key(), price3.public_key()};
    params.reward_oracle_keys = {oracle1.public_key(), oracle2.public_key(), oracle3.public_key()};
    params.slash_oracle_quorum = 2;
    params.min_fee = 0;
    params.price_max_age_ms = 10'000;
    params.unstake_cooldown_epochs = 2;
    params.emission.kind = EmissionKind::kFixed;
    params.emission.initial_per_epoch = 100 * kToken;
  }
};

// A tx signed for `network_id`.
inline Tx MakeTxOn(std::string_view network_id, const crypto::KeyPair& signer, uint64_t nonce,
                   TxBody body, uint64_t fee = 0) {
  Tx tx;
  tx.signer = signer.public_key();
  tx.nonce = nonce;
  tx.fee = fee;
  tx.body = std::move(body);
  tx.network_id = std::string(network_id);
  SignTx(&tx, signer);
  return tx;
}
// A tx signed for TestNet (kTestChainId).
inline Tx MakeTx(const crypto::KeyPair& signer, uint64_t nonce, TxBody body, uint64_t fee = 0) {
  return MakeTxOn(kTestChainId, signer, nonce, std::move(body), fee);
}

// A tx with co-signers for `network_id`: lists them, then the signer and each co-signer signs.
inline Tx MakeCosignedTxOn(std::string_view network_id, const crypto::KeyPair& signer,
                           uint64_t nonce, TxBody body,
                           std::initializer_list<const crypto::KeyPair*> cosigners) {
  Tx tx;
  tx.signer = signer.public_key();
  tx.nonce = nonce;
  tx.body = std::move(body);
  tx.network_id = std::string(network_id);
  for (const crypto::KeyPair* k : cosigners) AddCosigner(&tx, k->public_key());
  SignTx(&tx, signer);
  for (const crypto::KeyPair* k : cosigners) CosignTx(&tx, *k);
  return tx;
}
inline Tx MakeCosignedTx(const crypto::KeyPair& signer, uint64_t nonce, TxBody body,
                         std::initializer_list<const crypto::KeyPair*> cosigners) {
  return MakeCosignedTxOn(kTestChainId, signer, nonce, std::move(body), cosigners);
}

inline Account ReadAccount(const StateReader& s, const Address& a) {
  auto raw = s.Get(keys::Account(a));
  return raw ? DecodeAccount(*raw).value() : Account{};
}
inline Globals ReadGlobals(const StateReader& s) {
  auto raw = s.Get(keys::Globals());
  return raw ? DecodeGlobals(*raw).value() : Globals{};
}

}  // namespace depin::ledger::testing
