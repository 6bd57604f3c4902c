#include "ingest/device_registry.h"

#include <cstring>

namespace depin::ingest {
namespace {

// Keys are Ed25519 public keys chosen by devices; an attacker can pick keys, but a key must be
// registered on the ledger (which costs an onboarding fee) to land in this table, so a plain
// multiplicative mix of the key's bytes is enough to spread them.
uint64_t HashKey(const DeviceKey& key) {
  uint64_t a, b;
  std::memcpy(&a, key.data() + 8, 8);
  std::memcpy(&b, key.data() + 24, 8);
  uint64_t h = (a ^ (b * 0x9E3779B97F4A7C15ull)) * 0xFF51AFD7ED558CCDull;
  return h ^ (h >> 29);
}

struct Slot {
  DeviceKey key;
  KindMask kinds;
  uint8_t used;  // 0 = empty, 1 = occupied (entries are never removed, only deactivated)
  uint8_t active;
  uint8_t pad[2];
};
static_assert(sizeof(Slot) == 40);

}  // namespace

struct InMemoryDeviceRegistry::Shard {
  mutable util::SharedMutex mu;
  std::vector<Slot> slots GUARDED_BY(mu);  // power-of-two size, linear probing
  size_t count GUARDED_BY(mu) = 0;

  // Index of `key`'s slot, or of the empty slot where it would go. Requires slots non-empty.
  size_t Find(const DeviceKey& key, uint64_t hash) const REQUIRES_SHARED(mu) {
    size_t mask = slots.size() - 1;
    for (size_t i = (hash >> 6) & mask;; i = (i + 1) & mask) {
      const Slot& s = slots[i];
      if (!s.used || s.key == key) return i;
    }
  }

  void Grow() REQUIRES(mu) {
    std::vector<Slot> old = std::move(slots);
    slots.assign(old.empty() ? 16 : old.size() * 2, Slot{});
    for (const Slot& s : old) {
      if (s.used) slots[Find(s.key, HashKey(s.key))] = s;
    }
  }
};

InMemoryDeviceRegistry::InMemoryDeviceRegistry() : shards_(new Shard[kShards]) {}
InMemoryDeviceRegistry::~InMemoryDeviceRegistry() = default;

InMemoryDeviceRegistry::Shard& InMemoryDeviceRegistry::ShardFor(const DeviceKey& key) const {
  return shards_[HashKey(key) & (kShards - 1)];
}

std::optional<DeviceInfo> InMemoryDeviceRegistry::Lookup(const DeviceKey& key) const {
  uint64_t hash = HashKey(key);
  const Shard& shard = shards_[hash & (kShards - 1)];
  util::ReaderLock lock(shard.mu);
  if (shard.slots.empty()) return std::nullopt;
  const Slot& s = shard.slots[shard.Find(key, hash)];
  if (!s.used) return std::nullopt;
  return DeviceInfo{s.kinds, s.active != 0};
}

void InMemoryDeviceRegistry::Upsert(const DeviceKey& key, DeviceInfo info) {
  uint64_t hash = HashKey(key);
  Shard& shard = shards_[hash & (kShards - 1)];
  util::WriterLock lock(shard.mu);
  if ((shard.count + 1) * 2 > shard.slots.size()) shard.Grow();
  Slot& s = shard.slots[shard.Find(key, hash)];
  if (!s.used) {
    s.used = 1;
    s.key = key;
    ++shard.count;
  }
  s.kinds = info.allowed_kinds;
  s.active = info.active ? 1 : 0;
}

bool InMemoryDeviceRegistry::SetActive(const DeviceKey& key, bool active) {
  uint64_t hash = HashKey(key);
  Shard& shard = shards_[hash & (kShards - 1)];
  util::WriterLock lock(shard.mu);
  if (shard.slots.empty()) return false;
  Slot& s = shard.slots[shard.Find(key, hash)];
  if (!s.used) return false;
  s.active = active ? 1 : 0;
  return true;
}

size_t InMemoryDeviceRegistry::size() const {
  size_t n = 0;
  for (size_t i = 0; i < kShards; ++i) {
    util::ReaderLock lock(shards_[i].mu);
    n += shards_[i].count;
  }
  return n;
}

size_t InMemoryDeviceRegistry::MemoryBytes() const {
  size_t bytes = sizeof(*this) + kShards * sizeof(Shard);
  for (size_t i = 0; i < kShards; ++i) {
    util::ReaderLock lock(shards_[i].mu);
    bytes += shards_[i].slots.capacity() * sizeof(Slot);
  }
  return bytes;
}

}  // namespace depin::ingest
