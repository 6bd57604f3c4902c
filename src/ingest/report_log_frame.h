// Report-log record frames: encoding and parsing of one length-prefixed, CRC32C-checked record
// (layout in log_format.h and docs/log-format.md). Pure functions on caller-owned buffers; safe
// from any thread.
#pragma once

#include <cstdint>
#include <string>

#include "util/bytes.h"

namespace depin::ingest {

// One record as stored in the log. `payload` is opaque to the log.
struct RecordView {
  uint64_t receive_ms = 0;  // server receive time, Unix milliseconds
  uint64_t epoch = 0;       // reward epoch
  util::ByteView payload;   // points into the buffer that was parsed
};

// Appends the frame for (receive_ms, epoch, payload) to `out`. The caller checks
// payload.size() <= logfmt::kMaxPayloadBytes (ReportLog::Append does).
void EncodeFrame(uint64_t receive_ms, uint64_t epoch, util::ByteView payload, util::Bytes* out);
// Bytes EncodeFrame appends for a payload of `payload_size` bytes.
size_t FrameSize(size_t payload_size);

enum class FrameParse {
  kOk,          // a whole, valid frame; *consumed is its size
  kIncomplete,  // `buf` is shorter than the frame its header announces (or than a header)
  kBad,         // wrong type byte, length over the maximum, or CRC mismatch; *error says which
};

// Parses the frame at the start of `buf`. On kOk fills *record (payload points into `buf`) and
// *consumed. On kBad sets *error to a description without location (the caller adds file and
// offset). A kIncomplete prefix is checked as far as it goes: a wrong type byte or an oversized
// length in a partial header is reported as kBad.
FrameParse ParseFrame(util::ByteView buf, RecordView* record, size_t* consumed, std::string* error);

}  // namespace depin::ingest
