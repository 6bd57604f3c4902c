// Report-log index: for every sealed segment, its epoch, sequence number, record count and valid
// byte length, so a reader finds an epoch's segments and their extents without scanning.
//
// The index is derived data. The segments are authoritative: a missing, damaged or stale index is
// rebuilt from them (ReportLog::Open does this). Encoding and decoding are pure functions; safe
// from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ingest/report_log_segment.h"
#include "util/bytes.h"
#include "util/result.h"

namespace depin::ingest {

struct SegmentInfo {
  SegmentId id;
  uint64_t records = 0;  // whole records in the segment
  uint64_t bytes = 0;    // valid length: the offset just after the last record
  bool operator==(const SegmentInfo&) const = default;
};

// Serializes `segments` (in the given order) with a trailing masked CRC32C.
util::Bytes EncodeIndex(const std::vector<SegmentInfo>& segments);
// Parses an index; `where` (usually the file path) prefixes error messages. Returns Corruption on
// a bad magic, version, length or CRC.
util::Result<std::vector<SegmentInfo>> DecodeIndex(util::ByteView data, const std::string& where);

}  // namespace depin::ingest
