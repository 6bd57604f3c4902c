// ReportLog: the durable, append-only log of device reports that ingest writes and the verifiers
// read (format in docs/log-format.md, constants in log_format.h).
//
// Records are opaque payloads stamped with the server receive time and their reward epoch. They
// are appended to segment files in <data dir>/reports/ by one writer thread that group-commits:
// it takes every queued batch, writes them with one write(2) and makes them durable with one
// fdatasync, and only then calls each batch's callback with OK. "Acknowledged" therefore means
// "on disk": after a crash (even SIGKILL or power loss on a file system that honours fdatasync)
// every acknowledged record is in the log exactly once, and no partial record is visible.
//
// Segments roll when they exceed a size limit, when they grow older than an age limit, and always
// at an epoch boundary, so each segment holds one epoch. Open() recovers: a torn tail in the last
// segment is truncated; corruption in a sealed segment is an error naming the file and offset.
//
// Self-healing: if a write, fdatasync, file creation or index update fails (EIO, ENOSPC, EMFILE,
// ...), the batches of that group and every queued batch are failed (Unavailable, with a generic
// message: the cause names files and may reach clients) and appends are refused (Unavailable)
// while the writer repairs the log by itself, retrying with backoff (10 ms doubling to 2 s): it
// drops the failed segment's handle, cuts the segment back to its last durable byte (so no
// unacknowledged byte and no torn frame stays), syncs and seals it, rewrites the index, and
// starts a fresh segment on the next append. Nothing is acknowledged that may not be durable and
// nothing acknowledged is lost or cut. The cause goes to options.on_health and health() until
// the repair succeeds. Producers treat a failed append as "retry".
//
// Thread-safety: Append, AppendAndWait, AdvanceEpoch, stats and sealed_segments may be called
// from any thread concurrently. Callbacks run on the writer thread, one at a time, in append
// order; they must be quick and must not call Close(). Close (and the destructor) must not race
// with other calls.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "ingest/group_commit.h"
#include "ingest/log_format.h"
#include "ingest/report_log_index.h"
#include "util/env.h"
#include "util/mutex.h"

namespace depin::ingest {

struct ReportLogOptions {
  util::Env* env = util::Env::Default();
  std::string data_dir;  // the log lives in <data_dir>/reports
  uint64_t segment_max_bytes = logfmt::kDefaultSegmentMaxBytes;
  uint64_t segment_max_age_ms = logfmt::kDefaultSegmentMaxAgeMs;  // 0: no age limit
  // Keep the current epoch and the `retain_epochs` epochs before it; delete older segments.
  // 0: keep everything forever (unless DropEpochsBefore says otherwise).
  uint64_t retain_epochs = 0;
  // Group commits start at most once per interval: under load the writer lets appends gather
  // for up to this long after the previous group began, trading that much acknowledgement
  // latency for fewer, fuller fdatasyncs (each costs CPU as well as disk time). An append to an
  // idle log is written at once. 0: write whatever is queued as soon as the last sync ends.
  uint64_t min_group_interval_us = logfmt::kDefaultMinGroupIntervalMicros;
  size_t queue_max_records = logfmt::kDefaultQueueMaxRecords;
  // Called on the writer thread after every segment fdatasync with its duration (for a latency
  // histogram); must be quick and must not call into the log.
  std::function<void(uint64_t sync_micros)> on_sync;
  size_t queue_max_bytes = logfmt::kDefaultQueueMaxBytes;
  // Called on the writer thread with the cause when the log fails (and at each failed repair),
  // and with OK once it has repaired itself; must be quick and must not call into the log.
  std::function<void(const util::Status& health)> on_health;
};

// What Open() found and repaired.
struct RecoveryReport {
  std::string truncated_segment;  // path of the segment whose tail was cut, or empty
  uint64_t dropped_bytes = 0;     // bytes cut from it (a torn or invalid tail)
  bool removed_empty_segment = false;
  bool index_rebuilt = false;  // the index was missing, damaged or stale
  uint64_t segments = 0;       // segments present after recovery
  uint64_t records = 0;        // records in them
};

struct ReportLogStats {
  size_t queue_records = 0;  // queued, not yet written
  size_t queue_bytes = 0;
  uint64_t rejected_full = 0;  // Appends refused with ResourceExhausted
  uint64_t records = 0;        // records made durable since Open
  uint64_t bytes = 0;
  uint64_t groups = 0;  // group commits: batches taken from the queue together
  uint64_t syncs = 0;   // segment fdatasyncs (one per group, one more per segment a group rolls)
  uint64_t last_group_records = 0;
  uint64_t max_group_records = 0;
  uint64_t last_sync_micros = 0;
  uint64_t max_sync_micros = 0;
  uint64_t total_sync_micros = 0;
  uint64_t segments_sealed = 0;
  uint64_t segments_deleted = 0;  // by retention
  uint64_t failures = 0;          // storage errors that failed a group (each then repaired)
  uint64_t repairs = 0;           // successful repairs
};

// One record of an Append call; the payload is copied before Append returns.
struct AppendRecord {
  uint64_t receive_ms = 0;
  util::ByteView payload;
};

class ReportLog {
 public:
  // Opens (creating if needed) the log under options.data_dir, recovers it and starts the writer.
  static util::Result<std::unique_ptr<ReportLog>> Open(ReportLogOptions options);
  ~ReportLog();
  ReportLog(const ReportLog&) = delete;
  ReportLog& operator=(const ReportLog&) = delete;

