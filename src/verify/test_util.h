// Test helpers shared by the verify and rewards tests: deterministic keys and report builders.
// Test-only; not part of the library. Not thread-safe (plain functions over values).
#pragma once

#include <atomic>
#include <cstdint>

#include "verify/report_view.h"

namespace depin::verify::testing {

// A key whose bytes are all `tag`: KeyOf(1) < KeyOf(2) < ... so device order is obvious.
inline Key KeyOf(uint8_t tag) {
  Key k;
  k.bytes.fill(tag);
  return k;
}

inline constexpr uint64_t kHourMs = 3'600'000;
// Epoch 7: a 24-hour day starting at 2024-01-01T00:00:00Z.
inline constexpr uint64_t kEpochStart = 1'704'067'200'000;
inline EpochWindow DayEpoch() { return {7, kEpochStart, kEpochStart + 24 * kHourMs}; }

inline DeviceInfo Device(uint8_t tag, uint8_t owner_tag, Location asserted = {}) {
  DeviceInfo d;
  d.key = KeyOf(tag);
  d.owner = KeyOf(owner_tag);
  d.has_asserted_location = asserted.lat_e7 != 0 || asserted.lon_e7 != 0;
  d.asserted_location = asserted;
  return d;
}

inline ReportView Heartbeat(uint8_t device, uint64_t at_ms, Location where) {
  ReportView r;
  r.device = KeyOf(device);
  r.kind = ReportKind::kHeartbeat;
  r.device_ms = at_ms;
  r.received_ms = at_ms;
  r.heartbeat.has_location = true;
  r.heartbeat.location = where;
  return r;
}

inline ReportView Speedtest(uint8_t device, uint64_t at_ms, uint64_t down_bps, uint64_t up_bps,
                            uint32_t latency_ms) {
  ReportView r;
  r.device = KeyOf(device);
  r.kind = ReportKind::kSpeedtest;
  r.device_ms = at_ms;
  r.received_ms = at_ms;
  r.speedtest = {down_bps, up_bps, latency_ms};
  return r;
}

inline ReportView Receipt(uint8_t device, uint64_t at_ms, uint8_t payer, uint64_t bytes,
                          uint64_t dc) {
  ReportView r;
  r.device = KeyOf(device);
  r.kind = ReportKind::kDataTransfer;
  r.device_ms = at_ms;
  r.received_ms = at_ms;
  r.usage.payer = KeyOf(payer);
  r.usage.bytes = bytes;
  r.usage.dc_amount = dc;
  r.usage.timestamp_ms = at_ms;
  // Every call is a distinct receipt (a receipt key is paid once); tests of duplicates copy one.
  static std::atomic<uint64_t> next_sequence{1};
  r.usage.session_id = device;
  r.usage.sequence = next_sequence.fetch_add(1);
  return r;
}

}  // namespace depin::verify::testing
