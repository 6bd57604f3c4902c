#include "verify/qod_verifier.h"

#include <gtest/gtest.h>

#include <functional>
#include <optional>

#include "verify/coverage_test_util.h"

namespace depin::verify {
namespace {

using namespace testing;  // NOLINT

// Parameter ids of the default table: temperature, humidity, pressure, wind, rain, illuminance.
constexpr uint32_t kParams[] = {1, 2, 3, 4, 6, 7};
using ValueFn = std::function<std::optional<int64_t>(uint32_t param, uint32_t minute)>;

// A plausible outdoor reading: slow daily cycle plus a little per-station wobble.
std::optional<int64_t> Outdoor(uint32_t param, uint32_t minute, int station = 0) {
  int64_t wob = (minute * 7 + station * 13) % 5;
  switch (param) {
    case 1:
      return 10'000 + int64_t(minute % 720 < 360 ? minute % 360 : 360 - minute % 360) * 20 +
             wob * 20;
    case 2:
      return 60'000 + wob * 300;
    case 3:
      return 1'013'000 + wob * 40;
    case 4:
      return 3'000 + wob * 200;
    case 6:
      return 0;
    default:
      return 20'000 + wob * 1'000;
  }
}

class QodFixture {
 public:
  QodFixture(std::vector<Location> locs, QodParams params = DefaultQodParams()) {
    std::vector<DeviceInfo> devices;
    for (size_t i = 0; i < locs.size(); ++i) {
      devices.push_back(Device(static_cast<uint8_t>(i + 1), 200, locs[i]));
      devices.back().registered_at_ms = 1000 * (10 - i);  // later tags are more senior
    }
    epoch_ = EpochVerifier::Create(DayEpoch(), VerifyParams{}, std::move(devices)).value();
    auto v = QodVerifier::Create(params, DayEpoch(), epoch_->devices());
    qod_ = v->get();
    EXPECT_TRUE(epoch_->Register(std::move(v).value()).ok());
  }
  // One batch per minute with every parameter `fn` gives a value for.
  void Day(uint8_t station, const ValueFn& fn) {
    for (uint32_t m = 0; m < 24 * 60; ++m) {
      std::vector<SensorSample> batch;
      uint64_t t = kEpochStart + m * 60'000ull;
      for (uint32_t p : kParams) {
        if (auto v = fn(p, m)) batch.push_back({p, *v, t});
      }
      if (batch.empty()) continue;
      ReportView r;
      r.device = KeyOf(station);
      r.kind = ReportKind::kSensorBatch;
      r.device_ms = r.received_ms = t;
      r.sensor = {batch.data(), static_cast<uint32_t>(batch.size())};
      epoch_->Observe(r);
    }
  }
  EpochWork Finish() { return epoch_->Finish(); }
  const StationQod& St(uint8_t tag) const { return qod_->stations()[tag - 1]; }
  QodVerifier& qod() { return *qod_; }
  EpochVerifier& epoch() { return *epoch_; }

 private:
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
  EXPECT_EQ(w.work[0].valid_reports, 1440u);
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
    if (p == 1) return -5'000 - int64_t(m % 3) * 100;
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
    if (q == 1) return 24'000 + int64_t(m % 11) * 100;
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