  // Queues `records` (all of `epoch`) and returns at once; `done` is called later with OK once
  // they are all durable, or with the error that stopped them. Immediate errors (then `done` is
  // never called): ResourceExhausted when the queue is full; InvalidArgument for an empty call, a
  // payload over logfmt::kMaxPayloadBytes or a call larger than the queue; OutOfRange for an
  // epoch older than one already appended; Unavailable while the log repairs itself after a
  // storage error; FailedPrecondition once it is closed.
  util::Status Append(uint64_t epoch, std::span<const AppendRecord> records, AppendCallback done);
  util::Status Append(uint64_t epoch, uint64_t receive_ms, util::ByteView payload,
                      AppendCallback done);
  // Append, then block until the records are durable (or failed).
  util::Status AppendAndWait(uint64_t epoch, std::span<const AppendRecord> records);

  // Moves the log to `epoch` (never backwards): seals the segment of an older epoch so readers
  // see that epoch complete, refuses older epochs from now on, applies retention. Blocks until
  // done. A no-op returning OK if the log is already at `epoch` or later.
  util::Status AdvanceEpoch(uint64_t epoch);

  // Deletes the segments of epochs before `epoch` (never the current epoch's), for a caller
  // that keeps its own retention window (the node keeps N closed epochs). Blocks until done;
  // later calls with a smaller epoch change nothing.
  util::Status DropEpochsBefore(uint64_t epoch);

  // Writes everything queued, seals the active segment, stops the writer. Returns the error
  // that failed the log, if any. Idempotent.
  util::Status Close();

  ReportLogStats stats() const;
  const RecoveryReport& recovery() const { return recovery_; }
  // The sealed segments (the index), sorted.
  std::vector<SegmentInfo> sealed_segments() const;
  const std::string& log_dir() const { return log_dir_; }
  // OK while the log accepts appends; the cause (naming files: for logs, not clients) while it
  // repairs itself after a storage error.
  util::Status health() const;

 private:
  explicit ReportLog(ReportLogOptions options);
  util::Status Recover();
  util::Status WriteIndexLocked() REQUIRES(mu_);
  void WriterLoop();
  util::Status WriteGroup(std::vector<CommitBatch>& batches);
  util::Status FlushPending();
  util::Status SealActive();
  util::Status StartSegment(uint64_t epoch);
  util::Status ApplyRetention();
  // After a failure: drops the pending frames (their batches were failed) and seals the active
  // segment at its last durable byte. Retried by Heal() until it succeeds or the log closes.
  util::Status Repair();
  void Heal(util::Status cause);
  void SetHealth(util::Status health);
  std::string SegmentPath(SegmentId id) const;

  const ReportLogOptions options_;
  util::Env* const env_;
  const std::string log_dir_;
  RecoveryReport recovery_;
  CommitQueue queue_;
  std::thread writer_;
  bool closed_ = false;
  util::Status final_status_;

  // Writer-thread state.
  std::unique_ptr<util::WritableFile> active_;
  bool active_exists_ = false;  // active_id_'s file may exist and is not sealed (even if
                                // active_ was dropped by a failure)
  SegmentId active_id_;
  uint64_t active_records_ = 0;
  uint64_t active_bytes_ = 0;  // durable bytes in the active segment
  uint64_t active_started_micros_ = 0;
  uint64_t current_epoch_ = 0;
  uint64_t drop_before_ = 0;  // DropEpochsBefore's floor
  util::Bytes pending_;       // encoded frames of the group not yet written
  uint64_t pending_records_ = 0;

  mutable util::Mutex mu_;
  std::map<SegmentId, SegmentInfo> sealed_ GUARDED_BY(mu_);
  ReportLogStats stats_ GUARDED_BY(mu_);
  util::Status health_ GUARDED_BY(mu_);
};

}  // namespace depin::ingest
