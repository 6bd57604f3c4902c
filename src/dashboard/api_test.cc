// Dashboard API over a real ledger and a real closed epoch (the epoch-close fixture: 6 devices
// owned by alice in one Zurich cell, one epoch of heartbeats and speedtests, posted and
// auto-claimed): every route's happy path, and bad input (malformed JSON, unknown device,
// malformed keys and ids, out-of-range paging) answered with the specific 4xx JSON error.
#include "dashboard/api.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "epoch/files.h"
#include "epoch/service.h"
#include "epoch/test_fixture.h"
#include "ledger/test_fault_vfs.h"
#include "rewards/manifest_json.h"
#include "util/encoding.h"
#include "util/temp_dir.h"

namespace depin::dashboard::testing {
namespace {

using namespace depin::epoch::testing;  // the epoch's fixture: BuildLedger, FixtureParams, ...

using nlohmann::json;

class DashboardApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::InitCrypto().ok());
    ASSERT_TRUE(BuildLedger(dir_.File("ledger.db")).ok());
    ASSERT_TRUE(BuildLog(dir_.path(), 0).ok());
    OpenLedgerAndApi();
  }
  // A new ledger connection has nothing in SQLite's page cache, so its reads reach the files.
  void OpenLedgerAndApi() {
    router_ = http::Router();
    api_.reset();
    ledger_.reset();
    auto l = ledger::Ledger::Open(dir_.File("ledger.db"), FixtureParams());
    ASSERT_TRUE(l.ok());
    ledger_ = std::move(l).value();
    DashboardSources s;
    s.data_dir = dir_.path();
    s.ledger = ledger_.get();
    s.network_name = "fixture";
    s.epoch_rescan = std::chrono::milliseconds(0);  // see a new manifest at once
    api_ = std::make_shared<DashboardApi>(std::move(s));
    DashboardApi::AddRoutes(api_, &router_);
  }

  // The epoch service over this fixture's ledger and data directory, on the test's clock.
  std::unique_ptr<epoch::EpochService> Service(bool auto_claim) {
    epoch::EpochServiceOptions o;
    o.data_dir = dir_.path();
    o.config = FixtureRewardConfig();
    o.oracle = net_.oracle1;
    o.auto_claim = auto_claim;
    o.now_ms = [this] { return now_; };
    return std::make_unique<epoch::EpochService>(
        std::move(o), ledger_.get(),
        epoch::MakeDirectSubmitter(ledger_.get(), net_.producer, [this] { return now_; }));
  }

  // Closes epoch 0: manifest files, posted root, auto-claims (more blocks on the ledger).
  void CloseEpoch0() {
    auto outcome = Service(/*auto_claim=*/true)->Close(0);
    ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
    ASSERT_GT(outcome->claims, 0u);
    auto text = epoch::LoadManifestText(util::Env::Default(), dir_.path(), 0);
    ASSERT_TRUE(text.ok());
    manifest_ = rewards::ManifestFromJson(*text).value();
  }

  http::Response Call(const std::string& method, const std::string& target, std::string body = "") {
    http::Request req;
    req.method = method;
    req.target = target;
    const size_t q = target.find('?');
    req.path = target.substr(0, q);
    req.query = q == std::string::npos ? "" : target.substr(q + 1);
    req.body = std::move(body);
    http::Response out;
    router_.Dispatch(req, http::Responder([&out](http::Response r) { out = std::move(r); }));
    return out;
  }
  json GetJson(const std::string& target, int want_status = 200) {
    http::Response r = Call("GET", target);
    EXPECT_EQ(r.status, want_status) << target << ": " << r.body;
    EXPECT_EQ(r.content_type, "application/json") << target;
    json j = json::parse(r.body, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << target;
    return j;
  }
  // Expects a JSON error with `status` and `code`, and returns its message.
  std::string ExpectError(const http::Response& r, int status, const std::string& code) {
    EXPECT_EQ(r.status, status) << r.body;
    json j = json::parse(r.body, nullptr, false);
    if (j.is_discarded() || !j.contains("error")) {
      ADD_FAILURE() << "not a JSON error: " << r.body;
      return "";
    }
    EXPECT_EQ(j["error"]["code"], code) << r.body;
    return j["error"]["message"].get<std::string>();
  }

  std::string Key(int i) const { return DeviceKey(i).public_key().ToBase58(); }

  // SQLite's default VFS for this test's ledger file (before it opens, outliving it): it passes
  // everything through until a test makes the file fail.
  ledger::testing::FaultVfs vfs_{"ledger.db"};
  TestNet net_;
  util::TempDir dir_;
  std::unique_ptr<ledger::Ledger> ledger_;
  std::shared_ptr<DashboardApi> api_;
  http::Router router_;
  rewards::Manifest manifest_;
  int64_t now_ = ledger::testing::kGenesisMs + static_cast<int64_t>(kEpochMs) + 60'000;
};

