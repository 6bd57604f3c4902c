#include "ingest/submission.h"

#include <string>

namespace depin::ingest {
namespace {

// Reads a base-128 varint of at most 10 bytes; false if truncated or overlong.
bool ReadVarint(util::ByteView in, size_t* pos, uint64_t* value) {
  uint64_t v = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    if (*pos >= in.size()) return false;
    uint8_t b = in[(*pos)++];
    if (shift == 63 && b > 1) return false;
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) {
      *value = v;
      return true;
    }
  }
  return false;
}

void WriteVarint(uint64_t v, util::Bytes* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<uint8_t>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<uint8_t>(v));
}

util::Status Malformed(size_t offset, const char* what) {
  return util::Status::InvalidArgument("report submission: " + std::string(what) + " at byte " +
                                       std::to_string(offset));
}

}  // namespace

util::Result<SubmissionView> ParseSubmission(util::ByteView body) {
  SubmissionView view;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t field_start = pos;
    uint64_t tag;
    if (!ReadVarint(body, &pos, &tag)) return Malformed(field_start, "truncated field tag");
    uint64_t field = tag >> 3;
    uint32_t wire_type = tag & 7;
    if (field == 0) return Malformed(field_start, "field number 0");
    switch (wire_type) {
      case 0: {  // varint
        uint64_t ignored;
        if (!ReadVarint(body, &pos, &ignored)) return Malformed(field_start, "truncated varint");
        break;
      }
      case 1:  // 64-bit
        if (body.size() - pos < 8) return Malformed(field_start, "truncated fixed64");
        pos += 8;
        break;
      case 5:  // 32-bit
        if (body.size() - pos < 4) return Malformed(field_start, "truncated fixed32");
        pos += 4;
        break;
      case 2: {  // length-delimited
        uint64_t len;
        if (!ReadVarint(body, &pos, &len)) return Malformed(field_start, "truncated length");
        if (len > body.size() - pos) {
          return Malformed(field_start, "length past the end of the body (truncated message)");
        }
        util::ByteView value = body.subspan(pos, len);
        pos += len;
        if (field == kSubmissionSignedReportField) {
          view.signed_reports.push_back(value);
        } else if (field == kSubmissionBatchField) {
          view.batches.push_back(value);
        }
        if (view.signed_reports.size() + view.batches.size() > kMaxSubmissionEntries) {
          return util::Status::InvalidArgument("report submission: more than " +
                                               std::to_string(kMaxSubmissionEntries) + " entries");
        }
        break;
      }
      default:
        return Malformed(field_start, "unsupported wire type");
    }
  }
  if (view.signed_reports.empty() && view.batches.empty()) {
    return util::Status::InvalidArgument("report submission: no reports and no batches");
  }
  return view;
}

void AppendSubmissionEntry(uint32_t field, util::ByteView message, util::Bytes* out) {
  WriteVarint((static_cast<uint64_t>(field) << 3) | 2, out);
  WriteVarint(message.size(), out);
  out->insert(out->end(), message.begin(), message.end());
}

}  // namespace depin::ingest
