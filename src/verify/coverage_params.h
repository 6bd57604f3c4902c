// Parameters of proof of coverage, with Helium IoT's rules as defaults: entropy valid for 180 s,
// one beacon per interval, witnesses within 4 s, 100 kHz and 100 km, at most 14 rewarded
// witnesses per beacon (HIP-83), diminishing units beyond 4 witnesses (HIP-15), density
// scaling on S2 cells at several levels (HIP-17) and beacon/witness reciprocity (HIP-106).
// Plus the collusion-ring and location-spoofing detectors' thresholds. Every value is
// configuration. Plain values; immutable once validated.
#pragma once

#include <cstdint>
#include <vector>

#include "util/status.h"
#include "verify/report_view.h"

namespace depin::verify {

// HIP-17: at S2 level `level`, a cell counts at most `limit` devices (its children's counts
// clipped first); a device's reward scale is the product over levels of min(1, limit / count).
struct DensityLevel {
  int level = 0;
  uint32_t limit = 0;
};

struct CollusionParams {
  bool enabled = true;
  // A device's edges (as beaconer or witness) are judged only if it has at least this many and
  // their distances span at least this ratio (x100: 200 = max/min >= 2).
  uint32_t min_edges = 6;
  uint32_t min_distance_ratio_x100 = 200;
  // Received signal should fall with distance (about -0.5 x path-loss exponent dB of signal per
  // dB of 20 log10 d). A fitted slope above this (ppm; -350000 = -0.35) is implausibly flat.
  int32_t max_slope_ppm = -350'000;
  // A ring is >= min_ring_size suspicious devices connected by witness edges, with at least
  // min_internal_ppm of their edges inside the ring ("only witness each other").
  uint32_t min_ring_size = 3;
  uint32_t min_internal_ppm = 800'000;
};

struct SpoofingParams {
  bool enabled = true;
  // Flag a device whose signal-weighted centroid of counterparts lies more than
  // max(min_offset_m, offset_ratio_ppm x their spread) from its asserted location.
  uint32_t min_edges = 4;
  uint32_t min_offset_m = 5'000;
  uint32_t offset_ratio_ppm = 2'000'000;
};

struct CoverageParams {
  // Beacons.
  uint64_t entropy_cadence_ms = 60'000;            // the node publishes entropy this often
  uint64_t max_entropy_age_ms = 180'000;           // beacon received within this of its entropy
  uint64_t beacon_interval_ms = 6 * 3'600'000ull;  // at most one beacon per interval
  // Witnesses.
  uint64_t max_witness_delay_ms = 4'000;  // witness received at most this after the beacon
  uint64_t max_frequency_diff_hz = 100'000;
  uint32_t min_witness_distance_m = 0;
  uint32_t max_witness_distance_m = 100'000;
  // Signal may exceed tx power - FSPL(d, f) by at most this (antenna gains, rounding), dB x 10.
  int32_t fspl_margin_x10 = 80;
  // signal - snr is the implied noise floor; below this is physically impossible.
  int32_t min_noise_floor_dbm_x10 = -1'400;
  int32_t max_snr_x10 = 300;
  // Rewards.
  uint32_t max_rewarded_witnesses = 14;     // HIP-83
  uint32_t witness_target = 4;              // HIP-15 transmit scale target
  uint32_t witness_decay_ppm = 800'000;     // HIP-15 decay beyond the target
  uint32_t beacon_weight_ppm = 250'000;     // beaconer's units per unit of W(N)
  uint32_t witness_weight_ppm = 1'000'000;  // witnesses' units (shared) per unit of W(N)
  bool require_reciprocity = true;          // HIP-106
  // Finest first; empty disables density scaling.
  std::vector<DensityLevel> density = {{15, 4}, {12, 25}, {9, 400}};
  CollusionParams collusion;
  SpoofingParams spoofing;
};

// InvalidArgument naming the field when a value is out of range (e.g. more than 64 beacon
// intervals in the epoch, density levels not finest-first).
util::Status ValidateCoverageParams(const CoverageParams& params, const EpochWindow& window);

}  // namespace depin::verify