TEST_F(DashboardApiTest, SummaryCountsDevicesCellsAndSeesANewEpochWithoutRestart) {
  json before = GetJson("/v1/network/summary");
  EXPECT_EQ(before["network"], "fixture");
  EXPECT_EQ(before["registered_devices"], kDevices);
  EXPECT_EQ(before["located_devices"], kDevices);
  EXPECT_EQ(before["covered_cells"], 1);  // all six share one cell
  EXPECT_EQ(before["height"], 1);
  EXPECT_TRUE(before["latest_epoch"].is_null());
  EXPECT_EQ(before["closed_epochs"], 0);

  CloseEpoch0();
  json after = GetJson("/v1/network/summary");
  EXPECT_EQ(after["latest_epoch"], 0);
  EXPECT_EQ(after["closed_epochs"], 1);
  EXPECT_GT(after["height"].get<uint64_t>(), 1u);  // post + claims were indexed
  EXPECT_EQ(after["height"].get<uint64_t>(), ledger_->height());
  EXPECT_NE(after["minted"], "0");
}

TEST_F(DashboardApiTest, HealthPerEpochMatchesTheManifest) {
  CloseEpoch0();
  json h = GetJson("/v1/network/health");
  ASSERT_EQ(h["total"], 1);
  ASSERT_EQ(h["items"].size(), 1u);
  const json& e = h["items"][0];
  EXPECT_EQ(e["epoch"], 0);
  EXPECT_EQ(e["minted"], std::to_string(epoch::TotalMinted(manifest_)));
  EXPECT_EQ(e["emission"], std::to_string(manifest_.emission));
  EXPECT_EQ(e["registered_devices"], kDevices);
  EXPECT_EQ(e["active_devices"], kDevices);
  EXPECT_EQ(e["dc_burned"], "0");                         // the fixture has no usage
  EXPECT_EQ(e["invalid_by_reason"]["outside_epoch"], 1);  // the late heartbeat
  EXPECT_EQ(e["corrupt_records"], 1);
  EXPECT_GT(e["invalid_rate_ppm"].get<uint64_t>(), 0u);
  EXPECT_EQ(e["top10_owner_share_ppm"], 1'000'000);  // alice owns every device
  uint64_t sum = 0;
  for (const auto& d : manifest_.devices) sum += d.amount;
  EXPECT_EQ(e["device_rewards"], std::to_string(sum));
  EXPECT_GT(sum, 0u);
}

