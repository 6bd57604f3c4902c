#include "verify/registry.h"

#include <gtest/gtest.h>

#include "verify/test_util.h"
#include "wire/sensor.h"

namespace depin::verify {
namespace {

using testing::DayEpoch;
using testing::Device;
using testing::Heartbeat;
using testing::kEpochStart;
using testing::KeyOf;
using testing::kHourMs;

constexpr KindMask kPhone = KindBitOf(ReportKind::kHeartbeat) | KindBitOf(ReportKind::kSpeedtest);
constexpr KindMask kWeather =
    KindBitOf(ReportKind::kHeartbeat) | KindBitOf(ReportKind::kSensorBatch);
constexpr KindMask kHotspot =
    KindBitOf(ReportKind::kCoverageBeacon) | KindBitOf(ReportKind::kCoverageWitness);
constexpr Location kBerlin{525200000, 134050000};

uint32_t Invalid(const DeviceWork& w, InvalidReason r) { return w.invalid[static_cast<size_t>(r)]; }

TEST(Registry, EveryVerifiedKindHasOneVerifier) {
  EXPECT_EQ(VerifierFor(static_cast<uint32_t>(ReportKind::kHeartbeat)), VerifierId::kUptime);
  EXPECT_EQ(VerifierFor(static_cast<uint32_t>(ReportKind::kCoverageWitness)),
            VerifierId::kCoverage);
  EXPECT_EQ(VerifierFor(static_cast<uint32_t>(ReportKind::kSensorBatch)), VerifierId::kQod);
  EXPECT_FALSE(VerifierFor(7).has_value());  // storage_proof
  EXPECT_FALSE(VerifierFor(8).has_value());  // compute_receipt
  EXPECT_EQ(VerifiersOf(kWeather | kPhone),
            (std::vector<std::string>{"uptime", "speedtest", "qod"}));
}

TEST(Registry, RefusesClassesThatCannotBeVerified) {
  EXPECT_EQ(ClassProblem(kPhone), "");
  EXPECT_EQ(ClassProblem(kWeather), "");
  EXPECT_EQ(ClassProblem(kHotspot | KindBitOf(ReportKind::kHeartbeat)), "");
  EXPECT_NE(ClassProblem(KindBitOf(7)).find("no verifier"), std::string::npos);
  EXPECT_NE(ClassProblem(KindBitOf(ReportKind::kCoverageBeacon)).find("go together"),
            std::string::npos);
  EXPECT_NE(ClassProblem(KindBitOf(ReportKind::kSpeedtest)).find("needs heartbeat"),
            std::string::npos);
  EXPECT_NE(ClassProblem(kHotspot | KindBitOf(ReportKind::kSensorBatch)).find("one physical"),
            std::string::npos);
  EXPECT_NE(ClassProblem(kHotspot | kPhone).find("cannot count"), std::string::npos);
  EpochInputs in;
  in.window = DayEpoch();
  in.setup.classes = {{"bad", KindBitOf(ReportKind::kSpeedtest)}};
  auto epoch = ConfiguredEpoch::Create(std::move(in));
  ASSERT_FALSE(epoch.ok());
  EXPECT_NE(epoch.status().message().find("resource class 0 (bad)"), std::string::npos);
}

// Samples of every default QoD parameter, one per minute for `minutes` minutes from `from_ms`.
std::vector<SensorSample> WeatherSamples(uint64_t from_ms, uint32_t minutes) {
  // Noise from a small LCG on a slow drift: a strictly periodic wobble reads as fabricated to
  // QoD's series checks (qod_series.h).
  std::vector<SensorSample> out;
  uint32_t lcg = 12345;
  for (uint32_t m = 0; m < minutes; ++m) {
    const uint64_t t = from_ms + m * 60'000;
    lcg = lcg * 1'103'515'245u + 12'345u;
    const int64_t wobble = static_cast<int64_t>(m) * 3 + static_cast<int64_t>((lcg >> 16) % 40);
    out.push_back({static_cast<uint32_t>(wire::SensorParameter::kTemperature), 15'000 + wobble, t});
    out.push_back({static_cast<uint32_t>(wire::SensorParameter::kHumidity), 60'000 + wobble, t});
    out.push_back({static_cast<uint32_t>(wire::SensorParameter::kPressure), 1'013'000 + wobble, t});
    out.push_back({static_cast<uint32_t>(wire::SensorParameter::kWindSpeed), 3'000 + wobble, t});
    out.push_back({static_cast<uint32_t>(wire::SensorParameter::kRainRate), 0, t});
    out.push_back({static_cast<uint32_t>(wire::SensorParameter::kIlluminance), 20'000 + wobble, t});
  }
  return out;
}

ReportView Batch(uint8_t device, uint64_t at_ms, const std::vector<SensorSample>& samples) {
  ReportView r;
  r.device = KeyOf(device);
  r.kind = ReportKind::kSensorBatch;
  r.device_ms = at_ms;
  r.received_ms = at_ms;
  r.sensor = {samples.data(), static_cast<uint32_t>(samples.size())};
  return r;
}

struct TwoClasses {
  std::unique_ptr<ConfiguredEpoch> epoch;
  std::vector<SensorSample> good;
};

// Device 1 is a phone (class 0), device 2 a weather station (class 1).
TwoClasses MakeTwoClasses() {
  EpochInputs in;
  in.window = DayEpoch();
  in.params.min_heartbeat_hours = 1;
  in.setup.classes = {{"phone", kPhone}, {"weather", kWeather}};
  DeviceInfo phone = Device(1, 9, kBerlin);
  DeviceInfo station = Device(2, 9, kBerlin);
  station.resource_class = 1;
  in.devices = {phone, station};
  TwoClasses t;
  t.epoch = ConfiguredEpoch::Create(std::move(in)).value();
  t.good = WeatherSamples(kEpochStart, 60);
  return t;
}

TEST(ConfiguredEpoch, RunsEachClassesVerifiersAndConfinesProofUnitsToTheirClass) {
  TwoClasses t = MakeTwoClasses();
  EXPECT_EQ(t.epoch->running(), (std::vector<std::string>{"uptime", "speedtest", "qod"}));
  t.epoch->Observe(Heartbeat(1, kEpochStart + 1000, kBerlin));
  t.epoch->Observe(Heartbeat(2, kEpochStart + 1000, kBerlin));
  t.epoch->Observe(Batch(2, kEpochStart + kHourMs - 1000, t.good));
  EpochWork w = t.epoch->Finish();
  // The phone keeps its uptime units: QoD did not replace them.
  EXPECT_FALSE(w.work[0].has_proof_units);
  EXPECT_TRUE(w.work[0].uptime_ok);
  EXPECT_TRUE(w.work[1].has_proof_units);
  EXPECT_GT(w.work[1].proof_units, 0u);
  EXPECT_EQ(w.work[1].valid_reports, 2u);
}

TEST(ConfiguredEpoch, CountsKindsTheClassDoesNotAccept) {
  TwoClasses t = MakeTwoClasses();
  t.epoch->Observe(Batch(1, kEpochStart + kHourMs - 1000, t.good));  // a phone's sensor batch
  ReportView speedtest = testing::Speedtest(2, kEpochStart + 5000, 1, 1, 1);
  t.epoch->Observe(speedtest);  // a station's speedtest
  ReportView storage;
  storage.device = KeyOf(2);
  storage.kind = static_cast<ReportKind>(7);
  storage.device_ms = storage.received_ms = kEpochStart + 6000;
  t.epoch->Observe(storage);
  EpochWork w = t.epoch->Finish();
  EXPECT_EQ(Invalid(w.work[0], InvalidReason::kKindNotAccepted), 1u);
  EXPECT_EQ(Invalid(w.work[1], InvalidReason::kKindNotAccepted), 2u);
  EXPECT_EQ(w.work[0].valid_reports + w.work[1].valid_reports, 0u);
  EXPECT_EQ(w.work[0].proof_units + w.work[1].proof_units, 0u);
  EXPECT_EQ(w.reports_seen, 3u);
}

TEST(ConfiguredEpoch, RejectsSensorBatchesWithImplausibleTimestampsOrCounts) {
  TwoClasses t = MakeTwoClasses();
  const uint64_t sent = kEpochStart + 3 * kHourMs;
  // A day backfilled at once: samples from hours before the batch was sent.
  t.epoch->Observe(Batch(2, sent, WeatherSamples(kEpochStart, 10)));
  // Samples from the future.
  t.epoch->Observe(Batch(2, sent, WeatherSamples(sent + kHourMs, 1)));
  // Sixty temperature samples in one second.
  std::vector<SensorSample> burst;
  for (int i = 0; i < 60; ++i) {
    burst.push_back({static_cast<uint32_t>(wire::SensorParameter::kTemperature), 15'000 + i, sent});
  }
  t.epoch->Observe(Batch(2, sent, burst));
  EpochWork w = t.epoch->Finish();
  EXPECT_EQ(Invalid(w.work[1], InvalidReason::kSensorBadTimestamp), 2u);
  EXPECT_EQ(Invalid(w.work[1], InvalidReason::kSensorTooManySamples), 1u);
  EXPECT_EQ(w.work[1].valid_reports, 0u);
  EXPECT_EQ(w.work[1].proof_units, 0u);
}

TEST(ConfiguredEpoch, DenylistedStationsEarnNothingFromSensorData) {
  EpochInputs in;
  in.window = DayEpoch();
  in.setup.classes = {{"weather", kWeather}};
  in.devices = {Device(2, 9, kBerlin)};
  in.denylist = Denylist(1, {KeyOf(2)}, {});
  auto epoch = ConfiguredEpoch::Create(std::move(in)).value();
  std::vector<SensorSample> good = WeatherSamples(kEpochStart, 60);
  epoch->Observe(Batch(2, kEpochStart + kHourMs - 1000, good));
  EpochWork w = epoch->Finish();
  EXPECT_EQ(Invalid(w.work[0], InvalidReason::kDenylisted), 1u);
  EXPECT_EQ(w.work[0].proof_units, 0u);
}

TEST(ConfiguredEpoch, WithoutClassesRunsTheDefaultVerifiersForEveryDevice) {
  EpochInputs in;
  in.window = DayEpoch();
  in.devices = {Device(1, 9, kBerlin)};
  auto epoch = ConfiguredEpoch::Create(std::move(in)).value();
  EXPECT_EQ(epoch->running(), (std::vector<std::string>{"uptime", "speedtest", "usage"}));
  std::vector<SensorSample> good = WeatherSamples(kEpochStart, 1);
  epoch->Observe(Batch(1, kEpochStart + 1000, good));
  EpochWork w = epoch->Finish();
  EXPECT_EQ(Invalid(w.work[0], InvalidReason::kNoVerifier), 1u);
}

}  // namespace
}  // namespace depin::verify
