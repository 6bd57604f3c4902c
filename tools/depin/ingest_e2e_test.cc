// End-to-end ingest tests against real `depin node` processes over real HTTP: a stalled client
// does not block others, and SIGKILL under load never loses or duplicates an acknowledged report.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "crypto/ed25519.h"
#include "http/client.h"
#include "ingest/e2e_process.h"
#include "ingest/log_payload.h"
#include "ingest/report_builder.h"
#include "ingest/report_log_reader.h"
#include "ingest/report_log_segment.h"
#include "util/encoding.h"
#include "util/temp_dir.h"

namespace depin::ingest {
namespace {

namespace asio = boost::asio;

class IngestE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::InitCrypto().ok());
    auto init = Process::Spawn({"init", dir_.path()}, dir_.File("init.err"));
    ASSERT_TRUE(init);
    int status = init->Wait();
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << util::Env::Default()->ReadFile(dir_.File("init.err")).value().size();
    // These tests drive one origin (127.0.0.1) as fast as it goes: the per-origin limit, which
    // has its own tests (PipelineTest.FloodFromOneOriginIs429...), is off here.
    auto toml = util::Env::Default()->ReadFile(dir_.File("network.toml"));
    ASSERT_TRUE(toml.ok()) << toml.status().ToString();
    std::string text(util::AsChars(*toml));
    const std::string key = "origin_rate = 1000 ";
    ASSERT_NE(text.find(key), std::string::npos);
    text.replace(text.find(key), key.size(), "origin_rate = 0    ");
    ASSERT_TRUE(
        util::Env::Default()->WriteFileAtomic(dir_.File("network.toml"), util::AsBytes(text)).ok());
    auto token = util::Env::Default()->ReadFile(dir_.File("keys/admin.token"));
    ASSERT_TRUE(token.ok()) << token.status().ToString();
    token_ = std::string(util::AsChars(*token));
    while (!token_.empty() && (token_.back() == '\n' || token_.back() == ' ')) token_.pop_back();
  }

  // Starts `depin node --dev` on a free port and registers device_.
  void StartNode() {
    node_.reset();
    node_ = Process::Spawn(
        {"node", "--data", dir_.path(), "--dev", "--api", "127.0.0.1:0", "--log-level", "warn"},
        dir_.File("node.err"));
    ASSERT_TRUE(node_);
    std::string line = node_->ReadLine();
    const std::string prefix = "listening on http://127.0.0.1:";
    ASSERT_EQ(line.rfind(prefix, 0), 0u) << "node said: " << line;
    port_ = static_cast<uint16_t>(std::stoi(line.substr(prefix.size())));
    auto admin = http::DeviceClient::Connect("127.0.0.1", port_);
    ASSERT_TRUE(admin.ok()) << admin.status().ToString();
    // What a device does first: learn the network it signs for.
    auto network = http::FetchNetworkId(**admin);
    ASSERT_TRUE(network.ok()) << network.status().ToString();
    network_id_ = *network;
    std::string body = "{\"devices\":[{\"key\":\"" + device_.public_key().ToBase58() +
                       "\",\"class\":\"wireless\"}]}";
    auto reply = (*admin)->Post("/v1/admin/devices", "application/json", util::AsBytes(body),
                                "Bearer " + token_);
    ASSERT_TRUE(reply.ok()) << reply.status().ToString();
    ASSERT_EQ(reply->status, 200) << reply->body;
  }

  // A body of `n` fresh heartbeats; their hex ids are appended to `ids`.
  util::Bytes Reports(int n, std::vector<std::string>* ids,
                      std::vector<util::Bytes>* signed_reports = nullptr) {
    SubmissionBuilder b;
    for (int i = 0; i < n; ++i) {
      uint64_t ts = base_ms_ - next_ts_.fetch_add(1);  // distinct reports, inside the window
      wire::v1::Report r = MakeHeartbeat(device_.public_key(), ts, 473977000, 85000000);
      util::Bytes bytes = *SignReportToBytes(r, network_id_, device_);
      b.AddSignedReport(bytes);
      if (signed_reports) signed_reports->push_back(std::move(bytes));
      ids->push_back(crypto::ToHex(*wire::ComputeReportId(r, network_id_)));
    }
    return b.Take();
  }

  util::TempDir dir_;
  std::string token_;
  std::string network_id_;  // GET /v1/health's network_id, after StartNode
  crypto::KeyPair device_ = crypto::KeyPair::Generate();
  std::unique_ptr<Process> node_;
  uint16_t port_ = 0;
  std::atomic<uint64_t> next_ts_{0};
  const uint64_t base_ms_ = static_cast<uint64_t>(util::Env::Default()->NowUnixMillis());
};

