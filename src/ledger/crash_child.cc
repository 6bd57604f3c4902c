// Test helper for crash_test.cc: a ledger node under load that the test kills with SIGKILL.
//
//   depin_ledger_crash_child <db path>
//
// Opens (or recovers) the ledger with the test network's parameters, runs the block producer and
// keeps submitting signed transfers. After each block is durably committed it prints the id
// (hex) of every transaction in it, one per line: those ids are "acknowledged", so the test can
// check that none is ever lost. Runs until killed.
#include <cstdio>
#include <string>

#include "ledger/ledger.h"
#include "ledger/mempool.h"
#include "ledger/producer.h"
#include "ledger/test_util.h"

using namespace depin;
using namespace depin::ledger;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <db path>\n", argv[0]);
    return 2;
  }
  if (!crypto::InitCrypto().ok()) return 1;
  testing::TestNet net;
  auto opened = Ledger::Open(argv[1], net.params);
  if (!opened.ok()) {
    std::fprintf(stderr, "crash_child: %s\n", opened.status().ToString().c_str());
    return 1;
  }
  std::unique_ptr<Ledger> ledger = std::move(opened).value();
  Mempool pool(ledger->machine(), {}, [&](std::string_view key) { return ledger->ReadState(key); });
  ProducerOptions options;
  options.max_block_txs = 500;
  BlockProducer producer(ledger.get(), &pool, net.producer, options, util::Env::Default(),
                         [](const ProducedBlock& b) {
                           std::string out;
                           for (const Tx& tx : b.block.txs) {
                             out += crypto::ToHex(TxId(tx));
                             out += '\n';
                           }
                           std::fwrite(out.data(), 1, out.size(), stdout);
                           std::fflush(stdout);
                         });
  producer.Start();
  std::vector<crypto::KeyPair> users = {net.alice, net.bob, net.carol};
  std::vector<uint64_t> nonces;
  for (const auto& u : users) nonces.push_back(ledger->ReadAccount(u.public_key()).value().nonce);
  for (uint64_t round = 0;; ++round) {
    std::vector<Tx> batch;
    for (int i = 0; i < 300; ++i) {
      size_t from = static_cast<size_t>(i) % users.size();
      const Address& to = users[(from + 1) % users.size()].public_key();
      batch.push_back(testing::MakeTx(users[from], nonces[from]++, Transfer{to, 1 + round % 7}));
    }
    for (const SubmitResult& r : pool.SubmitBatch(batch)) {
      if (!r.status.ok()) {
        std::fprintf(stderr, "crash_child: submit: %s\n", r.status.ToString().c_str());
        return 1;
      }
    }
    pool.WaitUntilBelow(600);
    if (!producer.last_error().ok()) {
      std::fprintf(stderr, "crash_child: %s\n", producer.last_error().ToString().c_str());
      return 1;
    }
  }
}
