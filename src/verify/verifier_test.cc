// The shared checks every report passes before its kind's verifier sees it.
#include "verify/verifier.h"

#include <gtest/gtest.h>

#include "verify/speedtest_verifier.h"
#include "verify/test_util.h"

namespace depin::verify {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace)

constexpr Location kHome{377'749'000, -1'224'194'000};  // San Francisco

std::unique_ptr<EpochVerifier> MakeEpoch(std::vector<DeviceInfo> devices,
                                         const VerifyParams& params = {}) {
  auto epoch = EpochVerifier::Create(DayEpoch(), params, std::move(devices));
  EXPECT_TRUE(epoch.ok()) << epoch.status().ToString();
  EXPECT_TRUE(RegisterDefaultVerifiers(**epoch, params, {}).ok());
  return std::move(epoch).value();
}

size_t Invalid(const DeviceWork& w, InvalidReason r) { return w.invalid[static_cast<size_t>(r)]; }

TEST(EpochVerifierTest, RejectsUnsortedOrDuplicateRegistry) {
  auto unsorted = EpochVerifier::Create(DayEpoch(), {}, {Device(2, 9), Device(1, 9)});
  ASSERT_FALSE(unsorted.ok());
  EXPECT_EQ(unsorted.status().code(), util::Code::kInvalidArgument);
  EXPECT_NE(unsorted.status().message().find("not sorted"), std::string_view::npos);
  EXPECT_FALSE(EpochVerifier::Create(DayEpoch(), {}, {Device(1, 9), Device(1, 9)}).ok());
}

TEST(EpochVerifierTest, RejectsEpochLongerThan64Hours) {
  EpochWindow w{1, 0, 65 * kHourMs};
  auto e = EpochVerifier::Create(w, {}, {});
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("65 hours"), std::string_view::npos);
}

TEST(EpochVerifierTest, SecondVerifierForAKindIsRefused) {
  auto epoch = MakeEpoch({});
  util::Status s =
      epoch->Register(std::make_unique<SpeedtestVerifier>(VerifyParams{}, epoch->window()));
  EXPECT_EQ(s.code(), util::Code::kAlreadyExists);
  EXPECT_NE(s.message().find("speedtest"), std::string_view::npos);
}

TEST(EpochVerifierTest, UnknownDeviceIsCountedEpochWide) {
  auto epoch = MakeEpoch({Device(1, 9, kHome)});
  epoch->Observe(Heartbeat(5, kEpochStart + 10, kHome));
  epoch->NoteCorruptRecords(3);
  EpochWork w = epoch->Finish();
  EXPECT_EQ(w.reports_seen, 1u);
  EXPECT_EQ(w.unknown_device_reports, 1u);
  EXPECT_EQ(w.corrupt_records, 3u);
  EXPECT_EQ(w.work[0].valid_reports, 0u);
}

TEST(EpochVerifierTest, TimestampsOutsideTheEpochEarnNothing) {
  auto epoch = MakeEpoch({Device(1, 9, kHome)});
  const uint64_t end = DayEpoch().end_ms;
  epoch->Observe(Heartbeat(1, kEpochStart - 1, kHome));  // a millisecond early
  epoch->Observe(Heartbeat(1, end, kHome));              // the end is exclusive
  ReportView late_device_clock = Heartbeat(1, end - 10, kHome);
  late_device_clock.device_ms = end + 5;  // received inside, claims a time after the epoch
  epoch->Observe(late_device_clock);
  epoch->Observe(Heartbeat(1, kEpochStart, kHome));  // the start is inclusive: valid
  EpochWork w = epoch->Finish();
  EXPECT_EQ(Invalid(w.work[0], InvalidReason::kOutsideEpoch), 3u);
  EXPECT_EQ(w.work[0].valid_reports, 1u);
  EXPECT_EQ(w.work[0].heartbeats, 1u);
}

TEST(EpochVerifierTest, ClockSkewBeyondLimitIsInvalid) {
  VerifyParams params;
  params.max_clock_skew_ms = 1000;
  auto epoch = MakeEpoch({Device(1, 9, kHome)}, params);
  ReportView r = Heartbeat(1, kEpochStart + kHourMs, kHome);
  r.device_ms = r.received_ms - 1000;  // exactly at the limit: fine
  epoch->Observe(r);
  r.device_ms = r.received_ms + 1001;  // one past: invalid
  epoch->Observe(r);
  EpochWork w = epoch->Finish();
  EXPECT_EQ(w.work[0].valid_reports, 1u);
  EXPECT_EQ(Invalid(w.work[0], InvalidReason::kClockSkew), 1u);
}

TEST(EpochVerifierTest, DeviceDeactivatedMidEpochEarnsNothingAndSaysWhy) {
  DeviceInfo gone = Device(1, 9, kHome);
  gone.deactivated_at_ms = kEpochStart + 12 * kHourMs;  // half-way through the day
  DeviceInfo later = Device(2, 9, kHome);
  later.deactivated_at_ms = DayEpoch().end_ms;  // deactivated exactly at the end: still counts
  auto epoch = MakeEpoch({gone, later});
  for (uint64_t h = 0; h < 24; ++h) {
    epoch->Observe(Heartbeat(1, kEpochStart + h * kHourMs, kHome));
    epoch->Observe(Heartbeat(2, kEpochStart + h * kHourMs, kHome));
  }
  EpochWork w = epoch->Finish();
  EXPECT_TRUE(w.work[0].deactivated);
  EXPECT_EQ(Invalid(w.work[0], InvalidReason::kDeviceDeactivated), 24u);
  EXPECT_EQ(w.work[0].valid_reports, 0u);
  EXPECT_FALSE(w.work[0].uptime_ok);
  EXPECT_FALSE(w.work[1].deactivated);
  EXPECT_EQ(w.work[1].valid_reports, 24u);
  EXPECT_TRUE(w.work[1].uptime_ok);
}

TEST(EpochVerifierTest, KindWithoutVerifierIsCounted) {
  auto epoch = EpochVerifier::Create(DayEpoch(), {}, {Device(1, 9, kHome)});
  ASSERT_TRUE(epoch.ok());
  (*epoch)->Observe(Heartbeat(1, kEpochStart, kHome));  // nothing registered
  EpochWork w = (*epoch)->Finish();
  EXPECT_EQ(Invalid(w.work[0], InvalidReason::kNoVerifier), 1u);
}

}  // namespace
}  // namespace depin::verify