TEST_F(IngestE2eTest, StalledClientDoesNotBlockOtherClients) {
  StartNode();
  // The slow client: a request header promising 64 body bytes, then one byte per second, driven
  // by a timer on its own io thread. The node's read timeout (30 s) outlasts the fast client.
  asio::io_context io;
  asio::ip::tcp::socket slow(io);
  slow.connect({asio::ip::make_address("127.0.0.1"), port_});
  std::string head =
      "POST /v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\n"
      "Content-Length: 64\r\n\r\n";
  asio::write(slow, asio::buffer(head));
  asio::steady_timer timer(io);
  std::atomic<int> slow_bytes{0};
  std::function<void()> drip = [&] {
    timer.expires_after(std::chrono::seconds(1));
    timer.async_wait([&](const boost::system::error_code& ec) {
      if (ec) return;
      boost::system::error_code wec;
      asio::write(slow, asio::buffer("\x0a", 1), wec);
      if (!wec) slow_bytes.fetch_add(1);
      drip();
    });
  };
  drip();
  std::thread slow_thread([&] { io.run(); });

  auto fast = http::DeviceClient::Connect("127.0.0.1", port_);
  ASSERT_TRUE(fast.ok());
  // Keep the fast client busy until the slow one has dripped 3 bytes (3 s of its timer).
  int rounds = 0;
  while (rounds < 20 || slow_bytes.load() < 3) {
    ++rounds;
    std::vector<std::string> ids;
    auto reply = (*fast)->SubmitReports(Reports(5, &ids));
    ASSERT_TRUE(reply.ok()) << reply.status().ToString();
    ASSERT_EQ(reply->status, 200) << reply->body;
    auto results = http::ParseSubmitResults(reply->body);
    ASSERT_TRUE(results.ok());
    ASSERT_EQ(results->size(), 5u);
    for (size_t i = 0; i < 5; ++i) {
      ASSERT_EQ((*results)[i].status, "accepted") << (*results)[i].reason;
      ASSERT_EQ((*results)[i].id, ids[i]);
    }
  }
  // The slow connection is still open and unanswered (its request is incomplete): a
  // non-blocking read finds nothing to read, not end-of-file.
  asio::post(io, [&] { timer.cancel(); });
  slow_thread.join();
  slow.non_blocking(true);
  char byte;
  boost::system::error_code rec;
  slow.read_some(asio::buffer(&byte, 1), rec);
  EXPECT_EQ(rec, asio::error::would_block) << rec.message();
  EXPECT_GE(rounds, 20);
}

