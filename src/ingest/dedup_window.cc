#include "ingest/dedup_window.h"
#include "util/mutex.h"

#include <cstring>
#include <map>
#include <vector>

namespace depin::ingest {
namespace {

enum class State : uint8_t { kEmpty = 0, kInFlight, kCommitted };

// One remembered id: its first 16 bytes, the minute of its device timestamp and its state.
// 16 bytes of a SHA-256 id are enough: making another device's future report look like a
// duplicate means a second preimage on 128 bits, and a birthday collision (2^64 work) only makes
// an attacker's own second report a duplicate.
struct Slot {
  uint64_t lo = 0;  // id bytes 0..7
  uint64_t hi = 0;  // id bytes 8..15; already a uniform hash
  uint32_t minute = 0;
  State state = State::kEmpty;
};
static_assert(sizeof(Slot) == 24);

Slot KeyOf(const ReportId& id) {
  Slot s;
  std::memcpy(&s.lo, id.data(), sizeof(s.lo));
  std::memcpy(&s.hi, id.data() + 8, sizeof(s.hi));
  return s;
}

// An open-addressing set of slots with linear probing, kept at most 70% full. One cache miss per
// lookup and no allocation per id (a node-based map cost an allocation and two misses).
// Not thread-safe: the shard's mutex guards it.
class IdTable {
 public:
  IdTable() : slots_(kMinCapacity) {}

  // The slot holding `key`'s id, or nullptr.
  Slot* Find(const Slot& key) {
    for (size_t i = Home(key.hi);; i = Next(i)) {
      Slot& s = slots_[i];
      if (s.state == State::kEmpty) return nullptr;
      if (s.lo == key.lo && s.hi == key.hi) return &s;
    }
  }

  // Inserts `slot` unless its id is present; returns the slot holding the id and whether it was
  // inserted.
  std::pair<Slot*, bool> Insert(const Slot& slot) {
    if ((size_ + 1) * 10 > slots_.size() * 7) Resize(slots_.size() * 2);
    for (size_t i = Home(slot.hi);; i = Next(i)) {
      Slot& s = slots_[i];
      if (s.state == State::kEmpty) {
        s = slot;
        ++size_;
        return {&s, true};
      }
      if (s.lo == slot.lo && s.hi == slot.hi) return {&s, false};
    }
  }

  // Removes the slot (which must be in this table), shifting later members of its probe run
  // back so every lookup still finds them (no tombstones).
  void Erase(Slot* slot) {
    size_t hole = static_cast<size_t>(slot - slots_.data());
    for (size_t i = Next(hole);; i = Next(i)) {
      Slot& s = slots_[i];
      if (s.state == State::kEmpty) break;
      // Move s into the hole unless its home lies cyclically in (hole, i].
      size_t home = Home(s.hi);
      bool stays = hole <= i ? (hole < home && home <= i) : (hole < home || home <= i);
      if (stays) continue;
      slots_[hole] = s;
      hole = i;
    }
    slots_[hole] = Slot{};
    --size_;
  }

  // Keeps only the slots `keep` accepts (called once per slot), rebuilding the table at a size
  // fit for them.
  template <typename Keep>
  void Filter(Keep keep) {
    std::vector<Slot> kept;
    for (const Slot& s : slots_) {
      if (s.state != State::kEmpty && keep(s)) kept.push_back(s);
    }
    size_t capacity = kMinCapacity;
    while (kept.size() * 10 > capacity * 5) capacity *= 2;  // rebuilt at most half full
    slots_.assign(capacity, Slot{});
    size_ = 0;
    for (const Slot& s : kept) Insert(s);
  }

  size_t size() const { return size_; }

 private:
  static constexpr size_t kMinCapacity = 256;  // a power of two
  size_t Home(uint64_t hash) const { return static_cast<size_t>(hash) & (slots_.size() - 1); }
  size_t Next(size_t i) const { return (i + 1) & (slots_.size() - 1); }

  void Resize(size_t capacity) {
    std::vector<Slot> old(capacity);
    old.swap(slots_);
    size_ = 0;
    for (const Slot& s : old) {
      if (s.state != State::kEmpty) Insert(s);
    }
  }

