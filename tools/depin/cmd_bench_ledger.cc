// `depin bench ledger`: signed transfers committed per second through the node's real ledger
// pipeline — Mempool::SubmitBatch (signature checks in parallel on every core, nonce ordering),
// the BlockProducer (state machine, LtHash update, SQLite WAL commit with fsync per block) —
// printed beside the same run's raw Ed25519 verify rate on all cores, which is the ceiling: every
// transfer needs one verify. Transactions are signed before the clock starts.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <latch>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bench_report.h"
#include "cli.h"
#include "crypto/ed25519.h"
#include "ledger/ledger.h"
#include "ledger/mempool.h"
#include "ledger/producer.h"
#include "util/temp_dir.h"

namespace depin::cli {
namespace {

using Clock = std::chrono::steady_clock;
using ledger::Tx;

struct BenchLedgerArgs {
  uint64_t txs = 60'000;
  uint64_t accounts = 2'000;
  uint64_t block_txs = 5'000;
  double verify_seconds = 1.0;
  bool json = false;
};

constexpr char kBenchChainId[] = "bench";

crypto::KeyPair SeedKey(uint64_t n, uint8_t tag) {
  util::Bytes seed(crypto::kSeedSize, tag);
  for (int i = 0; i < 8; ++i) seed[static_cast<size_t>(i)] = static_cast<uint8_t>(n >> (8 * i));
  return crypto::KeyPair::FromSeed(seed).value();
}

// Signs txs[i] = transfer from account i % n (nonce i / n) to the next account, on all cores.
std::vector<Tx> SignTransfers(const std::vector<crypto::KeyPair>& accounts, uint64_t count,
                              unsigned cores) {
  std::vector<Tx> txs(count);
  std::atomic<uint64_t> next{0};
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < cores; ++t) {
    pool.emplace_back([&] {
      for (uint64_t i; (i = next.fetch_add(1)) < count;) {
        const uint64_t a = i % accounts.size();
        Tx& tx = txs[i];
        tx.signer = accounts[a].public_key();
        tx.nonce = i / accounts.size();
        tx.body = ledger::Transfer{accounts[(a + 1) % accounts.size()].public_key(), 1};
        tx.network_id = kBenchChainId;
        ledger::SignTx(&tx, accounts[a]);
      }
    });
  }
  for (auto& t : pool) t.join();
  return txs;
}

// Raw verify rate of the transfers' own signatures on every core (each core its own slice).
double VerifyCeiling(const std::vector<Tx>& txs, unsigned cores, double seconds) {
  std::vector<double> rates(cores, 0);
  std::latch start(cores);
  std::vector<std::thread> workers;
  const size_t slice = std::min<size_t>(txs.size() / cores, 4096);
  for (unsigned t = 0; t < cores; ++t) {
    workers.emplace_back([&, t] {
      start.arrive_and_wait();
      const Clock::time_point begin = Clock::now();
      const auto deadline = begin + std::chrono::duration_cast<Clock::duration>(
                                        std::chrono::duration<double>(seconds));
      uint64_t done = 0;
      bool ok = true;
      Clock::time_point now;
      do {
        for (int i = 0; i < 16; ++i, ++done) {
          ok &= ledger::VerifyTxSignatures(txs[t * slice + done % slice]);
        }
        now = Clock::now();
      } while (now < deadline);
      rates[t] =
          ok ? static_cast<double>(done) / std::chrono::duration<double>(now - begin).count() : -1;
    });
  }
  for (auto& w : workers) w.join();
  double total = 0;
  for (double r : rates) total += r < 0 ? -1e18 : r;
  return total;
}

util::Status BenchLedger(const BenchLedgerArgs& args) {
  if (args.accounts == 0 || args.txs < args.accounts || args.block_txs == 0) {
    return util::Status::InvalidArgument(
        "bench ledger: need --accounts > 0, --txs >= --accounts and --block-txs > 0");
  }
  DEPIN_RETURN_IF_ERROR(crypto::InitCrypto());
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  BenchReport report("ledger");
  report.AddInfo("cores", std::to_string(cores));
  report.AddInfo("load average before", LoadAverage());
  report.AddInfo("txs", std::to_string(args.txs));
  report.AddInfo("accounts", std::to_string(args.accounts));
  report.AddInfo("max block txs", std::to_string(args.block_txs));

  std::vector<crypto::KeyPair> accounts;
  ledger::LedgerParams params;
  params.chain_id = kBenchChainId;
  crypto::KeyPair producer_key = SeedKey(0, 0xee);
  params.producer_keys = {producer_key.public_key()};
  for (uint64_t i = 0; i < args.accounts; ++i) {
    accounts.push_back(SeedKey(i, 0x42));
    params.allocations.push_back({accounts.back().public_key(), 1'000'000'000'000});
  }
  std::vector<Tx> txs = SignTransfers(accounts, args.txs, cores);

  const double ceiling = VerifyCeiling(txs, cores, args.verify_seconds);
  if (ceiling < 0) return util::Status::Internal("bench ledger: a freshly signed tx failed");

  util::TempDir dir;
  DEPIN_ASSIGN_OR_RETURN(std::unique_ptr<ledger::Ledger> chain,
                         ledger::Ledger::Open(dir.File("ledger.db"), params));
  ledger::MempoolOptions mopts;
  mopts.max_txs = args.txs + 1;
  mopts.max_per_sender = args.txs / args.accounts + 1;
  mopts.max_nonce_ahead = mopts.max_per_sender;
  mopts.ttl_ms = 0;    // a backlog of the whole run is the point
  mopts.reserved = 0;  // no network keys here: room kept for them would refuse the benchmark's txs
  ledger::Mempool mempool(chain->machine(), mopts,
                          [&](std::string_view key) { return chain->ReadState(key); });
  std::mutex mu;
  std::condition_variable cv;
  uint64_t committed = 0, blocks = 0;
  ledger::ProducerOptions popts;
  popts.max_block_txs = args.block_txs;
  ledger::BlockProducer producer(chain.get(), &mempool, producer_key, popts, util::Env::Default(),
                                 [&](const ledger::ProducedBlock& b) {
                                   std::lock_guard<std::mutex> lock(mu);
                                   committed += b.block.txs.size();
                                   ++blocks;
                                   cv.notify_all();
                                 });
  producer.Start();
  const Clock::time_point start = Clock::now();
  constexpr size_t kBatch = 2'000;
  uint64_t rejected = 0;
  for (size_t off = 0; off < txs.size(); off += kBatch) {
    std::vector<Tx> batch(
        txs.begin() + static_cast<std::ptrdiff_t>(off),
        txs.begin() + static_cast<std::ptrdiff_t>(std::min<size_t>(off + kBatch, txs.size())));
    for (const ledger::SubmitResult& r : mempool.SubmitBatch(batch)) rejected += !r.status.ok();
  }
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return committed + rejected >= args.txs || !producer.last_error().ok(); });
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  producer.Stop();
  DEPIN_RETURN_IF_ERROR(producer.last_error());
  if (rejected != 0 || committed != args.txs) {
    return util::Status::Internal("bench ledger: " + std::to_string(rejected) +
                                  " transfers rejected, " + std::to_string(committed) +
                                  " committed of " + std::to_string(args.txs));
  }
  DEPIN_ASSIGN_OR_RETURN(const ledger::Globals globals, chain->ReadGlobals());
  if (globals.supply != globals.genesis) {
    return util::Status::Internal("bench ledger: supply changed");
  }

  const double rate = static_cast<double>(committed) / seconds;
  report.AddFigure("signed transfers committed", rate, "tx/s");
  report.AddFigure("ed25519 verify, " + std::to_string(cores) + " cores (same txs)", ceiling,
                   "verifies/s");
  report.AddFigure("blocks", static_cast<double>(blocks), "blocks");
  report.AddFigure("mean block size", static_cast<double>(committed) / static_cast<double>(blocks),
                   "txs");
  report.AddFigure("wall time", seconds, "s");
  report.AddInfo("load average after", LoadAverage());
  report.SetLimit("ed25519 verify, all cores", ceiling, "verifies/s");
  report.SetRatioOf("signed transfers committed");
  report.Print(args.json);
  return util::Status::Ok();
}

}  // namespace

void RegisterBenchLedger(CLI::App& bench, Selected& selected) {
  auto args = std::make_shared<BenchLedgerArgs>();
  CLI::App* cmd = AddCommand(
      bench, selected, "ledger",
      "Signed transfers committed per second (mempool + producer + SQLite) vs Ed25519 verify",
      [args] { return [args] { return BenchLedger(*args); }; });
  cmd->add_option("--txs", args->txs, "Transfers to commit (default 60000)");
  cmd->add_option("--accounts", args->accounts, "Sending accounts (default 2000)");
  cmd->add_option("--block-txs", args->block_txs, "Most transactions per block (default 5000)");
  cmd->add_option("--verify-seconds", args->verify_seconds,
                  "Seconds to measure the verify ceiling (default 1)");
  cmd->add_flag("--json", args->json, "Print one JSON object instead of a table");
}

}  // namespace depin::cli
