// End-to-end tests of `depin fleet` and `depin device run` against real processes: `depin init`,
// `depin node --dev` on port 0, then the fleet; the test checks through the HTTP API that the
// fleet's devices are on the ledger with their asserted cells, that ingest accepted their
// reports, and that an epoch manifest pays them. The agent test starts `depin device run` before
// the node exists and checks it keeps retrying, then onboards, reports and claims once the node
// is up. The funding tests drain a customer's delegation on the ledger (its router spends it, as
// settlement would) and check that a fleet check, or a restarted fleet, reads the delegation from
// the ledger and tops up exactly the customers below the threshold.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>

#include "cli_test_helper.h"
#include "crypto/ed25519.h"
#include "crypto/key_file.h"
#include "fleet/behaviour.h"
#include "fleet/funding.h"
#include "fleet/random.h"
#include "node_child_helper.h"
#include "util/env.h"
#include "util/temp_dir.h"

namespace depin::cli {
namespace {

using testing::HttpGetBody;
using testing::NodeChild;
using testing::ReadWholeFile;
using testing::RunDepin;
using Clock = std::chrono::steady_clock;

// Starts `depin node [--dev]` on a data dir made by `depin init`; port() is its bound port.
class DevNode {
 public:
  explicit DevNode(const util::TempDir& dir, const std::string& api = "127.0.0.1:0",
                   bool dev = true)
      : child_(dev ? std::vector<std::string>{"node", "--data", dir.path(), "--dev", "--api", api}
                   : std::vector<std::string>{"node", "--data", dir.path(), "--api", api},
               dir.File("node.stderr")) {
    const std::string line = child_.ReadLine(std::chrono::seconds(60));
    std::smatch m;
    if (std::regex_match(line, m, std::regex(R"(listening on http://127\.0\.0\.1:(\d+))"))) {
      port_ = static_cast<uint16_t>(std::stoi(m[1]));
    }
  }
  uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int Stop() {
    ::kill(child_.pid(), SIGTERM);
    return child_.Wait();
  }

 private:
  NodeChild child_;
  uint16_t port_ = 0;
};

// The value of the first sample of `metric` whose labels contain `labels`, or -1.
long long MetricValue(const std::string& metrics, const std::string& metric,
                      const std::string& labels) {
  const std::regex re(metric + R"(\{[^}]*)" + labels + R"([^}]*\} (\d+))");
  std::smatch m;
  return std::regex_search(metrics, m, re) ? std::stoll(m[1]) : -1;
}

// Polls `pred` every 100 ms until it holds or `timeout` passes.
template <typename Pred>
bool WaitFor(std::chrono::seconds timeout, Pred pred) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (pred()) return true;
    ::poll(nullptr, 0, 100);
  }
  return pred();
}

