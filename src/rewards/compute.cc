#include "rewards/compute.h"

#include <algorithm>
#include <string>

#include "verify/fixed_point.h"

namespace depin::rewards {

using util::Result;
using util::Status;
using verify::kPpmOne;
using verify::u128;

namespace {

// Floor(a x b / c) for a result known to be <= a (b <= c).
uint64_t Portion(uint64_t a, u128 b, u128 c) { return static_cast<uint64_t>(a * b / c); }

// floor(basis x multiple_ppm / 1e6): the cap is a fraction of the tokens actually burned for the
// DC the device's traffic spent (their cost basis), so no token price path between buying the DC
// and spending them makes paying your own device profitable.
uint64_t UsageCap(uint64_t dc_basis, uint32_t multiple_ppm) {
  return static_cast<uint64_t>(static_cast<u128>(dc_basis) * multiple_ppm / kPpmOne);
}

void FillFromWork(DeviceEntry& e, const verify::DeviceInfo& info, const verify::DeviceWork& w) {
  e.device = info.key;
  e.deactivated = w.deactivated;
  e.heartbeats = w.heartbeats;
  e.heartbeats_without_fix = w.heartbeats_without_fix;
  e.heartbeat_hours = w.heartbeat_hours;
  e.uptime_ok = w.uptime_ok;
  e.location_trust_ppm = w.location_trust_ppm;
  e.speedtests = w.speedtests;
  e.avg_download_bps = w.avg_download_bps;
  e.avg_upload_bps = w.avg_upload_bps;
  e.avg_latency_ms = w.avg_latency_ms;
  e.speedtest_tier = w.speedtest_tier;
  e.speedtest_ppm = w.speedtest_ppm;
  e.receipts = w.receipts;
  e.dc_burned = w.dc_burned;
  e.dc_basis = w.dc_basis;
  e.self_paid_dc = w.self_paid_dc;
  e.usage_bytes = w.usage_bytes;
  e.valid_reports = w.valid_reports;
  e.invalid = w.invalid;
  e.resource_class = info.resource_class;
  e.beacons = w.beacons;
  e.witnesses = w.witnesses;
  e.sensor_batches = w.sensor_batches;
  e.qod_ppm = w.qod_ppm;
  e.origin = w.origin;
  e.origin_devices = w.origin_devices;
  e.origin_rank = w.origin_rank;
  e.origin_ppm = w.origin_ppm;
  if (w.deactivated) return;  // earns nothing: no units, no usage
  if (w.has_proof_units) {    // physical-proof networks: coverage or QoD units (docs/proofs.md)
    e.availability_units = verify::ApplyPpm(w.proof_units, w.origin_ppm);
    e.units_from_proofs = true;
    return;
  }
  if (w.uptime_ok) {
    e.availability_units = verify::ApplyPpm(
        verify::ApplyPpm(verify::ApplyPpm(kPpmOne, w.location_trust_ppm), w.speedtest_ppm),
        w.origin_ppm);
  }
}

Status CheckSortedLeaves(const std::vector<RewardLeaf>& leaves) {
  for (size_t i = 1; i < leaves.size(); ++i) {
    if (!(leaves[i - 1].key < leaves[i].key)) {
      return Status::InvalidArgument(
          "rewards: prior cumulative totals not sorted by key or "
          "duplicated at index " +
          std::to_string(i));
    }
  }
  return Status::Ok();
}

// EpochWork's contract (verify/work.h): devices sorted by key, unique. The leaves are merged in
// one pass on that order, so a list that breaks it is refused rather than mis-merged.
Status CheckSortedDevices(const std::vector<verify::DeviceInfo>& devices) {
  for (size_t i = 1; i < devices.size(); ++i) {
    if (!(devices[i - 1].key < devices[i].key)) {
      return Status::InvalidArgument(
          "rewards: epoch work devices not sorted by key or duplicated at index " +
          std::to_string(i));
    }
  }
  return Status::Ok();
}

// A recipient pool's credit to its key.
struct Credit {
  Key key;
  uint64_t amount;
};

// Adds `amount` to `*cumulative`; OutOfRange naming the key if the total would pass 2^64 - 1.
Status AddToLeaf(const Key& key, uint64_t amount, uint64_t* cumulative) {
  if (*cumulative > UINT64_MAX - amount) {
    return Status::OutOfRange("rewards: cumulative reward of " + key.ToHex() +
                              " would exceed 2^64 - 1");
  }
  *cumulative += amount;
  return Status::Ok();
}

// Step 7: the cumulative leaves (prior totals plus this epoch's credits) in one merge of three
// key-sorted lists — the prior leaves, the kept devices and the recipient credits — which also
// fills each device's prior_cumulative and cumulative. Every key with a prior leaf or a positive
// credit gets exactly one leaf; a device's cumulative is its leaf's value (prior + amount, plus
// any recipient pool paid to the same key), or its prior total when it has no leaf.
Status MergeLeaves(const std::vector<RewardLeaf>& prior, std::vector<Credit> recipients,
                   std::vector<DeviceEntry>& devices, std::vector<RewardLeaf>& leaves) {
  std::sort(recipients.begin(), recipients.end(),
            [](const Credit& a, const Credit& b) { return a.key < b.key; });
  leaves.clear();
  leaves.reserve(prior.size() + devices.size() + recipients.size());
  size_t pi = 0, di = 0, ri = 0;
  while (pi < prior.size() || di < devices.size() || ri < recipients.size()) {
    // The smallest key at the head of the three lists.
    const Key* key = nullptr;
    if (pi < prior.size()) key = &prior[pi].key;
    if (di < devices.size() && (key == nullptr || devices[di].device < *key)) {
      key = &devices[di].device;
    }
    if (ri < recipients.size() && (key == nullptr || recipients[ri].key < *key)) {
      key = &recipients[ri].key;
    }
    RewardLeaf leaf;
    leaf.key = *key;
    bool has_leaf = false;
    if (pi < prior.size() && prior[pi].key == leaf.key) {
      leaf.cumulative = prior[pi++].cumulative;
      has_leaf = true;
    }
    const uint64_t prior_total = leaf.cumulative;
    DeviceEntry* device = nullptr;
    if (di < devices.size() && devices[di].device == leaf.key) {
      device = &devices[di++];
      if (device->amount > 0) {
        DEPIN_RETURN_IF_ERROR(AddToLeaf(leaf.key, device->amount, &leaf.cumulative));
        has_leaf = true;
      }
    }
    for (; ri < recipients.size() && recipients[ri].key == leaf.key; ++ri) {
      DEPIN_RETURN_IF_ERROR(AddToLeaf(leaf.key, recipients[ri].amount, &leaf.cumulative));
      has_leaf = true;
    }
    if (device != nullptr) {
      device->prior_cumulative = prior_total;
      device->cumulative = leaf.cumulative;
    }
    if (has_leaf) leaves.push_back(leaf);
  }
  return Status::Ok();
}

}  // namespace

Status ComputeRewardsInto(const RewardConfig& config, const RewardInputs& in,
                          const verify::EpochWork& work, Manifest* out) {
  DEPIN_RETURN_IF_ERROR(ValidateRewardConfig(config));
  if (in.dc_price.base_units == 0 || in.dc_price.dc == 0) {
    return Status::InvalidArgument("rewards: DC price must be positive (base_units and dc)");
  }
  DEPIN_RETURN_IF_ERROR(CheckSortedLeaves(in.prior));
  if (work.work.size() != work.devices.size()) {
    return Status::InvalidArgument("rewards: epoch work does not match its device list");
  }
  DEPIN_RETURN_IF_ERROR(CheckSortedDevices(work.devices));

  // The caller's device and leaf buffers are reused (a million-device epoch would otherwise
  // allocate and fault in ~300 MB of fresh entries); everything else starts empty.
  std::vector<DeviceEntry> entries = std::move(out->devices);
  std::vector<RewardLeaf> leaves = std::move(out->leaves);
  Manifest& m = *out;
  m = Manifest{};
  m.epoch = work.window.epoch;
  m.start_ms = work.window.start_ms;
  m.end_ms = work.window.end_ms;
  m.emission = in.emission;
  m.dc_price = in.dc_price;
  m.config = config;
  m.reports_seen = work.reports_seen;
  m.unknown_device_reports = work.unknown_device_reports;
  m.corrupt_records = work.corrupt_records;
  m.payer_burns = work.payer_burns;
  m.flags = work.flags;

  auto add_unallocated = [&m](const std::string& pool, const char* reason, uint64_t amount) {
    if (amount == 0) return;
    m.unallocated.push_back({pool, reason, amount});
    m.unallocated_total += amount;
  };

  // 1. Split the emission into pool budgets.
  uint64_t budgets = 0;
  for (const PoolConfig& pc : config.pools) {
    PoolEntry p;
    p.name = pc.name;
    p.kind = pc.kind;
    p.share_ppm = pc.share_ppm;
    p.recipient = pc.recipient;
    p.budget = Portion(in.emission, pc.share_ppm, kPpmOne);
    budgets += p.budget;
    m.pools.push_back(p);
  }
  add_unallocated("", "pool_split_rounding", in.emission - budgets);
  auto pool_of = [&m](PoolKind kind) -> PoolEntry* {
    for (PoolEntry& p : m.pools) {
      if (p.kind == kind) return &p;
    }
    return nullptr;
  };

  // Per-device entries from the verifiers' work; units and usage shares.
  entries.clear();
  entries.resize(work.devices.size());
  u128 total_units = 0, total_bytes = 0;
  for (size_t i = 0; i < work.devices.size(); ++i) {
    FillFromWork(entries[i], work.devices[i], work.work[i]);
    total_units += entries[i].availability_units;
    if (!entries[i].deactivated) total_bytes += entries[i].usage_bytes;
  }

  // 2. Usage: pro rata by DC-backed bytes, each device capped at multiple x DC value.
  if (PoolEntry* usage = pool_of(PoolKind::kUsage)) {
    usage->total_shares = total_bytes;
    for (DeviceEntry& e : entries) {
      if (e.deactivated || e.usage_bytes == 0) continue;
      e.usage_share = Portion(usage->budget, e.usage_bytes, total_bytes);
      e.usage_cap = UsageCap(e.dc_basis, config.usage_cap_multiple_ppm);
      e.usage_amount = std::min(e.usage_share, e.usage_cap);
      usage->paid += e.usage_amount;
    }
    uint64_t unused = usage->budget - usage->paid;
    if (config.usage_overflow.empty()) {
      usage->unallocated = unused;
      add_unallocated(usage->name, "usage_unused", unused);
    } else {
      // 3. Overflow to the configured pools; the last target takes the rounding remainder.
      usage->overflow_out = unused;
      uint64_t given = 0;
      for (size_t t = 0; t < config.usage_overflow.size(); ++t) {
        const OverflowTarget& target = config.usage_overflow[t];
        uint64_t part = t + 1 == config.usage_overflow.size()
                            ? unused - given
                            : Portion(unused, target.weight_ppm, kPpmOne);
        given += part;
        for (PoolEntry& p : m.pools) {
          if (p.name == target.pool) p.overflow_in += part;
        }
      }
    }
  }

  // 4. Availability: pro rata by units.
  if (PoolEntry* avail = pool_of(PoolKind::kAvailability)) {
    uint64_t total = avail->budget + avail->overflow_in;
    avail->total_shares = total_units;
    if (total_units == 0) {
      avail->unallocated = total;
      add_unallocated(avail->name, "no_eligible_devices", total);
    } else {
      for (DeviceEntry& e : entries) {
        e.availability_amount = Portion(total, e.availability_units, total_units);
        avail->paid += e.availability_amount;
      }
      avail->unallocated = total - avail->paid;
      add_unallocated(avail->name, "rounding", avail->unallocated);
    }
  }

  // 5. Recipient pools are paid whole.
  std::vector<Credit> recipient_credits;
  for (PoolEntry& p : m.pools) {
    if (p.kind != PoolKind::kRecipient) continue;
    p.paid = p.budget + p.overflow_in;
    m.recipients.push_back({p.name, p.recipient, p.paid});
    if (p.paid > 0) recipient_credits.push_back({p.recipient, p.paid});
  }

  // 6. Device totals; keep devices that reported or earned (compacted in place, in key order).
  size_t kept = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    DeviceEntry& e = entries[i];
    e.amount = e.availability_amount + e.usage_amount;
    uint64_t invalid = 0;
    for (uint32_t n : e.invalid) invalid += n;
    if (e.amount == 0 && e.valid_reports == 0 && invalid == 0) continue;
    if (kept != i) entries[kept] = e;
    ++kept;
  }
  entries.resize(kept);
  m.devices = std::move(entries);

  // 7. Cumulative leaves: prior totals plus this epoch's credits, merged by key.
  DEPIN_RETURN_IF_ERROR(MergeLeaves(in.prior, std::move(recipient_credits), m.devices, leaves));
  m.leaves = std::move(leaves);
  m.root = crypto::MerkleRoot(RewardLeafHashes(m.leaves));

  // The invariant the ledger relies on: everything minted is accounted for.
  u128 accounted = m.unallocated_total;
  for (const DeviceEntry& e : m.devices) accounted += e.amount;
  for (const RecipientEntry& r : m.recipients) accounted += r.amount;
  if (accounted != in.emission) {
    return Status::Internal("rewards: manifest accounts for " + verify::U128ToString(accounted) +
                            " of an emission of " + std::to_string(in.emission));
  }
  return Status::Ok();
}

Result<Manifest> ComputeRewards(const RewardConfig& config, const RewardInputs& inputs,
                                const verify::EpochWork& work) {
  Manifest m;
  DEPIN_RETURN_IF_ERROR(ComputeRewardsInto(config, inputs, work, &m));
  return m;
}

}  // namespace depin::rewards
