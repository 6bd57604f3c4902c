// SpeedtestHistory: the speedtests inside the rolling window (48 h by default, after Helium
// Mobile) as of an epoch's end, carried from one epoch close to the next. A device's speedtest
// tier is judged on every valid test in [end - window, end), not only the current epoch's, so a
// device that tested twice yesterday keeps its tier today, and a short dev epoch still sees
// enough tests.
//
// The node persists each epoch's history next to its manifest (epoch-<e>.speedtests) and feeds it
// to the next close; the encoding below is that file's format (docs/rewards.md):
//   u32 devices, then per device (ascending key): key[32] u32 n, n x (u64 receive_ms,
//   u64 download_bps, u64 upload_bps, u64 latency_ms), oldest first; little-endian.
// Plain values and pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "util/bytes.h"
#include "util/result.h"
#include "verify/report_view.h"

namespace depin::verify {

struct SpeedtestSample {
  uint64_t receive_ms = 0;
  uint64_t download_bps = 0;
  uint64_t upload_bps = 0;
  uint64_t latency_ms = 0;
  bool operator==(const SpeedtestSample&) const = default;
};

struct DeviceSpeedtests {
  Key device;
  std::vector<SpeedtestSample> samples;  // oldest first, at most kMaxWindowSpeedtests
  bool operator==(const DeviceSpeedtests&) const = default;
};

// Sorted by device key, unique; devices with no sample in the window are left out.
using SpeedtestHistory = std::vector<DeviceSpeedtests>;

// The most recent tests kept per device: bounds memory and the file whatever a device sends.
inline constexpr size_t kMaxWindowSpeedtests = 32;

util::Bytes EncodeSpeedtestHistory(const SpeedtestHistory& history);
// Corruption naming the field on truncation, trailing bytes, unsorted keys or a device with more
// than kMaxWindowSpeedtests samples.
util::Result<SpeedtestHistory> DecodeSpeedtestHistory(util::ByteView data);

}  // namespace depin::verify