TEST(FleetCliTest, FleetOnboardsDevicesReportsAreAcceptedAndAnEpochPaysThem) {
  ASSERT_TRUE(crypto::InitCrypto().ok());
  util::TempDir dir;
  ASSERT_EQ(RunDepin({"init", dir.path()}).exit_code, 0);
  DevNode node(dir);
  ASSERT_GT(node.port(), 0) << ReadWholeFile(dir.File("node.stderr"));

  constexpr int kDevices = 20;
  NodeChild fleet(
      {"fleet", "--node", node.url(), "--data", dir.path(), "--devices", std::to_string(kDevices),
       "--customers", "2", "--seed", "7", "--heartbeat", "2s", "--per-owner", "8"},
      dir.File("fleet.stderr"));
  const std::string onboarded = fleet.ReadLine(std::chrono::seconds(60));
  ASSERT_TRUE(std::regex_match(onboarded, std::regex(R"(onboarded 20/20 devices in \d+ ms)")))
      << "'" << onboarded << "'\n"
      << ReadWholeFile(dir.File("fleet.stderr"));

  // Every device is on the ledger, owned by a fleet owner, with the cell of its placement.
  fleet::BehaviourOptions behaviour;
  std::set<std::string> keys;
  for (int i = 0; i < kDevices; ++i) {
    const fleet::EmulatedDevice d = fleet::MakeDevice(7, i, 0, behaviour);
    const std::string key = d.managed.key.public_key().ToBase58();
    keys.insert(key);
    const auto r = HttpGetBody(node.port(), "/v1/ledger/devices/" + key);
    ASSERT_EQ(r.code, 200) << "device " << i << ": " << r.body;
    const nlohmann::json j = nlohmann::json::parse(r.body);
    EXPECT_EQ(j["cell"].get<std::string>(), std::to_string(d.managed.cell)) << "device " << i;
    EXPECT_EQ(j["resource_class"].get<uint32_t>(), 0u);
  }
  // Ingest accepts their reports.
  ASSERT_TRUE(WaitFor(std::chrono::seconds(30), [&] {
    return MetricValue(HttpGetBody(node.port(), "/metrics").body, "depin_ingest_reports_total",
                       R"(status="accepted")") >= 3 * kDevices;
  })) << HttpGetBody(node.port(), "/metrics").body;

  // An epoch closes with rewards for fleet devices (30 s dev epochs; allow three). The fleet names
  // the epoch in its per-epoch line; the manifest on the API must agree.
  const std::regex paid_line(
      R"(epoch (\d+): .* \| paid [1-9]\d* base units to [1-9]\d* fleet devices)");
  ASSERT_TRUE(WaitFor(
      std::chrono::seconds(120),
      [&] { return std::regex_search(ReadWholeFile(dir.File("fleet.stderr")), paid_line); }))
      << ReadWholeFile(dir.File("fleet.stderr")) << "\n"
      << ReadWholeFile(dir.File("node.stderr"));
  std::smatch epoch_match;
  const std::string fleet_err = ReadWholeFile(dir.File("fleet.stderr"));
  ASSERT_TRUE(std::regex_search(fleet_err, epoch_match, paid_line));
  const auto manifest =
      HttpGetBody(node.port(), "/v1/epochs/" + epoch_match[1].str() + "/manifest");
  ASSERT_EQ(manifest.code, 200) << manifest.body;
  const nlohmann::json mj = nlohmann::json::parse(manifest.body, nullptr, false);
  ASSERT_TRUE(mj.is_object() && mj.contains("devices")) << manifest.body.substr(0, 500);
  int rewarded = 0;
  for (const nlohmann::json& d : mj["devices"]) {
    if (!keys.count(d.value("device", ""))) continue;
    const nlohmann::json& amount = d["amount"];
    rewarded += amount.is_string() ? amount.get<std::string>() != "0" : amount.get<uint64_t>() > 0;
  }
  EXPECT_GT(rewarded, 0) << manifest.body.substr(0, 2000);

  // SIGINT stops the fleet cleanly with a summary.
  ASSERT_EQ(::kill(fleet.pid(), SIGINT), 0);
  const std::string summary = fleet.ReadLine(std::chrono::seconds(30));
  EXPECT_EQ(fleet.Wait(), 0) << ReadWholeFile(dir.File("fleet.stderr"));
  std::smatch m;
  ASSERT_TRUE(
      std::regex_search(summary, m, std::regex(R"(accepted (\d+) duplicate \d+ rejected (\d+))")))
      << summary;
  EXPECT_GT(std::stoll(m[1]), 0);
  EXPECT_EQ(node.Stop(), 0);
}

