// Test helpers for the coverage verifier tests: a small network around one point, entropy, and
// builders for beacon and witness reports whose payload storage lives in the fixture.
// Test-only. Not thread-safe.
#pragma once

#include <deque>
#include <memory>
#include <vector>

#include "verify/coverage_math.h"
#include "verify/coverage_verifier.h"
#include "verify/test_util.h"

namespace depin::verify::testing {

// About 1 km of latitude in degrees x 1e7.
inline constexpr int32_t kKmLatE7 = 89'932;
inline constexpr Location kOrigin{377'700'000, -1'224'200'000};
inline Location North(int32_t metres) {
  return {kOrigin.lat_e7 + static_cast<int32_t>(int64_t{metres} * kKmLatE7 / 1000), kOrigin.lon_e7};
}
inline constexpr uint64_t kFreqHz = 915'000'000;

// Received signal of a 27 dBm beacon `distance_m` away under log-distance path loss with
// exponent 2.8 (31.7 dB at 1 m), dBm x 10.
inline int32_t ModelSignalX10(uint64_t distance_m) {
  return static_cast<int32_t>(270 - 317 -
                              TwentyLog10X10(distance_m < 1 ? 1 : distance_m) * 14 / 10);
}

class CoverageFixture {
 public:
  // Devices 1..n (tags), device i at North(1000 * (i - 1)) unless `locations` is given.
  explicit CoverageFixture(std::vector<Location> locations, CoverageParams params = {},
                           Denylist denylist = {}) {
    std::vector<DeviceInfo> devices;
    for (size_t i = 0; i < locations.size(); ++i) {
      devices.push_back(Device(static_cast<uint8_t>(i + 1), 200, locations[i]));
    }
    epoch_ = EpochVerifier::Create(DayEpoch(), VerifyParams{}, std::move(devices)).value();
    Hash32 block{};
    block[0] = 7;
    for (uint64_t t = kEpochStart; t < kEpochStart + 24 * kHourMs; t += params.entropy_cadence_ms) {
      entropy_.push_back({DeriveEntropy("test-net", block, t), t});
    }
    auto v = CoverageVerifier::Create(params, DayEpoch(), epoch_->devices(), entropy_,
                                      std::move(denylist));
    coverage_ = v->get();
    EXPECT_TRUE(epoch_->Register(std::move(v).value()).ok());
  }

  // The entropy published at `t` (rounded down to the cadence).
  const EntropyRecord& EntropyAt(uint64_t t) const {
    return entropy_[(t - kEpochStart) / (entropy_[1].published_ms - entropy_[0].published_ms)];
  }

  ReportView Beacon(uint8_t device, uint64_t at_ms, uint8_t id_tag) {
    ReportView r;
    r.device = KeyOf(device);
    r.kind = ReportKind::kCoverageBeacon;
    r.device_ms = r.received_ms = at_ms;
    r.beacon.report_id.fill(id_tag);
    r.beacon.entropy = EntropyAt(at_ms).entropy;
    r.beacon.payload = Store(BeaconPayload(r.beacon.entropy, r.device));
    r.beacon.frequency_hz = kFreqHz;
    r.beacon.tx_power_dbm_x10 = 270;
    return r;
  }

  // A plausible witness of `beacon` by `device` (signal from a log-distance model).
  ReportView Witness(uint8_t device, const ReportView& beacon, int32_t signal_x10 = -1000) {
    ReportView r;
    r.device = KeyOf(device);
    r.kind = ReportKind::kCoverageWitness;
    r.device_ms = r.received_ms = beacon.received_ms + 500;
    r.witness.beacon_id = beacon.beacon.report_id;
    r.witness.beaconer = beacon.device;
    r.witness.payload = beacon.beacon.payload;
    r.witness.signal_dbm_x10 = signal_x10;
    r.witness.snr_db_x10 = 50;
    r.witness.frequency_hz = kFreqHz;
    r.witness.heard_at_ms = beacon.device_ms;
    return r;
  }

  util::ByteView Store(const Hash32& h) {
    payloads_.push_back(h);
    return payloads_.back();
  }

  EpochVerifier& epoch() { return *epoch_; }
  CoverageVerifier& coverage() { return *coverage_; }
  EpochWork Finish() { return epoch_->Finish(); }

 private:
  std::unique_ptr<EpochVerifier> epoch_;
  CoverageVerifier* coverage_ = nullptr;
  std::vector<EntropyRecord> entropy_;
  std::deque<Hash32> payloads_;  // stable addresses for payload views
};

inline uint32_t Invalid(const EpochWork& w, uint8_t tag, InvalidReason r) {
  return w.work[tag - 1].invalid[static_cast<size_t>(r)];
}

}  // namespace depin::verify::testing
