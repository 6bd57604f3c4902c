#include "verify/qod_verifier.h"

#include <gtest/gtest.h>

#include <functional>
#include <optional>

#include "verify/coverage_test_util.h"
#include "verify/uptime_verifier.h"

namespace depin::verify {
namespace {

using namespace testing;  // NOLINT

// Parameter ids of the default table: temperature, humidity, pressure, wind, rain, illuminance.
constexpr uint32_t kParams[] = {1, 2, 3, 4, 6, 7};
using ValueFn = std::function<std::optional<int64_t>(uint32_t param, uint32_t minute)>;

// Measurement noise: a hash of (param, minute, station), uniform in [-amp, amp].
int64_t Noise(uint32_t param, uint32_t minute, int station, int64_t amp) {
  uint64_t h = (uint64_t{param} << 40) ^ (uint64_t{minute} << 8) ^ static_cast<uint64_t>(station);
  h *= 0x9E3779B97F4A7C15ull;
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 32;
  return static_cast<int64_t>(h % static_cast<uint64_t>(2 * amp + 1)) - amp;
}

// A plausible outdoor reading: slow daily cycle plus per-station measurement noise.
std::optional<int64_t> Outdoor(uint32_t param, uint32_t minute, int station = 0) {
  switch (param) {
    case 1:
      return 10'000 + int64_t(minute % 720 < 360 ? minute % 360 : 360 - minute % 360) * 20 +
             Noise(param, minute, station, 200);
    case 2:
      return 60'000 + Noise(param, minute, station, 1'500);
    case 3:
      return 1'013'000 + Noise(param, minute, station, 80);
    case 4:
      return 3'000 + Noise(param, minute, station, 400);
    case 6:
      return 0;
    default:
      return 20'000 + Noise(param, minute, station, 2'000);
  }
}

class QodFixture {
 public:
  // Stations 1..n at `locs`; registered long ago (later tags more senior) unless `registered`
  // gives their registration times. Location trust comes from hourly heartbeats (Day).
  QodFixture(std::vector<Location> locs, QodParams params = DefaultQodParams(),
             std::vector<uint64_t> registered = {})
      : locs_(locs) {
    std::vector<DeviceInfo> devices;
    for (size_t i = 0; i < locs.size(); ++i) {
      devices.push_back(Device(static_cast<uint8_t>(i + 1), 200, locs[i]));
      devices.back().registered_at_ms = i < registered.size() ? registered[i] : 1000 * (10 - i);
    }
    epoch_ = EpochVerifier::Create(DayEpoch(), VerifyParams{}, std::move(devices)).value();
    EXPECT_TRUE(
        epoch_->Register(std::make_unique<UptimeLocationVerifier>(VerifyParams{}, DayEpoch()))
            .ok());
    auto v = QodVerifier::Create(params, DayEpoch(), epoch_->devices());
    qod_ = v->get();
    EXPECT_TRUE(epoch_->Register(std::move(v).value()).ok());
  }
  // One batch per minute with every parameter `fn` gives a value for, and a heartbeat at the
  // asserted location each hour unless `heartbeats` is false.
  void Day(uint8_t station, const ValueFn& fn, bool heartbeats = true) {
    for (uint32_t m = 0; m < 24 * 60; ++m) {
      uint64_t t = kEpochStart + m * 60'000ull;
      if (heartbeats && m % 60 == 0) epoch_->Observe(Heartbeat(station, t, locs_[station - 1]));
      std::vector<SensorSample> batch;
      for (uint32_t p : kParams) {
        if (auto v = fn(p, m)) batch.push_back({p, *v, t});
      }
      if (batch.empty()) continue;
      Send(station, t, batch);
    }
  }
  void Send(uint8_t station, uint64_t at, const std::vector<SensorSample>& batch) {
    ReportView r;
    r.device = KeyOf(station);
    r.kind = ReportKind::kSensorBatch;
    r.device_ms = r.received_ms = at;
    r.sensor = {batch.data(), static_cast<uint32_t>(batch.size())};
    epoch_->Observe(r);
  }
  EpochWork Finish() { return epoch_->Finish(); }
  const StationQod& St(uint8_t tag) const { return qod_->stations()[tag - 1]; }
  QodVerifier& qod() { return *qod_; }
  EpochVerifier& epoch() { return *epoch_; }

 private:
  std::vector<Location> locs_;
  std::unique_ptr<EpochVerifier> epoch_;
  QodVerifier* qod_ = nullptr;
};

uint64_t Faults(const StationQod& s, SampleFault f) { return s.faults[static_cast<size_t>(f)]; }