// Submits `body` signed by `signer` and waits for it: "" once committed, else the error (a
// rejected transaction changes nothing on the ledger, so a failed probe costs nothing).
std::string SubmitAndWait(fleet::NodeApi& api, fleet::NonceSigner* signer, ledger::TxBody body) {
  std::vector<crypto::Hash256> ids;
  util::Status s = fleet::SubmitNext(api, signer, std::move(body), &ids);
  if (s.ok()) s = fleet::WaitAllCommitted(api, ids, nullptr, 30'000);
  if (!s.ok()) signer->Reset();
  return s.ok() ? "" : s.ToString();
}

// The router spends `dc` of the customer's delegation to it: standing in for settle_usage's
// debits, and a probe of what the delegation holds (it succeeds only if it holds `dc`).
std::string RouterSpends(fleet::NodeApi& api, fleet::NonceSigner* router,
                         const fleet::Customer& customer, uint64_t dc) {
  return SubmitAndWait(api, router, ledger::SpendCredits{customer.account().public_key(), 0, dc});
}

// The customer's delegation to its router as the fleet reads it (NodeApi::Delegation), after
// checking that the node's raw answer says the same; ~0 (and a failure) if it cannot be read.
uint64_t DelegatedDc(fleet::NodeApi& api, uint16_t port, const fleet::Customer& customer) {
  const std::string owner = customer.account().public_key().ToBase58();
  const std::string router = customer.router().public_key().ToBase58();
  util::Result<uint64_t> dc =
      api.Delegation(customer.account().public_key(), customer.router().public_key());
  EXPECT_TRUE(dc.ok()) << dc.status().ToString();
  if (!dc.ok()) return ~uint64_t{0};
  const auto raw = HttpGetBody(port, "/v1/ledger/accounts/" + owner + "/delegations/" + router);
  EXPECT_EQ(raw.code, 200) << raw.body;
  EXPECT_NE(raw.body.find("\"credits\":\"" + std::to_string(*dc) + "\""), std::string::npos)
      << raw.body;
  return *dc;
}

// CustomerFunding::Due, or a failure (reported as not due).
bool IsDue(const fleet::CustomerFunding& funding, fleet::NodeApi& api) {
  util::Result<bool> due = funding.Due(api, 0);
  EXPECT_TRUE(due.ok()) << due.status().ToString();
  return due.ok() && *due;
}

crypto::KeyPair NetworkKey(const util::TempDir& dir, const std::string& name) {
  return crypto::ReadKeyFile(util::Env::Default(), dir.File("keys/" + name)).value();
}

TEST(FleetCliTest, CustomerFundingTopsUpADelegationBelowTheThresholdAtOneCheck) {
  ASSERT_TRUE(crypto::InitCrypto().ok());
  util::TempDir dir;
  ASSERT_EQ(RunDepin({"init", dir.path()}).exit_code, 0);
  DevNode node(dir);
  ASSERT_GT(node.port(), 0) << ReadWholeFile(dir.File("node.stderr"));
  auto api = fleet::NodeApi::Create(node.url());
  ASSERT_TRUE(api.ok());
  fleet::NonceSigner oracle(NetworkKey(dir, "price-oracle.key"));
  ASSERT_EQ(SubmitAndWait(**api, &oracle, ledger::SubmitPrice{100'000'000}), "");  // $1

  fleet::Customer customer(fleet::DeriveKey(11, "customer", 0), fleet::DeriveKey(11, "router", 0),
                           1);
  fleet::NonceSigner router(customer.router());
  fleet::NonceSigner treasury(NetworkKey(dir, "governance.key"));
  std::vector<std::string> log;
  fleet::FundingOptions o;
  o.grant_tokens = 1'000'000'000;  // 1,000 tokens: 100,000,000 DC
  o.log = [&log](const std::string& line) { log.push_back(line); };
  fleet::CustomerFunding funding({&customer}, &treasury, fleet::Economics{}, o);
  const uint64_t grant = funding.grant_dc();
  ASSERT_EQ(grant, 100'000'000u);
  ASSERT_EQ(funding.low_dc(), grant / 4);
  EXPECT_EQ(DelegatedDc(**api, node.port(), customer), 0u);  // nothing delegated yet
  EXPECT_TRUE(IsDue(funding, **api));
  ASSERT_TRUE(funding.Provision(**api).ok());
  EXPECT_EQ(DelegatedDc(**api, node.port(), customer), grant);
  EXPECT_FALSE(IsDue(funding, **api));
  auto none = funding.Check(**api);  // a full delegation is not topped up
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_EQ(*none, 0u);

  // The router spends 90 % of the grant without the fleet signing a receipt (only the ledger can
  // tell): 10 % is left, below the threshold (25 %), and the delegation cannot pay half a grant.
  ASSERT_EQ(RouterSpends(**api, &router, customer, grant / 10 * 9), "");
  EXPECT_EQ(DelegatedDc(**api, node.port(), customer), grant / 10);
  EXPECT_TRUE(IsDue(funding, **api));
  EXPECT_NE(RouterSpends(**api, &router, customer, grant / 2).find("insufficient_credits"),
            std::string::npos);

  // A check while the node is unreachable fails softly; the next check tops up.
  auto down = fleet::NodeApi::Create("http://127.0.0.1:1");
  ASSERT_TRUE(down.ok());
  EXPECT_FALSE(funding.Check(**down).ok());
  EXPECT_FALSE(funding.Due(**down, 0).ok());
  auto topped = funding.Check(**api);
  ASSERT_TRUE(topped.ok()) << topped.status().ToString();
  EXPECT_EQ(*topped, 1u);
  EXPECT_EQ(DelegatedDc(**api, node.port(), customer), grant / 10 + grant);
  EXPECT_FALSE(IsDue(funding, **api));
  // On the ledger: the delegation rose (half a grant is now payable), the customer holds nothing
  // undelegated, and the treasury paid for it.
  EXPECT_EQ(RouterSpends(**api, &router, customer, grant / 2), "");
  auto account = (*api)->GetAccount(customer.account().public_key());
  ASSERT_TRUE(account.ok());
  EXPECT_EQ(account->balance, 0u);
  EXPECT_EQ(account->credits, 0u);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_NE(log[0].find("top-up failed"), std::string::npos) << log[0];
  EXPECT_NE(log[1].find("customer 0: topped up, delegated 100000000 DC"), std::string::npos)
      << log[1];
  EXPECT_NE(log[1].find("(delegation was 10000000 DC, threshold 25000000)"), std::string::npos)
      << log[1];

  // Exactly at the threshold is not due; one DC below it is.
  const uint64_t left = grant / 10 + grant - grant / 2;
  ASSERT_EQ(RouterSpends(**api, &router, customer, left - funding.low_dc()), "");
  EXPECT_FALSE(IsDue(funding, **api));
  auto at = funding.Check(**api);
  ASSERT_TRUE(at.ok());
  EXPECT_EQ(*at, 0u);
  ASSERT_EQ(RouterSpends(**api, &router, customer, 1), "");
  EXPECT_TRUE(IsDue(funding, **api));
  auto below = funding.Check(**api);
  ASSERT_TRUE(below.ok()) << below.status().ToString();
  EXPECT_EQ(*below, 1u);
  EXPECT_EQ(DelegatedDc(**api, node.port(), customer), funding.low_dc() - 1 + grant);
  auto again = funding.Check(**api);  // topped up once, not twice
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0u);
  EXPECT_EQ(funding.topups(), 2u);
  EXPECT_EQ(node.Stop(), 0);
}