TEST_F(DashboardApiTest, DeviceListPagesInKeyOrderWithLocationAndLatestReward) {
  CloseEpoch0();
  json all = GetJson("/v1/devices?limit=1000");
  ASSERT_EQ(all["total"], kDevices);
  ASSERT_EQ(all["items"].size(), static_cast<size_t>(kDevices));
  for (size_t i = 1; i < all["items"].size(); ++i) {
    EXPECT_LT(crypto::PublicKey::FromBase58(all["items"][i - 1]["key"].get<std::string>())->bytes,
              crypto::PublicKey::FromBase58(all["items"][i]["key"].get<std::string>())->bytes);
  }
  const json& d = all["items"][0];
  EXPECT_NEAR(d["lat"].get<double>(), kLat / 1e7, 1e-4);
  EXPECT_NEAR(d["lng"].get<double>(), kLon / 1e7, 1e-4);
  EXPECT_EQ(d["owner"], net_.alice.public_key().ToBase58());
  ASSERT_FALSE(d["latest"].is_null());
  EXPECT_EQ(d["latest"]["epoch"], 0);
  auto key = crypto::PublicKey::FromBase58(d["key"].get<std::string>());
  EXPECT_EQ(d["latest"]["amount"], std::to_string(rewards::FindDevice(manifest_, *key)->amount));

  json page = GetJson("/v1/devices?offset=2&limit=2");
  ASSERT_EQ(page["items"].size(), 2u);
  EXPECT_EQ(page["items"][0]["key"], all["items"][2]["key"]);
  EXPECT_EQ(page["items"][1]["key"], all["items"][3]["key"]);
  EXPECT_EQ(GetJson("/v1/devices?offset=6")["items"].size(), 0u);  // offset == total: empty page
}

TEST_F(DashboardApiTest, OutOfRangeAndMalformedPagingIs400) {
  ExpectError(Call("GET", "/v1/devices?limit=0"), 400, "out_of_range");
  ExpectError(Call("GET", "/v1/devices?limit=1001"), 400, "out_of_range");
  EXPECT_NE(ExpectError(Call("GET", "/v1/devices?offset=7"), 400, "out_of_range").find("offset 7"),
            std::string::npos);
  ExpectError(Call("GET", "/v1/devices?limit=abc"), 400, "invalid_argument");
  ExpectError(Call("GET", "/v1/devices?offset=-1"), 400, "invalid_argument");
  ExpectError(Call("GET", "/v1/devices?limit=99999999999999999999999"), 400, "invalid_argument");
  ExpectError(Call("GET", "/v1/network/health?offset=1"), 400, "out_of_range");  // no epochs
  ExpectError(Call("GET", "/v1/epochs?limit=5000"), 400, "out_of_range");
  ExpectError(Call("GET", "/v1/explorer/blocks?offset=2"), 400, "out_of_range");  // height 1
  ExpectError(Call("GET", "/v1/cells?limit=0"), 400, "out_of_range");
  ExpectError(Call("GET", "/v1/cells?level=31"), 400, "out_of_range");
}

TEST_F(DashboardApiTest, DeviceLookupHistoryAndErrors) {
  json before = GetJson("/v1/devices/" + Key(3));  // answered (and cached) before any epoch
  EXPECT_TRUE(before["latest"].is_null());
  EXPECT_TRUE(before["history"].empty());
  EXPECT_EQ(before["claimed"], "0");
  CloseEpoch0();  // new blocks and a new epoch: the cached answer must not be served
  json d = GetJson("/v1/devices/" + Key(3));
  EXPECT_EQ(d["key"], Key(3));
  ASSERT_EQ(d["history"].size(), 1u);
  const rewards::DeviceEntry* entry = rewards::FindDevice(manifest_, DeviceKey(3).public_key());
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(d["history"][0]["amount"], std::to_string(entry->amount));
  EXPECT_EQ(d["history"][0]["valid_reports"], entry->valid_reports);
  EXPECT_EQ(d["claimed"], std::to_string(entry->cumulative));  // auto-claimed

  // Device 0's late heartbeat is an invalid report: flagged with its reason.
  json d0 = GetJson("/v1/devices/" + Key(0));
  std::vector<std::string> flags = d0["latest"]["flags"].get<std::vector<std::string>>();
  EXPECT_NE(std::find(flags.begin(), flags.end(), "outside_epoch"), flags.end());
  EXPECT_NE(std::find(flags.begin(), flags.end(), "invalid_reports"), flags.end());

  const std::string stranger = net_.carol.public_key().ToBase58();  // valid key, no device
  EXPECT_NE(ExpectError(Call("GET", "/v1/devices/" + stranger), 404, "not_found").find(stranger),
            std::string::npos);
  ExpectError(Call("GET", "/v1/devices/not-base58!"), 400, "invalid_argument");
  ExpectError(Call("GET", "/v1/devices/abc"), 400, "invalid_argument");  // too short
}

