// Report-log index codec (see report_log_index.h and docs/log-format.md).
#include "ingest/report_log_index.h"

#include "ingest/crc32c.h"
#include "ingest/log_format.h"

namespace depin::ingest {

util::Bytes EncodeIndex(const std::vector<SegmentInfo>& segments) {
  util::Bytes out;
  out.reserve(16 + segments.size() * logfmt::kIndexEntryBytes);
  util::ByteWriter w(&out);
  w.Raw(logfmt::kIndexMagic);
  w.U32(logfmt::kIndexVersion);
  w.U32(static_cast<uint32_t>(segments.size()));
  for (const SegmentInfo& s : segments) {
    w.U64(s.id.epoch);
    w.U32(s.id.seq);
    w.U64(s.records);
    w.U64(s.bytes);
  }
  w.U32(crc32c::Mask(crc32c::Value(out)));
  return out;
}

util::Result<std::vector<SegmentInfo>> DecodeIndex(util::ByteView data, const std::string& where) {
  constexpr size_t kFixed = 4 + 4 + 4 + 4;  // magic, version, count, crc
  if (data.size() < kFixed) {
    return util::Status::Corruption(where + ": index is " + std::to_string(data.size()) +
                                    " bytes, shorter than its header");
  }
  util::ByteView body = data.first(data.size() - 4);
  util::ByteReader crc_reader(data.subspan(data.size() - 4));
  uint32_t stored = crc32c::Unmask(*crc_reader.U32());
  if (stored != crc32c::Value(body))
    return util::Status::Corruption(where + ": index CRC mismatch");
  if (util::AsChars(body.first(4)) != logfmt::kIndexMagic) {
    return util::Status::Corruption(where + ": not an index file (bad magic)");
  }
  util::ByteReader r(body.subspan(4));
  uint32_t version = *r.U32();
  if (version != logfmt::kIndexVersion) {
    return util::Status::Corruption(where + ": unsupported index version " +
                                    std::to_string(version));
  }
  uint32_t count = *r.U32();
  if (r.remaining() != static_cast<uint64_t>(count) * logfmt::kIndexEntryBytes) {
    return util::Status::Corruption(where + ": index says " + std::to_string(count) +
                                    " entries but holds " + std::to_string(r.remaining()) +
                                    " bytes of entries");
  }
  std::vector<SegmentInfo> out(count);
  for (SegmentInfo& s : out) {
    s.id.epoch = *r.U64();
    s.id.seq = *r.U32();
    s.records = *r.U64();
    s.bytes = *r.U64();
  }
  return out;
}

}  // namespace depin::ingest
