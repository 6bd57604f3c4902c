// EpochReader: iterates one epoch's records in append order, for the verifiers and the reward
// engine. Independent of any ReportLog instance: it reads the files, so it works in another
// process, on a copy of the log, or while a ReportLog appends to it.
//
// The epoch's segments are found by name (<epoch>-<seq>.seg) and read in sequence order. The
// index, when valid, supplies each sealed segment's expected record count and length, so a
// truncated or overlong sealed segment is reported too. A bad frame in a sealed segment is
// returned as a Corruption error naming the file and offset; the reader then skips the rest of
// that segment, so calling Next() again continues with the next one (the reward engine counts
// and skips). The unsealed segment a live writer is appending to is read up to the last whole
// record present when the reader reaches it; such records may not be acknowledged yet (written,
// not yet fsynced), so verifiers read an epoch after it is sealed (ReportLog::AdvanceEpoch).
// Segments created after Open() are not seen.
//
// Not thread-safe: use one reader per thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ingest/report_log_index.h"
#include "ingest/report_log_segment.h"
#include "util/env.h"

namespace depin::ingest {

// A record read back, with its position in the log (segment and frame offset), so a verifier can
// cite exactly which stored bytes it judged.
struct LogRecord {
  uint64_t receive_ms = 0;
  uint64_t epoch = 0;
  util::Bytes payload;
  SegmentId segment;
  uint64_t offset = 0;
};

// The oldest epoch whose reports retention has kept (log_format.h kRetainedFromFile): epochs
// below it may have been deleted. 0 when nothing was ever deleted; Corruption if the marker is
// not a number.
util::Result<uint64_t> RetainedFrom(util::Env* env, const std::string& data_dir);

class EpochReader {
 public:
  // `data_dir` is the node's data directory (the log is in <data_dir>/reports).
  static util::Result<std::unique_ptr<EpochReader>> Open(util::Env* env,
                                                         const std::string& data_dir,
                                                         uint64_t epoch);

  // Reads the next record into *out and returns true; returns false at the end of the epoch.
  // Corruption errors are resumable (see above); other errors (I/O) are not.
  util::Result<bool> Next(LogRecord* out);

  const std::vector<SegmentId>& segments() const { return segments_; }
  uint64_t records_read() const { return records_read_; }
  uint64_t corruptions() const { return corruptions_; }

 private:
  EpochReader(util::Env* env, std::string log_dir, uint64_t epoch)
      : env_(env), log_dir_(std::move(log_dir)), epoch_(epoch) {}
  // Closes the current segment, checking it against the index; an error is a Corruption.
  util::Status FinishSegment();

  util::Env* env_;
  std::string log_dir_;
  uint64_t epoch_;
  std::vector<SegmentId> segments_;
  std::map<SegmentId, SegmentInfo> index_;  // sealed segments, when the index is valid
  SegmentId newest_;                        // the newest segment in the log (may be unsealed)
  bool has_newest_ = false;
  size_t next_segment_ = 0;
  std::unique_ptr<SegmentScanner> scanner_;
  SegmentId scanning_;
  uint64_t records_read_ = 0;
  uint64_t corruptions_ = 0;
};

}  // namespace depin::ingest
