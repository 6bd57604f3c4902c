// EpochWork: what the verifiers found for one epoch — per device, the counters each verifier
// accumulated from valid reports, the values they derived at Finish (hours of uptime, location
// trust, speedtest tier, DC-backed usage), and valid/invalid report counts by reason. The reward
// engine turns this into amounts. Flat vectors indexed like `devices` (sorted by key) keep the
// per-device state small. Plain values; not synchronized.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "verify/report_view.h"
#include "verify/speedtest_history.h"

namespace depin::verify {

struct DeviceWork {
  uint32_t valid_reports = 0;
  InvalidCounts invalid{};
  bool deactivated = false;  // deactivated before the epoch ended: earns nothing

  // Uptime and location (heartbeats).
  uint64_t hour_mask = 0;   // bit h: a valid heartbeat arrived in hour h of the epoch
  uint32_t heartbeats = 0;  // valid heartbeats
  uint32_t heartbeats_without_fix = 0;
  uint64_t trust_sum_ppm = 0;       // sum of per-heartbeat location trust
  uint32_t heartbeat_hours = 0;     // derived: popcount(hour_mask)
  bool uptime_ok = false;           // derived: heartbeat_hours >= min_heartbeat_hours
  uint32_t location_trust_ppm = 0;  // derived: floor(trust_sum_ppm / heartbeats)

  // Speedtests.
  uint32_t speedtests = 0;
  uint64_t sum_download_bps = 0;
  uint64_t sum_upload_bps = 0;
  uint64_t sum_latency_ms = 0;
  uint64_t avg_download_bps = 0;  // derived: floored means
  uint64_t avg_upload_bps = 0;
  uint64_t avg_latency_ms = 0;
  uint8_t speedtest_tier = 0;  // derived: index into VerifyParams::speedtest_tiers;
                               // == tiers.size() means "fail"
  uint32_t speedtest_ppm = 0;  // derived: the tier's multiplier

  // Paid usage.
  uint32_t receipts = 0;      // valid receipts
  uint64_t dc_burned = 0;     // DC burned for this device's traffic
  uint64_t dc_basis = 0;      // tokens burned for those DC (their cost basis), base units
  uint64_t usage_bytes = 0;   // DC-backed bytes
  uint64_t self_paid_dc = 0;  // DC from payers owned by this device's owner

  // Physical proofs (coverage_verifier.h, qod_verifier.h). When has_proof_units is set, the
  // reward engine uses proof_units as the device's availability units instead of
  // uptime x location x speedtest.
  bool has_proof_units = false;
  uint64_t proof_units = 0;
  // Physical-proof reports the device's class let through to coverage and QoD (valid or not),
  // and the station's quality of data before location trust and capacity (registry.h), for
  // explanations and the dashboard.
  uint32_t beacons = 0;
  uint32_t witnesses = 0;
  uint32_t sensor_batches = 0;
  uint32_t qod_ppm = 0;

  // Network origin (origin_density.h): the device's majority origin (0: none recorded), how many
  // counted devices shared it, this device's 0-based seniority rank among them, and the
  // multiplier its availability units get (1e6 when not reduced).
  uint64_t origin = 0;
  uint32_t origin_devices = 0;
  uint32_t origin_rank = 0;
  uint32_t origin_ppm = 1'000'000;
};

// A device flagged for operator review, with the evidence (coverage_verifier.h, qod_verifier.h).
struct DeviceFlag {
  Key device;
  InvalidReason reason = InvalidReason::kCollusionRing;
  std::string evidence;
};

// DC a payer burned this epoch; the ledger debits it when the epoch closes.
struct PayerBurn {
  Key payer;
  uint64_t dc_burned = 0;
};

struct EpochWork {
  EpochWindow window;
  std::vector<DeviceInfo> devices;  // sorted by key, unique
  std::vector<DeviceWork> work;     // work[i] belongs to devices[i]
  uint64_t reports_seen = 0;        // every report offered, valid or not
  uint64_t unknown_device_reports = 0;
  uint64_t corrupt_records = 0;        // log records that failed framing, decoding or signature
  std::vector<PayerBurn> payer_burns;  // sorted by payer; only payers that burned
  // The speedtests inside the rolling window at the epoch's end: the next epoch's prior.
  SpeedtestHistory speedtest_history;
  // Devices the physical-proof verifiers flagged (and denylisted ones), sorted by key.
  std::vector<DeviceFlag> flags;
};

}  // namespace depin::verify
