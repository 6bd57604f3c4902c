// DedupWindow: the set of report ids ingest has accepted (or is accepting right now) whose device
// timestamps are still inside the acceptance window. A report older than the window is rejected by
// the timestamp check before dedup is consulted, so forgetting ids older than the window loses
// nothing: the set is exact for every report that could still be accepted. It lives in memory only;
// at start the pipeline rebuilds it from the report log's recent epochs (Insert).
//
// Each id is in one of two states: in flight (Reserve succeeded, the report is being verified and
// written) or committed (durable in the log). Reserve on an id in either state fails, so two copies
// of one report submitted at the same moment cannot both be accepted; Release forgets an in-flight
// id whose report was rejected or could not be made durable, so a retry is possible.
//
// Sharded 64 ways by id, one mutex per shard; each shard is a flat open-addressing table of
// 24-byte slots (128 bits of the id, the minute of its device timestamp, its state), so a check
// costs one cache miss and no allocation. Expire rebuilds a shard without the minutes that fell
// out of the window, at most once per minute per shard. All methods are thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>

namespace depin::ingest {

using ReportId = std::array<uint8_t, 32>;

enum class DedupOutcome : uint8_t {
  kNew,        // reserved: the caller now owns the id until Commit or Release
  kDuplicate,  // already committed
  kInFlight,   // another request holds it right now
  kFull,       // not reserved: the window already holds max_ids ids (answer 503, retry later)
};

class DedupWindow {
 public:
  // Ids whose device timestamp is older than now - `window_ms` are forgotten by Expire. Reserve
  // refuses new ids (kFull) while `max_ids` are held, which bounds memory (35-70 bytes per id);
  // 0: no bound.
  explicit DedupWindow(uint64_t window_ms, size_t max_ids = 0);
  ~DedupWindow();
  DedupWindow(const DedupWindow&) = delete;
  DedupWindow& operator=(const DedupWindow&) = delete;

  DedupOutcome Reserve(const ReportId& id, uint64_t device_ts_ms);
  // In flight -> committed. No-op if the id is not in flight.
  void Commit(const ReportId& id);
  // Forgets an in-flight id. No-op if the id is committed or unknown.
  void Release(const ReportId& id);
  // Adds a committed id (rebuild from the log; never refused, since forgetting a logged id would
  // let its report be accepted again). Returns false if it was already present.
  bool Insert(const ReportId& id, uint64_t device_ts_ms);
  // Drops ids with device timestamp < now_ms - window. Cheap when nothing is due (one atomic load),
  // so the pipeline calls it once per request.
  void Expire(uint64_t now_ms);

  size_t size() const { return size_.load(std::memory_order_relaxed); }
  uint64_t window_ms() const { return window_ms_; }

 private:
  struct Shard;
  static constexpr size_t kShards = 64;
  static constexpr uint64_t kBucketMs = 60'000;
  Shard& ShardFor(const ReportId& id) const;
  bool Add(const ReportId& id, uint64_t device_ts_ms, bool committed, bool refuse_new,
           DedupOutcome* outcome);

  const uint64_t window_ms_;
  const size_t max_ids_;
  std::atomic<size_t> size_{0};
  std::unique_ptr<Shard[]> shards_;
  std::atomic<uint64_t> next_expiry_ms_{0};
};

}  // namespace depin::ingest