TEST_F(DashboardApiTest, DeviceQueryTakesKeysAndRejectsBadJson) {
  http::Response ok = Call("POST", "/v1/devices/query",
                           json{{"keys", {Key(1), net_.bob.public_key().ToBase58()}}}.dump());
  ASSERT_EQ(ok.status, 200) << ok.body;
  json j = json::parse(ok.body);
  ASSERT_EQ(j["items"].size(), 1u);
  EXPECT_EQ(j["items"][0]["key"], Key(1));
  EXPECT_EQ(j["unknown"], json::array({net_.bob.public_key().ToBase58()}));

  ExpectError(Call("POST", "/v1/devices/query", "{\"keys\": [\"abc\""), 400, "invalid_argument");
  ExpectError(Call("POST", "/v1/devices/query", "not json"), 400, "invalid_argument");
  ExpectError(Call("POST", "/v1/devices/query", "{\"keys\": 5}"), 400, "invalid_argument");
  ExpectError(Call("POST", "/v1/devices/query", "[]"), 400, "invalid_argument");
  EXPECT_NE(ExpectError(Call("POST", "/v1/devices/query", "{\"keys\": [\"" + Key(1) + "\", 7]}"),
                        400, "invalid_argument")
                .find("keys[1]"),
            std::string::npos);
  json many = {{"keys", json::array()}};
  for (int i = 0; i < 1001; ++i) many["keys"].push_back(Key(1));
  ExpectError(Call("POST", "/v1/devices/query", many.dump()), 400, "out_of_range");
}

TEST_F(DashboardApiTest, CellsGroupDevicesWithCornersAndRewards) {
  CloseEpoch0();
  json c = GetJson("/v1/cells?level=12");
  ASSERT_EQ(c["total"], 1);
  const json& cell = c["items"][0];
  EXPECT_EQ(cell["level"], 12);
  EXPECT_EQ(cell["devices"], kDevices);
  EXPECT_EQ(cell["corners"].size(), 4u);
  EXPECT_NEAR(cell["lat"].get<double>(), kLat / 1e7, 0.05);
  uint64_t sum = 0;
  for (const auto& d : manifest_.devices) sum += d.amount;
  EXPECT_EQ(cell["reward"], std::to_string(sum));
  EXPECT_EQ(GetJson("/v1/cells?level=30")["items"][0]["level"], 30);
}

TEST_F(DashboardApiTest, EpochsListClaimStatusAndDetail) {
  CloseEpoch0();
  json list = GetJson("/v1/epochs");
  ASSERT_EQ(list["total"], 1);
  const json& e = list["items"][0];
  EXPECT_EQ(e["root"], util::HexEncode(manifest_.root));
  EXPECT_EQ(e["claim"]["status"], "claimed");
  EXPECT_EQ(e["claim"]["posted"], true);
  EXPECT_EQ(e["claim"]["posted_root"], util::HexEncode(manifest_.root));
  EXPECT_EQ(e["claim"]["claimed_leaves"], e["claim"]["device_leaves"]);
  EXPECT_EQ(e["pools"].size(), manifest_.pools.size());

  json full = GetJson("/v1/epochs/0");
  EXPECT_EQ(full["unallocated"], std::to_string(manifest_.unallocated_total));
  EXPECT_EQ(full["recipients"].size(), manifest_.recipients.size());
  EXPECT_FALSE(full["top_devices"].empty());
  EXPECT_EQ(full["health"]["epoch"], 0);
  ExpectError(Call("GET", "/v1/epochs/7"), 404, "not_found");
  ExpectError(Call("GET", "/v1/epochs/x7"), 400, "invalid_argument");
}

