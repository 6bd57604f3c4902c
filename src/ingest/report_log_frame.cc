// Report-log frame codec (see report_log_frame.h).
#include "ingest/report_log_frame.h"

#include <cstring>

#include "ingest/crc32c.h"
#include "ingest/log_format.h"

namespace depin::ingest {
namespace {

uint64_t LoadLE(const uint8_t* p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v |= static_cast<uint64_t>(p[i]) << (8 * i);
  return v;
}

void StoreLE(uint8_t* p, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

// CRC over type, receive_ms, epoch (contiguous in the header) and the payload.
uint32_t FrameCrc(const uint8_t* header, util::ByteView payload) {
  uint32_t crc = crc32c::Extend(0, header + logfmt::kTypeOffset, 1);
  crc = crc32c::Extend(crc, header + logfmt::kReceiveMsOffset, 16);
  return crc32c::Extend(crc, payload);
}

}  // namespace

size_t FrameSize(size_t payload_size) { return logfmt::kHeaderBytes + payload_size; }

void EncodeFrame(uint64_t receive_ms, uint64_t epoch, util::ByteView payload, util::Bytes* out) {
  size_t start = out->size();
  out->resize(start + FrameSize(payload.size()));
  uint8_t* h = out->data() + start;
  h[logfmt::kTypeOffset] = logfmt::kRecordTypeReportV1;
  StoreLE(h + logfmt::kLengthOffset, payload.size(), 4);
  StoreLE(h + logfmt::kReceiveMsOffset, receive_ms, 8);
  StoreLE(h + logfmt::kEpochOffset, epoch, 8);
  if (!payload.empty()) std::memcpy(h + logfmt::kHeaderBytes, payload.data(), payload.size());
  StoreLE(h + logfmt::kCrcOffset, crc32c::Mask(FrameCrc(h, payload)), 4);
}

FrameParse ParseFrame(util::ByteView buf, RecordView* record, size_t* consumed,
                      std::string* error) {
  if (buf.empty()) return FrameParse::kIncomplete;
  const uint8_t* h = buf.data();
  if (h[logfmt::kTypeOffset] != logfmt::kRecordTypeReportV1) {
    *error = "bad record type byte " + std::to_string(h[logfmt::kTypeOffset]);
    return FrameParse::kBad;
  }
  if (buf.size() < logfmt::kCrcOffset) return FrameParse::kIncomplete;
  uint64_t length = LoadLE(h + logfmt::kLengthOffset, 4);
  if (length > logfmt::kMaxPayloadBytes) {
    *error = "record length " + std::to_string(length) + " exceeds the maximum " +
             std::to_string(logfmt::kMaxPayloadBytes);
    return FrameParse::kBad;
  }
  size_t total = FrameSize(length);
  if (buf.size() < total) return FrameParse::kIncomplete;
  util::ByteView payload = buf.subspan(logfmt::kHeaderBytes, length);
  uint32_t stored = crc32c::Unmask(static_cast<uint32_t>(LoadLE(h + logfmt::kCrcOffset, 4)));
  uint32_t actual = FrameCrc(h, payload);
  if (stored != actual) {
    *error = "record CRC mismatch (stored " + std::to_string(stored) + ", computed " +
             std::to_string(actual) + ")";
    return FrameParse::kBad;
  }
  record->receive_ms = LoadLE(h + logfmt::kReceiveMsOffset, 8);
  record->epoch = LoadLE(h + logfmt::kEpochOffset, 8);
  record->payload = payload;
  *consumed = total;
  return FrameParse::kOk;
}

}  // namespace depin::ingest
