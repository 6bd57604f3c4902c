// The node under the failures of issue 16: the report log repairing itself after storage errors
// (injected through util::Env, and real descriptor exhaustion) while /v1/health names it and a
// gauge says so; errors to clients that name no file; one node per data directory; admin JSON
// with fields of the wrong type.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <nlohmann/json.hpp>

#include "http/json_error.h"
#include "http/test_http.h"
#include "ingest/report_builder.h"
#include "ledger/test_fault_vfs.h"
#include "ledger/tx.h"
#include "node/node_test_util.h"
#include "util/encoding.h"

namespace depin::node {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using std::chrono::steady_clock;

// Fails opens for writing under <dir>/reports and fdatasyncs of segments while told to, as a
// disk error or descriptor exhaustion would; the cause names the file, as the real Env's does.
class FaultEnv final : public util::EnvWrapper {
 public:
  FaultEnv() : EnvWrapper(util::Env::Default()) {}
  std::atomic<bool> failing{false};

  util::Result<std::unique_ptr<util::WritableFile>> NewWritableFile(const std::string& path,
                                                                    uint32_t mode) override {
    if (Fails(path)) return Error(path, "open for writing", "Too many open files");
    DEPIN_ASSIGN_OR_RETURN(auto file, target()->NewWritableFile(path, mode));
    if (!path.ends_with(".seg")) return file;
    return std::unique_ptr<util::WritableFile>(new File(std::move(file), path, this));
  }
  util::Result<std::unique_ptr<util::WritableFile>> NewAppendableFile(
      const std::string& path) override {
    if (Fails(path)) return Error(path, "open for appending", "Too many open files");
    return target()->NewAppendableFile(path);
  }

 private:
  class File final : public util::WritableFile {
   public:
    File(std::unique_ptr<util::WritableFile> base, std::string path, FaultEnv* env)
        : base_(std::move(base)), path_(std::move(path)), env_(env) {}
    util::Status Append(util::ByteView d) override { return base_->Append(d); }
    util::Status Flush() override { return base_->Flush(); }
    util::Status Sync() override {
      if (env_->failing) return Error(path_, "fdatasync", "Input/output error");
      return base_->Sync();
    }
    util::Status Close() override { return base_->Close(); }

   private:
    std::unique_ptr<util::WritableFile> base_;
    std::string path_;
    FaultEnv* env_;
  };
  bool Fails(const std::string& path) const {
    return failing && path.find("/reports/") != std::string::npos;
  }
  static util::Status Error(const std::string& path, const char* what, const char* why) {
    return util::Status::IOError(path + ": " + what + ": " + why);
  }
};

// One keep-alive connection, opened before descriptors run out so the test can still talk. It
// is served once at construction: connect() returns when the kernel has the connection, before
// the server's accept(), and an accept that has yet to happen when descriptors run out would
// leave it in the listen backlog. A receive timeout turns a server that never answers into a
// failed test instead of a hung one.
class KeptConnection {
 public:
  explicit KeptConnection(uint16_t port) {
    socket_.connect({asio::ip::make_address("127.0.0.1"), port});
    timeval tv{30, 0};
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    Send(http::verb::get, "/v1/health");  // accepted by the server from here on
  }
  depin::http::testing::JsonReply Send(http::verb verb, const std::string& target,
                                       std::string body = {},
                                       const std::string& content_type = "application/json") {
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, "127.0.0.1");
    req.keep_alive(true);
    if (!body.empty()) {
      req.set(http::field::content_type, content_type);
      req.body() = std::move(body);
    }
    req.prepare_payload();
    http::write(socket_, req);
    http::response<http::string_body> res;
    http::read(socket_, buffer_, res);
    return {static_cast<int>(res.result_int()),
            nlohmann::json::parse(res.body(), nullptr, /*allow_exceptions=*/false)};
  }

 private:
  asio::io_context io_;
  asio::ip::tcp::socket socket_{io_};
  beast::flat_buffer buffer_;
};

