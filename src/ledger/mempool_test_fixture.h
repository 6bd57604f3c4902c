// Test fixture shared by the mempool tests (mempool_test.cc, mempool_admission_test.cc): a
// TestNet ledger in a temporary directory, a clock the test moves by hand (the mempool's expiry
// reads NowMicros), and a Mempool over the ledger's state that records every drop it reports.
// Tests only; not thread-safe.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string_view>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/mempool.h"
#include "ledger/test_util.h"
#include "util/temp_dir.h"

namespace depin::ledger::testing {

class ManualClock : public util::EnvWrapper {
 public:
  ManualClock() : util::EnvWrapper(util::Env::Default()) {}
  uint64_t NowMicros() override { return now_us; }
  uint64_t now_us = 1'000'000;
};

class MempoolFixture : public ::testing::Test {
 protected:
  TestNet net;
  util::TempDir dir;
  std::unique_ptr<Ledger> ledger = Ledger::Open(dir.File("l.db"), net.params).value();
  ManualClock clock;
  MempoolOptions options;
  std::unique_ptr<Mempool> pool;
  std::vector<MempoolError> dropped;

  void SetUp() override {
    options.env = &clock;
    Make();
  }
  // (Re)creates the pool with the current `options`.
  void Make() {
    pool = std::make_unique<Mempool>(ledger->machine(), options, [this](std::string_view key) {
      return ledger->ReadState(key);
    });
    pool->set_drop_observer([this](MempoolError e) { dropped.push_back(e); });
  }
  // A transfer of `amount` to bob.
  Tx Pay(const crypto::KeyPair& k, uint64_t nonce, uint64_t amount = 1, uint64_t fee = 0) {
    return MakeTx(k, nonce, Transfer{net.bob.public_key(), amount}, fee);
  }
};

}  // namespace depin::ledger::testing
