// The node SIGKILLed at random moments under mixed load (issue 16): a real `depin node --dev`
// takes signed report batches from two clients and pipelined transfers from a third (and posts
// its own epoch reward roots: dev epochs are 30 s), and is killed once a seeded random number of
// report answers and commits arrived, again and again: 20 times in CI, `depin_crash_tests --kills
// N` for longer runs (`--seed S` repeats a run; the seed is printed). After every kill, before the
// restart:
//   - the report log on disk holds every acknowledged report exactly once, and every record reads,
//     decodes and verifies (with the reader the verifiers use);
//   - `depin ledger verify` replays the ledger from genesis (every block's state hash) and passes.
// Then the node restarts on the same data directory (the next round's load runs on it); in about
// half the rounds (seeded) that start is itself SIGKILLed first, at a seeded step of its startup
// (after 0-8 of its info log lines: lock, ledger open and WAL recovery, log recovery, dedup
// rebuild, device load), and started again; and:
//   - it serves the block verify stopped at, with the state hash verify printed;
//   - every acknowledged transaction is committed, and the transfers add up (the receiver holds
//     exactly as many tokens as the sender's committed nonce: each block was all or nothing);
//   - the round's acknowledged reports are answered as duplicates (dedup rebuilt from the log).
// "Acknowledged" is what a client is promised (docs/api.md): a report answered "accepted", a
// transaction answered "committed" by GET /v1/ledger/tx/{id}.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "cli_test_helper.h"
#include "crypto/ed25519.h"
#include "crypto/key_file.h"
#include "http/client.h"
#include "ingest/log_payload.h"
#include "ingest/report_builder.h"
#include "ingest/report_log_reader.h"
#include "ingest/report_log_segment.h"
#include "ledger/tx_client.h"
#include "ledger_http.h"
#include "node_child_helper.h"
#include "util/encoding.h"
#include "util/temp_dir.h"