class NodeHardeningTest : public testing::DevNetworkTest {
 protected:
  std::unique_ptr<Node> Start(util::Env* env, bool dev = false) {
    NodeOptions options;
    options.dev = dev;
    options.data_dir = dir_.path();
    options.api_address = "127.0.0.1:0";
    options.io_threads = 1;
    options.env = env;
    util::Result<std::unique_ptr<Node>> node = Node::Start(options);
    EXPECT_TRUE(node.ok()) << node.status().ToString();
    return node.ok() ? std::move(node).value() : nullptr;
  }
  // A device registered with ingest directly (the ledger path is not under test here).
  void Register(Node& node) {
    node.ingest().registry().Upsert(device_.public_key().bytes,
                                    ingest::DeviceInfo{~ingest::KindMask{0}, true});
  }
  std::string Report() {
    const uint64_t now = static_cast<uint64_t>(util::Env::Default()->NowUnixMillis());
    ingest::SubmissionBuilder b;
    b.AddSignedReport(*ingest::SignReportToBytes(
        ingest::MakeHeartbeat(device_.public_key(), now + seq_++, 1, 1), network_id_, device_));
    const util::Bytes& body = b.body();
    return std::string(body.begin(), body.end());
  }
  depin::http::testing::JsonReply Post(KeptConnection& c) {
    return c.Send(http::verb::post, "/v1/reports", Report(), "application/x-protobuf");
  }
  // Polls /v1/health on `c` until it answers `status` (20 s at most).
  bool HealthBecomes(KeptConnection& c, int status) {
    const auto deadline = steady_clock::now() + std::chrono::seconds(20);
    while (steady_clock::now() < deadline) {
      if (c.Send(http::verb::get, "/v1/health").status == status) return true;
      std::this_thread::yield();
    }
    return false;
  }

  crypto::KeyPair device_ = crypto::KeyPair::Generate();
  uint64_t seq_ = 0;
};

TEST_F(NodeHardeningTest, ReportLogHealsItselfAfterStorageErrorsAndHealthSaysSoMeanwhile) {
  FaultEnv env;
  auto node = Start(&env);
  ASSERT_TRUE(node);
  Register(*node);
  KeptConnection c(node->port());
  ASSERT_EQ(Post(c).status, 200);

  env.failing = true;
  depin::http::testing::JsonReply refused = Post(c);
  EXPECT_EQ(refused.status, 503);
  EXPECT_EQ(refused.body["error"]["code"], "unavailable");
  // The cause names <data dir>/reports/...: logged, never sent.
  EXPECT_EQ(refused.body.dump().find(dir_.path()), std::string::npos) << refused.body.dump();
  EXPECT_EQ(refused.body.dump().find("/reports/"), std::string::npos) << refused.body.dump();

  depin::http::testing::JsonReply health = c.Send(http::verb::get, "/v1/health");
  EXPECT_EQ(health.status, 503);
  EXPECT_EQ(health.body["status"], "degraded");
  ASSERT_EQ(health.body["degraded"].size(), 1u) << health.body.dump();
  EXPECT_EQ(health.body["degraded"][0]["component"], "report_log");
  EXPECT_EQ(health.body["degraded"][0]["code"], "io_error");
  EXPECT_EQ(health.body.dump().find(dir_.path()), std::string::npos);
  EXPECT_NE(node->metrics().Render().find("depin_component_degraded{component=\"report_log\"} 1\n"),
            std::string::npos);

  env.failing = false;  // no restart, no admin call: the log repairs itself
  ASSERT_TRUE(HealthBecomes(c, 200));
  EXPECT_EQ(Post(c).status, 200);
  EXPECT_NE(node->metrics().Render().find("depin_component_degraded{component=\"report_log\"} 0\n"),
            std::string::npos);
}

