#include "dashboard/epochs.h"

#include <algorithm>
#include <charconv>

#include "crypto/hash.h"
#include "epoch/files.h"
#include "rewards/manifest_json.h"
#include "verify/fixed_point.h"

namespace depin::dashboard {

namespace {

constexpr std::string_view kLeavesPrefix = "epoch-";
constexpr std::string_view kLeavesSuffix = ".leaves";

uint32_t FlagsOf(const rewards::DeviceEntry& d, size_t speedtest_tiers) {
  uint32_t f = 0;
  if (d.deactivated) f |= kFlagDeactivated;
  if (d.heartbeats > 0 && !d.uptime_ok) f |= kFlagUptimeNotMet;
  if (d.heartbeats > 0 && !d.units_from_proofs && d.location_trust_ppm < 1'000'000) {
    f |= kFlagLocationUntrusted;
  }
  if (d.speedtests > 0 && d.speedtest_tier >= speedtest_tiers) f |= kFlagSpeedtestFail;
  for (uint32_t c : d.invalid) {
    if (c > 0) f |= kFlagInvalidReports;
  }
  if (d.self_paid_dc > 0) f |= kFlagSelfPaid;
  return f;
}

}  // namespace

const DeviceEpochRow* EpochSummary::FindDevice(const verify::Key& key) const {
  auto it =
      std::lower_bound(devices.begin(), devices.end(), key,
                       [](const DeviceEpochRow& r, const verify::Key& k) { return r.key < k; });
  return it != devices.end() && it->key == key ? &*it : nullptr;
}

std::vector<std::string> FlagNames(const DeviceEpochRow& row) {
  std::vector<std::string> out;
  for (size_t i = 0; i < kDeviceFlagNames.size(); ++i) {
    if (row.flags & (1u << i)) out.emplace_back(kDeviceFlagNames[i]);
  }
  for (uint8_t r : row.invalid_reasons) {
    out.emplace_back(verify::InvalidReasonName(static_cast<verify::InvalidReason>(r)));
  }
  return out;
}

EpochSummary SummarizeManifest(const rewards::Manifest& m, const crypto::Hash256& manifest_hash,
                               const OwnerOf& owner_of) {
  EpochSummary s;
  s.epoch = m.epoch;
  s.start_ms = m.start_ms;
  s.end_ms = m.end_ms;
  s.emission = m.emission;
  s.unallocated_total = m.unallocated_total;
  s.minted = m.emission - std::min(m.emission, m.unallocated_total);
  s.root = m.root;
  s.manifest_hash = manifest_hash;
  s.pools = m.pools;
  s.recipients = m.recipients;
  s.unallocated = m.unallocated;
  s.leaves = m.leaves;
  s.dc_price = m.dc_price;
  s.reports_seen = m.reports_seen;
  s.unknown_device_reports = m.unknown_device_reports;
  s.corrupt_records = m.corrupt_records;
  for (const verify::PayerBurn& b : m.payer_burns) s.dc_burned += b.dc_burned;
  if (m.dc_price.dc > 0) {
    const verify::u128 v =
        static_cast<verify::u128>(s.dc_burned) * m.dc_price.base_units / m.dc_price.dc;
    s.dc_burned_value = v > UINT64_MAX ? UINT64_MAX : static_cast<uint64_t>(v);
  }
  const size_t tiers = m.config.verify.speedtest_tiers.size();
  std::unordered_map<verify::Key, uint64_t, crypto::PublicKeyHash> by_owner;
  s.devices.reserve(m.devices.size());
  size_t next_flag = 0;
  for (const rewards::DeviceEntry& d : m.devices) {
    DeviceEpochRow row;
    row.key = d.device;
    row.amount = d.amount;
    row.cumulative = d.cumulative;
    row.valid_reports = d.valid_reports;
    row.flags = FlagsOf(d, tiers);
    row.resource_class = d.resource_class;
    row.units_from_proofs = d.units_from_proofs;
    row.availability_units = d.availability_units;
    row.beacons = d.beacons;
    row.witnesses = d.witnesses;
    row.sensor_batches = d.sensor_batches;
    row.qod_ppm = d.qod_ppm;
    // m.flags is sorted by key, as m.devices is.
    while (next_flag < m.flags.size() && m.flags[next_flag].device < d.device) ++next_flag;
    if (next_flag < m.flags.size() && m.flags[next_flag].device == d.device) {
      row.flags |= kFlagProofFlagged;
      row.proof_flag_reason = static_cast<uint8_t>(m.flags[next_flag].reason);
      row.proof_flag_evidence = m.flags[next_flag].evidence;
    }
    ClassHealth& ch = s.by_class[d.resource_class];
    for (size_t r = 0; r < d.invalid.size(); ++r) {
      if (d.invalid[r] == 0) continue;
      row.invalid_reports += d.invalid[r];
      row.invalid_reasons.push_back(static_cast<uint8_t>(r));
      s.invalid_by_reason[r] += d.invalid[r];
      ch.invalid_by_reason[r] += d.invalid[r];
    }
    ++ch.devices;
    ch.reporting += d.valid_reports > 0 ? 1 : 0;
    ch.rewarded += d.amount > 0 ? 1 : 0;
    ch.flagged += row.flags != 0 ? 1 : 0;
    ch.proof_flagged += (row.flags & kFlagProofFlagged) ? 1 : 0;
    ch.reward += d.amount;
    ch.valid_reports += d.valid_reports;
    ch.invalid_reports += row.invalid_reports;
    s.valid_reports += d.valid_reports;
    s.invalid_reports += row.invalid_reports;
    s.device_rewards += d.amount;
    s.devices_reporting += d.valid_reports > 0 ? 1 : 0;
    s.devices_rewarded += d.amount > 0 ? 1 : 0;
    s.devices_flagged += row.flags != 0 ? 1 : 0;
    if (d.amount > 0) {
      std::optional<verify::Key> owner = owner_of ? owner_of(d.device) : std::nullopt;
      by_owner[owner.value_or(d.device)] += d.amount;  // unknown owner: the device alone
    }
    s.devices.push_back(std::move(row));
  }
  std::vector<uint64_t> totals;
  totals.reserve(by_owner.size());
  for (const auto& [owner, amount] : by_owner) totals.push_back(amount);
  std::sort(totals.rbegin(), totals.rend());
  verify::u128 top = 0;
  for (size_t i = 0; i < totals.size() && i < 10; ++i) top += totals[i];
  if (s.device_rewards > 0) {
    s.top10_owner_share_ppm = static_cast<uint32_t>(top * 1'000'000 / s.device_rewards);
  }
  return s;
}

std::vector<uint64_t> EpochCache::Epochs() {
  util::MutexLock lock(mu_);
  MaybeRescan();
  return epochs_;
}

void EpochCache::MaybeRescan() {
  const auto now = std::chrono::steady_clock::now();
  if (scanned_ && now - last_scan_ < rescan_) return;
  scanned_ = true;
  last_scan_ = now;
  util::Result<std::vector<std::string>> names =
      env_->GetChildren(util::JoinPath(data_dir_, "rewards"));
  if (!names.ok()) return;  // no epoch closed yet
  std::vector<uint64_t> epochs;
  for (const std::string& name : *names) {
    std::string_view n = name;
    if (!n.starts_with(kLeavesPrefix) || !n.ends_with(kLeavesSuffix)) continue;
    n.remove_prefix(kLeavesPrefix.size());
    n.remove_suffix(kLeavesSuffix.size());
    uint64_t e = 0;
    auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), e);
    if (ec == std::errc() && end == n.data() + n.size() && !n.empty()) epochs.push_back(e);
  }
  std::sort(epochs.begin(), epochs.end());
  epochs_ = std::move(epochs);
}

