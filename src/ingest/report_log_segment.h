// Report-log segments: file naming, directory listing, and a sequential scanner that reads one
// segment's frames in chunks and says precisely where and why it stopped.
//
// A SegmentScanner reads a snapshot of the file's size taken when it is opened; bytes appended
// later are not seen. Not thread-safe: one scanner per thread. The free functions are
// thread-safe if the Env is.
#pragma once

#include <compare>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/report_log_frame.h"
#include "util/env.h"

namespace depin::ingest {

// Identifies a segment: the epoch it holds and its sequence number within that epoch.
struct SegmentId {
  uint64_t epoch = 0;
  uint32_t seq = 0;
  auto operator<=>(const SegmentId&) const = default;
};

// "<epoch:020>-<seq:06>.seg"
std::string SegmentFileName(SegmentId id);
// Parses a segment file name; nullopt for any other name (the index, temporaries, strays).
std::optional<SegmentId> ParseSegmentFileName(std::string_view name);
// The segments in `dir`, sorted by (epoch, seq). A missing directory is an empty list.
util::Result<std::vector<SegmentId>> ListSegments(util::Env* env, const std::string& dir);

class SegmentScanner {
 public:
  enum class Outcome {
    kRecord,    // *record holds the next record; its frame starts at record_offset()
    kEnd,       // clean end: the file ends exactly after the last frame
    kTornTail,  // the file ends inside a frame starting at offset() (an unfinished write)
    kBadFrame,  // the frame at offset() is invalid; error() says why
  };

  static util::Result<std::unique_ptr<SegmentScanner>> Open(util::Env* env,
                                                            const std::string& path);

  // Advances. After kEnd, kTornTail or kBadFrame it keeps returning the same outcome.
  // `record->payload` stays valid until the next call. Fails only on I/O errors.
  util::Result<Outcome> Next(RecordView* record);

  // The offset just after the last whole record returned (the valid length so far).
  uint64_t offset() const { return pos_; }
  // The offset at which the most recent kRecord frame starts.
  uint64_t record_offset() const { return record_offset_; }
  uint64_t file_size() const { return file_size_; }
  uint64_t records() const { return records_; }
  const std::string& path() const { return path_; }
  // For kBadFrame: "<path>: offset <n>: <what>".
  const std::string& error() const { return error_; }

 private:
  SegmentScanner(std::string path, std::unique_ptr<util::RandomAccessFile> file, uint64_t size)
      : path_(std::move(path)), file_(std::move(file)), file_size_(size) {}
  // Makes at least `want` bytes from pos_ available in the buffer, or all bytes up to EOF.
  util::Status Fill(size_t want);

  std::string path_;
  std::unique_ptr<util::RandomAccessFile> file_;
  uint64_t file_size_;
  util::Bytes buf_;
  uint64_t buf_offset_ = 0;  // file offset of buf_[0]
  uint64_t pos_ = 0;
  uint64_t record_offset_ = 0;
  uint64_t records_ = 0;
  std::optional<Outcome> stopped_;
  std::string error_;
};

// Summary of a whole-segment scan.
struct SegmentScan {
  uint64_t records = 0;
  uint64_t valid_bytes = 0;  // length of the prefix made of whole, valid frames
  uint64_t file_size = 0;
  SegmentScanner::Outcome stop = SegmentScanner::Outcome::kEnd;
  std::string error;  // for kBadFrame
};
// Scans the segment at `path` to its first stop (end, torn tail or bad frame).
util::Result<SegmentScan> ScanSegment(util::Env* env, const std::string& path);

}  // namespace depin::ingest