// Real exhaustion: every descriptor the process may have is taken when the first report needs
// a new segment; /v1/health says the report log is degraded meanwhile; once the descriptors are
// freed, ingest accepts again by itself (no restart, no admin call).
TEST_F(NodeHardeningTest, IngestAcceptsAgainAfterDescriptorsRunOutAndAreFreed) {
  auto node = Start(util::Env::Default());
  ASSERT_TRUE(node);
  Register(*node);
  KeptConnection c(node->port());
  rlimit saved{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &saved), 0);
  // A low soft limit makes "all of them" a few hundred (the node raised it to the hard limit).
  rlimit low = saved;
  low.rlim_cur = 512;
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &low), 0);
  std::vector<int> hogs;
  for (int fd; (fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0;) hogs.push_back(fd);
  ASSERT_EQ(errno, EMFILE);

  depin::http::testing::JsonReply refused = Post(c);  // the log cannot create its first segment
  EXPECT_EQ(refused.status, 503) << refused.body.dump();
  depin::http::testing::JsonReply health = c.Send(http::verb::get, "/v1/health");
  EXPECT_EQ(health.status, 503);
  EXPECT_EQ(health.body["degraded"][0]["component"], "report_log") << health.body.dump();
  EXPECT_NE(node->metrics().Render().find("depin_component_degraded{component=\"report_log\"} 1\n"),
            std::string::npos);

  for (int fd : hogs) ::close(fd);
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &saved), 0);
  ASSERT_TRUE(HealthBecomes(c, 200));
  depin::http::testing::JsonReply accepted = Post(c);
  EXPECT_EQ(accepted.status, 200) << accepted.body.dump();
}

// The ledger's storage fails under the block producer (SQLite's files, through a fault VFS): the
// pending transaction is not acknowledged, /v1/health names the ledger and the gauge says so; once
// the storage works again (the handles SQLite held stay broken: only a reopen recovers) the node
// commits the same transaction by itself.
TEST_F(NodeHardeningTest, LedgerHealsItselfAfterStorageErrorsAndHealthSaysSoMeanwhile) {
  ledger::testing::FaultVfs vfs("ledger.db");  // outlives the node's connections
  auto node = Start(util::Env::Default());
  ASSERT_TRUE(node);
  KeptConnection c(node->port());
  const crypto::KeyPair bob = crypto::KeyPair::Generate();
  ASSERT_EQ(Commit(*node, MakeTx(gov_, 0, ledger::Transfer{bob.public_key(), 1})),
            ledger::TxError::kOk);

  vfs.set_failing(true);
  vfs.StaleOpenHandles();
  const ledger::Tx tx = MakeTx(gov_, 1, ledger::Transfer{bob.public_key(), 2});
  const std::string body = nlohmann::json{{"tx_hex", util::HexEncode(ledger::EncodeTx(tx))}}.dump();
  depin::http::testing::JsonReply submitted = c.Send(http::verb::post, "/v1/ledger/tx", body);
  ASSERT_EQ(submitted.status, 202) << submitted.body.dump();
  ASSERT_TRUE(HealthBecomes(c, 503));
  depin::http::testing::JsonReply health = c.Send(http::verb::get, "/v1/health");
  ASSERT_EQ(health.body["degraded"].size(), 1u) << health.body.dump();
  EXPECT_EQ(health.body["degraded"][0]["component"], "ledger");
  EXPECT_EQ(health.body["degraded"][0]["code"], "io_error");
  EXPECT_EQ(health.body.dump().find(dir_.path()), std::string::npos);
  EXPECT_NE(node->metrics().Render().find("depin_component_degraded{component=\"ledger\"} 1\n"),
            std::string::npos);
  auto found = node->ledger().FindTx(ledger::TxId(tx));  // an I/O error while stale
  EXPECT_FALSE(found.ok() && *found) << "committed while the store failed";

  vfs.set_failing(false);  // no restart, no admin call
  ASSERT_TRUE(HealthBecomes(c, 200));
  EXPECT_TRUE(node->WaitForBlock(2, 10'000));
  found = node->ledger().FindTx(ledger::TxId(tx));
  EXPECT_TRUE(found.ok() && *found) << (found.ok() ? "not committed" : found.status().ToString());
  EXPECT_GE(node->ledger().store_reopens(), 1u);
  EXPECT_NE(node->metrics().Render().find("depin_component_degraded{component=\"ledger\"} 0\n"),
            std::string::npos);
}

TEST_F(NodeHardeningTest, ASecondNodeOnTheSameDirectoryIsRefusedNamingItAndTheHolder) {
  auto first = Start(util::Env::Default());
  ASSERT_TRUE(first);
  NodeOptions options;
  options.data_dir = dir_.path();
  options.api_address = "127.0.0.1:0";
  util::Result<std::unique_ptr<Node>> second = Node::Start(options);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), util::Code::kFailedPrecondition);
  EXPECT_NE(second.status().message().find("data directory \"" + dir_.path() + "\""),
            std::string::npos)
      << second.status().ToString();
  EXPECT_NE(second.status().message().find("pid " + std::to_string(::getpid())), std::string::npos)
      << second.status().ToString();
  first.reset();  // the lock goes with its holder
  auto third = Start(util::Env::Default());
  EXPECT_TRUE(third);
}