// A device that earned in epoch 0 and sent nothing in epoch 1 still has a claimable leaf in
// epoch 1's tree (its lifetime total): the epochs list counts it (issue 17: 987 of 988).
TEST_F(DashboardApiTest, DeviceLeavesCountDevicesSilentThisEpoch) {
  CloseEpoch0();
  const json first = GetJson("/v1/epochs")["items"][0];
  const uint64_t device_leaves = first["claim"]["device_leaves"].get<uint64_t>();
  ASSERT_GT(device_leaves, 0u);

  now_ += static_cast<int64_t>(kEpochMs);  // epoch 1 ends; no device reported in it
  std::unique_ptr<epoch::EpochService> service = Service(/*auto_claim=*/false);
  auto outcome = service->Close(1);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();

  json list = GetJson("/v1/epochs");
  ASSERT_EQ(list["total"], 2);
  const json& latest = list["items"][0];  // newest first
  ASSERT_EQ(latest["epoch"], 1);
  EXPECT_EQ(latest["devices"], 0);
  EXPECT_EQ(latest["claim"]["device_leaves"], device_leaves);
  // Nothing new to claim: every silent device's total was claimed after epoch 0.
  EXPECT_EQ(latest["claim"]["claimed_leaves"], device_leaves);
  EXPECT_EQ(latest["claim"]["status"], "claimed");

  // Its device page names epoch 1 as the newest closed epoch, with no entry of its own.
  json device = GetJson("/v1/devices/" + Key(0));
  EXPECT_TRUE(device["latest"].is_null());
  EXPECT_EQ(device["latest_epoch"], 1);
}

TEST_F(DashboardApiTest, ExplorerBlocksTxsAccounts) {
  CloseEpoch0();
  json blocks = GetJson("/v1/explorer/blocks?limit=2");
  EXPECT_EQ(blocks["total"], ledger_->height());
  ASSERT_EQ(blocks["items"].size(), 2u);
  EXPECT_EQ(blocks["items"][0]["height"], ledger_->height());  // newest first
  EXPECT_EQ(blocks["items"][0]["hash"], crypto::ToHex(ledger_->tip_hash()));

  json b1 = GetJson("/v1/explorer/blocks/1");
  ASSERT_EQ(b1["txs"].size(), static_cast<size_t>(2 * kDevices));
  EXPECT_EQ(b1["txs"][0]["kind"], "onboard_device");
  EXPECT_EQ(b1["txs"][1]["kind"], "assert_location");
  const std::string tx_id = b1["txs"][1]["tx_id"];
  json tx = GetJson("/v1/explorer/tx/" + tx_id);
  EXPECT_EQ(tx["height"], 1);
  EXPECT_EQ(tx["index"], 1);
  EXPECT_EQ(tx["signer"], net_.alice.public_key().ToBase58());
  EXPECT_NEAR(tx["body"]["lat"].get<double>(), kLat / 1e7, 1e-4);

  json alice = GetJson("/v1/explorer/accounts/" + net_.alice.public_key().ToBase58());
  EXPECT_EQ(alice["devices"].size(), static_cast<size_t>(kDevices));
  EXPECT_FALSE(alice["recent_txs"].empty());
  EXPECT_NE(alice["balance"], "0");

  ExpectError(Call("GET", "/v1/explorer/blocks/999"), 404, "not_found");
  ExpectError(Call("GET", "/v1/explorer/blocks/-1"), 400, "invalid_argument");
  ExpectError(Call("GET", "/v1/explorer/tx/" + std::string(64, '0')), 404, "not_found");
  ExpectError(Call("GET", "/v1/explorer/tx/xyz"), 400, "invalid_argument");
  ExpectError(Call("GET", "/v1/explorer/accounts/0OIl"), 400, "invalid_argument");
}

