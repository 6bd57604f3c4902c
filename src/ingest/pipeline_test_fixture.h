// PipelineTest: the fixture the ingest pipeline's tests share: a fixed clock (kNow), a report log
// in a temporary directory, an in-memory registry holding device_ (heartbeats), and a pipeline
// reopened over the same directory by Open() (as after a restart). Test-only; not thread-safe.
#pragma once

#include <gtest/gtest.h>

#include <future>
#include <set>
#include <string>

#include "ingest/log_payload.h"
#include "ingest/pipeline.h"
#include "ingest/report_builder.h"
#include "ingest/report_log_reader.h"
#include "util/temp_dir.h"

namespace depin::ingest::pipeline_testing {

inline constexpr uint64_t kNow = 1'750'000'000'000;
inline constexpr uint64_t kDayMs = 24ull * 3600 * 1000;
inline constexpr char kNet[] = "pipeline-net";  // the network this pipeline accepts signatures for
inline constexpr char kOtherNet[] = "other-net";

class FixedClockEnv : public util::EnvWrapper {
 public:
  FixedClockEnv() : util::EnvWrapper(util::Env::Default()) {}
  int64_t NowUnixMillis() override { return static_cast<int64_t>(kNow); }
};

inline DeviceKey KeyOf(const crypto::KeyPair& k) { return k.public_key().bytes; }

class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::InitCrypto().ok());
    registry_.Upsert(KeyOf(device_), {KindBit(wire::v1::REPORT_KIND_HEARTBEAT), true});
    Open();
  }

  void Open(IngestOptions options = {}) {
    pipeline_.reset();
    log_.reset();
    ReportLogOptions log_options;
    log_options.env = &env_;
    log_options.data_dir = dir_.path();
    auto log = ReportLog::Open(log_options);
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    log_ = std::move(log).value();
    options.env = &env_;
    options.epoch_ms = kDayMs;
    options.network_id = kNet;
    options.verify_threads = 2;
    auto p = IngestPipeline::Create(options, &registry_, log_.get(), dir_.path());
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    pipeline_ = std::move(p).value();
  }

  IngestReply Submit(const util::Bytes& body) {
    std::promise<IngestReply> promise;
    pipeline_->Submit(body, "127.0.0.1", [&](IngestReply r) { promise.set_value(std::move(r)); });
    return promise.get_future().get();
  }

  util::Bytes Signed(const wire::v1::Report& r, const crypto::KeyPair& k) {
    auto bytes = SignReportToBytes(r, kNet, k);
    EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
    return *bytes;
  }
  wire::v1::Report Heartbeat(uint64_t ts = kNow, int32_t lat = 473977000) {
    return MakeHeartbeat(device_.public_key(), ts, lat, 85000000);
  }

  // Every report id in the log, each checked to verify on its own.
  std::multiset<std::string> LoggedIds() {
    std::multiset<std::string> ids;
    auto reader = EpochReader::Open(&env_, dir_.path(), kNow / kDayMs);
    EXPECT_TRUE(reader.ok());
    LogRecord record;
    for (;;) {
      auto more = (*reader)->Next(&record);
      EXPECT_TRUE(more.ok()) << more.status().ToString();
      if (!more.ok() || !*more) break;
      EXPECT_EQ(record.receive_ms, kNow);
      auto logged = DecodeLoggedReport(record.payload, kNet);
      EXPECT_TRUE(logged.ok()) << logged.status().ToString();
      if (!logged.ok()) continue;
      EXPECT_TRUE(VerifyLoggedReport(*logged, kNet).ok());
      ids.insert(crypto::ToHex(logged->id));
    }
    return ids;
  }

  FixedClockEnv env_;
  util::TempDir dir_;
  InMemoryDeviceRegistry registry_;
  crypto::KeyPair device_ = crypto::KeyPair::Generate();
  std::unique_ptr<ReportLog> log_;
  std::unique_ptr<IngestPipeline> pipeline_;
};

}  // namespace depin::ingest::pipeline_testing
