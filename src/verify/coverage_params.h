// Parameters of proof of coverage, with Helium IoT's rules as defaults: entropy valid for 180 s,
// one beacon per interval, witnesses within 4 s, 100 kHz and 100 km, at most 14 rewarded
// witnesses per beacon (HIP-83), diminishing units beyond 4 witnesses (HIP-15), density
// scaling on S2 cells at several levels (HIP-17) and beacon/witness reciprocity (HIP-106).
// Plus the thresholds of the detectors that judge the witness graph as a whole (collusion
// rings, multilateration, trust propagation, shared radios, relays). Every value is
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
  // Multilateration (spoofing.h): each device with at least min_edges witness edges is located
  // by a least-squares fit of the received signals to the network's signal-versus-distance
  // model (slope fitted over all edges, clamped to [max_slope_ppm, min_slope_ppm]; intercept
  // fitted per device), starting from the asserted location and from the signal-weighted
  // centroid. It is flagged when the fit at the asserted location is worse than at the best
  // position by more than lr_threshold_x100 / 100 residual variances (a likelihood-ratio test;
  // 2 degrees of freedom) and the best position is at least
  // max(min_offset_m, offset_ratio_ppm x counterpart spread) away.
  uint32_t min_edges = 6;
  uint32_t min_offset_m = 600;
  uint32_t offset_ratio_ppm = 0;
  uint32_t lr_threshold_x100 = 3'000;  // 30: chi-square(2) tail 3e-7 under the model
  int32_t min_sigma_db_x10 = 40;       // residual deviation floor (shadowing), deci-dB
  uint32_t max_fit_edges = 48;         // edges used per device (evenly sampled), bounds cost
  int32_t min_slope_ppm = -800'000;    // model slope bounds (signal per dB of 20 log10 d)
  int32_t max_slope_ppm = -2'500'000;
  // Links refused as stronger than free space allows at the asserted distance (signal_too_strong,
  // spoofing.h): each is blamed on the endpoint with the larger share of refused links (both on a
  // tie); a device blamed for at least min_refused_links, at least min_refused_ppm of its links
  // (valid and refused), is flagged.
  uint32_t min_refused_links = 8;
  uint32_t min_refused_ppm = 200'000;
};

// Trust propagation through the witness graph (coverage_trust.h), after SybilRank: trust starts
// on seed devices (registered at least seed_min_age_ms before the epoch — in epochs shorter than
// an hour, dev_seed_min_age_epochs epochs — or listed in `seeds`)
// and is spread by `steps` rounds of short random walks (power iteration, integers). A device's
// trust is normalized by its degree and by the network average (ppm); a connected group of at
// least min_cluster_size devices below low_trust_ppm whose witnessing is at least
// min_internal_ppm inside the group is a Sybil region and is flagged. No seed in the graph (a
// new network) disables it.
struct TrustParams {
  bool enabled = true;
  uint64_t seed_min_age_ms = 30ull * 24 * 3'600'000;
  // Epochs shorter than an hour (dev networks: seconds or minutes) would never see a device 30
  // days old; there seniority is counted in epochs instead, as QoD's readings per hour are capped
  // at the epoch's minutes: a seed is at least this many epochs old (and never older than
  // seed_min_age_ms requires). Networks with epochs of an hour or more are unaffected.
  uint32_t dev_seed_min_age_epochs = 10;
  std::vector<Key> seeds;  // operator-chosen seeds, in addition to senior devices; any order
  uint32_t steps = 10;
  uint32_t low_trust_ppm = 20'000;
  uint32_t min_cluster_size = 3;
  uint32_t min_internal_ppm = 800'000;
};

// Keys that behave as one radio (coverage_radio.h): two devices that witnessed at least
// min_common of the same beacons, with the signal difference within match_db_x10 of its median
// on at least min_match_ppm of them (two real radios differ by independent fading), are one
// radio; of each such group the most senior key keeps earning and the others are flagged.
// Relayed witnesses: a device with at least min_relay_edges witness edges whose own beacons
// were heard by trusted devices on fewer than max_heard_ppm of that count is flagged (radio
// links are reciprocal; a relay hears far-away beacons that nobody there hears back).
// A relay that is also a real hotspot (heard at home) is found by its long edges: a witness edge
// of at least long_edge_m is unsupported when at least min_supporters trusted devices lie within
// support_radius_m of the witness and nearer the beaconer than it, and fewer than
// max_support_ppm of them heard that beaconer (a few relays side by side do not vouch for each
// other); a device with at least min_relay_edges unsupported long edges, at least
// min_unsupported_ppm of its long edges, is flagged.
struct RadioParams {
  bool enabled = true;
  uint32_t min_common = 8;
  int32_t match_db_x10 = 10;
  uint32_t min_match_ppm = 800'000;
  uint32_t min_relay_edges = 8;
  uint32_t max_heard_ppm = 100'000;
  uint32_t long_edge_m = 10'000;
  uint32_t support_radius_m = 3'000;
  uint32_t min_supporters = 3;
  uint32_t max_support_ppm = 200'000;
  uint32_t min_unsupported_ppm = 500'000;
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
  TrustParams trust;
  RadioParams radio;
};

// InvalidArgument naming the field when a value is out of range (e.g. more than 64 beacon
// intervals in the epoch, density levels not finest-first).
util::Status ValidateCoverageParams(const CoverageParams& params, const EpochWindow& window);

}  // namespace depin::verify