TEST_F(IngestE2eTest, DeviceCliMetricsAndHttpErrors) {
  StartNode();
  const std::string server = "http://127.0.0.1:" + std::to_string(port_);
  // `depin keys new` + `depin device register` + `depin device submit`, as an operator would.
  auto run = [&](std::vector<std::string> args, std::string* out) {
    auto p = Process::Spawn(std::move(args), dir_.File("cli.err"));
    std::string line;
    while (!(line = p->ReadLine()).empty()) *out += line;
    int status = p->Wait();
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  std::string out;
  ASSERT_EQ(run({"keys", "new", dir_.File("dev2.key")}, &out), 0);
  out.clear();
  ASSERT_EQ(
      run({"device", "register", "--server", server, "--token-file", dir_.File("keys/admin.token"),
           "--key", dir_.File("dev2.key"), "--class", "wireless"},
          &out),
      0);
  out.clear();
  ASSERT_EQ(run({"device", "submit", "--key", dir_.File("dev2.key"), "--server", server, "--count",
                 "7", "--per-request", "3"},
                &out),
            0)
      << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 7) << out;
  EXPECT_EQ(out.find("rejected"), std::string::npos) << out;
  out.clear();
  ASSERT_EQ(run({"device", "submit", "--key", dir_.File("dev2.key"), "--server", server, "--count",
                 "5", "--batch", "--per-request", "5"},
                &out),
            0)
      << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 5) << out;

  auto client = http::DeviceClient::Connect("127.0.0.1", port_);
  ASSERT_TRUE(client.ok());
  // Wrong content type, wrong admin token, malformed envelope.
  std::vector<std::string> ids;
  util::Bytes body = Reports(1, &ids);
  auto r415 = (*client)->Post("/v1/reports", "application/json", body);
  ASSERT_TRUE(r415.ok());
  EXPECT_EQ(r415->status, 415);
  auto r401 = (*client)->Post("/v1/admin/devices", "application/json",
                              util::AsBytes(std::string("{\"devices\":[]}")), "Bearer nope");
  ASSERT_TRUE(r401.ok());
  EXPECT_EQ(r401->status, 401);
  auto r400 = (*client)->SubmitReports(util::Bytes{0x0a, 0x7f});
  ASSERT_TRUE(r400.ok());
  EXPECT_EQ(r400->status, 400);
  EXPECT_NE(r400->body.find("\"code\":\"malformed\""), std::string::npos) << r400->body;
  // A replay is counted as a duplicate, an unknown device as a reject with its reason.
  ASSERT_EQ((*client)->SubmitReports(body)->status, 200);
  ASSERT_EQ((*client)->SubmitReports(body)->status, 200);
  crypto::KeyPair stranger = crypto::KeyPair::Generate();
  SubmissionBuilder b;
  b.AddSignedReport(*SignReportToBytes(MakeHeartbeat(stranger.public_key(), base_ms_, 1, 1),
                                       network_id_, stranger));
  auto unknown = (*client)->SubmitReports(b.body());
  ASSERT_TRUE(unknown.ok());
  EXPECT_NE(unknown->body.find("\"reason\":\"unknown_device\""), std::string::npos);

  // /metrics is a GET; DeviceClient only POSTs, so use a raw Beast-free request.
  asio::io_context io;
  asio::ip::tcp::socket s(io);
  s.connect({asio::ip::make_address("127.0.0.1"), port_});
  std::string get = "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  asio::write(s, asio::buffer(get));
  std::string metrics;
  boost::system::error_code ec;
  char buf[4096];
  for (size_t n; (n = s.read_some(asio::buffer(buf), ec)) > 0 || !ec;) metrics.append(buf, n);
  EXPECT_NE(metrics.find("depin_ingest_reports_total{status=\"accepted\"} 13"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("depin_ingest_reports_total{status=\"duplicate\"} 1"), std::string::npos);
  EXPECT_NE(metrics.find("depin_ingest_rejected_total{reason=\"unknown_device\"} 1"),
            std::string::npos);
  EXPECT_NE(metrics.find("depin_ingest_rejected_total{reason=\"malformed\"} 1"), std::string::npos);
  EXPECT_NE(metrics.find("depin_ingest_ack_latency_seconds_bucket"), std::string::npos);
  EXPECT_NE(metrics.find("depin_ingest_log_fsync_seconds_count"), std::string::npos);
  // Every accepted report went through at least one timed fdatasync.
  EXPECT_EQ(metrics.find("depin_ingest_log_fsync_seconds_count 0\n"), std::string::npos);
  EXPECT_NE(metrics.find("depin_ingest_in_flight_reports 0\n"), std::string::npos);
  EXPECT_NE(metrics.find("depin_ingest_verify_queue_signatures"), std::string::npos);
}

// Cross-network replay through a real node process: a report and a batch signed for another
// network are refused as signature failures and counted; signed for the node's network, the same
// reports are accepted.
TEST_F(IngestE2eTest, ReportsSignedForAnotherNetworkAreRefusedAndCounted) {
  StartNode();
  auto client = http::DeviceClient::Connect("127.0.0.1", port_);
  ASSERT_TRUE(client.ok());
  ASSERT_FALSE(network_id_.empty());
  const std::string other = network_id_ + "-b";
  const std::vector<wire::v1::Report> reports = {
      MakeHeartbeat(device_.public_key(), base_ms_ - 1, 473977000, 85000000),
      MakeHeartbeat(device_.public_key(), base_ms_ - 2, 473977001, 85000000),
      MakeHeartbeat(device_.public_key(), base_ms_ - 3, 473977002, 85000000)};
  auto submit = [&](std::string_view network) {
    SubmissionBuilder b;
    b.AddSignedReport(*SignReportToBytes(reports[0], network, device_));
    b.AddBatch(*SignBatchToBytes({reports[1], reports[2]}, base_ms_, network, device_));
    auto reply = (*client)->SubmitReports(b.body());
    EXPECT_TRUE(reply.ok() && reply->status == 200);
    auto results = http::ParseSubmitResults(reply.ok() ? reply->body : "");
    EXPECT_TRUE(results.ok());
    return results.ok() ? *results : std::vector<http::SubmitResultJson>{};
  };
  const std::vector<http::SubmitResultJson> refused = submit(other);
  ASSERT_EQ(refused.size(), 3u);
  EXPECT_EQ(refused[0].reason, "bad_signature");
  EXPECT_EQ(refused[1].reason, "bad_batch_signature");
  EXPECT_EQ(refused[2].reason, "bad_batch_signature");
  const std::vector<http::SubmitResultJson> accepted = submit(network_id_);
  ASSERT_EQ(accepted.size(), 3u);
  for (const http::SubmitResultJson& r : accepted) EXPECT_EQ(r.status, "accepted") << r.reason;
  EXPECT_EQ(accepted[0].id, crypto::ToHex(*wire::ComputeReportId(reports[0], network_id_)));

  auto metrics = (*client)->Get("/metrics");
  ASSERT_TRUE(metrics.ok());
  EXPECT_NE(metrics->body.find("depin_ingest_rejected_total{reason=\"bad_signature\"} 1"),
            std::string::npos)
      << metrics->body;
  EXPECT_NE(metrics->body.find("depin_ingest_rejected_total{reason=\"bad_batch_signature\"} 2"),
            std::string::npos);
}

