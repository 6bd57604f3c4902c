#include "epoch/poc_entropy.h"

#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>

#include "util/encoding.h"
#include "util/temp_dir.h"
#include "verify/coverage_math.h"

namespace depin::epoch {
namespace {

constexpr uint64_t kGenesis = 1'700'000'000'000;
constexpr uint64_t kCadence = 60'000;

crypto::Hash256 HashOf(uint8_t b) {
  crypto::Hash256 h{};
  h.fill(b);
  return h;
}

struct Fixture {
  util::TempDir dir;
  std::atomic<int64_t> now{static_cast<int64_t>(kGenesis + 5'000)};
  std::atomic<uint64_t> height{7};

  util::Result<std::unique_ptr<EntropyService>> Open(std::string network = "dev-1") {
    EntropyServiceOptions o;
    o.data_dir = dir.path();
    o.network_id = network;
    o.genesis_ms = kGenesis;
    o.cadence_ms = kCadence;
    o.now_ms = [this] { return now.load(); };
    o.tip = [this] {
      return LedgerTip{height.load(), HashOf(static_cast<uint8_t>(height.load()))};
    };
    return EntropyService::Open(std::move(o));
  }
};

http::Response Get(const http::Router& router, std::string path) {
  http::Request req;
  req.method = "GET";
  req.path = std::move(path);
  http::Response got;
  router.Dispatch(req, http::Responder([&got](http::Response r) { got = std::move(r); }));
  return got;
}

TEST(PocEntropy, DerivationIsTheDocumentedHashAndBindsTheNetwork) {
  // SHA-256("opendepin/entropy/v2" 0x00 u32 LE len id, id, block hash, period start u64 LE),
  // spelled out byte by byte: the network-bound domain of every signature (wire/domain.h).
  const std::string domain = "opendepin/entropy/v2";
  util::Bytes bytes(domain.begin(), domain.end());
  bytes.push_back(0);
  for (uint8_t b : {5, 0, 0, 0}) bytes.push_back(b);
  for (char c : std::string("dev-1")) bytes.push_back(static_cast<uint8_t>(c));
  const crypto::Hash256 block = HashOf(3);
  bytes.insert(bytes.end(), block.begin(), block.end());
  for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<uint8_t>(kGenesis >> (8 * i)));
  EXPECT_EQ(verify::DeriveEntropy("dev-1", block, kGenesis), crypto::Sha256(bytes));
  EXPECT_NE(verify::DeriveEntropy("dev-2", block, kGenesis),
            verify::DeriveEntropy("dev-1", block, kGenesis));
  EXPECT_NE(verify::DeriveEntropy("dev-1", block, kGenesis + kCadence),
            verify::DeriveEntropy("dev-1", block, kGenesis));
}

TEST(PocEntropy, PublishesOncePerPeriodAndARestartServesTheSameHistory) {
  Fixture f;
  auto service = f.Open().value();
  ASSERT_TRUE(service->PublishDue().ok());
  ASSERT_TRUE(service->PublishDue().ok());  // same period: nothing new
  f.now = kGenesis + 2 * kCadence + 10;     // period 1 was missed (node down), period 2 is due
  f.height = 9;
  ASSERT_TRUE(service->PublishDue().ok());
  ASSERT_FALSE(service->Get(1).has_value());
  const EntropyEntry p0 = service->Get(0).value();
  const EntropyEntry p2 = service->Latest().value();
  EXPECT_EQ(p0.published_ms, kGenesis + 5'000);
  EXPECT_EQ(p2.period, 2u);
  EXPECT_EQ(p2.published_ms, kGenesis + 2 * kCadence + 10);  // when it existed, not the start
  EXPECT_EQ(p2.height, 9u);
  EXPECT_EQ(p2.entropy, verify::DeriveEntropy("dev-1", HashOf(9), kGenesis + 2 * kCadence));
  service.reset();

  auto again = f.Open().value();
  EXPECT_EQ(again->Get(0)->entropy, p0.entropy);
  EXPECT_EQ(again->Latest()->entropy, p2.entropy);
  // Under another network id the file does not check: it is not this network's entropy.
  EXPECT_EQ(f.Open("other").status().code(), util::Code::kCorruption);

  auto window = EntropyForEpoch(util::Env::Default(), f.dir.path(), "dev-1",
                                kGenesis + 2 * kCadence, kGenesis + 3 * kCadence, 180'000);
  ASSERT_TRUE(window.ok());
  ASSERT_EQ(window->size(), 2u);  // period 0 is within 180 s of the window's start
  EXPECT_EQ((*window)[1].entropy, p2.entropy);
}

TEST(PocEntropy, ATornLastLineIsDroppedAndADamagedEarlierLineIsCorruption) {
  Fixture f;
  {
    auto service = f.Open().value();
    ASSERT_TRUE(service->PublishDue().ok());
    f.now = kGenesis + kCadence + 1;
    ASSERT_TRUE(service->PublishDue().ok());
  }
  util::Env* env = util::Env::Default();
  const std::string path = EntropyLogPath(f.dir.path());
  std::string text(util::AsChars(env->ReadFile(path).value()));
  // A crash in the middle of appending period 2.
  ASSERT_TRUE(env->WriteFileAtomic(path, util::AsBytes(text + "2 1700000120000 17")).ok());
  auto log = LoadEntropyLog(env, f.dir.path(), "dev-1");
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  EXPECT_EQ(log->size(), 2u);
  // A flipped entropy digit on line 1.
  std::string damaged = text;
  damaged[damaged.find('\n') - 1] = damaged[damaged.find('\n') - 1] == '0' ? '1' : '0';
  ASSERT_TRUE(env->WriteFileAtomic(path, util::AsBytes(damaged)).ok());
  auto bad = LoadEntropyLog(env, f.dir.path(), "dev-1");
  ASSERT_EQ(bad.status().code(), util::Code::kCorruption);
  EXPECT_NE(bad.status().message().find("entropy.log:1:"), std::string::npos);
  EXPECT_FALSE(EntropyForEpoch(env, f.dir.path(), "dev-1", kGenesis, kGenesis + kCadence, 0).ok());
}

TEST(PocEntropy, ServesLatestAndByPeriodOverTheApi) {
  Fixture f;
  auto service = f.Open().value();
  http::Router router;
  service->AddRoutes(&router);
  EXPECT_EQ(Get(router, "/v1/poc/entropy/latest").status, 404);
  ASSERT_TRUE(service->PublishDue().ok());
  http::Response latest = Get(router, "/v1/poc/entropy/latest");
  ASSERT_EQ(latest.status, 200);
  nlohmann::json j = nlohmann::json::parse(latest.body);
  EXPECT_EQ(j["period"], 0);
  EXPECT_EQ(j["network"], "dev-1");
  EXPECT_EQ(j["entropy"], util::HexEncode(service->Latest()->entropy));
  EXPECT_EQ(Get(router, "/v1/poc/entropy/0").body, latest.body);
  EXPECT_EQ(Get(router, "/v1/poc/entropy/1").status, 404);  // not published (yet)
  EXPECT_EQ(Get(router, "/v1/poc/entropy/x1").status, 400);
}

}  // namespace
}  // namespace depin::epoch