namespace depin::cli {

int g_kills = 20;     // --kills N
uint64_t g_seed = 0;  // --seed S; 0: a fresh one, printed
bool g_seed_given = false;

namespace {

using nlohmann::json;
using testing::NodeChild;
using testing::RunDepin;
using testing::RunResult;

constexpr int kReportsPerRequest = 10;
constexpr int kTxsInFlight = 4;  // transfers submitted before waiting: blocks hold several
constexpr auto kDeadline = std::chrono::seconds(60);
constexpr auto kTxPoll = std::chrono::milliseconds(5);

// What the clients were promised, over every round.
struct Acknowledged {
  std::mutex mu;
  std::condition_variable cv;
  size_t batches = 0;                          // report answers this round
  size_t commits = 0;                          // transfers committed this round
  std::map<std::string, util::Bytes> reports;  // id (hex) -> signed report
  std::vector<std::string> round_reports;      // this round's, for the duplicate replay
  std::set<ledger::Hash256> txs;               // committed
  size_t reports_acked_twice = 0;
};

class CrashE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::InitCrypto().ok());
    RunResult init = RunDepin({"init", dir_.path()});
    ASSERT_EQ(init.exit_code, 0) << init.err;
    util::Env* env = util::Env::Default();
    // One origin (127.0.0.1) drives the node flat out: the per-origin limit has its own tests.
    std::string toml(util::AsChars(env->ReadFile(dir_.File("network.toml")).value()));
    const std::string key = "origin_rate = 1000 ";
    ASSERT_NE(toml.find(key), std::string::npos);
    toml.replace(toml.find(key), key.size(), "origin_rate = 0    ");
    ASSERT_TRUE(env->WriteFileAtomic(dir_.File("network.toml"), util::AsBytes(toml)).ok());
    token_ = std::string(util::AsChars(env->ReadFile(dir_.File("keys/admin.token")).value()));
    while (!token_.empty() && (token_.back() == '\n' || token_.back() == ' ')) token_.pop_back();
    auto gov = crypto::ReadKeyFile(env, dir_.File("keys/governance.key"));
    ASSERT_TRUE(gov.ok()) << gov.status().ToString();
    gov_ = *gov;
  }

  std::string NodeErr() { return testing::ReadWholeFile(dir_.File("node.err")); }

  // Starts the node on the data directory, learns its port and network, registers the device.
  std::unique_ptr<NodeChild> SpawnNode(const char* log_level = "warn",
                                       const char* err_file = "node.err") {
    return std::make_unique<NodeChild>(
        std::vector<std::string>{"node", "--data", dir_.path(), "--dev", "--api", "127.0.0.1:0",
                                 "--log-level", log_level},
        dir_.File(err_file));
  }

  // Kills a starting node at a step of its startup: once it has logged `after_lines` lines at
  // info level (0: at once; lock, ledger open, log recovery, dedup, devices, dashboard each log
  // one), polled with a deadline. A start that logs fewer is killed when it serves.
  void KillDuringStartup(size_t after_lines) {
    std::unique_ptr<NodeChild> starting = SpawnNode("info", "start.err");
    const auto deadline = std::chrono::steady_clock::now() + kDeadline;
    while (std::chrono::steady_clock::now() < deadline) {
      const std::string err = testing::ReadWholeFile(dir_.File("start.err"));
      if (static_cast<size_t>(std::count(err.begin(), err.end(), '\n')) >= after_lines ||
          err.find("listening") != std::string::npos || err.find("api on") != std::string::npos) {
        break;
      }
      std::this_thread::yield();
    }
    ASSERT_EQ(::kill(starting->pid(), SIGKILL), 0);
    starting->Wait();  // killed, or already serving: either way gone now
  }

  void StartNode() {
    node_ = SpawnNode();
    const std::string line = node_->ReadLine(kDeadline);
    std::smatch m;
    ASSERT_TRUE(std::regex_match(line, m, std::regex(R"(listening on http://127\.0\.0\.1:(\d+))")))
        << "node said: '" << line << "'\n"
        << NodeErr();
    port_ = static_cast<uint16_t>(std::stoi(m[1]));
    auto admin = http::DeviceClient::Connect("127.0.0.1", port_);
    ASSERT_TRUE(admin.ok()) << admin.status().ToString();
    auto network = http::FetchNetworkId(**admin);
    ASSERT_TRUE(network.ok()) << network.status().ToString();
    network_id_ = *network;
    const std::string body =
        R"({"devices":[{"key":")" + device_.public_key().ToBase58() + R"(","class":"wireless"}]})";
    auto reply = (*admin)->Post("/v1/admin/devices", "application/json", util::AsBytes(body),
                                "Bearer " + token_);
    ASSERT_TRUE(reply.ok()) << reply.status().ToString();
    ASSERT_EQ(reply->status, 200) << reply->body;
  }

  // A request body of fresh heartbeats; their hex ids and signed bytes are appended.
  util::Bytes Reports(std::vector<std::string>* ids, std::vector<util::Bytes>* signed_reports) {
    ingest::SubmissionBuilder b;
    for (int i = 0; i < kReportsPerRequest; ++i) {
      const uint64_t ts = base_ms_ - next_ts_.fetch_add(1);  // distinct, inside the window
      wire::v1::Report r = ingest::MakeHeartbeat(device_.public_key(), ts, 473977000, 85000000);
      util::Bytes bytes = *ingest::SignReportToBytes(r, network_id_, device_);
      b.AddSignedReport(bytes);
      signed_reports->push_back(std::move(bytes));
      ids->push_back(crypto::ToHex(*wire::ComputeReportId(r, network_id_)));
    }
    return b.Take();
  }

  // Posts report batches until the node is gone.
  void ReportLoad(Acknowledged* acked) {
    auto client = http::DeviceClient::Connect("127.0.0.1", port_);
    if (!client.ok()) return;
    for (;;) {
      std::vector<std::string> ids;
      std::vector<util::Bytes> bytes;
      util::Bytes body = Reports(&ids, &bytes);
      auto reply = (*client)->SubmitReports(body);
      if (!reply.ok()) return;  // the node is gone
      if (reply->status != 200) continue;
      auto results = http::ParseSubmitResults(reply->body);
      if (!results.ok()) continue;
      std::lock_guard lock(acked->mu);
      for (size_t i = 0; i < results->size() && i < ids.size(); ++i) {
        if ((*results)[i].status != "accepted" || (*results)[i].id != ids[i]) continue;
        if (!acked->reports.emplace(ids[i], bytes[i]).second) ++acked->reports_acked_twice;
        acked->round_reports.push_back(ids[i]);
      }
      ++acked->batches;
      acked->cv.notify_all();
    }
  }

  // Transfers 1 token from governance to bob, kTxsInFlight at a time, until the node is gone.
  void TxLoad(Acknowledged* acked) {
    auto http = http::DeviceClient::Connect("127.0.0.1", port_);
    if (!http.ok()) return;
    ledger::LedgerClient client(LedgerHttp(http->get()));
    for (;;) {
      util::Result<ledger::AccountView> account = client.GetAccount(gov_.public_key());
      if (!account.ok()) return;
      std::vector<ledger::Hash256> sent;
      for (int i = 0; i < kTxsInFlight; ++i) {
        ledger::Tx tx = ledger::BuildSignedTx(network_id_, gov_, account->nonce + i, 0,
                                              ledger::Transfer{bob_.public_key(), 1});
        util::Result<ledger::TxOutcome> submitted = client.Submit(tx);
        if (!submitted.ok() || submitted->state != ledger::TxProgress::kPending) break;
        sent.push_back(submitted->id);
      }
      for (const ledger::Hash256& id : sent) {
        util::Result<ledger::TxOutcome> done = client.WaitForTx(id, kDeadline, kTxPoll);
        if (!done.ok()) return;  // the node is gone (or stuck: the round's checks say)
        if (done->state != ledger::TxProgress::kCommitted) break;  // resubmit from the nonce
        std::lock_guard lock(acked->mu);
        acked->txs.insert(id);
        ++acked->commits;
        acked->cv.notify_all();
      }
    }
  }

  // Every record of the report log on disk: report id (hex) -> times logged. Fails the test on
  // a record that cannot be read, decoded or verified.
  std::map<std::string, int> LoggedReports() {
    std::map<std::string, int> logged;
    util::Env* env = util::Env::Default();
    auto segments = ingest::ListSegments(env, dir_.File("reports"));
    EXPECT_TRUE(segments.ok()) << segments.status().ToString();
    if (!segments.ok()) return logged;
    std::set<uint64_t> epochs;
    for (const ingest::SegmentId& s : *segments) epochs.insert(s.epoch);
    for (uint64_t epoch : epochs) {
      auto reader = ingest::EpochReader::Open(env, dir_.path(), epoch);
      EXPECT_TRUE(reader.ok()) << reader.status().ToString();
      if (!reader.ok()) continue;
      ingest::LogRecord record;
      for (;;) {
        auto more = (*reader)->Next(&record);
        EXPECT_TRUE(more.ok()) << "epoch " << epoch << ": " << more.status().ToString();
        if (!more.ok() || !*more) break;
        auto report = ingest::DecodeLoggedReport(record.payload, network_id_);
        EXPECT_TRUE(report.ok()) << report.status().ToString();
        if (!report.ok()) continue;
        EXPECT_TRUE(ingest::VerifyLoggedReport(*report, network_id_).ok());
        ++logged[crypto::ToHex(report->id)];
      }
    }
    return logged;
  }

  util::TempDir dir_;
  std::string token_;
  std::string network_id_;
  crypto::KeyPair gov_ = crypto::KeyPair::Generate();  // replaced by keys/governance.key
  crypto::KeyPair bob_ = crypto::KeyPair::Generate();
  crypto::KeyPair device_ = crypto::KeyPair::Generate();
  std::unique_ptr<NodeChild> node_;
  uint16_t port_ = 0;
  std::atomic<uint64_t> next_ts_{0};
  const uint64_t base_ms_ = static_cast<uint64_t>(util::Env::Default()->NowUnixMillis());
};

