// ReportLog: recovery, group-commit writer, rolling and retention (see report_log.h).
#include "ingest/report_log.h"

#include <algorithm>
#include <chrono>
#include <future>
#include <memory>
#include <utility>

#include "ingest/report_log_frame.h"
#include "ingest/report_log_segment.h"

namespace depin::ingest {

using util::Status;

ReportLog::ReportLog(ReportLogOptions options)
    : options_(std::move(options)),
      env_(options_.env),
      log_dir_(util::JoinPath(options_.data_dir, std::string(logfmt::kLogSubdir))),
      queue_(CommitQueue::Limits{options_.queue_max_records, options_.queue_max_bytes}) {}

util::Result<std::unique_ptr<ReportLog>> ReportLog::Open(ReportLogOptions options) {
  if (options.env == nullptr) return Status::InvalidArgument("report log: no Env given");
  if (options.data_dir.empty()) return Status::InvalidArgument("report log: empty data dir");
  if (options.segment_max_bytes == 0 || options.queue_max_records == 0 ||
      options.queue_max_bytes < logfmt::kMaxFrameBytes) {
    return Status::InvalidArgument(
        "report log: segment_max_bytes and queue_max_records must be > 0 and queue_max_bytes "
        "must hold one maximal record (" +
        std::to_string(logfmt::kMaxFrameBytes) + " bytes)");
  }
  std::unique_ptr<ReportLog> log(new ReportLog(std::move(options)));
  DEPIN_RETURN_IF_ERROR(log->Recover().WithContext("report log " + log->log_dir_));
  log->writer_ = std::thread([raw = log.get()] { raw->WriterLoop(); });
  return log;
}

ReportLog::~ReportLog() { (void)Close(); }

std::string ReportLog::SegmentPath(SegmentId id) const {
  return util::JoinPath(log_dir_, SegmentFileName(id));
}

// Loads the index, checks it against the segments (which are authoritative), truncates a torn
// tail in the last segment and rewrites the index if anything differed.
Status ReportLog::Recover() {
  DEPIN_RETURN_IF_ERROR(env_->CreateDirs(log_dir_));
  DEPIN_ASSIGN_OR_RETURN(std::vector<SegmentId> ids, ListSegments(env_, log_dir_));
  std::map<SegmentId, SegmentInfo> indexed;
  std::string index_path = util::JoinPath(log_dir_, std::string(logfmt::kIndexFile));
  if (env_->FileExists(index_path)) {
    DEPIN_ASSIGN_OR_RETURN(util::Bytes data, env_->ReadFile(index_path));
    auto decoded = DecodeIndex(data, index_path);
    if (decoded.ok()) {
      for (const SegmentInfo& s : *decoded) indexed[s.id] = s;
    }
  }
  std::map<SegmentId, SegmentInfo> sealed;
  for (size_t i = 0; i < ids.size(); ++i) {
    const SegmentId id = ids[i];
    const std::string path = SegmentPath(id);
    const bool last = i + 1 == ids.size();
    DEPIN_ASSIGN_OR_RETURN(uint64_t size, env_->GetFileSize(path));
    auto it = indexed.find(id);
    if (it != indexed.end() && it->second.bytes == size) {
      sealed[id] = it->second;
      continue;
    }
    DEPIN_ASSIGN_OR_RETURN(SegmentScan scan, ScanSegment(env_, path));
    if (scan.stop != SegmentScanner::Outcome::kEnd) {
      if (!last) {
        std::string why = scan.stop == SegmentScanner::Outcome::kBadFrame
                              ? scan.error
                              : path + ": offset " + std::to_string(scan.valid_bytes) +
                                    ": sealed segment ends inside a record";
        return Status::Corruption(why);
      }
      // A torn write at the end of the last segment: cut it off and make the cut durable.
      DEPIN_RETURN_IF_ERROR(env_->TruncateFile(path, scan.valid_bytes));
      DEPIN_ASSIGN_OR_RETURN(auto file, env_->NewAppendableFile(path));
      DEPIN_RETURN_IF_ERROR(file->Sync());
      DEPIN_RETURN_IF_ERROR(file->Close());
      recovery_.truncated_segment = path;
      recovery_.dropped_bytes = scan.file_size - scan.valid_bytes;
    }
    if (last && scan.valid_bytes == 0) {
      DEPIN_RETURN_IF_ERROR(env_->RemoveFile(path));
      DEPIN_RETURN_IF_ERROR(env_->SyncDir(log_dir_));
      recovery_.removed_empty_segment = true;
      continue;
    }
    sealed[id] = SegmentInfo{id, scan.records, scan.valid_bytes};
  }
  recovery_.index_rebuilt = sealed != indexed;
  for (const auto& [id, info] : sealed) {
    ++recovery_.segments;
    recovery_.records += info.records;
  }
  {
    util::MutexLock lock(mu_);
    sealed_ = std::move(sealed);
    if (!sealed_.empty()) current_epoch_ = sealed_.rbegin()->first.epoch;
    if (recovery_.index_rebuilt) DEPIN_RETURN_IF_ERROR(WriteIndexLocked());
  }
  queue_.RaiseMinEpoch(current_epoch_);
  return ApplyRetention();
}

Status ReportLog::WriteIndexLocked() {
  std::vector<SegmentInfo> list;
  list.reserve(sealed_.size());
  for (const auto& [id, info] : sealed_) list.push_back(info);
  return env_->WriteFileAtomic(util::JoinPath(log_dir_, std::string(logfmt::kIndexFile)),
                               EncodeIndex(list), 0644);
}

Status ReportLog::Append(uint64_t epoch, std::span<const AppendRecord> records,
                         AppendCallback done) {
  if (records.empty()) return Status::InvalidArgument("report log: append of no records");
  CommitBatch batch;
  batch.epoch = epoch;
  size_t total = 0;
  for (const AppendRecord& r : records) {
    if (r.payload.size() > logfmt::kMaxPayloadBytes) {
      return Status::InvalidArgument("report log: payload of " + std::to_string(r.payload.size()) +
                                     " bytes exceeds the maximum of " +
                                     std::to_string(logfmt::kMaxPayloadBytes));
    }
    total += FrameSize(r.payload.size());
  }
  if (records.size() > options_.queue_max_records || total > options_.queue_max_bytes) {
    return Status::InvalidArgument("report log: append of " + std::to_string(records.size()) +
                                   " records (" + std::to_string(total) +
                                   " bytes) exceeds the queue limits");
  }
  batch.frames.reserve(total);
  for (const AppendRecord& r : records) EncodeFrame(r.receive_ms, epoch, r.payload, &batch.frames);
  batch.records = static_cast<uint32_t>(records.size());
  batch.done = std::move(done);
  return queue_.Push(std::move(batch));
}

Status ReportLog::Append(uint64_t epoch, uint64_t receive_ms, util::ByteView payload,
                         AppendCallback done) {
  AppendRecord record{receive_ms, payload};
  return Append(epoch, std::span<const AppendRecord>(&record, 1), std::move(done));
}

Status ReportLog::AppendAndWait(uint64_t epoch, std::span<const AppendRecord> records) {
  // The callback owns the promise, so it stays alive until set_value has fully returned.
  auto promise = std::make_shared<std::promise<Status>>();
  std::future<Status> result = promise->get_future();
  DEPIN_RETURN_IF_ERROR(
      Append(epoch, records, [promise](const Status& s) { promise->set_value(s); }));
  return result.get();
}

Status ReportLog::AdvanceEpoch(uint64_t epoch) {
  if (epoch <= queue_.min_epoch()) return Status::Ok();
  auto promise = std::make_shared<std::promise<Status>>();
  std::future<Status> result = promise->get_future();
  CommitBatch barrier;
  barrier.epoch = epoch;
  barrier.done = [promise](const Status& s) { promise->set_value(s); };
  Status pushed = queue_.Push(std::move(barrier));
  if (pushed.code() == util::Code::kOutOfRange) return Status::Ok();  // overtaken by appends
  DEPIN_RETURN_IF_ERROR(pushed);
  return result.get();
}

Status ReportLog::DropEpochsBefore(uint64_t epoch) {
  for (int attempt = 0; attempt < 8; ++attempt) {
    auto promise = std::make_shared<std::promise<Status>>();
    std::future<Status> result = promise->get_future();
    CommitBatch barrier;
    barrier.epoch = queue_.min_epoch();  // no move: only the retention floor changes
    barrier.drop_before = epoch;
    barrier.done = [promise](const Status& s) { promise->set_value(s); };
    Status pushed = queue_.Push(std::move(barrier));
    if (pushed.code() == util::Code::kOutOfRange) continue;  // an append moved the epoch on
    DEPIN_RETURN_IF_ERROR(pushed);
    return result.get();
  }
  return Status::Unavailable("report log: epochs kept moving while dropping old ones; retry");
}

Status ReportLog::Close() {
  if (closed_) return final_status_;
  closed_ = true;
  queue_.Close();
  if (writer_.joinable()) writer_.join();
  return final_status_;
}

ReportLogStats ReportLog::stats() const {
  CommitQueue::Depth depth = queue_.depth();
  util::MutexLock lock(mu_);
  ReportLogStats s = stats_;
  s.queue_records = depth.records;
  s.queue_bytes = depth.bytes;
  s.rejected_full = queue_.rejected_full();
  return s;
}

std::vector<SegmentInfo> ReportLog::sealed_segments() const {
  util::MutexLock lock(mu_);
  std::vector<SegmentInfo> out;
  for (const auto& [id, info] : sealed_) out.push_back(info);
  return out;
}

// ---- Writer thread ----

namespace {

// What the callbacks of a failed group hear: generic, because it reaches clients.
Status Recovering() {
  return Status::Unavailable("report log: a storage error failed this write; retry later");
}

constexpr std::chrono::milliseconds kMinRepairBackoff{10};
constexpr std::chrono::milliseconds kMaxRepairBackoff{2000};

}  // namespace

Status ReportLog::health() const {
  util::MutexLock lock(mu_);
  return health_;
}

void ReportLog::SetHealth(Status health) {
  {
    util::MutexLock lock(mu_);
    health_ = health;
  }
  if (options_.on_health) options_.on_health(health);
}

void ReportLog::WriterLoop() {
  using SteadyClock = std::chrono::steady_clock;
  const auto interval = std::chrono::microseconds(options_.min_group_interval_us);
  std::vector<CommitBatch> batches;
  SteadyClock::time_point not_before = SteadyClock::time_point::min();
  Status failed;  // the unrepaired failure, if any
  while (queue_.TakeAll(&batches, not_before)) {
    not_before = SteadyClock::now() + interval;
    if (failed.ok()) {
      failed = WriteGroup(batches);
      if (!failed.ok()) {
        queue_.Fail(failed);
        {
          util::MutexLock lock(mu_);
          ++stats_.failures;
        }
        SetHealth(failed);
      }
    }
    for (CommitBatch& b : batches) {
      if (b.done) b.done(failed.ok() ? Status::Ok() : Recovering());
    }
    if (!failed.ok()) {
      Heal(failed);
      failed = health();
    }
  }
  if (!failed.ok() && Repair().ok()) failed = Status::Ok();  // one last try at Close
  if (failed.ok()) failed = SealActive();
  final_status_ = failed;
}

// Retries Repair with backoff until it succeeds (appends are accepted again) or the log closes.
// Batches queued before the failure are failed meanwhile, not left waiting for the repair.
void ReportLog::Heal(Status cause) {
  std::chrono::milliseconds backoff = kMinRepairBackoff;
  std::vector<CommitBatch> queued;
  while (true) {
    queue_.TakeNow(&queued);
    for (CommitBatch& b : queued) {
      if (b.done) b.done(Recovering());
    }
    Status repaired = Repair();
    if (repaired.ok()) {
      {
        util::MutexLock lock(mu_);
        ++stats_.repairs;
      }
      queue_.Recover();  // before the health turns OK: whoever sees OK may append at once
      SetHealth(Status::Ok());
      return;
    }
    cause = std::move(repaired);
    SetHealth(cause);
    if (queue_.WaitClosedUntil(std::chrono::steady_clock::now() + backoff)) return;
    backoff = std::min(backoff * 2, kMaxRepairBackoff);
  }
}

Status ReportLog::Repair() {
  pending_.clear();
  pending_records_ = 0;
  if (active_exists_) {
    if (active_) {
      (void)active_->Close();  // the cut below makes whatever it did or did not write moot
      active_.reset();
    }
    const std::string path = SegmentPath(active_id_);
    if (active_bytes_ == 0) {
      Status removed = env_->RemoveFile(path);
      if (!removed.ok() && removed.code() != util::Code::kNotFound) return removed;
      DEPIN_RETURN_IF_ERROR(env_->SyncDir(log_dir_));
    } else {
      DEPIN_RETURN_IF_ERROR(env_->TruncateFile(path, active_bytes_));
      DEPIN_ASSIGN_OR_RETURN(auto file, env_->NewAppendableFile(path));
      DEPIN_RETURN_IF_ERROR(file->Sync());
      DEPIN_RETURN_IF_ERROR(file->Close());
      util::MutexLock lock(mu_);
      sealed_[active_id_] = SegmentInfo{active_id_, active_records_, active_bytes_};
      ++stats_.segments_sealed;
    }
    active_exists_ = false;
  }
  util::MutexLock lock(mu_);
  return WriteIndexLocked();
}

// Writes every batch of the group, rolling segments where needed, then syncs once. The callbacks
// are called by the caller after this returns.
Status ReportLog::WriteGroup(std::vector<CommitBatch>& batches) {
  bool too_old = active_ && options_.segment_max_age_ms > 0 &&
                 env_->NowMicros() - active_started_micros_ >= options_.segment_max_age_ms * 1000;
  if (too_old) DEPIN_RETURN_IF_ERROR(SealActive());
  uint64_t group_records = 0;
  for (const CommitBatch& b : batches) {
    if (b.records == 0) {  // barrier: move to b.epoch, maybe raise the retention floor
      if (b.epoch > current_epoch_) {
        DEPIN_RETURN_IF_ERROR(FlushPending());
        DEPIN_RETURN_IF_ERROR(SealActive());
        current_epoch_ = b.epoch;
        drop_before_ = std::max(drop_before_, b.drop_before);
        DEPIN_RETURN_IF_ERROR(ApplyRetention());
      } else if (b.drop_before > drop_before_) {
        drop_before_ = b.drop_before;
        DEPIN_RETURN_IF_ERROR(ApplyRetention());
      }
      continue;
    }
    if (active_) {
      uint64_t size_after = active_bytes_ + pending_.size() + b.frames.size();
      bool full = active_bytes_ + pending_.size() > 0 && size_after > options_.segment_max_bytes;
      if (b.epoch != active_id_.epoch || full) {
        DEPIN_RETURN_IF_ERROR(FlushPending());
        DEPIN_RETURN_IF_ERROR(SealActive());
      }
    }
    if (!active_) {
      bool new_epoch = b.epoch > current_epoch_;
      current_epoch_ = std::max(current_epoch_, b.epoch);
      DEPIN_RETURN_IF_ERROR(StartSegment(b.epoch));
      if (new_epoch) DEPIN_RETURN_IF_ERROR(ApplyRetention());
    }
    pending_.insert(pending_.end(), b.frames.begin(), b.frames.end());
    pending_records_ += b.records;
    group_records += b.records;
  }
  DEPIN_RETURN_IF_ERROR(FlushPending());
  util::MutexLock lock(mu_);
  ++stats_.groups;
  stats_.last_group_records = group_records;
  stats_.max_group_records = std::max(stats_.max_group_records, group_records);
  return Status::Ok();
}

// Writes the pending frames to the active segment with one write and makes them durable.
Status ReportLog::FlushPending() {
  if (pending_.empty()) return Status::Ok();
  DEPIN_RETURN_IF_ERROR(active_->Append(pending_));
  uint64_t start = env_->NowMicros();
  Status synced = active_->Sync();
  if (!synced.ok()) {
    // After a failed fdatasync the handle's state is unknown (the kernel may have dropped the
    // dirty pages and reported it once): Repair cuts the segment back and starts another.
    return synced;
  }
  uint64_t took = env_->NowMicros() - start;
  active_bytes_ += pending_.size();
  active_records_ += pending_records_;
  {
    util::MutexLock lock(mu_);
    stats_.records += pending_records_;
    stats_.bytes += pending_.size();
    ++stats_.syncs;
    stats_.last_sync_micros = took;
    stats_.max_sync_micros = std::max(stats_.max_sync_micros, took);
    stats_.total_sync_micros += took;
  }
  if (options_.on_sync) options_.on_sync(took);
  pending_.clear();
  pending_records_ = 0;
  return Status::Ok();
}

// Closes the active segment (its data is already synced) and records it in the index.
Status ReportLog::SealActive() {
  if (!active_) return Status::Ok();
  DEPIN_RETURN_IF_ERROR(FlushPending());
  Status closed = active_->Close();
  active_.reset();
  DEPIN_RETURN_IF_ERROR(closed);  // active_exists_ stays: Repair seals it
  util::MutexLock lock(mu_);
  sealed_[active_id_] = SegmentInfo{active_id_, active_records_, active_bytes_};
  ++stats_.segments_sealed;
  active_exists_ = false;
  return WriteIndexLocked();
}

// Creates the next segment of `epoch` and makes its directory entry durable before any record
// in it can be acknowledged.
Status ReportLog::StartSegment(uint64_t epoch) {
  SegmentId id{epoch, 0};
  {
    util::MutexLock lock(mu_);
    auto next = sealed_.lower_bound(SegmentId{epoch + 1, 0});
    if (next != sealed_.begin() && std::prev(next)->first.epoch == epoch) {
      id.seq = std::prev(next)->first.seq + 1;
    }
  }
  if (id.seq > logfmt::kMaxSegmentSeq) {
    return Status::ResourceExhausted("report log: epoch " + std::to_string(epoch) +
                                     " already has the maximum number of segments");
  }
  // Known before the file is created, so a failure anywhere below is repaired (the file removed).
  active_id_ = id;
  active_exists_ = true;
  active_records_ = 0;
  active_bytes_ = 0;
  active_started_micros_ = env_->NowMicros();
  DEPIN_ASSIGN_OR_RETURN(active_, env_->NewWritableFile(SegmentPath(id), 0644));
  return env_->SyncDir(log_dir_);
}

// Deletes the segments of epochs more than retain_epochs before the current one.
Status ReportLog::ApplyRetention() {
  uint64_t keep_from = std::min(drop_before_, current_epoch_);  // the current epoch always stays
  if (options_.retain_epochs > 0 && current_epoch_ > options_.retain_epochs) {
    keep_from = std::max(keep_from, current_epoch_ - options_.retain_epochs);
  }
  if (keep_from == 0) return Status::Ok();
  util::MutexLock lock(mu_);
  if (sealed_.empty() || sealed_.begin()->first.epoch >= keep_from) return Status::Ok();
  // The marker first: after a crash it may claim more than was deleted, never less.
  const std::string marker = std::to_string(keep_from);
  DEPIN_RETURN_IF_ERROR(
      env_->WriteFileAtomic(util::JoinPath(log_dir_, std::string(logfmt::kRetainedFromFile)),
                            util::AsBytes(marker), 0644));
  // The guard above means at least the first sealed segment goes.
  for (auto it = sealed_.begin(); it != sealed_.end() && it->first.epoch < keep_from;) {
    DEPIN_RETURN_IF_ERROR(env_->RemoveFile(SegmentPath(it->first)));
    it = sealed_.erase(it);
    ++stats_.segments_deleted;
  }
  DEPIN_RETURN_IF_ERROR(WriteIndexLocked());
  return env_->SyncDir(log_dir_);
}

}  // namespace depin::ingest