// While the ledger's store cannot be read, the explorer answers 503 `unavailable` instead of an
// account that owns no devices, and answers right once the store heals (no restart).
TEST_F(DashboardApiTest, StoreFaultAnswersUnavailableNotAnEmptyAccount) {
  CloseEpoch0();
  OpenLedgerAndApi();
  const std::string alice = "/v1/explorer/accounts/" + net_.alice.public_key().ToBase58();
  vfs_.set_failing(true);
  vfs_.StaleOpenHandles();
  const std::string message = ExpectError(Call("GET", alice), 503, "unavailable");
  EXPECT_NE(message.find("ledger store unavailable"), std::string::npos) << message;
  EXPECT_EQ(message.find(dir_.path()), std::string::npos) << "leaks the data path: " << message;
  vfs_.set_failing(false);
  json healed = GetJson(alice);
  EXPECT_EQ(healed["devices"].size(), static_cast<size_t>(kDevices));
  EXPECT_NE(healed["balance"], "0");
}

TEST_F(DashboardApiTest, EpochCacheKeepsOnlyTheNewestSummariesAndReloadsOlderOnes) {
  ASSERT_TRUE(BuildLog(dir_.path(), 1).ok());
  now_ += static_cast<int64_t>(kEpochMs);  // epoch 1 has ended too
  std::unique_ptr<epoch::EpochService> service = Service(/*auto_claim=*/false);
  auto closed = service->CatchUp();
  ASSERT_TRUE(closed.ok()) << closed.status().ToString();
  ASSERT_EQ(closed->size(), 2u);

  EpochCache cache(util::Env::Default(), dir_.path(), nullptr, std::chrono::milliseconds(0),
                   /*capacity=*/1);
  EXPECT_EQ(cache.Epochs(), (std::vector<uint64_t>{0, 1}));
  auto e1 = cache.Get(1);
  ASSERT_TRUE(e1.ok());
  auto e0 = cache.Get(0);  // evicts itself: epoch 1 is newer
  ASSERT_TRUE(e0.ok());
  EXPECT_EQ((*e0)->epoch, 0u);
  EXPECT_EQ(cache.cached(), 1u);
  EXPECT_EQ(cache.Latest()->epoch, 1u);
  auto again = cache.Get(0);  // re-read from its manifest, same content
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->root, (*e0)->root);
  EXPECT_NE((*e0)->root, (*e1)->root);
  EXPECT_EQ(cache.cached(), 1u);
}

TEST(IngestCountsTest, ParsesTheIngestCountersFromMetricsText) {
  IngestCounts c = IngestCountsFromMetrics(
      "# TYPE depin_ingest_reports_total counter\n"
      "depin_ingest_reports_total{status=\"accepted\"} 12\n"
      "depin_ingest_reports_total{status=\"duplicate\"} 3\n"
      "depin_ingest_rejected_total{reason=\"bad_signature\"} 2\n"
      "depin_ingest_rejected_total{reason=\"too_old\"} 0\n"
      "http_requests_total{route=\"/v1/reports\",code=\"200\"} 99\n");
  EXPECT_EQ(c.accepted, 12u);
  EXPECT_EQ(c.duplicate, 3u);
  ASSERT_EQ(c.rejected.size(), 1u);
  EXPECT_EQ(c.rejected[0].first, "bad_signature");
  EXPECT_EQ(c.rejected[0].second, 2u);
}

TEST(QueryParamTest, LastOccurrenceWinsAndAbsentIsNullopt) {
  EXPECT_EQ(QueryParam("a=1&b=2&a=3", "a"), "3");
  EXPECT_EQ(QueryParam("a=1", "b"), std::nullopt);
  EXPECT_EQ(QueryParam("ab=1", "a"), std::nullopt);
  EXPECT_EQ(QueryParam("a", "a"), "");
}

}  // namespace
}  // namespace depin::dashboard::testing
