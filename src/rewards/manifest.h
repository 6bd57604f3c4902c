// The reward manifest of one epoch: every pool's budget and how it was spent, every device's
// amount with the pool shares and multipliers that produced it, report counts by reason, the
// explicit unallocated remainder, and the Merkle root over (key, cumulative lifetime reward)
// leaves that the ledger's claim_rewards verifies. The manifest always sums exactly to the
// emission: sum(device amounts) + sum(recipient amounts) + unallocated_total == emission.
//
// Reward leaf (docs/rewards.md): "opendepin/reward-leaf/v1" || 0x00 || key (32 bytes) ||
// cumulative (u64 little-endian), hashed with crypto::MerkleLeafHash; leaves sorted by key bytes;
// root = crypto::MerkleRoot over the leaf hashes.
//
// Plain values; not synchronized.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "crypto/hash.h"
#include "crypto/merkle.h"
#include "rewards/config.h"
#include "util/bytes.h"
#include "util/result.h"
#include "verify/fixed_point.h"
#include "verify/work.h"

namespace depin::rewards {

struct PoolEntry {
  std::string name;
  PoolKind kind = PoolKind::kAvailability;
  uint32_t share_ppm = 0;
  uint64_t budget = 0;        // floor(emission x share_ppm / 1e6)
  uint64_t overflow_in = 0;   // received from the usage pool
  uint64_t overflow_out = 0;  // usage only: budget not paid to devices, passed on
  uint64_t paid = 0;          // to devices or the recipient
  uint64_t unallocated = 0;   // flooring dust, or everything when nobody qualified
  // Sum of the divisors' shares: availability units, or DC-backed bytes for usage (decimal
  // string in JSON, as it may exceed 64 bits).
  verify::u128 total_shares = 0;
  Key recipient;  // recipient pools
};

struct DeviceEntry {
  Key device;
  uint64_t amount = 0;  // availability_amount + usage_amount
  uint64_t availability_amount = 0;
  uint64_t usage_amount = 0;
  bool deactivated = false;
  // Availability derivation.
  uint32_t heartbeats = 0;
  uint32_t heartbeats_without_fix = 0;
  uint32_t heartbeat_hours = 0;
  bool uptime_ok = false;
  uint32_t location_trust_ppm = 0;
  uint32_t speedtests = 0;
  uint64_t avg_download_bps = 0;
  uint64_t avg_upload_bps = 0;
  uint64_t avg_latency_ms = 0;
  uint8_t speedtest_tier = 0;  // index into config.verify.speedtest_tiers; size() = fail
  uint32_t speedtest_ppm = 0;
  uint64_t availability_units = 0;  // 1e6 x location trust x speedtest, each step floored,
                                    // or the physical-proof units (units_from_proofs)
  bool units_from_proofs = false;   // units came from coverage / QoD verifiers
  // Network origin density (verify/origin_density.h): availability_units already include
  // origin_ppm. Written to the manifest (as "origin") only for a reduced device.
  uint64_t origin = 0;  // keyed hash of the source /24 or /48 its reports came from
  uint32_t origin_devices = 0;
  uint32_t origin_rank = 0;
  uint32_t origin_ppm = 1'000'000;
  // Usage derivation.
  uint32_t receipts = 0;
  uint64_t dc_burned = 0;
  uint64_t dc_basis = 0;  // tokens burned for those DC (their cost basis), base units
  uint64_t self_paid_dc = 0;
  uint64_t usage_bytes = 0;
  uint64_t usage_share = 0;  // floor(usage budget x bytes / total bytes), before the cap
  uint64_t usage_cap = 0;    // floor(dc_basis x cap multiple)
  // Physical proofs (verify/work.h): written as the "proofs" object when any was sent.
  uint32_t resource_class = 0;
  uint32_t beacons = 0;
  uint32_t witnesses = 0;
  uint32_t sensor_batches = 0;
  uint32_t qod_ppm = 0;
  // Reports.
  uint32_t valid_reports = 0;
  verify::InvalidCounts invalid{};
  // Lifetime.
  uint64_t prior_cumulative = 0;
  uint64_t cumulative = 0;
};

struct RecipientEntry {
  std::string pool;
  Key recipient;
  uint64_t amount = 0;
};

struct UnallocatedEntry {
  std::string pool;    // "" for the emission split itself
  std::string reason;  // "pool_split_rounding", "rounding", "no_eligible_devices", ...
  uint64_t amount = 0;
};

struct RewardLeaf {
  Key key;
  uint64_t cumulative = 0;
};

struct Manifest {
  uint64_t epoch = 0;
  uint64_t start_ms = 0;
  uint64_t end_ms = 0;
  uint64_t emission = 0;
  DcPrice dc_price;
  RewardConfig config;
  std::vector<PoolEntry> pools;            // config order
  std::vector<DeviceEntry> devices;        // sorted by key; devices with reports or an amount
  std::vector<RecipientEntry> recipients;  // config order
  std::vector<UnallocatedEntry> unallocated;
  uint64_t unallocated_total = 0;
  uint64_t reports_seen = 0;
  uint64_t unknown_device_reports = 0;
  uint64_t corrupt_records = 0;
  std::vector<verify::PayerBurn> payer_burns;
  // Devices the coverage and QoD verifiers flagged (and denylisted ones), with the evidence an
  // operator reviews; sorted by key. Not part of the root.
  std::vector<verify::DeviceFlag> flags;
  std::vector<RewardLeaf> leaves;  // sorted by key: every key with a lifetime reward
  crypto::Hash256 root{};
};

// The canonical leaf bytes.
util::Bytes RewardLeafBytes(const Key& key, uint64_t cumulative);
std::vector<crypto::Hash256> RewardLeafHashes(const std::vector<RewardLeaf>& leaves);
// The inclusion proof for `key`'s leaf; NotFound if the key has no leaf.
util::Result<crypto::MerkleProof> RewardProof(const Manifest& manifest, const Key& key);

// The entry for `device`, or nullptr.
const DeviceEntry* FindDevice(const Manifest& manifest, const Key& device);

}  // namespace depin::rewards
