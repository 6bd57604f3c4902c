#include "verify/wire_adapter.h"

#include <gtest/gtest.h>

#include "verify/test_util.h"
#include "verify/verifier.h"
#include "wire/constants.h"

namespace depin::verify {
namespace {

using testing::KeyOf;

std::string Raw(const Key& k) { return std::string(k.bytes.begin(), k.bytes.end()); }

wire::v1::Report Envelope(uint8_t device) {
  wire::v1::Report r;
  r.set_version(wire::kWireVersion);
  r.set_device_key(Raw(KeyOf(device)));
  r.set_timestamp_ms(1'000);
  return r;
}

TEST(WireAdapterTest, Heartbeat) {
  wire::v1::Report r = Envelope(1);
  r.mutable_heartbeat()->mutable_location()->set_lat_e7(-123);
  r.mutable_heartbeat()->mutable_location()->set_lon_e7(456);
  auto v = ReportViewFromWire(r, 2'000, "net");
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->kind, ReportKind::kHeartbeat);
  EXPECT_EQ(v->device, KeyOf(1));
  EXPECT_EQ(v->device_ms, 1'000u);
  EXPECT_EQ(v->received_ms, 2'000u);
  EXPECT_TRUE(v->heartbeat.has_location);
  EXPECT_EQ(v->heartbeat.location.lat_e7, -123);
  EXPECT_EQ(v->heartbeat.location.lon_e7, 456);
  r.mutable_heartbeat()->clear_location();
  EXPECT_FALSE(ReportViewFromWire(r, 2'000, "net")->heartbeat.has_location);
}

TEST(WireAdapterTest, SpeedtestAndDataTransfer) {
  wire::v1::Report s = Envelope(1);
  s.mutable_speedtest()->set_download_bps(7);
  s.mutable_speedtest()->set_upload_bps(8);
  s.mutable_speedtest()->set_latency_ms(9);
  auto sv = ReportViewFromWire(s, 1, "net");
  ASSERT_TRUE(sv.ok());
  EXPECT_EQ(sv->kind, ReportKind::kSpeedtest);
  EXPECT_EQ(sv->speedtest.download_bps, 7u);
  EXPECT_EQ(sv->speedtest.latency_ms, 9u);

  wire::v1::Report d = Envelope(1);
  auto* receipt = d.mutable_data_transfer()->mutable_receipt();
  receipt->set_payer_key(Raw(KeyOf(50)));
  receipt->set_device_key(Raw(KeyOf(1)));
  receipt->set_bytes_up(100);
  receipt->set_bytes_down(200);
  receipt->set_dc_amount(13);
  auto dv = ReportViewFromWire(d, 1, "net");
  ASSERT_TRUE(dv.ok()) << dv.status().ToString();
  EXPECT_EQ(dv->kind, ReportKind::kDataTransfer);
  EXPECT_EQ(dv->usage.payer, KeyOf(50));
  EXPECT_EQ(dv->usage.bytes, 300u);
  EXPECT_EQ(dv->usage.dc_amount, 13u);

  receipt->set_bytes_up(UINT64_MAX);  // saturates instead of wrapping
  EXPECT_EQ(ReportViewFromWire(d, 1, "net")->usage.bytes, UINT64_MAX);
}

TEST(WireAdapterTest, RejectsMalformed) {
  wire::v1::Report none = Envelope(1);
  EXPECT_NE(ReportViewFromWire(none, 1, "net").status().message().find("no body"),
            std::string_view::npos);
  wire::v1::Report short_key = Envelope(1);
  short_key.set_device_key("abc");
  short_key.mutable_heartbeat();
  EXPECT_NE(ReportViewFromWire(short_key, 1, "net").status().message().find("device_key"),
            std::string_view::npos);
  wire::v1::Report other = Envelope(1);
  auto* receipt = other.mutable_data_transfer()->mutable_receipt();
  receipt->set_payer_key(Raw(KeyOf(50)));
  receipt->set_device_key(Raw(KeyOf(2)));  // a receipt for another device
  auto v = ReportViewFromWire(other, 1, "net");
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("data_transfer.device_key"), std::string_view::npos);
}

TEST(WireAdapterTest, OtherKindsKeepTheirNumberAndCountAsNoVerifier) {
  wire::v1::Report r = Envelope(1);
  r.mutable_sensor_batch();
  auto v = ReportViewFromWire(r, testing::kEpochStart + 5, "net");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(static_cast<int>(v->kind), 6);  // REPORT_KIND_SENSOR_BATCH
  v->device_ms = v->received_ms;
  VerifyParams params;
  auto epoch = EpochVerifier::Create(testing::DayEpoch(), params, {testing::Device(1, 9)});
  ASSERT_TRUE(epoch.ok());
  ASSERT_TRUE(RegisterDefaultVerifiers(**epoch, params, {}).ok());
  (*epoch)->Observe(*v);
  EpochWork w = (*epoch)->Finish();
  EXPECT_EQ(w.work[0].invalid[static_cast<size_t>(InvalidReason::kNoVerifier)], 1u);
}

}  // namespace
}  // namespace depin::verify
