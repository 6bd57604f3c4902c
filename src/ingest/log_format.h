// Report-log format constants: the one place that fixes the on-disk layout described in
// docs/log-format.md (record frame, segment names, index file). Change a value here and the doc
// together. Constants only; safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace depin::ingest::logfmt {

// ---- Record frame (all integers little-endian) ----
//   offset size field
//   0      1    type       kRecordTypeReportV1; any other value is a bad frame
//   1      4    length     payload length in bytes, <= kMaxPayloadBytes
//   5      4    crc        Mask(CRC32C(type, receive_ms, epoch, payload))
//   9      8    receive_ms server receive time, Unix milliseconds
//   17     8    epoch      reward epoch the report belongs to
//   25     len  payload    opaque report bytes (the log does not parse them)
inline constexpr uint8_t kRecordTypeReportV1 = 0xA1;
inline constexpr size_t kTypeOffset = 0;
inline constexpr size_t kLengthOffset = 1;
inline constexpr size_t kCrcOffset = 5;
inline constexpr size_t kReceiveMsOffset = 9;
inline constexpr size_t kEpochOffset = 17;
inline constexpr size_t kHeaderBytes = 25;
inline constexpr uint32_t kMaxPayloadBytes = 1u << 20;  // 1 MiB
inline constexpr size_t kMaxFrameBytes = kHeaderBytes + kMaxPayloadBytes;

// ---- Files ----
// Segments live in <data dir>/reports/ and are named <epoch:20 digits>-<seq:6 digits>.seg, so
// names sort by (epoch, seq) and one epoch's segments share a prefix.
inline constexpr std::string_view kLogSubdir = "reports";
inline constexpr std::string_view kSegmentSuffix = ".seg";
inline constexpr size_t kEpochDigits = 20;
inline constexpr size_t kSeqDigits = 6;
inline constexpr uint32_t kMaxSegmentSeq = 999999;
inline constexpr size_t kSegmentNameBytes = kEpochDigits + 1 + kSeqDigits + kSegmentSuffix.size();

// ---- Index (derived data; rebuilt from the segments when missing, stale or damaged) ----
//   "DPLI" | u32 version | u32 entry count | entries | u32 masked CRC32C of everything before it
//   entry: u64 epoch | u32 seq | u64 records | u64 bytes
inline constexpr std::string_view kIndexFile = "INDEX";
inline constexpr std::string_view kIndexMagic = "DPLI";
inline constexpr uint32_t kIndexVersion = 1;
inline constexpr size_t kIndexEntryBytes = 8 + 4 + 8 + 8;

// ---- Retention marker ----
// Decimal text: the oldest epoch retention has not deleted. Written (atomically) before segments
// are deleted, so an epoch below it may be gone and must not be recomputed from what is left.
// Absent: nothing was ever deleted.
inline constexpr std::string_view kRetainedFromFile = "RETAINED_FROM";

// ---- Defaults (overridable in ReportLog::Options) ----
inline constexpr uint64_t kDefaultSegmentMaxBytes = 64ull << 20;    // 64 MiB
inline constexpr uint64_t kDefaultSegmentMaxAgeMs = 5 * 60 * 1000;  // 5 minutes
inline constexpr size_t kDefaultQueueMaxRecords = 100000;
inline constexpr uint64_t kDefaultMinGroupIntervalMicros = 1000;  // <= 1,000 group commits/s
inline constexpr size_t kDefaultQueueMaxBytes = 32ull << 20;      // 32 MiB

}  // namespace depin::ingest::logfmt
