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

}  // namespace

namespace internal {

bool NextField(util::ByteView in, size_t* pos, uint32_t* number, uint32_t* wire_type,
               util::ByteView* value, std::string* error) {
  if (*pos >= in.size()) return false;
  const size_t start = *pos;
  auto fail = [&](const char* what) {
    *error = std::string(what) + " at byte " + std::to_string(start);
    return false;
  };
  uint64_t tag;
  if (!ReadVarint(in, pos, &tag)) return fail("truncated field tag");
  if ((tag >> 3) == 0 || (tag >> 3) > 0x1fffffff) return fail("bad field number");
  *number = static_cast<uint32_t>(tag >> 3);
  *wire_type = static_cast<uint32_t>(tag & 7);
  switch (*wire_type) {
    case 0: {
      uint64_t ignored;
      if (!ReadVarint(in, pos, &ignored)) return fail("truncated varint");
      return true;
    }
    case 1:
      if (in.size() - *pos < 8) return fail("truncated fixed64");
      *pos += 8;
      return true;
    case 5:
      if (in.size() - *pos < 4) return fail("truncated fixed32");
      *pos += 4;
      return true;
    case 2: {
      uint64_t len;
      if (!ReadVarint(in, pos, &len)) return fail("truncated length");
      if (len > in.size() - *pos) return fail("length past the end (truncated message)");
      *value = in.subspan(*pos, len);
      *pos += len;
      return true;
    }
    default:
      return fail("unsupported wire type");
  }
}

}  // namespace internal

util::Result<SubmissionView> ParseSubmission(util::ByteView body) {
  SubmissionView view;
  util::Status st = ForEachLengthDelimited(body, "report submission", kMaxSubmissionEntries,
                                           [&](const LengthDelimitedField& f) {
                                             if (f.number == kSubmissionSignedReportField)
                                               view.signed_reports.push_back(f.value);
                                             if (f.number == kSubmissionBatchField)
                                               view.batches.push_back(f.value);
                                             if (f.number == kSubmissionProvenReportField)
                                               view.proven_reports.push_back(f.value);
                                             return util::Status::Ok();
                                           });
  if (!st.ok()) return st;
  if (view.signed_reports.empty() && view.batches.empty() && view.proven_reports.empty()) {
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