util::Result<std::shared_ptr<const EpochSummary>> EpochCache::Get(uint64_t epoch) {
  {
    util::MutexLock lock(mu_);
    auto it = summaries_.find(epoch);
    if (it != summaries_.end()) return it->second;
  }
  // The leaves file is the "manifest complete" marker: never read a manifest being written.
  if (!env_->FileExists(epoch::LeavesPath(data_dir_, epoch))) {
    return util::Status::NotFound("epoch " + std::to_string(epoch) + " has no manifest yet");
  }
  DEPIN_ASSIGN_OR_RETURN(std::string text, epoch::LoadManifestText(env_, data_dir_, epoch));
  util::Result<rewards::Manifest> m = rewards::ManifestFromJson(text);
  if (!m.ok()) return m.status().WithContext("manifest of epoch " + std::to_string(epoch));
  auto summary = std::make_shared<const EpochSummary>(
      SummarizeManifest(*m, crypto::Sha256(util::AsBytes(text)), owner_of_));
  util::MutexLock lock(mu_);
  auto [it, inserted] = summaries_.emplace(epoch, summary);
  std::shared_ptr<const EpochSummary> out = it->second;  // a concurrent loader may have won
  // Keep the newest epochs: evict the oldest (possibly this one; the caller still holds it).
  while (summaries_.size() > capacity_) summaries_.erase(summaries_.begin());
  return out;
}

std::shared_ptr<const EpochSummary> EpochCache::Latest() {
  uint64_t latest = 0;
  {
    util::MutexLock lock(mu_);
    MaybeRescan();
    if (epochs_.empty()) return nullptr;
    latest = epochs_.back();
    auto it = summaries_.find(latest);
    if (it != summaries_.end()) return it->second;
  }
  util::Result<std::shared_ptr<const EpochSummary>> s = Get(latest);
  return s.ok() ? *s : nullptr;
}

}  // namespace depin::dashboard
