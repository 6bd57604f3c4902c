#include "ingest/dedup_window.h"

#include <cstring>
#include <map>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace depin::ingest {
namespace {

// Report ids are SHA-256 outputs, so any 8 of their bytes are already a uniform hash.
struct IdHash {
  size_t operator()(const ReportId& id) const noexcept {
    uint64_t h;
    std::memcpy(&h, id.data() + 8, sizeof(h));
    return static_cast<size_t>(h);
  }
};

struct Entry {
  uint64_t device_ts_ms;
  bool committed;
};

}  // namespace

struct DedupWindow::Shard {
  mutable std::mutex mu;
  std::unordered_map<ReportId, Entry, IdHash> ids;
  // bucket (device_ts_ms / kBucketMs) -> ids first seen with a timestamp in that bucket.
  std::map<uint64_t, std::vector<ReportId>> buckets;
};

DedupWindow::DedupWindow(uint64_t window_ms) : window_ms_(window_ms), shards_(new Shard[kShards]) {}
DedupWindow::~DedupWindow() = default;

DedupWindow::Shard& DedupWindow::ShardFor(const ReportId& id) const {
  return shards_[id[0] & (kShards - 1)];
}

bool DedupWindow::Add(const ReportId& id, uint64_t device_ts_ms, bool committed,
                      DedupOutcome* outcome) {
  Shard& shard = ShardFor(id);
  std::lock_guard lock(shard.mu);
  auto [it, inserted] = shard.ids.try_emplace(id, Entry{device_ts_ms, committed});
  if (!inserted) {
    *outcome = it->second.committed ? DedupOutcome::kDuplicate : DedupOutcome::kInFlight;
    return false;
  }
  shard.buckets[device_ts_ms / kBucketMs].push_back(id);
  *outcome = DedupOutcome::kNew;
  return true;
}

DedupOutcome DedupWindow::Reserve(const ReportId& id, uint64_t device_ts_ms) {
  DedupOutcome outcome;
  Add(id, device_ts_ms, /*committed=*/false, &outcome);
  return outcome;
}

bool DedupWindow::Insert(const ReportId& id, uint64_t device_ts_ms) {
  DedupOutcome outcome;
  return Add(id, device_ts_ms, /*committed=*/true, &outcome);
}

void DedupWindow::Commit(const ReportId& id) {
  Shard& shard = ShardFor(id);
  std::lock_guard lock(shard.mu);
  auto it = shard.ids.find(id);
  if (it != shard.ids.end()) it->second.committed = true;
}

void DedupWindow::Release(const ReportId& id) {
  Shard& shard = ShardFor(id);
  std::lock_guard lock(shard.mu);
  auto it = shard.ids.find(id);
  // The bucket keeps a stale copy of the id; Expire tolerates ids no longer in the map.
  if (it != shard.ids.end() && !it->second.committed) shard.ids.erase(it);
}

void DedupWindow::Expire(uint64_t now_ms) {
  if (now_ms < next_expiry_ms_.load(std::memory_order_relaxed)) return;
  next_expiry_ms_.store(now_ms + kBucketMs / 4, std::memory_order_relaxed);
  if (now_ms < window_ms_) return;
  // Buckets entirely older than the cutoff go; the bucket straddling it stays (up to one bucket
  // of extra memory, never a forgotten id that is still inside the window).
  uint64_t first_live_bucket = (now_ms - window_ms_) / kBucketMs;
  for (size_t i = 0; i < kShards; ++i) {
    Shard& shard = shards_[i];
    std::lock_guard lock(shard.mu);
    while (!shard.buckets.empty() && shard.buckets.begin()->first < first_live_bucket) {
      for (const ReportId& id : shard.buckets.begin()->second) {
        auto it = shard.ids.find(id);
        // An in-flight id stays: its request still owns it and will Commit or Release it.
        if (it != shard.ids.end() && it->second.committed &&
            it->second.device_ts_ms / kBucketMs < first_live_bucket) {
          shard.ids.erase(it);
        }
      }
      shard.buckets.erase(shard.buckets.begin());
    }
  }
}

size_t DedupWindow::size() const {
  size_t n = 0;
  for (size_t i = 0; i < kShards; ++i) {
    std::lock_guard lock(shards_[i].mu);
    n += shards_[i].ids.size();
  }
  return n;
}

}  // namespace depin::ingest