// Runs `depin fleet` for two devices and two customers (seed 5) until it has onboarded them, then
// stops it with SIGINT; its summary line.
std::string RunFleetUntilOnboarded(const DevNode& node, const util::TempDir& dir,
                                   const std::string& stderr_name,
                                   const std::string& wait_for_stderr = "") {
  NodeChild fleet({"fleet", "--node", node.url(), "--data", dir.path(), "--devices", "2",
                   "--customers", "2", "--seed", "5", "--heartbeat", "1s"},
                  dir.File(stderr_name));
  const std::string onboarded = fleet.ReadLine(std::chrono::seconds(60));
  EXPECT_EQ(onboarded.rfind("onboarded 2/2 devices", 0), 0u)
      << onboarded << ReadWholeFile(dir.File(stderr_name));
  if (!wait_for_stderr.empty()) {
    EXPECT_TRUE(WaitFor(std::chrono::seconds(60), [&] {
      return ReadWholeFile(dir.File(stderr_name)).find(wait_for_stderr) != std::string::npos;
    })) << ReadWholeFile(dir.File(stderr_name));
  }
  ::kill(fleet.pid(), SIGINT);
  const std::string summary = fleet.ReadLine(std::chrono::seconds(30));
  EXPECT_EQ(fleet.Wait(), 0) << ReadWholeFile(dir.File(stderr_name));
  return summary;
}

