// DeviceRegistry: the narrow view of the ledger's device table that ingest needs — for a device
// public key, is the device active and which report kinds may it send? Ingest depends only on this
// interface (never on the ledger), so it can be tested and benchmarked without a ledger; the node
// keeps an InMemoryDeviceRegistry in sync with the ledger (or, in dev mode, fills it from the admin
// endpoint POST /v1/admin/devices).
//
// InMemoryDeviceRegistry is an open-addressing hash table of 32-byte key -> {kinds mask, active},
// 40 bytes per slot at a load factor of at most 1/2, so at most ~80 bytes per device (plus slack
// while growing). It is split into 64 shards, each behind its own util::SharedMutex: lookups (the
// hot path, one per report) take a shared lock on one shard; updates take that shard's exclusive
// lock. All methods are thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "util/bytes.h"
#include "util/mutex.h"

namespace depin::ingest {

using DeviceKey = std::array<uint8_t, 32>;

// Bit i set = the device may send reports of wire ReportKind value i (see wire/constants.h).
using KindMask = uint32_t;
inline constexpr KindMask KindBit(uint32_t kind) { return kind < 32 ? (KindMask{1} << kind) : 0; }
inline constexpr KindMask kAllKinds = ~KindMask{0};

struct DeviceInfo {
  KindMask allowed_kinds = 0;
  bool active = false;
};

class DeviceRegistry {
 public:
  virtual ~DeviceRegistry() = default;
  // The device's entry, or nullopt if the key was never registered.
  virtual std::optional<DeviceInfo> Lookup(const DeviceKey& key) const = 0;
};

class InMemoryDeviceRegistry final : public DeviceRegistry {
 public:
  InMemoryDeviceRegistry();
  ~InMemoryDeviceRegistry() override;

  std::optional<DeviceInfo> Lookup(const DeviceKey& key) const override;
  // Inserts or replaces the entry for `key`.
  void Upsert(const DeviceKey& key, DeviceInfo info);
  // Marks a device inactive (deactivated devices stay known so rejects say "deactivated").
  // Returns false if the key is unknown.
  bool SetActive(const DeviceKey& key, bool active);
  size_t size() const;
  // Bytes held by the tables (for the ≤ 200 bytes/device budget; tested).
  size_t MemoryBytes() const;

 private:
  struct Shard;
  static constexpr size_t kShards = 64;
  Shard& ShardFor(const DeviceKey& key) const;
  std::unique_ptr<Shard[]> shards_;
};

}  // namespace depin::ingest