TEST_F(IngestE2eTest, SigkillUnderLoadLosesAndDuplicatesNoAcknowledgedReport) {
  std::mt19937 rng(20261121);
  std::set<std::string> acked;
  std::vector<std::string> acked_order;
  std::map<std::string, util::Bytes> acked_bytes;
  constexpr int kKills = 20;
  for (int round = 0; round < kKills; ++round) {
    StartNode();
    std::mutex mu;
    std::condition_variable cv;
    size_t acked_this_round = 0;
    const size_t kill_after = std::uniform_int_distribution<size_t>(1, 12)(rng);
    std::vector<std::thread> loaders;
    for (int t = 0; t < 3; ++t) {
      loaders.emplace_back([&] {
        auto client = http::DeviceClient::Connect("127.0.0.1", port_);
        if (!client.ok()) return;
        for (;;) {
          std::vector<std::string> ids;
          std::vector<util::Bytes> signed_reports;
          util::Bytes body = Reports(10, &ids, &signed_reports);
          auto reply = (*client)->SubmitReports(body);
          if (!reply.ok()) return;  // the node is gone
          if (reply->status != 200) continue;
          auto results = http::ParseSubmitResults(reply->body);
          std::lock_guard lock(mu);
          for (size_t i = 0; i < results->size(); ++i) {
            const auto& r = (*results)[i];
            if (r.status != "accepted" || r.id != ids[i]) continue;
            acked_bytes[r.id] = signed_reports[i];
            acked.insert(r.id);
            acked_order.push_back(r.id);
          }
          ++acked_this_round;
          cv.notify_all();
        }
      });
    }
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return acked_this_round >= kill_after; });
    }
    node_->Kill(SIGKILL);
    for (auto& t : loaders) t.join();
    node_->Wait();
  }
  ASSERT_GE(acked.size(), static_cast<size_t>(kKills * 10));
  ASSERT_EQ(acked.size(), acked_order.size()) << "an id was acknowledged twice";

  // After the last kill, a restarted node recovers the log and still knows every acked report.
  StartNode();
  {
    auto client = http::DeviceClient::Connect("127.0.0.1", port_);
    ASSERT_TRUE(client.ok());
    // Replaying acknowledged reports: the dedup window was rebuilt from the recovered log.
    SubmissionBuilder replay;
    size_t replayed = 0;
    for (const auto& [id, bytes] : acked_bytes) {
      if (replayed++ == 200) break;
      replay.AddSignedReport(bytes);
    }
    auto reply = (*client)->SubmitReports(replay.body());
    ASSERT_TRUE(reply.ok());
    ASSERT_EQ(reply->status, 200) << reply->body;
    auto results = http::ParseSubmitResults(reply->body);
    ASSERT_TRUE(results.ok());
    for (const auto& r : *results) EXPECT_EQ(r.status, "duplicate") << r.id << " " << r.reason;
  }
  node_->Kill(SIGTERM);
  node_->Wait();

  auto segments = ListSegments(util::Env::Default(), dir_.File("reports"));
  ASSERT_TRUE(segments.ok());
  std::set<uint64_t> epochs;
  for (const SegmentId& s : *segments) epochs.insert(s.epoch);
  std::map<std::string, int> logged;
  for (uint64_t epoch : epochs) {
    auto reader = EpochReader::Open(util::Env::Default(), dir_.path(), epoch);
    ASSERT_TRUE(reader.ok());
    LogRecord record;
    for (;;) {
      auto more = (*reader)->Next(&record);
      ASSERT_TRUE(more.ok()) << "partial or corrupt record visible: " << more.status().ToString();
      if (!*more) break;
      auto report = DecodeLoggedReport(record.payload, network_id_);
      ASSERT_TRUE(report.ok()) << report.status().ToString();
      ASSERT_TRUE(VerifyLoggedReport(*report, network_id_).ok());
      ++logged[crypto::ToHex(report->id)];
    }
  }
  for (const auto& [id, count] : logged) EXPECT_EQ(count, 1) << id << " logged twice";
  for (const std::string& id : acked) EXPECT_EQ(logged.count(id), 1u) << id << " acked, not logged";
}

}  // namespace
}  // namespace depin::ingest
