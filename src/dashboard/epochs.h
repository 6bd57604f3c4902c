// EpochCache: per-epoch aggregates for the dashboard, computed once from each closed epoch's
// manifest (<data dir>/rewards/epoch-<e>.json, epoch_files.h) and kept in memory, so no request
// re-reads a manifest: emission, minted, pools, unallocated, root, the value of the data credits
// burned against the tokens emitted, report validity by reason, active devices, owner
// concentration, and a compact per-device row (amount, reports, flags) for device lookups.
//
// A manifest is immutable once its leaves file exists, so an epoch's summary never changes. The
// set of closed epochs is re-listed at most every `rescan_ms`. At most `capacity` summaries stay in
// memory (the newest epochs; an older one asked for again is re-read from its manifest), so a
// long-running dev network with short epochs does not grow without bound.
//
// Thread-safety: all methods are thread-safe. Summaries are shared immutable snapshots; loading
// one happens outside the cache's lock.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "rewards/manifest.h"
#include "util/env.h"
#include "util/mutex.h"
#include "util/result.h"
#include "verify/report_view.h"

namespace depin::dashboard {

// Per-device flags derived from the manifest entry (bit i = kDeviceFlagNames[i]); invalid reports
// add their reasons separately.
enum DeviceFlag : uint32_t {
  kFlagDeactivated = 1u << 0,
  kFlagUptimeNotMet = 1u << 1,       // sent heartbeats, but in too few distinct hours
  kFlagLocationUntrusted = 1u << 2,  // heartbeats far from the asserted location (trust < 100 %)
  kFlagSpeedtestFail = 1u << 3,      // speedtests below the lowest tier (or too few)
  kFlagInvalidReports = 1u << 4,     // at least one invalid report
  kFlagSelfPaid = 1u << 5,           // usage paid with the owner's own data credits
  kFlagProofFlagged = 1u << 6,  // coverage or QoD flagged it (ring, spoofing, inconsistent data)
};
inline constexpr std::array<const char*, 7> kDeviceFlagNames = {
    "deactivated",     "uptime_not_met", "location_untrusted", "speedtest_fail",
    "invalid_reports", "self_paid",      "proof_flagged"};

struct DeviceEpochRow {
  verify::Key key;
  uint64_t amount = 0;
  uint64_t cumulative = 0;
  uint32_t valid_reports = 0;
  uint32_t invalid_reports = 0;
  uint32_t flags = 0;                    // DeviceFlag bits
  std::vector<uint8_t> invalid_reasons;  // verify::InvalidReason values with a non-zero count
  // Physical proofs (rewards::DeviceEntry): the class, what it sent, and a verifier's flag.
  uint32_t resource_class = 0;
  bool units_from_proofs = false;
  uint64_t availability_units = 0;
  uint32_t beacons = 0, witnesses = 0, sensor_batches = 0, qod_ppm = 0;
  uint8_t proof_flag_reason = 0;  // verify::InvalidReason, with kFlagProofFlagged
  std::string proof_flag_evidence;
};

// One resource class's part of an epoch (the health page's per-class table).
struct ClassHealth {
  uint64_t devices = 0, reporting = 0, rewarded = 0, flagged = 0, proof_flagged = 0;
  uint64_t reward = 0, valid_reports = 0, invalid_reports = 0;
  std::array<uint64_t, verify::kInvalidReasonCount> invalid_by_reason{};
};

struct EpochSummary {
  uint64_t epoch = 0, start_ms = 0, end_ms = 0;
  uint64_t emission = 0;
  uint64_t minted = 0;  // emission - unallocated (what post_reward_root mints)
  uint64_t unallocated_total = 0;
  crypto::Hash256 root{};
  crypto::Hash256 manifest_hash{};  // SHA-256 of the canonical manifest text
  std::vector<rewards::PoolEntry> pools;
  std::vector<rewards::RecipientEntry> recipients;
  std::vector<rewards::UnallocatedEntry> unallocated;
  std::vector<rewards::RewardLeaf> leaves;
  // Demand vs subsidy: data credits burned this epoch and their value in token base units at
  // the epoch's DC price (floor(dc x base_units / dc_per_price)).
  uint64_t dc_burned = 0;
  uint64_t dc_burned_value = 0;
  rewards::DcPrice dc_price;
  uint64_t device_rewards = 0;  // sum of device amounts
  // Reports.
  uint64_t reports_seen = 0, unknown_device_reports = 0, corrupt_records = 0;
  uint64_t valid_reports = 0, invalid_reports = 0;
  std::array<uint64_t, verify::kInvalidReasonCount> invalid_by_reason{};
  // Devices.
  uint64_t devices_reporting = 0;  // in the manifest with at least one valid report ("active")
  uint64_t devices_rewarded = 0;   // amount > 0
  uint64_t devices_flagged = 0;
  // Owner concentration: the top 10 owners' part of the device rewards, ppm (owners as the
  // ledger had them when the summary was built).
  uint32_t top10_owner_share_ppm = 0;
  std::vector<DeviceEpochRow> devices;       // key order
  std::map<uint32_t, ClassHealth> by_class;  // by resource class index

  const DeviceEpochRow* FindDevice(const verify::Key& key) const;
};

// How many of an epoch's device leaves the ledger has paid out in full (CountEpochClaims in
// dashboard_json.h counts them).
struct EpochClaims {
  uint64_t device_leaves = 0;
  uint64_t claimed = 0;
  bool complete() const { return claimed == device_leaves; }
};

// The owner of a device key (nullopt: unknown), for owner concentration.
using OwnerOf = std::function<std::optional<verify::Key>(const verify::Key&)>;

// Builds the summary of one manifest. Pure.
EpochSummary SummarizeManifest(const rewards::Manifest& m, const crypto::Hash256& manifest_hash,
                               const OwnerOf& owner_of);
// The flag names of a row, reasons included ("clock_skew", ...).
std::vector<std::string> FlagNames(const DeviceEpochRow& row);

class EpochCache {
 public:
  static constexpr size_t kDefaultCapacity = 512;

  EpochCache(util::Env* env, std::string data_dir, OwnerOf owner_of,
             std::chrono::milliseconds rescan = std::chrono::milliseconds(1000),
             size_t capacity = kDefaultCapacity)
      : env_(env),
        data_dir_(std::move(data_dir)),
        owner_of_(std::move(owner_of)),
        rescan_(rescan),
        capacity_(capacity == 0 ? 1 : capacity) {}

  // Summaries held in memory now.
  size_t cached() {
    util::MutexLock lock(mu_);
    return summaries_.size();
  }

  // Closed epochs (with a complete manifest), ascending.
  std::vector<uint64_t> Epochs();
  // The summary of `epoch`: NotFound when it has no complete manifest, Corruption when the
  // manifest does not parse.
  util::Result<std::shared_ptr<const EpochSummary>> Get(uint64_t epoch);
  // The newest closed epoch's summary, or nullptr when none is closed.
  std::shared_ptr<const EpochSummary> Latest();

 private:
  void MaybeRescan() REQUIRES(mu_);

  util::Env* env_;
  std::string data_dir_;
  OwnerOf owner_of_;
  std::chrono::milliseconds rescan_;
  size_t capacity_;

  util::Mutex mu_;
  std::chrono::steady_clock::time_point last_scan_ GUARDED_BY(mu_){};
  bool scanned_ GUARDED_BY(mu_) = false;
  std::vector<uint64_t> epochs_ GUARDED_BY(mu_);
  std::map<uint64_t, std::shared_ptr<const EpochSummary>> summaries_ GUARDED_BY(mu_);
};

}  // namespace depin::dashboard
