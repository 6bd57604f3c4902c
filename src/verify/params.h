// Parameters of the built-in verifiers, with Helium Mobile's published values as defaults
// (heartbeats in >= 12 distinct hours; location trust 1.0 within 300 m and 0.25 within 400 m;
// speedtest tiers Good/Acceptable/Degraded/Poor/Fail from HIP-74 with >= 2 tests). The network
// configuration may override each one. Plain values; immutable once validated.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/status.h"
#include "verify/report_view.h"

namespace depin::verify {

// Heartbeats whose reported position is within `max_distance_m` of the asserted location earn
// `trust_ppm`. Steps are ordered by increasing distance; beyond the last step trust is 0.
struct LocationTrustStep {
  uint32_t max_distance_m = 0;
  uint32_t trust_ppm = 0;
};

// A speedtest tier: met when download >= min_download_bps, upload >= min_upload_bps and latency <
// latency_below_ms. Tiers are ordered best first; below the last tier is "fail" (multiplier 0).
struct SpeedtestTier {
  std::string name;
  uint64_t min_download_bps = 0;
  uint64_t min_upload_bps = 0;
  uint32_t latency_below_ms = 0;
  uint32_t multiplier_ppm = 0;
};

struct VerifyParams {
  // Uptime: valid heartbeats must fall in at least this many distinct hours of the epoch.
  uint32_t min_heartbeat_hours = 12;
  // A report whose device clock differs from the server's receive time by more is invalid.
  uint64_t max_clock_skew_ms = 5 * 60 * 1000;
  std::vector<LocationTrustStep> location_trust = {{300, 1'000'000}, {400, 250'000}};
  std::vector<SpeedtestTier> speedtest_tiers = {
      {"good", 100'000'000, 10'000'000, 50, 1'000'000},
      {"acceptable", 75'000'000, 8'000'000, 60, 750'000},
      {"degraded", 50'000'000, 5'000'000, 75, 500'000},
      {"poor", 30'000'000, 2'000'000, 100, 250'000},
  };
  // Fewer valid speedtests in the rolling window than this: tier "fail".
  uint32_t min_speedtests = 2;
  // Speedtests count for the tier while they are younger than this at the epoch's end (Helium
  // Mobile: 48 h), across epochs; a window shorter than the epoch means the whole epoch.
  uint64_t speedtest_window_ms = 48ull * 3600 * 1000;
  // Bytes one data credit pays for (Helium: 24). Receipt bytes beyond dc_amount x this are not
  // DC-backed and earn no usage share.
  uint64_t bytes_per_dc = 24;
  // A usage receipt is valid for this long after its payer signed it: a report received later
  // carries a stale_receipt. It also bounds how far back the epoch close (and ingest, after a
  // restart) looks for an earlier appearance of the same (payer, session, sequence).
  uint64_t receipt_max_age_ms = 3600ull * 1000;
  // Origin density (origin_density.h): within one network origin the first origin_full_devices
  // earning devices (by seniority) keep their units, each further one gets origin_decay_ppm of
  // the previous one's multiplier. Devices of origin_exempt_owners are neither reduced nor counted.
  uint32_t origin_full_devices = 1;
  uint32_t origin_decay_ppm = 500'000;
  std::vector<Key> origin_exempt_owners;
};

// The name of the tier below every configured tier.
inline constexpr std::string_view kFailTierName = "fail";

// InvalidArgument naming the field when a parameter is out of range or the epoch is longer than
// the 64 hours an hour bitmap can hold.
util::Status ValidateVerifyParams(const VerifyParams& params, const EpochWindow& window);

}  // namespace depin::verify
