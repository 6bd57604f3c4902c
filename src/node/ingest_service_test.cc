// ApplyIngestConfig: the node's ingest pipeline and report log options come from the network
// file's [ingest] section (its parsing and limits are config's: config/network_config_test.cc).
#include "node/ingest_service.h"

#include <gtest/gtest.h>

#include "config/network_config.h"

namespace depin::node {
namespace {

TEST(IngestServiceConfigTest, EveryIngestFieldReachesThePipelineOrTheLog) {
  config::IngestSection section;  // distinct values, so a field wired to the wrong option fails
  section.max_report_age_seconds = 300;
  section.max_clock_skew_seconds = 61;
  section.receipt_max_age_seconds = 3601;
  section.device_rate = 2;
  section.device_burst = 3;
  section.client_rate = 500;
  section.client_burst = 2000;
  section.origin_rate = 1001;
  section.origin_burst = 10001;
  section.max_in_flight_reports = 65'537;
  section.max_dedup_ids = 33'554'433;
  section.verify_threads = 5;
  section.segment_max_bytes = 1 << 17;
  section.segment_max_age_seconds = 301;
  section.group_interval_us = 0;

  IngestServiceOptions options;
  ApplyIngestConfig(section, &options);
  EXPECT_EQ(options.pipeline.max_age_ms, 300'000u);
  EXPECT_EQ(options.pipeline.max_skew_ms, 61'000u);
  EXPECT_EQ(options.pipeline.receipt_max_age_ms, 3'601'000u);
  EXPECT_EQ(options.pipeline.device_rate_per_s, 2u);
  EXPECT_EQ(options.pipeline.device_burst, 3u);
  EXPECT_EQ(options.pipeline.client_rate_per_s, 500u);
  EXPECT_EQ(options.pipeline.client_burst, 2000u);
  EXPECT_EQ(options.pipeline.origin_rate_per_s, 1001u);
  EXPECT_EQ(options.pipeline.origin_burst, 10001u);
  EXPECT_EQ(options.pipeline.max_in_flight_reports, 65'537u);
  EXPECT_EQ(options.pipeline.max_dedup_ids, 33'554'433u);
  EXPECT_EQ(options.pipeline.verify_threads, 5u);
  EXPECT_EQ(options.log.segment_max_bytes, 1u << 17);
  EXPECT_EQ(options.log.segment_max_age_ms, 301'000u);
  EXPECT_EQ(options.log.min_group_interval_us, 0u);
}

}  // namespace
}  // namespace depin::node