TEST_F(NodeHardeningTest, AdminDeviceFieldsOfTheWrongTypeAre400NamingTheField) {
  auto node = Start(util::Env::Default(), /*dev=*/true);
  ASSERT_TRUE(node);
  const std::string token = *config::ReadAdminToken(env_, dir_.File("keys/admin.token"));
  const std::string key = device_.public_key().ToBase58();
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"key":")" + key + R"(","class":"wireless","active":"yes"})", ".active"},
      {R"({"key":")" + key + R"(","class":"wireless","active":null})", ".active"},
      {R"({"key":")" + key + R"(","class":"wireless","active":1})", ".active"},
      {R"({"key":")" + key + R"(","class":7})", ".class"},
      {R"({"key":")" + key + R"(","kinds":"heartbeat"})", ".kinds"},
      {R"({"key":")" + key + R"(","kinds":[3]})", ".kinds"},
      {R"({"key":42,"class":"wireless"})", ".key"},
  };
  for (const auto& [device, field] : cases) {
    depin::http::testing::JsonReply r = depin::http::testing::HttpJson(
        node->port(), http::verb::post, "/v1/admin/devices", R"({"devices":[)" + device + "]}",
        "application/json", token);
    EXPECT_EQ(r.status, 400) << device;
    EXPECT_EQ(r.body["error"]["code"], "invalid_argument") << device;
    EXPECT_NE(r.body["error"]["message"].get<std::string>().find(field), std::string::npos)
        << r.body.dump();
    EXPECT_FALSE(node->ingest().registry().Lookup(device_.public_key().bytes)) << device;
  }
}

TEST(JsonErrorTest, TheNodesOwnFailuresAnswerAGenericMessage) {
  const depin::http::Response io = depin::http::JsonError(
      util::Status::IOError("/srv/depin/ledger.db: open: Too many open files"));
  EXPECT_EQ(io.status, 500);
  EXPECT_EQ(io.body.find("/srv/depin"), std::string::npos) << io.body;
  EXPECT_NE(io.body.find("\"code\":\"io_error\""), std::string::npos) << io.body;
  const depin::http::Response internal =
      depin::http::JsonError(util::Status::Internal("invariant at store.cc:120"));
  EXPECT_EQ(internal.body.find("store.cc"), std::string::npos) << internal.body;
  // Client errors keep their message: it says what was wrong with the request.
  const depin::http::Response bad =
      depin::http::JsonError(util::Status::InvalidArgument("epoch \"x\" is not a number"));
  EXPECT_NE(bad.body.find("is not a number"), std::string::npos);
}

}  // namespace
}  // namespace depin::node