TEST(QodVerifierTest, HonestStationScoresFull) {
  QodFixture f({North(0)});
  f.Day(1, [](uint32_t p, uint32_t m) { return Outdoor(p, m); });
  EpochWork w = f.Finish();
  EXPECT_EQ(f.St(1).qod_ppm, 1'000'000u);
  EXPECT_EQ(w.work[0].proof_units, 1'000'000u);
  EXPECT_EQ(w.work[0].valid_reports, 1440u + 24u);  // batches and heartbeats
  for (size_t i = 0; i < kSampleFaultCount; ++i) EXPECT_EQ(f.St(1).faults[i], 0u) << i;
}

TEST(QodVerifierTest, OutOfBoundsAndSpikesAreRejected) {
  QodFixture f({North(0)});
  f.Day(1, [](uint32_t p, uint32_t m) -> std::optional<int64_t> {
    if (p == 1 && m == 100) return 80'000;                         // 80 °C: beyond 70 °C
    if (p == 1 && m == 200) return Outdoor(p, m).value() + 9'000;  // +9 °C for one minute
    return Outdoor(p, m);
  });
  f.Finish();
  EXPECT_EQ(Faults(f.St(1), SampleFault::kOutOfBounds), 1u);
  EXPECT_EQ(Faults(f.St(1), SampleFault::kSpike), 1u);
  // Still 59 of 60 in those hours: QoD just below 1.
  EXPECT_LT(f.St(1).qod_ppm, 1'000'000u);
  EXPECT_GT(f.St(1).qod_ppm, 999'000u);
}

TEST(QodVerifierTest, StuckSensorRejectedButFrozenExcused) {
  QodFixture f({North(0), North(20'000)});
  // Station 1: temperature stuck at 12.3 °C from minute 600 on.
  f.Day(1, [](uint32_t p, uint32_t m) -> std::optional<int64_t> {
    if (p == 1 && m >= 600) return 12'300;
    return Outdoor(p, m);
  });
  // Station 2: humidity constant 100 % all day while temperature is -5 °C (iced): excused.
  f.Day(2, [](uint32_t p, uint32_t m) -> std::optional<int64_t> {
    if (p == 1) return -5'000 + Noise(p, m, 2, 150);
    if (p == 2) return 100'000;
    return Outdoor(p, m);
  });
  f.Finish();
  EXPECT_EQ(Faults(f.St(1), SampleFault::kStuck), 840u - 59u);
  EXPECT_EQ(f.St(1).qod_ppm, 909'606u);  // temperature (10 + 59/60) / 24, others full
  EXPECT_EQ(Faults(f.St(2), SampleFault::kStuck), 0u);
  EXPECT_EQ(f.St(2).frozen_samples, 1440u - 119u);
  EXPECT_EQ(f.St(2).qod_ppm, 1'000'000u);
}

TEST(QodVerifierTest, StuckHumidityAboveFreezingIsStuck) {
  QodFixture f({North(0)});
  f.Day(1, [](uint32_t p, uint32_t m) -> std::optional<int64_t> {
    return p == 2 ? std::optional<int64_t>(100'000) : Outdoor(p, m);
  });
  f.Finish();
  EXPECT_EQ(Faults(f.St(1), SampleFault::kStuck), 1440u - 119u);
}

TEST(QodVerifierTest, AvailabilityIsPerHour) {
  QodFixture f({North(0)});
  // Reports only in the first 12 hours, and only every other minute in hour 0.
  f.Day(1, [](uint32_t p, uint32_t m) -> std::optional<int64_t> {
    if (m >= 720 || (m < 60 && m % 2 == 1)) return std::nullopt;
    return Outdoor(p, m);
  });
  f.Finish();
  // (0.5 + 11) / 24 = 0.479166
  EXPECT_EQ(f.St(1).qod_ppm, 479'166u);
}

TEST(QodVerifierTest, IndoorStationDisagreeingWithNeighboursIsFlagged) {
  std::vector<Location> locs;
  for (int i = 0; i < 6; ++i) locs.push_back(North(i * 300));
  QodParams p = DefaultQodParams();
  p.cell_capacity = 10;
  QodFixture f(locs, p);
  for (uint8_t s = 1; s <= 5; ++s) {
    f.Day(s, [s](uint32_t q, uint32_t m) { return Outdoor(q, m, s); });
  }
  // Station 6: indoors at a steady 24-25 °C while outside is 10-17 °C.
  f.Day(6, [](uint32_t q, uint32_t m) -> std::optional<int64_t> {
    if (q == 1) return 24'500 + Noise(q, m, 6, 300);
    return Outdoor(q, m, 6);
  });
  EpochWork w = f.Finish();
  EXPECT_TRUE(f.St(6).inconsistent);
  EXPECT_EQ(w.work[5].proof_units, 0u);
  EXPECT_EQ(w.work[5].invalid[static_cast<size_t>(InvalidReason::kSensorInconsistent)], 1440u);
  for (uint8_t s = 1; s <= 5; ++s) {
    EXPECT_FALSE(f.St(s).inconsistent) << int(s);
    EXPECT_EQ(w.work[s - 1].proof_units, 1'000'000u);
  }
  ASSERT_EQ(f.qod().flags().size(), 1u);
  EXPECT_NE(f.qod().flags()[0].evidence.find("neighbours"), std::string::npos);
}

TEST(QodVerifierTest, CellCapacityRanksByScoreThenSeniority) {
  QodParams p = DefaultQodParams();
  p.cell_capacity = 2;
  QodFixture f({North(0), North(10), North(20)}, p);
  for (uint8_t s = 1; s <= 3; ++s) {
    f.Day(s, [s](uint32_t q, uint32_t m) { return Outdoor(q, m, s); });
  }
  EpochWork w = f.Finish();
  // Equal scores: the two most senior (tags 3 and 2) earn, tag 1 is over capacity.
  EXPECT_TRUE(f.St(1).over_capacity);
  EXPECT_EQ(w.work[0].proof_units, 0u);
  EXPECT_EQ(w.work[1].proof_units, 1'000'000u);
  EXPECT_EQ(w.work[2].proof_units, 1'000'000u);
}

TEST(QodVerifierTest, NoLocationNoScoreAndEmptyBatchInvalid) {
  QodFixture f({Location{}});
  f.Day(1, [](uint32_t q, uint32_t m) { return Outdoor(q, m); });
  ReportView empty;
  empty.device = KeyOf(1);
  empty.kind = ReportKind::kSensorBatch;
  empty.device_ms = empty.received_ms = kEpochStart + 5;
  f.epoch().Observe(empty);
  EpochWork w = f.Finish();
  EXPECT_EQ(f.St(1).qod_ppm, 1'000'000u);
  EXPECT_EQ(w.work[0].proof_units, 0u);
  EXPECT_EQ(w.work[0].invalid[static_cast<size_t>(InvalidReason::kSensorNoSamples)], 1u);
}

// A day of readings sent in one batch at its end: only the last max_arrival_delay counts.
TEST(QodVerifierTest, BackfilledDayDoesNotCount) {
  QodFixture f({North(0)});
  std::vector<SensorSample> day;
  for (uint32_t m = 0; m < 24 * 60; ++m) {
    for (uint32_t p : kParams) day.push_back({p, *Outdoor(p, m), kEpochStart + m * 60'000ull});
  }
  for (uint32_t h = 0; h < 24; ++h) {
    f.epoch().Observe(Heartbeat(1, kEpochStart + h * kHourMs, North(0)));
  }
  f.Send(1, kEpochStart + 24 * kHourMs - 1, day);
  f.Finish();
  // Samples taken in the last 2 hours still count: QoD about 2/24.
  EXPECT_EQ(Faults(f.St(1), SampleFault::kArrivalTime), 22 * 60 * 6u);
  EXPECT_LT(f.St(1).qod_ppm, 90'000u);
}

TEST(QodVerifierTest, BufferedUploadWithinTheDelayCountsAndFutureStampsDoNot) {
  QodFixture f({North(0)});
  f.Day(1, [](uint32_t p, uint32_t m) -> std::optional<int64_t> {
    return m >= 600 && m < 660 ? std::nullopt : Outdoor(p, m);
  });
  // Hour 10 arrives 40-100 minutes late (a flaky uplink), plus one sample stamped an hour ahead.
  std::vector<SensorSample> late;
  for (uint32_t m = 600; m < 660; ++m) {
    for (uint32_t p : kParams) late.push_back({p, *Outdoor(p, m), kEpochStart + m * 60'000ull});
  }
  f.Send(1, kEpochStart + 700 * 60'000ull, late);
  f.Send(1, kEpochStart + 100 * 60'000ull, {{1, 12'000, kEpochStart + 160 * 60'000ull}});
  f.Finish();
  EXPECT_EQ(Faults(f.St(1), SampleFault::kArrivalTime), 1u);
  EXPECT_EQ(f.St(1).qod_ppm, 1'000'000u);
}

TEST(QodVerifierTest, NoHeartbeatMeansNoLocationTrust) {
  QodFixture f({North(0), North(300)});
  f.Day(1, [](uint32_t p, uint32_t m) { return Outdoor(p, m, 1); });
  f.Day(
      2, [](uint32_t p, uint32_t m) { return Outdoor(p, m, 2); }, /*heartbeats=*/false);
  EpochWork w = f.Finish();
  EXPECT_EQ(f.St(1).location_trust_ppm, 1'000'000u);
  EXPECT_EQ(w.work[0].proof_units, 1'000'000u);
  EXPECT_EQ(f.St(2).qod_ppm, 1'000'000u);
  EXPECT_EQ(f.St(2).location_trust_ppm, 0u);
  EXPECT_EQ(w.work[1].proof_units, 0u);
}

// Fabricated series next to four honest stations: alternating two plausible values, a smooth
// curve without measurement noise, and a copy of station 1 with an offset and a lag.
TEST(QodVerifierTest, FabricatedSeriesAreFlagged) {
  std::vector<Location> locs;
  std::vector<uint64_t> registered;
  for (int i = 0; i < 7; ++i) {
    locs.push_back(North(i * 200));
    registered.push_back(kEpochStart - (i == 6 ? 2 : 200) * 24 * kHourMs);  // the copy is new
  }
  QodFixture f(locs, DefaultQodParams(), registered);
  for (uint8_t s = 1; s <= 4; ++s)
    f.Day(s, [s](uint32_t q, uint32_t m) { return Outdoor(q, m, s); });
  f.Day(5, [](uint32_t q, uint32_t m) -> std::optional<int64_t> {
    if (q == 1) return m % 2 ? 13'000 : 14'000;
    if (q == 2) return m % 2 ? 58'000 : 61'000;
    return Outdoor(q, m, 5);
  });
  f.Day(6, [](uint32_t q, uint32_t m) -> std::optional<int64_t> {
    if (q == 1) return 10'000 + int64_t(m % 720 < 360 ? m % 360 : 360 - m % 360) * 20;
    return Outdoor(q, m, 6);
  });
  f.Day(7, [](uint32_t q, uint32_t m) -> std::optional<int64_t> {
    if (m < 3) return std::nullopt;
    auto v = Outdoor(q, m - 3, 1);  // station 1, three minutes late
    return q == 1 ? *v + 400 : v;
  });
  EpochWork w = f.Finish();
  for (uint8_t s = 1; s <= 4; ++s) {
    EXPECT_FALSE(f.St(s).inconsistent) << int(s);
    EXPECT_LT(f.St(s).max_autocorrelation_ppm, 200'000) << int(s);
  }
  EXPECT_TRUE(f.St(5).fabricated_series);
  EXPECT_TRUE(f.St(6).fabricated_series);
  EXPECT_TRUE(f.St(7).copied);
  EXPECT_FALSE(f.St(1).copied);  // the source is more senior than its copy
  for (uint8_t s = 5; s <= 7; ++s) EXPECT_EQ(w.work[s - 1].proof_units, 0u) << int(s);
}

// Three established stations and five new ones reporting 6 °C warmer: the field follows the
// established stations, so the new majority is flagged and the honest minority is not.
TEST(QodVerifierTest, NewLocalMajorityCannotOutvoteEstablishedStations) {
  std::vector<Location> locs;
  std::vector<uint64_t> registered;
  for (int i = 0; i < 8; ++i) {
    locs.push_back(North(i * 150));
    registered.push_back(i < 3 ? kEpochStart - 200 * 24 * kHourMs : kEpochStart - 2 * 24 * kHourMs);
  }
  QodFixture f(locs, DefaultQodParams(), registered);
  for (uint8_t s = 1; s <= 8; ++s) {
    f.Day(s, [s](uint32_t q, uint32_t m) -> std::optional<int64_t> {
      auto v = Outdoor(q, m, s);
      return q == 1 && s > 3 ? *v + 6'000 : v;
    });
  }
  f.Finish();
  for (uint8_t s = 1; s <= 3; ++s) EXPECT_FALSE(f.St(s).inconsistent) << int(s);
  for (uint8_t s = 4; s <= 8; ++s) EXPECT_TRUE(f.St(s).inconsistent) << int(s);
}

// A station 12 km from four others (not in their S2 cell) is still compared with the field.
TEST(QodVerifierTest, StationAloneInItsCellIsComparedWithTheField) {
  QodFixture f({North(0), North(200), North(400), North(600), North(12'600)});
  for (uint8_t s = 1; s <= 4; ++s)
    f.Day(s, [s](uint32_t q, uint32_t m) { return Outdoor(q, m, s); });
  f.Day(5, [](uint32_t q, uint32_t m) -> std::optional<int64_t> {
    auto v = Outdoor(q, m, 5);
    return q == 1 ? *v + 7'000 : v;
  });
  f.Finish();
  EXPECT_EQ(f.St(5).field_neighbours, 4u);
  EXPECT_TRUE(f.St(5).inconsistent);
}

TEST(QodVerifierTest, RejectsInvalidParams) {
  QodParams p = DefaultQodParams();
  p.rules.push_back(p.rules[0]);
  EXPECT_FALSE(ValidateQodParams(p, DayEpoch()).ok());
  p = DefaultQodParams();
  p.median_window = 4;
  EXPECT_FALSE(ValidateQodParams(p, DayEpoch()).ok());
  EXPECT_TRUE(ValidateQodParams(DefaultQodParams(), DayEpoch()).ok());
}

}  // namespace
}  // namespace depin::verify