TEST(FleetCliTest, ARestartedFleetTopsUpTheDrainedCustomersOfTheEarlierRun) {
  ASSERT_TRUE(crypto::InitCrypto().ok());
  util::TempDir dir;
  ASSERT_EQ(RunDepin({"init", dir.path()}).exit_code, 0);
  DevNode node(dir);
  ASSERT_GT(node.port(), 0) << ReadWholeFile(dir.File("node.stderr"));
  // The first run provisions both customers with one grant each and has nothing to top up.
  EXPECT_NE(RunFleetUntilOnboarded(node, dir, "fleet1.stderr").find("customer_topups 0"),
            std::string::npos);

  // Customer 0's router spends 90 % of its grant (as settlement would after hours of traffic),
  // customer 1's router half of its grant: still above the threshold (a quarter).
  auto api = fleet::NodeApi::Create(node.url());
  ASSERT_TRUE(api.ok());
  const uint64_t grant = fleet::CreditsForTokens(fleet::Economics{}, 100'000'000'000);
  fleet::Customer drained(fleet::DeriveKey(5, "customer", 0), fleet::DeriveKey(5, "router", 0), 1);
  fleet::Customer half(fleet::DeriveKey(5, "customer", 1), fleet::DeriveKey(5, "router", 1), 1);
  fleet::NonceSigner drained_router(drained.router()), half_router(half.router());
  ASSERT_EQ(RouterSpends(**api, &drained_router, drained, grant / 10 * 9), "");
  ASSERT_EQ(RouterSpends(**api, &half_router, half, grant / 2), "");
  EXPECT_NE(RouterSpends(**api, &drained_router, drained, grant / 2).find("insufficient_credits"),
            std::string::npos);
  EXPECT_LT(DelegatedDc(**api, node.port(), drained), grant / 4);
  const uint64_t half_before = DelegatedDc(**api, node.port(), half);
  EXPECT_GT(half_before, grant / 4);
  EXPECT_LE(half_before, grant / 2);

  // The next run reads both delegations at its first check: it tops up the drained customer only.
  const std::string summary =
      RunFleetUntilOnboarded(node, dir, "fleet2.stderr", "fleet: customer 0: topped up");
  EXPECT_NE(summary.find("customer_topups 1"), std::string::npos) << summary;
  EXPECT_EQ(ReadWholeFile(dir.File("fleet2.stderr")).find("customer 1: topped up"),
            std::string::npos)
      << ReadWholeFile(dir.File("fleet2.stderr"));
  EXPECT_LE(DelegatedDc(**api, node.port(), half), half_before);  // no grant added
  EXPECT_GT(DelegatedDc(**api, node.port(), drained), grant);
  EXPECT_EQ(RouterSpends(**api, &drained_router, drained, grant / 2), "");
  EXPECT_EQ(node.Stop(), 0);
}

// A port that was free a moment ago (the agent must know the node's port before the node runs).
uint16_t FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

TEST(FleetCliTest, DeviceAgentRetriesWhileTheNodeIsDownThenOnboardsAndReports) {
  util::TempDir dir;
  ASSERT_EQ(RunDepin({"init", dir.path()}).exit_code, 0);
  const uint16_t port = FreePort();
  ASSERT_GT(port, 0);
  const std::string url = "http://127.0.0.1:" + std::to_string(port);
  NodeChild agent(
      {"device", "run", "--node", url, "--data", dir.path(), "--heartbeat", "1s", "--claim"},
      dir.File("agent.stderr"));
  std::smatch m;
  const std::string first = agent.ReadLine(std::chrono::seconds(30));
  ASSERT_TRUE(std::regex_match(first, m, std::regex(R"(device (\w+) owner (\w+))"))) << first;
  const std::string device = m[1];
  // The device key file was created, private.
  struct stat st {};
  ASSERT_EQ(::stat(dir.File("keys/device.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // With no node, the agent retries with backoff (at least twice) instead of exiting.
  ASSERT_TRUE(WaitFor(std::chrono::seconds(30), [&] {
    const std::string err = ReadWholeFile(dir.File("agent.stderr"));
    size_t n = 0;
    for (size_t p = err.find("retrying in"); p != std::string::npos;
         p = err.find("retrying in", p + 1))
      ++n;
    return n >= 2;
  })) << ReadWholeFile(dir.File("agent.stderr"));
  EXPECT_EQ(HttpGetBody(port, "/v1/health").code, 0);  // really nothing there

  // Not a dev node: no auto-claim, so the agent's own claim is what pays the owner.
  DevNode node(dir, "127.0.0.1:" + std::to_string(port), /*dev=*/false);
  ASSERT_EQ(node.port(), port) << ReadWholeFile(dir.File("node.stderr"));
  ASSERT_TRUE(WaitFor(std::chrono::seconds(60), [&] {
    return HttpGetBody(port, "/v1/ledger/devices/" + device).code == 200 &&
           ReadWholeFile(dir.File("agent.stderr")).find("1/1 accepted") != std::string::npos;
  })) << ReadWholeFile(dir.File("agent.stderr"));
  const nlohmann::json d =
      nlohmann::json::parse(HttpGetBody(port, "/v1/ledger/devices/" + device).body);
  EXPECT_NE(d["cell"].get<std::string>(), "0");
  // Once an epoch closes, the agent claims the device's reward and the owner is paid.
  const std::regex claim_line(R"(claim epoch \d+: claimed)");
  EXPECT_TRUE(WaitFor(
      std::chrono::seconds(90),
      [&] { return std::regex_search(ReadWholeFile(dir.File("agent.stderr")), claim_line); }))
      << ReadWholeFile(dir.File("agent.stderr")) << ReadWholeFile(dir.File("node.stderr"));

  ASSERT_EQ(::kill(agent.pid(), SIGTERM), 0);
  const std::string summary = agent.ReadLine(std::chrono::seconds(30));
  EXPECT_EQ(agent.Wait(), 0);
  EXPECT_NE(summary.find("summary: stage done"), std::string::npos) << summary;
  EXPECT_TRUE(std::regex_search(summary, std::regex(R"(claims [1-9])"))) << summary;
  EXPECT_EQ(node.Stop(), 0);
}

void ExpectOneLineError(const testing::RunResult& r, const std::string& want) {
  EXPECT_EQ(r.exit_code, 1) << r.err;
  ASSERT_FALSE(r.err.empty());
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
  EXPECT_NE(r.err.find(want), std::string::npos) << r.err;
}

TEST(FleetCliTest, BadArgumentsAreOneLineErrorsBeforeAnythingIsSent) {
  util::TempDir dir;
  ASSERT_EQ(RunDepin({"init", dir.path()}).exit_code, 0);
  const std::string node = "http://127.0.0.1:1";  // nothing listens: nothing may be attempted
  ExpectOneLineError(RunDepin({"fleet", "--node", node, "--data", dir.path(), "--devices", "0"}),
                     "depin fleet: --devices must be > 0");
  ExpectOneLineError(
      RunDepin({"fleet", "--node", node, "--data", dir.path(), "--duration", "soon"}),
      "--duration: \"soon\" is not a duration");
  ExpectOneLineError(RunDepin({"fleet", "--node", node, "--data", dir.path(), "--heartbeat", "0s"}),
                     "--heartbeat must be > 0");
  ExpectOneLineError(
      RunDepin({"fleet", "--node", node, "--data", dir.path(), "--topup-every", "0s"}),
      "--topup-every must be > 0");
  ExpectOneLineError(RunDepin({"fleet", "--node", node, "--data", dir.File("missing")}),
                     "network.toml");
  ExpectOneLineError(RunDepin({"fleet", "--node", node, "--data", dir.path(), "--class", "sensor"}),
                     "does not accept speedtest proofs");
  ExpectOneLineError(
      RunDepin({"fleet", "--node", "nonsense", "--data", dir.path(), "--duration", "1s"}),
      "want http://HOST:PORT");
  ExpectOneLineError(RunDepin({"device", "run", "--node", node}),
                     "give --data DIR, or --key, --owner-key and --maker-key");
  ExpectOneLineError(
      RunDepin({"device", "run", "--node", node, "--key", dir.File("d.key"), "--owner-key",
                dir.File("o.key"), "--maker-key", dir.File("missing.key")}),
      "missing.key");
  EXPECT_FALSE(std::ifstream(dir.File("d.key")).good());  // nothing created on a bad invocation
  ExpectOneLineError(
      RunDepin({"device", "run", "--node", node, "--key", dir.File("d.key"), "--owner-key",
                dir.File("o.key"), "--maker-key", dir.File("keys/maker.key"), "--claim"}),
      "--claim needs --data");
}

}  // namespace
}  // namespace depin::cli
