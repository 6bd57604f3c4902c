#include "fleet/weather_station.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "verify/registry.h"
#include "verify/wire_adapter.h"

namespace depin::fleet {
namespace {

constexpr uint64_t kStart = 1'704'067'200'000;  // 2024-01-01T00:00:00Z
constexpr uint64_t kHourMs = 3'600'000;

class WeatherStationTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(crypto::InitCrypto().ok()); }
};

// Stations of one city tick every minute for six hours (a heartbeat and a sensor batch each, as
// the fleet sends them) through the node's decoding and the configured epoch the close runs
// (uptime before QoD: location trust comes from the heartbeats): healthy stations score near 1,
// a stuck sensor costs its parameter, and nobody is flagged.
TEST_F(WeatherStationTest, StationsPassTheRealQodVerifierAndFaultsCostQuality) {
  constexpr char kNetwork[] = "weather-test";
  BehaviourOptions options;
  options.tick_ms = 60'000;
  std::vector<EmulatedDevice> stations;
  for (uint64_t i = 0; i < 6; ++i) {
    EmulatedDevice s = MakeDevice(4, i, 1, options, DeviceKind::kWeather);
    s.city = 3;
    s.dead = s.flaky = false;
    s.sensor_fault = i == 5 ? SensorFault::kStuckTemperature : SensorFault::kNone;
    stations.push_back(std::move(s));
  }
  verify::EpochInputs in;
  in.window = {1, kStart, kStart + 6 * kHourMs};
  in.params.min_heartbeat_hours = 6;
  in.setup.network_id = kNetwork;
  in.setup.classes = {{"phone", 0},
                      {"sensor", verify::KindBitOf(verify::ReportKind::kHeartbeat) |
                                     verify::KindBitOf(verify::ReportKind::kSensorBatch)}};
  for (const EmulatedDevice& s : stations) {
    verify::DeviceInfo info;
    info.key = s.managed.key.public_key();
    info.has_asserted_location = true;
    info.asserted_location = s.location;
    info.resource_class = 1;
    in.devices.push_back(info);
  }
  std::sort(in.devices.begin(), in.devices.end(),
            [](const auto& a, const auto& b) { return a.key < b.key; });
  const std::vector<verify::DeviceInfo> devices = in.devices;
  auto epoch = verify::ConfiguredEpoch::Create(std::move(in)).value();
  std::vector<verify::SensorSample> buffer;
  for (uint64_t t = kStart + 60'000; t < kStart + 6 * kHourMs; t += 60'000) {
    for (EmulatedDevice& s : stations) {
      for (const wire::v1::Report& r : Tick(s, t, options, {}, kNetwork)) {
        auto view = verify::ReportViewFromWire(r, t + 200, kNetwork, &buffer);
        ASSERT_TRUE(view.ok()) << view.status().ToString();
        epoch->Observe(*view);
      }
    }
  }
  verify::EpochWork work = epoch->Finish();
  EXPECT_TRUE(work.flags.empty());
  for (size_t i = 0; i < devices.size(); ++i) {
    const verify::DeviceWork& w = work.work[i];
    EXPECT_EQ(w.invalid[static_cast<size_t>(verify::InvalidReason::kSensorInconsistent)], 0u);
    EXPECT_GT(w.heartbeats, 0u);
    EXPECT_EQ(w.location_trust_ppm, 1'000'000u) << i;
    if (devices[i].key == stations[5].managed.key.public_key()) {
      EXPECT_LT(w.qod_ppm, 900'000u);  // its temperature never counts
      EXPECT_GT(w.qod_ppm, 700'000u);  // the other five parameters do
    } else {
      EXPECT_GT(w.qod_ppm, 950'000u) << i;
    }
    EXPECT_GT(w.proof_units, 0u);
  }
}

TEST_F(WeatherStationTest, TheDayIsWarmerThanTheNight) {
  // Berlin-like longitude: solar noon near 11:00 UTC.
  EXPECT_NE(CityTemperatureMilli(3, kStart + 14 * kHourMs),
            CityTemperatureMilli(3, kStart + 2 * kHourMs));
}

}  // namespace
}  // namespace depin::fleet