TEST_F(CrashE2eTest, SigkillAtRandomMomentsUnderReportsAndTransactionsLosesNothingAcknowledged) {
  const uint64_t seed = g_seed_given ? g_seed : std::random_device{}();
  std::printf("crash test: %d kills, seed %llu (repeat with --seed %llu)\n", g_kills,
              static_cast<unsigned long long>(seed), static_cast<unsigned long long>(seed));
  std::fflush(stdout);
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  Acknowledged acked;
  int startup_kills = 0;
  StartNode();
  if (HasFatalFailure()) return;
  for (int round = 0; round < g_kills; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    // The moment: once this round has at least `batches` report answers and `commits` committed
    // transfers (both may be 0: killed as soon as it serves, the load just starting).
    const size_t batches = std::uniform_int_distribution<size_t>(0, 20)(rng);
    const size_t commits = std::uniform_int_distribution<size_t>(0, 2 * kTxsInFlight)(rng);
    {
      std::lock_guard lock(acked.mu);
      acked.batches = 0;
      acked.commits = 0;
      acked.round_reports.clear();
    }
    std::vector<std::thread> loaders;
    loaders.emplace_back([&] { ReportLoad(&acked); });
    loaders.emplace_back([&] { ReportLoad(&acked); });
    loaders.emplace_back([&] { TxLoad(&acked); });
    bool reached = false;
    {
      std::unique_lock lock(acked.mu);
      reached = acked.cv.wait_for(
          lock, kDeadline, [&] { return acked.batches >= batches && acked.commits >= commits; });
    }
    ASSERT_EQ(::kill(node_->pid(), SIGKILL), 0);
    for (std::thread& t : loaders) t.join();
    EXPECT_EQ(node_->Wait(), -1) << "the node exited before the kill:\n" << NodeErr();
    node_.reset();
    ASSERT_TRUE(reached) << "not " << batches << " report answers and " << commits
                         << " commits within " << kDeadline.count() << " s:\n"
                         << NodeErr();

    // On disk, before the restart: every acknowledged report exactly once, nothing torn.
    const std::map<std::string, int> logged = LoggedReports();
    for (const auto& [id, bytes] : acked.reports) {
      auto it = logged.find(id);
      ASSERT_NE(it, logged.end()) << "acknowledged report " << id << " is not in the log";
      ASSERT_EQ(it->second, 1) << "report " << id << " logged " << it->second << " times";
    }
    // The ledger replays from genesis.
    RunResult verify = RunDepin({"ledger", "verify", dir_.path()});
    ASSERT_EQ(verify.exit_code, 0) << verify.err;
    std::smatch v;
    ASSERT_TRUE(std::regex_search(
        verify.out, v, std::regex(R"(ok: (\d+) blocks verified .* state hash ([0-9a-f]{64}))")))
        << verify.out;
    const std::string verified_height = v[1];
    const std::string verified_hash = v[2];

    // Restarted on the same directory: the chain verify replayed, every acknowledged
    // transaction, the round's reports known. This node carries the next round's load. About
    // half the time a start is killed first, somewhere inside its startup.
    if (std::uniform_int_distribution<int>(0, 1)(rng) == 1) {
      KillDuringStartup(std::uniform_int_distribution<size_t>(0, 8)(rng));
      if (HasFatalFailure()) return;
      ++startup_kills;
    }
    StartNode();
    if (HasFatalFailure()) return;
    if (verified_height != "0") {
      testing::HttpGetResult block =
          testing::HttpGetBody(port_, "/v1/ledger/blocks/" + verified_height);
      ASSERT_EQ(block.code, 200) << block.body;
      EXPECT_EQ(json::parse(block.body, nullptr, false)["state_hash"], verified_hash)
          << "block " << verified_height << " after the restart is not the block verify replayed";
    }
    auto http = http::DeviceClient::Connect("127.0.0.1", port_);
    ASSERT_TRUE(http.ok()) << http.status().ToString();
    ledger::LedgerClient client(LedgerHttp(http->get()));
    for (const ledger::Hash256& id : acked.txs) {
      util::Result<ledger::TxOutcome> outcome = client.GetTx(id);
      ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
      EXPECT_EQ(outcome->state, ledger::TxProgress::kCommitted)
          << "acknowledged tx " << crypto::ToHex(id) << " is not committed";
    }
    util::Result<ledger::AccountView> gov = client.GetAccount(gov_.public_key());
    util::Result<ledger::AccountView> bob = client.GetAccount(bob_.public_key());
    ASSERT_TRUE(gov.ok() && bob.ok());
    EXPECT_GE(gov->nonce, acked.txs.size());
    EXPECT_EQ(bob->balance, gov->nonce) << "a block committed only part of its transfers";
    ingest::SubmissionBuilder replay;
    for (size_t i = 0; i < acked.round_reports.size() && i < 100; ++i) {
      replay.AddSignedReport(acked.reports[acked.round_reports[i]]);
    }
    if (!replay.empty()) {
      auto reply = (*http)->SubmitReports(replay.body());
      ASSERT_TRUE(reply.ok() && reply->status == 200) << (reply.ok() ? reply->body : "");
      auto results = http::ParseSubmitResults(reply->body);
      ASSERT_TRUE(results.ok());
      for (const auto& r : *results) EXPECT_EQ(r.status, "duplicate") << r.id << " " << r.reason;
    }
    if (HasFailure()) return;
  }
  EXPECT_EQ(node_->Terminate(), 0) << NodeErr();
  EXPECT_EQ(acked.reports_acked_twice, 0u) << "a report id was acknowledged twice";
  EXPECT_FALSE(acked.reports.empty());
  EXPECT_FALSE(acked.txs.empty());
  std::printf(
      "crash test: %d kills under load and %d during startup, %zu reports and %zu transactions "
      "acknowledged\n",
      g_kills, startup_kills, acked.reports.size(), acked.txs.size());
  EXPECT_TRUE(g_kills < 4 || startup_kills > 0) << "no start was killed (seed " << seed << ")";
}

}  // namespace
}  // namespace depin::cli

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  for (int i = 1; i + 1 < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--kills") depin::cli::g_kills = std::max(1, std::atoi(argv[i + 1]));
    if (flag == "--seed") {
      depin::cli::g_seed = std::strtoull(argv[i + 1], nullptr, 10);
      depin::cli::g_seed_given = true;
    }
  }
  return RUN_ALL_TESTS();
}