  std::vector<Slot> slots_;
  size_t size_ = 0;
};

}  // namespace

struct DedupWindow::Shard {
  mutable util::Mutex mu;
  IdTable ids GUARDED_BY(mu);
  // minute -> ids remembered with a device timestamp in that minute, so Expire knows when a
  // rebuild would free anything.
  std::map<uint32_t, uint64_t> per_minute GUARDED_BY(mu);
};

DedupWindow::DedupWindow(uint64_t window_ms, size_t max_ids)
    : window_ms_(window_ms), max_ids_(max_ids), shards_(new Shard[kShards]) {}
DedupWindow::~DedupWindow() = default;

DedupWindow::Shard& DedupWindow::ShardFor(const ReportId& id) const {
  return shards_[id[0] & (kShards - 1)];
}

bool DedupWindow::Add(const ReportId& id, uint64_t device_ts_ms, bool committed, bool refuse_new,
                      DedupOutcome* outcome) {
  Slot slot = KeyOf(id);
  slot.minute = static_cast<uint32_t>(device_ts_ms / kBucketMs);
  slot.state = committed ? State::kCommitted : State::kInFlight;
  Shard& shard = ShardFor(id);
  util::MutexLock lock(shard.mu);
  if (refuse_new) {
    const Slot* held = shard.ids.Find(slot);
    *outcome = held == nullptr                    ? DedupOutcome::kFull
               : held->state == State::kCommitted ? DedupOutcome::kDuplicate
                                                  : DedupOutcome::kInFlight;
    return false;
  }
  auto [held, inserted] = shard.ids.Insert(slot);
  if (!inserted) {
    *outcome =
        held->state == State::kCommitted ? DedupOutcome::kDuplicate : DedupOutcome::kInFlight;
    return false;
  }
  ++shard.per_minute[slot.minute];
  size_.fetch_add(1, std::memory_order_relaxed);
  *outcome = DedupOutcome::kNew;
  return true;
}

DedupOutcome DedupWindow::Reserve(const ReportId& id, uint64_t device_ts_ms) {
  // Approximate under concurrency (a few reservations may pass the bound at once): it bounds
  // memory, it does not need to be exact. A full window still recognises duplicates.
  const bool full = max_ids_ > 0 && size_.load(std::memory_order_relaxed) >= max_ids_;
  DedupOutcome outcome;
  Add(id, device_ts_ms, /*committed=*/false, full, &outcome);
  return outcome;
}

bool DedupWindow::Insert(const ReportId& id, uint64_t device_ts_ms) {
  DedupOutcome outcome;
  return Add(id, device_ts_ms, /*committed=*/true, /*refuse_new=*/false, &outcome);
}

void DedupWindow::Commit(const ReportId& id) {
  Shard& shard = ShardFor(id);
  util::MutexLock lock(shard.mu);
  if (Slot* s = shard.ids.Find(KeyOf(id))) s->state = State::kCommitted;
}

void DedupWindow::Release(const ReportId& id) {
  Shard& shard = ShardFor(id);
  util::MutexLock lock(shard.mu);
  Slot* s = shard.ids.Find(KeyOf(id));
  if (s == nullptr || s->state != State::kInFlight) return;
  auto count = shard.per_minute.find(s->minute);
  if (count != shard.per_minute.end() && --count->second == 0) shard.per_minute.erase(count);
  shard.ids.Erase(s);
  size_.fetch_sub(1, std::memory_order_relaxed);
}

void DedupWindow::Expire(uint64_t now_ms) {
  if (now_ms < next_expiry_ms_.load(std::memory_order_relaxed)) return;
  next_expiry_ms_.store(now_ms + kBucketMs / 4, std::memory_order_relaxed);
  if (now_ms < window_ms_) return;
  // Minutes entirely older than the cutoff go; the minute straddling it stays (up to one minute
  // of extra memory, never a forgotten id that is still inside the window).
  const auto first_live = static_cast<uint32_t>((now_ms - window_ms_) / kBucketMs);
  for (size_t i = 0; i < kShards; ++i) {
    Shard& shard = shards_[i];
    util::MutexLock lock(shard.mu);
    if (shard.per_minute.empty() || shard.per_minute.begin()->first >= first_live) continue;
    // An in-flight id stays: its request still owns it and will Commit or Release it.
    std::map<uint32_t, uint64_t> kept_per_minute;
    const size_t before = shard.ids.size();
    shard.ids.Filter([first_live, &kept_per_minute](const Slot& s) {
      bool keep = s.minute >= first_live || s.state == State::kInFlight;
      if (keep) ++kept_per_minute[s.minute];
      return keep;
    });
    shard.per_minute.swap(kept_per_minute);
    size_.fetch_sub(before - shard.ids.size(), std::memory_order_relaxed);
  }
}

}  // namespace depin::ingest
