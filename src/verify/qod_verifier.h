// QodVerifier: quality of data for sensor networks (weather stations). Each sample is checked as
// it streams in, against its parameter's rule (qod_params.h): arrival time (received within
// max_arrival_delay of when it was taken), out of bounds, spike against the trailing median of
// the last few values, constancy (stuck; excused as "frozen" for freeze-exempt parameters while
// the station reads below 0 °C). Valid samples count towards the hour they were taken in and
// feed the series statistics (qod_series.h). At Finish:
//   QoD     = mean over required parameters of the mean over the epoch's hours of
//             min(valid in hour, expected) / expected                      (ppm, floored)
//   flagged = a too regular / periodic / smooth series, a copy of another station's series, or
//             persistent disagreement with the field interpolated from trusted neighbours
//             within field_radius_m (weighted by seniority and location trust; qod_field.cc)
//   trust   = heartbeat-derived location trust; none without heartbeats
//   score   = location trust x QoD (0 when flagged)
//   units   = score for the best cell_capacity stations of each capacity cell (by score, then
//             seniority, then key); 0 for the rest.
// State is flat arrays indexed by station slot; no per-sample allocation.
//
// Thread-safety: none; driven by one EpochVerifier.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "verify/coverage_verifier.h"  // DeviceFlag
#include "verify/qod_params.h"
#include "verify/verifier.h"

namespace depin::verify {

// Why a sample did not count (per station, for explanations and tests).
enum class SampleFault : uint8_t {
  kOutOfBounds = 0,
  kSpike,
  kStuck,
  kOutsideEpoch,
  kUnknownParameter,
  kArrivalTime,  // received too long after it was taken (backfilled), or stamped in the future
  kCount,
};
inline constexpr size_t kSampleFaultCount = static_cast<size_t>(SampleFault::kCount);

struct StationQod {
  uint32_t qod_ppm = 0;
  uint32_t location_trust_ppm = 0;
  uint64_t score_ppm = 0;  // trust x QoD
  bool inconsistent = false;
  bool over_capacity = false;
  uint64_t valid_samples = 0;
  uint64_t frozen_samples = 0;  // excused constancy below 0 °C (counted valid)
  std::array<uint64_t, kSampleFaultCount> faults{};
  uint32_t compared_hours = 0;  // spatial consistency, for its worst parameter
  uint32_t disagree_hours = 0;
  uint32_t field_neighbours = 0;   // neighbours the field was interpolated from
  bool fabricated_series = false;  // too regular / periodic / smooth (qod_series.h)
  int64_t max_autocorrelation_ppm = 0;
  bool copied = false;  // shares copied runs with another station
};

class QodVerifier : public Verifier {
 public:
  static util::Result<std::unique_ptr<QodVerifier>> Create(const QodParams& params,
                                                           const EpochWindow& window,
                                                           std::span<const DeviceInfo> devices);
  ~QodVerifier() override;

  std::string_view name() const override { return "qod"; }
  std::vector<ReportKind> kinds() const override { return {ReportKind::kSensorBatch}; }
  std::optional<InvalidReason> Observe(const ReportView& report, const DeviceInfo& device,
                                       DeviceWork& work) override;
  void Finish(EpochWork& epoch) override;

  // After Finish: per station slot, and the flagged stations with evidence (sorted by key).
  const std::vector<StationQod>& stations() const { return stations_; }
  const std::vector<DeviceFlag>& flags() const { return flags_; }

  struct State;

 private:
  QodVerifier(const QodParams& params, const EpochWindow& window,
              std::span<const DeviceInfo> devices);
  void Sample(uint32_t slot, const SensorSample& s, uint64_t received_ms);
  void SeriesTests();
  void SpatialConsistency(const EpochWork& epoch);

  QodParams params_;
  EpochWindow window_;
  std::span<const DeviceInfo> devices_;
  uint32_t hours_ = 0;
  std::unique_ptr<State> state_;
  std::vector<StationQod> stations_;
  std::vector<DeviceFlag> flags_;
};

}  // namespace depin::verify
