// Report-log segment naming, listing and scanning (see report_log_segment.h).
#include "ingest/report_log_segment.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "ingest/log_format.h"

namespace depin::ingest {
namespace {

constexpr size_t kReadChunk = 1 << 20;

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<uint64_t> ParseDecimal(std::string_view s) {
  uint64_t v = 0;
  for (char c : s) {
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return v;
}

}  // namespace

std::string SegmentFileName(SegmentId id) {
  char name[64];
  std::snprintf(name, sizeof(name), "%020llu-%06u%s", static_cast<unsigned long long>(id.epoch),
                static_cast<unsigned>(id.seq), std::string(logfmt::kSegmentSuffix).c_str());
  return name;
}

std::optional<SegmentId> ParseSegmentFileName(std::string_view name) {
  if (name.size() != logfmt::kSegmentNameBytes) return std::nullopt;
  if (!name.ends_with(logfmt::kSegmentSuffix)) return std::nullopt;
  std::string_view epoch = name.substr(0, logfmt::kEpochDigits);
  std::string_view seq = name.substr(logfmt::kEpochDigits + 1, logfmt::kSeqDigits);
  if (name[logfmt::kEpochDigits] != '-' || !AllDigits(epoch) || !AllDigits(seq)) {
    return std::nullopt;
  }
  auto e = ParseDecimal(epoch);
  auto s = ParseDecimal(seq);
  if (!e || !s) return std::nullopt;
  return SegmentId{*e, static_cast<uint32_t>(*s)};
}

util::Result<std::vector<SegmentId>> ListSegments(util::Env* env, const std::string& dir) {
  if (!env->FileExists(dir)) return std::vector<SegmentId>{};
  DEPIN_ASSIGN_OR_RETURN(std::vector<std::string> names, env->GetChildren(dir));
  std::vector<SegmentId> out;
  for (const std::string& name : names) {
    if (auto id = ParseSegmentFileName(name)) out.push_back(*id);
  }
  std::sort(out.begin(), out.end());
  return out;
}

util::Result<std::unique_ptr<SegmentScanner>> SegmentScanner::Open(util::Env* env,
                                                                   const std::string& path) {
  DEPIN_ASSIGN_OR_RETURN(uint64_t size, env->GetFileSize(path));
  DEPIN_ASSIGN_OR_RETURN(auto file, env->NewRandomAccessFile(path));
  return std::unique_ptr<SegmentScanner>(new SegmentScanner(path, std::move(file), size));
}

util::Status SegmentScanner::Fill(size_t want) {
  // Invariant: buf_offset_ <= pos_ <= buf_offset_ + buf_.size().
  uint64_t have_end = buf_offset_ + buf_.size();
  uint64_t want_end = std::min<uint64_t>(pos_ + want, file_size_);
  if (have_end >= want_end) return util::Status::Ok();
  // Keep the unread tail, then read at least a chunk (or up to the wanted end) after it.
  size_t keep = static_cast<size_t>(have_end - pos_);
  if (keep > 0) std::memmove(buf_.data(), buf_.data() + (pos_ - buf_offset_), keep);
  buf_offset_ = pos_;
  uint64_t read_from = have_end;
  uint64_t read_len = std::min<uint64_t>(std::max<uint64_t>(want_end - read_from, kReadChunk),
                                         file_size_ - read_from);
  buf_.resize(keep + static_cast<size_t>(read_len));
  DEPIN_ASSIGN_OR_RETURN(util::ByteView got,
                         file_->Read(read_from, static_cast<size_t>(read_len), buf_.data() + keep));
  buf_.resize(keep + got.size());
  if (got.size() < read_len) file_size_ = read_from + got.size();  // shrank since Open
  return util::Status::Ok();
}

util::Result<SegmentScanner::Outcome> SegmentScanner::Next(RecordView* record) {
  if (stopped_) return *stopped_;
  if (pos_ >= file_size_) {
    stopped_ = Outcome::kEnd;
    return *stopped_;
  }
  DEPIN_RETURN_IF_ERROR(Fill(logfmt::kHeaderBytes));
  size_t consumed = 0;
  std::string why;
  for (int attempt = 0; attempt < 2; ++attempt) {
    util::ByteView avail(buf_.data() + (pos_ - buf_offset_),
                         buf_.size() - static_cast<size_t>(pos_ - buf_offset_));
    FrameParse r = ParseFrame(avail, record, &consumed, &why);
    if (r == FrameParse::kOk) {
      record_offset_ = pos_;
      pos_ += consumed;
      ++records_;
      return Outcome::kRecord;
    }
    if (r == FrameParse::kBad) {
      error_ = path_ + ": offset " + std::to_string(pos_) + ": " + why;
      stopped_ = Outcome::kBadFrame;
      return *stopped_;
    }
    // Incomplete: read the whole frame the header announces, if the file has it.
    if (avail.size() >= logfmt::kHeaderBytes && attempt == 0) {
      uint64_t length = 0;
      for (int i = 0; i < 4; ++i) {
        length |= static_cast<uint64_t>(avail[logfmt::kLengthOffset + i]) << (8 * i);
      }
      DEPIN_RETURN_IF_ERROR(Fill(FrameSize(length)));
      continue;
    }
    break;
  }
  stopped_ = Outcome::kTornTail;
  return *stopped_;
}

util::Result<SegmentScan> ScanSegment(util::Env* env, const std::string& path) {
  DEPIN_ASSIGN_OR_RETURN(auto scanner, SegmentScanner::Open(env, path));
  SegmentScan scan;
  RecordView record;
  while (true) {
    DEPIN_ASSIGN_OR_RETURN(SegmentScanner::Outcome outcome, scanner->Next(&record));
    if (outcome == SegmentScanner::Outcome::kRecord) continue;
    scan.stop = outcome;
    scan.error = scanner->error();
    break;
  }
  scan.records = scanner->records();
  scan.valid_bytes = scanner->offset();
  scan.file_size = scanner->file_size();
  return scan;
}

}  // namespace depin::ingest
