// Origin density through the real epoch close: an uptime farm (30 keys reporting from one network
// origin) earns at most what two devices earn, while 30 devices from distinct origins each earn
// fully; the reduced devices carry the origin as evidence in the manifest and the explanation.
#include <gtest/gtest.h>

#include "epoch/close.h"
#include "epoch/test_fixture.h"
#include "rewards/explain.h"
#include "rewards/manifest_json.h"
#include "util/temp_dir.h"

namespace depin::epoch::testing {
namespace {

constexpr int kFarm = 30, kHonest = 30;
constexpr uint64_t kFarmOrigin = 0xfa4a'0000'0000'0001;

crypto::KeyPair Key(int i) { return TestKey(static_cast<uint8_t>(120 + i)); }

// Onboards and locates kFarm + kHonest devices owned by alice.
util::Status BuildOriginLedger(const std::string& db) {
  TestNet net;
  DEPIN_ASSIGN_OR_RETURN(auto l, ledger::Ledger::Open(db, FixtureParams()));
  std::vector<crypto::KeyPair> keys;
  for (int i = 0; i < kFarm + kHonest; ++i) keys.push_back(Key(i));
  std::vector<ledger::Tx> txs;
  uint64_t nonce = 0;
  AddOnboardTxs(net, keys, &nonce, &txs);
  return CommitBlock(*l, txs, 1000);
}

// Epoch 0: every device heartbeats in all 24 hours and runs two good speedtests; the farm's
// reports come from one origin, each honest device's from its own.
util::Status BuildOriginLog(const std::string& data_dir) {
  const uint64_t start = ledger::testing::kGenesisMs;
  ingest::ReportLogOptions o;
  o.data_dir = data_dir;
  DEPIN_ASSIGN_OR_RETURN(auto log, ingest::ReportLog::Open(o));
  std::vector<util::Bytes> payloads;
  std::vector<uint64_t> times;
  for (int i = 0; i < kFarm + kHonest; ++i) {
    const crypto::KeyPair k = Key(i);
    const uint64_t origin = i < kFarm ? kFarmOrigin : 0x1000 + static_cast<uint64_t>(i);
    std::vector<std::pair<wire::v1::Report, uint64_t>> reports;
    for (uint64_t h = 0; h < 24; ++h) {
      const uint64_t at = start + h * 3'600'000 + 1000;
      reports.emplace_back(ingest::MakeHeartbeat(k.public_key(), at, kLat + 100, kLon), at);
    }
    for (uint64_t s = 0; s < 2; ++s) {
      const uint64_t at = start + 7'200'000 + s * 60'000;
      reports.emplace_back(ingest::MakeSpeedtest(k.public_key(), at, 150'000'000, 20'000'000, 20),
                           at);
    }
    for (const auto& [report, at] : reports) {
      DEPIN_ASSIGN_OR_RETURN(util::Bytes bytes,
                             ingest::SignReportToBytes(report, ledger::testing::kTestChainId, k));
      util::Bytes payload;
      ingest::EncodeSignedReportPayload(bytes, &payload);
      ingest::AppendOriginToPayload(origin, &payload);
      payloads.push_back(std::move(payload));
      times.push_back(at);
    }
  }
  std::vector<ingest::AppendRecord> records;
  for (size_t i = 0; i < payloads.size(); ++i) records.push_back({times[i], payloads[i]});
  DEPIN_RETURN_IF_ERROR(log->AppendAndWait(0, records));
  DEPIN_RETURN_IF_ERROR(log->AdvanceEpoch(1));
  return log->Close();
}

TEST(EpochOriginTest, UptimeFarmOnOneOriginEarnsAtMostTwoDevicesWorth) {
  ASSERT_TRUE(crypto::InitCrypto().ok());
  util::TempDir dir;
  ASSERT_TRUE(BuildOriginLedger(dir.File("ledger.db")).ok());
  ASSERT_TRUE(BuildOriginLog(dir.path()).ok());
  auto ledger = ledger::Ledger::Open(dir.File("ledger.db"), FixtureParams());
  ASSERT_TRUE(ledger.ok());
  auto m = CloseFixtureEpoch(**ledger, dir.path(), 0);
  ASSERT_TRUE(m.ok()) << m.status().ToString();

  uint64_t farm = 0, honest_min = UINT64_MAX, honest_max = 0;
  for (int i = 0; i < kFarm + kHonest; ++i) {
    const rewards::DeviceEntry* d = rewards::FindDevice(*m, Key(i).public_key());
    ASSERT_NE(d, nullptr);
    ASSERT_TRUE(d->uptime_ok);
    if (i < kFarm) {
      farm += d->amount;
      EXPECT_EQ(d->origin, kFarmOrigin);
      EXPECT_EQ(d->origin_devices, static_cast<uint32_t>(kFarm));
    } else {
      honest_min = std::min(honest_min, d->amount);
      honest_max = std::max(honest_max, d->amount);
      EXPECT_EQ(d->origin_ppm, 1'000'000u);
    }
  }
  ASSERT_GT(honest_min, 0u);
  EXPECT_EQ(honest_min, honest_max);  // every honest device earns the full, equal share
  EXPECT_LE(farm, 2 * honest_min);    // the whole farm: at most two devices' worth

  // Evidence: the reduced devices carry their origin in the manifest and its explanation.
  const std::string json = rewards::ManifestToJson(*m);
  EXPECT_NE(json.find("\"origin\":{"), std::string::npos);
  auto back = rewards::ManifestFromJson(json);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  const rewards::DeviceEntry* reduced = nullptr;
  for (int i = 0; i < kFarm && reduced == nullptr; ++i) {
    const rewards::DeviceEntry* d = rewards::FindDevice(*back, Key(i).public_key());
    if (d->origin_ppm < 1'000'000) reduced = d;
  }
  ASSERT_NE(reduced, nullptr);
  EXPECT_EQ(reduced->origin, kFarmOrigin);
  const std::string why = rewards::ExplainDevice(*back, reduced->device);
  EXPECT_NE(why.find("Network origin fa4a000000000001"), std::string::npos) << why;
}

}  // namespace
}  // namespace depin::epoch::testing
