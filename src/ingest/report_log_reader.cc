// EpochReader (see report_log_reader.h).
#include "ingest/report_log_reader.h"

#include <charconv>

#include "ingest/log_format.h"

namespace depin::ingest {

using util::Status;

util::Result<uint64_t> RetainedFrom(util::Env* env, const std::string& data_dir) {
  const std::string path = util::JoinPath(util::JoinPath(data_dir, std::string(logfmt::kLogSubdir)),
                                          std::string(logfmt::kRetainedFromFile));
  if (!env->FileExists(path)) return uint64_t{0};
  DEPIN_ASSIGN_OR_RETURN(util::Bytes raw, env->ReadFile(path));
  const std::string_view text = util::AsChars(raw);
  uint64_t epoch = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), epoch);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return Status::Corruption(path + ": not an epoch number");
  }
  return epoch;
}

util::Result<std::unique_ptr<EpochReader>> EpochReader::Open(util::Env* env,
                                                             const std::string& data_dir,
                                                             uint64_t epoch) {
  std::string log_dir = util::JoinPath(data_dir, std::string(logfmt::kLogSubdir));
  std::unique_ptr<EpochReader> reader(new EpochReader(env, log_dir, epoch));
  DEPIN_ASSIGN_OR_RETURN(std::vector<SegmentId> all, ListSegments(env, log_dir));
  for (const SegmentId& id : all) {
    if (id.epoch == epoch) reader->segments_.push_back(id);
  }
  if (!all.empty()) {
    reader->newest_ = all.back();
    reader->has_newest_ = true;
  }
  // The index is derived data: if it is unreadable, read without it rather than fail.
  std::string index_path = util::JoinPath(log_dir, std::string(logfmt::kIndexFile));
  if (env->FileExists(index_path)) {
    auto data = env->ReadFile(index_path);
    if (data.ok()) {
      auto decoded = DecodeIndex(*data, index_path);
      if (decoded.ok()) {
        for (const SegmentInfo& s : *decoded) reader->index_[s.id] = s;
      }
    }
  }
  return reader;
}

Status EpochReader::FinishSegment() {
  std::unique_ptr<SegmentScanner> scanner = std::move(scanner_);
  auto it = index_.find(scanning_);
  bool sealed = it != index_.end() || !has_newest_ || scanning_ != newest_;
  // Where the scan stopped, as the scanner reports it.
  if (!scanner) return Status::Ok();
  RecordView unused;
  DEPIN_ASSIGN_OR_RETURN(SegmentScanner::Outcome stop, scanner->Next(&unused));
  if (stop == SegmentScanner::Outcome::kBadFrame) {
    ++corruptions_;
    return Status::Corruption(scanner->error());
  }
  if (stop == SegmentScanner::Outcome::kTornTail && sealed) {
    ++corruptions_;
    return Status::Corruption(scanner->path() + ": offset " + std::to_string(scanner->offset()) +
                              ": sealed segment ends inside a record");
  }
  if (it != index_.end() &&
      (scanner->offset() != it->second.bytes || scanner->records() != it->second.records)) {
    ++corruptions_;
    return Status::Corruption(scanner->path() + ": holds " + std::to_string(scanner->records()) +
                              " records in " + std::to_string(scanner->offset()) +
                              " bytes but the index says " + std::to_string(it->second.records) +
                              " records in " + std::to_string(it->second.bytes) + " bytes");
  }
  return Status::Ok();
}

util::Result<bool> EpochReader::Next(LogRecord* out) {
  while (true) {
    if (!scanner_) {
      if (next_segment_ >= segments_.size()) return false;
      scanning_ = segments_[next_segment_++];
      DEPIN_ASSIGN_OR_RETURN(
          scanner_,
          SegmentScanner::Open(env_, util::JoinPath(log_dir_, SegmentFileName(scanning_))));
    }
    RecordView record;
    DEPIN_ASSIGN_OR_RETURN(SegmentScanner::Outcome outcome, scanner_->Next(&record));
    if (outcome != SegmentScanner::Outcome::kRecord) {
      DEPIN_RETURN_IF_ERROR(FinishSegment());
      continue;
    }
    if (record.epoch != epoch_) {
      ++corruptions_;
      return Status::Corruption(scanner_->path() + ": offset " +
                                std::to_string(scanner_->record_offset()) + ": record of epoch " +
                                std::to_string(record.epoch) + " in a segment of epoch " +
                                std::to_string(epoch_));
    }
    out->receive_ms = record.receive_ms;
    out->epoch = record.epoch;
    out->payload.assign(record.payload.begin(), record.payload.end());
    out->segment = scanning_;
    out->offset = scanner_->record_offset();
    ++records_read_;
    return true;
  }
}

}  // namespace depin::ingest
